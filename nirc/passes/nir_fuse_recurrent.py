"""``nir-fuse-recurrent``: wrap each LIF/CubaLIF ⊳ Linear/Affine ⊳ same-neuron recurrence in
a nested graph, the form snnTorch writes for RLeaky/RSynaptic (nodes ``input``, ``lif``,
``w_rec``, ``output``) and reads back as one recurrent layer.

For targets that want the fused form before discretization; the result is still plain
NIR and can be written as ``.nir``.  A recurrence that is already all its nested graph
holds (the fused form) is left as it is, so the pass is idempotent.  A neuron fed by nothing but its recurrence is left
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
from xdsl.ir import Block, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nirc.core.gcpause import pauses_gc
from nirc.core.graph import reached_from_inputs
from nirc.core.node import NodeOp, shape_of, ssa_hint
from nirc.core.rewriting import Names, apply_patterns, build, fuse_nodes, names_of
from nirc.dialects import nir
from nirc.passes.recurrence import Recurrence, recurrence_at


def _graph_name(rec: Recurrence, names: Names) -> str:
    a, b = rec.neuron.nir_name, rec.weight.nir_name  # type: ignore[attr-defined]
    prefix_a, _, _ = a.rpartition(".")
    prefix_b, _, _ = b.rpartition(".")
    if prefix_a and prefix_a == prefix_b and prefix_a not in names.taken:
        names.taken.add(prefix_a)
        return prefix_a
    return names.fresh(f"{a}.rec")


def _already_fused(rec: Recurrence) -> bool:
    """The recurrence is all its nested graph holds besides Inputs and Outputs: the
    fused form already (as snnTorch writes it, or as this pass made it)."""
    graph = rec.neuron.parent_op()
    if not isinstance(graph, nir.GraphOp) or graph.nir_name is None:
        return False
    inner = [op for op in graph.body.block.ops if not isinstance(op, (nir.InputOp, nir.OutputOp))]
    return len(inner) == 2


def _inner(op: NodeOp, name: str) -> NodeOp:
    copy = op.clone()
    copy.properties["name"] = StringAttr(name)
    copy.properties.pop("edge_ids", None)
    copy.results[0].name_hint = name
    return copy


class WrapRecurrence(RewritePattern):
    """A LIF/CubaLIF ⊳ Linear/Affine ⊳ same-neuron recurrence into a nested graph."""

    name = "nir-fuse-recurrent"
    root_types = (nir.LIFOp, nir.CubaLIFOp)

    def __init__(self) -> None:
        #: per graph block, the nodes its Inputs reach (before this pass changed it)
        self.reached: dict[Block, set[Operation]] = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        rec = recurrence_at(op, "nir")
        if rec is None or not rec.external() or _already_fused(rec):
            return  # (a nested graph without an Input is not valid NIR)
        block = op.parent_block()
        assert block is not None
        if block not in self.reached:
            self.reached[block] = reached_from_inputs(block)
        if isinstance(rec.weight, nir.AffineOp) and rec.neuron not in self.reached[block]:
            return  # the cycle may close before the neuron: w_rec's bias at t=0
        neuron, weight = rec.neuron, rec.weight
        assert isinstance(neuron, NodeOp)
        shape = shape_of(neuron.results[0])
        # every outer edge feeds the one Input, which sums them in order
        nodes: list[NodeOp] = [build(nir.InputOp, "input", [], {"shape": np.asarray(shape, dtype=np.int64)}, shape)]
        lif, w_rec = _inner(neuron, "lif"), _inner(weight, "w_rec")
        w_rec.operands = [lif.results[0]]
        lif.operands = [*(n.results[0] for n in nodes), w_rec.results[0]]
        output = build(nir.OutputOp, "output", [lif.results[0]], {"shape": np.asarray(shape, dtype=np.int64)}, None)
        graph = nir.GraphOp([*nodes, lif, w_rec, output], name=_graph_name(rec, names_of(block)), inputs=rec.external())
        graph.results[0].name_hint = ssa_hint(graph.nir_name or "rec")
        ids = rec.external_edge_ids()
        if ids is not None:
            graph.properties["edge_ids"] = ids
        fuse_nodes(rewriter, [neuron, weight], graph, result_of=neuron, before=neuron)


@dataclass(frozen=True)
class NirFuseRecurrentPass(ModulePass):
    """Wrap LIF/CubaLIF ⊳ Linear/Affine ⊳ same-neuron recurrences in snnTorch-style subgraphs."""

    name: ClassVar[str] = "nir-fuse-recurrent"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        apply_patterns(op, [WrapRecurrence()], confirm=False)  # a recurrence wraps once
