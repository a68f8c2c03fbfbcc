"""The executor: run a graph of any registered dialects on numpy arrays.

Every node gets the kernel its op's class is registered with
(:func:`nirc.core.extension.kernel_for`; the protocol is :mod:`nirc.core.kernel`).  The
graph is split into strongly connected components (:func:`nirc.core.graph.components`).
A component with no cycle is one node, evaluated over the whole time series at once
(stateless ops vectorise over time and batch; neurons loop over time, vectorised over
batch and neurons).  A component with a cycle is evaluated step by step, its nodes in
the schedule order (:func:`nirc.core.graph.schedule_order`); an edge to a node earlier
in that order — the edge that closes the cycle — carries the value its source produced
in the *previous* step, zero at the first step.  A cycle breaker (a delay of at least a
step) gives its output at the start of a step and takes its input at the end.  Fan-in
sums the incoming signals.  Nested graphs run as nodes with their own schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import NircError
from nirc.core.extension import is_plugin, kernel_for, kernel_owner, kernel_table
from nirc.core.graph import components, schedule_order
from nirc.core.kernel import Kernel
from nirc.core.node import NodeOp, node_path, shape_of
from nirc.core.semantics import Semantics
from nirc.core.traits import breaks_cycles, is_input, is_output
from nirc.dialects.nir import GraphOp


def make_kernel(op: Operation, sem: Semantics, path: str) -> Kernel:
    """The kernel of ``op`` under ``sem``, from the registered extensions."""
    cls = kernel_for(type(op))
    if cls is None:
        _, broken = kernel_table()
        why = "".join(f"; {reason}" for reason in broken.values())
        raise NircError(
            f"'{op.name}' has no reference semantics (no registered extension gives it a kernel{why})",
            rule="interp",
            node=path,
        )
    try:
        return cls(op, sem)
    except Exception as exc:
        raise _blamed(cls, op, path, exc) from exc


def _blamed(cls: type, op: Operation, path: str, exc: Exception) -> Exception:
    """A plugin's kernel that raised, named with its plugin; nirc's own as it is."""
    owner = kernel_owner(cls)
    if isinstance(exc, NircError) or not is_plugin(owner):
        return exc
    return NircError(
        f"the kernel of {op.name} ({cls.__name__}, plugin '{owner}') failed: {type(exc).__name__}: {exc}",
        rule="plugin",
        node=path,
    )


#: Where a stepped node's operand comes from in a step: a value computed earlier in the
#: same step, the value of the previous step (an edge that closes a cycle), or a series
#: computed before the cycle (indexed by the step).
_NOW, _LAST, _OUTER = 0, 1, 2


def _total(values: list[np.ndarray]) -> np.ndarray:
    """Fan-in: the sum of the incoming signals, in edge order."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _frozen(a: np.ndarray) -> np.ndarray:
    """``a`` made read-only: a zero array the executor hands out at every step."""
    a.flags.writeable = False
    return a


class _Stepped:
    """A node stepped inside a cycle: its kernel and where each operand comes from."""

    __slots__ = ("back", "kernel", "nested", "op", "sources")

    def __init__(self, op: Operation, kernel: Kernel, sources: list[tuple[int, Any]]):
        self.op = op
        self.kernel = kernel
        self.nested = isinstance(kernel, GraphKernel)
        self.sources = sources
        #: which operands close a cycle, for a kernel that takes them apart
        #: (``splits_back_edges``: its ``step_back``); None where it sums them all
        back = [kind == _LAST for kind, _ in sources]
        self.back = back if getattr(kernel, "splits_back_edges", False) and any(back) else None


class GraphKernel(Kernel):
    """A nested graph as a node: operands feed its Inputs, results are its Outputs."""

    def __init__(self, op: GraphOp, sem: Semantics, record: set[str]):
        super().__init__(op, sem)
        self.inner = Executor(op, sem, record)
        self.ports = [op.port_of_operand(i).nir_name for i in range(len(op.inputs))]
        self.outputs = [o.nir_name for o in op.output_nodes()]

    def reset(self, batch: int) -> None:
        self.inner.reset(batch)

    def _feed(self, xs: list[np.ndarray]) -> dict[str, np.ndarray]:
        fed: dict[str, np.ndarray] = {}
        for port, x in zip(self.ports, xs, strict=True):
            fed[port] = fed[port] + x if port in fed else x
        return fed

    def run_many(self, xs: list[np.ndarray], time: int) -> list[np.ndarray]:
        outs = self.inner.run(self._feed(xs), time)
        return [outs[name] for name in self.outputs]

    def step_many(self, xs: list[np.ndarray]) -> list[np.ndarray]:
        outs = self.inner.step(self._feed(xs))
        return [outs[name] for name in self.outputs]


