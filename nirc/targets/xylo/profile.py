"""The ``xylo`` semantics profile: the float model Xylo lowers from, as discretization choices."""

from nirc.core.semantics import profile

PROFILE = profile(
    "xylo",
    "SynSense Xylo as rockpool trains for it (LIFTorch; XyloSim runs the integer version): synaptic "
    "current then membrane, exponential decay exp(-dt/tau) (the chip's bit-shift 1 - 2^-dash is the "
    "nearest), spike when v >= threshold, subtractive reset, several spikes per step.",
    integrator="exact",
    reset="subtract",
    compare=">=",
    multi_spike=True,
    dt=1e-3,
)
