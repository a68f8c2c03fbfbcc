"""The pattern language's syntax tree, and the parser that builds it (lark, LALR).

The grammar is ``grammar.lark`` beside this file; ``docs/patterns.md`` is the
language's reference.  :func:`parse` turns a file's text into :class:`Declaration` s;
a syntax error is a :class:`~nirc.core.errors.NircError` ``[pattern-syntax]`` that
points at the line and column where the text stops making sense.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lark import (
    Lark,
    Token,
    Transformer,
    Tree,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    v_args,
)
from lark import __version__ as lark_version

from nirc.core.errors import NircError

GRAMMAR = Path(__file__).with_name("grammar.lark")


@dataclass(frozen=True)
class Span:
    """Where something was written: 1-based line and column."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}"


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Expr:
    span: Span


@dataclass(frozen=True)
class Const(Expr):
    value: Any


@dataclass(frozen=True)
class Name(Expr):
    id: str


@dataclass(frozen=True)
class Attr(Expr):
    value: Expr
    attr: str


@dataclass(frozen=True)
class Index(Expr):
    value: Expr
    index: Expr


@dataclass(frozen=True)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class ListExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-" or "not"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    op: str  # + - * / @ % ** == != < <= > >= and or
    left: Expr
    right: Expr


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Step:
    """One node of a chain: its binding (or None), the op kinds it may be (``_`` any),
    and how many nodes it takes: ``""`` one, ``?`` zero or one, ``*`` any, ``+`` one or more."""

    binding: str | None
    kinds: tuple[str, ...]
    quant: str
    span: Span
    #: where each kind was written
    kind_spans: tuple[Span, ...] = ()

    def describe(self) -> str:
        kinds = " | ".join(self.kinds)
        return f"({kinds})" if len(self.kinds) > 1 else kinds


@dataclass(frozen=True)
class ChainRef:
    """``@NAME`` in a chain: the steps of ``chain NAME { ... }``, in its place."""

    name: str
    span: Span


@dataclass(frozen=True)
class Replace:
    """``replace TARGET with KIND(OPERANDS) { FIELDS }``."""

    target: str
    kind: str
    operands: tuple[Expr, ...]
    #: (key, expression) to set, or (None, Name) to copy every parameter of a binding
    fields: tuple[tuple[str | None, Expr], ...]
    span: Span


@dataclass(frozen=True)
class Erase:
    """``erase TARGET``: the node's readers read its input."""

    target: str
    span: Span


@dataclass(frozen=True)
class Declaration:
    """A ``pattern`` (with actions), a ``legal`` rule (with a message), or a named
    ``chain`` of steps (neither)."""

    kind: str  # "pattern", "legal" or "chain"
    name: str
    steps: tuple[Step | ChainRef, ...]
    where: tuple[Expr, ...]
    actions: tuple[Replace | Erase, ...] = ()
    #: each condition of ``where`` as written, on one line (for messages)
    where_text: tuple[str, ...] = ()
    message: str | None = None
    span: Span = field(default=Span(1, 1))
    #: the file the declaration comes from (for messages)
    source: str = "<patterns>"


# --------------------------------------------------------------------------- parsing


def _cache_file() -> str | bool:
    """Where lark keeps the analysed grammar between runs (building the LALR tables takes
    about 0.2 s, loading them 0.01 s): ``$NIRC_CACHE_DIR`` (empty: no cache), else
    ``$XDG_CACHE_HOME/nirc`` or ``~/.cache/nirc``.  lark checks the grammar's hash on
    loading and rebuilds on any mismatch or damage; a cache that cannot be written is
    skipped."""
    base = os.environ.get("NIRC_CACHE_DIR")
    if base is None:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "nirc")
    if not base:
        return False
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        return False
    return os.path.join(base, f"patterns-lark{lark_version}-py{sys.version_info[0]}{sys.version_info[1]}.cache")


