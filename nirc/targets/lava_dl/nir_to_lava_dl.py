"""``nir-to-lava-dl``: the named pipeline from a `nir` model to slayer CUBA blocks.

``canonicalize`` ; ``fold-sum-pool`` (slayer's pooling block carries neurons) ;
``convert-nir-to-snn{semantics=lava-dl dt=DT}`` ; ``inline-graphs`` ;
``snn-fuse-recurrent`` ; ``convert-snn-to-lava-dl{scale quantize-weights delay-shift}``,
verified after each step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from xdsl.passes import ModulePass

from nirc.core.pipeline import PipelinePass
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.fold_sum_pool import FoldSumPoolPass
from nirc.passes.inline_graphs import InlineGraphsPass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass
from nirc.targets.lava_dl.convert_snn_to_lava_dl import ConvertSnnToLavaDlPass
from nirc.targets.lava_dl.profile import PROFILE


@dataclass(frozen=True)
class NirToLavaDlPass(PipelinePass):
    """canonicalize ; fold-sum-pool ; convert-nir-to-snn{semantics=lava-dl} ; inline-graphs ;
    snn-fuse-recurrent ; convert-snn-to-lava-dl."""

    name: ClassVar[str] = "nir-to-lava-dl"

    dt: float = PROFILE.dt
    scale: int = 0
    quantize_weights: bool = True
    delay_shift: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.dt, (int, float)) and 0 < self.dt < math.inf):
            raise ValueError(f"dt must be a positive number of seconds, got {self.dt!r}")

    def front(self) -> tuple[ModulePass, ...]:
        return (
            CanonicalizePass(),
            FoldSumPoolPass(),
            ConvertNirToSnnPass(dt=self.dt, semantics=PROFILE.name),
            InlineGraphsPass(),
            SnnFuseRecurrentPass(),
        )

    def back(self) -> tuple[ModulePass, ...]:
        return (
            ConvertSnnToLavaDlPass(
                scale=self.scale, quantize_weights=self.quantize_weights, delay_shift=self.delay_shift
            ),
        )

    def steps(self) -> tuple[ModulePass, ...]:
        return (*self.front(), *self.back())
