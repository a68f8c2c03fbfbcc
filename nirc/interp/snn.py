"""Reference semantics of the `snn` dialect, and the neuron step every level shares.

:class:`NeuronCore` runs one :class:`~nirc.ir.discrete.DiscreteNeuron`.  The `nir`
interpreter runs its neurons through it too (after :func:`~nirc.ir.discrete.discretize`),
so a `nir` module under a profile and the `snn` module ``convert-nir-to-snn`` makes with
that profile compute the same numbers in the same order.

The kernels follow :mod:`nirc.interp.kernels`: ``run(x)`` over ``(T, B, *shape)``,
``step(x)`` over ``(B, *shape)``, ``reset(batch)``.  A ``snn.delay`` of at least one
step is a *cycle breaker*: inside a recurrent cycle its output is known at the start of
a step (``peek``) and its input is taken at the end (``push``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np

from nirc.dialects import snn
from nirc.interp.kernels import Kernel, apply_matrix
from nirc.interp.semantics import Semantics
from nirc.ir.discrete import DiscreteNeuron


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


class NeuronCore:
    """The step of one discrete-time neuron layer, over a batch.

    ``v`` (and ``i``) hold the state after the step; ``output`` is the spikes, or for
    ``output='membrane'`` the membrane the spike test reads: the integrated membrane
    (``spike_timing='same'``) or the previous step's final one (``'next'``)."""

    def __init__(self, d: DiscreteNeuron, dtype: Any):
        self.dtype = np.dtype(dtype)
        self.d = d.astype(self.dtype)

    def reset(self, batch: int) -> None:
        shape = (batch, *self.d.decay.shape)
        self.v = np.zeros(shape, self.dtype)
        self.i = np.zeros(shape, self.dtype)
        self.pending_reset = np.zeros(shape, self.dtype)
        # With spike_timing='next', the spikes leaving at step 0 are those of the initial state.
        self.pending_spikes = self._count(self.v) if self.d.resets and self.d.spike_timing == "next" else np.zeros(shape, self.dtype)

    def _count(self, v: np.ndarray) -> np.ndarray:
        d = self.d
        assert d.threshold is not None
        return count_spikes(v, d.threshold, d.compare, d.multi_spike, self.dtype)

    def _apply_reset(self, v: np.ndarray, spikes: np.ndarray) -> np.ndarray:
        d = self.d
        if d.reset == "subtract":
            return v - spikes * d.threshold
        if d.reset == "value":
            return np.where(spikes > 0, d.v_reset, v)
        return v

    def step(self, x: np.ndarray) -> np.ndarray:
        d = self.d
        drive = x
        leak_first = d.order == "leak-then-integrate"
        if d.syn_decay is not None:
            self.i = d.syn_decay * self.i + d.syn_gain * x if leak_first else d.syn_decay * (self.i + d.syn_gain * x)
            drive = self.i
        if leak_first:
            v = d.decay * self.v + d.bias + d.gain * drive
        else:
            v = d.decay * (self.v + d.gain * drive) + d.bias
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

    stateful = True

    def __init__(self, op: Any, sem: Semantics, neuron: DiscreteNeuron | None = None):
        super().__init__(op, sem)
        self.core = NeuronCore(neuron if neuron is not None else discrete_of(op), self.dtype)

    def record_keys(self) -> tuple[str, ...]:
        return ("v", "i") if self.core.d.synaptic else ("v",)

    def reset(self, batch: int) -> None:
        self.core.reset(batch)

    def _record(self) -> None:
        if self.records is not None:
            self.records["v"].append(self.core.v)
            if self.core.d.synaptic:
                self.records["i"].append(self.core.i)

    def step(self, x: np.ndarray) -> np.ndarray:
        out = self.core.step(x.astype(self.dtype, copy=False))
        self._record()
        return out

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(x.shape, dtype=self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out


class RecurrentKernel(NeuronKernel):
    """``snn.rleaky`` / ``snn.rsynaptic``: the input plus ``w_rec s[t-1] + b_rec``,
    computed as a ``nir.linear``/``nir.affine`` on the fed-back spikes would be."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.w = np.asarray(op.param("w_rec"), dtype=self.dtype)
        b = op.opt_param("b_rec")
        self.b = None if b is None else np.asarray(b, dtype=self.dtype)

    def reset(self, batch: int) -> None:
        super().reset(batch)
        self.fed_back: np.ndarray | None = None

    def step(self, x: np.ndarray) -> np.ndarray:
        # Nothing has come round the loop in the first step: the term is zero there
        # (not b_rec), as on the one-step delayed edge it replaces.
        x = x.astype(self.dtype, copy=False)
        if self.fed_back is not None:
            x = x + apply_matrix(self.fed_back[None], self.w, self.b)[0]
        out = super().step(x)
        self.fed_back = out
        return out


class ThresholdKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.theta = self.param("threshold")
        self.compare = op.compare.data
        self.multi_spike = op.multi_spike is not None

    def run(self, x: np.ndarray) -> np.ndarray:
        return count_spikes(x, self.theta, self.compare, self.multi_spike, self.dtype)


class DelayKernel(Kernel):
    """``y[t] = x[t - steps]`` per element."""

    stateful = True

    def __init__(self, op: Any, sem: Semantics, steps: np.ndarray | None = None):
        super().__init__(op, sem)
        self.steps = np.asarray(op.param("steps") if steps is None else steps, dtype=np.int64)
        self.depth = int(self.steps.max()) if self.steps.size else 0

    def reset(self, batch: int) -> None:
        self.history: deque[np.ndarray] = deque(maxlen=self.depth + 1)

    def run(self, x: np.ndarray) -> np.ndarray:
        t_len = x.shape[0]
        y = np.zeros_like(x)
        for k in np.unique(self.steps):
            mask = self.steps == k
            if k < t_len:
                shifted = np.zeros_like(x)
                shifted[k:] = x[: t_len - k]
                y = np.where(mask, shifted, y)
        return y

    def _select(self, history: Sequence[np.ndarray], like: np.ndarray) -> np.ndarray:
        y = np.zeros_like(like)
        for k in np.unique(self.steps):
            if k < len(history):
                y = np.where(self.steps == k, history[-1 - k], y)
        return y

    def step(self, x: np.ndarray) -> np.ndarray:
        self.push(x)
        return self._select(self.history, x)

    def push(self, x: np.ndarray) -> None:
        self.history.append(x)

    def peek(self, like: np.ndarray) -> np.ndarray:
        """The output of the coming step, before its input is known (breakers only):
        element ``k`` steps back is ``history[-k]``."""
        return self._select([*self.history, like], like) if self.history else np.zeros_like(like)


def discrete_of(op: Any) -> DiscreteNeuron:
    """The :class:`DiscreteNeuron` an `snn` neuron op states."""

    def arr(key: str) -> np.ndarray | None:
        return op.opt_param(key)

    fields: dict[str, Any] = {
        "decay": arr("decay"),
        "gain": arr("gain"),
        "bias": arr("bias"),
        "syn_decay": arr("syn_decay"),
        "syn_gain": arr("syn_gain"),
        "threshold": arr("threshold"),
        "v_reset": arr("v_reset"),
        "order": op.choice("order"),
        "multi_spike": op.multi_spike is not None,
    }
    for key in snn.RESET_CHOICES:
        value = op.choice(key)
        if value is not None:
            fields[key] = value
    return DiscreteNeuron(**fields)


KERNELS: dict[type, type[Kernel]] = {
    snn.LeakyOp: NeuronKernel,
    snn.SynapticOp: NeuronKernel,
    snn.RLeakyOp: RecurrentKernel,
    snn.RSynapticOp: RecurrentKernel,
    snn.ThresholdOp: ThresholdKernel,
    snn.DelayOp: DelayKernel,
}
