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

Exact. Where a cycle runs through the nested graph's boundary, or a cycle inside it is
entered at several nodes, which edge carries the previous step's value depends on the schedule, and
the flat graph's depth-first order could pick another edge than the nested schedule did:
the pass refuses such a graph ``[inline-graphs]`` unless an explicit ``snn.delay`` closes
the cycle (after ``convert-nir-to-snn``, which the torch targets run first). It also
refuses an Input fed by nothing whose reader would be left with no edge and no known
input shape. Fan-in is summed in a new order where an Output of ``g`` had several incoming
edges and its reader others too (to rounding). A node may come to read one node twice
(``g`` fed the same signal at two Inputs): valid IR, which a ``.nir`` file cannot hold
(``[duplicate-edge]`` on export).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.gcpause import pauses_gc
from nirc.core.graph import components, same_step_edges
from nirc.core.node import NodeOp, ssa_hint
from nirc.core.rewriting import apply_patterns, erase_nodes, fresh_name
from nirc.dialects import nir


def _splice(rewriter: PatternRewriter, user: Operation, index: int, values: list[SSAValue]) -> None:
    """Replace operand ``index`` of ``user`` by ``values`` (none: the edge goes)."""
    operands = list(user.operands)
    user.operands = [*operands[:index], *values, *operands[index + 1 :]]
    user.properties.pop("edge_ids", None)  # the file positions of the edges no longer apply
    rewriter.notify_op_modified(user)


def _rewire(rewriter: PatternRewriter, value: SSAValue, values: list[SSAValue], graph: nir.GraphOp) -> None:
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
        _splice(rewriter, use.operation, use.index, values)


def _on_cycle(graph_op: nir.GraphOp) -> bool:
    """Whether ``graph_op`` reads, within a step, what it writes (a cycle of the graph around it
    that no explicit delay closes)."""
    stack, seen = same_step_edges(graph_op), set()
    while stack:
        op = stack.pop()
        if op is graph_op:
            return True
        if op not in seen:
            seen.add(op)
            stack.extend(same_step_edges(op))
    return False


def _cycle_entered_twice(graph_op: nir.GraphOp) -> bool:
    """Whether a cycle inside ``graph_op`` (that no explicit delay closes) is entered at more
    than one node: which of its edges carries the previous step's value then depends on the
    order the schedule meets the entries in."""
    return any(c.cyclic and len(c.entries) > 1 for c in components(list(graph_op.body.block.ops), same_step_edges))


def _check_exact(graph_op: nir.GraphOp, feeds: dict[nir.InputOp, list[SSAValue]]) -> None:
    """Refuse what inlining could change: which edge of a cycle carries the previous step's
    value, where no explicit ``snn.delay`` says it (the flat depth-first order could pick
    another edge than the nested schedule did)."""
    why = ""
    if _on_cycle(graph_op):
        why = "it lies on a cycle of the graph around it"
    elif _cycle_entered_twice(graph_op):
        why = "it holds a cycle entered at several nodes"
    if why:
        raise NircError(
            f"inlining the graph could change which edge of a cycle carries the previous step's value ({why}); "
            "run convert-nir-to-snn first, which makes that delay explicit",
            rule="inline-graphs",
            node=graph_op.nir_name,
        )
    for inp, values in feeds.items():
        if values:
            continue
        for use in inp.output.uses:
            user = use.operation
            if len(user.operands) == 1 and not (isinstance(user, NodeOp) and user.expected_input_shape() is not None):
                raise NircError(
                    f"Input '{inp.nir_name}' is fed by nothing and '{user.properties['name'].data}' reads only it: "  # type: ignore[union-attr]
                    "flat, that node would have no edge and no known input shape",
                    rule="inline-graphs",
                    node=graph_op.nir_name,
                )


class InlineGraph(RewritePattern):
    """A nested graph with no graph inside it, by its nodes (see the module doc)."""

    name = "inline-graphs"
    root_types = (nir.GraphOp,)

    def match_and_rewrite(self, graph_op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(graph_op, nir.GraphOp) or not isinstance(graph_op.parent_op(), nir.GraphOp):
            return
        if any(isinstance(op, nir.GraphOp) for op in graph_op.body.block.ops):
            return  # innermost first: the graphs inside it go before it
        inline(graph_op, rewriter)


def inline(graph_op: nir.GraphOp, rewriter: PatternRewriter) -> None:
    """Replace the nested ``graph_op`` by its nodes (see the module doc)."""
    outer = graph_op.parent_op()
    block = graph_op.parent_block()
    assert isinstance(outer, nir.GraphOp) and block is not None and graph_op.nir_name is not None
    prefix = graph_op.nir_name
    feeds: dict[nir.InputOp, list[SSAValue]] = {op: [] for op in graph_op.input_nodes()}
    for i, value in enumerate(graph_op.operands):
        feeds[graph_op.port_of_operand(i)].append(value)
    _check_exact(graph_op, feeds)
    offset = 1 + max(
        (
            int(ids.array.max())
            for op in block.ops
            if isinstance(ids := op.properties.get("edge_ids"), DenseAttr) and ids.array.size
        ),
        default=-1,
    )
    for inp, values in feeds.items():
        _rewire(rewriter, inp.output, values, graph_op)
    for out, result in zip(graph_op.output_nodes(), graph_op.results, strict=True):
        _rewire(rewriter, result, list(out.operands), graph_op)
    for op in list(graph_op.body.block.ops):
        if isinstance(op, (nir.InputOp, nir.OutputOp)):
            op.operands = []
            continue
        op.detach()
        ids = op.properties.get("edge_ids")
        if isinstance(ids, DenseAttr):  # the inner file order, after the outer graph's edges
            op.properties["edge_ids"] = DenseAttr.from_array(np.asarray(ids.array, np.int64) + offset)
        name = fresh_name(block, f"{prefix}.{op.properties['name'].data}")  # type: ignore[union-attr]
        op.properties["name"] = StringAttr(name)
        for result in op.results:
            result.name_hint = ssa_hint(name)
        rewriter.insert(op, InsertPoint.before(graph_op))
    graph_op.operands = []
    erase_nodes(rewriter, [graph_op])
    rewriter.notify_op_modified(outer)  # its graph may be the innermost now


@dataclass(frozen=True)
class InlineGraphsPass(ModulePass):
    """Flatten every nested graph into the graph around it, nodes renamed ``<graph>.<node>``."""

    name: ClassVar[str] = "inline-graphs"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        apply_patterns(op, [InlineGraph()], confirm=False)  # the graph around an inlined one is revisited
