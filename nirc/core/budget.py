"""The memory budget: sizes a file or a model *declares* are checked before anything is
allocated or decompressed.

A `.nir` dataset, a splat in text IR (``#nir.dense<1099511627776xf32: 0.0>``), an input
array's header or the signals a run would keep declare how many bytes they need; that is
compared with the budget first, and more is an error ``[limit]`` naming what asked, not an
out-of-memory crash.  The budget is ``NIRC_MEMORY_LIMIT`` (``8G``, ``512M``, ``1e9``
bytes; ``none`` for no limit), which the tools' ``--memory-limit`` sets; by default half of
this machine's physical memory (at least 1 GiB).
"""

from __future__ import annotations

import os

from nirc.core.errors import NircError

ENV = "NIRC_MEMORY_LIMIT"
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str) -> int | None:
    """``8G``, ``512M``, ``1.5g``, ``1e9`` (bytes): a number of bytes; ``none`` or ``0``:
    no limit (None)."""
    t = text.strip().lower().removesuffix("ib").removesuffix("b")
    if t in ("none", "0", ""):
        return None
    unit = t[-1] if t and t[-1] in _UNITS else ""
    try:
        value = float(t[: len(t) - len(unit)]) * _UNITS[unit]
    except ValueError:
        raise ValueError(f"a size such as 8G, 512M or 1e9, or none; got {text!r}") from None
    if not value > 0:
        raise ValueError(f"a size must be positive, got {text!r}")
    return int(value)


def default_limit() -> int:
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 8 << 30
    return max(1 << 30, physical // 2)


def limit() -> int | None:
    """The budget in bytes (None: no limit)."""
    text = os.environ.get(ENV)
    if text is None:
        return default_limit()
    try:
        return parse_size(text)
    except ValueError as err:
        raise NircError(f"{ENV}: {err}", rule="limit") from None


def human(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes} B"  # unreachable


def check(nbytes: int, what: str, *, node: str | None = None) -> None:
    """Refuse ``what`` (which declares ``nbytes``) beyond the budget, before allocating it."""
    budget = limit()
    if budget is not None and nbytes > budget:
        raise NircError(
            f"{what}: {human(nbytes)}, beyond the memory limit of {human(budget)} "
            f"(set {ENV} or --memory-limit to allow more)",
            rule="limit",
            node=node,
        )


#: numpy's largest number of dimensions
MAX_DIMS = 64


def check_dims(ndim: int, what: str, *, node: str | None = None) -> None:
    """Refuse an array of more dimensions than numpy holds."""
    if ndim > MAX_DIMS:
        raise NircError(f"{what} has {ndim} dimensions; numpy holds at most {MAX_DIMS}", rule="limit", node=node)
