"""The lava-dl target as an extension: its dialect, kernels, passes, pipeline, profile and
target object (registered as ``nirc.extensions: lava_dl`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.lava_dl.profile import PROFILE

EXTENSION = Extension(
    name="lava_dl",
    summary="lava-dl slayer (PyTorch, time last): CUBA Dense / Recurrent blocks, exportable to netx for Loihi 2",
    dialects={"lava_dl": "nirc.targets.lava_dl.dialect:LAVA_DL"},
    passes={"convert-snn-to-lava-dl": "nirc.targets.lava_dl.convert_snn_to_lava_dl:ConvertSnnToLavaDlPass"},
    pipelines={"nir-to-lava-dl": "nirc.targets.lava_dl.nir_to_lava_dl:NirToLavaDlPass"},
    kernels="nirc.targets.lava_dl.kernels:KERNELS",
    profiles=(PROFILE,),
    targets={"lava-dl": "nirc.targets.lava_dl.target:TARGET"},
)
