"""Lava's layers: a discrete-time graph read as Dense synapses feeding CUBA-LIF neurons.

Shared by the two targets of Intel's Lava family, which run the same neuron: Loihi 2
(lava-nc processes and netx, ``nirc/targets/loihi2/``) and lava-dl's slayer blocks
(``nirc/targets/lava_dl/``).  :func:`analyse` reads the graph as *layers*, each one
``Dense`` (and a recurrent ``Dense`` from the layer to itself) feeding one population of
CUBA-LIF neurons:

* one ``nir.input`` of 1-D spikes;
* each spiking `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``) is a layer; it reads
  one Linear or Affine (its ``Dense``) — through the one-step ``snn.delay`` of the
  ``lava`` profile where the synapse delivers a step late (lava-nc's Dense), directly
  where it delivers in the same step (slayer's synapse) — and that reads the input or
  another layer's spikes; a fused recurrence (``w_rec``) is the recurrent ``Dense``;
* every ``nir.output`` reads a layer's spikes.

Every rule is a small function yielding :class:`~nirc.core.errors.Violation` s on the
offending node (rule ``lava-*``: what Lava's LIF and Dense can express); :func:`check`
runs them all.  A target adds its own (Loihi 2's cores, slayer's missing bias).
:func:`layer_params` gives a layer's numbers in Lava's terms (floats).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, StringAttr, i64
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import Violation
from nirc.core.node import shape_of
from nirc.core.shapes import per_dim
from nirc.dialects import nir, snn

_WEIGHTS = (nir.LinearOp, nir.AffineOp)
#: what the profile must have chosen: Lava's LIF spikes at v > vth and resets to 0 at once
_LAVA_CHOICES = {
    "compare": ">",
    "reset": "value",
    "spike_timing": "same",
    "reset_timing": "same",
    "order": "leak-then-integrate",
}


@dataclass(eq=False)
class Layer:
    """One `snn` neuron op, the Dense that feeds it and what that reads (None: the input)."""

    neuron: snn.SnnNeuronOp
    weight: Operation | None = None
    reads: Layer | None = None
    #: the one-step delay the profile put in front of the neuron
    delay: Operation | None = None
    #: a Flatten between the layer it reads and its Dense
    flatten: Operation | None = None

    @property
    def conv(self) -> bool:
        return isinstance(self.weight, nir.Conv2dOp)

    @property
    def name(self) -> str:
        return self.neuron.nir_name

    @property
    def size(self) -> int:
        return int(np.prod(shape_of(self.neuron.results[0])))

    @property
    def fan_in(self) -> int:
        """Dense synapses per neuron: the inputs, and the layer itself when recurrent."""
        w = self.weight.param("weight") if self.weight is not None else None  # type: ignore[attr-defined]
        m = 0 if w is None else int(np.prod(w.shape[1:]))
        return m + (self.size if self.neuron.RECURRENT else 0)


@dataclass
class Analysis:
    """The graph as Lava layers, and every rule it breaks."""

    input: nir.InputOp | None = None
    outputs: list[nir.OutputOp] = field(default_factory=list)
    #: in the graph's order (a layer after the one it reads)
    layers: list[Layer] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def channels(self) -> int:
        return int(np.prod(shape_of(self.input.output))) if self.input is not None else 0

    @property
    def chain(self) -> str | None:
        """Why a netx file cannot hold the model (None: it is a chain input -> layer ->
        ... -> layer -> one output, each layer reading the one before)."""
        if len(self.outputs) != 1:
            return f"netx networks have one output, the model has {len(self.outputs)}"
        for i, layer in enumerate(self.layers):
            want = self.layers[i - 1] if i else None
            if layer.reads is not want:
                return f"'{layer.name}' does not read the layer before it: netx networks are chains"
            readers = [other for other in self.layers if other.reads is layer]
            if len(readers) > (0 if i == len(self.layers) - 1 else 1):
                return f"'{layer.name}' feeds {len(readers)} layers: netx networks do not branch"
        last = self.outputs[0].inputs[0].owner if self.outputs[0].inputs else None
        if not self.layers or last is not self.layers[-1].neuron:
            return "the output does not read the last layer: netx networks are chains"
        return None


def _loops(layers: list[Layer]) -> Iterator[Violation]:
    """Layers that read each other round a loop (beyond a layer's own recurrence, which is
    its recurrent Dense): Lava's layers are built from the input on, in order."""
    for layer in layers:
        seen: set[int] = set()
        at: Layer | None = layer
        while at is not None and id(at) not in seen:
            seen.add(id(at))
            at = at.reads
        if at is layer:
            yield Violation(
                "lava-loop",
                layer.name,
                f"'{layer.name}' reads its own spikes through other layers: Lava's layers run from the input on "
                "(a recurrence is a layer's own recurrent Dense)",
            )


