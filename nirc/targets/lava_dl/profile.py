"""The ``lava-dl`` semantics profile: what lava-dl's slayer CUBA blocks compute."""

from nirc.core.semantics import profile

#: The steps from the `snn` model to slayer's blocks (``nir-to-lava-dl`` after discretizing).
LOWERING = "canonicalize,fold-sum-pool,inline-graphs,snn-fuse-recurrent,convert-snn-to-lava-dl"

PROFILE = profile(
    "lava-dl",
    "lava-dl 0.6.0 slayer.block.cuba.Dense / Recurrent (delay_shift=True, quantize_8bit weights): "
    "slayer.neuron.cuba keeps integer states (int64 on the CPU), u = rtz(u (4096 - cd) / 4096) + int(s z), "
    "v = rtz(v (4096 - vd) / 4096) + u, spike when v >= threshold (quantized to 1/scale) + eps (in float32), v reset "
    "to 0; each block's spikes leave one step later. The model's numbers are given to the blocks as "
    "nir-translate --target=lava-dl does (each block's scale the largest power of two that holds it).",
    lowering=LOWERING,
)
