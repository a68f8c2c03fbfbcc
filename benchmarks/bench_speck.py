#!/usr/bin/env python3
"""Speck target benchmarks for nirc: where the time of compiling the NIR paper's Speck CNN
goes, and how fast the interpreter runs it; prints markdown tables, asserts nothing about time.

The model is ``cnn_sinabs.nir`` from ``../shared/corpus/paper`` beside the repository
(a skip note is printed if it is missing).  Two tables:

1. **Compile stages.** What ``nir-translate cnn_sinabs.nir --target=speck -o OUTDIR``
   does, stage by stage in one process, as :meth:`nirc.targets.speck.target.SpeckTarget.
   compile` and ``emit`` do it: ``nirc.read``; the copy of the input; each step of
   ``NirToSpeckPass().steps()`` in order, each followed by its own timed
   ``verify_module`` (and the copy of the float layers kept after ``convert-snn-to-speck``);
   the layers in schedule order; the spike agreement measurement (``spike_agreement``,
   which runs every float and every quantized layer on the target's random input and
   compares the counts with ``count_agreement``; then the same split into its parts);
   the report's quantization errors and utilisation; emission (``module_to_text`` and
   writing the JSON, the weights, the loader, the IR and the report into a temporary
   directory); then the wholes: ``SpeckTarget.compile`` with and without the agreement,
   ``nirc.read`` + ``SpeckTarget.emit`` (what the tool runs), and the ``nir-translate``
   process itself (wall time, interpreter start and imports included), with and without
   ``--no-agreement``.  Best of ``--repeat``; share of the ``nir-translate`` wall time.
2. **Interpreter speed.** Steps per second of ``nirc.run`` on random input events
   (batch 8, 100 steps, p = 0.05; ``--quick``: batch 2, 20 steps) for the float `nir`
   model under the ``speck`` profile (the semantics the target's agreement uses), the
   float `speck` layers (after ``convert-snn-to-speck``) and the quantized `speck` module the
   compile produces, and their speed relative to the float `nir` model.

Usage::

    python benchmarks/bench_speck.py             # about 30 s
    python benchmarks/bench_speck.py --quick     # one repeat, a smaller run: a smoke run (~10 s)

Other options: ``--repeat N`` (best of N, default 3; 1 with --quick), ``--batch B`` and
``--steps T`` (the interpreter table's input).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_io import table, versions  # noqa: E402  (the house table and version line)
from bench_passes import machine  # noqa: E402  (the CPU and load average line)

MODEL = Path(__file__).resolve().parents[2] / "shared/corpus/paper/cnn_sinabs.nir"

#: The interpreter table's input: batch, steps, event probability (the target's), seed.
RUN_INPUT = (8, 100, 0.05, 0)
RUN_INPUT_QUICK = (2, 20, 0.05, 0)


def step_label(step: Any) -> str:
    """A pass as a pipeline names it, with the options that differ from the pass's
    defaults: ``quantize{bias-bits=8 state-bits=16}``."""
    args = []
    if dataclasses.is_dataclass(step):
        for f in dataclasses.fields(step):
            v = getattr(step, f.name)
            if f.default is not dataclasses.MISSING and v == f.default:
                continue
            args.append(f"{f.name.replace('_', '-')}={str(v).lower() if isinstance(v, bool) else v}")
    return f"{step.name}{{{' '.join(args)}}}" if args else step.name


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of ``fn()`` and its result (the previous stage's garbage collected first, untimed)."""
    gc.collect()
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


