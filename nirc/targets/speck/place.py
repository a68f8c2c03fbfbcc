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
from nirc.core.graph import schedule_order
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.placement import Shortage, place
from nirc.targets.speck.resources import SPECK, SpeckResources
from nirc.targets.speck.rules import Analysis, Layer, cores, memory, placement


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
    violations = [v for rule in (cores, memory, placement) for v in rule(analysis, res)]
    candidates = []
    for op in layers:
        fit = res.cores_for(*needs(op))
        if op.core is not None:
            core = int(op.core.value.data)  # type: ignore[union-attr]
            if core not in fit:
                violations.append(
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
    found = place(candidates) if not violations else None
    if isinstance(found, Shortage):
        names = [layers[i].nir_name for i in found.layers]
        violations.append(
            Violation(
                "speck-placement",
                names[0],
                f"layers {', '.join(map(repr, names))} (some pinned) fit only on cores {', '.join(map(str, found.cores))}",
                limit=len(found.cores),
                actual=len(names),
            )
        )
    if violations or found is None or isinstance(found, Shortage):
        raise Violations("speck", violations)
    return {layers[i]: core for i, core in found.items()}


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
            feeds_output = any(
                isinstance(use.operation, nir.OutputOp)
                or (
                    isinstance(use.operation, nir.FlattenOp)
                    and any(isinstance(u.operation, nir.OutputOp) for u in use.operation.results[0].uses)
                )
                for use in layer.results[0].uses
            )
            if feeds_output:
                layer.properties["monitor"] = UnitAttr()
            else:
                layer.properties.pop("monitor", None)
