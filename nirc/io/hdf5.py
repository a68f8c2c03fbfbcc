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

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from nirc.core import budget
from nirc.core.errors import NircError
from nirc.io.atomic import atomic_path

#: The NIR version whose format nirc writes.
NIR_FORMAT_VERSION = "1.0.8"

NodeDict = dict[str, Any]

#: Arrays smaller than this are stored contiguous and uncompressed: gzip cannot shrink
#: a few bytes, and a chunked, filtered dataset costs HDF5 ~2x the time to open and read
#: (it dominates reading graphs of many small nodes).  ``nir.read`` reads both alike.
MIN_COMPRESSED_BYTES = 1024


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


def _read_group(
    gid: h5py.h5g.GroupID, path: str, skip_nodes: set[bytes] | None = None, skip: set[bytes] | None = None
) -> dict[str, Any]:
    """Read a group recursively through h5py's low-level API.

    The high-level ``Group``/``Dataset`` objects cost ~0.3 ms per member, which
    dominates reading graphs with many small nodes; this walk (one ``H5Literate`` per
    group, direct reads into numpy arrays) is about twice as fast.  Members come in name
    order, as ``Group.items()`` gives them.  ``skip_nodes`` names members of the
    top-level ``nodes`` group that another process reads (``skip`` is that set, one
    level down)."""
    names: list[bytes] = []
    gid.links.iterate(names.append)
    out: dict[str, Any] = {}
    for raw in names:
        if skip is not None and raw in skip:
            continue
        key = raw.decode("utf-8", errors="replace")
        where = f"{path}/{key}" if path else key
        try:
            obj = h5py.h5o.open(gid, raw)
        except KeyError:  # a dangling soft or external link
            raise NircError(f"cannot open '{where}'", rule="file-format") from None
        if isinstance(obj, h5py.h5g.GroupID):
            if key == "nodes" and skip_nodes:
                out[key] = _read_group(obj, where, skip=skip_nodes)
            else:
                out[key] = _read_group(obj, where)
            continue
        if not isinstance(obj, h5py.h5d.DatasetID):
            raise NircError(f"unsupported HDF5 object at '{where}'", rule="file-format")
        out[key] = _decode(_read_dataset(obj, where), where)
    return out


def _read_dataset(obj: h5py.h5d.DatasetID, where: str) -> Any:
    shape = obj.shape
    if shape is None:  # HDF5 null dataspace
        raise NircError(f"dataset '{where}' holds no value", rule="file-format")
    dtype = obj.dtype
    budget.check(
        math.prod(shape) * max(dtype.itemsize, 1),
        f"dataset '{where}' ({'x'.join(map(str, shape)) or 'scalar'} {dtype})",
    )
    arr = np.empty(shape, dtype=dtype)
    try:
        if arr.size:
            if dtype.kind == "O":  # variable-length strings
                obj.read(h5py.h5s.ALL, h5py.h5s.ALL, arr, mtype=h5py.h5t.py_create(dtype))
            else:
                obj.read(h5py.h5s.ALL, h5py.h5s.ALL, arr)
    except (OSError, ValueError, TypeError) as exc:
        raise NircError(f"cannot read dataset '{where}': {exc}", rule="file-format") from None
    return arr[()] if arr.ndim == 0 else arr


#: Graphs with at least this many top-level nodes are read by two processes.
PARALLEL_READ_NODES = 2000


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
            members: list[bytes] = []
            nodes = f["node"].get("nodes")
            if isinstance(nodes, h5py.Group):
                nodes.id.links.iterate(members.append)
        if len(members) >= PARALLEL_READ_NODES and _can_fork():
            tree = _read_in_two_processes(name, members)
        else:
            with h5py.File(name, "r") as f:
                tree = _read_group(f["node"].id, "")
    except NircError as err:
        raise err.in_file(name) from None
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        detail = str(exc).split("(")[0].strip() or type(exc).__name__
        raise NircError(f"not a readable HDF5 file ({detail})", rule="file-format", file=name) from None
    return _normalise(tree, ""), version


