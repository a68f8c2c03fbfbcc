"""Hypothesis strategies for random, valid reference graphs (``nir.NIRGraph``).

The graphs are built with the reference package (``nir==1.0.8``) itself, so they are
what a user of any NIR framework could hand to ``nir.write``:

* every node type: Input, Output, Affine, Linear, Conv1d, Conv2d (groups > 1 too),
  SumPool2d, AvgPool2d, Flatten, Delay, Scale, Threshold, I, LI, IF, LIF, CubaLI,
  CubaLIF and nested NIRGraph;
* float32 and float64 parameters (one dtype drawn per parameter), integer shapes
  and strides as int64 or int32;
* node names with dots, spaces, quotes, backslashes, control characters and
  unicode -- never ``/``, NUL, ``.`` or ``..``, which HDF5 cannot store (see
  :data:`TEXT_MODES` to narrow them, and metadata strings, for the text form);
* metadata on every node and graph: nested dicts, strings, ints, floats (NaN and
  infinities too), bools, numpy scalars and arrays of every numeric dtype, lists of
  numbers;
* architectures: sequential, recurrent (a cycle through a Linear back into a
  neuron), self-loop, branches, fan-in, residual and nested graphs; the edge list
  is always in a random order.

Two flavours, chosen per graph (see :class:`GraphCase`):

*checked*
    built with ``type_check=True``: the reference infers the shapes of Conv, pooling
    and Flatten nodes that leave them open.  It only gets square Conv2d kernels
    right (it uses ``weight.shape[2]`` for both axes), and it needs a plain
    ``"output"`` port in front of every node whose input shape it infers.
*unchecked*
    built with ``type_check=False``: every shape is spelled out (Conv ``input_shape``,
    Flatten ``input_type``), so non-square kernels and grouped convolutions with an
    explicit ``input_shape`` (which the reference mis-types) appear too.

Shapes are small (at most 8 per dimension, fewer for 3-D signals) to keep tests fast;
large parameter arrays are mostly filled from a seeded generator rather than drawn
element by element (hypothesis' data budget would run out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nir
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = [
    "ARCHITECTURES",
    "TEXT_MODES",
    "GraphCase",
    "ascii_node_names",
    "graph_cases",
    "metadata",
    "metadata_values",
    "node_names",
]

FLOAT_DTYPES = (np.dtype("float32"), np.dtype("float64"))
INT_DTYPES = (np.dtype("int64"), np.dtype("int32"))
#: Numeric dtypes for metadata arrays and scalars (h5py stores all of them).
META_DTYPES = tuple(
    np.dtype(d)
    for d in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    )
)

ELEMENTWISE = ("Scale", "Threshold", "Delay", "I", "LI", "IF", "LIF", "CubaLI", "CubaLIF")
NEURONS = ("I", "LI", "IF", "LIF", "CubaLI", "CubaLIF")
ARCHITECTURES = ("sequential", "recurrent", "self-loop", "branches", "fan-in", "residual", "nested")

# ----------------------------------------------------------------------------- names

#: Characters worth having in names: dots (nirc's ``graph.port`` syntax), quotes and
#: backslashes (text escaping), whitespace, SSA-hint collisions ('a b' vs 'a_b').
_SPECIAL_ASCII = list(". '\"\\\t\n_-:%#@$^!?[]{}()<>,;=+*~`|&\x7f\x01")
_SPECIAL_UNICODE = list("é中ß😀\u200b\x80")
_TRICKY_ASCII = (
    "input",
    "output",
    "in",
    "out",
    "type",
    "nodes",
    "edges",
    "metadata",
    "shape",
    "node",
    "version",
    "type_check",
    "a.b",
    "lif1.lif",
    "sub.input",
    "...",
    " ",
    ".a",
    "a.",
    "0",
    "%0",
    "'",
    '"',
    "\\",
    "a b",
    "a_b",
    "n0",
    "blob_0",
)
_TRICKY_UNICODE = ("é", "中文", "名前.x", "😀")


#: Text modes: ``"any"`` (everything HDF5 can store) and ``"ascii"``.
TEXT_MODES = ("any", "ascii")


def _storable(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name


def _name_strategy(mode: str) -> st.SearchStrategy[str]:
    if mode == "ascii":
        chars = st.one_of(st.sampled_from(_SPECIAL_ASCII), st.characters(codec="ascii", exclude_characters="/\x00"))
        tricky = _TRICKY_ASCII
    else:
        chars = st.one_of(
            st.sampled_from(_SPECIAL_ASCII + _SPECIAL_UNICODE),
            st.characters(codec="utf-8", exclude_characters="/\x00"),
        )
        tricky = _TRICKY_ASCII + _TRICKY_UNICODE
    names = st.one_of(st.sampled_from(tricky), st.text(chars, min_size=1, max_size=10))
    return names.filter(_storable)


_NAMES = {mode: _name_strategy(mode) for mode in TEXT_MODES}
#: Node names (and metadata keys): anything HDF5 can store as a link name.
node_names = _NAMES["any"]
#: The same, ASCII only.
ascii_node_names = _NAMES["ascii"]

# -------------------------------------------------------------------------- metadata


def _numpy_scalar(dtype: np.dtype) -> st.SearchStrategy[Any]:
    return hnp.from_dtype(dtype).map(dtype.type)


_META_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3)


def _metadata_strategies(mode: str) -> tuple[st.SearchStrategy[Any], dict[int, st.SearchStrategy[dict[str, Any]]]]:
    # ``metadata`` is no key: ``nir.write`` treats a key of that name specially at
    # every depth (it skips it when empty and crashes on a non-dict).
    keys = _NAMES[mode].filter(lambda k: k != "metadata")
    text = st.text(st.characters(codec="ascii" if mode == "ascii" else "utf-8", exclude_characters="\x00"), max_size=12)
    leaves = st.one_of(
        text,
        st.integers(-(2**63), 2**63 - 1),
        st.floats(),  # NaN and infinities included
        st.booleans(),
        st.one_of([_numpy_scalar(dt) for dt in META_DTYPES]),
        # (no 0-d arrays: nir.write asks h5py to compress them, which h5py refuses)
        st.one_of([hnp.arrays(dt, _META_SHAPES) for dt in META_DTYPES]),
        st.lists(st.integers(-1000, 1000), max_size=6),
        st.lists(st.floats(allow_nan=False), max_size=6),
        st.lists(st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6)), min_size=1, max_size=6),
    )

    def nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.dictionaries(keys, children, max_size=3)

    values = st.recursive(leaves, nest, max_leaves=6)
    dicts = {n: st.dictionaries(keys, values, max_size=n) for n in range(1, 5)}
    return values, dicts


_METADATA = {mode: _metadata_strategies(mode) for mode in TEXT_MODES}


def metadata_values(text: str = "any") -> st.SearchStrategy[Any]:
    """One metadata value: a leaf or a nested dict of them (``text``: a text mode)."""
    return _METADATA[text][0]


def metadata(max_size: int = 3, text: str = "any") -> st.SearchStrategy[dict[str, Any]]:
    """A metadata dict (possibly empty, usually not) of up to ``max_size`` (1-4) keys."""
    return _METADATA[text][1][max_size]


# -------------------------------------------------------------------- graph building


@dataclass
class GraphCase:
    """A random reference graph and what the reference can do with it."""

    graph: nir.NIRGraph
    #: The architecture it was built as (one of :data:`ARCHITECTURES`).
    arch: str
    #: Built with ``type_check=True``.
    checked: bool
    #: ``nir.read(path, type_check=True)`` loads what ``nir.write`` wrote (False for
    #: grouped convolutions, non-square kernels and the like).
    read_type_check: bool
    #: Node types in the graph, nested graphs included (for ``hypothesis.event``).
    node_types: set[str] = field(default_factory=set)

    def __repr__(self) -> str:
        return f"GraphCase(arch={self.arch!r}, checked={self.checked}, read_type_check={self.read_type_check}, graph={_describe(self.graph)})"


def _describe(graph: nir.NIRGraph) -> str:
    nodes = ", ".join(
        f"{name!r}: {_describe(node) if isinstance(node, nir.NIRGraph) else type(node).__name__}"
        for name, node in graph.nodes.items()
    )
    return f"NIRGraph({{{nodes}}}, edges={graph.edges!r})"


def _conv_out(n: int, k: int, s: int, p: int | str, d: int) -> int:
    if p == "same":
        return n
    pad = 0 if p == "valid" else p
    return (n + 2 * pad - d * (k - 1) - 1) // s + 1


def _elements(dtype: np.dtype, kind: str) -> st.SearchStrategy[float]:
    width = 8 * dtype.itemsize
    big = float(np.finfo(dtype).max)  # bounded: a float64 draw downcast to inf would be filtered
    if kind == "positive":  # time constants
        return st.floats(min_value=0.0, max_value=big, exclude_min=True, width=width)
    if kind == "nonneg":  # delays
        return st.floats(min_value=0.0, max_value=big, width=width)
    return st.floats(min_value=-big, max_value=big, width=width)


_ELEMENTS = {(dt, kind): _elements(dt, kind) for dt in FLOAT_DTYPES for kind in ("any", "positive", "nonneg")}
_FLOAT_DTYPE_STRATEGY = st.sampled_from(FLOAT_DTYPES)


class _Builder:
    """Draws the nodes and edges of one graph (nested graphs get their own)."""

    def __init__(
        self, draw: Any, checked: bool, depth: int = 0, exclude: frozenset[str] = frozenset(), text: str = "any"
    ):
        self.draw = draw
        self.checked = checked
        self.exclude = exclude
        self.text = text
        self.names = _NAMES[text]
        self.depth = depth
        self.read_type_check = checked
        self.nodes: dict[str, nir.NIRNode] = {}
        self.edges: list[tuple[str, str]] = []
        self.types: set[str] = set()

    # -- helpers
    def name(self) -> str:
        name = self.draw(self.names)
        while name in self.nodes:  # rare; a suffix keeps the draw cheap
            name += self.draw(st.sampled_from(["'", ".", " ", "1"]))
        return name

    def meta(self) -> dict[str, Any]:
        return self.draw(metadata(text=self.text))

    def add(self, node: nir.NIRNode) -> str:
        name = self.name()
        self.nodes[name] = node
        self.types.add(type(node).__name__)
        return name

    def edge(self, src: str, dst: str) -> None:
        self.edges.append((src, dst))

    def floats(self, shape: tuple[int, ...], kind: str = "any") -> np.ndarray:
        """A float32 or float64 array: a few hypothesis-drawn elements (extremes,
        subnormals, -0.0, ...) at random places, the rest from a seeded generator (so
        large tensors cost little entropy), or a splat of one value."""
        dtype = self.draw(_FLOAT_DTYPE_STRATEGY)
        elements = _ELEMENTS[(dtype, kind)]
        size = int(np.prod(shape))
        if size > 1 and self.draw(st.integers(0, 5)) == 0:
            return np.full(shape, self.draw(elements), dtype=dtype)
        rng = np.random.default_rng(self.draw(st.integers(0, 2**32 - 1)))
        if kind == "any":
            body = rng.standard_normal(size) * 10.0 ** rng.integers(-3, 4)
        else:
            body = rng.uniform(0.0 if kind == "nonneg" else 1e-3, 2.0, size)
        arr = body.astype(dtype)
        n_special = self.draw(st.integers(0, min(size, 4)))
        if n_special:
            places = self.draw(st.lists(st.integers(0, size - 1), min_size=n_special, max_size=n_special, unique=True))
            for place in places:
                arr[place] = self.draw(elements)
        return arr.reshape(shape)

    def int_dtype(self) -> np.dtype:
        return self.draw(st.sampled_from(INT_DTYPES))

    def int_scalar(self, value: int) -> Any:
        """An integer field as a Python int or a numpy integer scalar."""
        kind = self.draw(st.sampled_from(["python", "int64", "int32"]))
        return value if kind == "python" else np.dtype(kind).type(value)

    # -- nodes
    def input(self, shape: tuple[int, ...]) -> str:
        return self.add(nir.Input(input_type=np.array(shape, dtype=self.int_dtype()), metadata=self.meta()))

    def output(self, shape: tuple[int, ...]) -> str:
        return self.add(nir.Output(output_type=np.array(shape, dtype=self.int_dtype()), metadata=self.meta()))

    def elementwise(self, shape: tuple[int, ...], kind: str | None = None) -> nir.NIRNode:
        kind = kind or self.draw(st.sampled_from([k for k in ELEMENTWISE if k not in self.exclude]))
        f = self.floats
        meta = self.meta()
        if kind == "Scale":
            return nir.Scale(scale=f(shape), metadata=meta)
        if kind == "Threshold":
            return nir.Threshold(threshold=f(shape), metadata=meta)
        if kind == "Delay":
            return nir.Delay(delay=f(shape, "nonneg"), metadata=meta)
        if kind == "I":
            return nir.I(r=f(shape), metadata=meta)
        if kind == "LI":
            return nir.LI(tau=f(shape, "positive"), r=f(shape), v_leak=f(shape), metadata=meta)
        if kind == "IF":
            return nir.IF(r=f(shape), v_threshold=f(shape), v_reset=f(shape), metadata=meta)
        if kind == "LIF":
            return nir.LIF(
                tau=f(shape, "positive"),
                r=f(shape),
                v_leak=f(shape),
                v_threshold=f(shape),
                v_reset=f(shape),
                metadata=meta,
            )
        if kind == "CubaLI":
            return nir.CubaLI(
                tau_syn=f(shape, "positive"),
                tau_mem=f(shape, "positive"),
                r=f(shape),
                v_leak=f(shape),
                w_in=f(shape),
                metadata=meta,
            )
        if kind == "CubaLIF":
            return nir.CubaLIF(
                tau_syn=f(shape, "positive"),
                tau_mem=f(shape, "positive"),
                r=f(shape),
                v_leak=f(shape),
                v_threshold=f(shape),
                v_reset=f(shape),
                w_in=f(shape),
                metadata=meta,
            )
        raise AssertionError(kind)

    def matrix(self, n_in: int, n_out: int, kind: str | None = None) -> nir.NIRNode:
        kind = kind or self.draw(st.sampled_from(["Linear", "Affine"]))
        weight = self.floats((n_out, n_in))
        if kind == "Linear":
            return nir.Linear(weight=weight, metadata=self.meta())
        return nir.Affine(weight=weight, bias=self.floats((n_out,)), metadata=self.meta())

    def flatten(self, shape: tuple[int, ...]) -> tuple[nir.NIRNode, tuple[int, ...]]:
        ndim = len(shape)
        start = self.draw(st.integers(0, ndim - 1))
        end = self.draw(st.integers(start, ndim - 1))
        out = (*shape[:start], int(np.prod(shape[start : end + 1])), *shape[end + 1 :])
        # Negative spellings (counted from the end) are valid NIR too.
        start_v = start - ndim if self.draw(st.booleans()) else start
        end_v = end - ndim if self.draw(st.booleans()) else end
        if self.checked and self.draw(st.booleans()):
            input_type = None  # the reference infers it
        else:
            input_type = np.array(shape, dtype=self.int_dtype())
        node = nir.Flatten(
            input_type=input_type,
            start_dim=self.int_scalar(start_v),
            end_dim=self.int_scalar(end_v),
            metadata=self.meta(),
        )
        return node, out

    def _window(self, n: int, *, dilated: bool) -> tuple[int, int, int | str, int, int]:
        """(kernel, stride, padding, dilation, output size) for one spatial axis."""
        k = self.draw(st.integers(1, 3))
        d = self.draw(st.integers(1, 2)) if dilated else 1
        s = self.draw(st.integers(1, 2))
        p = self.draw(st.integers(0, 2))
        while n + 2 * p < d * (k - 1) + 1:
            p += 1
        return k, s, p, d, _conv_out(n, k, s, p, d)

    def _groups(self, c_in: int, c_out: int) -> int:
        options = [g for g in range(1, c_in + 1) if c_in % g == 0 and c_out % g == 0]
        return self.draw(st.sampled_from(options))

    def _string_padding(
        self, sizes: list[int], kernels: list[int], strides: list[int], dilations: list[int]
    ) -> str | None:
        """Maybe replace the padding by 'same' or 'valid' where that is valid."""
        choice = self.draw(st.sampled_from([None, None, "same", "valid"]))
        if choice == "same" and all(s == 1 for s in strides):
            return "same"
        if choice == "valid" and all(n >= d * (k - 1) + 1 for n, k, d in zip(sizes, kernels, dilations, strict=True)):
            return "valid"
        return None

    def conv1d(self, shape: tuple[int, ...]) -> tuple[nir.NIRNode, tuple[int, ...]]:
        c_in, n = shape
        c_out = self.draw(st.integers(1, 4))
        groups = self._groups(c_in, c_out)
        k, s, p, d, n_out = self._window(n, dilated=True)
        pad_str = self._string_padding([n], [k], [s], [d])
        padding: Any = pad_str if pad_str is not None else self.int_scalar(p)
        if pad_str is not None:
            n_out = _conv_out(n, k, s, pad_str, d)
        explicit = not self.checked or (groups == 1 and self.draw(st.booleans()))
        if groups > 1:
            # The reference types a grouped conv's input as weight.shape[1] channels.
            self.read_type_check = False
        node = nir.Conv1d(
            input_shape=n if explicit else None,
            weight=self.floats((c_out, c_in // groups, k)),
            stride=self.int_scalar(s),
            padding=padding,
            dilation=self.int_scalar(d),
            groups=self.int_scalar(groups),
            bias=self.floats((c_out,)),
            metadata=self.meta(),
        )
        return node, (c_out, n_out)

    def _pair(self, a: int, b: int) -> Any:
        """A per-axis integer pair: an int (if equal), a tuple or an int array."""
        form = self.draw(st.sampled_from(["int", "tuple", "array"]))
        if form == "int" and a == b:
            return a
        if form == "array":
            return np.array([a, b], dtype=self.int_dtype())
        return (a, b)

    def conv2d(self, shape: tuple[int, ...]) -> tuple[nir.NIRNode, tuple[int, ...]]:
        c_in, h, w = shape
        c_out = self.draw(st.integers(1, 3))
        groups = self._groups(c_in, c_out)
        kh, sh, ph, dh, h_out = self._window(h, dilated=True)
        kw, sw, pw, dw, w_out = self._window(w, dilated=True)
        if self.checked:
            # The reference infers Conv2d output shapes with weight.shape[2] on both axes.
            kw = kh
            while w + 2 * pw < dw * (kw - 1) + 1:
                pw += 1
            w_out = _conv_out(w, kw, sw, pw, dw)
        pad_str = self._string_padding([h, w], [kh, kw], [sh, sw], [dh, dw])
        padding = pad_str if pad_str is not None else self._pair(ph, pw)
        if pad_str is not None:
            h_out = _conv_out(h, kh, sh, pad_str, dh)
            w_out = _conv_out(w, kw, sw, pad_str, dw)
        explicit = not self.checked or (groups == 1 and self.draw(st.booleans()))
        if groups > 1 or kh != kw:
            self.read_type_check = False
        node = nir.Conv2d(
            input_shape=(h, w) if explicit else None,
            weight=self.floats((c_out, c_in // groups, kh, kw)),
            stride=self._pair(sh, sw),
            padding=padding,
            dilation=self._pair(dh, dw),
            groups=self.int_scalar(groups),
            bias=self.floats((c_out,)),
            metadata=self.meta(),
        )
        return node, (c_out, h_out, w_out)

    def pool(self, shape: tuple[int, ...]) -> tuple[nir.NIRNode, tuple[int, ...]]:
        c, h, w = shape
        sizes = []
        params: dict[str, list[int]] = {"kernel_size": [], "stride": [], "padding": []}
        for n in (h, w):
            k = self.draw(st.integers(1, min(3, n)))
            p = self.draw(st.integers(0, k // 2))
            s = self.draw(st.integers(1, 2))
            params["kernel_size"].append(k)
            params["stride"].append(s)
            params["padding"].append(p)
            sizes.append(_conv_out(n, k, s, p, 1))
        cls = self.draw(st.sampled_from([c for c in (nir.SumPool2d, nir.AvgPool2d) if c.__name__ not in self.exclude]))
        arrays = {key: np.array(v, dtype=self.int_dtype()) for key, v in params.items()}
        return cls(**arrays, metadata=self.meta()), (c, *sizes)

    def layer(self, shape: tuple[int, ...], *, plain: bool = False) -> tuple[nir.NIRNode, tuple[int, ...]]:
        """One random node taking ``shape``; ``plain``: only nodes whose input shape
        their own parameters fix (what may follow a nested graph in a checked graph)."""
        kinds = ["elementwise"] * 3
        if len(shape) == 1:
            kinds += ["matrix"] * 3
        if not plain or not self.checked:
            kinds += ["flatten"]
            if len(shape) == 2:
                kinds += ["conv1d"] * 2
            if len(shape) == 3:
                kinds += ["conv2d"] * 2 + ["pool"]
        types = {"flatten": {"Flatten"}, "conv1d": {"Conv1d"}, "conv2d": {"Conv2d"}, "pool": {"SumPool2d", "AvgPool2d"}}
        kinds = [k for k in kinds if not (k in types and types[k] <= self.exclude)]
        kind = self.draw(st.sampled_from(kinds))
        if kind == "elementwise":
            return self.elementwise(shape), shape
        if kind == "matrix":
            n_out = self.draw(st.integers(1, 8))
            return self.matrix(shape[0], n_out), (n_out,)
        return getattr(self, kind)(shape)

    def chain(self, src: str, shape: tuple[int, ...], n: int, *, plain: bool = False) -> tuple[str, tuple[int, ...]]:
        """``n`` random layers after ``src``; the last one's name and shape."""
        for _ in range(n):
            node, out = self.layer(shape, plain=plain)
            name = self.add(node)
            self.edge(src, name)
            src, shape = name, out
            plain = False
        return src, shape

    def to_vector(self, src: str, shape: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
        """Flatten ``src``'s signal to 1-D if it is not already."""
        if len(shape) == 1:
            return src, shape
        node = nir.Flatten(
            input_type=np.array(shape, dtype=self.int_dtype()),
            start_dim=self.int_scalar(0),
            end_dim=self.int_scalar(-1),
            metadata=self.meta(),
        )
        name = self.add(node)
        self.edge(src, name)
        return name, (int(np.prod(shape)),)

    def graph(self, edges: list[tuple[str, str]] | None = None) -> nir.NIRGraph:
        return nir.NIRGraph(
            nodes=self.nodes,
            edges=list(edges if edges is not None else self.edges),
            metadata=self.meta(),
            type_check=self.checked,
        )


def _signal_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    return st.one_of(
        st.tuples(st.integers(1, 8)),
        st.tuples(st.integers(1, 4), st.integers(1, 8)),
        st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 6)),
    )


