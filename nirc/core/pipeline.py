"""Named pipelines: a pass that stands for a whole journey (``nir-to-snn``, ``nir-to-speck``).

A :class:`PipelinePass` lists its steps (other passes, with the options it was given)
and runs them in turn, verifying the IR after each, so a failing step is caught where it
fails.  Extensions register pipelines apart from passes
(:attr:`nirc.core.extension.Extension.pipelines`) so ``nir-opt --help`` lists them apart;
both run with ``-p NAME{options}``.
"""

from __future__ import annotations

from abc import abstractmethod

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core.gcpause import pauses_gc
from nirc.core.verify import verify_module


class PipelinePass(ModulePass):
    """A pass made of passes: :meth:`steps`, each followed by the verifier."""

    @abstractmethod
    def steps(self) -> tuple[ModulePass, ...]:
        """The passes, in order, configured from this pipeline's options."""

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for step in self.steps():
            step.apply(ctx, op)
            verify_module(op)
