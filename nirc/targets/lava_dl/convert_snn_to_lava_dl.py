"""``convert-snn-to-lava-dl``: a discrete-time graph as lava-dl slayer CUBA blocks.

Precondition: ``convert-nir-to-snn{semantics=lava-dl}`` ran, its nested graphs inlined and
its recurrences fused (``nir-to-lava-dl`` runs all of these): every neuron reads one
Linear/Affine directly (slayer's synapse delivers in the same step).  The layers are
Lava's (:mod:`nirc.targets.lava.layers`, rules ``lava-*``: a slayer CUBA block is
Loihi's neuron), and slayer adds its own rules: no bias (its blocks have none;
``[lava-dl-bias]``), and a chain of blocks (``[lava-dl-chain]``: the emitted network is
slayer's ``ModuleList`` of blocks, as lava-dl's examples write it).  All violations are
reported at once.

Each layer becomes one ``lava_dl.dense`` with slayer's parameters, exactly as slayer
holds them when the model's numbers are given to its blocks
(:func:`~nirc.targets.lava.layers.layer_params`: current and voltage
decays ``du``, ``dv``, weights ``gain syn_gain W``, one threshold per layer):

* the block's scale ``S`` is ``{scale=S}``, or (``scale=0``, the default) per block the
  largest power of two at which its weights fit slayer's 8-bit range (``|w| S <= 254``)
  and its threshold the 17-bit mantissa;
* the decays ``round(4096 d)`` (half to even, as ``torch.round``), the threshold
  ``int(threshold S)`` (truncated, as slayer's neuron does);
* the weights as slayer's ``quantize_8bit`` makes them, multiples of ``2/S`` in
  ``[-256/S, 254/S]`` (half to even), or as they are with ``{quantize-weights=false}``
  (slayer with ``pre_hook_fx=None``, which cannot export to netx);
* ``delay_shift`` as slayer's default (``{delay-shift=false}`` drops it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, UnitAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import build, erase_nodes, rewrite_session
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.dialects.snn.discretization import DISCRETIZATION
from nirc.targets.lava.layers import Analysis, Layer, check, conv_geometry, layer_params
from nirc.targets.lava_dl import dialect as lava_dl
from nirc.targets.lava_dl.dialect import DECAY_UNITY, THRESHOLD_MAX

#: slayer's 8-bit weight range, in steps of 2/S
WEIGHT_HI, WEIGHT_LO = 254, -256


def auto_scale(weights: list[np.ndarray], threshold: float) -> int:
    """The largest power of two ``S`` with every ``|w| S <= 254`` and ``threshold S``
    within the 17-bit mantissa (at least 1)."""
    wmax = max((float(np.max(np.abs(w), initial=0.0)) for w in weights), default=0.0)
    s = 1
    while s < (1 << 20):
        nxt = 2 * s
        if wmax * nxt > WEIGHT_HI or threshold * nxt > THRESHOLD_MAX:
            break
        s = nxt
    return s


def quantize_8bit(w: np.ndarray, scale: int) -> np.ndarray:
    """slayer's ``neuron.quantize_8bit``: a step of ``2/S``, clamped to ``[-256/S, 254/S]``."""
    step = 2.0 / scale
    return np.clip(np.round(np.asarray(w, np.float64) / step) * step, WEIGHT_LO / scale, WEIGHT_HI / scale)


def _bias_rules(layer: Layer) -> list[Violation]:
    out = []
    d = layer.neuron.discrete()
    bias = layer.weight.opt_param("bias") if isinstance(layer.weight, (nir.AffineOp, nir.Conv2dOp)) else None
    constant = bias is not None and bool(np.any(bias))
    if layer.neuron.RECURRENT and layer.neuron.opt_param("b_rec") is not None:
        constant = constant or bool(np.any(layer.neuron.param("b_rec")))
    if constant or np.any(np.asarray(d.bias)):
        out.append(
            Violation(
                "lava-dl-bias",
                layer.name,
                "slayer's CUBA blocks have no bias: the neuron's bias (v_leak), an Affine's bias and b_rec must be 0",
            )
        )
    return out


def check_lava_dl(graph: nir.GraphOp) -> Analysis:
    """Lava's layers and rules without the synapse's step, and slayer's own."""
    a = check(graph, delayed=False, conv=True)
    for layer in a.layers:
        a.violations.extend(_bias_rules(layer))
    if a.layers and a.chain is not None:
        a.violations.append(Violation("lava-dl-chain", None, f"lava-dl's network is a chain of blocks: {a.chain}"))
    return a


