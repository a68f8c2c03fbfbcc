"""``speck-place``: give every ``speck.layer`` a core, under the cores' memories.

A layer fits a core when its kernel and neuron memory (:mod:`nirc.targets.speck.resources`)
are within the core's; placing them is a maximum bipartite matching between layers and
the cores they fit (:mod:`nirc.targets.speck.placement`), so a placement is found
whenever one exists, unlike first-fit, and it is the same on every run.  A layer that
has a ``core`` keeps it (pinned by hand, or placed by an earlier run).  Layers that
feed an Output get ``monitor``.  Fails with ``[speck-cores]``, ``[speck-memory]`` or
``[speck-placement]`` (the layers that compete for too few cores) otherwise.

:func:`utilisation` reports, per core, the memory used and available.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, UnitAttr, i64
from xdsl.passes import ModulePass

from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.graph import all_edges, schedule_order
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.placement import Shortage, place
from nirc.targets.speck.resources import SPECK, SpeckResources
from nirc.targets.speck.rules import Analysis, Layer, cores, memory, output_reshape, shortage


def needs(op: speck.LayerOp) -> tuple[int, int]:
    """(kernel, neuron) memory entries of a layer."""
    layer = Layer.of(op)
    return layer.kernel_memory(), layer.neuron_memory()


def fits(op: speck.LayerOp, core: int, res: SpeckResources = SPECK) -> bool:
    return core in res.cores_for(*needs(op))


def assign(graph: nir.GraphOp, layers: list[speck.LayerOp], res: SpeckResources = SPECK) -> dict[speck.LayerOp, int]:
    """Layer -> core, or :class:`Violations` naming why there is none.  A layer that
    has a ``core`` already keeps it (a placement pinned by hand, or a placed module
    compiled again), if that core holds it."""
    analysis = Analysis(graph, [Layer.of(op) for op in layers])
    violations = [v for rule in (cores, memory) for v in rule(analysis, res)]
    fits = [res.cores_for(layer.kernel_memory(), layer.neuron_memory()) for layer in analysis.layers]
    candidates, pins = [], []
    for op, fit in zip(layers, fits, strict=True):
        if op.core is not None:
            core = int(op.core.value.data)  # type: ignore[union-attr]
            if core not in fit:
                pins.append(
                    Violation(
                        "speck-placement",
                        op.nir_name,
                        f"pinned to core {core}, which does not hold it (it fits cores {fit})",
                        limit=fit,
                        actual=core,
                    )
                )
            fit = [core]
        candidates.append(fit)
    if violations:  # too many layers, or one no core holds: nothing to place
        raise Violations("speck", violations + pins)
    found = None if pins else place(candidates)
    if isinstance(found, dict):
        return {layers[i]: core for i, core in found.items()}
    # None: say whether the layers are short of cores pinned or not (a placement under
    # the pins is one without them, so only a failure needs the unpinned one), or only
    # under the pins
    free = found if found is not None and candidates == fits else place(fits)
    if isinstance(free, Shortage):
        violations.append(shortage(analysis.layers, free))
    violations += pins
    if not violations:
        assert isinstance(found, Shortage)
        violations.append(shortage(analysis.layers, found, pinned=True))
    raise Violations("speck", violations)


def utilisation(layers: list[speck.LayerOp], res: SpeckResources = SPECK) -> list[dict[str, object]]:
    by_core = {int(op.core.value.data): op for op in layers if op.core is not None}  # type: ignore[union-attr]
    rows = []
    for c in range(res.cores):
        op = by_core.get(c)
        k, n = needs(op) if op is not None else (0, 0)
        rows.append(
            {
                "core": c,
                "layer": op.nir_name if op is not None else None,
                "kernel_used": k,
                "kernel_available": res.kernel_memory[c],
                "neuron_used": n,
                "neuron_available": res.neuron_memory[c],
                "bias_used": int(op.param("weight").shape[0]) if op is not None else 0,
                "bias_available": res.bias_memory,
            }
        )
    return rows


@dataclass(frozen=True)
class SpeckPlacePass(ModulePass):
    """Assign each ``speck.layer`` a core (maximum bipartite matching under the memories)
    and mark the layers whose spikes leave the chip."""

    name: ClassVar[str] = "speck-place"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        layers = [o for o in schedule_order(graph) if isinstance(o, speck.LayerOp)]
        for layer, core in assign(graph, layers).items():
            layer.properties["core"] = IntegerAttr(core, i64)
        for layer in layers:
            if any(isinstance(reader, nir.OutputOp) or output_reshape(reader) for reader in all_edges(layer)):
                layer.properties["monitor"] = UnitAttr()
            else:
                layer.properties.pop("monitor", None)
