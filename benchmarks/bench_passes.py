#!/usr/bin/env python3
"""Pass benchmarks for nirc: the cost per node of each pass of ``nir-to-snn``; prints
markdown tables, asserts nothing about time.

A synthetic `nir` graph of about 1,000 and 10,000 small nodes (10 chains of
Affine -> LIF/CubaLIF layers, 8 wide, with recurrences that fuse, Scales that fold,
identity Flattens and Scales, Affine pairs that merge, dead branches and fan-in; see
:func:`graph_dict`) is built as a node dict and imported with
:func:`nirc.io.from_dict.module_from_dict`.  Then each step of the named pipeline
(``canonicalize`` ; ``convert-nir-to-snn{dt=1e-4}`` ; ``snn-fuse-recurrent``) is timed
on its own, each followed by a timed ``verify_module`` as ``nir-to-snn`` does, and
``lower-composites`` (not in the pipeline) on a fresh import of the same graph.  A pass
that is linear in the graph size costs the same per node at both sizes: the table gives
the ratio of the milliseconds per node at the largest size to those at the smallest,
with the cyclic garbage collector on (as a user runs it; the table counts the full
collections inside each step) and, in a second run, off (what the code itself costs).

Usage::

    python benchmarks/bench_passes.py                     # 1,000 and 10,000 nodes (about 90 s)
    python benchmarks/bench_passes.py --quick             # 200 and 1,000 nodes, one repeat: a smoke run
    python benchmarks/bench_passes.py --sizes 1000 30000  # other sizes (the smallest is the baseline)
    python benchmarks/bench_passes.py --profile lower-composites   # plus a cProfile of a step at both sizes

Other options: ``--repeat N`` (best of N, default 3), ``--no-gc-off`` (skip the run with
the collector off), ``--profile-top N``.  Targets from the issue, printed, not asserted:
the whole pipeline under 10 s at 10,000 nodes, and ms/node at 10,000 within 1.3x of that
at 1,000.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_io import table, versions  # noqa: E402  (the house table and version line)

# Targets from the issue (informational: nothing is asserted).
PIPELINE_TARGET_S = 10.0  # the whole pipeline at 10,000 nodes
RATIO_TARGET = 1.3  # ms/node at 10,000 within 1.3x of ms/node at 1,000
DT = 1e-4

#: The pipeline's steps in order, then the composite lowering timed on its own.
PIPELINE = ("canonicalize", "convert-nir-to-snn{dt=1e-4}", "snn-fuse-recurrent")
STEPS = (
    "import (module_from_dict)",
    *(s for p in PIPELINE for s in (p, f"  verify after {p.split('{')[0]}")),
    "lower-composites",
    "  verify after lower-composites",
)
TOTAL = "nir-to-snn: the 3 passes + 3 verifies"


# ============================================================================ the graph


#: Nodes in one round of the six layer kinds of a chain (see :func:`graph_dict`).
ROUND = 20


def graph_dict(n_nodes: int, chains: int | None = None, width: int = 8, seed: int = 0) -> dict[str, Any]:
    """The node dict of a graph of about ``n_nodes`` nodes (a multiple of ``20 * chains``, + 3).

    Input(width) feeds ``chains`` chains of layers (10 chains; one per 100 nodes below
    1,000); the chains' last neurons meet (fan-in) in one Affine that feeds the Output.
    Each chain repeats this round of six layers (20 nodes), so the mix is the same at
    every size:

    0. Affine -> LIF
    1. Affine -> CubaLIF, plus a skip edge from two layers back (fan-in)
    2. Affine -> LIF with a recurrent Linear (LIF -> Linear -> LIF: fuses)
    3. Affine (zero bias: becomes a Linear) -> Scale(0.5) (folds into it) -> LIF
    4. Flatten (keeps the shape: dropped) -> Affine -> Scale(1) (dropped) -> CubaLIF
       with a recurrent Affine (fuses), plus a dead branch Linear -> LIF off it
    5. Affine -> Affine (merged into one) -> LIF, plus a skip edge from three layers back

    Of every 20 nodes, ``canonicalize`` removes 6 and ``snn-fuse-recurrent`` 2 recurrent
    weights (and their delays).  Widths are ``width`` throughout; weights random."""
    if chains is None:
        chains = max(1, min(10, n_nodes // 100))
    rounds = max(1, round((n_nodes - 3) / (ROUND * chains)))
    rng = np.random.default_rng(seed)
    ones, zeros = np.ones(width, np.float32), np.zeros(width, np.float32)

    def weight() -> np.ndarray:
        return (rng.standard_normal((width, width)) / np.sqrt(width)).astype(np.float32)

    def affine(bias: bool = True) -> dict[str, Any]:
        b = (0.1 * rng.standard_normal(width)).astype(np.float32) if bias else zeros.copy()
        return {"type": "Affine", "weight": weight(), "bias": b}

    def linear() -> dict[str, Any]:
        return {"type": "Linear", "weight": weight()}

    def lif() -> dict[str, Any]:
        return {"type": "LIF", "tau": np.full(width, 0.02, np.float32), "r": ones.copy(), "v_leak": zeros.copy(),
                "v_threshold": ones.copy(), "v_reset": zeros.copy()}  # fmt: skip

    def cubalif() -> dict[str, Any]:
        return {"type": "CubaLIF", "tau_syn": np.full(width, 0.005, np.float32), "tau_mem": np.full(width, 0.02, np.float32),
                "r": ones.copy(), "v_leak": zeros.copy(), "v_threshold": ones.copy(), "v_reset": zeros.copy(),
                "w_in": ones.copy()}  # fmt: skip

    shape = np.array([width], np.int64)
    nodes: dict[str, Any] = {"input": {"type": "Input", "shape": shape}, "output": {"type": "Output", "shape": shape}}
    edges: list[tuple[str, str]] = []
    ends: list[str] = []
    for c in range(chains):
        prev, outs = "input", []

        def add(name: str, node: dict[str, Any], *sources: str, c: int = c) -> str:
            full = f"c{c}_{name}"
            nodes[full] = node
            edges.extend((s, full) for s in sources)
            return full

        for k in range(6 * rounds):
            kind, tag = k % 6, f"l{k}"
            if kind == 0:
                a = add(f"{tag}_fc", affine(), prev)
                n = add(f"{tag}_lif", lif(), a)
            elif kind == 1:
                a = add(f"{tag}_fc", affine(), prev)
                n = add(f"{tag}_lif", cubalif(), a, outs[-2] if len(outs) >= 2 else "input")
            elif kind == 2:
                a = add(f"{tag}_fc", affine(), prev)
                n = add(f"{tag}_lif", lif(), a)
                add(f"{tag}_rec", linear(), n)
                edges.append((f"c{c}_{tag}_rec", n))  # the recurrent edge, the neuron's last
            elif kind == 3:
                a = add(f"{tag}_fc", affine(bias=False), prev)
                s = add(f"{tag}_scale", {"type": "Scale", "scale": np.full(width, 0.5, np.float32)}, a)
                n = add(f"{tag}_lif", lif(), s)
            elif kind == 4:
                f = add(f"{tag}_flat", {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": shape}, prev)
                a = add(f"{tag}_fc", affine(), f)
                s = add(f"{tag}_id", {"type": "Scale", "scale": ones.copy()}, a)
                n = add(f"{tag}_lif", cubalif(), s)
                add(f"{tag}_rec", affine(), n)
                edges.append((f"c{c}_{tag}_rec", n))
                d = add(f"{tag}_dead_fc", linear(), n)
                add(f"{tag}_dead_lif", lif(), d)
            else:
                a = add(f"{tag}_fc1", affine(), prev)
                b = add(f"{tag}_fc2", affine(), a)
                n = add(f"{tag}_lif", lif(), b, outs[-3] if len(outs) >= 3 else "input")
            outs.append(n)
            prev = n
        ends.append(prev)
    nodes["merge"] = affine()
    edges.extend((e, "merge") for e in ends)
    edges.append(("merge", "output"))
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


def op_counts(module: Any) -> Counter[str]:
    from nirc.core.node import NodeOp
    from nirc.dialects import nir

    return Counter(op.name for op in module.walk() if isinstance(op, NodeOp) and not isinstance(op, nir.GraphOp))


# ============================================================================ timing


def _passes() -> dict[str, Any]:
    from nirc.passes.canonicalize import CanonicalizePass
    from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
    from nirc.passes.lower_composites import LowerCompositesPass
    from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass

    return {
        PIPELINE[0]: CanonicalizePass(),
        PIPELINE[1]: ConvertNirToSnnPass(dt=DT),
        PIPELINE[2]: SnnFuseRecurrentPass(),
        "lower-composites": LowerCompositesPass(),
    }


class _FullCollections:
    """Counts the collector's full (generation 2) collections and their seconds."""

    def __init__(self) -> None:
        self.count, self.seconds, self._start = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.seconds += time.perf_counter() - self._start