class Best:
    """The best (least) seconds per stage, over repeats, in the order first seen."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = min(seconds, self.seconds.get(stage, float("inf")))

    def time(self, stage: str, fn: Callable[[], Any]) -> Any:
        seconds, result = _timed(fn)
        self.add(stage, seconds)
        return result


# ============================================================================ compile stages


def _agreement_parts(float_layers: list[Any], int_layers: list[Any], x: np.ndarray, best: Best) -> list[dict[str, Any]]:
    """:func:`spike_agreement` again with its parts timed: the float layers' runs, the
    quantized layers' runs and ``count_agreement`` (summed over the layers)."""
    from nirc.core.profiles import resolve
    from nirc.interp.agreement import count_agreement
    from nirc.targets.speck.kernels import LayerKernel

    sem = resolve("speck", None)
    values: dict[Any, np.ndarray] = {}
    rows = []
    t_float = t_int = t_count = 0.0
    gc.collect()
    for f_op, q_op in zip(float_layers, int_layers, strict=True):
        xs = values.get(f_op.operands[0], x)
        t0 = time.perf_counter()
        f_kernel = LayerKernel(f_op, sem)
        f_kernel.reset(xs.shape[1])
        yf = f_kernel.run(xs)
        t1 = time.perf_counter()
        q_kernel = LayerKernel(q_op, sem)
        q_kernel.reset(xs.shape[1])
        yq = q_kernel.run(xs)
        t2 = time.perf_counter()
        agreement = count_agreement(yf.sum(axis=0), yq.sum(axis=0))
        t3 = time.perf_counter()
        t_float, t_int, t_count = t_float + t1 - t0, t_int + t2 - t1, t_count + t3 - t2
        values[f_op.results[0]] = yf
        rows.append(
            {
                "layer": f_op.nir_name,
                "float_spikes": int(yf.sum()),
                "quantized_spikes": int(yq.sum()),
                "count_agreement": agreement,
            }
        )
    best.add(PART_FLOAT, t_float)
    best.add(PART_INT, t_int)
    best.add(PART_COUNT, t_count)
    return rows


AGREEMENT = "spike agreement (`spike_agreement` on {batch} x {steps} random events)"
PART_FLOAT = "  of which the float layers (`LayerKernel.run`)"
PART_INT = "  of which the quantized layers (`LayerKernel.run`)"
PART_COUNT = "  of which `count_agreement`"
WHOLE_COMPILE = "**whole compile (`SpeckTarget.compile`)**"
WHOLE_COMPILE_NO = "**whole compile, agreement off (`compile(agreement=False)`)**"
WHOLE_INPROC = "**`nirc.read` + `SpeckTarget.emit` in process**"
WHOLE_TOOL = "**`nir-translate --target=speck` (process wall)**"
WHOLE_TOOL_NO = "**`nir-translate --target=speck --no-agreement` (process wall)**"
STARTUP = "interpreter start, imports, CLI (process wall - in process)"


def _tool_command() -> list[str]:
    """``nir-translate`` of this interpreter's environment (else ``python -m``)."""
    script = Path(sys.executable).parent / "nir-translate"
    if script.exists():
        return [str(script)]
    found = shutil.which("nir-translate")
    return [found] if found else [sys.executable, "-m", "nirc.tools.nir_translate"]


