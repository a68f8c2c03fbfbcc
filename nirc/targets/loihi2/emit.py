"""Write a compiled `loihi2` module as what Lava and lava-dl consume.

* ``network.net`` — a lava-dl netx HDF5 network (``chips.md`` B.2), written when the
  layers form a chain: layer ``0`` is the ``input`` (its shape), then one ``dense`` (or
  ``dense_rec``) or ``conv`` per layer (a ``flatten`` before a Dense that reads one) with
  the integer weights Lava's synapse adds (netx shifts a Dense's itself, to the
  ``weight_exp`` / ``num_weight_bits`` the ``loihi2`` module holds), the bias mantissas,
  and a ``CUBA`` neuron (``iDecay = du + 1``, ``vDecay = dv``, ``vThMant = vth``).
  ``lava.lib.dl.netx.hdf5.Network`` loads it;
* ``weights.npz`` — every layer's kind, synapse and LIF parameters exactly as Lava's
  processes take them (a conv's weights and shapes in nirc's (C, H, W) order: the script
  turns them into Lava's (x, y, channel)), the layers' wiring (``reads``: the layer each
  reads, -1 the input; ``flatten``: through a Flatten) and the outputs (``output_names``
  / ``output_layers``); names are data, never code;
* ``lava_model.py`` — a readable script that builds Lava processes (``RingBuffer`` ->
  ``Dense`` or ``Conv`` -> ``LIF``, a recurrent ``Dense`` where a layer has one, a
  ``Sink`` per output) from ``weights.npz`` and runs them in Lava's bit-accurate fixed
  point: ``python lava_model.py --input x.npy -o y.npz`` (inputs as ``nir-run`` takes
  them, outputs keyed and shaped as ``nir-run`` writes them); ``--netx`` runs
  ``network.net`` through netx instead;
* ``model.mlir`` and ``report.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np
from xdsl.ir import SSAValue

from nirc.core.node import shape_of
from nirc.dialects import nir
from nirc.targets.loihi2.dialect import ConvOp, LayerOp
from nirc.targets.loihi2.quantize import file_weights

FORMAT = "nirc-loihi2/1"
SCRIPT = Path(__file__).with_name("lava_model_template.py")


def layers_of(graph: nir.GraphOp) -> tuple[nir.InputOp, list[LayerOp], list[nir.OutputOp]]:
    ops = list(graph.body.block.ops)
    inp = next(op for op in ops if isinstance(op, nir.InputOp))
    return inp, [op for op in ops if isinstance(op, LayerOp)], [op for op in ops if isinstance(op, nir.OutputOp)]


def _source(op: LayerOp) -> tuple[SSAValue, bool]:
    """What the layer's synapse reads (a layer's spikes or the input) and whether through a
    Flatten."""
    value = op.operands[0]
    if isinstance(value.owner, nir.FlattenOp):
        return value.owner.operands[0], True
    return value, False


def parameters(graph: nir.GraphOp) -> dict[str, np.ndarray]:
    """``weights.npz``: per layer ``i`` its kind, Lava parameters (``L{i}.weight`` ...)
    and output shape, the wiring and the outputs."""
    inp, layers, outputs = layers_of(graph)
    index = {op.results[0]: i for i, op in enumerate(layers)}
    sources = [_source(op) for op in layers]
    out: dict[str, np.ndarray] = {
        "layer_names": np.array([op.nir_name for op in layers]),
        "reads": np.array([index.get(value, -1) for value, _ in sources], np.int64),
        "input_name": np.array(inp.nir_name),
        "input_shape": np.asarray(inp.param("shape"), np.int64).reshape(-1),
        "output_names": np.array([op.nir_name for op in outputs]),
        "output_layers": np.array([index[op.operands[0]] for op in outputs], np.int64),
    }
    for i, (op, (_, flat)) in enumerate(zip(layers, sources, strict=True)):
        p = f"L{i}."
        out[p + "kind"] = np.array("conv" if isinstance(op, ConvOp) else "dense")
        out[p + "shape"] = np.array(shape_of(op.results[0]), np.int64)
        out[p + "flatten"] = np.array(flat)
        out[p + "weight"] = np.asarray(op.param("weight"), np.int64)
        if isinstance(op, ConvOp):
            for key in ("stride", "padding", "dilation"):
                out[p + key] = np.asarray(op.param(key), np.int64)
            out[p + "groups"] = np.array(op.integer("groups"))
        else:
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


def _type(g: h5py.Group, kind: bytes) -> None:
    g.create_dataset("type", (1,), "S10", [kind])


def write_netx(path: Path, graph: nir.GraphOp) -> None:
    """The netx HDF5 network of a chain of fixed-point layers: shapes and conv geometry
    in netx's (C, H, W) / (y, x) order (netx reverses them), a conv's weights as
    PyTorch's (netx flips them for Lava's Conv), a ``flatten`` layer before a Dense that
    reads one."""
    inp, layers, _ = layers_of(graph)
    with h5py.File(path, "w") as f:
        root = f.create_group("layer")
        g = root.create_group("0")
        _type(g, b"input")
        g.create_dataset("shape", data=np.asarray(inp.param("shape"), np.int64).reshape(-1))
        i = 1
        for op in layers:
            if _source(op)[1]:
                _type(root.create_group(str(i)), b"flatten")
                i += 1
            g = root.create_group(str(i))
            i += 1
            shape = shape_of(op.results[0])
            g.create_dataset("shape", data=np.array(shape, np.int64))
            g.create_dataset("weight", data=file_weights(op))
            bias = np.asarray(op.param("bias_mant"), np.int64)
            if isinstance(op, ConvOp):
                _type(g, b"conv")
                for key in ("stride", "padding", "dilation"):
                    g.create_dataset(key, data=np.asarray(op.param(key), np.int64))
                g.create_dataset("groups", data=op.integer("groups"))
                # netx takes a neuron-wise bias in Lava's (x, y, channel) order
                bias = bias.reshape(shape).transpose(2, 1, 0)
            else:
                rec = op.opt_param("weight_rec") is not None
                _type(g, b"dense_rec" if rec else b"dense")
                if rec:
                    g.create_dataset("weight_rec", data=file_weights(op, "weight_rec"))
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
