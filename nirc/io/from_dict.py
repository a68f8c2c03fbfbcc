"""Build the `nir` dialect from a node dict (the reference package's ``to_dict`` form).

This is the single entry into the IR for `.nir` files and for ``nir.NIRGraph`` objects.
It checks every field, resolves edge names, infers the shape of every signal (through
cycles and nested graphs) and returns a verified ``builtin.module`` holding one
``nir.graph``.  Legacy files (NIR 0.1/0.2) load with :class:`NircWarning` warnings
where a value had to be defaulted or repaired.
"""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, StringAttr
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from nirc.core.dense import DenseAttr, UnsupportedDtype
from nirc.core.errors import NircError, NircWarning
from nirc.core.gcpause import pauses_gc
from nirc.core.graph import reverse_postorder
from nirc.core.node import NodeError, NodeOp, signal_type, ssa_hint
from nirc.core.shapes import ShapeError
from nirc.core.verify import verify_module
from nirc.dialects.nir import OP_BY_NIR_TYPE, ConvOp, GraphOp, InputOp, OutputOp
from nirc.io.metadata import metadata_to_attr

NodeDict = Mapping[str, Any]


_GRAPH_FIELDS = {"type", "nodes", "edges", "metadata"}
_PLACEHOLDER = signal_type([])


@pauses_gc  # building 10^4 ops otherwise triggers full collections that walk them all
def module_from_dict(node: NodeDict) -> ModuleOp:
    """Build and verify a module from the node dict of a top-level NIR graph."""
    if node.get("type") != "NIRGraph":
        raise NircError(f"the top-level node must be a NIRGraph, got {node.get('type')!r}", rule="fields")
    graph = _build_graph(node, path="", name=None)
    module = ModuleOp([graph])
    verify_module(module)
    return module


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


# --------------------------------------------------------------------- node fields


def _to_param(value: Any, key: str, path: str, allow_str: bool = False) -> Attribute:
    if isinstance(value, str) and allow_str:
        return StringAttr(value)
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0 and allow_str:
        return StringAttr(str(value[()]))
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise NircError(f"field '{key}' must be numeric, got {arr.dtype}", rule="fields", node=path)
    try:
        return DenseAttr.from_array(arr)
    except UnsupportedDtype as exc:
        raise NircError(f"field '{key}': {exc}", rule="fields", node=path) from None


def _node_props(cls: type[NodeOp], node: NodeDict, path: str) -> dict[str, Attribute]:
    fields = dict(node)
    fields.pop("type")
    meta = fields.pop("metadata", None)
    props: dict[str, Attribute] = {"name": StringAttr(path.rsplit("/", 1)[-1])}
    if "v_reset" in cls.PARAMS and "v_reset" not in fields and "v_threshold" in fields:
        warnings.warn(f"node '{path}': no v_reset (NIR < 1.0 file); using 0", NircWarning, stacklevel=2)
        fields["v_reset"] = np.zeros_like(np.asarray(fields["v_threshold"]))
    if "w_in" in cls.PARAMS and "w_in" not in fields and "v_leak" in fields:
        warnings.warn(f"node '{path}': no w_in; using 1 as the reference package does", NircWarning, stacklevel=2)
        fields["w_in"] = np.ones_like(np.asarray(fields["v_leak"]))
    for key in cls.PARAMS:
        if key not in fields:
            raise NircError(
                f"{cls.NIR_TYPE} is missing field '{key}' (expects {', '.join(cls.PARAMS)})",
                rule="fields",
                node=path,
            )
    allowed = cls.PARAMS + tuple(k for k in cls.OPTIONAL_PARAMS if k not in getattr(cls, "EXTENSION_PARAMS", ()))
    for key, value in fields.items():
        if key not in allowed:
            raise NircError(
                f"unexpected field '{key}' for {cls.NIR_TYPE} (expects {', '.join(allowed)})",
                rule="fields",
                node=path,
            )
        if value is None:
            continue
        props[key] = _to_param(value, key, path, allow_str=(key == "padding" and issubclass(cls, ConvOp)))
    if meta:
        if not isinstance(meta, Mapping):
            raise NircError("'metadata' must be a group of named values", rule="metadata", node=path)
        props["metadata"] = metadata_to_attr(meta, path)
    return props


