"""Hypothesis strategies for random NIR graphs that exercise the `nir` -> `snn` passes.

A drawn :class:`PassCase` is a node dict (the reference package's ``to_dict`` form,
turned into a module by :func:`nirc.module_from_dict`) plus an input and a time step.
The graphs are built so that every rewrite of ``lower-composites``, ``canonicalize``,
``convert-nir-to-snn``, ``snn-fuse-recurrent`` and ``nir-fuse-recurrent`` has
something to do:

* node kinds: Input, Output, Linear, Affine (zero and non-zero bias), Scale (all ones
  and not), Flatten (shape-keeping and not), Threshold, Delay, Conv2d, SumPool2d,
  AvgPool2d, I, LI, IF, LIF, CubaLI, CubaLIF and nested NIRGraph;
* architectures (:data:`ARCHITECTURES`): chains; recurrences ``neuron -> Linear/Affine
  -> neuron`` with and without extra fan-in, with the recurrent edge first, last or in
  the middle, through a Scale or a Linear ⊳ Linear (fusable only after
  ``canonicalize``), stacked like Braille, or read by someone else (not fusable);
  self-loops (on a neuron, Scale, Delay, Threshold or square Linear, direct or through
  a Delay or a Scale); CSE and dead branches; small convolutional networks; nested
  graphs (with a recurrence inside, or inside a cycle of the outer graph); a cycle
  entered at two nodes (see :data:`MULTI_ENTRY`); with ``unfed=True``, recurrent
  neurons fed by nothing but their recurrence (see :data:`UNFED`);
* ``spiking=False`` draws graphs without spiking neurons and Threshold nodes, with
  plenty of Scale ⊳ Linear ⊳ Linear ⊳ Scale chains: what ``canonicalize`` folds and
  merges, on signals that can be compared with a tolerance.

Parameters are filled from a seeded numpy generator (hypothesis chooses the structure
and the seed), scaled so that neurons do spike under every profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

SPIKING = ("IF", "LIF", "CubaLIF")
NONSPIKING = ("I", "LI", "CubaLI")
NEURONS = NONSPIKING + SPIKING

#: Architectures of :func:`pass_cases`.
ARCHITECTURES = ("chain", "recurrent", "self-loop", "fan-in", "conv", "nested", "multi-entry")
#: A cycle entered at two nodes: which of its edges carries the previous step's value
#: depends on the depth-first order of the graph (see ``nirc.interp.executor``).
MULTI_ENTRY = "multi-entry"
DTS = (1e-4, 2e-4, 1e-3)
#: A recurrent neuron whose only input is its own recurrence (``pass_cases(unfed=True)``).
UNFED = "unfed recurrence"


@dataclass
class PassCase:
    """A random graph, its input ``x`` (``(B, T, *shape)``, or ``(T, *shape)`` when not
    ``batched``), a time step, and what it was built to contain."""

    graph: dict[str, Any]
    x: np.ndarray
    dt: float
    arch: str
    spiking: bool
    batched: bool
    features: set[str] = field(default_factory=set)

    def describe(self) -> str:
        """The graph as a node dict literal (for failure messages)."""
        return describe_graph(self.graph)


def describe_graph(graph: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        if isinstance(value, np.ndarray):
            return f"np.array({value.tolist()!r}, dtype={str(value.dtype)!r})"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k!r}: {fmt(v)}" for k, v in value.items()) + "}"
        return repr(value)

    return fmt(graph)


class _Builder:
    def __init__(
        self, draw: Any, rng: np.random.Generator, dt: float, spiking: bool, dtype: np.dtype, unfed: bool = False
    ):
        self.unfed = unfed
        self.draw = draw
        self.rng = rng
        self.dt = dt
        self.spiking = spiking
        self.dtype = dtype
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: list[tuple[str, str]] = []
        self.features: set[str] = set()
        self.count = 0

    # ------------------------------------------------------------------ plumbing
    def add(self, prefix: str, node: dict[str, Any], name: str | None = None) -> str:
        if name is None or name in self.nodes:
            while True:
                self.count += 1
                name = f"{prefix}{self.count}"
                if name not in self.nodes:
                    break
        self.nodes[name] = node
        self.features.add(node["type"])
        return name

    def edge(self, src: str, dst: str) -> None:
        self.edges.append((src, dst))

    def arr(self, shape: tuple[int, ...] | int, lo: float, hi: float) -> np.ndarray:
        return self.rng.uniform(lo, hi, size=shape).astype(self.dtype)

    def input(self, shape: tuple[int, ...], name: str = "in") -> str:
        return self.add("in", {"type": "Input", "shape": np.array(shape, dtype=np.int64)}, name)

    def output(self, src: str, shape: tuple[int, ...], name: str = "out") -> str:
        out = self.add("out", {"type": "Output", "shape": np.array(shape, dtype=np.int64)}, name)
        self.edge(src, out)
        return out

    # ------------------------------------------------------------------ nodes
    def neuron_kind(self, kinds: tuple[str, ...] | None = None) -> str:
        if kinds is None:
            kinds = NEURONS if self.spiking else NONSPIKING
        if not self.spiking:
            kinds = tuple(k for k in kinds if k in NONSPIKING) or NONSPIKING
        return self.draw(st.sampled_from(kinds))

    def neuron(self, shape: tuple[int, ...], kind: str | None = None) -> dict[str, Any]:
        kind = kind or self.neuron_kind()
        dt = self.dt
        node: dict[str, Any] = {"type": kind}
        if kind in ("LI", "LIF"):
            node["tau"] = self.arr(shape, 1.5 * dt, 30 * dt)
        if kind in ("CubaLI", "CubaLIF"):
            node["tau_syn"] = self.arr(shape, 1.5 * dt, 20 * dt)
            node["tau_mem"] = self.arr(shape, 1.5 * dt, 30 * dt)
        if kind in ("I", "IF"):
            # the integrators add dt R x per step under input-gain=tau: R must be large
            # for them to reach a threshold there
            node["r"] = self.arr(shape, 0.5, 3.0) * self.draw(st.sampled_from([1.0, 1000.0]))
        else:
            node["r"] = self.arr(shape, 0.5, 3.0)
        if kind not in ("I", "IF"):
            node["v_leak"] = self.arr(shape, -0.3, 0.3) if self.draw(st.booleans()) else np.zeros(shape, self.dtype)
        if kind in SPIKING:
            node["v_threshold"] = self.arr(shape, 0.2, 1.5)
            node["v_reset"] = self.arr(shape, -0.3, 0.0) if self.draw(st.booleans()) else np.zeros(shape, self.dtype)
        if kind in ("CubaLI", "CubaLIF"):
            node["w_in"] = self.arr(shape, -0.5, 3.0)
        return node

    def matrix(self, n_in: int, n_out: int, kind: str | None = None, bias: str | None = None) -> dict[str, Any]:
        kind = kind or self.draw(st.sampled_from(["Linear", "Affine"]))
        node: dict[str, Any] = {"type": kind, "weight": self.arr((n_out, n_in), -1.0, 2.0)}
        if kind == "Affine":
            bias = bias or self.draw(st.sampled_from(["zero", "random"]))
            if bias == "zero":
                node["bias"] = np.zeros(n_out, self.dtype)
                self.features.add("Affine(zero bias)")
            else:
                node["bias"] = self.arr(n_out, -0.5, 0.5)
        return node

    def scale(self, shape: tuple[int, ...], kind: str | None = None) -> dict[str, Any]:
        kind = kind or self.draw(st.sampled_from(["ones", "random", "random"]))
        if kind == "ones":
            self.features.add("Scale(ones)")
            return {"type": "Scale", "scale": np.ones(shape, self.dtype)}
        if kind == "channel" and len(shape) == 3:
            self.features.add("Scale(per channel)")
            per = self.arr(shape[0], -1.0, 2.0)
            return {"type": "Scale", "scale": np.broadcast_to(per[:, None, None], shape).copy()}
        return {"type": "Scale", "scale": self.arr(shape, -1.0, 2.0)}

    def threshold(self, shape: tuple[int, ...]) -> dict[str, Any]:
        return {"type": "Threshold", "threshold": self.arr(shape, 0.2, 1.5)}

    def delay(self, shape: tuple[int, ...]) -> dict[str, Any]:
        steps = self.rng.integers(0, 4, size=shape)
        jitter = self.rng.uniform(-0.3, 0.3, size=shape) if self.draw(st.booleans()) else np.zeros(shape)
        return {"type": "Delay", "delay": np.maximum((steps + jitter) * self.dt, 0.0).astype(self.dtype)}

    def flatten(self, shape: tuple[int, ...], keep: bool = False) -> tuple[dict[str, Any], tuple[int, ...]]:
        if keep or len(shape) == 1:
            start = end = self.draw(st.integers(0, len(shape) - 1))
        else:
            start, end = 0, len(shape) - 1
        out = (*shape[:start], int(np.prod(shape[start : end + 1])), *shape[end + 1 :])
        if out == shape:
            self.features.add("Flatten(identity)")
        node = {"type": "Flatten", "start_dim": start, "end_dim": end, "input_type": np.array(shape, dtype=np.int64)}
        return node, out

    # ------------------------------------------------------------------ layers
    def layer(self, src: str, shape: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
        """One random node after ``src``."""
        kinds = ["neuron", "neuron", "scale", "delay", "flatten"]
        if self.spiking:
            kinds.append("threshold")
        if len(shape) == 1:
            kinds += ["matrix", "matrix", "matrix-chain"]
        kind = self.draw(st.sampled_from(kinds))
        if kind == "neuron":
            name = self.add("n", self.neuron(shape))
        elif kind == "scale":
            name = self.add("s", self.scale(shape))
        elif kind == "delay":
            name = self.add("d", self.delay(shape))
        elif kind == "threshold":
            name = self.add("th", self.threshold(shape))
        elif kind == "flatten":
            node, out = self.flatten(shape)
            name = self.add("f", node)
            self.edge(src, name)
            return name, out
        elif kind == "matrix":
            n_out = self.draw(st.integers(1, 5))
            name = self.add("w", self.matrix(shape[0], n_out))
            self.edge(src, name)
            return name, (n_out,)
        else:  # Scale? ⊳ Linear/Affine ⊳ Linear/Affine ⊳ Scale?: canonicalize folds and merges it
            self.features.add("matrix-chain")
            if self.draw(st.booleans()):
                s = self.add("s", self.scale(shape))
                self.edge(src, s)
                src = s
            n_mid, n_out = self.draw(st.integers(1, 5)), self.draw(st.integers(1, 5))
            a = self.add("w", self.matrix(shape[0], n_mid))
            b = self.add("w", self.matrix(n_mid, n_out))
            self.edge(src, a)
            self.edge(a, b)
            if self.draw(st.booleans()):
                s = self.add("s", self.scale((n_out,)))
                self.edge(b, s)
                b = s
            return b, (n_out,)
        self.edge(src, name)
        return name, shape

    def chain(self, src: str, shape: tuple[int, ...], n: int) -> tuple[str, tuple[int, ...]]:
        for _ in range(n):
            src, shape = self.layer(src, shape)
        return src, shape

    def recurrent_layer(self, sources: list[str], n_in: list[int], prefix: str | None = None) -> tuple[str, int]:
        """A neuron fed by ``sources`` (each through its own weight) with a recurrence
        through a square Linear/Affine; returns the neuron and its width."""
        m = self.draw(st.integers(1, 5))
        kinds = ("CubaLIF", "LIF", "LIF", "CubaLIF", "IF", "LI", "CubaLI") if self.spiking else NONSPIKING
        kind = self.neuron_kind(kinds)
        names = (f"{prefix}.lif", f"{prefix}.w_rec") if prefix else (None, None)
        neuron = self.add("rn", self.neuron((m,), kind), names[0])
        feeds = []
        if self.unfed and self.draw(st.integers(0, 4)) == 4:
            # fed by nothing but its own recurrence: it fires (or not) from v_leak alone
            sources, n_in = [], []
            if "v_leak" in self.nodes[neuron]:
                self.nodes[neuron]["v_leak"] = self.arr((m,), 0.5, 3.0)
            self.features.add(UNFED)
        for src, n in zip(sources, n_in, strict=True):
            w = self.add("win", self.matrix(n, m))
            self.edge(src, w)
            feeds.append(w)
        via = self.draw(st.sampled_from(["Linear", "Affine", "Linear", "Affine", "scale", "chain", "shared"]))
        if via in ("Linear", "Affine"):
            rec = self.add("wrec", self.matrix(m, m, via, "random"), names[1])
            self.edge(neuron, rec)
            last = rec
            self.features.add(f"{kind}->{via}->{kind}")
        elif via == "scale":  # Linear ⊳ Scale: canonicalize folds it, then it fuses
            rec = self.add("wrec", self.matrix(m, m, "Linear"))
            last = self.add("srec", self.scale((m,), "random"))
            self.edge(neuron, rec)
            self.edge(rec, last)
            self.features.add("recurrence through Scale")
        elif via == "chain":  # Linear ⊳ Linear: canonicalize merges it, then it fuses
            rec = self.add("wrec", self.matrix(m, m, "Linear"))
            last = self.add("wrec", self.matrix(m, m, "Linear"))
            self.edge(neuron, rec)
            self.edge(rec, last)
            self.features.add("recurrence through Linear chain")
        else:  # the recurrent weight is read by an Output too: not fusable
            rec = self.add("wrec", self.matrix(m, m, "Linear"))
            self.edge(neuron, rec)
            last = rec
            self.output(rec, (m,), self.fresh_output())
            self.features.add("recurrence shared")
        position = self.draw(st.sampled_from(["last", "middle", "first"]))
        incoming = list(feeds)
        if position == "first" or (position == "middle" and len(incoming) < 2):
            incoming.insert(0, last)
        elif position == "middle":
            incoming.insert(1, last)
        else:
            incoming.append(last)
        if len(feeds) > 1:
            self.features.add(f"recurrence with fan-in (rec {position})")
        for src in incoming:
            self.edge(src, neuron)
        return neuron, m

    def fresh_output(self) -> str:
        k = 1
        while f"out{k}" in self.nodes:
            k += 1
        return f"out{k}"

    def graph(self) -> dict[str, Any]:
        edges = list(self.edges)
        if self.draw(st.booleans()):  # the file's edge order is free (operand order is not)
            order = self.draw(st.permutations(range(len(edges))))
            # keep each node's incoming edges in their relative order
            edges = _stable_shuffle(edges, order)
        return {"type": "NIRGraph", "nodes": self.nodes, "edges": edges, "metadata": {}}


def _stable_shuffle(edges: list[tuple[str, str]], order: list[int]) -> list[tuple[str, str]]:
    """Reorder ``edges`` by ``order`` while keeping the incoming edges of each
    destination in their original relative order (they fix the operand order)."""
    by_dst: dict[str, list[tuple[str, str]]] = {}
    for e in edges:
        by_dst.setdefault(e[1], []).append(e)
    shuffled = [edges[i] for i in order]
    taken: dict[str, int] = {}
    out = []
    for e in shuffled:
        k = taken.get(e[1], 0)
        out.append(by_dst[e[1]][k])
        taken[e[1]] = k + 1
    return out


# ----------------------------------------------------------------------- architectures


def _vector(b: _Builder) -> tuple[str, tuple[int, ...]]:
    n = b.draw(st.integers(1, 5))
    return b.input((n,)), (n,)


def _chain(b: _Builder) -> tuple[int, ...]:
    src, shape = _vector(b)
    last, shape = b.chain(src, shape, b.draw(st.integers(1, 5)))
    b.output(last, shape)
    return (int(b.nodes["in"]["shape"][0]),)


def _recurrent(b: _Builder) -> tuple[int, ...]:
    src, shape = _vector(b)
    first, shape = b.chain(src, shape, b.draw(st.integers(0, 1)))
    if len(shape) != 1:
        node, shape = b.flatten(shape)
        f = b.add("f", node)
        b.edge(first, f)
        first = f
    sources, widths = [first], [shape[0]]
    if b.draw(st.booleans()):  # extra fan-in into the neuron
        sources.append(src)
        widths.append(int(b.nodes["in"]["shape"][0]))
        if b.draw(st.booleans()):
            sources.append(src)
            widths.append(widths[-1])
    # identical sources get separate weights, so the edges stay distinct
    prefix = b.draw(st.sampled_from([None, "lif1"]))
    neuron, m = b.recurrent_layer(sources, widths, prefix)
    if b.draw(st.booleans()):  # a second recurrent layer (Braille has one, then a plain one)
        neuron, m = b.recurrent_layer([neuron], [m], "lif2" if prefix else None)
    last, shape = b.chain(neuron, (m,), b.draw(st.integers(0, 2)))
    b.output(last, shape)
    return (int(b.nodes["in"]["shape"][0]),)


def _self_loop(b: _Builder) -> tuple[int, ...]:
    src, shape = _vector(b)
    last, shape = b.chain(src, shape, b.draw(st.integers(0, 1)))
    kinds = ["neuron", "neuron", "scale", "delay", "linear"] + (["threshold"] if b.spiking else [])
    kind = b.draw(st.sampled_from(kinds))
    if kind == "linear" and len(shape) != 1:
        kind = "scale"
    node = {
        "neuron": lambda: b.neuron(shape),
        "scale": lambda: b.scale(shape, "random"),
        "delay": lambda: b.delay(shape),
        "threshold": lambda: b.threshold(shape),
        "linear": lambda: b.matrix(shape[0], shape[0]),
    }[kind]()
    looped = b.add("loop", node)
    b.edge(last, looped)
    via = b.draw(st.sampled_from(["delay", "direct", "scale"]))
    if via == "direct":
        b.edge(looped, looped)
        b.features.add(f"self-loop on {node['type']}")
        b.features.add("self-loop")
    else:
        mid = b.add("back", b.delay(shape) if via == "delay" else b.scale(shape))
        b.edge(looped, mid)
        b.edge(mid, looped)
        b.features.add(f"loop through {via}")
    last, shape = b.chain(looped, shape, b.draw(st.integers(0, 2)))
    b.output(last, shape)
    return (int(b.nodes["in"]["shape"][0]),)


def _fan_in(b: _Builder) -> tuple[int, ...]:
    """Branches, duplicated stateless nodes (CSE), dead nodes, several outputs."""
    src, shape = _vector(b)
    stem, shape = b.chain(src, shape, b.draw(st.integers(0, 2)))
    m = b.draw(st.integers(1, 5)) if len(shape) == 1 else None
    ends = []
    if m is not None and b.draw(st.booleans()):
        # two identical matrices reading the same signal: cse merges them
        node = b.matrix(shape[0], m)
        twin = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in node.items()}
        ends += [b.add("w", node), b.add("w", twin)]
        for e in ends:
            b.edge(stem, e)
        b.features.add("cse twins")
        out_shape: tuple[int, ...] = (m,)
    else:
        node = b.scale(shape)
        twin = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in node.items()}
        ends += [b.add("s", node), b.add("s", twin)]
        for e in ends:
            b.edge(stem, e)
        b.features.add("cse twins")
        out_shape = shape
    if b.draw(st.booleans()):  # fan-in: both meet in one node
        meet = b.add("n", b.neuron(out_shape))
        for e in ends:
            b.edge(e, meet)
        last, out_shape = b.chain(meet, out_shape, b.draw(st.integers(0, 1)))
        b.output(last, out_shape)
    else:  # branches: one output each
        for e in ends:
            last, s = b.chain(e, out_shape, b.draw(st.integers(0, 1)))
            b.output(last, s, b.fresh_output())
    if b.draw(st.booleans()):  # a dead branch: no Output reads it
        dead = b.add("dead", b.neuron(shape))
        b.edge(stem, dead)
        b.features.add("dead branch")
    return (int(b.nodes["in"]["shape"][0]),)


def _conv(b: _Builder) -> tuple[int, ...]:
    c, h, w = b.draw(st.integers(1, 2)), b.draw(st.integers(3, 6)), b.draw(st.integers(3, 6))
    src = b.input((c, h, w))
    c_out = b.draw(st.integers(1, 3))
    k = b.draw(st.integers(1, 3))
    stride, pad = b.draw(st.integers(1, 2)), b.draw(st.integers(0, 1))
    while h + 2 * pad < k or w + 2 * pad < k:
        pad += 1
    ho, wo = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    conv = b.add(
        "conv",
        {
            "type": "Conv2d",
            "weight": b.arr((c_out, c, k, k), -0.5, 1.5),
            "bias": b.arr(c_out, -0.2, 0.4) if b.draw(st.booleans()) else np.zeros(c_out, b.dtype),
            "stride": np.array([stride, stride], dtype=np.int64),
            "padding": np.array([pad, pad], dtype=np.int64),
            "dilation": np.array([1, 1], dtype=np.int64),
            "groups": 1,
            "input_shape": np.array([h, w], dtype=np.int64),
        },
    )
    b.edge(src, conv)
    last, shape = conv, (c_out, ho, wo)
    if b.draw(st.booleans()):  # constant per channel: folded into the conv
        s = b.add("s", b.scale(shape, b.draw(st.sampled_from(["channel", "random", "channel", "ones"]))))
        b.edge(last, s)
        last = s
    n = b.add("n", b.neuron(shape))
    b.edge(last, n)
    last = n
    if b.draw(st.integers(0, 3)):
        kp = b.draw(st.integers(1, min(2, ho, wo)))
        sp = b.draw(st.integers(1, 2))
        pool = b.add(
            "pool",
            {
                "type": b.draw(st.sampled_from(["SumPool2d", "AvgPool2d"])),
                "kernel_size": np.array([kp, kp], dtype=np.int64),
                "stride": np.array([sp, sp], dtype=np.int64),
                "padding": np.array([0, 0], dtype=np.int64),
            },
        )
        b.edge(last, pool)
        last, shape = pool, (c_out, (ho - kp) // sp + 1, (wo - kp) // sp + 1)
        if b.draw(st.booleans()):
            s = b.add("s", b.scale(shape))
            b.edge(last, s)
            last = s
    node, shape = b.flatten(shape)
    f = b.add("f", node)
    b.edge(last, f)
    last, shape = b.chain(f, shape, b.draw(st.integers(0, 2)))
    b.output(last, shape)
    return (c, h, w)


def _nested(b: _Builder) -> tuple[int, ...]:
    src, shape = _vector(b)
    last, shape = b.chain(src, shape, b.draw(st.integers(0, 1)))
    if len(shape) != 1:
        node, shape = b.flatten(shape)
        f = b.add("f", node)
        b.edge(last, f)
        last = f
    inner = _Builder(b.draw, b.rng, b.dt, b.spiking, b.dtype, b.unfed)
    isrc = inner.input(shape, "input")
    if b.draw(st.booleans()):
        ilast, m = inner.recurrent_layer([isrc], [shape[0]], b.draw(st.sampled_from([None, "lif1"])))
        ishape: tuple[int, ...] = (m,)
    else:
        ilast, ishape = inner.chain(isrc, shape, b.draw(st.integers(1, 3)))
    inner.output(ilast, ishape, "output")
    b.features |= {f"nested {f}" for f in inner.features} | {"NIRGraph"}
    sub = b.add("sub", {"type": "NIRGraph", "nodes": inner.nodes, "edges": inner.edges, "metadata": {}})
    b.edge(last, sub if b.draw(st.booleans()) else f"{sub}.input")
    outputs = [n for n, d in inner.nodes.items() if d["type"] == "Output"]
    port = sub if len(outputs) == 1 and b.draw(st.booleans()) else f"{sub}.output"
    if b.draw(st.booleans()):  # the nested graph inside a cycle of the outer one
        if ishape == shape and b.draw(st.booleans()):
            back = b.add("back", b.delay(shape) if b.draw(st.booleans()) else b.scale(shape))
        else:
            back = b.add("back", b.matrix(ishape[0], shape[0]))
        b.edge(port, back)
        b.edge(back, f"{sub}.input")
        b.features.add("nested graph in a cycle")
    last, ishape = b.chain(port, ishape, b.draw(st.integers(0, 2)))
    b.output(last, ishape)
    return (int(b.nodes["in"]["shape"][0]),)


def _multi_entry(b: _Builder) -> tuple[int, ...]:
    """in -> a, in -> p -> b, a <-> b: a cycle entered at a and at b."""
    src, shape = _vector(b)
    a = b.add("a", b.neuron(shape) if b.draw(st.booleans()) else b.scale(shape))
    p = b.add("p", b.scale(shape))
    bb = b.add("b", b.neuron(shape) if b.draw(st.booleans()) else b.scale(shape))
    edges = [(src, a), (src, p), (p, bb), (a, bb), (bb, a)]
    for e in b.draw(st.permutations(edges)):
        b.edge(*e)
    b.output(bb, shape)
    b.features.add("multi-entry cycle")
    return (int(b.nodes["in"]["shape"][0]),)


_BUILDERS = {
    "chain": _chain,
    "recurrent": _recurrent,
    "self-loop": _self_loop,
    "fan-in": _fan_in,
    "conv": _conv,
    "nested": _nested,
    "multi-entry": _multi_entry,
}


#: Recurrences are what snn-fuse-recurrent and nir-fuse-recurrent need: drawn more often.
_WEIGHTS = {"recurrent": 4, "self-loop": 2, "conv": 2}


@st.composite
def pass_cases(
    draw: Any,
    archs: tuple[str, ...] = tuple(a for a in ARCHITECTURES if a != MULTI_ENTRY),
    spiking: bool = True,
    dt: float | None = None,
    unfed: bool = False,
) -> PassCase:
    """A random graph of one of ``archs`` with an input (see the module doc)."""
    weighted = [a for a in archs for _ in range(_WEIGHTS.get(a, 1))]
    arch = draw(st.sampled_from(weighted))
    dt = dt if dt is not None else draw(st.sampled_from(DTS))
    dtype = np.dtype(draw(st.sampled_from(["float32", "float64"])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    b = _Builder(draw, rng, dt, spiking, dtype, unfed)
    in_shape = _BUILDERS[arch](b)
    graph = b.graph()
    batch = draw(st.integers(1, 2))
    steps = draw(st.integers(5, 20))
    if draw(st.booleans()):
        x = (rng.random((batch, steps, *in_shape)) < draw(st.sampled_from([0.3, 0.6]))).astype(np.float64)
    else:
        x = rng.uniform(-0.5, 2.0, size=(batch, steps, *in_shape))
    batched = batch > 1 or draw(st.booleans())
    if not batched:
        x = x[0]
    return PassCase(
        graph=graph, x=x, dt=dt, arch=arch, spiking=spiking, batched=batched, features=b.features | {f"dtype {dtype}"}
    )
