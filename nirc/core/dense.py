"""`#nir.dense`: an immutable, numpy-backed tensor attribute.

Every numeric parameter of every nirc dialect lives in a :class:`DenseAttr`.  The array
is kept exactly as it was read (dtype, shape, 0-d scalars stay 0-d), is never converted
to Python lists, and is made read-only so that attributes can be shared and hashed.

Textual forms::

    #nir.dense<f32: 0.5>                      a 0-d scalar
    #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]> small tensors inline, flat, row-major
    #nir.dense<16xf64: 0.005>                 a splat: every element the same (any size)
    #nir.dense<2xcomplex<f32>: [(1.0, 2.0), (0.0, -1.0)]>  complex elements as (re, im)
    #nir.dense<2000x2000xf32: blob "9f2c...">  large tensors as a reference to a blob

Blobs live in a ``{-# dialect_resources: { nir: { key: "0x..." } } #-}`` section at
the end of the file (MLIR's layout).  Unlike xDSL's builtin ``dense_resource``, blobs
are resolved while one file is parsed (see :mod:`nirc.io.text`) and the attribute then
holds the array itself: there is no process-wide blob table.  A blob key is a content
hash, so identical tensors share one blob and the text is deterministic.
"""

from __future__ import annotations

import contextvars
import hashlib
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import Data
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer

from nirc.core import budget

#: numpy dtype name <-> MLIR element type spelling.
_DTYPE_TO_MLIR: dict[str, str] = {
    "float16": "f16",
    "float32": "f32",
    "float64": "f64",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "ui8",
    "uint16": "ui16",
    "uint32": "ui32",
    "uint64": "ui64",
    "bool": "i1",
    "complex64": "complex<f32>",
    "complex128": "complex<f64>",
}
_MLIR_TO_DTYPE = {v: k for k, v in _DTYPE_TO_MLIR.items()}

#: Tensors with more elements than this print as blobs by default.
DEFAULT_BLOB_THRESHOLD = 64


class UnsupportedDtype(ValueError):
    """A numpy dtype that a ``#nir.dense`` cannot hold (strings, objects, complex)."""


#: The same table keyed by native numpy dtypes (``dtype.name`` is slow on hot paths).
_BY_DTYPE: dict[np.dtype[Any], str] = {np.dtype(k): v for k, v in _DTYPE_TO_MLIR.items()}


def element_type_name(dtype: np.dtype[Any]) -> str:
    """The MLIR spelling of a numpy dtype (``float32`` -> ``f32``)."""
    name = _BY_DTYPE.get(dtype)
    if name is not None:
        return name
    try:
        return _DTYPE_TO_MLIR[np.dtype(dtype).name]
    except KeyError:
        raise UnsupportedDtype(f"unsupported element type {np.dtype(dtype).name}") from None


@dataclass(frozen=True, eq=False)
class Tensor:
    """A read-only numpy array with value equality and a content hash.

    The array is stored in native byte order and C layout; it is not copied when it
    already is (a read-only view is taken instead).
    """

    array: np.ndarray

    def __post_init__(self) -> None:
        arr = self.array
        element_type_name(arr.dtype)  # reject unsupported dtypes early
        if not arr.dtype.isnative:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        if not arr.flags.c_contiguous:
            arr = np.ascontiguousarray(arr)
        if arr.flags.writeable:
            arr = arr.view()
            arr.flags.writeable = False
        object.__setattr__(self, "array", arr)

    @property
    def digest(self) -> str:
        """A hex content hash over dtype, shape and bytes (computed once)."""
        cached = self.__dict__.get("_digest")
        if cached is None:
            h = hashlib.blake2b(digest_size=10)
            h.update(f"{self.array.dtype.str}{self.array.shape}".encode())
            h.update(memoryview(self.array).cast("B"))
            cached = h.hexdigest()
            object.__setattr__(self, "_digest", cached)
        return cached

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tensor):
            return NotImplemented
        a, b = self.array, other.array
        if a is b:
            return True
        return a.dtype == b.dtype and a.shape == b.shape and memoryview(a).cast("B") == memoryview(b).cast("B")


