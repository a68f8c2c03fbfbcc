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
from nirc.core.node import NodeOp, shape_of
from nirc.core.semantics import Semantics
from nirc.core.traits import breaks_cycles, is_input, is_output
from nirc.dialects.nir import GraphOp, OutputOp


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


def _path(op: Operation) -> str:
    return op.properties["name"].data  # type: ignore[union-attr]


class GraphKernel(Kernel):
    """A nested graph as a node: operands feed its Inputs, results are its Outputs."""

    def __init__(self, op: GraphOp, sem: Semantics, record: set[str], prefix: str):
        super().__init__(op, sem)
        self.inner = Executor(op, sem, record, prefix)
        self.ports = [op.port_of_operand(i).nir_name for i in range(len(op.inputs))]

    def reset(self, batch: int) -> None:
        self.inner.reset(batch)

    def _feed(self, xs: list[np.ndarray]) -> dict[str, np.ndarray]:
        fed: dict[str, np.ndarray] = {}
        for port, x in zip(self.ports, xs, strict=True):
            fed[port] = fed[port] + x if port in fed else x
        return fed

    def run_many(self, xs: list[np.ndarray], time: int) -> list[np.ndarray]:
        outs = self.inner.run(self._feed(xs), time)
        return [outs[o.nir_name] for o in self.op.output_nodes()]

    def step_many(self, xs: list[np.ndarray]) -> list[np.ndarray]:
        outs = self.inner.step(self._feed(xs))
        return [outs[o.nir_name] for o in self.op.output_nodes()]


