"""Discretization: the discrete-time neuron a continuous NIR neuron becomes under a semantics.

This is the one place where ``dt``, the integrator and the input gain turn time constants
into per-step factors.  The `nir` interpreter runs a neuron through the
:class:`DiscreteNeuron` it discretizes to, and ``convert-nir-to-snn`` writes the same
object into ``snn`` ops, so both levels compute with the very same numbers and the
conversion is bit-exact by construction (``docs/semantics.md``, ``docs/passes.md``).

Per step, for membrane ``v`` (and synaptic current ``i`` for current-based neurons)::

    i <- syn_decay * i + syn_gain * x                          (synaptic)
    v <- decay * v + bias + gain * d                            (leak-then-integrate)
    i <- syn_decay * (i + syn_gain * x)                        (integrate-then-leak)
    v <- decay * (v + gain * d) + bias

with ``d = i`` or ``x``; then spikes and reset as the choices say.  ``gain`` folds the
input gain and ``R``; ``bias`` is ``(1 - decay) * v_leak``; ``syn_gain`` folds the
synaptic gain and ``w_in``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects.builtin import DictionaryAttr, FloatAttr, IntegerAttr, StringAttr, f64, i64
from xdsl.ir import Attribute, Operation

from nirc.errors import NircError
from nirc.interp.semantics import Semantics


@dataclass(frozen=True)
class DiscreteNeuron:
    """A neuron's per-step update, every choice explicit (see the module docstring)."""

    decay: np.ndarray
    gain: np.ndarray
    bias: np.ndarray
    syn_decay: np.ndarray | None = None
    syn_gain: np.ndarray | None = None
    #: Present for neurons that reset (spiking neurons, and integrators lowered with a reset).
    threshold: np.ndarray | None = None
    v_reset: np.ndarray | None = None
    reset: str = "none"
    compare: str = ">"
    spike_timing: str = "same"
    reset_timing: str = "same"
    order: str = "leak-then-integrate"
    multi_spike: bool = False
    #: ``spikes`` (spiking neurons) or ``membrane``: the membrane as the threshold reads it.
    output: str = "membrane"

    @property
    def resets(self) -> bool:
        return self.threshold is not None

    @property
    def synaptic(self) -> bool:
        return self.syn_decay is not None

    def astype(self, dtype: Any) -> DiscreteNeuron:
        """The same neuron with every array in ``dtype``."""

        def cast(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else np.asarray(a, dtype=dtype)

        return DiscreteNeuron(
            **{
                **self.__dict__,
                **{k: cast(getattr(self, k)) for k in ARRAYS},
            }
        )


#: The attribute on the top-level graph that records how a module was discretized.
DISCRETIZATION = "snn.discretization"

ARRAYS = ("decay", "gain", "bias", "syn_decay", "syn_gain", "threshold", "v_reset")


def decay_and_gain(sem: Semantics, tau: np.ndarray | None, like: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-step decay ``a`` and input gain ``g`` for time constant ``tau`` (None: an
    integrator, ``a = 1``), in ``like``'s dtype and shape."""
    dtype = like.dtype
    if tau is None:
        # No time constant to scale with: 'tau' integrates the current over the step
        # (dt R I, the equation read literally); 'dt/tau' and 'unit' add R I per step,
        # as Sinabs' IAF and Speck do.
        return np.ones_like(like), np.full_like(like, sem.dt if sem.input_gain == "tau" else 1.0)
    ratio = sem.dt / tau
    a = 1.0 - ratio if sem.integrator == "euler" else np.exp(-ratio)
    gain = {"tau": 1.0 - a, "dt/tau": ratio, "unit": np.ones_like(ratio)}[sem.input_gain]
    return np.asarray(a, dtype=dtype), np.asarray(gain, dtype=dtype)


def discretize(op: Operation, sem: Semantics) -> DiscreteNeuron:
    """The discrete-time form of a `nir` neuron op (I, LI, IF, LIF, CubaLI, CubaLIF; I and
    LI may carry the reset parameters ``lower-composites`` gives them)."""
    from nirc.dialects import nir

    dtype = np.dtype(sem.dtype)

    def param(key: str) -> np.ndarray:
        return np.asarray(op.param(key), dtype=dtype)  # type: ignore[attr-defined]

    cuba = isinstance(op, (nir.CubaLIOp, nir.CubaLIFOp))
    r = param("r")
    if isinstance(op, (nir.IOp, nir.IFOp)):
        decay, g = decay_and_gain(sem, None, r)
        v_leak = np.zeros_like(r)
    else:
        decay, g = decay_and_gain(sem, param("tau_mem" if cuba else "tau"), r)
        v_leak = param("v_leak")
    fields: dict[str, Any] = {"decay": decay, "gain": g * r, "bias": (1.0 - decay) * v_leak, "order": sem.order}
    if cuba:
        a_s, g_s = decay_and_gain(sem, param("tau_syn"), r)
        fields.update(syn_decay=a_s, syn_gain=g_s * param("w_in"))
    spiking = isinstance(op, (nir.IFOp, nir.LIFOp, nir.CubaLIFOp))
    if spiking or op.properties.get("v_threshold") is not None:
        fields.update(
            threshold=param("v_threshold"),
            v_reset=param("v_reset"),
            reset=sem.reset,
            compare=sem.compare,
            spike_timing=sem.spike_timing,
            reset_timing=sem.reset_timing,
            multi_spike=sem.multi_spike,
            output="spikes" if spiking else "membrane",
        )
    return DiscreteNeuron(**fields)


def delay_steps(delay: np.ndarray, dt: float) -> np.ndarray:
    """A NIR delay in seconds as whole steps: ``round(d / dt)``, halves to even."""
    return np.rint(np.asarray(delay, dtype=np.float64) / dt).astype(np.int64)


def takes_input_delay(op: Operation, sem: Semantics) -> int:
    """Steps by which ``op``'s input is delayed under ``sem.input_delay``.

    The delay models a synapse delivering late (Lava's Dense -> LIF), so it applies to
    every neuron's input except an integrator marked ``direct_input``: the membrane
    stage of a lowered CubaLI/CubaLIF, whose input is the synaptic current read in the
    same step."""
    if op.properties.get("direct_input") is not None:
        return 0
    return sem.input_delay


def record(sem: Semantics) -> DictionaryAttr:
    """The semantics as the ``snn.discretization`` attribute."""
    entries: dict[str, Attribute] = {}
    for f in dataclasses.fields(sem):
        value = getattr(sem, f.name)
        if f.name == "source":
            continue
        if isinstance(value, bool):
            entries[f.name] = IntegerAttr(int(value), 1)
        elif isinstance(value, int):
            entries[f.name] = IntegerAttr(value, i64)
        elif isinstance(value, float):
            entries[f.name] = FloatAttr(value, f64)
        else:
            entries[f.name] = StringAttr(str(value))
    return DictionaryAttr(entries)


def recorded(module: Operation) -> Semantics | None:
    """The semantics a module was discretized with, or None (a `nir` module)."""
    from nirc.io.to_dict import top_graph

    graph = top_graph(module)
    attr = graph.attributes.get(DISCRETIZATION)
    if not isinstance(attr, DictionaryAttr):
        return None
    known = {f.name for f in dataclasses.fields(Semantics)} - {"source"}
    values: dict[str, Any] = {}
    for key, value in attr.data.items():
        if key not in known:
            raise NircError(f"{DISCRETIZATION} has an unknown field '{key}'; fields: {', '.join(sorted(known))}", rule="run-semantics")
        if isinstance(value, StringAttr):
            values[key] = value.data
        elif isinstance(value, FloatAttr):
            values[key] = float(value.value.data)
        elif isinstance(value, IntegerAttr):
            values[key] = bool(value.value.data) if key == "multi_spike" else int(value.value.data)
        else:
            raise NircError(f"{DISCRETIZATION} field '{key}' must be a string or a number", rule="run-semantics")
    return Semantics(**values)  # validates the choices