# --------------------------------------------------------------------- graphs


class _Graph:
    """Name resolution and shape inference for the nodes of one graph."""

    def __init__(self, node: NodeDict, path: str):
        self.path = path
        extra = set(node) - _GRAPH_FIELDS
        if extra:
            raise NircError(
                f"unexpected field(s) {', '.join(sorted(extra))} for NIRGraph", rule="fields", node=path or None
            )
        nodes = node.get("nodes")
        if not isinstance(nodes, Mapping):
            raise NircError("NIRGraph without 'nodes'", rule="fields", node=path or None)
        self.protos: dict[str, Operation] = {}
        for name, child in nodes.items():
            self.protos[name] = self._proto(name, child)
        self.edges = self._resolve_edges(node.get("edges", []))

    def _proto(self, name: str, child: Any) -> Operation:
        path = _join(self.path, name)
        if not isinstance(child, Mapping) or not isinstance(child.get("type"), str):
            raise NircError("node without a 'type'", rule="fields", node=path)
        typ = child["type"]
        if typ == "NIRGraph":
            return _build_graph(child, path=path, name=name)
        cls = OP_BY_NIR_TYPE.get(typ)
        if cls is None:
            raise NircError(
                f"unknown node type '{typ}' (NIR 1.0.8 has {', '.join(sorted([*OP_BY_NIR_TYPE, 'NIRGraph']))})",
                rule="node-type",
                node=path,
            )
        n_results = 0 if cls is OutputOp else 1
        return cls.create(result_types=[_PLACEHOLDER] * n_results, properties=_node_props(cls, child, path))

    # -- edges
    def _endpoint(self, ref: str, edge: tuple[str, str], outgoing: bool) -> tuple[str, str | None]:
        """(node name, port) for an edge endpoint; port names an Input/Output of a
        nested graph when the edge spells ``graph.port``."""
        if ref in self.protos:
            return ref, None
        for i in range(len(ref) - 1, 0, -1):
            if ref[i] != ".":
                continue
            head, port = ref[:i], ref[i + 1 :]
            sub = self.protos.get(head)
            if isinstance(sub, GraphOp):
                ports = sub.output_nodes() if outgoing else sub.input_nodes()
                if any(p.nir_name == port for p in ports):
                    return head, port
        side = "source" if outgoing else "destination"
        raise NircError(
            f"edge {edge!r} names {side} node '{ref}', which does not exist",
            rule="edge-endpoint",
            node=self.path or None,
        )

    def _resolve_edges(self, raw: Any) -> list[tuple[str, int, str, str | None]]:
        edges: list[tuple[str, int, str, str | None]] = []
        seen: set[tuple[str, str]] = set()
        for edge in raw:
            if not (isinstance(edge, (tuple, list)) and len(edge) == 2 and all(isinstance(e, str) for e in edge)):
                raise NircError(f"malformed edge {edge!r}", rule="fields", node=self.path or None)
            edge = (edge[0], edge[1])
            if edge in seen:
                raise NircError(f"duplicate edge {edge!r}", rule="duplicate-edge", node=self.path or None)
            seen.add(edge)
            src, out_port = self._endpoint(edge[0], edge, outgoing=True)
            dst, in_port = self._endpoint(edge[1], edge, outgoing=False)
            src_op, dst_op = self.protos[src], self.protos[dst]
            if isinstance(src_op, OutputOp):
                raise NircError(f"edge {edge!r} leaves an Output node", rule="edge-endpoint", node=self.path or None)
            if isinstance(dst_op, InputOp):
                raise NircError(f"edge {edge!r} enters an Input node", rule="edge-endpoint", node=self.path or None)
            index = self._port_index(src_op, src, out_port, edge, outgoing=True) if isinstance(src_op, GraphOp) else 0
            if isinstance(dst_op, GraphOp):
                self._port_index(dst_op, dst, in_port, edge, outgoing=False)
            edges.append((src, index, dst, in_port))
        return edges

    def _port_index(self, sub: GraphOp, name: str, port: str | None, edge: tuple[str, str], outgoing: bool) -> int:
        """Index of the Output (or Input) of nested graph ``sub`` that ``edge`` uses;
        a bare graph name is allowed only when the graph has exactly one."""
        ports = sub.output_nodes() if outgoing else sub.input_nodes()
        if port is None and len(ports) != 1:
            kind = "output" if outgoing else "input"
            raise NircError(
                f"edge {edge!r}: graph '{name}' has {len(ports)} {kind}s; name one as '{name}.<{kind}>'",
                rule="edge-endpoint",
                node=self.path or None,
            )
        return next(i for i, p in enumerate(ports) if port is None or p.nir_name == port)

    # -- shapes
    def infer_shapes(self) -> dict[str, list[tuple[int, ...]]]:
        """Output shapes of every node, propagated along edges (a worklist: linear)."""
        preds: dict[str, list[tuple[str, int]]] = {n: [] for n in self.protos}
        succs: dict[str, list[str]] = {n: [] for n in self.protos}
        for src, index, dst, _ in self.edges:
            preds[dst].append((src, index))
            succs[src].append(dst)
        shapes: dict[str, list[tuple[int, ...]]] = {}
        queue: deque[str] = deque()
        for name, op in self.protos.items():
            known = self._try_shape(name, op, preds[name], shapes)
            if known is not None:
                shapes[name] = known
                queue.append(name)
        while queue:
            name = queue.popleft()
            for nxt in succs[name]:
                if nxt in shapes:
                    continue
                known = self._try_shape(nxt, self.protos[nxt], preds[nxt], shapes)
                if known is not None:
                    shapes[nxt] = known
                    queue.append(nxt)
        for name, op in self.protos.items():
            if name not in shapes and not isinstance(op, OutputOp):
                raise NircError(
                    "cannot infer the input shape: no incoming edge of known shape and no shape parameter",
                    rule="unknown-input-shape",
                    node=_join(self.path, name),
                )
        return shapes

    def _try_shape(
        self, name: str, op: Operation, preds: list[tuple[str, int]], shapes: dict[str, list[tuple[int, ...]]]
    ) -> list[tuple[int, ...]] | None:
        if isinstance(op, GraphOp):
            return [tuple(r.type.get_shape()) for r in op.outputs]  # type: ignore[attr-defined]
        if isinstance(op, OutputOp):
            return None
        assert isinstance(op, NodeOp)
        in_shape = next((shapes[p][i] for p, i in preds if p in shapes), None)
        try:
            if in_shape is None:
                in_shape = op.expected_input_shape()
            return [tuple(op.infer_output_shape(in_shape))]
        except NodeError as err:
            if err.rule == "unknown-input-shape":
                return None
            raise NircError(str(err), rule=err.rule, node=_join(self.path, name)) from None
        except ShapeError as err:
            raise NircError(str(err), rule="shape", node=_join(self.path, name)) from None


