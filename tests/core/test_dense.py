"""`#nir.dense`: zero-copy, read-only, value semantics, exact text round trip."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from xdsl.dialects.builtin import ModuleOp

import nirc
from nirc.core.context import make_context
from nirc.core.dense import BlobTable, DenseAttr, Tensor, current_blobs
from nirc.io.metadata import metadata_to_attr
from nirc.io.text import module_to_text, parse_module

DTYPES = [
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool",
    "complex64",
    "complex128",
]


def roundtrip(attr: DenseAttr, threshold: int | None) -> DenseAttr:
    """Print the attribute inside a module (as metadata) and parse it back."""
    from nirc.dialects.nir import GraphOp

    graph = GraphOp([])
    graph.properties["metadata"] = metadata_to_attr({"x": attr.array})
    text = module_to_text(ModuleOp([graph]), blob_threshold=threshold)
    parsed = parse_module(text, make_context())
    op = next(iter(parsed.body.block.ops))
    value = op.properties["metadata"].data["x"]  # type: ignore[union-attr]
    assert isinstance(value, DenseAttr)
    return value


arrays = st.sampled_from(DTYPES).flatmap(
    lambda dt: hnp.arrays(np.dtype(dt), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
)


@settings(max_examples=150, deadline=None)
@given(arr=arrays, threshold=st.sampled_from([None, 0, 4, 64]))
def test_text_roundtrip_is_bit_exact(arr: np.ndarray, threshold: int | None) -> None:
    back = roundtrip(DenseAttr.from_array(arr), threshold)
    assert back.dtype == arr.dtype
    assert back.shape == arr.shape
    assert back.array.tobytes() == arr.tobytes()  # NaN payloads and -0.0 included


def test_zero_copy_and_read_only() -> None:
    arr = np.arange(12, dtype=np.float32).reshape(3, 4)
    attr = DenseAttr.from_array(arr)
    assert np.shares_memory(attr.array, arr)
    assert not attr.array.flags.writeable
    with pytest.raises(ValueError):
        attr.array[0, 0] = 1.0


def test_value_equality_and_hash() -> None:
    a = DenseAttr.from_array(np.array([1.0, 2.0], np.float32))
    b = DenseAttr.from_array(np.array([1.0, 2.0], np.float32))
    c = DenseAttr.from_array(np.array([1.0, 2.0], np.float64))
    d = DenseAttr.from_array(np.array([[1.0, 2.0]], np.float32))
    assert a == b and hash(a) == hash(b)
    assert a != c and a != d
    assert DenseAttr.from_array(np.float32([0.0])) != DenseAttr.from_array(np.float32([-0.0]))


def test_non_native_byte_order_is_normalised() -> None:
    arr = np.array([1.5, 2.5], dtype=">f4")
    attr = DenseAttr.from_array(arr)
    assert attr.dtype.isnative
    assert attr.array.tolist() == [1.5, 2.5]


def test_unsupported_dtype() -> None:
    with pytest.raises(ValueError, match="unsupported element type"):
        Tensor(np.array([np.datetime64("2020-01-01")]))


def test_float_text_is_shortest_in_own_precision() -> None:
    text = str(DenseAttr.from_array(np.array([0.1, 1e-30, 3.0], np.float32)))
    assert text == "#nir.dense<3xf32: [0.1, 1.0e-30, 3.0]>"
    assert str(DenseAttr.from_array(np.array(np.inf, np.float32))) == "#nir.dense<f32: 0x7F800000>"
    assert str(DenseAttr.from_array(np.full((2, 3), 0.25))) == "#nir.dense<2x3xf64: 0.25>"


def test_blob_tables_are_per_parse() -> None:
    """Parsing two files with blobs in one process keeps each file's data (xDSL's
    builtin dense_resource table is global and loses it)."""
    m1 = nirc.module_from_dict(_model(np.full((10, 10), 1.0, np.float32) + np.eye(10, dtype=np.float32)))
    m2 = nirc.module_from_dict(_model(np.full((10, 10), 2.0, np.float32) + np.eye(10, dtype=np.float32)))
    t1, t2 = nirc.to_text(m1, blob_threshold=4), nirc.to_text(m2, blob_threshold=4)
    p1, p2 = nirc.parse(t1), nirc.parse(t2)
    p1_again = nirc.parse(t1)
    assert nirc.to_text(p1) == t1 and nirc.to_text(p2) == t2 and nirc.to_text(p1_again) == t1
    assert current_blobs.get() is None


def test_unknown_blob_is_an_error() -> None:
    m = nirc.module_from_dict(_model(np.eye(10, dtype=np.float32)))
    text = nirc.to_text(m, blob_threshold=4)
    cut = text[: text.index("{-#")]
    with pytest.raises(nirc.NircError, match="unknown blob"):
        nirc.parse(cut)


def test_blob_threshold_decides_inline_or_blob() -> None:
    m = nirc.module_from_dict(_model(np.eye(8, dtype=np.float32)))
    assert BlobTable().threshold == 64
    assert "blob" not in nirc.to_text(m)  # 64 elements: inline
    assert 'blob "blob_' in nirc.to_text(m, blob_threshold=63)
    assert "blob" not in nirc.to_text(m, blob_threshold=None)


def _model(weight: np.ndarray) -> dict:
    n = weight.shape[0]
    return {
        "type": "NIRGraph",
        "nodes": {
            "in": {"type": "Input", "shape": np.array([n])},
            "w": {"type": "Linear", "weight": weight},
            "out": {"type": "Output", "shape": np.array([n])},
        },
        "edges": [("in", "w"), ("w", "out")],
        "metadata": {},
    }
