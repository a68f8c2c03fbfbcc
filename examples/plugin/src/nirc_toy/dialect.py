"""The ``toy`` dialect: one op, ``toy.clamp``.

A node op derives from nirc's public base classes (``nirc.ElementwiseOp``: parameters of
the signal's shape), so the verifier, the custom syntax and the error messages come with
it::

    %c = toy.clamp "c"(%x) {lo = #nir.dense<2xf32: -1.0>, hi = #nir.dense<2xf32: 1.0>}
        : tensor<2xf32> -> tensor<2xf32>
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition, prop_def, traits_def
from xdsl.traits import Pure

from nirc import Canonicalizations, ElementwiseOp, NodeError
from nirc.core.dense import DenseAttr


@irdl_op_definition
class ClampOp(ElementwiseOp):
    """Clamp (``toy.clamp``): ``y(t) = min(max(x(t), lo), hi)`` per element; stateless."""

    name = "toy.clamp"
    PARAMS: ClassVar[tuple[str, ...]] = ("lo", "hi")
    lo = prop_def(DenseAttr)
    hi = prop_def(DenseAttr)
    traits = traits_def(Pure(), Canonicalizations("nirc_toy.canonicalization:PATTERNS"))

    def _verify_params(self) -> None:
        super()._verify_params()
        if (self.param("lo") > self.param("hi")).any():
            raise NodeError("toy-clamp-range", "lo must not exceed hi")


TOY = Dialect("toy", [ClampOp], [])
