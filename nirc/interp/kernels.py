"""Numerical kernels of the `nir` dialect's reference semantics.

Every node op becomes a :class:`Kernel` with two entry points over arrays whose first
axis is the batch (``(B, *shape)`` for one step) or time and batch (``(T, B, *shape)``):

* ``run(x)`` — the whole time series at once (stateless ops vectorise over time);
* ``step(x)`` — one step, keeping state in the kernel (used inside recurrent cycles).

``reset(batch)`` sets the state to its initial value (zeros, as NIR's neurons start at
rest with no current).  The neuron equations and the meaning of every option are in
:mod:`nirc.interp.semantics` and ``docs/semantics.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects.builtin import StringAttr

from nirc.dialects import nir
from nirc.interp.semantics import Semantics
from nirc.ir.shapes import per_dim

#: Rows of (time x batch) convolved at once: bounds the memory of the window view.
_CONV_CHUNK_ELEMENTS = 1 << 24


class Kernel:
    stateful = False

    def __init__(self, op: Any, sem: Semantics):
        self.op = op
        self.sem = sem
        self.dtype = np.dtype(sem.dtype)
        self.records: dict[str, list[np.ndarray]] | None = None

    def param(self, key: str) -> np.ndarray:
        return np.asarray(self.op.param(key), dtype=self.dtype)

    def reset(self, batch: int) -> None:
        pass

    def step(self, x: np.ndarray) -> np.ndarray:
        return self.run(x[None])[0]

    def run(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _merge_time(x: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    return x.reshape(x.shape[0] * x.shape[1], *x.shape[2:]), x.shape[:2]


class MatrixKernel(Kernel):
    """Linear / Affine: ``y = W x (+ b)`` over the last axis (leading weight axes batch)."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.w = self.param("weight")
        self.b = self.param("bias") if isinstance(op, nir.AffineOp) else None

    def run(self, x: np.ndarray) -> np.ndarray:
        if self.w.ndim == 2:
            y = x @ self.w.T
        else:
            y = np.einsum("...i,...oi->...o", x, self.w)
        return y + self.b if self.b is not None else y


def _conv(x: np.ndarray, w: np.ndarray, stride: tuple[int, ...], padding: tuple[tuple[int, int], ...], dilation: tuple[int, ...], groups: int) -> np.ndarray:
    """N-d cross-correlation as ``torch.nn.functional.convNd``: x (N, C, *S), w (O, C/g, *K).

    Two BLAS formulations, chosen by the channels per group: with few channels, im2col
    (the windows gathered into an (N·out, C/g·K) matrix, one matmul); with many, shift
    and accumulate (one (N·out, C/g) x (C/g, O/g) matmul per kernel offset on a
    channels-last copy), which moves K times less data."""
    x = np.pad(x, ((0, 0), (0, 0), *padding))
    c_in = x.shape[1] // groups
    c_out = w.shape[0] // groups
    parts = [
        (_conv_shift if c_in >= 8 else _conv_im2col)(
            x[:, g * c_in : (g + 1) * c_in], w[g * c_out : (g + 1) * c_out], stride, dilation
        )
        for g in range(groups)
    ]
    y = parts[0] if groups == 1 else np.concatenate(parts, axis=-1)
    return np.moveaxis(y, -1, 1)


def _out_size(x: np.ndarray, w: np.ndarray, stride: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(
        (size - d * (k - 1) - 1) // s + 1 for size, k, s, d in zip(x.shape[2:], w.shape[2:], stride, dilation, strict=True)
    )


def _conv_im2col(x: np.ndarray, w: np.ndarray, stride: tuple[int, ...], dilation: tuple[int, ...]) -> np.ndarray:
    """One group, channels-last result (N, *out, O)."""
    n_spatial = w.ndim - 2
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, w.shape[2:], strict=True))
    windows = sliding_window_view(x, span, axis=tuple(range(2, 2 + n_spatial)))
    index = (slice(None), slice(None), *(slice(None, None, s) for s in stride), *(slice(None, None, d) for d in dilation))
    windows = windows[index]  # (N, C, *out, *K)
    n, out_shape = windows.shape[0], windows.shape[2 : 2 + n_spatial]
    # (N, *out, C, *K): each row one output position, its window flattened.
    order = (0, *range(2, 2 + n_spatial), 1, *range(2 + n_spatial, 2 + 2 * n_spatial))
    cols = windows.transpose(order).reshape(n * int(np.prod(out_shape)), -1)
    return (cols @ w.reshape(w.shape[0], -1).T).reshape(n, *out_shape, w.shape[0])