def block_params(layer: Layer, scale: int, quantize_weights: bool, delay_shift: bool) -> dict[str, Any]:
    """The ``lava_dl.dense`` parameters of one layer (see the module doc)."""
    p = layer_params(layer)
    weights = [p["weight"], *([p["weight_rec"]] if "weight_rec" in p else [])]
    vth = float(p["vth"][0])
    s = scale or auto_scale(weights, vth)
    out: dict[str, Any] = {}
    for key in ("weight", "weight_rec"):
        if key in p:
            w = quantize_8bit(p[key], s) if quantize_weights else p[key]
            out[key] = np.asarray(w, np.float32)
    for key, d in (("current_decay", p["du"][0]), ("voltage_decay", p["dv"][0])):
        out[key] = np.array([int(np.clip(np.round(DECAY_UNITY * d), 0, DECAY_UNITY))], np.int64)
    out["threshold"] = np.array([min(int(vth * s), THRESHOLD_MAX)], np.int64)
    out["scale"] = IntegerAttr(s, i64)
    if delay_shift:
        out["delay_shift"] = UnitAttr()
    if isinstance(layer.weight, nir.Conv2dOp):
        out.update(conv_geometry(layer.weight))
    return out


def convert(
    graph: nir.GraphOp, rewriter: PatternRewriter, scale: int, quantize_weights: bool, delay_shift: bool
) -> None:
    block = graph.body.block
    if any(isinstance(op, lava_dl.BlockOp) for op in block.ops):
        return
    a = check_lava_dl(graph)
    params = (
        {}
        if a.violations
        else {id(layer): block_params(layer, scale, quantize_weights, delay_shift) for layer in a.layers}
    )
    for layer in a.layers if not a.violations else ():
        p = params[id(layer)]
        if int(p["threshold"][0]) == 0:
            a.violations.append(
                Violation(
                    "lava-dl-scale",
                    layer.name,
                    f"the threshold rounds to 0 at scale {p['scale'].value.data} (slayer keeps int(threshold scale)): "
                    "choose a larger scale",
                )
            )
    if a.violations:
        raise Violations("lava-dl", a.violations)
    assert a.input is not None
    at: Any = a.input
    source = a.input.output
    new = []
    kept: list[Operation] = []
    for layer in a.layers:  # a chain, in order
        if layer.flatten is not None:  # the Flatten between two blocks (slayer's Flatten block)
            old = layer.flatten
            flat = old.clone(value_mapper={old.operands[0]: source})
            rewriter.insert(flat, InsertPoint.after(at))
            at, source = flat, flat.results[0]
            kept.append(flat)
        kind = lava_dl.ConvOp if layer.conv else lava_dl.DenseOp
        op = build(kind, layer.name, [source], params[id(layer)], shape_of(layer.neuron.results[0]))
        rewriter.insert(op, InsertPoint.after(at))
        at, source = op, op.results[0]
        new.append(op)
    rewriter.replace_uses_with_if(
        a.layers[-1].neuron.results[0], source, lambda use: isinstance(use.operation, nir.OutputOp)
    )
    keep = {a.input, *a.outputs, *new, *kept}
    erase_nodes(rewriter, [op for op in block.ops if op not in keep], keep_names={op.nir_name for op in [*new, *kept]})
    graph.attributes.pop(DISCRETIZATION, None)


@dataclass(frozen=True)
class ConvertSnnToLavaDlPass(ModulePass):
    """Map a discrete-time graph (``convert-nir-to-snn{semantics=lava-dl}``, inlined, its
    recurrences fused) onto slayer CUBA blocks (``lava_dl.dense``); ``scale`` 0 picks
    each block's largest power of two; every rule is checked first."""

    name: ClassVar[str] = "convert-snn-to-lava-dl"

    scale: int = 0
    quantize_weights: bool = True
    delay_shift: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.scale, int) or self.scale < 0 or (self.scale & (self.scale - 1)):
            raise ValueError(f"scale must be 0 (per block) or a power of two, got {self.scale!r}")

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        with rewrite_session():
            convert(graph, PatternRewriter(graph), self.scale, self.quantize_weights, self.delay_shift)