def _one_step_delay(value: SSAValue) -> Operation | None:
    op = value.owner
    if isinstance(op, snn.DelayOp) and bool(np.all(np.asarray(op.param("steps")) == 1)):
        return op
    return None


def _what(value: SSAValue) -> str:
    op = value.owner
    name = getattr(op, "nir_name", None)
    return f"{op.name} '{name}'" if name else str(getattr(op, "name", "a block argument"))


def analyse(graph: nir.GraphOp, delayed: bool = True, conv: bool = False) -> Analysis:
    """The input, layers and outputs of ``graph`` (see the module doc), with every
    violation of how Lava connects them; with ``delayed=False`` a layer reads its Dense
    directly (lava-dl's slayer blocks, whose synapse delivers in the same step)."""
    a = Analysis()
    v = a.violations
    ops = list(graph.body.block.ops)
    inputs = [op for op in ops if isinstance(op, nir.InputOp)]
    a.outputs = [op for op in ops if isinstance(op, nir.OutputOp)]
    if len(inputs) != 1:
        v.append(
            Violation("lava-input", None, f"Lava's network reads one input of spikes, the model has {len(inputs)}")
        )
    else:
        a.input = inputs[0]
        shape = shape_of(a.input.output)
        if len(shape) != 1 and not (conv and len(shape) == 3):
            v.append(
                Violation(
                    "lava-input",
                    a.input.nir_name,
                    f"Dense layers read 1-D spikes, the input has shape {list(shape)} (flatten it first)",
                    actual=list(shape),
                )
            )
    layers = {op: Layer(op) for op in ops if isinstance(op, snn.NEURON_OPS)}
    used: set[Operation] = set()
    for layer in layers.values():
        v.extend(_read(layer, layers, used, delayed, conv))
    for op in ops:
        if op in used or isinstance(op, (nir.InputOp, nir.OutputOp, *snn.NEURON_OPS)):
            continue
        v.append(
            Violation(
                "lava-unsupported",
                op.nir_name,  # type: ignore[attr-defined]
                f"Lava's layers are Dense synapses and CUBA-LIF neurons: {op.name} has no place here",
            )
        )
    for out in a.outputs:
        if len(out.inputs) != 1 or out.inputs[0].owner not in layers:
            got = ", ".join(_what(x) for x in out.inputs) or "nothing"
            v.append(
                Violation("lava-output", out.nir_name, f"an Output reads one layer's spikes in Lava, this reads {got}")
            )
    a.layers = [layers[op] for op in ops if op in layers]
    for layer in a.layers:
        if layer.size == 0:
            v.append(
                Violation("lava-empty", layer.name, "a layer of Lava neurons has at least one neuron, this has none")
            )
    v.extend(_loops(a.layers))
    return a


def _read(
    layer: Layer, layers: dict[Operation, Layer], used: set[Operation], delayed: bool = True, conv: bool = False
) -> Iterator[Violation]:
    """Find the Dense feeding ``layer`` through the profile's one-step delay (or
    directly, without ``delayed``)."""
    name = layer.name
    operands = list(layer.neuron.operands)
    if not delayed:
        if len(operands) != 1:
            yield Violation(
                "lava-fan-in",
                name,
                f"a layer reads one Dense, '{name}' sums {len(operands)} incoming edges",
                limit=1,
                actual=len(operands),
            )
            return
        yield from _dense(layer, operands[0], layers, used, conv)
        return
    if len(operands) != 1 or _one_step_delay(operands[0]) is None:
        yield Violation(
            "lava-timing",
            name,
            "Lava's Dense delivers its sums one step late: a layer reads one Dense through a one-step delay "
            "(discretize with the lava profile, as the pipeline does; a recurrence not fused into the neuron "
            "or several Dense into one layer are not mapped)",
        )
        return
    delay = operands[0].owner
    assert isinstance(delay, Operation)
    used.add(delay)
    if len(delay.operands) != 1:
        yield Violation(
            "lava-fan-in",
            name,
            f"a layer reads one Dense, '{name}' sums {len(delay.operands)} incoming edges",
            limit=1,
            actual=len(delay.operands),
        )
        return
    layer.delay = delay
    yield from _dense(layer, delay.operands[0], layers, used, conv)


