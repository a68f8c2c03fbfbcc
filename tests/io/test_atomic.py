"""``nirc.io.atomic``: file-system errors are ``[file]`` errors naming the output, and
``owns`` recognises a target's earlier output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nirc.core.errors import NircError
from nirc.io.atomic import atomic_path, atomic_text_file, owns, replace_dir


def test_atomic_path_into_a_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "x.txt"
    with pytest.raises(NircError) as info, atomic_path(out):
        pytest.fail("the block must not run")  # pragma: no cover
    err = info.value
    assert err.rule == "file" and err.file == str(out)
    assert str(err) == f"{out}: cannot write: No such file or directory [file]"
    assert err.in_file("model.nir").file == str(out)  # a tool's attribution leaves it


def test_atomic_path_failing_to_rename_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    with pytest.raises(NircError, match=r"\[file\]") as info, atomic_text_file(out) as stream:
        stream.write("text")
    assert info.value.file == str(out)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"] and list(out.iterdir()) == []


def test_atomic_path_passes_other_errors_on(tmp_path: Path) -> None:
    with pytest.raises(KeyError), atomic_path(tmp_path / "x") as tmp:
        tmp.write_text("half")
        raise KeyError("the caller's")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("setup", "text"),
    [
        (lambda d: d.write_text("a file"), "exists and is not a directory"),
        (lambda d: (d.mkdir(), (d / "keep.txt").write_text("mine")), "a non-empty directory"),
    ],
)
def test_replace_dir_errors_name_the_directory(tmp_path: Path, setup, text: str) -> None:  # type: ignore[no-untyped-def]
    outdir = tmp_path / "OUT"
    setup(outdir)
    with pytest.raises(NircError) as info:
        replace_dir(outdir, lambda d: (d / "x").write_text("new"), owned=lambda d: False)
    err = info.value
    assert err.rule == "file" and err.file == str(outdir) and text in err.message
    assert str(err).startswith(f"{outdir}: ")
    assert err.in_file("model.nir").file == str(outdir)


def test_owns(tmp_path: Path) -> None:
    marker = tmp_path / "report.json"
    assert not owns(marker, "format", "f/1")  # missing
    marker.write_text(json.dumps({"format": "f/1"}))
    assert owns(marker, "format", "f/1")
    assert not owns(marker, "format", "f/2")
    assert not owns(marker, "target", "f/1")
    for text in ("not json", "[1, 2]", '"a string"', "\xff"):
        marker.write_text(text, encoding="latin-1")
        assert not owns(marker, "format", "f/1"), text
    marker.unlink()
    marker.mkdir()  # unreadable as a file
    assert not owns(marker, "format", "f/1")
