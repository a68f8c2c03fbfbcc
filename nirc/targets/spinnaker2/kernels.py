"""Reference semantics of the `spinnaker2` dialect: the chip's neuron models in float32.

SpiNNaker2's PEs are ARM Cortex-M4F cores that compute their neurons in float32; the C
source of py-spinnaker2's neuron models is not public, so these kernels implement the
update the parameter conversion implies (``chips.md`` C.4), in float32 and in the order
given in :mod:`nirc.targets.spinnaker2.dialect`: approximate where the chip's own code
orders its arithmetic differently.  The projections' sums are of integer weights, exact
in float32 (below 2^24).  Records ``v`` (and ``i_exc``, ``i_inh``) after each step.
"""

from __future__ import annotations

import numpy as np

from nirc.core.kernel import Kernel
from nirc.core.node import shape_of
from nirc.core.semantics import Semantics
from nirc.dialects.nir.kernels import conv_nd
from nirc.targets.spinnaker2.dialect import Conv2dOp, PopulationOp, ProjectionOp

F32 = np.float32


class ProjectionKernel(Kernel):
    """``spinnaker2.projection``: the positive and the negative weights' sums of the
    spiking inputs, ``(T, B, 2, *post)``."""

    def __init__(self, op: ProjectionOp, sem: Semantics):
        super().__init__(op, sem)
        w = np.asarray(op.param("weight"), np.float64)
        self.pos, self.neg = np.maximum(w, 0).T, np.maximum(-w, 0).T
        self.post = tuple(shape_of(op.results[0])[1:])

    def run(self, x: np.ndarray) -> np.ndarray:
        s = (x.reshape(*x.shape[:2], -1) != 0).astype(np.float64)
        exc, inh = s @ self.pos, s @ self.neg
        out = np.stack([exc, inh], axis=2).astype(F32)
        return out.reshape(*x.shape[:2], 2, *self.post).astype(self.dtype)


class Conv2dKernel(Kernel):
    """``spinnaker2.conv2d``: the positive and the negative kernel's cross-correlations of
    the spiking inputs, ``(T, B, 2, out, H', W')``."""

    def __init__(self, op: Conv2dOp, sem: Semantics):
        super().__init__(op, sem)
        w = np.asarray(op.param("weight"), np.float64)
        self.pos, self.neg = np.maximum(w, 0), np.maximum(-w, 0)
        pt, pb, pl, pr = op.param("padding").tolist()
        sh, sw = op.param("stride").tolist()
        self.geometry = ((sh, sw), ((pt, pb), (pl, pr)), (1, 1), 1)

    def run(self, x: np.ndarray) -> np.ndarray:
        t, b = x.shape[:2]
        s = (x.reshape(t * b, *x.shape[2:]) != 0).astype(np.float64)
        exc = conv_nd(s, self.pos, *self.geometry)
        inh = conv_nd(s, self.neg, *self.geometry)
        out = np.stack([exc, inh], axis=1).astype(F32)
        return out.reshape(t, b, *out.shape[1:]).astype(self.dtype)


class PopulationKernel(Kernel):
    """``spinnaker2.population``: the neuron model's float32 step (module doc)."""

    states = ("v", "i_exc", "i_inh")

    def __init__(self, op: PopulationOp, sem: Semantics):
        super().__init__(op, sem)
        self.shape = tuple(shape_of(op.results[0]))
        self.curr = op.model == "lif_curr_exp_no_delay"
        self.subtract = op.reset.data == "reset_by_subtraction"
        p = {k: np.asarray(op.opt_param(k), F32) for k in op.NEURON_PARAMS if op.opt_param(k) is not None}
        self.threshold, self.alpha, self.offset, self.v_reset = (
            p["threshold"],
            p["alpha_decay"],
            p["i_offset"],
            p["v_reset"],
        )
        self.exc_decay, self.inh_decay = p.get("exc_decay"), p.get("inh_decay")
        rec = op.opt_param("weight_rec")
        self.rec = None
        if rec is not None:
            w = np.asarray(rec, np.float64)
            self.rec = (np.maximum(w, 0).T, np.maximum(-w, 0).T)

    def reset(self, batch: int) -> None:
        self.v = np.zeros((batch, *self.shape), F32)
        self.i_exc = np.zeros((batch, *self.shape), F32)
        self.i_inh = np.zeros((batch, *self.shape), F32)
        self.spikes = np.zeros((batch, *self.shape), F32)

    def step(self, x: np.ndarray) -> np.ndarray:
        batch = x.shape[0]
        exc, inh = np.asarray(x[:, 0], F32), np.asarray(x[:, 1], F32)
        if self.rec is not None:  # the recurrent projection: the spikes of the step before
            s = self.spikes.reshape(batch, -1).astype(np.float64)
            exc = exc + (s @ self.rec[0]).astype(F32).reshape(exc.shape)
            inh = inh + (s @ self.rec[1]).astype(F32).reshape(inh.shape)
        if self.curr:
            self.i_exc = self.exc_decay * self.i_exc + exc
            self.i_inh = self.inh_decay * self.i_inh + inh
            v = self.alpha * self.v + self.i_exc - self.i_inh + self.offset
        else:
            v = self.alpha * self.v + (exc - inh) + self.offset
        fired = v > self.threshold
        if self.subtract:
            v = np.where(fired, v - self.threshold, v)
        else:
            v = np.where(fired, self.v_reset, v)
        self.v = v.astype(F32)
        self.spikes = fired.astype(F32)
        self.record(self.v, self.i_exc, self.i_inh)
        return self.spikes.astype(self.dtype)

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], x.shape[1], *self.shape), self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out


KERNELS: dict[type, type[Kernel]] = {
    ProjectionOp: ProjectionKernel,
    Conv2dOp: Conv2dKernel,
    PopulationOp: PopulationKernel,
}
