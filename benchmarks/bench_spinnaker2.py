#!/usr/bin/env python3
"""SpiNNaker2 placement benchmark: large networks sliced onto PEs and spread over chips.

For each generated network (convolutional networks of about 100k and 1M LIF neurons,
and 100k neurons in columns listed layer by layer), prints:

* the time to lower it to placed-ready `spinnaker2` populations (canonicalize ...
  quantize, convert-snn-to-spinnaker2) and the time of ``spinnaker2-place`` itself
  (slicing, the traffic between slices, greedy graph growing onto chips);
* PEs and chips used, and the spike packets per step (every neuron spiking once) that
  cross between chips with nirc's greedy placement beside the peer, a naive in-order
  placement (slices in the graph's order, chip after chip), measured in the same run.

Asserts nothing about time.  Usage::

    python benchmarks/bench_spinnaker2.py            # about 2 minutes
    python benchmarks/bench_spinnaker2.py --quick    # the 100k networks only
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

import numpy as np


def lif(shape: tuple[int, ...]) -> dict:
    return {
        "type": "LIF",
        "tau": np.full(shape, 1e-3, np.float32),
        "r": np.full(shape, 10.0, np.float32),
        "v_leak": np.zeros(shape, np.float32),
        "v_threshold": np.ones(shape, np.float32),
        "v_reset": np.zeros(shape, np.float32),
    }


def cnn(size: int) -> dict:
    """Input (2, S, S) -> 3 x [Conv 3x3 -> LIF (16, S, S)] -> Conv stride 2 -> LIF (32, S/2,
    S/2) -> Conv -> LIF (32, S/2, S/2): about 64 S^2 neurons."""
    rng = np.random.default_rng(0)
    nodes: dict[str, Any] = {"in": {"type": "Input", "shape": np.array([2, size, size])}}
    edges = []
    prev, c, s = "in", 2, size
    for i, (out, stride) in enumerate([(16, 1), (16, 1), (16, 1), (32, 2), (32, 1)]):
        nodes[f"c{i}"] = {
            "type": "Conv2d",
            "weight": rng.normal(0, 1, (out, c, 3, 3)).astype(np.float32),
            "bias": np.zeros(out, np.float32),
            "stride": np.array([stride, stride]),
            "padding": np.array([1, 1]),
            "dilation": np.array([1, 1]),
            "groups": np.array(1),
        }
        s = (s + 2 - 3) // stride + 1
        nodes[f"n{i}"] = lif((out, s, s))
        edges += [(prev, f"c{i}"), (f"c{i}", f"n{i}")]
        prev, c = f"n{i}", out
    nodes["out"] = {"type": "Output", "shape": np.array([c, s, s])}
    edges.append((prev, "out"))
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


def columns(k: int, n: int, layers: int = 3) -> dict:
    """``k`` columns (two input channels -> ``layers`` LIF populations of ``n``), listed
    layer by layer: every column's first population, then every second, ..."""
    rng = np.random.default_rng(0)
    nodes: dict[str, Any] = {"in": {"type": "Input", "shape": np.array([2 * k])}}
    edges = []
    for layer in range(layers):
        for col in range(k):
            if layer == 0:
                w = np.zeros((n, 2 * k), np.float32)
                w[:, 2 * col : 2 * col + 2] = rng.uniform(0.1, 1.0, (n, 2))
                src = "in"
            else:
                w = rng.uniform(0.1, 1.0, (n, n)).astype(np.float32)
                src = f"p{layer - 1}_{col}"
            nodes[f"w{layer}_{col}"] = {"type": "Linear", "weight": w}
            nodes[f"p{layer}_{col}"] = lif((n,))
            edges += [(src, f"w{layer}_{col}"), (f"w{layer}_{col}", f"p{layer}_{col}")]
    for col in range(k):
        nodes[f"o{col}"] = {"type": "Output", "shape": np.array([n])}
        edges.append((f"p{layers - 1}_{col}", f"o{col}"))
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from xdsl.context import Context

    import nirc
    from nirc.targets.spinnaker2.dialect import PopulationOp
    from nirc.targets.spinnaker2.nir_to_spinnaker2 import NirToSpiNNaker2Pass
    from nirc.targets.spinnaker2.place import place

    cases = [
        ("CNN, 5 conv layers (2x40x40 in)", lambda: cnn(40)),
        ("columns: 333 x 3 x 100", lambda: columns(333, 100)),
    ]
    if not args.quick:
        cases.append(("CNN, 5 conv layers (2x128x128 in)", lambda: cnn(128)))
    print(
        "| network | neurons | lower (s) | place (s) | PEs | chips | inter-chip packets: nirc | in order (peer) | less |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, make in cases:
        m = nirc.module_from_dict(make())
        steps = NirToSpiNNaker2Pass(dt=1e-4).steps()
        t0 = time.perf_counter()
        for step in steps[:-1]:
            step.apply(Context(), m)
        t1 = time.perf_counter()
        summary = place(m)
        t2 = time.perf_counter()
        neurons = sum(op.size for op in m.body.block.ops.first.body.block.ops if isinstance(op, PopulationOp))  # type: ignore[union-attr]
        t = summary["traffic"]
        ours, naive = t["inter_chip_packets"], t["inter_chip_packets_in_order"]
        less = f"{naive / ours:.1f}x" if ours else "all"
        print(
            f"| {name} | {neurons:,} | {t1 - t0:.1f} | {t2 - t1:.1f} | {summary['pes']:,} | {summary['chips']} | "
            f"{ours:,} | {naive:,} | {less} |"
        )


if __name__ == "__main__":
    main()
