"""The ``snntorch`` semantics profile: what snnTorch computes, as discretization choices."""

from nirc.core.semantics import profile

PROFILE = profile(
    "snntorch",
    "snntorch.Leaky with reset_mechanism='subtract' (the default): the reset is computed from "
    "the previous membrane (mem_reset = heaviside(mem_prev - threshold)), so it applies one "
    "step after the spike; beta = 1 - dt/tau as snntorch.import_nir sets it.",
    reset="subtract",
    reset_timing="next",
)
