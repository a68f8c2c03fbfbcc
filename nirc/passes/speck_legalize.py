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
  AvgPool2d the same with its ``1/k²`` folded into the layer's weights;
* the Affine/Conv bias is the core's bias (Linear: zeros);
* IF's ``r`` multiplies the weights and bias of its channel, and where ``v_threshold``
  differs between channels each channel is divided by its own, leaving the threshold 1
  (a core has one): ``v/θ`` of the IF is then the core's membrane, which spikes and
  resets alike.

Exact with ``r = 1`` and one threshold (multiplying by 1 changes no float).  Otherwise
the products reassociate, and membranes agree to rounding.  The reset is the option
``reset`` (``subtract``, the ``speck`` profile's, or ``zero``, which needs ``v_reset = 0``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from nirc.dialects import nir, speck
from nirc.errors import Violation, Violations
from nirc.io.to_dict import top_graph
from nirc.ir.rewrite import Names, build, pauses_gc
from nirc.targets.speck.rules import Layer, check

RESETS = ("subtract", "zero")


def _weights(layer: Layer) -> tuple[np.ndarray, np.ndarray]:
    """The layer's kernel (C_out, C_in, ky, kx) and bias, in float64."""
    w = layer.weight
    weight = np.asarray(w.param("weight"), dtype=np.float64)
    if isinstance(w, nir.Conv2dOp):
        kernel = weight
    else:
        kernel = weight.reshape(weight.shape[0], *layer.in_shape[:1], *layer.kernel)
    bias = np.asarray(w.param("bias"), np.float64) if isinstance(w, (nir.Conv2dOp, nir.AffineOp)) else np.zeros(kernel.shape[0])
    if isinstance(layer.pool, nir.AvgPool2dOp):
        kernel = kernel * (1.0 / (layer.pool_size[0] * layer.pool_size[1]))
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
    ops = list(graph.body.block.ops)
    if any(isinstance(op, speck.LayerOp) for op in ops) and all(isinstance(op, (speck.LayerOp, nir.InputOp, nir.OutputOp, nir.FlattenOp)) for op in ops):
        return  # legalized already
    analysis = check(graph)
    violations = list(analysis.violations)
    if reset == "zero":
        for layer in analysis.layers:
            if np.any(layer.neuron.param("v_reset") != 0):
                violations.append(Violation("speck-neuron", layer.name, "reset=zero sets the membrane to 0: v_reset must be 0", limit=0, actual=float(np.max(np.abs(layer.neuron.param("v_reset"))))))
    if violations:
        raise Violations("speck", violations)
    block = graph.body.block
    names = Names(graph)
    new_value: dict[SSAValue, SSAValue] = {}
    for layer in analysis.layers:  # in block order: a source's layer comes first
        kernel, bias = _weights(layer)
        factor, theta = _neuron_factors(layer)
        if not (factor == 1.0).all():
            kernel = kernel * factor[:, None, None, None]
            bias = bias * factor
        dtype = layer.weight.param("weight").dtype  # stored as the model had it
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
        new_value[layer.neuron.results[0]] = op.results[0]
    for layer in analysis.layers:
        old, new = layer.neuron.results[0], new_value[layer.neuron.results[0]]
        for use in list(old.uses):
            user = use.operation
            if isinstance(user, nir.OutputOp) and nir.shape_of(old) != nir.shape_of(new):
                flat = build(
                    nir.FlattenOp, names.fresh(f"{layer.name}.flatten"), [new],
                    {"start_dim": np.array(0), "end_dim": np.array(-1), "input_type": np.array(nir.shape_of(new), np.int64)},
                    nir.shape_of(old),
                )
                block.insert_op_before(flat, user)
                user.operands = [flat.results[0] if v is old else v for v in user.operands]
            elif isinstance(user, (nir.OutputOp, speck.LayerOp)):
                user.operands = [new if v is old else v for v in user.operands]
    for layer in analysis.layers:
        for node in layer.nodes:
            node.operands = []
    for layer in analysis.layers:
        for node in reversed(layer.nodes):
            block.erase_op(node, safe_erase=False)


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
