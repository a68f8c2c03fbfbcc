"""The Lava profiles: the float model Loihi 2 lowers from, and Lava's fixed point."""

from nirc.core.semantics import profile

PROFILE = profile(
    "lava",
    "lava-nc 0.10.0 processes (floating_pt; Loihi 2 and netx compute the same in fixed point): "
    "lava.proc.lif PyLifModelFloat, u = u(1-du) + a_in; v = v(1-dv) + u + bias; spike when v > vth, "
    "reset to 0; each Dense delivers its sums one step later (a recurrent Dense too, so a loop "
    "through one has one step of delay).",
    input_delay=1,
)

#: The steps from the `snn` model to Lava's fixed point (``nir-to-loihi2`` without placing).
FIXED_LOWERING = "canonicalize,fold-sum-pool,inline-graphs,snn-fuse-recurrent,convert-snn-to-loihi2,loihi2-quantize"

FIXED_PROFILE = profile(
    "lava-fixed",
    "lava-nc 0.10.0 processes in fixed point (fixed_pt, bit-accurate with Loihi 2): the lava profile's "
    "model quantized as nir-translate --target=loihi2 does (8-bit weights, 12-bit decays, 17-bit "
    "threshold mantissa, 24-bit states) and run by the loihi2 kernel, Lava's PyLifModelBitAcc.",
    input_delay=1,
    lowering=FIXED_LOWERING,
)
