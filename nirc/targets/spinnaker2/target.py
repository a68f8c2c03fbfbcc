"""The SpiNNaker2 target object: compile a `nir` model for SpiNNaker2 and write the
py-spinnaker2 network, all or nothing (``docs/targets/spinnaker2.md``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.core.node import shape_of
from nirc.core.target import TargetOption, agreement_option, dt_option
from nirc.core.verify import verify_module
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import agreement_lines, chip_agreement
from nirc.io.atomic import owns, replace_dir
from nirc.io.text import module_to_text
from nirc.passes.quantize import quantize_module
from nirc.targets.spinnaker2 import emit as emitter
from nirc.targets.spinnaker2.convert_snn_to_spinnaker2 import ConvertSnnToSpiNNaker2Pass
from nirc.targets.spinnaker2.dialect import Conv2dOp, PopulationOp
from nirc.targets.spinnaker2.nir_to_spinnaker2 import INTEGRATORS, QUANTIZE, RESETS, NirToSpiNNaker2Pass
from nirc.targets.spinnaker2.place import place
from nirc.targets.spinnaker2.profile import PROFILE
from nirc.targets.spinnaker2.resources import SPINNAKER2

#: Random input for the spike agreement: batch, steps, probability of a spike per
#: channel and step, seed.
AGREEMENT_INPUT = (8, 200, 0.1, 0)


def _synapses(op: PopulationOp) -> int:
    total = 0
    for value in op.operands:
        syn = value.owner
        w = np.asarray(syn.param("weight"))  # type: ignore[union-attr]
        if isinstance(syn, Conv2dOp):  # each output neuron's kernel window (padding counted as inputs)
            total += int(np.count_nonzero(w)) * int(np.prod(shape_of(op.results[0])[1:]))
        else:
            total += int(np.count_nonzero(w))
    rec = op.opt_param("weight_rec")
    return total + (int(np.count_nonzero(rec)) if rec is not None else 0)


def _populations(ops: list[PopulationOp]) -> list[dict[str, Any]]:
    return [
        {
            "node": op.nir_name,
            "neuron_model": op.model,
            "neurons": op.size,
            "max_atoms_per_core": int(op.max_atoms_per_core.value.data),
            "slices": int(op.param("pes").size) if op.opt_param("pes") is not None else 0,
            "chips": sorted(set(op.param("chips").tolist())) if op.opt_param("chips") is not None else [],
            "reset": op.reset.data,
            "recurrent": op.opt_param("weight_rec") is not None,
            "synapses": _synapses(op),
        }
        for op in ops
    ]


def _deviations(ops: list[PopulationOp], integrator: str) -> list[str]:
    out = [
        "weights are ±127 integers with one scale per population (s2_nir's 127 / max|w|); thresholds and offsets "
        "are scaled by the same factor and stay float32",
        "the neuron models are computed in float32 in the order the parameter conversion implies; py-spinnaker2's C "
        "source is not public, so the chip's own arithmetic may round differently (docs/targets/spinnaker2.md)",
        "a projection delivers the spikes of the same step, a recurrent one those of the step before (the spinnaker2 "
        f"profile, {integrator} integration)",
    ]
    for op in ops:
        if op.model == "lif_curr_exp_no_delay" and np.any(op.param("i_offset")):
            out.append(
                f"'{op.nir_name}': a constant input into the synaptic current joins i_offset at its steady state "
                "b / (1 - syn_decay) (the model's current reaches it over time)"
            )
    return out


def _owned(outdir: Path) -> bool:
    return owns(outdir / "report.json", "format", emitter.FORMAT)


class SpiNNaker2Target:
    name = "spinnaker2"
    options = (
        dt_option(PROFILE.dt),
        TargetOption(
            "integrator",
            "euler (forward Euler, the NIR paper's setting; default) or exact (s2_nir's exponential Euler)",
            choices=INTEGRATORS,
            default="euler",
        ),
        TargetOption(
            "reset",
            "value (reset_to_v_reset; default) or subtract (reset_by_subtraction)",
            choices=RESETS,
            default="value",
        ),
        agreement_option(),
    )

    def compile(
        self,
        module: ModuleOp,
        dt: float = PROFILE.dt,
        integrator: str = "euler",
        reset: str = "value",
        agreement: bool = True,
    ) -> tuple[ModuleOp, dict[str, Any]]:
        """The quantized, placed `spinnaker2` module and the report."""
        pipeline = NirToSpiNNaker2Pass(dt=dt, integrator=integrator, reset=reset)
        ctx = Context()
        work = module.clone()
        for step in pipeline.front():
            step.apply(ctx, work)
            verify_module(work)
        snn_module = work.clone()
        quantized = quantize_module(work, QUANTIZE.options())
        verify_module(work)
        ConvertSnnToSpiNNaker2Pass().apply(ctx, work)
        verify_module(work)
        placement = place(work, SPINNAKER2)
        verify_module(work)
        ops = [op for op in top_graph(work).body.block.ops if isinstance(op, PopulationOp)]
        pops = _populations(ops)
        report: dict[str, Any] = {
            "target": "spinnaker2",
            "ok": True,
            "chip": SPINNAKER2.name,
            "product": SPINNAKER2.product,
            "dt": dt,
            "integrator": integrator,
            "reset": reset,
            "resources": {
                "pes": {"used": placement["pes"], "per_chip": SPINNAKER2.pes_per_chip},
                "chips": {"used": placement["chips"], "per_board": SPINNAKER2.chips_per_board},
                "neurons": sum(op.size for op in ops),
                "synapses": sum(row["synapses"] for row in pops),
                "memory_model": {
                    "pe_bytes": SPINNAKER2.pe_memory_bytes,
                    "reserved_bytes": SPINNAKER2.reserved_bytes,
                    "synapse_bytes": SPINNAKER2.synapse_bytes,
                    "row_header_bytes": SPINNAKER2.row_header_bytes,
                    "source": "estimate: how a PE's memory is split is not public (docs/targets/spinnaker2.md)",
                },
            },
            "populations": pops,
            "traffic": placement["traffic"],
            "slices": placement["slices"],
            "quantization": quantized.layers,
            "deviations": _deviations(ops, integrator),
        }
        if agreement:
            report["agreement"] = chip_agreement(snn_module, {"chip": work}, *AGREEMENT_INPUT)
        return work, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile and write the artefacts to ``outdir``: all or nothing."""
        compiled, report = self.compile(module, **options)
        text = module_to_text(compiled)
        replace_dir(outdir, lambda d: emitter.write(d, text, top_graph(compiled), report), _owned)
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        r = report["resources"]
        t = report["traffic"]
        lines = [
            f"{report['product']}: {r['pes']['used']} PEs on {r['chips']['used']} chip(s), {r['neurons']} neurons, "
            f"{r['synapses']} synapses",
            f"traffic: {t['inter_pe_packets']} packets between PEs, {t['inter_chip_packets']} between chips "
            f"(in order: {t['inter_chip_packets_in_order']})",
        ]
        for row in report["populations"]:
            lines.append(
                f"population '{row['node']}' {row['neuron_model']} ({row['neurons']} neurons, "
                f"{row['max_atoms_per_core']} per PE, {row['slices']} PEs)"
            )
        lines.extend(agreement_lines(report.get("agreement", {}).get("chip", {})))
        return lines


TARGET = SpiNNaker2Target()
