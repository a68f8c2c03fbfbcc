"""What Speck can run: a discrete-time graph cut into per-core layers, and the design rules.

Speck lowers from the `snn` dialect (``convert-nir-to-snn{semantics=speck}`` first, as
``nir-to-speck`` does): its integrate-and-fire neurons are ``snn.leaky`` ops with no
leak.  :func:`analyse` reads a graph as *layers*, each what one core computes: the
legality rule ``speck-layer`` of ``legality.pat`` (nirc's pattern language) matches
each neuron op to the chain of its core — an optional chain of sum (or average)
poolings of its source, an optional Flatten, a Conv2d or a Linear/Affine, the neurons —
and says where a neuron breaks it; a ``speck.layer`` (a model converted already, or
written by hand) is one layer by itself.  The source of a layer is the graph's Input
(the DVS input) or another layer.  A Flatten between a layer and Outputs only is the
host's reshape of the monitored spikes.  Whatever does not fit that shape is a
violation, and so is anything a layer asks beyond the chip's resources
(:mod:`nirc.targets.speck.resources`).  Every rule is a small function yielding
:class:`~nirc.core.errors.Violation` s on the offending node; :func:`check` runs them
all and returns every violation at once, so both forms are checked alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import Violation
from nirc.core.graph import Component, all_edges, components, schedule_order
from nirc.core.node import node_name, shape_of
from nirc.core.shapes import per_dim
from nirc.core.traits import breaks_cycles
from nirc.dialects import nir, snn
from nirc.patterns import Failure, LegalityRule, Match, load
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.placement import Shortage, place
from nirc.targets.speck.profile import PROFILE
from nirc.targets.speck.resources import SPECK, SpeckResources, kernel_memory, neuron_memory

_WEIGHTS = (nir.Conv2dOp, nir.LinearOp, nir.AffineOp)
_POOLS = (nir.SumPool2dOp, nir.AvgPool2dOp)
_PARTS = (*_WEIGHTS, *_POOLS, nir.FlattenOp)
_SUPPORTED = (*_PARTS, snn.LeakyOp, nir.InputOp, nir.OutputOp, speck.LayerOp)
#: what a layer's output is: neurons, or a converted core
_LAYER_OUTPUTS = (snn.LeakyOp, speck.LayerOp)
_SHAPE = "pooling -> (Flatten) -> Conv2d or Linear/Affine -> IF"
#: the design rules of a core, in nirc's pattern language
LEGALITY = Path(__file__).with_name("legality.pat")


def _what(value: SSAValue | Operation | None) -> str:
    owner = value.owner if isinstance(value, SSAValue) else value
    return owner.name if isinstance(owner, Operation) else "a graph input"


@dataclass
class Layer:
    """One core's worth of nodes, and its geometry."""

    #: the neurons (``snn.leaky``), or the ``speck.layer``
    neuron: Operation
    #: the Conv2d/Linear/Affine (the ``speck.layer`` itself for a converted layer)
    weight: Operation
    #: the signal the layer reads: the graph's Input or another layer's output
    source: SSAValue
    flatten: nir.FlattenOp | None = None
    #: the chain of poolings, source first
    pools: tuple[Operation, ...] = ()
    #: the source's shape, (C, H, W) (a 1-D source of n neurons is (n, 1, 1))
    in_shape: tuple[int, ...] = ()
    pool_size: tuple[int, int] = (1, 1)
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    out_shape: tuple[int, ...] = ()

    @classmethod
    def of(cls, op: speck.LayerOp) -> Layer:
        """The layer a ``speck.layer`` is."""
        stride, padding, pool = op.geometry()
        source = op.operands[0]
        return cls(
            op,
            op,
            source,
            in_shape=shape_of(source),
            pool_size=pool,  # type: ignore[arg-type]
            kernel=op.kernel(),
            stride=stride,
            padding=padding,
            out_shape=shape_of(op.results[0]),  # type: ignore[arg-type]
        )

    @classmethod
    def matched(cls, m: Match, neuron: Operation) -> Layer:
        """The layer of ``neuron`` that ``speck-layer`` (or ``speck-core-input``) matched."""
        weight = m.node("weight")
        assert weight is not None
        return cls(neuron, weight, m.nodes[0].results[0], m.node("flatten"), tuple(m.nodes_of("pools")))  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        return self.neuron.nir_name  # type: ignore[attr-defined]

    @property
    def result(self) -> SSAValue:
        return self.neuron.results[0]

    @property
    def pool_node(self) -> Operation:
        """Where a violation of the pooling goes."""
        return self.pools[-1] if self.pools else self.neuron

    @property
    def nodes(self) -> list[Operation]:
        parts = (*self.pools, self.flatten, self.weight, self.neuron)
        return list(dict.fromkeys(op for op in parts if op is not None))

    @property
    def c_in(self) -> int:
        return self.in_shape[0]

    @property
    def c_out(self) -> int:
        return self.out_shape[0]

    def kernel_memory(self) -> int:
        return kernel_memory(self.c_in, self.c_out, self.kernel)

    def neuron_memory(self) -> int:
        return neuron_memory(self.c_out, (self.out_shape[1], self.out_shape[2]))


