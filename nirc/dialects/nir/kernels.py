"""Reference semantics of the `nir` dialect: its interpreter kernels.

The time-invariant ops (Linear, Affine, Conv, pooling, Flatten, Scale) vectorise over
time and batch.  The neurons, Threshold and Delay depend on the semantics profile: each
neuron runs the :class:`~nirc.core.neuron.DiscreteNeuron` it discretizes to
(:mod:`nirc.dialects.nir.discretize`) through the one neuron step
(:class:`~nirc.core.neuron.NeuronCore`), after the input delay the profile asks for.
The kernel protocol is :mod:`nirc.core.kernel`; the equations are in
``docs/semantics.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects.builtin import StringAttr

from nirc.core.kernel import DelayKernel, Kernel, apply_matrix
from nirc.core.neuron import NeuronKernel, count_spikes
from nirc.core.node import shape_of
from nirc.core.semantics import Semantics
from nirc.core.shapes import per_dim
from nirc.dialects.nir.discretize import delay_steps, discretize, takes_input_delay
from nirc.dialects.nir.ops import (
    AffineOp,
    AvgPool2dOp,
    Conv1dOp,
    Conv2dOp,
    CubaLIFOp,
    CubaLIOp,
    DelayOp,
    FlattenOp,
    IFOp,
    IOp,
    LIFOp,
    LinearOp,
    LIOp,
    ScaleOp,
    SumPool2dOp,
    ThresholdOp,
)

#: Rows of (time x batch) convolved at once: bounds the memory of the window view.
CONV_CHUNK_ELEMENTS = 1 << 24


def _merge_time(x: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    return x.reshape(x.shape[0] * x.shape[1], *x.shape[2:]), x.shape[:2]


class MatrixKernel(Kernel):
    """Linear / Affine: ``y = W x (+ b)`` over the last axis (leading weight axes batch)."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.w = self.param("weight")
        self.b = self.param("bias") if isinstance(op, AffineOp) else None

    def run(self, x: np.ndarray) -> np.ndarray:
        return apply_matrix(x, self.w, self.b)


def conv_nd(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, ...],
    padding: tuple[tuple[int, int], ...],
    dilation: tuple[int, ...],
    groups: int,
) -> np.ndarray:
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
        (size - d * (k - 1) - 1) // s + 1
        for size, k, s, d in zip(x.shape[2:], w.shape[2:], stride, dilation, strict=True)
    )


