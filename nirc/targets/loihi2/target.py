"""The Loihi 2 target object: compile a `nir` model for Loihi 2 and write the Lava
network (processes, and a netx HDF5 file for a chain), all or nothing
(``docs/targets/loihi2.md``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.core.node import shape_of
from nirc.core.target import agreement_option, dt_option
from nirc.core.verify import verify_module
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import agreement_lines, chip_agreement
from nirc.io.atomic import owns, replace_dir
from nirc.io.text import module_to_text
from nirc.targets.lava.layers import Analysis
from nirc.targets.loihi2 import emit as emitter
from nirc.targets.loihi2.dialect import ConvOp, LayerOp
from nirc.targets.loihi2.nir_to_loihi2 import NirToLoihi2Pass
from nirc.targets.loihi2.place import usage
from nirc.targets.loihi2.profile import PROFILE
from nirc.targets.loihi2.quantize import Loihi2QuantizePass, layer_rows, quantize
from nirc.targets.loihi2.resources import LOIHI2
from nirc.targets.loihi2.rules import check

#: Random input for the spike agreement: batch, steps, probability of a spike per
#: channel and step, seed.
AGREEMENT_INPUT = (8, 200, 0.1, 0)


def _tau(decay: float, dt: float) -> float | None:
    """The Euler time constant of a per-step loss ``decay`` (s): ``dt / decay``."""
    return None if decay <= 0 else dt / decay


def _layers(snn_layers: Analysis, ops: list[LayerOp], dt: float) -> list[dict[str, Any]]:
    rows = []
    by_name = {op.nir_name: op for op in ops}
    for layer in snn_layers.layers:
        op = by_name[layer.name]
        d = layer.neuron.discrete()
        du, dv = int(op.param("du").reshape(-1)[0]), int(op.param("dv").reshape(-1)[0])
        i_decay = du + 1
        model_syn = 1.0 - float(np.asarray(d.syn_decay).reshape(-1)[0]) if d.synaptic else 1.0
        model_mem = 1.0 - float(np.asarray(d.decay).reshape(-1)[0])
        rows.append(
            {
                "node": layer.name,
                "neurons": op.size,
                "reads": layer.reads.name if layer.reads is not None else "input",
                "recurrent": op.opt_param("weight_rec") is not None,
                "cores": op.param("cores").tolist() if op.opt_param("cores") is not None else [],
                "iDecay": i_decay,
                "vDecay": dv,
                "current_decay": {"model": model_syn, "chip": i_decay / 4096, "tau_model_s": _tau(model_syn, dt)},
                "voltage_decay": {"model": model_mem, "chip": dv / 4096, "tau_model_s": _tau(model_mem, dt)},
                "vThMant": int(op.param("vth").reshape(-1)[0]),
                **(
                    {"kind": "conv", "shape": list(shape_of(op.results[0]))}
                    if isinstance(op, ConvOp)
                    else {
                        "kind": "dense",
                        "weight_exp": op.integer("weight_exp"),
                        "num_weight_bits": op.integer("num_weight_bits"),
                    }
                ),
            }
        )
    return rows


def _deviations(a: Analysis) -> list[str]:
    out = [
        "the decays are 12-bit: iDecay / 4096 and vDecay / 4096 (see layers)",
        "weights are 8-bit with one scale per layer; thresholds and biases share the weights' unit",
    ]
    for layer in a.layers:
        d = layer.neuron.discrete()
        th = np.asarray(d.threshold)
        if th.size and not np.all(th == th.reshape(-1)[0]):
            out.append(
                f"'{layer.name}' has one threshold per layer on Loihi: each neuron's weights and bias are scaled "
                "to the largest (its spikes are the same, its voltage is scaled)"
            )
        constant = isinstance(layer.weight, (nir.AffineOp, nir.Conv2dOp)) and np.any(layer.weight.param("bias"))
        if layer.neuron.RECURRENT and layer.neuron.opt_param("b_rec") is not None:
            constant = constant or bool(np.any(layer.neuron.param("b_rec")))
        if constant:
            how = "at its steady state" if d.synaptic else "from step 0 (the model's a step later)"
            out.append(f"the constant input (Affine bias, b_rec) of '{layer.name}' joins its bias {how}")
    return out


def _owned(outdir: Path) -> bool:
    return owns(outdir / "report.json", "format", emitter.FORMAT)


class Loihi2Target:
    name = "loihi2"
    options = (
        dt_option(PROFILE.dt),
        agreement_option(),
    )

    def compile(
        self, module: ModuleOp, dt: float = PROFILE.dt, agreement: bool = True
    ) -> tuple[ModuleOp, dict[str, Any]]:
        """The quantized, placed `loihi2` module and the report."""
        pipeline = NirToLoihi2Pass(dt=dt)
        ctx = Context()
        work = module.clone()
        for step in pipeline.front():
            step.apply(ctx, work)
            verify_module(work)
        snn_module = work.clone()
        a = check(top_graph(snn_module), LOIHI2)  # the layers, for the report (rules hold: re-checked below)
        rows: dict[str, dict[str, Any]] = {}
        float_chip = work
        for step in pipeline.back():
            if isinstance(step, Loihi2QuantizePass):
                float_chip = work.clone()
                rows = layer_rows(quantize(work))
            else:
                step.apply(ctx, work)
            verify_module(work)
        _, ops, _ = emitter.layers_of(top_graph(work))
        cores = usage(work)
        why_not = a.chain
        empty = [
            op.nir_name
            for op in ops
            if not np.any(op.param("weight"))
            and not np.any(op.opt_param("weight_rec") if op.opt_param("weight_rec") is not None else 0)
        ]
        if why_not is None and empty:
            why_not = f"'{empty[0]}' has no weight left after quantization: netx cannot load an all-zero layer"
        report: dict[str, Any] = {
            "target": "loihi2",
            "ok": True,
            "chip": LOIHI2.name,
            "product": LOIHI2.product,
            "dt": dt,
            "resources": {
                "cores": {"used": len(cores), "limit": LOIHI2.cores},
                "neurons": sum(op.size for op in ops),
                "synapses": sum(row["synapses"] for row in cores),
                "memory_model": {
                    "core_bytes": LOIHI2.core_memory_bytes,
                    "synapse_bytes": LOIHI2.synapse_bytes,
                    "neuron_bytes": LOIHI2.neuron_bytes,
                    "source": "estimate: Loihi 2's memory packing is not public (docs/targets/loihi2.md)",
                },
            },
            "cores": cores,
            "layers": _layers(a, ops, dt),
            "quantization": [
                {"layer": op.nir_name, **{k: v for k, v in rows.get(op.nir_name, {}).items() if k != "layer"}}
                for op in ops
            ],
            "netx": {"written": why_not is None, **({"why_not": why_not} if why_not else {})},
            "deviations": _deviations(a)
            + [
                f"'{name}' has no weight left after quantization (its weights are below the layer's step)"
                for name in empty
            ],
        }
        if agreement:
            # the float `snn` model already delays each Dense by a step, as Lava does
            report["agreement"] = chip_agreement(snn_module, {"chip": work, "float_chip": float_chip}, *AGREEMENT_INPUT)
        return work, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile and write the artefacts to ``outdir``: all or nothing."""
        compiled, report = self.compile(module, **options)
        text = module_to_text(compiled)
        replace_dir(outdir, lambda d: emitter.write(d, text, top_graph(compiled), report), _owned)
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        r = report["resources"]
        lines = [
            f"{report['product']}: {r['cores']['used']}/{r['cores']['limit']} cores, {r['neurons']} neurons, "
            f"{r['synapses']} synapses"
        ]
        for row in report["layers"]:
            exp = f", weight_exp {row['weight_exp']}" if "weight_exp" in row else ""
            lines.append(
                f"{row['kind']} layer '{row['node']}' ({row['neurons']} neurons, cores {row['cores']}): "
                f"iDecay {row['iDecay']}, vDecay {row['vDecay']}, vThMant {row['vThMant']}{exp}"
            )
        netx = report["netx"]
        lines.append("netx: network.net written" if netx["written"] else f"netx: not written ({netx['why_not']})")
        lines.extend(agreement_lines(report.get("agreement", {}).get("chip", {})))
        return lines


TARGET = Loihi2Target()
