"""A network of Lava processes for Intel Loihi 2, written by nirc (``nir-translate --target=loihi2``).

Each layer is a ``Dense`` or ``Conv`` synapse feeding a ``LIF`` population (and a recurrent
``Dense`` from the population back to itself where the layer has one), with the fixed-point
parameters in ``weights.npz`` beside this file; a ``RingBuffer`` plays the input spikes
and a ``Sink`` records each output.  It runs in Lava's bit-accurate CPU simulation
(``Loihi2SimCfg(select_tag="fixed_pt")``); on a Loihi 2 system, use ``Loihi2HwCfg``.

    python lava_model.py --input x.npy -o y.npz           # Lava processes
    python lava_model.py --input x.npy -o y.npz --netx    # network.net through lava-dl's netx

``x`` is ``(time, *shape)`` or ``(batch, time, *shape)`` (an image input is ``(C, H, W)``,
as nirc and PyTorch order it; a ``.npz`` keyed by the input's name works too); ``y.npz``
holds each output's spikes in the same layout, keyed by the output's name: what
``nir-run model.mlir`` predicts, step for step.  Lava orders images (x, y, channel):
the script turns arrays into that order and back.
"""

from __future__ import annotations

import argparse
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def load(path: Path = HERE / "weights.npz") -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def whc(chw: np.ndarray) -> np.ndarray:
    """An array in nirc's (C, H, W) order (a last axis of time allowed) in Lava's (x, y, channel)."""
    return np.swapaxes(chw, 0, 2)


def lava_conv_weight(w: np.ndarray) -> np.ndarray:
    """PyTorch's (out, in, kH, kW) cross-correlation kernel as Lava's Conv weight: (out, kx,
    ky, in), flipped in space (Lava's Conv convolves), as netx turns it."""
    return w[:, :, ::-1, ::-1].transpose(0, 3, 2, 1)


def source_data(x: np.ndarray) -> np.ndarray:
    """One sample ``(time, *shape)`` as a RingBuffer plays it: ``(n, time)``, a (C, H, W)
    input in Lava's (x, y, channel) order, flattened."""
    steps = x.shape[0]
    if x.ndim == 4:
        x = np.transpose(x, (3, 2, 1, 0))  # (W, H, C, time)
    else:
        x = x.T
    return x.reshape(-1, steps).astype(float)


def lava_shape(shape: np.ndarray) -> tuple[int, ...]:
    return tuple(int(d) for d in shape[::-1])


def output_spikes(data: np.ndarray) -> np.ndarray:
    """A Sink's ``(*lava_shape, time)`` record as ``(time, *shape)`` in nirc's order."""
    return np.transpose(data, tuple(range(data.ndim))[::-1]).copy()


def build(p: dict[str, np.ndarray], steps: int, x: np.ndarray):
    """The processes for one sample ``x`` (``(time, *shape)``): the source, the layers'
    LIF processes, and a sink per output."""
    from lava.proc.conv.process import Conv
    from lava.proc.dense.process import Dense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer
    from lava.proc.lif.process import LIF

    source = RingBuffer(data=source_data(x))
    input_shape = lava_shape(p["input_shape"])
    source_port = source.s_out.reshape(input_shape) if len(input_shape) > 1 else source.s_out
    lifs = []
    for i, reads in enumerate(p["reads"]):
        q = {k.split(".", 1)[1]: v for k, v in p.items() if k.startswith(f"L{i}.")}
        shape = lava_shape(q["shape"])
        spikes = source_port if reads < 0 else lifs[reads].s_out
        if bool(q["flatten"]):  # nirc's (C, H, W) flatten of Lava's (x, y, channel) spikes
            spikes = spikes.transpose([2, 1, 0]).flatten()
        if str(q["kind"]) == "conv":
            synapse = Conv(
                weight=lava_conv_weight(q["weight"]),
                input_shape=tuple(spikes.shape),
                stride=tuple(q["stride"][::-1]),
                padding=tuple(q["padding"][::-1]),
                dilation=tuple(q["dilation"][::-1]),
                groups=int(q["groups"]),
            )
            bias = whc(q["bias_mant"].reshape(q["shape"]))
        else:
            synapse = Dense(
                weights=q["weight"], weight_exp=int(q["weight_exp"]), num_weight_bits=int(q["num_weight_bits"])
            )
            bias = q["bias_mant"]
        lif = LIF(
            shape=shape,
            du=int(q["du"]),
            dv=int(q["dv"]),
            vth=int(q["vth"]),
            bias_mant=bias,
            bias_exp=int(q["bias_exp"]),
        )
        spikes.connect(synapse.s_in)
        synapse.a_out.connect(lif.a_in)
        if "weight_rec" in q:
            rec = Dense(
                weights=q["weight_rec"],
                weight_exp=int(q["weight_exp_rec"]),
                num_weight_bits=int(q["num_weight_bits_rec"]),
            )
            lif.s_out.connect(rec.s_in)
            rec.a_out.connect(lif.a_in)
        lifs.append(lif)
    sinks = []
    for layer in p["output_layers"]:
        sink = Sink(shape=lifs[layer].s_out.shape, buffer=steps)
        lifs[layer].s_out.connect(sink.a_in)
        sinks.append(sink)
    return source, lifs, sinks


