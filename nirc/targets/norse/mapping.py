"""`snn` neurons as Norse 1.1.0 cells, where Norse's update computes the same thing.

Norse's cells (``norse/torch/functional``; ``docs/notes/simulator-frameworks.md`` §3),
with ``k = dt * tau_mem_inv`` and ``dt = 1``::

    IAFCell         v = v + x;  z = [v > v_th];  v = (1 - z) v + z v_reset
    LIFBoxCell      v = v + k ((x + v_leak) - v);  z, reset (reset_method)
    LIBoxCell       v = v + k ((x + v_leak) - v)                      (no spike)
    LIFCell         i = i + x;  v = v + k ((v_leak - v) + i);  i = (1 - ks) i;  z, value reset
    LICell          the same without a spike
    LIFRecurrentCell  LIFCell on  x W_in^T + z[t-1] W_rec^T

``v + k((x + v_leak) - v)`` is nirc's ``a v + b + g x`` with ``k = 1 - a``,
``v_leak = b / k`` and the input ``(g / k) x``: the same equations, rounded differently
(measured: no spike differs; |Δv| ≤ 6e-6 in float32).  IAFCell is bit-exact.  Norse's
cells spike at ``v > v_th`` in the step they cross and reset in that step; ``>=`` is had
through ``v_th = nextafter(θ, -inf)``; LIFBoxCell takes any ``reset_method`` (value,
subtract, none), the current-based cells only reset to a value.  Every membrane starts
at 0 (Norse's default states start at ``v_leak``): the generated code passes the
initial states.

Everything else — spikes or resets one step late, several spikes per step, a subtracting
current-based neuron, integrate-then-leak, ``a = 1`` with a bias, a membrane output of a
resetting neuron — is nirc's own step (:func:`nirc.targets.pygen.torch.neuron.explicit`),
named in the report.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from nirc.targets.pygen.backend import Helper, NodeCode, NodeContext
from nirc.targets.pygen.neuron import Neuron
from nirc.targets.pygen.report import BIT_EXACT, ROUNDING
from nirc.targets.pygen.torch.neuron import explicit, recurrent_bias, scaled_input

FRAMEWORK = "Norse"
RESETS = {"value": "reset_value", "subtract": "reset_subtract", "none": "no_reset"}

NO_RESET = '''
def no_reset(z, v, v_reset, v_th):
    """A Norse reset_method that keeps the membrane: the neuron spikes without resetting."""
    return v
'''


def _why_not(n: Neuron) -> str:
    d = n.d
    if d.multi_spike:
        return "spike at most once per step"
    if d.resets and d.spike_timing != "same":
        return "spike in the step the membrane crosses the threshold"
    if d.resets and d.reset_timing != "same":
        return "reset in the spiking step"
    if d.order != "leak-then-integrate":
        return "leak after integrating (order = integrate-then-leak)"
    if d.resets and d.output != "spikes":
        return "return the membrane after the reset, not what the threshold read"
    if d.resets and d.reset == "subtract" and d.compare != ">":
        return "subtract the threshold they compare with, so '>=' cannot be had through nextafter(θ)"
    return ""


class NorseMapping:
    imports = ("import norse.torch as norse",)
    sequential = "norse.SequentialState"
    reserved = frozenset({"norse"})
    helpers: ClassVar[dict[str, Helper]] = {"no_reset": (NO_RESET, ())}

    def neuron(self, ctx: NodeContext) -> NodeCode:
        n = Neuron.of(ctx)
        d = n.d
        why = _why_not(n)
        k = (1 - d.decay).astype(ctx.dtype)
        leaky = bool(np.all(k != 0))
        integrator = bool(np.all(d.decay == 1))
        if (
            not why
            and not leaky
            and not (
                integrator
                and np.all(d.bias == 0)
                and d.resets
                and d.reset == "value"
                and not d.synaptic
                and not n.recurrent
            )
        ):
            why = (
                "have no integrate-and-fire form for this neuron (decay 1 with a bias, a current or a reset other than to a value)"
                if integrator
                else "mix leaky and non-leaky neurons in one cell"
            )
        if not why and (d.synaptic or n.recurrent) and d.resets and d.reset != "value":
            why = "reset current-based and recurrent cells only to a value"
        if not why and n.recurrent and not d.resets:
            why = "have no recurrent cell without a spike"
        if why:
            return explicit(
                ctx,
                n,
                FRAMEWORK,
                f"cells cannot {why}"
                if why.startswith(("spike", "reset", "leak", "return", "subtract"))
                else f"cells {why}",
            )
        if integrator and not leaky:  # IAFCell: v + x, bit-exact
            init, x_in, pre = scaled_input(ctx, d.gain)
            p = f"norse.IAFParameters(v_th={ctx.param('v_th', n.threshold_for_strict())}, v_reset={ctx.param('v_reset', d.v_reset)})"  # type: ignore[arg-type]
            lines = [
                ctx.comment(f"{ctx.op.name} -> norse.IAFCell"),
                *init,
                f"{ctx.attr} = norse.IAFCell({p})",
            ]
            helpers = ("Gain",) if pre else ()
            state = ctx.var("state")
            initial = f"norse.IAFFeedForwardState(v={ctx.zeros(tuple(d.decay.shape))})"
            return NodeCode(
                lines,
                [f"{ctx.out}, {state} = {ctx.attr}({x_in}, {state})"],
                start=[f"{state} = {initial}"],
                module="norse.IAFCell",
                exact=BIT_EXACT,
                helpers=helpers,
                chain=None if pre is None else (*pre, ctx.attr),
                chain_state=initial,
            )
        scale = (d.gain / k) if not d.synaptic else (d.gain * d.syn_gain / k)  # type: ignore[operator]
        init, x_in, pre = scaled_input(ctx, scale.astype(ctx.dtype))
        shape = tuple(d.decay.shape)
        zero = ctx.zeros(shape)
        params = {
            "tau_mem_inv": ctx.param("tau_mem_inv", k),
            "v_leak": ctx.param("v_leak", (d.bias / k).astype(ctx.dtype)),
        }
        if d.synaptic or n.recurrent:
            syn_k = (1 - d.syn_decay).astype(ctx.dtype) if d.synaptic else np.ones_like(k)  # type: ignore[operator]
            params = {"tau_syn_inv": ctx.param("tau_syn_inv", syn_k), **params}
        if d.resets:
            params["v_th"] = ctx.param("v_th", n.threshold_for_strict())
            params["v_reset"] = ctx.param("v_reset", d.v_reset)  # type: ignore[arg-type]
        helpers: tuple[str, ...] = ("Gain",) if pre else ()
        if n.recurrent:
            cls, p_cls, state_new = "LIFRecurrentCell", "LIFParameters", f"norse.LIFState(z={zero}, v={zero}, i={zero})"
        elif d.synaptic:
            cls, p_cls = ("LIFCell", "LIFParameters") if d.resets else ("LICell", "LIParameters")
            state_new = f"norse.{'LIFFeedForwardState' if d.resets else 'LIState'}(v={zero}, i={zero})"
        else:
            cls, p_cls = ("LIFBoxCell", "LIFBoxParameters") if d.resets else ("LIBoxCell", "LIBoxParameters")
            state_new = f"norse.{'LIFBoxFeedForwardState' if d.resets else 'LIBoxState'}(v={zero})"
            if d.resets:
                params["reset_method"] = f"norse.{RESETS[d.reset]}" if d.reset != "none" else "no_reset"
                helpers += ("no_reset",) if d.reset == "none" else ()
        p = f"norse.{p_cls}({', '.join(f'{a}={b}' for a, b in params.items())})"
        lines = [ctx.comment(f"{ctx.op.name} -> norse.{cls} (dt = 1: tau_mem_inv is 1 - decay)"), *init]
        if n.recurrent:
            assert n.w_rec is not None
            size = n.w_rec.shape[0]
            lines.append(
                f"{ctx.attr} = norse.{cls}({size}, {size}, {p}, "
                f"input_weights=torch.eye({size}, dtype=DTYPE), recurrent_weights={ctx.param('w_rec', scale[:, None] * n.w_rec)}, "
                "autapses=True, dt=1.0)"
            )
            bias = recurrent_bias(ctx, n, scale, x_in)
            if bias is not None:
                line, x_in = bias
                lines.append(line)
                pre = None  # the bias arrives from the second step: not a module of a chain
        else:
            lines.append(f"{ctx.attr} = norse.{cls}({p}, dt=1.0)")
        state = ctx.var("state")
        return NodeCode(
            lines,
            [f"{ctx.out}, {state} = {ctx.attr}({x_in}, {state})"],
            start=[f"{state} = {state_new}"],
            chain=None if pre is None else (*pre, ctx.attr),
            chain_state=state_new,
            module=f"norse.{cls}",
            exact=ROUNDING,
            helpers=helpers,
        )
