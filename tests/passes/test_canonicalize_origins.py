"""A canonicalization that raises is reported with the pattern and the extension it
comes from, whether the extension registers it (by object or by ``"module:attr"``) or an
op of the extension's dialect declares it; never as nirc's internal error."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

import nirc
from nirc.core import extension as ext
from nirc.core.errors import NircError
from nirc.dialects import nir
from nirc.dialects.nir.canonicalization import MergeMatrix
from nirc.passes.canonicalize import CanonicalizePass

GRAPH = {
    "type": "NIRGraph",
    "metadata": {},
    "nodes": {
        "in": {"type": "Input", "shape": np.array([2])},
        "a": {"type": "Linear", "weight": np.eye(2, dtype=np.float32)},
        "b": {"type": "Linear", "weight": np.eye(2, dtype=np.float32)},
        "out": {"type": "Output", "shape": np.array([2])},
    },
    "edges": [("in", "a"), ("a", "b"), ("b", "out")],
}


class Boom(RewritePattern):
    def match_and_rewrite(self, op, rewriter: PatternRewriter) -> None:
        if isinstance(op, nir.LinearOp):
            raise ZeroDivisionError("boom")


@pytest.mark.parametrize("by_reference", [False, True])
def test_a_registered_pattern_is_named_with_its_extension(by_reference: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("boom_patterns")
    module.PATTERNS = (Boom(),)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "boom_patterns", module)
    ext.register(
        nirc.Extension(name="boomer", canonicalizations="boom_patterns:PATTERNS" if by_reference else module.PATTERNS)
    )  # type: ignore[attr-defined]
    try:
        with pytest.raises(NircError) as err:
            CanonicalizePass().apply(Context(), nirc.module_from_dict(GRAPH))
    finally:
        ext.unregister("boomer")
    assert err.value.rule == "pattern"
    assert "pattern 'Boom' (extension 'boomer') failed on nir.linear: ZeroDivisionError: boom" in str(err.value)


def test_a_pattern_an_op_declares_is_named_with_the_dialects_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self, op, rewriter) -> None:
        raise ValueError("merge failed")

    monkeypatch.setattr(MergeMatrix, "match_and_rewrite", fail)
    with pytest.raises(NircError) as err:
        CanonicalizePass().apply(Context(), nirc.module_from_dict(GRAPH))
    assert err.value.rule == "pattern"
    assert "(extension 'nir') failed on nir.linear: ValueError: merge failed" in str(err.value)
