"""What Loihi 2 can run: a discrete-time graph read as Lava layers, and the design rules.

Loihi 2 lowers from the `snn` dialect discretized with the ``lava`` profile (``nir-to-loihi2``
does both), where every neuron reads its input one step late, as Lava's Dense delivers
it.  :func:`analyse` reads the graph as *layers*, each one Lava ``Dense`` (and a
recurrent ``Dense`` from the layer to itself) feeding one ``LIF`` process:

* one ``nir.input`` of 1-D spikes (``RingBuffer`` in Lava, the ``input`` layer in netx);
* each spiking `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``) is a layer; it reads
  one Linear or Affine (its ``Dense``) through the one-step ``snn.delay`` of the profile,
  and that reads the input or another layer's spikes; a fused recurrence (``w_rec``) is
  the recurrent ``Dense``;
* every ``nir.output`` reads a layer's spikes.

Every rule is a small function yielding :class:`~nirc.core.errors.Violation` s on the
offending node (rule ``loihi2-*``); :func:`check` runs them all and returns every
violation at once.  Whether the layers form the chain a netx file can hold is not a
rule: :attr:`Analysis.chain` says so, and a model that is not a chain is emitted as
Lava processes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import Violation
from nirc.core.node import shape_of
from nirc.dialects import nir, snn
from nirc.targets.loihi2.resources import Loihi2Chip

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

    @property
    def name(self) -> str:
        return self.neuron.nir_name

    @property
    def size(self) -> int:
        return int(np.prod(shape_of(self.neuron.results[0])))

    @property
    def fan_in(self) -> int:
        """Dense synapses per neuron: the inputs, and the layer itself when recurrent."""
        m = int(self.weight.param("weight").shape[1]) if self.weight is not None else 0  # type: ignore[attr-defined]
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


def _one_step_delay(value: SSAValue) -> Operation | None:
    op = value.owner
    if isinstance(op, snn.DelayOp) and bool(np.all(np.asarray(op.param("steps")) == 1)):
        return op
    return None


def _what(value: SSAValue) -> str:
    op = value.owner
    name = getattr(op, "nir_name", None)
    return f"{op.name} '{name}'" if name else str(getattr(op, "name", "a block argument"))


def analyse(graph: nir.GraphOp) -> Analysis:
    """The input, layers and outputs of ``graph`` (see the module doc), with every
    violation of how Lava connects them."""
    a = Analysis()
    v = a.violations
    ops = list(graph.body.block.ops)
    inputs = [op for op in ops if isinstance(op, nir.InputOp)]
    a.outputs = [op for op in ops if isinstance(op, nir.OutputOp)]
    if len(inputs) != 1:
        v.append(
            Violation("loihi2-input", None, f"Lava's network reads one input of spikes, the model has {len(inputs)}")
        )
    else:
        a.input = inputs[0]
        shape = shape_of(a.input.output)
        if len(shape) != 1:
            v.append(
                Violation(
                    "loihi2-input",
                    a.input.nir_name,
                    f"Dense layers read 1-D spikes, the input has shape {list(shape)} (flatten it first)",
                    actual=list(shape),
                )
            )
    layers = {op: Layer(op) for op in ops if isinstance(op, snn.NEURON_OPS)}
    used: set[Operation] = set()
    for layer in layers.values():
        v.extend(_read(layer, layers, used))
    for op in ops:
        if op in used or isinstance(op, (nir.InputOp, nir.OutputOp, *snn.NEURON_OPS)):
            continue
        v.append(
            Violation(
                "loihi2-unsupported",
                op.nir_name,  # type: ignore[attr-defined]
                f"Loihi 2's Lava layers are Dense synapses and CUBA-LIF neurons: {op.name} has no place here",
            )
        )
    for out in a.outputs:
        if len(out.inputs) != 1 or out.inputs[0].owner not in layers:
            got = ", ".join(_what(x) for x in out.inputs) or "nothing"
            v.append(
                Violation(
                    "loihi2-output", out.nir_name, f"an Output reads one layer's spikes on Loihi 2, this reads {got}"
                )
            )
    a.layers = [layers[op] for op in ops if op in layers]
    return a


def _read(layer: Layer, layers: dict[Operation, Layer], used: set[Operation]) -> Iterator[Violation]:
    """Find the Dense feeding ``layer`` through the profile's one-step delay."""
    name = layer.name
    operands = list(layer.neuron.operands)
    if len(operands) != 1 or _one_step_delay(operands[0]) is None:
        yield Violation(
            "loihi2-timing",
            name,
            "Lava's Dense delivers its sums one step late: a layer reads one Dense through a one-step delay "
            "(discretize with the lava profile, as nir-to-loihi2 does; a recurrence not fused into the neuron "
            "or several Dense into one layer are not mapped)",
        )
        return
    delay = operands[0].owner
    assert isinstance(delay, Operation)
    used.add(delay)
    if len(delay.operands) != 1:
        yield Violation(
            "loihi2-fan-in",
            name,
            f"a layer reads one Dense, '{name}' sums {len(delay.operands)} incoming edges",
            limit=1,
            actual=len(delay.operands),
        )
        return
    w = delay.operands[0].owner
    if not isinstance(w, _WEIGHTS):
        if isinstance(w, Operation) and not isinstance(w, (nir.InputOp, *snn.NEURON_OPS)):
            return  # an op Loihi 2 has no place for: its own violation names it
        yield Violation(
            "loihi2-weights",
            name,
            f"a layer's input comes through a Dense (Linear or Affine), '{name}' reads {_what(delay.operands[0])}",
        )
        return
    used.update((delay, w))
    layer.weight, layer.delay = w, delay
    src = w.operands[0].owner if w.operands else None
    if isinstance(src, nir.InputOp):
        layer.reads = None
    elif src in layers:
        layer.reads = layers[src]  # type: ignore[index]
    else:
        yield Violation(
            "loihi2-weights",
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
            "loihi2-readout",
            name,
            "Lava's LIF layers send spikes: a neuron without a threshold (read as a membrane) has no Loihi 2 form",
        )
        return
    for key, want in _LAVA_CHOICES.items():
        got = getattr(d, key)
        if got != want:
            yield Violation(
                "loihi2-neuron",
                name,
                f"Lava's LIF has {key.replace('_', '-')} {want}, the model has {got} (discretize with the lava profile)",
            )
    if d.multi_spike:
        yield Violation("loihi2-neuron", name, "Lava's LIF sends one spike per step, the model several")
    if d.v_reset is not None and np.any(np.asarray(d.v_reset) != 0):
        yield Violation(
            "loihi2-reset",
            name,
            "Lava's LIF resets the voltage to 0, the model to v_reset != 0",
            actual=float(np.max(np.abs(d.v_reset))),
        )
    if np.any(np.asarray(d.threshold) <= 0):
        yield Violation(
            "loihi2-threshold",
            name,
            "Loihi's threshold is an unsigned mantissa: every threshold must be > 0",
            actual=float(np.min(d.threshold)),
        )
    for key, arr in (("decay", d.decay), ("syn_decay", d.syn_decay)):
        if not _uniform(arr):
            lo, hi = float(np.min(arr)), float(np.max(arr))  # type: ignore[arg-type]
            yield Violation(
                "loihi2-shared",
                name,
                f"Lava's LIF has one {'current' if key == 'syn_decay' else 'voltage'} decay per layer: "
                f"'{key}' ranges over [{lo:.6g}, {hi:.6g}] (tau must be uniform within a node)",
            )
        elif arr is not None and not 0 <= float(np.asarray(arr).reshape(-1)[0]) <= 1:
            yield Violation(
                "loihi2-shared",
                name,
                f"Lava's decays lie in [0, 1]: '{key}' is {float(np.asarray(arr).reshape(-1)[0]):.6g}",
            )
    if not np.all(np.isfinite(d.gain)) or not np.all(np.isfinite(d.bias)):
        yield Violation("loihi2-neuron", name, "gain and bias must be finite")


def resource_rules(layer: Layer, chip: Loihi2Chip) -> Iterator[Violation]:
    """A neuron's synapses and state fit one core."""
    if chip.neurons_fitting(layer.fan_in) < 1:
        limit = (chip.core_memory_bytes - chip.neuron_bytes) // chip.synapse_bytes
        yield Violation(
            "loihi2-fan-in",
            layer.name,
            f"a neuron's dense synapses must fit one core's {chip.core_memory_bytes // 1024} KiB: "
            f"fan-in {layer.fan_in} > {limit}",
            limit=limit,
            actual=layer.fan_in,
        )


def check(graph: nir.GraphOp, chip: Loihi2Chip) -> Analysis:
    """:func:`analyse` and every rule: all violations at once."""
    a = analyse(graph)
    for layer in a.layers:
        a.violations.extend(neuron_rules(layer))
        if layer.weight is not None:
            a.violations.extend(resource_rules(layer, chip))
    if a.input is not None and not a.layers:
        a.violations.append(Violation("loihi2-layers", None, "the model has no layer of spiking neurons"))
    return a
