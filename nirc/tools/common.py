"""What every nirc tool shares: one-line errors, warnings and exit codes.

Exit codes: 0 success, 1 bad input (the model, a file), 2 bad usage (options,
pass pipelines).  Errors are one line on stderr, ``TOOL: error: FILE: node 'N':
MESSAGE [RULE]``; no traceback unless ``NIRC_TRACEBACK=1`` is set.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import DiagnosticException, ParseError

from nirc.core import budget
from nirc.core.errors import NircError, Violations, printable
from nirc.core.verify import error_from_verify, verify_module
from nirc.io.files import read, read_nir
from nirc.io.text import parse_module

#: The file a tool is reading, named in warnings.
current_input: list[str] = []

EXIT_INPUT = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad options or arguments (exit code 2)."""


def parse_compression(value: str) -> object:
    """``--compression``: gzip (default), lzf, szip, a gzip level 0-9, or none."""
    if value.lower() == "none":
        return None
    if value.isdigit():
        level = int(value)
        if not 0 <= level <= 9:
            raise UsageError(f"gzip level must be 0-9, got {level}")
        return level
    if value not in ("gzip", "lzf", "szip"):
        raise UsageError(f"unknown compression {value!r}; choose gzip, lzf, szip, 0-9 or none")
    return value


def _show_warning(tool: str) -> Callable[..., None]:
    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: object = None,
        line: str | None = None,
    ) -> None:
        where = f"{current_input[-1]}: " if current_input else ""
        print(printable(f"{tool}: warning: {where}{str(message).strip()}".replace("\n", " ")), file=sys.stderr)

    return show


def fail(tool: str, message: object, code: int) -> NoReturn:
    text = printable(str(message).strip().replace("\n", " "))
    print(f"{tool}: error: {text}", file=sys.stderr)
    sys.exit(code)


def run_tool(tool: str, body: Callable[[], int | None]) -> NoReturn:
    """Run ``body`` and turn every failure into one line and an exit code."""
    warnings.showwarning = _show_warning(tool)  # type: ignore[assignment]
    try:
        code = body() or 0
    except Violations as err:
        for line in err.lines():
            print(f"{tool}: error: {line}", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except NircError as err:
        fail(tool, err, EXIT_INPUT)
    except UsageError as err:
        fail(tool, err, EXIT_USAGE)
    except ParseError as err:
        loc = err.span.get_location()
        fail(tool, f"{loc.file}: line {loc.line}:{loc.col}: {err.msg} [text-syntax]", EXIT_INPUT)
    except DiagnosticException as err:
        fail(tool, error_from_verify(err), EXIT_INPUT)
    except RecursionError:
        where = f"{current_input[-1]}: " if current_input else ""
        fail(tool, f"{where}the model nests deeper than nirc follows (Python's recursion limit) [limit]", EXIT_INPUT)
    except KeyboardInterrupt:
        fail(tool, "interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug in nirc: still one line, but say so
        if os.environ.get("NIRC_TRACEBACK"):
            traceback.print_exc()
        fail(
            tool,
            f"internal error: {type(exc).__name__}: {exc} (please report; NIRC_TRACEBACK=1 shows the traceback)",
            EXIT_INPUT,
        )
    sys.exit(code)


#: The file name that stands for standard input or output, as in mlir-opt.
STDIO = "-"


def read_model(path: str) -> ModuleOp:
    """``nirc.read(path)``, or with ``-`` the model on standard input: text IR, or a
    `.nir` (HDF5, told by its signature)."""
    if path != STDIO:
        return read(path)
    data = sys.stdin.buffer.read()
    if data.startswith(b"\x89HDF"):
        with tempfile.TemporaryDirectory(prefix="nirc-") as tmp:
            file = Path(tmp) / "stdin.nir"
            file.write_bytes(data)
            try:
                return read_nir(file)
            except NircError as err:
                err.file = "<stdin>"
                raise
    try:
        module = parse_module(data.decode("utf-8"), name="<stdin>")
        verify_module(module)
    except UnicodeDecodeError as exc:
        raise NircError(f"cannot read: {exc}", rule="file", file="<stdin>") from None
    except NircError as err:
        raise err.in_file("<stdin>") from None
    return module


def write_stdout(fill: Callable[[Path], None]) -> None:
    """Write a binary output (``.nir``, ``.npz``) to standard output: ``fill`` writes it to
    a temporary file first, so nothing partial reaches the pipe."""
    with tempfile.TemporaryDirectory(prefix="nirc-") as tmp:
        file = Path(tmp) / "out"
        fill(file)
        with open(file, "rb") as src:
            shutil.copyfileobj(src, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _memory_size(text: str) -> str:
    try:
        budget.parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def add_memory_limit(parser: argparse.ArgumentParser) -> None:
    """``--memory-limit SIZE``: the budget declared sizes are checked against (nirc.core.budget)."""
    parser.add_argument(
        "--memory-limit",
        type=_memory_size,
        metavar="SIZE",
        help=f"refuse input that declares more than SIZE bytes (8G, 512M, none; default: ${budget.ENV} or half "
        "this machine's memory)",
    )


def apply_memory_limit(args: argparse.Namespace) -> None:
    if getattr(args, "memory_limit", None) is not None:
        os.environ[budget.ENV] = args.memory_limit


def one_line_usage_errors(parser: argparse.ArgumentParser, tool: str) -> None:
    """Make ``parser`` report a usage error as one line (exit 2), naming the closest known
    option for a misspelled one, instead of printing its whole usage."""

    def error(message: str) -> NoReturn:
        hint = ""
        if "unrecognized arguments:" in message:
            given = message.split("unrecognized arguments:", 1)[1].split()
            known = [o for o in parser._option_string_actions if o.startswith("--")]
            for arg in given:
                close = difflib.get_close_matches(arg.split("=", 1)[0], known, n=1)
                if close:
                    hint = f"; did you mean {close[0]}?"
                    break
        fail(tool, f"{message}{hint} ({tool} --help lists the options)", EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]
