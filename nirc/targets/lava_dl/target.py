"""The lava-dl target: a NIR model as a slayer network (``model.py``, ``weights.npz``),
``model.mlir`` (the `lava_dl` dialect, which ``nir-run`` runs as slayer does) and
``report.json``, all or nothing (``docs/targets/lava-dl.md``)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.core.node import shape_of
from nirc.core.target import TargetOption, agreement_option, dt_option
from nirc.core.verify import verify_module
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import agreement_lines, output_agreement, random_input
from nirc.interp.run import run
from nirc.io.atomic import owns, replace_dir
from nirc.io.text import module_to_text
from nirc.targets.lava.layers import layer_params
from nirc.targets.lava_dl.convert_snn_to_lava_dl import check_lava_dl
from nirc.targets.lava_dl.dialect import BlockOp, ConvOp
from nirc.targets.lava_dl.nir_to_lava_dl import NirToLavaDlPass
from nirc.targets.lava_dl.profile import PROFILE

FORMAT = "nirc-lava-dl/1"
TEMPLATE = Path(__file__).with_name("model_template.py")
#: Random input for the spike agreement: batch, steps, probability of a spike, seed.
AGREEMENT_INPUT = (8, 200, 0.1, 0)


def power_of_two(text: str) -> int:
    """The ``--scale`` option: 0 (per block) or a power of two (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0 or (value and value & (value - 1)):
        raise argparse.ArgumentTypeError(f"must be 0 (per block) or a power of two, got {text!r}")
    return value


def parameters(graph: nir.GraphOp) -> dict[str, np.ndarray]:
    """``weights.npz``: per block ``i`` (in order; a Flatten is a block of its own) its
    kind and parameters (``B{i}.weight`` ...), the input's shape and name, the output's
    name."""
    ops = list(graph.body.block.ops)
    inp = next(op for op in ops if isinstance(op, nir.InputOp))
    out = next(op for op in ops if isinstance(op, nir.OutputOp))
    blocks = [op for op in ops if isinstance(op, (BlockOp, nir.FlattenOp))]
    arrays: dict[str, np.ndarray] = {
        "blocks": np.array(len(blocks)),
        "block_names": np.array([op.nir_name for op in blocks]),
        "input_name": np.array(inp.nir_name),
        "input_shape": np.asarray(shape_of(inp.output), np.int64),
        "output_name": np.array(out.nir_name),
    }
    for i, op in enumerate(blocks):
        p = f"B{i}."
        if isinstance(op, nir.FlattenOp):
            arrays[p + "kind"] = np.array("flatten")
            continue
        arrays[p + "kind"] = np.array("conv" if isinstance(op, ConvOp) else "dense")
        arrays[p + "weight"] = np.asarray(op.param("weight"), np.float32)
        if op.opt_param("weight_rec") is not None:
            arrays[p + "weight_rec"] = np.asarray(op.param("weight_rec"), np.float32)
        if isinstance(op, ConvOp):
            for key in ("stride", "padding", "dilation"):
                arrays[p + key] = np.asarray(op.param(key), np.int64)
            arrays[p + "groups"] = np.array(op.integer("groups"))
        for key in ("current_decay", "voltage_decay", "threshold"):
            arrays[p + key] = np.array(int(op.param(key).reshape(-1)[0]))
        arrays[p + "scale"] = np.array(op.integer("scale"))
        arrays[p + "delay_shift"] = np.array(op.delay_shift is not None)
        # the target's blocks quantize their weights (slayer's default, which netx export needs)
        arrays[p + "quantize_weights"] = np.array(True)
    return arrays


def _block_class(op: BlockOp) -> str:
    if isinstance(op, ConvOp):
        return "slayer.block.cuba.Conv"
    recurrent = op.opt_param("weight_rec") is not None  # type: ignore[attr-defined]
    return "slayer.block.cuba.Recurrent" if recurrent else "slayer.block.cuba.Dense"


def _quantization(op: BlockOp, model: dict[str, Any]) -> dict[str, Any]:
    """What slayer's grids did to a block's numbers: the weights' relative error, the
    weights rounded to 0 or clipped to slayer's 8-bit range, the threshold's error."""
    s = op.integer("scale")
    pairs = [(np.asarray(model["weight"], np.float64), np.asarray(op.param("weight"), np.float64))]
    if op.opt_param("weight_rec") is not None:
        pairs.append((np.asarray(model["weight_rec"], np.float64), np.asarray(op.param("weight_rec"), np.float64)))
    ref = np.concatenate([p[0].reshape(-1) for p in pairs])
    got = np.concatenate([p[1].reshape(-1) for p in pairs])
    norm = float(np.linalg.norm(ref))
    vth = float(model["vth"][0])
    return {
        "weight_rel_error": float(np.linalg.norm(got - ref) / norm) if norm else 0.0,
        "weights_zeroed": int(np.count_nonzero((ref != 0) & (got == 0))),
        "weights_clipped": int(np.count_nonzero((ref * s > 254) | (ref * s < -256))),
        "threshold_rel_error": abs(int(op.param("threshold")[0]) / s - vth) / vth if vth else 0.0,
    }


def _owned(outdir: Path) -> bool:
    return owns(outdir / "report.json", "format", FORMAT)


class LavaDlTarget:
    name = "lava-dl"
    options = (
        dt_option(PROFILE.dt),
        TargetOption(
            "scale",
            "the blocks' weight scale, a power of two (default 0: per block, the largest that holds its weights)",
            type=power_of_two,
            default=0,
        ),
        TargetOption(
            "delay-shift",
            "slayer's one-step delay of each block's spikes (default on, as slayer's blocks and netx on Lava)",
            type=bool,
            default=True,
        ),
        agreement_option("the blocks' output spikes"),
    )

    def compile(
        self, module: ModuleOp, dt: float = PROFILE.dt, scale: int = 0, delay_shift: bool = True, agreement: bool = True
    ) -> tuple[ModuleOp, dict[str, Any]]:
        pipeline = NirToLavaDlPass(dt=dt, scale=scale, delay_shift=delay_shift)
        ctx = Context()
        work = module.clone()
        for step in pipeline.front():
            step.apply(ctx, work)
            verify_module(work)
        snn_module = work.clone()
        for step in pipeline.back():
            step.apply(ctx, work)
            verify_module(work)
        graph = top_graph(work)
        blocks = [op for op in graph.body.block.ops if isinstance(op, BlockOp)]
        floats = {layer.name: layer_params(layer) for layer in check_lava_dl(top_graph(snn_module)).layers}
        report: dict[str, Any] = {
            "target": "lava-dl",
            "ok": True,
            "framework": "lava-dl 0.6.0 (slayer), torch",
            "dt": dt,
            "blocks": [
                {
                    "node": op.nir_name,
                    "class": _block_class(op),
                    "neurons": int(np.prod(shape_of(op.results[0]))),
                    "scale": op.integer("scale"),
                    "threshold_mantissa": int(op.param("threshold")[0]),
                    "current_decay": int(op.param("current_decay")[0]),
                    "voltage_decay": int(op.param("voltage_decay")[0]),
                    "delay_shift": op.delay_shift is not None,
                    **_quantization(op, floats[op.nir_name]),
                }
                for op in blocks
            ],
            "latency_steps": len(blocks) if delay_shift else 0,
        }
        if agreement:
            x, how = random_input(snn_module, *AGREEMENT_INPUT)
            ref, got = run(snn_module, x).outputs, run(work, x).outputs
            rows = output_agreement(ref, got, report["latency_steps"], key="blocks_spikes")
            report["agreement"] = {"input": how, **rows}
        return work, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        compiled, report = self.compile(module, **options)
        text = module_to_text(compiled)
        arrays = parameters(top_graph(compiled))

        def fill(d: Path) -> None:
            np.savez(d / "weights.npz", **arrays)
            (d / "model.py").write_text(TEMPLATE.read_text())
            (d / "model.mlir").write_text(text)
            (d / "report.json").write_text(json.dumps({"format": FORMAT, **report}, indent=1) + "\n")

        replace_dir(outdir, fill, _owned)
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        lines = []
        for row in report["blocks"]:
            lines.append(
                f"{row['class']} '{row['node']}' ({row['neurons']} neurons): scale {row['scale']}, "
                f"threshold {row['threshold_mantissa']}/{row['scale']}, decays {row['current_decay']}/4096, "
                f"{row['voltage_decay']}/4096, weight error {row['weight_rel_error']:.2%}"
                + (f", {row['weights_zeroed']} weights rounded to 0" if row["weights_zeroed"] else "")
                + (f", {row['weights_clipped']} clipped" if row["weights_clipped"] else "")
            )
        rows = {name: row for name, row in report.get("agreement", {}).items() if name != "input"}
        lines.extend(agreement_lines(rows, key="blocks_spikes", label="blocks"))
        return lines


TARGET = LavaDlTarget()
