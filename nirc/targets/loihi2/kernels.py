"""Reference semantics of the `loihi2` dialect: Lava's bit-accurate Dense and CUBA-LIF.

The step is in :mod:`nirc.targets.loihi2.dialect`; the ground truth is lava-nc 0.10.0
(``lava/proc/dense/models.py``: ``PyDenseModelBitAcc``; ``lava/proc/conv/models.py``:
``PyConvModelFixed``; ``lava/proc/lif/models.py``:
``AbstractPyLifModelFixed``, ``PyLifModelBitAcc``), which the Lava docs state is
bit-accurate with Loihi.  Fixed-point ops run in int64 (every intermediate fits), in
the order Lava's Python computes them; float ops run Lava's floating-point models in
the interpreter's dtype.  The Dense (and the Conv) delivers the sums of the step before, so the
kernel delays its input (and the layer's own spikes, on a recurrent ``weight_rec``)
by one step.  Records ``u`` and ``v`` after each step.
"""

from __future__ import annotations

import numpy as np

from nirc.core.kernel import Kernel
from nirc.core.node import shape_of
from nirc.core.semantics import Semantics
from nirc.dialects.nir.kernels import conv_nd
from nirc.targets.loihi2.dialect import ConvOp, DenseOp, LayerOp, effective_weights

#: Lava's fixed-point constants: 24-bit states, 12-bit decays, 6-bit MSB alignment
MAX_UV = 1 << 23
DECAY_SHIFT, DECAY_UNITY, ACT_SHIFT, VTH_SHIFT = 12, 1 << 12, 6, 6
#: Lava's fixed-point Conv wraps its sums to 24 bits
CONV_BITS = 24


def _rtz_decay(x: np.ndarray, keep: int) -> np.ndarray:
    """``sign(x k) * (|x k| >> 12)`` with ``k = keep``: Lava's decay, toward zero."""
    prod = x * keep
    return np.sign(prod) * (np.abs(prod) >> DECAY_SHIFT)


def _shift(a: np.ndarray, exp: int) -> np.ndarray:
    return a << exp if exp > 0 else a >> -exp


class LayerKernel(Kernel):
    """A Loihi 2 layer: the synapse's sums of the step before (:meth:`sums`), then the
    LIF step."""

    states = ("u", "v")

    def __init__(self, op: LayerOp, sem: Semantics):
        super().__init__(op, sem)
        self.fixed = op.fixed
        self.graded = op.graded is not None
        self.shape = tuple(shape_of(op.results[0]))
        if self.fixed:
            self.keep_u = DECAY_UNITY - (int(op.param("du").reshape(-1)[0]) + 1)
            self.keep_v = DECAY_UNITY - int(op.param("dv").reshape(-1)[0])
            self.vth = int(op.param("vth").reshape(-1)[0]) << VTH_SHIFT
            bias = np.asarray(op.param("bias_mant"), np.int64) << op.integer("bias_exp")
            self.work = np.dtype(np.int64)
        else:
            self.work = self.dtype
            self.du = self.work.type(op.param("du").reshape(-1)[0])
            self.dv = self.work.type(op.param("dv").reshape(-1)[0])
            self.vth = self.work.type(op.param("vth").reshape(-1)[0])
            bias = np.asarray(op.param("bias_mant"), self.work)
        self.bias = bias.reshape(self.shape)

    def reset(self, batch: int) -> None:
        self.u = np.zeros((batch, *self.shape), self.work)
        self.v = np.zeros((batch, *self.shape), self.work)
        #: the synapse's buffer: the sums of the last step's input, delivered this step
        self.buffer = np.zeros((batch, *self.shape), self.work)

    def spikes_in(self, x: np.ndarray) -> np.ndarray:
        """What the synapse receives: the spikes as 0/1, or (graded) their values."""
        return x.astype(self.work) if self.graded else (x != 0).astype(self.work)

    def sums(self, x: np.ndarray) -> np.ndarray:
        """The synapse's sums of this step's input ``x`` (``(B, *in)``), delivered next step."""
        raise NotImplementedError

    def feedback(self, spikes: np.ndarray) -> np.ndarray | None:
        """What the layer's own spikes add to next step's sums (a recurrent synapse)."""
        return None

    def step(self, x: np.ndarray) -> np.ndarray:
        a = self.buffer
        incoming = self.sums(x)
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
        rec = self.feedback(spikes)  # this step's spikes reach the recurrent synapse now, the LIF next step
        self.buffer = incoming if rec is None else incoming + rec
        self.record(self.u, self.v)
        return spikes.astype(self.dtype)

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], x.shape[1], *self.shape), self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out


class DenseKernel(LayerKernel):
    """``loihi2.dense``: Lava's Dense (and recurrent Dense), then the LIF step."""

    def __init__(self, op: DenseOp, sem: Semantics):
        super().__init__(op, sem)
        rec = op.opt_param("weight_rec")
        if self.fixed:
            self.w = effective_weights(op.param("weight"), op.integer("num_weight_bits"))
            self.w_rec = None if rec is None else effective_weights(rec, op.integer("num_weight_bits_rec"))
            self.weight_exp = op.integer("weight_exp")
            self.weight_exp_rec = op.integer("weight_exp_rec")
        else:
            self.w = np.asarray(op.param("weight"), self.work)
            self.w_rec = None if rec is None else np.asarray(rec, self.work)
            self.weight_exp = self.weight_exp_rec = 0

    def _sums(self, x: np.ndarray, w: np.ndarray, exp: int) -> np.ndarray:
        """What a Dense adds up for input ``x`` (``(B, M)``): the weights of the inputs
        that spiked, or (graded) weights times values; then the weight exponent."""
        s = self.spikes_in(x) @ w.T
        return _shift(s, exp) if self.fixed else s

    def sums(self, x: np.ndarray) -> np.ndarray:
        return self._sums(x, self.w, self.weight_exp)

    def feedback(self, spikes: np.ndarray) -> np.ndarray | None:
        if self.w_rec is None:
            return None
        return self._sums(spikes.astype(self.work), self.w_rec, self.weight_exp_rec)


class ConvKernel(LayerKernel):
    """``loihi2.conv``: Lava's Conv (``PyConvModelFixed``: the sums wrapped to signed 24
    bits in fixed point), then the LIF step."""

    def __init__(self, op: ConvOp, sem: Semantics):
        super().__init__(op, sem)
        self.w = np.asarray(op.param("weight"), np.float64)
        self.geometry = op.geometry()

    def sums(self, x: np.ndarray) -> np.ndarray:
        stride, padding, dilation, groups = self.geometry
        # integer sums in float64 are exact (every product and sum stays below 2^53)
        z = conv_nd(self.spikes_in(x).astype(np.float64), self.w, stride, padding, dilation, groups)
        if not self.fixed:
            return z.astype(self.work)
        return _signed_clamp(np.rint(z).astype(np.int64), CONV_BITS)


def _signed_clamp(x: np.ndarray, bits: int) -> np.ndarray:
    """Lava's ``signed_clamp``: ``x`` wrapped into the signed ``bits``-bit range."""
    base = 1 << bits
    return (x + base // 2) % base - base // 2


KERNELS: dict[type, type[Kernel]] = {DenseOp: DenseKernel, ConvOp: ConvKernel}
