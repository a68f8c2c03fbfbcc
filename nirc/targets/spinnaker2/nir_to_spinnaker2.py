"""``nir-to-spinnaker2``: the named pipeline from a `nir` model to placed SpiNNaker2 populations.

``canonicalize`` ; ``fold-sum-pool`` ; ``convert-nir-to-snn{semantics=spinnaker2 dt=DT
integrator=I reset=R}`` ; ``inline-graphs`` ; ``snn-fuse-recurrent`` ;
``quantize{weight-bits=8 symmetric=true float-roles="bias,threshold"}`` ;
``convert-snn-to-spinnaker2`` ; ``spinnaker2-place``, verified after each step.

* a Linear -> Linear chain is one projection after ``canonicalize`` (s2_nir refuses two
  weight nodes in a row); a SumPool2d is folded into the Conv2d or Flatten-Linear that
  reads it;
* the model is discretized once, with forward (``integrator=euler``, the NIR paper's
  setting) or exponential Euler (``exact``, s2_nir's default), reset to ``v_reset``
  (``reset=value``) or by subtraction (``subtract``);
* ``quantize`` scales each population's weights to ±127 integers (s2_nir's ``127 /
  max|w|``), its thresholds and offsets by the same factor, kept in float as the chip
  computes them.
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
from nirc.passes.quantize import QuantizePass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass
from nirc.targets.spinnaker2.convert_snn_to_spinnaker2 import ConvertSnnToSpiNNaker2Pass
from nirc.targets.spinnaker2.place import SpiNNaker2PlacePass
from nirc.targets.spinnaker2.profile import PROFILE

INTEGRATORS = ("euler", "exact")
RESETS = ("value", "subtract")

#: the generic quantize as SpiNNaker2 stores its numbers
QUANTIZE = QuantizePass(weight_bits=8, symmetric=True, float_roles="bias,threshold")


@dataclass(frozen=True)
class NirToSpiNNaker2Pass(PipelinePass):
    """canonicalize ; fold-sum-pool ; convert-nir-to-snn{semantics=spinnaker2} ; inline-graphs ;
    snn-fuse-recurrent ; quantize (±127) ; convert-snn-to-spinnaker2 ; spinnaker2-place."""

    name: ClassVar[str] = "nir-to-spinnaker2"

    dt: float = PROFILE.dt
    integrator: str = "euler"
    reset: str = "value"

    def __post_init__(self) -> None:
        if not (isinstance(self.dt, (int, float)) and 0 < self.dt < math.inf):
            raise ValueError(f"dt must be a positive number of seconds, got {self.dt!r}")
        if self.integrator not in INTEGRATORS:
            raise ValueError(f"integrator is one of {', '.join(INTEGRATORS)}, got {self.integrator!r}")
        if self.reset not in RESETS:
            raise ValueError(f"reset is one of {', '.join(RESETS)}, got {self.reset!r}")

    def front(self) -> tuple[ModulePass, ...]:
        """The steps to the float `snn` model the chip is measured against."""
        return (
            CanonicalizePass(),
            FoldSumPoolPass(),
            ConvertNirToSnnPass(dt=self.dt, semantics=PROFILE.name, integrator=self.integrator, reset=self.reset),
            InlineGraphsPass(),
            SnnFuseRecurrentPass(),
        )

    def back(self) -> tuple[ModulePass, ...]:
        return (QUANTIZE, ConvertSnnToSpiNNaker2Pass(), SpiNNaker2PlacePass())

    def steps(self) -> tuple[ModulePass, ...]:
        return (*self.front(), *self.back())
