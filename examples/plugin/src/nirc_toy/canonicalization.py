"""The ``toy`` dialect's canonicalization: a clamp of a clamp is one clamp.

``clamp(clamp(x, a, b), c, d) = clamp(x, max(a, c), min(b, d))`` where the inner clamp
has no other reader: exact (no arithmetic changes), so ``exact = True`` and
``canonicalize{fold=false}`` applies it too.
"""

from __future__ import annotations

import numpy as np
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from nirc.core.node import shape_of
from nirc.core.rewriting import build, fuse_nodes, producer, sole_user
from nirc_toy.dialect import ClampOp


class MergeClamps(RewritePattern):
    name = "toy-merge-clamps"
    exact = True

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ClampOp, rewriter: PatternRewriter, /) -> None:
        if len(op.operands) != 1:
            return
        inner = producer(op.operands[0])
        if not isinstance(inner, ClampOp) or inner is op or sole_user(inner.results[0]) is not op:
            return
        lo = np.maximum(inner.param("lo"), op.param("lo"))
        hi = np.minimum(inner.param("hi"), op.param("hi"))
        merged = build(
            ClampOp, op.nir_name, list(inner.operands), {"lo": lo, "hi": np.maximum(hi, lo)}, shape_of(op.output)
        )
        fuse_nodes(rewriter, [inner, op], merged)


PATTERNS = (MergeClamps(),)
