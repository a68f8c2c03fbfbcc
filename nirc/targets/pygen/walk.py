"""Write an `snn` graph as a Python module: the graph walk every Python target shares.

The generated step function takes the input as ``(time, batch, *shape)`` and steps
through time, as the frameworks' tutorials do: per step, every node in the order
``nir-run`` uses (:func:`nirc.core.graph.schedule_order`), fan-in summed in operand
order, a delay that closes a cycle read at the start of the step (its value is known
then) and fed at its end, the Outputs' values appended to a list per Output and stacked
at the end.  Several Inputs make the argument a dict keyed by Input name, several
Outputs the result (as :func:`nirc.run` does).

Where the mapping names a sequential container and the graph is a chain (Input -> one
node after another -> Output), the model is that container of every node's modules
instead, stepped with a list of states.

Nothing here knows a language: every line of code comes from the
:class:`~nirc.targets.pygen.backend.Backend` (ops, delays, zeros, template) or the
:class:`~nirc.targets.pygen.backend.Mapping` (neurons); see :mod:`.backend`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from nirc.core.errors import NircError, Violation, Violations
from nirc.core.graph import back_edges, schedule_order
from nirc.core.node import shape_of
from nirc.core.traits import breaks_cycles
from nirc.dialects import nir, snn
from nirc.dialects.nir import top_graph
from nirc.targets.pygen.backend import Backend, Helper, Mapping, ModuleParts, NodeCode, NodeContext, unsupported
from nirc.targets.pygen.names import Namer, literal
from nirc.targets.pygen.report import row
from nirc.targets.pygen.source import Block
from nirc.targets.pygen.weights import Weights


@dataclass
class Generated:
    source: str
    weights: dict[str, np.ndarray]
    #: per node: name, op, module, exact, note
    nodes: list[dict[str, Any]]


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


def closure(names: set[str], table: dict[str, Helper]) -> list[str]:
    """The helpers ``names`` need from ``table`` (a backend's and a framework's helpers),
    dependencies first, in the table's order."""
    want: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in want:
            want.add(name)
            stack.extend(table[name][1])
    return [name for name in table if name in want]


