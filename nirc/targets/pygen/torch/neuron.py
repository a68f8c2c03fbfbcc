"""What every torch framework's neuron mapping shares: the input scaling in front of a
framework's neuron, the recurrent bias that arrives from the second step
(:func:`recurrent_bias`), and nirc's own step where the framework's neuron computes something
else (:func:`explicit`, the helper :data:`~nirc.targets.pygen.torch.helpers.EXACT_NEURON`).
The op's numbers are :class:`nirc.targets.pygen.neuron.Neuron`."""

from __future__ import annotations

import dataclasses

import numpy as np

from nirc.core.neuron import ARRAYS, DiscreteNeuron
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


def recurrent_bias(ctx: NodeContext, n: Neuron, scale: np.ndarray, x_in: str) -> tuple[str, str] | None:
    """nirc's recurrent bias, ``scale * b_rec``, added to the input ``x_in`` from the second
    step on (a framework's own recurrent bias would act at t = 0, where nirc's recurrent
    term is zero): the construction line of its buffer and the input with it; None where
    the neuron has no bias (or a zero one)."""
    if n.b_rec is None or not np.any(n.b_rec != 0):
        return None
    b, line = ctx.buffer("b_rec", (scale * n.b_rec).astype(ctx.dtype))
    return line, f"{x_in} + ({b} if t > 0 else 0)"


#: The choices of a :class:`~nirc.core.neuron.DiscreteNeuron` that ``ExactNeuron`` takes,
#: in field order: all but the arrays and the state width, which :meth:`Neuron.of`
#: refuses (the frameworks keep states unbounded).
CHOICES = tuple(f.name for f in dataclasses.fields(DiscreteNeuron) if f.name not in (*ARRAYS, "state_bits", "overflow"))


def explicit(ctx: NodeContext, n: Neuron, framework: str, why: str) -> NodeCode:
    """nirc's own step as an :class:`ExactNeuron` in the generated file."""
    d = n.d
    params = {k: getattr(d, k) for k in ARRAYS}
    entries = ", ".join(f"{literal(k)}: {ctx.param(k, v)}" for k, v in params.items() if v is not None)
    choices = {k: getattr(d, k) for k in CHOICES}
    init = [ctx.comment(f"{ctx.op.name}, as nirc's step: {why}")]
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
