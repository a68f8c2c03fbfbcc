"""The ``norse`` semantics profile: what Norse computes, as discretization choices."""

from nirc.core.semantics import profile

PROFILE = profile(
    "norse",
    "norse.torch.functional.lif_box / LIFBoxCell: v_new = v + dt*tau_mem_inv*((v_leak - v) + i), "
    "z = heaviside(v_new - v_th) (strict), v = (1-z) v_new + z v_reset; the NIR importer "
    "(norse.torch.utils.import_nir) maps tau, v_leak, v_th, v_reset directly.  IAFCell adds its "
    "input unscaled (v + x, dt unused), so integrators take R I per step (input gain dt/tau, "
    "which for the leaky neurons is Euler's own dt/tau).",
    input_gain="dt/tau",
)
