"""``toy-clamp-inputs{bound=...}``: a clamp after every graph Input; and the named
pipeline ``nir-to-toy{dt=...}`` = ``nir-to-snn{dt}`` ; ``toy-clamp-inputs``.

A pass is an xDSL ``ModulePass`` (a frozen dataclass whose fields are its options); it
rewrites through the ``PatternRewriter`` nirc's helpers take, so names stay unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter

from nirc.core.node import shape_of
from nirc.core.pipeline import PipelinePass
from nirc.core.rewriting import build, fresh_name, interpose, rewrite_session
from nirc.dialects import nir
from nirc.passes.nir_to_snn import NirToSnnPass
from nirc_toy.dialect import ClampOp


@dataclass(frozen=True)
class ToyClampInputsPass(ModulePass):
    """Put a ``toy.clamp`` to [-bound, bound] after every graph Input."""

    name: ClassVar[str] = "toy-clamp-inputs"

    bound: float = 1.0

    def __post_init__(self) -> None:
        if not self.bound > 0:
            raise ValueError(f"bound must be > 0, got {self.bound}")

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        with rewrite_session():
            for graph in nir.graphs(op):
                for inp in graph.input_nodes():
                    readers = [use for use in inp.output.uses]
                    if not readers or all(isinstance(use.operation, ClampOp) for use in readers):
                        continue
                    shape = shape_of(inp.output)
                    clamp = build(
                        ClampOp,
                        fresh_name(graph.body.block, f"{inp.nir_name}.clamp"),
                        [inp.output],
                        {"lo": np.full(shape, -self.bound, np.float32), "hi": np.full(shape, self.bound, np.float32)},
                        shape,
                    )
                    interpose(PatternRewriter(inp), clamp)


@dataclass(frozen=True)
class NirToToyPass(PipelinePass):
    """nir-to-snn{dt semantics=toy} ; toy-clamp-inputs{bound}."""

    name: ClassVar[str] = "nir-to-toy"

    dt: float = 1e-4
    bound: float = 1.0

    def steps(self) -> tuple[ModulePass, ...]:
        return (NirToSnnPass(dt=self.dt, semantics="toy"), ToyClampInputsPass(bound=self.bound))
