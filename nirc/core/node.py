"""Node ops: the base classes every nirc dialect's nodes derive from.

A model is a graph region (``nir.graph``, :mod:`nirc.dialects.nir`) whose ops are the
graph's *nodes*:

* an edge is a use of an SSA value; a node with several incoming edges takes several
  operands, whose signals are **summed** (NIR's fan-in);
* recurrent edges are forward references (a graph region has no dominance);
* every node keeps its name verbatim in the ``name`` property (:func:`node_path` prefixes
  the names of the graphs around it);
* parameters are ``#nir.dense`` properties (:class:`~nirc.core.dense.DenseAttr`) holding
  numpy arrays with their dtype;
* every signal is a ``tensor<...xf32>`` whose shape is the batch-free signal shape (the
  element type carries no meaning: :func:`signal_type`).

:class:`NodeOp` is the public base of a node op, in-tree or in a plugin: a subclass
lists its parameters (``PARAMS``, ``OPTIONAL_PARAMS``, ``INT_PARAMS``), infers its output
shape (:meth:`NodeOp.infer_output_shape`) and may state the input shape its parameters
fix (:meth:`NodeOp.expected_input_shape`); the verifier, the custom syntax::

    %fc1 = nir.affine "fc1"(%in) {weight = #nir.dense<...>, bias = #nir.dense<...>}
        : tensor<12xf32> -> tensor<38xf32>

and the error messages (``node 'PATH' (OP): MESSAGE [RULE]``) come with it.
:class:`ValueNodeOp` is a node with one outgoing signal, :class:`ElementwiseOp` one whose
parameters share the signal's shape.  ``docs/plugins.md`` shows a plugin op.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DictionaryAttr, Float32Type, IntegerAttr, StringAttr, TensorType, f32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation, opt_prop_def, prop_def, result_def, var_operand_def
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from nirc.core.dense import DenseAttr, parse_dense_body
from nirc.core.shapes import ShapeError

Shape = tuple[int, ...]


def signal_type(shape: Sequence[int]) -> TensorType:
    """The type of a NIR signal of the given batch-free shape (shared per shape:
    attributes are immutable)."""
    return _signal_type(tuple(int(d) for d in shape))


@functools.lru_cache(maxsize=4096)
def _signal_type(shape: tuple[int, ...]) -> TensorType:
    return TensorType(f32, shape)


@functools.lru_cache(maxsize=4096)
def _type_text(typ: Attribute) -> str:
    """How a type prints (cached: graphs repeat a few shapes many times)."""
    import io

    out = io.StringIO()
    Printer(stream=out).print_attribute(typ)
    return out.getvalue()


def shape_of(value: SSAValue | Attribute) -> Shape:
    typ = value.type if isinstance(value, SSAValue) else value
    assert isinstance(typ, TensorType)
    return tuple(int(d) for d in typ.get_shape())


def ssa_hint(name: str) -> str:
    """A readable SSA name for a node (``lif1.lif`` -> ``lif1_lif``); only a hint,
    the node's name is its ``name`` property."""
    hint = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    hint = hint if hint and not hint[0].isdigit() else f"n{hint}"
    # xDSL reads a trailing "_<digits>" as its own uniquing suffix and drops it on parse:
    # "fc_1" would print as %fc_1 and come back as %fc (not a fixed point); "fc1" stays.
    while (trailing := re.search(r"_(\d+)$", hint)) is not None:
        hint = hint[: trailing.start()] + trailing.group(1)
    return hint


class NodeError(ValueError):
    """A violated rule on one node; ``rule`` is a short kebab-case name."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


def node_name(op: Operation) -> str | None:
    """The node's NIR name (its ``name`` property), or None for an op without one."""
    name = op.properties.get("name")
    return name.data if isinstance(name, StringAttr) else None


