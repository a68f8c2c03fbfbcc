#!/usr/bin/env python3
"""I/O benchmarks for nirc: prints markdown tables, asserts nothing about time.

Three measurements, each heavy step in a fresh Python subprocess so that its peak RSS
(``ru_maxrss``) is its own:

1. **Big model** (16M float32 parameters: Input(2000) -> 4 x (Linear 2000x2000 -> LIF)
   -> Output), written once with ``nir.write`` (gzip): ``nirc.read`` alone, and
   ``nirc.read`` + ``print_module`` to a `.mlir` file with blobs; the reference
   ``nir.read``; and, when it is installed, ``snn-mlir export`` on the same file.
2. **Paper corpus** (``../shared/corpus/paper/*.nir`` but the malformed ``*_subgraph``
   files): warm import time of ``nirc.read`` vs ``nir.read(type_check=False)``.
3. **Many nodes**: a synthetic graph of 10,000 (and 1,000) small nodes written with
   ``nir.write``: import, verify and print, separately and in total.

Usage::

    python benchmarks/bench_io.py                 # the full run (about 3 minutes)
    python benchmarks/bench_io.py --quick         # small sizes, a smoke run
    python benchmarks/bench_io.py --skip-snn-mlir
    python benchmarks/bench_io.py --install-snn-mlir   # set up the snn-mlir venv, then run

snn-mlir is found through ``$SNN_MLIR`` (the path of its ``snn-mlir`` executable) or at
``benchmarks/_work/snn-venv/bin/snn-mlir``; it is never installed into this environment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
CORPUS = REPO.parent / "shared" / "corpus" / "paper"
SNN_VENV = WORK / "snn-venv"
SNN_MLIR_SPEC = ["snn-mlir==1.0.0", "nir==1.0.8"]  # requires only nir and numpy (no torch)

# Targets from the issue (informational: nothing is asserted).
BIG_TARGET_S = 1.5
BIG_TARGET_MB = 500
GRAPH_TARGET_S = 5.0


# ============================================================================ children
# Each child task runs in a fresh interpreter (``bench_io.py --child TASK JSON``), does
# its imports first, times its steps with perf_counter and prints one JSON line last.


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _child_nirc_read(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    import warnings

    import nirc

    warnings.simplefilter("ignore")
    t1 = time.perf_counter()
    module = nirc.read(args["path"])
    t2 = time.perf_counter()
    del module
    return {"import_s": t1 - t0, "read_s": t2 - t1, "rss_mb": _rss_mb()}


def _child_nirc_export(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    import warnings

    import nirc
    from nirc.io.text import print_module

    warnings.simplefilter("ignore")
    t1 = time.perf_counter()
    module = nirc.read(args["path"])
    t2 = time.perf_counter()
    with open(args["out"], "w", encoding="utf-8") as out:
        print_module(module, out, blob_threshold=64)
    t3 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "read_s": t2 - t1,
        "print_s": t3 - t2,
        "total_s": t3 - t1,
        "rss_mb": _rss_mb(),
        "out_bytes": os.path.getsize(args["out"]),
    }


def _child_nir_read(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    import nir

    t1 = time.perf_counter()
    graph = nir.read(args["path"], type_check=False)
    t2 = time.perf_counter()
    del graph
    return {"import_s": t1 - t0, "read_s": t2 - t1, "rss_mb": _rss_mb()}


def _child_graph(args: dict[str, Any]) -> dict[str, Any]:
    import io
    import warnings

    import nirc
    from nirc.io.text import print_module

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    module = nirc.read(args["path"])
    t1 = time.perf_counter()
    module.verify()
    t2 = time.perf_counter()
    buf = io.StringIO()
    print_module(module, buf)
    t3 = time.perf_counter()
    return {
        "read_s": t1 - t0,
        "verify_s": t2 - t1,
        "print_s": t3 - t2,
        "total_s": t3 - t0,
        "rss_mb": _rss_mb(),
        "text_chars": len(buf.getvalue()),
    }


def _child_corpus(args: dict[str, Any]) -> dict[str, Any]:
    import warnings

    import nir

    import nirc

    warnings.simplefilter("ignore")
    runs = int(args["runs"])
    rows = []
    for path in args["files"]:
        row: dict[str, Any] = {"file": Path(path).name}
        try:
            row["nodes"] = len(nir.read(path, type_check=False).nodes)
        except Exception as exc:
            row["nodes"] = None
            row["nir_error"] = f"{type(exc).__name__}: {exc}"[:80]
        try:
            nirc.read(path)  # warm-up (imports, caches)
        except Exception as exc:
            row["nirc_error"] = f"{type(exc).__name__}: {exc}"[:80]
        times: dict[str, list[float]] = {"nirc": [], "nir": []}
        for _ in range(runs):  # interleaved, so drift hits both alike
            if "nirc_error" not in row:
                t = time.perf_counter()
                nirc.read(path)
                times["nirc"].append(time.perf_counter() - t)
            if "nir_error" not in row:
                t = time.perf_counter()
                nir.read(path, type_check=False)
                times["nir"].append(time.perf_counter() - t)
        for tool, ts in times.items():
            row[f"{tool}_s"] = statistics.median(ts) if ts else None
        rows.append(row)
    return {"rows": rows, "rss_mb": _rss_mb()}


def _child_write_big(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    n_params = write_big_model(Path(args["path"]), int(args["width"]), int(args["layers"]))
    return {"n_params": n_params, "write_s": time.perf_counter() - t0}


def _child_write_graph(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    n_nodes, n_edges = write_many_nodes(Path(args["path"]), int(args["nodes"]))
    return {"nodes": n_nodes, "edges": n_edges, "write_s": time.perf_counter() - t0}


def _child_rewrite(args: dict[str, Any]) -> dict[str, Any]:
    import warnings

    import nirc

    warnings.simplefilter("ignore")
    nirc.write(nirc.read(args["path"]), args["out"])
    return {}


CHILD_TASKS = {
    "rewrite": _child_rewrite,
    "write_big": _child_write_big,
    "write_graph": _child_write_graph,
    "nirc_read": _child_nirc_read,
    "nirc_export": _child_nirc_export,
    "nir_read": _child_nir_read,
    "graph": _child_graph,
    "corpus": _child_corpus,
}


def child_main(task: str, payload: str) -> int:
    result = CHILD_TASKS[task](json.loads(payload))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


# ============================================================================ running


class ChildFailed(RuntimeError):
    pass


def run_process(cmd: list[str], *, cwd: Path | None = None, timeout: float = 1800) -> dict[str, Any]:
    """Run ``cmd`` (killed after ``timeout`` s); return its wall time, exit code,
    stdout/stderr and its own peak RSS (``os.wait4`` gives the rusage of exactly this
    child, as ``/usr/bin/time -v`` does)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd)
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": wall,
            "code": proc.returncode,
            "stdout": out.read(),
            "stderr": err.read(),
            "rss_mb": usage.ru_maxrss / 1024.0,
        }


