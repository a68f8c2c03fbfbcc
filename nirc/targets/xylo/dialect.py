"""The `xylo` dialect: the SynSense Xylo chip's two neuron populations.

``convert-snn-to-xylo`` builds it from an `snn` graph; ``xylo-weight-shift`` and
``quantize`` (configured as ``nir-to-xylo`` does: int8 weights, int16 thresholds and
biases, one scale per neuron) turn its float parameters into the chip's integers.  The
ops live in a ``nir.graph`` between its ``nir.input`` and ``nir.output``::

    %h = xylo.hidden "hidden"(%x) {...}  : tensor<16xf32> -> tensor<Nxf32>
    %o = xylo.readout "readout"(%h) {...} : tensor<Nxf32> -> tensor<Mxf32>

Weights are stored as nirc stores them, the receiving neuron first: ``w_in (N, C, S)``,
``w_rec (N, N, S)`` (``w_rec[post, pre, synapse]``), ``w_out (M, N)``; the rockpool
specification is their transpose.  ``S`` (1 or 2) is the synaptic states per hidden
neuron.  Per time step, on spike counts (xylosim v2, ``XyloLayer::evolve``)::

    hidden:   i[s] += (w_in[s] << shift_in) . min(x[t], 15)          (this step's input)
              i[s] += (w_rec[s] << shift_rec) . h[t-1]               (last step's hidden spikes)
              i[s] -= decay(i[s], dash_syn[s])
              dv    = sat(-decay(v, dash_mem) + sum_s i[s])          (-decay as int16: -(-32768) wraps)
              dv    = sat(dv + bias)
              v     = sat(v + dv)
              h[t]  = spikes: while v >= threshold and h < 31: h += 1, v -= threshold
    readout:  the same on w_out . h[t-1] (one step later), one synapse, at most 1 spike;
              with ``output = "membrane"`` its result is ``v`` (rockpool's Vmem output)

with ``decay(v, d) = v >> d``, or ``sign(v)`` where that is 0, and ``sat`` the clamp to
the 16-bit range; every synaptic addition saturates too, one spike at a time in the
chip's order (:mod:`nirc.targets.xylo.kernels` is exact).  Aliases
(``XyloLayer::evolve_neurons``): neurons evolve in id order, and a hidden neuron with an
alias ``a`` adds its spikes to ``a``'s count, capped at 31: if ``a`` comes later, that
count is where ``a``'s own spikes start (so it fires fewer, the rest staying in its
membrane); if earlier, they are added after ``a`` fired; counts pass along chains of
aliases.  With float parameters (before ``quantize``) the same step runs in floats:
decays ``1 - 2^-dash``, weights times ``2^shift``, nothing saturates; inputs are clipped
to 15 and must be whole counts in both.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, StringAttr
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def, traits_def

from nirc.core.dense import DenseAttr
from nirc.core.integers import int_range
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of
from nirc.core.traits import DiscreteTime, Quantizable

#: what a readout sends out: its spikes, or its membranes (rockpool's output_mode "Spike" / "Vmem")
OUTPUTS = ("spikes", "membrane")
#: bit widths the chip stores (``resources.XyloChip`` has the same for every variant)
WEIGHT_BITS, THRESHOLD_BITS, BIAS_BITS, DASH_MAX, SHIFT_MAX = 8, 16, 16, 15, 7


class XyloPopulationOp(ValueNodeOp):
    """What the hidden and readout populations share: thresholds, biases, bit-shift
    decays, the weight shifts, the scale ``quantize`` chose, and which `snn` nodes the
    neurons came from (``populations``: names; ``population_sizes``: how many neurons
    each, in id order)."""

    #: the weight parameters and their ``[post, pre(, synapse)]`` rank
    WEIGHTS: ClassVar[tuple[tuple[str, int], ...]] = ()
    SHIFTS: ClassVar[tuple[str, ...]] = ()

    threshold = prop_def(DenseAttr)
    bias = prop_def(DenseAttr)
    dash_mem = prop_def(DenseAttr)
    dash_syn = prop_def(DenseAttr)
    #: The factor ``quantize`` multiplied each neuron's parameters by.
    scale = opt_prop_def(DenseAttr)
    populations = opt_prop_def(ArrayAttr[StringAttr])
    population_sizes = opt_prop_def(DenseAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (
            *cls.PARAMS,
            *cls.OPTIONAL_PARAMS,
            *cls.SHIFTS,
            "scale",
            "populations",
            "population_sizes",
            "metadata",
            "edge_ids",
        )

    # ------------------------------------------------------------- helpers
    @property
    def size(self) -> int:
        return int(self.param("threshold").shape[0])

    @property
    def quantized(self) -> bool:
        return self.param("threshold").dtype.kind in "iu"

    def shift(self, key: str) -> int:
        attr = self.properties[key]
        assert isinstance(attr, IntegerAttr)
        return int(attr.value.data)

    def population_map(self) -> list[tuple[str, int, int]]:
        """``(node, first id, count)`` of each population, in id order."""
        if self.populations is None or self.population_sizes is None:
            return [(self.nir_name, 0, self.size)]
        out, start = [], 0
        for name, count in zip(self.populations.data, self.param("population_sizes").tolist(), strict=True):
            out.append((name.data, start, int(count)))
            start += int(count)
        return out

    # ------------------------------------------------------------- verifier
    def _verify_params(self) -> None:
        super()._verify_params()
        th = self.param("threshold")
        if th.ndim != 1:
            raise NodeError("xylo-shape", f"'threshold' is one number per neuron (1-D), got shape {list(th.shape)}")
        n = self.size
        for key in ("threshold", "bias", "dash_mem"):
            if self.param(key).shape != (n,):
                raise NodeError("xylo-shape", f"'{key}' has shape {list(self.param(key).shape)}, expected [{n}]")
        for key, rank in self.WEIGHTS:
            w = self.param(key)
            if w.ndim != rank or w.shape[0] != n:
                raise NodeError("xylo-shape", f"'{key}' has shape {list(w.shape)}: expected {rank}-D, [{n}, ...]")
        for key in ("dash_mem", "dash_syn"):
            d = self.param(key)
            if d.dtype.kind not in "iu" or (d.size and (int(d.min()) < 0 or int(d.max()) > DASH_MAX)):
                raise NodeError("xylo-dash", f"'{key}' must be whole numbers from 0 to {DASH_MAX} (4-bit shifts)")
        for key in self.SHIFTS:
            value = self.shift(key)
            if not 0 <= value <= SHIFT_MAX:
                raise NodeError("xylo-shift", f"'{key}' must be from 0 to {SHIFT_MAX}, got {value}")
        th = self.param("threshold")
        if th.size and not (th > 0).all():
            bad = int(np.flatnonzero(~(th > 0))[0])
            raise NodeError("xylo-threshold", f"thresholds must be > 0, neuron {bad} has {th[bad].item()}")
        values = [self.param(k) for k, _ in self.WEIGHTS] + [th, self.param("bias")]
        ints = [a.dtype.kind in "iu" for a in values]
        if any(ints) and not all(ints):
            raise NodeError(
                "xylo-quantized", "weights, thresholds and biases are all integers (quantized) or all floats"
            )
        if all(ints):
            for (key, _), arr in zip(self.WEIGHTS, values, strict=False):
                self._in_range(key, arr, WEIGHT_BITS)
            self._in_range("threshold", th, THRESHOLD_BITS)
            self._in_range("bias", self.param("bias"), BIAS_BITS)
        self._verify_populations()

    def _verify_populations(self) -> None:
        if (self.populations is None) != (self.population_sizes is None):
            raise NodeError("xylo-populations", "populations and population_sizes come together")
        if self.populations is not None:
            sizes = self.param("population_sizes")
            if (
                sizes.shape != (len(self.populations.data),)
                or sizes.dtype.kind not in "iu"
                or int(sizes.sum()) != self.size
            ):
                raise NodeError(
                    "xylo-populations",
                    f"population_sizes must give one count per population, summing to {self.size} neurons",
                )

    @staticmethod
    def _in_range(key: str, arr: np.ndarray, bits: int) -> None:
        lo, hi = int_range(bits)
        if arr.size and (int(arr.min()) < lo or int(arr.max()) > hi):
            raise NodeError(
                "xylo-quantized",
                f"'{key}' must fit {bits}-bit integers [{lo}, {hi}], got values in [{int(arr.min())}, {int(arr.max())}]",
            )

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return (self.size,)


@irdl_op_definition
class HiddenOp(XyloPopulationOp):
    """The hidden population: input weights from up to 16 channels, recurrent weights
    among the neurons (one step late), one or two synaptic states each, aliases."""

    name = "xylo.hidden"
    traits = traits_def(
        DiscreteTime(),
        Quantizable((("w_in", "weight"), ("w_rec", "weight"), ("bias", "bias"), ("threshold", "threshold"))),
    )
    PARAMS: ClassVar[tuple[str, ...]] = ("w_in", "w_rec", "threshold", "bias", "dash_mem", "dash_syn")
    #: ``aliases[i]``: the neuron that also counts neuron ``i``'s spikes, or -1
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("aliases",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("dash_mem", "dash_syn", "aliases", "population_sizes")
    WEIGHTS: ClassVar[tuple[tuple[str, int], ...]] = (("w_in", 3), ("w_rec", 3))
    SHIFTS: ClassVar[tuple[str, ...]] = ("weight_shift_in", "weight_shift_rec")

    w_in = prop_def(DenseAttr)
    w_rec = prop_def(DenseAttr)
    aliases = opt_prop_def(DenseAttr)
    weight_shift_in = prop_def(IntegerAttr)
    weight_shift_rec = prop_def(IntegerAttr)

    @property
    def synapses(self) -> int:
        return int(self.param("w_in").shape[2])

    def _verify_params(self) -> None:
        super()._verify_params()
        n, s = self.size, self.synapses
        if s not in (1, 2):
            raise NodeError("xylo-synapses", f"a hidden neuron has 1 or 2 synaptic states, got {s}")
        if self.param("w_rec").shape != (n, n, s):
            raise NodeError("xylo-shape", f"'w_rec' has shape {list(self.param('w_rec').shape)}, expected {[n, n, s]}")
        if self.param("dash_syn").shape != (n, s):
            raise NodeError(
                "xylo-shape", f"'dash_syn' has shape {list(self.param('dash_syn').shape)}, expected {[n, s]}"
            )
        aliases = self.opt_param("aliases")
        if aliases is not None:
            if aliases.shape != (n,) or aliases.dtype.kind not in "iu":
                raise NodeError("xylo-alias", f"'aliases' is one whole number per neuron (shape [{n}])")
            if aliases.size and (int(aliases.min()) < -1 or int(aliases.max()) >= n):
                raise NodeError("xylo-alias", f"an alias names a hidden neuron 0..{n - 1}, or -1 for none")
            own = np.flatnonzero(aliases == np.arange(n))
            if own.size:
                raise NodeError("xylo-alias", f"neuron {int(own[0])} aliases itself")

    def _verify_inputs(self) -> Shape | None:
        if len(self.inputs) != 1:
            raise NodeError(
                "xylo-fan-in", f"the hidden population reads the input channels, got {len(self.inputs)} edges"
            )
        got = shape_of(self.inputs[0])
        channels = int(self.param("w_in").shape[1])
        if got != (channels,):
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected [{channels}] channels")
        return got


@irdl_op_definition
class ReadoutOp(XyloPopulationOp):
    """The readout population: weights from the hidden neurons' spikes of the step
    before, one synaptic state, at most one spike per step."""

    name = "xylo.readout"
    traits = traits_def(
        DiscreteTime(),
        Quantizable((("w_out", "weight"), ("bias", "bias"), ("threshold", "threshold"))),
    )
    PARAMS: ClassVar[tuple[str, ...]] = ("w_out", "threshold", "bias", "dash_mem", "dash_syn")
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("dash_mem", "dash_syn", "population_sizes")
    WEIGHTS: ClassVar[tuple[tuple[str, int], ...]] = (("w_out", 2),)
    SHIFTS: ClassVar[tuple[str, ...]] = ("weight_shift_out",)

    w_out = prop_def(DenseAttr)
    weight_shift_out = prop_def(IntegerAttr)
    #: ``spikes`` (absent: the default) or ``membrane``: what leaves the chip, its spikes
    #: or its membranes (rockpool's ``output_mode="Vmem"``)
    output_kind = opt_prop_def(StringAttr, prop_name="output")

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, *cls.SHIFTS, "output", "scale", "populations", "population_sizes", "metadata", "edge_ids")

    @property
    def reads_membrane(self) -> bool:
        """The readout's membranes leave the chip (``quantize`` dequantizes them)."""
        return self.output_kind is not None and self.output_kind.data == "membrane"

    def _verify_params(self) -> None:
        super()._verify_params()
        if self.output_kind is not None and self.output_kind.data not in OUTPUTS:
            raise NodeError("xylo-output-kind", f"output is one of {', '.join(OUTPUTS)}, got {self.output_kind.data!r}")
        if self.param("dash_syn").shape != (self.size,):
            raise NodeError(
                "xylo-shape", f"'dash_syn' has shape {list(self.param('dash_syn').shape)}, expected [{self.size}]"
            )

    def _verify_inputs(self) -> Shape | None:
        if len(self.inputs) != 1 or not isinstance(self.inputs[0].owner, HiddenOp):
            raise NodeError("xylo-fan-in", "the readout reads the hidden population's spikes, and nothing else")
        got = shape_of(self.inputs[0])
        hidden = int(self.param("w_out").shape[1])
        if got != (hidden,):
            raise NodeError(
                "edge-shape", f"incoming edge carries shape {list(got)}, expected [{hidden}] hidden neurons"
            )
        return got


XYLO = Dialect("xylo", [HiddenOp, ReadoutOp], [])
