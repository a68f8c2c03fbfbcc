"""The Xylo target as an extension: its dialect, kernels, passes, pipeline, profile and
target object (registered as ``nirc.extensions: xylo`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.xylo.profile import PROFILE

EXTENSION = Extension(
    name="xylo",
    summary="SynSense Xylo (Audio 2, Audio 3, IMU): hidden and readout populations, the rockpool specification",
    dialects={"xylo": "nirc.targets.xylo.dialect:XYLO"},
    passes={
        "convert-snn-to-xylo": "nirc.targets.xylo.convert_snn_to_xylo:ConvertSnnToXyloPass",
        "xylo-weight-shift": "nirc.targets.xylo.weight_shift:XyloWeightShiftPass",
    },
    pipelines={"nir-to-xylo": "nirc.targets.xylo.nir_to_xylo:NirToXyloPass"},
    kernels="nirc.targets.xylo.kernels:KERNELS",
    profiles=(PROFILE,),
    targets={"xylo": "nirc.targets.xylo.target:TARGET"},
)
