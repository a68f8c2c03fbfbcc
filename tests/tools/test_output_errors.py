"""Where an output cannot be written, the error names the output, not the model: one
line, ``[file]``, exit 1, no traceback, nothing left behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nirc.examples import path as example

SRNN = example("srnn.nir")


def _one_file_error(result, names: Path) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 1, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    line = errors[0]
    assert line.endswith("[file]"), line
    assert f"error: {names}: " in line, line
    return line


@pytest.mark.parametrize("suffix", [".mlir", ".nir"])
def test_nir_opt_into_a_missing_directory(tmp_path: Path, tool, suffix: str) -> None:
    out = tmp_path / "nowhere" / f"out{suffix}"
    line = _one_file_error(tool("nir-opt", SRNN, "-o", out), out)
    assert "cannot write: No such file or directory" in line
    assert str(SRNN) not in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mode", ["--import-nir", "--export-nir"])
def test_nir_translate_into_a_missing_directory(tmp_path: Path, tool, mode: str) -> None:
    model = SRNN
    if mode == "--export-nir":
        model = tmp_path / "srnn.mlir"
        assert tool("nir-translate", "--import-nir", SRNN, "-o", model).code == 0
    out = tmp_path / "nowhere" / ("out.nir" if mode == "--export-nir" else "out.mlir")
    _one_file_error(tool("nir-translate", mode, model, "-o", out), out)
    assert not (tmp_path / "nowhere").exists()


def test_nir_run_into_a_missing_directory(tmp_path: Path, tool) -> None:
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((3, 12)))
    out = tmp_path / "nowhere" / "o.npz"
    _one_file_error(tool("nir-run", SRNN, "--input", x, "-o", out), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.npy"]


def test_nir_opt_onto_a_directory(tmp_path: Path, tool) -> None:
    out = tmp_path / "out.mlir"
    out.mkdir()
    _one_file_error(tool("nir-opt", SRNN, "-o", out), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mlir"] and list(out.iterdir()) == []


def test_target_refuses_a_foreign_directory_naming_it(tmp_path: Path, tool) -> None:
    outdir = tmp_path / "mine"
    outdir.mkdir()
    (outdir / "notes.txt").write_text("the user's own")
    line = _one_file_error(tool("nir-translate", SRNN, "--target=norse", "-o", outdir), outdir)
    assert "non-empty directory" in line and "choose another -o" in line
    assert str(SRNN) not in line  # the model is not to blame
    assert [p.name for p in outdir.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_target_refuses_a_file_as_outdir_naming_it(tmp_path: Path, tool) -> None:
    outdir = tmp_path / "out"
    outdir.write_text("a file")
    line = _one_file_error(tool("nir-translate", SRNN, "--target=snntorch", "-o", outdir), outdir)
    assert "is not a directory" in line and str(SRNN) not in line
    assert outdir.read_text() == "a file"