@dataclass
class BlobTable:
    """Blobs of one print or one parse: key -> array."""

    threshold: int = DEFAULT_BLOB_THRESHOLD
    blobs: dict[str, np.ndarray] | None = None

    def __post_init__(self) -> None:
        if self.blobs is None:
            self.blobs = {}


#: The blob table of the print or parse under way (None: print everything inline).
current_blobs: contextvars.ContextVar[BlobTable | None] = contextvars.ContextVar("nirc_current_blobs", default=None)


def _format_float(value: np.floating[Any]) -> str:
    """Shortest text that reads back to the same value in its own precision.

    MLIR float literals need a '.', and non-finite values print as their bit pattern
    in hex (as mlir-opt does)."""
    if not math.isfinite(float(value)):
        raw = value.tobytes()[::-1].hex()  # big-endian bit pattern
        return f"0x{raw.upper()}"
    text = str(value) if value.dtype != np.float64 else repr(float(value))
    return text if "." in text else _dot(text)


def _format_elements(arr: np.ndarray) -> str:
    flat = arr.reshape(-1)
    if not flat.size:
        return ""
    if arr.dtype.kind == "f":
        # numpy's str() of a float array is the shortest round-trip text per element,
        # the same as str() of each scalar, in one C call.
        texts = flat.astype(str).tolist()
        finite = np.isfinite(flat)
        if not finite.all():
            for i in np.flatnonzero(~finite):
                texts[i] = _format_float(flat[i])
        items = [t if "." in t or t.startswith("0x") else _dot(t) for t in texts]
    elif arr.dtype.kind == "c":
        real = _format_elements(np.ascontiguousarray(flat.real)).split(", ")
        imag = _format_elements(np.ascontiguousarray(flat.imag)).split(", ")
        items = [f"({r}, {i})" for r, i in zip(real, imag, strict=True)]
    elif arr.dtype.kind == "b":
        items = ["true" if v else "false" for v in flat.tolist()]
    else:
        items = [str(v) for v in flat.tolist()]
    return ", ".join(items)


def _dot(text: str) -> str:
    """MLIR float literals need a '.': ``1e-30`` -> ``1.0e-30``."""
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0{e}{exponent}"


_FAST_BODY = re.compile(r"<\s*(?:((?:\d+x)+))?([a-z0-9]+)\s*:\s*([^<>\"]*?)\s*>")
#: What the token parser accepts, element by element (ASCII digits only).
_INT_TEXT = re.compile(r"-?[0-9]+")
_FLOAT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?)?")


class ElementRangeError(ValueError):
    """A literal that does not fit the element type (300 as i8, 1e39 as f32)."""


def to_array(values: list[Any], dtype: np.dtype[Any], elem: str) -> np.ndarray:
    """Numbers (or float bit patterns given as numpy scalars) to an array of ``dtype``;
    raise :class:`ElementRangeError` for values the type cannot hold."""
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        for v in values:
            if not info.min <= v <= info.max:
                raise ElementRangeError(f"{v} is out of range for {elem}")
        return np.array(values, dtype=dtype)
    if dtype.kind == "b":
        return np.array(values, dtype=dtype)
    if dtype.kind == "c":
        part = np.dtype(f"f{dtype.itemsize // 2}")
        out = np.empty(len(values), dtype=dtype)
        out.real = to_array([v[0] for v in values], part, elem)
        out.imag = to_array([v[1] for v in values], part, elem)
        return out
    out = np.empty(len(values), dtype=dtype)
    for i, v in enumerate(values):
        if isinstance(v, np.generic):  # an exact bit pattern
            out[i] = v
            continue
        with np.errstate(over="ignore"):
            out[i] = v
        if math.isinf(out[i]) and math.isfinite(v):
            raise ElementRangeError(f"{v} is out of range for {elem}")
    return out


