"""``nir-to-snn``: the named pipeline from a `nir` model to fused discrete-time `snn`.

``canonicalize`` ; ``convert-nir-to-snn{…}`` ; ``snn-fuse-recurrent``, taking the options
of ``convert-nir-to-snn`` (``{dt=1e-4 semantics=snntorch}``) and ``fold`` of
``canonicalize``.  The IR is verified after each step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from xdsl.passes import ModulePass

from nirc.core.pipeline import PipelinePass
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass


@dataclass(frozen=True)
class NirToSnnPass(PipelinePass, ConvertNirToSnnPass):
    """canonicalize ; convert-nir-to-snn{options} ; snn-fuse-recurrent."""

    name: ClassVar[str] = "nir-to-snn"

    fold: bool = True

    def steps(self) -> tuple[ModulePass, ...]:
        convert = {f.name: getattr(self, f.name) for f in dataclasses.fields(ConvertNirToSnnPass)}
        return (CanonicalizePass(fold=self.fold), ConvertNirToSnnPass(**convert), SnnFuseRecurrentPass())