def measure_compile(path: Path, repeat: int, work: Path) -> tuple[Best, dict[str, Any]]:
    """Per stage the best seconds over ``repeat`` runs; and what the check needs."""
    from xdsl.context import Context

    import nirc
    from nirc.core.node import shape_of
    from nirc.core.verify import verify_module
    from nirc.dialects import nir
    from nirc.dialects.nir import top_graph
    from nirc.io.atomic import replace_dir
    from nirc.io.text import module_to_text
    from nirc.passes.quantize import QuantizePass, quantize_module
    from nirc.targets.speck import emit as emitter
    from nirc.targets.speck.nir_to_speck import NirToSpeckPass
    from nirc.targets.speck.place import utilisation
    from nirc.targets.speck.target import AGREEMENT_INPUT, TARGET, _layers, _owned, spike_agreement

    batch, steps, p, seed = AGREEMENT_INPUT
    agreement_stage = AGREEMENT.format(batch=batch, steps=steps)
    best = Best()
    # untimed, once: the reference the stages are checked against, the report the
    # artefacts hold, and a warm-up (lazy imports, first calls)
    ref_compiled, report = TARGET.compile(nirc.read(path))
    out: dict[str, Any] = {"reference": module_to_text(ref_compiled), "report": report, "cmd": _tool_command()}
    n = 0

    def outdir() -> Path:
        nonlocal n
        n += 1
        return work / f"out{n}"

    def once() -> None:
        """One repeat of every stage."""
        module = best.time("read (`nirc.read`)", lambda: nirc.read(path))
        # SpeckTarget.compile, stage by stage
        compiled = best.time("copy of the input (`module.clone()`)", module.clone)
        ctx = Context()
        float_module = compiled
        errors: dict[str, Any] = {}
        for step in NirToSpeckPass().steps():
            label = step_label(step)
            if isinstance(step, QuantizePass):  # the target quantizes through the Python API, for the report
                float_module = best.time("  copy of the float layers (`module.clone()`)", compiled.clone)
                errors = best.time(label, lambda s=step: quantize_module(compiled, s.options()))
            else:
                best.time(label, lambda s=step: s.apply(ctx, compiled))
            best.time(f"  verify after {step.name}", lambda: verify_module(compiled))
        float_layers, int_layers = best.time(
            "layers in schedule order (`_layers` x 2)", lambda: (_layers(float_module), _layers(compiled))
        )
        measured = [f for f, q in zip(float_layers, int_layers, strict=True) if not f.quantized]
        assert measured, "no layer quantized by nirc: nothing to measure"
        source = next(op for op in top_graph(compiled).body.block.ops if isinstance(op, nir.InputOp))
        x = np.random.default_rng(seed).random((steps, batch, *shape_of(source.output))) < p
        rows = best.time(agreement_stage, lambda: spike_agreement(float_layers, int_layers, x))
        parts = _agreement_parts(float_layers, int_layers, x, best)
        assert len(errors.layers) == len(measured)  # type: ignore[attr-defined]
        best.time("report: utilisation", lambda: utilisation(int_layers))
        # SpeckTarget.emit after the compile: print the IR, write the artefacts
        text = best.time("emit: `module_to_text` (model.mlir)", lambda: module_to_text(compiled))
        out_emit, out_whole = outdir(), outdir()
        best.time(
            "emit: write the artefacts (`replace_dir` + `emit.write`)",
            lambda: replace_dir(out_emit, lambda tmp: emitter.write(tmp, text, top_graph(compiled), report), _owned),
        )
        # the wholes
        best.time(WHOLE_COMPILE, lambda: TARGET.compile(module))
        best.time(WHOLE_COMPILE_NO, lambda: TARGET.compile(module, agreement=False))
        best.time(WHOLE_INPROC, lambda: TARGET.emit(nirc.read(path), out_whole))
        for stage, extra in ((WHOLE_TOOL, []), (WHOLE_TOOL_NO, ["--no-agreement"])):
            cmd = [*_tool_command(), str(path), "--target=speck", "-o", str(outdir()), *extra]
            t = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            seconds = time.perf_counter() - t
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
            best.add(stage, seconds)
        out.update(rows=rows, parts=parts, text=text)

    for _ in range(repeat):
        once()
    best.add(STARTUP, best.seconds[WHOLE_TOOL] - best.seconds[WHOLE_INPROC])
    return best, out


def check_mirror(out: dict[str, Any]) -> str:
    """One line: the stage-by-stage compile above gives what ``SpeckTarget.compile`` gives
    (so a change to the target that this script does not follow shows up here)."""
    same_ir = out["reference"] == out["text"]
    measured = {r["layer"]: r for r in out["report"]["layers"] if "count_agreement" in r}
    same_rows = all(
        all(measured.get(r["layer"], {}).get(k) == v for k, v in r.items() if k != "layer")
        for rows in (out["rows"], out["parts"])
        for r in rows
    ) and len(measured) == len(out["rows"])
    if same_ir and same_rows:
        agreements = ", ".join(f"{r['layer']}: {r['count_agreement']:.1%}" for r in out["rows"])
        return f"Check: the stages give the IR and the agreement rows `SpeckTarget.compile` gives (count agreement per layer {agreements})."
    return (
        "WARNING: the stages above no longer match `SpeckTarget.compile` "
        f"(same IR: {same_ir}, same agreement rows: {same_rows}): update this script."
    )


def compile_table(best: Best) -> str:
    whole = best.seconds[WHOLE_TOOL]
    rows = [[stage, f"{s:.4f}", f"{100 * s / whole:.1f}"] for stage, s in best.seconds.items()]
    return table(["stage", "seconds", "% of nir-translate"], rows)


# ============================================================================ interpreter