def run_child(task: str, **args: Any) -> dict[str, Any]:
    """Run one child task in a fresh interpreter; its JSON result plus ``wall_s``."""
    proc = run_process([sys.executable, str(Path(__file__).resolve()), "--child", task, json.dumps(args)], cwd=REPO)
    if proc["code"] != 0:
        tail = "\n".join(proc["stderr"].strip().splitlines()[-5:])
        raise ChildFailed(f"{task} exited {proc['code']}: {tail}")
    result = json.loads(proc["stdout"].strip().splitlines()[-1])
    result["wall_s"] = proc["wall_s"]
    return result


def repeat_child(n: int, task: str, **args: Any) -> dict[str, Any]:
    """Median of each timing over ``n`` fresh children; the largest peak RSS."""
    results = [run_child(task, **args) for _ in range(n)]
    merged: dict[str, Any] = {}
    for key in results[0]:
        values = [r[key] for r in results]
        if key == "rss_mb":
            merged[key] = max(values)
        elif all(isinstance(v, (int, float)) for v in values):
            merged[key] = statistics.median(values)
        else:
            merged[key] = values[0]
    return merged


# ============================================================================ output


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The least seconds of ``repeat`` calls of ``fn`` and the last call's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.3f}"
        return str(v)

    text = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) if text else len(h) for i, h in enumerate(headers)]
    right = [all(_numeric(r[i]) for r in text) and bool(text) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(c.rjust(w) if a else c.ljust(w) for c, w, a in zip(cells, widths, right, strict=True))
            + " |"
        )

    sep = (
        "|"
        + "|".join(("-" * (w + 1) + ":") if a else ("-" * (w + 2)) for w, a in zip(widths, right, strict=True))
        + "|"
    )
    return "\n".join([line(headers), sep, *(line(r) for r in text)])


