"""Matching a chain of steps at a node: the matcher every pattern and rule compiles to.

A chain ``s1 -> s2 -> ... -> sn`` is matched at a *root* node by ``sn`` and then upstream:
the node ``sk`` matched is the one whose result is the only incoming edge of the node
``s(k+1)`` matched.  Quantified steps take as many nodes as they can (``*``, ``+``) or
one if they can (``?``), and give back nodes one by one when the rest of the chain then
fails (backtracking), so ``(nir.scale)* -> nir.scale`` matches a run of Scales.  The
``where`` conditions are tried on every complete match; the first that satisfies them
wins.

Where no match exists, :class:`Failure` says why at the deepest point any attempt
reached: the step, the node it looked at, and ``reason``:

* ``kind`` — the node is not of the step's kinds;
* ``fan-in`` — the chain needs the only input of a node that has several (or none);
* ``where`` — a complete match broke a condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xdsl.ir import Operation

from nirc.core.node import node_name
from nirc.patterns.expressions import Node, evaluate, truth
from nirc.patterns.syntax import Declaration, Step


@dataclass
class Match:
    """A successful match: the bindings, and every node matched, upstream first."""

    bindings: dict[str, Any]
    nodes: list[Operation]

    def node(self, binding: str) -> Operation | None:
        value = self.bindings.get(binding)
        return value.op if isinstance(value, Node) else None

    def nodes_of(self, binding: str) -> list[Operation]:
        value = self.bindings.get(binding)
        if isinstance(value, Node):
            return [value.op]
        if isinstance(value, list):
            return [n.op for n in value]
        return []


@dataclass
class Failure:
    """Why a chain does not match (see the module doc)."""

    reason: str
    step: Step
    #: the node the failure is about: the one of the wrong kind, the one with several
    #: inputs, or the root where a condition broke
    node: Operation
    #: the node found where the step wanted one (kind), or None
    found: Operation | None = None
    #: how many nodes matched before it failed (the deepest failure is reported)
    depth: int = 0
    #: for ``where``: the condition, as written
    condition: str = ""
    inputs: int = 1
    #: the nodes matched before it failed (upstream first), and their bindings
    matched: list[Operation] = field(default_factory=list)
    bindings: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        if self.reason == "kind":
            found = self.found
            what = f"{found.name} '{_label(found)}'" if found is not None else "nothing"
            return f"expects {self.step.describe()} here, found {what}"
        if self.reason == "fan-in":
            return f"'{_label(self.node)}' has {self.inputs} incoming edges where the chain continues through its only input"
        return f"the condition {self.condition!r} does not hold"


def _label(op: Operation) -> str:
    """The node's name, or its kind where it has none."""
    name = node_name(op)
    return op.name if name is None else name


def _matches(step: Step, op: Operation) -> bool:
    return "_" in step.kinds or op.name in step.kinds


@dataclass
class _Search:
    best: Failure | None = None

    def fail(self, failure: Failure) -> None:
        if self.best is None or failure.depth > self.best.depth:
            self.best = failure


class Chain:
    """The compiled ``match`` (and ``where``) of a declaration."""

    def __init__(self, decl: Declaration):
        self.decl = decl
        self.steps: Sequence[Step] = decl.steps
        self.root = decl.steps[-1]

    def roots(self, op: Operation) -> bool:
        """Whether ``op`` is of the kinds of the chain's last step (the root)."""
        return _matches(self.root, op)

    def match(self, root: Operation) -> Match | Failure:
        """Match the chain at ``root`` (see the module doc)."""
        if not self.roots(root):
            return Failure("kind", self.root, root, root)
        search = _Search()
        env: dict[str, Any] = {}
        if self.root.binding is not None:
            env[self.root.binding] = Node(root)
        result = self._go(len(self.steps) - 2, root, env, [root], search)
        if result is not None:
            return result
        assert search.best is not None
        return search.best

    def _go(self, i: int, cur: Operation, env: dict[str, Any], nodes: list[Operation], search: _Search) -> Match | None:
        """Match steps ``0..i`` upstream of ``cur`` (the node step ``i + 1`` took last)."""
        if i < 0:
            return self._where(env, nodes, search)
        step = self.steps[i]
        upstream, _ = _input(cur)
        if step.quant == "":
            if upstream is None or not _matches(step, upstream):
                search.fail(_stuck(step, cur, nodes, env))
                return None
            return self._go(i - 1, upstream, _bind(env, step, Node(upstream)), [upstream, *nodes], search)
        if step.quant == "?":
            if upstream is not None and _matches(step, upstream):
                found = self._go(i - 1, upstream, _bind(env, step, Node(upstream)), [upstream, *nodes], search)
                if found is not None:
                    return found
            return self._go(i - 1, cur, _bind(env, step, None), nodes, search)
        # * and +: the longest run first, then shorter ones
        run: list[Operation] = []
        node = cur
        while True:
            upstream, _ = _input(node)
            if upstream is None or not _matches(step, upstream) or upstream in run or upstream in nodes:
                break
            run.append(upstream)
            node = upstream
        least = 1 if step.quant == "+" else 0
        for n in range(len(run), least - 1, -1):
            taken = run[:n]
            last = taken[-1] if taken else cur
            bound = [Node(op) for op in reversed(taken)]
            found = self._go(i - 1, last, _bind(env, step, bound), [*reversed(taken), *nodes], search)
            if found is not None:
                return found
        if len(run) < least:
            search.fail(_stuck(step, cur, nodes, env))
        return None

    def _where(self, env: dict[str, Any], nodes: list[Operation], search: _Search) -> Match | None:
        for condition, text in zip(self.decl.where, self.decl.where_text, strict=True):
            if not truth(evaluate(condition, env)):
                search.fail(
                    Failure(
                        "where", self.root, nodes[-1], None, len(nodes), condition=text, matched=nodes, bindings=env
                    )
                )
                return None
        return Match(dict(env), list(nodes))


def _stuck(step: Step, cur: Operation, nodes: list[Operation], env: dict[str, Any]) -> Failure:
    """Why ``step`` takes no node upstream of ``cur``: ``cur`` has several inputs or none
    (``fan-in``), or its one input is not of the step's kinds (``kind``)."""
    upstream, inputs = _input(cur)
    if upstream is None:
        return Failure("fan-in", step, cur, None, len(nodes), inputs=inputs, matched=nodes, bindings=env)
    return Failure("kind", step, cur, upstream, len(nodes), matched=nodes, bindings=env)


def _bind(env: dict[str, Any], step: Step, value: Any) -> dict[str, Any]:
    if step.binding is None:
        return env
    return {**env, step.binding: value}


def _input(op: Operation) -> tuple[Operation | None, int]:
    """The node whose result is ``op``'s only incoming edge (None where it has several or
    none), and how many ``op`` has."""
    operands = op.operands
    if len(operands) != 1:
        return None, len(operands)
    owner = operands[0].owner
    return (owner if isinstance(owner, Operation) else None), 1
