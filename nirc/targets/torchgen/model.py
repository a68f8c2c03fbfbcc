"""Write an `snn` graph as a torch module: the graph walk every torch target shares.

The ``forward`` of the generated ``Model`` takes the input as ``(time, batch, *shape)``
and steps through time, as the frameworks' tutorials do: per step, every node in the
order ``nir-run`` uses (:func:`nirc.core.graph.schedule_order`), fan-in summed in operand
order, a delay that closes a cycle read at the start of the step and fed at its end.
A framework supplies :class:`Mapping.neuron`, the code of each `snn` neuron op.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from nirc.core.errors import NircError, Violation, Violations
from nirc.core.graph import schedule_order
from nirc.core.node import shape_of
from nirc.core.traits import breaks_cycles
from nirc.dialects import nir, snn
from nirc.dialects.nir import top_graph
from nirc.targets.torchgen import helpers
from nirc.targets.torchgen.layers import LAYERS, delay_init
from nirc.targets.torchgen.names import Namer, literal
from nirc.targets.torchgen.node import BIT_EXACT, NodeCode, NodeContext, zeros
from nirc.targets.torchgen.source import Block


class Mapping(Protocol):
    #: the framework, as ``--target`` names it
    name: str
    #: the container class a chain of modules becomes (``norse.SequentialState``), or None
    sequential: str | None
    #: the import lines of the framework
    imports: tuple[str, ...]

    #: identifiers the framework's code uses (its import names, its helpers)
    reserved: frozenset[str]
    #: the framework's own helpers, as :data:`~nirc.targets.torchgen.helpers.HELPERS`
    helpers: dict[str, tuple[str, tuple[str, ...]]]

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


def _is_chain(graph: nir.GraphOp, order: list[Any]) -> bool:
    """Input -> one node after another -> Output, and nothing else: each node read once,
    by the next, every node on the way."""
    inputs, outputs = graph.input_nodes(), graph.output_nodes()
    if len(inputs) != 1 or len(outputs) != 1:
        return False
    op: Any = inputs[0]
    seen = 1
    while not isinstance(op, nir.OutputOp):
        if breaks_cycles(op) or len(op.results) != 1:
            return False
        uses = list(op.results[0].uses)
        if len(uses) != 1:
            return False
        op = uses[0].operation
        if len(op.operands) != 1:
            return False
        seen += 1
    return seen == len(order)


class _Writer:
    """The parts of ``Model`` one graph walk fills."""

    def __init__(self, graph: nir.GraphOp, order: list[Any], mapping: Mapping, dtype: str) -> None:
        self.graph, self.order, self.mapping = graph, order, mapping
        self.np_dtype = np.dtype(dtype)
        self.namer = Namer(mapping.reserved)
        self.weights: dict[str, np.ndarray] = {}
        self.ident = {op: self.namer.fresh(op.properties["name"].data) for op in order}  # type: ignore[union-attr]
        self.init, self.start, self.loop, self.after = Block(2), Block(2), Block(3), Block(3)
        self.helpers: set[str] = set()
        self.nodes: list[dict[str, Any]] = []
        self.args = ["x"]
        self.ret = ""
        self.doc = ""

    def code(self, op: Any, x: str, owner: str) -> NodeCode:
        ctx = NodeContext(op, self.ident[op], x, self.np_dtype, self.namer, self.weights, owner)
        if isinstance(op, snn.NEURON_OPS):
            code = self.mapping.neuron(ctx)
        elif type(op) in LAYERS:
            code = LAYERS[type(op)](ctx)
        else:
            raise NircError(f"'{op.name}' has no torch form", rule="torch-unsupported", node=ctx.name)
        self.nodes.append({"node": ctx.name, "op": op.name, "module": code.module, "exact": code.exact, "note": code.note})
        self.helpers.update(code.helpers)
        return code

    def _doc(self, inputs: list[Any], outputs: list[Any]) -> None:
        if len(inputs) == 1:
            ins = f"x: (time, batch, {', '.join(map(str, shape_of(inputs[0].output)))})"
        else:
            ins = "inputs: a dict of (time, batch, ...) tensors keyed by Input name (NODE_NAMES)"
        if len(outputs) == 1:
            outs = f"(time, batch, {', '.join(map(str, _shape(outputs[0])))})"
        else:
            outs = "a dict of (time, batch, ...) tensors keyed by Output name"
        self.doc = f"{ins} -> {outs}."

    # ------------------------------------------------------------- one module per node
    def stepwise(self) -> None:
        """``forward`` computes every node in turn at each step."""
        graph, order, ident = self.graph, self.order, self.ident
        position = {op: i for i, op in enumerate(order)}
        inputs = graph.input_nodes()
        var: dict[Any, str] = {}
        if len(inputs) == 1:
            self.loop.add(f"{ident[inputs[0]]} = x[t]")
        else:  # a dict keyed by Input name, as nirc.run takes it
            self.args = ["inputs"]
            for op in inputs:
                series = self.namer.fresh(f"{ident[op]}_series")
                self.start.add(f"{series} = torch.as_tensor(inputs[{literal(op.nir_name)}], dtype=DTYPE)")
                self.loop.add(f"{ident[op]} = {series}[t]")
        for op in inputs:
            var[op.output] = ident[op]

        def input_expr(op: Any) -> str:
            parts = [var[v] for v in op.operands]
            if not parts:
                shape = _shape(op) if isinstance(op, nir.OutputOp) else tuple(int(d) for d in (op.expected_input_shape() or ()))
                return zeros(shape)
            return " + ".join(parts)

        breakers = [op for op in order if breaks_cycles(op)]
        for op in breakers:  # their output is known at the start of a step
            ctx = NodeContext(op, ident[op], "", self.np_dtype, self.namer, self.weights)
            self.init.extend(delay_init(ctx))
            self.start.add(f"{ctx.attr}.start(batch, device)")
            self.loop.add(f"{ctx.out} = {ctx.attr}.ahead()")
            var[op.results[0]] = ctx.out
            self.helpers.add("Delay")
            self.nodes.append({"node": ctx.name, "op": op.name, "module": "Delay", "exact": BIT_EXACT, "note": ""})
        errors: list[NircError] = []
        for op in order:
            if isinstance(op, (nir.InputOp, nir.OutputOp)) or op in breakers:
                continue
            for value in op.operands:
                if position[value.owner] >= position[op] and not breaks_cycles(value.owner):  # type: ignore[index]
                    raise NircError("a cycle without a one-step delay: run nir-to-snn first", rule="torch-unsupported", node=op.nir_name)
            try:
                code = self.code(op, input_expr(op), "self.")
            except NircError as err:
                errors.append(err)  # go on, to report every node at once
                for result in op.results:
                    var[result] = ident[op]
                continue
            self.init.extend(code.init)
            self.start.extend(code.start)
            self.loop.extend(code.step)
            var[op.results[0]] = ident[op]
        if errors:
            raise Violations(self.mapping.name, [Violation(e.rule or "torch-unsupported", e.node, e.message) for e in errors])
        for op in breakers:
            self.after.add(f"self.{ident[op]}.push({input_expr(op)})")
        outputs = graph.output_nodes()
        out_vars = [self.namer.fresh(f"{ident[op]}_steps") for op in outputs]
        for op, steps in zip(outputs, out_vars, strict=True):
            self.start.add(f"{steps} = []")
            self.after.add(f"{steps}.append({input_expr(op)})")
        if len(outputs) == 1:
            self.ret = f"torch.stack({out_vars[0]})"
        else:
            self.ret = "{" + ", ".join(f"{literal(op.nir_name)}: torch.stack({v})" for op, v in zip(outputs, out_vars, strict=True)) + "}"
        self._doc(inputs, outputs)

    # ------------------------------------------------------------- a chain
    def sequential(self, container: str) -> bool:
        """The chain as one ``container`` (Norse's ``SequentialState``) of the nodes'
        modules, stepped with a list of states; False where a node is no module chain."""
        modules: list[str] = []
        states: list[str] = []
        for op in self.order:
            if isinstance(op, (nir.InputOp, nir.OutputOp)):
                continue
            code = self.code(op, "", "")
            if code.chain is None:
                return False
            self.init.extend(code.init)
            modules.extend(code.chain)
            states.extend(["None"] * (len(code.chain) - 1))
            states.append(code.chain_state or "None")
        self.init.add(f"self.net = {container}(")
        self.init.extend(f"    {m}," for m in modules)
        self.init.add(")")
        self.start.add("state = [")
        self.start.extend(f"    {s}," for s in states)
        self.start.add("]", "outputs = []")
        self.loop.add("y, state = self.net(x[t], state)", "outputs.append(y)")
        self.ret = "torch.stack(outputs)"
        self._doc(self.graph.input_nodes(), self.graph.output_nodes())
        return True


def generate(module: ModuleOp, mapping: Mapping, dtype: str, header: list[str], semantics: dict[str, Any]) -> Generated:
    """The Python source and the weights of ``module`` (fused `snn`, after ``nir-to-snn``)."""
    graph = top_graph(module)
    _check_flat(graph)
    if not graph.input_nodes():
        raise NircError("the graph has no Input node: nothing to feed the generated model", rule="torch-unsupported")
    order = schedule_order(graph)
    container = mapping.sequential
    w = _Writer(graph, order, mapping, dtype)
    if not (container and _is_chain(graph, order) and _try(w.sequential, container)):
        w = _Writer(graph, order, mapping, dtype)
        w.stepwise()

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
        *[f"    {literal(w.ident[op])}: {literal(op.properties['name'].data)}," for op in order],  # type: ignore[union-attr]
        "}",
    )
    table = {**helpers.HELPERS, **mapping.helpers}
    for name in helpers.closure(w.helpers, table):
        lines.add("", *table[name][0].strip("\n").splitlines())
    lines.add(
        "",
        "",
        "class Model(nn.Module):",
        "    def __init__(self, weights=WEIGHTS):",
        "        super().__init__()",
        "        with np.load(weights, allow_pickle=False) as npz:",
        "            stored = dict(npz)",
        "",
        "        def param(key):",
        "            value = stored[key]",
        '            return torch.as_tensor(value, dtype=DTYPE if value.dtype.kind == "f" else None)',

        "",
        *w.init.lines,
        "",
        f"    def forward(self, {', '.join(w.args)}):",
        f'        """{w.doc}"""',
        *(
            ["        x = torch.as_tensor(x, dtype=DTYPE)", "        steps, batch = x.shape[:2]", "        device = x.device"]
            if w.args == ["x"]
            else [
                "        first = torch.as_tensor(next(iter(inputs.values())))",
                "        steps, batch = first.shape[:2]",
                "        device = first.device",
            ]
        ),
        *w.start.lines,
        "        for t in range(steps):",
        *w.loop.lines,
        *w.after.lines,
        f"        return {w.ret}",
        "",
        "",
        "def load(weights=WEIGHTS):",
        '    """The model with its weights (weights.npz beside this file), in evaluation mode."""',
        "    return Model(weights).eval()",
        "",
    )
    return Generated(lines.text(), w.weights, w.nodes)


def _try(make: Any, *args: Any) -> bool:
    """``make(*args)``, False where a node refuses (the step-by-step form reports it)."""
    try:
        return bool(make(*args))
    except NircError:
        return False


def _shape(op: nir.OutputOp) -> tuple[int, ...]:
    return tuple(int(d) for d in op.param("shape").reshape(-1))


def _dict_literal(values: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in values.items()) + "}"