def _conv_shift(x: np.ndarray, w: np.ndarray, stride: tuple[int, ...], dilation: tuple[int, ...]) -> np.ndarray:
    """One group, channels-last result (N, *out, O)."""
    out_shape = _out_size(x, w, stride, dilation)
    last = np.ascontiguousarray(np.moveaxis(x, 1, -1))  # (N, *S, C)
    y = np.zeros((x.shape[0], *out_shape, w.shape[0]), dtype=np.result_type(x, w))
    for offset in np.ndindex(*w.shape[2:]):
        index = tuple(
            slice(o * d, o * d + (size - 1) * s + 1, s)
            for o, d, s, size in zip(offset, dilation, stride, out_shape, strict=True)
        )
        y += last[(slice(None), *index)] @ w[(slice(None), slice(None), *offset)].T
    return y


class ConvKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        n = op.SPATIAL
        self.w = self.param("weight")
        self.b = self.param("bias")
        self.stride = per_dim(op.param("stride"), n, "stride")
        self.dilation = per_dim(op.param("dilation"), n, "dilation")
        self.groups = int(np.asarray(op.param("groups")).reshape(-1)[0])
        kernel = self.w.shape[2:]
        pad = op.padding
        if isinstance(pad, StringAttr):
            if pad.data == "valid":
                self.padding = tuple((0, 0) for _ in range(n))
            else:  # 'same', stride 1: PyTorch puts the extra element at the end
                totals = [d * (k - 1) for d, k in zip(self.dilation, kernel, strict=True)]
                self.padding = tuple((t // 2, t - t // 2) for t in totals)
        else:
            self.padding = tuple((p, p) for p in per_dim(pad.array, n, "padding"))

    def run(self, x: np.ndarray) -> np.ndarray:
        flat, (t, b) = _merge_time(x)
        per_row = max(1, int(np.prod(flat.shape[1:])) * int(np.prod(self.w.shape[2:])))
        chunk = max(1, _CONV_CHUNK_ELEMENTS // per_row)
        out_shape = nir.shape_of(self.op.output)
        y = np.empty((flat.shape[0], *out_shape), dtype=np.result_type(flat, self.w))
        bias = self.b.reshape(-1, *([1] * len(out_shape[1:])))
        for i in range(0, flat.shape[0], chunk):
            part = _conv(flat[i : i + chunk], self.w, self.stride, self.padding, self.dilation, self.groups)
            np.add(part, bias, out=y[i : i + chunk])
        return y.reshape(t, b, *out_shape)


class PoolKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.kernel = per_dim(op.param("kernel_size"), 2, "kernel_size")
        self.stride = per_dim(op.param("stride"), 2, "stride")
        self.padding = tuple((p, p) for p in per_dim(op.param("padding"), 2, "padding"))
        self.average = isinstance(op, nir.AvgPool2dOp)

    def run(self, x: np.ndarray) -> np.ndarray:
        flat, (t, b) = _merge_time(x)
        kh, kw = self.kernel
        h, w = flat.shape[2:]
        if self.stride == self.kernel and not any(p for pair in self.padding for p in pair) and h % kh == 0 and w % kw == 0:
            # Non-overlapping windows tiling the input: a reshape, no window view.
            y = flat.reshape(*flat.shape[:2], h // kh, kh, w // kw, kw).sum(axis=(3, 5))
            if self.average:
                y = y / (kh * kw)
            return y.reshape(t, b, *y.shape[1:])
        flat = np.pad(flat, ((0, 0), (0, 0), *self.padding))
        windows = sliding_window_view(flat, self.kernel, axis=(2, 3))[:, :, :: self.stride[0], :: self.stride[1]]
        y = windows.sum(axis=(-1, -2))
        if self.average:
            y = y / (self.kernel[0] * self.kernel[1])
        return y.reshape(t, b, *y.shape[1:])


class FlattenKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.out_shape = nir.shape_of(op.output)

    def run(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(*x.shape[:2], *self.out_shape)

    def step(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(x.shape[0], *self.out_shape)


class ScaleKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.s = self.param("scale")

    def run(self, x: np.ndarray) -> np.ndarray:
        return x * self.s


def _crossed(v: np.ndarray, threshold: np.ndarray, compare: str) -> np.ndarray:
    return v > threshold if compare == ">" else v >= threshold


class ThresholdKernel(Kernel):
    """``z = H(x - θ)``, with the profile's comparison."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.theta = self.param("threshold")

    def run(self, x: np.ndarray) -> np.ndarray:
        return _crossed(x, self.theta, self.sem.compare).astype(self.dtype)


class DelayKernel(Kernel):
    """``y(t) = x(t - d)`` with ``d`` rounded to whole steps, ``round(d / dt)`` (half to
    even); zero before the first delayed value arrives."""

    stateful = True

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.steps = np.rint(np.asarray(op.param("delay"), dtype=np.float64) / sem.dt).astype(np.int64)
        self.depth = int(self.steps.max()) if self.steps.size else 0

    def reset(self, batch: int) -> None:
        self.history: list[np.ndarray] = []

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

    def step(self, x: np.ndarray) -> np.ndarray:
        self.history.append(x)
        if len(self.history) > self.depth + 1:
            self.history.pop(0)
        y = np.zeros_like(x)
        for k in np.unique(self.steps):
            if k < len(self.history):
                y = np.where(self.steps == k, self.history[-1 - k], y)
        return y


class NeuronKernel(Kernel):
    """I, LI, IF, LIF, CubaLI, CubaLIF under a :class:`Semantics`.

    Per step (state ``v``, and ``i`` for the current-based models)::

        x <- input delayed by input_delay steps
        i  = a_s i + g_s w_in x                       (Cuba models; g_s as below)
        v  = a v + (1 - a) v_leak + g R d             (d = i, or x)
             (integrate-then-leak: v = a (v + g R d) + (1 - a) v_leak)
        spikes, reset: see Semantics (spike_timing, reset_timing, multi_spike)

    with ``a = 1 - dt/tau`` (Euler) or ``exp(-dt/tau)`` (exact) and ``g = 1 - a``
    (input_gain 'tau'), ``dt/tau`` ('dt/tau') or ``1`` ('unit'); for I/IF ``a = 1`` and
    ``g = dt`` ('tau') or ``1`` ('dt/tau', 'unit')."""

    stateful = True

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.cuba = isinstance(op, (nir.CubaLIOp, nir.CubaLIFOp))
        self.spiking = isinstance(op, (nir.IFOp, nir.LIFOp, nir.CubaLIFOp))
        self.r = self.param("r")
        if isinstance(op, (nir.IOp, nir.IFOp)):
            self.a = np.ones_like(self.r)
            # No time constant to scale with: 'tau' integrates the current over the
            # step (dt R I, the equation read literally); 'dt/tau' and 'unit' add R I per
            # step, as Sinabs' IAF and Speck do.
            self.g = np.full_like(self.r, sem.dt if sem.input_gain == "tau" else 1.0)
            self.v_leak = np.zeros_like(self.r)
        else:
            tau = self.param("tau_mem" if self.cuba else "tau")
            self.a, self.g = self._decay(tau)
            self.v_leak = self.param("v_leak")
        if self.cuba:
            self.a_s, self.g_s = self._decay(self.param("tau_syn"))
            self.w_in = self.param("w_in")
        if self.spiking:
            self.v_th = self.param("v_threshold")
            self.v_reset = self.param("v_reset")

    def _decay(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ratio = self.sem.dt / tau
        a = 1.0 - ratio if self.sem.integrator == "euler" else np.exp(-ratio)
        gain = {"tau": 1.0 - a, "dt/tau": ratio, "unit": np.ones_like(ratio)}[self.sem.input_gain]
        return a.astype(self.dtype), np.asarray(gain, dtype=self.dtype)

    def reset(self, batch: int) -> None:
        shape = (batch, *self.r.shape)
        self.v = np.zeros(shape, self.dtype)
        self.i = np.zeros(shape, self.dtype)
        self.delay_line = [np.zeros(shape, self.dtype) for _ in range(self.sem.input_delay)]
        self.pending_spikes = np.zeros(shape, self.dtype)
        self.pending_reset = np.zeros(shape, self.dtype)

    def _integrate(self, v: np.ndarray, drive: np.ndarray, a: np.ndarray, g: np.ndarray, leak: np.ndarray) -> np.ndarray:
        if self.sem.order == "leak-then-integrate":
            return a * v + (1.0 - a) * leak + g * drive
        return a * (v + g * drive) + (1.0 - a) * leak

    def _count(self, v: np.ndarray) -> np.ndarray:
        crossed = _crossed(v, self.v_th, self.sem.compare)
        if not self.sem.multi_spike:
            return crossed.astype(self.dtype)
        height = self.v_th - (self.v_reset if self.sem.reset == "value" else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (v - (self.v_reset if self.sem.reset == "value" else 0.0)) / height
            n = np.floor(ratio) if self.sem.compare == ">=" else np.ceil(ratio) - 1
        return np.where(crossed, np.maximum(n, 1), 0).astype(self.dtype)

    def _apply_reset(self, v: np.ndarray, spikes: np.ndarray) -> np.ndarray:
        if self.sem.reset == "subtract":
            return v - spikes * self.v_th
        if self.sem.reset == "value":
            return np.where(spikes > 0, self.v_reset, v)
        return v

    def step(self, x: np.ndarray) -> np.ndarray:
        x = x.astype(self.dtype, copy=False)
        if self.delay_line:
            self.delay_line.append(x)
            x = self.delay_line.pop(0)
        drive = x
        if self.cuba:
            self.i = self._integrate(self.i, self.w_in * x, self.a_s, self.g_s, 0.0)
            drive = self.i
        v = self._integrate(self.v, self.r * drive, self.a, self.g, self.v_leak)
        out = v
        if self.spiking:
            sem = self.sem
            if sem.reset_timing == "next":
                v = self._apply_reset(v, self.pending_reset)
            if sem.spike_timing == "same":
                spikes = self._count(v)
            else:
                spikes = self.pending_spikes
            if sem.reset_timing == "same":
                v = self._apply_reset(v, spikes)
            else:
                self.pending_reset = spikes
            if sem.spike_timing == "next":
                self.pending_spikes = self._count(v)
            out = spikes
        self.v = v
        if self.records is not None:
            self.records["v"].append(v)
            if self.cuba:
                self.records["i"].append(self.i)
        return out

    def run(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], *x.shape[1:]), dtype=self.dtype)
        for t in range(x.shape[0]):
            out[t] = self.step(x[t])
        return out

    def record_keys(self) -> tuple[str, ...]:
        return ("v", "i") if self.cuba else ("v",)


KERNELS: dict[type, type[Kernel]] = {
    nir.LinearOp: MatrixKernel,
    nir.AffineOp: MatrixKernel,
    nir.Conv1dOp: ConvKernel,
    nir.Conv2dOp: ConvKernel,
    nir.SumPool2dOp: PoolKernel,
    nir.AvgPool2dOp: PoolKernel,
    nir.FlattenOp: FlattenKernel,
    nir.ScaleOp: ScaleKernel,
    nir.ThresholdOp: ThresholdKernel,
    nir.DelayOp: DelayKernel,
    nir.IOp: NeuronKernel,
    nir.LIOp: NeuronKernel,
    nir.IFOp: NeuronKernel,
    nir.LIFOp: NeuronKernel,
    nir.CubaLIOp: NeuronKernel,
    nir.CubaLIFOp: NeuronKernel,
}

