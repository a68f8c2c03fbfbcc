"""An independent oracle for the reference interpreter (``nirc.run``).

The oracle below is written from the *specification* only -- the docstrings of
:class:`nirc.Semantics`, of ``NeuronKernel`` and ``DelayKernel`` and of the module
``nirc.interp.executor`` -- and deliberately shares no code with ``nirc.interp``.  It is
slow and plain: a loop over batch elements, a loop over time steps, and in every
step the nodes in a topological order of the graph without its cycle-closing edges
(which carry the value their source produced in the previous step, zero at first).

Reading of the spec where it leaves room (each pinned by a hand-computed test
further down):

* state starts at zero (``v = 0``, ``i = 0``);
* the current of a Cuba model is updated first and the membrane is driven by the
  *new* current; ``order`` applies to both updates;
* ``spike_timing='next'`` (Spyx): the spike leaving in step ``t`` is the one
  computed from the membrane at the end of step ``t-1``, and it resets the
  membrane in step ``t``, after integration (``V = beta V + x - s th``);
* ``reset_timing='next'`` (snnTorch): the reset of a spike that left in step ``t``
  is applied in step ``t+1`` after integration (``mem = beta mem + x - r th``), and
  the spike of step ``t+1`` is judged on that membrane; with both timings 'next'
  the reset comes two steps after the crossing;
* ``multi_spike``: ``n = floor(v / v_th)`` spikes where the membrane crosses,
  whatever the reset (as Sinabs' MultiSpike); with ``compare='>'`` the membrane must
  be strictly beyond every one of them (``ceil(q) - 1`` at an exact multiple);
* the Threshold node fires when ``x > threshold`` (ties are never compared), and
  counts as a neuron does under ``multi_spike``;
* recorded ``v`` is the membrane at the end of the step (after any reset applied
  in that step).

Spike counts are compared exactly and continuous values to 1e-9 (relative, and
absolute relative to the largest magnitude in the run: a membrane left small by
subtracting a large multiple of the threshold keeps the rounding of the large value).  A comparison
with the threshold that is within rounding of its boundary (the oracle and the
interpreter may round differently) ends the comparison for that batch element at
that step: both sides are compared only on the steps before it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from xdsl.context import Context

import nirc
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass

NEURONS = ("I", "LI", "IF", "LIF", "CubaLI", "CubaLIF")
SPIKING = ("IF", "LIF", "CubaLIF")
CUBA = ("CubaLI", "CubaLIF")
LEAKY = ("LI", "LIF", "CubaLI", "CubaLIF")

RTOL = ATOL = 1e-9
FRAGILE = 1e-9  # relative distance to a decision boundary under which rounding may decide it


# --------------------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------------------


@dataclass
class Sem:
    """The options of :class:`nirc.Semantics` the oracle needs, as plain values."""

    dt: float = 1e-4
    integrator: str = "euler"
    input_gain: str = "tau"
    reset: str = "value"
    compare: str = ">"
    spike_timing: str = "same"
    reset_timing: str = "same"
    order: str = "leak-then-integrate"
    multi_spike: bool = False
    input_delay: int = 0


SEM_FIELDS = tuple(Sem.__dataclass_fields__)


def sem_of(profile: Any, **overrides: Any) -> Sem:
    """The oracle's view of a profile object (read field by field) plus overrides."""
    values = {name: getattr(profile, name) for name in SEM_FIELDS}
    values.update(overrides)
    return Sem(**values)


def decay_and_gain(sem: Sem, tau: np.ndarray | None) -> tuple[np.ndarray | float, np.ndarray | float]:
    """``(a, g)``: the per-step decay of the state and the gain of its drive."""
    dt = sem.dt
    if tau is None:  # the integrators I and IF: no leak
        return 1.0, (dt if sem.input_gain == "tau" else 1.0)
    if sem.integrator == "euler":
        a = 1.0 - dt / tau
    else:
        a = np.exp(-dt / tau)
    if sem.input_gain == "tau":
        g = 1.0 - a
    elif sem.input_gain == "dt/tau":
        g = dt / tau
    else:
        g = 1.0
    return a, g


