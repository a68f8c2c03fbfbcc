"""The `nir` dialect as an extension: the dialect, its kernels and the spec's profiles
(registered as ``nirc.extensions: nir`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.dialects.nir.ops import NIR
from nirc.dialects.nir.profiles import PLATFORM_PROFILES, SPEC_PROFILES

EXTENSION = Extension(
    name="nir",
    summary="the NIR 1.0.8 dialect in continuous time",
    dialects=[NIR],
    kernels="nirc.dialects.nir.kernels:KERNELS",
    profiles=(*SPEC_PROFILES, *PLATFORM_PROFILES),
)
