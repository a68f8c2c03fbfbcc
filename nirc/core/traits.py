"""Op traits that say how a node takes part in a graph and in time.

The executor, the schedule and the passes ask these of an op instead of naming its
class, so a plugin's ops join in by declaring them (``traits = traits_def(...)``):

* :class:`GraphInput` / :class:`GraphOutput` — the interface nodes of a graph (the
  depth-first schedule starts at the inputs; outputs expose the sum of their edges);
* :class:`DiscreteTime` — the op defines its own per-step update: no semantics profile
  changes what it computes (the `snn` dialect, chip dialects);
* :class:`ContinuousTime` — what the op computes per step depends on the semantics
  profile (``dt``, the integrator, ...): the `nir` dialect's neurons, Threshold, Delay;
* :class:`CycleBreaker` — the op's output at a step does not depend on its input at that
  step (a delay of at least one step), so a cycle through it needs no schedule decision.

An op with neither time trait is time-invariant (Linear, Conv, pooling ...): it computes
the same in continuous and in discrete time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from xdsl.ir import Operation
from xdsl.pattern_rewriter import RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, OpTrait

_T = TypeVar("_T", bound=OpTrait)


@dataclass(frozen=True)
class GraphInput(OpTrait):
    """A graph's input node: it takes no edges and yields the signal fed from outside."""


@dataclass(frozen=True)
class GraphOutput(OpTrait):
    """A graph's output node: it exposes the sum of its incoming signals."""


@dataclass(frozen=True)
class DiscreteTime(OpTrait):
    """The op states its own per-step update: it runs the same under every profile."""


@dataclass(frozen=True)
class ContinuousTime(OpTrait):
    """The op's per-step update follows from the semantics profile it is run under."""


class CycleBreaker(OpTrait):
    """The op may delay its input by at least one step (:meth:`breaks`).

    The executor treats an op for which :meth:`breaks` holds as known at the start of a
    step (its kernel's ``peek``) and fed at the end (``push``); the schedule leaves the
    edges into it out, so a cycle through it has no edge that "closes" it."""

    def breaks(self, op: Operation) -> bool:
        """Whether ``op`` delays every element of its input by at least one step."""
        raise NotImplementedError


@cache
def trait_of(op_type: type[Operation], trait: type[_T]) -> _T | None:
    """The trait of type ``trait`` that ops of ``op_type`` have, or None (cached per
    class: the graph algorithms and passes ask it of every node)."""
    return op_type.get_trait(trait)


def has(op_type: type[Operation], trait: type[OpTrait]) -> bool:
    """Whether ops of ``op_type`` have a trait of type ``trait``."""
    return trait_of(op_type, trait) is not None


def is_input(op: Operation) -> bool:
    return has(type(op), GraphInput)


def is_output(op: Operation) -> bool:
    return has(type(op), GraphOutput)


def breaks_cycles(op: Operation) -> bool:
    """Whether ``op``'s output at a step does not depend on its input at that step."""
    trait = trait_of(type(op), CycleBreaker)
    return trait is not None and trait.breaks(op)


@dataclass(frozen=True)
class Quantizable(OpTrait):
    """The op is a whole layer that ``quantize`` scales to integers on its own (a chip's
    core, say): ``roles`` gives each parameter's role — ``weight``, ``bias`` or
    ``threshold`` (a positive threshold never rounds to 0) — whose bit width the pass's
    options set; one factor (per layer, or per output channel along the first axis)
    multiplies them all, and the op records it in its ``scale`` property.  An op whose
    result is its membrane rather than spikes says so with a ``reads_membrane`` attribute
    (true): ``quantize`` then puts a ``nir.scale`` of ``1/scale`` after it.  A layer that
    spans several ops (an `snn` neuron and the weights that feed it) needs no trait: the
    pass finds those itself."""

    roles: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Canonicalizations(HasCanonicalizationPatternsTrait):
    """The op's canonicalization patterns (xDSL's trait), named by a reference
    ``"module:ATTRIBUTE"`` that is imported when ``canonicalize`` first asks: a
    dialect's patterns import its ops, so its ops cannot import them up front.
    ``traits = traits_def(Canonicalizations("nirc.dialects.nir.canonicalization:SCALE"))``."""

    ref: str

    def get_patterns(self, op: type[Operation]) -> tuple[RewritePattern, ...]:
        module, _, attr = self.ref.partition(":")
        return tuple(getattr(importlib.import_module(module), attr))

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:  # pragma: no cover - get_patterns answers
        raise NotImplementedError("Canonicalizations answers get_patterns")
