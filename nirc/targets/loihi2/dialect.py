"""The `loihi2` dialect: one op per Loihi 2 layer, a synapse and its CUBA-LIF neurons.

``loihi2.dense "NAME"(%x)`` is what lava-nc's ``Dense`` process feeding a ``LIF``
process computes (and what a netx ``dense`` / ``dense_rec`` layer becomes), with
Lava's parameter names.  Per time step ``t``, on the incoming spikes ``x``:

    a[t] = (W x[t-1] + W_rec s[t-1]) << weight_exp   (>> -weight_exp: floor)  the Dense
           delivers the sums of the step before (0 at t = 0)
    u[t] = rtz(u[t-1] (4096 - (du + 1)) / 4096) + (a[t] << 6),  wrapped to 24 bits
    v[t] = rtz(v[t-1] (4096 - dv) / 4096) + u[t] + (bias_mant << bias_exp),
           clipped to +-(2^23 - 1)
    s[t] = v[t] > (vth << 6);  v[t] = 0 where s[t]

``rtz`` rounds toward zero.  ``W`` and ``W_rec`` are used as Lava's Dense uses its
weights: clipped to 8 bits for their sign (``[-256, 255]`` mixed, ``[0, 255]``
excitatory, ``[-255, 0]`` inhibitory) and their ``8 - num_weight_bits`` (+1 when mixed)
least significant bits cleared (toward zero for inhibitory weights; netx sets 9 bits for
mixed weights that need every bit).  The recurrent Dense has its own
``weight_exp_rec`` / ``num_weight_bits_rec`` (absent: the input Dense's).  ``W x`` sums the weights of the inputs that spiked
(binary spikes), or multiplies (``graded``).

``loihi2.conv "NAME"(%x)`` is Lava's ``Conv`` process feeding a ``LIF`` process (a
netx ``conv`` layer): the same neurons, whose synapse sums ``a[t] = conv(W, x[t-1])``
(a PyTorch cross-correlation on ``(C, H, W)`` spikes; no weight exponent, the weights
used as they are, the sums wrapped to signed 24 bits in fixed point).

With float parameters the same ops are Lava's floating-point models: ``u = u (1 - du) + a``,
``v = v (1 - dv) + u + bias``, ``s = v > vth``, reset to 0, the Dense a step late.
``nirc/targets/loihi2/kernels.py`` is the reference semantics.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, UnitAttr
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def

from nirc.core.dense import DenseAttr
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of
from nirc.core.traits import DiscreteTime, Quantizable
from nirc.targets.lava.conv import ConvGeometry

#: Lava's registers: du, dv uint12; vth uint17; bias_mant int13; bias_exp 0..7 (Lava
#: allows a negative exponent: a right shift)
DECAY_MAX, VTH_MAX, BIAS_MANT, WEIGHT_EXP = 4095, (1 << 17) - 1, (-(1 << 12), (1 << 12) - 1), (-8, 7)


class LayerOp(ValueNodeOp):
    """A Loihi 2 layer: a synapse (:class:`DenseOp`, :class:`ConvOp`) feeding a population
    of CUBA-LIF neurons, with the neurons' parameters and where the layer is placed."""

    #: per layer: the current and voltage decay registers and the threshold mantissa
    du = prop_def(DenseAttr)
    dv = prop_def(DenseAttr)
    vth = prop_def(DenseAttr)
    #: per neuron (in the order of the layer's output, flattened)
    bias_mant = prop_def(DenseAttr)
    bias_exp = prop_def(IntegerAttr)
    #: spikes carry values (Lava's num_message_bits > 0) instead of being binary
    graded = opt_prop_def(UnitAttr)
    #: the factor ``quantize`` multiplied weights, bias and threshold by
    scale = opt_prop_def(DenseAttr)
    #: the cores ``loihi2-place`` put the layer's slices on, and the neurons of each
    cores = opt_prop_def(DenseAttr)
    core_neurons = opt_prop_def(DenseAttr)

    @property
    def size(self) -> int:
        """The layer's neurons."""
        raise NotImplementedError

    @property
    def fan_in(self) -> int:
        """Synapses per neuron: its inputs (and the layer itself, when recurrent)."""
        raise NotImplementedError

    @property
    def fixed(self) -> bool:
        return self.param("weight").dtype.kind in "iu"

    def integer(self, key: str) -> int:
        """An integer property; a recurrent one that is absent is the input Dense's."""
        if key not in self.properties and key.endswith("_rec"):
            key = key.removesuffix("_rec")
        return super().integer(key)

    def _verify_neurons(self, arrays: list[np.ndarray]) -> None:
        """The neurons' parameters, fixed or float as the synapse's ``arrays`` are, and
        the placement."""
        n = self.size
        for key in ("du", "dv", "vth"):
            if self.param(key).size != 1:
                raise NodeError(
                    "loihi2-shape", f"'{key}' is one number per layer, got shape {list(self.param(key).shape)}"
                )
        if self.param("bias_mant").shape != (n,):
            raise NodeError(
                "loihi2-shape", f"bias_mant has shape {list(self.param('bias_mant').shape)}, expected [{n}]"
            )
        arrays = arrays + [self.param(k) for k in ("du", "dv", "vth", "bias_mant")]
        kinds = {a.dtype.kind in "iu" for a in arrays}
        if len(kinds) > 1:
            raise NodeError("loihi2-fixed", "parameters are all integers (fixed point) or all floats")
        if self.fixed:
            for key, lo, hi in (
                ("du", 0, DECAY_MAX),
                ("dv", 0, DECAY_MAX),
                ("vth", 0, VTH_MAX),
                ("bias_mant", *BIAS_MANT),
            ):
                a = self.param(key)
                if a.size and (int(a.min()) < lo or int(a.max()) > hi):
                    raise NodeError(
                        "loihi2-range",
                        f"'{key}' must lie in [{lo}, {hi}], got values in [{int(a.min())}, {int(a.max())}]",
                    )
        else:
            for key in ("du", "dv"):
                d = float(self.param(key).reshape(-1)[0])
                if not 0 <= d <= 1:
                    raise NodeError("loihi2-decay", f"'{key}' is a decay in [0, 1], got {d}")
        if not 0 <= self.integer("bias_exp") <= 7:
            raise NodeError("loihi2-bias", f"bias_exp is from 0 to 7, got {self.integer('bias_exp')}")
        cores, counts = self.opt_param("cores"), self.opt_param("core_neurons")
        if (cores is None) != (counts is None):
            raise NodeError("loihi2-cores", "cores and core_neurons come together")
        if cores is not None and (
            cores.ndim != 1
            or counts.shape != cores.shape
            or cores.dtype.kind not in "iu"
            or counts.dtype.kind not in "iu"
            or int(counts.sum()) != n
            or (cores.size and (int(cores.min()) < 0 or int(counts.min()) < 1))
        ):
            raise NodeError(
                "loihi2-cores", f"cores and core_neurons list each slice's core and its neurons (> 0, {n} in all)"
            )

    def _verify_weight_range(self, key: str) -> None:
        a = self.opt_param(key)
        if self.fixed and a is not None and a.size and (int(a.min()) < -256 or int(a.max()) > 255):
            raise NodeError("loihi2-range", f"'{key}' must lie in [-256, 255] (8 bits and a sign)")

    def _one_source(self) -> Shape:
        if len(self.inputs) != 1:
            raise NodeError("loihi2-fan-in", f"a layer reads one source, got {len(self.inputs)} incoming edges")
        return shape_of(self.inputs[0])