@dataclass
class Analysis:
    graph: nir.GraphOp
    #: in topological order: a layer's source comes before it
    layers: list[Layer] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    #: the graph's cycles (its cyclic strongly connected components), in dependency order
    cycles: list[Component] = field(default_factory=list)

    def fail(self, rule: str, op: Operation | None, message: str, limit: object = None, actual: object = None) -> None:
        self.violations.append(
            Violation(rule, None if op is None else node_name(op), message, limit=limit, actual=actual)
        )


def _shape3(shape: tuple[int, ...]) -> tuple[int, ...]:
    return (*shape, 1, 1) if len(shape) == 1 else shape


@cache
def _rules() -> tuple[LegalityRule, LegalityRule]:
    """``speck-layer`` and ``speck-core-input`` of ``legality.pat``."""
    rules = load(LEGALITY)
    return rules.rule("speck-layer"), rules.rule("speck-core-input")


def _match(a: Analysis, neuron: Operation, claimed: set[Operation]) -> list[Layer]:
    """The layers that end in ``neuron``: one (``speck-layer``), or one per incoming
    edge where the neuron sums several (a violation, but each is still checked on its
    own: ``speck-core-input`` at the node it reads).  Every node a match walks through
    is claimed, matched or not, so it is reported once."""
    layer_rule, input_rule = _rules()
    n = len(neuron.operands)
    if n == 1:
        found = [layer_rule.check(neuron)]
    else:
        a.fail("speck-fan-in", neuron, f"a core's neurons read one convolution, got {n} incoming edges", 1, n)
        # a graph's block has no arguments: every edge comes from an op
        found = [input_rule.check(value.owner) for value in neuron.operands]  # type: ignore[arg-type]
    layers = [_layer_or_fail(a, neuron, f, claimed) for f in found]
    return [layer for layer in layers if layer is not None]


def _layer_or_fail(a: Analysis, neuron: Operation, found: Match | Failure, claimed: set[Operation]) -> Layer | None:
    """The layer a match gives, or the violation its failure is."""
    if isinstance(found, Match):
        claimed.update(op for op in found.nodes if op is not neuron)
        return Layer.matched(found, neuron)
    claimed.update(op for op in found.matched if op is not neuron)
    if found.found is not None and breaks_cycles(found.found):
        return None  # a delay feeds it: speck-cycle or speck-node-kind says what is wrong
    if found.reason == "fan-in":
        n = found.inputs
        a.fail("speck-fan-in", found.node, f"a core reads one source, got {n} incoming edges", 1, n)
    elif found.reason == "where":
        weight = found.bindings["weight"].op
        others = sorted({r.name for r in all_edges(weight) if not isinstance(r, snn.LeakyOp)})
        a.fail(
            "speck-layer",
            weight,
            f"a Conv2d/Linear feeds only neurons (on its own core), this one also feeds {', '.join(others)}",
            "IF neurons",
            others,
        )
    elif found.step.binding == "weight":
        a.fail(
            "speck-layer",
            neuron,
            f"neurons must read a Conv2d, Linear or Affine (one core computes both); this one reads {_what(found.found)}",
            _SHAPE,
            _what(found.found),
        )
    else:  # the source: neither the input nor another layer
        a.fail(
            "speck-layer",
            found.node,
            f"a layer reads a graph Input or another layer, this one reads {_what(found.found)}",
            _SHAPE,
            _what(found.found),
        )
    return None


