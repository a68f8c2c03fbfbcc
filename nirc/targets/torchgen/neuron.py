"""What every framework's neuron mapping shares: the op's numbers in the run dtype, the
input scaling, and the explicit fallback (:data:`~nirc.targets.torchgen.helpers.EXACT_NEURON`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nirc.core.neuron import DiscreteNeuron
from nirc.dialects import snn
from nirc.targets.torchgen.names import literal
from nirc.targets.torchgen.node import BIT_EXACT, ROUNDING, NodeCode, NodeContext, describe


@dataclass
class Neuron:
    """An `snn` neuron op's numbers, in the run dtype."""

    d: DiscreteNeuron
    w_rec: np.ndarray | None
    b_rec: np.ndarray | None

    @classmethod
    def of(cls, ctx: NodeContext) -> Neuron:
        d = ctx.op.discrete().astype(ctx.dtype)  # type: ignore[attr-defined]
        recurrent = isinstance(ctx.op, (snn.RLeakyOp, snn.RSynapticOp))
        return cls(d, ctx.array("w_rec") if recurrent else None, ctx.array("b_rec") if recurrent else None)

    @property
    def recurrent(self) -> bool:
        return self.w_rec is not None

    @property
    def value_zero(self) -> bool:
        """Resets to exactly 0 (``reset = value`` with ``v_reset = 0``)."""
        return self.d.reset == "value" and self.d.v_reset is not None and bool(np.all(self.d.v_reset == 0))

    def threshold_for_strict(self) -> np.ndarray:
        """θ for a framework that spikes at ``v > θ``: θ itself for ``>``, the float just
        below θ for ``>=`` (``v >= θ`` iff ``v > nextafter(θ, -inf)``: exact)."""
        assert self.d.threshold is not None
        theta = self.d.threshold
        return theta if self.d.compare == ">" else np.nextafter(theta, np.asarray(-np.inf, theta.dtype))


def scaled_input(ctx: NodeContext, gain: np.ndarray, bias: np.ndarray | None = None) -> tuple[list[str], str, tuple[str, ...] | None]:
    """``gain * x (+ bias)`` as nirc computes it (an elementwise product: exact), with the
    lines it needs: (init lines, the input expression, and for a chain the modules to
    apply before the neuron, None where a bias makes it no chain); ``x`` alone where the
    gain is 1."""
    init: list[str] = []
    expr = ctx.x
    modules: tuple[str, ...] | None = ()
    if not np.all(gain == 1):
        if ctx.chained:
            name = ctx.var("gain")
            init.append(f"{name} = Gain({ctx.param('gain', gain)})  # {describe(gain)}")
            modules = (name,)
        else:
            g, line = ctx.buffer("gain", gain)
            init.append(line)
            expr = f"{g} * ({ctx.x})" if " " in ctx.x else f"{g} * {ctx.x}"
    if bias is not None and np.any(bias != 0):
        b, line = ctx.buffer("bias", bias)
        init.append(line)
        expr = f"{expr} + {b}"
        modules = None
    return init, expr, modules


def explicit(ctx: NodeContext, n: Neuron, framework: str, why: str) -> NodeCode:
    """nirc's own step as an :class:`ExactNeuron` in the generated file."""
    d = n.d
    params = {k: getattr(d, k) for k in ("decay", "gain", "bias", "syn_decay", "syn_gain", "threshold", "v_reset")}
    entries = ", ".join(f"{literal(k)}: {ctx.param(k, v)}" for k, v in params.items() if v is not None)
    choices = {"reset": d.reset, "compare": d.compare, "spike_timing": d.spike_timing, "reset_timing": d.reset_timing,
               "order": d.order, "multi_spike": d.multi_spike, "output": d.output}
    init = [f"# {literal(ctx.name)}: {ctx.op.name}, as nirc's step: {why}"]
    args = ", ".join(f"{k}={literal(v)}" for k, v in choices.items())
    if n.recurrent:
        assert n.w_rec is not None
        size = n.w_rec.shape[0]
        init.append(f"{ctx.attr} = ExactNeuron({{{entries}}}, {args},")
        init.append(f"    recurrent=nn.Linear({size}, {size}, bias={n.b_rec is not None}, dtype=DTYPE))")
        init.append(f"{ctx.attr}.recurrent.weight.data = {ctx.param('w_rec', n.w_rec)}")
        if n.b_rec is not None:
            init.append(f"{ctx.attr}.recurrent.bias.data = {ctx.param('b_rec', n.b_rec)}")
    else:
        init.append(f"{ctx.attr} = ExactNeuron({{{entries}}}, {args})")
    state = ctx.var("state")
    return NodeCode(
        init,
        [f"{ctx.out}, {state} = {ctx.attr}({ctx.x}, {state})"],
        start=[f"{state} = None"],
        chain=(ctx.attr,),
        chain_state="None",
        module="ExactNeuron",
        exact=ROUNDING if n.recurrent else BIT_EXACT,
        note=f"{framework} {why}",
        helpers=("ExactNeuron",),
    )
