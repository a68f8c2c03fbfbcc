"""``convert-snn-to-speck``: cut a discrete-time graph into Speck cores, one ``speck.layer`` each.

Precondition: ``convert-nir-to-snn{semantics=speck}`` ran (``nir-to-speck`` runs both):
Speck's neurons are ``snn.leaky`` ops without leak, with the choices of the ``speck``
profile (several spikes per step at ``v >= threshold``, the reset by subtraction or to
0).  Each layer (:mod:`nirc.targets.speck.rules`) is pooling ⊳ (Flatten) ⊳ Conv2d or
Linear/Affine ⊳ neurons.  Every design rule runs first, and the pass fails with all the
violations at once (``[speck-*]``, one line each) or rewrites:

* a Conv2d keeps its kernel, stride and padding (``'valid'``/``'same'`` become numbers);
* a Linear/Affine after a Flatten of a ``C × H × W`` map becomes an ``H × W`` kernel
  over it (weight ``(out, C·H·W)`` reshaped to ``(out, C, H, W)``, Flatten's C order), and
  one after 1-D neurons a 1×1 kernel: a core always reads a feature map, so a 1-D
  layer's output is ``(n, 1, 1)`` and a ``nir.flatten`` restores the model's 1-D
  output where an Output reads it;
* SumPool2d becomes the layer's ``pool`` (the source's destination pooling on the chip),
  AvgPool2d the same with its ``1/k²`` folded into the layer's weights; a chain of
  poolings is one of their product, and a pooling (or Flatten) read by several layers
  is each one's own;
* the Affine/Conv bias is the core's bias (Linear: zeros), with the neurons' own bias
  added;
* the neurons' input gain (``R``) multiplies the weights and bias of its channel, and
  where the threshold differs between channels each channel is divided by its own,
  leaving the threshold 1 (a core has one): ``v/θ`` is then the core's membrane, which
  spikes and resets alike;
* the reset is the neurons': ``subtract``, or ``zero`` for ``reset = value`` (with
  ``v_reset = 0``).

Bit-exact for a Conv2d layer with ``R = 1`` and one threshold (multiplying by 1 changes
no float).  A Linear becomes a convolution, which sums its products in another order
than the matrix product, and a folded ``R``, ``θ`` or ``1/k²`` rounds once more: there
the membranes agree to rounding.  The parameters stay in the model's float type (an
integer-typed model's become float32 or wider).  ``speck.layer`` s already in the graph
(a converted model) are checked and kept.  Once no `snn` op is left, the graph's
``snn.discretization`` record goes too: the cores define their own step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue, Use
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.errors import Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import build, carry, erase_nodes, fresh_name, rewrite_session
from nirc.dialects import nir, snn
from nirc.dialects.nir import top_graph
from nirc.dialects.snn.discretization import DISCRETIZATION
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.rules import Layer, check


def _weights(layer: Layer) -> tuple[np.ndarray, np.ndarray]:
    """The layer's kernel (C_out, C_in, ky, kx) and bias, in float64."""
    w = layer.weight
    weight = np.asarray(w.param("weight"), dtype=np.float64)  # type: ignore[attr-defined]
    if isinstance(w, nir.Conv2dOp):
        kernel = weight
    else:
        kernel = weight.reshape(weight.shape[0], *layer.in_shape[:1], *layer.kernel)
    bias = (
        np.asarray(w.param("bias"), np.float64)
        if isinstance(w, (nir.Conv2dOp, nir.AffineOp))
        else np.zeros(kernel.shape[0])
    )  # type: ignore[attr-defined]
    for pool in layer.pools:
        if isinstance(pool, nir.AvgPool2dOp):
            k = np.asarray(pool.param("kernel_size")).reshape(-1)
            kernel = kernel * (1.0 / float(k[0] * k[-1]))
    return kernel, bias


def _per_channel(layer: Layer, key: str) -> np.ndarray:
    return np.asarray(layer.neuron.param(key), np.float64).reshape(layer.c_out, -1)[:, 0]  # type: ignore[attr-defined]