def _timed(fn: Callable[[], Any], gc_off: bool) -> tuple[float, Any, tuple[int, float]]:
    """Seconds of ``fn()``, its result, and the full collections that ran inside it."""
    gc.collect()  # the previous step's garbage is not collected inside this one
    full = _FullCollections()
    gc.callbacks.append(full)
    if gc_off:
        gc.disable()
    try:
        t = time.perf_counter()
        result = fn()
        return time.perf_counter() - t, result, (full.count, full.seconds)
    finally:
        gc.enable()
        gc.callbacks.remove(full)


def measure(graph: dict[str, Any], repeat: int, gc_off: bool = False) -> dict[str, dict[str, Any]]:
    """Per step: ``seconds`` (best of ``repeat``, each repeat on a fresh import),
    ``ops`` (nodes after the step) and ``full_gc`` (full collections inside the best
    run, and their seconds).  ``gc_off``: the cyclic garbage collector is disabled while
    a step runs (it runs between steps, untimed)."""
    from nirc.core.context import make_context
    from nirc.core.verify import verify_module
    from nirc.io.from_dict import module_from_dict

    ctx = make_context()
    passes = _passes()
    out: dict[str, dict[str, Any]] = {}

    def keep(step: str, timed: tuple[float, Any, tuple[int, float]], module: Any) -> None:
        seconds, _, full = timed
        if step not in out or seconds < out[step]["seconds"]:
            out[step] = {"seconds": seconds, "full_gc": full}
        out[step]["ops"] = sum(op_counts(module).values())

    for _ in range(repeat):
        timed = _timed(lambda: module_from_dict(graph), gc_off)
        module = timed[1]
        keep(STEPS[0], timed, module)
        for name in PIPELINE:
            keep(name, _timed(lambda p=passes[name], m=module: p.apply(ctx, m), gc_off), module)
            keep(f"  verify after {name.split('{')[0]}", _timed(lambda m=module: verify_module(m), gc_off), module)
        module = module_from_dict(graph)
        keep("lower-composites", _timed(lambda m=module: passes["lower-composites"].apply(ctx, m), gc_off), module)
        keep("  verify after lower-composites", _timed(lambda m=module: verify_module(m), gc_off), module)
        module = timed = None
    pipeline = [out[s] for s in STEPS[1:7]]
    out[TOTAL] = {
        "seconds": sum(r["seconds"] for r in pipeline),
        "ops": out[STEPS[6]]["ops"],
        "full_gc": (sum(r["full_gc"][0] for r in pipeline), sum(r["full_gc"][1] for r in pipeline)),
    }
    return out


