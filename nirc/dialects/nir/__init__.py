"""The `nir` dialect: NIR 1.0.8 in continuous time (:mod:`.ops`), its canonicalization
patterns, its discretization (:mod:`.discretize`) and its interpreter kernels
(:mod:`.kernels`); :mod:`.extension` registers them.

``from nirc.dialects import nir`` gives the ops as ``nir.LIFOp``, ``nir.GraphOp``, ...
"""

from nirc.dialects.nir.ops import *  # noqa: F403
from nirc.dialects.nir.ops import __all__  # noqa: F401
