#!/usr/bin/env python3
"""The `xylo` kernels' speed beside rockpool's XyloSim on the same specification; prints
a markdown table, and checks in the same run that both compute the same thing.

A random quantized specification: 16 input channels, 256 hidden neurons with two
synapses each, recurrent weights ~10% dense, 8 readout neurons; 1,000 steps of random
input (each channel spikes with probability 0.1 a step).  Two of them:

* **typical** — weights, thresholds and shifts that keep the hidden neurons at a few
  spikes per hundred steps each, as a trained network is;
* **saturating** — larger weights and lower thresholds: the hidden neurons spike more
  than once a step on average and many synaptic states saturate within a step, the
  case where the kernels replay the spikes one by one (their slowest path).

Per specification and batch (1 and 64), best of ``--repeat``: XyloSim
(``XyloSim.from_specification`` of ``rockpool.devices.xylo.syns61201``, one sample after
another, as it runs one at a time), the kernels (``HiddenKernel.run`` then
``ReadoutKernel.run`` on the whole batch) and the whole module through ``nirc.run``.
Steps/s counts steps of the batch.  ``equal`` checks, for every sample, the readout
spikes, the hidden spikes and the hidden ``Vmem`` of the kernels against XyloSim's.

XyloSim runs on one core.  So that the comparison is one core against one core, the
BLAS library numpy calls is limited to one thread (``--blas-threads 0``: its default;
on a machine shared with other work, several BLAS threads may well be slower).

Usage::

    python benchmarks/bench_xylo_kernel.py            # about 2.5 minutes (XyloSim: 64 samples x 3)
    python benchmarks/bench_xylo_kernel.py --quick    # batch 8, 200 steps, one repeat

The goals: at least XyloSim's speed at batch 1, ten times it at batch 64.
"""

from __future__ import annotations

import argparse
import os
import sys


def _blas_threads(argv: list[str]) -> int:
    """``--blas-threads N`` from the command line, before numpy is imported."""
    for i, arg in enumerate(argv):
        if arg == "--blas-threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if arg.startswith("--blas-threads="):
            return int(arg.split("=", 1)[1])
    return 1


if __name__ == "__main__" and (_threads := _blas_threads(sys.argv[1:])) > 0:
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(_threads)

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests" / "targets" / "xylo"))
from bench_io import best_of, table, versions  # noqa: E402
from bench_passes import machine  # noqa: E402

CHANNELS, HIDDEN, READOUT, SYNAPSES = 16, 256, 8, 2
#: per specification: weight spreads (input, recurrent, readout), threshold range,
#: weight shifts (input, recurrent, readout)
SPECS = {
    "typical": ((40, 10, 40), (4000, 12000), (4, 3, 3)),
    "saturating": ((40, 25, 40), (2000, 6000), (4, 3, 3)),
}


def build(kind: str, seed: int = 0) -> tuple[Any, Any, Any]:
    """The module ``in -> xylo.hidden -> xylo.readout -> out`` (hidden spikes to ``hid``
    too) of a random specification; the module and the two ops."""
    from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64

    from nirc.core.rewriting import build as build_op
    from nirc.core.verify import verify_module
    from nirc.dialects import nir
    from nirc.targets.xylo.dialect import HiddenOp, ReadoutOp

    (sd_in, sd_rec, sd_out), (th_lo, th_hi), shifts = SPECS[kind]
    rng = np.random.default_rng(seed)
    n, c, m, s = HIDDEN, CHANNELS, READOUT, SYNAPSES

    def weights(sd: float, shape: tuple[int, ...], density: float = 1.0) -> np.ndarray:
        w = np.clip(np.round(rng.normal(0, sd, shape)), -128, 127)
        return (w * (rng.random(shape) < density)).astype(np.int8)

    x = build_op(nir.InputOp, "in", [], {"shape": np.array([c])}, (c,))
    hidden = build_op(
        HiddenOp,
        "hidden",
        [x.results[0]],
        {
            "w_in": weights(sd_in, (n, c, s)),
            "w_rec": weights(sd_rec, (n, n, s), 0.1),
            "threshold": rng.integers(th_lo, th_hi, n).astype(np.int16),
            "bias": rng.integers(-20, 20, n).astype(np.int16),
            "dash_mem": rng.integers(2, 6, n),
            "dash_syn": rng.integers(1, 4, (n, s)),
            "weight_shift_in": IntegerAttr(shifts[0], i64),
            "weight_shift_rec": IntegerAttr(shifts[1], i64),
        },
        (n,),
    )
    readout = build_op(
        ReadoutOp,
        "readout",
        [hidden.results[0]],
        {
            "w_out": weights(sd_out, (m, n)),
            "threshold": rng.integers(th_lo, th_hi, m).astype(np.int16),
            "bias": np.zeros(m, np.int16),
            "dash_mem": np.full(m, 4),
            "dash_syn": np.full(m, 3),
            "weight_shift_out": IntegerAttr(shifts[2], i64),
        },
        (m,),
    )
    out = build_op(nir.OutputOp, "out", [readout.results[0]], {"shape": np.array([m])}, None)
    hid = build_op(nir.OutputOp, "hid", [hidden.results[0]], {"shape": np.array([n])}, None)
    module = ModuleOp([nir.GraphOp([x, hidden, readout, out, hid])])
    verify_module(module)
    return module, hidden, readout


