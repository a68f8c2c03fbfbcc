"""Pausing Python's cyclic garbage collector while a large IR is built or rewritten."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def pauses_gc(apply: F) -> F:
    """Run ``apply`` (a pass, the importer) with Python's cyclic garbage collector paused.

    Erased ops point at their results and back, so only the collector frees them; a
    pass that builds thousands of ops triggers full collections, each walking every
    live object of a large module, and the cost per node then grows with the graph
    (``benchmarks/bench_passes.py`` measured 1.5-1.7x per node from 1k to 10k nodes).
    The garbage is collected at the next collection after the pass instead."""

    @wraps(apply)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return apply(*args, **kwargs)
        gc.disable()
        try:
            return apply(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper  # type: ignore[return-value]
