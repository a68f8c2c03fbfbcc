"""The Speck target object: compile a `nir` module and write its artefacts, all or nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.core.graph import schedule_order
from nirc.core.node import shape_of
from nirc.core.profiles import resolve
from nirc.core.target import TargetOption
from nirc.core.verify import verify_module
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import count_agreement
from nirc.io.atomic import replace_dir
from nirc.io.text import module_to_text
from nirc.passes.quantize import QuantizePass, quantize_module
from nirc.targets.speck import dialect as speck
from nirc.targets.speck import emit as emitter
from nirc.targets.speck.dialect import RESETS
from nirc.targets.speck.kernels import LayerKernel
from nirc.targets.speck.nir_to_speck import NirToSpeckPass
from nirc.targets.speck.place import utilisation

#: Random input for the spike agreement in the report: batch, steps, event probability, seed.
AGREEMENT_INPUT = (16, 100, 0.05, 0)


def _layers(module: ModuleOp) -> list[speck.LayerOp]:
    """The module's layers, a layer's source first."""
    return [op for op in schedule_order(top_graph(module)) if isinstance(op, speck.LayerOp)]


def spike_agreement(
    float_layers: list[speck.LayerOp], int_layers: list[speck.LayerOp], x: np.ndarray
) -> list[dict[str, Any]]:
    """Per layer, the spike counts of the quantized layer against the float one, both fed
    the float model's spikes (so each layer's own error is measured, not its inputs').
    Layers in topological order; ``x`` is the input, ``(T, B, C, H, W)``."""
    sem = resolve("speck", None)
    values: dict[Any, np.ndarray] = {}
    rows = []
    for f_op, q_op in zip(float_layers, int_layers, strict=True):
        xs = values.get(f_op.operands[0], x)
        f_kernel, q_kernel = LayerKernel(f_op, sem), LayerKernel(q_op, sem)
        f_kernel.reset(xs.shape[1])
        q_kernel.reset(xs.shape[1])
        yf, yq = f_kernel.run(xs), q_kernel.run(xs)
        values[f_op.results[0]] = yf
        rows.append(
            {
                "layer": f_op.nir_name,
                "float_spikes": int(yf.sum()),
                "quantized_spikes": int(yq.sum()),
                "count_agreement": count_agreement(yf.sum(axis=0), yq.sum(axis=0)),
            }
        )
    return rows


def _owned(outdir: Path) -> bool:
    """An earlier run's OUTDIR: its configuration names nirc's format."""
    try:
        return json.loads((outdir / "speck_config.json").read_text()).get("format") == emitter.FORMAT
    except (OSError, ValueError, AttributeError):
        return False


class SpeckTarget:
    name = "speck"
    options = (
        TargetOption(
            "reset", "the cores' reset: subtract the threshold (default) or to zero", choices=RESETS, default="subtract"
        ),
        TargetOption(
            "agreement",
            "measure each quantized layer's spike counts against the float layer's on random input "
            f"({AGREEMENT_INPUT[0]} samples x {AGREEMENT_INPUT[1]} steps) for the report (default on)",
            type=bool,
            default=True,
        ),
    )

    def compile(
        self, module: ModuleOp, reset: str = "subtract", agreement: bool = True
    ) -> tuple[ModuleOp, dict[str, Any]]:
        """The placed, quantized `speck` module and the report."""
        module = module.clone()
        ctx = Context()
        float_module = module
        errors: dict[str, dict[str, Any]] = {}
        for step in NirToSpeckPass(reset=reset).steps():
            if isinstance(step, QuantizePass):
                float_module = module.clone()
                errors = {row["layer"]: row for row in quantize_module(module, step.options()).layers}
            else:
                step.apply(ctx, module)
            verify_module(module)
        float_layers, int_layers = _layers(float_module), _layers(module)
        measured = {q.nir_name for f, q in zip(float_layers, int_layers, strict=True) if not f.quantized}
        rows: dict[str, dict[str, Any]] = {}
        if agreement and measured:
            batch, steps, p, seed = AGREEMENT_INPUT
            source = next(op for op in top_graph(module).body.block.ops if isinstance(op, nir.InputOp))
            x = np.random.default_rng(seed).random((steps, batch, *shape_of(source.output))) < p
            rows = {row["layer"]: row for row in spike_agreement(float_layers, int_layers, x)}
        report = {
            "target": "speck",
            "ok": True,
            "cores": utilisation(int_layers),
            "layers": [
                {
                    "layer": q.nir_name,
                    "core": int(q.core.value.data),  # type: ignore[union-attr]
                    "quantized": "by nirc" if q.nir_name in measured else "in the input",
                    **({k: v for k, v in errors[q.nir_name].items() if k != "layer"} if q.nir_name in measured else {}),
                    **{k: v for k, v in rows.get(q.nir_name, {}).items() if k != "layer"},
                }
                for f, q in zip(float_layers, int_layers, strict=True)
            ],
            "agreement_input": None
            if not rows
            else dict(zip(("batch", "steps", "event_probability", "seed"), AGREEMENT_INPUT, strict=True)),
        }
        return module, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile and write the artefacts to ``outdir``: all or nothing."""
        compiled, report = self.compile(module, **options)
        text = module_to_text(compiled)
        replace_dir(outdir, lambda d: emitter.write(d, text, top_graph(compiled), report), _owned)
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        lines = []
        for row in report.get("layers", []):
            line = f"layer {row['layer']!r} on core {row['core']}"
            if "scale" in row:
                line += f": scale {row['scale']:.4g}, weight error {row['weight_rel_error']:.2%}"
            else:
                line += ": quantized in the input"
            if "count_agreement" in row:
                line += f", spike-count agreement {row['count_agreement']:.1%}"
            lines.append(line)
        return lines


TARGET = SpeckTarget()
