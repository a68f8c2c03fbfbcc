"""``nir-to-loihi2``: the named pipeline from a `nir` model to placed Loihi 2 layers.

``canonicalize`` ; ``fold-sum-pool`` ; ``convert-nir-to-snn{semantics=lava dt=DT}`` ; ``inline-graphs`` ;
``snn-fuse-recurrent`` ; ``convert-snn-to-loihi2`` ; ``loihi2-quantize`` ;
``loihi2-place``, verified after each step.

* a SumPool2d is folded into the Conv2d or Flatten-Linear that reads it (Lava has no
  pooling process; exact on integers);
* the model is discretized once, with the ``lava`` profile at ``dt`` (each Dense
  delivers a step late), its nested graphs inlined and its recurrences fused;
* ``loihi2-quantize`` is nirc's generic quantize configured as Loihi 2 stores its
  numbers, then Lava's registers; ``{quantize=false}`` stops at float layers (Lava's
  floating-point LIF), which are placed all the same.
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
from nirc.targets.loihi2.convert_snn_to_loihi2 import ConvertSnnToLoihi2Pass
from nirc.targets.loihi2.place import Loihi2PlacePass
from nirc.targets.loihi2.profile import PROFILE
from nirc.targets.loihi2.quantize import Loihi2QuantizePass


@dataclass(frozen=True)
class NirToLoihi2Pass(PipelinePass):
    """canonicalize ; fold-sum-pool ; convert-nir-to-snn{semantics=lava} ; inline-graphs ;
    snn-fuse-recurrent ; convert-snn-to-loihi2 ; loihi2-quantize ; loihi2-place."""

    name: ClassVar[str] = "nir-to-loihi2"

    dt: float = PROFILE.dt
    quantize: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.dt, (int, float)) and 0 < self.dt < math.inf):
            raise ValueError(f"dt must be a positive number of seconds, got {self.dt!r}")

    def front(self) -> tuple[ModulePass, ...]:
        """The steps to the `snn` model Loihi's is measured against."""
        return (
            CanonicalizePass(),
            FoldSumPoolPass(),
            ConvertNirToSnnPass(dt=self.dt, semantics=PROFILE.name),
            InlineGraphsPass(),
            SnnFuseRecurrentPass(),
        )

    def back(self) -> tuple[ModulePass, ...]:
        """The steps from the `snn` model to the chip's."""
        return (ConvertSnnToLoihi2Pass(), *((Loihi2QuantizePass(),) if self.quantize else ()), Loihi2PlacePass())

    def steps(self) -> tuple[ModulePass, ...]:
        return (*self.front(), *self.back())