def _vector_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(st.integers(1, 8))


# ------------------------------------------------------------------- architectures


def _sequential(b: _Builder) -> None:
    shape = b.draw(_signal_shapes())
    last, shape = b.chain(b.input(shape), shape, b.draw(st.integers(1, 4)))
    b.edge(last, b.output(shape))


def _recurrent(b: _Builder) -> None:
    """Input -> ... -> neuron <-> Linear (the cycle) -> ... -> Output."""
    shape = b.draw(_signal_shapes())
    last, shape = b.chain(b.input(shape), shape, b.draw(st.integers(0, 2)))
    last, shape = b.to_vector(last, shape)
    n = b.draw(st.integers(1, 8))
    feed = b.add(b.matrix(shape[0], n))
    b.edge(last, feed)
    neuron = b.add(b.elementwise((n,), b.draw(st.sampled_from(["LIF", "LIF", "CubaLIF", "IF", "LI", "CubaLI"]))))
    recurrent = b.add(b.matrix(n, n, "Linear"))
    b.edge(feed, neuron)
    b.edge(neuron, recurrent)
    b.edge(recurrent, neuron)
    last, shape = b.chain(neuron, (n,), b.draw(st.integers(0, 2)))
    b.edge(last, b.output(shape))


def _self_loop(b: _Builder) -> None:
    shape = b.draw(_signal_shapes())
    last, shape = b.chain(b.input(shape), shape, b.draw(st.integers(0, 2)))
    looped = b.add(b.elementwise(shape))
    b.edge(last, looped)
    b.edge(looped, looped)
    last, shape = b.chain(looped, shape, b.draw(st.integers(0, 2)))
    b.edge(last, b.output(shape))