class Neuron:
    """One neuron node for one batch element, stepped one time step at a time."""

    def __init__(self, typ: str, p: dict[str, np.ndarray], sem: Sem, width: int) -> None:
        self.typ, self.p, self.sem = typ, p, sem
        self.v = np.zeros(width)
        self.i = np.zeros(width)
        self.inputs: list[np.ndarray] = []  # for input_delay
        self.backs: list[np.ndarray] = []  # input over edges that close a cycle
        self.counts: list[np.ndarray] = []  # spike counts computed in each step so far
        self.spike_delay = 1 if sem.spike_timing == "next" else 0
        # the reset comes in the step the spike leaves ('same') or the one after ('next')
        self.reset_delay = self.spike_delay + (1 if sem.reset_timing == "next" else 0)
        self.fragile = False
        self.scale = 0.0  # the largest magnitude met inside the neuron (before resets)
        if typ in LEAKY:
            tau = p["tau_mem"] if typ in CUBA else p["tau"]
            self.a, self.g = decay_and_gain(sem, tau)
            self.leak = p["v_leak"]
        else:
            self.a, self.g = decay_and_gain(sem, None)
            self.leak = np.zeros(width)
        if typ in CUBA:
            self.a_s, self.g_s = decay_and_gain(sem, p["tau_syn"])

    def _update(self, state: np.ndarray, a: Any, g: Any, drive: np.ndarray, leak: Any) -> np.ndarray:
        if self.sem.order == "leak-then-integrate":
            return a * state + (1 - a) * leak + g * drive
        return a * (state + g * drive) + (1 - a) * leak

    def _count(self, v: np.ndarray) -> np.ndarray:
        th = self.p["v_threshold"]
        crossed = v > th if self.sem.compare == ">" else v >= th
        # is any decision within rounding of its boundary?
        scale = np.maximum(1.0, np.abs(th))
        if np.any(np.abs(v - th) <= FRAGILE * scale):
            self.fragile = True
        if not self.sem.multi_spike:
            return crossed.astype(float)
        # n spikes where the membrane is n steps of (v_th - v_reset) above v_reset; with
        # '>' the membrane must be strictly beyond the n-th step, as for one spike
        q = v / th
        if np.any(crossed & (np.abs(q - np.round(q)) <= FRAGILE * np.maximum(1.0, np.abs(q)))):
            self.fragile = True
        n = np.floor(q) if self.sem.compare == ">=" else np.ceil(q) - 1
        return np.where(crossed, n, 0.0)

    def _reset(self, v: np.ndarray, n: np.ndarray) -> np.ndarray:
        if self.sem.reset == "value":
            return np.where(n > 0, self.p["v_reset"], v)
        if self.sem.reset == "subtract":
            return v - n * self.p["v_threshold"]
        return v

    def step(self, x: np.ndarray, back: np.ndarray | None = None) -> np.ndarray:
        """One step on input ``x``; ``back`` arrives over edges that close a cycle,
        one step late already, so the input delay holds it one step less."""
        self.inputs.append(x)
        self.backs.append(np.zeros_like(x) if back is None else back)
        t = len(self.inputs) - 1
        d = self.sem.input_delay
        x = self.inputs[t - d] if t - d >= 0 else np.zeros_like(x)
        db = max(d - 1, 0)
        x = x + (self.backs[t - db] if t - db >= 0 else 0.0)
        p = self.p
        if self.typ in CUBA:
            self.i = self._update(self.i, self.a_s, self.g_s, p["w_in"] * x, 0.0)
            drive = self.i
        else:
            drive = x
        v = self._update(self.v, self.a, self.g, p["r"] * drive, self.leak)
        self.scale = max(self.scale, float(np.max(np.abs(v))), float(np.max(np.abs(self.i))))
        if self.typ not in SPIKING:
            self.v = v
            return v.copy()
        if self.reset_delay > 0 and t - self.reset_delay >= 0:
            v = self._reset(v, self.counts[t - self.reset_delay])  # a reset that was due
        n = self._count(v)
        self.counts.append(n)
        if self.reset_delay == 0:
            v = self._reset(v, n)
        self.v = v
        if t - self.spike_delay >= 0:
            return self.counts[t - self.spike_delay].copy()
        return np.zeros_like(n)


@dataclass
class Graph:
    """A flat NIR graph: node dicts in the reference's ``to_dict`` form and edges."""

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "NIRGraph", "nodes": self.nodes, "edges": list(self.edges), "metadata": {}}

    @property
    def inputs(self) -> list[str]:
        return [n for n, d in self.nodes.items() if d["type"] == "Input"]

    @property
    def outputs(self) -> list[str]:
        return [n for n, d in self.nodes.items() if d["type"] == "Output"]

    @property
    def neurons(self) -> list[str]:
        return [n for n, d in self.nodes.items() if d["type"] in NEURONS]


def schedule(graph: Graph) -> tuple[list[str], set[tuple[str, str]]]:
    """A per-step evaluation order and the set of cycle-closing (previous-step) edges.

    Order of a depth-first walk from the Inputs; an edge inside a cycle (both ends in
    one strongly connected component) to a node no later in that walk closes the cycle.
    """
    succ: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for s, d in graph.edges:
        succ[s].append(d)
    pre: dict[str, int] = {}

    def walk(n: str) -> None:
        pre[n] = len(pre)
        for m in succ[n]:
            if m not in pre:
                walk(m)

    for n in graph.inputs:
        if n not in pre:
            walk(n)
    for n in graph.nodes:
        if n not in pre:
            walk(n)

    # strongly connected components, by reachability (graphs are tiny)
    def reach(n: str) -> set[str]:
        seen, stack = set(), [n]
        while stack:
            m = stack.pop()
            for k in succ[m]:
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
        return seen

    reachable = {n: reach(n) for n in graph.nodes}
    back = {(s, d) for s, d in graph.edges if s in reachable[d] and pre[d] <= pre[s]}

    # topological order of the graph without the back edges (Kahn)
    indeg = {n: 0 for n in graph.nodes}
    for s, d in graph.edges:
        if (s, d) not in back:
            indeg[d] += 1
    order: list[str] = []
    ready = [n for n in graph.nodes if indeg[n] == 0]
    while ready:
        n = ready.pop(0)
        order.append(n)
        for s, d in graph.edges:
            if s == n and (s, d) not in back:
                indeg[d] -= 1
                if indeg[d] == 0:
                    ready.append(d)
    assert len(order) == len(graph.nodes), "the graph without its back edges must be acyclic"
    return order, back


@dataclass
class OracleResult:
    outputs: dict[str, np.ndarray]  # (B, T, n)
    records: dict[str, dict[str, np.ndarray]]  # node -> {"v": (B, T, n), "i": ...}
    valid: list[int] = field(default_factory=list)  # per batch element: steps safe to compare
    spikes: float = 0.0  # how many spikes the neurons emitted (to judge the strategies)
    # per batch element: the largest magnitude of any signal or state before a reset; a
    # value left after subtracting from a large one is exact only to rounding of that
    scale: list[float] = field(default_factory=list)


