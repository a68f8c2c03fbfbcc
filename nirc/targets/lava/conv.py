"""The convolution of Lava's synapses, shared by the `loihi2` and `lava_dl` conv ops.

Lava's ``Conv`` process and slayer's ``cuba.Conv`` block both compute a 2-D
cross-correlation as PyTorch's on ``(C, H, W)`` spikes: weights ``(out, in / groups, kH,
kW)``, stride, zero padding (the same on both sides) and dilation per ``(height, width)``,
and ``groups``.  :class:`ConvGeometry` is what such an op verifies and infers from those
properties (an op mixes it in beside its own ``stride`` / ``padding`` / ``dilation`` /
``groups`` properties and names its rule in ``SHAPE_RULE``); :meth:`ConvGeometry.geometry`
is what the interpreter's ``conv_nd`` takes.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr
from xdsl.irdl import prop_def

from nirc.core.dense import DenseAttr
from nirc.core.node import NodeError, Shape, ValueNodeOp, shape_of


class ConvGeometry(ValueNodeOp):
    """An op with a conv kernel ``weight`` (``(out, in / groups, kH, kW)``), ``stride``,
    ``padding``, ``dilation`` (two whole numbers each, per height and width) and
    ``groups``; a concrete op lists it first among its bases."""

    #: the rule a malformed kernel or geometry breaks
    SHAPE_RULE: ClassVar[str]
    GEOMETRY: ClassVar[tuple[str, ...]] = ("stride", "padding", "dilation")

    weight = prop_def(DenseAttr)
    stride = prop_def(DenseAttr)
    padding = prop_def(DenseAttr)
    dilation = prop_def(DenseAttr)
    groups = prop_def(IntegerAttr)

    def pair(self, key: str) -> tuple[int, int]:
        a = self.param(key).reshape(-1)
        return int(a[0]), int(a[1])

    def geometry(self) -> tuple[tuple[int, int], tuple[tuple[int, int], ...], tuple[int, int], int]:
        """``(stride, ((pad_h, pad_h), (pad_w, pad_w)), dilation, groups)`` for ``conv_nd``."""
        ph, pw = self.pair("padding")
        return self.pair("stride"), ((ph, ph), (pw, pw)), self.pair("dilation"), self.integer("groups")

    def verify_geometry(self) -> np.ndarray:
        """The kernel is 4-D, each geometry property two whole numbers in range, the groups
        divide the outputs; the kernel."""
        w = self.param("weight")
        if w.ndim != 4:
            raise NodeError(self.SHAPE_RULE, f"weight is (out, in/groups, kH, kW), got shape {list(w.shape)}")
        for key, lo in (("stride", 1), ("padding", 0), ("dilation", 1)):
            a = self.param(key)
            if a.shape != (2,) or a.dtype.kind not in "iu" or int(a.min()) < lo:
                raise NodeError(self.SHAPE_RULE, f"'{key}' is two whole numbers >= {lo} (height, width)")
        groups = self.integer("groups")
        if groups < 1 or w.shape[0] % groups:
            raise NodeError(self.SHAPE_RULE, f"groups ({groups}) must divide the {w.shape[0]} output channels")
        return w

    def verify_conv_input(self, fan_in_rule: str) -> Shape:
        """One source of ``(in, H, W)`` spikes that the kernel fits."""
        if len(self.inputs) != 1:
            raise NodeError(fan_in_rule, f"a layer reads one source, got {len(self.inputs)} incoming edges")
        got = shape_of(self.inputs[0])
        c = int(self.param("weight").shape[1]) * self.integer("groups")
        if len(got) != 3 or got[0] != c:
            raise NodeError("edge-shape", f"incoming edge carries shape {list(got)}, expected ({c}, H, W)")
        out = self.conv_output_shape(got)
        if min(out) < 1:
            raise NodeError("edge-shape", f"the kernel does not fit the input {list(got)}: output {list(out)}")
        return got

    def conv_output_shape(self, input_shape: Shape) -> Shape:
        """``(out, H', W')`` by PyTorch's floor rule (a size below 1 where the kernel does not fit)."""
        w = self.param("weight")
        sizes = [
            (input_shape[1 + i] + 2 * pad - d * (w.shape[2 + i] - 1) - 1) // s + 1
            for i, (s, pad, d) in enumerate(
                zip(self.pair("stride"), self.pair("padding"), self.pair("dilation"), strict=True)
            )
        ]
        return (int(w.shape[0]), int(sizes[0]), int(sizes[1]))
