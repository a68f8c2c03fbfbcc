"""Extensions: how every component reaches nirc, its own and a plugin's alike.

An :class:`Extension` bundles what a package brings — dialects, passes, named pipelines,
interpreter kernels, semantics profiles, canonicalization patterns, pattern files and
targets — and is found through the entry-point group ``nirc.extensions``::

    [project.entry-points."nirc.extensions"]
    toy = "toy_plugin.extension:EXTENSION"

nirc's own dialects (``nir``, ``snn``), its generic passes and each of its targets
register exactly this way (see nirc's ``pyproject.toml``), and everything that lists or
looks up a component — the parser's context, ``nir-opt``'s passes and ``--help``, the
interpreter's kernels, the semantics profiles, ``nir-translate --target`` — asks the
functions of this module.  Nothing else keeps a table of components.

A component may be given as the object itself or as a reference ``"module:attribute"``,
imported the first time it is used: a plugin whose pass fails to import then breaks only
that pass, and the error names the plugin and the component (``[plugin]``).  An
extension whose entry point fails to load is left out with a warning.

For notebooks and tests, :func:`register` adds an extension in-process.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from nirc.core.errors import NircError, NircWarning

#: The entry-point group extensions are found in.
GROUP = "nirc.extensions"

#: A component: the object, or ``"module:attribute"`` to import on first use.
Ref = Any


@dataclass(frozen=True)
class Extension:
    """What one package adds to nirc.  Every field but ``name`` is optional.

    * ``dialects`` — xDSL ``Dialect`` s, keyed by their name (or given as a sequence);
    * ``passes`` — ``ModulePass`` classes keyed by pass name (``-p NAME``, ``--NAME``);
    * ``pipelines`` — named pipelines, passes too (:class:`nirc.core.pipeline.PipelinePass`),
      listed apart in ``--help``;
    * ``kernels`` — op class -> interpreter kernel class (:mod:`nirc.core.kernel`);
    * ``profiles`` — semantics profiles (:class:`nirc.core.semantics.Semantics`);
    * ``canonicalizations`` — ``RewritePattern`` s that ``canonicalize`` applies besides
      those ops declare themselves (xDSL's ``HasCanonicalizationPatternsTrait``);
    * ``patterns`` — files in the pattern language (:mod:`nirc.patterns`): their rewrite
      patterns and legality rules, by the names the files give them;
    * ``targets`` — target objects keyed by name (``nir-translate --target=NAME``).

    A value in a mapping (or the whole ``kernels`` / ``canonicalizations`` field) may be a
    reference ``"module:attribute"``; it is imported when first needed.
    """

    name: str
    summary: str = ""
    dialects: Mapping[str, Ref] | Sequence[Any] = field(default_factory=dict)
    passes: Mapping[str, Ref] | Sequence[Any] = field(default_factory=dict)
    pipelines: Mapping[str, Ref] | Sequence[Any] = field(default_factory=dict)
    kernels: Mapping[type, type] | str = field(default_factory=dict)
    profiles: Sequence[Any] = ()
    canonicalizations: Sequence[Any] | str = ()
    patterns: Sequence[Any] = ()
    targets: Mapping[str, Ref] | Sequence[Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in ("dialects", "passes", "pipelines", "targets"):
            object.__setattr__(self, key, _keyed(getattr(self, key), self.name, key))


def _keyed(value: Mapping[str, Ref] | Sequence[Any], ext: str, what: str) -> dict[str, Ref]:
    if isinstance(value, Mapping):
        return dict(value)
    out: dict[str, Ref] = {}
    for item in value:
        name = getattr(item, "name", None)
        if not isinstance(name, str):
            raise NircError(
                f"extension '{ext}': every entry of '{what}' needs a name (or give a mapping name -> component)",
                rule="plugin",
            )
        out[name] = item
    return out


# --------------------------------------------------------------------------- loading


def load_ref(value: Ref, ext: str, what: str) -> Any:
    """``value`` itself, or the object ``"module:attribute"`` names; a failure is a
    :class:`NircError` naming the extension and the component."""
    if not isinstance(value, str):
        return value
    module, _, attr = value.partition(":")
    try:
        obj: Any = importlib.import_module(module)
        for part in attr.split(".") if attr else ():
            obj = getattr(obj, part)
    except Exception as exc:  # a broken plugin must not take the tools down
        raise NircError(
            f"plugin '{ext}': {what} ({value}) failed to load: {type(exc).__name__}: {exc}", rule="plugin"
        ) from None
    return obj


_registered: dict[str, Extension] = {}
#: extension name -> the distribution (package) that installed it; filled by
#: :func:`extensions` each time it looks (an extension registered in-process has none)
_distribution: dict[str, str] = {}
#: the distribution of nirc itself, whose extensions are not plugins
NIRC = "nirc"


def register(extension: Extension) -> None:
    """Add ``extension`` in-process (it replaces an installed one of the same name)."""
    _registered[extension.name] = extension
    _clear()


def unregister(name: str) -> None:
    """Remove an extension added with :func:`register`."""
    _registered.pop(name, None)
    _clear()


def _clear() -> None:
    for fn in (extensions, _components, profiles_by_name, kernel_table):
        fn.cache_clear()


def _load_entry_point(ep: EntryPoint) -> Extension | None:
    try:
        ext = ep.load()
    except Exception as exc:
        warnings.warn(
            f"plugin '{ep.name}' ({ep.value}) failed to load and is left out: {type(exc).__name__}: {exc}",
            NircWarning,
            stacklevel=3,
        )
        return None
    if not isinstance(ext, Extension):
        warnings.warn(f"plugin '{ep.name}': {ep.value} is not a nirc.Extension; left out", NircWarning, stacklevel=3)
        return None
    return ext


@cache
def extensions() -> tuple[Extension, ...]:
    """Every extension: the installed ones by entry-point name, then the registered."""
    found: dict[str, Extension] = {}
    _distribution.clear()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        ext = _load_entry_point(ep)
        if ext is None or ext.name in _registered:
            continue
        if ext.name in found:
            raise NircError(f"two installed packages register an extension named '{ext.name}'", rule="plugin")
        found[ext.name] = ext
        dist = getattr(ep, "dist", None)
        if dist is not None:
            _distribution[ext.name] = dist.name
    found.update(_registered)
    if "nir" not in found:
        raise NircError(
            "nirc's own extensions are not registered (entry points of 'nirc.extensions'): install nirc, e.g. pip install -e .",
            rule="plugin",
        )
    return tuple(found.values())


def distribution(extension: str) -> str | None:
    """The installed package an extension comes from (None: registered in-process)."""
    extensions()
    return _distribution.get(extension)


def is_plugin(extension: str | None) -> bool:
    """Whether ``extension`` comes from another package than nirc (or was registered
    in-process): its failures are its own, not nirc's."""
    extensions()
    return extension is not None and _distribution.get(extension) != NIRC


def blame(kind: str, name: str, exc: BaseException) -> NircError | None:
    """The error to report when ``name`` (a ``pass``, ``pipeline``, ``target``) raised
    ``exc``: a plugin's component is named with its plugin (``[plugin]``); for nirc's
    own, None (the tools report that as nirc's internal error)."""
    if isinstance(exc, NircError):
        return None
    owner = owner_of(kind, name)
    if owner is None and kind == "pass":
        owner = owner_of("pipeline", name)
    if not is_plugin(owner):
        return None
    return NircError(f"{kind} '{name}' of plugin '{owner}' failed: {type(exc).__name__}: {exc}", rule="plugin")


@dataclass(frozen=True)
class Component:
    """A named component of an extension, loaded on first use."""

    kind: str
    name: str
    extension: str
    ref: Ref

    def load(self) -> Any:
        obj = load_ref(self.ref, self.extension, f"{self.kind} '{self.name}'")
        name = getattr(obj, "name", None)
        if name != self.name:
            raise NircError(
                f"plugin '{self.extension}': {self.kind} '{self.name}' ({self.ref if isinstance(self.ref, str) else type(obj).__name__}) "
                f"is named {name!r}: the name it is registered under must be its own",
                rule="plugin",
            )
        return obj


@cache
def _components(kind: str) -> dict[str, Component]:
    field_name = {"dialect": "dialects", "pass": "passes", "pipeline": "pipelines", "target": "targets"}[kind]
    found: dict[str, Component] = {}
    for ext in extensions():
        for name, ref in getattr(ext, field_name).items():
            if name in found:
                raise NircError(
                    f"{kind} '{name}' is registered by both extension '{found[name].extension}' and '{ext.name}'",
                    rule="plugin",
                )
            found[name] = Component(kind, name, ext.name, ref)
    return found


def dialects() -> dict[str, Component]:
    """Dialect name -> component (its ``load()`` gives the xDSL ``Dialect``)."""
    return _components("dialect")


def passes() -> dict[str, Component]:
    """Pass name -> component, named pipelines included (``load()`` gives the class)."""
    return {**_components("pass"), **_components("pipeline")}


def pipelines() -> dict[str, Component]:
    """The named pipelines only."""
    return _components("pipeline")


def targets() -> dict[str, Component]:
    """Target name -> component (``load()`` gives the target object)."""
    return _components("target")


@cache
def profiles_by_name() -> dict[str, Any]:
    """Semantics profile name -> :class:`~nirc.core.semantics.Semantics`: the `nir`
    extension's (the specification's readings) first, then in extension order."""
    found: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for ext in sorted(extensions(), key=lambda e: e.name != "nir"):
        for profile in ext.profiles:
            if profile.name in found:
                raise NircError(
                    f"profile '{profile.name}' is registered by both extension '{owner[profile.name]}' and '{ext.name}'",
                    rule="plugin",
                )
            found[profile.name] = profile
            owner[profile.name] = ext.name
    return found


@cache
def kernel_table() -> tuple[dict[type, type], dict[str, str]]:
    """Op class -> kernel class, from every extension; and extension -> why its kernels
    failed to load (those are left out: an op that needs them says so)."""
    table: dict[type, type] = {}
    broken: dict[str, str] = {}
    for ext in extensions():
        try:
            kernels = load_ref(ext.kernels, ext.name, "kernels")
        except NircError as err:
            broken[ext.name] = err.message
            continue
        table.update(kernels)
        for kernel in kernels.values():
            _kernel_owner[kernel] = ext.name
    return table, broken


_kernel_owner: dict[type, str] = {}


def kernel_owner(kernel: type) -> str | None:
    """The extension that registers a kernel class."""
    kernel_table()
    return _kernel_owner.get(kernel)


def kernel_for(op_class: type) -> type | None:
    """The kernel class of ``op_class`` (or of the nearest base class that has one)."""
    table, _ = kernel_table()
    for cls in op_class.__mro__:
        kernel = table.get(cls)
        if kernel is not None:
            return kernel
    return None


def canonicalization_patterns() -> list[tuple[str, Any]]:
    """(extension, pattern) for every extra canonicalization pattern an extension
    declares."""
    return [
        (ext.name, pattern)
        for ext in extensions()
        for pattern in load_ref(ext.canonicalizations, ext.name, "canonicalizations")
    ]


def pattern_files() -> dict[str, Path]:
    """Every pattern file the extensions ship, by its name ``EXTENSION:STEM``
    (``speck:legality`` for the Speck extension's ``legality.pat``)."""
    found: dict[str, Path] = {}
    for ext in extensions():
        for f in ext.patterns:
            name = f"{ext.name}:{Path(f).stem}"
            if name in found:
                raise NircError(f"extension '{ext.name}' ships two pattern files named '{Path(f).stem}'", rule="plugin")
            found[name] = Path(f)
    return found


def owner_of(kind: str, name: str) -> str | None:
    """The extension that registers component ``name`` of ``kind`` (pass, target, ...)."""
    component = _components(kind).get(name)
    return component.extension if component is not None else None
