"""The Norse target as an extension: its semantics profile and target object
(registered as ``nirc.extensions: norse`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.norse.profile import PROFILE

EXTENSION = Extension(
    name="norse",
    summary="runnable Norse code that fires as nir-run predicts",
    profiles=(PROFILE,),
    targets={"norse": "nirc.targets.norse.target:TARGET"},
)