def measure_run(path: Path, run_input: tuple[int, int, float, int], repeat: int) -> list[list[Any]]:
    """Rows of the interpreter table."""
    from xdsl.context import Context

    import nirc
    from nirc.core.node import shape_of
    from nirc.dialects import nir
    from nirc.dialects.nir import top_graph
    from nirc.targets.speck.nir_to_speck import NirToSpeckPass
    from nirc.targets.speck.target import TARGET

    batch, steps, p, seed = run_input
    module = nirc.read(path)
    source = next(op for op in top_graph(module).body.block.ops if isinstance(op, nir.InputOp))
    x = np.random.default_rng(seed).random((batch, steps, *shape_of(source.output))) < p
    float_layers = module.clone()
    NirToSpeckPass(quantize=False).apply(Context(), float_layers)
    quantized, _ = TARGET.compile(module, agreement=False)
    cases = [
        ('float `nir` model, `nirc.run(semantics="speck")`', module, {"semantics": "speck"}),
        ("float `speck` layers (`nir-to-speck{quantize=false}`)", float_layers, {}),
        ("quantized `speck` module (`SpeckTarget.compile`)", quantized, {}),
    ]
    rows: list[list[Any]] = []
    base = None
    for name, m, kwargs in cases:
        nirc.run(m, x[:1, :2], **kwargs)  # warm-up
        seconds = float("inf")
        for _ in range(repeat):
            t, result = _timed(lambda m=m, kwargs=kwargs: nirc.run(m, x, **kwargs))
            seconds = min(seconds, t)
        spikes = int(sum(v.sum() for v in result.outputs.values()))
        rate = steps / seconds
        base = base or rate
        rows.append([name, f"{seconds:.3f}", f"{rate:,.0f}", f"{rate / base:.2f}x", f"{spikes:,}"])
    return rows


# ============================================================================ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat and a smaller interpreter run: a smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="best of N (3; 1 with --quick)")
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help=f"interpreter table: batch ({RUN_INPUT[0]}; {RUN_INPUT_QUICK[0]} with --quick)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"interpreter table: time steps ({RUN_INPUT[1]}; {RUN_INPUT_QUICK[1]} with --quick)",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    batch, steps, p, seed = RUN_INPUT_QUICK if args.quick else RUN_INPUT
    batch, steps = args.batch or batch, args.steps or steps
    warnings.simplefilter("ignore")  # the paper's file is NIR < 1.0: one warning per neuron

    print(f"# nirc Speck target benchmarks{' (--quick)' if args.quick else ''}\n")
    print(versions())
    print(machine())
    if not MODEL.exists():
        print(
            f"\nskipped: no model at {MODEL} (the paper corpus is expected in ../shared/corpus beside the repository)"
        )
        return 0
    t0 = time.perf_counter()

    from nirc.targets.speck.target import AGREEMENT_INPUT

    print(f"\n## Compile stages: {MODEL.name} --target=speck\n")
    print(
        "Each stage timed on its own with `time.perf_counter` (after an untimed `gc.collect()`), in one process, "
        f"best of {repeat}; each repeat from a fresh `nirc.read`. The stages are those of `SpeckTarget.compile` "
        "and `emit` in order: the steps of `NirToSpeckPass().steps()` run on one module, each followed by "
        "`verify_module`; the agreement runs every float and quantized layer on the target's random input "
        f"(batch {AGREEMENT_INPUT[0]}, {AGREEMENT_INPUT[1]} steps, p = {AGREEMENT_INPUT[2]}); its three parts "
        "come from a second, instrumented run of the same. Emission writes into a temporary directory. "
        "Bold rows are wholes. The last column divides by the `nir-translate` process's wall time; the row "
        "before it is that wall time less the same work in process.\n"
    )
    with tempfile.TemporaryDirectory(prefix="bench_speck.") as work:
        best, out = measure_compile(MODEL, repeat, Path(work))
    print(compile_table(best))
    staged = sum(s for k, s in best.seconds.items() if not k.startswith(("**", "  of which", "read", "emit", STARTUP)))
    print(
        f"\nThe compile's stages sum to {staged:.3f} s; the whole `SpeckTarget.compile` took "
        f"{best.seconds[WHOLE_COMPILE]:.3f} s. Command: `{' '.join([Path(out['cmd'][0]).name, *out['cmd'][1:]])} "
        f"{MODEL.name} --target=speck -o OUTDIR`."
    )
    print(check_mirror(out))

    print(f"\n## Interpreter: {MODEL.name}, batch {batch}, {steps} steps\n")
    print(
        f"`nirc.run` on random input events (p = {p}, seed {seed}; float64, the profiles' dtype), best of {repeat} "
        "after a 2-step warm-up; steps per second = steps / seconds of the whole batch. The quantized module "
        "is integer arithmetic in float64 (its semantics are fixed: no profile applies); relative speed is "
        "steps/s over the float `nir` model's.\n"
    )
    rows = measure_run(MODEL, (batch, steps, p, seed), repeat)
    print(table(["model", "seconds", "steps/s", "vs float nir", "output spikes"], rows))
    print(f"\n(benchmark run took {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
