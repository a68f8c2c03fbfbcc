"""``inline-graphs``: flatten nested graphs into the graph around them.

A nested ``nir.graph`` named ``g`` is replaced by its nodes, each renamed ``g.<name>``
(``g.<name>.1``, ... where that is taken; the Braille files name their flattened
recurrence ``lif1.lif`` and ``lif1.w_rec`` this way). The edges into ``g`` go to the nodes
its Inputs fed, in operand order; the nodes that read a result of ``g`` read what fed the
matching Output instead. Innermost graphs go first, so any depth flattens; the graph's
metadata is dropped. A node that loses all its incoming edges this way (an Input of ``g``
nothing fed) reads zeros, as it did.

Why: targets whose code is flat (the torch targets, a chip's cores) take models whose
exporters nest graphs — snnTorch writes every RLeaky/RSynaptic as a nested graph.

Exact where every cycle holds an explicit one-step ``snn.delay`` (after
``convert-nir-to-snn``, which the torch targets run first): each node then computes the same
function of the same signals at every step. At the `nir` level, a cycle crossing the
nested graph's boundary is scheduled by the flat graph's depth-first order, which could
pick another edge than the nested schedule did to carry the previous step's value (the
random graphs of ``tests/test_passes_equivalence.py``, nested graphs inside cycles among
them, have found no such case). Fan-in is summed in a new order where an Output of ``g``
had several incoming edges and its reader others (to rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from nirc.dialects import nir
from nirc.errors import NircError
from nirc.ir.rewrite import Names, graphs, pauses_gc, ssa_hint


def _splice(user: Operation, index: int, values: list[SSAValue]) -> None:
    """Replace operand ``index`` of ``user`` by ``values`` (none: the edge goes)."""
    operands = list(user.operands)
    user.operands = [*operands[:index], *values, *operands[index + 1 :]]
    user.properties.pop("edge_ids", None)  # the file positions of the edges no longer apply


def _rewire(value: SSAValue, values: list[SSAValue], graph: nir.GraphOp) -> None:
    """Every use of ``value`` reads ``values`` (summed, as fan-in) instead."""
    if value in values:
        raise NircError(
            "a cycle of bare edges runs through the nested graph (an Output reading its own Input's feed): no node to keep",
            rule="inline-graphs",
            node=graph.nir_name,
        )
    while True:
        use = next(iter(value.uses), None)
        if use is None:
            return
        _splice(use.operation, use.index, values)


def inline(graph_op: nir.GraphOp) -> None:
    """Replace the nested ``graph_op`` by its nodes (see the module doc)."""
    outer = graph_op.parent_op()
    block = graph_op.parent_block()
    assert isinstance(outer, nir.GraphOp) and block is not None and graph_op.nir_name is not None
    prefix = graph_op.nir_name
    names = Names(outer)
    names.release(prefix)
    feeds: dict[nir.InputOp, list[SSAValue]] = {op: [] for op in graph_op.input_nodes()}
    for i, value in enumerate(graph_op.operands):
        feeds[graph_op.port_of_operand(i)].append(value)
    for inp, values in feeds.items():
        _rewire(inp.output, values, graph_op)
    for out, result in zip(graph_op.output_nodes(), graph_op.results, strict=True):
        _rewire(result, list(out.operands), graph_op)
    for op in list(graph_op.body.block.ops):
        if isinstance(op, (nir.InputOp, nir.OutputOp)):
            op.operands = []
            continue
        op.detach()
        name = names.fresh(f"{prefix}.{op.properties['name'].data}")  # type: ignore[union-attr]
        op.properties["name"] = StringAttr(name)
        for result in op.results:
            result.name_hint = ssa_hint(name)
        block.insert_op_before(op, graph_op)
    graph_op.operands = []
    block.erase_op(graph_op, safe_erase=False)


@dataclass(frozen=True)
class InlineGraphsPass(ModulePass):
    """Flatten every nested graph into the graph around it, nodes renamed ``<graph>.<node>``."""

    name: ClassVar[str] = "inline-graphs"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for graph in reversed(list(graphs(op))):
            if isinstance(graph.parent_op(), nir.GraphOp):
                inline(graph)
