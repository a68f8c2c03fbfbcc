"""Fixed-width signed integers: the ranges, dtypes and overflow of a chip's words.

``quantize`` maps parameters into these ranges, neurons with ``state_bits`` bound their
state to one after every update (:func:`bound`), and each chip's verifier checks its
integers against them.
"""

from __future__ import annotations

import numpy as np

#: What a value beyond its range becomes: clamped to it, or wrapped round it.
OVERFLOWS = ("saturate", "wrap")


def int_range(bits: int) -> tuple[int, int]:
    """The signed range of ``bits``: ``[-2^(bits-1), 2^(bits-1) - 1]``."""
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def int_dtype(bits: int) -> np.dtype:
    """The narrowest signed numpy integer type that holds ``bits``."""
    for dtype in (np.int8, np.int16, np.int32, np.int64):
        if bits <= np.iinfo(dtype).bits:
            return np.dtype(dtype)
    raise ValueError(f"{bits} bits is more than int64 holds")


def bound(x: np.ndarray, bits: int, overflow: str) -> np.ndarray:
    """``x`` held in a signed ``bits``-bit word: clamped to the range (``saturate``) or
    wrapped round it as two's complement arithmetic does (``wrap``: into ``[lo, hi + 1)``
    by whole multiples of ``2^bits``), in ``x``'s dtype."""
    lo, hi = int_range(bits)
    if overflow == "saturate":
        return np.clip(x, lo, hi)
    if overflow != "wrap":
        raise ValueError(f"overflow is one of {', '.join(OVERFLOWS)}, got {overflow!r}")
    span = float(hi - lo + 1)
    return x - np.floor((x - lo) / span) * span
