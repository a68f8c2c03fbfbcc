"""The `snn` dialect's ops: discrete-time spiking neurons with every choice explicit.

``convert-nir-to-snn`` produces it from the `nir` dialect for one time step ``dt`` and
one semantics profile.  Its ops live in a ``nir.graph`` beside the time-invariant `nir`
ops (Linear, Affine, Conv, pooling, Flatten, Scale), which mean the same in discrete
time; nothing in an `snn` op depends on ``dt`` any more.

Per step ``t``, for membrane ``v`` and synaptic current ``i``::

    snn.leaky      v[t] = decay v[t-1] + bias + gain x[t]
    snn.synaptic   i[t] = syn_decay i[t-1] + syn_gain x[t];  v[t] = decay v[t-1] + bias + gain i[t]
    snn.rleaky     snn.leaky on x[t] + (w_rec s[t-1] + b_rec), s its own spikes
    snn.rsynaptic  snn.synaptic on x[t] + (w_rec s[t-1] + b_rec)
                   (the recurrent term is zero at t = 0, b_rec included)
    snn.threshold  s[t] = [x[t] > threshold]  (compare, multi_spike)
    snn.delay      y[t] = x[t - steps]  (per element, zero before)

With ``order = "integrate-then-leak"`` the updates are ``i = syn_decay (i + syn_gain x)``
and ``v = decay (v + gain d) + bias``.
A neuron with ``threshold`` and ``v_reset`` resets: ``reset`` (``value``: ``v = v_reset``,
``subtract``: ``v -= n threshold``, ``none``), ``compare`` (``>``/``>=``),
``spike_timing`` and ``reset_timing`` (``same`` step or ``next``), ``multi_spike``; its
``output`` is ``spikes``, or ``membrane`` (the membrane as a threshold reads it: an
integrator that ``lower-composites`` gave a reset).  ``docs/semantics.md`` spells out the
step.  Recurrent edges carry an explicit ``snn.delay`` of one step.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, StringAttr, UnitAttr
from xdsl.ir import Dialect, Operation
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def
from xdsl.traits import Pure

from nirc.core.dense import DenseAttr
from nirc.core.integers import OVERFLOWS
from nirc.core.neuron import DiscreteNeuron
from nirc.core.node import ElementwiseOp, NodeError
from nirc.core.semantics import CHOICES as SEMANTICS_CHOICES
from nirc.core.traits import Canonicalizations, CycleBreaker, DiscreteTime

#: Allowed values of the string-valued choices: the per-step ones a semantics profile
#: makes (``integrator`` and ``input_gain`` are folded into the numbers), and the op's own.
CHOICES: dict[str, tuple[str, ...]] = {
    **{key: SEMANTICS_CHOICES[key] for key in ("reset", "compare", "spike_timing", "reset_timing", "order")},
    "output": ("spikes", "membrane"),
    "overflow": OVERFLOWS,
}

#: Choices a resetting neuron must state.
RESET_CHOICES = ("reset", "compare", "spike_timing", "reset_timing", "output")


def _choice(op: ElementwiseOp, key: str) -> str | None:
    attr = op.properties.get(key)
    return attr.data if isinstance(attr, StringAttr) else None


def _check_choice(op: ElementwiseOp, key: str, required: bool) -> None:
    attr = op.properties.get(key)
    if attr is None:
        if required:
            raise NodeError("snn-choice", f"'{key}' must be stated ({' or '.join(CHOICES[key])})")
        return
    if not isinstance(attr, StringAttr) or attr.data not in CHOICES[key]:
        raise NodeError("snn-choice", f"'{key}' must be one of {', '.join(CHOICES[key])}, got {attr}")


class SnnNeuronOp(ElementwiseOp):
    """Base of the discrete-time neurons: membrane factors, optional synapse and reset."""

    traits = traits_def(DiscreteTime())

    PARAMS: ClassVar[tuple[str, ...]] = ("decay", "gain", "bias")
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("threshold", "v_reset")
    #: Parameters with the neuron's shape (beyond PARAMS).
    NEURON_PARAMS: ClassVar[tuple[str, ...]] = ()
    RECURRENT: ClassVar[bool] = False

    decay = prop_def(DenseAttr)
    gain = prop_def(DenseAttr)
    bias = prop_def(DenseAttr)
    threshold = opt_prop_def(DenseAttr)
    v_reset = opt_prop_def(DenseAttr)
    reset = opt_prop_def(StringAttr)
    compare = opt_prop_def(StringAttr)
    spike_timing = opt_prop_def(StringAttr)
    reset_timing = opt_prop_def(StringAttr)
    order = prop_def(StringAttr)
    multi_spike = opt_prop_def(UnitAttr)
    output_kind = opt_prop_def(StringAttr, prop_name="output")
    #: The width of the state in bits (``v`` and ``i`` bounded after each update), and
    #: what a state beyond it becomes (``saturate``, the default, or ``wrap``).
    state_bits = opt_prop_def(IntegerAttr)
    overflow = opt_prop_def(StringAttr)
    #: The factor ``quantize`` multiplied the layer's parameters by (its integers are
    #: ``round(float * scale)``): one number, or one per neuron.
    scale = opt_prop_def(DenseAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (
            *cls.PARAMS,
            *cls.NEURON_PARAMS,
            "threshold",
            "v_reset",
            "reset",
            "compare",
            "spike_timing",
            "reset_timing",
            "order",
            "multi_spike",
            "output",
            "state_bits",
            "overflow",
            *(("w_rec", "b_rec") if cls.RECURRENT else ()),
            "scale",
            "metadata",
            "edge_ids",
        )

    @property
    def resets(self) -> bool:
        return self.threshold is not None

    def choice(self, key: str) -> str | None:
        return _choice(self, key)

    @property
    def bits(self) -> int | None:
        """``state_bits``, or None for an unbounded state."""
        return None if self.state_bits is None else self.state_bits.value.data

    def discrete(self) -> DiscreteNeuron:
        """The :class:`~nirc.core.neuron.DiscreteNeuron` this op states."""
        fields: dict[str, Any] = {
            "decay": self.param("decay"),
            "gain": self.param("gain"),
            "bias": self.param("bias"),
            "syn_decay": self.opt_param("syn_decay"),
            "syn_gain": self.opt_param("syn_gain"),
            "threshold": self.opt_param("threshold"),
            "v_reset": self.opt_param("v_reset"),
            "order": self.choice("order"),
            "multi_spike": self.multi_spike is not None,
            "state_bits": self.bits,
            "overflow": self.choice("overflow") or "saturate",
        }
        for key in RESET_CHOICES:
            value = self.choice(key)
            if value is not None:
                fields[key] = value
        return DiscreteNeuron(**fields)

    def checked_params(self) -> tuple[str, ...]:
        return (*super().checked_params(), *self.NEURON_PARAMS, *(("w_rec", "b_rec") if self.RECURRENT else ()))

    def _verify_params(self) -> None:
        super()._verify_params()
        shape = self.param("decay").shape
        for key in (*self.PARAMS, *self.NEURON_PARAMS, *self.OPTIONAL_PARAMS):
            arr = self.opt_param(key)
            if arr is not None and arr.shape != shape:
                raise NodeError("param-shapes", f"'{key}' has shape {list(arr.shape)}, the neuron {list(shape)}")
        if (self.threshold is None) != (self.v_reset is None):
            raise NodeError("reset-params", "threshold and v_reset come together")
        _check_choice(self, "order", True)
        for key in RESET_CHOICES:
            _check_choice(self, key, self.resets)
            if not self.resets and key in self.properties:
                raise NodeError("snn-choice", f"'{key}' needs a threshold: this neuron does not reset")
        if not self.resets and self.multi_spike is not None:
            raise NodeError("snn-choice", "'multi_spike' needs a threshold: this neuron does not reset")
        _check_choice(self, "overflow", False)
        if self.state_bits is not None and not 2 <= self.state_bits.value.data <= 64:
            raise NodeError(
                "snn-state-bits", f"state_bits is a whole number from 2 to 64, got {self.state_bits.value.data}"
            )
        if self.state_bits is None and self.overflow is not None:
            raise NodeError("snn-state-bits", "'overflow' needs state_bits: an unbounded state does not overflow")
        scale = self.opt_param("scale")
        if scale is not None and (
            scale.shape not in ((), shape) or not (np.isfinite(scale).all() and (scale > 0).all())
        ):
            raise NodeError("snn-scale", f"scale is one finite number > 0, or one per neuron (shape {list(shape)})")
        if self.RECURRENT and self.choice("output") != "spikes":
            raise NodeError(
                "snn-choice", f'{self.name} feeds back its spikes: it needs a threshold and output = "spikes"'
            )


@irdl_op_definition
class LeakyOp(SnnNeuronOp):
    """Leaky (or, with ``decay = 1``, plain) integrator, spiking when it has a threshold:
    ``v[t] = decay v[t-1] + bias + gain x[t]``."""

    name = "snn.leaky"


@irdl_op_definition
class SynapticOp(SnnNeuronOp):
    """Current-based neuron: ``i[t] = syn_decay i[t-1] + syn_gain x[t]``, then the
    membrane of ``snn.leaky`` driven by ``i[t]``."""

    name = "snn.synaptic"
    NEURON_PARAMS: ClassVar[tuple[str, ...]] = ("syn_decay", "syn_gain")
    syn_decay = prop_def(DenseAttr)
    syn_gain = prop_def(DenseAttr)


class _Recurrent(SnnNeuronOp):
    """Adds ``w_rec s[t-1] + b_rec`` to the input, ``s`` the neuron's own spikes (as
    snnTorch's RLeaky/RSynaptic with ``all_to_all=True``).  The term is zero at ``t = 0``,
    ``b_rec`` included: nothing has come round the loop yet (snnTorch adds ``b_rec``
    there; an emitter must account for it)."""

    RECURRENT: ClassVar[bool] = True
    w_rec = prop_def(DenseAttr)
    b_rec = opt_prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        shape = self.param("decay").shape
        if len(shape) != 1:
            raise NodeError("recurrent-shape", f"a recurrent neuron layer must be 1-D, got {list(shape)}")
        w = self.param("w_rec")
        if w.shape != (shape[0], shape[0]):
            raise NodeError("recurrent-shape", f"w_rec has shape {list(w.shape)}, expected {[shape[0], shape[0]]}")
        b = self.opt_param("b_rec")
        if b is not None and b.shape != shape:
            raise NodeError("recurrent-shape", f"b_rec has shape {list(b.shape)}, expected {list(shape)}")


@irdl_op_definition
class RLeakyOp(_Recurrent):
    """``snn.leaky`` with all-to-all recurrence: input ``x[t] + w_rec s[t-1] + b_rec``."""

    name = "snn.rleaky"


@irdl_op_definition
class RSynapticOp(_Recurrent):
    """``snn.synaptic`` with all-to-all recurrence: input ``x[t] + w_rec s[t-1] + b_rec``."""

    name = "snn.rsynaptic"
    NEURON_PARAMS: ClassVar[tuple[str, ...]] = ("syn_decay", "syn_gain")
    syn_decay = prop_def(DenseAttr)
    syn_gain = prop_def(DenseAttr)


@irdl_op_definition
class ThresholdOp(ElementwiseOp):
    """Spike where the input crosses ``threshold``: ``[x > θ]`` or ``[x >= θ]``; with
    ``multi_spike``, ``floor(x / θ)`` spikes (``>=``; one fewer at exact multiples with
    ``>``), at least one where it crosses."""

    name = "snn.threshold"
    PARAMS: ClassVar[tuple[str, ...]] = ("threshold",)
    traits = traits_def(Pure(), DiscreteTime())
    threshold = prop_def(DenseAttr)
    compare = prop_def(StringAttr)
    multi_spike = opt_prop_def(UnitAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return ("threshold", "compare", "multi_spike", "metadata", "edge_ids")

    def _verify_params(self) -> None:
        super()._verify_params()
        _check_choice(self, "compare", True)


class DelayBreaksCycles(CycleBreaker):
    """A delay of at least one step in every element breaks a cycle through it."""

    def breaks(self, op: Operation) -> bool:
        return isinstance(op, DelayOp) and op.min_steps() >= 1


@irdl_op_definition
class DelayOp(ElementwiseOp):
    """``y[t] = x[t - steps]`` per element (zero before the first value arrives)."""

    name = "snn.delay"
    PARAMS: ClassVar[tuple[str, ...]] = ("steps",)
    traits = traits_def(
        DiscreteTime(), DelayBreaksCycles(), Canonicalizations("nirc.dialects.snn.canonicalization:DELAY")
    )
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("steps",)
    steps = prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        if (self.param("steps") < 0).any():
            raise NodeError("delay-sign", "steps must be >= 0")

    def min_steps(self) -> int:
        steps = self.param("steps")
        return int(steps.min()) if steps.size else 0


SNN_OPS = (LeakyOp, SynapticOp, RLeakyOp, RSynapticOp, ThresholdOp, DelayOp)
NEURON_OPS = (LeakyOp, SynapticOp, RLeakyOp, RSynapticOp)

SNN = Dialect("snn", list(SNN_OPS), [])

__all__ = ["CHOICES", "NEURON_OPS", "RESET_CHOICES", "SNN", "SNN_OPS", "SnnNeuronOp", *[op.__name__ for op in SNN_OPS]]
