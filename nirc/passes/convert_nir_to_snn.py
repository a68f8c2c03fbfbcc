"""``convert-nir-to-snn``: discretize a continuous-time `nir` graph into the `snn` dialect.

Every choice of the semantics (``docs/semantics.md``) becomes explicit in the IR:

* each neuron (I, LI, IF, LIF, CubaLI, CubaLIF, and integrators with a reset) becomes
  ``snn.leaky`` or ``snn.synaptic`` with its per-step decay, gain and bias computed for
  ``dt`` (:func:`nirc.dialects.nir.discretize.discretize`), and its reset mode, comparison, spike
  and reset timing and multi-spike rule as attributes;
* ``nir.threshold`` becomes ``snn.threshold`` with the comparison (and multi-spike);
* ``nir.delay`` becomes ``snn.delay`` of ``round(d / dt)`` steps;
* every edge that closes a cycle gets an explicit one-step ``snn.delay`` (the `nir`
  interpreter gives such an edge the previous step's value; the edge is the one from a
  node later in the depth-first order to an earlier one, ``docs/semantics.md``);
* the semantics' ``input_delay`` becomes an ``snn.delay`` in front of each neuron (one
  step shorter on an edge that closes a cycle, whose one-step delay is the first step
  of the synapse's).

The time-invariant ops (Linear, Affine, Conv, pooling, Flatten, Scale) stay `nir` ops.
The top-level graph records the choices as ``snn.discretization``, so ``nir-run`` on the
result needs no options.  Exact: the interpreter gives bit-identical outputs on the
`nir` module under the semantics and on the `snn` module (both compute through the same
:class:`~nirc.core.neuron.DiscreteNeuron`).

Preconditions: none (runs on any `nir` module; ``canonicalize`` and
``lower-composites`` may run before).  ``dt`` is required where something depends on
it (a time constant, a delay, or an integrator with ``input-gain=tau``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr, UnitAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.gcpause import pauses_gc
from nirc.core.graph import back_edges, schedule_order
from nirc.core.neuron import ARRAYS, DiscreteNeuron
from nirc.core.node import NodeOp, node_path, shape_of
from nirc.core.profiles import resolve
from nirc.core.rewriting import apply_patterns, build, carry, fresh_name, replace_node, rewrite_session
from nirc.core.semantics import Semantics
from nirc.dialects import nir, snn
from nirc.dialects.nir import GraphOp, graphs, top_graph
from nirc.dialects.nir.discretize import delay_steps, discretize, takes_input_delay
from nirc.dialects.snn.discretization import DISCRETIZATION, record, recorded

_NEURONS = (nir.IOp, nir.LIOp, nir.IFOp, nir.LIFOp, nir.CubaLIOp, nir.CubaLIFOp)


def _needs_dt(op: Operation, sem: Semantics) -> bool:
    if isinstance(op, nir.DelayOp):
        return True
    if isinstance(op, (nir.IOp, nir.IFOp)):
        return sem.input_gain == "tau"
    return isinstance(op, _NEURONS)


def _delay(name: str, source: SSAValue | list[SSAValue], steps: np.ndarray, shape: tuple[int, ...]) -> NodeOp:
    sources = source if isinstance(source, list) else [source]
    return build(snn.DelayOp, name, sources, {"steps": steps}, shape)  # type: ignore[arg-type]


def _input_delays(
    op: Operation, block: Any, name: str, steps: int, shape: tuple[int, ...], back: set[SSAValue]
) -> list[NodeOp]:
    """The ``snn.delay`` s in front of neuron ``op``: ``steps`` on its edges, one fewer on
    those that close a cycle (none where that is 0).  Each keeps the file's ids of its
    edges."""
    ids = op.opt_param("edge_ids") if isinstance(op, NodeOp) else None
    groups = (
        ([i for i, v in enumerate(op.operands) if v not in back], steps, f"{name}.input_delay"),
        ([i for i, v in enumerate(op.operands) if v in back], steps - 1, f"{name}.input_delay_back"),
    )
    out: list[NodeOp] = []
    for members, n, label in groups:
        if not members or n == 0:
            continue
        delay = _delay(fresh_name(block, label), [op.operands[i] for i in members], np.full(shape, n, np.int64), shape)
        if ids is not None:
            delay.properties["edge_ids"] = DenseAttr.from_array(np.asarray(ids)[members])
        out.append(delay)
    return out


def neuron_op(name: str, operands: list[SSAValue], d: DiscreteNeuron, shape: tuple[int, ...]) -> NodeOp:
    """The `snn` op stating ``d``."""
    params: dict[str, Any] = {k: getattr(d, k) for k in ARRAYS if getattr(d, k) is not None}
    params["order"] = StringAttr(d.order)
    if d.resets:
        for key in snn.RESET_CHOICES:
            params[key] = StringAttr(getattr(d, key))
        if d.multi_spike:
            params["multi_spike"] = UnitAttr()
    cls = snn.SynapticOp if d.synaptic else snn.LeakyOp
    return build(cls, name, operands, params, shape)


def delay_back_edges(rewriter: PatternRewriter, graph: GraphOp) -> set[SSAValue]:
    """An explicit one-step ``snn.delay`` on every edge that closes a cycle (one per
    source value), named ``SOURCE.previous``: the edge the interpreter gives the previous
    step's value (:func:`nirc.core.graph.back_edges`)."""
    block = graph.body.block
    delayed: dict[SSAValue, SSAValue] = {}
    for op, index in back_edges(schedule_order(graph)):
        value = op.operands[index]
        if value not in delayed:
            source = value.owner
            assert isinstance(source, Operation)
            shape = shape_of(value)
            delay = _delay(fresh_name(block, f"{_name(source)}.previous"), value, np.ones(shape, np.int64), shape)
            rewriter.insert(delay, InsertPoint.after(source))
            delayed[value] = delay.results[0]
        op.operands[index] = delayed[value]
        rewriter.notify_op_modified(op)
    return set(delayed.values())


