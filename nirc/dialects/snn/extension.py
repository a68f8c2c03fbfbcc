"""The `snn` dialect as an extension: the dialect and its kernels (registered as
``nirc.extensions: snn`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.dialects.snn.ops import SNN

EXTENSION = Extension(
    name="snn",
    summary="discrete-time neurons with every choice explicit",
    dialects=[SNN],
    kernels="nirc.dialects.snn.kernels:KERNELS",
)
