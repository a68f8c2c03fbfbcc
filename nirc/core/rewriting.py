"""Rewriting graphs with xDSL's ``PatternRewriter``.

Every pass rewrites IR through the ``PatternRewriter`` it is handed (its listener keeps
the worklist right) and the few graph-region helpers below, which know what xDSL does
not: a node has a name that must stay unique in its graph, edges may form cycles (a
node can be read by what it reads), and the nodes a rewrite may touch can be limited.

* :func:`apply_patterns` — the greedy driver: xDSL ``RewritePattern`` s applied to a
  graph's nodes until none applies; at most ``max_rounds`` sweeps, and a bound on the
  rewrites per sweep, so a pattern that keeps matching its own output stops with an
  error naming it (``[pattern-convergence]``); an exception inside a pattern is reported
  with the pattern and the node (``[pattern]``), not as nirc's own failure.
* :func:`replace_node` — a node by new nodes, one of which keeps its name;
  :func:`bypass_node` — a one-input node dropped, its readers reading its input
  (:class:`BypassPattern` as a pattern);
  :func:`interpose` — a node between a value and its readers;
  :func:`fuse_nodes` — several nodes (a chain, a recurrence) by one;
  :func:`erase_nodes` — nodes that may read each other, their names released.
* :func:`fresh_name`, :func:`build`, :func:`carry`, :func:`sole_user`, :func:`producer`.

Inside :func:`rewrite_session` (which the driver opens) a graph's names are kept in one
table, so a fresh name costs O(1), and a set of *frozen* nodes (those a rewrite could
change the schedule of, ``canonicalize``'s :func:`~nirc.passes.canonicalize.protected`)
is what :func:`rewritable`, :func:`sole_user` and :func:`producer` refuse: a pattern that
reaches its neighbours through them leaves frozen nodes alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriterListener, RewritePattern
from xdsl.rewriter import InsertPoint
from xdsl.utils.worklist import Worklist

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.node import NodeOp, node_name, node_path, signal_type, ssa_hint

__all__ = [
    "BypassPattern",
    "Names",
    "apply_patterns",
    "build",
    "bypass_node",
    "carry",
    "erase_nodes",
    "fresh_name",
    "fuse_nodes",
    "interpose",
    "pattern_name",
    "producer",
    "replace_node",
    "rewritable",
    "rewrite_session",
    "sole_user",
]


# --------------------------------------------------------------------------- names


class Names:
    """The node names of one graph, handing out fresh ones (``base``, ``base.1``, ...)."""

    def __init__(self, graph: Operation | Block):
        block = graph if isinstance(graph, Block) else graph.regions[0].block
        self.taken = {name for op in block.ops if (name := node_name(op)) is not None}

    def fresh(self, base: str) -> str:
        name, n = base, 0
        while name in self.taken:
            n += 1
            name = f"{base}.{n}"
        self.taken.add(name)
        return name

    def release(self, name: str) -> None:
        self.taken.discard(name)


@dataclass
class _Session:
    names: dict[Block, Names] = field(default_factory=dict)
    frozen: frozenset[Operation] = frozenset()


_session: ContextVar[_Session | None] = ContextVar("nirc_rewrite_session", default=None)


@contextmanager
def rewrite_session(frozen: Iterable[Operation] = ()) -> Iterator[None]:
    """Keep each graph's names in one table while rewriting, and freeze ``frozen``."""
    outer = _session.get()
    session = _Session(names=outer.names if outer is not None else {}, frozen=frozenset(frozen))
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


def names_of(block: Block) -> Names:
    """The name table of ``block``'s graph (shared within a session)."""
    session = _session.get()
    if session is None:
        return Names(block)
    table = session.names.get(block)
    if table is None:
        table = session.names[block] = Names(block)
    return table


def fresh_name(block: Block, base: str) -> str:
    """A name no node of ``block`` has: ``base``, or ``base.1``, ``base.2`` ..."""
    return names_of(block).fresh(base)


def rewritable(op: Operation | None) -> bool:
    """Whether a rewrite may touch ``op`` (it is not frozen in the current session)."""
    if op is None:
        return False
    session = _session.get()
    return session is None or op not in session.frozen