def out_width(node: dict[str, Any]) -> int:
    """The width of the signal a node produces (all signals here are 1-D)."""
    if node["type"] in ("Input", "Output"):
        return int(np.asarray(node["shape"]).reshape(-1)[0])
    if node["type"] in ("Linear", "Affine"):
        return node["weight"].shape[0]
    for key in ("r", "scale", "threshold", "delay"):
        if key in node:
            return np.asarray(node[key]).shape[0]
    raise AssertionError(node)


def oracle(graph: Graph, x: np.ndarray, sem: Sem) -> OracleResult:
    """Run ``graph`` on ``x`` of shape ``(B, T, n)``, one element and one step at a time."""
    order, back = schedule(graph)
    B, T = x.shape[:2]
    outs = {n: np.zeros((B, T, out_width(graph.nodes[n]))) for n in graph.outputs}
    recs = {
        n: {"v": np.zeros((B, T, out_width(graph.nodes[n]))), "i": np.zeros((B, T, out_width(graph.nodes[n])))}
        for n in graph.neurons
    }
    valid: list[int] = []
    scales: list[float] = []
    total = 0.0
    for b in range(B):
        neurons = {
            n: Neuron(graph.nodes[n]["type"], graph.nodes[n], sem, out_width(graph.nodes[n])) for n in graph.neurons
        }
        delay_hist: dict[str, list[np.ndarray]] = {n: [] for n in graph.nodes}
        prev = {n: np.zeros(out_width(d)) for n, d in graph.nodes.items()}  # zero before the first step
        first_fragile = T
        scale = 1.0
        for t in range(T):
            cur: dict[str, np.ndarray] = {}
            fragile = False
            for name in order:
                node = graph.nodes[name]
                typ = node["type"]
                if typ == "Input":
                    cur[name] = np.array(x[b, t], dtype=float)
                    continue
                # fan-in sums; a cycle-closing edge carries the previous step's value
                incoming = [prev[s] if (s, d) in back else cur[s] for s, d in graph.edges if d == name]
                u = incoming[0].copy()
                for extra in incoming[1:]:
                    u = u + extra
                if typ == "Output":
                    y = u
                elif typ in ("Linear", "Affine"):
                    w = node["weight"]
                    y = np.array([sum(w[j, k] * u[k] for k in range(w.shape[1])) for j in range(w.shape[0])])
                    if typ == "Affine":
                        y = y + node["bias"]
                elif typ == "Scale":
                    y = node["scale"] * u
                elif typ == "Threshold":
                    th = node["threshold"]
                    if np.any(np.abs(u - th) <= FRAGILE * np.maximum(1.0, np.abs(th))):
                        fragile = True
                    y = (u > th).astype(float)
                    if sem.multi_spike:
                        q = u / th
                        if np.any((y > 0) & (np.abs(q - np.round(q)) <= FRAGILE * np.maximum(1.0, np.abs(q)))):
                            fragile = True
                        y = np.where(y > 0, np.maximum(np.floor(q) if sem.compare == ">=" else np.ceil(q) - 1, 1), 0.0)
                elif typ == "Delay":
                    hist = delay_hist[name]
                    hist.append(u)
                    steps = np.rint(node["delay"] / sem.dt).astype(int)
                    y = np.array([hist[t - k][j] if t - k >= 0 else 0.0 for j, k in enumerate(steps)])
                elif typ in NEURONS:
                    nrn = neurons[name]
                    fwd = [cur[s] for s, d in graph.edges if d == name and (s, d) not in back]
                    late = [prev[s] for s, d in graph.edges if d == name and (s, d) in back]
                    y = nrn.step(sum(fwd[1:], fwd[0].copy()) if fwd else np.zeros_like(u), sum(late) if late else None)
                    fragile |= nrn.fragile
                    nrn.fragile = False
                    recs[name]["v"][b, t] = nrn.v
                    recs[name]["i"][b, t] = nrn.i
                else:  # pragma: no cover - the strategies make no other nodes
                    raise NotImplementedError(typ)
                cur[name] = y
                scale = max(scale, float(np.max(np.abs(y))), float(np.max(np.abs(u))))
            if fragile and first_fragile == T:
                first_fragile = t
            for n in graph.outputs:
                outs[n][b, t] = cur[n]
            prev = cur
        valid.append(first_fragile)
        scales.append(max([scale] + [nrn.scale for nrn in neurons.values()]))
        total += sum(float(np.sum(c)) for nrn in neurons.values() for c in nrn.counts)
    return OracleResult(outs, recs, valid, total, scales)


# --------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------


def run_both(graph: Graph, x: np.ndarray, batched: bool, profile: str, **options: Any):
    """Run the interpreter and the oracle; return both with x as ``(B, T, n)``."""
    sem = sem_of(nirc.profiles()[profile], **options)
    module = nirc.module_from_dict(graph.to_dict())
    xin = x if batched else x[0]
    res = nirc.run(module, xin, semantics=profile, record=graph.neurons, dtype="float64", **options)
    want = oracle(graph, x, sem)
    return graph, res, want


