"""``convert-snn-to-spinnaker2``: a quantized discrete-time graph as py-spinnaker2's
populations and projections.

Precondition: ``convert-nir-to-snn{semantics=spinnaker2}`` ran (forward or exponential
Euler, no input delay), the nested graphs inlined, the recurrences fused, and
``quantize{weight-bits=8 symmetric=true float-roles="bias,threshold"}`` made each layer's
weights the chip's ±127 integers with the neuron's gains folded in (``nir-to-spinnaker2``
runs all of these).  Every rule runs first (``[spinnaker2-*]``, one line per node, all at
once); then each `snn` neuron op becomes one ``spinnaker2.population`` of its name:

* ``snn.leaky`` / ``snn.rleaky``: ``lif_no_delay`` (``lif_conv2d`` when every projection
  into it is a plain convolution: ``Conv2DProjection`` targets only that model);
  ``snn.synaptic`` / ``snn.rsynaptic``: ``lif_curr_exp_no_delay`` (``exc_decay =
  inh_decay = syn_decay``);
* ``alpha_decay = decay``, ``threshold``, ``v_reset`` and ``i_offset = bias`` (scaled by
  quantize; an Affine's or Conv2d's bias and ``b_rec`` join ``i_offset``: exactly for a
  neuron without a synaptic current, at its steady state ``b / (1 - syn_decay)`` for a
  current-based one, whose offset enters the membrane); ``reset_to_v_reset`` or
  ``reset_by_subtraction``;
* each Linear / Affine into it (maybe through a Flatten) a ``spinnaker2.projection`` from
  the input or the population it reads; each Conv2d a ``spinnaker2.conv2d`` (a
  ``Conv2DProjection``) into a ``lif_conv2d``, or, into a current-based neuron (which
  py-spinnaker2's Conv2DProjection cannot target) or with dilation or groups, its
  connection list (the convolution unrolled: more synapse memory, same sums);
* ``w_rec`` the population's recurrent projection ``weight_rec``;
* ``max_atoms_per_core``: the most neurons (up to 250) whose synapses fit a PE
  (:mod:`nirc.targets.spinnaker2.resources`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import build, erase_nodes, rewrite_session
from nirc.core.shapes import per_dim
from nirc.dialects import nir, snn
from nirc.dialects.nir import top_graph
from nirc.dialects.nir.kernels import conv_nd
from nirc.dialects.snn.discretization import DISCRETIZATION
from nirc.targets.spinnaker2 import dialect as s2
from nirc.targets.spinnaker2.resources import SPINNAKER2, SpiNNaker2Chip

_WEIGHTS = (nir.LinearOp, nir.AffineOp, nir.Conv2dOp)
#: what the profile must have chosen
_CHOICES = {"compare": ">", "spike_timing": "same", "reset_timing": "same", "order": "leak-then-integrate"}


@dataclass(eq=False)
class Feeder:
    """One weight node into a neuron: the node, the Flatten it reads through, its source."""

    weight: Operation
    source: SSAValue
    flatten: Operation | None = None


@dataclass(eq=False)
class Pop:
    neuron: snn.SnnNeuronOp
    feeders: list[Feeder]

    @property
    def name(self) -> str:
        return self.neuron.nir_name

    @property
    def synaptic(self) -> bool:
        return self.neuron.discrete().synaptic

    def conv_native(self) -> bool:
        """Every feeder a plain Conv2d into a neuron without a current: ``lif_conv2d``."""
        return (
            not self.synaptic
            and bool(self.feeders)
            and all(isinstance(f.weight, nir.Conv2dOp) and _plain_conv(f.weight) for f in self.feeders)
        )


def _plain_conv(w: nir.Conv2dOp) -> bool:
    dilation = per_dim(w.param("dilation"), 2, "dilation")
    return dilation == (1, 1) and int(np.asarray(w.param("groups")).reshape(-1)[0]) == 1


def conv_padding(w: nir.Conv2dOp) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) zero padding of a Conv2d ('same' as PyTorch pads it)."""
    pad = w.padding
    if not isinstance(pad, StringAttr):
        ph, pw = per_dim(pad.array, 2, "padding")
        return (ph, ph, pw, pw)
    if pad.data == "valid":
        return (0, 0, 0, 0)
    dilation = per_dim(w.param("dilation"), 2, "dilation")
    th, tw = (d * (k - 1) for d, k in zip(dilation, w.param("weight").shape[2:], strict=True))
    return (th // 2, th - th // 2, tw // 2, tw - tw // 2)


def unrolled(w: nir.Conv2dOp) -> np.ndarray:
    """A Conv2d's dense ``(post, pre)`` matrix: its response to each input neuron alone."""
    shape = shape_of(w.operands[0])
    n = int(np.prod(shape))
    top, bottom, left, right = conv_padding(w)
    eye = np.eye(n).reshape(n, *shape)
    out = conv_nd(
        eye,
        np.asarray(w.param("weight"), np.float64),
        per_dim(w.param("stride"), 2, "stride"),
        ((top, bottom), (left, right)),
        per_dim(w.param("dilation"), 2, "dilation"),
        int(np.asarray(w.param("groups")).reshape(-1)[0]),
    )
    return np.rint(out.reshape(n, -1).T).astype(np.int64)


# --------------------------------------------------------------------------- rules


def _source(value: SSAValue) -> tuple[SSAValue, Operation | None]:
    owner = value.owner
    if isinstance(owner, nir.FlattenOp):
        return owner.operands[0], owner
    return value, None


def analyse(graph: nir.GraphOp) -> tuple[list[Pop], list[Violation]]:
    """The populations of ``graph`` and every rule it breaks."""
    ops = list(graph.body.block.ops)
    v: list[Violation] = []
    used: set[Operation] = set()
    pops: list[Pop] = []
    for op in ops:
        if not isinstance(op, snn.NEURON_OPS):
            continue
        feeders: list[Feeder] = []
        for value in op.operands:
            w = value.owner
            if not isinstance(w, _WEIGHTS):
                what = getattr(w, "name", "a block argument")
                v.append(
                    Violation(
                        "spinnaker2-weights",
                        op.nir_name,
                        f"a population's input comes through projections (Linear, Affine, Conv2d), '{op.nir_name}' "
                        f"reads {what}",
                    )
                )
                continue
            used.add(w)
            source, flat = _source(w.operands[0])
            if flat is not None:
                used.add(flat)
            if not isinstance(source.owner, (nir.InputOp, *snn.NEURON_OPS)):
                v.append(
                    Violation(
                        "spinnaker2-source",
                        w.nir_name,
                        f"a projection reads spikes (the input or a population), '{w.nir_name}' reads "
                        f"{getattr(source.owner, 'name', 'a block argument')}",
                    )
                )
                continue
            feeders.append(Feeder(w, source, flat))
        pops.append(Pop(op, feeders))
        v.extend(neuron_rules(op))
    for op in ops:
        if op in used or isinstance(op, (nir.InputOp, nir.OutputOp, *snn.NEURON_OPS)):
            continue
        v.append(
            Violation(
                "spinnaker2-unsupported",
                op.nir_name,  # type: ignore[attr-defined]
                f"SpiNNaker2's networks are populations and projections: {op.name} has no mapping",
            )
        )
    for op in ops:
        if isinstance(op, nir.OutputOp) and not all(isinstance(x.owner, snn.NEURON_OPS) for x in op.operands):
            v.append(Violation("spinnaker2-output", op.nir_name, "an Output records one population's spikes"))
    for pop in pops:
        v.extend(_constant_current(pop))
    return pops, v


def neuron_rules(op: snn.SnnNeuronOp) -> Iterator[Violation]:
    name = op.nir_name
    d = op.discrete()
    if not d.resets or d.output != "spikes":
        yield Violation(
            "spinnaker2-readout", name, "SpiNNaker2's populations spike: a neuron read as a membrane has no model"
        )
        return
    for key, want in _CHOICES.items():
        got = getattr(d, key)
        if got != want:
            yield Violation(
                "spinnaker2-neuron",
                name,
                f"SpiNNaker2's LIF has {key.replace('_', '-')} {want}, the model has {got} "
                "(discretize with the spinnaker2 profile)",
            )
    if d.reset not in ("value", "subtract"):
        yield Violation("spinnaker2-neuron", name, f"SpiNNaker2 resets to v_reset or by subtraction, not '{d.reset}'")
    if d.multi_spike or d.state_bits is not None:
        yield Violation("spinnaker2-neuron", name, "SpiNNaker2's LIF sends one spike per step, in float32")
    gains = [d.gain] + ([d.syn_gain] if d.synaptic else [])
    if any(np.any(np.asarray(g) != 1) for g in gains) or op.properties.get("scale") is None:
        yield Violation(
            "spinnaker2-quantize",
            name,
            "the weights into a population are the chip's integers, its gains folded in (run quantize{weight-bits=8 "
            "symmetric=true} first; a layer whose input is not all through its own weights is not quantized)",
        )
    for key, arr in (("decay", d.decay), ("syn_decay", d.syn_decay)):
        if arr is not None and np.asarray(arr).size and not (np.min(arr) >= 0 and np.max(arr) <= 1):
            yield Violation("spinnaker2-neuron", name, f"SpiNNaker2's decays lie in [0, 1]: '{key}' does not")


def _constant(pop: Pop) -> np.ndarray | None:
    total = None
    for f in pop.feeders:
        b = f.weight.opt_param("bias") if isinstance(f.weight, (nir.AffineOp, nir.Conv2dOp)) else None  # type: ignore[attr-defined]
        if b is not None and np.any(b):
            shape = shape_of(pop.neuron.results[0])
            b = np.asarray(b, np.float64)
            b = b.reshape(-1, *([1] * (len(shape) - 1))) if isinstance(f.weight, nir.Conv2dOp) else b
            total = np.broadcast_to(b, shape) + (0.0 if total is None else total)
    if pop.neuron.RECURRENT:
        b_rec = pop.neuron.opt_param("b_rec")
        if b_rec is not None and np.any(b_rec):
            total = np.asarray(b_rec, np.float64) + (0.0 if total is None else total)
    return total


def _constant_current(pop: Pop) -> Iterator[Violation]:
    syn = pop.neuron.discrete().syn_decay
    if pop.synaptic and _constant(pop) is not None and np.any(np.asarray(syn) >= 1):
        yield Violation(
            "spinnaker2-constant-current",
            pop.name,
            "a constant input (an Affine's or Conv2d's bias, b_rec) into a synaptic current that never leaks grows "
            "without bound: lif_curr_exp_no_delay's offset cannot hold it",
        )


# --------------------------------------------------------------------------- parameters


def population_params(pop: Pop, chip: SpiNNaker2Chip = SPINNAKER2) -> dict[str, Any]:
    d = pop.neuron.discrete()
    shape = shape_of(pop.neuron.results[0])

    def per(a: Any) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(np.asarray(a, np.float64), shape), np.float32)

    offset = np.asarray(d.bias, np.float64)
    constant = _constant(pop)
    if constant is not None:  # a current-based neuron's at its steady state (the report names it)
        offset = offset + (constant / (1.0 - np.asarray(d.syn_decay, np.float64)) if pop.synaptic else constant)
    model = "lif_conv2d" if pop.conv_native() else ("lif_curr_exp_no_delay" if pop.synaptic else "lif_no_delay")
    params: dict[str, Any] = {
        "neuron_model": StringAttr(model),
        "threshold": per(d.threshold),
        "alpha_decay": per(d.decay),
        "i_offset": per(offset),
        "v_reset": per(d.v_reset if d.v_reset is not None else 0.0),
        "reset": StringAttr("reset_to_v_reset" if d.reset == "value" else "reset_by_subtraction"),
    }
    if pop.synaptic:
        params["exc_decay"] = per(d.syn_decay)
        params["inh_decay"] = per(d.syn_decay)
    if pop.neuron.RECURRENT:
        params["weight_rec"] = np.asarray(pop.neuron.param("w_rec"), np.int64)
    scale = pop.neuron.properties.get("scale")
    if scale is not None:
        params["scale"] = scale
    return params