def _mb(value: float) -> str:
    return f"{value:.0f}"


def _numeric(s: str) -> bool:
    if s == "-":
        return True
    try:
        float(s.rstrip("x").replace(",", ""))
        return True
    except ValueError:
        return False


def section(title: str) -> None:
    print(f"\n## {title}\n", flush=True)


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for pkg in ("nirc", "xdsl", "nir", "h5py", "numpy"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg} -")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "nirc"], cwd=REPO, capture_output=True, text=True)
    rev = commit.stdout.strip() or "?"
    if dirty.stdout.strip():
        rev += " (nirc/ modified)"
    return ", ".join(parts) + f"; {os.cpu_count()} CPUs; git {rev}"


# ============================================================================ models


def write_big_model(path: Path, width: int, layers: int) -> int:
    """Input(width) -> layers x (Linear width x width -> LIF(width)) -> Output; the
    number of float32 parameters."""
    import nir
    import numpy as np

    rng = np.random.default_rng(0)
    nodes: dict[str, Any] = {"input": nir.Input(input_type=np.array([width]))}
    edges: list[tuple[str, str]] = []
    prev = "input"
    n_params = 0
    for i in range(layers):
        weight = rng.standard_normal((width, width), dtype=np.float32)
        lif = nir.LIF(
            tau=np.full(width, 0.01, np.float32),
            r=np.ones(width, np.float32),
            v_leak=np.zeros(width, np.float32),
            v_threshold=np.ones(width, np.float32),
            v_reset=np.zeros(width, np.float32),
        )
        nodes[f"fc{i}"] = nir.Linear(weight=weight)
        nodes[f"lif{i}"] = lif
        edges += [(prev, f"fc{i}"), (f"fc{i}", f"lif{i}")]
        prev = f"lif{i}"
        n_params += weight.size + 5 * width
    nodes["output"] = nir.Output(output_type=np.array([width]))
    edges.append((prev, "output"))
    nir.write(str(path), nir.NIRGraph(nodes=nodes, edges=edges))
    return n_params


def write_many_nodes(path: Path, n_nodes: int, *, width: int = 8, chains: int = 10) -> tuple[int, int]:
    """A graph of exactly ``n_nodes`` nodes: Input -> ``chains`` parallel chains of
    Affine -> LIF -> Linear -> Scale -> ... -> one Scale that sums them (fan-in) ->
    Output, with a recurrent edge (Scale -> the Affine three back) every 40 nodes and
    a skip edge (fan-in) every 50.  Returns (nodes, edges)."""
    import nir
    import numpy as np

    rng = np.random.default_rng(0)
    nodes: dict[str, Any] = {
        "input": nir.Input(input_type=np.array([width])),
        "merge": nir.Scale(scale=np.ones(width, np.float32)),
        "output": nir.Output(output_type=np.array([width])),
    }
    edges: list[tuple[str, str]] = []
    rest = n_nodes - len(nodes)
    chains = max(1, min(chains, rest))
    for c in range(chains):
        length = rest // chains + (1 if c < rest % chains else 0)
        prev, names = "input", []
        for k in range(length):
            name = f"c{c}_n{k}"
            kind = k % 4
            if kind == 0:
                node = nir.Affine(
                    weight=rng.standard_normal((width, width)).astype(np.float32), bias=np.zeros(width, np.float32)
                )
            elif kind == 1:
                node = nir.LIF(
                    tau=np.full(width, 0.01, np.float32),
                    r=np.ones(width, np.float32),
                    v_leak=np.zeros(width, np.float32),
                    v_threshold=np.ones(width, np.float32),
                    v_reset=np.zeros(width, np.float32),
                )
            elif kind == 2:
                node = nir.Linear(weight=rng.standard_normal((width, width)).astype(np.float32))
            else:
                node = nir.Scale(scale=np.full(width, 0.5, np.float32))
            nodes[name] = node
            names.append(name)
            edges.append((prev, name))
            prev = name
            if kind == 3 and k % 40 == 3:
                edges.append((name, names[k - 3]))  # recurrent: Scale -> Affine
            if k % 50 == 10:
                edges.append((names[k - 8], name))  # skip connection: fan-in
        edges.append((prev, "merge"))
    edges.append(("merge", "output"))
    # nir's own type inference is quadratic in the node count (minutes at 10,000
    # nodes), and the file does not depend on it: skip it.
    nir.write(str(path), nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))
    return len(nodes), len(edges)


