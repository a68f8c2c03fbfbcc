"""``canonicalize``: simplify a `nir` graph without changing what it computes.

Rewrites, applied with a worklist until none applies (each node is revisited only when
a neighbour changed, so the pass is linear in the graph size):

* ``affine-zero-bias``: an Affine whose bias is all zeros becomes a Linear;
* ``identity-scale`` / ``identity-flatten``: a Scale of all ones, or a Flatten that keeps
  the shape, is dropped (its users read its input);
* ``fold-scale``: a Scale after a Linear/Affine or a Conv (constant over each channel),
  or before a Linear/Affine, is folded into the weights (and bias);
* ``merge-matrix``: Linear/Affine ⊳ Linear/Affine with nothing between becomes one
  (``W2 W1``, ``W2 b1 + b2``);
* ``cse``: stateless nodes of the same kind with the same parameters and the same
  incoming edges are merged (neurons, Delay, Input, Output and graphs never are: they
  hold state or form the interface);
* ``dead-nodes``: nodes from which no Output can be reached are removed, neurons
  included (their state is never observed); Inputs stay.

xDSL's own ``cse``/``dce`` do not apply: every node carries its name, so no two ops are
equal to xDSL, and its DCE cannot tell an unobserved neuron from a live one.

Only a node's sole consumer is merged into it (a Linear read by two nodes is left
alone), and only signals no one else reads disappear.  Where a rewrite could change
which edge of a recurrent cycle carries the previous step's value — inside a cycle with
loops of its own, and in or upstream of a cycle entered at more than one node or not
from a node the Inputs reach — nothing is rewritten (:func:`protected`).  Merged and folded nodes keep the
name and metadata of the node that produces the final signal.

Exactness: dropping identities, zero biases, CSE and dead nodes are bit-exact.  Folding
a Scale and merging matrices reassociate floating-point products and sums, so outputs
agree to rounding (relative 1e-5 in float32 in the tests), and a spike whose membrane
lies within that rounding of the threshold may move; ``{fold=false}`` disables both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import networkx as nx
import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from nirc.core.gcpause import pauses_gc
from nirc.core.graph import reached_from_inputs, reverse_postorder
from nirc.core.node import shape_of
from nirc.core.rewriting import build, carry, sole_user
from nirc.dialects import nir
from nirc.dialects.nir import graphs

_STATELESS = (
    nir.LinearOp,
    nir.AffineOp,
    nir.Conv1dOp,
    nir.Conv2dOp,
    nir.SumPool2dOp,
    nir.AvgPool2dOp,
    nir.FlattenOp,
    nir.ScaleOp,
    nir.ThresholdOp,
)
_MATRIX = (nir.LinearOp, nir.AffineOp)
_CONV = (nir.Conv1dOp, nir.Conv2dOp)


def protected(graph: nir.GraphOp) -> set[Operation]:
    """Nodes no rewrite may touch, because it could change which edge closes a cycle.

    Which edge of a cycle carries the previous step's value follows a depth-first walk
    from the Inputs (``docs/semantics.md``).  A simple cycle entered at one node that
    the walk reaches from an Input always closes at that node, whatever happens around
    it.  A cycle entered at several nodes closes where the walk arrives last, so any
    rewrite in it or upstream of it (dropping a node on one way in) can move the delay;
    a cycle entered nowhere, or from nodes no Input reaches, is walked in block order,
    which rewrites change; a cycle with loops inside depends on the order of the walk
    within it.  Those nodes, and everything upstream of the first two kinds, are left
    as they are."""
    block = graph.body.block
    reached = reached_from_inputs(graph)
    ops = list(block.ops)
    g = nx.DiGraph()
    g.add_nodes_from(ops)
    for op in ops:
        for value in op.operands:
            if isinstance(value.owner, Operation):
                g.add_edge(value.owner, op)
    keep: set[Operation] = set()
    seeds: list[Operation] = []
    for component in nx.strongly_connected_components(g):
        if len(component) == 1:
            continue
        inner_edges = sum(1 for op in component for v in op.operands if v.owner in component)
        entries = {op for op in component for v in op.operands if v.owner not in component}
        if len(entries) != 1 or not entries <= reached:
            keep |= component
            seeds.extend(component)
        elif inner_edges > len(component):
            keep |= component
    while seeds:  # everything upstream of a multi-entry cycle
        op = seeds.pop()
        for value in op.operands:
            owner = value.owner
            if isinstance(owner, Operation) and owner not in keep:
                keep.add(owner)
                seeds.append(owner)
    return keep


def _block_topological(block: Block) -> list[Operation]:
    """A topological order of the block's ops where the graph has no cycle, keeping
    block order between ops that do not depend on each other (a depth-first walk with
    roots and successors taken in reverse, whose reverse post-order restores them)."""
    ops = list(block.ops)
    succ: dict[Operation, list[Operation]] = {op: [] for op in ops}
    for op in reversed(ops):
        for value in op.operands:
            if isinstance(value.owner, Operation):
                succ[value.owner].append(op)
    return reverse_postorder(reversed(ops), succ)


class _Rewriter:
    def __init__(self, graph: nir.GraphOp, fold: bool):
        self.graph = graph
        self.block: Block = graph.body.block
        self.fold = fold
        self.protected = protected(graph)
        self.work: list[Operation] = [op for op in self.block.ops if op not in self.protected]
        self.alive: set[Operation] = set(self.work)

    # ------------------------------------------------------------ plumbing
    def push(self, *ops: Operation | None) -> None:
        for op in ops:
            if op is not None and op in self.alive:
                self.work.append(op)

    def replace(self, old: Operation, new_value: SSAValue) -> None:
        """Users of ``old`` read ``new_value``; ``old`` goes."""
        users = [use.operation for use in old.results[0].uses]
        old.results[0].replace_all_uses_with(new_value)
        self.erase(old)
        self.push(*users, new_value.owner if isinstance(new_value.owner, Operation) else None)

    def erase(self, op: Operation) -> None:
        op.operands = []
        self.block.erase_op(op, safe_erase=False)
        self.alive.discard(op)

    def insert(self, new: Operation, before: Operation) -> Operation:
        self.block.insert_op_before(new, before)
        self.alive.add(new)
        self.work.append(new)
        return new

    # ------------------------------------------------------------ rewrites
    def run(self) -> None:
        # Local rewrites to a fixed point, then CSE and dead nodes, whose changes wake the
        # neighbours they touch; repeat until nothing changes.
        while True:
            while self.work:
                op = self.work.pop()
                if op not in self.alive:
                    continue
                for rewrite in (self.affine_zero_bias, self.identity, self.fold_scale, self.merge_matrix):
                    if rewrite(op):
                        break
            self.cse()
            self.dead_nodes()
            if not self.work:
                return

    def affine_zero_bias(self, op: Operation) -> bool:
        if not isinstance(op, nir.AffineOp) or np.any(op.param("bias")):
            return False
        new = build(nir.LinearOp, op.nir_name, list(op.operands), {"weight": op.properties["weight"]}, shape_of(op.output))
        carry(op, new)
        self.insert(new, op)
        self.replace(op, new.results[0])
        return True

    def identity(self, op: Operation) -> bool:
        if len(op.operands) != 1:
            return False
        if isinstance(op, nir.ScaleOp) and np.all(op.param("scale") == 1):
            pass
        elif not (isinstance(op, nir.FlattenOp) and shape_of(op.operands[0]) == shape_of(op.output)):
            return False
        if op.operands[0] is op.results[0]:
            return False
        self.replace(op, op.operands[0])
        return True

    def fold_scale(self, op: Operation) -> bool:
        if not self.fold or not isinstance(op, nir.ScaleOp) or len(op.operands) != 1:
            return False
        s = op.param("scale")
        producer = op.operands[0].owner
        # producer ⊳ Scale, the Scale the producer's only reader
        if isinstance(producer, (*_MATRIX, *_CONV)) and producer in self.alive and producer is not op and sole_user(producer.results[0]) is op:
            w, b = producer.param("weight"), producer.opt_param("bias")
            if isinstance(producer, _MATRIX):
                if w.ndim != 2 or s.shape != (w.shape[0],):
                    return False
                factor = s
            else:
                flat = s.reshape(s.shape[0], -1)
                if not (flat == flat[:, :1]).all():
                    return False  # varies over space: not a per-channel factor
                factor = flat[:, 0]
            params = dict(producer.properties)
            params["weight"] = (factor.reshape(-1, *([1] * (w.ndim - 1))) * w).astype(w.dtype)  # type: ignore[assignment]
            if b is not None:
                params["bias"] = (factor * b).astype(b.dtype)  # type: ignore[assignment]
            return self._rebuild(producer, op, params)
        # Scale ⊳ Linear/Affine, the matrix the Scale's only reader
        consumer = sole_user(op.results[0])
        if isinstance(consumer, _MATRIX) and consumer in self.alive and len(consumer.operands) == 1 and consumer is not op:
            w = consumer.param("weight")
            if w.ndim != 2 or s.shape != (w.shape[1],):
                return False
            params = dict(consumer.properties)
            params["weight"] = (w * s[None, :]).astype(w.dtype)  # type: ignore[assignment]
            new = build(type(consumer), consumer.nir_name, list(op.operands), {k: v for k, v in params.items() if k != "name"}, shape_of(consumer.output))  # type: ignore[arg-type]
            new.properties.pop("edge_ids", None)
            carry(op, new, ("edge_ids",))
            self.insert(new, consumer)
            self.replace(consumer, new.results[0])
            self.erase(op)
            return True
        return False

    def _rebuild(self, producer: Operation, scale: Operation, params: dict) -> bool:
        """``producer`` with new parameters, replacing both it and ``scale``."""
        params = {k: v for k, v in params.items() if k not in ("name", "metadata")}
        new = build(type(producer), scale.properties["name"].data, list(producer.operands), params, shape_of(scale.results[0]))  # type: ignore[arg-type,union-attr]
        carry(scale, new, ("metadata",))
        self.insert(new, producer)
        self.replace(scale, new.results[0])
        self.erase(producer)
        return True

    def merge_matrix(self, op: Operation) -> bool:
        if not self.fold or not isinstance(op, _MATRIX) or len(op.operands) != 1:
            return False
        first = op.operands[0].owner
        if not isinstance(first, _MATRIX) or first not in self.alive or first is op or sole_user(first.results[0]) is not op:
            return False
        w1, w2 = first.param("weight"), op.param("weight")
        if w1.ndim != 2 or w2.ndim != 2:
            return False
        b1, b2 = first.opt_param("bias"), op.opt_param("bias")
        dtype = np.result_type(w1, w2)
        weight = (w2.astype(np.float64) @ w1.astype(np.float64)).astype(dtype)
        params: dict = {"weight": weight}
        if b1 is not None or b2 is not None:
            bias = np.zeros(w2.shape[0], np.float64)
            if b1 is not None:
                bias += w2.astype(np.float64) @ b1.astype(np.float64)
            if b2 is not None:
                bias += b2
            params["bias"] = bias.astype(np.result_type(*(b for b in (b1, b2) if b is not None)))
        cls = nir.AffineOp if "bias" in params else nir.LinearOp
        new = build(cls, op.nir_name, list(first.operands), params, shape_of(op.output))
        carry(op, new, ("metadata",))
        carry(first, new, ("edge_ids",))
        self.insert(new, first)
        self.replace(op, new.results[0])
        self.erase(first)
        return True

    def cse(self) -> None:
        # In a topological order (where there is no cycle), so a node's operands are final
        # before it is hashed and a chain of duplicates merges in one sweep; the earlier
        # of two duplicates in the block is the one kept.
        seen: dict[tuple, Operation] = {}
        for op in _block_topological(self.block):
            if not isinstance(op, _STATELESS) or op not in self.alive:
                continue
            props = tuple(sorted((k, v) for k, v in op.properties.items() if k not in ("name", "metadata", "edge_ids")))
            key = (op.name, tuple(op.operands), props)
            try:
                earlier = seen.get(key)
            except TypeError:  # an unhashable attribute: leave the node alone
                continue
            if earlier is None:
                seen[key] = op
                continue
            users = [use.operation for use in op.results[0].uses]
            op.results[0].replace_all_uses_with(earlier.results[0])
            self.erase(op)
            self.push(earlier, *users)

    def dead_nodes(self) -> None:
        live: set[Operation] = set()
        stack = [op for op in self.block.ops if isinstance(op, (nir.OutputOp, nir.InputOp))]
        while stack:
            op = stack.pop()
            if op in live:
                continue
            live.add(op)
            stack.extend(v.owner for v in op.operands if isinstance(v.owner, Operation))  # type: ignore[misc]
        dead = [op for op in self.block.ops if op not in live]
        feeders = [v.owner for op in dead for v in op.operands if isinstance(v.owner, Operation)]
        for op in dead:
            op.operands = []
        for op in dead:
            self.block.erase_op(op, safe_erase=False)
            self.alive.discard(op)
        # a feeder that lost a reader may now fold into (or merge with) its other reader
        self.push(*feeders, *(use.operation for op in feeders if op in self.alive for r in op.results for use in r.uses))


@dataclass(frozen=True)
class CanonicalizePass(ModulePass):
    """Simplify `nir` graphs: identities, zero biases, Scale folding, Linear merging,
    CSE of stateless nodes, dead nodes (``{fold=false}`` keeps arithmetic bit-exact)."""

    name: ClassVar[str] = "canonicalize"

    fold: bool = True

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        # inner graphs first: dead-nodes in a graph may erase the graphs nested in it
        for graph in reversed(list(graphs(op))):
            _Rewriter(graph, self.fold).run()
