"""``snn-fuse-recurrent``: fuse neuron ⊳ Linear/Affine ⊳ one-step delay ⊳ same neuron into
``snn.rleaky`` / ``snn.rsynaptic`` holding the recurrent weights (snnTorch's RLeaky and
RSynaptic with ``all_to_all=True``).

Which recurrences fuse, and why the others are left alone, is in
:mod:`nirc.passes.recurrence`.  The fused op keeps the neuron's name, parameters and
metadata and takes its other incoming edges; the delay disappears, and the weight node
too unless other nodes read it (canonicalize merges equal Linears: the fused op then
holds a copy and the node stays for its other readers).

Precondition: ``convert-nir-to-snn`` ran (it puts the one-step delay on the recurrent
edge).  Exact: the fused op computes ``W s[t-1] (+ b)`` as the Linear/Affine did and
adds it after the other inputs, as the fan-in sum did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nirc.core.gcpause import pauses_gc
from nirc.core.node import shape_of
from nirc.core.rewriting import apply_patterns, build, fuse_nodes, sole_user
from nirc.dialects import nir, snn
from nirc.passes.recurrence import recurrence_at


class FuseRecurrence(RewritePattern):
    """A spiking `snn` neuron and its recurrence (weight, one-step delay) into one op."""

    name = "snn-fuse-recurrent"
    #: Rooted at the one-step delay every recurrence has at this level: there are fewer
    #: delays than neurons to visit.
    root_types = (snn.DelayOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        reader = sole_user(op.results[0])
        rec = recurrence_at(reader, "snn") if reader is not None else None
        if rec is None or rec.delay is not op:
            return
        neuron = rec.neuron
        assert isinstance(neuron, snn.SnnNeuronOp)
        cls = snn.RSynapticOp if isinstance(neuron, snn.SynapticOp) else snn.RLeakyOp
        params = {k: v for k, v in neuron.properties.items() if k not in ("name", "edge_ids")}
        ids = rec.external_edge_ids()
        if ids is not None:
            params["edge_ids"] = ids
        params["w_rec"] = rec.weight.properties["weight"]
        if isinstance(rec.weight, nir.AffineOp):
            params["b_rec"] = rec.weight.properties["bias"]
        fused = build(cls, neuron.nir_name, rec.external(), params, shape_of(neuron.results[0]))
        # the weights stay where other nodes read them too (the fused op has its copy)
        weight = rec.weight if len(list(rec.weight.results[0].uses)) == 1 else None
        parts = [op for op in (neuron, rec.delay, weight) if op is not None]
        fuse_nodes(rewriter, parts, fused, result_of=neuron, before=neuron)


@dataclass(frozen=True)
class SnnFuseRecurrentPass(ModulePass):
    """Fuse spiking neuron ⊳ Linear/Affine ⊳ delay ⊳ same neuron into snn.rleaky/rsynaptic."""

    name: ClassVar[str] = "snn-fuse-recurrent"

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        apply_patterns(op, [FuseRecurrence()], confirm=False)  # a neuron fuses once