def assert_agree(graph: Graph, x: np.ndarray, batched: bool, profile: str, **options: Any) -> None:
    graph, res, want = run_both(graph, x, batched, profile, **options)
    lift = (lambda a: a) if batched else (lambda a: np.asarray(a)[None])
    for b, stop in enumerate(want.valid):
        atol = ATOL * want.scale[b]
        for name in graph.outputs:
            got = lift(res.outputs[name])
            assert got.shape == want.outputs[name].shape, (name, got.shape)
            src = [s for s, d in graph.edges if d == name]
            spiking = all(graph.nodes[s]["type"] in (*SPIKING, "Threshold") for s in src)
            g, w = got[b, :stop], want.outputs[name][b, :stop]
            if spiking:
                np.testing.assert_array_equal(g, w, err_msg=f"spikes at output {name}, batch {b}")
            else:
                np.testing.assert_allclose(g, w, rtol=RTOL, atol=atol, err_msg=f"output {name}, batch {b}")
        for name in graph.neurons:
            keys = ("v", "i") if graph.nodes[name]["type"] in CUBA else ("v",)
            for key in keys:
                got = lift(res.records[name][key])
                w = want.records[name][key]
                assert got.shape == w.shape, (name, key, got.shape, w.shape)
                np.testing.assert_allclose(
                    got[b, :stop], w[b, :stop], rtol=RTOL, atol=atol, err_msg=f"record {name}.{key}, batch {b}"
                )


# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------

DTS = st.sampled_from([1e-4, 2e-4, 5e-4, 1e-3]) | st.floats(1e-4, 1e-3)


def vec(n: int, lo: float, hi: float) -> st.SearchStrategy[np.ndarray]:
    # fill=nothing: every element drawn (by default most would share one fill value)
    return hnp.arrays(np.float64, (n,), elements=st.floats(lo, hi), fill=st.nothing())


def matrix(rows: int, cols: int) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, (rows, cols), elements=st.floats(-2.0, 2.0), fill=st.nothing())


@st.composite
def neuron_node(draw, n: int, kinds: tuple[str, ...] = NEURONS + SPIKING) -> dict[str, Any]:
    typ = draw(st.sampled_from(kinds))
    node: dict[str, Any] = {"type": typ}
    if typ in ("LI", "LIF"):
        node["tau"] = draw(vec(n, 1e-3, 5e-2))
    if typ in CUBA:
        node["tau_syn"] = draw(vec(n, 1e-3, 5e-2))
        node["tau_mem"] = draw(vec(n, 1e-3, 5e-2))
    # exporters often fold tau/dt into r (unit gain per step), so r spans decades
    node["r"] = draw(vec(n, 0.25, 3.0)) * draw(st.sampled_from([10.0, 1.0, 100.0]))
    if typ in LEAKY:
        node["v_leak"] = draw(vec(n, -0.5, 0.5))
    if typ in SPIKING:
        node["v_threshold"] = draw(vec(n, 0.1, 2.0))
        node["v_reset"] = draw(vec(n, -0.5, 0.0))
    if typ in CUBA:
        node["w_in"] = draw(vec(n, -2.0, 2.0))
    return node


@st.composite
def same_width_node(draw, n: int, dt: float) -> dict[str, Any]:
    """A node that keeps the width: a neuron, Scale, Threshold or Delay."""
    typ = draw(st.sampled_from(["neuron"] * 4 + ["Scale", "Threshold", "Delay"]))
    if typ == "neuron":
        return draw(neuron_node(n))
    if typ == "Scale":
        return {"type": "Scale", "scale": draw(vec(n, -2.0, 2.0))}
    if typ == "Threshold":
        return {"type": "Threshold", "threshold": draw(vec(n, 0.1, 2.0))}
    steps = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    jitter = draw(st.lists(st.floats(-0.3, 0.3), min_size=n, max_size=n))
    return {
        "type": "Delay",
        "delay": np.array([(k + j) * dt if k + j >= 0 else 0.0 for k, j in zip(steps, jitter, strict=True)]),
    }


@st.composite
def weight_node(draw, n_in: int, n_out: int) -> dict[str, Any]:
    w = draw(matrix(n_out, n_in))
    if draw(st.booleans()):
        return {"type": "Linear", "weight": w}
    return {"type": "Affine", "weight": w, "bias": draw(vec(n_out, -1.0, 1.0))}


WIDTHS = st.integers(1, 4)


def io(n: int, kind: str) -> dict[str, Any]:
    return {"type": kind, "shape": np.array([n])}


@st.composite
def chain(draw, dt: float) -> Graph:
    n = draw(WIDTHS)
    nodes: dict[str, Any] = {"in": io(n, "Input")}
    edges = []
    last = "in"
    for k in range(draw(st.integers(1, 3))):  # at most six nodes besides Input and Output
        if draw(st.booleans()):
            m = draw(WIDTHS)
            nodes[f"w{k}"] = draw(weight_node(n, m))
            edges.append((last, f"w{k}"))
            last, n = f"w{k}", m
        nodes[f"n{k}"] = draw(same_width_node(n, dt))
        edges.append((last, f"n{k}"))
        last = f"n{k}"
    nodes["out"] = io(n, "Output")
    edges.append((last, "out"))
    return Graph(nodes, edges)


@st.composite
def fan_in(draw, dt: float) -> Graph:
    n, m = draw(WIDTHS), draw(WIDTHS)
    nodes = {
        "in": io(n, "Input"),
        "wa": draw(weight_node(n, m)),
        "a": draw(same_width_node(m, dt)),
        "wb": draw(weight_node(n, m)),
        "n": draw(neuron_node(m)),
        "out": io(m, "Output"),
    }
    edges = [("in", "wa"), ("wa", "a"), ("a", "n"), ("in", "wb"), ("wb", "n"), ("n", "out")]
    return Graph(nodes, edges)


@st.composite
def recurrent(draw, dt: float) -> Graph:
    n, m = draw(WIDTHS), draw(WIDTHS)
    nodes = {
        "in": io(n, "Input"),
        "w_in": draw(weight_node(n, m)),
        "n": draw(neuron_node(m)),
        "w_rec": {"type": "Linear", "weight": draw(matrix(m, m))},
        "out": io(m, "Output"),
    }
    edges = [("in", "w_in"), ("w_in", "n"), ("n", "w_rec"), ("w_rec", "n"), ("n", "out")]
    return Graph(nodes, edges)


