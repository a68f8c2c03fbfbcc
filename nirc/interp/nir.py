"""Reference semantics of the `nir` dialect: run a graph on numpy arrays.

The graph is split into strongly connected components (networkx).  A component with
no cycle is one node, evaluated over the whole time series at once (stateless ops
vectorise over time and batch; neurons loop over time, vectorised over batch and
neurons).  A component with a cycle is evaluated step by step, its nodes in the order
of a depth-first walk from the graph's Inputs (block order for ties); an edge to a node
earlier in that order — the edge that closes the cycle — carries the value its source
produced in the *previous* step, zero at the first step.  Fan-in sums the incoming
signals.  Nested graphs run as nodes with their own schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from nirc.dialects import nir
from nirc.errors import NircError
from nirc.interp import kernels as nir_kernels
from nirc.interp import snn as snn_kernels
from nirc.interp import speck as speck_kernels
from nirc.interp.kernels import Kernel
from nirc.interp.semantics import Semantics
from nirc.interp.snn import DelayKernel, NeuronKernel, count_spikes
from nirc.ir.discrete import delay_steps, discretize, takes_input_delay
from nirc.ir.order import breaks_cycles, schedule_order


class NirNeuronKernel(NeuronKernel):
    """I, LI, IF, LIF, CubaLI, CubaLIF: the :class:`~nirc.ir.discrete.DiscreteNeuron`
    the semantics makes of the node, after the input delay the semantics asks for."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, discretize(op, sem))
        self.input_delay = takes_input_delay(op, sem)

    def reset(self, batch: int) -> None:
        super().reset(batch)
        shape = (batch, *self.core.d.decay.shape)
        self.delay_line = [np.zeros(shape, self.dtype) for _ in range(self.input_delay)]

    def step(self, x: np.ndarray) -> np.ndarray:
        if self.delay_line:
            self.delay_line.append(x)
            x = self.delay_line.pop(0)
        return super().step(x)


class NirThresholdKernel(Kernel):
    """``z = H(x - θ)`` with the profile's comparison (and multi-spike count)."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.theta = self.param("threshold")

    def run(self, x: np.ndarray) -> np.ndarray:
        return count_spikes(x, self.theta, self.sem.compare, self.sem.multi_spike, self.dtype)


class NirDelayKernel(DelayKernel):
    """``y(t) = x(t - d)`` with ``d`` rounded to whole steps, ``round(d / dt)`` (half to
    even); zero before the first delayed value arrives."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem, delay_steps(op.param("delay"), sem.dt))


KERNELS: dict[type, type[Kernel]] = {
    **nir_kernels.KERNELS,
    **{op: NirNeuronKernel for op in (nir.IOp, nir.LIOp, nir.IFOp, nir.LIFOp, nir.CubaLIOp, nir.CubaLIFOp)},
    nir.ThresholdOp: NirThresholdKernel,
    nir.DelayOp: NirDelayKernel,
    **snn_kernels.KERNELS,
    **speck_kernels.KERNELS,
}


