"""Smoke tests of the benchmarks: each runs in its quick mode and prints its tables (no timing checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks" / "bench_io.py"
BENCH_PASSES = REPO / "benchmarks" / "bench_passes.py"


def test_bench_io_quick_prints_tables(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--skip-snn-mlir", "--work-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "| tool " in out and "| peak RSS MB |" in out  # the big-model table
    assert "| nirc/nir |" in out or "no corpus at" in out  # the corpus table (or its skip note)
    assert "| verify s |" in out  # the many-nodes table
    assert "skipped: --skip-snn-mlir" in out


def test_bench_passes_quick_prints_table() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH_PASSES), "--quick", "--profile", "canonicalize", "--profile-top", "3"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "| ms/node |" in out and "| gc off: ratio |" in out  # the per-pass table
    for step in ("canonicalize", "convert-nir-to-snn{dt=1e-4}", "snn-fuse-recurrent", "lower-composites"):
        assert f"| {step} " in out
    assert "recurrences fused" in out and "Targets (issue):" in out
    assert "## cProfile: canonicalize" in out