def _dense(
    layer: Layer, value: SSAValue, layers: dict[Operation, Layer], used: set[Operation], conv: bool = False
) -> Iterator[Violation]:
    """``value`` is the layer's Dense: a Linear/Affine (or, with ``conv``, a Conv2d)
    reading the input or a layer (a Linear/Affine maybe through a Flatten)."""
    name = layer.name
    w = value.owner
    kinds = (*_WEIGHTS, nir.Conv2dOp) if conv else _WEIGHTS
    if not isinstance(w, kinds):
        if isinstance(w, Operation) and not isinstance(w, (nir.InputOp, *snn.NEURON_OPS)):
            return  # an op Lava has no place for: its own violation names it
        yield Violation(
            "lava-weights",
            name,
            f"a layer's input comes through a Dense (Linear or Affine), '{name}' reads {_what(value)}",
        )
        return
    used.add(w)
    layer.weight = w
    src = w.operands[0].owner if w.operands else None
    if conv and isinstance(w, _WEIGHTS) and isinstance(src, nir.FlattenOp) and src.operands:
        layer.flatten = src
        used.add(src)
        src = src.operands[0].owner
    if isinstance(src, nir.InputOp):
        layer.reads = None
    elif src in layers:
        layer.reads = layers[src]  # type: ignore[index]
    else:
        yield Violation(
            "lava-weights",
            w.nir_name,
            f"a Dense reads spikes (the input or a layer), '{w.nir_name}' reads {_what(w.operands[0])}",
        )


# --------------------------------------------------------------------------- neuron rules


def _uniform(a: np.ndarray | None) -> bool:
    return a is None or np.asarray(a).size == 0 or bool(np.all(np.asarray(a) == np.asarray(a).reshape(-1)[0]))


def neuron_rules(layer: Layer) -> Iterator[Violation]:
    """What Lava's LIF computes: reset to 0 at ``v > vth`` in the same step, one current
    and one voltage decay for the whole layer, spikes out."""
    n, name = layer.neuron, layer.name
    d = n.discrete()
    if not d.resets or d.output != "spikes":
        yield Violation(
            "lava-readout",
            name,
            "Lava's LIF layers send spikes: a neuron without a threshold (read as a membrane) has no Lava form",
        )
        return
    for key, want in _LAVA_CHOICES.items():
        got = getattr(d, key)
        if got != want:
            yield Violation(
                "lava-neuron",
                name,
                f"Lava's LIF has {key.replace('_', '-')} {want}, the model has {got} (discretize with the lava profile)",
            )
    if d.multi_spike:
        yield Violation("lava-neuron", name, "Lava's LIF sends one spike per step, the model several")
    if d.v_reset is not None and np.any(np.asarray(d.v_reset) != 0):
        yield Violation(
            "lava-reset",
            name,
            "Lava's LIF resets the voltage to 0, the model to v_reset != 0",
            actual=float(np.max(np.abs(d.v_reset))),
        )
    if np.any(np.asarray(d.threshold) <= 0):
        yield Violation(
            "lava-threshold",
            name,
            "Loihi's threshold is an unsigned mantissa: every threshold must be > 0",
            actual=float(np.min(d.threshold)),
        )
    for key, arr in (("decay", d.decay), ("syn_decay", d.syn_decay)):
        if not _uniform(arr):
            lo, hi = float(np.min(arr)), float(np.max(arr))  # type: ignore[arg-type]
            yield Violation(
                "lava-shared",
                name,
                f"Lava's LIF has one {'current' if key == 'syn_decay' else 'voltage'} decay per layer: "
                f"'{key}' ranges over [{lo:.6g}, {hi:.6g}] (tau must be uniform within a node)",
            )
        elif arr is not None and not 0 <= float(np.asarray(arr).reshape(-1)[0]) <= 1:
            yield Violation(
                "lava-shared",
                name,
                f"Lava's decays lie in [0, 1]: '{key}' is {float(np.asarray(arr).reshape(-1)[0]):.6g}",
            )
    if layer.conv:
        out = int(layer.weight.param("weight").shape[0])  # type: ignore[union-attr]
        gain = np.asarray(d.gain) * (np.asarray(d.syn_gain) if d.synaptic else 1.0)
        for key, arr in (("gain", gain), ("threshold", np.asarray(d.threshold))):
            per = np.broadcast_to(arr, shape_of(layer.neuron.results[0])).reshape(out, -1)
            if not np.all(per == per[:, :1]):
                yield Violation(
                    "lava-shared",
                    name,
                    f"a convolution's neurons share their '{key}' within each output channel, '{name}' varies it",
                )
    if d.synaptic and _constant_input(layer) is not None and float(np.asarray(d.syn_decay).reshape(-1)[0]) >= 1:
        yield Violation(
            "lava-constant-input",
            name,
            "a constant input (an Affine's bias, b_rec) into a current that never leaks grows without bound: "
            "Lava's bias cannot hold it",
        )
    if not np.all(np.isfinite(d.gain)) or not np.all(np.isfinite(d.bias)):
        yield Violation("lava-neuron", name, "gain and bias must be finite")


