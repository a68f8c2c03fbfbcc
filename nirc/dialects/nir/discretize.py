"""Discretization: the discrete-time neuron a `nir` neuron becomes under a semantics.

This is the one place where ``dt``, the integrator and the input gain turn time constants
into per-step factors.  The `nir` dialect's kernels run a neuron through the
:class:`~nirc.core.neuron.DiscreteNeuron` it discretizes to, and ``convert-nir-to-snn``
writes the same object into ``snn`` ops, so both levels compute with the very same
numbers and the conversion is bit-exact by construction (``docs/semantics.md``,
``docs/passes.md``).

``gain`` folds the input gain and ``R``; ``bias`` is ``(1 - decay) * v_leak``;
``syn_gain`` folds the synaptic gain and ``w_in``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import Operation

from nirc.core.neuron import DiscreteNeuron
from nirc.core.semantics import Semantics
from nirc.dialects.nir.ops import CubaLIFOp, CubaLIOp, IFOp, IOp, LIFOp


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
    dtype = np.dtype(sem.dtype)

    def param(key: str) -> np.ndarray:
        return np.asarray(op.param(key), dtype=dtype)  # type: ignore[attr-defined]

    cuba = isinstance(op, (CubaLIOp, CubaLIFOp))
    r = param("r")
    if isinstance(op, (IOp, IFOp)):
        decay, g = decay_and_gain(sem, None, r)
        v_leak = np.zeros_like(r)
    else:
        decay, g = decay_and_gain(sem, param("tau_mem" if cuba else "tau"), r)
        v_leak = param("v_leak")
    fields: dict[str, Any] = {"decay": decay, "gain": g * r, "bias": (1.0 - decay) * v_leak, "order": sem.order}
    if cuba:
        a_s, g_s = decay_and_gain(sem, param("tau_syn"), r)
        fields.update(syn_decay=a_s, syn_gain=g_s * param("w_in"))
    spiking = isinstance(op, (IFOp, LIFOp, CubaLIFOp))
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
    same step.  An edge that closes a cycle already brings the previous step's value:
    its synapse's delay includes that step, so it is delayed one step less (in Lava a
    recurrent Dense delivers the spikes of the step before, and the loop has one step
    of delay, not two)."""
    if op.properties.get("direct_input") is not None:
        return 0
    return sem.input_delay
