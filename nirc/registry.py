"""Plugin registries: dialects, passes and targets, found through entry points.

A third-party package extends nirc by declaring entry points in its ``pyproject.toml``::

    [project.entry-points."nirc.dialects"]
    mydialect = "mypkg.dialect:MY_DIALECT"        # an xdsl Dialect
    [project.entry-points."nirc.passes"]
    my-pass = "mypkg.passes:MyPass"               # a ModulePass subclass
    [project.entry-points."nirc.targets"]
    mychip = "mypkg.target:MyTarget"              # a target object

nirc's own dialects, passes and targets are registered the same way (see nirc's
``pyproject.toml``), so the tools treat in-tree and third-party components alike.
Entry points are loaded lazily; a plugin that fails to import is reported by name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from nirc.errors import NircError

GROUPS = ("nirc.dialects", "nirc.passes", "nirc.targets")

#: Components registered in-process (tests, notebooks), by group and name.
_extra: dict[str, dict[str, Callable[[], Any]]] = {g: {} for g in GROUPS}


def register(group: str, name: str, factory: Callable[[], Any]) -> None:
    """Register a component without an entry point (``factory()`` returns it)."""
    if group not in _extra:
        raise ValueError(f"unknown registry group {group!r}; expected one of {', '.join(GROUPS)}")
    _extra[group][name] = factory
    available.cache_clear()


def _load(ep: EntryPoint) -> Callable[[], Any]:
    def factory() -> Any:
        try:
            return ep.load()
        except Exception as exc:  # a broken plugin must not take the tools down
            raise NircError(f"plugin '{ep.name}' ({ep.value}) failed to load: {exc}", rule="plugin") from None

    return factory


@cache
def available(group: str) -> dict[str, Callable[[], Any]]:
    """Name -> factory of every component of ``group`` (entry points, then in-process)."""
    found: dict[str, Callable[[], Any]] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        found.setdefault(ep.name, _load(ep))
    found.update(_extra[group])
    return found
