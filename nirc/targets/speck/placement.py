"""Layers onto cores: a maximum bipartite matching, and what blocks one when none is complete.

Layer ``i`` may go to any core in ``candidates[i]`` (the cores whose memories hold it).
:func:`place` finds a complete assignment whenever one exists (augmenting paths, as
sinabs solves the same matching by max-flow; first-fit fails where a fit exists), and
among the complete ones it picks the one that gives each layer in turn the
lowest-numbered core: readable, and the same on every run.

When no complete assignment exists, Hall's theorem names why: some set of layers fits,
together, on fewer cores than it has layers.  :func:`place` returns the largest such
set (the layers the unmatched ones reach by alternating paths) and the cores they
compete for.
Everything here is deterministic: layers and cores are visited in index order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortage:
    """Layers that fit only on ``cores``, which are fewer than the layers."""

    layers: tuple[int, ...]
    cores: tuple[int, ...]


def _augment(i: int, candidates: Sequence[Sequence[int]], owner: dict[int, int], seen: set[int]) -> bool:
    """Kuhn's step: give layer ``i`` a core, moving others along an alternating path."""
    for core in candidates[i]:
        if core in seen:
            continue
        seen.add(core)
        if core not in owner or _augment(owner[core], candidates, owner, seen):
            owner[core] = i
            return True
    return False


def _matching(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum matching, as core -> layer."""
    owner: dict[int, int] = {}
    for i in range(len(candidates)):
        _augment(i, candidates, owner, set())
    return owner


def _shortage(candidates: Sequence[Sequence[int]], owner: dict[int, int]) -> Shortage:
    """The layers the unmatched layers reach by alternating paths, and their cores:
    every such core is matched, to a layer in the set, so the set has as many layers
    more than cores as are left unplaced (the largest such set, by König's theorem)."""
    matched = set(owner.values())
    unmatched = [i for i in range(len(candidates)) if i not in matched]
    layers, cores, todo = set(unmatched), set(), list(unmatched)
    while todo:
        i = todo.pop()
        for core in candidates[i]:
            if core not in cores:
                cores.add(core)
                j = owner[core]
                if j not in layers:
                    layers.add(j)
                    todo.append(j)
    return Shortage(tuple(sorted(layers)), tuple(sorted(cores)))


def place(candidates: Sequence[Sequence[int]]) -> dict[int, int] | Shortage:
    """Layer -> core for every layer, lowest cores first; or the :class:`Shortage`."""
    candidates = [sorted(c) for c in candidates]
    owner = _matching(candidates)
    if len(owner) < len(candidates):
        return _shortage(candidates, owner)
    fixed: dict[int, int] = {}
    for i in range(len(candidates)):
        for core in candidates[i]:
            if core in fixed.values():
                continue
            trial = [
                [fixed[j]]
                if j in fixed
                else [c for c in candidates[j] if c not in fixed.values() and (j != i or c == core)]
                for j in range(len(candidates))
            ]
            if len(_matching(trial)) == len(candidates):
                fixed[i] = core
                break
    return fixed