@st.composite
def self_loop(draw, dt: float) -> Graph:
    n, m = draw(WIDTHS), draw(WIDTHS)
    nodes = {
        "in": io(n, "Input"),
        "w_in": draw(weight_node(n, m)),
        "n": draw(neuron_node(m, kinds=("LI", "CubaLI", *SPIKING, *SPIKING))),
        "out": io(m, "Output"),
    }
    edges = [("in", "w_in"), ("w_in", "n"), ("n", "n"), ("n", "out")]
    return Graph(nodes, edges)


@st.composite
def two_outputs(draw, dt: float) -> Graph:
    n, m, k = draw(WIDTHS), draw(WIDTHS), draw(WIDTHS)
    nodes = {
        "in": io(n, "Input"),
        "w": draw(weight_node(n, m)),
        "a": draw(neuron_node(m)),
        "w2": draw(weight_node(m, k)),
        "b": draw(same_width_node(k, dt)),
        "out_a": io(m, "Output"),
        "out_b": io(k, "Output"),
    }
    edges = [("in", "w"), ("w", "a"), ("a", "out_a"), ("a", "w2"), ("w2", "b"), ("b", "out_b")]
    return Graph(nodes, edges)


ARCHITECTURES = [chain, fan_in, recurrent, self_loop, two_outputs]


@st.composite
def case(draw, dt: float) -> tuple[Graph, np.ndarray, bool]:
    graph = draw(st.sampled_from(ARCHITECTURES).flatmap(lambda arch: arch(dt)))
    n = int(graph.nodes["in"]["shape"][0])
    B, T = draw(st.integers(1, 3)), draw(st.integers(1, 30) | st.just(30))
    # the input is filled from a seeded generator: drawn element by element, hypothesis
    # mostly makes it zero
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        x = rng.uniform(-1.0, 3.0, size=(B, T, n))
    else:
        x = (rng.random((B, T, n)) < draw(st.sampled_from([0.2, 0.5, 0.9]))).astype(np.float64)
    batched = B > 1 or draw(st.booleans())
    return graph, x, batched


@st.composite
def profile_case(draw):
    dt = draw(DTS)
    graph, x, batched = draw(case(dt))
    return graph, x, batched, dt


@st.composite
def option_case(draw):
    dt = draw(DTS)
    graph, x, batched = draw(case(dt))
    options = {
        "dt": dt,
        "integrator": draw(st.sampled_from(["euler", "exact"])),
        "input_gain": draw(st.sampled_from(["tau", "dt/tau", "unit"])),
        "reset": draw(st.sampled_from(["value", "subtract", "none"])),
        "compare": draw(st.sampled_from([">", ">="])),
        "spike_timing": draw(st.sampled_from(["same", "next"])),
        "reset_timing": draw(st.sampled_from(["same", "next"])),
        "order": draw(st.sampled_from(["leak-then-integrate", "integrate-then-leak"])),
        "multi_spike": draw(st.booleans()),
        "input_delay": draw(st.integers(0, 2)),
    }
    return graph, x, batched, options


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", [name for name, sem in nirc.profiles().items() if not sem.lowering])
@SETTINGS
@given(data=profile_case())
def test_profile_matches_oracle(profile: str, data) -> None:
    graph, x, batched, dt = data
    assert_agree(graph, x, batched, profile, dt=dt)


@settings(SETTINGS, max_examples=300)
@given(data=option_case())
def test_options_match_oracle(data) -> None:
    graph, x, batched, options = data
    assert_agree(graph, x, batched, "nir", **options)


# --------------------------------------------------------------------------------------
# Known answers, computed by hand (not by the oracle)
# --------------------------------------------------------------------------------------

DT = 1e-4


def one(n: int, value: float) -> np.ndarray:
    return np.full(n, value, dtype=np.float64)


def run_node(node: dict[str, Any], x: list[float], *, profile: str = "nir", **options: Any):
    """Run ``in -> node -> out`` (width 1) on ``x``; the output and records, as 1-D series."""
    nodes = {"in": io(1, "Input"), "n": node, "out": io(1, "Output")}
    graph = Graph(nodes, [("in", "n"), ("n", "out")])
    options.setdefault("dt", DT)
    record = ["n"] if node["type"] in NEURONS else []
    res = nirc.run(
        nirc.module_from_dict(graph.to_dict()),
        np.array(x, dtype=np.float64)[:, None],
        semantics=profile,
        record=record,
        dtype="float64",
        **options,
    )
    recs = {k: v[:, 0] for k, v in res.records.get("n", {}).items()}
    return res.outputs["out"][:, 0], recs


def LIF(tau=1e-3, r=1.0, v_leak=0.0, th=1.0, v_reset=0.0) -> dict[str, Any]:
    return {
        "type": "LIF",
        "tau": one(1, tau),
        "r": one(1, r),
        "v_leak": one(1, v_leak),
        "v_threshold": one(1, th),
        "v_reset": one(1, v_reset),
    }


def LI(tau=1e-3, r=1.0, v_leak=0.0) -> dict[str, Any]:
    return {"type": "LI", "tau": one(1, tau), "r": one(1, r), "v_leak": one(1, v_leak)}


def IF(r=1.0, th=1.0, v_reset=0.0) -> dict[str, Any]:
    return {"type": "IF", "r": one(1, r), "v_threshold": one(1, th), "v_reset": one(1, v_reset)}


def close(a, b) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-12, atol=1e-15)


