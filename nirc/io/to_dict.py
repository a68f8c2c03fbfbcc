"""The `nir` dialect back to a node dict (the reference package's ``to_dict`` form).

Edges are derived from SSA uses: for every node, one edge per operand.  They are
listed in the order of the file the module came from (``edge_ids``) where it kept
one; otherwise, and for edges added by passes (after the recorded ones), by destination
name in codepoint order, each node's incoming edges in operand order.  The importer
recognises that order, so files nirc writes read back without ``edge_ids``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.node import NodeOp, shape_of
from nirc.dialects.nir import GraphOp, NeuronOp, top_graph
from nirc.io.metadata import attr_to_metadata

NodeDict = dict[str, Any]


def module_to_dict(module: ModuleOp | GraphOp) -> NodeDict:
    """The node dict of the module's top-level graph."""
    return _graph_to_dict(top_graph(module))


def _source_name(value: SSAValue) -> str:
    owner = value.owner
    if isinstance(owner, GraphOp):
        assert owner.nir_name is not None
        outs = owner.output_nodes()
        if len(outs) == 1:
            return owner.nir_name
        index = list(owner.outputs).index(value)
        return f"{owner.nir_name}.{outs[index].nir_name}"
    if isinstance(owner, NodeOp):
        return owner.nir_name
    raise NircError(
        f"an edge comes from '{getattr(owner, 'name', owner)}', which is not a NIR node", rule="module-structure"
    )


def _dest_name(op: Operation, index: int) -> str:
    if isinstance(op, GraphOp):
        assert op.nir_name is not None
        if len(op.input_nodes()) == 1:
            return op.nir_name
        return f"{op.nir_name}.{op.port_of_operand(index).nir_name}"
    assert isinstance(op, NodeOp)
    return op.nir_name


def _graph_to_dict(graph: GraphOp) -> NodeDict:
    nodes: dict[str, NodeDict] = {}
    keyed: list[tuple[tuple[int, int, str, int], tuple[str, str]]] = []
    for op in graph.body.block.ops:
        if isinstance(op, GraphOp):
            assert op.nir_name is not None
            nodes[op.nir_name] = _graph_to_dict(op)
        elif isinstance(op, NodeOp):
            nodes[op.nir_name] = _node_to_dict(op)
        else:
            raise NircError(f"'{op.name}' has no NIR equivalent", rule="module-structure")
        ids = op.properties.get("edge_ids")
        ids_arr = ids.array if isinstance(ids, DenseAttr) and ids.array.size == len(op.operands) else None
        for i, value in enumerate(op.operands):
            dst = op.nir_name or ""
            key = (0, int(ids_arr[i]), "", 0) if ids_arr is not None else (1, 0, dst, i)
            keyed.append((key, (_source_name(value), _dest_name(op, i))))
    keyed.sort(key=lambda item: item[0])
    seen: set[tuple[str, str]] = set()
    for _, edge in keyed:
        if edge in seen:  # NIR keeps edges as a list of pairs, and its readers refuse a pair twice
            raise NircError(
                f"node '{edge[1]}' reads '{edge[0]}' twice: a NIR file cannot hold the same edge twice "
                "(scale the edge by 2 instead)",
                rule="duplicate-edge",
                node=graph.nir_name,
            )
        seen.add(edge)
    out: NodeDict = {"type": "NIRGraph", "nodes": nodes, "edges": [edge for _, edge in keyed]}
    out["metadata"] = attr_to_metadata(graph.metadata) if graph.metadata is not None else {}
    return out


def _node_to_dict(op: NodeOp) -> NodeDict:
    nir_type = getattr(type(op), "NIR_TYPE", None)
    if nir_type is None:
        raise NircError(
            f"'{op.name}' has no NIR equivalent: only the nir dialect can be written as .nir",
            rule="module-structure",
            node=op.nir_name,
        )
    if isinstance(op, NeuronOp) and op.is_extended:
        raise NircError(
            f"{op.NIR_TYPE} with a reset or direct_input (made by lower-composites) has no NIR equivalent; "
            "write the model before lowering",
            rule="module-structure",
            node=op.nir_name,
        )
    out: NodeDict = {"type": nir_type}
    for key in (*op.PARAMS, *op.OPTIONAL_PARAMS):
        attr = op.properties.get(key)
        if isinstance(attr, DenseAttr):
            out[key] = attr.array
        elif isinstance(attr, StringAttr):
            out[key] = attr.data
    if "input_shape" in op.OPTIONAL_PARAMS and "input_shape" not in out and op.operands:
        # nir's Conv1d/Conv2d require it: the spatial shape of the incoming edge
        out["input_shape"] = np.asarray(shape_of(op.operands[0])[1:], np.int64)
    out["metadata"] = attr_to_metadata(op.metadata) if op.metadata is not None else {}
    return out
