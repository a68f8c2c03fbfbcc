"""Write an `snn` graph as a torch module: the graph walk every torch target shares.

The ``forward`` of the generated ``Model`` takes the input as ``(time, batch, *shape)``
and steps through time, as the frameworks' tutorials do: per step, every node in the
order ``nir-run`` uses (:func:`nirc.ir.order.schedule_order`), fan-in summed in operand
order, a delay that closes a cycle read at the start of the step and fed at its end.
A framework supplies :class:`Mapping.neuron`, the code of each `snn` neuron op.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from nirc.dialects import nir, snn
from nirc.errors import NircError, Violation, Violations
from nirc.io.to_dict import top_graph
from nirc.ir.order import breaks_cycles, schedule_order
from nirc.targets.torchgen import helpers
from nirc.targets.torchgen.layers import LAYERS, delay_init
from nirc.targets.torchgen.names import Namer, literal
from nirc.targets.torchgen.node import NodeCode, NodeContext
from nirc.targets.torchgen.source import Block


class Mapping(Protocol):
    #: the framework, as ``--target`` names it
    name: str
    #: the import lines of the framework
    imports: tuple[str, ...]

    def neuron(self, ctx: NodeContext) -> NodeCode:
        """The code of an `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``)."""
        ...


@dataclass
class Generated:
    source: str
    weights: dict[str, np.ndarray]
    #: per node: name, op, module, exact, note
    nodes: list[dict[str, Any]]


def _check_flat(graph: nir.GraphOp) -> None:
    for op in graph.body.block.ops:
        if isinstance(op, nir.GraphOp):
            raise NircError("a nested graph: the torch targets need a flat graph", rule="torch-unsupported", node=op.nir_name)


def generate(module: ModuleOp, mapping: Mapping, dtype: str, header: list[str], semantics: dict[str, Any]) -> Generated:
    """The Python source and the weights of ``module`` (fused `snn`, after ``nir-to-snn``)."""
    graph = top_graph(module)
    _check_flat(graph)
    inputs = graph.input_nodes()
    if not inputs:
        raise NircError("the graph has no Input node: nothing to feed the generated model", rule="torch-unsupported")
    order = schedule_order(graph)
    position = {op: i for i, op in enumerate(order)}
    namer = Namer()
    weights: dict[str, np.ndarray] = {}
    np_dtype = np.dtype(dtype)
    ident = {op: namer.fresh(op.properties["name"].data) for op in order}  # type: ignore[union-attr]
    var: dict[Any, str] = {}
    init, start, loop, after = Block(2), Block(2), Block(3), Block(3)
    helper_names: set[str] = set()
    nodes: list[dict[str, Any]] = []
    errors: list[NircError] = []

    # Forward's arguments: x for one Input, else one per Input.
    args = ["x"] if len(inputs) == 1 else [namer.fresh(f"{ident[op]}_seq") for op in inputs]
    for arg, op in zip(args, inputs, strict=True):
        var[op.output] = ident[op]
        loop.add(f"{ident[op]} = {arg}[t]")

    def input_expr(op: Any) -> str:
        parts = [var[v] for v in op.operands]
        if not parts:
            shape = _shape(op) if isinstance(op, nir.OutputOp) else tuple(int(d) for d in (op.expected_input_shape() or ()))
            return f"torch.zeros((batch, *{shape!r}), dtype=DTYPE)"
        return " + ".join(parts)

    breakers = [op for op in order if breaks_cycles(op)]
    for op in breakers:  # their output is known at the start of a step
        ctx = NodeContext(op, ident[op], "", np_dtype, namer, weights)
        init.extend(delay_init(ctx))
        start.add(f"{ctx.attr}.start(batch)")
        loop.add(f"{ctx.out} = {ctx.attr}.ahead()")
        var[op.results[0]] = ctx.out
        helper_names.add("Delay")
        nodes.append({"node": ctx.name, "op": op.name, "module": "Delay", "exact": "bit-exact", "note": ""})
    for op in order:
        if isinstance(op, (nir.InputOp, nir.OutputOp)) or op in breakers:
            continue
        for value in op.operands:
            owner = value.owner
            if position[owner] >= position[op] and not breaks_cycles(owner):  # type: ignore[index]
                raise NircError("a cycle without a one-step delay: run nir-to-snn first", rule="torch-unsupported", node=ident[op])
        ctx = NodeContext(op, ident[op], input_expr(op), np_dtype, namer, weights)
        try:
            if isinstance(op, snn.NEURON_OPS):
                code = mapping.neuron(ctx)
            elif type(op) in LAYERS:
                code = LAYERS[type(op)](ctx)
            else:
                raise NircError(f"'{op.name}' has no torch form", rule="torch-unsupported", node=ctx.name)
        except NircError as err:
            errors.append(err)
            continue
        init.extend(code.init)
        start.extend(code.start)
        loop.extend(code.step)
        var[op.results[0]] = ctx.out
        helper_names.update(code.helpers)
        nodes.append({"node": ctx.name, "op": op.name, "module": code.module, "exact": code.exact, "note": code.note})
    if errors:
        raise Violations(mapping.name, [Violation(e.rule or "torch-unsupported", e.node, e.message) for e in errors])
    for op in breakers:
        after.add(f"self.{ident[op]}.push({input_expr(op)})")
    outputs = graph.output_nodes()
    out_vars = [namer.fresh(f"{ident[op]}_steps") for op in outputs]
    for op, steps in zip(outputs, out_vars, strict=True):
        start.add(f"{steps} = []")
        after.add(f"{steps}.append({input_expr(op)})")

    lines = Block(0)
    lines.extend(header)
    lines.add(
        "",
        "from pathlib import Path",
        "",
        "import numpy as np",
        "import torch",
        "from torch import nn",
        "",
        *mapping.imports,
        "",
        "#: How the model was discretized (nir-translate --semantics, --dt).",
        f"SEMANTICS = {_dict_literal(semantics)}",
        f"DTYPE = torch.{dtype}",
        'WEIGHTS = Path(__file__).with_name("weights.npz")',
        "#: The NIR name of each node, by the identifier the code uses for it.",
        "NODE_NAMES = {",
        *[f"    {literal(ident[op])}: {literal(op.properties['name'].data)}," for op in order],  # type: ignore[union-attr]
        "}",
    )
    for name in helpers.closure(helper_names):
        lines.add("", *helpers.HELPERS[name][0].strip("\n").splitlines())
    in_doc = ", ".join(f"{a}: (time, batch, {', '.join(map(str, nir.shape_of(op.output)))})" for a, op in zip(args, inputs, strict=True))
    if len(outputs) == 1:
        out_doc = f"(time, batch, {', '.join(map(str, _shape(outputs[0])))})"
        ret = f"torch.stack({out_vars[0]})"
    else:
        out_doc = "a dict of (time, batch, ...) tensors keyed by Output name"
        ret = "{" + ", ".join(f"{literal(op.nir_name)}: torch.stack({v})" for op, v in zip(outputs, out_vars, strict=True)) + "}"
    lines.add(
        "",
        "",
        "class Model(nn.Module):",
        '    def __init__(self, weights=WEIGHTS):',
        "        super().__init__()",
        "        stored = np.load(weights, allow_pickle=False)",
        "",
        "        def param(key):",
        "            return torch.as_tensor(stored[key], dtype=DTYPE)",
        "",
        *init.lines,
        "",
        f"    def forward(self, {', '.join(args)}):",
        f'        """{in_doc} -> {out_doc}."""',
        *[f"        {a} = torch.as_tensor({a}, dtype=DTYPE)" for a in args],
        f"        steps, batch = {args[0]}.shape[:2]",
        *start.lines,
        "        for t in range(steps):",
        *loop.lines,
        *after.lines,
        f"        return {ret}",
        "",
        "",
        "def load(weights=WEIGHTS):",
        '    """The model with its weights (weights.npz beside this file), in evaluation mode."""',
        "    return Model(weights).eval()",
        "",
    )
    return Generated(lines.text(), weights, nodes)


def _shape(op: nir.OutputOp) -> tuple[int, ...]:
    return tuple(int(d) for d in op.param("shape").reshape(-1))


def _dict_literal(values: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in values.items()) + "}"
