"""The node order nirc uses wherever a graph must be linearised."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from xdsl.ir import Operation

from nirc.dialects import nir, snn

N = TypeVar("N", bound=Hashable)


def reverse_postorder(roots: Iterable[N], successors: Mapping[N, Sequence[N]]) -> list[N]:
    """Reverse post-order of a depth-first walk started from each of ``roots`` in turn
    (iterative, so deep graphs do not hit the recursion limit).

    Where the graph has no cycle this is a topological order; on a cycle, the edge that
    closes it points from a later node to an earlier one.  The importer orders a graph's
    ops this way (Inputs first), and the interpreter uses the same walk to decide which
    edge of a cycle carries the previous step's value."""
    seen: set[N] = set()
    post: list[N] = []
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(successors[root]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                post.append(node)
            elif nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, iter(successors[nxt])))
    return post[::-1]


def breaks_cycles(op: Operation) -> bool:
    """An ``snn.delay`` of at least one step in every element: its output at a step does
    not depend on its input at that step."""
    return isinstance(op, snn.DelayOp) and op.min_steps() >= 1


def schedule_order(graph: nir.GraphOp) -> list[Operation]:
    """Depth-first reverse post-order from the Inputs (then the rest), block order for ties;
    edges into cycle breakers are left out, so where every cycle has one the order is
    topological."""
    ops = list(graph.body.block.ops)
    succ: dict[Operation, list[Operation]] = {op: [] for op in ops}
    for op in ops:
        if breaks_cycles(op):
            continue
        for value in op.operands:
            succ[value.owner].append(op)  # type: ignore[index]
    roots = [op for op in ops if isinstance(op, nir.InputOp)]
    return reverse_postorder([*roots, *ops], succ)


def reached_from_inputs(graph: nir.GraphOp) -> set[Operation]:
    """The nodes a walk along edges from the graph's Inputs reaches (Inputs included).

    Where a cycle is entered from such a node, the walk of :func:`schedule_order` enters
    it there whatever else the graph holds; elsewhere block order decides, and a rewrite
    that moves ops could move the edge that closes the cycle."""
    ops = list(graph.body.block.ops)
    stack = [op for op in ops if isinstance(op, nir.InputOp)]
    seen = set(stack)
    while stack:
        op = stack.pop()
        for result in op.results:
            for use in result.uses:
                if use.operation not in seen:
                    seen.add(use.operation)
                    stack.append(use.operation)
    return seen
