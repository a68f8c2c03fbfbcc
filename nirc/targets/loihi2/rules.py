"""What Loihi 2 can run: Lava's layers (:mod:`nirc.targets.lava.layers`: Dense or Conv +
CUBA-LIF, rules ``lava-*``), each reading its synapse through the ``lava`` profile's one-step delay,
and the chip's own rule: a neuron's synapses fit one core (``loihi2-fan-in``; the cores
a model takes are ``loihi2-place``'s).  Whether the layers form the chain a netx file
can hold is not a rule: :attr:`~nirc.targets.lava.layers.Analysis.chain` says so, and a
model that is not a chain is emitted as Lava processes only.
"""

from __future__ import annotations

from collections.abc import Iterator

from nirc.core.errors import Violation
from nirc.dialects import nir
from nirc.targets.lava import layers
from nirc.targets.lava.layers import Analysis, Layer
from nirc.targets.loihi2.resources import Loihi2Chip


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
    """Lava's layers and rules, with the synapse's step, and the chip's: all violations."""
    a = layers.check(graph, delayed=True, conv=True)
    for layer in a.layers:
        if layer.weight is not None:
            a.violations.extend(resource_rules(layer, chip))
    return a