def _convert(items: list[str], dtype: np.dtype[Any], elem: str) -> np.ndarray | None:
    """Fast path: the element texts to an array, or None when anything is unusual."""
    if dtype.kind == "b":
        if any(v not in ("true", "false") for v in items):
            return None
        return np.array([v == "true" for v in items], dtype=dtype)
    pattern = _FLOAT_TEXT if dtype.kind == "f" else _INT_TEXT
    if not all(pattern.fullmatch(v) for v in items):
        return None
    try:
        if dtype.kind == "f":
            as64 = np.array([float(v) for v in items], dtype=np.float64)
            with np.errstate(over="ignore"):
                arr = as64.astype(dtype)
            if np.isinf(arr).any():
                return None  # the token parser reports the overflow
            return arr
        return to_array([int(v, 10) for v in items], dtype, elem)
    except ElementRangeError:
        return None


def parse_dense_body(content: str, pos: int) -> tuple[Tensor, int] | None:
    """Parse an inline ``<SHAPExTYPE: values>`` at ``content[pos:]`` straight from the
    text; return the tensor and the end position.

    xDSL's lexer costs ~10 µs a token; a tensor literal is parsed here in one regex
    and one numpy call.  Anything unusual (blobs, hex floats, malformed input) returns
    None and goes through the token parser, which also gives the precise errors."""
    match = _FAST_BODY.match(content, pos)
    if match is None:
        return None
    dims_text, elem, body = match.groups()
    dtype_name = _MLIR_TO_DTYPE.get(elem)
    if dtype_name is None or "0x" in body or "0X" in body:
        return None
    dims = [int(d) for d in dims_text[:-1].split("x")] if dims_text else []
    budget.check_dims(len(dims), "a #nir.dense")
    dtype = np.dtype(dtype_name)
    count = math.prod(dims)
    if body.startswith("["):
        if not body.endswith("]"):
            return None
        inner = body[1:-1].strip()
        items = [v.strip() for v in inner.split(",")] if inner else []
        if len(items) != count or not dims:
            return None
        values = _convert(items, dtype, elem)
        if values is None:
            return None
        arr = values.reshape(dims)
    else:
        values = _convert([body], dtype, elem)
        if values is None:
            return None
        budget.check(count * dtype.itemsize, f"a splat #nir.dense<{dims_text}{elem}>")
        arr = np.broadcast_to(values, dims).copy() if dims else values.reshape(())
    return Tensor(arr), match.end()


def _parse_fast(parser: AttrParser) -> Tensor | None:
    content = parser.lexer.input.content
    if not isinstance(content, str):
        return None
    parsed = parse_dense_body(content, parser.pos)
    if parsed is None:
        return None
    parser._resume_from(parsed[1])  # pyright: ignore[reportPrivateUsage]
    return parsed[0]


def _checked_array(parser: AttrParser, values: list[Any], dtype: np.dtype[Any], elem: str, start: int) -> np.ndarray:
    try:
        return to_array(values, dtype, elem)
    except ElementRangeError as exc:
        parser.raise_error(str(exc), start, parser.pos)


def _is_splat(arr: np.ndarray) -> bool:
    """All elements bit-identical (so -0.0 and 0.0, or two NaN payloads, differ)."""
    rows = arr.reshape(-1).view(np.uint8).reshape(arr.size, arr.dtype.itemsize)
    return bool((rows == rows[0]).all())


def _parse_element(parser: AttrParser, dtype: np.dtype[Any]) -> Any:
    if dtype.kind == "c":  # (real, imag)
        part = np.dtype(f"f{dtype.itemsize // 2}")
        parser.parse_punctuation("(")
        real = _parse_element(parser, part)
        parser.parse_punctuation(",")
        imag = _parse_element(parser, part)
        parser.parse_punctuation(")")
        return (real, imag)
    if dtype.kind == "b":
        value = parser.parse_optional_boolean()
        if value is None:
            parser.raise_error("expected 'true' or 'false'")
        return value
    if dtype.kind == "f":
        pos = parser.pos
        number = parser.parse_number()
        if isinstance(number, int):
            literal = parser.lexer.input.content[pos : parser.pos].strip()
            if literal.lower().startswith("0x"):
                if number.bit_length() > 8 * dtype.itemsize:
                    parser.raise_error(
                        f"bit pattern {literal} is wider than {8 * dtype.itemsize} bits", pos, parser.pos
                    )
                raw = number.to_bytes(dtype.itemsize, "big")
                return np.frombuffer(raw[::-1], dtype=dtype)[0]
        return number
    return parser.parse_integer(allow_boolean=False)


