"""``convert-snn-to-xylo``: a discrete-time graph as Xylo's hidden and readout populations.

Precondition: ``convert-nir-to-snn{semantics=xylo}`` ran (``nir-to-xylo`` runs both), so
the neurons spike at ``v >= threshold`` and reset by subtraction.  Every design rule
(:mod:`nirc.targets.xylo.rules`) runs first, for the chip of ``{chip=audio2|audio3|imu}``,
and the pass fails with all the violations at once (``[xylo-*]``, one line each) or
replaces the graph's nodes by one ``xylo.hidden`` and one ``xylo.readout``:

* each population's ids are the placement's; its weights from the input go to ``w_in``,
  from hidden populations (its own recurrence included) to ``w_rec``, the readout's to
  ``w_out``: ``[post, pre]`` blocks, synapse 0;
* the decays become bit-shifts, ``dash = round(-log2(1 - decay))`` (0 ... 15; at least
  1 for a synaptic current, which ``dash_syn = 0`` would clear before the membrane reads it);
* Xylo adds this step's input to the synaptic current and decays it before the membrane
  reads it, ``i <- (i + W x)(1 - 2^-dash_syn)``; so each neuron's weights are multiplied
  such that an input's whole charge on the membrane is the model's: ``W_chip d / (1 - d)
  = gain syn_gain W / (1 - syn_decay)`` with ``d`` the chip's synaptic factor (where the
  decay rounds to its shift exactly, as on the chip, the current of each step is the
  model's too; ``integrate-then-leak`` models also multiply by the membrane decay, which
  their current passes through);
* a neuron without a synaptic current (``snn.leaky``) gets the chip's fastest one,
  ``dash_syn = 1``, with the weights as they are: an input's whole charge reaches the
  membrane, over a few steps instead of at once (``docs/targets/xylo.md``);
* the neurons' bias is the chip's membrane bias; an Affine's bias and ``b_rec`` (a
  constant input current) have no place on the chip and join it at the model's steady
  state, ``gain * syn_gain * b / (1 - syn_decay)`` on top of the bias;
* a readout the model reads as membranes (an LI, no spikes) is read out as membranes
  (``output = "membrane"``, rockpool's ``output_mode="Vmem"``), with the threshold
  :func:`never_reached` (the chip then resets only a saturated membrane), and
  ``quantize`` puts a ``nir.scale`` of ``1/scale`` after it;
* weights stay floats (the model's type, at least float32) until ``quantize``.

Not exact: the decays round to bit-shifts, hidden-to-hidden and hidden-to-readout
weights deliver a step later than the model's, at most 31 spikes per hidden neuron
and 1 per readout neuron leave per step.  The target's report measures the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.errors import Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.integers import int_range
from nirc.core.rewriting import build, erase_nodes, fresh_name, rewrite_session
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.dialects.snn.discretization import DISCRETIZATION
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.resources import CHIPS, DEFAULT_CHIP
from nirc.targets.xylo.rules import Analysis, Population, check, dash

#: the synaptic shift of a neuron that has no synaptic current
ADDED_SYNAPSE_DASH = 1
#: the largest 16-bit threshold
HI = int_range(16)[1]


@dataclass
class Mapped:
    """One population's chip parameters (floats), in its ids' order."""

    factor: np.ndarray
    #: None for neurons without one (an LI read out as membranes)
    threshold: np.ndarray | None
    bias: np.ndarray
    dash_mem: np.ndarray
    dash_syn: np.ndarray
    #: the membrane bias per unit of a constant input (an Affine's bias), at steady state
    steady: np.ndarray


def _mapped(p: Population) -> Mapped:
    n = p.neuron
    d = n.discrete()
    gain = np.asarray(d.gain, np.float64).reshape(-1)
    dash_mem = dash(d.decay).reshape(-1)
    steady = gain.copy()
    if d.synaptic:
        # a synaptic shift of 0 would clear the current before the membrane reads it (the
        # chip's i -= i >> 0): the fastest that passes input on is 1
        dash_syn = np.maximum(dash(d.syn_decay).reshape(-1), ADDED_SYNAPSE_DASH)  # type: ignore[arg-type]
        gain = gain * np.asarray(d.syn_gain, np.float64).reshape(-1)
        syn = np.asarray(d.syn_decay, np.float64).reshape(-1)
        chip = 1.0 - np.exp2(-dash_syn.astype(np.float64))
        # the model's steady current per unit input; where it never leaks, the chip's
        leak = np.where(syn < 1, 1.0 - syn, 1.0 - chip)
        steady = gain * (syn if d.order == "integrate-then-leak" else 1.0) / leak
        # an input's whole charge is the model's: chip w d/(1 - d) = model g/(1 - syn)
        factor = steady * (1.0 - chip) / chip
    else:
        dash_syn = np.full(dash_mem.shape, ADDED_SYNAPSE_DASH, np.int64)
        # the added current passes on an input's whole charge over the steps (w/2 + w/4 + ... = w)
        factor = gain
    if d.order == "integrate-then-leak":
        decay = np.asarray(d.decay, np.float64).reshape(-1)
        factor, steady = factor * decay, steady * decay
    bias = np.asarray(d.bias, np.float64).reshape(-1).copy()
    threshold = None if d.threshold is None else np.asarray(d.threshold, np.float64).reshape(-1)
    return Mapped(factor, threshold, bias, dash_mem, dash_syn, steady)


def never_reached(w: np.ndarray) -> np.ndarray:
    """A threshold for neurons read out as membranes (which the model does not reset):
    per neuron ``32767 / 127`` times its largest weight, which ``quantize`` (scaling the
    largest weight to 127) turns into the chip's largest threshold, 32767, so the chip
    resets only a membrane that saturates.  1 for a neuron without weights."""
    wmax = np.max(np.abs(np.asarray(w, np.float64)), axis=1, initial=0.0)
    return np.where(wmax > 0, wmax * (HI / 127.0), 1.0)


def _constant_current(w: Operation) -> np.ndarray | None:
    b = w.opt_param("bias") if isinstance(w, nir.AffineOp) else None  # type: ignore[attr-defined]
    return None if b is None or not np.any(b) else np.asarray(b, np.float64)


def _steady(m: Mapped, current: np.ndarray) -> np.ndarray:
    """The membrane bias that a constant input ``current`` adds per step at steady state."""
    return m.steady * current


def build_ops(a: Analysis, dtype: np.dtype) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The hidden and readout parameters (floats) of an analysed, placed graph."""
    assert a.readout is not None
    n, c, m = a.hidden_size, a.channels, a.readout.size
    w_in = np.zeros((n, c, 1))
    w_rec = np.zeros((n, n, 1))
    hidden = {k: np.zeros(n) for k in ("threshold", "bias")}
    dash_mem = np.zeros(n, np.int64)
    dash_syn = np.zeros((n, 1), np.int64)
    for p in a.hidden:
        mp = _mapped(p)
        ids = slice(p.ids.start, p.ids.stop)
        hidden["threshold"][ids], hidden["bias"][ids] = mp.threshold, mp.bias
        dash_mem[ids], dash_syn[ids, 0] = mp.dash_mem, mp.dash_syn
        for s in p.sources:
            w = np.asarray(s.weight.param("weight"), np.float64) * mp.factor[:, None]  # type: ignore[attr-defined]
            if s.reads is None:
                w_in[ids, :, 0] += w
            else:
                w_rec[ids, s.reads.ids.start : s.reads.ids.stop, 0] += w
            b = _constant_current(s.weight)
            if b is not None:
                hidden["bias"][ids] += _steady(mp, b)
        if p.neuron.RECURRENT:
            w_rec[ids, ids, 0] += np.asarray(p.neuron.param("w_rec"), np.float64) * mp.factor[:, None]
            b_rec = p.neuron.opt_param("b_rec")
            if b_rec is not None and np.any(b_rec):
                hidden["bias"][ids] += _steady(mp, np.asarray(b_rec, np.float64))
    mr = _mapped(a.readout)
    w_out = np.zeros((m, n))
    bias_out = mr.bias.copy()
    for s in a.readout.sources:
        assert s.reads is not None
        w_out[:, s.reads.ids.start : s.reads.ids.stop] += (
            np.asarray(s.weight.param("weight"), np.float64) * mr.factor[:, None]
        )  # type: ignore[attr-defined]
        b = _constant_current(s.weight)
        if b is not None:
            bias_out += _steady(mr, b)
    hidden_params = {
        "w_in": w_in.astype(dtype),
        "w_rec": w_rec.astype(dtype),
        "threshold": hidden["threshold"].astype(dtype),
        "bias": hidden["bias"].astype(dtype),
        "dash_mem": dash_mem,
        "dash_syn": dash_syn,
    }
    threshold_out = mr.threshold if mr.threshold is not None else never_reached(w_out)
    readout_params = {
        "w_out": w_out.astype(dtype),
        "threshold": threshold_out.astype(dtype),
        "bias": bias_out.astype(dtype),
        "dash_mem": mr.dash_mem,
        "dash_syn": mr.dash_syn,
    }
    return hidden_params, readout_params


