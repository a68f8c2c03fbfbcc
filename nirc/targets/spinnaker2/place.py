"""``spinnaker2-place``: populations in PE-sized slices, onto PEs and chips.

Each population is split into the fewest slices of at most its ``max_atoms_per_core``
neurons, as equal as possible (py-spinnaker2 gives each slice a PE); the input's
``spike_list`` takes PEs too (250 sources each).  The slices are the nodes of a traffic
graph: the traffic from slice ``a`` to slice ``b`` is the number of neurons of ``a`` with
a synapse on ``b`` — the spike packets ``a`` sends ``b`` in a step where each of its
neurons spikes once (a packet is multicast to every PE that has synapses of its neuron).

One chip holds 152 PEs.  When the slices need more, they are assigned to chips by greedy
graph growing: a chip starts from the first unplaced slice (in the graph's order) and
takes, again and again, the unplaced slice with the most traffic to and from the slices
already on it, until it is full; so slices that talk to each other share a chip.  Then recursive
bisection with Kernighan-Lin refinement (networkx), seeded by that assignment, swaps
slices between groups of chips while it lowers the traffic across (:func:`refine`); the
better of the two is kept.  :func:`place` also measures the naive in-order
assignment (slices in the graph's order, chip after chip) for the report.  More chips
than a 48-chip board is refused ``[spinnaker2-chips]``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar

import networkx as nx
import numpy as np
from networkx.algorithms.community import kernighan_lin_bisection
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from nirc.core.dense import DenseAttr
from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.targets.spinnaker2.dialect import Conv2dOp, PopulationOp, ProjectionOp
from nirc.targets.spinnaker2.resources import SPINNAKER2, SpiNNaker2Chip


def slices(n: int, capacity: int) -> list[int]:
    """``n`` neurons in the fewest slices of at most ``capacity``, as equal as possible."""
    count = -(-n // capacity)
    base, extra = divmod(n, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


@dataclass
class Plan:
    """The slices (owner name, neurons), their traffic and their chips."""

    owners: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    #: (from slice, to slice) -> packets per step at one spike per neuron
    traffic: dict[tuple[int, int], int] = field(default_factory=dict)
    chips: list[int] = field(default_factory=list)


def _bounds(sizes: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def _add_dense(
    plan: Plan, nz: np.ndarray, pre: range, post: range, pre_sizes: list[int], post_sizes: list[int]
) -> None:
    """Traffic of a ``(post, pre)`` nonzero pattern between the pre and post slices."""
    pb, qb = _bounds(pre_sizes), _bounds(post_sizes)
    for j, b in enumerate(post):
        reached = nz[qb[j] : qb[j + 1]].any(axis=0)
        counts = np.add.reduceat(reached.astype(np.int64), pb[:-1]) if reached.size else np.zeros(0, np.int64)
        for i, a in enumerate(pre):
            if counts[i]:
                plan.traffic[(a, b)] = plan.traffic.get((a, b), 0) + int(counts[i])


def _add_conv(plan: Plan, op: Conv2dOp, pre: range, post: range, pre_sizes: list[int], post_sizes: list[int]) -> None:
    """Traffic of a Conv2DProjection, from its geometry (no dense matrix): which post
    slices each input pixel reaches through a kernel position, for each input channel
    (a kernel position counts where any input channel's weight there is nonzero)."""
    _, h, w = shape_of(op.operands[0])
    c_out, oh, ow = shape_of(op.results[0])[1:]
    (sh, sw), (pt, _pb, pl, _pr) = op.param("stride").tolist(), op.param("padding").tolist()
    mask = np.asarray(op.param("weight")) != 0  # (out, in, kH, kW)
    slice_of = np.repeat(np.arange(len(post_sizes)), post_sizes).reshape(c_out, oh, ow)
    ys, xs = np.arange(oh) * sh - pt, np.arange(ow) * sw - pl
    pixels, targets = [], []
    for ky, kx in zip(*np.nonzero(mask.any(axis=(0, 1))), strict=True):
        py, px = ys + ky, xs + kx
        oky, okx = (py >= 0) & (py < h), (px >= 0) & (px < w)
        if not oky.any() or not okx.any():
            continue
        pix = (py[oky, None] * w + px[None, okx]).reshape(-1)
        for co in np.flatnonzero(mask[:, :, ky, kx].any(axis=1)):
            pixels.append(pix)
            targets.append(slice_of[co][np.ix_(oky, okx)].reshape(-1))
    if not pixels:
        return
    n_post = len(post_sizes)
    pairs = np.unique(np.concatenate(pixels).astype(np.int64) * n_post + np.concatenate(targets))
    pix, tgt = pairs // n_post, pairs % n_post
    channels = np.flatnonzero(mask.any(axis=(0, 2, 3)))
    pre_slice_of = np.repeat(np.arange(len(pre_sizes)), pre_sizes)
    ids = (channels[:, None] * (h * w) + pix[None, :]).reshape(-1)
    keys = pre_slice_of[ids] * n_post + np.tile(tgt, channels.size)
    counts = np.bincount(keys, minlength=len(pre_sizes) * n_post).reshape(len(pre_sizes), n_post)
    for i, j in zip(*np.nonzero(counts), strict=True):
        a, b = pre[int(i)], post[int(j)]
        plan.traffic[(a, b)] = plan.traffic.get((a, b), 0) + int(counts[i, j])


def slice_plan(
    module: ModuleOp, chip: SpiNNaker2Chip = SPINNAKER2
) -> tuple[Plan, dict[Any, range], dict[SSAValue, Any]]:
    """The slices of every population (and input), without their traffic."""
    plan = Plan()
    where: dict[Any, range] = {}
    by_value: dict[SSAValue, Any] = {}
    ops = list(top_graph(module).body.block.ops)
    for op in ops:
        if isinstance(op, nir.InputOp):
            n, capacity, key = int(np.prod(shape_of(op.output))), chip.atoms_default, op
        elif isinstance(op, PopulationOp):
            n, capacity, key = op.size, int(op.max_atoms_per_core.value.data), op
        else:
            continue
        sizes = slices(n, capacity)
        start = len(plan.sizes)
        plan.sizes.extend(sizes)
        plan.owners.extend([op.nir_name] * len(sizes))
        where[key] = range(start, start + len(sizes))
        by_value[op.results[0]] = key
    return plan, where, by_value


def traffic_plan(module: ModuleOp, chip: SpiNNaker2Chip = SPINNAKER2) -> tuple[Plan, dict[Any, range]]:
    """The slices of every population (and input) and the traffic between them."""
    plan, where, by_value = slice_plan(module, chip)
    plan.traffic = traffic(module, plan, where, by_value)
    return plan, where


def traffic(module: ModuleOp, plan: Plan, where: dict[Any, range], by_value: dict[SSAValue, Any]) -> dict:
    """(from slice, to slice) -> packets per step (module doc)."""
    plan.traffic = {}
    for op in top_graph(module).body.block.ops:
        if not isinstance(op, PopulationOp):
            continue
        post = where[op]
        post_sizes = [plan.sizes[i] for i in post]
        for value in op.operands:
            syn = value.owner
            src = by_value[syn.operands[0]]  # type: ignore[union-attr]
            pre = where[src]
            pre_sizes = [plan.sizes[i] for i in pre]
            if isinstance(syn, Conv2dOp):
                _add_conv(plan, syn, pre, post, pre_sizes, post_sizes)
            else:
                assert isinstance(syn, ProjectionOp)
                _add_dense(plan, np.asarray(syn.param("weight")) != 0, pre, post, pre_sizes, post_sizes)
        rec = op.opt_param("weight_rec")
        if rec is not None:
            _add_dense(plan, rec != 0, post, post, post_sizes, post_sizes)
    return plan.traffic


def grow(plan: Plan, per_chip: int) -> list[int]:
    """Greedy graph growing (module doc): the chip of each slice."""
    n = len(plan.sizes)
    neighbours: dict[int, dict[int, int]] = defaultdict(dict)
    for (a, b), t in plan.traffic.items():
        if a != b:
            neighbours[a][b] = neighbours[a].get(b, 0) + t
            neighbours[b][a] = neighbours[b].get(a, 0) + t
    chips = [-1] * n
    nxt, chip = 0, 0
    while nxt < n:
        while nxt < n and chips[nxt] >= 0:
            nxt += 1
        if nxt >= n:
            break
        gain: dict[int, int] = {}
        heap: list[tuple[int, int]] = [(0, nxt)]
        taken = 0
        while taken < per_chip and heap:
            g, s = heapq.heappop(heap)
            if chips[s] >= 0 or -g != gain.get(s, 0):
                continue
            chips[s] = chip
            taken += 1
            for other, t in neighbours[s].items():
                if chips[other] < 0:
                    gain[other] = gain.get(other, 0) + t
                    heapq.heappush(heap, (-gain[other], other))
            if not heap:  # nothing connected left: continue in order
                while nxt < n and chips[nxt] >= 0:
                    nxt += 1
                if nxt < n and taken < per_chip:
                    heapq.heappush(heap, (-gain.get(nxt, 0), nxt))
        chip += 1
    return chips


def refine(plan: Plan, chips: list[int], per_chip: int) -> list[int]:
    """Recursive bisection with Kernighan-Lin refinement (networkx), seeded by ``chips``:
    the slices in the order of their chips are split into two runs holding whole chips
    (the first ``per_chip * (k // 2)`` of the ``k`` chips' worth), KL swaps slices between
    the halves while that lowers the traffic across, and each half is split again."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(plan.sizes)))
    for (a, b), t in plan.traffic.items():
        if a != b:
            w = graph[a][b]["weight"] + t if graph.has_edge(a, b) else t
            graph.add_edge(a, b, weight=w)
    out = [0] * len(plan.sizes)
    next_chip = 0

    def split(nodes: list[int]) -> None:
        nonlocal next_chip
        k = -(-len(nodes) // per_chip)
        if k <= 1:
            for s in nodes:
                out[s] = next_chip
            next_chip += 1
            return
        cut = per_chip * (k // 2)
        halves = kernighan_lin_bisection(
            graph.subgraph(nodes), partition=(set(nodes[:cut]), set(nodes[cut:])), max_iter=10, weight="weight", seed=0
        )
        for half in halves:
            split([s for s in nodes if s in half])

    split(sorted(range(len(plan.sizes)), key=lambda s: (chips[s], s)))
    return out


def in_order(plan: Plan, per_chip: int) -> list[int]:
    return [i // per_chip for i in range(len(plan.sizes))]


def inter_chip(plan: Plan, chips: list[int]) -> int:
    return sum(t for (a, b), t in plan.traffic.items() if chips[a] != chips[b])


def place(module: ModuleOp, chip: SpiNNaker2Chip = SPINNAKER2) -> dict[str, Any]:
    """Slice, assign PEs and chips, record them on the populations; the placement summary."""
    plan, where, by_value = slice_plan(module, chip)
    n = len(plan.sizes)
    chips_needed = -(-n // chip.pes_per_chip)
    if chips_needed > chip.chips_per_board:
        raise Violations(
            "spinnaker2",
            [
                Violation(
                    "spinnaker2-chips",
                    None,
                    f"the populations need {n} PEs ({chips_needed} chips), a {chip.chips_per_board}-chip board has "
                    f"{chip.chips_per_board * chip.pes_per_chip}",
                    limit=chip.chips_per_board * chip.pes_per_chip,
                    actual=n,
                )
            ],
        )
    plan.traffic = traffic(module, plan, where, by_value)
    chips = [0] * n
    if chips_needed > 1:
        grown = grow(plan, chip.pes_per_chip)
        refined = refine(plan, grown, chip.pes_per_chip)
        chips = refined if inter_chip(plan, refined) <= inter_chip(plan, grown) else grown
    naive = in_order(plan, chip.pes_per_chip)
    pe_next: dict[int, int] = defaultdict(int)
    pes = [0] * n
    for s in range(n):
        pes[s] = pe_next[chips[s]]
        pe_next[chips[s]] += 1
    for key, r in where.items():
        if isinstance(key, PopulationOp):
            key.properties["pes"] = DenseAttr.from_array(np.asarray([pes[i] for i in r], np.int64))
            key.properties["chips"] = DenseAttr.from_array(np.asarray([chips[i] for i in r], np.int64))
            key.properties["slice_neurons"] = DenseAttr.from_array(np.asarray([plan.sizes[i] for i in r], np.int64))
    total = sum(t for (a, b), t in plan.traffic.items() if a != b)
    return {
        "pes": n,
        "chips": max(chips) + 1 if chips else 0,
        "pes_per_chip": chip.pes_per_chip,
        "traffic": {
            "inter_pe_packets": total,
            "inter_chip_packets": inter_chip(plan, chips),
            "inter_chip_packets_in_order": inter_chip(plan, naive),
            "measure": "spike packets per step when every neuron spikes once (one per neuron and destination PE)",
        },
        "slices": [
            {"owner": plan.owners[i], "neurons": plan.sizes[i], "chip": chips[i], "pe": pes[i]} for i in range(n)
        ],
    }


@dataclass(frozen=True)
class SpiNNaker2PlacePass(ModulePass):
    """Split each population into PE-sized slices and assign them to PEs and chips."""

    name: ClassVar[str] = "spinnaker2-place"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        place(op)
