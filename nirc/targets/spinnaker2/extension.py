"""The SpiNNaker2 target as an extension: its dialect, kernels, passes, pipeline, profiles
and target object (registered as ``nirc.extensions: spinnaker2`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.spinnaker2.profile import EXACT_PROFILE, PROFILE

EXTENSION = Extension(
    name="spinnaker2",
    summary="SpiNNaker2 (py-spinnaker2): float32 LIF populations and ±127 projections, placed onto PEs and chips",
    dialects={"spinnaker2": "nirc.targets.spinnaker2.dialect:SPINNAKER2"},
    passes={
        "convert-snn-to-spinnaker2": "nirc.targets.spinnaker2.convert_snn_to_spinnaker2:ConvertSnnToSpiNNaker2Pass",
        "spinnaker2-place": "nirc.targets.spinnaker2.place:SpiNNaker2PlacePass",
    },
    pipelines={"nir-to-spinnaker2": "nirc.targets.spinnaker2.nir_to_spinnaker2:NirToSpiNNaker2Pass"},
    kernels="nirc.targets.spinnaker2.kernels:KERNELS",
    profiles=(PROFILE, EXACT_PROFILE),
    targets={"spinnaker2": "nirc.targets.spinnaker2.target:TARGET"},
)
