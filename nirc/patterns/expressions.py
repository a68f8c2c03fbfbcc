"""Evaluating the pattern language's expressions on a match.

Values are numpy arrays and Python numbers, strings, booleans and ``none``; a binding
names a matched node (:class:`Node`), or a list of them for a quantified step
(``pools: nir.sum_pool2d*``).  ``node.key`` is the node's parameter ``key`` (an array, a
string, ``true`` for a unit flag, ``none`` where the node has none); on a list of nodes
it is the list of their values.  Arithmetic and comparisons are numpy's (elementwise,
broadcasting, ``@`` the matrix product); ``and`` / ``or`` stop early.  A condition holds
when every element of its value is true (``none`` never holds).

:data:`FUNCTIONS` is the library, each documented in ``docs/patterns.md``.  Nothing in a
pattern file is ever run as Python: expressions are evaluated by this module.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, StringAttr, UnitAttr
from xdsl.ir import Operation, SSAValue

from nirc.core.dense import DenseAttr
from nirc.core.graph import all_edges
from nirc.patterns.syntax import Attr, Binary, Call, Const, Expr, Index, ListExpr, Name, Span, Unary


class EvalError(Exception):
    """An expression that cannot be evaluated on this match (with where it was written)."""

    def __init__(self, span: Span, message: str):
        super().__init__(message)
        self.span = span


@dataclass(frozen=True)
class Node:
    """A matched node, as expressions see it."""

    op: Operation

    def param(self, key: str) -> Any:
        attr = self.op.properties.get(key)
        if attr is None:
            return None
        if isinstance(attr, DenseAttr):
            return attr.array
        if isinstance(attr, StringAttr):
            return attr.data
        if isinstance(attr, UnitAttr):
            return True
        if isinstance(attr, IntegerAttr):
            return int(attr.value.data)
        return attr


@dataclass(frozen=True)
class Values:
    """SSA values (``inputs(n)``): usable only as the operands of a new node."""

    values: tuple[SSAValue, ...]


def _nodes(x: Any, what: str) -> list[Node]:
    if isinstance(x, Node):
        return [x]
    if isinstance(x, list) and all(isinstance(n, Node) for n in x):
        return x
    raise TypeError(f"{what} takes a node or a list of nodes, got {_type(x)}")


def _map(x: Any, fn: Callable[[Node], Any], what: str) -> Any:
    """``fn`` of a node, or the array of ``fn`` of each node of a list."""
    if isinstance(x, Node):
        return fn(x)
    return np.array([fn(n) for n in _nodes(x, what)])


def _type(x: Any) -> str:
    if isinstance(x, Node):
        return f"node '{x.param('name')}'"
    if isinstance(x, np.ndarray):
        return f"array of shape {list(x.shape)}"
    return type(x).__name__ if x is not None else "none"


def _array(x: Any) -> np.ndarray:
    if isinstance(x, (Node, Values)) or x is None:
        raise TypeError(f"expected a number or an array, got {_type(x)}")
    if isinstance(x, list):
        return np.array([_array(v) for v in x])
    return np.asarray(x)


def _readers(x: Any) -> list[Node]:
    return [Node(reader) for n in _nodes(x, "readers") for reader in all_edges(n.op)]


def _inputs(x: Any) -> Values:
    return Values(tuple(v for n in _nodes(x, "inputs") for v in n.op.operands))


def _len(x: Any) -> int:
    if isinstance(x, (list, str)):
        return len(x)
    return len(_array(x))


def _astype(x: Any, dtype: str) -> np.ndarray:
    if not isinstance(dtype, str):
        raise TypeError('astype takes a dtype name such as "float32"')
    return _array(x).astype(np.dtype(dtype))


#: The functions an expression may call: name -> (function, number of arguments or
#: None for any).  docs/patterns.md lists them with what each returns.
FUNCTIONS: dict[str, tuple[Callable[..., Any], int | None]] = {
    # nodes and edges
    "kind": (lambda n: _map(n, lambda m: m.op.name, "kind"), 1),
    "name": (lambda n: _map(n, lambda m: m.param("name"), "name"), 1),
    "uses": (lambda n: _map(n, lambda m: len(all_edges(m.op)), "uses"), 1),
    "fan_in": (lambda n: _map(n, lambda m: len(m.op.operands), "fan_in"), 1),
    "readers": (_readers, 1),
    "inputs": (_inputs, 1),
    "has": (lambda n, key: _map(n, lambda m: m.op.properties.get(key) is not None, "has"), 2),
    "exists": (lambda x: x is not None and not (isinstance(x, list) and not x), 1),
    "len": (_len, 1),
    # arrays
    "shape": (lambda x: np.array(_array(x).shape, dtype=np.int64), 1),
    "ndim": (lambda x: _array(x).ndim, 1),
    "size": (lambda x: _array(x).size, 1),
    "all": (lambda x: bool(np.all(_array(x))), 1),
    "any": (lambda x: bool(np.any(_array(x))), 1),
    "sum": (lambda x: _array(x).sum(), 1),
    "min": (lambda x: _array(x).min(), 1),
    "max": (lambda x: _array(x).max(), 1),
    "abs": (lambda x: np.abs(_array(x)), 1),
    "sqrt": (lambda x: np.sqrt(_array(x)), 1),
    "exp": (lambda x: np.exp(_array(x)), 1),
    "log": (lambda x: np.log(_array(x)), 1),
    "floor": (lambda x: np.floor(_array(x)), 1),
    "round": (lambda x: np.round(_array(x)), 1),
    "transpose": (lambda x: _array(x).T, 1),
    "reshape": (lambda x, s: _array(x).reshape(tuple(int(d) for d in _array(s).reshape(-1))), 2),
    "zeros_like": (lambda x: np.zeros_like(_array(x)), 1),
    "ones_like": (lambda x: np.ones_like(_array(x)), 1),
    "full_like": (lambda x, v: np.full_like(_array(x), _array(v)), 2),
    "astype": (_astype, 2),
    "dtype": (lambda x: str(_array(x).dtype), 1),
}

_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "%": operator.mod,
    "@": operator.matmul,
    "**": operator.pow,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def truth(value: Any) -> bool:
    """Whether a condition holds: ``none`` never, an array where every element is true."""
    if value is None:
        return False
    if isinstance(value, (Node, Values)):
        return True
    if isinstance(value, list):
        return all(truth(v) for v in value)
    return bool(np.all(value))


def _equal(a: Any, b: Any, negate: bool) -> Any:
    if a is None or b is None:
        same = a is b
        return not same if negate else same
    if isinstance(a, Node) or isinstance(b, Node):
        same = isinstance(a, Node) and isinstance(b, Node) and a.op is b.op
        return not same if negate else same
    if isinstance(a, str) and isinstance(b, str):
        return (a != b) if negate else (a == b)
    left, right = _array(a), _array(b)
    return np.not_equal(left, right) if negate else np.equal(left, right)


def evaluate(expr: Expr, env: dict[str, Any]) -> Any:
    """The value of ``expr`` with the bindings ``env``; :class:`EvalError` otherwise."""
    try:
        return _eval(expr, env)
    except EvalError:
        raise
    except Exception as exc:
        raise EvalError(expr.span, f"{type(exc).__name__}: {exc}") from None


def _eval(expr: Expr, env: dict[str, Any]) -> Any:
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Name):
        if expr.id not in env:
            raise EvalError(expr.span, f"'{expr.id}' is not a binding of the match")
        return env[expr.id]
    if isinstance(expr, Attr):
        base = _eval(expr.value, env)
        if isinstance(base, Node):
            return base.param(expr.attr)
        if isinstance(base, list) and all(isinstance(n, Node) for n in base):
            return [n.param(expr.attr) for n in base]
        raise EvalError(expr.span, f"'.{expr.attr}' needs a node, got {_type(base)}")
    if isinstance(expr, Index):
        base = _eval(expr.value, env)
        key = _eval(expr.index, env)
        if isinstance(base, list):
            return base[int(key)]
        return (
            _array(base)[tuple(int(k) for k in np.atleast_1d(_array(key)))] if np.ndim(key) else _array(base)[int(key)]
        )
    if isinstance(expr, ListExpr):
        return [_eval(item, env) for item in expr.items]
    if isinstance(expr, Call):
        fn, arity = FUNCTIONS[expr.func]
        args = [_eval(a, env) for a in expr.args]
        if arity is not None and len(args) != arity:
            raise EvalError(expr.span, f"{expr.func}() takes {arity} argument(s), got {len(args)}")
        return fn(*args)
    if isinstance(expr, Unary):
        value = _eval(expr.operand, env)
        return (not truth(value)) if expr.op == "not" else -_array(value)
    if isinstance(expr, Binary):
        if expr.op == "and":
            return truth(_eval(expr.left, env)) and truth(_eval(expr.right, env))
        if expr.op == "or":
            return truth(_eval(expr.left, env)) or truth(_eval(expr.right, env))
        left, right = _eval(expr.left, env), _eval(expr.right, env)
        if expr.op in ("==", "!="):
            return _equal(left, right, expr.op == "!=")
        if isinstance(left, str) and isinstance(right, str) and expr.op == "+":
            return left + right
        return _BINARY[expr.op](_array(left), _array(right))
    raise EvalError(expr.span, f"cannot evaluate {type(expr).__name__}")  # pragma: no cover


def subexpressions(expr: Expr) -> Iterator[Expr]:
    """``expr`` and every expression inside it (for the checks made when a file loads)."""
    yield expr
    children: tuple[Expr, ...] = ()
    if isinstance(expr, Attr):
        children = (expr.value,)
    elif isinstance(expr, Index):
        children = (expr.value, expr.index)
    elif isinstance(expr, ListExpr):
        children = expr.items
    elif isinstance(expr, Call):
        children = expr.args
    elif isinstance(expr, Unary):
        children = (expr.operand,)
    elif isinstance(expr, Binary):
        children = (expr.left, expr.right)
    for child in children:
        yield from subexpressions(child)


def as_operands(value: Any, span: Span) -> Sequence[SSAValue]:
    """The SSA values an operand expression stands for: a node's result, a list of
    nodes', or ``inputs(n)``."""
    if isinstance(value, Values):
        return value.values
    if isinstance(value, Node):
        if len(value.op.results) != 1:
            raise EvalError(
                span,
                f"node '{value.param('name')}' has {len(value.op.results)} results: name one with inputs() instead",
            )
        return (value.op.results[0],)
    if isinstance(value, list):
        return tuple(v for item in value for v in as_operands(item, span))
    raise EvalError(span, f"an operand must be a node or inputs(node), got {_type(value)}")