def projection_weights(f: Feeder, native: bool) -> np.ndarray:
    """The integer weights of one projection: the kernel (native conv) or ``(post, pre)``."""
    w = f.weight
    if isinstance(w, nir.Conv2dOp):
        return np.asarray(w.param("weight"), np.int64) if native else unrolled(w)
    return np.asarray(w.param("weight"), np.int64)  # type: ignore[attr-defined]


def memory_rules(
    pop: Pop, weights: list[np.ndarray], native: bool, chip: SpiNNaker2Chip
) -> tuple[int, list[Violation]]:
    """``max_atoms_per_core`` of a population, or the violation when one neuron does not fit a PE."""
    nb = chip.curr_exp_neuron_bytes if pop.synaptic else chip.lif_neuron_bytes
    if native:  # a Conv2DProjection stores its kernel once per PE and computes the synapses from it
        synapses, rows = 0, 0
        kernels = sum(int(w.size) for w in weights)
    else:
        synapses = sum(int(np.count_nonzero(w, axis=1).max(initial=0)) for w in weights)
        rows = sum(int(w.shape[1]) for w in weights)
        kernels = 0
    if pop.neuron.RECURRENT:
        rec = np.asarray(pop.neuron.param("w_rec"))
        synapses += int(np.count_nonzero(rec, axis=1).max(initial=0))
        rows += int(rec.shape[1])
    atoms = chip.atoms_fitting(nb, synapses, rows, kernels)
    if atoms < 1:
        need = chip.slice_bytes(1, nb, synapses, rows, kernels)
        return 1, [
            Violation(
                "spinnaker2-memory",
                pop.name,
                f"one neuron's synapses and rows need {need} bytes, a PE has {chip.usable_bytes} for them",
                limit=chip.usable_bytes,
                actual=need,
            )
        ]
    return atoms, []