#: the properties every layer prints after its synapse's
_LAYER_ORDER = ("bias_exp", "graded", "scale", "cores", "core_neurons", "metadata", "edge_ids")


@irdl_op_definition
class DenseOp(LayerOp):
    """A Dense synapse (and optionally a recurrent one) feeding CUBA-LIF neurons."""

    name = "loihi2.dense"
    traits = traits_def(
        DiscreteTime(),
        Quantizable((("weight", "weight"), ("weight_rec", "weight"), ("bias_mant", "bias"), ("vth", "threshold"))),
    )
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "du", "dv", "vth", "bias_mant")
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("weight_rec",)

    weight = prop_def(DenseAttr)
    weight_rec = opt_prop_def(DenseAttr)
    weight_exp = prop_def(IntegerAttr)
    num_weight_bits = prop_def(IntegerAttr)
    #: the recurrent Dense's own (absent: the same as the input Dense's)
    weight_exp_rec = opt_prop_def(IntegerAttr)
    num_weight_bits_rec = opt_prop_def(IntegerAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (
            *cls.PARAMS,
            *cls.OPTIONAL_PARAMS,
            "weight_exp",
            "num_weight_bits",
            "weight_exp_rec",
            "num_weight_bits_rec",
            *_LAYER_ORDER,
        )

    @property
    def size(self) -> int:
        return int(self.param("weight").shape[0])

    @property
    def fan_in(self) -> int:
        return int(self.param("weight").shape[1]) + (self.size if self.opt_param("weight_rec") is not None else 0)

    def _verify_params(self) -> None:
        super()._verify_params()
        w = self.param("weight")
        if w.ndim != 2:
            raise NodeError("loihi2-shape", f"weight is (neurons, inputs), got shape {list(w.shape)}")
        n = self.size
        rec = self.opt_param("weight_rec")
        if rec is not None and rec.shape != (n, n):
            raise NodeError("loihi2-shape", f"weight_rec is ({n}, {n}), got shape {list(rec.shape)}")
        self._verify_neurons([w] + ([rec] if rec is not None else []))
        for key in ("weight", "weight_rec"):
            self._verify_weight_range(key)
        lo, hi = WEIGHT_EXP
        for suffix, w in (("", self.param("weight")), ("_rec", rec)):
            if w is None:
                continue
            exp, bits = self.integer(f"weight_exp{suffix}"), self.integer(f"num_weight_bits{suffix}")
            if not lo <= exp <= hi:
                raise NodeError("loihi2-weight", f"weight_exp{suffix} is from {lo} to {hi}, got {exp}")
            mixed = bool(w.size) and float(w.min()) < 0 < float(w.max())
            if not 1 <= bits <= (9 if mixed else 8):
                raise NodeError(
                    "loihi2-weight",
                    f"num_weight_bits{suffix} is from 1 to 8 (9 for weights of both signs, as netx sets it), got {bits}",
                )

    def _verify_inputs(self) -> Shape | None:
        got = self._one_source()
        m = int(self.param("weight").shape[1])
        if got != (m,):
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected [{m}]")
        return got

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return (self.size,)


@irdl_op_definition
class ConvOp(ConvGeometry, LayerOp):
    """A Conv synapse (Lava's ``Conv`` process, a netx ``conv`` layer) feeding CUBA-LIF
    neurons ``(out, H', W')``: a 2-D cross-correlation as PyTorch's
    (:class:`~nirc.targets.lava.conv.ConvGeometry`).  Lava's Conv has no weight exponent
    and keeps its weights as they are; in fixed point its sums wrap to 24 bits (signed)."""

    name = "loihi2.conv"
    traits = traits_def(
        DiscreteTime(),
        Quantizable((("weight", "weight"), ("bias_mant", "bias"), ("vth", "threshold"))),
    )
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "stride", "padding", "dilation", "du", "dv", "vth", "bias_mant")
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("stride", "padding", "dilation")
    SHAPE_RULE: ClassVar[str] = "loihi2-shape"

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, "groups", *_LAYER_ORDER)

    @property
    def size(self) -> int:
        return int(np.prod(shape_of(self.results[0])))

    @property
    def fan_in(self) -> int:
        return int(np.prod(self.param("weight").shape[1:]))

    def _verify_params(self) -> None:
        super()._verify_params()
        w = self.verify_geometry()
        self._verify_neurons([w])
        self._verify_weight_range("weight")

    def _verify_inputs(self) -> Shape | None:
        return self.verify_conv_input("loihi2-fan-in")

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        assert input_shape is not None
        return self.conv_output_shape(input_shape)


def effective_weights(w: np.ndarray, num_weight_bits: int) -> np.ndarray:
    """The weights Lava's bit-accurate Dense uses: clipped to 8 bits for the matrix's sign
    mode, then the low bits cleared (``lava.utils.weightutils``: ``determine_sign_mode``,
    ``clip_weights(num_bits=8)``, ``truncate_weights``)."""
    w = np.asarray(w, np.int64)
    if w.size == 0:
        return w
    inhibitory = bool(w.max() <= 0) and not bool(w.min() >= 0)
    mixed = bool(w.min() < 0) and bool(w.max() > 0)
    x = -w if inhibitory else w
    x = np.clip(x, -256 if mixed else 0, 255)
    cut = 8 - num_weight_bits + int(mixed)
    x = (x >> cut) << cut
    return -x if inhibitory else x


LOIHI2 = Dialect("loihi2", [DenseOp, ConvOp], [])
