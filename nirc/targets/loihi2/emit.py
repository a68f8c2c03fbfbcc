"""Write a compiled `loihi2` module as what Lava and lava-dl consume.

* ``network.net`` — a lava-dl netx HDF5 network (``chips.md`` B.2), written when the
  layers form a chain: layer ``0`` is the ``input`` (its shape), then one ``dense`` (or
  ``dense_rec``) per layer with the integer weights Lava's Dense adds (netx shifts them
  itself, to the ``weight_exp`` / ``num_weight_bits`` the ``loihi2`` module holds), the
  bias mantissas, and a ``CUBA`` neuron (``iDecay = du + 1``, ``vDecay = dv``, ``vThMant
  = vth``).  ``lava.lib.dl.netx.hdf5.Network`` loads it;
* ``weights.npz`` — every layer's Dense and LIF parameters exactly as Lava's processes
  take them, the layers' wiring (``reads``: the layer each reads, -1 the input) and the
  outputs (``output_names`` / ``output_layers``); names are data, never code;
* ``lava_model.py`` — a readable script that builds Lava processes (``RingBuffer`` ->
  ``Dense`` -> ``LIF``, a recurrent ``Dense`` where a layer has one, a ``Sink`` per
  output) from ``weights.npz`` and runs them in Lava's bit-accurate fixed point:
  ``python lava_model.py --input x.npy -o y.npz`` (inputs as ``nir-run`` takes them,
  outputs keyed and shaped as ``nir-run`` writes them); ``--netx`` runs ``network.net``
  through netx instead;
* ``model.mlir`` and ``report.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from nirc.dialects import nir
from nirc.targets.loihi2.dialect import DenseOp
from nirc.targets.loihi2.quantize import file_weights

FORMAT = "nirc-loihi2/1"
SCRIPT = Path(__file__).with_name("lava_model_template.py")


def layers_of(graph: nir.GraphOp) -> tuple[nir.InputOp, list[DenseOp], list[nir.OutputOp]]:
    ops = list(graph.body.block.ops)
    inp = next(op for op in ops if isinstance(op, nir.InputOp))
    return inp, [op for op in ops if isinstance(op, DenseOp)], [op for op in ops if isinstance(op, nir.OutputOp)]


def parameters(graph: nir.GraphOp) -> dict[str, np.ndarray]:
    """``weights.npz``: per layer ``i`` its Lava parameters (``L{i}.weight`` ...), the
    wiring and the outputs."""
    inp, layers, outputs = layers_of(graph)
    index = {op.results[0]: i for i, op in enumerate(layers)}
    out: dict[str, np.ndarray] = {
        "layer_names": np.array([op.nir_name for op in layers]),
        "reads": np.array([index.get(op.operands[0], -1) for op in layers], np.int64),
        "input_name": np.array(inp.nir_name),
        "input_size": np.array(int(np.prod(inp.param("shape"))), np.int64),
        "output_names": np.array([op.nir_name for op in outputs]),
        "output_layers": np.array([index[op.operands[0]] for op in outputs], np.int64),
    }
    for i, op in enumerate(layers):
        p = f"L{i}."
        out[p + "weight"] = np.asarray(op.param("weight"), np.int64)
        out[p + "weight_exp"] = np.array(op.integer("weight_exp"))
        out[p + "num_weight_bits"] = np.array(op.integer("num_weight_bits"))
        rec = op.opt_param("weight_rec")
        if rec is not None:
            out[p + "weight_rec"] = np.asarray(rec, np.int64)
            out[p + "weight_exp_rec"] = np.array(op.integer("weight_exp_rec"))
            out[p + "num_weight_bits_rec"] = np.array(op.integer("num_weight_bits_rec"))
        for key in ("du", "dv", "vth"):
            out[p + key] = np.array(int(op.param(key).reshape(-1)[0]))
        out[p + "bias_mant"] = np.asarray(op.param("bias_mant"), np.int64)
        out[p + "bias_exp"] = np.array(op.integer("bias_exp"))
    return out


def write_netx(path: Path, graph: nir.GraphOp) -> None:
    """The netx HDF5 network of a chain of fixed-point layers."""
    inp, layers, _ = layers_of(graph)
    with h5py.File(path, "w") as f:
        root = f.create_group("layer")
        g = root.create_group("0")
        g.create_dataset("type", (1,), "S10", [b"input"])
        g.create_dataset("shape", data=np.array([int(np.prod(inp.param("shape")))], np.int64))
        for i, op in enumerate(layers, start=1):
            g = root.create_group(str(i))
            rec = op.opt_param("weight_rec") is not None
            g.create_dataset("type", (1,), "S10", [b"dense_rec" if rec else b"dense"])
            g.create_dataset("shape", data=np.array([op.size], np.int64))
            g.create_dataset("weight", data=file_weights(op))
            if rec:
                g.create_dataset("weight_rec", data=file_weights(op, "weight_rec"))
            bias = np.asarray(op.param("bias_mant"), np.int64)
            if np.any(bias):
                g.create_dataset("bias", data=bias)
            neuron = g.create_group("neuron")
            neuron.create_dataset("type", data="CUBA")
            neuron.create_dataset("iDecay", data=int(op.param("du").reshape(-1)[0]) + 1)
            neuron.create_dataset("vDecay", data=int(op.param("dv").reshape(-1)[0]))
            neuron.create_dataset("vThMant", data=int(op.param("vth").reshape(-1)[0]))
            neuron.create_dataset("refDelay", data=1)
            neuron.create_dataset("gradedSpike", data=False)


def write(outdir: Path, text: str, graph: nir.GraphOp, report: dict[str, Any]) -> None:
    """Every artefact into the (new, empty) directory ``outdir``."""
    if report.get("netx", {}).get("written"):
        write_netx(outdir / "network.net", graph)
    np.savez(outdir / "weights.npz", **parameters(graph))
    (outdir / "lava_model.py").write_text(SCRIPT.read_text())
    (outdir / "model.mlir").write_text(text)
    (outdir / "report.json").write_text(json.dumps({"format": FORMAT, **report}, indent=1) + "\n")