def node_path(op: Operation) -> str:
    """The node's name, prefixed by the names of the graphs around it (``sub/lif``)."""
    parts: list[str] = []
    cur: Operation | None = op
    while cur is not None:
        name = node_name(cur)
        if name is not None:
            parts.append(name)
        cur = cur.parent_op()
    return "/".join(reversed(parts)) or "<graph>"


def verify_edge_ids(op: Operation) -> None:
    attr = op.properties.get("edge_ids")
    if attr is None:
        return
    arr = attr.array if isinstance(attr, DenseAttr) else None
    if arr is None or arr.dtype.kind not in "iu" or arr.ndim != 1:
        raise NodeError("edge-ids", "edge_ids must be a 1-D array of integers")
    if arr.size != len(op.operands):
        raise NodeError("edge-ids", f"edge_ids has {arr.size} entries for {len(op.operands)} incoming edges")
    if (arr < 0).any():
        raise NodeError("edge-ids", "edge_ids must be >= 0")


def verify_error(op: Operation, err: NodeError | ShapeError) -> VerifyException:
    """The verifier's exception for a violated rule on ``op``: ``node 'PATH' (OP): MESSAGE [RULE]``."""
    rule = err.rule if isinstance(err, NodeError) else "shape"
    return VerifyException(f"node '{node_path(op)}' ({op.name}): {err} [{rule}]")


# --------------------------------------------------------------------------- nodes


