"""``fold-sum-pool``: a SumPool2d folded into the weights that read it.

A sum pool is linear, so the weights after it can absorb it, for a chip or framework whose
pooling layer carries neurons (slayer's ``cuba.Pool``, Loihi's netx has none):

* ``SumPool2d(k) -> Conv2d(W, stride s, padding p)`` becomes ``Conv2d(W', stride s k,
  padding p k)`` on the pool's input, ``W'`` each kernel element repeated ``k`` times
  per spatial dimension (``W'[o, c, k a + i, k b + j] = W[o, c, a, b]``);
* ``SumPool2d(k) -> Flatten -> Linear/Affine(W)`` becomes ``Flatten -> Linear/Affine(W')``
  on the pool's input, ``W'`` each column repeated over the ``k x k`` window it pooled.

Where: the pool's stride equals its kernel, it has no padding, its input's height and
width are multiples of the kernel (the pool drops no row), its only reader is the Conv
(dilation 1, numeric padding) or the Flatten (whose only reader is the weights), and the
pool's input is not a graph's block argument.  Anything else is left as it is.

Not bit-identical: the folded weights sum the pooled inputs in another order (exact where
the sums are: spikes and weights on a grid, as a quantized chip's).  Equal to float
rounding otherwise (``tests/passes/test_fold_sum_pool.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from nirc.core.dense import DenseAttr
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import apply_patterns, build, erase_nodes, rewrite_session, sole_user
from nirc.core.shapes import per_dim
from nirc.dialects import nir


def _window(pool: nir.SumPool2dOp) -> tuple[int, int] | None:
    """The pool's kernel where it tiles its input exactly (stride = kernel, no padding,
    height and width multiples of it), else None."""
    k = per_dim(pool.param("kernel_size"), 2, "kernel_size")
    if per_dim(pool.param("stride"), 2, "stride") != k or any(per_dim(pool.param("padding"), 2, "padding")):
        return None
    shape = shape_of(pool.operands[0]) if pool.operands else ()
    if len(shape) != 3 or shape[1] % k[0] or shape[2] % k[1]:
        return None
    return k  # type: ignore[return-value]


def _repeat(w: np.ndarray, k: tuple[int, int]) -> np.ndarray:
    """Each element of the last two axes repeated ``k`` times along each."""
    return np.repeat(np.repeat(w, k[0], axis=-2), k[1], axis=-1)


class FoldSumPool(RewritePattern):
    """A SumPool2d into the Conv2d, or the Flatten ⊳ Linear/Affine, that reads it."""

    name = "fold-sum-pool"
    root_types = (nir.SumPool2dOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if (
            not isinstance(op, nir.SumPool2dOp)
            or len(op.operands) != 1
            or not isinstance(op.operands[0].owner, Operation)
        ):
            return
        k = _window(op)
        reader = sole_user(op.results[0])
        if k is None or reader is None or len(reader.operands) != 1:
            return
        source = op.operands[0]
        if isinstance(reader, nir.Conv2dOp):
            if isinstance(reader.padding, StringAttr) or per_dim(reader.param("dilation"), 2, "dilation") != (1, 1):
                return
            stride = np.asarray(per_dim(reader.param("stride"), 2, "stride")) * k
            padding = np.asarray(per_dim(reader.padding.array, 2, "padding")) * k
            reader.properties["weight"] = DenseAttr.from_array(_repeat(reader.param("weight"), k))
            reader.properties["stride"] = DenseAttr.from_array(stride.astype(np.int64))
            reader.properties["padding"] = DenseAttr.from_array(padding.astype(np.int64))
            reader.properties.pop("input_shape", None)
            reader.operands[0] = source
            rewriter.notify_op_modified(reader)
            erase_nodes(rewriter, [op])
            return
        if not isinstance(reader, nir.FlattenOp):
            return
        weights = sole_user(reader.results[0])
        if not isinstance(weights, (nir.LinearOp, nir.AffineOp)) or len(weights.operands) != 1:
            return
        pooled = shape_of(op.results[0])
        dims = [int(np.asarray(reader.param(key)).reshape(-1)[0]) for key in ("start_dim", "end_dim")]
        if dims not in ([0, -1], [0, 2]):
            return
        w = np.asarray(weights.param("weight"))
        grid = w.reshape(w.shape[0], *pooled)
        unpooled = _repeat(grid, k).reshape(w.shape[0], -1)
        in_shape = shape_of(source)
        params = {key: reader.param(key) for key in ("start_dim", "end_dim")}
        params["input_type"] = np.asarray(in_shape, np.int64)
        flat = build(nir.FlattenOp, reader.nir_name, [source], params, (int(np.prod(in_shape)),))
        rewriter.insert(flat, InsertPoint.before(reader))
        weights.properties["weight"] = DenseAttr.from_array(unpooled)
        weights.operands[0] = flat.results[0]
        rewriter.notify_op_modified(weights)
        erase_nodes(rewriter, [reader, op], keep_names={flat.nir_name})


@dataclass(frozen=True)
class FoldSumPoolPass(ModulePass):
    """Fold each SumPool2d into the Conv2d (or Flatten ⊳ Linear/Affine) that reads it,
    where it tiles its input exactly."""

    name: ClassVar[str] = "fold-sum-pool"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        with rewrite_session():
            apply_patterns(op, [FoldSumPool()], confirm=False)
