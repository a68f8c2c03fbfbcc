"""Canonicalization patterns of the `snn` dialect, declared on their ops and applied by
``canonicalize``:

* ``drop-zero-delay`` — an ``snn.delay`` of zero steps in every element, with one
  incoming edge, is dropped (its readers read its input): bit-exact.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from nirc.core.rewriting import replace_node
from nirc.dialects.snn.ops import DelayOp


class DropZeroDelay(RewritePattern):
    name: ClassVar[str] = "drop-zero-delay"
    exact: ClassVar[bool] = True

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: DelayOp, rewriter: PatternRewriter, /) -> None:
        if len(op.operands) == 1 and op.operands[0] is not op.results[0] and not op.param("steps").any():
            replace_node(rewriter, op, [], results=[op.operands[0]])


DELAY = (DropZeroDelay(),)
