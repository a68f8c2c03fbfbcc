"""Reference semantics of the `lava_dl` dialect: lava-dl 0.6.0's slayer CUBA block.

The step is in :mod:`nirc.targets.lava_dl.dialect`; the ground truth is
``lava/lib/dl/slayer/neuron/cuba.py`` and ``neuron/dynamics/leaky_integrator.py``
(``_li_dynamics_fwd``, ``right_shift_to_zero``), ``block/base.py`` (the
synapse, ``delay_shift``) and ``utils/recurrent.py`` (the feedback of the step before).
The synapse sums in float32, as slayer's ``Conv3d`` does; the states are int64, as
slayer's CPU dynamics compute them (``_LIDynamics`` calls ``_li_dynamics_fwd`` with
``torch.int64``; its CUDA kernels use int32 and differ once a state passes 2^19); the
current reaches the voltage through a float32 tensor (``u / s``, exact below 2^24).
Records ``u`` and ``v`` (integers) after each step.
"""

from __future__ import annotations

import numpy as np

from nirc.core.kernel import Kernel
from nirc.core.node import shape_of
from nirc.core.semantics import Semantics
from nirc.dialects.nir.kernels import conv_nd
from nirc.targets.lava_dl.dialect import DECAY_UNITY, BlockOp, ConvOp, DenseOp


def _rtz_decay(x: np.ndarray, keep: int) -> np.ndarray:
    """slayer's ``right_shift_to_zero(x * keep, 12)``."""
    prod = x * keep
    return np.sign(prod) * (np.abs(prod) >> 12)


class BlockKernel(Kernel):
    """A slayer CUBA block: its synapse (:meth:`synapse`), the CUBA neuron, the delay shift."""

    states = ("u", "v")

    def __init__(self, op: BlockOp, sem: Semantics):
        super().__init__(op, sem)
        self.shape = tuple(shape_of(op.results[0]))
        self.s_scale = np.float32(64 * op.integer("scale"))
        self.keep_u = DECAY_UNITY - int(op.param("current_decay").reshape(-1)[0])
        self.keep_v = DECAY_UNITY - int(op.param("voltage_decay").reshape(-1)[0])
        # slayer's test, in float32: v >= (threshold / S + 0.01 / s) s, the threshold and
        # its epsilon summed in Python floats (once the mantissa is large, the epsilon is
        # lost in float32 and a membrane at 64 threshold fires)
        scale, mant = op.integer("scale"), int(op.param("threshold").reshape(-1)[0])
        s = 64 * scale
        self.vth = np.float32((mant / scale + 0.01 / s) * s)
        self.shift = op.delay_shift is not None

    def synapse(self, x: np.ndarray) -> np.ndarray:
        """The synaptic input ``z`` (float32) of this step's input ``x`` (``(B, *in)``)."""
        raise NotImplementedError

    def reset(self, batch: int) -> None:
        self.u = np.zeros((batch, *self.shape), np.int64)
        self.v = np.zeros((batch, *self.shape), np.int64)
        self.spikes = np.zeros((batch, *self.shape), np.float32)

    def step(self, x: np.ndarray) -> np.ndarray:
        a = np.trunc(self.s_scale * self.synapse(x)).astype(np.int64)
        u = _rtz_decay(self.u, self.keep_u) + a
        # the current series is a float32 tensor (u / s) that the voltage scales back
        v = _rtz_decay(self.v, self.keep_v) + u.astype(np.float32).astype(np.int64)
        fired = v.astype(np.float32) >= self.vth
        self.u, self.v = u, np.where(fired, 0, v)
        self.record(u, v)
        out = self.spikes if self.shift else fired.astype(np.float32)
        self.spikes = fired.astype(np.float32)
        return out.astype(self.dtype)

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], x.shape[1], *self.shape), self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out


class DenseKernel(BlockKernel):
    """``lava_dl.dense``: ``z = W x (+ W_rec y[t-1])``, float32 as slayer's Conv3d."""

    def __init__(self, op: DenseOp, sem: Semantics):
        super().__init__(op, sem)
        self.w = np.asarray(op.param("weight"), np.float32)
        rec = op.opt_param("weight_rec")
        self.w_rec = None if rec is None else np.asarray(rec, np.float32)

    def synapse(self, x: np.ndarray) -> np.ndarray:
        z = np.asarray(x, np.float32) @ self.w.T
        if self.w_rec is not None:
            z = z + self.spikes @ self.w_rec.T
        return z


class ConvKernel(BlockKernel):
    """``lava_dl.conv``: ``z = conv(x)``, summed in float64 and rounded to float32 (equal
    to slayer's float32 sums where they are exact: spikes and weights on its grid)."""

    def __init__(self, op: ConvOp, sem: Semantics):
        super().__init__(op, sem)
        self.w = np.asarray(op.param("weight"), np.float32).astype(np.float64)
        self.geometry = op.geometry()

    def synapse(self, x: np.ndarray) -> np.ndarray:
        stride, padding, dilation, groups = self.geometry
        z = conv_nd(np.asarray(x, np.float32).astype(np.float64), self.w, stride, padding, dilation, groups)
        return z.astype(np.float32)


KERNELS: dict[type, type[Kernel]] = {DenseOp: DenseKernel, ConvOp: ConvKernel}
