"""``nir-to-xylo``: the named pipeline from a `nir` model to quantized Xylo populations.

``canonicalize`` ; ``convert-nir-to-snn{semantics=xylo dt=DT}`` ; ``inline-graphs`` ;
``snn-fuse-recurrent`` ; ``convert-snn-to-xylo{chip=CHIP}`` ; ``xylo-weight-shift`` ;
``quantize{XYLO_QUANTIZE}``, verified after each step.

* the model is discretized once, with the ``xylo`` profile at ``dt`` (Xylo lowers
  from the `snn` dialect), its nested graphs inlined and its recurrences fused;
* ``quantize`` is nirc's generic pass, configured as the chip stores its numbers: int8
  weights, int16 thresholds and biases, one scale per neuron (rockpool's
  ``channel_quantize``, without its bias bug), saturating;
* ``{quantize=false}`` stops at float populations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from xdsl.passes import ModulePass

from nirc.core.pipeline import PipelinePass
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.inline_graphs import InlineGraphsPass
from nirc.passes.quantize import QuantizePass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass
from nirc.targets.xylo.convert_snn_to_xylo import ConvertSnnToXyloPass
from nirc.targets.xylo.profile import PROFILE
from nirc.targets.xylo.resources import CHIPS, DEFAULT_CHIP
from nirc.targets.xylo.weight_shift import XyloWeightShiftPass

_CHIP = CHIPS[DEFAULT_CHIP]

#: How Xylo stores its numbers, as the generic quantize pass's options.
XYLO_QUANTIZE = QuantizePass(
    weight_bits=_CHIP.weight_bits,
    bias_bits=_CHIP.bias_bits,
    threshold_bits=_CHIP.threshold_bits,
    scheme="per-channel",
    rounding="half-even",
    saturate=True,
    scale="any",
)


@dataclass(frozen=True)
class NirToXyloPass(PipelinePass):
    """canonicalize ; convert-nir-to-snn{semantics=xylo} ; inline-graphs ;
    snn-fuse-recurrent ; convert-snn-to-xylo ; xylo-weight-shift ; quantize (int8
    weights, int16 thresholds and biases, per neuron)."""

    name: ClassVar[str] = "nir-to-xylo"

    chip: str = DEFAULT_CHIP
    dt: float = PROFILE.dt
    quantize: bool = True

    def __post_init__(self) -> None:
        if self.chip not in CHIPS:
            raise ValueError(f"chip must be one of {', '.join(CHIPS)}, got {self.chip!r}")
        if not (isinstance(self.dt, (int, float)) and 0 < self.dt < math.inf):
            raise ValueError(f"dt must be a positive number of seconds, got {self.dt!r}")

    def front(self) -> tuple[ModulePass, ...]:
        """The steps to the `snn` model the chip's is measured against."""
        return (
            CanonicalizePass(),
            ConvertNirToSnnPass(dt=self.dt, semantics=PROFILE.name),
            InlineGraphsPass(),
            SnnFuseRecurrentPass(),
        )

    def back(self) -> tuple[ModulePass, ...]:
        """The steps from the `snn` model to the chip's."""
        return (
            ConvertSnnToXyloPass(chip=self.chip),
            XyloWeightShiftPass(),
            *((XYLO_QUANTIZE,) if self.quantize else ()),
        )

    def steps(self) -> tuple[ModulePass, ...]:
        return (*self.front(), *self.back())
