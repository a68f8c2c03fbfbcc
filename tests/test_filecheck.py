"""Run the lit + FileCheck suite in ``tests/filecheck`` (see its ``lit.cfg``).

The suite calls the installed ``nir-opt``, ``nir-translate`` and ``filecheck``; the
directory of this interpreter goes first on PATH so that they are the ones installed
with it (a venv need not be activated).  Skipped only when lit or filecheck is missing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parent / "filecheck"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "")])
    env.pop("NIRC_TRACEBACK", None)
    return env


def test_filecheck_suite() -> None:
    env = _env()
    if importlib.util.find_spec("lit") is None:
        pytest.skip("lit is not installed (pip install lit)")
    if shutil.which("filecheck", path=env["PATH"]) is None:
        pytest.skip("the filecheck executable is not on PATH (pip install filecheck)")
    # `python -m lit` needs a lit.__main__, which lit releases up to at least 18.x do
    # not ship; lit.main.main() is what the `lit` script calls.
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from lit.main import main; sys.exit(main())", "-q", "-v", str(SUITE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, f"lit failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
