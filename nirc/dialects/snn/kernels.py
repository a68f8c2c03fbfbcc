"""Reference semantics of the `snn` dialect: its interpreter kernels.

Each op states its own step (:mod:`nirc.dialects.snn.ops`), so no semantics profile
changes what these compute; the neurons run the one neuron step every level shares
(:class:`~nirc.core.neuron.NeuronCore`).  The kernels follow :mod:`nirc.core.kernel`:
``run(x)`` over ``(T, B, *shape)``, ``step(x)`` over ``(B, *shape)``, ``reset(batch)``.
A ``snn.delay`` of at least one step is a *cycle breaker*: inside a recurrent cycle its
output is known at the start of a step (``peek``) and its input is taken at the end
(``push``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nirc.core.kernel import DelayKernel, Kernel, apply_matrix
from nirc.core.neuron import NeuronKernel, count_spikes
from nirc.core.semantics import Semantics
from nirc.dialects.snn.ops import DelayOp, LeakyOp, RLeakyOp, RSynapticOp, SynapticOp, ThresholdOp


class SnnNeuronKernel(NeuronKernel):
    """``snn.leaky`` / ``snn.synaptic``: the neuron the op states."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, op.discrete())


class RecurrentKernel(SnnNeuronKernel):
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


class SnnDelayKernel(DelayKernel):
    """``y[t] = x[t - steps]`` per element."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, op.param("steps"))


KERNELS: dict[type, type[Kernel]] = {
    LeakyOp: SnnNeuronKernel,
    SynapticOp: SnnNeuronKernel,
    RLeakyOp: RecurrentKernel,
    RSynapticOp: RecurrentKernel,
    ThresholdOp: ThresholdKernel,
    DelayOp: SnnDelayKernel,
}
