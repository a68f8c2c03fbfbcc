"""A graph region as a graph: its schedule, its cycles, and which edge closes each.

This module is the one definition of how nirc orders a graph's nodes and treats its
cycles; the interpreter, the passes and the code generators all ask it.

* :func:`schedule_order` — a depth-first reverse post-order from the graph's inputs
  (block order for ties).  Where the graph has no cycle it is topological; on a cycle,
  the edge that points from a node to one earlier in the order *closes* the cycle: it
  carries the value its source produced in the previous step (zero at the first).  Edges
  into a :class:`~nirc.core.traits.CycleBreaker` are left out of the walk: such an op is
  known at the start of a step, so it never needs an edge to close a cycle.
* :func:`back_edges` — exactly those closing edges.
* :func:`components` — the strongly connected components, in dependency order, each
  with what makes it cyclic (:class:`Component`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from xdsl.ir import Block, Operation

from nirc.core.traits import breaks_cycles, is_input

N = TypeVar("N", bound=Hashable)


def reverse_postorder(roots: Iterable[N], successors: Mapping[N, Sequence[N]]) -> list[N]:
    """Reverse post-order of a depth-first walk started from each of ``roots`` in turn
    (iterative, so deep graphs do not hit the recursion limit)."""
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


def _ops(graph: Operation | Block) -> list[Operation]:
    block = graph if isinstance(graph, Block) else graph.regions[0].block
    return list(block.ops)


def schedule_order(graph: Operation | Block) -> list[Operation]:
    """The nodes of ``graph`` (a ``nir.graph`` or its block) in the order nirc runs them:
    depth-first reverse post-order from the inputs, then from the rest in block order;
    edges into cycle breakers are left out (see the module doc)."""
    ops = _ops(graph)
    succ: dict[Operation, list[Operation]] = {op: [] for op in ops}
    for op in ops:
        if breaks_cycles(op):
            continue
        for value in op.operands:
            owner = value.owner
            if owner in succ:
                succ[owner].append(op)  # type: ignore[index]
    roots = [op for op in ops if is_input(op)]
    return reverse_postorder([*roots, *ops], succ)


def back_edges(order: Sequence[Operation]) -> list[tuple[Operation, int]]:
    """(op, operand index) of every edge that closes a cycle in ``order`` (a
    :func:`schedule_order`): from a node not earlier than its destination.  A cycle
    breaker gives its output at the start of a step and takes its input at the end, so
    no edge into or out of one closes a cycle."""
    position = {op: i for i, op in enumerate(order)}
    found = []
    for op in order:
        if breaks_cycles(op):
            continue
        for i, value in enumerate(op.operands):
            source = value.owner
            at = position.get(source)  # type: ignore[arg-type]
            if at is not None and at >= position[op] and not breaks_cycles(source):  # type: ignore[arg-type]
                found.append((op, i))
    return found


def reached_from_inputs(graph: Operation | Block) -> set[Operation]:
    """The nodes a walk along edges from the graph's inputs reaches (inputs included).

    Where a cycle is entered from such a node, :func:`schedule_order` enters it there
    whatever else the graph holds; elsewhere block order decides, and a rewrite that
    moves ops could move the edge that closes the cycle."""
    stack = [op for op in _ops(graph) if is_input(op)]
    seen = set(stack)
    while stack:
        op = stack.pop()
        for result in op.results:
            for use in result.uses:
                if use.operation not in seen:
                    seen.add(use.operation)
                    stack.append(use.operation)
    return seen


@dataclass
class Component:
    """A strongly connected component of a graph's nodes."""

    #: its nodes, in the order the caller gave them
    members: list[Operation]
    #: the nodes that have an edge from outside the component
    entries: set[Operation]
    #: edges between members, a node reading another twice counting twice (a self-loop counts)
    inner_edges: int

    @property
    def cyclic(self) -> bool:
        """More than one node, or a node reading itself."""
        return len(self.members) > 1 or self.inner_edges > 0


def same_step_edges(op: Operation) -> list[Operation]:
    """The ops that read ``op`` within a step: every reader except a cycle breaker."""
    return [use.operation for result in op.results for use in result.uses if not breaks_cycles(use.operation)]


def all_edges(op: Operation) -> list[Operation]:
    """The ops that read ``op``."""
    return [use.operation for result in op.results for use in result.uses]


def components(
    ops: Sequence[Operation], successors: Callable[[Operation], Iterable[Operation]] = all_edges
) -> list[Component]:
    """The strongly connected components of ``ops`` under ``successors`` (edges leaving
    ``ops`` are ignored), in dependency order: a component comes after every component
    with an edge into it.  Members keep the order of ``ops``.

    Tarjan's algorithm, iterative: it finishes a component only after every component it
    reaches, so the components come out in reverse dependency order."""
    index_of = {op: i for i, op in enumerate(ops)}
    succ: list[list[int]] = [[index_of[n] for n in successors(op) if n in index_of] for op in ops]
    n = len(ops)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    members.append(w)
                    if w == v:
                        break
                found.append(members)
    which = [0] * n
    for c, members in enumerate(found):
        for m in members:
            which[m] = c
    entered = [set() for _ in found]
    inner = [0] * len(found)
    for v in range(n):
        for w in succ[v]:
            if which[v] == which[w]:
                inner[which[v]] += 1
            else:
                entered[which[w]].add(w)
    result = []
    for c in reversed(range(len(found))):
        members = sorted(found[c])
        result.append(Component([ops[m] for m in members], {ops[m] for m in entered[c]}, inner[c]))
    return result


__all__ = [
    "Component",
    "all_edges",
    "back_edges",
    "components",
    "reached_from_inputs",
    "reverse_postorder",
    "same_step_edges",
    "schedule_order",
]