def _name(op: Operation) -> str:
    return op.properties["name"].data  # type: ignore[union-attr]


def check_dt(graph: GraphOp, sem: Semantics, dt_given: bool) -> None:
    """Refuse, naming the first such node, to discretize what depends on a ``dt`` not given."""
    if dt_given:
        return
    for op in graph.body.block.ops:
        if isinstance(op, (*_NEURONS, nir.DelayOp)) and _needs_dt(op, sem):
            raise NircError(
                f"{op.name} depends on the time step: give convert-nir-to-snn a dt (e.g. {{dt=1e-4}})",
                rule="needs-dt",
                node=node_path(op),
            )


class Discretize(RewritePattern):
    """A `nir` neuron, Threshold or Delay as its `snn` op under one semantics."""

    name = "discretize"
    root_types = (*_NEURONS, nir.ThresholdOp, nir.DelayOp)

    def __init__(self, sem: Semantics, back: set[SSAValue]):
        self.sem = sem
        #: the one-step delays on edges that close a cycle (:func:`delay_back_edges`)
        self.back = back

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, self.root_types):
            return
        sem = self.sem
        block = op.parent_block()
        assert block is not None
        name = _name(op)
        shape = shape_of(op.results[0])
        new: list[NodeOp] = []
        operands = list(op.operands)
        if isinstance(op, _NEURONS):
            steps = takes_input_delay(op, sem)
            if steps:
                new.extend(_input_delays(op, block, name, steps, shape, self.back))
                operands = [d.results[0] for d in new]
                if steps == 1:  # an edge that closes a cycle needs no more delay
                    operands += [v for v in op.operands if v in self.back]
            neuron = neuron_op(name, operands, discretize(op, sem), shape)
            carry(op, neuron, ("metadata",) if steps else ("metadata", "edge_ids"))
            new.append(neuron)
        elif isinstance(op, nir.ThresholdOp):
            params: dict[str, Any] = {"threshold": op.param("threshold"), "compare": StringAttr(sem.compare)}
            if sem.multi_spike:
                params["multi_spike"] = UnitAttr()
            new.append(build(snn.ThresholdOp, name, operands, params, shape))
            carry(op, new[-1])
        else:
            new.append(_delay(name, operands, delay_steps(op.param("delay"), sem.dt), shape))
            carry(op, new[-1])
        replace_node(rewriter, op, new)


@dataclass(frozen=True)
class ConvertNirToSnnPass(ModulePass):
    """Discretize into the `snn` dialect for one ``dt`` and semantics profile; any
    choice of the profile can be overridden (``{dt=1e-4 semantics=snntorch reset=value}``)."""

    name: ClassVar[str] = "convert-nir-to-snn"

    dt: float | None = None
    semantics: str = "nir"
    integrator: str | None = None
    input_gain: str | None = None
    reset: str | None = None
    compare: str | None = None
    spike_timing: str | None = None
    reset_timing: str | None = None
    order: str | None = None
    multi_spike: bool | None = None
    input_delay: int | None = None
    dtype: str | None = None

    def resolved(self) -> Semantics:
        overrides = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(ConvertNirToSnnPass)
            if f.name not in ("dt", "semantics") and getattr(self, f.name) is not None
        }
        try:
            return resolve(self.semantics, self.dt, **overrides)
        except NircError as err:
            raise ValueError(err.message) from None

    def __post_init__(self) -> None:
        self.resolved()

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        sem = self.resolved()
        top = top_graph(op)
        before = recorded(op)
        if before is not None and before != sem:
            raise NircError(
                f"the module was already discretized with {before.name} at dt={before.dt}; "
                f"cannot discretize it again with {sem.name} at dt={sem.dt}",
                rule="already-discretized",
            )
        found = list(graphs(op))
        for graph in found:
            check_dt(graph, sem, self.dt is not None)
        back: set[SSAValue] = set()
        with rewrite_session():
            for graph in found:
                back |= delay_back_edges(PatternRewriter(graph), graph)
            apply_patterns(op, [Discretize(sem, back)], confirm=False)  # each node converts once
        top.attributes[DISCRETIZATION] = record(sem)
