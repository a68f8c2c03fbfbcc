"""The `lava_dl` dialect: one op per lava-dl slayer CUBA block.

``lava_dl.dense "NAME"(%x)`` is what ``slayer.block.cuba.Dense`` (or, with
``weight_rec``, ``slayer.block.cuba.Recurrent``) computes in lava-dl 0.6.0, whose neuron
(``slayer.neuron.cuba``) keeps integer states even with float weights.  With ``S`` the
block's ``scale`` and ``s = 64 S`` its state scale, per time step ``t``:

    z[t] = W x[t] + W_rec y[t-1]                  (float32; y the block's own spikes)
    u[t] = rtz(u[t-1] (4096 - current_decay) / 4096) + int(s z[t])
    v[t] = rtz(v[t-1] (4096 - voltage_decay) / 4096) + u[t]
    y[t] = v[t] >= (threshold / S + 0.01 / s) s  (in float32);  v[t] = 0 where y[t]
    out[t] = y[t-1] with ``delay_shift`` (slayer's default), else y[t]

``int`` truncates toward zero; the states are int64, as slayer's CPU dynamics keep them;
``threshold`` is slayer's ``int(threshold S)`` (the neuron's threshold is quantized
to ``1/S``); the test compares in float32, so it is ``v > 64 threshold`` while the
epsilon survives the rounding and ``v >= 64 threshold`` once the mantissa is large.  ``W`` and ``W_rec`` are the weights the synapses use (after slayer's
``quantize_8bit``: multiples of ``2/S`` in ``[-256/S, 254/S]``).
``nirc/targets/lava_dl/kernels.py`` is the reference semantics.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IntegerAttr, UnitAttr
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def

from nirc.core.dense import DenseAttr
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of
from nirc.core.traits import DiscreteTime
from nirc.targets.lava.conv import ConvGeometry

#: slayer's 12-bit decays (out of 4096) and the 17-bit threshold mantissa netx carries
DECAY_UNITY, THRESHOLD_MAX = 4096, (1 << 17) - 1


class BlockOp(ValueNodeOp):
    """A slayer CUBA block: a synapse feeding CUBA neurons (the neurons' parameters)."""

    current_decay = prop_def(DenseAttr)
    voltage_decay = prop_def(DenseAttr)
    threshold = prop_def(DenseAttr)
    #: the block's weight scale S (its state scale is 64 S)
    scale = prop_def(IntegerAttr)
    delay_shift = opt_prop_def(UnitAttr)

    def _verify_neuron(self) -> None:
        for key, hi in (("current_decay", DECAY_UNITY), ("voltage_decay", DECAY_UNITY), ("threshold", THRESHOLD_MAX)):
            a = self.param(key)
            if a.size != 1 or a.dtype.kind not in "iu" or not 0 <= int(a.reshape(-1)[0]) <= hi:
                raise NodeError("lava-dl-range", f"'{key}' is one whole number per block from 0 to {hi}")
        if self.integer("scale") < 1:
            raise NodeError("lava-dl-range", f"scale is a whole number >= 1, got {self.integer('scale')}")


@irdl_op_definition
class DenseOp(BlockOp):
    """``slayer.block.cuba.Dense`` (with ``weight_rec``, ``cuba.Recurrent``): a Dense
    synapse (and a recurrent one) feeding CUBA neurons."""

    name = "lava_dl.dense"
    traits = traits_def(DiscreteTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "current_decay", "voltage_decay", "threshold")
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("weight_rec",)

    weight = prop_def(DenseAttr)
    weight_rec = opt_prop_def(DenseAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, *cls.OPTIONAL_PARAMS, "scale", "delay_shift", "metadata", "edge_ids")

    @property
    def size(self) -> int:
        return int(self.param("weight").shape[0])

    def _verify_params(self) -> None:
        super()._verify_params()
        w = self.param("weight")
        if w.ndim != 2 or w.dtype.kind != "f":
            raise NodeError(
                "lava-dl-shape", f"weight is a float (neurons, inputs) matrix, got {w.dtype} {list(w.shape)}"
            )
        n = self.size
        rec = self.opt_param("weight_rec")
        if rec is not None and (rec.shape != (n, n) or rec.dtype.kind != "f"):
            raise NodeError(
                "lava-dl-shape", f"weight_rec is a float ({n}, {n}) matrix, got {rec.dtype} {list(rec.shape)}"
            )
        self._verify_neuron()

    def _verify_inputs(self) -> Shape | None:
        if len(self.inputs) != 1:
            raise NodeError("lava-dl-fan-in", f"a block reads one source, got {len(self.inputs)} incoming edges")
        got = shape_of(self.inputs[0])
        m = int(self.param("weight").shape[1])
        if got != (m,):
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected [{m}]")
        return got

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return (self.size,)


@irdl_op_definition
class ConvOp(ConvGeometry, BlockOp):
    """``slayer.block.cuba.Conv``: a 2-D convolution (a cross-correlation as PyTorch's,
    :class:`~nirc.targets.lava.conv.ConvGeometry`) feeding CUBA neurons ``(out, H', W')``."""

    name = "lava_dl.conv"
    traits = traits_def(DiscreteTime())
    PARAMS: ClassVar[tuple[str, ...]] = (
        "weight",
        "stride",
        "padding",
        "dilation",
        "current_decay",
        "voltage_decay",
        "threshold",
    )
    SHAPE_RULE: ClassVar[str] = "lava-dl-shape"

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, "groups", "scale", "delay_shift", "metadata", "edge_ids")

    def _verify_params(self) -> None:
        super()._verify_params()
        w = self.verify_geometry()
        if w.dtype.kind != "f":
            raise NodeError("lava-dl-shape", f"weight is a float (out, in/groups, kH, kW) array, got {w.dtype}")
        self._verify_neuron()

    def _verify_inputs(self) -> Shape | None:
        return self.verify_conv_input("lava-dl-fan-in")

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        assert input_shape is not None
        return self.conv_output_shape(input_shape)


LAVA_DL = Dialect("lava_dl", [DenseOp, ConvOp], [])
