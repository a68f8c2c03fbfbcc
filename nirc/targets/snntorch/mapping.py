"""`snn` neurons as snnTorch 1.0.0 layers, where snnTorch's update computes the same thing.

snnTorch's neurons (``snntorch/_neurons``; equations in ``docs/notes/simulator-frameworks.md``
§2) compute, with ``r = [m[t-1] > θ]`` the spike of the *stored* membrane::

    Leaky       m = β m + x,  minus r θ (subtract) or with m[t-1] zeroed first (zero)
    Synaptic    syn = α syn + x;  m = β m + syn,  minus r θ or zeroed as a whole (zero)
    RLeaky      m = (β m + x) + W s[t-1] + b
    RSynaptic   syn = (α syn + x) + W s[t-1] + b;  m = β m + syn
    spike       s = [m > θ]  (reset_delay=False: the reset of s applied in the same step)

Which `snn` choices each expresses (measured bit for bit, §5.1):

* ``reset = subtract`` with ``reset_timing = next`` and ``>``: ``reset_mechanism="subtract"``
  (``reset_delay=True``) — snnTorch's own convention, the ``snntorch`` profile;
* ``reset = value`` to 0 in the same step: ``"zero"`` with ``reset_delay=False`` (not
  RSynaptic, whose ``reset_delay=False`` is broken); to 0 in the next step: Synaptic,
  RLeaky and RSynaptic with ``"zero"`` and ``reset_delay=True`` (Leaky's "zero" keeps the
  new input: not the same);
* no reset: ``"none"``; ``>=``: the threshold ``nextafter(θ, -inf)`` (not with subtract,
  which would subtract that threshold);
* the input gain and the bias go in front (``g * x + b``), the decays are β and α (which
  snnTorch clamps to [0, 1]); a synaptic neuron's membrane gain must be 1, or be folded
  into the current (rounding differs); recurrent weights are scaled by the gain, their
  bias added from the second step on (snnTorch's recurrent bias would act at t = 0).

Everything else — a reset to a non-zero value, spikes one step late, several spikes per
step, integrate-then-leak, decays outside [0, 1], a membrane output of a resetting neuron
— is nirc's own step (:func:`nirc.targets.pygen.torch.neuron.explicit`), named in the report.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from nirc.targets.pygen.backend import Helper, NodeCode, NodeContext
from nirc.targets.pygen.names import literal
from nirc.targets.pygen.neuron import Neuron
from nirc.targets.pygen.report import BIT_EXACT, ROUNDING
from nirc.targets.pygen.source import kw
from nirc.targets.pygen.torch.neuron import explicit, recurrent_bias, scaled_input

FRAMEWORK = "snnTorch"

HEAVISIDE = '''
def heaviside(u):
    """The spike snnTorch's neurons compute, [u > 0], in u's dtype: the default surrogate
    returns float32, which a float64 model cannot feed to its next layer."""
    return (u > 0).to(u.dtype)
'''


def _in_unit(a: np.ndarray | None) -> bool:
    return a is None or bool(np.all((a >= 0) & (a <= 1)))


def _reset(n: Neuron, cls: str) -> tuple[str, bool] | str:
    """(reset_mechanism, reset_delay), or why snnTorch cannot reset this way."""
    d = n.d
    if not d.resets or d.reset == "none":
        return ("none", True)
    if d.reset == "subtract":
        if d.reset_timing != "next":
            return "subtracts the threshold one step after the spike only (reset_delay=False decides the spike after the reset)"
        if d.compare != ">":
            return "subtracts the threshold it compares with, so '>=' cannot be had through nextafter(θ)"
        return ("subtract", True)
    if not n.value_zero:
        return "resets only to zero, not to a non-zero v_reset"
    if np.any(n.threshold_for_strict() < 0):
        # (with '>=', the threshold given is nextafter(θ, -inf): below 0 for θ = 0)
        return "resets to zero as nirc does only for a threshold >= 0 (> 0 with '>=')"
    if d.reset_timing == "same":
        if cls == "RSynaptic":
            return "cannot reset in the spiking step: its reset_delay=False does not work in snntorch 1.0.0"
        return ("zero", False)
    if cls == "Leaky":
        return "Leaky's zero reset keeps the new input, so it cannot reset one step after the spike"
    return ("zero", True)


def _why_not(n: Neuron) -> str:
    d = n.d
    if d.multi_spike:
        return "spikes at most once per step"
    if d.resets and d.spike_timing != "same":
        return "emits a spike in the step its membrane crosses the threshold"
    if d.order != "leak-then-integrate":
        return "integrates after the leak (m = β m + x)"
    if not (_in_unit(d.decay) and _in_unit(d.syn_decay)):
        return "clamps its decays to [0, 1]"
    if d.resets and d.output != "spikes":
        return "returns the membrane after its own reset, not what the threshold read"
    return ""


class SnnTorchMapping:
    imports = ("import snntorch as snn",)
    sequential = None  # snnTorch's neurons return (spikes, state...): a loop over the layers reads better
    reserved = frozenset({"snn"})
    helpers: ClassVar[dict[str, Helper]] = {"heaviside": (HEAVISIDE, ())}

    def neuron(self, ctx: NodeContext) -> NodeCode:
        n = Neuron.of(ctx)
        d = n.d
        synaptic = d.synaptic
        cls = ("RSynaptic" if synaptic else "RLeaky") if n.recurrent else ("Synaptic" if synaptic else "Leaky")
        why = _why_not(n)
        reset = _reset(n, cls)
        if not why and isinstance(reset, str):
            why = reset
        if not why and synaptic and np.any(d.bias != 0):
            why = "adds no bias to the membrane of a current-based neuron"
        if why:
            return explicit(ctx, n, FRAMEWORK, f"{cls} {why}")
        assert not isinstance(reset, str)
        mechanism, delay = reset
        exact = BIT_EXACT
        # The input: g x + b (leaky), or the current's input (g g_s) x (synaptic: the
        # membrane takes the current unscaled).
        if synaptic:
            assert d.syn_gain is not None
            g_in = d.syn_gain if np.all(d.gain == 1) else d.gain * d.syn_gain
            exact = BIT_EXACT if np.all(d.gain == 1) else ROUNDING
            init, x_in, _ = scaled_input(ctx, g_in)
        else:
            g_in = d.gain
            if np.any(d.bias != 0):
                exact = ROUNDING  # (β m) + (g x + b), where nirc adds (a v + b) + g x
            init, x_in, _ = scaled_input(ctx, d.gain, d.bias)
        args: dict[str, str] = {}
        if synaptic:
            args["alpha"] = ctx.param("alpha", d.syn_decay)  # type: ignore[arg-type]
        args["beta"] = ctx.param("beta", d.decay)
        if d.resets:
            args["threshold"] = ctx.param("threshold", n.threshold_for_strict())
        if n.recurrent:
            assert n.w_rec is not None
            args["linear_features"] = str(n.w_rec.shape[0])
        args["reset_mechanism"] = literal(mechanism)
        if mechanism != "none":
            args["reset_delay"] = str(delay)
        if ctx.dtype == np.float64:
            args["spike_grad"] = "heaviside"  # keeps float64 spikes (no surrogate gradient)
        head = ctx.comment(f"{ctx.op.name} -> snn.{cls}, beta {_short(d.decay)}")
        if synaptic:
            head += f", alpha {_short(d.syn_decay)}"
        if d.resets:
            head += f", threshold {_short(d.threshold)}"
        lines = [head, *init, f"{ctx.attr} = snn.{cls}({kw(**args)})"]
        state = [ctx.var("spk")] if n.recurrent else []
        if synaptic:
            state.append(ctx.var("syn"))
        mem = ctx.var("mem")
        state.append(mem)
        start = [f"{', '.join(state)} = {ctx.attr}.reset_mem()"]
        step: list[str] = []
        if n.recurrent:
            exact = ROUNDING  # (β m + x) + W s: another association than nirc's x + (W s + b)
            assert n.w_rec is not None
            lines.append(f"{ctx.attr}.recurrent.weight.data = {ctx.param('w_rec', g_in[:, None] * n.w_rec)}")
            size = n.w_rec.shape[0]
            lines.append(
                f"{ctx.attr}.recurrent.bias.data = torch.zeros({size}, dtype=DTYPE)  # nirc's recurrent bias arrives from the second step"
            )
            bias = recurrent_bias(ctx, n, g_in, x_in)
            if bias is not None:
                line, x_in = bias
                lines.append(line)
        if n.recurrent:
            step.append(f"{', '.join(state)} = {ctx.attr}({x_in}, {', '.join(state)})")
            step.append(f"{ctx.out} = {state[0]}")
        elif d.resets:
            step.append(f"{ctx.out}, {', '.join(state)} = {ctx.attr}({x_in}, {', '.join(state)})")
        else:
            step.append(f"_, {', '.join(state)} = {ctx.attr}({x_in}, {', '.join(state)})")
            step.append(f"{ctx.out} = {mem}")
        return NodeCode(
            lines,
            step,
            start=start,
            module=f"snn.{cls}",
            exact=exact,
            helpers=("heaviside",) if ctx.dtype == np.float64 else (),
        )


def _short(a: np.ndarray | None) -> str:
    if a is None:
        return "-"
    flat = np.asarray(a).reshape(-1)
    return f"{float(flat[0]):.6g}" if flat.size and np.all(flat == flat[0]) else f"per neuron ({flat.size})"
