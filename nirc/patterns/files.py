"""Loading a pattern file: parse, check every name against the registered dialects and
the expression library, compile.

:func:`load` (a path) and :func:`loads` (text) give a :class:`PatternSet`: its rewrite
patterns (:class:`~nirc.patterns.compiled.PatternRewrite`) and legality rules
(:class:`~nirc.patterns.compiled.LegalityRule`) by name.  Everything a file can get
wrong is reported when it loads, at its line and column (``[pattern-syntax]``): an op
kind no registered dialect has, a name that is no binding, a function the library does
not have, a rewrite of a quantified binding, two declarations of one name.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from xdsl.ir import Operation

from nirc.core.context import make_context
from nirc.core.errors import NircError
from nirc.core.extension import pattern_files
from nirc.patterns.compiled import LegalityRule, PatternRewrite
from nirc.patterns.expressions import FUNCTIONS, subexpressions
from nirc.patterns.syntax import Call, Declaration, Name, Replace, Span, Step, parse


@dataclass
class PatternSet:
    """The compiled declarations of one file."""

    source: str
    rewrites: list[PatternRewrite] = field(default_factory=list)
    legality: dict[str, LegalityRule] = field(default_factory=dict)

    def rule(self, name: str) -> LegalityRule:
        found = self.legality.get(name)
        if found is None:
            raise NircError(
                f"no legality rule '{name}' (the file has {', '.join(self.legality) or 'none'})",
                rule="pattern-syntax",
                file=self.source,
            )
        return found


def _fail(decl_source: str, span: Span, message: str) -> NircError:
    return NircError(f"{span}: {message}", rule="pattern-syntax", file=decl_source)


def _expand(decl: Declaration, chains: dict[str, Declaration], seen: tuple[str, ...] = ()) -> tuple[Step, ...]:
    """The steps of ``decl`` with every ``@chain`` replaced by that chain's steps."""
    steps: list[Step] = []
    for step in decl.steps:
        if isinstance(step, Step):
            steps.append(step)
            continue
        found = chains.get(step.name)
        if found is None:
            raise _fail(
                decl.source,
                step.span,
                f"no chain '{step.name}' is declared before it (chains: {', '.join(chains) or 'none'})",
            )
        if step.name in seen:
            raise _fail(decl.source, step.span, f"chain '{step.name}' refers to itself")
        steps.extend(_expand(found, chains, (*seen, step.name)))
    return tuple(steps)


def _check(decl: Declaration, op_classes: _OpClasses) -> None:
    bindings: dict[str, str] = {}
    for step in decl.steps:
        assert isinstance(step, Step)
        for kind, span in zip(step.kinds, step.kind_spans or [step.span] * len(step.kinds), strict=True):
            if kind != "_" and not op_classes.known(kind):
                raise _fail(decl.source, span, f"unknown op kind '{kind}' (no registered dialect has it)")
        if step.binding is not None:
            if step.binding in bindings or step.binding in FUNCTIONS:
                raise _fail(decl.source, step.span, f"'{step.binding}' is bound twice, or names a function")
            bindings[step.binding] = step.quant
    if decl.steps[-1].quant:
        raise _fail(
            decl.source,
            decl.steps[-1].span,
            f"the last step is the node the {decl.kind} is about: it cannot be quantified ({decl.steps[-1].quant})",
        )
    exprs = [*decl.where]
    for action in decl.actions:
        if isinstance(action, Replace):
            if not op_classes.known(action.kind):
                raise _fail(decl.source, action.span, f"unknown op kind '{action.kind}' (no registered dialect has it)")
            exprs.extend(action.operands)
            exprs.extend(expr for key, expr in action.fields)
        target = action.target
        if target not in bindings:
            raise _fail(
                decl.source,
                action.span,
                f"'{target}' is not a binding of the match (bindings: {', '.join(bindings) or 'none'})",
            )
        if bindings[target]:
            raise _fail(
                decl.source,
                action.span,
                f"'{target}' is a quantified binding ({bindings[target]}): only a single node can be {'replaced' if isinstance(action, Replace) else 'erased'}",
            )
    for expr in exprs:
        for sub in subexpressions(expr):
            if isinstance(sub, Name) and sub.id not in bindings:
                raise _fail(
                    decl.source,
                    sub.span,
                    f"'{sub.id}' is not a binding of the match (bindings: {', '.join(bindings) or 'none'})",
                )
            if isinstance(sub, Call) and sub.func not in FUNCTIONS:
                raise _fail(
                    decl.source, sub.span, f"unknown function '{sub.func}' (see docs/patterns.md for the library)"
                )


class _OpClasses(dict[str, type[Operation]]):
    """The op classes of the kinds a file names, looked up as its declarations are
    checked (an xDSL context loads a dialect the first time one of its kinds is asked
    for); after :func:`_check`, every kind a declaration names is here."""

    def __init__(self) -> None:
        super().__init__()
        self.ctx = make_context()

    def known(self, kind: str) -> bool:
        """Whether some registered dialect has ``kind``."""
        if kind not in self:
            try:
                found = self.ctx.get_optional_op(kind)
            except Exception:  # a plugin dialect that fails to load: its ops are unknown here
                found = None
            if found is None:
                return False
            self[kind] = found
        return True


def loads(text: str, source: str = "<patterns>") -> PatternSet:
    """Parse, check and compile pattern text."""
    decls = parse(text, source)
    classes = _OpClasses()
    result = PatternSet(source)
    seen: set[str] = set()
    chains: dict[str, Declaration] = {}
    for decl in decls:
        if decl.name in seen:
            raise _fail(source, decl.span, f"two declarations are named '{decl.name}'")
        seen.add(decl.name)
        decl = dataclasses.replace(decl, steps=_expand(decl, chains))
        if decl.kind == "chain":
            chains[decl.name] = decl
            continue
        _check(decl, classes)
        if decl.kind == "pattern":
            result.rewrites.append(PatternRewrite(decl, classes))
        else:
            result.legality[decl.name] = LegalityRule(decl)
    return result


def resolve(name: str | os.PathLike[str]) -> Path:
    """The pattern file ``name`` stands for: a path, or a file an extension ships, named
    ``EXTENSION:STEM`` (``speck:legality``)."""
    path = Path(name)
    if path.exists() or ":" not in str(name):
        return path
    shipped = pattern_files()
    if str(name) in shipped:
        return shipped[str(name)]
    known = ", ".join(sorted(shipped)) or "none"
    raise NircError(
        f"no pattern file '{name}': give a path, or one an extension ships ({known})", rule="file", file=str(name)
    )


def load(path: str | os.PathLike[str]) -> PatternSet:
    """Load a pattern file (``.pat``): a path, or ``EXTENSION:STEM`` (:func:`resolve`)."""
    path = resolve(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise NircError(f"cannot read the pattern file: {reason}", rule="file", file=str(path)) from None
    return loads(text, str(path))
