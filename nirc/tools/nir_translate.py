"""`nir-translate`: convert between `.nir` (HDF5) and text, or emit a target's artefacts.

    nir-translate --import-nir IN.nir [-o OUT.mlir]
    nir-translate --export-nir IN.mlir -o OUT.nir
    nir-translate IN --target=NAME -o OUTDIR
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from nirc.api import read, write
from nirc.io.atomic import atomic_text_file
from nirc.io.text import print_module
from nirc.ir.dense import DEFAULT_BLOB_THRESHOLD
from nirc.registry import available
from nirc.tools.common import UsageError, current_input, parse_compression, run_tool

TOOL = "nir-translate"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    p.add_argument("input_file", help="the model: .nir or .mlir")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--import-nir", action="store_true", help="read .nir (HDF5), print the text IR")
    mode.add_argument("--export-nir", action="store_true", help="read text IR, write .nir (HDF5)")
    mode.add_argument("--target", metavar="NAME", help="run the target's pipeline and write its artefacts to OUTDIR")
    p.add_argument("-o", "--output", help="output file (or directory for --target)")
    p.add_argument("--blob-threshold", type=int, default=DEFAULT_BLOB_THRESHOLD, help="tensors with more elements print as blobs (-1: all inline)")
    p.add_argument("--print-op-generic", action="store_true", help="print ops in the generic form")
    p.add_argument("--compression", default="gzip", help="compression of .nir output: gzip (default), lzf, 0-9 or none")
    return p


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    current_input.append(args.input_file)
    if args.import_nir:
        module = read(args.input_file)
        threshold = None if args.blob_threshold < 0 else args.blob_threshold
        if args.output is None:
            print_module(module, sys.stdout, blob_threshold=threshold, generic=args.print_op_generic)
        else:
            with atomic_text_file(args.output) as out:
                print_module(module, out, blob_threshold=threshold, generic=args.print_op_generic)
        return 0
    if args.export_nir:
        if args.output is None:
            raise UsageError("--export-nir needs -o OUT.nir")
        module = read(args.input_file)
        write(module, args.output, compression=parse_compression(args.compression))
        return 0
    targets = available("nirc.targets")
    if args.target not in targets:
        names = ", ".join(sorted(targets)) or "none yet"
        raise UsageError(f"unknown target '{args.target}'; available targets: {names}")
    if args.output is None:
        raise UsageError("--target needs -o OUTDIR")
    target = targets[args.target]()
    target.emit(read(args.input_file), args.output)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    run_tool(TOOL, lambda: _main(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
