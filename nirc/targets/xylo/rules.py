"""What Xylo can run: a discrete-time graph read as hidden and readout populations, and
the design rules.

Xylo lowers from the `snn` dialect (``convert-nir-to-snn{semantics=xylo}`` first, as
``nir-to-xylo`` does).  The chip is one network: up to 16 input channels, weights from
them to a hidden population, recurrent weights among the hidden neurons, weights from
the hidden neurons to a readout population whose spikes leave the chip.  So
:func:`analyse` reads a graph as

* one ``nir.input`` of at most 16 channels (1-D);
* *populations*: each spiking `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``) is
  one, fed only through Linear/Affine nodes that read the input or other populations;
* the *readout*: the one population the model's one ``nir.output`` reads; it reads
  hidden populations only, is not recurrent and feeds nothing else;
* the *hidden* populations: every other one, placed in id order (on Audio 3 and IMU
  those the input reaches first, those the readout reads last).

Every rule is a small function yielding :class:`~nirc.core.errors.Violation` s on the
offending node (rule ``xylo-*``, the limit and the value found); :func:`check` runs them
all and returns every violation at once.  The chip's numbers come from
:mod:`nirc.targets.xylo.resources`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import Violation
from nirc.core.node import node_name, shape_of
from nirc.dialects import nir, snn
from nirc.targets.xylo.resources import XyloChip

_WEIGHTS = (nir.LinearOp, nir.AffineOp)
#: what the profile must have chosen: the chip's spike test and reset
_CHIP_CHOICES = {"compare": ">=", "reset": "subtract", "spike_timing": "same", "reset_timing": "same"}


@dataclass
class Source:
    """One weight node feeding a population, and what it reads (None: the input)."""

    weight: Operation
    reads: Population | None
    #: the model delays this edge by one step (a cycle's back edge), as the chip does
    delayed: bool = False


@dataclass(eq=False)
class Population:
    """One `snn` neuron op, the weight nodes that feed it, and its place on the chip."""

    neuron: snn.SnnNeuronOp
    sources: list[Source] = field(default_factory=list)
    #: the first hidden (or readout) id, set by :func:`place`
    first: int = 0

    @property
    def name(self) -> str:
        return self.neuron.nir_name

    @property
    def size(self) -> int:
        shape = shape_of(self.neuron.results[0])
        return int(shape[0]) if len(shape) == 1 else int(np.prod(shape))

    @property
    def ids(self) -> range:
        return range(self.first, self.first + self.size)

    @property
    def reads_input(self) -> bool:
        return any(s.reads is None for s in self.sources)


@dataclass
class Analysis:
    """The graph as the chip sees it, and every rule it breaks."""

    input: nir.InputOp | None = None
    output: nir.OutputOp | None = None
    hidden: list[Population] = field(default_factory=list)
    readout: Population | None = None
    violations: list[Violation] = field(default_factory=list)

    @property
    def channels(self) -> int:
        return int(shape_of(self.input.output)[0]) if self.input is not None else 0

    @property
    def hidden_size(self) -> int:
        return sum(p.size for p in self.hidden)

    def readers_of_readout(self) -> list[Population]:
        """Hidden populations the readout reads."""
        assert self.readout is not None
        return [s.reads for s in self.readout.sources if s.reads is not None]


def _kind(op: Operation) -> str:
    return op.name


def dash(decay: np.ndarray) -> np.ndarray:
    """The chip's bit-shift for a per-step decay factor ``decay``: the nearest
    ``1 - 2^-dash`` in the log of the loss per step, ``round(-log2(1 - decay))``
    (rockpool's ``round(log2(tau/dt))`` for the Euler factor ``1 - dt/tau``), clipped to
    0 ... 15.  A factor of 1 (no leak) becomes 15, the slowest the chip has."""
    d = np.asarray(decay, np.float64)
    with np.errstate(divide="ignore"):
        loss = np.where(d < 1, -np.log2(np.clip(1.0 - d, 1e-300, None)), np.inf)
    return np.clip(np.round(np.where(np.isfinite(loss), loss, 15.0)), 0, 15).astype(np.int64)


# --------------------------------------------------------------------------- reading the graph


def analyse(graph: nir.GraphOp, chip: XyloChip) -> Analysis:
    """The input, the populations and the readout of ``graph`` (see the module doc),
    placed on ``chip``, with every violation."""
    a = Analysis()
    v = a.violations
    ops = list(graph.body.block.ops)
    inputs = [op for op in ops if isinstance(op, nir.InputOp)]
    outputs = [op for op in ops if isinstance(op, nir.OutputOp)]
    neurons = [op for op in ops if isinstance(op, snn.NEURON_OPS)]
    if len(inputs) != 1:
        v.append(
            Violation(
                "xylo-input",
                None,
                f"Xylo reads one input of channels, the model has {len(inputs)}",
                limit=1,
                actual=len(inputs),
            )
        )
    else:
        a.input = inputs[0]
        shape = shape_of(a.input.output)
        if len(shape) != 1:
            v.append(
                Violation(
                    "xylo-input",
                    a.input.nir_name,
                    f"Xylo's input is 1-D channels, got shape {list(shape)}",
                    actual=list(shape),
                )
            )
            a.input = None
    populations = {op: Population(op) for op in neurons}
    absorbed: set[Operation] = set()
    for pop in populations.values():
        _sources(pop, populations, v, absorbed)
    for op in ops:
        if op not in absorbed and not isinstance(op, (nir.InputOp, nir.OutputOp, *_WEIGHTS, *snn.NEURON_OPS)):
            v.append(
                Violation(
                    "xylo-unsupported", op.nir_name, f"Xylo has no {_kind(op)}: it runs weights and LIF neurons only"
                )
            )  # type: ignore[attr-defined]
    if not outputs:
        v.append(Violation("xylo-output", None, "Xylo's readout spikes leave through one Output: the model has none"))
    elif len(outputs) > 1:
        for out in outputs:
            v.append(
                Violation(
                    "xylo-output",
                    out.nir_name,
                    f"Xylo has one readout population: the model needs one Output, it has {len(outputs)}",
                    limit=1,
                    actual=len(outputs),
                )
            )
    elif len(outputs[0].inputs) != 1 or not isinstance(outputs[0].inputs[0].owner, snn.NEURON_OPS):
        v.append(
            Violation(
                "xylo-output",
                outputs[0].nir_name,
                f"Xylo's output is its readout neurons' spikes: the Output must read one layer of spiking neurons, it reads {', '.join(_what(x) for x in outputs[0].inputs) or 'nothing'}",
            )
        )
    else:
        a.output = outputs[0]
        a.readout = populations[outputs[0].inputs[0].owner]  # type: ignore[index]
    a.hidden = [p for p in populations.values() if p is not a.readout]
    if a.readout is not None and not a.hidden:
        v.append(
            Violation(
                "xylo-layers",
                a.readout.name,
                "Xylo needs a hidden and a readout layer (input -> hidden -> readout): this is the only neuron layer",
                limit=2,
                actual=1,
            )
        )
    return a


def _one_step_delay(value: SSAValue) -> SSAValue | None:
    """What a one-step ``snn.delay`` producing ``value`` reads, or None."""
    op = value.owner
    if isinstance(op, snn.DelayOp) and op.operands and bool(np.all(np.asarray(op.param("steps")) == 1)):
        return op.operands[0]
    return None


def _sources(
    pop: Population, populations: dict[Operation, Population], v: list[Violation], absorbed: set[Operation]
) -> None:
    """The weights feeding ``pop``.  A one-step ``snn.delay`` between neurons and weights
    (or weights and neurons), as ``convert-nir-to-snn`` puts on a cycle's back edge, is
    what the chip does on every hidden-to-hidden edge: the edge is marked delayed and the
    delay is no node of its own."""
    for value in pop.neuron.operands:
        delays: list[Operation] = []
        before = _one_step_delay(value)
        if before is not None:
            delays.append(value.owner)  # type: ignore[arg-type]
            value = before
        w = value.owner
        if not isinstance(w, _WEIGHTS):
            v.append(
                Violation(
                    "xylo-weights",
                    pop.name,
                    f"a neuron's input comes through weights on Xylo, '{pop.name}' reads {_what(value)} directly",
                )
            )
            continue
        reads = w.operands[0] if w.operands else None
        if reads is not None and not delays:
            after = _one_step_delay(reads)
            if after is not None:
                delays.append(reads.owner)  # type: ignore[arg-type]
                reads = after
        owner = reads.owner if reads is not None else None
        if isinstance(owner, nir.InputOp) and not delays:
            pop.sources.append(Source(w, None))
        elif isinstance(owner, snn.NEURON_OPS):
            pop.sources.append(Source(w, populations[owner], delayed=bool(delays)))
            absorbed.update(delays)
        elif isinstance(owner, nir.InputOp):
            v.append(
                Violation(
                    "xylo-weights",
                    w.nir_name,
                    f"Xylo's input reaches the hidden neurons in the same step: '{w.nir_name}' reads the input through a delay",
                )
            )
        else:
            v.append(
                Violation(
                    "xylo-weights",
                    w.nir_name,
                    f"weights read the input or neurons on Xylo, '{w.nir_name}' reads {_what(reads)}",
                )
            )


def _what(value: SSAValue | None) -> str:
    owner = value.owner if value is not None else None
    if isinstance(owner, Operation):
        name = node_name(owner)
        return f"{owner.name} '{name}'" if name else owner.name
    return "a graph input"


# --------------------------------------------------------------------------- placement


def place(a: Analysis, chip: XyloChip) -> None:
    """Hidden ids: on a chip with windows, the populations the input reaches first and
    those the readout reads last (rockpool's IMU/Audio 3 mapper does the same); the
    others between, in the model's order."""
    if a.readout is not None:
        to_readout = {id(p) for p in a.readers_of_readout()}
    else:
        to_readout = set()
    if chip.input_window is not None or chip.output_window is not None:
        first = [p for p in a.hidden if p.reads_input and id(p) not in to_readout]
        last = [p for p in a.hidden if id(p) in to_readout]
        middle = [p for p in a.hidden if p not in first and p not in last]
        a.hidden = first + middle + last
    start = 0
    for p in a.hidden:
        p.first = start
        start += p.size
    if a.readout is not None:
        a.readout.first = 0


# --------------------------------------------------------------------------- the rules

Rule = Callable[[Analysis, XyloChip], Iterator[Violation]]


def _neurons(a: Analysis, chip: XyloChip) -> Iterator[Violation]:
    """Each population spikes, is 1-D, uses the chip's spike test and reset, has
    positive thresholds and a decay the chip holds."""
    for p in [*a.hidden, *([a.readout] if a.readout else [])]:
        n = p.neuron
        shape = shape_of(n.results[0])
        if len(shape) != 1:
            yield Violation(
                "xylo-shape",
                p.name,
                f"Xylo's neurons are one population of ids, got shape {list(shape)}",
                actual=list(shape),
            )
        if p is a.readout and not n.resets:
            continue  # an LI: read out as membranes (rockpool's Vmem output)
        if not n.resets or n.choice("output") != "spikes":
            yield Violation(
                "xylo-spiking",
                p.name,
                "hidden neurons reach the others by spiking on Xylo: this layer has no threshold "
                "(only the readout may be read as membranes)"
                if p is not a.readout
                else "the readout sends spikes, or (without a threshold, an LI) its membranes: this one's "
                "membrane is read although it spikes",
            )
            continue
        for key, want in _CHIP_CHOICES.items():
            got = n.choice(key)
            if got != want:
                yield Violation(
                    "xylo-semantics",
                    p.name,
                    f"Xylo's neurons have {key} {want!r}, this one {got!r} (lower with semantics=xylo)",
                    limit=want,
                    actual=got,
                )
        th = np.asarray(n.param("threshold"), np.float64)
        if th.size and not (th > 0).all():
            yield Violation(
                "xylo-threshold",
                p.name,
                f"thresholds must be > 0, got {float(th.min())}",
                limit=">0",
                actual=float(th.min()),
            )
        for key in ("decay", "syn_decay"):
            d = n.opt_param(key)
            if d is not None and d.size and (float(np.min(d)) < 0 or float(np.max(d)) > 1):
                yield Violation(
                    "xylo-decay",
                    p.name,
                    f"'{key}' must lie in [0, 1] (a bit-shift decay), got values in [{float(np.min(d))}, {float(np.max(d))}]",
                )


def _readout(a: Analysis, chip: XyloChip) -> Iterator[Violation]:
    """The readout reads hidden neurons only, is not recurrent, feeds nothing else."""
    r = a.readout
    if r is None:
        return
    if r.neuron.RECURRENT or any(s.reads is r for s in r.sources):
        yield Violation("xylo-readout-recurrent", r.name, "Xylo's readout neurons are not recurrent")
    if r.reads_input:
        yield Violation("xylo-readout-source", r.name, "Xylo's readout reads hidden neurons only, not the input")
    readers = [u.operation for u in r.neuron.results[0].uses if not isinstance(u.operation, nir.OutputOp)]
    if readers:
        yield Violation(
            "xylo-readout-fanout", r.name, "the readout's spikes leave the chip: they cannot feed other nodes"
        )
    for p in a.hidden:
        if not any(u.operation for u in p.neuron.results[0].uses):
            continue
        if any(isinstance(u.operation, nir.OutputOp) for u in p.neuron.results[0].uses):
            yield Violation(
                "xylo-output", p.name, "only the readout's spikes leave Xylo: an Output reads hidden neurons"
            )


def _counts(a: Analysis, chip: XyloChip) -> Iterator[Violation]:
    if a.input is not None and a.channels > chip.input_channels:
        yield Violation(
            "xylo-input-channels",
            a.input.nir_name,
            f"{a.channels} input channels, Xylo has {chip.input_channels}",
            limit=chip.input_channels,
            actual=a.channels,
        )
    if a.hidden_size > chip.hidden:
        yield Violation(
            "xylo-hidden-count",
            None,
            f"{a.hidden_size} hidden neurons, {chip.product} has {chip.hidden}",
            limit=chip.hidden,
            actual=a.hidden_size,
        )
    if a.readout is not None and a.readout.size > chip.readout:
        yield Violation(
            "xylo-readout-count",
            a.readout.name,
            f"{a.readout.size} readout neurons, {chip.product} has {chip.readout}",
            limit=chip.readout,
            actual=a.readout.size,
        )


def _windows(a: Analysis, chip: XyloChip) -> Iterator[Violation]:
    """Audio 3 and IMU: the input reaches the first 128 hidden ids, the readout reads
    the last 128."""
    n = a.hidden_size
    for p in a.hidden:
        if chip.input_window is not None and p.reads_input and p.ids.stop > chip.input_window:
            yield Violation(
                "xylo-input-window",
                p.name,
                f"the input reaches hidden ids 0..{chip.input_window - 1} on {chip.product}; '{p.name}' needs ids {p.ids.start}..{p.ids.stop - 1}",
                limit=chip.input_window,
                actual=p.ids.stop,
            )
    if a.readout is None or chip.output_window is None:
        return
    for p in a.readers_of_readout():
        if p.ids.start < n - chip.output_window:
            yield Violation(
                "xylo-output-window",
                p.name,
                f"the readout reads the last {chip.output_window} hidden ids ({max(0, n - chip.output_window)}..{n - 1}) on {chip.product}; '{p.name}' has ids {p.ids.start}..{p.ids.stop - 1}",
                limit=chip.output_window,
                actual=n - p.ids.start,
            )


def _fanout(a: Analysis, chip: XyloChip) -> Iterator[Violation]:
    """Per hidden neuron, the non-zero recurrent weights it sends; in all, those the
    chip's recurrent memory holds."""
    sends: dict[int, np.ndarray] = {id(p): np.zeros(p.size, np.int64) for p in a.hidden}
    total = 0
    for post in a.hidden:
        for s in post.sources:
            if s.reads is None or id(s.reads) not in sends:
                continue
            nz = np.asarray(s.weight.param("weight")) != 0  # type: ignore[attr-defined]
            sends[id(s.reads)] += nz.sum(axis=0)
            total += int(nz.sum())
        if post.neuron.RECURRENT:
            nz = np.asarray(post.neuron.param("w_rec")) != 0
            sends[id(post)] += nz.sum(axis=0)
            total += int(nz.sum())
    for p in a.hidden:
        worst = int(sends[id(p)].max()) if p.size else 0
        if worst > chip.max_fanout:
            yield Violation(
                "xylo-fanout",
                p.name,
                f"a hidden neuron sends {worst} recurrent weights, {chip.product} allows {chip.max_fanout}",
                limit=chip.max_fanout,
                actual=worst,
            )
    if total > chip.recurrent_memory:
        yield Violation(
            "xylo-recurrent-memory",
            None,
            f"{total} non-zero recurrent weights, {chip.product} holds {chip.recurrent_memory}",
            limit=chip.recurrent_memory,
            actual=total,
        )


RULES: tuple[Rule, ...] = (_neurons, _readout, _counts, _windows, _fanout)


def check(graph: nir.GraphOp, chip: XyloChip) -> Analysis:
    """Read ``graph`` for ``chip`` and run every rule: the analysis, with all violations."""
    a = analyse(graph, chip)
    place(a, chip)
    for rule in RULES:
        a.violations.extend(rule(a, chip))
    # in the graph's order of the nodes they name (the whole model's first), stable
    position = {node_name(op): i for i, op in enumerate(graph.body.block.ops)}
    a.violations.sort(key=lambda v: -1 if v.node is None else position.get(v.node, len(position)))
    return a
