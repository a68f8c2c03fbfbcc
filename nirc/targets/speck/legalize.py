"""``speck-legalize``: cut a `nir` graph into Speck cores, one ``speck.layer`` each.

Each layer (:mod:`nirc.targets.speck.rules`) is pooling ⊳ (Flatten) ⊳ Conv2d or
Linear/Affine ⊳ IF.  Every design rule runs first, and the pass fails with all the
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
* the Affine/Conv bias is the core's bias (Linear: zeros);
* IF's ``r`` multiplies the weights and bias of its channel, and where ``v_threshold``
  differs between channels each channel is divided by its own, leaving the threshold 1
  (a core has one): ``v/θ`` of the IF is then the core's membrane, which spikes and
  resets alike.

Bit-exact for a Conv2d layer with ``r = 1`` and one threshold (multiplying by 1 changes
no float).  A Linear becomes a convolution, which sums its products in another order
than the matrix product, and a folded ``r``, ``θ`` or ``1/k²`` rounds once more: there
the membranes agree to rounding.  The parameters stay in the model's float type (an
integer-typed model's become float32 or wider).  The reset is the option ``reset``
(``subtract``, the ``speck`` profile's, or ``zero``, which needs ``v_reset = 0``).
``speck.layer`` s already in the graph (a legalized model) are checked and kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import Names, build
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.dialect import RESETS
from nirc.targets.speck.rules import Layer, check


def _weights(layer: Layer) -> tuple[np.ndarray, np.ndarray]:
    """The layer's kernel (C_out, C_in, ky, kx) and bias, in float64."""
    w = layer.weight
    weight = np.asarray(w.param("weight"), dtype=np.float64)
    if isinstance(w, nir.Conv2dOp):
        kernel = weight
    else:
        kernel = weight.reshape(weight.shape[0], *layer.in_shape[:1], *layer.kernel)
    bias = np.asarray(w.param("bias"), np.float64) if isinstance(w, (nir.Conv2dOp, nir.AffineOp)) else np.zeros(kernel.shape[0])
    for pool in layer.pools:
        if isinstance(pool, nir.AvgPool2dOp):
            k = np.asarray(pool.param("kernel_size")).reshape(-1)
            kernel = kernel * (1.0 / float(k[0] * k[-1]))
    return kernel, bias


def _neuron_factors(layer: Layer) -> tuple[np.ndarray, float]:
    """Per-channel factor for weights and bias, and the layer's threshold."""
    n = layer.neuron
    r = np.asarray(n.param("r"), np.float64).reshape(layer.c_out, -1)[:, 0]
    th = np.asarray(n.param("v_threshold"), np.float64).reshape(layer.c_out, -1)[:, 0]
    if (th == th[0]).all():
        return r, float(th[0])
    return r / th, 1.0


def legalize(graph: nir.GraphOp, reset: str) -> None:
    analysis = check(graph)
    violations = list(analysis.violations)
    layers = [layer for layer in analysis.layers if not isinstance(layer.neuron, speck.LayerOp)]
    if reset == "zero":
        for layer in layers:
            v_reset = np.asarray(layer.neuron.param("v_reset"), np.float64)  # type: ignore[attr-defined]
            if np.any(v_reset != 0):
                violations.append(Violation("speck-neuron", layer.name, "reset=zero sets the membrane to 0: v_reset must be 0", limit=0, actual=float(np.max(np.abs(v_reset)))))
    if violations:
        raise Violations("speck", violations)
    block = graph.body.block
    names = Names(graph)
    new_value: dict[SSAValue, SSAValue] = {}
    for layer in layers:  # in topological order: a source's layer comes first
        kernel, bias = _weights(layer)
        factor, theta = _neuron_factors(layer)
        if not (factor == 1.0).all():
            kernel = kernel * factor[:, None, None, None]
            bias = bias * factor
        # stored as the model had it, in a float type
        dtype = np.result_type(layer.weight.param("weight").dtype, np.float32)  # type: ignore[attr-defined]
        kernel, bias = kernel.astype(dtype), bias.astype(dtype)
        source = new_value.get(layer.source, layer.source)
        op = build(
            speck.LayerOp, layer.name, [source],
            {
                "weight": kernel, "bias": bias,
                "threshold": np.array(theta),
                "stride": np.array(layer.stride, np.int64), "padding": np.array(layer.padding, np.int64),
                "pool": np.array(layer.pool_size, np.int64), "reset": StringAttr(reset),
            },
            layer.out_shape,
        )
        block.insert_op_before(op, layer.neuron)
        new_value[layer.result] = op.results[0]
    dead = list(dict.fromkeys(node for layer in layers for node in layer.nodes))
    for layer in layers:
        _reroute(block, names, layer.result, new_value[layer.result], set(dead))
    for node in dead:
        node.operands = []
    for node in dead:
        block.erase_op(node, safe_erase=False)


def _reroute(block: Block, names: Names, old: SSAValue, new: SSAValue, dead: set[Operation]) -> None:
    """Point the readers of a layer's neurons at its ``speck.layer``; where its shape
    differs (1-D neurons, an ``(n, 1, 1)`` core), through one ``nir.flatten`` back.
    Readers about to be erased (the parts of other layers) are left alone."""
    old_shape, new_shape = shape_of(old), shape_of(new)
    flat = None
    for use in list(old.uses):
        user = use.operation
        if user in dead:
            continue
        if isinstance(user, speck.LayerOp) or old_shape == new_shape:
            value = new
        else:
            if flat is None:
                flat = build(
                    nir.FlattenOp, names.fresh(f"{new.owner.nir_name}.flatten"), [new],  # type: ignore[union-attr]
                    {"start_dim": np.array(0), "end_dim": np.array(-1), "input_type": np.array(new_shape, np.int64)},
                    old_shape,
                )
                block.insert_op_after(flat, new.owner)
            value = flat.results[0]
        user.operands = [value if v is old else v for v in user.operands]


@dataclass(frozen=True)
class SpeckLegalizePass(ModulePass):
    """Cut a `nir` graph into ``speck.layer`` cores (float parameters); every design
    rule is checked first and all violations are reported at once."""

    name: ClassVar[str] = "speck-legalize"

    reset: str = "subtract"

    def __post_init__(self) -> None:
        if self.reset not in RESETS:
            raise ValueError(f"reset must be one of {', '.join(RESETS)}, got {self.reset!r}")

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        legalize(top_graph(op), self.reset)
