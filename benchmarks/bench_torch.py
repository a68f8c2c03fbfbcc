#!/usr/bin/env python3
"""Torch target benchmarks for nirc: emission time of ``--target=snntorch|norse`` and the
emitted model's steps per second beside ``nirc.run``; prints markdown tables, asserts nothing
about time.

For each model of the NIR paper's corpus (``../shared/corpus/paper`` beside the repository:
``lif_norse.nir``, both Braille SRNNs and ``cnn_sinabs.nir``), each framework (snntorch,
norse) and each dtype (float32, float64):

1. **Emission.** ``nirc.read`` + ``TARGET.emit`` into a temporary directory, in process
   (best of ``--repeat``), and the whole ``nir-translate IN.nir --target=FW -o OUTDIR
   --semantics FW --dt DT --dtype DTYPE`` process (wall time: interpreter start, imports
   and the CLI included; best of ``--repeat``).
2. **Steps per second.** The emitted ``OUTDIR/model.py``, imported with importlib and built
   with ``load()``, run under ``torch.no_grad()`` on the CPU (torch's default thread count),
   beside ``nirc.run`` on the same input with the same semantics profile (the framework's
   own: ``snntorch`` or ``norse``), dt and dtype; best of ``--repeat`` after a 2-step
   warm-up.  Each row also gives both runs' total output spikes and whether the emitted
   output equals ``nirc.run``'s exactly.

dt is 1e-4 s, but 1.0 for ``cnn_sinabs.nir`` (at 1e-4 the profiles scale the IF input by
dt and the CNN stays silent).  Inputs: the Braille SRNNs batch 64 x 256 steps of random
spikes (p = 0.1); ``cnn_sinabs`` batch 8 x 100 steps (p = 0.05); ``lif_norse`` the input
column of ``lif_traces/lif_exact.csv`` (1000 steps), batch 1 and the same repeated to
batch 64.

Usage::

    python benchmarks/bench_torch.py            # about 1.5 minutes on 2 busy cores
    python benchmarks/bench_torch.py --quick    # one repeat, smaller inputs: a smoke run (~25 s)

Other options: ``--repeat N`` (best of N, default 3; 1 with --quick) and ``--threads N``
(``torch.set_num_threads(N)`` before anything runs; by default torch's own choice, one
thread per core, is left alone).  Needs torch, snntorch and norse (a framework that is
missing is skipped with a note).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_io import best_of, table, versions  # noqa: E402  (the house table and version line)
from bench_passes import machine  # noqa: E402  (the CPU and load average line)

REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus" / "paper"
LIF_TRACE = CORPUS / "lif_traces" / "lif_exact.csv"
FRAMEWORKS = ("snntorch", "norse")
DTYPES = ("float32", "float64")
SEED = 0


@dataclass(frozen=True)
class Case:
    """One model: its file, dt, and the inputs it runs on, as (batch, steps, p) (p None:
    the LIF trace's input column, repeated over the batch)."""

    file: str
    dt: float
    inputs: tuple[tuple[int, int, float | None], ...]
    quick: tuple[tuple[int, int, float | None], ...]


CASES = (
    Case("lif_norse.nir", 1e-4, ((1, 1000, None), (64, 1000, None)), ((1, 1000, None), (8, 1000, None))),
    Case("braille_noDelay_bias_zero.nir", 1e-4, ((64, 256, 0.1),), ((8, 16, 0.1),)),
    Case("braille_noDelay_noBias_subtract.nir", 1e-4, ((64, 256, 0.1),), ((8, 16, 0.1),)),
    Case("cnn_sinabs.nir", 1.0, ((8, 100, 0.05),), ((2, 20, 0.05),)),
)

HEADERS = [
    "model",
    "framework",
    "dtype",
    "batch x steps",
    "emit in-process s",
    "nir-translate wall s",
    "emitted steps/s",
    "nir-run steps/s",
    "emitted/nir-run",
    "output spikes emitted / nir-run",
    "identical",
]


def tool_command() -> list[str]:
    """``nir-translate`` of this interpreter's environment (else ``python -m``)."""
    script = Path(sys.executable).parent / "nir-translate"
    if script.exists():
        return [str(script)]
    found = shutil.which("nir-translate")
    return [found] if found else [sys.executable, "-m", "nirc.tools.nir_translate"]


def make_input(shape: tuple[int, ...], batch: int, steps: int, p: float | None, dtype: str) -> np.ndarray:
    """``(batch, steps, *shape)`` as ``nirc.run`` takes it."""
    if p is None:  # the LIF benchmark's input current, the same in every batch entry
        column = np.loadtxt(LIF_TRACE, delimiter=",")[:steps, :1]
        return np.ascontiguousarray(np.broadcast_to(column[None], (batch, *column.shape))).astype(dtype)
    rng = np.random.default_rng(SEED)
    return (rng.random((batch, steps, *shape)) < p).astype(dtype)


def as_outputs(y: Any, names: list[str]) -> dict[str, np.ndarray]:
    """The emitted model's result, ``(T, B, ...)`` tensor or dict of them, as nirc.run's
    ``outputs``: ``(B, T, ...)`` arrays keyed by Output name."""
    if not isinstance(y, dict):
        assert len(names) == 1, names
        y = {names[0]: y}
    return {k: np.swapaxes(v.numpy(), 0, 1) for k, v in y.items()}


def identical(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> bool:
    return set(got) == set(want) and all(
        got[k].shape == want[k].shape and got[k].dtype == want[k].dtype and np.array_equal(got[k], want[k])
        for k in want
    )


def spikes(outputs: dict[str, np.ndarray]) -> int:
    return int(sum(float(v.sum()) for v in outputs.values()))


def same_files(a: Path, b: Path) -> bool:
    """The same model.py and the same arrays in weights.npz (the zip's timestamps aside)."""
    if (a / "model.py").read_text() != (b / "model.py").read_text():
        return False
    with np.load(a / "weights.npz") as wa, np.load(b / "weights.npz") as wb:
        return set(wa.files) == set(wb.files) and all(np.array_equal(wa[k], wb[k]) for k in wa.files)


# ============================================================================ one model


def measure(
    case: Case, framework: str, dtype: str, repeat: int, quick: bool, work: Path, notes: list[str]
) -> list[list[Any]]:
    """The table rows of one model, framework and dtype (one per input)."""
    import torch

    import nirc
    from nirc.core.node import shape_of
    from nirc.dialects import nir
    from nirc.dialects.nir import top_graph
    from nirc.targets.norse.target import TARGET as NORSE
    from nirc.targets.pygen.load import load_emitted
    from nirc.targets.snntorch.target import TARGET as SNNTORCH

    target = {"snntorch": SNNTORCH, "norse": NORSE}[framework]
    path = CORPUS / case.file
    options = {"semantics": framework, "dt": case.dt, "dtype": dtype}
    tag = f"{path.stem}-{framework}-{dtype}"
    n = itertools.count()

    def emit_in_process() -> Path:
        outdir = work / f"{tag}-emit{next(n)}"
        target.emit(nirc.read(path), outdir, **options)
        return outdir

    t_emit, outdir = best_of(repeat, emit_in_process)

    def translate() -> Path:
        outdir = work / f"{tag}-tool{next(n)}"
        cmd = [*tool_command(), str(path), f"--target={framework}", "-o", str(outdir)]
        cmd += ["--semantics", framework, "--dt", repr(case.dt), "--dtype", dtype]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        return outdir

    t_tool, tool_outdir = best_of(repeat, translate)
    if not same_files(outdir, tool_outdir):
        notes.append(
            f"WARNING: {tag}: nir-translate's model.py or weights.npz differ from TARGET.emit's "
            "(the process imports nirc afresh: was nirc edited during the run?)"
        )

    module = nirc.read(path)
    graph = top_graph(module).body.block.ops
    source = next(op for op in graph if isinstance(op, nir.InputOp))
    shape = tuple(shape_of(source.output))
    net = load_emitted(outdir)
    rows: list[list[Any]] = []
    for i, (batch, steps, p) in enumerate(case.quick if quick else case.inputs):
        x = make_input(shape, batch, steps, p, dtype)
        xt = torch.from_numpy(np.ascontiguousarray(np.swapaxes(x, 0, 1)))  # (T, B, ...), untimed

        def run_reference(x: np.ndarray = x) -> dict[str, np.ndarray]:
            with np.errstate(all="ignore"):
                return nirc.run(module, x, **options).outputs

        def run_emitted(xt: torch.Tensor = xt) -> Any:
            with torch.no_grad():
                return net(xt)

        names = list(run_reference(x[:, :2]))  # warm-up, and the Output names
        run_emitted(xt[:2])  # warm-up
        t_ref, ref = best_of(repeat, run_reference)
        t_net, y = best_of(repeat, run_emitted)
        got = as_outputs(y, names)
        s_net, s_ref = spikes(got), spikes(ref)
        if s_ref == 0 or s_net == 0:
            notes.append(f"WARNING: {tag}, batch {batch}: output all zero (emitted {s_net}, nir-run {s_ref} spikes)")
        emission = [f"{t_emit:.3f}", f"{t_tool:.3f}"] if i == 0 else ["-", "-"]
        rows.append(
            [
                case.file.removesuffix(".nir"),
                framework,
                dtype,
                f"{batch} x {steps}",
                *emission,
                f"{steps / t_net:,.0f}",
                f"{steps / t_ref:,.0f}",
                f"{t_ref / t_net:.3f}x",
                f"{s_net:,} / {s_ref:,}",
                "yes" if identical(got, ref) else "NO",
            ]
        )
    return rows


# ============================================================================ main


def framework_versions(threads: int | None) -> tuple[str, list[str]]:
    """The frameworks' version line and those installed."""
    try:
        import torch
    except ImportError:
        return "torch not installed", []
    how = "--threads" if threads else "torch's default"
    parts = [f"torch {torch.__version__} (CPU, {torch.get_num_threads()} threads: {how})"]
    found = []
    for name in FRAMEWORKS:
        try:
            module = __import__(name)
        except ImportError:
            parts.append(f"{name} not installed")
            continue
        parts.append(f"{name} {getattr(module, '__version__', '?')}")
        found.append(name)
    return ", ".join(parts), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat and smaller inputs: a smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="best of N (3; 1 with --quick)")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch.set_num_threads(N) first (default: torch's, one per core)"
    )
    args = parser.parse_args(argv)
    if args.threads and importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(args.threads)
    repeat = args.repeat or (1 if args.quick else 3)
    warnings.simplefilter("ignore")  # the paper's files are NIR < 1.0; norse's torch.jit deprecation

    print(f"# nirc torch targets: emission and steps per second{' (--quick)' if args.quick else ''}\n")
    print(versions())
    line, found = framework_versions(args.threads)
    print(line)
    print(machine())
    missing = [c.file for c in CASES if not (CORPUS / c.file).exists()]
    if missing or not LIF_TRACE.exists():
        print(
            f"\nskipped: no corpus at {CORPUS} (the paper corpus is expected in ../shared/corpus beside the repository)"
        )
        return 0
    if not found:
        print("\nskipped: neither snntorch nor norse (nor torch) is installed")
        return 0
    t0 = time.perf_counter()
    print("\n## Emission and steps per second\n")
    print(
        f"Best of {repeat}, `time.perf_counter`. Emission: `nirc.read` + `TARGET.emit` into a temporary directory "
        "in process, and the `nir-translate` process's wall time (`--semantics FW --dt DT --dtype DTYPE`), once per "
        "model, framework and dtype (the second LIF row reuses the first's emission). Steps/s = steps / seconds "
        "of the whole batch: the emitted `model.py` (imported with importlib, `load()`, `torch.no_grad()`, CPU) "
        "and `nirc.run(module, x, semantics=FW, dt=DT, dtype=DTYPE)` on the same input, after a 2-step warm-up; "
        "`emitted/nir-run` > 1 means the emitted model is faster. Semantics profile = the framework's own; "
        "dt = 1e-4 s, 1.0 for cnn_sinabs. Identical: every output entry equal to nirc.run's (same dtype).\n"
    )
    notes: list[str] = []
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_torch.") as work:
        for case in CASES:
            for framework in found:
                for dtype in DTYPES:
                    rows += measure(case, framework, dtype, repeat, args.quick, Path(work), notes)
    print(table(HEADERS, rows))
    print()
    print(
        "\n".join(notes)
        or "Check: every output has spikes in both runs, and nir-translate wrote the same model.py and weights "
        "as TARGET.emit."
    )
    print(f"\n(benchmark run took {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