def test_lif_euler_one_step() -> None:
    # v = dt/tau * R * x = 0.1 * 2 * 1.5, then the leak (1 - dt/tau) = 0.9 alone
    out, rec = run_node(LIF(tau=1e-3, r=2.0, th=10.0), [1.5, 0.0])
    close(rec["v"], [0.3, 0.27])
    close(out, [0, 0])


def test_li_euler_leaks_towards_v_leak() -> None:
    # no input: v moves dt/tau of the way to v_leak: 0.1*0.5, then 0.05 + 0.1*(0.5-0.05)
    _, rec = run_node(LI(tau=1e-3, v_leak=0.5), [0.0, 0.0])
    close(rec["v"], [0.05, 0.095])


def test_exact_zoh_one_step() -> None:
    # v = R x (1 - exp(-dt/tau)) after one step of a held input, from v = 0
    _, rec = run_node(LI(tau=1e-3, r=2.0), [1.5], profile="exact")
    close(rec["v"], [3.0 * (1 - math.exp(-0.1))])
    _, rec = run_node(LIF(tau=5e-3, r=1.0, th=10.0), [1.0, 1.0], integrator="exact", dt=1e-3)
    a = math.exp(-0.2)
    close(rec["v"], [1 - a, 1 - a * a])


@pytest.mark.parametrize(
    ("integrator", "gain", "expected"),
    [
        ("euler", "tau", 0.1 * 2.0),
        ("exact", "tau", (1 - math.exp(-0.1)) * 2.0),
        ("euler", "dt/tau", 0.1 * 2.0),
        ("exact", "dt/tau", 0.1 * 2.0),
        ("euler", "unit", 2.0),
        ("exact", "unit", 2.0),
    ],
)
def test_input_gain_one_step(integrator: str, gain: str, expected: float) -> None:
    _, rec = run_node(LI(tau=1e-3, r=2.0), [1.0], integrator=integrator, input_gain=gain)
    close(rec["v"], [expected])


@pytest.mark.parametrize(("gain", "expected"), [("tau", [2e-4, 4e-4]), ("dt/tau", [2.0, 4.0]), ("unit", [2.0, 4.0])])
def test_integrator_gain(gain: str, expected: list[float]) -> None:
    # I has no time constant: 'tau' adds dt R x per step, the others R x
    out, rec = run_node({"type": "I", "r": one(1, 2.0)}, [1.0, 1.0], input_gain=gain)
    close(rec["v"], expected)
    close(out, expected)


def test_integrate_then_leak() -> None:
    # v = a (v + g R x) = 0.9 * 0.1 instead of a v + g R x = 0.1
    _, rec = run_node(LI(tau=1e-3), [1.0], order="integrate-then-leak")
    close(rec["v"], [0.09])
    _, rec = run_node(LI(tau=1e-3), [1.0], order="leak-then-integrate")
    close(rec["v"], [0.1])


def test_cuba_euler_current_then_membrane() -> None:
    # i = 0.1 * w_in x = 0.2; v = 0.1 * R i = 0.02 (the new current drives v); then
    # i = 0.9 * 0.2 = 0.18 and v = 0.9 * 0.02 + 0.1 * 0.18 = 0.036
    node = {
        "type": "CubaLI",
        "tau_syn": one(1, 1e-3),
        "tau_mem": one(1, 1e-3),
        "r": one(1, 1.0),
        "v_leak": one(1, 0.0),
        "w_in": one(1, 2.0),
    }
    out, rec = run_node(node, [1.0, 0.0])
    close(rec["i"], [0.2, 0.18])
    close(rec["v"], [0.02, 0.036])
    close(out, [0.02, 0.036])


def test_cuba_integrate_then_leak() -> None:
    # i = a_s (i + g_s w_in x) = 0.9 * 0.2; v = a (v + g R i) = 0.9 * 0.1 * 0.18
    node = {
        "type": "CubaLI",
        "tau_syn": one(1, 1e-3),
        "tau_mem": one(1, 1e-3),
        "r": one(1, 1.0),
        "v_leak": one(1, 0.0),
        "w_in": one(1, 2.0),
    }
    _, rec = run_node(node, [1.0], order="integrate-then-leak")
    close(rec["i"], [0.18])
    close(rec["v"], [0.0162])


@pytest.mark.parametrize(
    ("reset", "v", "spikes"),
    [
        ("value", [-0.25, -0.25, -0.25], [1, 1, 1]),  # 1.5 > 1 every step, back to v_reset
        ("subtract", [0.5, 1.0, 1.5], [1, 1, 1]),  # 1.5-1, 0.5+1.5-1, 1+1.5-1
        ("none", [1.5, 3.0, 4.5], [1, 1, 1]),
    ],
)
def test_reset_kinds(reset: str, v: list[float], spikes: list[float]) -> None:
    out, rec = run_node(IF(th=1.0, v_reset=-0.25), [1.5, 1.5, 1.5], input_gain="unit", reset=reset)
    np.testing.assert_array_equal(out, spikes)
    close(rec["v"], v)


def test_subtract_vs_value_reset_lif() -> None:
    # LIF, unit gain, a = 0.9: v = 1.5 spikes; value -> 0, subtract -> 0.5; then
    # value: 0.9*0 + 0.5 = 0.5; subtract: 0.9*0.5 + 0.5 = 0.95 (no spike either way)
    out_v, rec_v = run_node(LIF(tau=1e-3), [1.5, 0.5], input_gain="unit", reset="value")
    out_s, rec_s = run_node(LIF(tau=1e-3), [1.5, 0.5], input_gain="unit", reset="subtract")
    np.testing.assert_array_equal(out_v, [1, 0])
    np.testing.assert_array_equal(out_s, [1, 0])
    close(rec_v["v"], [0.0, 0.5])
    close(rec_s["v"], [0.5, 0.95])