class NodeOp(IRDLOperation):
    """Base of every node op: a name, incoming edges and parameters.

    Subclasses list their parameters in ``PARAMS`` (required) and ``OPTIONAL_PARAMS``;
    each is a ``#nir.dense`` property of the same name unless noted, and those in
    ``INT_PARAMS`` must hold integers.  The verifier checks dtypes and finiteness, the
    incoming shapes against :meth:`expected_input_shape`, and the result type against
    :meth:`infer_output_shape`; a subclass adds its own checks in :meth:`_verify_params`
    (raising :class:`NodeError`).  Ops of the `nir` dialect also name their NIR type
    (``NIR_TYPE = "LIF"``), which is what a ``.nir`` file can hold.
    """

    #: The NIR node type (``"LIF"``) of ops that a ``.nir`` file holds; absent elsewhere.
    NIR_TYPE: ClassVar[str]
    PARAMS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ()
    #: Parameters that must hold integers (strides, dims, ...).
    INT_PARAMS: ClassVar[tuple[str, ...]] = ()

    node_name = prop_def(StringAttr, prop_name="name")
    inputs = var_operand_def(TensorType)
    metadata = opt_prop_def(DictionaryAttr)
    #: Position of each incoming edge in the file's edge list (kept only where the
    #: file's order differs from the order of the IR; see ``docs/dialect.md``).
    edge_ids = opt_prop_def(DenseAttr)

    # ------------------------------------------------------------------ helpers
    def param(self, key: str) -> np.ndarray:
        attr = self.properties[key]
        assert isinstance(attr, DenseAttr)
        return attr.array

    def opt_param(self, key: str) -> np.ndarray | None:
        attr = self.properties.get(key)
        return attr.array if isinstance(attr, DenseAttr) else None

    def integer(self, key: str) -> int:
        """The value of an integer property (``groups = 1 : i64``)."""
        attr = self.properties[key]
        assert isinstance(attr, IntegerAttr)
        return int(attr.value.data)

    @property
    def nir_name(self) -> str:
        return self.node_name.data

    def input_shape(self) -> Shape | None:
        """Shape of the incoming signal, or None when the node has no incoming edge."""
        return shape_of(self.inputs[0]) if self.inputs else None

    # ------------------------------------------------------------- type rules
    def expected_input_shape(self) -> Shape | None:
        """The input shape the parameters fix, if they fix one."""
        return None

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        """The output shape for a given input shape (None: no incoming edge)."""
        raise NotImplementedError

    def checked_params(self) -> tuple[str, ...]:
        """The array parameters whose dtype and finiteness the verifier checks."""
        return self.PARAMS + self.OPTIONAL_PARAMS

    def _verify_params(self) -> None:
        for key in self.checked_params():
            arr = self.opt_param(key)
            if arr is None:
                continue
            if arr.dtype.kind not in "iuf":
                raise NodeError("param-dtype", f"parameter '{key}' must hold numbers, got {arr.dtype}")
            if key in self.INT_PARAMS and arr.dtype.kind not in "iu":
                raise NodeError("param-dtype", f"parameter '{key}' must hold integers, got {arr.dtype}")
            if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                raise NodeError("finite-params", f"parameter '{key}' has non-finite values")

    def _verify_inputs(self) -> Shape | None:
        shapes = {shape_of(v) for v in self.inputs}
        if len(shapes) > 1:
            listed = ", ".join(str(list(s)) for s in sorted(shapes))
            raise NodeError("fan-in-shapes", f"incoming edges carry different shapes {listed}; NIR sums them")
        got = self.input_shape()
        expected = self.expected_input_shape()
        if got is not None and expected is not None and got != expected:
            raise NodeError(
                "edge-shape",
                f"incoming edge carries shape {list(got)}, the parameters expect {list(expected)}",
            )
        return got if got is not None else expected

    def verify_(self) -> None:
        try:
            verify_edge_ids(self)
            self._verify_params()
            in_shape = self._verify_inputs()
            self._verify_output(in_shape)
        except (NodeError, ShapeError) as err:
            raise verify_error(self, err) from None

    def _verify_output(self, in_shape: Shape | None) -> None:
        out = self.infer_output_shape(in_shape)
        typ = self.results[0].type
        if not isinstance(typ, TensorType) or not isinstance(typ.element_type, Float32Type):
            raise NodeError("result-type", f"result must be a tensor of f32, got {typ}")
        if shape_of(typ) != tuple(out):
            raise NodeError("result-type", f"result has shape {list(shape_of(typ))}, inferred {list(out)}")

    # -------------------------------------------------------------- syntax
    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, *cls.OPTIONAL_PARAMS, "metadata", "edge_ids")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_string_literal(self.nir_name)
        if self.inputs:
            printer.print_operands(self.inputs)
        _print_props(printer, self, self.property_order())
        if self.attributes:
            printer.print_string(" attributes ")
            printer.print_attr_dict(self.attributes)
        if not self.inputs and not self.results:
            return  # an Output without incoming edges has no type to print
        printer.print_string(" : ")
        if self.inputs:
            printer.print_string(_type_text(self.inputs[0].type))
            if self.results:
                printer.print_string(" -> ")
        if self.results:
            printer.print_string(_type_text(self.results[0].type))

    @classmethod
    def parse(cls, parser: Parser) -> NodeOp:
        name = parser.parse_str_literal(" for the node name")
        unresolved = parse_optional_operands(parser)
        props = _parse_props(parser, cls, {"name": StringAttr(name)})
        attrs = parser.parse_optional_attr_dict_with_keyword()
        has_result = bool(cls.get_irdl_definition().results)
        in_type: Attribute | None = None
        out_type: Attribute | None = None
        if has_result or unresolved:
            parser.parse_punctuation(":")
        if unresolved:
            in_type = _parse_signal_type(parser)
            if has_result:
                parser.parse_punctuation("->")
                out_type = _parse_signal_type(parser)
            elif parser.parse_optional_punctuation("->") is not None:
                parser.raise_error(f"{cls.name} has no result: its type is just the input type")
        elif has_result:
            out_type = _parse_signal_type(parser)
        operands = [parser.resolve_operand(u, in_type) for u in unresolved]
        return cls.create(
            operands=operands,
            result_types=[out_type] if has_result else [],
            properties=props,
            attributes=attrs.data if attrs is not None else {},
        )


