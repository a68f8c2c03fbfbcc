"""``spinnaker2.hardware`` stand-in: a SpiNNaker2 chip simulated with numpy.

This is NOT py-spinnaker2's ``hardware`` module and talks to no chip.  It is a strict
stand-in written from py-spinnaker2's documented API for nirc's tests:
``SpiNNaker2Chip(eth_ip).run(net, timesteps, sys_tick_in_s=1e-3)`` validates the network,
checks that it fits the 152 PEs of one chip and simulates it in float32, one time step
``t = 0 .. timesteps-1`` at a time:

* spike_list populations spike at their listed steps;
* a population's synaptic input sums the integer weights of the presynaptic neurons that
  spiked: in the same step through a feed-forward projection (populations are updated in a
  topological order of those; a cycle through several populations is an error) and in the
  previous step through a recurrent one (pre is post);
* ``lif_no_delay`` / ``lif_conv2d``: ``v = alpha_decay * v + I + i_offset``;
* ``lif_curr_exp_no_delay``: ``I_exc = exc_decay * I_exc + (positive input)``,
  ``I_inh = inh_decay * I_inh + (magnitude of negative input)``,
  ``v = alpha_decay * v + I_exc - I_inh + i_offset``;
* a neuron spikes when ``v > threshold`` and then either loses ``threshold``
  (``reset_by_subtraction``) or is set to ``v_reset`` (``reset_to_v_reset``); the recorded
  ``v`` is the value after the reset.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from . import snn

__all__ = ["PES_PER_CHIP", "SpiNNaker2Chip"]

#: The PEs of one SpiNNaker2 chip that run neurons.
PES_PER_CHIP = 152
#: Above this many pre x post pairs a Projection's synapses stay a list instead of a dense matrix.
_DENSE_LIMIT = 1 << 22


def pes_needed(net: snn.Network) -> int:
    """The PEs ``net`` needs: its populations split by their max atoms per core."""
    total = 0
    for pop in net.populations:
        per_core = snn.SPIKE_LIST_ATOMS_PER_CORE if pop.neuron_model == snn.SPIKE_LIST else pop.max_atoms_per_core
        total += math.ceil(pop.size / per_core)
    return total


def _update_order(net: snn.Network) -> list[snn.Population]:
    """The populations in a topological order of the feed-forward projections (Kahn, stable)."""
    index = {id(pop): i for i, pop in enumerate(net.populations)}
    successors: list[set[int]] = [set() for _ in net.populations]
    indegree = [0] * len(net.populations)
    for proj in net.projections:
        if proj.pre is proj.post:
            continue
        src, dst = index[id(proj.pre)], index[id(proj.post)]
        if dst not in successors[src]:
            successors[src].add(dst)
            indegree[dst] += 1
    ready = [i for i, degree in enumerate(indegree) if degree == 0]
    order: list[int] = []
    while ready:
        i = min(ready)
        ready.remove(i)
        order.append(i)
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
    if len(order) != len(net.populations):
        cycle = [net.populations[i].name for i, degree in enumerate(indegree) if degree > 0]
        raise ValueError(
            f"the feed-forward projections of network {net.name!r} form a cycle through {cycle}: "
            "this stand-in delivers spikes in the same step only along an acyclic graph"
        )
    return [net.populations[i] for i in order]


class _Synapses:
    """One projection's synapses, ready to turn presynaptic spikes into (excitatory, inhibitory) input."""

    def __init__(self, proj: snn.Projection | snn.Conv2DProjection):
        self.proj = proj
        self.recurrent = proj.pre is proj.post
        self.conv = isinstance(proj, snn.Conv2DProjection)
        if self.conv:
            return
        pre_size, post_size = proj.pre.size, proj.post.size
        positive = proj.weights > 0
        self.dense = pre_size * post_size <= _DENSE_LIMIT
        # excitatory synapses, then inhibitory ones with their weights' magnitudes
        self.parts = []
        for mask in (positive, proj.weights < 0):
            pre, post, weight = proj.pre_indices[mask], proj.post_indices[mask], np.abs(proj.weights[mask])
            if self.dense:
                matrix = np.zeros((pre_size, post_size), dtype=np.float64)
                np.add.at(matrix, (pre, post), weight.astype(np.float64))
                self.parts.append(matrix)
            else:
                self.parts.append((pre, post, weight.astype(np.float64)))

    def inputs(self, spikes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The excitatory and inhibitory (magnitude) input, float64 of post.size, of ``spikes``."""
        post_size = self.proj.post.size
        if self.conv:
            total = self.proj.apply(spikes)
            return np.maximum(total, 0.0), np.maximum(-total, 0.0)
        if self.dense:
            values = spikes.astype(np.float64)
            return values @ self.parts[0], values @ self.parts[1]
        result = []
        for pre, post, weight in self.parts:
            fired = spikes[pre]
            result.append(np.bincount(post[fired], weights=weight[fired], minlength=post_size))
        return result[0], result[1]


class SpiNNaker2Chip:
    """One SpiNNaker2 chip reached over Ethernet at ``eth_ip`` (here: simulated with numpy)."""

    def __init__(self, eth_ip):
        if not isinstance(eth_ip, str):
            raise TypeError(f"eth_ip must be a str, got {type(eth_ip).__name__}")
        if not eth_ip:
            raise ValueError("eth_ip must not be empty")
        self.eth_ip = eth_ip

    def run(self, net, timesteps, sys_tick_in_s=1e-3):
        """Run ``net`` for ``timesteps`` steps and store the recorded data in its populations."""
        if not isinstance(net, snn.Network):
            raise TypeError(f"run expects an snn.Network, got {type(net).__name__}")
        timesteps = snn._check_int("timesteps", timesteps, 1)
        if isinstance(sys_tick_in_s, bool) or not isinstance(sys_tick_in_s, Real):
            raise TypeError(f"sys_tick_in_s must be a number of seconds, got {sys_tick_in_s!r}")
        if not (math.isfinite(sys_tick_in_s) and sys_tick_in_s > 0):
            raise ValueError(f"sys_tick_in_s must be a positive finite number of seconds, got {sys_tick_in_s!r}")
        if net._ran:
            raise RuntimeError(f"network {net.name!r} has already run: call net.reset() before running it again")
        net.validate()
        needed = pes_needed(net)
        if needed > PES_PER_CHIP:
            raise ValueError(f"network {net.name!r} needs {needed} PEs, one SpiNNaker2 chip has {PES_PER_CHIP}")
        _simulate(net, timesteps)
        net._ran = True


def _simulate(net: snn.Network, steps: int) -> None:
    order = _update_order(net)
    incoming: dict[int, list[_Synapses]] = {id(pop): [] for pop in order}
    for proj in net.projections:
        incoming[id(proj.post)].append(_Synapses(proj))

    spikes = {id(pop): np.zeros((steps, pop.size), dtype=bool) for pop in order}
    voltages = {id(pop): np.zeros((steps, pop.size), dtype=np.float32) for pop in order if "v" in pop.record}
    states = {}
    for pop in order:
        if pop.neuron_model == snn.SPIKE_LIST:
            due = pop._spike_steps < steps
            spikes[id(pop)][pop._spike_steps[due], pop._spike_neurons[due]] = True
        else:
            zeros = np.zeros(pop.size, dtype=np.float32)
            states[id(pop)] = {"v": zeros.copy(), "exc": zeros.copy(), "inh": zeros.copy()}

    for t in range(steps):
        for pop in order:
            if pop.neuron_model == snn.SPIKE_LIST:
                continue
            exc = np.zeros(pop.size, dtype=np.float64)
            inh = np.zeros(pop.size, dtype=np.float64)
            for syn in incoming[id(pop)]:
                if syn.recurrent:
                    if t == 0:
                        continue
                    fired = spikes[id(pop)][t - 1]
                else:
                    fired = spikes[id(syn.proj.pre)][t]
                if fired.any():
                    add_exc, add_inh = syn.inputs(fired)
                    exc += add_exc
                    inh += add_inh
            fired = _step(pop, states[id(pop)], exc, inh)
            spikes[id(pop)][t] = fired
            if id(pop) in voltages:
                voltages[id(pop)][t] = states[id(pop)]["v"]

    for pop in order:
        pop._clear_results()
        pop._spikes = spikes[id(pop)] if "spikes" in pop.record else None
        pop._voltages = voltages.get(id(pop))
        pop._ran = True


def _step(pop: snn.Population, state: dict[str, np.ndarray], exc: np.ndarray, inh: np.ndarray) -> np.ndarray:
    """Advance ``pop``'s neurons by one step (float32) and return which spiked."""
    p = pop._lif
    v = state["v"]
    if pop.neuron_model == "lif_curr_exp_no_delay":
        state["exc"] = p["exc_decay"] * state["exc"] + exc.astype(np.float32)
        state["inh"] = p["inh_decay"] * state["inh"] + inh.astype(np.float32)
        v = p["alpha_decay"] * v + state["exc"] - state["inh"] + p["i_offset"]
    else:
        current = (exc - inh).astype(np.float32)
        v = p["alpha_decay"] * v + current + p["i_offset"]
    fired = v > p["threshold"]
    if pop.reset_mode == "reset_by_subtraction":
        v = np.where(fired, v - p["threshold"], v)
    else:
        v = np.where(fired, p["v_reset"], v)
    state["v"] = v.astype(np.float32, copy=False)
    return fired