def _branches(b: _Builder) -> None:
    shape = b.draw(_signal_shapes())
    stem, shape = b.chain(b.input(shape), shape, b.draw(st.integers(1, 2)))
    for _ in range(b.draw(st.integers(2, 3))):
        last, out = b.chain(stem, shape, b.draw(st.integers(0, 2)))
        b.edge(last, b.output(out))


def _fan_in(b: _Builder) -> None:
    """Several inputs whose signals meet in one node (NIR sums them)."""
    target = b.draw(_vector_shapes())
    ends = []
    for _ in range(b.draw(st.integers(2, 3))):
        shape = b.draw(_signal_shapes())
        last, shape = b.chain(b.input(shape), shape, b.draw(st.integers(0, 2)))
        last, shape = b.to_vector(last, shape)
        if shape != target or b.draw(st.booleans()):
            proj = b.add(b.matrix(shape[0], target[0]))
            b.edge(last, proj)
            last = proj
        ends.append(last)
    if b.draw(st.booleans()):
        meet = b.output(target)  # fan-in straight into the Output node
        for src in ends:
            b.edge(src, meet)
        return
    meet = b.add(b.elementwise(target))
    for src in ends:
        b.edge(src, meet)
    last, shape = b.chain(meet, target, b.draw(st.integers(0, 2)))
    b.edge(last, b.output(shape))


