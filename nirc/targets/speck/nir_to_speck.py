"""``nir-to-speck``: the named pipeline from a `nir` model to placed, quantized Speck cores.

``canonicalize`` ; ``convert-nir-to-snn{semantics=speck}`` ; ``convert-snn-to-speck`` ;
``quantize{SPECK_QUANTIZE}`` ; ``speck-place``, verified after each step.

* ``canonicalize`` first folds what Speck cannot hold as a node (a Scale next to a Conv
  or Linear, identity Flattens) into the layers;
* the model is discretized once, with the ``speck`` profile (Speck lowers from the
  `snn` dialect); ``{reset=zero}`` asks for the reset to 0 (``reset=value``, which
  needs ``v_reset = 0``) instead of by subtraction;
* ``quantize`` is nirc's generic pass, configured as the chip stores its numbers: int8
  weights and biases, int16 thresholds, one scale per layer (sinabs' rule);
* ``{quantize=false}`` stops at float layers (what the quantizer's error is measured
  against).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.passes import ModulePass

from nirc.core.pipeline import PipelinePass
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.quantize import QuantizePass
from nirc.targets.speck.convert_snn_to_speck import ConvertSnnToSpeckPass
from nirc.targets.speck.dialect import RESETS
from nirc.targets.speck.place import SpeckPlacePass
from nirc.targets.speck.profile import PROFILE
from nirc.targets.speck.resources import SPECK

#: How Speck stores its numbers, as the generic quantize pass's options.
SPECK_QUANTIZE = QuantizePass(
    weight_bits=SPECK.weight_bits,
    bias_bits=SPECK.bias_bits,
    threshold_bits=SPECK.threshold_bits,
    state_bits=SPECK.state_bits,
    overflow="saturate",
    scheme="per-layer",
    rounding="half-even",
    saturate=True,
    scale="any",
)


@dataclass(frozen=True)
class NirToSpeckPass(PipelinePass):
    """canonicalize ; convert-nir-to-snn{semantics=speck} ; convert-snn-to-speck ;
    quantize (int8 weights and biases, int16 thresholds, per layer) ; speck-place."""

    name: ClassVar[str] = "nir-to-speck"

    reset: str = "subtract"
    quantize: bool = True

    def __post_init__(self) -> None:
        if self.reset not in RESETS:
            raise ValueError(f"reset must be one of {', '.join(RESETS)}, got {self.reset!r}")

    def steps(self) -> tuple[ModulePass, ...]:
        return (
            CanonicalizePass(),
            ConvertNirToSnnPass(
                dt=PROFILE.dt, semantics=PROFILE.name, reset="value" if self.reset == "zero" else "subtract"
            ),
            ConvertSnnToSpeckPass(),
            *((SPECK_QUANTIZE,) if self.quantize else ()),
            SpeckPlacePass(),
        )
