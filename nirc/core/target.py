"""The protocol every target follows, and the options it declares.

``nir-translate IN --target=NAME -o OUTDIR [--OPTION VALUE ...]`` finds the target in
the registry, adds the options it declares to its command line (so ``--help`` with a
target lists them, and an option the target does not have is a usage error), calls
:meth:`Target.emit` with the values given, and prints :meth:`Target.summary` of the
report (or the report itself with ``--report=json``).
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from xdsl.dialects.builtin import ModuleOp


@dataclass(frozen=True)
class TargetOption:
    """One option of a target: ``--NAME VALUE`` on the command line, ``NAME=value``
    (``-`` as ``_``) as a keyword of :meth:`Target.emit`.  A ``bool`` option is a flag
    pair ``--NAME`` / ``--no-NAME``."""

    name: str
    help: str
    type: Callable[[str], Any] | type = str
    choices: Sequence[Any] | None = None
    default: Any = None

    @property
    def keyword(self) -> str:
        return self.name.replace("-", "_")


def seconds(text: str) -> float:
    """A target option's type for a time step: a positive, finite number of seconds (a bad
    value is a usage error naming the option, as argparse reports an
    ``ArgumentTypeError``)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value < math.inf):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def dt_option(default: float) -> TargetOption:
    """``--dt``, as every chip target takes it: the time step its decays are computed for."""
    return TargetOption(
        "dt", f"the time step in seconds the decays are computed for (default {default})", type=seconds, default=default
    )


def agreement_option(what: str = "the chip's output spikes") -> TargetOption:
    """``--agreement`` / ``--no-agreement``: whether the report measures ``what`` against
    the float model's."""
    return TargetOption(
        "agreement", f"measure {what} against the float model's for the report (default on)", type=bool, default=True
    )


@runtime_checkable
class Target(Protocol):
    name: str
    #: the options ``emit`` takes as keywords (none: an empty tuple)
    options: tuple[TargetOption, ...]

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile ``module`` and write the artefacts to ``outdir``, all or nothing
        (:func:`nirc.io.atomic.replace_dir`); return a JSON-able report.  A model the
        target cannot run raises :class:`nirc.core.errors.Violations`, every violation at once."""
        ...

    def summary(self, report: dict[str, Any]) -> list[str]:
        """A few lines on the report, for the terminal."""
        ...