def _conv_im2col(x: np.ndarray, w: np.ndarray, stride: tuple[int, ...], dilation: tuple[int, ...]) -> np.ndarray:
    """One group, channels-last result (N, *out, O)."""
    n_spatial = w.ndim - 2
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, w.shape[2:], strict=True))
    windows = sliding_window_view(x, span, axis=tuple(range(2, 2 + n_spatial)))
    index = (
        slice(None),
        slice(None),
        *(slice(None, None, s) for s in stride),
        *(slice(None, None, d) for d in dilation),
    )
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
        chunk = max(1, CONV_CHUNK_ELEMENTS // per_row)
        out_shape = shape_of(self.op.output)
        y = np.empty((flat.shape[0], *out_shape), dtype=np.result_type(flat, self.w))
        bias = self.b.reshape(-1, *([1] * len(out_shape[1:])))
        for i in range(0, flat.shape[0], chunk):
            part = conv_nd(flat[i : i + chunk], self.w, self.stride, self.padding, self.dilation, self.groups)
            np.add(part, bias, out=y[i : i + chunk])
        return y.reshape(t, b, *out_shape)


class PoolKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.kernel = per_dim(op.param("kernel_size"), 2, "kernel_size")
        self.stride = per_dim(op.param("stride"), 2, "stride")
        self.padding = tuple((p, p) for p in per_dim(op.param("padding"), 2, "padding"))
        self.average = isinstance(op, AvgPool2dOp)

    def run(self, x: np.ndarray) -> np.ndarray:
        flat, (t, b) = _merge_time(x)
        kh, kw = self.kernel
        h, w = flat.shape[2:]
        if (
            self.stride == self.kernel
            and not any(p for pair in self.padding for p in pair)
            and h % kh == 0
            and w % kw == 0
        ):
            # Non-overlapping windows tiling the input: a reshape, no window view.
            y = flat.reshape(*flat.shape[:2], h // kh, kh, w // kw, kw).sum(axis=(3, 5))
            if self.average:
                y = y * self._reciprocal()
            return y.reshape(t, b, *y.shape[1:])
        flat = np.pad(flat, ((0, 0), (0, 0), *self.padding))
        windows = sliding_window_view(flat, self.kernel, axis=(2, 3))[:, :, :: self.stride[0], :: self.stride[1]]
        y = windows.sum(axis=(-1, -2))
        if self.average:
            y = y * self._reciprocal()
        return y.reshape(t, b, *y.shape[1:])

    def _reciprocal(self) -> np.ndarray:
        # A multiplication by 1/(kh*kw), not a division: exactly what SumPool2d ; Scale
        # computes, so lower-composites keeps the numbers bit for bit.
        return np.asarray(1.0 / (self.kernel[0] * self.kernel[1]), dtype=self.dtype)


class FlattenKernel(Kernel):
    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.out_shape = shape_of(op.output)

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


class NirNeuronKernel(NeuronKernel):
    """I, LI, IF, LIF, CubaLI, CubaLIF: the :class:`~nirc.core.neuron.DiscreteNeuron`
    the semantics makes of the node, after the input delay the semantics asks for.  An
    edge that closes a cycle arrives a step late already: it is delayed one step less
    (:func:`~nirc.dialects.nir.discretize.takes_input_delay`)."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, discretize(op, sem))
        self.input_delay = takes_input_delay(op, sem)
        #: the executor gives edges that close a cycle apart (:meth:`step_back`)
        self.splits_back_edges = self.input_delay > 0

    def reset(self, batch: int) -> None:
        super().reset(batch)
        shape = (batch, *self.core.d.decay.shape)
        self.delay_line = [np.zeros(shape, self.dtype) for _ in range(self.input_delay)]

    def step(self, x: np.ndarray) -> np.ndarray:
        if self.delay_line:
            self.delay_line.append(x)
            x = self.delay_line.pop(0)
        return super().step(x)

    def step_back(self, x: np.ndarray, back: np.ndarray) -> np.ndarray:
        """A step whose input ``back`` comes over edges that close a cycle (the
        executor's value of the previous step)."""
        if self.delay_line:
            self.delay_line.append(x)
            x = self.delay_line.pop(0)
        steps = len(self.delay_line)
        if steps >= 2:  # the back edge's own step is one of the delay's
            self.delay_line[steps - 2] = self.delay_line[steps - 2] + back
            return super().step(x)
        return super().step(x + back)


class NirThresholdKernel(Kernel):
    """``z = H(x - θ)`` with the profile's comparison (and multi-spike count)."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.theta = self.param("threshold")

    def run(self, x: np.ndarray) -> np.ndarray:
        return count_spikes(x, self.theta, self.sem.compare, self.sem.multi_spike, self.dtype)


class NirDelayKernel(DelayKernel):
    """``y(t) = x(t - d)`` with ``d`` rounded to whole steps, ``round(d / dt)`` (half to
    even); zero before the first delayed value arrives."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, delay_steps(op.param("delay"), sem.dt))


KERNELS: dict[type, type[Kernel]] = {
    LinearOp: MatrixKernel,
    AffineOp: MatrixKernel,
    Conv1dOp: ConvKernel,
    Conv2dOp: ConvKernel,
    SumPool2dOp: PoolKernel,
    AvgPool2dOp: PoolKernel,
    FlattenOp: FlattenKernel,
    ScaleOp: ScaleKernel,
    **{op: NirNeuronKernel for op in (IOp, LIOp, IFOp, LIFOp, CubaLIOp, CubaLIFOp)},
    ThresholdOp: NirThresholdKernel,
    DelayOp: NirDelayKernel,
}
