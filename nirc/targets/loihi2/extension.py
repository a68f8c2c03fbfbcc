"""The Loihi 2 target as an extension: its dialect, kernels, passes, pipeline, profile
and target object (registered as ``nirc.extensions: loihi2`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.loihi2.profile import FIXED_PROFILE, PROFILE

EXTENSION = Extension(
    name="loihi2",
    summary="Intel Loihi 2 (lava-nc processes, lava-dl netx HDF5): Dense + CUBA-LIF layers in Lava's fixed point",
    dialects={"loihi2": "nirc.targets.loihi2.dialect:LOIHI2"},
    passes={
        "convert-snn-to-loihi2": "nirc.targets.loihi2.convert_snn_to_loihi2:ConvertSnnToLoihi2Pass",
        "loihi2-quantize": "nirc.targets.loihi2.quantize:Loihi2QuantizePass",
        "loihi2-place": "nirc.targets.loihi2.place:Loihi2PlacePass",
    },
    pipelines={"nir-to-loihi2": "nirc.targets.loihi2.nir_to_loihi2:NirToLoihi2Pass"},
    kernels="nirc.targets.loihi2.kernels:KERNELS",
    profiles=(PROFILE, FIXED_PROFILE),
    targets={"loihi2": "nirc.targets.loihi2.target:TARGET"},
)
