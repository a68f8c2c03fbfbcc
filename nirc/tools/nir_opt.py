"""`nir-opt`: parse a model, run passes, print or write it (xDSL's opt driver).

    nir-opt IN [-p PIPELINE | --PASS ...] [-o OUT]

IN and OUT are `.nir` (HDF5) or `.mlir` (text), chosen by extension; without ``-o``
the text goes to stdout.  Every registered pass is also a flag (``--lower-composites``),
applied after ``-p`` in command-line order.  The output file is written only when
everything succeeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from io import StringIO
from pathlib import Path
from typing import IO, ClassVar

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.exceptions import DiagnosticException
from xdsl.xdsl_opt_main import xDSLOptMain

from nirc.core.context import make_context
from nirc.core.dense import DEFAULT_BLOB_THRESHOLD
from nirc.core.errors import NircError
from nirc.core.extension import Component, blame, distribution, extensions, passes, pattern_files, pipelines
from nirc.core.pipeline import PipelineSpecError
from nirc.core.pipeline import build_pipeline as core_build_pipeline
from nirc.core.verify import error_from_verify, verify_module
from nirc.io.atomic import atomic_text_file
from nirc.io.files import NIR_SUFFIXES, read_nir, write
from nirc.io.text import parse_module, print_module
from nirc.tools.common import (
    STDIO,
    UsageError,
    add_memory_limit,
    apply_memory_limit,
    current_input,
    one_line_usage_errors,
    parse_compression,
    run_tool,
)

TOOL = "nir-opt"


def _nirc_version() -> str:
    try:
        return version("nirc")
    except PackageNotFoundError:  # pragma: no cover - source tree
        return "unknown"


#: xdsl-opt options nir-opt cannot honour: hidden from --help, refused when given (dest: default)
UNSUPPORTED: dict[str, object] = {
    "target": "mlir",
    "allow_unregistered_dialect": False,
    "no_implicit_module": False,
    "print_no_properties": False,
    "print_debuginfo": False,
    "syntax_highlight": False,
    "shrink": False,
}


class _AppendPass(argparse.Action):
    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        flags = list(getattr(namespace, "pass_flags", None) or [])
        # argparse hands over ``const`` when the flag comes without options
        flags.append(self.const if values is None or values == self.const else f"{self.const}{{{values}}}")
        namespace.pass_flags = flags


def build_pipeline(available_passes: dict[str, Callable[[], type[ModulePass]]], spec: str) -> tuple[ModulePass, ...]:
    """:func:`nirc.core.pipeline.build_pipeline`, its errors as usage errors."""
    try:
        return core_build_pipeline(spec, available_passes)
    except PipelineSpecError as exc:
        raise UsageError(str(exc)) from None


class NirOptMain(xDSLOptMain):
    """xDSL's opt driver with nirc's dialects, passes, `.nir` I/O and error rules."""

    version_format: ClassVar[str] = f"nir-opt (nirc {_nirc_version()}) built on xDSL {{xdsl_version}}"

    def register_all_dialects(self) -> None:
        self.ctx = make_context()

    def register_all_passes(self) -> None:
        for name, component in passes().items():
            self.register_pass(name, component.load)

    def register_all_targets(self) -> None:
        self.available_targets["mlir"] = lambda: None  # type: ignore[assignment,return-value]

    def register_all_frontends(self) -> None:
        self.available_frontends["mlir"] = self._parse_text
        for suffix in NIR_SUFFIXES:
            self.available_frontends[suffix.lstrip(".")] = self._read_nir

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--blob-threshold",
            type=int,
            default=DEFAULT_BLOB_THRESHOLD,
            help="tensors with more elements print as blobs (default %(default)s; -1: all inline)",
        )
        arg_parser.add_argument(
            "--compression",
            default="gzip",
            help="compression of .nir output: gzip (default), lzf, 0-9 (gzip level) or none",
        )
        arg_parser.add_argument("--print-ir-after-all", action="store_true", help="print the IR after every pass")
        one_line_usage_errors(arg_parser, "nir-opt")
        for action in arg_parser._actions:
            if action.dest in UNSUPPORTED:
                action.help = argparse.SUPPRESS
        add_memory_limit(arg_parser)
        arg_parser.add_argument(
            "--patterns",
            action="append",
            default=[],
            metavar="FILE",
            help="apply the rewrite patterns of a pattern file, then check its legality rules (after the other passes; "
            "repeatable; docs/patterns.md); FILE is a path or EXTENSION:NAME, a file an extension ships"
            + _shipped_patterns(),
        )
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        arg_parser.epilog = "extensions (entry-point group nirc.extensions; docs/plugins.md):\n" + "\n".join(
            f"  {e.name:<10} {e.summary or '(no summary)'} [{distribution(e.name) or 'registered in-process'}]"
            for e in extensions()
        )
        named = pipelines()
        group = arg_parser.add_argument_group("passes (also usable in -p)")
        for name, component in passes().items():
            if name not in named:
                group.add_argument(
                    f"--{name}", nargs="?", const=name, action=_AppendPass, metavar="OPTIONS", help=_help(component)
                )
        group = arg_parser.add_argument_group("named pipelines (also usable in -p)")
        for name, component in named.items():
            group.add_argument(
                f"--{name}", nargs="?", const=name, action=_AppendPass, metavar="OPTIONS", help=_help(component)
            )

    # ---------------------------------------------------------------- frontends
    def _line_offset(self) -> int:
        return getattr(self, "_current_offset", 0)

    def _parse_text(self, stream: IO[bytes]) -> ModuleOp:
        try:
            text = stream.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NircError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", rule="file-format") from None
        module = parse_module(text, self.ctx, self.get_input_name(), self._line_offset())
        if not self.args.disable_verify:
            verify_module(module)  # .nir input is verified as it is built
        return module

    def _read_nir(self, stream: IO[bytes]) -> ModuleOp:
        if self.args.input_file is None:
            raise UsageError("reading .nir needs a file name, not stdin")
        return read_nir(self.args.input_file)

    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0) -> ModuleOp | None:
        self._current_offset = start_offset
        return self.available_frontends[file_extension](chunk)

    # ---------------------------------------------------------------- pipeline
    def setup_pipeline(self) -> None:
        spec = self.args.passes
        flags = getattr(self.args, "pass_flags", None) or []
        if flags:
            spec = ",".join([s for s in (spec, *flags) if s])
        passes = build_pipeline(dict(self.available_passes), spec) if spec else ()
        if self.args.patterns:
            apply = self.available_passes.get("apply-patterns")
            if apply is None:
                raise UsageError("--patterns needs the apply-patterns pass, which no registered extension provides")
            passes = (*passes, *(apply()(file=path) for path in self.args.patterns))  # type: ignore[call-arg]
        print_after = self.args.print_between_passes or self.args.print_ir_after_all
        verify = not self.args.disable_verify
        self._timings: list[tuple[str, float]] = []
        clock = [time.perf_counter()]

        def callback(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
            self._running = following  # the pass apply_passes blames if it raises
            now = time.perf_counter()
            if previous is not None:
                self._timings.append((previous.name, now - clock[0]))
            if previous is None:
                clock[0] = time.perf_counter()
                return  # the frontends hand over verified modules
            if verify:
                verify_module(module)
                self._timings.append(("(verifier)", time.perf_counter() - now))
            clock[0] = time.perf_counter()
            if print_after and (following is not None or self.args.print_ir_after_all):
                print(f"// -----// IR Dump After {previous.name} //----- //", file=sys.stderr)
                print_module(module, sys.stderr, blob_threshold=self._blob_threshold())

        self.pipeline = PassPipeline(passes, callback)

    def _print_timings(self) -> None:
        """``--time-passes``: wall time per pass (and the verifier's, summed), as mlir-opt
        prints it, on stderr."""
        rows: dict[str, float] = {}
        for name, seconds in self._timings:
            rows[name] = rows.get(name, 0.0) + seconds
        total = sum(rows.values()) or 1e-12
        bar = "===" + "-" * 73 + "==="
        lines = [
            bar,
            "Pass execution timing report".center(79),
            bar,
            f"  Total Execution Time: {total:.4f} seconds",
            "",
        ]
        lines.append("  ----Wall Time----  ----Name----")
        for name, seconds in rows.items():
            lines.append(f"  {seconds:8.4f} ({100 * seconds / total:5.1f}%)  {name}")
        lines.append(f"  {total:8.4f} (100.0%)  Total")
        print("\n".join(lines), file=sys.stderr)

    def _blob_threshold(self) -> int | None:
        return None if self.args.blob_threshold < 0 else self.args.blob_threshold

    def apply_passes(self, prog: ModuleOp) -> None:
        """Run the pipeline; a plugin's pass that raises is named with its plugin."""
        self._running: ModulePass | None = None
        try:
            super().apply_passes(prog)
            if self.args.time_passes:
                self._print_timings()
        except Exception as exc:
            running = self._running
            err = blame("pass", running.name, exc) if running is not None else None
            if err is None:
                raise
            raise err from exc

    # ---------------------------------------------------------------- driver
    def run(self) -> None:  # type: ignore[override]
        apply_memory_limit(self.args)
        for dest, default in UNSUPPORTED.items():
            if getattr(self.args, dest, default) != default:
                flag = "--" + dest.replace("_", "-")
                raise UsageError(f"{flag} is xdsl-opt's and has no effect in nir-opt")
        if self.args.input_file == STDIO:  # standard input, as mlir-opt reads it
            self.args.input_file = None
        if self.args.input_file is not None and not Path(self.args.input_file).is_file():
            raise NircError("no such file", rule="file", file=self.args.input_file)
        current_input.append(self.get_input_name())
        if self.args.split_input_file and (self.args.input_file or "").lower().endswith(NIR_SUFFIXES):
            raise UsageError("--split-input-file splits text input; a .nir file holds one model")
        extension = self.args.frontend or Path(self.args.input_file or "x.mlir").suffix.lstrip(".")
        if extension not in self.available_frontends:
            known = ", ".join(f".{e}" for e in self.available_frontends)
            raise UsageError(f"cannot tell the format of '{self.args.input_file}': use {known}, or -f FORMAT")
        chunks, extension = self.prepare_input()
        modules: list[ModuleOp] = []
        diagnostics = self.args.verify_diagnostics or self.args.parsing_diagnostics
        for chunk, offset in chunks:
            try:
                module = self.parse_chunk(chunk, extension, offset)
                if module is None:
                    continue
                self.apply_passes(module)
                modules.append(module)
            except (NircError, DiagnosticException) as exc:
                if not diagnostics:
                    raise _in_file(exc, self.get_input_name()) from None
                print(exc)
            finally:
                chunk.close()
        self._emit(modules)

    def _emit(self, modules: list[ModuleOp]) -> None:
        out = self.args.output_file
        if out is not None and out.lower().endswith(NIR_SUFFIXES):
            if len(modules) != 1:
                raise UsageError(f"a .nir output holds one module, got {len(modules)}")
            write(modules[0], out, compression=parse_compression(self.args.compression))
            return
        buf = StringIO()
        for i, module in enumerate(modules):
            if i:
                buf.write("// -----\n")
            print_module(module, buf, blob_threshold=self._blob_threshold(), generic=self.args.print_op_generic)
        if out in (None, STDIO):
            sys.stdout.write(buf.getvalue())
        else:
            with atomic_text_file(out) as stream:
                stream.write(buf.getvalue())


def _shipped_patterns() -> str:
    """``: NAME, ...`` for ``--patterns``' help; nothing where an extension's pattern files
    cannot be listed (two of one name: ``--patterns EXTENSION:NAME`` says so when used),
    which must not stop every other command."""
    try:
        names = sorted(pattern_files())
    except NircError:
        return ""
    return ": " + (", ".join(names) or "none")


def _help(component: Component) -> str:
    """``run NAME`` and the extension it comes from (passes load only when run)."""
    return f"run {component.name} (extension {component.extension})"


def _in_file(exc: Exception, name: str) -> NircError:
    err = exc if isinstance(exc, NircError) else error_from_verify(exc)
    return err.in_file(name)


def main(argv: Sequence[str] | None = None) -> None:
    run_tool(TOOL, lambda: NirOptMain(description=__doc__.splitlines()[0], args=argv).run())


if __name__ == "__main__":  # pragma: no cover
    main()
