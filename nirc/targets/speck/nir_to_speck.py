"""``nir-to-speck``: the named pipeline from a `nir` model to placed, quantized Speck cores.

``canonicalize`` ; ``speck-legalize{reset=…}`` ; ``speck-quantize`` ; ``speck-place``,
verified after each step.  ``canonicalize`` first folds what Speck cannot hold as a
node (a Scale next to a Conv or Linear, identity Flattens) into the layers.
``{quantize=false}`` stops at float layers (what the quantizer's error is measured
against).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core.gcpause import pauses_gc
from nirc.core.verify import verify_module
from nirc.passes.canonicalize import CanonicalizePass
from nirc.targets.speck.dialect import RESETS
from nirc.targets.speck.legalize import SpeckLegalizePass
from nirc.targets.speck.place import SpeckPlacePass
from nirc.targets.speck.quantize import SpeckQuantizePass


@dataclass(frozen=True)
class NirToSpeckPass(ModulePass):
    """canonicalize ; speck-legalize{reset} ; speck-quantize ; speck-place."""

    name: ClassVar[str] = "nir-to-speck"

    reset: str = "subtract"
    quantize: bool = True

    def __post_init__(self) -> None:
        if self.reset not in RESETS:
            raise ValueError(f"reset must be one of {', '.join(RESETS)}, got {self.reset!r}")

    def steps(self) -> tuple[ModulePass, ...]:
        return (
            CanonicalizePass(),
            SpeckLegalizePass(reset=self.reset),
            *((SpeckQuantizePass(),) if self.quantize else ()),
            SpeckPlacePass(),
        )

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for step in self.steps():
            step.apply(ctx, op)
            verify_module(op)