def _order(protos: Mapping[str, Operation], edges: list[tuple[str, int, str, str | None]]) -> list[str]:
    """Nodes in reverse post-order of a depth-first walk from the Input nodes (a
    topological order where the graph has no cycle), then the unreached ones."""
    succs: dict[str, list[str]] = {n: [] for n in protos}
    for src, _, dst, _ in edges:
        succs[src].append(dst)
    roots = [n for n, op in protos.items() if isinstance(op, InputOp)]
    return reverse_postorder([*roots, *protos], succs)


def _build_graph(node: NodeDict, *, path: str, name: str | None) -> GraphOp:
    graph = _Graph(node, path)
    shapes = graph.infer_shapes()
    # Repair Output nodes whose declared shape disagrees only in singleton axes
    # (e.g. rockpool's [1, 1, 1] for a [1] signal).
    first_in: dict[str, tuple[str, int]] = {}
    for src, index, dst, _ in graph.edges:
        first_in.setdefault(dst, (src, index))
    for out_name, op in graph.protos.items():
        if not isinstance(op, OutputOp) or out_name not in first_in:
            continue
        src, index = first_in[out_name]
        got = shapes[src][index]
        declared = op.param("shape")
        if (
            tuple(declared.reshape(-1).tolist()) != got
            and declared.size
            and int(np.prod(declared)) == int(np.prod(got, dtype=np.int64))
        ):
            warnings.warn(
                f"node '{_join(path, out_name)}': Output shape {declared.tolist()} disagrees with its "
                f"input {list(got)}; using {list(got)}",
                NircWarning,
                stacklevel=2,
            )
            op.properties["shape"] = DenseAttr.from_array(np.array(got, dtype=declared.dtype))

    ops: dict[str, Operation] = {}
    for node_name in _order(graph.protos, graph.edges):
        proto = graph.protos[node_name]
        if isinstance(proto, GraphOp):
            op = proto
            outs = proto.output_nodes()
            for result, out in zip(proto.outputs, outs, strict=True):
                result.name_hint = ssa_hint(node_name if len(outs) == 1 else f"{node_name}_{out.nir_name}")
        else:
            n_results = len(proto.results)
            op = type(proto).create(
                result_types=[signal_type(shapes[node_name][0])] if n_results else [],
                properties=dict(proto.properties),
            )
            if n_results:
                op.results[0].name_hint = ssa_hint(node_name)
        ops[node_name] = op

    # Incoming edges become operands, in the order the file lists them.
    operands: dict[str, list[SSAValue]] = {n: [] for n in ops}
    ports: dict[str, list[str]] = {n: [] for n in ops}
    file_pos: dict[tuple[str, int], int] = {}
    for pos, (src, index, dst, in_port) in enumerate(graph.edges):
        file_pos[(dst, len(operands[dst]))] = pos
        operands[dst].append(ops[src].results[index])
        ports[dst].append(in_port or "")
    # nirc's own order lists edges by destination name (codepoint order), each node's
    # incoming edges in operand order; only a file that differs needs edge_ids.
    destinations = [dst for _, _, dst, _ in graph.edges]
    keep_order = destinations != sorted(destinations)
    for node_name, op in ops.items():
        op.operands = operands[node_name]
        if isinstance(op, GraphOp) and any(ports[node_name]):
            named = [p or op.input_nodes()[0].nir_name for p in ports[node_name]]
            op.properties["input_ports"] = ArrayAttr([StringAttr(p) for p in named])
        if keep_order and operands[node_name]:
            ids = np.array([file_pos[(node_name, i)] for i in range(len(operands[node_name]))], dtype=np.int64)
            op.properties["edge_ids"] = DenseAttr.from_array(ids)

    props: dict[str, Attribute] = {}
    if name is not None:
        props["name"] = StringAttr(name)
    meta = node.get("metadata")
    if meta:
        if not isinstance(meta, Mapping):
            raise NircError("'metadata' must be a group of named values", rule="metadata", node=path or None)
        props["metadata"] = metadata_to_attr(meta, path or None)
    result_types = []
    if name is not None:
        result_types = [
            signal_type(tuple(int(d) for d in o.param("shape").reshape(-1)))
            for o in ops.values()
            if isinstance(o, OutputOp)
        ]
    return GraphOp.create(result_types=result_types, properties=props, regions=[Region(Block(list(ops.values())))])
