"""The ``speck`` semantics profile: what SynSense Speck computes, as discretization choices."""

from nirc.core.semantics import profile

PROFILE = profile(
    "speck",
    "SynSense Speck / DynapCNN (sinabs.backend.dynapcnn): integrate-and-fire with integer state, "
    "input added unscaled, spike when v >= threshold, reset by subtraction, several spikes per "
    "step (sinabs MultiSpike).",
    input_gain="unit",
    reset="subtract",
    compare=">=",
    multi_spike=True,
)
