"""``nirc.core.integers``: signed ranges, dtypes and the two overflows, against numpy's
own fixed-width integers (two's complement wraps; a saturating add clamps)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nirc.core.integers import bound, int_dtype, int_range


@pytest.mark.parametrize(
    ("bits", "dtype"), [(2, np.int8), (8, np.int8), (9, np.int16), (16, np.int16), (24, np.int32), (64, np.int64)]
)
def test_ranges_and_dtypes(bits: int, dtype: type) -> None:
    lo, hi = int_range(bits)
    assert (lo, hi) == (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    assert int_dtype(bits) == np.dtype(dtype)
    assert np.iinfo(int_dtype(bits)).min <= lo and hi <= np.iinfo(int_dtype(bits)).max


def test_more_than_64_bits_is_refused() -> None:
    with pytest.raises(ValueError, match="more than int64"):
        int_dtype(65)


@given(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=50), st.sampled_from([8, 16, 32]))
def test_wrap_is_twos_complement(values: list[int], bits: int) -> None:
    x = np.array(values, dtype=np.int64)
    want = x.astype(int_dtype(bits))  # numpy keeps the low bits: two's complement
    got = bound(x.astype(np.float64), bits, "wrap")
    assert np.array_equal(got, want.astype(np.float64))


@given(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=50), st.integers(2, 40))
def test_saturate_clamps_and_keeps_what_fits(values: list[int], bits: int) -> None:
    x = np.array(values, dtype=np.float64)
    lo, hi = int_range(bits)
    got = bound(x, bits, "saturate")
    assert np.array_equal(got, np.array([min(max(v, lo), hi) for v in values], dtype=np.float64))


def test_values_in_range_are_unchanged_and_fractions_wrap_by_whole_spans() -> None:
    x = np.array([-8.0, -0.5, 0.0, 3.25, 7.0])
    assert np.array_equal(bound(x, 4, "wrap"), x)
    assert np.array_equal(bound(x, 4, "saturate"), x)
    # wrap maps into [lo, hi + 1): whole spans of 2^bits are added or taken away
    assert np.array_equal(bound(np.array([7.5, -8.5, 8.25]), 4, "wrap"), np.array([7.5, 7.5, -7.75]))


def test_unknown_overflow_is_refused() -> None:
    with pytest.raises(ValueError, match="saturate, wrap"):
        bound(np.zeros(2), 8, "clip")
