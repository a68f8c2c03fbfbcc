"""``canonicalize``: simplify a graph without changing what it computes.

Applies, to a fixed point (one sweep over the nodes, then the nodes each change touches):

* every canonicalization pattern an op declares (xDSL's
  ``HasCanonicalizationPatternsTrait``; the `nir` dialect's are in
  :mod:`nirc.dialects.nir.canonicalization`: ``affine-zero-bias``, ``identity-scale``,
  ``identity-flatten``, ``fold-scale``, ``merge-matrix``) and every pattern an extension
  registers (:attr:`nirc.core.extension.Extension.canonicalizations`), through the
  driver of :mod:`nirc.core.rewriting`;
* ``cse``: pure nodes (xDSL's ``Pure`` trait: Linear, Affine, Conv, pooling, Flatten,
  Scale, Threshold ...) of the same kind with the same parameters and the same incoming
  edges are merged (neurons, delays, Inputs, Outputs and graphs never are: they hold
  state or form the interface);
* ``dead-nodes``: nodes from which no Output can be reached are removed, neurons
  included (their state is never observed); Inputs stay.

xDSL's own ``cse``/``dce`` do not apply: every node carries its name, so no two ops are
equal to xDSL, and its DCE cannot tell an unobserved neuron from a live one.

Where a rewrite could change which edge of a recurrent cycle carries the previous step's
value — inside a cycle with loops of its own, and in or upstream of a cycle entered at
more than one node or not from a node the Inputs reach — nothing is rewritten: those
nodes are frozen (:func:`protected`).  Inner graphs are canonicalized first.

Exactness: dropping identities, zero biases, CSE and dead nodes are bit-exact.  Folding
a Scale and merging matrices reassociate floating-point products and sums, so outputs
agree to rounding (relative 1e-5 in float32 in the tests), and a spike whose membrane
lies within that rounding of the threshold may move; ``{fold=false}`` applies only the
patterns that declare ``exact = True`` (a pattern without the attribute counts as
inexact: a plugin's pattern must say so to run there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, Pure

from nirc.core.extension import canonicalization_patterns, owner_of
from nirc.core.gcpause import pauses_gc
from nirc.core.graph import components, reached_from_inputs, reverse_postorder, same_step_edges
from nirc.core.rewriting import Driver, erase_nodes, rewrite_session
from nirc.core.traits import has, is_input, is_output
from nirc.dialects.nir import GraphOp, graphs


def protected(graph: GraphOp) -> set[Operation]:
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
    reached = reached_from_inputs(graph)
    keep: set[Operation] = set()
    seeds: list[Operation] = []
    # A cycle through a cycle breaker (an snn.delay) closes at the breaker whatever the
    # schedule: only cycles within a step can have their closing edge moved.
    for component in components(list(graph.body.block.ops), same_step_edges):
        members = component.members
        if len(members) == 1:
            continue
        if len(component.entries) != 1 or not component.entries <= reached:
            keep.update(members)
            seeds.extend(members)
        elif component.inner_edges > len(members):
            keep.update(members)
    while seeds:  # everything upstream of a multi-entry cycle
        op = seeds.pop()
        for value in op.operands:
            owner = value.owner
            if isinstance(owner, Operation) and owner not in keep:
                keep.add(owner)
                seeds.append(owner)
    return keep


@cache
def _declared(op_type: type[Operation]) -> tuple[RewritePattern, ...]:
    """The canonicalization patterns ``op_type`` declares (its traits)."""
    return tuple(
        p for trait in op_type.get_traits_of_type(HasCanonicalizationPatternsTrait) for p in trait.get_patterns(op_type)
    )


def is_exact(pattern: RewritePattern) -> bool:
    """Whether ``pattern`` declares that it changes no floating-point result."""
    return bool(getattr(pattern, "exact", False))


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


def cse(block: Block, frozen: set[Operation], rewriter: PatternRewriter) -> bool:
    """Merge pure nodes with the same kind, parameters and incoming edges.  In a
    topological order (where there is no cycle), so a node's operands are final before
    it is hashed and a chain of duplicates merges in one sweep; the earlier of two
    duplicates in the block is kept."""
    seen: dict[tuple, Operation] = {}
    changed = False
    for op in _block_topological(block):
        if op in frozen or not has(type(op), Pure) or len(op.results) != 1:
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
        rewriter.replace_all_uses_with(op.results[0], earlier.results[0])
        erase_nodes(rewriter, [op])
        changed = True
    return changed


def dead_nodes(block: Block, rewriter: PatternRewriter) -> bool:
    """Remove the nodes from which no Output can be reached (Inputs stay)."""
    live: set[Operation] = set()
    stack = [op for op in block.ops if is_output(op) or is_input(op)]
    while stack:
        op = stack.pop()
        if op in live:
            continue
        live.add(op)
        stack.extend(v.owner for v in op.operands if isinstance(v.owner, Operation))  # type: ignore[misc]
    dead = [op for op in block.ops if op not in live]
    if not dead:
        return False
    erase_nodes(rewriter, dead)
    return True


@dataclass(frozen=True)
class CanonicalizePass(ModulePass):
    """Apply every registered canonicalization (identities, zero biases, Scale folding,
    Linear merging, a plugin's), CSE of pure nodes and dead nodes to a fixed point
    (``{fold=false}`` keeps only the bit-exact patterns)."""

    name: ClassVar[str] = "canonicalize"

    fold: bool = True

    def patterns(self, op: Operation, extra: Sequence[RewritePattern]) -> tuple[RewritePattern, ...]:
        found = (*_declared(type(op)), *extra)
        return found if self.fold else tuple(p for p in found if is_exact(p))

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        registered = canonicalization_patterns()
        extra = tuple(pattern for _, pattern in registered)
        owners = {id(pattern): ext for ext, pattern in registered}

        def origin(pattern: RewritePattern, node: Operation) -> str | None:
            # a registered pattern's extension, else that of the dialect whose op declares it
            return owners.get(id(pattern)) or owner_of("dialect", node.name.split(".", 1)[0])

        # Inner graphs first: dead-nodes in a graph may erase the graphs nested in it.
        # One sweep over the graph's nodes, then CSE and dead nodes, whose changes put
        # the nodes around them back on the worklist, until neither finds anything.
        for graph in reversed(list(graphs(op))):
            block = graph.body.block
            frozen = protected(graph)
            driver = Driver(dispatch=lambda node: self.patterns(node, extra), frozen=frozen, origin=origin)
            with rewrite_session(frozen):
                driver.sweep(block)
                while True:
                    rewriter = driver.rewriter_at(block.first_op) if block.first_op is not None else None
                    if rewriter is None or not (cse(block, frozen, rewriter) | dead_nodes(block, rewriter)):
                        break
                    driver.drain()
