"""The `.nir` file format (HDF5), read into and written from *node dicts*.

A node dict is the reference package's ``NIRNode.to_dict()`` form: ``{"type": "LIF",
"tau": array, ..., "metadata": {...}}``; a graph is ``{"type": "NIRGraph", "nodes":
{name: node dict}, "edges": [(src, dst), ...], "metadata": {...}}``.  Arrays stay numpy
arrays with their dtype (scalars become 0-d arrays), strings become ``str``.

The layout follows ``nir.serialization`` (1.0.8): a ``version`` string dataset and a
``node`` group; each field a dataset, ``metadata`` and ``nodes`` groups, ``edges`` an
(N, 2) array of byte strings.  Files are written to a temporary file next to the
target and renamed into place, so a failed write never leaves a partial file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from nirc.errors import NircError
from nirc.io.atomic import atomic_path

#: The NIR version whose format nirc writes.
NIR_FORMAT_VERSION = "1.0.8"

NodeDict = dict[str, Any]


# ------------------------------------------------------------------------- reading


def _decode(value: Any, where: str) -> Any:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise NircError(f"field '{where}' is not valid UTF-8", rule="file-format") from None
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OSU":
            return np.vectorize(lambda v: _decode(v, where), otypes=[object])(value)
        return value
    if isinstance(value, np.generic):
        return np.asarray(value)
    return value


def _read_group(group: h5py.Group, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in group.items():
        where = f"{path}/{key}" if path else key
        if isinstance(item, h5py.Group):
            out[key] = _read_group(item, where)
        elif isinstance(item, h5py.Dataset):
            try:
                raw = item[()]
            except (OSError, ValueError, TypeError) as exc:
                raise NircError(f"cannot read dataset '{where}': {exc}", rule="file-format") from None
            out[key] = _decode(raw, where)
        else:  # pragma: no cover - soft links and the like
            raise NircError(f"unsupported HDF5 object at '{where}'", rule="file-format")
    return out


def read_node_dict(path: str | os.PathLike[str]) -> tuple[NodeDict, str | None]:
    """Read a `.nir` file into a node dict; also return the file's NIR version."""
    name = str(path)
    if not Path(name).is_file():
        raise NircError("no such file", rule="file", file=name)
    try:
        with h5py.File(name, "r") as f:
            version = None
            if "version" in f:
                version = _decode(f["version"][()], "version")
                version = str(version) if not isinstance(version, np.ndarray) else None
            if "node" not in f or not isinstance(f["node"], h5py.Group):
                raise NircError("no 'node' group: not a NIR file", rule="file-format", file=name)
            tree = _read_group(f["node"], "")
    except NircError as err:
        raise err.in_file(name) from None
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        detail = str(exc).split("(")[0].strip() or type(exc).__name__
        raise NircError(f"not a readable HDF5 file ({detail})", rule="file-format", file=name) from None
    return _normalise(tree, ""), version


def _normalise(tree: dict[str, Any], path: str) -> NodeDict:
    """Turn the raw HDF5 tree of one node into a node dict (edges as str pairs)."""
    node = dict(tree)
    typ = node.get("type")
    if isinstance(typ, np.ndarray) and typ.ndim == 0:
        typ = typ[()]
    if not isinstance(typ, str):
        raise NircError("missing or malformed field 'type'", rule="fields", node=path or None)
    node["type"] = typ
    if typ == "NIRGraph":
        nodes = node.get("nodes", {})
        if not isinstance(nodes, dict):
            raise NircError("'nodes' must be a group", rule="fields", node=path or None)
        node["nodes"] = {k: _normalise(v, f"{path}/{k}" if path else k) if isinstance(v, dict) else v for k, v in nodes.items()}
        edges = node.get("edges")
        if edges is None:
            node["edges"] = []
        else:
            arr = np.asarray(edges, dtype=object)
            if arr.size == 0:
                node["edges"] = []
            elif arr.ndim != 2 or arr.shape[1] != 2:
                raise NircError(f"'edges' must be an (N, 2) array of names, got shape {list(arr.shape)}", rule="fields", node=path or None)
            else:
                node["edges"] = [(str(a), str(b)) for a, b in arr.tolist()]
    return node


# ------------------------------------------------------------------------- writing


def _write_value(group: h5py.Group, key: str, value: Any, compression: Any, compression_opts: Any) -> None:
    if isinstance(value, Mapping):
        sub = group.create_group(key)
        for k, v in value.items():
            _write_value(sub, str(k), v, compression, compression_opts)
    elif isinstance(value, str):
        group.create_dataset(key, data=value, dtype=h5py.string_dtype())
    elif isinstance(value, np.ndarray) and value.dtype == object:
        group.create_dataset(key, data=value.astype(h5py.string_dtype()), dtype=h5py.string_dtype())
    elif isinstance(value, np.ndarray) and value.ndim > 0 and value.size > 0 and compression is not None:
        group.create_dataset(key, data=value, dtype=value.dtype, compression=compression, compression_opts=compression_opts)
    else:
        group.create_dataset(key, data=value)


def _check_hdf5_name(name: str, where: str) -> None:
    if "/" in name or name in ("", ".", ".."):
        raise NircError(
            f"name {name!r} cannot be stored in HDF5 (no '/', not empty, '.' or '..')",
            rule="hdf5-name",
            node=where or None,
        )


def _write_node(group: h5py.Group, node: NodeDict, path: str, compression: Any, compression_opts: Any) -> None:
    for key, value in node.items():
        if key == "metadata":
            if value:
                _write_value(group, "metadata", value, compression, compression_opts)
        elif key == "nodes":
            nodes_group = group.create_group("nodes")
            for name, child in value.items():
                child_path = f"{path}/{name}" if path else name
                _check_hdf5_name(name, child_path)
                _write_node(nodes_group.create_group(name), child, child_path, compression, compression_opts)
        elif key == "edges":
            edges = np.array(value, dtype=h5py.string_dtype()).reshape(len(value), 2)
            group.create_dataset("edges", data=edges, dtype=h5py.string_dtype())
        else:
            _write_value(group, key, value, compression, compression_opts)


def write_node_dict(
    node: NodeDict,
    path: str | os.PathLike[str],
    *,
    compression: Any = "gzip",
    compression_opts: Any = None,
) -> None:
    """Write a node dict as a `.nir` file, atomically (temporary file + rename).

    ``compression`` is as in ``nir.write``: ``"gzip"`` (default), ``"lzf"``, an int
    0-9 (gzip level), or ``None`` for none."""
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        f.create_dataset("version", data=NIR_FORMAT_VERSION, dtype=h5py.string_dtype())
        _write_node(f.create_group("node"), node, "", compression, compression_opts)