def check_rewrites(graph: dict[str, Any]) -> str:
    """One line saying what the pipeline did to the graph (so a change that stops a
    rewrite from applying shows up here rather than as a mysteriously fast pass)."""
    from nirc.core.context import make_context
    from nirc.io.from_dict import module_from_dict

    ctx = make_context()
    passes = _passes()
    module = module_from_dict(graph)
    before = op_counts(module)
    passes[PIPELINE[0]].apply(ctx, module)
    canon = op_counts(module)
    passes[PIPELINE[1]].apply(ctx, module)
    passes[PIPELINE[2]].apply(ctx, module)
    after = op_counts(module)
    fused = after["snn.rleaky"] + after["snn.rsynaptic"]

    def gone(*kinds: str) -> str:
        return f"{sum(before[k] - canon[k] for k in kinds):,}"

    return (
        f"{sum(before.values()):,} nodes; canonicalize leaves {sum(canon.values()):,} (removes "
        f"{gone('nir.affine', 'nir.linear')} Affine/Linear merged or dead, {gone('nir.scale')} Scale folded or "
        f"identity, {gone('nir.flatten')} Flatten, {gone('nir.lif', 'nir.cubalif')} dead neurons); after convert "
        f"and fuse {sum(after.values()):,} ({fused:,} recurrences fused into snn.rleaky/rsynaptic)"
    )


