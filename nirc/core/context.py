"""The xDSL context: builtin and every dialect the registered extensions bring."""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin

from nirc.core.extension import dialects


def make_context() -> Context:
    """A fresh context that knows builtin and every registered dialect (each loaded
    the first time the parser meets its prefix)."""
    ctx = Context()
    ctx.load_dialect(Builtin)
    for name, component in dialects().items():
        ctx.register_dialect(name, component.load)
    return ctx
