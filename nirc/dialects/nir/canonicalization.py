"""Canonicalization patterns of the `nir` dialect, declared on their ops (xDSL's
``HasCanonicalizationPatternsTrait``, :mod:`nirc.dialects.nir.ops`) and applied by
``canonicalize`` with every other registered pattern.

* ``affine-zero-bias`` — an Affine whose bias is all zeros becomes a Linear;
* ``identity-scale`` / ``identity-flatten`` — a Scale of all ones, or a Flatten that
  keeps the shape, is dropped (its readers read its input);
* ``fold-scale`` — a Scale after a Linear/Affine or a Conv (constant over each channel),
  or before a Linear/Affine, is folded into the weights (and bias);
* ``merge-matrix`` — Linear/Affine ⊳ Linear/Affine with nothing between becomes one
  (``W2 W1``, ``W2 b1 + b2``).

Only a node's sole reader is merged into it, and only nodes a rewrite may touch
(:func:`~nirc.core.rewriting.producer`, :func:`~nirc.core.rewriting.sole_user` refuse
frozen ones).  Merged and folded nodes keep the name and metadata of the node that
produces the final signal.  ``fold-scale`` and ``merge-matrix`` reassociate products
and sums, so they round differently (``exact = False``: ``canonicalize{fold=false}``
leaves them out); the others are bit-exact.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from nirc.core.node import shape_of
from nirc.core.rewriting import BypassPattern, build, carry, fuse_nodes, producer, replace_node, sole_user
from nirc.dialects.nir.ops import AffineOp, ConvOp, FlattenOp, LinearOp, MatrixOp, ScaleOp


class NirPattern(RewritePattern):
    """A canonicalization of the `nir` dialect: ``name`` as in ``docs/passes.md``,
    ``exact`` when it changes no floating-point result."""

    name: ClassVar[str]
    exact: ClassVar[bool] = True


class AffineZeroBias(NirPattern):
    name = "affine-zero-bias"

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AffineOp, rewriter: PatternRewriter, /) -> None:
        if np.any(op.param("bias")):
            return
        new = build(LinearOp, op.nir_name, list(op.operands), {"weight": op.properties["weight"]}, shape_of(op.output))
        carry(op, new)
        replace_node(rewriter, op, [new])


#: A Scale of all ones, and a Flatten that keeps the shape, are dropped.
IDENTITY_SCALE = BypassPattern("identity-scale", (ScaleOp,), lambda op: bool(np.all(op.param("scale") == 1)))
IDENTITY_FLATTEN = BypassPattern(
    "identity-flatten", (FlattenOp,), lambda op: shape_of(op.operands[0]) == shape_of(op.output)
)


class FoldScale(NirPattern):
    name = "fold-scale"
    exact = False

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ScaleOp, rewriter: PatternRewriter, /) -> None:
        if len(op.operands) != 1:
            return
        s = op.param("scale")
        source = producer(op.operands[0])
        # producer ⊳ Scale, the Scale the producer's only reader
        if isinstance(source, (MatrixOp, ConvOp)) and source is not op and sole_user(source.results[0]) is op:
            self._into_producer(op, s, source, rewriter)
            return
        # Scale ⊳ Linear/Affine, the matrix the Scale's only reader
        consumer = sole_user(op.results[0])
        if isinstance(consumer, MatrixOp) and len(consumer.operands) == 1 and consumer is not op:
            w = consumer.param("weight")
            if w.ndim != 2 or s.shape != (w.shape[1],):
                return
            params: dict[str, Any] = {k: v for k, v in consumer.properties.items() if k != "name"}
            params["weight"] = (w * s[None, :]).astype(w.dtype)
            new = build(type(consumer), consumer.nir_name, list(op.operands), params, shape_of(consumer.output))
            new.properties.pop("edge_ids", None)
            carry(op, new, ("edge_ids",))
            fuse_nodes(rewriter, [op, consumer], new, before=consumer)

    @staticmethod
    def _into_producer(op: ScaleOp, s: np.ndarray, source: MatrixOp | ConvOp, rewriter: PatternRewriter) -> None:
        w, b = source.param("weight"), source.opt_param("bias")
        if isinstance(source, MatrixOp):
            if w.ndim != 2 or s.shape != (w.shape[0],):
                return
            factor = s
        else:
            flat = s.reshape(s.shape[0], -1)
            if not (flat == flat[:, :1]).all():
                return  # varies over space: not a per-channel factor
            factor = flat[:, 0]
        params: dict[str, Any] = {k: v for k, v in source.properties.items() if k not in ("name", "metadata")}
        params["weight"] = (factor.reshape(-1, *([1] * (w.ndim - 1))) * w).astype(w.dtype)
        if b is not None:
            params["bias"] = (factor * b).astype(b.dtype)
        new = build(type(source), op.nir_name, list(source.operands), params, shape_of(op.results[0]))
        carry(op, new, ("metadata",))
        fuse_nodes(rewriter, [source, op], new)


class MergeMatrix(NirPattern):
    name = "merge-matrix"
    exact = False

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: MatrixOp, rewriter: PatternRewriter, /) -> None:
        if len(op.operands) != 1:
            return
        first = producer(op.operands[0])
        if not isinstance(first, MatrixOp) or first is op or sole_user(first.results[0]) is not op:
            return
        w1, w2 = first.param("weight"), op.param("weight")
        if w1.ndim != 2 or w2.ndim != 2:
            return
        b1, b2 = first.opt_param("bias"), op.opt_param("bias")
        dtype = np.result_type(w1, w2)
        params: dict[str, Any] = {"weight": (w2.astype(np.float64) @ w1.astype(np.float64)).astype(dtype)}
        if b1 is not None or b2 is not None:
            bias = np.zeros(w2.shape[0], np.float64)
            if b1 is not None:
                bias += w2.astype(np.float64) @ b1.astype(np.float64)
            if b2 is not None:
                bias += b2
            params["bias"] = bias.astype(np.result_type(*(b for b in (b1, b2) if b is not None)))
        cls = AffineOp if "bias" in params else LinearOp
        new = build(cls, op.nir_name, list(first.operands), params, shape_of(op.output))
        carry(op, new, ("metadata",))
        carry(first, new, ("edge_ids",))
        fuse_nodes(rewriter, [first, op], new, result_of=op)


AFFINE = (AffineZeroBias(), MergeMatrix())
LINEAR = (MergeMatrix(),)
SCALE = (IDENTITY_SCALE, FoldScale())
FLATTEN = (IDENTITY_FLATTEN,)
