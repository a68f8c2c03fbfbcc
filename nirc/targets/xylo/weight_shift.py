"""``xylo-weight-shift``: give the thresholds and biases the bits an int8 weight cannot use.

Xylo stores int8 weights and shifts each weight matrix left by ``weight_shift`` before
adding it to a 16-bit synaptic current, while thresholds and biases are 16-bit.  With
one scale per neuron chosen by its weights (``127 / max |w|``), a threshold of a few
weights would keep only a few bits.  This pass moves a factor ``2^k`` from the weights
into the shift (the float op computes exactly as before: its effective weight is
``w << k``), so ``quantize`` then scales the thresholds and biases ``2^k`` further:

    k = the largest in 0 ... 7 such that, for every neuron, its largest weight, its
        threshold and |bias|, times 127 / max|w| times 2^k, stay within 2^12

(an eighth of the 16-bit range: the current and the membrane sum several inputs and
must stay clear of saturation; the largest weight alone allows k <= 5).
One ``k`` per population op: a hidden neuron adds its input and recurrent weights to
one current, so ``weight_shift_in`` and ``weight_shift_rec`` are equal.  Quantized ops
and ops with a shift already are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.passes import ModulePass

from nirc.core.dense import DenseAttr
from nirc.dialects.nir import graphs
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.convert_snn_to_xylo import never_reached

#: the largest weight, threshold or |bias| a shift may lead to: an eighth of the 16-bit range
HEADROOM = 1 << 12


def shift_for(op: xylo.XyloPopulationOp) -> int:
    """The shift ``k`` (see the module doc) for a float population op."""
    weights = [np.abs(np.asarray(op.param(k), np.float64)).reshape(op.size, -1) for k, _ in op.WEIGHTS]
    wmax = np.max(np.concatenate(weights, axis=1), axis=1, initial=0.0)
    live = wmax > 0
    if not live.any():
        return 0
    scale = 127.0 / wmax[live]
    need = np.abs(np.asarray(op.param("bias"), np.float64))[live]
    if not getattr(op, "reads_membrane", False):  # a membrane readout's threshold follows its weights
        need = np.maximum(np.asarray(op.param("threshold"), np.float64)[live], need)
    worst = max(127.0, float(np.max(need * scale)))
    if worst <= 0:
        return xylo.SHIFT_MAX
    k = int(np.floor(np.log2(HEADROOM / worst))) if worst < HEADROOM else 0
    return max(0, min(xylo.SHIFT_MAX, k))


def apply_shift(op: xylo.XyloPopulationOp, k: int) -> None:
    for key, _ in op.WEIGHTS:
        w = op.param(key)
        op.properties[key] = DenseAttr.from_array((np.asarray(w, np.float64) / float(1 << k)).astype(w.dtype))
    for key in op.SHIFTS:
        op.properties[key] = IntegerAttr(k, i64)
    if getattr(op, "reads_membrane", False):  # its threshold follows its (now smaller) weights
        th = op.param("threshold")
        op.properties["threshold"] = DenseAttr.from_array(never_reached(op.param("w_out")).astype(th.dtype))


@dataclass(frozen=True)
class XyloWeightShiftPass(ModulePass):
    """Move a power of two from each float population's weights into its weight shift
    (see the module doc); the ops compute as before."""

    name: ClassVar[str] = "xylo-weight-shift"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for graph in graphs(op):
            for node in graph.body.block.ops:
                if not isinstance(node, xylo.XyloPopulationOp) or node.quantized:
                    continue
                if any(node.shift(key) for key in node.SHIFTS):
                    continue
                k = shift_for(node)
                if k:
                    apply_shift(node, k)
