"""The node order nirc uses wherever a graph must be linearised."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

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
