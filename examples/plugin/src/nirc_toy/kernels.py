"""The interpreter kernel of ``toy.clamp`` (the protocol is ``nirc.Kernel``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nirc import Kernel, Semantics
from nirc_toy.dialect import ClampOp


class ClampKernel(Kernel):
    """Stateless: ``run`` over ``(T, B, *shape)``; ``step`` comes from the base class."""

    def __init__(self, op: Any, sem: Semantics):
        super().__init__(op, sem)
        self.lo, self.hi = self.param("lo"), self.param("hi")

    def run(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, self.lo, self.hi)


#: op class -> kernel class, as the Extension names it
KERNELS: dict[type, type[Kernel]] = {ClampOp: ClampKernel}
