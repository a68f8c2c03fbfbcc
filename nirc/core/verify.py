"""Verify a module and report the first violation as a one-line :class:`NircError`."""

from __future__ import annotations

import re

from xdsl.ir import Operation
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


def verify_module(module: Operation) -> None:
    """Verify ``module``; raise :class:`NircError` naming the node and the rule."""
    try:
        module.verify()
    except (VerifyException, DiagnosticException) as exc:
        raise error_from_verify(exc) from None
