"""``nir-fuse-recurrent``: wrap each LIF/CubaLIF ⊳ Linear/Affine ⊳ same-neuron recurrence in
a nested graph, the form snnTorch writes for RLeaky/RSynaptic (nodes ``input``, ``lif``,
``w_rec``, ``output``) and reads back as one recurrent layer.

For targets that want the fused form before discretization; the result is still plain
NIR and can be written as ``.nir``.  A neuron fed by nothing but its recurrence is left
alone: a nested graph needs an Input to be valid NIR.  So is an Affine recurrence whose
neuron no Input reaches: block order may close that cycle before the neuron, and the
bias would then arrive at the first step, where the fused form adds nothing.  Which recurrences fuse is in
:mod:`nirc.passes.recurrence`.  The nested graph is named after the two nodes' common
prefix (Braille's ``lif1.lif`` and ``lif1.w_rec`` make ``lif1``), or ``NEURON.rec``.

Exact: the nested graph sums the other incoming edges at its input and adds the
recurrent term last, as the fan-in did; the recurrent edge still closes the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

from nirc.core.gcpause import pauses_gc
from nirc.core.graph import reached_from_inputs
from nirc.core.node import NodeOp, shape_of, ssa_hint
from nirc.core.rewriting import Names, build
from nirc.dialects import nir
from nirc.dialects.nir import graphs
from nirc.passes.recurrence import Recurrence, find


def _graph_name(rec: Recurrence, names: Names) -> str:
    a, b = rec.neuron.nir_name, rec.weight.nir_name  # type: ignore[attr-defined]
    prefix_a, _, _ = a.rpartition(".")
    prefix_b, _, _ = b.rpartition(".")
    if prefix_a and prefix_a == prefix_b and prefix_a not in names.taken:
        names.taken.add(prefix_a)
        return prefix_a
    return names.fresh(f"{a}.rec")


def _inner(op: NodeOp, name: str) -> NodeOp:
    copy = op.clone()
    copy.properties["name"] = StringAttr(name)
    copy.properties.pop("edge_ids", None)
    copy.results[0].name_hint = name
    return copy


def fuse(rec: Recurrence, names: Names) -> nir.GraphOp:
    neuron, weight = rec.neuron, rec.weight
    assert isinstance(neuron, NodeOp)
    block = neuron.parent_block()
    assert block is not None
    shape = shape_of(neuron.results[0])
    external = rec.external()
    # every outer edge feeds the one Input, which sums them in order
    nodes: list[NodeOp] = [build(nir.InputOp, "input", [], {"shape": np.asarray(shape, dtype=np.int64)}, shape)]
    lif, w_rec = _inner(neuron, "lif"), _inner(weight, "w_rec")
    w_rec.operands = [lif.results[0]]
    lif.operands = [*(n.results[0] for n in nodes), w_rec.results[0]]
    output = build(nir.OutputOp, "output", [lif.results[0]], {"shape": np.asarray(shape, dtype=np.int64)}, None)
    graph = nir.GraphOp([*nodes, lif, w_rec, output], name=_graph_name(rec, names), inputs=external)
    graph.results[0].name_hint = ssa_hint(graph.nir_name or "rec")
    ids = rec.external_edge_ids()
    if ids is not None:
        graph.properties["edge_ids"] = ids
    block.insert_op_before(graph, neuron)
    neuron.results[0].replace_all_uses_with(graph.results[0])
    for op in (neuron, weight):
        op.operands = []  # cut the cycle before erasing
    for op in (neuron, weight):
        block.erase_op(op, safe_erase=False)
    names.release(neuron.nir_name)
    names.release(weight.nir_name)
    return graph


@dataclass(frozen=True)
class NirFuseRecurrentPass(ModulePass):
    """Wrap LIF/CubaLIF ⊳ Linear/Affine ⊳ same-neuron recurrences in snnTorch-style subgraphs."""

    name: ClassVar[str] = "nir-fuse-recurrent"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for graph in list(graphs(op)):
            names = Names(graph)
            reached = reached_from_inputs(graph)
            for rec in find(list(graph.body.block.ops), "nir"):
                if not rec.external():  # a subgraph without an Input is not valid NIR
                    continue
                if isinstance(rec.weight, nir.AffineOp) and rec.neuron not in reached:
                    continue  # the cycle may close before the neuron: w_rec's bias at t=0
                fuse(rec, names)

