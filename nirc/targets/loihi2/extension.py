"""The Loihi 2 target as an extension (in progress): its dialect and kernels, registered
as ``nirc.extensions: loihi2`` in nirc's ``pyproject.toml``."""

from nirc.core.extension import Extension

EXTENSION = Extension(
    name="loihi2",
    summary="Intel Loihi 2 (Lava): Dense + CUBA-LIF layers in Lava's fixed-point arithmetic (target in progress)",
    dialects={"loihi2": "nirc.targets.loihi2.dialect:LOIHI2"},
    kernels="nirc.targets.loihi2.kernels:KERNELS",
)