def measure(kind: str, batches: list[int], steps: int, repeat: int) -> list[list[Any]]:
    import xylosim_oracle as oracle

    import nirc
    from nirc.core.semantics import Semantics
    from nirc.targets.xylo.kernels import HiddenKernel, ReadoutKernel

    missing = oracle.xylosim_available()
    module, hidden, readout = build(kind)
    spec = oracle.spec_from_ops(hidden, readout, 1e-3)
    sim = oracle.build_xylosim(spec, "audio2") if missing is None else None
    sem = Semantics()
    rng = np.random.default_rng(1)
    rows = []
    for batch in batches:
        x = (rng.random((steps, batch, CHANNELS)) < 0.1).astype(np.float64)

        def kernels(x: np.ndarray = x, batch: int = batch) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
            hk, rk = HiddenKernel(hidden, sem), ReadoutKernel(readout, sem)
            hk.reset(batch)
            rk.reset(batch)
            hk.records = {"v": [], "i": []}
            h = hk.run(x)
            return rk.run(h), h, hk.records["v"]

        t_kernels, (y, h, v) = best_of(repeat, kernels)
        t_run, result = best_of(repeat, lambda x=x: nirc.run(module, np.swapaxes(x, 0, 1)))
        assert np.array_equal(np.swapaxes(result.outputs["out"], 0, 1), y), "nirc.run differs from the kernels"
        rate = float(h.mean())
        if sim is None:
            rows.append([kind, batch, rate, None, steps / t_kernels, steps / t_run, None, missing])
            continue

        def xylosim(x: np.ndarray = x) -> list[dict[str, np.ndarray]]:
            return [oracle.run_xylosim(spec, x[:, b].astype(np.int64), "audio2", sim) for b in range(x.shape[1])]

        t_sim, theirs = best_of(repeat, xylosim)
        vmem = np.stack(v)
        equal = all(
            np.array_equal(y[:, b], r["output"])
            and np.array_equal(h[:, b], r["spikes"])
            and np.array_equal(vmem[:, b], r["vmem"])
            for b, r in enumerate(theirs)
        )
        rows.append(
            [
                kind,
                batch,
                rate,
                steps / t_sim,
                steps / t_kernels,
                steps / t_run,
                t_sim / t_kernels,
                "yes" if equal else "**NO**",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="batch 1 and 8, 200 steps, one repeat: a smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="best of N (3; 1 with --quick)")
    parser.add_argument("--steps", type=int, default=None, help="time steps (1000; 200 with --quick)")
    parser.add_argument("--only", choices=sorted(SPECS), action="append", help="one specification (repeatable)")
    parser.add_argument(
        "--blas-threads", type=int, default=1, help="BLAS threads (default 1, as XyloSim's one core; 0: BLAS's default)"
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    steps = args.steps or (200 if args.quick else 1000)
    batches = [1, 8] if args.quick else [1, 64]
    print("# `xylo` kernels beside XyloSim\n")
    print(versions())
    print(machine())
    threads = "its default" if args.blas_threads <= 0 else str(args.blas_threads)
    print(
        f"\n{CHANNELS} inputs, {HIDDEN} hidden x {SYNAPSES} synapses (recurrent 10% dense), {READOUT} readouts; "
        f"{steps} steps, input spike probability 0.1; BLAS threads: {threads}; best of {repeat}.\n"
    )
    rows: list[list[Any]] = []
    for kind in args.only or list(SPECS):
        rows += measure(kind, batches, steps, repeat)
    headers = [
        "specification",
        "batch",
        "hidden spikes/neuron/step",
        "XyloSim steps/s",
        "kernels steps/s",
        "`nirc.run` steps/s",
        "kernels / XyloSim",
        "equal",
    ]
    print(table(headers, rows))
    print("\nGoals: kernels / XyloSim >= 1 at batch 1 and >= 10 at batch 64 (the typical specification).")
    return 0 if all(r[-1] != "**NO**" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