def _profile_once(graph: dict[str, Any], key: str) -> tuple[dict[str, tuple[int, float]], float]:
    """{function: (calls, own seconds)} and the total of one step under cProfile, the
    collector disabled (its pauses would land on whichever function allocates)."""
    from nirc.core.context import make_context
    from nirc.core.verify import verify_module
    from nirc.io.from_dict import module_from_dict

    ctx = make_context()
    passes = _passes()
    if key == "import":
        run: Callable[[], Any] = lambda: module_from_dict(graph)  # noqa: E731
    else:
        target, _, verify_after = key.partition(":")
        module = module_from_dict(graph)
        if target != "lower-composites":
            for name in PIPELINE:
                if name == target and not verify_after:
                    break
                passes[name].apply(ctx, module)
                if name == target:
                    break
        elif verify_after:
            passes[target].apply(ctx, module)
        run = (lambda: verify_module(module)) if verify_after else (lambda: passes[target].apply(ctx, module))
    prof = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        prof.enable()
        run()
        prof.disable()
    finally:
        gc.enable()
    stats = pstats.Stats(prof)
    table_: dict[str, tuple[int, float]] = {}
    for (file, line, func), (_cc, calls, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = file.split("site-packages/")[-1].replace(str(HERE.parent) + "/", "")
        table_[f"{where}:{line}({func})"] = (calls, own)
    return table_, stats.total_tt  # type: ignore[attr-defined]


def profile_step(small: dict[str, Any], large: dict[str, Any], step: str, top: int) -> str:
    """cProfile of one step at two sizes: per function, the calls and own time at both;
    then every function whose call count grows faster than the node count, and every
    function whose own time per node grows (the two ways a quadratic pass shows)."""
    passes = {s.split("{")[0]: s for s in _passes()}
    target, _, verify = step.partition(":")
    if target != "import" and target not in passes:
        raise SystemExit(f"--profile: unknown step {step!r}; choose from import, {', '.join(passes)} (or PASS:verify)")
    key = "import" if target == "import" else passes[target] + (":verify" if verify else "")
    n_small, n_large = len(small["nodes"]), len(large["nodes"])
    grow = n_large / n_small
    a, ta = _profile_once(small, key)
    b, tb = _profile_once(large, key)
    lines = [
        f"{step}: profiled total {ta:.3f} s at {n_small:,} nodes, {tb:.3f} s at {n_large:,} "
        f"(per node {tb / n_large / (ta / n_small):.2f}x; collector disabled)\n",
    ]
    rows = []
    for name, (calls, own) in sorted(b.items(), key=lambda kv: -kv[1][1])[:top]:
        c0, o0 = a.get(name, (0, 0.0))
        rows.append([name[-90:], c0, calls, f"{calls / c0 / grow:.2f}x" if c0 else "new", f"{own * 1e3:.1f}",
                     f"{own / o0 / grow:.2f}x" if o0 else "new"])  # fmt: skip
    lines.append(table(["function (by own time at the larger size)", f"calls {n_small:,}", f"calls {n_large:,}",
                        "calls/node ratio", f"own ms {n_large:,}", "own/node ratio"], rows))  # fmt: skip
    suspects = [
        (calls / a[name][0] / grow, name, a[name][0], calls)
        for name, (calls, _own) in b.items()
        if name in a and calls >= 100 and calls > 1.15 * grow * a[name][0]
    ]
    if suspects:
        lines.append("\nCalled more often than the node count grows (>1.15x per node):")
        lines += [
            f"- {r:.2f}x: {name} ({c0:,} -> {c1:,} calls)" for r, name, c0, c1 in sorted(suspects, reverse=True)[:top]
        ]
    else:
        lines.append("\nNo function's call count grows faster than the node count (within 1.15x).")
    # A scan inside a loop (``x in some_list``, ``list.index``) keeps the call counts
    # linear but makes each call dearer: look at own time per node too.
    slow = [
        (own / a[name][1] / grow, name, own)
        for name, (_calls, own) in b.items()
        if name in a and a[name][1] > 0 and own > 0.03 * tb and own > 2.0 * grow * a[name][1]
    ]
    if slow:
        lines.append("\nOwn time per node grows more than 2x (and is over 3% of the step):")
        lines += [f"- {r:.2f}x: {name} ({own * 1e3:.0f} ms)" for r, name, own in sorted(slow, reverse=True)[:top]]
    else:
        lines.append("No function over 3% of the step has its own time per node grow more than 2x.")
    return "\n".join(lines)


# ============================================================================ main


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"CPU: {model}, {os.cpu_count()} cores; load average at start {load} (other work on the machine "
        "makes timings noisy: best-of-N helps only so far)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 200 and 1,000, one repeat: a smoke run")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N", help="graph sizes in nodes (1000 10000)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per size, the best taken (3; 1 with --quick)")
    parser.add_argument(
        "--no-gc-off", action="store_true", help="skip the second run with the garbage collector off during each step"
    )
    parser.add_argument(
        "--profile", metavar="STEP", action="append",
        help="also cProfile STEP (import, canonicalize, convert-nir-to-snn, snn-fuse-recurrent, lower-composites; "
        "PASS:verify for the verify after it) at the smallest and the largest size (repeatable)",
    )  # fmt: skip
    parser.add_argument("--profile-top", type=int, default=20, help="rows of each profile listing (20)")
    args = parser.parse_args(argv)

    sizes = sorted(set(args.sizes or ((200, 1_000) if args.quick else (1_000, 10_000))))
    repeat = args.repeat or (1 if args.quick else 3)
    gc_modes = (False,) if args.no_gc_off else (False, True)
    warnings.simplefilter("ignore")

    print(f"# nirc pass benchmarks{' (--quick)' if args.quick else ''}\n")
    print(versions())
    print(machine())
    print(
        "\nEach step timed on its own with `time.perf_counter` (after an untimed `gc.collect()`), in one "
        f"process; best of {repeat}, each repeat on a fresh `module_from_dict`. The pipeline's steps run in "
        "order on one module, each followed by `verify_module` as `nir-to-snn` does; `lower-composites` runs "
        "on a fresh import of the same graph. ms/node divides by the graph's node count before any pass; the "
        'ratio is that over the same at the smallest size (1.00x = linear). "ops after" counts the nodes after '
        'the step; "full GCs in it" the cyclic collector\'s full (generation-2) collections inside the best '
        "run, and their seconds: each walks every object alive in the process, so their cost grows with the "
        "graph, and a pass that allocates enough at 10,000 nodes triggers one where it does not at 1,000."
        + (
            ' The "gc off" columns repeat the run with the collector disabled during each step: what the code '
            "itself costs."
            if len(gc_modes) == 2
            else ""
        )
    )

    t0 = time.perf_counter()
    graphs: dict[int, dict[str, Any]] = {}
    results: dict[tuple[int, bool], dict[str, dict[str, Any]]] = {}
    print()
    for n in sizes:
        graphs[n] = graph_dict(n)
        print(f"- {n:,}: {check_rewrites(graphs[n])}", flush=True)
        for gc_off in gc_modes:
            results[n, gc_off] = measure(graphs[n], repeat, gc_off)

    base, largest = sizes[0], sizes[-1]
    count = {n: len(graphs[n]["nodes"]) for n in sizes}

    def per_node(n: int, gc_off: bool, step: str) -> float:
        return results[n, gc_off][step]["seconds"] * 1e3 / count[n]

    rows: list[list[Any]] = []
    over: list[tuple[float, str]] = []
    for n in sizes:
        for step in (*STEPS, TOTAL):
            r = results[n, False][step]
            full, full_s = r["full_gc"]
            row: list[Any] = [f"{count[n]:,}", f"**{step}**" if step == TOTAL else step, f"{r['ops']:,}"]
            row += [f"{r['seconds']:.4f}", f"{full} ({full_s:.2f} s)" if full else "0"]
            for gc_off in gc_modes:
                ms = per_node(n, gc_off, step)
                ratio = ms / per_node(base, gc_off, step) if n != base else None
                row += [f"{ms:.4f}", f"{ratio:.2f}x" if ratio is not None else None]
                if not gc_off and n == largest and ratio is not None and ratio > RATIO_TARGET and step != STEPS[0]:
                    over.append((ratio, step.strip()))
            rows.append(row)
    headers = ["nodes", "pass", "ops after", "seconds", "full GCs in it", "ms/node", f"ratio vs {count[base]:,}"]
    if len(gc_modes) == 2:
        headers += ["gc off: ms/node", "gc off: ratio"]
    print()
    print(table(headers, rows))

    notes = []
    if 10_000 in sizes:
        total = results[10_000, False][TOTAL]["seconds"]
        ok = "meets" if total < PIPELINE_TARGET_S else "MISSES"
        notes.append(f"the whole pipeline under {PIPELINE_TARGET_S:.0f} s at 10,000 nodes ({ok}: {total:.2f} s)")
    if largest != base:
        ok = "meets" if not over else "MISSES"
        detail = ": " + ", ".join(f"{s} {r:.2f}x" for r, s in sorted(over, reverse=True)) if over else ""
        notes.append(f"ms/node at {count[largest]:,} within {RATIO_TARGET}x of that at {count[base]:,} ({ok}{detail})")
    if notes:
        print("\nTargets (issue): " + "; ".join(notes) + ".")

    for step in args.profile or []:
        print(f"\n## cProfile: {step}, {count[base]:,} and {count[largest]:,} nodes\n")
        print(profile_step(graphs[base], graphs[largest], step, args.profile_top))
    print(f"\n(benchmark run took {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