class Executor:
    """Runs one ``nir.graph`` under a :class:`Semantics`."""

    def __init__(self, graph: GraphOp, sem: Semantics, record: set[str] | None = None, prefix: str = ""):
        #: Called as progress(done, total) after each part of the plan (the CLI's bar).
        self.progress: Any = None
        self.graph = graph
        self.sem = sem
        self.order = schedule_order(graph)
        self.position = {op: i for i, op in enumerate(self.order)}
        #: ops that close cycles by delaying, and the ops a single step runs in order
        self.breakers = [op for op in self.order if breaks_cycles(op)]
        breakers = set(self.breakers)
        self.stepped = [op for op in self.order if not (is_input(op) or is_output(op)) and op not in breakers]
        self.kernels: dict[Operation, Any] = {}
        self.recorded: dict[str, Kernel] = {}
        record = record or set()
        for op in self.order:
            name = op.properties["name"].data  # type: ignore[union-attr]
            path = f"{prefix}{name}"
            if isinstance(op, GraphOp):
                self.kernels[op] = GraphKernel(op, sem, record, f"{path}/")
            elif is_input(op) or is_output(op):
                continue
            else:
                self.kernels[op] = make_kernel(op, sem, path)
            if path in record:
                self.recorded[path] = self.kernels[op]
        # Strongly connected components, in dependency order.
        self.plan: list[tuple[list[Operation], bool]] = [(c.members, c.cyclic) for c in components(self.order)]

    # ----------------------------------------------------------------- state
    def reset(self, batch: int) -> None:
        self.batch = batch
        for kernel in self.kernels.values():
            kernel.reset(batch)
            kernel.records = None
        for kernel in self.recorded.values():
            if not isinstance(kernel, GraphKernel):
                kernel.records = {k: [] for k in kernel.states}
        self.previous: dict[SSAValue, np.ndarray] = {}

    def records(self) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for path, kernel in self.recorded.items():
            if kernel.records is not None:
                out[path] = {k: np.stack(v) if v else np.empty((0,)) for k, v in kernel.records.items()}
        for kernel in self.kernels.values():
            if isinstance(kernel, GraphKernel):
                out.update(kernel.inner.records())
        return out

    def recordable(self, prefix: str = "") -> list[str]:
        """Paths of the nodes whose states can be recorded (in nested graphs too)."""
        paths = []
        for op, kernel in self.kernels.items():
            name = f"{prefix}{op.properties['name'].data}"  # type: ignore[union-attr]
            if isinstance(kernel, GraphKernel):
                paths.extend(kernel.inner.recordable(f"{name}/"))
            elif kernel.states:
                paths.append(name)
        return paths

    # ----------------------------------------------------------------- helpers
    def _sum(self, values: list[np.ndarray]) -> np.ndarray:
        total = values[0]
        for v in values[1:]:
            total = total + v
        return total

    def _zeros(self, value: SSAValue, time: int | None) -> np.ndarray:
        shape = (self.batch, *shape_of(value))
        return np.zeros(shape if time is None else (time, *shape), dtype=self.sem.dtype)

    # ----------------------------------------------------------------- whole time
    def run(self, inputs: Mapping[str, np.ndarray], time: int | None = None) -> dict[str, np.ndarray]:
        """Inputs and outputs are ``(T, B, *shape)``, keyed by Input/Output name (``time``
        is needed only for a graph without inputs)."""
        values: dict[SSAValue, np.ndarray] = {}
        if time is None:
            time = next(iter(inputs.values())).shape[0] if inputs else 0
        for op in self.graph.input_nodes():  # a nested graph's Input without an edge: zeros
            values[op.output] = inputs[op.nir_name] if op.nir_name in inputs else self._zeros(op.output, time)
        for done, (members, cyclic) in enumerate(self.plan, 1):
            if self.progress is not None:
                self.progress(done - 1, len(self.plan))
            if cyclic:
                self._run_cycle(members, values, time)
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
                    values[op.results[0]] = kernel.run(self._sum(xs))
                except Exception as exc:
                    raise _blamed(type(kernel), op, _path(op), exc) from exc
        return {
            out.nir_name: self._sum([values[v] for v in out.inputs])
            if out.inputs
            else np.zeros((time, self.batch, *_input_shape(out)), self.sem.dtype)
            for out in self.graph.output_nodes()
        }

    def _zeros_in(self, op: Operation, time: int | None) -> np.ndarray:
        shape = _input_shape(op)
        full = (self.batch, *shape)
        return np.zeros(full if time is None else (time, *full), dtype=self.sem.dtype)

    def _run_cycle(self, members: list[Operation], values: dict[SSAValue, np.ndarray], time: int) -> None:
        inside = set(members)
        results = [r for op in members for r in op.results]
        series = {r: np.zeros((time, self.batch, *shape_of(r)), dtype=self.sem.dtype) for r in results}
        last = {r: self._zeros(r, None) for r in results}
        breakers = [op for op in members if breaks_cycles(op)]
        skip = set(breakers)
        for t in range(time):
            now: dict[SSAValue, np.ndarray] = {}
            for op in breakers:
                now[op.results[0]] = self.kernels[op].peek(self._zeros(op.results[0], None))
            for op in members:
                if op in skip:
                    continue
                # an operand not computed yet in this step closes a cycle: its previous value
                xs = [(now[v] if v in now else last[v]) if v.owner in inside else values[v][t] for v in op.operands]
                self._step_op(op, xs, now)
            for op in breakers:
                self.kernels[op].push(self._sum([now[v] if v.owner in inside else values[v][t] for v in op.operands]))
            for r in results:
                series[r][t] = now[r]
                last[r] = now[r]
        values.update(series)

    def _step_op(self, op: Operation, xs: list[np.ndarray], now: dict[SSAValue, np.ndarray]) -> None:
        if is_output(op):
            return
        kernel = self.kernels[op]
        if not xs and not isinstance(kernel, GraphKernel):
            xs = [self._zeros_in(op, None)]
        if isinstance(kernel, GraphKernel):
            for res, y in zip(op.results, kernel.step_many(xs), strict=True):
                now[res] = y
        else:
            try:
                now[op.results[0]] = kernel.step(self._sum(xs))
            except Exception as exc:
                raise _blamed(type(kernel), op, _path(op), exc) from exc

    # ----------------------------------------------------------------- one step
    def step(self, inputs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One step of the whole graph (used when the graph is nested inside a cycle);
        inputs and outputs are ``(B, *shape)``."""
        now: dict[SSAValue, np.ndarray] = {}
        for op in self.graph.input_nodes():
            now[op.output] = inputs[op.nir_name] if op.nir_name in inputs else self._zeros(op.output, None)
        for op in self.breakers:
            now[op.results[0]] = self.kernels[op].peek(self._zeros(op.results[0], None))
        for op in self.stepped:
            xs = [now[v] if v in now else self.previous.get(v, self._zeros(v, None)) for v in op.operands]
            self._step_op(op, xs, now)
        for op in self.breakers:
            self.kernels[op].push(self._sum([now[v] for v in op.operands]))
        self.previous = now
        return {
            out.nir_name: self._sum([now[v] for v in out.inputs])
            if out.inputs
            else np.zeros((self.batch, *_input_shape(out)), self.sem.dtype)
            for out in self.graph.output_nodes()
        }


def _input_shape(op: Operation) -> tuple[int, ...]:
    if isinstance(op, OutputOp):
        return tuple(int(d) for d in op.param("shape").reshape(-1))
    if isinstance(op, NodeOp):
        shape = op.expected_input_shape()
        if shape is not None:
            return shape
    raise NircError(
        "a node without incoming edges and without a known input shape cannot run",
        rule="interp",
        node=op.properties["name"].data,
    )  # type: ignore[union-attr]