def _can_fork() -> bool:
    """Fork only where it is safe: Linux, two cores, and no other thread that could
    hold a lock (h5py's among them) at the moment of the fork."""
    import sys
    import threading

    return sys.platform == "linux" and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def _read_node_groups(name: str, members: list[bytes]) -> dict[str, Any] | None:
    """Worker: read the named groups of ``node/nodes``; None if anything fails (the
    parent then reads them itself, and reports the error properly)."""
    try:
        with h5py.File(name, "r") as f:
            nodes = f["node/nodes"].id
            out = {}
            for raw in members:
                key = raw.decode("utf-8", errors="replace")
                out[key] = _read_group(h5py.h5g.open(nodes, raw), f"nodes/{key}")
            return out
    except Exception:
        return None


def _read_in_two_processes(name: str, members: list[bytes]) -> dict[str, Any]:
    """Read a graph with many nodes: a forked worker reads the second half of the
    node groups while this process reads the rest.

    libhdf5 spends ~150 µs opening and reading each small dataset, and a graph of
    10,000 nodes has some 30,000 of them; h5py serialises all calls in a process, so
    the only way to use a second core is a second process.  The file is closed here
    before the fork, and the worker opens its own handle."""
    import multiprocessing

    half = members[len(members) // 2 :]
    wanted = set(half)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(_read_node_groups, (name, half))
        with h5py.File(name, "r") as f:
            tree = _read_group(f["node"].id, "", skip_nodes=wanted)
        theirs = pending.get()
    if theirs is None:
        with h5py.File(name, "r") as f:
            tree = _read_group(f["node"].id, "")
        return tree
    mine = tree["nodes"]
    tree["nodes"] = {raw.decode("utf-8", errors="replace"): None for raw in members}
    for key in tree["nodes"]:
        tree["nodes"][key] = mine[key] if key in mine else theirs[key]
    return tree


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
        node["nodes"] = {
            k: _normalise(v, f"{path}/{k}" if path else k) if isinstance(v, dict) else v for k, v in nodes.items()
        }
        edges = node.get("edges")
        if edges is None:
            node["edges"] = []
        else:
            arr = np.asarray(edges, dtype=object)
            if arr.size == 0:
                node["edges"] = []
            elif arr.ndim != 2 or arr.shape[1] != 2:
                raise NircError(
                    f"'edges' must be an (N, 2) array of names, got shape {list(arr.shape)}",
                    rule="fields",
                    node=path or None,
                )
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
        _check_hdf5_string(value, key)
        group.create_dataset(key, data=value, dtype=h5py.string_dtype())
    elif isinstance(value, np.ndarray) and value.dtype == object:
        _check_hdf5_string(value, key)
        group.create_dataset(key, data=value.astype(h5py.string_dtype()), dtype=h5py.string_dtype())
    elif (
        isinstance(value, np.ndarray)
        and value.nbytes >= MIN_COMPRESSED_BYTES
        and value.ndim > 0
        and compression is not None
    ):
        group.create_dataset(
            key, data=value, dtype=value.dtype, compression=compression, compression_opts=compression_opts
        )
    else:
        group.create_dataset(key, data=value)


def _check_hdf5_name(name: str, where: str) -> None:
    if "/" in name or "\x00" in name or name in ("", ".", ".."):
        raise NircError(
            f"name {name!r} cannot be stored in HDF5 (no '/' or NUL, not empty, '.' or '..')",
            rule="hdf5-name",
            node=where or None,
        )


def _check_hdf5_string(value: Any, key: str) -> None:
    """HDF5's variable-length strings end at a NUL: a string holding one cannot be stored."""
    values = [value] if isinstance(value, str) else value.reshape(-1).tolist() if isinstance(value, np.ndarray) else []
    if any(isinstance(v, str) and "\x00" in v for v in values):
        raise NircError(f"'{key}' holds a string with a NUL character, which HDF5 cannot store", rule="hdf5-string")


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
            _check_hdf5_string(edges, "edges")
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
    0-9 (gzip level), or ``None`` for none; it applies to arrays of at least
    :data:`MIN_COMPRESSED_BYTES` bytes."""
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        f.create_dataset("version", data=NIR_FORMAT_VERSION, dtype=h5py.string_dtype())
        _write_node(f.create_group("node"), node, "", compression, compression_opts)
