"""Shape arithmetic shared by the dialects: convolution, pooling and flatten.

All shapes here are *batch-free*, as in NIR: a Conv2d signal is ``(C, H, W)``.
Functions raise :class:`ShapeError` with a message that names the offending parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ShapeError(ValueError):
    """A parameter or an incoming shape that no valid signal shape satisfies."""


def per_dim(value: np.ndarray | int, ndim: int, what: str) -> tuple[int, ...]:
    """Broadcast an int or a length-``ndim`` array of ints to a tuple (stride, ...)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise ShapeError(f"{what} must be integer, got {arr.dtype}")
    if arr.ndim == 0:
        return (int(arr),) * ndim
    if arr.shape != (ndim,):
        raise ShapeError(f"{what} must be a scalar or have {ndim} entries, got shape {list(arr.shape)}")
    return tuple(int(v) for v in arr)


def conv_output_spatial(
    spatial: Sequence[int],
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int] | str,
    dilation: Sequence[int],
) -> tuple[int, ...]:
    """Output spatial size of a convolution or pooling window, PyTorch's floor rule.

    ``out = floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1``.
    ``padding='valid'`` is zero padding; ``padding='same'`` keeps the size and, as in
    PyTorch, requires stride 1 (NIR's reference would otherwise ignore the stride).
    """
    ndim = len(spatial)
    if any(s < 1 for s in stride):
        raise ShapeError(f"stride must be >= 1, got {list(stride)}")
    if any(d < 1 for d in dilation):
        raise ShapeError(f"dilation must be >= 1, got {list(dilation)}")
    if isinstance(padding, str):
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ShapeError(f"padding='same' requires stride 1, got stride {list(stride)}")
            return tuple(spatial)
        if padding != "valid":
            raise ShapeError(f"padding must be an integer, 'same' or 'valid', got {padding!r}")
        padding = (0,) * ndim
    if any(p < 0 for p in padding):
        raise ShapeError(f"padding must be >= 0, got {list(padding)}")
    out = []
    for i in range(ndim):
        extent = spatial[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1
        if extent < 0:
            raise ShapeError(
                f"window of {kernel[i]} (dilation {dilation[i]}) does not fit input "
                f"of size {spatial[i]} with padding {padding[i]} in dimension {i}"
            )
        out.append(extent // stride[i] + 1)
    return tuple(out)


def flatten_output(shape: Sequence[int], start_dim: int, end_dim: int) -> tuple[int, ...]:
    """Flatten dims ``start_dim..end_dim`` (inclusive, negatives count from the end)
    of a batch-free shape, as ``torch.flatten`` does on one sample."""
    ndim = len(shape)
    start = start_dim + ndim if start_dim < 0 else start_dim
    end = end_dim + ndim if end_dim < 0 else end_dim
    if not (0 <= start < max(ndim, 1)) or not (0 <= end < max(ndim, 1)):
        raise ShapeError(f"start_dim={start_dim}, end_dim={end_dim} out of range for input shape {list(shape)}")
    if start > end:
        raise ShapeError(f"start_dim={start_dim} comes after end_dim={end_dim} for input shape {list(shape)}")
    middle = int(np.prod(shape[start : end + 1], dtype=np.int64))
    return (*shape[:start], middle, *shape[end + 1 :])
