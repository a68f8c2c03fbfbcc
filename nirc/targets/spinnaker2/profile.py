"""The ``spinnaker2`` semantics profiles: the float models SpiNNaker2 lowers from.

py-spinnaker2's NIR converter (``s2_nir.from_nir``) discretizes with forward Euler (the
NIR paper's setting, ``FORWARD``) or exponential Euler (its default, ``EXPONENTIAL``);
``spinnaker2`` and ``spinnaker2-exact`` are the two.  They are the float model the chip is
measured against, in the interpreter's dtype; the chip's own float32 arithmetic is the
`spinnaker2` dialect's kernels (``docs/targets/spinnaker2.md``).
"""

from nirc.core.semantics import profile

PROFILE = profile(
    "spinnaker2",
    "py-spinnaker2 lif_no_delay / lif_curr_exp_no_delay as s2_nir converts with Forward-Euler (the NIR "
    "paper's setting): v = alpha_decay v + I + i_offset with alpha = 1 - dt/tau, the input scaled by "
    "dt/tau, spike when v > threshold, reset to v_reset; a projection delivers in the same step (the "
    "spinnaker2 dialect's kernels compute the chip's float32).",
)

EXACT_PROFILE = profile(
    "spinnaker2-exact",
    "py-spinnaker2 as s2_nir converts with Exponential-Euler (its default): alpha = exp(-dt/tau), the "
    "input scaled by 1 - exp(-dt/tau); otherwise as spinnaker2.",
    integrator="exact",
)
