"""What every torch framework's neuron mapping shares: the input scaling in front of a
framework's neuron, and nirc's own step where the framework's neuron computes something
else (:func:`explicit`, the helper :data:`~nirc.targets.pygen.torch.helpers.EXACT_NEURON`).
The op's numbers are :class:`nirc.targets.pygen.neuron.Neuron`."""

from __future__ import annotations

import numpy as np

from nirc.targets.pygen.backend import NodeCode, NodeContext
from nirc.targets.pygen.names import literal
from nirc.targets.pygen.neuron import Neuron
from nirc.targets.pygen.report import BIT_EXACT, ROUNDING
from nirc.targets.pygen.source import describe


def scaled_input(
    ctx: NodeContext, gain: np.ndarray, bias: np.ndarray | None = None
) -> tuple[list[str], str, tuple[str, ...] | None]:
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
    choices = {
        "reset": d.reset,
        "compare": d.compare,
        "spike_timing": d.spike_timing,
        "reset_timing": d.reset_timing,
        "order": d.order,
        "multi_spike": d.multi_spike,
        "output": d.output,
    }
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