# ============================================================================ snn-mlir


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def find_snn_mlir() -> Path | None:
    env = os.environ.get("SNN_MLIR")
    candidates = [Path(env)] if env else []
    candidates.append(SNN_VENV / "bin" / "snn-mlir")
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return cand
    return None


def install_snn_mlir() -> None:
    """Create benchmarks/_work/snn-venv and install snn-mlir there (never here).

    snn-mlir 1.0.0 requires only ``nir>=1.0`` and ``numpy>=1.24`` (its wheel METADATA),
    so no torch is involved."""
    if (SNN_VENV / "bin" / "snn-mlir").is_file():
        print(f"snn-mlir already installed in {SNN_VENV}")
        return
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(SNN_VENV)], check=True)
    subprocess.run([str(SNN_VENV / "bin" / "python"), "-m", "pip", "install", "-q", *SNN_MLIR_SPEC], check=True)


# ============================================================================ benchmarks


def bench_big(work: Path, quick: bool, repeat: int, skip_snn: bool, errors: list[str]) -> None:
    width, layers = (256, 4) if quick else (2000, 4)
    path = work / f"big_{width}x{layers}.nir"
    written = run_child("write_big", path=str(path), width=width, layers=layers)
    n_params, write_s = written["n_params"], written["write_s"]
    size_mb = path.stat().st_size / 1e6
    section(f"1. Big model: Input({width}) -> {layers} x (Linear {width}x{width} -> LIF({width})) -> Output")
    print(
        f"{n_params:,} float32 parameters; `nir.write` (gzip) {write_s:.2f} s, {size_mb:.1f} MB. "
        f"Seconds: median of {repeat} fresh process(es); peak RSS: `ru_maxrss` of the process (largest).\n"
    )
    rows: list[list[Any]] = []
    out = work / f"big_{width}x{layers}.mlir"
    export = None
    try:
        r = repeat_child(repeat, "nirc_read", path=str(path))
        rows.append(["nirc", "import: `nirc.read` (.nir -> verified IR)", r["read_s"], _mb(r["rss_mb"])])
        export = repeat_child(repeat, "nirc_export", path=str(path), out=str(out))
        rows.append(["nirc", "  print: `print_module` (IR -> .mlir, blobs)", export["print_s"], None])
        rows.append(["nirc", "export: .nir -> IR -> .mlir with blobs", export["total_s"], _mb(export["rss_mb"])])
        rows.append(["nirc", "export, whole process (interpreter + imports)", export["wall_s"], _mb(export["rss_mb"])])
    except ChildFailed as exc:
        errors.append(str(exc))
        rows.append(["nirc", f"FAILED: {str(exc).splitlines()[-1][:60]}", None, None])
    try:
        r = repeat_child(repeat, "nir_read", path=str(path))
        rows.append(["nir 1.0.8 (reference)", "`nir.read(type_check=False)`", r["read_s"], _mb(r["rss_mb"])])
    except ChildFailed as exc:
        rows.append(["nir 1.0.8 (reference)", f"failed: {str(exc).splitlines()[-1][:60]}", None, None])

    snn_note = ""
    if skip_snn:
        rows.append(["snn-mlir", "export (skipped: --skip-snn-mlir)", None, None])
    else:
        exe = find_snn_mlir()
        if exe is None:
            rows.append(["snn-mlir", "export: not installed", None, None])
            snn_note = (
                "\nsnn-mlir not installed: set $SNN_MLIR to its executable, or run with --install-snn-mlir "
                f"(a venv at {_rel(SNN_VENV)})."
            )
        else:
            snn_out = work / f"big_{width}x{layers}.snn.mlir"
            runs = [run_process([str(exe), "export", str(path), "-o", str(snn_out)], cwd=work) for _ in range(repeat)]
            bad = [p for p in runs if p["code"] != 0]
            if bad:
                msg = (bad[0]["stderr"].strip().splitlines() or ["?"])[-1][:60]
                rows.append(["snn-mlir", f"export failed (exit {bad[0]['code']}): {msg}", None, None])
            else:
                wall = statistics.median(p["wall_s"] for p in runs)
                rss = max(p["rss_mb"] for p in runs)
                rows.append(["snn-mlir 1.0.0", "`snn-mlir export` (whole process)", wall, _mb(rss)])
                snn_note = f"\nsnn-mlir: {exe}; its .mlir is {snn_out.stat().st_size / 1e6:.0f} MB."
            snn_out.unlink(missing_ok=True)  # hundreds of MB; only its size is reported
    out.unlink(missing_ok=True)
    print(table(["tool", "step", "seconds", "peak RSS MB"], rows))
    if export is not None:
        ok_t = "meets" if export["total_s"] < BIG_TARGET_S else "MISSES"
        ok_m = "meets" if export["rss_mb"] < BIG_TARGET_MB else "MISSES"
        print(
            f"\nTargets (issue): export < {BIG_TARGET_S} s ({ok_t}: {export['total_s']:.2f} s in-process, "
            f"{export['wall_s']:.2f} s with interpreter start and imports of {export['import_s']:.2f} s), "
            f"peak RSS < {BIG_TARGET_MB} MB ({ok_m}: {export['rss_mb']:.0f} MB). "
            f"nirc's .mlir is {export['out_bytes'] / 1e6:.0f} MB."
        )
    if snn_note:
        print(snn_note)


