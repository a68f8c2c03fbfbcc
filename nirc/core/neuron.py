"""The discrete-time neuron: one step, shared by every level.

:class:`DiscreteNeuron` states a neuron layer's per-step update with every choice
explicit; the `nir` dialect's neurons discretize into one under a semantics profile
(:func:`nirc.dialects.nir.discretize.discretize`), the `snn` dialect's ops *are* one, and
chip dialects build one for their neurons.  :class:`NeuronCore` runs it: the one
implementation of a neuron's step in nirc, so every level computes the same numbers in
the same order.

Per step, for membrane ``v`` (and synaptic current ``i`` for current-based neurons)::

    i <- syn_decay * i + syn_gain * x                          (synaptic)
    v <- decay * v + bias + gain * d                            (leak-then-integrate)
    i <- syn_decay * (i + syn_gain * x)                        (integrate-then-leak)
    v <- decay * (v + gain * d) + bias

with ``d = i`` or ``x``; a neuron with ``state_bits`` bounds ``i`` and ``v`` to that
signed range right after each update (:func:`~nirc.core.integers.bound`: ``saturate`` clamps, ``wrap``
wraps round as two's complement does), as a chip's fixed-width state memory does; then
spikes (:func:`count_spikes`) and the reset (:func:`apply_reset`) as the choices say
(``docs/semantics.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nirc.core.integers import bound
from nirc.core.kernel import Kernel
from nirc.core.semantics import Semantics

#: The array fields of a :class:`DiscreteNeuron`.
ARRAYS = ("decay", "gain", "bias", "syn_decay", "syn_gain", "threshold", "v_reset")


@dataclass(frozen=True)
class DiscreteNeuron:
    """A neuron layer's per-step update, every choice explicit (see the module doc)."""

    decay: np.ndarray
    gain: np.ndarray
    bias: np.ndarray
    syn_decay: np.ndarray | None = None
    syn_gain: np.ndarray | None = None
    #: Present for neurons that reset (spiking neurons, and integrators lowered with a reset).
    threshold: np.ndarray | None = None
    v_reset: np.ndarray | None = None
    reset: str = "none"
    compare: str = ">"
    spike_timing: str = "same"
    reset_timing: str = "same"
    order: str = "leak-then-integrate"
    multi_spike: bool = False
    #: ``spikes`` (spiking neurons) or ``membrane``: the membrane as the threshold reads it.
    output: str = "membrane"
    #: The width of the state (``v``, and ``i``) in bits, or None for unbounded.
    state_bits: int | None = None
    #: ``saturate`` or ``wrap``: what a state beyond ``state_bits`` becomes.
    overflow: str = "saturate"

    @property
    def resets(self) -> bool:
        return self.threshold is not None

    @property
    def synaptic(self) -> bool:
        return self.syn_decay is not None

    def astype(self, dtype: Any) -> DiscreteNeuron:
        """The same neuron with every array in ``dtype``."""

        def cast(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else np.asarray(a, dtype=dtype)

        return DiscreteNeuron(**{**self.__dict__, **{k: cast(getattr(self, k)) for k in ARRAYS}})


def count_spikes(v: np.ndarray, threshold: np.ndarray, compare: str, multi_spike: bool, dtype: Any) -> np.ndarray:
    """Spikes of membrane ``v``: ``[v > θ]`` / ``[v >= θ]``; with ``multi_spike``,
    ``floor(v / θ)`` (``>=``) or ``ceil(v / θ) - 1`` (``>``), at least one where ``v``
    crosses (Sinabs' MultiSpike counts the same way, whatever the reset)."""
    crossed = v > threshold if compare == ">" else v >= threshold
    if not multi_spike:
        return crossed.astype(dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = v / threshold
        n = np.floor(ratio) if compare == ">=" else np.ceil(ratio) - 1
    return np.where(crossed, np.maximum(n, 1), 0).astype(dtype)


def apply_reset(v: np.ndarray, spikes: np.ndarray, reset: str, threshold: Any, v_reset: Any) -> np.ndarray:
    """The membrane after ``spikes``: ``v - n θ`` (``subtract``), ``v_reset`` where a
    spike left (``value``), or ``v`` (``none``)."""
    if reset == "subtract":
        return v - spikes * threshold
    if reset == "value":
        return np.where(spikes > 0, v_reset, v)
    return v


class NeuronCore:
    """The step of one discrete-time neuron layer, over a batch.

    ``v`` (and ``i``) hold the state after the step; ``output`` is the spikes, or for
    ``output='membrane'`` the membrane the spike test reads: the integrated membrane
    (``spike_timing='same'``) or the previous step's final one (``'next'``)."""

    def __init__(self, d: DiscreteNeuron, dtype: Any):
        self.dtype = np.dtype(dtype)
        self.d = d.astype(self.dtype)
        self.leak_first = d.order == "leak-then-integrate"

    def reset(self, batch: int) -> None:
        shape = (batch, *self.d.decay.shape)
        self.v = np.zeros(shape, self.dtype)
        self.i = np.zeros(shape, self.dtype)
        self.pending_reset = np.zeros(shape, self.dtype)
        # With spike_timing='next', the spikes leaving at step 0 are those of the initial state.
        self.pending_spikes = (
            self._count(self.v) if self.d.resets and self.d.spike_timing == "next" else np.zeros(shape, self.dtype)
        )

    def _count(self, v: np.ndarray) -> np.ndarray:
        d = self.d
        assert d.threshold is not None
        return count_spikes(v, d.threshold, d.compare, d.multi_spike, self.dtype)

    def _apply_reset(self, v: np.ndarray, spikes: np.ndarray) -> np.ndarray:
        return apply_reset(v, spikes, self.d.reset, self.d.threshold, self.d.v_reset)

    def _bound(self, x: np.ndarray) -> np.ndarray:
        bits = self.d.state_bits
        return x if bits is None else bound(x, bits, self.d.overflow)

    def step(self, x: np.ndarray) -> np.ndarray:
        d = self.d
        drive = x
        leak_first = self.leak_first
        if d.syn_decay is not None:
            self.i = self._bound(
                d.syn_decay * self.i + d.syn_gain * x if leak_first else d.syn_decay * (self.i + d.syn_gain * x)
            )
            drive = self.i
        if leak_first:
            v = d.decay * self.v + d.bias + d.gain * drive
        else:
            v = d.decay * (self.v + d.gain * drive) + d.bias
        v = self._bound(v)
        if not d.resets:
            self.v = v
            return v
        previous = self.v
        if d.reset_timing == "next":
            v = self._apply_reset(v, self.pending_reset)
        if d.spike_timing == "same":
            spikes, seen = self._count(v), v
        else:
            spikes, seen = self.pending_spikes, previous
        if d.reset_timing == "same":
            v = self._apply_reset(v, spikes)
        else:
            self.pending_reset = spikes
        if d.spike_timing == "next":
            self.pending_spikes = self._count(v)
        self.v = v
        return spikes if d.output == "spikes" else seen


class NeuronKernel(Kernel):
    """Runs a :class:`NeuronCore`; records ``v`` (and ``i``) when asked."""

    def __init__(self, op: Any, sem: Semantics, neuron: DiscreteNeuron):
        super().__init__(op, sem)
        self.core = NeuronCore(neuron, self.dtype)
        self.states = ("v", "i") if self.core.d.synaptic else ("v",)

    def reset(self, batch: int) -> None:
        self.core.reset(batch)

    def step(self, x: np.ndarray) -> np.ndarray:
        out = self.core.step(x.astype(self.dtype, copy=False))
        if self.records is not None:
            self.record(*((self.core.v, self.core.i) if self.core.d.synaptic else (self.core.v,)))
        return out

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(x.shape, dtype=self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out
