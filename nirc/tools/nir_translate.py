"""`nir-translate`: convert between `.nir` (HDF5) and text, or emit a target's artefacts.

    nir-translate --import-nir IN.nir [-o OUT.mlir]
    nir-translate --export-nir IN.mlir -o OUT.nir
    nir-translate IN --target=NAME -o OUTDIR [target options]

A target declares its own options (``nirc.core.target.TargetOption``); they are added
to the command line once ``--target`` names it (``--target=speck --help`` lists them).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from nirc.core.dense import DEFAULT_BLOB_THRESHOLD
from nirc.core.errors import NircError, Violations
from nirc.core.extension import blame
from nirc.core.extension import targets as registered_targets
from nirc.io.atomic import atomic_text_file
from nirc.io.files import write
from nirc.io.text import print_module
from nirc.tools.common import (
    STDIO,
    UsageError,
    add_memory_limit,
    apply_memory_limit,
    current_input,
    one_line_usage_errors,
    parse_compression,
    read_model,
    run_tool,
    write_stdout,
)

TOOL = "nir-translate"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    one_line_usage_errors(p, TOOL)
    p.add_argument("input_file", help="the model: .nir or .mlir")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--import-nir", action="store_true", help="read .nir (HDF5), print the text IR")
    mode.add_argument("--export-nir", action="store_true", help="read text IR, write .nir (HDF5)")
    mode.add_argument("--target", metavar="NAME", help="run the target's pipeline and write its artefacts to OUTDIR")
    p.add_argument("-o", "--output", help="output file (or directory for --target)")
    p.add_argument(
        "--blob-threshold",
        type=int,
        default=DEFAULT_BLOB_THRESHOLD,
        help="tensors with more elements print as blobs (-1: all inline)",
    )
    p.add_argument("--print-op-generic", action="store_true", help="print ops in the generic form")
    add_memory_limit(p)
    p.add_argument("--compression", default="gzip", help="compression of .nir output: gzip (default), lzf, 0-9 or none")
    p.add_argument(
        "--report",
        choices=("text", "json"),
        default="text",
        help="with --target: a summary (text, default) or the whole report as JSON on stdout, "
        "violations included when the target cannot run the model",
    )
    return p


def _add_target_options(p: argparse.ArgumentParser, target: object) -> None:
    group = p.add_argument_group(f"options of --target={getattr(target, 'name', '?')}")
    for opt in getattr(target, "options", ()):
        flag = f"--{opt.name}"
        if opt.type is bool:
            group.add_argument(
                flag,
                dest=f"target_{opt.keyword}",
                action=argparse.BooleanOptionalAction,
                default=opt.default,
                help=opt.help,
            )
        else:
            metavar = None if opt.choices else opt.name.upper()
            group.add_argument(
                flag,
                dest=f"target_{opt.keyword}",
                type=opt.type,
                choices=opt.choices,
                default=opt.default,
                help=opt.help,
                metavar=metavar,
            )


def _parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, object | None]:
    """Parse twice where a target is named: the second time with its options."""
    p = _parser()
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--target")
    known, _ = pre.parse_known_args(argv)
    if known.target is None:
        return p.parse_args(argv), None
    targets = registered_targets()
    if known.target not in targets:
        names = ", ".join(sorted(targets)) or "none yet"
        raise UsageError(f"unknown target '{known.target}'; available targets: {names}")
    target = targets[known.target].load()
    _add_target_options(p, target)
    return p.parse_args(argv), target


def _main(argv: Sequence[str] | None) -> int:
    args, target = _parse(argv)
    apply_memory_limit(args)
    current_input.append(args.input_file)
    if args.import_nir:
        module = read_model(args.input_file)
        threshold = None if args.blob_threshold < 0 else args.blob_threshold
        if args.output in (None, STDIO):
            print_module(module, sys.stdout, blob_threshold=threshold, generic=args.print_op_generic)
        else:
            with atomic_text_file(args.output) as out:
                print_module(module, out, blob_threshold=threshold, generic=args.print_op_generic)
        return 0
    if args.export_nir:
        if args.output is None:
            raise UsageError("--export-nir needs -o OUT.nir")
        module = read_model(args.input_file)
        compression = parse_compression(args.compression)
        if args.output == STDIO:
            try:
                write_stdout(lambda file: write(module, file, compression=compression))
            except NircError as err:  # about the model, not the temporary file
                err.file = args.input_file
                raise
        else:
            write(module, args.output, compression=compression)
        return 0
    if args.output in (None, STDIO):
        raise UsageError("--target needs -o OUTDIR (a folder: it writes several files)")
    options = {opt.keyword: getattr(args, f"target_{opt.keyword}") for opt in getattr(target, "options", ())}
    model = read_model(args.input_file)
    try:
        report = target.emit(model, args.output, **options)  # type: ignore[union-attr]
    except Violations as err:
        err.in_file(args.input_file)
        if args.report == "json":
            print(json.dumps(err.to_json(), indent=1))
        raise
    except NircError as err:  # about the model, unless it names its own file (OUTDIR)
        raise err.in_file(args.input_file) from None
    except Exception as exc:  # a plugin's target is named with its plugin
        err = blame("target", args.target, exc)
        if err is None:
            raise
        raise err from exc
    if args.report == "json":
        print(json.dumps(report, indent=1))
    else:
        print(f"{TOOL}: wrote {args.target} artefacts to {args.output}")
        summary = getattr(target, "summary", None)
        for line in summary(report or {}) if summary is not None else ():
            print(f"  {line}")
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    run_tool(TOOL, lambda: _main(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