class Executor:
    """Runs one ``nir.graph`` under a :class:`Semantics`."""

    def __init__(self, graph: GraphOp, sem: Semantics, record: set[str] | None = None):
        #: Called as progress(done, total) after each part of the plan (the CLI's bar).
        self.progress: Any = None
        self.graph = graph
        self.sem = sem
        self.order = schedule_order(graph)
        self.inputs = graph.input_nodes()
        #: (name, incoming values, op) of each Output
        self.outputs = [(out.nir_name, list(out.inputs), out) for out in graph.output_nodes()]
        #: ops that close cycles by delaying, and the ops a single step runs in order
        self.breakers = [op for op in self.order if breaks_cycles(op)]
        breakers = set(self.breakers)
        self.stepped = [op for op in self.order if not (is_input(op) or is_output(op)) and op not in breakers]
        self.kernels: dict[Operation, Any] = {}
        self.recorded: dict[str, Kernel] = {}
        record = record or set()
        for op in self.order:
            path = node_path(op)
            if isinstance(op, GraphOp):
                self.kernels[op] = GraphKernel(op, sem, record)
            elif is_input(op) or is_output(op):
                continue
            else:
                self.kernels[op] = make_kernel(op, sem, path)
            if path in record:
                self.recorded[path] = self.kernels[op]
        # Strongly connected components, in dependency order, with their cycle breakers.
        self.plan: list[tuple[list[Operation], bool, list[Operation]]] = [
            (c.members, c.cyclic, [op for op in c.members if op in breakers]) for c in components(self.order)
        ]
        # One step of the whole graph (step()): where each operand comes from.
        ready: set[SSAValue] = {op.output for op in self.inputs} | {op.results[0] for op in self.breakers}
        self._steps = [
            self._stepped(op, ready, lambda v: (_NOW, v) if v in ready else (_LAST, v)) for op in self.stepped
        ]

    def _stepped(self, op: Operation, ready: set[SSAValue], source: Any) -> _Stepped:
        """``op``'s step, its operands' sources given by ``source`` (which reads
        ``ready``, the values computed before ``op`` in a step); adds what ``op`` computes
        to ``ready``."""
        node = _Stepped(op, self.kernels[op], [source(v) for v in op.operands])
        ready.update(op.results if node.nested else op.results[:1])
        return node

    # ----------------------------------------------------------------- state
    def reset(self, batch: int) -> None:
        self.batch = batch
        for kernel in self.kernels.values():
            kernel.reset(batch)
            kernel.records = None
        for kernel in self.recorded.values():
            if not isinstance(kernel, GraphKernel):
                kernel.records = {k: [] for k in kernel.states}
        # Zeros handed out at every step: to breakers as the shape of their output, to a
        # node without incoming edges, for an Input without a value (nested graphs)
        self._like = {op: _frozen(self._zeros(op.results[0], None)) for op in self.breakers}
        self._idle: dict[Operation, np.ndarray] = {}
        self._unfed = {op: _frozen(self._zeros(op.output, None)) for op in self.inputs}
        # What step() reads of the previous step: zeros before the first
        self.previous: dict[SSAValue, np.ndarray] = {
            v: _frozen(self._zeros(v, None)) for node in self._steps for kind, v in node.sources if kind == _LAST
        }

    def records(self) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for path, kernel in self.recorded.items():
            if kernel.records is not None:
                out[path] = {k: np.stack(v) if v else np.empty((0,)) for k, v in kernel.records.items()}
        for kernel in self.kernels.values():
            if isinstance(kernel, GraphKernel):
                out.update(kernel.inner.records())
        return out

    def recordable(self) -> list[str]:
        """Paths of the nodes whose states can be recorded (in nested graphs too)."""
        paths = []
        for op, kernel in self.kernels.items():
            if isinstance(kernel, GraphKernel):
                paths.extend(kernel.inner.recordable())
            elif kernel.states:
                paths.append(node_path(op))
        return paths

    # ----------------------------------------------------------------- helpers
    def _zeros(self, value: SSAValue, time: int | None) -> np.ndarray:
        shape = (self.batch, *shape_of(value))
        return np.zeros(shape if time is None else (time, *shape), dtype=self.sem.dtype)

    def _zeros_in(self, op: Operation, time: int | None) -> np.ndarray:
        shape = _input_shape(op)
        full = (self.batch, *shape)
        return np.zeros(full if time is None else (time, *full), dtype=self.sem.dtype)

    # ----------------------------------------------------------------- whole time
    def run(self, inputs: Mapping[str, np.ndarray], time: int | None = None) -> dict[str, np.ndarray]:
        """Inputs and outputs are ``(T, B, *shape)``, keyed by Input/Output name (``time``
        is needed only for a graph without inputs)."""
        values: dict[SSAValue, np.ndarray] = {}
        if time is None:
            time = next(iter(inputs.values())).shape[0] if inputs else 0
        for op in self.inputs:  # a nested graph's Input without an edge: zeros
            values[op.output] = inputs[op.nir_name] if op.nir_name in inputs else self._zeros(op.output, time)
        for done, (members, cyclic, breakers) in enumerate(self.plan, 1):
            if self.progress is not None:
                self.progress(done - 1, len(self.plan))
            if cyclic:
                self._run_cycle(members, breakers, values, time)
                continue
            op = members[0]
            if is_input(op) or is_output(op):
                continue
            kernel = self.kernels[op]
            if isinstance(kernel, GraphKernel):  # a graph without Inputs takes no operands
                xs = [values[v] for v in op.operands]
                for res, y in zip(op.results, kernel.run_many(xs, time), strict=True):
                    values[res] = y
            else:
                xs = [values[v] for v in op.operands] or [self._zeros_in(op, time)]
                try:
                    values[op.results[0]] = kernel.run(_total(xs))
                except Exception as exc:
                    raise _blamed(type(kernel), op, node_path(op), exc) from exc
        return {
            name: _total([values[v] for v in incoming])
            if incoming
            else np.zeros((time, self.batch, *_input_shape(out)), self.sem.dtype)
            for name, incoming, out in self.outputs
        }

    def _run_cycle(
        self, members: list[Operation], breakers: list[Operation], values: dict[SSAValue, np.ndarray], time: int
    ) -> None:
        inside = set(members)
        results = [r for op in members for r in op.results]
        series = {r: np.zeros((time, self.batch, *shape_of(r)), dtype=self.sem.dtype) for r in results}
        last = {r: self._zeros(r, None) for r in results}
        # The plan of a step, fixed before the first: an operand not computed yet in the
        # step closes a cycle and reads its previous value
        peeks = [(self.kernels[op], op.results[0], self._like[op]) for op in breakers]
        ready = {op.results[0] for op in breakers}

        def source(v: SSAValue) -> tuple[int, Any]:
            if v.owner not in inside:
                return (_OUTER, values[v])
            return (_NOW, v) if v in ready else (_LAST, v)

        skip = set(breakers)
        steps = [self._stepped(op, ready, source) for op in members if op not in skip]
        pushes = [(self.kernels[op], [source(v) for v in op.operands]) for op in breakers]
        written = list(series.items())
        for t in range(time):
            now: dict[SSAValue, np.ndarray] = {}
            for kernel, res, like in peeks:
                now[res] = kernel.peek(like)
            for node in steps:
                xs = [now[k] if kind == _NOW else last[k] if kind == _LAST else k[t] for kind, k in node.sources]
                self._step_op(node, xs, now)
            for kernel, sources in pushes:
                kernel.push(_total([k[t] if kind == _OUTER else now[k] for kind, k in sources]))
            for r, out in written:
                out[t] = now[r]
            last = now
        values.update(series)

    def _step_op(self, node: _Stepped, xs: list[np.ndarray], now: dict[SSAValue, np.ndarray]) -> None:
        op, kernel = node.op, node.kernel
        if node.nested:
            for res, y in zip(op.results, kernel.step_many(xs), strict=True):
                now[res] = y
            return
        if not xs:
            xs = [self._idle_input(op)]
        try:
            if node.back is not None:
                forward = [x for x, b in zip(xs, node.back, strict=True) if not b]
                back = [x for x, b in zip(xs, node.back, strict=True) if b]
                now[op.results[0]] = kernel.step_back(
                    _total(forward) if forward else self._idle_input(op), _total(back)
                )  # type: ignore[attr-defined]
            else:
                now[op.results[0]] = kernel.step(_total(xs))
        except Exception as exc:
            raise _blamed(type(kernel), op, node_path(op), exc) from exc

    def _idle_input(self, op: Operation) -> np.ndarray:
        """The input of a node without incoming edges at one step: zeros."""
        zeros = self._idle.get(op)
        if zeros is None:
            zeros = self._idle[op] = _frozen(self._zeros_in(op, None))
        return zeros

    # ----------------------------------------------------------------- one step
    def step(self, inputs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One step of the whole graph (used when the graph is nested inside a cycle);
        inputs and outputs are ``(B, *shape)``."""
        now: dict[SSAValue, np.ndarray] = {}
        for op in self.inputs:
            now[op.output] = inputs[op.nir_name] if op.nir_name in inputs else self._unfed[op]
        for op in self.breakers:
            now[op.results[0]] = self.kernels[op].peek(self._like[op])
        previous = self.previous
        for node in self._steps:
            xs = [now[k] if kind == _NOW else previous[k] for kind, k in node.sources]
            self._step_op(node, xs, now)
        for op in self.breakers:
            self.kernels[op].push(_total([now[v] for v in op.operands]))
        # a value no step computes (none in practice) stays zero
        previous.update(now)
        return {
            name: _total([now[v] for v in incoming])
            if incoming
            else np.zeros((self.batch, *_input_shape(out)), self.sem.dtype)
            for name, incoming, out in self.outputs
        }


def _input_shape(op: Operation) -> tuple[int, ...]:
    shape = op.expected_input_shape() if isinstance(op, NodeOp) else None
    if shape is not None:
        return shape
    raise NircError(
        "a node without incoming edges and without a known input shape cannot run",
        rule="interp",
        node=node_path(op),
    )
