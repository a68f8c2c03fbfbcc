"""The Speck target as an extension: its dialect, kernels, passes, pipeline, profile and
target object (registered as ``nirc.extensions: speck`` in nirc's ``pyproject.toml``)."""

from pathlib import Path

from nirc.core.extension import Extension
from nirc.targets.speck.profile import PROFILE

EXTENSION = Extension(
    name="speck",
    summary="SynSense Speck (DynapCNN): cores, integer parameters, the samna configuration",
    dialects={"speck": "nirc.targets.speck.dialect:SPECK"},
    passes={
        "convert-snn-to-speck": "nirc.targets.speck.convert_snn_to_speck:ConvertSnnToSpeckPass",
        "speck-place": "nirc.targets.speck.place:SpeckPlacePass",
    },
    pipelines={"nir-to-speck": "nirc.targets.speck.nir_to_speck:NirToSpeckPass"},
    kernels="nirc.targets.speck.kernels:KERNELS",
    profiles=(PROFILE,),
    patterns=(Path(__file__).with_name("legality.pat"),),
    targets={"speck": "nirc.targets.speck.target:TARGET"},
)
