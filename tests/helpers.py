"""Comparison of reference graphs (``nir.NIRGraph``) for the round-trip tests.

:func:`assert_graphs_equal` compares two graphs field by field and, on the first
difference, fails with the *path* to it, e.g.
``graph.nodes['sub'].nodes['lif'].tau: dtype float32 != float64``.

What "equal" means:

* the same node names (as sets: HDF5 lists group members sorted, not in insertion
  order) and, per name, the same node type;
* every field of ``node.to_dict()`` (the fields ``nir.write`` stores): numbers and
  arrays with the same dtype, shape and values (NaN equals NaN, and the sign of zero
  counts), strings equal as ``str``;
* the same edges in the same order;
* the same metadata, recursively (keys as sets, values as above).

With ``strict=True`` two leaves must also have the same Python type (``np.float32``
scalar vs 0-d array vs ``float``): use it to compare two graphs that both came from
``nir.read``.  Without it, values compare as ``np.asarray(value)`` would store them
(a Python ``int`` equals an ``np.int64``, a list of floats a float64 array), which is
what an in-memory graph can be compared against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import nir
import numpy as np

__all__ = ["GraphMismatch", "assert_graphs_equal", "assert_values_equal", "graph_differences"]


class GraphMismatch(AssertionError):
    """Two graphs differ; the message names the path of the first difference."""


def _fail(path: str, message: str) -> None:
    raise GraphMismatch(f"{path}: {message}")


def _leaf_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def assert_values_equal(a: Any, b: Any, path: str = "value", *, strict: bool = False) -> None:
    """Compare two field or metadata values (dicts recursively); see the module doc."""
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        if not (isinstance(a, Mapping) and isinstance(b, Mapping)):
            _fail(path, f"dict vs non-dict: {type(a).__name__} != {type(b).__name__}")
        keys_a, keys_b = set(a), set(b)
        if keys_a != keys_b:
            _fail(path, f"keys differ: only left {sorted(keys_a - keys_b)!r}, only right {sorted(keys_b - keys_a)!r}")
        for key in a:
            assert_values_equal(a[key], b[key], f"{path}[{key!r}]", strict=strict)
        return
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        if type(a) is not type(b):
            _fail(path, f"type {type(a).__name__} != {type(b).__name__} ({_leaf_repr(a)} vs {_leaf_repr(b)})")
        if a != b:
            _fail(path, f"{_leaf_repr(a)} != {_leaf_repr(b)}")
        return
    if a is None or b is None:
        if a is not b:
            _fail(path, f"{_leaf_repr(a)} != {_leaf_repr(b)}")
        return
    if strict and type(a) is not type(b):
        _fail(path, f"type {type(a).__name__} != {type(b).__name__} ({_leaf_repr(a)} vs {_leaf_repr(b)})")
    arr_a, arr_b = np.asarray(a), np.asarray(b)
    if arr_a.dtype != arr_b.dtype:
        _fail(path, f"dtype {arr_a.dtype} != {arr_b.dtype}")
    if arr_a.shape != arr_b.shape:
        _fail(path, f"shape {arr_a.shape} != {arr_b.shape}")
    if arr_a.dtype.kind in "OUS":
        if arr_a.tolist() != arr_b.tolist():
            _fail(path, f"{_leaf_repr(a)} != {_leaf_repr(b)}")
        return
    if arr_a.dtype.kind in "fc":
        nan_a, nan_b = np.isnan(arr_a), np.isnan(arr_b)
        same = np.array_equal(nan_a, nan_b) and np.array_equal(arr_a[~nan_a], arr_b[~nan_b])
        if same and arr_a.dtype.kind == "f":
            # 0.0 == -0.0 for numpy; a round trip must keep the sign all the same.
            same = np.array_equal(np.signbit(arr_a[~nan_a]), np.signbit(arr_b[~nan_b]))
    else:
        same = np.array_equal(arr_a, arr_b)
    if not same:
        _fail(path, f"values differ: {_leaf_repr(a)} != {_leaf_repr(b)}")


def _node_fields(node: nir.NIRNode) -> dict[str, Any]:
    fields = node.to_dict()
    fields.pop("type", None)
    fields.pop("metadata", None)
    return fields


def _assert_nodes_equal(a: Any, b: Any, path: str, strict: bool) -> None:
    type_a, type_b = type(a).__name__, type(b).__name__
    if type_a != type_b:
        _fail(path, f"node type {type_a} != {type_b}")
    if isinstance(a, nir.NIRGraph):
        _assert_graphs_equal(a, b, path, strict)
        return
    fields_a, fields_b = _node_fields(a), _node_fields(b)
    if set(fields_a) != set(fields_b):
        _fail(path, f"fields differ: {sorted(fields_a)} != {sorted(fields_b)}")
    for key in fields_a:
        assert_values_equal(fields_a[key], fields_b[key], f"{path}.{key}", strict=strict)
    assert_values_equal(a.metadata or {}, b.metadata or {}, f"{path}.metadata", strict=strict)


def _assert_graphs_equal(a: nir.NIRGraph, b: nir.NIRGraph, path: str, strict: bool) -> None:
    if not isinstance(a, nir.NIRGraph) or not isinstance(b, nir.NIRGraph):
        _fail(path, f"not both graphs: {type(a).__name__} vs {type(b).__name__}")
    names_a, names_b = set(a.nodes), set(b.nodes)
    if names_a != names_b:
        _fail(
            path,
            f"node names differ: only left {sorted(names_a - names_b)!r}, only right {sorted(names_b - names_a)!r}",
        )
    for name in a.nodes:
        _assert_nodes_equal(a.nodes[name], b.nodes[name], f"{path}.nodes[{name!r}]", strict)
    edges_a = [(str(s), str(d)) for s, d in a.edges]
    edges_b = [(str(s), str(d)) for s, d in b.edges]
    for i, (ea, eb) in enumerate(zip(edges_a, edges_b, strict=False)):
        if ea != eb:
            _fail(f"{path}.edges[{i}]", f"{ea!r} != {eb!r} (left {edges_a!r}, right {edges_b!r})")
    if len(edges_a) != len(edges_b):
        _fail(f"{path}.edges", f"{len(edges_a)} edges != {len(edges_b)}: {edges_a!r} vs {edges_b!r}")
    assert_values_equal(a.metadata or {}, b.metadata or {}, f"{path}.metadata", strict=strict)


def assert_graphs_equal(a: nir.NIRGraph, b: nir.NIRGraph, *, strict: bool = False, path: str = "graph") -> None:
    """Fail with the path of the first difference between two reference graphs."""
    _assert_graphs_equal(a, b, path, strict)


def graph_differences(a: nir.NIRGraph, b: nir.NIRGraph, *, strict: bool = False) -> str | None:
    """The first difference as text, or None when the graphs are equal."""
    try:
        assert_graphs_equal(a, b, strict=strict)
    except GraphMismatch as err:
        return str(err)
    return None
