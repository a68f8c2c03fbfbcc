"""Reference semantics of the `speck` dialect: what a Speck core computes per time step.

The step is in :mod:`nirc.targets.speck.dialect`.  A float layer (before ``quantize``)
runs in the interpreter's dtype; an integer layer runs in exact integer arithmetic
(float64 holds every sum of int8 weights times spike counts exactly) with the state
saturating at the 16-bit range, as the chip's 16-bit neuron memory does.  The spikes
and the reset are nirc's one neuron step's (:func:`~nirc.core.neuron.count_spikes`,
:func:`~nirc.core.neuron.apply_reset`): several per step at ``v >= threshold``.
"""

from __future__ import annotations

import numpy as np

from nirc.core.integers import bound
from nirc.core.kernel import Kernel
from nirc.core.neuron import apply_reset, count_spikes
from nirc.core.semantics import Semantics
from nirc.dialects.nir.kernels import CONV_CHUNK_ELEMENTS, conv_nd
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.resources import SPECK


class LayerKernel(Kernel):
    """One core: pooling, convolution, the integrate-and-fire step; records ``v``."""

    states = ("v",)

    def __init__(self, op: speck.LayerOp, sem: Semantics):
        super().__init__(op, sem)
        self.integer = op.quantized
        work = np.float64 if self.integer else self.dtype
        self.work = np.dtype(work)
        self.w = np.asarray(op.param("weight"), dtype=work)
        self.b = np.asarray(op.param("bias"), dtype=work).reshape(-1, 1, 1)
        self.theta = np.asarray(op.threshold_value(), dtype=work)
        low = op.threshold_low_value()
        #: the membrane's floor, or None (no floor)
        self.low = None if low is None else np.asarray(low, dtype=work)
        stride, padding, pool = op.geometry()
        self.stride, self.pool = stride, pool
        self.padding = tuple((p, p) for p in padding)
        self.zero_reset = op.reset_mode == "zero"

    def reset(self, batch: int) -> None:
        self.v: np.ndarray | None = None

    def _pooled(self, x: np.ndarray) -> np.ndarray:
        ph, pw = self.pool
        if ph == pw == 1:
            return x
        n, c, h, w = x.shape
        h2, w2 = h // ph, w // pw
        return x[:, :, : h2 * ph, : w2 * pw].reshape(n, c, h2, ph, w2, pw).sum(axis=(3, 5))

    def _current(self, x: np.ndarray) -> np.ndarray:
        """``conv(pool(x)) + bias`` for ``(N, C, H, W)`` inputs."""
        return (
            conv_nd(self._pooled(x.astype(self.work, copy=False)), self.w, self.stride, self.padding, (1, 1), 1)
            + self.b
        )

    def _fire(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Spike counts and the state after reset and clamp, from the integrated state."""
        if self.integer:
            v = bound(v, SPECK.state_bits, "saturate")
        n = count_spikes(v, self.theta, ">=", True, self.work)
        v = apply_reset(v, n, "value" if self.zero_reset else "subtract", self.theta, 0.0)
        return n, v if self.low is None else np.maximum(v, self.low)

    def step(self, x: np.ndarray) -> np.ndarray:
        return self.run(x[None])[0]

    def run(self, x: np.ndarray) -> np.ndarray:
        """``(T, B, C, H, W)`` spike counts (any numeric or bool type) to the layer's.
        The convolutions of many steps at once, in chunks of bounded size, then the
        integration step by step."""
        t, b = x.shape[:2]
        per_step = max(1, b * int(np.prod(x.shape[2:])) * int(np.prod(self.w.shape[2:])))
        steps = max(1, CONV_CHUNK_ELEMENTS // per_step)
        out: np.ndarray | None = None
        for start in range(0, t, steps):
            part = x[start : start + steps]
            current = self._current(part.reshape(part.shape[0] * b, *x.shape[2:]))
            current = current.reshape(part.shape[0], b, *current.shape[1:])
            if out is None:
                out = np.empty((t, *current.shape[1:]), dtype=self.dtype)
            for i in range(part.shape[0]):
                out[start + i], self.v = self._fire(current[i] if self.v is None else self.v + current[i])
                self.record(self.v)
        assert out is not None, "no time steps"
        return out


KERNELS: dict[type, type[Kernel]] = {speck.LayerOp: LayerKernel}