def _residual(b: _Builder) -> None:
    """x -> f(x) -> join; x -> join (a skip connection around shape-keeping layers)."""
    shape = b.draw(_signal_shapes())
    split, shape = b.chain(b.input(shape), shape, b.draw(st.integers(1, 2)))
    last = split
    for _ in range(b.draw(st.integers(1, 2))):
        if len(shape) == 1 and b.draw(st.booleans()):
            node = b.matrix(shape[0], shape[0])
        else:
            node = b.elementwise(shape)
        name = b.add(node)
        b.edge(last, name)
        last = name
    join = b.add(b.elementwise(shape))
    b.edge(last, join)
    b.edge(split, join)
    last, shape = b.chain(join, shape, b.draw(st.integers(0, 1)))
    b.edge(last, b.output(shape))


def _subgraph(
    draw: Any, shape: tuple[int, ...], depth: int, exclude: frozenset[str] = frozenset(), text: str = "any"
) -> tuple[nir.NIRGraph, tuple[int, ...], set[str]]:
    """A nested graph with one Input and one Output.  ``nir.read`` type-checks nested
    graphs whatever it is told, so they hold only nodes the reference types right."""
    sub = _Builder(draw, checked=True, depth=depth, exclude=exclude, text=text)
    src = sub.input(shape)
    last, out = src, shape
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner, inner_out, types = _subgraph(draw, out, depth + 1, exclude, text)
            name = sub.add(inner)
            sub.types |= types
        elif len(out) == 1 and draw(st.booleans()):
            n = draw(st.integers(1, 8))
            name = sub.add(sub.matrix(out[0], n))
            inner_out = (n,)
        else:
            name = sub.add(sub.elementwise(out))
            inner_out = out
        sub.edge(last, name)
        last, out = name, inner_out
    sub.edge(last, sub.output(out))
    edges = draw(st.permutations(sub.edges))
    return sub.graph(edges), out, sub.types | {"NIRGraph"}


