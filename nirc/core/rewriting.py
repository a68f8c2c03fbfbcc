"""Helpers for passes that rewrite graphs: building nodes, fresh names.

A graph's nodes are the ops of its block; an edge is an SSA use.  Rewrites replace a
node's result uses and erase it, never leaving a use of an erased value behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Attribute, Block, Operation, SSAValue

from nirc.core.dense import DenseAttr
from nirc.core.node import NodeOp, signal_type, ssa_hint

__all__ = ["Names", "build", "carry", "sole_user"]


class Names:
    """The node names of one graph, handing out fresh ones (``base``, ``base.1``, ...)."""

    def __init__(self, graph: Operation | Block):
        block = graph if isinstance(graph, Block) else graph.regions[0].block
        self.taken = {op.properties["name"].data for op in block.ops if isinstance(op.properties.get("name"), StringAttr)}  # type: ignore[union-attr]

    def fresh(self, base: str) -> str:
        name, n = base, 0
        while name in self.taken:
            n += 1
            name = f"{base}.{n}"
        self.taken.add(name)
        return name

    def release(self, name: str) -> None:
        self.taken.discard(name)


def build(
    cls: type[NodeOp],
    name: str,
    operands: Sequence[SSAValue],
    params: Mapping[str, np.ndarray | Attribute],
    shape: Sequence[int] | None,
) -> NodeOp:
    """A node op; numpy parameters become ``#nir.dense``, ``shape`` is the result's
    (None for ops without a result)."""
    props: dict[str, Attribute] = {"name": StringAttr(name)}
    for key, value in params.items():
        props[key] = DenseAttr.from_array(value) if isinstance(value, np.ndarray) else value
    op = cls.create(
        operands=list(operands),
        result_types=[] if shape is None else [signal_type(shape)],
        properties=props,
    )
    if op.results:
        op.results[0].name_hint = ssa_hint(name)
    return op


def carry(old: Operation, new: Operation, keys: Sequence[str] = ("metadata", "edge_ids")) -> None:
    """Move ``old``'s metadata (and the file positions of its incoming edges) to ``new``."""
    for key in keys:
        value = old.properties.get(key)
        if value is not None:
            new.properties[key] = value


def sole_user(value: SSAValue) -> Operation | None:
    """The one op that uses ``value`` once, or None."""
    uses = list(value.uses)
    return uses[0].operation if len(uses) == 1 else None