@cache
def _parser() -> Lark:
    return Lark(
        GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        cache=_cache_file(),
    )


def _span(item: Tree | Token) -> Span:
    if isinstance(item, Token):
        return Span(item.line or 1, item.column or 1)
    meta = item.meta
    return Span(getattr(meta, "line", 1), getattr(meta, "column", 1))


#: a string or a comment, as the grammar's STRING and COMMENT
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|(?://|#)[^\n]*')


def _one_line(text: str) -> str:
    """Source text on one line, its comments left out."""
    text = _STRING_OR_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _unquote(token: str) -> str:
    body = token[1:-1]
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@v_args(tree=True)
class _Build(Transformer):
    def __init__(self, source: str, text: str):
        super().__init__()
        self.source = source
        self.text = text

    # expressions
    def number(self, t: Tree) -> Expr:
        text = str(t.children[0])
        value: float | int = float(text) if any(c in text for c in ".eE") else int(text)
        return Const(_span(t), value)

    def string(self, t: Tree) -> Expr:
        return Const(_span(t), _unquote(str(t.children[0])))

    def true(self, t: Tree) -> Expr:
        return Const(_span(t), True)

    def false(self, t: Tree) -> Expr:
        return Const(_span(t), False)

    def none(self, t: Tree) -> Expr:
        return Const(_span(t), None)

    def name(self, t: Tree) -> Expr:
        return Name(_span(t), str(t.children[0]))

    def list(self, t: Tree) -> Expr:
        return ListExpr(_span(t), tuple(t.children))

    def attr(self, t: Tree) -> Expr:
        return Attr(_span(t), t.children[0], str(t.children[1]))

    def index(self, t: Tree) -> Expr:
        return Index(_span(t), t.children[0], t.children[1])

    def call(self, t: Tree) -> Expr:
        func, *args = t.children
        return Call(_span(t), str(func), tuple(args))

    def neg(self, t: Tree) -> Expr:
        return Unary(_span(t), "-", t.children[0])

    def not_(self, t: Tree) -> Expr:
        return Unary(_span(t), "not", t.children[0])

    def binary(self, t: Tree) -> Expr:
        """``a op b op c ...``, left-associative: ``(a op b) op c``."""
        result, *rest = t.children
        for op, right in zip(rest[::2], rest[1::2], strict=True):
            result = Binary(_span(t), str(op), result, right)
        return result

    # declarations
    def kind(self, t: Tree) -> tuple[str, Span]:
        return str(t.children[0]), _span(t.children[0])

    def kinds(self, t: Tree) -> tuple[tuple[str, Span], ...]:
        return tuple(t.children)

    def binding(self, t: Tree) -> str:
        return str(t.children[0])

    def chain_ref(self, t: Tree) -> ChainRef:
        return ChainRef(str(t.children[0])[1:], _span(t))

    def step(self, t: Tree) -> Step:
        binding, kinds, quant = t.children
        return Step(
            binding,
            tuple(k for k, _ in kinds),
            str(quant) if quant is not None else "",
            _span(t),
            tuple(s for _, s in kinds),
        )

    def match_clause(self, t: Tree) -> tuple[Step, ...]:
        return tuple(t.children)

    def condition(self, t: Tree) -> tuple[Expr, str]:
        """A ``where`` condition, and its text as written."""
        return t.children[0], _one_line(self.text[t.meta.start_pos : t.meta.end_pos])

    def where_clause(self, t: Tree) -> tuple[tuple[Expr, str], ...]:
        return tuple(t.children)

    def message_clause(self, t: Tree) -> str:
        return _unquote(str(t.children[0]))

    def set_field(self, t: Tree) -> tuple[str | None, Expr]:
        return (str(t.children[0]), t.children[1])

    def copy_fields(self, t: Tree) -> tuple[str | None, Expr]:
        return (None, Name(_span(t), str(t.children[0])))

    def fields(self, t: Tree) -> tuple[tuple[str | None, Expr], ...]:
        return tuple(t.children)

    def build(self, t: Tree) -> tuple[str, tuple[Expr, ...], tuple[tuple[str | None, Expr], ...]]:
        kind, *operands, fields = t.children
        return str(kind), tuple(operands), fields or ()

    def replace(self, t: Tree) -> Replace:
        target, (kind, operands, fields) = t.children
        return Replace(str(target), kind, operands, fields, _span(t))

    def erase(self, t: Tree) -> Erase:
        return Erase(str(t.children[0]), _span(t))

    def _declaration(self, t: Tree, kind: str) -> Declaration:
        name, steps, *rest = t.children
        conditions: tuple[tuple[Expr, str], ...] = ()
        actions: list[Replace | Erase] = []
        message = None
        for item in rest:
            if item is None:
                continue
            if isinstance(item, str):
                message = item
            elif isinstance(item, (Replace, Erase)):
                actions.append(item)
            else:
                conditions = item
        where = tuple(expr for expr, _ in conditions)
        texts = tuple(text for _, text in conditions)
        return Declaration(kind, str(name), steps, where, tuple(actions), texts, message, _span(t), self.source)

    def pattern_decl(self, t: Tree) -> Declaration:
        return self._declaration(t, "pattern")

    def legal_decl(self, t: Tree) -> Declaration:
        return self._declaration(t, "legal")

    def chain_decl(self, t: Tree) -> Declaration:
        return Declaration("chain", str(t.children[0]), tuple(t.children[1:]), (), span=_span(t), source=self.source)

    def start(self, t: Tree) -> list[Declaration]:
        return list(t.children)


def _expected(err: UnexpectedInput) -> str:
    expected = getattr(err, "expected", None) or getattr(err, "allowed", None) or set()
    names = sorted(_describe_terminal(e) for e in expected)
    return ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")


_TERMINALS = {
    "NAME": "a name",
    "DECL_NAME": "a name",
    "OPNAME": "an op kind (dialect.op)",
    "STRING": "a string",
    "NUMBER": "a number",
    "QUANT": "?, * or +",
    "ANY": "_",
    "CHAIN_REF": "@chain",
    "COMP_OP": "a comparison",
    "ADD_OP": "+ or -",
    "MUL_OP": "*, /, @ or %",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "COLON": "':'",
    "DOT": "'.'",
    "VBAR": "'|'",
    "EQUAL": "'='",
}


def _describe_terminal(name: str) -> str:
    """A terminal as the grammar writes it: ``'->'``, ``'erase'``, ``a name`` (lark's
    own names for literals, ``__ANON_0``, ``MINUS``, mean nothing to a reader)."""
    if name in _TERMINALS:
        return _TERMINALS[name]
    try:
        pattern = _parser().get_terminal(name).pattern
    except KeyError:
        return name.lower()
    return f"'{pattern.value}'" if pattern.type == "str" else name.lower()


def parse(text: str, source: str = "<patterns>") -> list[Declaration]:
    """The declarations of a pattern file's text; a syntax error names line and column."""
    try:
        tree = _parser().parse(text)
    except (UnexpectedEOF, UnexpectedToken) as err:
        if isinstance(err, UnexpectedEOF) or err.token.type == "$END":
            what = f"the text ends in the middle of a declaration (expected {_expected(err)})"
        else:
            what = f"unexpected {str(err.token)!r}; expected {_expected(err)}"
        raise NircError(f"line {err.line}:{err.column}: {what}", rule="pattern-syntax", file=source) from None
    except UnexpectedCharacters as err:
        raise NircError(
            f"line {err.line}:{err.column}: unexpected character {err.char!r}", rule="pattern-syntax", file=source
        ) from None
    except UnexpectedInput as err:  # pragma: no cover - the three above are all lark raises
        raise NircError(f"line {err.line}:{err.column}: {err}", rule="pattern-syntax", file=source) from None
    return _Build(source, text).transform(tree)
