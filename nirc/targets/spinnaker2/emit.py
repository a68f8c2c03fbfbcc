"""Write a compiled `spinnaker2` module as a py-spinnaker2 network.

* ``model.py`` — a readable script in py-spinnaker2's idiom (``snn.Population`` per
  population with its neuron model and parameters, ``set_max_atoms_per_core`` from the
  placement, ``snn.Projection`` from ``helpers.connection_list_from_dense_weights``,
  ``snn.Conv2DProjection`` with ``conv_params``, ``hardware.SpiNNaker2Chip(...).run``);
  ``python model.py --input x.npy -o y.npz`` runs it and saves the outputs' spikes as
  ``nir-run`` writes them;
* ``weights.npz`` — every population's parameters (``P{i}.threshold`` ...) and every
  projection's integer weights (``J{k}.weight``, ``pre`` / ``post`` population indices,
  -1 the input), the outputs; names are data, never code;
* ``model.mlir`` and ``report.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from nirc.core.node import shape_of
from nirc.dialects import nir
from nirc.targets.spinnaker2.dialect import Conv2dOp, PopulationOp, SynapseOp

FORMAT = "nirc-spinnaker2/1"
SCRIPT = Path(__file__).with_name("model_template.py")


def parameters(graph: nir.GraphOp, chips: int) -> dict[str, np.ndarray]:
    ops = list(graph.body.block.ops)
    inp = next(op for op in ops if isinstance(op, nir.InputOp))
    pops = [op for op in ops if isinstance(op, PopulationOp)]
    outputs = [op for op in ops if isinstance(op, nir.OutputOp)]
    index = {op.results[0]: i for i, op in enumerate(pops)}
    out: dict[str, np.ndarray] = {
        "input_name": np.array(inp.nir_name),
        "input_shape": np.asarray(inp.param("shape"), np.int64).reshape(-1),
        "population_names": np.array([op.nir_name for op in pops]),
        "output_names": np.array([op.nir_name for op in outputs]),
        "output_populations": np.array([index[op.operands[0]] for op in outputs], np.int64),
        "chips": np.array(chips),
    }
    k = 0
    for i, op in enumerate(pops):
        p = f"P{i}."
        out[p + "neuron_model"] = np.array(op.model)
        out[p + "size"] = np.array(op.size)
        out[p + "shape"] = np.array(shape_of(op.results[0]), np.int64)
        out[p + "reset"] = np.array(op.reset.data)
        out[p + "max_atoms_per_core"] = np.array(int(op.max_atoms_per_core.value.data))
        for key in op.NEURON_PARAMS:
            a = op.opt_param(key)
            if a is not None:
                out[p + key] = np.asarray(a, np.float32).reshape(-1)
        rec = op.opt_param("weight_rec")
        if rec is not None:
            out[p + "weight_rec"] = np.asarray(rec, np.int64)
        for value in op.operands:
            syn = value.owner
            assert isinstance(syn, SynapseOp)
            q = f"J{k}."
            out[q + "pre"] = np.array(index.get(syn.operands[0], -1))
            out[q + "post"] = np.array(i)
            out[q + "weight"] = np.asarray(syn.param("weight"), np.int64)
            if isinstance(syn, Conv2dOp):
                out[q + "kind"] = np.array("conv2d")
                out[q + "in_shape"] = np.array(shape_of(syn.operands[0]), np.int64)
                out[q + "stride"] = np.asarray(syn.param("stride"), np.int64)
                out[q + "padding"] = np.asarray(syn.param("padding"), np.int64)
            else:
                out[q + "kind"] = np.array("dense")
            k += 1
    out["projection_count"] = np.array(k)
    return out


def write(outdir: Path, text: str, graph: nir.GraphOp, report: dict[str, Any]) -> None:
    """Every artefact into the (new, empty) directory ``outdir``."""
    np.savez(outdir / "weights.npz", **parameters(graph, report["resources"]["chips"]["used"]))
    (outdir / "model.py").write_text(SCRIPT.read_text())
    (outdir / "model.mlir").write_text(text)
    (outdir / "report.json").write_text(json.dumps({"format": FORMAT, **report}, indent=1) + "\n")
