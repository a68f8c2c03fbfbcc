"""An `snn` neuron op's numbers, as every framework's neuron mapping reads them.

A mapping decides, from these numbers and the op's choices (``n.d.reset``,
``n.d.compare``, ...), whether the framework's own neuron computes the same step, and
derives the framework's parameters from them (``docs/snn-dialect.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nirc.core.errors import NircError
from nirc.core.neuron import DiscreteNeuron
from nirc.targets.pygen.backend import NodeContext, unsupported


@dataclass
class Neuron:
    """An `snn` neuron op's numbers, in the run dtype."""

    d: DiscreteNeuron
    w_rec: np.ndarray | None
    b_rec: np.ndarray | None

    @classmethod
    def of(cls, ctx: NodeContext) -> Neuron:
        """The numbers of ``ctx``'s neuron; a neuron whose state has a fixed width (a
        chip's, after ``quantize{state-bits}``) has no framework form: the frameworks
        keep their states in unbounded floats."""
        d = ctx.op.discrete().astype(ctx.dtype)  # type: ignore[attr-defined]
        if d.state_bits is not None:
            raise NircError(
                f"{ctx.op.name} with a {d.state_bits}-bit state that {'wraps' if d.overflow == 'wrap' else 'saturates'}: "
                f"the {ctx.backend.family} targets keep states unbounded (quantize without state-bits)",
                rule=unsupported(ctx.backend),
                node=ctx.name,
            )
        recurrent = ctx.op.RECURRENT  # type: ignore[attr-defined]
        return cls(d, ctx.array("w_rec") if recurrent else None, ctx.array("b_rec") if recurrent else None)

    @property
    def recurrent(self) -> bool:
        return self.w_rec is not None

    @property
    def value_zero(self) -> bool:
        """Resets to exactly 0 (``reset = value`` with ``v_reset = 0``)."""
        return self.d.reset == "value" and self.d.v_reset is not None and bool(np.all(self.d.v_reset == 0))

    def threshold_for_strict(self) -> np.ndarray:
        """θ for a framework that spikes at ``v > θ``: θ itself for ``>``, the float just
        below θ for ``>=`` (``v >= θ`` iff ``v > nextafter(θ, -inf)``: exact)."""
        assert self.d.threshold is not None
        theta = self.d.threshold
        return theta if self.d.compare == ">" else np.nextafter(theta, np.asarray(-np.inf, theta.dtype))
