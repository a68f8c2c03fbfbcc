"""Models as files and text: read, write, parse and print modules (``nirc.read`` ...)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from nirc.core.errors import NircError
from nirc.core.verify import verify_module
from nirc.io.atomic import atomic_text_file
from nirc.io.from_dict import module_from_dict
from nirc.io.hdf5 import read_node_dict, write_node_dict
from nirc.io.text import module_to_text, parse_module
from nirc.io.to_dict import module_to_dict

#: File extensions nirc reads and writes, by format.
NIR_SUFFIXES = (".nir", ".h5", ".hdf5")
TEXT_SUFFIXES = (".mlir",)


def _is_text(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in TEXT_SUFFIXES


def read(path: str | os.PathLike[str]) -> ModuleOp:
    """Read a model: a `.nir` (HDF5) file or a `.mlir` text file; the result is verified.

    Legacy `.nir` files load with :class:`nirc.NircWarning` warnings where a value was
    defaulted or repaired.  Bad input raises :class:`nirc.NircError`."""
    name = str(path)
    if _is_text(path):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NircError(
                f"cannot read: {exc.strerror if isinstance(exc, OSError) else exc}", rule="file", file=name
            ) from None
        try:
            module = parse_module(text, name=name)
            verify_module(module)
        except NircError as err:
            raise err.in_file(name) from None
        return module
    return read_nir(path)


def read_nir(path: str | os.PathLike[str]) -> ModuleOp:
    """Read a `.nir` (HDF5) file, whatever its extension; the result is verified.  Errors
    name the file."""
    node, _version = read_node_dict(path)
    try:
        return module_from_dict(node)
    except NircError as err:
        raise err.in_file(str(path)) from None


def write(
    module: ModuleOp,
    path: str | os.PathLike[str],
    *,
    compression: Any = "gzip",
    compression_opts: Any = None,
    blob_threshold: int | None = 64,
) -> None:
    """Write a module as `.nir` (HDF5, ``compression`` as in ``nir.write``) or, for a
    `.mlir` path, as text.  The file appears only once it is complete."""
    name = str(path)
    if _is_text(path):
        with atomic_text_file(path) as out:
            out.write(module_to_text(module, blob_threshold=blob_threshold))
        return
    try:
        write_node_dict(module_to_dict(module), path, compression=compression, compression_opts=compression_opts)
    except NircError as err:
        raise err.in_file(name) from None


def parse(text: str) -> ModuleOp:
    """Parse and verify textual IR."""
    module = parse_module(text)
    verify_module(module)
    return module


def to_text(module: ModuleOp, *, blob_threshold: int | None = 64, generic: bool = False) -> str:
    """Print a module as text (large tensors as blobs unless ``blob_threshold=None``)."""
    return module_to_text(module, blob_threshold=blob_threshold, generic=generic)