def bench_corpus(quick: bool, errors: list[str]) -> None:
    section("2. Paper corpus: warm import time, `nirc.read` vs `nir.read(type_check=False)`")
    files = sorted(p for p in CORPUS.glob("*.nir") if not p.name.endswith("_subgraph.nir"))
    if not files:
        print(f"no corpus at {CORPUS}: skipped")
        return
    runs = 3 if quick else 15
    print(f"Median of {runs} warm runs each (one process, after one warm-up read); nirc's warnings ignored.\n")
    try:
        r = run_child("corpus", files=[str(f) for f in files], runs=runs)
    except ChildFailed as exc:
        errors.append(str(exc))
        print(f"FAILED: {exc}")
        return
    rows = []
    ratios = []
    for row in r["rows"]:
        a, b = row.get("nirc_s"), row.get("nir_s")
        ratio = a / b if a and b else None
        if ratio:
            ratios.append(ratio)
        if "nirc_error" in row:
            errors.append(f"nirc.read({row['file']}): {row['nirc_error']}")
        rows.append(
            [
                row["file"],
                row["nodes"],
                f"{a * 1e3:.2f}" if a else row.get("nirc_error", "error"),
                f"{b * 1e3:.2f}" if b else row.get("nir_error", "error"),
                f"{ratio:.2f}x" if ratio else None,
            ]
        )
    if ratios:
        geo = statistics.geometric_mean(ratios)
        rows.append(["**geometric mean**", None, None, None, f"{geo:.2f}x"])
    print(table(["file", "nodes", "nirc ms", "nir ms", "nirc/nir"], rows))


