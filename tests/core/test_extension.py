"""``nirc.core.extension``: the registry every component comes from.

nirc's own extensions are found through their entry points; an in-process extension
adds components that the context, the pass table, the profiles, the kernels and the
targets all see; references load lazily and a failure names the extension; names must
be unique and a component's own name must be the one it is registered under.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest
from xdsl.passes import ModulePass

import nirc
from nirc.core import extension as ext
from nirc.core.context import make_context
from nirc.core.errors import NircError


def test_nircs_own_extensions_come_from_entry_points() -> None:
    names = {e.name for e in ext.extensions()}
    assert {"nir", "snn", "passes", "patterns", "speck", "snntorch", "norse"} <= names
    assert not ext.is_plugin("nir") and not ext.is_plugin("speck")
    assert {"nir", "snn", "speck"} <= set(ext.dialects())
    assert {"canonicalize", "quantize", "apply-patterns", "nir-to-snn", "nir-to-speck"} <= set(ext.passes())
    assert set(ext.pipelines()) >= {"nir-to-snn", "nir-to-speck"} and "canonicalize" not in ext.pipelines()
    assert list(nirc.profiles())[:2] == ["nir", "exact"]


@dataclass(frozen=True)
class HelloPass(ModulePass):
    name: ClassVar[str] = "hello"

    def apply(self, ctx, op) -> None:
        pass


def test_an_in_process_extension_joins_every_table() -> None:
    profile = nirc.profile("hello-profile", "for the test", reset="none")
    ext.register(nirc.Extension(name="hello", passes=[HelloPass], profiles=(profile,)))
    try:
        assert ext.passes()["hello"].load() is HelloPass and ext.owner_of("pass", "hello") == "hello"
        assert nirc.profiles()["hello-profile"] is profile
        assert ext.is_plugin("hello")
    finally:
        ext.unregister("hello")
    assert "hello" not in ext.passes() and "hello-profile" not in nirc.profiles()


def test_references_load_lazily_and_failures_name_the_extension() -> None:
    ext.register(
        nirc.Extension(name="lazy", passes={"missing": "no_such_module:Pass", "misnamed": "tests_core_misnamed:Pass"})
    )
    try:
        component = ext.passes()["missing"]  # listing loads nothing
        with pytest.raises(
            NircError,
            match=r"plugin 'lazy': pass 'missing' \(no_such_module:Pass\) failed to load: ModuleNotFoundError.*\[plugin\]",
        ):
            component.load()
    finally:
        ext.unregister("lazy")


def test_a_component_is_registered_under_its_own_name() -> None:
    ext.register(nirc.Extension(name="liar", passes={"not-hello": HelloPass}))
    try:
        with pytest.raises(
            NircError, match=r"pass 'not-hello' .* is named 'hello': the name it is registered under must be its own"
        ):
            ext.passes()["not-hello"].load()
    finally:
        ext.unregister("liar")


def test_two_extensions_cannot_register_one_name() -> None:
    ext.register(nirc.Extension(name="dup", passes=[HelloPass]))
    ext.register(nirc.Extension(name="dup2", passes=[HelloPass]))
    try:
        with pytest.raises(NircError, match=r"pass 'hello' is registered by both extension 'dup' and 'dup2'"):
            ext.passes()
    finally:
        ext.unregister("dup")
        ext.unregister("dup2")


def test_the_context_knows_every_registered_dialect() -> None:
    ctx = make_context()
    assert {"builtin", "nir", "snn", "speck"} <= set(ctx.registered_dialect_names)
    assert ctx.get_optional_op("speck.layer") is not None


def test_blame_names_a_plugin_but_not_nirc() -> None:
    assert ext.blame("pass", "canonicalize", RuntimeError("x")) is None  # nirc's own: an internal error
    ext.register(nirc.Extension(name="blamed", passes=[HelloPass]))
    try:
        err = ext.blame("pass", "hello", RuntimeError("boom"))
        assert err is not None and str(err) == "pass 'hello' of plugin 'blamed' failed: RuntimeError: boom [plugin]"
    finally:
        ext.unregister("blamed")