def run_processes(p: dict[str, np.ndarray], x: np.ndarray) -> list[np.ndarray]:
    """The outputs' spikes ``(time, *shape)`` for one sample."""
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg

    steps = x.shape[0]
    _, lifs, sinks = build(p, steps, x)
    try:
        lifs[0].run(condition=RunSteps(num_steps=steps), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
        return [output_spikes(sink.data.get()) for sink in sinks]
    finally:
        lifs[0].stop()


def run_netx(x: np.ndarray) -> list[np.ndarray]:
    """The output spikes ``(time, *shape)`` of ``network.net`` (netx) for one sample."""
    # lava-dl's slayer imports its object-detection module, which needs torchvision: an
    # empty stand-in (netx does not use it)
    name = "lava.lib.dl.slayer.object_detection"
    sys.modules.setdefault(name, types.ModuleType(name))
    from lava.lib.dl import netx
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer

    steps = x.shape[0]
    net = netx.hdf5.Network(net_config=str(HERE / "network.net"))
    if len(net.inp.shape) == 1:  # a first Dense reads the input flattened, in nirc's order
        x = x.reshape(steps, -1)
    source = RingBuffer(data=source_data(x))
    sink = Sink(shape=net.out.shape, buffer=steps)
    source.s_out.reshape(net.inp.shape).connect(net.inp)
    net.out.connect(sink.a_in)
    try:
        net.run(condition=RunSteps(num_steps=steps), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
        return [output_spikes(sink.data.get())]
    finally:
        net.stop()


def save_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez`` under any key (an output may be named ``file``, which savez's own
    argument would take)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w") as f:
                np.lib.format.write_array(f, np.asanyarray(value), allow_pickle=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="spikes: .npy (time, *shape) or (batch, time, *shape)")
    parser.add_argument("-o", "--output", required=True, help="the outputs' spikes, .npz keyed by output name")
    parser.add_argument("--netx", action="store_true", help="run network.net through lava-dl's netx")
    args = parser.parse_args(argv)
    p = load()
    x = np.load(args.input, allow_pickle=False)
    if isinstance(x, np.lib.npyio.NpzFile):
        x = x[str(p["input_name"])]
    shape = tuple(int(d) for d in p["input_shape"])
    batched = x.ndim == len(shape) + 2
    samples = x if batched else x[None]
    if samples.ndim != len(shape) + 2 or samples.shape[2:] != shape:
        sys.exit(f"lava_model.py: the input must be (time, {', '.join(map(str, shape))}) or (batch, time, ...)")
    results = [run_netx(s) if args.netx else run_processes(p, s) for s in samples]
    names = [str(n) for n in p["output_names"]]
    out = {}
    for k, name in enumerate(names):
        y = np.stack([r[k] for r in results]).astype(np.float32)
        out[name] = y if batched else y[0]
    save_npz(args.output, out)


if __name__ == "__main__":
    main()