def bench_graphs(work: Path, quick: bool, repeat: int, errors: list[str]) -> None:
    sizes = (100, 1000) if quick else (1_000, 10_000)
    section(f"3. Many small nodes: import, verify, print ({' and '.join(f'{n:,}' for n in sizes)} nodes)")
    print(
        "Input -> 10 chains of Affine/LIF/Linear/Scale (8 wide; a recurrent edge every 40 nodes, a skip "
        "edge every 50) -> a Scale summing them -> Output, written with `nir.write` (gzip). "
        f"Seconds: median of {repeat} fresh process(es). Import is `nirc.read` (which verifies the module "
        "itself), verify a second `module.verify()`, print `print_module` to a StringIO.\n"
    )
    rows = []
    for n in sizes:
        path = work / f"graph_{n}.nir"
        written = run_child("write_graph", path=str(path), nodes=n)
        n_nodes, n_edges, write_s = written["nodes"], written["edges"], written["write_s"]
        print(f"- {n:,} nodes: `nir.write` took {write_s:.1f} s", flush=True)
        # The same graph as nirc writes it (small arrays contiguous, uncompressed).
        rewritten = work / f"graph_{n}_nirc.nir"
        run_child("rewrite", path=str(path), out=str(rewritten))
        for writer, file in (("nir.write", path), ("nirc.write", rewritten)):
            try:
                r = repeat_child(repeat, "graph", path=str(file))
            except ChildFailed as exc:
                errors.append(str(exc))
                rows.append([f"{n_nodes:,}", f"{n_edges:,}", writer, "FAILED", None, None, None, None, None, None])
                continue
            try:
                ref = repeat_child(repeat, "nir_read", path=str(file))["read_s"]
            except ChildFailed:
                ref = None
            rows.append(
                [
                    f"{n_nodes:,}",
                    f"{n_edges:,}",
                    writer,
                    f"{file.stat().st_size / 1e6:.1f}",
                    r["read_s"],
                    r["verify_s"],
                    r["print_s"],
                    r["total_s"],
                    _mb(r["rss_mb"]),
                    ref,
                ]
            )
    print()
    print(
        table(
            [
                "nodes",
                "edges",
                "file written by",
                "file MB",
                "import s",
                "verify s",
                "print s",
                "total s",
                "peak RSS MB",
                "nir.read s (ref)",
            ],
            rows,
        )
    )
    print(f"\nTarget (issue): total < {GRAPH_TARGET_S:.0f} s at 10,000 nodes.")


# ============================================================================ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats: a smoke run")
    parser.add_argument("--skip-snn-mlir", action="store_true", help="do not run snn-mlir")
    parser.add_argument(
        "--install-snn-mlir",
        action="store_true",
        help=f"first install snn-mlir into its own venv ({_rel(SNN_VENV)}), if missing",
    )
    parser.add_argument("--repeat", type=int, default=None, help="fresh processes per measurement (3; 1 with --quick)")
    parser.add_argument("--work-dir", type=Path, default=None, help="where model files go (benchmarks/_work/bench_io)")
    parser.add_argument(
        "--only", choices=["big", "corpus", "graphs"], action="append", help="run only these parts (repeatable)"
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(*args.child)

    repeat = args.repeat or (1 if args.quick else 3)
    work = (args.work_dir or (WORK / "bench_io")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.install_snn_mlir and not args.skip_snn_mlir:
        install_snn_mlir()
    parts = args.only or ["big", "corpus", "graphs"]

    print(f"# nirc I/O benchmarks{' (--quick)' if args.quick else ''}\n")
    print(versions())
    errors: list[str] = []
    t0 = time.perf_counter()
    if "big" in parts:
        bench_big(work, args.quick, repeat, args.skip_snn_mlir, errors)
    if "corpus" in parts:
        bench_corpus(args.quick, errors)
    if "graphs" in parts:
        bench_graphs(work, args.quick, repeat, errors)
    print(
        f"\n(benchmark run took {time.perf_counter() - t0:.0f} s. The parent process peaked at {_rss_mb():.0f} MB: "
        "on Linux a child's ru_maxrss starts from its parent's RSS at fork, so the parent writes no model itself.)"
    )
    if errors:
        print("\nnirc failed:", *errors, sep="\n- ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