@pytest.mark.parametrize(("compare", "spikes", "v"), [(">", [0, 0], [1.0, 1.0]), (">=", [1, 0], [0.0, 0.0])])
def test_compare_at_exactly_threshold(compare: str, spikes: list[float], v: list[float]) -> None:
    # v = 1.0 exactly (unit gain, R = 1, x = 1): a spike only with >=
    out, rec = run_node(IF(th=1.0), [1.0, 0.0], input_gain="unit", compare=compare)
    np.testing.assert_array_equal(out, spikes)
    close(rec["v"], v)


@pytest.mark.parametrize(
    ("spike_timing", "reset_timing", "spikes", "v"),
    [
        ("same", "same", [1, 0, 0, 0], [0.5, 0.5, 0.5, 0.5]),
        # Spyx: the spike leaves one step later and resets the membrane then
        ("next", "same", [0, 1, 0, 0], [1.5, 0.5, 0.5, 0.5]),
        # snnTorch: the spike leaves at once, the reset comes in the next step
        ("same", "next", [1, 0, 0, 0], [1.5, 0.5, 0.5, 0.5]),
        # both: the reset follows the (late) spike by one more step, so the membrane is
        # still above threshold in step 1 and crosses again: two spikes, two resets
        ("next", "next", [0, 1, 1, 0], [1.5, 1.5, 0.5, -0.5]),
    ],
)
def test_spike_and_reset_timing(spike_timing: str, reset_timing: str, spikes: list[float], v: list[float]) -> None:
    out, rec = run_node(
        IF(th=1.0),
        [1.5, 0.0, 0.0, 0.0],
        input_gain="unit",
        reset="subtract",
        spike_timing=spike_timing,
        reset_timing=reset_timing,
    )
    np.testing.assert_array_equal(out, spikes)
    close(rec["v"], v)


def test_reset_timing_next_judges_the_reset_membrane() -> None:
    # snnTorch, x = 0.6 per step, th = 1: v 0.6, 1.2 (spike), 1.8-1 = 0.8, 1.4 (spike),
    # 2.0-1 = 1.0 (not > 1), 1.6 (spike)
    out, rec = run_node(IF(th=1.0), [0.6] * 6, input_gain="unit", profile="snntorch")
    np.testing.assert_array_equal(out, [0, 1, 0, 1, 0, 1])
    close(rec["v"], [0.6, 1.2, 0.8, 1.4, 1.0, 1.6])


def test_spike_timing_next_with_value_reset() -> None:
    # spyx-like timing, reset to v_reset = -0.5 in the step the spike leaves
    out, rec = run_node(IF(th=1.0, v_reset=-0.5), [1.5, 0.25, 0.0], input_gain="unit", spike_timing="next")
    np.testing.assert_array_equal(out, [0, 1, 0])
    close(rec["v"], [1.5, -0.5, -0.5])


@pytest.mark.parametrize(
    ("x", "reset", "compare", "v_reset", "spikes", "v"),
    [
        (3.5, "subtract", ">=", 0.0, 3, 0.5),  # floor(3.5 / 1)
        (3.5, "subtract", ">", 0.0, 3, 0.5),
        (3.0, "subtract", ">=", 0.0, 3, 0.0),  # exactly three thresholds
        (3.0, "subtract", ">", 0.0, 2, 1.0),  # '>' is strict for every spike
        (3.5, "value", ">=", -1.0, 3, -1.0),  # floor(3.5 / 1) = 3, whatever the reset
        (0.5, "value", ">=", 0.0, 0, 0.5),
    ],
)
def test_multi_spike_count(x, reset, compare, v_reset, spikes, v) -> None:
    out, rec = run_node(
        IF(th=1.0, v_reset=v_reset), [x], input_gain="unit", multi_spike=True, reset=reset, compare=compare
    )
    np.testing.assert_array_equal(out, [spikes])
    close(rec["v"], [v])


def test_multi_spike_count_under_subtract_ignores_v_reset() -> None:
    # v = 3.5, th = 1, v_reset = -1, subtract: floor(3.5 / 1) = 3 spikes, v = 3.5 - 3 = 0.5
    out, rec = run_node(
        IF(th=1.0, v_reset=-1.0), [3.5], input_gain="unit", multi_spike=True, reset="subtract", compare=">="
    )
    np.testing.assert_array_equal(out, [3])
    close(rec["v"], [0.5])


def test_input_delay_one_step() -> None:
    out, rec = run_node(IF(th=1.0), [1.5, 0.0, 0.0], input_gain="unit", reset="subtract", input_delay=1)
    np.testing.assert_array_equal(out, [0, 1, 0])
    close(rec["v"], [0.0, 0.5, 0.5])
    out, rec = run_node(LI(tau=1e-3), [1.0, 0.0, 0.0], profile="lava")
    close(rec["v"], [0.0, 0.1, 0.09])


