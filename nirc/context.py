"""The xDSL context with every registered dialect (builtin, nir, plugins)."""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin

from nirc.registry import available


def make_context() -> Context:
    """A fresh context that knows builtin and every registered nirc dialect."""
    ctx = Context()
    ctx.load_dialect(Builtin)
    dialects = available("nirc.dialects")
    for name, factory in dialects.items():
        ctx.register_dialect(name, factory)
    if "nir" not in dialects:  # running from a source tree that is not installed
        from nirc.dialects.nir import NIR
        from nirc.dialects.snn import SNN
        from nirc.dialects.speck import SPECK

        ctx.load_dialect(NIR)
        ctx.load_dialect(SNN)
        ctx.load_dialect(SPECK)
    return ctx