# --------------------------------------------------------------------------- building


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
    """The one op that uses ``value`` once, or None (also where that op is frozen)."""
    user = value.get_user_of_unique_use()
    return user if rewritable(user) else None


def producer(value: SSAValue) -> Operation | None:
    """The op that computes ``value``, or None where it is frozen."""
    owner = value.owner
    return owner if isinstance(owner, Operation) and rewritable(owner) else None


# --------------------------------------------------------------------------- graph surgery


def erase_nodes(rewriter: PatternRewriter, ops: Sequence[Operation], *, keep_names: Container[str] = ()) -> None:
    """Erase ``ops``, which may read each other (a cycle: the edges among them are cut
    first), and release their names (except ``keep_names``, which a new node has taken).
    Nothing outside ``ops`` may still read them.  The driver's listener revisits the nodes
    that fed them (:class:`Driver`)."""
    doomed = set(ops)
    for op in ops:
        if any(value.owner in doomed for value in op.operands):
            op.operands = [value for value in op.operands if value.owner not in doomed]
    session = _session.get()
    for op in ops:
        block = op.parent_block()
        name = node_name(op)
        rewriter.erase(op)
        if session is not None and block in session.names and name is not None and name not in keep_names:
            session.names[block].release(name)


def replace_node(
    rewriter: PatternRewriter,
    old: Operation,
    new_ops: Sequence[Operation],
    *,
    results: Sequence[SSAValue] | None = None,
) -> None:
    """Put ``new_ops`` before ``old``, let ``old``'s readers read ``results`` (by default
    the results of the last new op), and erase ``old``.  One of the new ops may carry
    ``old``'s name, which then stays taken."""
    if new_ops:
        rewriter.insert(list(new_ops), InsertPoint.before(old))
    values = list(results) if results is not None else list(new_ops[-1].results)
    if len(values) != len(old.results):
        raise ValueError(f"{old.name} has {len(old.results)} results, the replacement gives {len(values)}")
    for before, after in zip(old.results, values, strict=True):
        rewriter.replace_all_uses_with(before, after)
    erase_nodes(rewriter, [old], keep_names={node_name(op) for op in new_ops} - {None})  # type: ignore[arg-type]


def bypass_node(rewriter: PatternRewriter, op: Operation) -> bool:
    """Let the readers of ``op``, a node with one input, read that input instead, and
    erase ``op``; False (nothing done) where it has several inputs or reads itself (a
    self-loop: its readers would be left reading it)."""
    if len(op.operands) != 1 or op.operands[0].owner is op:
        return False
    replace_node(rewriter, op, [], results=[op.operands[0]])
    return True


class BypassPattern(RewritePattern):
    """Drop a one-input node of ``root_types`` for which ``when(op)`` holds: its readers
    read its input (:func:`bypass_node`).  Bit-exact."""

    exact = True

    def __init__(self, name: str, root_types: tuple[type[Operation], ...], when: Callable[[Any], bool]):
        self.name, self.root_types, self.when = name, root_types, when

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, self.root_types) and len(op.operands) == 1 and self.when(op):
            bypass_node(rewriter, op)


def interpose(rewriter: PatternRewriter, new: Operation) -> None:
    """Put ``new``, which reads a value, right after that value's node, and let every
    other reader of the value read ``new`` instead (a Scale after a membrane, a clamp
    after an Input)."""
    value = new.operands[0]
    owner = value.owner
    where = InsertPoint.after(owner) if isinstance(owner, Operation) else InsertPoint.at_start(owner)
    rewriter.insert(new, where)
    rewriter.replace_uses_with_if(value, new.results[0], lambda use: use.operation is not new)


