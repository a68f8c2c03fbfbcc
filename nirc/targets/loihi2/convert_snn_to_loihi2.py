"""``convert-snn-to-loihi2``: a discrete-time graph as Lava's Dense/Conv + CUBA-LIF layers.

Precondition: ``convert-nir-to-snn{semantics=lava}`` ran, its nested graphs inlined and
its recurrences fused (``nir-to-loihi2`` runs all of these), so every neuron reads one
Linear/Affine (Lava's Dense) or Conv2d (Lava's Conv) through the profile's one-step
delay.  Every design rule (:mod:`nirc.targets.lava.layers`,
:mod:`nirc.targets.loihi2.rules`) runs first and the pass fails with all the violations
at once (``[lava-*]``, ``[loihi2-*]``, one line each), or replaces each layer (the
delay, the synapse and the neuron) by one ``loihi2.dense`` or ``loihi2.conv`` of the
neuron's name (a Flatten in front of a Dense stays), with float parameters (Lava's
floating-point LIF):

* Lava's current is the model's synaptic current times the membrane gain, ``u = gain i``:
  ``du = 1 - syn_decay`` and the weights ``gain syn_gain W`` per neuron (a neuron
  without a synaptic current has ``du = 1``: the current is this step's input); the
  membrane decay is ``dv = 1 - decay``;
* one threshold per layer: a neuron whose threshold ``th`` differs from the layer's
  largest, ``vth``, has its weights, recurrent weights and bias multiplied by
  ``vth / th`` (its membrane scales with them; with reset to 0 it spikes as before);
* the bias is the neuron's (``bias_mant``); an Affine's bias or ``b_rec`` is a constant
  input: a neuron without synaptic current adds ``gain b`` each step (exact but from
  step 0, where the model's arrives a step later), a current-based one its steady
  state, ``gain syn_gain b / (1 - syn_decay)`` (the target's report names these).

The float ``loihi2`` module computes what the float `snn` module does; ``loihi2-quantize``
makes it Lava's fixed point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.errors import Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import build, erase_nodes, rewrite_session
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.dialects.snn.discretization import DISCRETIZATION
from nirc.targets.lava.layers import Analysis, Layer, conv_geometry
from nirc.targets.lava.layers import layer_params as lava_layer_params
from nirc.targets.loihi2 import dialect as loihi2
from nirc.targets.loihi2.resources import LOIHI2
from nirc.targets.loihi2.rules import check


def layer_params(layer: Layer) -> dict[str, Any]:
    """The float ``loihi2.dense`` / ``loihi2.conv`` parameters of one layer: Lava's (see
    the module doc), no weight or bias exponent yet."""
    params: dict[str, Any] = lava_layer_params(layer)
    params["bias_exp"] = IntegerAttr(0, i64)
    if isinstance(layer.weight, nir.Conv2dOp):
        params.update(conv_geometry(layer.weight))
    else:
        params["weight_exp"] = IntegerAttr(0, i64)
        params["num_weight_bits"] = IntegerAttr(8, i64)
    return params


def _ordered(layers: list[Layer]) -> list[Layer]:
    """Layers after those they read."""
    done: list[Layer] = []
    seen: set[int] = set()

    def visit(layer: Layer) -> None:
        if id(layer) in seen:
            return
        seen.add(id(layer))
        if layer.reads is not None:
            visit(layer.reads)
        done.append(layer)

    for layer in layers:
        visit(layer)
    return done


def convert(graph: nir.GraphOp, rewriter: PatternRewriter) -> Analysis | None:
    """Replace the layers of ``graph`` by ``loihi2.dense`` / ``loihi2.conv`` ops (and the
    Flattens between them); None where it holds them already."""
    block = graph.body.block
    if any(isinstance(op, loihi2.LayerOp) for op in block.ops):
        return None
    a = check(graph, LOIHI2)
    if a.violations:
        raise Violations("loihi2", a.violations)
    assert a.input is not None
    new: dict[int, loihi2.LayerOp] = {}
    flats: dict[int, nir.FlattenOp] = {}
    at: Operation = a.input
    for layer in _ordered(a.layers):
        source = a.input.output if layer.reads is None else new[id(layer.reads)].results[0]
        if layer.flatten is not None:  # the Flatten between a conv layer (or the input) and a Dense
            old = layer.flatten
            if id(old) not in flats:
                flat = old.clone(value_mapper={old.operands[0]: source})
                rewriter.insert(flat, InsertPoint.after(at))
                at = flats[id(old)] = flat
            source = flats[id(old)].results[0]
        kind = loihi2.ConvOp if layer.conv else loihi2.DenseOp
        op = build(kind, layer.name, [source], layer_params(layer), shape_of(layer.neuron.results[0]))
        assert isinstance(op, loihi2.LayerOp)
        carry_metadata = layer.neuron.properties.get("metadata")
        if carry_metadata is not None:
            op.properties["metadata"] = carry_metadata
        rewriter.insert(op, InsertPoint.after(at))
        at = op
        new[id(layer)] = op
    for layer in a.layers:
        old = layer.neuron.results[0]
        rewriter.replace_uses_with_if(
            old, new[id(layer)].results[0], lambda use: isinstance(use.operation, nir.OutputOp)
        )
    keep = {a.input, *a.outputs, *new.values(), *flats.values()}
    dead = [op for op in block.ops if op not in keep]
    erase_nodes(rewriter, dead, keep_names={op.nir_name for op in [*new.values(), *flats.values()]})
    graph.attributes.pop(DISCRETIZATION, None)
    return a


@dataclass(frozen=True)
class ConvertSnnToLoihi2Pass(ModulePass):
    """Map a discrete-time graph (``convert-nir-to-snn{semantics=lava}``, inlined and
    with its recurrences fused) onto ``loihi2.dense`` layers with float parameters;
    every design rule is checked first and all violations are reported at once."""

    name: ClassVar[str] = "convert-snn-to-loihi2"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        with rewrite_session():
            convert(graph, PatternRewriter(graph))
