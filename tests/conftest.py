"""Shared fixtures: paths, the paper corpus and a runner for the command-line tools."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "paper"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"paper corpus not found at {CORPUS}")
    return CORPUS


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_tool(tool: str, *args: str | Path, cwd: Path | None = None) -> Result:
    """Run ``tool`` (``nir-opt``, ``nir-translate``) through its module with this Python."""
    module = {
        "nir-opt": "nirc.tools.nir_opt",
        "nir-translate": "nirc.tools.nir_translate",
        "nir-run": "nirc.tools.nir_run",
    }[tool]
    proc = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def tool():
    return run_tool