def parse_optional_operands(parser: Parser) -> list[UnresolvedOperand]:
    if parser.parse_optional_punctuation("(") is None:
        return []
    if parser.parse_optional_punctuation(")") is not None:
        return []
    operands = [parser.parse_unresolved_operand()]
    while parser.parse_optional_punctuation(",") is not None:
        operands.append(parser.parse_unresolved_operand())
    parser.parse_punctuation(")")
    return operands


def _print_props(printer: Printer, op: Operation, order: Sequence[str]) -> None:
    props = {k: op.properties[k] for k in order if k in op.properties}
    props.update({k: v for k, v in op.properties.items() if k not in props and k != "name"})
    if props:
        printer.print_string(" ")
        printer.print_attr_dict(props)


_KEY = re.compile(r"\s*([A-Za-z_][\w$.]*)\s*=\s*")
_SEP = re.compile(r"\s*([,}])")
_SIGNAL_TYPE = re.compile(r"tensor<((?:\d+x)*)f32>")


def _parse_entries_fast(parser: Parser) -> dict[str, Attribute] | None:
    """``{key = #nir.dense<...>, ...}`` straight from the text, or None to fall back
    to xDSL's token parser (which handles every other attribute)."""
    content = parser.lexer.input.content
    pos = parser.pos
    if not isinstance(content, str) or not content.startswith("{", pos):
        return None
    entries: dict[str, Attribute] = {}
    i = pos + 1
    while True:
        key = _KEY.match(content, i)
        if key is None or not content.startswith("#nir.dense<", key.end()):
            return None
        parsed = parse_dense_body(content, key.end() + len("#nir.dense"))
        if parsed is None:
            return None
        if key.group(1) in entries:
            return None  # the token parser reports the duplicate
        entries[key.group(1)] = DenseAttr(parsed[0])
        sep = _SEP.match(content, parsed[1])
        if sep is None:
            return None
        i = sep.end()
        if sep.group(1) == "}":
            break
    parser._resume_from(i)  # pyright: ignore[reportPrivateUsage]
    return entries


def _parse_signal_type(parser: Parser) -> Attribute:
    """A ``tensor<...xf32>`` type, read directly from the text where possible."""
    content = parser.lexer.input.content
    if isinstance(content, str):
        match = _SIGNAL_TYPE.match(content, parser.pos)
        if match is not None:
            dims = match.group(1)
            parser._resume_from(match.end())  # pyright: ignore[reportPrivateUsage]
            return signal_type([int(d) for d in dims[:-1].split("x")] if dims else [])
    return parser.parse_type()


def _parse_props(parser: Parser, cls: type[IRDLOperation], props: dict[str, Attribute]) -> dict[str, Attribute]:
    start = parser.pos
    fast = _parse_entries_fast(parser)
    entries = fast if fast is not None else parser.parse_optional_attr_dict()
    known = set(cls.get_irdl_definition().properties)
    for key, value in entries.items():
        if key not in known:
            parser.raise_error(
                f"unknown parameter '{key}' for {cls.name}; expected one of "
                + ", ".join(sorted(k for k in known if k != "name")),
                start,
                parser.pos,
            )
        props[key] = value
    return props


class ValueNodeOp(NodeOp):
    """A node with one outgoing signal."""

    output = result_def(TensorType)


class ElementwiseOp(ValueNodeOp):
    """A node whose parameters all share the signal's shape (neurons, Scale, ...)."""

    def _verify_params(self) -> None:
        super()._verify_params()
        shapes = {k: self.param(k).shape for k in self.PARAMS if k in self.properties}
        if len(set(shapes.values())) > 1:
            listed = ", ".join(f"{k}{list(s)}" for k, s in shapes.items())
            raise NodeError("param-shapes", f"parameters must share one shape, got {listed}")

    def expected_input_shape(self) -> Shape | None:
        return tuple(self.param(self.PARAMS[0]).shape)

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return tuple(self.param(self.PARAMS[0]).shape)
