"""``lower-composites``: rewrite composite NIR primitives into base ones.

As the NIR paper defines them (Pedersen et al. 2024, Fig. 2):

* IF       = I (with reset) ; Threshold
* LIF      = LI (with reset) ; Threshold
* CubaLI   = LI (synapse: tau_syn, R = w_in) ; LI (membrane)
* CubaLIF  = LI (synapse) ; LIF, and the LIF lowered in turn when ``lif`` is lowered too
* AvgPool2d = SumPool2d ; Scale (1 / (kh kw))

A spike's reset changes the integrator's state; NIR has no edge for that.  The smallest
construct that expresses it is two optional parameters on the integrator,
``v_threshold`` and ``v_reset`` (see :class:`nirc.dialects.nir.IntegratorOp`): the
integrator resets as the spiking neuron would, and outputs the membrane the Threshold
reads.  A reset edge from the Threshold back to the integrator was the alternative; it
would turn every neuron into a cycle and still need the threshold on the integrator for
reset-by-subtraction.  The membrane stage of a lowered current-based neuron is marked
``direct_input`` (its input is the same step's synaptic current).

The integrator keeps the composite's name (so ``nir-run --record`` still finds its
membrane), its metadata and its incoming edges; the new nodes are named
``NAME.threshold``, ``NAME.synapse``, ``NAME.scale``.

Exact: under every semantics profile the interpreter gives bit-identical outputs
before and after (``tests/test_passes_equivalence.py``).  The lowered graph uses nirc
extensions and cannot be written as ``.nir``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, UnitAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nirc.core.gcpause import pauses_gc
from nirc.core.node import NodeOp, shape_of
from nirc.core.rewriting import apply_patterns, build, carry, fresh_name, replace_node
from nirc.dialects import nir

#: Kind (as in ``{only=...}``) -> the op it lowers.
KINDS: dict[str, type[NodeOp]] = {
    "if": nir.IFOp,
    "lif": nir.LIFOp,
    "cubali": nir.CubaLIOp,
    "cubalif": nir.CubaLIFOp,
    "avgpool2d": nir.AvgPool2dOp,
}


def _kinds(only: tuple[str, ...]) -> tuple[type[NodeOp], ...]:
    unknown = [k for k in only if k.lower() not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind '{unknown[0]}' in only=; valid kinds: {', '.join(KINDS)}")
    return tuple(KINDS[k.lower()] for k in only) if only else tuple(KINDS.values())


def _integrator(
    op: NodeOp,
    name: str,
    operands: list[SSAValue],
    *,
    tau: str | None,
    r: np.ndarray,
    v_leak: np.ndarray | None,
    reset: bool,
    direct: bool = False,
) -> NodeOp:
    params: dict[str, object] = {}
    if tau is not None:
        params.update(tau=op.param(tau), r=r, v_leak=v_leak)
    else:
        params.update(r=r)
    if reset:
        params.update(v_threshold=op.param("v_threshold"), v_reset=op.param("v_reset"))
    if direct:
        params["direct_input"] = UnitAttr()
    cls = nir.LIOp if tau is not None else nir.IOp
    return build(cls, name, operands, params, shape_of(op.results[0]))  # type: ignore[arg-type]


def _threshold(op: NodeOp, block: Block, source: NodeOp) -> NodeOp:
    return build(
        nir.ThresholdOp,
        fresh_name(block, f"{op.nir_name}.threshold"),
        [source.results[0]],
        {"threshold": op.param("v_threshold")},
        shape_of(op.results[0]),
    )


def lower(op: NodeOp, block: Block) -> list[NodeOp]:
    """The base ops replacing ``op`` (a node of ``block``), in order; the last one
    produces its signal."""
    name = op.nir_name
    inputs = list(op.operands)
    direct = op.properties.get("direct_input") is not None
    if isinstance(op, nir.IFOp):
        first = _integrator(op, name, inputs, tau=None, r=op.param("r"), v_leak=None, reset=True, direct=direct)
        return [first, _threshold(op, block, first)]
    if isinstance(op, nir.LIFOp):
        first = _integrator(
            op, name, inputs, tau="tau", r=op.param("r"), v_leak=op.param("v_leak"), reset=True, direct=direct
        )
        return [first, _threshold(op, block, first)]
    if isinstance(op, (nir.CubaLIOp, nir.CubaLIFOp)):
        w_in = op.param("w_in")
        synapse = _integrator(
            op,
            fresh_name(block, f"{name}.synapse"),
            inputs,
            tau="tau_syn",
            r=w_in,
            v_leak=np.zeros_like(w_in),
            reset=False,
            direct=direct,
        )
        if isinstance(op, nir.CubaLIOp):
            membrane = _integrator(
                op,
                name,
                [synapse.results[0]],
                tau="tau_mem",
                r=op.param("r"),
                v_leak=op.param("v_leak"),
                reset=False,
                direct=True,
            )
            return [synapse, membrane]
        lif = build(
            nir.LIFOp,
            name,
            [synapse.results[0]],
            {k: op.param(k if k != "tau" else "tau_mem") for k in ("tau", "r", "v_leak", "v_threshold", "v_reset")},
            shape_of(op.results[0]),
        )
        lif.properties["direct_input"] = UnitAttr()  # kept when this LIF is lowered in turn
        return [synapse, lif]
    if isinstance(op, nir.AvgPool2dOp):
        shape = shape_of(op.results[0])
        pool = build(
            nir.SumPool2dOp, name, inputs, {k: op.param(k) for k in ("kernel_size", "stride", "padding")}, shape
        )
        kernel = np.broadcast_to(np.asarray(op.param("kernel_size")).reshape(-1), (2,))
        scale = np.full(shape, 1.0 / (int(kernel[0]) * int(kernel[1])), dtype=np.float64)
        return [
            pool,
            build(nir.ScaleOp, fresh_name(block, f"{name}.scale"), [pool.results[0]], {"scale": scale}, shape),
        ]
    raise AssertionError(f"not a composite: {op.name}")


class LowerComposite(RewritePattern):
    """One composite node of the given kinds into its base nodes (see the module doc)."""

    name = "lower-composite"

    def __init__(self, kinds: tuple[type[NodeOp], ...]):
        self.kinds = self.root_types = kinds

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, self.kinds):
            return
        block = op.parent_block()
        assert block is not None and isinstance(op, NodeOp)
        replacement = lower(op, block)
        carry(op, replacement[0], ("edge_ids",))  # the first node takes the incoming edges
        keeper = next(new for new in replacement if new.properties["name"] == op.properties["name"])
        carry(op, keeper, ("metadata",))  # the node keeping the name keeps the metadata
        replace_node(rewriter, op, replacement)  # a CubaLIF's LIF is visited, and lowered, in turn


@dataclass(frozen=True)
class LowerCompositesPass(ModulePass):
    """Rewrite IF, LIF, CubaLI, CubaLIF and AvgPool2d into base primitives (all of them,
    or the kinds listed in ``only``: ``{only=lif,cubalif}``)."""

    name: ClassVar[str] = "lower-composites"

    only: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _kinds(self.only)

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        apply_patterns(op, [LowerComposite(_kinds(self.only))], confirm=False)  # new composites are visited