def _pooling(a: Analysis, layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The chain of poolings as one: each square with stride = kernel and no padding."""
    size = 1
    for pool in layer.pools:
        k = per_dim(pool.param("kernel_size"), 2, "kernel_size")
        s = per_dim(pool.param("stride"), 2, "stride")
        p = per_dim(pool.param("padding"), 2, "padding")
        if k[0] != k[1] or s != k or any(p):
            a.fail(
                "speck-pooling",
                pool,
                f"sum pooling on Speck is square with stride = kernel and no padding; got kernel {list(k)}, stride {list(s)}, padding {list(p)}",
                "square, stride = kernel, no padding",
                {"kernel": list(k), "stride": list(s), "padding": list(p)},
            )
            return None
        size *= k[0]
    layer.pool_size = (size, size)
    return (shape[0], shape[1] // size, shape[2] // size)


def _conv_geometry(a: Analysis, layer: Layer, w: nir.Conv2dOp) -> bool:
    weight = w.param("weight")
    layer.kernel = (int(weight.shape[2]), int(weight.shape[3]))
    layer.stride = per_dim(w.param("stride"), 2, "stride")  # type: ignore[assignment]
    dilation = per_dim(w.param("dilation"), 2, "dilation")
    groups = int(np.asarray(w.param("groups")).reshape(-1)[0])
    if dilation != (1, 1) or groups != 1:
        a.fail(
            "speck-conv",
            w,
            f"Speck convolutions have dilation 1 and groups 1, got dilation {list(dilation)}, groups {groups}",
            {"dilation": [1, 1], "groups": 1},
            {"dilation": list(dilation), "groups": groups},
        )
        return False
    pad = w.padding
    if not isinstance(pad, StringAttr):
        layer.padding = per_dim(pad.array, 2, "padding")  # type: ignore[assignment]
    elif pad.data == "valid":
        layer.padding = (0, 0)
    elif all(k % 2 for k in layer.kernel):
        layer.padding = (layer.kernel[0] // 2, layer.kernel[1] // 2)
    else:
        a.fail(
            "speck-padding",
            w,
            "padding 'same' with an even kernel is asymmetric; Speck pads both sides alike",
            "odd kernel",
            list(layer.kernel),
        )
        return False
    return True


def _geometry(a: Analysis, layer: Layer) -> bool:
    """Fill in the layer's shapes; False (with a violation) where they do not fit a core."""
    source_shape = shape_of(layer.source)
    if len(source_shape) not in (1, 3):
        a.fail(
            "speck-shape",
            layer.source.owner,
            f"signals between cores are C x H x W feature maps (or 1-D), got {list(source_shape)}",
            "C x H x W or 1-D",
            list(source_shape),
        )  # type: ignore[arg-type]
        return False
    layer.in_shape = _shape3(source_shape)
    shape = layer.in_shape
    if layer.pools:
        if len(source_shape) != 3:
            a.fail(
                "speck-pooling",
                layer.pools[0],
                f"pooling reads a C x H x W feature map, got {list(source_shape)}",
                "C x H x W",
                list(source_shape),
            )
            return False
        pooled = _pooling(a, layer, shape)
        if pooled is None:
            return False
        shape = pooled
    w = layer.weight
    weight = w.param("weight")  # type: ignore[union-attr]
    if isinstance(w, nir.Conv2dOp):
        if not _conv_geometry(a, layer, w):
            return False
    else:
        if weight.ndim != 2:
            a.fail(
                "speck-layer",
                w,
                f"a Linear/Affine on a core has a 2-D weight, got shape {list(weight.shape)}",
                2,
                weight.ndim,
            )
            return False
        if layer.flatten is not None:
            start, end = (int(np.asarray(layer.flatten.param(k)).reshape(-1)[0]) for k in ("start_dim", "end_dim"))
            if len(shape_of(layer.flatten.operands[0])) != 3 or (start % 3, end % 3) != (0, 2):
                a.fail(
                    "speck-layer",
                    layer.flatten,
                    "only a Flatten of a whole C x H x W feature map can feed a Linear on a core",
                    "start_dim 0, end_dim -1",
                    [start, end],
                )
                return False
        elif len(source_shape) != 1 or layer.pools:
            a.fail(
                "speck-layer",
                w,
                f"a Linear/Affine on a core reads 1-D neurons or a flattened feature map, got shape {list(shape)}",
                "1-D",
                list(shape),
            )
            return False
        layer.kernel = (shape[1], shape[2])  # the whole feature map: one output position
        layer.stride, layer.padding = (1, 1), (0, 0)
    spatial = tuple(
        (n + 2 * p - k) // s + 1
        for n, p, k, s in zip(shape[1:], layer.padding, layer.kernel, layer.stride, strict=True)
    )
    layer.out_shape = (int(weight.shape[0]), *spatial)
    return True


def output_reshape(op: Operation) -> bool:
    """A Flatten of a layer's spikes read by Outputs only: the host reshapes them."""
    uses = list(op.results[0].uses)
    return (
        isinstance(op, nir.FlattenOp)
        and len(op.operands) == 1
        and isinstance(op.operands[0].owner, _LAYER_OUTPUTS)
        and bool(uses)
        and all(isinstance(u.operation, nir.OutputOp) for u in uses)
    )


def analyse(graph: nir.GraphOp) -> Analysis:
    """Cut ``graph`` into layers, in topological order; structural violations on the way."""
    a = Analysis(graph)
    claimed: set[Operation] = set()
    for op in schedule_order(graph):
        if isinstance(op, speck.LayerOp):
            a.layers.append(Layer.of(op))
        elif isinstance(op, snn.LeakyOp):
            for layer in _match(a, op, claimed):
                if _geometry(a, layer):
                    a.layers.append(layer)
    a.cycles = [c for c in components(list(graph.body.block.ops)) if c.cyclic]
    cyclic = {op for c in a.cycles for op in c.members}
    for op in graph.body.block.ops:
        if not isinstance(op, _SUPPORTED):
            if not (breaks_cycles(op) and op in cyclic):  # a cycle's delay: speck-cycle says it
                a.fail(
                    "speck-node-kind",
                    op,
                    _unsupported(op),
                    "IF, Conv2d, Linear, Affine, SumPool2d, AvgPool2d, Flatten",
                    op.name,
                )
        elif isinstance(op, _PARTS) and op not in claimed and not output_reshape(op):
            a.fail("speck-layer", op, f"{op.name} must lead to IF neurons on the same core ({_SHAPE})", _SHAPE, op.name)
        elif isinstance(op, nir.OutputOp):
            for value in op.operands:
                owner = value.owner
                if not isinstance(owner, _LAYER_OUTPUTS) and not (
                    isinstance(owner, Operation) and output_reshape(owner)
                ):
                    a.fail(
                        "speck-output",
                        op,
                        f"Speck's outputs are the spikes of a layer's IF neurons, this Output reads {_what(value)}",
                        "IF neurons",
                        _what(value),
                    )
    return a


def _unsupported(op: Operation) -> str:
    if isinstance(op, (snn.SynapticOp, snn.RSynapticOp)):
        return f"{op.name}: Speck's neurons are integrate-and-fire without leak (IF); a current-based leaky neuron cannot run"
    if isinstance(op, snn.RLeakyOp):
        return f"{op.name}: Speck's cores feed forward; a recurrent neuron cannot run"
    if isinstance(op, nir.GraphOp):
        return "nested graphs are not supported on Speck: flatten the model into one graph"
    return f"{op.name} has no Speck equivalent (a core is {_SHAPE})"


# ------------------------------------------------------------------- the rules
Rule = Callable[[Analysis, SpeckResources], Iterator[Violation]]


def nonempty(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Something to run: neurons, and an Output that reads them."""
    ops = list(a.graph.body.block.ops)
    if not any(isinstance(op, _LAYER_OUTPUTS) for op in ops):
        yield Violation(
            "speck-empty", None, f"the graph has no neurons: a core runs {_SHAPE}", limit="at least 1 layer", actual=0
        )
    if not any(isinstance(op, nir.OutputOp) for op in ops):
        yield Violation(
            "speck-empty",
            None,
            "the graph has no Output: nothing would leave the chip",
            limit="at least 1 Output",
            actual=0,
        )


def no_cycles(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Cores feed forward: no recurrent edge.  A cycle is named by its nodes in block
    order, the one-step delay discretization put on it left out (it is not the model's)."""
    for component in a.cycles:
        members = [op for op in component.members if not breaks_cycles(op)] or component.members
        yield Violation(
            "speck-cycle",
            node_name(members[0]),
            f"recurrent cycle through {', '.join(repr(node_name(m)) for m in members)}: Speck's cores feed forward only",
            limit=0,
            actual=len(members),
        )


def channels(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        for what, n in (("input", layer.c_in), ("output", layer.c_out)):
            if n > res.max_channels:
                yield Violation(
                    "speck-channels",
                    node_name(layer.weight),
                    f"{n} {what} channels, a core has at most {res.max_channels}",
                    limit=res.max_channels,
                    actual=n,
                )


def kernels(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        ky, kx = layer.kernel
        if ky != kx or ky > res.max_kernel:
            yield Violation(
                "speck-kernel",
                node_name(layer.weight),
                f"kernel {ky}x{kx}: Speck's kernels are square, at most {res.max_kernel}x{res.max_kernel}",
                limit=res.max_kernel,
                actual=[ky, kx],
            )


def strides(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if any(s not in res.strides for s in layer.stride):
            yield Violation(
                "speck-stride",
                node_name(layer.weight),
                f"stride {list(layer.stride)}: Speck's strides are {', '.join(map(str, res.strides))}",
                limit=list(res.strides),
                actual=list(layer.stride),
            )


def paddings(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if max(layer.padding) > res.max_padding:
            yield Violation(
                "speck-padding",
                node_name(layer.weight),
                f"padding {list(layer.padding)}: at most {res.max_padding}",
                limit=res.max_padding,
                actual=list(layer.padding),
            )


def poolings(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        ky, kx = layer.pool_size
        if ky != kx or ky not in res.poolings:
            yield Violation(
                "speck-pooling",
                node_name(layer.pool_node),
                f"pooling {ky}x{kx}: a destination pools {', '.join(map(str, res.poolings))} (square)",
                limit=list(res.poolings),
                actual=[ky, kx],
            )


def inputs(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """One input, C x H x W events within the DVS layer's size."""
    found = [op for op in a.graph.body.block.ops if isinstance(op, nir.InputOp)]
    if len(found) != 1:
        yield Violation(
            "speck-input-size",
            node_name(found[1]) if found else None,
            f"Speck has one input (its DVS layer), the graph has {len(found)}",
            limit=1,
            actual=len(found),
        )
    for op in found:
        shape = shape_of(op.output)
        if len(shape) != 3:
            yield Violation(
                "speck-input-size",
                node_name(op),
                f"Speck's input is C x H x W events, got shape {list(shape)}",
                limit="C x H x W",
                actual=list(shape),
            )
        elif max(shape[1:]) > res.max_input_size:
            yield Violation(
                "speck-input-size",
                node_name(op),
                f"input {shape[1]}x{shape[2]}: at most {res.max_input_size}x{res.max_input_size}",
                limit=res.max_input_size,
                actual=list(shape[1:]),
            )


def feature_size(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if max(layer.out_shape[1:]) > res.max_feature_size:
            yield Violation(
                "speck-feature-size",
                layer.name,
                f"feature map {layer.out_shape[1]}x{layer.out_shape[2]}: a core's output is at most {res.max_feature_size}x{res.max_feature_size}",
                limit=res.max_feature_size,
                actual=list(layer.out_shape[1:]),
            )


def destinations(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """A core (and the DVS input) sends to at most two layers.  The DVS layer pools once
    for all its destinations and takes 1 or 2 channels (polarities); an input of more
    channels skips it and enters one core directly, unpooled."""
    readers: dict[SSAValue, list[Layer]] = {}
    for layer in a.layers:
        readers.setdefault(layer.source, []).append(layer)
    for value, layers in readers.items():
        owner = value.owner
        if len(layers) > res.max_destinations:
            yield Violation(
                "speck-destinations",
                node_name(owner),
                f"feeds {len(layers)} layers: a core sends to at most {res.max_destinations}",
                limit=res.max_destinations,
                actual=len(layers),
            )  # type: ignore[arg-type]
        if not isinstance(owner, nir.InputOp):
            continue
        pools = sorted({layer.pool_size[0] for layer in layers})
        channels = shape_of(value)[0]
        if len(pools) > 1:
            yield Violation(
                "speck-pooling",
                node_name(owner),
                f"the input is pooled once for every layer it feeds (the DVS layer's pooling), got {pools}",
                limit=1,
                actual=len(pools),
            )
        elif channels > res.dvs_channels and (len(layers) > 1 or pools != [1]):
            yield Violation(
                "speck-input-channels",
                node_name(owner),
                f"an input of {channels} channels skips the DVS layer (at most {res.dvs_channels}, its polarities) and enters one core directly, unpooled; "
                f"this one feeds {len(layers)} layer(s) with pooling {pools[0]}",
                limit=res.dvs_channels,
                actual=channels,
            )


#: The discretization choices of Speck's neurons (the ``speck`` profile's), besides the
#: reset: spikes counted in the step the membrane crosses, reset in that step.
NEURON_CHOICES = {
    **{k: getattr(PROFILE, k) for k in ("compare", "spike_timing", "reset_timing", "order")},
    "output": "spikes",
}


def neurons(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Integrate-and-fire neurons as a core runs them: no leak (``decay = 1``); input gain
    (R) and threshold > 0 and one per channel (folded into the channel's weights, one
    threshold per core); the bias one per channel (added to the core's); the reset by
    subtraction, or to 0 (``reset = value`` with ``v_reset = 0``); several spikes per
    step at ``v >= threshold`` in the crossing step (the ``speck`` profile); a stated
    ``state_bits`` is the core's (16, saturating)."""
    for layer in a.layers:
        n = layer.neuron
        if not isinstance(n, snn.LeakyOp):
            continue  # a speck.layer verifies its own
        shape = (layer.c_out, -1)
        decay, gain, th, bias = (
            np.asarray(n.param(k), np.float64).reshape(shape) for k in ("decay", "gain", "threshold", "bias")
        )
        if (decay != 1).any():
            yield Violation(
                "speck-node-kind",
                layer.name,
                f"{n.name} with a leak (decay {float(decay.min()):.6g}): Speck's neurons are integrate-and-fire without leak (IF); a leaky neuron cannot run",
                limit=1.0,
                actual=float(decay.min()),
            )
            continue
        if (gain <= 0).any() or (th <= 0).any():
            yield Violation(
                "speck-neuron",
                layer.name,
                "input gain (R) and threshold must be > 0 (a core's neurons add their input and fire upwards)",
                limit="> 0",
                actual=float(min(gain.min(), th.min())),
            )
        elif (gain != gain[:, :1]).any() or (th != th[:, :1]).any() or (bias != bias[:, :1]).any():
            yield Violation(
                "speck-neuron",
                layer.name,
                "input gain (R), threshold or bias vary within a channel: a core shares one kernel per channel and one threshold",
                limit="one value per channel",
                actual="varies",
            )
        reset = n.choice("reset")
        if reset == "value":
            v_reset = np.asarray(n.param("v_reset"), np.float64)
            if np.any(v_reset != 0):
                yield Violation(
                    "speck-neuron",
                    layer.name,
                    "reset=zero sets the membrane to 0: v_reset must be 0",
                    limit=0,
                    actual=float(np.max(np.abs(v_reset))),
                )
        elif reset != "subtract":
            yield Violation(
                "speck-neuron",
                layer.name,
                f"reset {reset!r}: a core subtracts the threshold or resets to 0",
                limit=["subtract", "value"],
                actual=reset,
            )
        off = {k: n.choice(k) for k, want in NEURON_CHOICES.items() if n.choice(k) != want}
        if n.multi_spike is None:
            off["multi_spike"] = "false"
        if off:
            yield Violation(
                "speck-neuron",
                layer.name,
                f"discretized with {', '.join(f'{k}={v}' for k, v in off.items())}: a core's neurons count several spikes per step "
                "at v >= threshold in the step they cross (convert-nir-to-snn{semantics=speck})",
                limit={**NEURON_CHOICES, "multi_spike": "true"},
                actual=off,
            )
        overflow = n.choice("overflow") or "saturate"
        if n.bits is not None and (n.bits, overflow) != (res.state_bits, "saturate"):
            yield Violation(
                "speck-neuron",
                layer.name,
                f"a {n.bits}-bit state that {'wraps' if overflow == 'wrap' else 'saturates'}: a core's neuron state is {res.state_bits}-bit and saturates",
                limit={"state_bits": res.state_bits, "overflow": "saturate"},
                actual={"state_bits": n.bits, "overflow": overflow},
            )


def memory(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        k, m = layer.kernel_memory(), layer.neuron_memory()
        if not res.cores_for(k, m):
            yield Violation(
                "speck-memory",
                layer.name,
                f"needs {k} kernel and {m} neuron memory entries; no core has both (largest: {max(res.kernel_memory)} kernel, {max(res.neuron_memory)} neuron)",
                limit={"kernel": list(res.kernel_memory), "neuron": list(res.neuron_memory)},
                actual={"kernel": k, "neuron": m},
            )


def cores(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    if len(a.layers) > res.cores:
        yield Violation(
            "speck-cores",
            None,
            f"{len(a.layers)} layers, Speck has {res.cores} cores",
            limit=res.cores,
            actual=len(a.layers),
        )


def placement(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Every layer on a core of its own that holds it (where each fits some core and
    there are enough cores: the two rules above report the rest)."""
    candidates = [res.cores_for(layer.kernel_memory(), layer.neuron_memory()) for layer in a.layers]
    if len(a.layers) > res.cores or not all(candidates):
        return
    found = place(candidates)
    if isinstance(found, Shortage):
        yield shortage(a.layers, found)


def shortage(layers: Sequence[Layer], found: Shortage, *, pinned: bool = False) -> Violation:
    """``[speck-placement]``: the layers ``found`` names fit on fewer cores than they are
    (``pinned``: once some are held to the cores they are pinned to)."""
    names = [layers[i].name for i in found.layers]
    listed, cores = ", ".join(map(repr, names)), ", ".join(map(str, found.cores))
    message = (
        f"layers {listed} (some pinned) fit only on cores {cores}"
        if pinned
        else f"layers {listed} fit only on cores {cores}: {len(found.cores)} cores for {len(names)} layers (make some layers smaller)"
    )
    return Violation("speck-placement", names[0], message, limit=len(found.cores), actual=len(names))


RULES: dict[str, Rule] = {
    "speck-empty": nonempty,
    "speck-cycle": no_cycles,
    "speck-channels": channels,
    "speck-kernel": kernels,
    "speck-stride": strides,
    "speck-padding": paddings,
    "speck-pooling": poolings,
    "speck-input-size": inputs,
    "speck-feature-size": feature_size,
    "speck-destinations": destinations,
    "speck-neuron": neurons,
    "speck-memory": memory,
    "speck-cores": cores,
    "speck-placement": placement,
}


def check(graph: nir.GraphOp, res: SpeckResources = SPECK) -> Analysis:
    """Analyse ``graph`` (discrete-time: `snn` neurons, or ``speck.layer`` s) and run
    every rule; ``analysis.violations`` lists all that fail, each once."""
    a = analyse(graph)
    for rule in RULES.values():
        a.violations.extend(rule(a, res))
    unique = {(v.rule, v.node, v.message): v for v in a.violations}
    a.violations = list(unique.values())
    return a