class GraphKernel(Kernel):
    """A nested graph as a node: operands feed its Inputs, results are its Outputs."""

    stateful = True

    def __init__(self, op: nir.GraphOp, sem: Semantics, record: set[str], prefix: str):
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

    def __init__(self, graph: nir.GraphOp, sem: Semantics, record: set[str] | None = None, prefix: str = ""):
        #: Called as progress(done, total) after each part of the plan (the CLI's bar).
        self.progress: Any = None
        self.graph = graph
        self.sem = sem
        self.order = schedule_order(graph)
        self.position = {op: i for i, op in enumerate(self.order)}
        #: snn.delay ops that close cycles, and the ops a single step runs in order
        self.breakers = [op for op in self.order if breaks_cycles(op)]
        breakers = set(self.breakers)
        self.stepped = [op for op in self.order if not isinstance(op, (nir.InputOp, nir.OutputOp)) and op not in breakers]
        self.kernels: dict[Operation, Any] = {}
        self.recorded: dict[str, Kernel] = {}
        record = record or set()
        for op in self.order:
            name = op.properties["name"].data  # type: ignore[union-attr]
            path = f"{prefix}{name}"
            if isinstance(op, nir.GraphOp):
                self.kernels[op] = GraphKernel(op, sem, record, f"{path}/")
            elif isinstance(op, (nir.InputOp, nir.OutputOp)):
                continue
            else:
                cls = KERNELS.get(type(op))
                if cls is None:
                    raise NircError(f"'{op.name}' has no reference semantics", rule="interp", node=path)
                self.kernels[op] = cls(op, sem)
            if path in record:
                self.recorded[path] = self.kernels[op]
        # Strongly connected components, in dependency order.  (networkx is imported
        # here: it costs a fifth of the tools' start-up, and only running needs it.)
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.order)
        for op in self.order:
            for value in op.operands:
                g.add_edge(value.owner, op)
        condensed = nx.condensation(g)
        self.plan: list[list[Operation]] = []
        for comp in nx.topological_sort(condensed):
            members = sorted(condensed.nodes[comp]["members"], key=self.position.__getitem__)
            self.plan.append(members)

    # ----------------------------------------------------------------- state
    def reset(self, batch: int) -> None:
        self.batch = batch
        for kernel in self.kernels.values():
            kernel.reset(batch)
            if isinstance(kernel, NeuronKernel):
                kernel.records = None
        for kernel in self.recorded.values():
            if isinstance(kernel, NeuronKernel):
                kernel.records = {k: [] for k in kernel.record_keys()}
        self.previous: dict[SSAValue, np.ndarray] = {}

    def records(self) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for path, kernel in self.recorded.items():
            if isinstance(kernel, NeuronKernel) and kernel.records is not None:
                out[path] = {k: np.stack(v) if v else np.empty((0,)) for k, v in kernel.records.items()}
        for kernel in self.kernels.values():
            if isinstance(kernel, GraphKernel):
                out.update(kernel.inner.records())
        return out

    # ----------------------------------------------------------------- helpers
    def _sum(self, values: list[np.ndarray]) -> np.ndarray:
        total = values[0]
        for v in values[1:]:
            total = total + v
        return total

    def _zeros(self, value: SSAValue, time: int | None) -> np.ndarray:
        shape = (self.batch, *nir.shape_of(value))
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
        for done, members in enumerate(self.plan, 1):
            if self.progress is not None:
                self.progress(done - 1, len(self.plan))
            cyclic = len(members) > 1 or any(v.owner is members[0] for v in members[0].operands)
            if cyclic:
                self._run_cycle(members, values, time)
                continue
            op = members[0]
            if isinstance(op, (nir.InputOp, nir.OutputOp)):
                continue
            kernel = self.kernels[op]
            if isinstance(kernel, GraphKernel):  # a graph without Inputs takes no operands
                xs = [values[v] for v in op.operands]
                for res, y in zip(op.results, kernel.run_many(xs, time), strict=True):
                    values[res] = y
            else:
                xs = [values[v] for v in op.operands] or [self._zeros_in(op, time)]
                values[op.results[0]] = kernel.run(self._sum(xs))
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
        series = {r: np.zeros((time, self.batch, *nir.shape_of(r)), dtype=self.sem.dtype) for r in results}
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
                xs = [
                    (now[v] if v in now else last[v]) if v.owner in inside else values[v][t]
                    for v in op.operands
                ]
                self._step_op(op, xs, now)
            for op in breakers:
                self.kernels[op].push(self._sum([now[v] if v.owner in inside else values[v][t] for v in op.operands]))
            for r in results:
                series[r][t] = now[r]
                last[r] = now[r]
        values.update(series)

    def _step_op(self, op: Operation, xs: list[np.ndarray], now: dict[SSAValue, np.ndarray]) -> None:
        if isinstance(op, nir.OutputOp):
            return
        kernel = self.kernels[op]
        if not xs and not isinstance(kernel, GraphKernel):
            xs = [self._zeros_in(op, None)]
        if isinstance(kernel, GraphKernel):
            for res, y in zip(op.results, kernel.step_many(xs), strict=True):
                now[res] = y
        else:
            now[op.results[0]] = kernel.step(self._sum(xs))

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
            out.nir_name: self._sum([now[v] for v in out.inputs]) if out.inputs else np.zeros((self.batch, *_input_shape(out)), self.sem.dtype)
            for out in self.graph.output_nodes()
        }


def _input_shape(op: Operation) -> tuple[int, ...]:
    if isinstance(op, nir.OutputOp):
        return tuple(int(d) for d in op.param("shape").reshape(-1))
    if isinstance(op, nir.NodeOp):
        shape = op.expected_input_shape()
        if shape is not None:
            return shape
    raise NircError("a node without incoming edges and without a known input shape cannot run", rule="interp", node=op.properties["name"].data)  # type: ignore[union-attr]