def fuse_nodes(
    rewriter: PatternRewriter,
    ops: Sequence[Operation],
    new: Operation,
    *,
    result_of: Operation | None = None,
    before: Operation | None = None,
) -> None:
    """Replace ``ops`` (a chain, a recurrence: nodes that may read each other) by the one
    node ``new``, put before ``before`` (the first of ``ops`` by default): the readers of
    ``result_of`` (the last of ``ops`` by default) read ``new``; nothing else may read
    the others.  ``new`` may take the name of one of them."""
    last = result_of if result_of is not None else ops[-1]
    rewriter.insert(new, InsertPoint.before(before if before is not None else ops[0]))
    for old, value in zip(last.results, new.results, strict=True):
        rewriter.replace_all_uses_with(old, value)
    erase_nodes(rewriter, ops, keep_names={node_name(new)} - {None})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the driver


def may_match(pattern: RewritePattern, op_type: type[Operation]) -> bool:
    """Whether ``pattern`` may match an op of ``op_type``: it declares the op classes its
    match is rooted at in ``root_types`` (optional; without it, any op may match)."""
    roots = getattr(pattern, "root_types", None)
    return roots is None or issubclass(op_type, tuple(roots))


def pattern_name(pattern: RewritePattern) -> str:
    """How errors name a pattern: its ``name`` where it has one, else its class."""
    name = getattr(pattern, "name", None)
    return name if isinstance(name, str) else type(pattern).__name__


class PatternError(NircError):
    """A pattern raised an exception (not a :class:`NircError` of its own)."""


def _seed(roots: Operation | Block | Sequence[Operation | Block]) -> list[Operation]:
    items = [roots] if isinstance(roots, (Operation, Block)) else list(roots)
    ops: list[Operation] = []
    for item in items:
        if isinstance(item, Block):
            ops.extend(item.ops)
        else:
            ops.extend(item.walk())
    return ops


class Driver:
    """The greedy pattern driver (see :func:`apply_patterns`), for passes that interleave
    their own rewrites: :meth:`sweep` visits ops, :meth:`drain` only those the rewrites
    since touched, and :attr:`rewriter` is the rewriter whose changes the worklist hears
    (give it to your own rewrites so their neighbours are revisited)."""

    def __init__(
        self,
        patterns: Sequence[RewritePattern] = (),
        *,
        dispatch: Callable[[Operation], Sequence[RewritePattern]] | None = None,
        frozen: Iterable[Operation] = (),
        origin: Callable[[RewritePattern, Operation], str | None] = lambda p, op: None,
    ):
        self.patterns = patterns
        self.dispatch = dispatch
        self._by_type: dict[type, Sequence[RewritePattern]] = {}
        self.frozen = frozenset(frozen)
        self.origin = origin
        self.worklist: Worklist = Worklist()
        self.listener = self._listener()
        self.rewriter: PatternRewriter | None = None
        self.applied: Counter[str] = Counter()
        self.budget = 0

    def push(self, op: Operation) -> None:
        """Put ``op`` on the worklist, if some pattern may match it (an op no pattern is
        rooted at is never visited: most ops of a conversion are not its sources)."""
        if self.candidates(op) and not (self.frozen and op in self.frozen):
            self.worklist.push(op)

    def _listener(self) -> PatternRewriterListener:
        push = self.push

        def removed(op: Operation) -> None:
            # What fed ``op`` lost a reader: it may be dead now, or left with one reader
            # it may merge with; both are revisited.
            for value in op.operands:
                feeder = value.owner
                if not isinstance(feeder, Operation) or feeder.parent is None:
                    continue
                push(feeder)
                others = []
                for use in value.uses:
                    if use.operation is not op:
                        others.append(use.operation)
                        if len(others) > 1:
                            break
                if len(others) == 1:
                    push(others[0])
            if op.regions:
                for inner in op.walk():
                    self.worklist.remove(inner)
            else:
                self.worklist.remove(op)

        return PatternRewriterListener(
            operation_insertion_handler=[push],
            operation_removal_handler=[removed],
            operation_modification_handler=[push],
        )

    def rewriter_at(self, op: Operation) -> PatternRewriter:
        """The driver's rewriter, set to ``op`` (one object, reset for each op, as xDSL's
        walker does: building a rewriter per op would cost more than most matches)."""
        if self.rewriter is None:
            self.rewriter = PatternRewriter(op)
            self.rewriter.extend_from_listener(self.listener)
        else:
            rewriter = self.rewriter
            rewriter.has_done_action = False
            rewriter.current_operation = op
            rewriter.insertion_point = InsertPoint.before(op)
            if rewriter.name_hint is not None:
                rewriter.name_hint = None
        return self.rewriter

    def candidates(self, op: Operation) -> Sequence[RewritePattern]:
        """The patterns to try on ``op``: ``dispatch(op)``, or those of :attr:`patterns`
        whose ``root_types`` (where a pattern declares them) include its class; looked up
        once per op class (``dispatch`` must answer by class)."""
        found = self._by_type.get(type(op))
        if found is None:
            if self.dispatch is not None:
                found = tuple(self.dispatch(op))
            else:
                found = tuple(p for p in self.patterns if may_match(p, type(op)))
            self._by_type[type(op)] = found
        return found

    def _apply_one(self, op: Operation, candidates: Sequence[RewritePattern]) -> RewritePattern | None:
        rewriter = self.rewriter_at(op)
        for pattern in candidates:
            try:
                pattern.match_and_rewrite(op, rewriter)
            except NircError:
                raise
            except Exception as exc:
                where = self.origin(pattern, op)
                source = f" (extension '{where}')" if where else ""
                raise PatternError(
                    f"pattern '{pattern_name(pattern)}'{source} failed on {op.name}: {type(exc).__name__}: {exc}",
                    rule="pattern",
                    node=node_path(op) if node_name(op) is not None else None,
                ) from exc
            if rewriter.has_done_action:
                return pattern
        return None

    def sweep(self, roots: Operation | Block | Sequence[Operation | Block]) -> bool:
        """Visit every op of ``roots`` (a block: its ops, the last first; an op: it and
        everything inside it), then every op a rewrite touches; True if anything changed."""
        ops = _seed(roots)
        for op in ops:
            self.push(op)
        self.applied = Counter()
        self.budget = 16 * len(ops) + 1000
        return self.drain()

    def drain(self) -> bool:
        """Visit the ops on the worklist (those rewrites touched) until none is left."""
        changed = False
        while self.worklist:
            op = self.worklist.pop()
            if op.parent is None:
                continue
            candidates = self.candidates(op)
            winner = self._apply_one(op, candidates)
            if winner is None:
                continue
            changed = True
            self.applied[pattern_name(winner)] += 1
            self.budget -= 1
            if self.budget < 0:
                raise _not_converging(self.applied, "in one sweep")
        return changed