def _populations(pops: list[Population]) -> dict[str, ArrayAttr | np.ndarray]:
    return {
        "populations": ArrayAttr([StringAttr(p.name) for p in pops]),
        "population_sizes": np.array([p.size for p in pops], np.int64),
    }


def convert(graph: nir.GraphOp, rewriter: PatternRewriter, chip_name: str) -> None:
    chip = CHIPS[chip_name]
    if any(isinstance(op, (xylo.HiddenOp, xylo.ReadoutOp)) for op in graph.body.block.ops):
        return  # converted already
    a = check(graph, chip)
    if a.violations:
        raise Violations("xylo", a.violations)
    assert a.input is not None and a.output is not None and a.readout is not None
    dtype = np.result_type(
        np.float32, *(s.weight.param("weight").dtype for p in [*a.hidden, a.readout] for s in p.sources)
    )  # type: ignore[attr-defined]
    hidden_params, readout_params = build_ops(a, np.dtype(dtype))
    block = graph.body.block
    hidden = build(
        xylo.HiddenOp,
        fresh_name(block, "hidden"),
        [a.input.output],
        {
            **hidden_params,
            "weight_shift_in": IntegerAttr(0, i64),
            "weight_shift_rec": IntegerAttr(0, i64),
            **_populations(a.hidden),
        },
        (a.hidden_size,),
    )
    membrane = a.readout.neuron.choice("output") != "spikes"
    readout = build(
        xylo.ReadoutOp,
        fresh_name(block, "readout"),
        [hidden.results[0]],
        {
            **readout_params,
            "weight_shift_out": IntegerAttr(0, i64),
            **({"output": StringAttr("membrane")} if membrane else {}),
            **_populations([a.readout]),
        },
        (a.readout.size,),
    )
    rewriter.insert(hidden, InsertPoint.after(a.input))
    rewriter.insert(readout, InsertPoint.after(hidden))
    old = a.readout.neuron.results[0]
    rewriter.replace_uses_with_if(old, readout.results[0], lambda use: isinstance(use.operation, nir.OutputOp))
    dead = [op for op in block.ops if op not in (a.input, a.output, hidden, readout)]
    erase_nodes(rewriter, dead, keep_names={hidden.nir_name, readout.nir_name})
    graph.attributes.pop(DISCRETIZATION, None)


@dataclass(frozen=True)
class ConvertSnnToXyloPass(ModulePass):
    """Map a discrete-time graph (``convert-nir-to-snn{semantics=xylo}``) onto one
    ``xylo.hidden`` and one ``xylo.readout`` (float parameters) for ``chip``
    (``audio2``, ``audio3``, ``imu``); every design rule is checked first and all
    violations are reported at once."""

    name: ClassVar[str] = "convert-snn-to-xylo"

    chip: str = DEFAULT_CHIP

    def __post_init__(self) -> None:
        if self.chip not in CHIPS:
            raise ValueError(f"chip must be one of {', '.join(CHIPS)}, got {self.chip!r}")

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        with rewrite_session():
            convert(graph, PatternRewriter(graph), self.chip)