def conv_padding(w: nir.Conv2dOp) -> tuple[int, int] | None:
    """The conv's zero padding per (height, width) as Lava takes it (the same on both
    sides), or None where it has none (an odd 'same')."""
    pad = w.padding
    if not isinstance(pad, StringAttr):
        return per_dim(pad.array, 2, "padding")  # type: ignore[return-value]
    if pad.data == "valid":
        return (0, 0)
    dilation = per_dim(w.param("dilation"), 2, "dilation")
    totals = [d * (k - 1) for d, k in zip(dilation, w.param("weight").shape[2:], strict=True)]
    return None if any(t % 2 for t in totals) else (totals[0] // 2, totals[1] // 2)


def conv_geometry(w: nir.Conv2dOp) -> dict[str, Any]:
    """``stride``, ``padding``, ``dilation`` (per height, width) and ``groups`` of a conv
    whose padding Lava can hold (:func:`conv_padding`)."""
    return {
        "stride": np.asarray(per_dim(w.param("stride"), 2, "stride"), np.int64),
        "dilation": np.asarray(per_dim(w.param("dilation"), 2, "dilation"), np.int64),
        "padding": np.asarray(conv_padding(w), np.int64),
        "groups": IntegerAttr(int(np.asarray(w.param("groups")).reshape(-1)[0]), i64),
    }


def conv_rules(layer: Layer) -> Iterator[Violation]:
    """Lava's Conv pads the same on both sides."""
    if isinstance(layer.weight, nir.Conv2dOp) and conv_padding(layer.weight) is None:
        yield Violation(
            "lava-conv",
            layer.weight.nir_name,
            "Lava pads a convolution the same on both sides: this 'same' padding is uneven",
        )


def check(graph: nir.GraphOp, delayed: bool = True, conv: bool = False) -> Analysis:
    """:func:`analyse` and every neuron rule: all violations at once."""
    a = analyse(graph, delayed, conv)
    for layer in a.layers:
        if layer.size:  # an empty layer has its own violation
            a.violations.extend(neuron_rules(layer))
        a.violations.extend(conv_rules(layer))
    if a.input is not None and not a.layers:
        a.violations.append(Violation("lava-layers", None, "the model has no layer of spiking neurons"))
    return a


# --------------------------------------------------------------------------- parameters


def _constant_input(layer: Layer) -> np.ndarray | None:
    """The layer's constant input current (an Affine's bias, ``b_rec``), or None."""
    total = None
    w = layer.weight
    bias = w.opt_param("bias") if isinstance(w, (nir.AffineOp, nir.Conv2dOp)) else None  # type: ignore[attr-defined]
    if bias is not None and np.any(bias):
        total = np.asarray(bias, np.float64)
    if layer.neuron.RECURRENT:
        b_rec = layer.neuron.opt_param("b_rec")
        if b_rec is not None and np.any(b_rec):
            total = np.asarray(b_rec, np.float64) + (0.0 if total is None else total)
    return total


def layer_params(layer: Layer) -> dict[str, Any]:
    """The float ``loihi2.dense`` parameters of one layer (see the module doc)."""
    d = layer.neuron.discrete()
    gain = np.asarray(d.gain, np.float64).reshape(-1)
    if d.synaptic:
        gain = gain * np.asarray(d.syn_gain, np.float64).reshape(-1)
        syn = float(np.asarray(d.syn_decay).reshape(-1)[0])
        du = 1.0 - syn
    else:
        syn, du = 0.0, 1.0
    threshold = np.asarray(d.threshold, np.float64).reshape(-1)
    vth = float(threshold.max())
    c = vth / threshold  # one threshold per layer
    row = gain * c
    assert layer.weight is not None
    w = np.asarray(layer.weight.param("weight"), np.float64)  # type: ignore[attr-defined]
    # a conv layer's factor is one per output channel (neuron_rules: uniform within one)
    per_out = row.reshape(w.shape[0], -1)[:, 0]
    params: dict[str, Any] = {
        "weight": w * per_out.reshape(-1, *([1] * (w.ndim - 1))),
        "du": np.array([du]),
        "dv": np.array([1.0 - float(np.asarray(d.decay).reshape(-1)[0])]),
        "vth": np.array([vth]),
    }
    bias = np.asarray(d.bias, np.float64).reshape(-1) * c
    constant = _constant_input(layer)
    if constant is not None:  # neuron_rules refuses a constant input to a current that never leaks
        constant = np.repeat(constant, row.size // constant.size) if constant.size != row.size else constant
        bias = bias + row * constant / (1.0 - syn if syn < 1 else 1.0)
    params["bias_mant"] = bias
    if layer.neuron.RECURRENT:
        params["weight_rec"] = np.asarray(layer.neuron.param("w_rec"), np.float64) * row[:, None]
    return params
