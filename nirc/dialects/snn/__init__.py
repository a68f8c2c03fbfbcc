"""The `snn` dialect: discrete-time neurons with every choice explicit (:mod:`.ops`),
how a module was discretized (:mod:`.discretization`) and the interpreter kernels
(:mod:`.kernels`); :mod:`.extension` registers them.

``from nirc.dialects import snn`` gives the ops as ``snn.LeakyOp``, ...
"""

from nirc.dialects.snn.ops import *  # noqa: F403
from nirc.dialects.snn.ops import __all__  # noqa: F401
