"""The `spinnaker2` dialect: py-spinnaker2's populations and projections.

``spinnaker2.projection "NAME"(%pre) {weight}`` is a ``snn.Projection``: integer weights
``(post, pre)`` (a whole number in ±127 each, as the chip stores them; ``delay`` 0, the
no-delay models' only one) from the presynaptic spikes (the input, a ``spike_list``, or a
population; an image flattened in (C, H, W) order).  ``spinnaker2.conv2d "NAME"(%pre)``
is a ``snn.Conv2DProjection``: int8 kernel ``(out, in, kH, kW)`` (PyTorch's order; the
emitter passes py-spinnaker2 ``(in, out, kH, kW)``), ``stride`` per (height, width),
``padding`` (top, bottom, left, right).  Either delivers the chip's two synaptic inputs
of the step, stacked: ``[excitatory, inhibitory]``, the sums of the positive weights and
of the magnitudes of the negative weights of the inputs that spiked (the synapse word's
exc/inh type), shape ``(2, *post)``.

``spinnaker2.population "NAME"(%syn, ...)`` is a ``snn.Population`` of one neuron model
(``lif_no_delay``, ``lif_curr_exp_no_delay``, ``lif_conv2d``) reading the sum of its
projections, with the model's parameters per neuron (``threshold``, ``alpha_decay``,
``i_offset``, ``v_reset``, ``exc_decay`` / ``inh_decay`` for ``lif_curr_exp_no_delay``),
``reset`` (``reset_by_subtraction`` or ``reset_to_v_reset``), an optional recurrent
projection ``weight_rec`` (post, post) from its own spikes, the PE size
``max_atoms_per_core`` and, once placed, ``pes`` / ``chips`` / ``slice_neurons`` per slice.
Per step, in float32 and in this order (``nirc/targets/spinnaker2/kernels.py``)::

    lif_no_delay, lif_conv2d:   v = alpha_decay v + (exc - inh) + i_offset
    lif_curr_exp_no_delay:      I_exc = exc_decay I_exc + exc;  I_inh = inh_decay I_inh + inh
                                v = alpha_decay v + I_exc - I_inh + i_offset
    spike where v > threshold; v -= threshold (reset_by_subtraction) or v = v_reset there

A feed-forward projection delivers the presynaptic spikes of the same step, the
recurrent one those of the step before.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, StringAttr
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def

from nirc.core.dense import DenseAttr
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of
from nirc.core.traits import DiscreteTime

#: the chip's weights: a sign and a 7-bit magnitude
WEIGHT_MAX = 127
#: neurons a PE addresses (8-bit target index)
ATOMS_MAX = 256
NEURON_MODELS = ("lif_no_delay", "lif_curr_exp_no_delay", "lif_conv2d")
RESETS = ("reset_by_subtraction", "reset_to_v_reset")


def _check_weights(op: ValueNodeOp, key: str) -> np.ndarray | None:
    w = op.opt_param(key)
    if w is None:
        return None
    if w.dtype.kind not in "iu":
        raise NodeError("spinnaker2-weight", f"'{key}' holds the chip's integer weights, got {w.dtype}")
    if w.size and int(np.abs(w).max()) > WEIGHT_MAX:
        raise NodeError("spinnaker2-weight", f"'{key}' must lie in [-{WEIGHT_MAX}, {WEIGHT_MAX}] (a sign and 7 bits)")
    return w


class SynapseOp(ValueNodeOp):
    """A projection: the stacked excitatory and inhibitory sums it delivers, ``(2, *post)``."""

    def _one_source(self) -> Shape:
        if len(self.inputs) != 1:
            raise NodeError("spinnaker2-fan-in", f"a projection reads one population, got {len(self.inputs)}")
        return shape_of(self.inputs[0])


@irdl_op_definition
class ProjectionOp(SynapseOp):
    """``snn.Projection``: integer weights ``(post, pre)``, delay 0."""

    name = "spinnaker2.projection"
    traits = traits_def(DiscreteTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("weight",)

    weight = prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        w = _check_weights(self, "weight")
        assert w is not None
        if w.ndim != 2:
            raise NodeError("spinnaker2-shape", f"weight is (post, pre), got shape {list(w.shape)}")

    def _verify_inputs(self) -> Shape | None:
        got = self._one_source()
        pre = int(self.param("weight").shape[1])
        if int(np.prod(got)) != pre:
            raise NodeError(
                "edge-shape", f"incoming edge carries {list(got)} ({int(np.prod(got))} neurons), expected {pre}"
            )
        return got

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        post = shape_of(self.results[0])[1:]
        if int(np.prod(post)) != int(self.param("weight").shape[0]):
            raise NodeError(
                "spinnaker2-shape",
                f"the population's {list(post)} neurons are not the weight's {self.param('weight').shape[0]}",
            )
        return (2, *post)


@irdl_op_definition
class Conv2dOp(SynapseOp):
    """``snn.Conv2DProjection``: a PyTorch cross-correlation, int8 kernel ``(out, in, kH,
    kW)``, ``stride`` (height, width), ``padding`` (top, bottom, left, right)."""

    name = "spinnaker2.conv2d"
    traits = traits_def(DiscreteTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "stride", "padding")
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("stride", "padding")

    weight = prop_def(DenseAttr)
    stride = prop_def(DenseAttr)
    padding = prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        w = _check_weights(self, "weight")
        assert w is not None
        if w.ndim != 4:
            raise NodeError("spinnaker2-shape", f"weight is (out, in, kH, kW), got shape {list(w.shape)}")
        s, p = self.param("stride"), self.param("padding")
        if s.shape != (2,) or int(s.min()) < 1:
            raise NodeError("spinnaker2-shape", "'stride' is two whole numbers >= 1 (height, width)")
        if p.shape != (4,) or int(p.min()) < 0:
            raise NodeError("spinnaker2-shape", "'padding' is four whole numbers >= 0 (top, bottom, left, right)")

    def _verify_inputs(self) -> Shape | None:
        got = self._one_source()
        c = int(self.param("weight").shape[1])
        if len(got) != 3 or got[0] != c:
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected ({c}, H, W)")
        out = self.conv_shape(got)
        if min(out) < 1:
            raise NodeError("edge-shape", f"the kernel does not fit the input {list(got)}: output {list(out)}")
        return got

    def conv_shape(self, input_shape: Shape) -> Shape:
        w = self.param("weight")
        (sh, sw), (pt, pb, pl, pr) = self.param("stride").tolist(), self.param("padding").tolist()
        h = (input_shape[1] + pt + pb - w.shape[2]) // sh + 1
        width = (input_shape[2] + pl + pr - w.shape[3]) // sw + 1
        return (int(w.shape[0]), int(h), int(width))

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        assert input_shape is not None
        return (2, *self.conv_shape(input_shape))


@irdl_op_definition
class PopulationOp(ValueNodeOp):
    """``snn.Population``: one neuron model, its parameters per neuron, the sum of its
    projections in, spikes out (see the module doc)."""

    name = "spinnaker2.population"
    traits = traits_def(DiscreteTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("threshold", "alpha_decay", "i_offset", "v_reset")
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("exc_decay", "inh_decay", "weight_rec")
    #: the parameters py-spinnaker2 takes per neuron
    NEURON_PARAMS: ClassVar[tuple[str, ...]] = (
        "threshold",
        "alpha_decay",
        "i_offset",
        "v_reset",
        "exc_decay",
        "inh_decay",
    )

    neuron_model = prop_def(StringAttr)
    threshold = prop_def(DenseAttr)
    alpha_decay = prop_def(DenseAttr)
    i_offset = prop_def(DenseAttr)
    v_reset = prop_def(DenseAttr)
    reset = prop_def(StringAttr)
    exc_decay = opt_prop_def(DenseAttr)
    inh_decay = opt_prop_def(DenseAttr)
    weight_rec = opt_prop_def(DenseAttr)
    max_atoms_per_core = prop_def(IntegerAttr)
    #: placement (``spinnaker2-place``): per slice of the population, its PE, chip and neurons
    pes = opt_prop_def(DenseAttr)
    chips = opt_prop_def(DenseAttr)
    slice_neurons = opt_prop_def(DenseAttr)
    #: the factor ``quantize`` multiplied weights, offsets and thresholds by
    scale = opt_prop_def(DenseAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (
            "neuron_model",
            *cls.PARAMS,
            "reset",
            *cls.OPTIONAL_PARAMS,
            "max_atoms_per_core",
            "pes",
            "chips",
            "slice_neurons",
            "scale",
            "metadata",
            "edge_ids",
        )

    @property
    def model(self) -> str:
        return self.neuron_model.data

    @property
    def size(self) -> int:
        return int(np.prod(shape_of(self.results[0])))

    def _verify_params(self) -> None:
        super()._verify_params()
        if self.model not in NEURON_MODELS:
            raise NodeError(
                "spinnaker2-model", f"neuron_model is one of {', '.join(NEURON_MODELS)}, got '{self.model}'"
            )
        if self.reset.data not in RESETS:
            raise NodeError("spinnaker2-model", f"reset is one of {', '.join(RESETS)}, got '{self.reset.data}'")
        shape = shape_of(self.results[0])
        curr = self.model == "lif_curr_exp_no_delay"
        for key in self.NEURON_PARAMS:
            a = self.opt_param(key)
            if a is None:
                if key in ("exc_decay", "inh_decay") and curr:
                    raise NodeError("spinnaker2-model", f"{self.model} has '{key}'")
                continue
            if key in ("exc_decay", "inh_decay") and not curr:
                raise NodeError("spinnaker2-model", f"{self.model} has no '{key}'")
            if a.shape != shape or a.dtype.kind != "f":
                raise NodeError(
                    "spinnaker2-shape", f"'{key}' is a float per neuron {list(shape)}, got {a.dtype} {list(a.shape)}"
                )
            if key in ("alpha_decay", "exc_decay", "inh_decay") and a.size and not (0 <= a.min() and a.max() <= 1):
                raise NodeError("spinnaker2-model", f"'{key}' is a decay in [0, 1]")
        rec = _check_weights(self, "weight_rec")
        if rec is not None and rec.shape != (self.size, self.size):
            raise NodeError("spinnaker2-shape", f"weight_rec is ({self.size}, {self.size}), got {list(rec.shape)}")
        atoms = int(self.max_atoms_per_core.value.data)
        if not 1 <= atoms <= ATOMS_MAX:
            raise NodeError(
                "spinnaker2-atoms", f"max_atoms_per_core is from 1 to {ATOMS_MAX} (8-bit index), got {atoms}"
            )
        placed = [self.opt_param(k) for k in ("pes", "chips", "slice_neurons")]
        if any(a is not None for a in placed):
            if any(a is None for a in placed):
                raise NodeError("spinnaker2-place", "pes, chips and slice_neurons come together")
            pes, chips, counts = placed
            if (
                pes.ndim != 1
                or chips.shape != pes.shape
                or counts.shape != pes.shape
                or int(counts.sum()) != self.size
                or (counts.size and (int(counts.min()) < 1 or int(counts.max()) > atoms))
            ):
                raise NodeError(
                    "spinnaker2-place",
                    f"pes, chips and slice_neurons list each slice (1 to {atoms} neurons, {self.size} in all)",
                )

    def _verify_inputs(self) -> Shape | None:
        if not self.inputs:
            raise NodeError("spinnaker2-fan-in", "a population reads at least one projection")
        shape = (2, *shape_of(self.results[0]))
        for value in self.inputs:
            if not isinstance(value.owner, SynapseOp):
                raise NodeError("spinnaker2-fan-in", "a population reads projections only")
            if shape_of(value) != shape:
                raise NodeError("edge-shape", f"a projection delivers {list(shape_of(value))}, expected {list(shape)}")
        convs = [isinstance(v.owner, Conv2dOp) for v in self.inputs]
        if (self.model == "lif_conv2d") != all(convs) or (self.model != "lif_conv2d" and any(convs)):
            raise NodeError("spinnaker2-model", "a lif_conv2d population reads Conv2DProjections, and only it does")
        return shape

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return shape_of(self.results[0])


SPINNAKER2 = Dialect("spinnaker2", [ProjectionOp, Conv2dOp, PopulationOp], [])