@pytest.mark.parametrize(
    ("delay", "spikes"), [(0, [1, 1, 1, 1, 1, 1]), (1, [0, 1, 1, 1, 1, 1]), (2, [0, 0, 1, 0, 1, 0])]
)
def test_input_delay_on_a_recurrent_edge(delay: int, spikes: list[int]) -> None:
    """A neuron exciting itself through a Linear: the cycle's back edge brings the previous
    step's spikes, and the input delay adds one step less to it (Lava: one recurrent
    Dense, one step round the loop), at every level."""
    nodes = {
        "in": io(1, "Input"),
        "n": IF(th=0.5),
        "w": {"type": "Linear", "weight": np.ones((1, 1))},
        "out": io(1, "Output"),
    }
    graph = Graph(nodes, [("in", "n"), ("n", "w"), ("w", "n"), ("n", "out")])
    module = nirc.module_from_dict(graph.to_dict())
    x = np.array([1.0, 0, 0, 0, 0, 0])[:, None]
    options = dict(dt=DT, input_gain="unit", input_delay=delay, dtype="float64")
    got = nirc.run(module, x, semantics="nir", **options).outputs["out"][:, 0]
    np.testing.assert_array_equal(got, spikes)
    snn_module = module.clone()
    ConvertNirToSnnPass(dt=DT, input_gain="unit", input_delay=delay).apply(Context(), snn_module)
    SnnFuseRecurrentPass().apply(Context(), snn_module)
    np.testing.assert_array_equal(nirc.run(snn_module, x).outputs["out"][:, 0], spikes)
    want = oracle(graph, x[None], Sem(**{k: v for k, v in options.items() if k != "dtype"}))
    np.testing.assert_array_equal(want.outputs["out"][0, :, 0], spikes)


@pytest.mark.parametrize(
    ("dt", "delay", "expected"),
    [
        (DT, 2 * DT, [0, 0, 1, 2, 3]),
        (DT, 0.0, [1, 2, 3, 4, 5]),
        (0.25, 0.625, [0, 0, 1, 2, 3]),  # 2.5 steps: half to even -> 2
        (0.25, 0.875, [0, 0, 0, 0, 1]),  # 3.5 steps -> 4
        (0.25, 0.375, [0, 0, 1, 2, 3]),  # 1.5 steps -> 2
    ],
)
def test_delay_steps(dt: float, delay: float, expected: list[float]) -> None:
    out, _ = run_node({"type": "Delay", "delay": one(1, delay)}, [1, 2, 3, 4, 5], dt=dt)
    close(out, expected)


def test_recurrent_cycle_lags_one_step() -> None:
    # in -> s -> w -> s: s_t = x_t + 0.5 s_{t-1}; the edge w -> s closes the cycle
    nodes = {
        "in": io(1, "Input"),
        "s": {"type": "Scale", "scale": one(1, 1.0)},
        "w": {"type": "Linear", "weight": np.array([[0.5]])},
        "out": io(1, "Output"),
    }
    graph = Graph(nodes, [("in", "s"), ("s", "w"), ("w", "s"), ("s", "out")])
    res = nirc.run(
        nirc.module_from_dict(graph.to_dict()), np.array([[1.0], [0.0], [0.0], [2.0]]), dt=DT, dtype="float64"
    )
    close(res.outputs["out"][:, 0], [1.0, 0.5, 0.25, 2.125])


@pytest.mark.parametrize("loop", ["through-linear", "self"])
def test_neuron_cycle_lags_one_step(loop: str) -> None:
    # I with unit gain fed back (weight 1): v_t = v_{t-1} + x_t + v_{t-1} -> 1, 2, 4
    nodes = {"in": io(1, "Input"), "n": {"type": "I", "r": one(1, 1.0)}, "out": io(1, "Output")}
    edges = [("in", "n"), ("n", "out")]
    if loop == "self":
        edges.append(("n", "n"))
    else:
        nodes["w"] = {"type": "Linear", "weight": np.array([[1.0]])}
        edges += [("n", "w"), ("w", "n")]
    graph = Graph(nodes, edges)
    res = nirc.run(
        nirc.module_from_dict(graph.to_dict()),
        np.array([[1.0], [0.0], [0.0]]),
        dt=DT,
        input_gain="unit",
        dtype="float64",
        record=["n"],
    )
    close(res.outputs["out"][:, 0], [1.0, 2.0, 4.0])
    close(res.records["n"]["v"][:, 0], [1.0, 2.0, 4.0])


def test_fan_in_sums() -> None:
    nodes = {
        "in": io(2, "Input"),
        "a": {"type": "Scale", "scale": one(2, 2.0)},
        "b": {"type": "Affine", "weight": np.eye(2) * 3.0, "bias": np.array([1.0, -1.0])},
        "out": io(2, "Output"),
    }
    graph = Graph(nodes, [("in", "a"), ("in", "b"), ("a", "out"), ("b", "out")])
    x = np.array([[[1.0, 2.0]], [[0.0, -1.0]]])  # (B=2, T=1, 2)
    res = nirc.run(nirc.module_from_dict(graph.to_dict()), x, dt=DT, dtype="float64")
    close(res.outputs["out"], [[[6.0, 9.0]], [[1.0, -6.0]]])


def test_threshold_node() -> None:
    out, _ = run_node({"type": "Threshold", "threshold": one(1, 1.0)}, [0.5, 1.5, -2.0])
    np.testing.assert_array_equal(out, [0, 1, 0])


def test_oracle_agrees_with_known_answers() -> None:
    """The oracle itself, on a hand-computed case (guards the oracle, not nirc)."""
    nodes = {"in": io(1, "Input"), "n": IF(th=1.0), "out": io(1, "Output")}
    graph = Graph(nodes, [("in", "n"), ("n", "out")])
    x = np.array([[[1.5], [0.0], [0.0], [0.0]]])
    sem = Sem(dt=DT, input_gain="unit", reset="subtract", spike_timing="next", reset_timing="next")
    want = oracle(graph, x, sem)
    np.testing.assert_array_equal(want.outputs["out"][0, :, 0], [0, 1, 1, 0])
    close(want.records["n"]["v"][0, :, 0], [1.5, 1.5, 0.5, -0.5])
