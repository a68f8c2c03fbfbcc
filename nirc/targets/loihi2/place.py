"""``loihi2-place``: each layer's neurons in slices onto Loihi 2's neuromorphic cores.

A core holds a slice of one layer while the slice's dense synapses and neuron states fit
its memory and neuron count (:meth:`~nirc.targets.loihi2.resources.Loihi2Chip.neurons_fitting`);
a layer takes the fewest cores that hold it, split into slices as equal as possible,
and layers take consecutive cores in the graph's order (a chain's layers then sit side
by side, so a layer's spikes travel to the neighbouring cores).  Each layer
records its slices in ``cores`` / ``core_neurons``.  More cores than the chip's is an
error ``[loihi2-cores]`` naming the layers that take the most.  A conv layer is budgeted
the same way, each neuron with its kernel window as dense synapses: an upper bound, as
Loihi 2 can share a convolution's weights between neurons, in a packing that is not public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core.dense import DenseAttr
from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.dialects.nir import top_graph
from nirc.targets.loihi2.dialect import LayerOp
from nirc.targets.loihi2.resources import LOIHI2, Loihi2Chip


def slices(n: int, capacity: int) -> list[int]:
    """``n`` neurons in the fewest slices of at most ``capacity``, as equal as possible."""
    count = -(-n // capacity)
    base, extra = divmod(n, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def place(module: ModuleOp, chip: Loihi2Chip = LOIHI2) -> None:
    layers = [op for op in top_graph(module).body.block.ops if isinstance(op, LayerOp)]
    plan = [(op, slices(op.size, max(1, chip.neurons_fitting(op.fan_in)))) for op in layers]
    used = sum(len(s) for _, s in plan)
    if used > chip.cores:
        biggest = sorted(plan, key=lambda p: -len(p[1]))[:3]
        names = ", ".join(f"'{op.nir_name}' {len(s)}" for op, s in biggest)
        raise Violations(
            "loihi2",
            [
                Violation(
                    "loihi2-cores",
                    None,
                    f"the layers need {used} cores, a Loihi 2 chip has {chip.cores} (most: {names})",
                    limit=chip.cores,
                    actual=used,
                )
            ],
        )
    core = 0
    for op, sizes in plan:
        op.properties["cores"] = DenseAttr.from_array(np.arange(core, core + len(sizes), dtype=np.int64))
        op.properties["core_neurons"] = DenseAttr.from_array(np.asarray(sizes, np.int64))
        core += len(sizes)


def usage(module: ModuleOp, chip: Loihi2Chip = LOIHI2) -> list[dict[str, Any]]:
    """Per core: the layer, its neurons, dense synapses and the memory they take (the
    model of :mod:`nirc.targets.loihi2.resources`)."""
    rows = []
    for op in top_graph(module).body.block.ops:
        if not isinstance(op, LayerOp) or op.opt_param("cores") is None:
            continue
        k = op.fan_in
        for core, n in zip(op.param("cores").tolist(), op.param("core_neurons").tolist(), strict=True):
            memory = n * (chip.neuron_bytes + chip.synapse_bytes * k)
            rows.append(
                {
                    "core": int(core),
                    "layer": op.nir_name,
                    "neurons": int(n),
                    "synapses": int(n * k),
                    "memory_bytes": int(memory),
                    "memory_used": round(memory / chip.core_memory_bytes, 4),
                }
            )
    return rows


@dataclass(frozen=True)
class Loihi2PlacePass(ModulePass):
    """Put each ``loihi2`` layer's neurons in slices onto the chip's cores."""

    name: ClassVar[str] = "loihi2-place"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        place(op)
