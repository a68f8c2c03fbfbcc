"""Named pipelines, and pass options as people type them.

A named pipeline is a pass that stands for a whole journey (``nir-to-snn``).

Pass options are typed as people type them: ``dt=1`` and ``dt=1e-2`` for a float option
(:func:`coerce_options`), and a file name or an operator without quotes
(``report=q.json``, ``compare=>=``: :func:`quote_bare_values`).

A :class:`PipelinePass` lists its steps (other passes, with the options it was given)
and runs them in turn, verifying the IR after each, so a failing step is caught where it
fails.  Extensions register pipelines apart from passes
(:attr:`nirc.core.extension.Extension.pipelines`) so ``nir-opt --help`` lists them apart;
both run with ``-p NAME{options}``.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from abc import abstractmethod

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.arg_spec import ArgSpec, parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError

from nirc.core.gcpause import pauses_gc
from nirc.core.verify import verify_module


class PipelineSpecError(ValueError):
    """A pipeline spec that does not parse, names an unknown pass or gives it bad options."""


class PipelinePass(ModulePass):
    """A pass made of passes: :meth:`steps`, each followed by the verifier."""

    @abstractmethod
    def steps(self) -> tuple[ModulePass, ...]:
        """The passes, in order, configured from this pipeline's options."""

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for step in self.steps():
            step.apply(ctx, op)
            verify_module(op)


def _takes(hint: object, kind: type) -> bool:
    """Whether a field annotated ``hint`` takes a ``kind`` (``float`` or ``float | None``)."""
    if hint is kind:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return kind in typing.get_args(hint)
    return False


def _coerced(key: str, value: object, hint: object) -> object:
    """``value`` as the field's type, or a ``ValueError`` that says what was expected."""
    if _takes(hint, bool):
        if isinstance(value, bool):
            return value
        raise ValueError(f"{key} must be true or false, got {value!r}")
    if _takes(hint, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"{key} must be a whole number, got {value!r}")
    if _takes(hint, float) and not isinstance(value, bool):
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise ValueError(f"{key} must be a number, got {value!r}") from None
    return value


def coerce_options(cls: type[ModulePass], spec: ArgSpec) -> ArgSpec:
    """``spec`` with each single value read as its option's type, or a ``ValueError``
    naming the option and what it takes.

    xDSL's pipeline lexer reads ``1`` as an int and ``1e-2`` (no dot) as a word, and its
    own type check then refuses both for a ``float`` field; people write both.  For a
    value of the wrong kind (``weight-bits=x``) it says "Incompatible types: given
    ('x',), expected <class 'int'>"; this says "weight-bits must be a whole number, got
    'x'"."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a plugin's annotations that do not resolve: leave its spec alone
        return spec
    fields = (
        {f.name.replace("_", "-"): f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
    )
    params = dict(spec.parameters)
    for key, values in spec.parameters.items():
        name = fields.get(key.replace("_", "-"))
        if name is None or not isinstance(values, tuple) or len(values) != 1:
            continue
        params[key] = (_coerced(key, values[0], hints.get(name)),)
    return dataclasses.replace(spec, parameters=params)


#: One ``key=value`` option (a value quoted, or up to the next space or brace), or anything else.
_OPTION = re.compile(r'([\w-]+)=("(?:[^"\\]|\\.)*"|[^\s{}]+)')


def _reads_bare(value: str) -> bool:
    """Whether xDSL's pipeline lexer reads ``value`` (a number, a word, a list of them)
    without quotes: asked of the lexer itself, whose rules are subtle (``-x`` is a word,
    ``+x`` is not)."""
    try:
        list(parse_pipeline(f"p{{k={value}}}"))  # a generator: errors come as it is read
    except ArgSpecParseError:  # a BaseException in xDSL
        return False
    return True


def _quoted(value: str) -> str:
    if value.startswith('"') or _reads_bare(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_bare_values(spec: str) -> str:
    """``spec`` with every option value xDSL's lexer cannot read bare put in quotes:
    ``quantize{report=out/q.json}`` becomes ``quantize{report="out/q.json"}``, so a file
    name or ``compare=>=`` need no quoting on the command line.  Numbers, words and
    comma-separated lists of them, and quoted values, are left as they are."""

    def block(m: re.Match[str]) -> str:
        return "{" + _OPTION.sub(lambda o: f"{o.group(1)}={_quoted(o.group(2))}", m.group(1)) + "}"

    return re.sub(r"\{((?:\"(?:[^\"\\]|\\.)*\"|[^{}\"])*)\}", block, spec)


def build_pipeline(
    spec: str, available: dict[str, typing.Callable[[], type[ModulePass]]] | None = None
) -> tuple[ModulePass, ...]:
    """Parse a pipeline spec (``a,b{opt=v}``) into passes, loading only the passes it
    names (``available``: name -> loader; by default every registered pass and
    pipeline); a bad spec raises :class:`PipelineSpecError` listing the valid passes or
    options."""
    if available is None:
        from nirc.core.extension import passes

        available = {name: component.load for name, component in passes().items()}
    names = ", ".join(sorted(available)) or "(none registered)"
    try:
        specs = tuple(parse_pipeline(quote_bare_values(spec)))
    except ArgSpecParseError as exc:  # a BaseException in xDSL
        detail = str(exc.args[0]).splitlines()[-1] if exc.args else str(exc)
        raise PipelineSpecError(f"malformed pass pipeline {spec!r}: {' '.join(detail.split())}") from None
    built = []
    for pass_spec in specs:
        factory = available.get(pass_spec.name)
        if factory is None:
            close = difflib.get_close_matches(pass_spec.name, list(available), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise PipelineSpecError(f"unknown pass '{pass_spec.name}'{hint} (available passes: {names})")
        cls = factory()  # a plugin's pass that fails to import: NircError [plugin], naming it
        try:
            built.append(cls.from_pass_spec(coerce_options(cls, pass_spec)))
        except (ValueError, TypeError) as exc:
            fields = ", ".join(f.name.replace("_", "-") for f in dataclasses.fields(cls)) or "none"
            raise PipelineSpecError(f"bad options for pass '{pass_spec.name}': {exc} (options: {fields})") from None
    return tuple(built)
