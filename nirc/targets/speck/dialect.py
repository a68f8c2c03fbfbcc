"""The `speck` dialect: one op per SynSense Speck (DynapCNN) core.

``convert-snn-to-speck`` builds it from an `snn` graph; ``quantize`` (configured as
``nir-to-speck`` does: int8 weights and biases, int16 thresholds, one scale per layer)
turns its float parameters into the chip's integers; ``speck-place`` assigns each
layer a core.  The
ops live in a ``nir.graph`` beside its ``nir.input``/``nir.output`` (and a ``nir.flatten``
where the model's output is 1-D).

``speck.layer "NAME"(%x)`` is what one core computes, per time step ``t``, on the spike
counts ``x[t]`` (``C_in × H × W``) arriving from its source::

    p[t] = sum_pool(x[t], pool)                   # the source's destination pooling
    v[t] = v[t-1] + conv(p[t], weight, stride, padding) + bias
    n[t] = floor(v[t] / threshold)  where v[t] >= threshold, else 0   (spikes out)
    v[t] = v[t] - n[t] threshold    (reset = "subtract")  or  0 where n[t] > 0  ("zero")
    v[t] = max(v[t], threshold_low)               # where a floor is set

With integer parameters (after ``quantize``: int8 ``weight`` and ``bias``, int16
``threshold`` and ``threshold_low``) the state is an integer and saturates at the
16-bit range.  ``docs/targets/speck.md`` says where this model of the event-driven chip
is exact and where it is not.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, StringAttr, UnitAttr
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def

from nirc.core.dense import DenseAttr
from nirc.core.integers import int_range
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of
from nirc.core.shapes import conv_output_spatial, per_dim
from nirc.core.traits import DiscreteTime, Quantizable
from nirc.targets.speck.resources import SPECK as CHIP

RESETS = ("subtract", "zero")


@irdl_op_definition
class LayerOp(ValueNodeOp):
    """One core: sum pooling of its input, a square convolution, integrate-and-fire
    neurons with one threshold (see the module docstring for the step)."""

    name = "speck.layer"
    traits = traits_def(
        DiscreteTime(),
        Quantizable(
            (("weight", "weight"), ("bias", "bias"), ("threshold", "threshold"), ("threshold_low", "threshold"))
        ),
    )
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "bias", "threshold", "stride", "padding", "pool")
    #: ``threshold_low``: the membrane's floor (absent: none; the chip's state then
    #: saturates at its 16-bit minimum).
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("threshold_low",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("stride", "padding", "pool")

    weight = prop_def(DenseAttr)
    bias = prop_def(DenseAttr)
    threshold = prop_def(DenseAttr)
    threshold_low = opt_prop_def(DenseAttr)
    stride = prop_def(DenseAttr)
    padding = prop_def(DenseAttr)
    pool = prop_def(DenseAttr)
    reset = prop_def(StringAttr)
    #: The factor ``quantize`` multiplied the float parameters by (integers = round(float * scale)).
    scale = opt_prop_def(DenseAttr)
    #: The core ``speck-place`` chose.
    core = opt_prop_def(IntegerAttr)
    #: The layer's spikes leave the chip (it feeds an Output).
    monitor = opt_prop_def(UnitAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, *cls.OPTIONAL_PARAMS, "reset", "scale", "core", "monitor", "metadata", "edge_ids")

    # ------------------------------------------------------------- helpers
    @property
    def quantized(self) -> bool:
        return self.param("weight").dtype.kind in "iu"

    @property
    def reset_mode(self) -> str:
        return self.reset.data

    def kernel(self) -> tuple[int, int]:
        w = self.param("weight")
        return int(w.shape[2]), int(w.shape[3])

    def geometry(self) -> tuple[Shape, Shape, Shape]:
        """Stride, padding and pooling, per spatial dimension."""
        return (
            per_dim(self.param("stride"), 2, "stride"),
            per_dim(self.param("padding"), 2, "padding"),
            per_dim(self.param("pool"), 2, "pool"),
        )

    def threshold_value(self) -> float | int:
        return self.param("threshold").reshape(-1)[0].item()

    def threshold_low_value(self) -> float | int | None:
        low = self.opt_param("threshold_low")
        return None if low is None else low.reshape(-1)[0].item()

    # ------------------------------------------------------------- verifier
    def _verify_params(self) -> None:
        super()._verify_params()
        w = self.param("weight")
        if w.ndim != 4:
            raise NodeError("weight-rank", f"weight must be 4-D (C_out, C_in, ky, kx), got shape {list(w.shape)}")
        if self.param("bias").shape != (w.shape[0],):
            raise NodeError("bias-shape", f"bias has shape {list(self.param('bias').shape)}, expected [{w.shape[0]}]")
        for key in ("threshold", "threshold_low"):
            arr = self.opt_param(key)
            if arr is not None and arr.size != 1:
                raise NodeError("speck-threshold", f"'{key}' is one number per layer, got shape {list(arr.shape)}")
        if self.reset.data not in RESETS:
            raise NodeError("speck-reset", f"reset must be one of {', '.join(RESETS)}, got {self.reset.data!r}")
        stride, padding, pool = self.geometry()
        if min(stride) < 1 or min(pool) < 1 or min(padding) < 0:
            raise NodeError("speck-geometry", "stride and pool must be >= 1, padding >= 0")
        ints = [
            arr.dtype.kind in "iu"
            for k in ("weight", "bias", "threshold", "threshold_low")
            if (arr := self.opt_param(k)) is not None
        ]
        if any(ints) and not all(ints):
            raise NodeError("speck-quantized", "weight, bias and thresholds are all integers (quantized) or all floats")
        if not self.threshold_value() > 0:
            raise NodeError("speck-threshold", f"threshold must be > 0, got {self.threshold_value()}")
        low = self.threshold_low_value()
        if low is not None and not low <= 0:
            raise NodeError("speck-threshold", f"threshold_low must be <= 0, got {low}")
        if all(ints):
            self._verify_ranges()
        scale = self.opt_param("scale")
        if scale is not None and not (scale.size == 1 and np.isfinite(scale).all() and float(scale.reshape(-1)[0]) > 0):
            raise NodeError("speck-quantized", f"scale is one finite number > 0, got {scale.reshape(-1)[:4].tolist()}")

    def _verify_ranges(self) -> None:
        """The chip's integers: int8 weights and biases, int16 thresholds."""
        for key, bits in (
            ("weight", CHIP.weight_bits),
            ("bias", CHIP.bias_bits),
            ("threshold", CHIP.threshold_bits),
            ("threshold_low", CHIP.threshold_bits),
        ):
            arr = self.opt_param(key)
            if arr is None or arr.size == 0:
                continue
            lo, hi = int_range(bits)
            if int(arr.min()) < lo or int(arr.max()) > hi:
                raise NodeError(
                    "speck-quantized",
                    f"'{key}' must fit {bits}-bit integers [{lo}, {hi}], got values in [{int(arr.min())}, {int(arr.max())}]",
                )

    def _verify_inputs(self) -> Shape | None:
        if len(self.inputs) != 1:
            raise NodeError("speck-fan-in", f"a core reads one source, got {len(self.inputs)} incoming edges")
        got = shape_of(self.inputs[0])
        c_in = int(self.param("weight").shape[1])
        if len(got) != 3 or got[0] != c_in:
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected (C_in={c_in}, H, W)")
        return got

    def pooled_shape(self, input_shape: Shape) -> Shape:
        _, _, pool = self.geometry()
        return (input_shape[0], input_shape[1] // pool[0], input_shape[2] // pool[1])

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        assert input_shape is not None
        stride, padding, _ = self.geometry()
        pooled = self.pooled_shape(input_shape)
        spatial = conv_output_spatial(pooled[1:], self.kernel(), stride, padding, (1, 1))
        return (int(self.param("weight").shape[0]), *spatial)


SPECK = Dialect("speck", [LayerOp], [])
