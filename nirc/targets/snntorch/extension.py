"""The snnTorch target as an extension: its semantics profile and target object
(registered as ``nirc.extensions: snntorch`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension
from nirc.targets.snntorch.profile import PROFILE

EXTENSION = Extension(
    name="snntorch",
    summary="runnable snnTorch code that fires as nir-run predicts",
    profiles=(PROFILE,),
    targets={"snntorch": "nirc.targets.snntorch.target:TARGET"},
)
