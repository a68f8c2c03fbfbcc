"""The semantics profiles of the NIR specification, and of platforms nirc has no target for yet.

``nir`` reads the specification literally and is the default everywhere; ``exact`` is the
paper's reference solution.  The other profiles predict what a platform computes; each
moves to its target's folder (``nirc/targets/<name>/``) when the target arrives, as the
snnTorch, Norse and Speck profiles have.  The `nir` extension registers them.
"""

from __future__ import annotations

from nirc.core.semantics import profile

#: The specification's own readings.
SPEC_PROFILES = (
    profile(
        "nir",
        "The NIR specification read literally (Pedersen et al. 2024, Methods): forward Euler "
        "on tau dv/dt = (v_leak - v) + R I with the input scaled by dt/tau, spike when "
        "v > v_threshold (strict, as the spec's Heaviside), reset to v_reset in the same step. "
        "Forward Euler is what most NIR simulators implement, so it is the default.",
    ),
    profile(
        "exact",
        "Exact (zero-order-hold) integration of the same equations, reset by subtraction: "
        "the paper's event-driven reference solution (corpus lif_traces/lif_exact.csv).",
        integrator="exact",
        reset="subtract",
    ),
)

#: Platforms without a target in nirc yet (Sinabs, Rockpool, Spyx, Nengo).
PLATFORM_PROFILES = (
    profile(
        "sinabs",
        "sinabs.layers.LIF / IAF: v = alpha v + input with alpha = exp(-dt/tau) "
        "(sinabs.activation: MembraneSubtract reset, spike when v >= threshold); the NIR importer "
        "(sinabs.from_nir) keeps IF inputs unscaled.",
        integrator="exact",
        input_gain="dt/tau",
        reset="subtract",
        compare=">=",
    ),
    profile(
        "rockpool",
        "rockpool.nn.modules.LIFTorch: membrane decay exp(-dt/tau_mem), input scaled by dt/tau "
        "through the NIR importer, spike when v >= threshold, subtractive reset.",
        integrator="exact",
        input_gain="dt/tau",
        reset="subtract",
        compare=">=",
    ),
    profile(
        "spyx",
        "spyx.nn.LIF: spikes = heaviside(V_prev - threshold) and V = beta V + x - spikes*threshold: "
        "the spike is computed from the previous membrane, so it leaves one step after the crossing, "
        "with subtractive reset.",
        reset="subtract",
        spike_timing="next",
    ),
    profile(
        "nengo",
        "nengo.neurons.LIF (step): exact integration v += (J - v) * (1 - exp(-dt/tau_rc)), spike when "
        "v > 1, reset to 0 (tau_ref = 0 as the NIR importer sets it).",
        integrator="exact",
    ),
)
