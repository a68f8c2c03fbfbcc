"""A neuron with ``state_bits``: the interpreter holds its state in a fixed-width word,
checked against numpy's int8 arithmetic (which wraps) and a saturating reference, and the
bound is a no-op for a state that stays in range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nirc
from nirc.core.integers import int_range

LEAKY = (
    '  %n = snn.leaky "n"(%in) {{decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: 1.0>, '
    'bias = #nir.dense<2xf64: 0.0>, {reset}order = "leak-then-integrate"{bound}}} : tensor<2xf32> -> tensor<2xf32>'
)
SYNAPTIC = (
    '  %n = snn.synaptic "n"(%in) {{decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: 1.0>, '
    "bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 1.0>, syn_gain = #nir.dense<2xf64: 1.0>, "
    'order = "leak-then-integrate"{bound}}} : tensor<2xf32> -> tensor<2xf32>'
)


def model(neuron: str, bits: int | None, overflow: str | None = None, reset: str = "") -> object:
    bound = "" if bits is None else f", state_bits = {bits} : i64" + (f', overflow = "{overflow}"' if overflow else "")
    text = "\n".join(
        [
            "nir.graph {",
            '  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>',
            neuron.format(bound=bound, reset=reset),
            '  nir.output "out"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>',
            "}",
        ]
    )
    return nirc.parse(text)


INPUTS = st.lists(st.integers(-40, 40), min_size=1, max_size=60).map(
    lambda xs: np.stack([np.array(xs, np.float64), -np.array(xs, np.float64)], axis=1)
)


@settings(max_examples=60, deadline=None)
@given(x=INPUTS)
def test_an_integrator_wraps_as_int8_arithmetic(x: np.ndarray) -> None:
    got = nirc.run(model(LEAKY, 8, "wrap"), x, dtype="float64").outputs["out"]
    want = np.cumsum(x.astype(np.int8), axis=0, dtype=np.int8)  # numpy int8 wraps
    assert np.array_equal(got, want.astype(np.float64))


@settings(max_examples=60, deadline=None)
@given(x=INPUTS, bits=st.integers(3, 10))
def test_an_integrator_saturates_step_by_step(x: np.ndarray, bits: int) -> None:
    lo, hi = int_range(bits)
    got = nirc.run(model(LEAKY, bits), x, dtype="float64").outputs["out"]
    v = np.zeros(2)
    for t in range(x.shape[0]):
        v = np.clip(v + x[t], lo, hi)  # saturate is the default overflow
        assert np.array_equal(got[t], v)


@settings(max_examples=40, deadline=None)
@given(x=INPUTS)
def test_the_current_is_bounded_too(x: np.ndarray) -> None:
    """A current-based neuron: i wraps at 8 bits, then v adds the wrapped current and wraps."""
    got = nirc.run(model(SYNAPTIC, 8, "wrap"), x, dtype="float64").outputs["out"]
    i = np.cumsum(x.astype(np.int8), axis=0, dtype=np.int8)
    v = np.cumsum(i, axis=0, dtype=np.int8)
    assert np.array_equal(got, v.astype(np.float64))


@settings(max_examples=40, deadline=None)
@given(x=INPUTS)
def test_a_state_that_stays_in_range_is_untouched(x: np.ndarray) -> None:
    """60 steps of |x| <= 40 stay within 16 bits: the bound changes nothing."""
    want = nirc.run(model(LEAKY, None), x).outputs["out"]
    for overflow in ("saturate", "wrap"):
        assert np.array_equal(nirc.run(model(LEAKY, 16, overflow), x).outputs["out"], want)


def test_the_spike_test_reads_the_bounded_membrane() -> None:
    """A threshold above the 4-bit range (7) is never reached by a saturating state."""
    reset = (
        'threshold = #nir.dense<2xf64: 8.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", '
        'compare = ">=", spike_timing = "same", reset_timing = "same", output = "spikes", '
    )
    x = np.full((20, 2), 3.0)
    assert nirc.run(model(LEAKY, None, reset=reset), x).outputs["out"].sum() > 0
    assert nirc.run(model(LEAKY, 4, reset=reset), x).outputs["out"].sum() == 0


@pytest.mark.parametrize("overflow", ["saturate", "wrap"])
def test_text_round_trip_keeps_the_bound(overflow: str) -> None:
    m = model(LEAKY, 12, overflow)
    again = nirc.parse(nirc.to_text(m))
    assert nirc.to_text(again) == nirc.to_text(m)
    (n,) = [op for op in again.walk() if op.name == "snn.leaky"]
    assert n.discrete().state_bits == 12 and n.discrete().overflow == overflow
