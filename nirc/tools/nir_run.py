"""`nir-run`: simulate a model with the reference interpreter.

    nir-run MODEL --input X.npy [-o OUT.npz] [--semantics PROFILE] [--dt S] [--record NODE ...]

X is ``(time, *shape)`` or ``(batch, time, *shape)``; a `.npz` input holds one array per
Input node, keyed by its name.  OUT.npz holds one array per Output node, and
``NODE/v`` (and ``NODE/i``) for every recorded neuron.  Every choice of the profile
can be overridden (``--reset subtract``, ``--compare '>='``, ...).
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from nirc.core import budget
from nirc.core.errors import NircError, NircWarning
from nirc.core.profiles import profiles
from nirc.core.semantics import CHOICES
from nirc.interp.run import RunResult, metadata_dt, run
from nirc.io.atomic import atomic_path
from nirc.tools.common import (
    STDIO,
    add_memory_limit,
    apply_memory_limit,
    current_input,
    one_line_usage_errors,
    read_model,
    run_tool,
    write_stdout,
)

TOOL = "nir-run"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    one_line_usage_errors(p, TOOL)
    p.add_argument("model", help="the model: .nir or .mlir")
    p.add_argument("--input", required=True, help="input array: .npy, or .npz keyed by Input name")
    p.add_argument("-o", "--output", help="write outputs (and records) to this .npz; without it, print a summary")
    p.add_argument(
        "--semantics",
        choices=list(profiles()),
        metavar="PROFILE",
        help=f"one of {', '.join(profiles())} (default nir; a discrete-time snn model runs as it was discretized)",
    )
    p.add_argument("--dt", type=float, help="time step in seconds (overrides the profile's)")
    add_memory_limit(p)
    p.add_argument(
        "--record",
        action="append",
        default=[],
        metavar="NODE",
        help="also return this neuron's state over time (repeatable)",
    )
    group = p.add_argument_group("override single choices of the profile")
    for key, choices in CHOICES.items():
        group.add_argument(f"--{key.replace('_', '-')}", choices=choices)
    group.add_argument("--multi-spike", choices=("true", "false"))
    group.add_argument("--input-delay", type=int, metavar="STEPS")
    group.add_argument("--dtype", choices=("float32", "float64"))
    return p


def _npy_bytes(f: BinaryIO) -> int:
    """The bytes a .npy stream's header declares (read before the data)."""
    version = np.lib.format.read_magic(f)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, _, dtype = read(f)
    return math.prod(shape) * dtype.itemsize


def _check_declared(path: str, archive: bool) -> None:
    """The arrays' declared sizes against the memory budget, before numpy reads (or a
    zip inflates) any of them: a truncated file declaring terabytes, a zip bomb."""
    if not archive:
        with open(path, "rb") as f:
            budget.check(_npy_bytes(f), "the input array")
        return
    total = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            total += info.file_size  # what inflating it takes
            budget.check(total, f"the input arrays (inflated, up to '{info.filename}')")
            if info.filename.endswith(".npy"):
                with z.open(info) as f:
                    budget.check(_npy_bytes(f), f"input array '{info.filename[:-4]}'")


def _load_input(path: str) -> np.ndarray | dict[str, np.ndarray]:
    if not Path(path).is_file():
        raise NircError("no such file", rule="file", file=path)
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
        if not (magic.startswith(b"\x93NUMPY") or magic.startswith(b"PK")):
            # numpy would try it as a pickle and suggest allow_pickle: say what it is not
            raise ValueError("it does not begin as a .npy or a .npz (zip) file does")
        _check_declared(path, magic.startswith(b"PK"))
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise NircError(f"not a .npy/.npz array file ({exc})", rule="run-input", file=path) from None
    except NircError as err:
        raise err.in_file(path) from None
    if isinstance(data, np.lib.npyio.NpzFile):
        with data:
            return {k: data[k] for k in data.files}
    return data


def _warn_silent(result: RunResult, dt: float | None, module: ModuleOp) -> None:
    """Say why a model with spiking neurons may have sent no output spike: its time step
    came from the profile, and a model trained in whole time steps (dt = 1) scales its
    inputs far down at dt = 1e-4."""
    sem = result.semantics
    if result.fixed_by or sem is None or dt is not None or metadata_dt(module) is not None:
        return
    if any(np.any(arr) for arr in result.outputs.values()):
        return
    if not any(getattr(op, "NIR_TYPE", "") in ("IF", "LIF", "CubaLIF") for op in module.walk()):
        return
    warnings.warn(
        f"no output spike at dt = {sem.dt} s (the {sem.name} profile's; the model states none): "
        "a model trained in whole time steps (dt = 1) needs --dt 1",
        NircWarning,
        stacklevel=1,
    )


def _bar(done: int, total: int) -> None:
    width = 40
    filled = width * done // max(total, 1)
    print(
        f"\r{TOOL}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} nodes", end="", file=sys.stderr, flush=True
    )


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    apply_memory_limit(args)
    current_input.append(args.model)
    overrides = {
        key: getattr(args, key)
        for key in (*CHOICES, "multi_spike", "input_delay", "dtype")
        if getattr(args, key) is not None
    }
    if args.dt is not None and not args.dt > 0:
        raise NircError(f"--dt must be > 0, got {args.dt}", rule="semantics")
    module = read_model(args.model)
    x = _load_input(args.input)
    progress = _bar if sys.stderr.isatty() else None
    try:
        result = run(
            module, x, semantics=args.semantics, dt=args.dt, record=args.record, progress=progress, **overrides
        )
    except NircError as err:
        if err.node is not None:  # about a node of the model
            err.in_file(args.model)
        raise
    if progress is not None:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr)
    _warn_silent(result, args.dt, module)
    arrays = dict(result.outputs)
    for node, states in result.records.items():
        for state, values in states.items():
            arrays[f"{node}/{state}"] = values
    if args.output is None:
        for key, arr in arrays.items():
            print(f"{key}: shape {list(arr.shape)}, sum {float(arr.sum()):g}")
        return 0

    def save(file: Path) -> None:
        with open(file, "wb") as f:
            np.savez(f, **arrays)

    if args.output == STDIO:
        write_stdout(save)
        return 0
    with atomic_path(args.output) as tmp:
        save(tmp)
    how = result.fixed_by or (f"{result.semantics.name}, dt={result.semantics.dt}" if result.semantics else "")
    print(f"{TOOL}: wrote {', '.join(arrays)} to {args.output} ({how})", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    run_tool(TOOL, lambda: _main(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
