"""Helpers for passes that rewrite NIR graphs: building nodes, fresh names, walking graphs.

A graph's nodes are the ops of its block; an edge is an SSA use.  Rewrites replace a
node's result uses and erase it, never leaving a use of an erased value behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Attribute, Operation, SSAValue

from nirc.dialects import nir
from nirc.io.from_dict import ssa_hint
from nirc.ir.dense import DenseAttr
from nirc.ir.gcpause import pauses_gc

__all__ = ["Names", "build", "carry", "graphs", "pauses_gc", "sole_user", "ssa_hint"]


def graphs(module: Operation) -> Iterator[nir.GraphOp]:
    """Every ``nir.graph`` in the module, inner graphs after the graph around them."""
    for op in module.walk():
        if isinstance(op, nir.GraphOp):
            yield op


class Names:
    """The node names of one graph, handing out fresh ones (``base``, ``base.1``, ...)."""

    def __init__(self, graph: nir.GraphOp):
        self.taken = {op.properties["name"].data for op in graph.body.block.ops if isinstance(op.properties.get("name"), StringAttr)}  # type: ignore[union-attr]

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
    cls: type[nir.NodeOp],
    name: str,
    operands: Sequence[SSAValue],
    params: Mapping[str, np.ndarray | Attribute],
    shape: Sequence[int] | None,
) -> nir.NodeOp:
    """A node op; numpy parameters become ``#nir.dense``, ``shape`` is the result's
    (None for ops without a result)."""
    props: dict[str, Attribute] = {"name": StringAttr(name)}
    for key, value in params.items():
        props[key] = DenseAttr.from_array(value) if isinstance(value, np.ndarray) else value
    op = cls.create(
        operands=list(operands),
        result_types=[] if shape is None else [nir.signal_type(shape)],
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

