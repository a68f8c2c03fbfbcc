"""The textual IR: print and parse modules, with large tensors as blobs.

A printed module is the xDSL/MLIR text of the ops followed, when some tensor has more
elements than the blob threshold, by a resource section in MLIR's layout::

    {-#
      dialect_resources: {
        nir: {
          blob_9f2c...: "0x04000000<hex of the little-endian bytes>"
        }
      }
    #-}

(The first four bytes are the alignment, as MLIR writes them.)  The section is decoded
before the ops are parsed, into a table that lives only for that parse, so one
process can parse any number of files without them sharing or losing blobs.  Output is
deterministic: blob keys are content hashes, and the same module prints the same bytes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import ParseError

from nirc.core.context import make_context
from nirc.core.dense import DEFAULT_BLOB_THRESHOLD, BlobTable, current_blobs
from nirc.core.errors import NircError
from nirc.io import xdsl_compat  # noqa: F401  (fixes xDSL's lexing of UTF-8 strings)
from nirc.io.printer import NircPrinter

_SECTION_START = "{-#"
_SECTION_END = "#-}"
_ENTRY = re.compile(r'([\w$.-]+|"[^"]*")\s*:\s*"0x([0-9A-Fa-f]*)"')
_CHUNK = 1 << 22


@contextmanager
def _blob_scope(table: BlobTable | None) -> Iterator[None]:
    token = current_blobs.set(table)
    try:
        yield
    finally:
        current_blobs.reset(token)


# ------------------------------------------------------------------------ printing


def print_module(
    module: Operation,
    stream: IO[str] | None = None,
    *,
    blob_threshold: int | None = DEFAULT_BLOB_THRESHOLD,
    generic: bool = False,
) -> None:
    """Print ``module`` to ``stream`` (stdout by default).

    Tensors with more than ``blob_threshold`` elements print as blobs; ``None`` prints
    every tensor inline."""
    out = stream if stream is not None else sys.stdout
    table = BlobTable(threshold=blob_threshold) if blob_threshold is not None else None
    with _blob_scope(table):
        NircPrinter(stream=out, print_generic_format=generic).print_op(module)
    out.write("\n")
    if table is not None and table.blobs:
        _write_blob_section(out, table.blobs)


def module_to_text(module: Operation, **kwargs: object) -> str:
    """The text of ``module`` (see :func:`print_module`)."""
    import io

    buf = io.StringIO()
    print_module(module, buf, **kwargs)  # type: ignore[arg-type]
    return buf.getvalue()


def _write_blob_section(out: IO[str], blobs: dict[str, np.ndarray]) -> None:
    out.write("\n{-#\n  dialect_resources: {\n    nir: {\n")
    for i, (key, arr) in enumerate(blobs.items()):
        data = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        align = max(int(data.dtype.itemsize), 1).to_bytes(4, "little").hex()
        out.write(f'      {key}: "0x{align}')
        view = memoryview(np.ascontiguousarray(data)).cast("B")
        for start in range(0, len(view), _CHUNK):
            out.write(view[start : start + _CHUNK].hex())
        out.write('",\n' if i + 1 < len(blobs) else '"\n')
    out.write("    }\n  }\n#-}\n")


# ------------------------------------------------------------------------- parsing


def _split_blob_section(text: str) -> tuple[str, BlobTable]:
    """Separate the trailing resource section (if any) from the ops and decode it."""
    table = BlobTable()
    # the section opens at the start of a line (a string literal holds no raw newline, so
    # a '{-#' inside a name or metadata string is never taken for it) and ends the text
    start = text.rfind("\n" + _SECTION_START) + 1 if not text.startswith(_SECTION_START) else 0
    if start <= 0 and not text.startswith(_SECTION_START):
        return text, table
    end = text.find(_SECTION_END, start)
    if end < 0:
        raise NircError("unterminated '{-#' resource section", rule="text-syntax")
    if text[end + len(_SECTION_END) :].strip():
        raise NircError("text after the '{-#' resource section, which ends the module", rule="text-syntax")
    section = text[start + len(_SECTION_START) : end]
    assert table.blobs is not None
    for match in _ENTRY.finditer(section):
        key = match.group(1).strip('"')
        hexdata = match.group(2)
        if len(hexdata) % 2 or len(hexdata) < 8:
            raise NircError(f"blob '{key}' is malformed", rule="text-syntax")
        raw = bytes.fromhex(hexdata[8:])
        table.blobs[key] = np.frombuffer(raw, dtype=np.uint8)
    # Keep line numbers of the ops intact: the section is replaced by nothing at the end.
    return text[:start] + text[end + len(_SECTION_END) :], table


def parse_module(text: str, ctx: Context | None = None, name: str = "<string>", line_offset: int = 0) -> ModuleOp:
    """Parse the textual IR (custom or generic form) into a module.

    Raises :class:`NircError` for malformed text; the module is not verified."""
    ops_text, table = _split_blob_section(text)
    with _blob_scope(table):
        try:
            return Parser(ctx or make_context(), ops_text, name).parse_module()
        except ParseError as exc:
            raise NircError(_parse_error_line(exc, line_offset), rule="text-syntax") from None
        except RecursionError:
            raise NircError(
                f"the text nests {nesting_depth(ops_text)} levels deep (brackets, braces, parentheses): "
                "deeper than the parser follows",
                rule="limit",
            ) from None


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``( [ {`` in ``text`` (string literals included: an estimate
    for the message only)."""
    codes = np.frombuffer(text.encode("utf-8", "replace"), np.uint8)
    opens = np.isin(codes, np.frombuffer(b"([{", np.uint8)).astype(np.int64)
    closes = np.isin(codes, np.frombuffer(b")]}", np.uint8)).astype(np.int64)
    return int(np.cumsum(opens - closes).max(initial=0))


def _parse_error_line(exc: ParseError, line_offset: int = 0) -> str:
    """``line L:C: message`` from an xDSL ParseError."""
    loc = exc.span.get_location()
    return f"line {loc.line + line_offset}:{loc.col}: {exc.msg}"