def convert(graph: nir.GraphOp, rewriter: PatternRewriter, chip: SpiNNaker2Chip = SPINNAKER2) -> None:
    block = graph.body.block
    if any(isinstance(op, s2.PopulationOp) for op in block.ops):
        return
    pops, violations = analyse(graph)
    if not pops and not violations:
        violations.append(Violation("spinnaker2-populations", None, "the model has no population of spiking neurons"))
    inputs = [op for op in block.ops if isinstance(op, nir.InputOp)]
    plans = []
    if not violations:
        for pop in pops:
            native = pop.conv_native()
            weights = [projection_weights(f, native) for f in pop.feeders]
            atoms, v = memory_rules(pop, weights, native, chip)
            violations.extend(v)
            plans.append((pop, native, weights, atoms))
    if violations:
        raise Violations("spinnaker2", violations)
    new: dict[SSAValue, SSAValue] = {op.output: op.output for op in inputs}
    at: Operation = inputs[0] if inputs else next(iter(block.ops))
    # populations in an order where each comes after what it reads (a cycle: refused above)
    pending = list(plans)
    keep: list[Operation] = []
    while pending:
        ready = [p for p in pending if all(f.source in new for f in p[0].feeders)]
        if not ready:
            names = ", ".join(sorted(p[0].name for p in pending))
            raise Violations(
                "spinnaker2",
                [Violation("spinnaker2-loop", None, f"populations read each other round a loop: {names}")],
            )
        for pop, native, weights, atoms in ready:
            pending.remove((pop, native, weights, atoms))
            syn = []
            post = shape_of(pop.neuron.results[0])
            for f, w in zip(pop.feeders, weights, strict=True):
                name = f.weight.nir_name  # type: ignore[attr-defined]
                if native:
                    assert isinstance(f.weight, nir.Conv2dOp)
                    params = {
                        "weight": w,
                        "stride": np.asarray(per_dim(f.weight.param("stride"), 2, "stride"), np.int64),
                        "padding": np.asarray(conv_padding(f.weight), np.int64),
                    }
                    op = build(s2.Conv2dOp, name, [new[f.source]], params, (2, *post))
                else:
                    op = build(s2.ProjectionOp, name, [new[f.source]], {"weight": w}, (2, *post))
                rewriter.insert(op, InsertPoint.after(at))
                at = op
                syn.append(op.results[0])
                keep.append(op)
            params = population_params(pop, chip)
            params["max_atoms_per_core"] = IntegerAttr(atoms, i64)
            op = build(s2.PopulationOp, pop.name, syn, params, post)
            if "metadata" in pop.neuron.properties:
                op.properties["metadata"] = pop.neuron.properties["metadata"]
            rewriter.insert(op, InsertPoint.after(at))
            at = op
            keep.append(op)
            new[pop.neuron.results[0]] = op.results[0]
    for pop, *_ in plans:
        rewriter.replace_uses_with_if(
            pop.neuron.results[0], new[pop.neuron.results[0]], lambda use: isinstance(use.operation, nir.OutputOp)
        )
    outputs = [op for op in block.ops if isinstance(op, nir.OutputOp)]
    kept = {*inputs, *outputs, *keep}
    erase_nodes(
        rewriter,
        [op for op in block.ops if op not in kept],
        keep_names={op.nir_name for op in keep},  # type: ignore[attr-defined]
    )
    graph.attributes.pop(DISCRETIZATION, None)


@dataclass(frozen=True)
class ConvertSnnToSpiNNaker2Pass(ModulePass):
    """Map a quantized discrete-time graph onto py-spinnaker2's populations and projections;
    every rule is checked first and all violations are reported at once."""

    name: ClassVar[str] = "convert-snn-to-spinnaker2"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        with rewrite_session():
            convert(graph, PatternRewriter(graph))
