"""``loihi2-quantize``: float ``loihi2`` layers as Lava's fixed-point registers.

nirc's generic ``quantize`` (:mod:`nirc.passes.quantize`), configured as Loihi 2 stores
its numbers (:data:`LOIHI2_QUANTIZE`): one factor per layer (a layer shares its
threshold) scales weights to 8-bit signed integers, the threshold mantissa into 17 bits
and the bias mantissa into 13, saturating; weights, biases and thresholds share one
unit (netx fixes ``bias_exp = 6``, the threshold is ``vth << 6`` and the Dense's sums
enter the current ``<< 6``).  Then, as lava-dl's netx does when it loads the file:

* the decays become Lava's 12-bit registers: ``iDecay = round(4096 du)`` (at least 1)
  and Lava's ``du = iDecay - 1``; ``dv = round(4096 dv)`` (at most 4095);
* a Dense's weights (with the recurrent ones, as one matrix) go through netx's
  ``optimize_weight_bits`` (:func:`optimize_weight_bits`): shifted up to fill the 8-bit
  mantissa, with a negative ``weight_exp`` that shifts the sums back exactly, and the
  ``num_weight_bits`` netx computes, so the kernel runs what Lava runs (a matrix netx
  would damage is moved a step first, :func:`netx_safe`); a Conv's stay as quantize
  made them (netx gives Lava's Conv no exponent, and Lava uses them as they are).

Not exact: weights move by up to half a step, the decays by up to 1/8192.  The returned
report has the scale and errors per layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.passes import ModulePass

from nirc.core.dense import DenseAttr
from nirc.core.gcpause import pauses_gc
from nirc.dialects.nir import graphs
from nirc.passes.quantize import Options, Report, quantize_module
from nirc.targets.loihi2.dialect import DECAY_MAX, DenseOp, LayerOp, effective_weights
from nirc.targets.loihi2.resources import LOIHI2

#: How Loihi 2 stores its numbers, as the generic quantize pass's options.
LOIHI2_QUANTIZE = Options(
    weight_bits=LOIHI2.weight_bits,
    bias_bits=LOIHI2.bias_bits,
    threshold_bits=LOIHI2.threshold_bits,
    scheme="per-layer",
    rounding="half-even",
    saturate=True,
    scale="any",
)

DECAY_UNITY = 1 << LOIHI2.decay_bits


def optimize_weight_bits(weight: np.ndarray) -> tuple[np.ndarray, int, int]:
    """lava-dl 0.6.0's ``netx.utils.optimize_weight_bits`` for integer weights in Lava's
    8-bit range: the weights shifted up by ``scale_bits``, ``num_weight_bits`` and
    ``weight_exponent = -scale_bits``.  An all-zero matrix (where netx divides by zero)
    stays as it is, with 8 bits and exponent 0."""
    w = np.asarray(weight, np.int64)
    if w.size == 0 or not np.any(w):
        return w.copy(), 8, 0
    hi, lo = int(w.max()), int(w.min())
    if hi < 0:
        signed, scale = 0, -256 / lo
    elif lo >= 0:
        signed, scale = 0, 255 / hi
    else:
        signed = 1
        scale = min(127 / hi if hi > 0 else np.inf, -128 / lo)
    scale_bits = int(np.floor(np.log2(scale))) + signed
    n = 8
    while n > 0 and np.any(w % (1 << n)):
        n -= 1
    n -= signed
    bits = 8 - scale_bits - n
    shifted = w << scale_bits if scale_bits >= 0 else w >> -scale_bits
    return shifted, int(bits), -scale_bits


def netx_safe(weight: np.ndarray, split: int | None = None) -> tuple[np.ndarray, int, int]:
    """:func:`optimize_weight_bits` of integer weights that Lava's Dense keeps as they
    are.  netx scales a matrix of inhibitory weights whose largest magnitude is a power
    of two to exactly -256, which Lava clips to -255 and truncates (to 0 at worst); such
    a matrix has its largest-magnitude weights moved one step toward zero, as often as
    it takes.  ``split`` is where a recurrent layer's matrix (``[W, W_rec]``, optimised
    together) divides: Lava's two Dense processes each take their own sign mode, so
    each half must keep its weights."""
    w = np.asarray(weight, np.int64).copy()
    cut = w.shape[1] if split is None else split
    while True:
        shifted, bits, exp = optimize_weight_bits(w)
        halves = [(slice(None), slice(0, cut)), (slice(None), slice(cut, None))]
        bad = [
            h
            for h in halves
            if w[h].size and (bits < 1 or not np.array_equal(effective_weights(shifted[h], bits), shifted[h]))
        ]
        if not bad:
            return shifted, bits, exp
        for h in bad:
            part = w[h]
            low = int(part.min())
            w[h] = np.where(part == low, low + 1, part) if low < 0 else part


def registers(op: LayerOp) -> int:
    """Turn the float decays of a quantized layer into Lava's registers and a Dense's
    weights into what netx gives Lava (see the module doc); how many weights netx's
    damage made move (a Conv's weights stay: netx and Lava's Conv use them as they are)."""
    du = float(op.param("du").reshape(-1)[0])
    dv = float(op.param("dv").reshape(-1)[0])
    i_decay = int(np.clip(np.rint(du * DECAY_UNITY), 1, DECAY_UNITY))
    v_decay = int(np.clip(np.rint(dv * DECAY_UNITY), 0, DECAY_MAX))
    op.properties["du"] = DenseAttr.from_array(np.array([i_decay - 1], np.int64))
    op.properties["dv"] = DenseAttr.from_array(np.array([v_decay], np.int64))
    op.properties["bias_exp"] = IntegerAttr(LOIHI2.bias_exp, i64)
    op.properties["bias_mant"] = DenseAttr.from_array(np.asarray(op.param("bias_mant"), np.int64))
    op.properties["vth"] = DenseAttr.from_array(np.asarray(op.param("vth"), np.int64))
    if not isinstance(op, DenseOp):
        op.properties["weight"] = DenseAttr.from_array(np.asarray(op.param("weight"), np.int64))
        return 0
    w = np.asarray(op.param("weight"), np.int64)
    rec = op.opt_param("weight_rec")
    both = w if rec is None else np.hstack([w, np.asarray(rec, np.int64)])
    shifted, bits, exp = netx_safe(both, w.shape[1])
    moved = int(np.count_nonzero((shifted >> -exp if exp < 0 else shifted << exp) != both))
    op.properties["weight"] = DenseAttr.from_array(shifted[:, : w.shape[1]])
    if rec is not None:
        op.properties["weight_rec"] = DenseAttr.from_array(shifted[:, w.shape[1] :])
    op.properties["num_weight_bits"] = IntegerAttr(bits, i64)
    op.properties["weight_exp"] = IntegerAttr(exp, i64)
    for key in ("weight_exp_rec", "num_weight_bits_rec"):
        op.properties.pop(key, None)
    return moved


def file_weights(op: LayerOp, key: str = "weight") -> np.ndarray:
    """The integer weights as a netx file holds them (before netx's shift): the weights
    Lava's Dense adds, ``weight * 2^weight_exp`` (a Conv's as they are)."""
    w = np.asarray(op.param(key), np.int64)
    if not isinstance(op, DenseOp):
        return w
    exp = op.integer("weight_exp_rec" if key == "weight_rec" else "weight_exp")
    return w << exp if exp >= 0 else w >> -exp


def quantize(module: ModuleOp) -> Report:
    """Quantize every float ``loihi2`` layer of ``module`` in place; the generic pass's
    report (scale and errors per layer)."""
    report = quantize_module(module, LOIHI2_QUANTIZE)
    rows = layer_rows(report)
    for graph in graphs(module):
        for op in graph.body.block.ops:
            if isinstance(op, LayerOp) and op.param("du").dtype.kind == "f" and op.fixed:
                moved = registers(op)
                row = rows.get(op.nir_name)
                if row is not None:
                    row["weights_moved_for_netx"] = moved
                    row["weights_left"] = int(np.count_nonzero(op.param("weight")))
    return report


def layer_rows(report: Report) -> dict[str, dict[str, Any]]:
    return {row["layer"]: row for row in report.layers}


@dataclass(frozen=True)
class Loihi2QuantizePass(ModulePass):
    """The generic quantize configured for Loihi 2 (8-bit weights, 17-bit threshold and
    13-bit bias mantissas, one scale per layer), then Lava's decay registers and netx's
    weight exponents."""

    name: ClassVar[str] = "loihi2-quantize"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        quantize(op)
