"""Smoke tests of the benchmarks: each runs in its quick mode and prints its tables (no timing checks)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks" / "bench_io.py"
BENCH_PASSES = REPO / "benchmarks" / "bench_passes.py"
BENCH_SPECK = REPO / "benchmarks" / "bench_speck.py"
BENCH_TORCH = REPO / "benchmarks" / "bench_torch.py"


def run_quick(script: Path, *args: str, timeout: int) -> str:
    """Run a benchmark from the repository root; assert it exits 0; its stdout."""
    proc = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, cwd=REPO, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_bench_io_quick_prints_tables(tmp_path: Path) -> None:
    out = run_quick(BENCH, "--quick", "--skip-snn-mlir", "--work-dir", str(tmp_path), timeout=120)
    assert "| tool " in out and "| peak RSS MB |" in out  # the big-model table
    assert "| nirc/nir |" in out or "no corpus at" in out  # the corpus table (or its skip note)
    assert "| verify s |" in out  # the many-nodes table
    assert "skipped: --skip-snn-mlir" in out


def test_bench_passes_quick_prints_table() -> None:
    out = run_quick(BENCH_PASSES, "--quick", "--profile", "canonicalize", "--profile-top", "3", timeout=120)
    assert "| ms/node |" in out and "| gc off: ratio |" in out  # the per-pass table
    for step in ("canonicalize", "convert-nir-to-snn{dt=1e-4}", "snn-fuse-recurrent", "lower-composites"):
        assert f"| {step} " in out
    assert "recurrences fused" in out and "Targets (issue):" in out
    assert "## cProfile: canonicalize" in out


def test_bench_speck_quick_prints_tables() -> None:
    out = run_quick(BENCH_SPECK, "--quick", timeout=180)
    if "skipped: no model at" in out:  # the paper corpus is not beside the repository
        return
    assert "| stage " in out and "| % of nir-translate |" in out  # the compile-stage table
    for stage in ("read (`nirc.read`)", "canonicalize", "convert-nir-to-snn", "convert-snn-to-speck", "quantize", "speck-place",
                  "verify after speck-place", "spike agreement", "emit: ", "`nir-translate --target=speck` (process wall)"):  # fmt: skip
        assert f"| {stage}" in out or f"|   {stage}" in out or f"| **{stage}" in out, stage
    assert "| model " in out and "| steps/s |" in out and "| vs float nir |" in out  # the interpreter table
    assert "quantized `speck` module" in out


def test_bench_torch_quick_prints_table() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("snntorch")
    pytest.importorskip("norse")
    out = run_quick(BENCH_TORCH, "--quick", timeout=240)
    if "skipped: no corpus at" in out:  # the paper corpus is not beside the repository
        return
    for header in ("model", "framework", "dtype", "emit in-process s", "nir-translate wall s", "emitted steps/s",
                   "nir-run steps/s", "emitted/nir-run", "output spikes emitted / nir-run", "identical"):  # fmt: skip
        assert f"| {header} " in out, header
    for model in ("lif_norse", "braille_noDelay_bias_zero", "braille_noDelay_noBias_subtract", "cnn_sinabs"):
        for framework in ("snntorch", "norse"):
            assert re.search(rf"^\| {model} +\| {framework} +\| float(32|64) ", out, re.M), (model, framework)


def test_bench_xylo_quick_prints_table() -> None:
    out = run_quick(REPO / "benchmarks" / "bench_xylo.py", "--quick", timeout=240)
    if "skipped: no model at" in out:
        return
    assert "| step " in out and "goal <= 1 s" in out
    for row in ("`nir-translate --target=xylo` (process wall)", "`XyloTarget.compile`, no agreement", "rockpool"):
        assert row in out, row


def test_bench_xylo_kernel_quick_prints_table() -> None:
    out = run_quick(REPO / "benchmarks" / "bench_xylo_kernel.py", "--quick", timeout=240)
    if "not available" in out and "|" not in out:
        return  # rockpool's XyloSim is not installed: the script says so
    assert "kernels / XyloSim" in out and "| yes" in out


def test_bench_spinnaker2_quick_prints_table() -> None:
    out = run_quick(REPO / "benchmarks" / "bench_spinnaker2.py", "--quick", timeout=300)
    assert "| inter-chip packets: nirc | in order (peer) |" in out
    assert "| CNN, 5 conv layers (2x40x40 in) |" in out and "| columns: 333 x 3 x 100 |" in out