def apply_patterns(
    roots: Operation | Block | Sequence[Operation | Block],
    patterns: Sequence[RewritePattern],
    *,
    frozen: Iterable[Operation] = (),
    max_rounds: int = 10,
    confirm: bool = True,
    origin: Callable[[RewritePattern, Operation], str | None] = lambda p, op: None,
) -> bool:
    """Apply ``patterns`` greedily to the ops of ``roots`` (a block: its ops; an op: it
    and everything inside it) until none applies; True if anything changed.

    Each sweep visits every op (the block's last first, as a stack does) and every op a
    rewrite touches (its readers, what it reads); the first pattern that changes an op
    wins.  With ``confirm`` sweeps
    repeat while something changes, at most ``max_rounds`` (a conversion whose patterns
    each apply once per op may do without); within a sweep at most ``16 n + 1000``
    rewrites happen for ``n`` ops.  Past either bound the patterns do not converge:
    :class:`NircError` ``[pattern-convergence]`` names the pattern that applied most.
    Frozen ops are never the root of a match."""
    driver = Driver(patterns, frozen=frozen, origin=origin)
    changed_any = False
    with rewrite_session(driver.frozen):
        for _ in range(max_rounds if confirm else 1):
            changed = driver.sweep(roots)
            changed_any |= changed
            if not changed:
                return changed_any
        if not confirm:
            return changed_any
        raise _not_converging(driver.applied, f"after {max_rounds} sweeps")


def _not_converging(applied: Counter[str], when: str) -> NircError:
    top, count = applied.most_common(1)[0] if applied else ("?", 0)
    return NircError(
        f"rewrite patterns do not converge {when}: '{top}' applied {count} times (a pattern that matches its own result?)",
        rule="pattern-convergence",
    )
