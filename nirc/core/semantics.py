"""Discrete-time semantics: every choice a simulator or chip makes when it runs NIR.

NIR defines neurons in continuous time.  To run a model, one must choose a time step and
how the equations are discretised; each platform chooses differently, which is why the
same `.nir` file spikes at different steps on different platforms (NIR paper, Fig. 4).
:class:`Semantics` names every such choice, and a named *profile* bundles the choices of
one platform so that ``nir-run --semantics rockpool`` predicts what Rockpool will do.
Extensions register profiles (:mod:`nirc.core.profiles` looks them up).

Inputs are piecewise-constant signals: ``x[t]`` is the input current during step ``t``
(the NIR paper's LIF benchmark feeds ``1`` for one step and expects the exact solution
``v = 1 - exp(-dt/tau)``).  See ``docs/semantics.md`` for the equations.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from nirc.core.errors import NircError

Integrator = Literal["euler", "exact"]
InputGain = Literal["tau", "dt/tau", "unit"]
Reset = Literal["value", "subtract", "none"]
Compare = Literal[">", ">="]
Timing = Literal["same", "next"]
Order = Literal["leak-then-integrate", "integrate-then-leak"]

CHOICES: dict[str, tuple[str, ...]] = {
    "integrator": ("euler", "exact"),
    "input_gain": ("tau", "dt/tau", "unit"),
    "reset": ("value", "subtract", "none"),
    "compare": (">", ">="),
    "spike_timing": ("same", "next"),
    "reset_timing": ("same", "next"),
    "order": ("leak-then-integrate", "integrate-then-leak"),
}


@dataclass(frozen=True)
class Semantics:
    """One complete set of discretisation choices.

    * ``dt`` — the time step in seconds.
    * ``integrator`` — ``euler``: ``v += dt/tau * (v_leak - v + R I)``; ``exact``:
      the exact solution for an input held constant over the step (zero-order hold),
      ``v = v_inf + (v - v_inf) exp(-dt/tau)`` with ``v_inf = v_leak + R I``.
    * ``input_gain`` — ``tau``: the input enters scaled by ``dt/tau`` (Euler) or
      ``1 - exp(-dt/tau)`` (exact), as the equations say; ``dt/tau``: scaled by
      ``dt/tau`` whatever the integrator (Rockpool, Sinabs); ``unit``: it is added as
      ``R I`` unscaled, as snnTorch's ``mem = beta*mem + input`` and Sinabs' IAF do.
      For the integrators I/IF, which have no time constant, ``tau`` adds
      ``dt * R I`` per step and ``dt/tau``/``unit`` add ``R I``.
    * ``reset`` — after a spike: ``value`` (``v = v_reset``), ``subtract``
      (``v -= v_threshold``), or ``none``.
    * ``compare`` — spike when ``v > v_threshold`` or ``v >= v_threshold``.
    * ``spike_timing`` — ``same``: the spike leaves in the step the threshold is
      crossed; ``next``: one step later (the spike is computed from the previous
      state, as in Spyx).
    * ``reset_timing`` — ``same``: reset in the spiking step; ``next``: at the start
      of the following step (snnTorch computes the reset from the previous membrane).
    * ``order`` — ``leak-then-integrate``: ``v = a v + g x``; ``integrate-then-leak``:
      ``v = a (v + g x)``.
    * ``multi_spike`` — emit several spikes in one step where the membrane is far above
      threshold (Sinabs' MultiSpike, Speck, Xylo), instead of at most one:
      ``floor(v / v_th)`` whatever the reset (as Sinabs counts; with ``reset=subtract``
      each spike removes one ``v_th``), at least one where the threshold is crossed,
      and with ``compare='>'`` a membrane at an exact multiple counts one spike fewer
      (``ceil(v / v_th) - 1``).
    * ``input_delay`` — whole steps by which input reaches a neuron (Lava's processes
      deliver a spike one step after it was sent).
    * ``dtype`` — the float type of the simulation.
    * ``lowering`` — for a platform whose arithmetic is not floats (a chip's fixed
      point): the pass pipeline (as ``nir-opt -p`` takes it) that takes the discretized
      model to the platform's dialect, whose kernels then compute what the platform
      does.  ``nir-run`` applies it after ``convert-nir-to-snn``; empty for float
      profiles.
    """

    name: str = "custom"
    dt: float = 1e-4
    integrator: Integrator = "euler"
    input_gain: InputGain = "tau"
    reset: Reset = "value"
    compare: Compare = ">"
    spike_timing: Timing = "same"
    reset_timing: Timing = "same"
    order: Order = "leak-then-integrate"
    multi_spike: bool = False
    input_delay: int = 0
    dtype: str = "float64"
    lowering: str = ""
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not (isinstance(self.dt, (int, float)) and self.dt > 0 and self.dt < float("inf")):
            raise NircError(f"dt must be a positive number of seconds, got {self.dt!r}", rule="semantics")
        for key, allowed in CHOICES.items():
            value = getattr(self, key)
            if value not in allowed:
                raise NircError(
                    f"{key.replace('_', '-')} must be one of {', '.join(allowed)}, got {value!r}", rule="semantics"
                )
        if not isinstance(self.input_delay, int) or self.input_delay < 0:
            raise NircError(
                f"input-delay must be a whole number of steps >= 0, got {self.input_delay!r}", rule="semantics"
            )
        if self.dtype not in ("float32", "float64"):
            raise NircError(f"dtype must be float32 or float64, got {self.dtype!r}", rule="semantics")

    def with_options(self, **options: Any) -> Semantics:
        """The same semantics with some choices overridden (keys as fields, or with
        dashes as on the command line)."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        clean: dict[str, Any] = {}
        for key, value in options.items():
            name = key.replace("-", "_")
            if name not in fields or name in ("name", "source"):
                valid = ", ".join(sorted(k.replace("_", "-") for k in fields if k not in ("name", "source")))
                raise NircError(f"unknown semantics option '{key}'; valid options: {valid}", rule="semantics")
            clean[name] = _coerce(name, value)
        return dataclasses.replace(self, **clean)


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        if name == "dt":
            return float(value)
        if name == "input_delay":
            return int(value)
        if name == "multi_spike":
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError(value)
            return value.lower() in ("true", "1")
    except ValueError:
        raise NircError(
            f"bad value {value!r} for semantics option '{name.replace('_', '-')}'", rule="semantics"
        ) from None
    return value


def profile(name: str, source: str, **choices: Any) -> Semantics:
    """A named profile: the choices of one platform, ``source`` citing what it follows
    (an extension lists its profiles in :attr:`nirc.core.extension.Extension.profiles`)."""
    return Semantics(name=name, source=source, **choices)
