"""The ``lava`` semantics profile: the float model Loihi 2 lowers from, as Lava computes it."""

from nirc.core.semantics import profile

PROFILE = profile(
    "lava",
    "lava-nc 0.10.0 processes (floating_pt; Loihi 2 and netx compute the same in fixed point): "
    "lava.proc.lif PyLifModelFloat, u = u(1-du) + a_in; v = v(1-dv) + u + bias; spike when v > vth, "
    "reset to 0; each Dense delivers its sums one step later (a recurrent Dense too, so a loop "
    "through one has one step of delay).",
    input_delay=1,
)
