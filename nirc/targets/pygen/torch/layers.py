"""The time-invariant ops, ``snn.threshold`` and ``snn.delay`` as torch code: the torch
backend's :attr:`~nirc.targets.pygen.backend.Backend.ops` (:data:`LAYERS`).

They mean the same in every torch framework: ``nn.Linear``, ``nn.Conv1d``/``nn.Conv2d``,
``nn.AvgPool2d(divisor_override=1)`` for a sum pooling (a window's sum), ``nn.Flatten``,
a multiplication for Scale.  Matrix products, convolutions and poolings are torch's own:
they add in another order than numpy, so they round differently in the last bits
(``docs/notes/simulator-frameworks.md`` §5.4; a pooling of spikes, whole numbers, is
exact); everything else is bit-exact.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import StringAttr

from nirc.core.shapes import per_dim
from nirc.dialects import nir, snn
from nirc.targets.pygen.backend import NodeCode, NodeContext
from nirc.targets.pygen.names import literal
from nirc.targets.pygen.report import ROUNDING
from nirc.targets.pygen.source import describe, kw


def _matrix(ctx: NodeContext) -> NodeCode:
    w = ctx.op.param("weight")  # type: ignore[attr-defined]
    bias = isinstance(ctx.op, nir.AffineOp)
    if w.ndim != 2:  # one matrix per leading index, as nir-run's einsum
        weight, line = ctx.buffer("weight", w)
        init = [
            ctx.comment(
                f"{'Affine' if bias else 'Linear'}, {w.ndim}-D weight {list(w.shape)} (a matrix per leading index)"
            ),
            line,
        ]
        value = f'torch.einsum("...i,...oi->...o", {ctx.x}, {weight})'
        if bias:
            b, line = ctx.buffer("bias", ctx.op.param("bias"))  # type: ignore[attr-defined]
            init.append(line)
            value += f" + {b}"
        return NodeCode(init, [f"{ctx.out} = {value}"], module="torch.einsum", exact=ROUNDING)
    n_out, n_in = w.shape
    init = [
        ctx.comment(f"{'Affine' if bias else 'Linear'} {n_in} -> {n_out}"),
        f"{ctx.attr} = nn.Linear({n_in}, {n_out}, bias={bias}, dtype=DTYPE)",
        f"{ctx.attr}.weight.data = {ctx.param('weight', w)}",
    ]
    if bias:
        init.append(f"{ctx.attr}.bias.data = {ctx.param('bias', ctx.op.param('bias'))}")  # type: ignore[attr-defined]
    return NodeCode(init, [f"{ctx.out} = {ctx.attr}({ctx.x})"], module="nn.Linear", exact=ROUNDING, chain=(ctx.attr,))


def _conv(ctx: NodeContext) -> NodeCode:
    op = ctx.op
    n = op.SPATIAL  # type: ignore[attr-defined]
    w = op.param("weight")  # type: ignore[attr-defined]
    stride = per_dim(op.param("stride"), n, "stride")  # type: ignore[attr-defined]
    dilation = per_dim(op.param("dilation"), n, "dilation")  # type: ignore[attr-defined]
    groups = int(np.asarray(op.param("groups")).reshape(-1)[0])  # type: ignore[attr-defined]
    pad = op.padding  # type: ignore[attr-defined]
    padding = literal(pad.data) if isinstance(pad, StringAttr) else repr(per_dim(pad.array, n, "padding"))
    cls = f"nn.Conv{n}d"
    args = kw(
        in_channels=w.shape[1] * groups,
        out_channels=w.shape[0],
        kernel_size=tuple(int(k) for k in w.shape[2:]),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        dtype="DTYPE",
    )
    init = [
        ctx.comment(f"Conv{n}d {list(ctx.in_shape())} -> {list(ctx.out_shape())}"),
        f"{ctx.attr} = {cls}({args})",
        f"{ctx.attr}.weight.data = {ctx.param('weight', w)}",
        f"{ctx.attr}.bias.data = {ctx.param('bias', op.param('bias'))}",  # type: ignore[attr-defined]
    ]
    return NodeCode(init, [f"{ctx.out} = {ctx.attr}({ctx.x})"], module=cls, exact=ROUNDING, chain=(ctx.attr,))


def _pool(ctx: NodeContext) -> NodeCode:
    op = ctx.op
    kernel = per_dim(op.param("kernel_size"), 2, "kernel_size")  # type: ignore[attr-defined]
    stride = per_dim(op.param("stride"), 2, "stride")  # type: ignore[attr-defined]
    padding = per_dim(op.param("padding"), 2, "padding")  # type: ignore[attr-defined]
    average = isinstance(op, nir.AvgPool2dOp)
    init = [ctx.comment(f"{'AvgPool2d' if average else 'SumPool2d'} {list(ctx.in_shape())} -> {list(ctx.out_shape())}")]
    chain: list[str] = []
    x = ctx.x
    if any(p > k // 2 for p, k in zip(padding, kernel, strict=True)):
        # torch pools pad at most half the kernel: zero-pad first (what nirc's pooling does)
        pad = ctx.var("pad")
        init.append(f"{ctx.owner}{pad} = nn.ZeroPad2d({(padding[1], padding[1], padding[0], padding[0])!r})")
        chain.append(f"{ctx.owner}{pad}")
        x = f"{ctx.owner}{pad}({x})"
        padding = (0, 0)
    init.append(
        f"{ctx.attr} = nn.AvgPool2d({kw(kernel_size=kernel, stride=stride, padding=padding, divisor_override=1)})  # a sum"
    )
    chain.append(ctx.attr)
    value = f"{ctx.attr}({x})"
    if average:  # the window's sum times 1/(kh kw), as SumPool2d ; Scale
        scale = ctx.var("scale")
        init.append(f"{ctx.owner}{scale} = Gain(torch.tensor(1.0 / {kernel[0] * kernel[1]}, dtype=DTYPE))")
        chain.append(f"{ctx.owner}{scale}")
        value = f"{ctx.owner}{scale}({value})"
    # torch adds a window up in another order than numpy: exact on spikes (whole numbers)
    return NodeCode(
        init,
        [f"{ctx.out} = {value}"],
        module="nn.AvgPool2d",
        exact=ROUNDING,
        chain=tuple(chain),
        helpers=("Gain",) if average else (),
    )


def _flatten(ctx: NodeContext) -> NodeCode:
    src, dst = ctx.in_shape(), ctx.out_shape()
    for a in range(len(src)):
        for b in range(a, len(src)):
            if (*src[:a], int(np.prod(src[a : b + 1])), *src[b + 1 :]) == dst:
                init = [
                    ctx.comment(f"Flatten {list(src)} -> {list(dst)}"),
                    f"{ctx.attr} = nn.Flatten({a + 1}, {b + 1})",
                ]
                return NodeCode(init, [f"{ctx.out} = {ctx.attr}({ctx.x})"], module="nn.Flatten", chain=(ctx.attr,))
    step = f"{ctx.out} = ({ctx.x}).reshape(-1, *{tuple(dst)!r})"
    return NodeCode([ctx.comment(f"Flatten {list(src)} -> {list(dst)} (a reshape)")], [step], module="reshape")


def _scale(ctx: NodeContext) -> NodeCode:
    value = ctx.op.param("scale")  # type: ignore[attr-defined]
    init = [ctx.comment(f"Scale by {describe(value)}"), f"{ctx.attr} = Gain({ctx.param('scale', value)})"]
    return NodeCode(init, [f"{ctx.out} = {ctx.attr}({ctx.x})"], module="Gain", chain=(ctx.attr,), helpers=("Gain",))


def _threshold(ctx: NodeContext) -> NodeCode:
    value = ctx.op.param("threshold")  # type: ignore[attr-defined]
    theta, line = ctx.buffer("threshold", value)
    init = [ctx.comment(f"Threshold at {describe(value)}"), line]
    compare = ctx.op.compare.data  # type: ignore[attr-defined]
    multi = ctx.op.multi_spike is not None  # type: ignore[attr-defined]
    step = f"{ctx.out} = count_spikes({ctx.x}, {theta}, {literal(compare)}, {multi})"
    return NodeCode(init, [step], module="count_spikes", helpers=("count_spikes",))


def delay_init(ctx: NodeContext) -> list[str]:
    """The construction of a ``Delay`` (a delay in a chain of nodes, or one closing a cycle)."""
    steps = ctx.op.param("steps")  # type: ignore[attr-defined]
    return [
        ctx.comment(f"Delay of {describe(steps)} steps"),
        f"{ctx.attr} = Delay({ctx.param('steps', np.asarray(steps, np.int64))}, {tuple(ctx.out_shape())!r})",
    ]


def _delay(ctx: NodeContext) -> NodeCode:
    return NodeCode(
        delay_init(ctx),
        [f"{ctx.out} = {ctx.attr}({ctx.x})"],
        start=[f"{ctx.attr}.start(batch, device)"],
        module="Delay",
        helpers=("Delay",),
    )


LAYERS = {
    nir.LinearOp: _matrix,
    nir.AffineOp: _matrix,
    nir.Conv1dOp: _conv,
    nir.Conv2dOp: _conv,
    nir.SumPool2dOp: _pool,
    nir.AvgPool2dOp: _pool,
    nir.FlattenOp: _flatten,
    nir.ScaleOp: _scale,
    snn.ThresholdOp: _threshold,
    snn.DelayOp: _delay,
}
