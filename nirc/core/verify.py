"""Verify a module and report the first violation as a one-line :class:`NircError`."""

from __future__ import annotations

import re

from xdsl.ir import ErasedSSAValue, Operation
from xdsl.traits import IsTerminator, NoTerminator
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from nirc.core.errors import NircError

#: Messages of nirc's verifiers: ``node 'PATH' (OP): MESSAGE [RULE]``.
_NODE_MESSAGE = re.compile(r"^node '(?P<node>.*)' \((?P<op>[\w.]+)\): (?P<msg>.*) \[(?P<rule>[\w-]+)\]$", re.S)


def error_from_verify(exc: Exception) -> NircError:
    """Turn an xDSL verification error into a NircError (node, rule, message)."""
    text = str(exc.args[0]) if exc.args else str(exc)
    match = _NODE_MESSAGE.match(text.strip())
    if match:
        return NircError(match["msg"], rule=match["rule"], node=match["node"])
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return NircError(first, rule="verifier")


def _verify_op(op: Operation) -> None:
    """What xDSL's ``Operation.verify`` checks of one op, without its nested ops and
    without printing the whole module into the error (which costs more than parsing it)."""
    if any(isinstance(operand, ErasedSSAValue) for operand in op.operands):
        raise VerifyException(f"{op.name}: an erased value is used")
    if op.successors:
        op.verify(verify_nested_ops=False)  # branches: xDSL's own checks (no nirc op has them)
        return
    block = op.parent
    region = None if block is None else block.parent
    if block is not None and region is not None and block.last_op is op:
        parent = region.parent
        single = len(region.blocks) == 1
        needs = (parent is not None and not parent.has_trait(NoTerminator)) if single else True
        if needs and not op.has_trait(IsTerminator):
            raise VerifyException(f"Operation {op.name} ends a block but is not a terminator")
    op.verify_()


def verify_module(module: Operation) -> None:
    """Verify ``module``; raise :class:`NircError` naming the node and the rule.

    Every op is verified after the ops nested in it, as xDSL does, but the walk is
    iterative (nesting depth is no limit) and an error costs what finding it costs."""
    stack: list[tuple[Operation, bool]] = [(module, False)]
    while stack:
        op, expanded = stack.pop()
        if not expanded:
            stack.append((op, True))
            nested = [child for region in op.regions for block in region.blocks for child in block.ops]
            stack.extend((child, False) for child in reversed(nested))
            continue
        try:
            _verify_op(op)
        except (VerifyException, DiagnosticException) as exc:
            raise error_from_verify(exc) from None
