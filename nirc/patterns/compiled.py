"""What declarations compile to: a legality rule, or an xDSL ``RewritePattern``.

* :class:`LegalityRule` (``legal NAME { ... }``): every node of the kinds of the chain's
  last step must match the chain; :meth:`LegalityRule.check` gives the match or the
  :class:`~nirc.patterns.match.Failure`, :meth:`LegalityRule.violations` one
  :class:`~nirc.core.errors.Violation` per node that breaks it, rule = the rule's name.
* :class:`PatternRewrite` (``pattern NAME { ... }``): a ``RewritePattern`` rooted at the
  chain's last step, applied by nirc's driver like any other (``apply-patterns``,
  ``nir-opt --patterns FILE``).  Its actions go through the ``PatternRewriter``:
  ``replace X with KIND(OPERANDS) {FIELDS}`` builds a node of ``KIND`` that takes ``X``'s
  name and readers (``..Y`` copies every parameter of ``Y`` first); ``erase X`` lets
  ``X``'s readers read its input (a match where ``X`` reads itself is not rewritten).
  Matched nodes left without readers are erased after (never an Input or an Output); a
  match touching a frozen node is not rewritten.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import StringAttr, UnitAttr
from xdsl.ir import Attribute, Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError, Violation
from nirc.core.graph import all_edges
from nirc.core.node import node_name, node_path, shape_of
from nirc.core.rewriting import build, erase_nodes, replace_node, rewritable
from nirc.core.traits import is_input, is_output
from nirc.patterns.expressions import EvalError, Node, as_operands, evaluate
from nirc.patterns.match import Chain, Failure, Match
from nirc.patterns.syntax import Declaration, Erase, Name, Replace


def _error(decl: Declaration, err: EvalError, op: Operation) -> NircError:
    return NircError(
        f"{decl.source}: {err.span}: in {decl.kind} '{decl.name}': {err}", rule="pattern", node=node_path(op)
    )


class LegalityRule:
    """A compiled ``legal`` declaration."""

    def __init__(self, decl: Declaration):
        self.decl = decl
        self.name = decl.name
        self.chain = Chain(decl)

    def applies_to(self, op: Operation) -> bool:
        """Whether ``op`` must satisfy the rule (it is of the kinds of the last step)."""
        return self.chain.roots(op)

    def check(self, op: Operation) -> Match | Failure:
        try:
            return self.chain.match(op)
        except EvalError as err:
            raise _error(self.decl, err, op) from None

    def violations(self, ops: list[Operation]) -> tuple[list[Match], list[Violation]]:
        """The matches of the nodes ``ops`` the rule applies to, and a violation for each
        node that breaks it (its message, then why)."""
        matches: list[Match] = []
        broken: list[Violation] = []
        for op in ops:
            if not self.applies_to(op):
                continue
            result = self.check(op)
            if isinstance(result, Match):
                matches.append(result)
                continue
            lead = f"{self.decl.message}: " if self.decl.message else f"does not match {self.name}: "
            broken.append(
                Violation(
                    self.name, node_name(result.node), lead + result.describe(), limit=self.name, actual=result.reason
                )
            )
        return matches, broken


def _attr(value: Any) -> Attribute | None:
    """A field's value as a property (``none`` / ``false``: left out)."""
    if value is None or value is False:
        return None
    if value is True:
        return UnitAttr()
    if isinstance(value, Attribute):
        return value
    if isinstance(value, str):
        return StringAttr(value)
    return DenseAttr.from_array(np.asarray(value))


class PatternRewrite(RewritePattern):
    """A compiled ``pattern`` declaration (see the module doc)."""

    #: a user's rewrite may change rounding: ``canonicalize{fold=false}`` never runs it
    exact = False

    def __init__(self, decl: Declaration, op_classes: dict[str, type[Operation]]):
        self.decl = decl
        self.name = decl.name
        self.chain = Chain(decl)
        self.op_classes = op_classes
        kinds = decl.steps[-1].kinds
        self.root_types = None if "_" in kinds else tuple(op_classes[k] for k in kinds)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not self.chain.roots(op):
            return
        try:
            found = self.chain.match(op)
        except EvalError as err:
            raise _error(self.decl, err, op) from None
        if not isinstance(found, Match) or not all(rewritable(n) for n in found.nodes):
            return
        if any(isinstance(a, Erase) and _reads_itself(found.node(a.target)) for a in self.decl.actions):
            return  # its readers cannot read its input instead: that is itself
        env = dict(found.bindings)
        try:
            for action in self.decl.actions:
                if isinstance(action, Replace):
                    self._replace(action, env, rewriter)
                else:
                    self._erase(action, env, rewriter)
        except EvalError as err:
            raise _error(self.decl, err, op) from None
        self._sweep(found.nodes, rewriter)

    def _target(self, name: str, env: dict[str, Any], span: Any) -> Operation:
        value = env.get(name)
        if not isinstance(value, Node) or value.op.parent is None:
            raise EvalError(span, f"'{name}' is no node to rewrite (absent, a list, or gone)")
        return value.op

    def _replace(self, action: Replace, env: dict[str, Any], rewriter: PatternRewriter) -> None:
        target = self._target(action.target, env, action.span)
        operands = [v for expr in action.operands for v in as_operands(evaluate(expr, env), expr.span)]
        props: dict[str, Attribute] = {}
        for key, expr in action.fields:
            if key is None:  # ..binding: every parameter of that node
                assert isinstance(expr, Name)
                source = self._target(expr.id, env, expr.span)
                props.update({k: v for k, v in source.properties.items() if k not in ("name", "edge_ids")})
                continue
            value = _attr(evaluate(expr, env))
            if value is None:
                props.pop(key, None)
            else:
                props[key] = value
        shape = shape_of(target.results[0]) if target.results else None  # every signal is a tensor of f32
        new = build(self.op_classes[action.kind], node_name(target) or "node", operands, props, shape)  # type: ignore[arg-type]
        replace_node(rewriter, target, [new])
        env[action.target] = Node(new)

    def _erase(self, action: Erase, env: dict[str, Any], rewriter: PatternRewriter) -> None:
        target = self._target(action.target, env, action.span)
        if len(target.operands) != 1 or len(target.results) != 1:
            raise EvalError(
                action.span,
                f"erase needs a node with one input and one result; '{action.target}' has {len(target.operands)} inputs",
            )
        if _reads_itself(target):  # made so by an earlier action (a match's own are never rewritten)
            raise EvalError(action.span, f"'{action.target}' reads itself: its readers cannot read its input instead")
        replace_node(rewriter, target, [], results=[target.operands[0]])
        env.pop(action.target, None)

    @staticmethod
    def _sweep(nodes: list[Operation], rewriter: PatternRewriter) -> None:
        """Erase the matched nodes the rewrite left without readers: downstream first
        (``nodes`` is upstream first), so a node read only by dead ones is dead too."""
        dead: dict[Operation, None] = {}
        for op in reversed(nodes):
            if op in dead or op.parent is None or is_input(op) or is_output(op) or not op.results:
                continue
            if all(reader in dead for reader in all_edges(op)):
                dead[op] = None
        if dead:
            erase_nodes(rewriter, list(dead))


def _reads_itself(op: Operation | None) -> bool:
    return op is not None and any(value.owner is op for value in op.operands)