def _neuron_factors(layer: Layer) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-channel factor for weights and bias, the neurons' own bias (in the core's
    membrane units), and the layer's threshold."""
    gain, th, bias = (_per_channel(layer, k) for k in ("gain", "threshold", "bias"))
    if (th == th[0]).all():
        return gain, bias, float(th[0])
    return gain / th, bias / th, 1.0


def convert(graph: nir.GraphOp, rewriter: PatternRewriter) -> None:
    analysis = check(graph)
    if analysis.violations:
        raise Violations("speck", analysis.violations)
    layers = [layer for layer in analysis.layers if not isinstance(layer.neuron, speck.LayerOp)]
    block = graph.body.block
    new_value: dict[SSAValue, SSAValue] = {}
    for layer in layers:  # in topological order: a source's layer comes first
        kernel, bias = _weights(layer)
        factor, own_bias, theta = _neuron_factors(layer)
        if not (factor == 1.0).all():
            kernel = kernel * factor[:, None, None, None]
            bias = bias * factor
        if (own_bias != 0).any():
            bias = bias + own_bias
        # stored as the model had it, in a float type
        dtype = np.result_type(layer.weight.param("weight").dtype, np.float32)  # type: ignore[attr-defined]
        kernel, bias = kernel.astype(dtype), bias.astype(dtype)
        source = new_value.get(layer.source, layer.source)
        reset = "zero" if layer.neuron.choice("reset") == "value" else "subtract"  # type: ignore[attr-defined]
        op = build(
            speck.LayerOp,
            layer.name,
            [source],
            {
                "weight": kernel,
                "bias": bias,
                "threshold": np.array(theta),
                "stride": np.array(layer.stride, np.int64),
                "padding": np.array(layer.padding, np.int64),
                "pool": np.array(layer.pool_size, np.int64),
                "reset": StringAttr(reset),
            },
            layer.out_shape,
        )
        carry(layer.neuron, op, ("metadata",))
        rewriter.insert(op, InsertPoint.before(layer.neuron))
        new_value[layer.result] = op.results[0]
    dead = list(dict.fromkeys(node for layer in layers for node in layer.nodes))
    doomed = set(dead)
    for layer in layers:
        _reroute(rewriter, layer.result, new_value[layer.result], doomed)
    if dead:
        erase_nodes(rewriter, dead, keep_names={layer.name for layer in layers})
    if not any(isinstance(op, snn.SNN_OPS) for op in block.walk()):
        graph.attributes.pop(DISCRETIZATION, None)


def _reroute(rewriter: PatternRewriter, old: SSAValue, new: SSAValue, dead: set[Operation]) -> None:
    """Point the readers of a layer's neurons at its ``speck.layer``; where its shape
    differs (1-D neurons, an ``(n, 1, 1)`` core), through one ``nir.flatten`` back.
    Readers about to be erased (the parts of other layers) are left alone."""

    def flattened(use: Use) -> bool:  # a reader of the model's shape
        return use.operation not in dead and not isinstance(use.operation, speck.LayerOp)

    old_shape, new_shape = shape_of(old), shape_of(new)
    if old_shape != new_shape and any(flattened(use) for use in old.uses):
        owner = new.owner
        flat = build(
            nir.FlattenOp,
            fresh_name(owner.parent, f"{owner.nir_name}.flatten"),  # type: ignore[union-attr,arg-type]
            [new],
            {"start_dim": np.array(0), "end_dim": np.array(-1), "input_type": np.array(new_shape, np.int64)},
            old_shape,
        )
        rewriter.insert(flat, InsertPoint.after(owner))  # type: ignore[arg-type]
        rewriter.replace_uses_with_if(old, flat.results[0], flattened)
    rewriter.replace_uses_with_if(old, new, lambda use: use.operation not in dead)


@dataclass(frozen=True)
class ConvertSnnToSpeckPass(ModulePass):
    """Cut a discrete-time graph (``convert-nir-to-snn{semantics=speck}``) into
    ``speck.layer`` cores (float parameters); every design rule is checked first and
    all violations are reported at once."""

    name: ClassVar[str] = "convert-snn-to-speck"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        with rewrite_session():
            convert(graph, PatternRewriter(graph))
