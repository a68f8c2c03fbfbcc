"""Conversion to and from the reference package's objects (``nir.NIRGraph``).

Needs the optional dependency ``nir`` (the reference implementation, 1.0.8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from nirc.core.errors import NircError
from nirc.io.from_dict import module_from_dict
from nirc.io.to_dict import NodeDict, module_to_dict

if TYPE_CHECKING:  # pragma: no cover
    import nir


def _require_nir() -> Any:
    try:
        import nir
    except ImportError:
        raise NircError("the reference package is not installed: pip install nir==1.0.8", rule="dependency") from None
    return nir


def _plain(meta: Any) -> Any:
    """0-d arrays back to numpy scalars, as ``nir.read`` returns them; other arrays
    copied (writeable, independent of the module)."""
    if isinstance(meta, dict):
        return {k: _plain(v) for k, v in meta.items()}
    if isinstance(meta, np.ndarray):
        return meta[()] if meta.ndim == 0 else np.array(meta)
    return meta


def _to_node(node: NodeDict, nir: Any, type_check: bool) -> Any:
    if node["type"] == "NIRGraph":
        nodes = {name: _to_node(child, nir, type_check) for name, child in node["nodes"].items()}
        return nir.NIRGraph(
            nodes=nodes,
            edges=[tuple(e) for e in node["edges"]],
            metadata=_plain(node.get("metadata", {})),
            type_check=type_check,
        )
    # As nir.read hands them over: scalar datasets as numpy scalars, arrays as arrays.
    fields = {k: _plain(v) for k, v in node.items()}
    if node["type"] in ("Conv1d", "Conv2d") and "input_shape" not in fields:
        fields["input_shape"] = None
    if node["type"] == "Conv1d" and isinstance(fields.get("input_shape"), np.ndarray):
        fields["input_shape"] = int(fields["input_shape"].reshape(-1)[0])
    return nir.dict2NIRNode(fields)


def to_reference(module: ModuleOp, *, type_check: bool = False) -> nir.NIRGraph:
    """The module as a ``nir.NIRGraph``; its arrays are writeable copies."""
    return _to_node(module_to_dict(module), _require_nir(), type_check)


def from_reference(graph: nir.NIRGraph) -> ModuleOp:
    """Build a verified module from a ``nir.NIRGraph``."""
    _require_nir()
    return module_from_dict(_graph_dict(graph))


def _graph_dict(node: Any) -> NodeDict:
    import nir

    if isinstance(node, nir.NIRGraph):
        return {
            "type": "NIRGraph",
            "nodes": {name: _graph_dict(child) for name, child in node.nodes.items()},
            "edges": [(str(a), str(b)) for a, b in node.edges],
            "metadata": dict(node.metadata or {}),
        }
    d = node.to_dict()
    for key, value in list(d.items()):
        if isinstance(value, tuple):
            d[key] = np.asarray(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and key != "metadata":
            d[key] = np.asarray(value)
        elif value is None:
            del d[key]
    return d