@irdl_attr_definition
class DenseAttr(Data[Tensor]):
    """A numpy-backed tensor constant (``#nir.dense``); see the module docstring."""

    name = "nir.dense"

    @staticmethod
    def from_array(value: Any, dtype: Any = None) -> DenseAttr:
        """Wrap an array (or a number, list) without copying it where possible."""
        arr = np.asarray(value, dtype=dtype)
        return DenseAttr(Tensor(arr))

    @property
    def array(self) -> np.ndarray:
        return self.data.array

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.array.shape

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.data.array.dtype

    def __repr__(self) -> str:
        return f"DenseAttr({self.array.dtype}{list(self.array.shape)})"

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> Tensor:
        fast = _parse_fast(parser)
        if fast is not None:
            return fast
        with parser.in_angle_brackets():
            dims, elem = parser.parse_ranked_shape()
            if any(d < 0 for d in dims):
                parser.raise_error("dynamic dimensions ('?') are not allowed in #nir.dense")
            budget.check_dims(len(dims), "a #nir.dense")
            elem_text = str(elem)
            dtype_name = _MLIR_TO_DTYPE.get(elem_text)
            if dtype_name is None:
                parser.raise_error(f"unsupported element type {elem_text}")
            dtype = np.dtype(dtype_name)
            parser.parse_punctuation(":")
            if parser.parse_optional_keyword("blob") is not None:
                key = parser.parse_str_literal()
                table = current_blobs.get()
                blobs = table.blobs if table is not None else None
                if blobs is None or key not in blobs:
                    parser.raise_error(f"unknown blob {key!r}: no such entry in the file's dialect_resources")
                raw = blobs[key]
                count = math.prod(dims)
                if raw.nbytes != count * dtype.itemsize:
                    parser.raise_error(
                        f"blob {key!r} holds {raw.nbytes} bytes, "
                        f"{'x'.join(map(str, dims)) or 'scalar'} {elem_text} needs {count * dtype.itemsize}"
                    )
                arr = raw.view(dtype.newbyteorder("<")).reshape(dims)
                return Tensor(arr)
            count = math.prod(dims)
            if dims and parser.parse_optional_punctuation("[") is None:
                # A splat: one value for every element.
                start = parser.pos
                value = _checked_array(parser, [_parse_element(parser, dtype)], dtype, elem_text, start)
                budget.check(count * dtype.itemsize, f"a splat of {'x'.join(map(str, dims))} {elem_text}")
                return Tensor(np.broadcast_to(value, dims).copy())
            start = parser.pos
            if dims:
                values: list[Any] = []
                if parser.parse_optional_punctuation("]") is None:
                    values.append(_parse_element(parser, dtype))
                    while parser.parse_optional_punctuation(",") is not None:
                        values.append(_parse_element(parser, dtype))
                    parser.parse_punctuation("]")
            else:
                values = [_parse_element(parser, dtype)]
            if len(values) != count:
                parser.raise_error(f"expected {count} elements for shape {dims}, got {len(values)}")
            arr = _checked_array(parser, values, dtype, elem_text, start).reshape(dims)
            return Tensor(arr)

    def print_parameter(self, printer: Printer) -> None:
        arr = self.array
        elem = element_type_name(arr.dtype)
        shape = "x".join(str(d) for d in arr.shape)
        printer.print_string(f"<{shape}x{elem}: " if shape else f"<{elem}: ")
        if arr.ndim and arr.size > 1 and _is_splat(arr):
            printer.print_string(f"{_format_elements(arr.reshape(-1)[:1])}>")
            return
        table = current_blobs.get()
        if table is not None and arr.size > table.threshold:
            key = f"blob_{self.data.digest}"
            assert table.blobs is not None
            table.blobs[key] = arr
            printer.print_string(f'blob "{key}">')
            return
        body = _format_elements(arr)
        printer.print_string(f"[{body}]>" if arr.ndim else f"{body}>")
