"""Reference semantics of the `loihi2` dialect: Lava's bit-accurate Dense and CUBA-LIF.

The step is in :mod:`nirc.targets.loihi2.dialect`; the ground truth is lava-nc 0.10.0
(``lava/proc/dense/models.py``: ``PyDenseModelBitAcc``; ``lava/proc/lif/models.py``:
``AbstractPyLifModelFixed``, ``PyLifModelBitAcc``), which the Lava docs state is
bit-accurate with Loihi.  Fixed-point ops run in int64 (every intermediate fits), in
the order Lava's Python computes them; float ops run Lava's floating-point models in
the interpreter's dtype.  The Dense delivers the sums of the step before, so the
kernel delays its input (and the layer's own spikes, on a recurrent ``weight_rec``)
by one step.  Records ``u`` and ``v`` after each step.
"""

from __future__ import annotations

import numpy as np

from nirc.core.kernel import Kernel
from nirc.core.semantics import Semantics
from nirc.targets.loihi2.dialect import DenseOp, effective_weights

#: Lava's fixed-point constants: 24-bit states, 12-bit decays, 6-bit MSB alignment
MAX_UV = 1 << 23
DECAY_SHIFT, DECAY_UNITY, ACT_SHIFT, VTH_SHIFT = 12, 1 << 12, 6, 6


def _rtz_decay(x: np.ndarray, keep: int) -> np.ndarray:
    """``sign(x k) * (|x k| >> 12)`` with ``k = keep``: Lava's decay, toward zero."""
    prod = x * keep
    return np.sign(prod) * (np.abs(prod) >> DECAY_SHIFT)


def _shift(a: np.ndarray, exp: int) -> np.ndarray:
    return a << exp if exp > 0 else a >> -exp


class DenseKernel(Kernel):
    """``loihi2.dense``: the Dense sums of the step before, then the LIF step."""

    states = ("u", "v")

    def __init__(self, op: DenseOp, sem: Semantics):
        super().__init__(op, sem)
        self.fixed = op.fixed
        self.graded = op.graded is not None
        self.n = op.size
        rec = op.opt_param("weight_rec")
        if self.fixed:
            self.w = effective_weights(op.param("weight"), op.integer("num_weight_bits"))
            self.w_rec = None if rec is None else effective_weights(rec, op.integer("num_weight_bits_rec"))
            self.weight_exp = op.integer("weight_exp")
            self.weight_exp_rec = op.integer("weight_exp_rec")
            self.keep_u = DECAY_UNITY - (int(op.param("du").reshape(-1)[0]) + 1)
            self.keep_v = DECAY_UNITY - int(op.param("dv").reshape(-1)[0])
            self.vth = int(op.param("vth").reshape(-1)[0]) << VTH_SHIFT
            self.bias = np.asarray(op.param("bias_mant"), np.int64) << op.integer("bias_exp")
            self.work = np.dtype(np.int64)
        else:
            self.work = self.dtype
            self.w = np.asarray(op.param("weight"), self.work)
            self.w_rec = None if rec is None else np.asarray(rec, self.work)
            self.du = self.work.type(op.param("du").reshape(-1)[0])
            self.dv = self.work.type(op.param("dv").reshape(-1)[0])
            self.vth = self.work.type(op.param("vth").reshape(-1)[0])
            self.bias = np.asarray(op.param("bias_mant"), self.work)

    def reset(self, batch: int) -> None:
        self.u = np.zeros((batch, self.n), self.work)
        self.v = np.zeros((batch, self.n), self.work)
        #: the Dense buffer: the sums of the last step's input, delivered this step
        self.buffer = np.zeros((batch, self.n), self.work)

    def _sums(self, x: np.ndarray, w: np.ndarray, exp: int = 0) -> np.ndarray:
        """What a Dense adds up for input ``x`` (``(B, M)``): the weights of the inputs
        that spiked, or (graded) weights times values; then the weight exponent."""
        if self.fixed:
            s = x.astype(np.int64) if self.graded else (x != 0).astype(np.int64)
            return _shift(s @ w.T, exp)
        s = x.astype(self.work) if self.graded else (x != 0).astype(self.work)
        return s @ w.T

    def step(self, x: np.ndarray) -> np.ndarray:
        a = self.buffer
        incoming = self._sums(x, self.w, self.weight_exp if self.fixed else 0)
        if self.fixed:
            u = _rtz_decay(self.u, self.keep_u) + (a << ACT_SHIFT)
            u = np.where(u > MAX_UV, u - 2 * MAX_UV, u)
            u = np.where(u <= -MAX_UV, u + 2 * MAX_UV, u)
            v = _rtz_decay(self.v, self.keep_v) + u + self.bias
            v = np.clip(v, -MAX_UV + 1, MAX_UV - 1)
        else:
            u = self.u * (1 - self.du) + a
            v = self.v * (1 - self.dv) + u + self.bias
        spikes = v > self.vth
        v = np.where(spikes, 0, v)
        self.u, self.v = u, v
        if self.w_rec is not None:  # this step's spikes reach the recurrent Dense now, the LIF next step
            incoming = incoming + self._sums(
                spikes.astype(self.work), self.w_rec, self.weight_exp_rec if self.fixed else 0
            )
        self.buffer = incoming
        self.record(self.u, self.v)
        return spikes.astype(self.dtype)

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], x.shape[1], self.n), self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out


KERNELS: dict[type, type[Kernel]] = {DenseOp: DenseKernel}
