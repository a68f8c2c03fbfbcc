"""``speck-quantize``: the float parameters of each ``speck.layer`` to the chip's integers.

Per layer one factor ``s`` scales weight, bias and thresholds together, as sinabs'
``backend/dynapcnn/discretize.py`` does: an integrate-and-fire layer whose input,
membrane and threshold are all multiplied by ``s`` spikes exactly as before, so the
only change is rounding.  ``s`` is the largest factor that keeps every value in range
(int8 weights and biases, int16 thresholds)::

    range(t, bits) = hi / max(t)  if |min(t)| <= |max(t)| |lo / hi|  else  lo / min(t)
    s = min(range(weight, 8), range(bias, 8), range([threshold_low, threshold], 16))

(bias and ``threshold_low`` only where present and non-zero).  Then ``weight``, ``bias``
are ``round(x s)`` (half to even, as ``torch.round``) in int8, ``threshold`` and
``threshold_low`` in int16, and ``scale`` records ``s``.  Without ``threshold_low`` the
16-bit state saturates at -32768 on the chip; the float layer has no floor.

Not exact: a weight moves by up to ``1/(2 s)``.  :func:`errors` reports, per layer, the
relative error of the weights and of the threshold; ``nir-translate --target=speck``
puts it in its report, with the agreement of spike counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core.dense import DenseAttr
from nirc.core.gcpause import pauses_gc
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.resources import SPECK, SpeckResources


def range_factor(t: np.ndarray, bits: int) -> float:
    """The largest factor that maps ``t`` into the signed ``bits``-bit range (inf for zeros)."""
    lo, hi = SPECK.int_range(bits)
    t = np.asarray(t, np.float64)
    tmax, tmin = float(t.max(initial=0.0)), float(t.min(initial=0.0))
    if tmax == 0 and tmin == 0:
        return float("inf")
    if abs(tmin) <= abs(tmax) * abs(lo / hi):
        return hi / abs(tmax)
    return abs(lo / tmin)


def factor(op: speck.LayerOp, res: SpeckResources = SPECK) -> float:
    low = op.threshold_low_value()
    thresholds = np.array([op.threshold_value(), *([] if low is None else [low])], np.float64)
    return min(
        range_factor(op.param("weight"), res.weight_bits),
        range_factor(op.param("bias"), res.bias_bits),
        range_factor(thresholds, res.threshold_bits),
    )


def _to_int(x: np.ndarray, s: float, bits: int, dtype: type) -> np.ndarray:
    lo, hi = SPECK.int_range(bits)
    return np.clip(np.round(np.asarray(x, np.float64) * s), lo, hi).astype(dtype)


def quantize(op: speck.LayerOp, res: SpeckResources = SPECK) -> None:
    s = factor(op, res)
    op.properties["weight"] = DenseAttr.from_array(_to_int(op.param("weight"), s, res.weight_bits, np.int8))
    op.properties["bias"] = DenseAttr.from_array(_to_int(op.param("bias"), s, res.bias_bits, np.int8))
    theta = max(1, int(np.round(op.threshold_value() * s)))
    op.properties["threshold"] = DenseAttr.from_array(np.array(theta, np.int16))
    low = op.threshold_low_value()
    if low is not None:
        op.properties["threshold_low"] = DenseAttr.from_array(_to_int(np.array(low), s, res.threshold_bits, np.int16))
    op.properties["scale"] = DenseAttr.from_array(np.array(s, np.float64))


def errors(float_op: speck.LayerOp, int_op: speck.LayerOp) -> dict[str, float]:
    """How far the integers, divided by the scale, are from the floats."""
    s = float(int_op.param("scale"))
    w, wq = np.asarray(float_op.param("weight"), np.float64), np.asarray(int_op.param("weight"), np.float64) / s
    norm = float(np.linalg.norm(w))
    th, thq = float(float_op.threshold_value()), float(int_op.threshold_value()) / s
    return {
        "scale": s,
        "weight_rel_error": float(np.linalg.norm(wq - w)) / norm if norm else 0.0,
        "weight_zeroed": int(np.count_nonzero((w != 0) & (wq == 0))),
        "threshold_rel_error": abs(thq - th) / th,
    }


@dataclass(frozen=True)
class SpeckQuantizePass(ModulePass):
    """Float ``speck.layer`` parameters to int8 weights/biases and int16 thresholds,
    one scale per layer."""

    name: ClassVar[str] = "speck-quantize"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for layer in op.walk():
            if isinstance(layer, speck.LayerOp) and not layer.quantized:
                quantize(layer)