def _nested(b: _Builder) -> None:
    shape = b.draw(_signal_shapes())
    last, shape = b.chain(b.input(shape), shape, b.draw(st.integers(0, 2)))
    sub, out, types = _subgraph(b.draw, shape, 1, b.exclude, b.text)
    name = b.add(sub)
    b.types |= types
    b.edge(last, name)
    last, out = b.chain(name, out, b.draw(st.integers(0, 2)), plain=True)
    b.edge(last, b.output(out))


_BUILDERS = {
    "sequential": _sequential,
    "recurrent": _recurrent,
    "self-loop": _self_loop,
    "branches": _branches,
    "fan-in": _fan_in,
    "residual": _residual,
    "nested": _nested,
}


@st.composite
def graph_cases(
    draw: Any,
    archs: tuple[str, ...] = ARCHITECTURES,
    checked: bool | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
    text: str = "any",
) -> GraphCase:
    """A random valid reference graph of one of ``archs`` (see the module doc).

    ``exclude``: layer node types not to draw (among Conv1d, Conv2d, SumPool2d,
    AvgPool2d, Flatten and the elementwise ones), e.g. to step around a known bug;
    ``text``: one of :data:`TEXT_MODES`, for names, metadata keys and strings."""
    arch = draw(st.sampled_from(archs))
    if checked is None:
        checked = draw(st.booleans())
    b = _Builder(draw, checked, exclude=frozenset(exclude), text=text)
    _BUILDERS[arch](b)
    edges = draw(st.permutations(b.edges))
    graph = b.graph(edges)
    n_nodes, n_edges = len(b.nodes), len(edges)
    graph_nodes = graph.nodes
    # The reference adds Input/Output nodes to open ends; ours have none.
    assert len(graph_nodes) == n_nodes and len(graph.edges) == n_edges, "the reference changed the graph"
    return GraphCase(graph=graph, arch=arch, checked=checked, read_type_check=b.read_type_check, node_types=b.types)