class _Writer:
    """The parts of the module one graph walk fills."""

    def __init__(
        self, graph: nir.GraphOp, order: list[Any], backend: Backend, mapping: Mapping, dtype: str, target: str
    ) -> None:
        self.graph, self.order, self.backend, self.mapping, self.target = graph, order, backend, mapping, target
        self.rule = unsupported(backend)
        self.np_dtype = np.dtype(dtype)
        # the helpers' names are the generated file's too: no node may take one
        self.namer = Namer(
            backend.reserved | mapping.reserved | frozenset(backend.helpers) | frozenset(mapping.helpers)
        )
        self.weights = Weights()
        self.ident = {op: self.namer.fresh(op.nir_name) for op in order}
        self.init, self.start, self.loop, self.after = Block(), Block(), Block(), Block()
        self.helpers: set[str] = set()
        self.nodes: list[dict[str, Any]] = []
        self.args = ["x"]
        self.ret = ""
        self.doc = ""

    def context(self, op: Any, x: str, owner: str = "self.") -> NodeContext:
        return NodeContext(op, self.ident[op], x, self.np_dtype, self.namer, self.weights, self.backend, owner)

    def record(self, ctx: NodeContext, code: NodeCode) -> None:
        self.nodes.append(row(ctx.name, ctx.op.name, code.module, code.exact, code.note))
        self.helpers.update(code.helpers)

    def code(self, op: Any, x: str, owner: str) -> NodeCode:
        ctx = self.context(op, x, owner)
        if isinstance(op, snn.NEURON_OPS):
            code = self.mapping.neuron(ctx)
        elif type(op) in self.backend.ops:
            code = self.backend.ops[type(op)](ctx)
        else:
            raise NircError(f"'{op.name}' has no {self.backend.family} form", rule=self.rule, node=ctx.name)
        self.record(ctx, code)
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
        """The step function computes every node in turn at each step."""
        graph, order, ident, backend = self.graph, self.order, self.ident, self.backend
        inputs = graph.input_nodes()
        var: dict[Any, str] = {}
        if len(inputs) == 1:
            self.loop.add(f"{ident[inputs[0]]} = x[t]")
        else:  # a dict keyed by Input name, as nirc.run takes it
            self.args = ["inputs"]
            for op in inputs:
                series = self.namer.fresh(f"{ident[op]}_series")
                self.start.add(f"{series} = {backend.as_input(f'inputs[{literal(op.nir_name)}]')}")
                self.loop.add(f"{ident[op]} = {series}[t]")
        for op in inputs:
            var[op.output] = ident[op]

        def input_expr(op: Any) -> str:
            parts = [var[v] for v in op.operands]
            if not parts:
                shape = (
                    _shape(op)
                    if isinstance(op, nir.OutputOp)
                    else tuple(int(d) for d in (op.expected_input_shape() or ()))
                )
                return backend.zeros(shape)
            return " + ".join(parts)

        breakers = {op: self.context(op, "") for op in order if breaks_cycles(op)}
        for ctx in breakers.values():  # their output is known at the start of a step
            code = backend.breaker(ctx)
            self.init.extend(code.init)
            self.start.extend(code.start)
            self.loop.extend(code.step)
            var[ctx.op.results[0]] = ctx.out
            self.record(ctx, code)
        closing = back_edges(order)  # the step loop is flat: every cycle needs its explicit delay
        if closing:
            raise NircError(
                "a cycle without a one-step delay: run nir-to-snn first", rule=self.rule, node=closing[0][0].nir_name
            )  # type: ignore[attr-defined]
        errors: list[NircError] = []
        for op in order:
            if isinstance(op, (nir.InputOp, nir.OutputOp)) or op in breakers:
                continue
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
            raise Violations(self.target, [Violation(e.rule or self.rule, e.node, e.message) for e in errors])
        for op, ctx in breakers.items():
            self.after.add(backend.feed(ctx, input_expr(op)))
        outputs = graph.output_nodes()
        out_vars = [self.namer.fresh(f"{ident[op]}_steps") for op in outputs]
        for op, steps in zip(outputs, out_vars, strict=True):
            self.start.add(f"{steps} = []")
            self.after.add(f"{steps}.append({input_expr(op)})")
        if len(outputs) == 1:
            self.ret = backend.stack(out_vars[0])
        else:
            self.ret = (
                "{"
                + ", ".join(
                    f"{literal(op.nir_name)}: {backend.stack(v)}" for op, v in zip(outputs, out_vars, strict=True)
                )
                + "}"
            )
        self._doc(inputs, outputs)

    # ------------------------------------------------------------- a chain
    def sequential(self, container: str) -> bool:
        """The chain as one ``container`` of the nodes' modules, stepped with a list of
        states; False where a node is no module chain."""
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
        self.ret = self.backend.stack("outputs")
        self._doc(self.graph.input_nodes(), self.graph.output_nodes())
        return True

    def parts(self, header: list[str], dtype: str, semantics: dict[str, Any]) -> ModuleParts:
        table = {**self.backend.helpers, **self.mapping.helpers}
        return ModuleParts(
            header=header,
            imports=self.mapping.imports,
            dtype=dtype,
            semantics=_dict_literal(semantics),
            names=[(self.ident[op], op.nir_name) for op in self.order],
            helpers=[table[name][0] for name in closure(self.helpers, table)],
            init=self.init.lines,
            start=self.start.lines,
            loop=self.loop.lines,
            after=self.after.lines,
            args=self.args,
            doc=self.doc,
            ret=self.ret,
        )


def generate(
    module: ModuleOp,
    backend: Backend,
    mapping: Mapping,
    dtype: str,
    header: list[str],
    semantics: dict[str, Any],
    target: str,
) -> Generated:
    """The Python source and the weights of ``module`` (fused and flat `snn`, after
    ``nir-to-snn`` and ``inline-graphs``: :meth:`~nirc.targets.pygen.target.PythonTarget.discretize`)
    for ``target`` (the name its violations are reported under)."""
    graph = top_graph(module)
    if not graph.input_nodes():
        raise NircError("the graph has no Input node: nothing to feed the generated model", rule=unsupported(backend))
    order = schedule_order(graph)
    container = mapping.sequential
    w = _Writer(graph, order, backend, mapping, dtype, target)
    if not (container and _is_chain(graph, order) and _try(w.sequential, container)):
        w = _Writer(graph, order, backend, mapping, dtype, target)
        w.stepwise()
    return Generated(backend.render(w.parts(header, dtype, semantics)), w.weights.arrays, w.nodes)


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
