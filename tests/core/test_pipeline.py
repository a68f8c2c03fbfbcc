"""``nirc.core.pipeline``: pass options as people type them, read the way xDSL's pipeline
parser would read them quoted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.utils.arg_spec import parse_pipeline

from nirc.core.pipeline import quote_bare_values


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("quantize{report=q.json}", {"report": ("q.json",)}),
        (
            "quantize{report=out/sub.dir/q.json scheme=per-channel}",
            {"report": ("out/sub.dir/q.json",), "scheme": ("per-channel",)},
        ),
        ("convert-nir-to-snn{compare=>= dt=1e-4}", {"compare": (">=",), "dt": ("1e-4",)}),
        ('quantize{report="a b.json"}', {"report": ("a b.json",)}),
        ("p{x=1,2,3 y=-3 z=1.5 w=true}", {"x": (1, 2, 3), "y": (-3,), "z": (1.5,), "w": (True,)}),
        ("p{path=C:\\x\\q.json}", {"path": ("C:\\x\\q.json",)}),
    ],
)
def test_bare_values_read_as_typed(typed: str, read: dict) -> None:
    (spec,) = parse_pipeline(quote_bare_values(typed))
    assert dict(spec.parameters) == read


def test_what_xdsl_reads_bare_is_left_alone() -> None:
    for spec in ("a,b{x=1 y=half-even},c", "nir-to-snn{dt=1e-4 semantics=snntorch}", 'a{x="q.json"}', "a{}", "a"):
        assert quote_bare_values(spec) == spec


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=20).filter(
        lambda v: not any(c in v for c in '{}",')
    )
)
def test_any_bare_value_reads_back_as_itself(value: str) -> None:
    (spec,) = parse_pipeline(quote_bare_values(f"p{{key={value}}}"))
    (got,) = spec.parameters["key"]
    assert str(got) == value or got == _number(value)


def _number(value: str) -> object:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value, value)
