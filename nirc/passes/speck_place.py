"""``speck-place``: give every ``speck.layer`` a core, under the cores' memories.

A layer fits a core when its kernel and neuron memory (:mod:`nirc.targets.speck.resources`)
are within the core's; placing them is a maximum bipartite matching between layers and
the cores they fit (Hopcroft-Karp, as sinabs solves the same matching by max-flow), so
a placement is found whenever one exists, unlike first-fit.  Layers that feed an Output
get ``monitor``.  Fails with ``[speck-placement]`` on every layer left without a core.

:func:`utilisation` reports, per core, the memory used and available.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import networkx as nx
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, UnitAttr, i64
from xdsl.passes import ModulePass

from nirc.dialects import nir, speck
from nirc.errors import Violation, Violations
from nirc.io.to_dict import top_graph
from nirc.ir.rewrite import pauses_gc
from nirc.targets.speck.resources import SPECK, SpeckResources, kernel_memory, neuron_memory


def needs(op: speck.LayerOp) -> tuple[int, int]:
    """(kernel, neuron) memory entries of a layer."""
    w = op.param("weight")
    out = nir.shape_of(op.results[0])
    return kernel_memory(int(w.shape[1]), int(w.shape[0]), op.kernel()), neuron_memory(out[0], (out[1], out[2]))


def fits(op: speck.LayerOp, core: int, res: SpeckResources = SPECK) -> bool:
    k, n = needs(op)
    return k <= res.kernel_memory[core] and n <= res.neuron_memory[core] and int(op.param("weight").shape[0]) <= res.bias_memory


def place(layers: list[speck.LayerOp], res: SpeckResources = SPECK) -> dict[speck.LayerOp, int]:
    g = nx.Graph()
    tops = [("layer", i) for i in range(len(layers))]
    g.add_nodes_from(tops)
    g.add_nodes_from(("core", c) for c in range(res.cores))
    for i, op in enumerate(layers):
        for c in range(res.cores):
            if fits(op, c, res):
                g.add_edge(("layer", i), ("core", c))
    matching = nx.bipartite.hopcroft_karp_matching(g, top_nodes=tops)
    if all(t in matching for t in tops):
        matching = _lowest_cores(g, tops)
    placed = {layers[i]: matching[("layer", i)][1] for i in range(len(layers)) if ("layer", i) in matching}
    missing = [op for op in layers if op not in placed]
    if missing:
        raise Violations("speck", [
            Violation(
                "speck-placement", op.nir_name,
                f"no core left for this layer: it needs {needs(op)[0]} kernel and {needs(op)[1]} neuron entries, "
                f"and the {sum(fits(op, c, res) for c in range(res.cores))} cores that fit are taken",
                limit=res.cores, actual=len(layers),
            )
            for op in missing
        ])
    return placed


def _lowest_cores(g: nx.Graph, tops: list[tuple[str, int]]) -> dict:
    """Among the complete placements, the one that gives each layer in turn the
    lowest-numbered core (readable, and stable when unrelated layers change)."""
    fixed: dict[tuple[str, int], tuple[str, int]] = {}
    for top in tops:
        for core in sorted(g[top], key=lambda n: n[1]):
            trial = g.copy()
            trial.remove_edges_from([(top, other) for other in list(trial[top]) if other != core])
            for t, c in fixed.items():
                trial.remove_edges_from([(t, other) for other in list(trial[t]) if other != c])
            if len([t for t in nx.bipartite.hopcroft_karp_matching(trial, top_nodes=tops) if t in tops]) == len(tops):
                fixed[top] = core
                break
    return {**fixed, **{c: t for t, c in fixed.items()}}


def utilisation(layers: list[speck.LayerOp], res: SpeckResources = SPECK) -> list[dict[str, object]]:
    by_core = {int(op.core.value.data): op for op in layers if op.core is not None}  # type: ignore[union-attr]
    rows = []
    for c in range(res.cores):
        op = by_core.get(c)
        k, n = needs(op) if op is not None else (0, 0)
        rows.append({
            "core": c, "layer": op.nir_name if op is not None else None,
            "kernel_used": k, "kernel_available": res.kernel_memory[c],
            "neuron_used": n, "neuron_available": res.neuron_memory[c],
            "bias_used": int(op.param("weight").shape[0]) if op is not None else 0, "bias_available": res.bias_memory,
        })
    return rows


@dataclass(frozen=True)
class SpeckPlacePass(ModulePass):
    """Assign each ``speck.layer`` a core (maximum bipartite matching under the memories)
    and mark the layers whose spikes leave the chip."""

    name: ClassVar[str] = "speck-place"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graph = top_graph(op)
        layers = [o for o in graph.body.block.ops if isinstance(o, speck.LayerOp)]
        if len(layers) > SPECK.cores:
            raise Violations("speck", [Violation("speck-cores", None, f"{len(layers)} layers, Speck has {SPECK.cores} cores", limit=SPECK.cores, actual=len(layers))])
        for layer, core in place(layers).items():
            layer.properties["core"] = IntegerAttr(core, i64)
        for layer in layers:
            feeds_output = any(
                isinstance(use.operation, nir.OutputOp)
                or (isinstance(use.operation, nir.FlattenOp) and any(isinstance(u.operation, nir.OutputOp) for u in use.operation.results[0].uses))
                for use in layer.results[0].uses
            )
            if feeds_output:
                layer.properties["monitor"] = UnitAttr()
            else:
                layer.properties.pop("monitor", None)
