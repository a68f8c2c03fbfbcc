"""A SpiNNaker2 network in py-spinnaker2, written by nirc (``nir-translate --target=spinnaker2``).

The populations and projections are built from ``weights.npz`` beside this file, with
the quantized weights (±127 integers), the neuron parameters (float32, as the chip
computes them) and each population's ``set_max_atoms_per_core`` from nirc's placement:

    python model.py --input x.npy -o y.npz [--eth-ip 192.168.1.25] [--sys-tick 1e-3]

``x`` is ``(time, *shape)`` or ``(batch, time, *shape)`` spikes (an image ``(C, H, W)``,
flattened in that order for the ``spike_list``; a ``.npz`` keyed by the input's name
works too); ``y.npz`` holds each output's spikes in the same layout, keyed by the
output's name: what ``nir-run model.mlir`` predicts.  Each sample is one run of the
network on the chip.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def load(path: Path = HERE / "weights.npz") -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def part(p: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k.split(".", 1)[1]: v for k, v in p.items() if k.startswith(prefix + ".")}


def spike_times(x: np.ndarray) -> dict[int, list[int]]:
    """``(time, n)`` spikes as a ``spike_list``'s ``{neuron: [timesteps]}``."""
    t, i = np.nonzero(x)
    order = np.argsort(i, kind="stable")
    times: dict[int, list[int]] = {int(n): [] for n in range(x.shape[1])}
    for n, step in zip(i[order].tolist(), t[order].tolist(), strict=True):
        times[n].append(step)
    return times


def build(p: dict[str, np.ndarray], x: np.ndarray):
    """The network for one sample ``x`` (``(time, n_in)``): the network and its populations."""
    from spinnaker2 import helpers, snn

    stim = snn.Population(size=x.shape[1], neuron_model="spike_list", params=spike_times(x), name=str(p["input_name"]))
    pops = []
    for i, name in enumerate(p["population_names"]):
        q = part(p, f"P{i}")
        model = str(q["neuron_model"])
        params = {
            "threshold": q["threshold"],
            "alpha_decay": q["alpha_decay"],
            "i_offset": q["i_offset"],
            "v_reset": q["v_reset"],
            "reset": str(q["reset"]),
        }
        if model == "lif_curr_exp_no_delay":
            params.update(exc_decay=q["exc_decay"], inh_decay=q["inh_decay"], t_refrac=0)
        pop = snn.Population(size=int(q["size"]), neuron_model=model, params=params, name=str(name), record=["spikes"])
        pop.set_max_atoms_per_core(int(q["max_atoms_per_core"]))
        pops.append(pop)
    projections = []
    for k in range(int(p["projection_count"])):
        q = part(p, f"J{k}")
        pre = stim if int(q["pre"]) < 0 else pops[int(q["pre"])]
        post = pops[int(q["post"])]
        if str(q["kind"]) == "conv2d":
            (sh, sw), (top, bottom, left, right) = q["stride"].tolist(), q["padding"].tolist()
            conv_params = {
                "in_height": int(q["in_shape"][1]),
                "in_width": int(q["in_shape"][2]),
                "stride_x": sh,
                "stride_y": sw,
                "pool_x": 1,
                "pool_y": 1,
                "pad_top": top,
                "pad_bottom": bottom,
                "pad_left": left,
                "pad_right": right,
            }
            # py-spinnaker2 takes the kernel (in, out, kH, kW)
            weights = q["weight"].swapaxes(0, 1).astype(np.int8)
            projections.append(snn.Conv2DProjection(pre, post, weights, conv_params))
        else:
            conns = helpers.connection_list_from_dense_weights(q["weight"].T, delay=0)
            projections.append(snn.Projection(pre=pre, post=post, connections=conns))
    for i, pop in enumerate(pops):
        q = part(p, f"P{i}")
        if "weight_rec" in q:  # the population's recurrent projection
            conns = helpers.connection_list_from_dense_weights(q["weight_rec"].T, delay=0)
            projections.append(snn.Projection(pre=pop, post=pop, connections=conns))
    net = snn.Network("nirc")
    net.add(stim, *pops, *projections)
    return net, pops


def run(p: dict[str, np.ndarray], x: np.ndarray, eth_ip: str, sys_tick: float) -> list[np.ndarray]:
    """The outputs' spikes ``(time, *shape)`` for one sample ``(time, n_in)``."""
    from spinnaker2 import hardware

    steps = x.shape[0]
    net, pops = build(p, x)
    hw = hardware.SpiNNaker2Chip(eth_ip=eth_ip)
    hw.run(net, steps, sys_tick_in_s=sys_tick)
    out = []
    for i in p["output_populations"]:
        pop, shape = pops[int(i)], tuple(int(d) for d in p[f"P{int(i)}.shape"])
        y = np.zeros((steps, pop.size), np.float32)
        for neuron, times in pop.get_spikes().items():
            y[np.asarray(times, np.int64), int(neuron)] = 1.0
        out.append(y.reshape(steps, *shape))
    net.reset()
    return out


def save_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez`` under any key (an output may be named ``file``)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w") as f:
                np.lib.format.write_array(f, np.asanyarray(value), allow_pickle=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="spikes: .npy (time, *shape) or (batch, time, *shape)")
    parser.add_argument("-o", "--output", required=True, help="the outputs' spikes, .npz keyed by output name")
    parser.add_argument("--eth-ip", default="192.168.1.25", help="the SpiNNaker2 board's address")
    parser.add_argument("--sys-tick", type=float, default=1e-3, help="seconds per time step on the chip")
    args = parser.parse_args(argv)
    p = load()
    if int(p["chips"]) > 1:
        sys.exit(
            f"model.py: the placement needs {int(p['chips'])} chips; this script drives one SpiNNaker2 chip "
            "(see report.json for the multi-chip placement)"
        )
    x = np.load(args.input, allow_pickle=False)
    if isinstance(x, np.lib.npyio.NpzFile):
        x = x[str(p["input_name"])]
    shape = tuple(int(d) for d in p["input_shape"])
    batched = x.ndim == len(shape) + 2
    samples = x if batched else x[None]
    if samples.ndim != len(shape) + 2 or samples.shape[2:] != shape:
        sys.exit(f"model.py: the input must be (time, {', '.join(map(str, shape))}) or (batch, time, ...)")
    results = [run(p, s.reshape(s.shape[0], -1) != 0, args.eth_ip, args.sys_tick) for s in samples]
    out = {}
    for k, name in enumerate(str(n) for n in p["output_names"]):
        y = np.stack([r[k] for r in results])
        out[name] = y if batched else y[0]
    save_npz(args.output, out)


if __name__ == "__main__":
    main()
