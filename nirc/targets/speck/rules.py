"""What Speck can run: a graph cut into per-core layers, and the design rules.

:func:`analyse` reads a graph as a chain of *layers*, each what one core computes.  In
a `nir` graph a layer is an optional chain of sum (or average) poolings of its source,
an optional Flatten, a Conv2d or a Linear/Affine, and the IF neurons right after it; a
``speck.layer`` (a model legalized already, or written by hand) is one layer by itself.
The source of a layer is the graph's Input (the DVS input) or another layer.  A
Flatten between a layer and Outputs only is the host's reshape of the monitored spikes.
Whatever does not fit that shape is a violation, and so is anything a layer asks beyond
the chip's resources (:mod:`nirc.targets.speck.resources`).  Every rule is a small
function yielding :class:`~nirc.core.errors.Violation` s on the offending node; :func:`check`
runs them all and returns every violation at once, so both forms are checked alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Operation, SSAValue

from nirc.core.errors import Violation
from nirc.core.graph import schedule_order
from nirc.core.node import shape_of
from nirc.core.shapes import per_dim
from nirc.dialects import nir
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.placement import Shortage, place
from nirc.targets.speck.resources import SPECK, SpeckResources, kernel_memory, neuron_memory

_WEIGHTS = (nir.Conv2dOp, nir.LinearOp, nir.AffineOp)
_POOLS = (nir.SumPool2dOp, nir.AvgPool2dOp)
_PARTS = (*_WEIGHTS, *_POOLS, nir.FlattenOp)
_SUPPORTED = (*_PARTS, nir.IFOp, nir.InputOp, nir.OutputOp, speck.LayerOp)
#: what a layer's output is: neurons, or a legalized core
_LAYER_OUTPUTS = (nir.NeuronOp, speck.LayerOp)
_SHAPE = "pooling -> (Flatten) -> Conv2d or Linear/Affine -> IF"


def _name(op: Operation) -> str:
    return op.properties["name"].data  # type: ignore[union-attr]


def _what(value: SSAValue) -> str:
    return value.owner.name if isinstance(value.owner, Operation) else "a graph input"


@dataclass
class Layer:
    """One core's worth of nodes, and its geometry."""

    #: IF neurons (another kind only while the rules report it), or the ``speck.layer``
    neuron: Operation
    #: the Conv2d/Linear/Affine (the ``speck.layer`` itself for a legalized layer)
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
            op, op, source, in_shape=shape_of(source), pool_size=pool,  # type: ignore[arg-type]
            kernel=op.kernel(), stride=stride, padding=padding, out_shape=shape_of(op.results[0]),  # type: ignore[arg-type]
        )

    @property
    def name(self) -> str:
        return _name(self.neuron)

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

    def fail(self, rule: str, op: Operation | None, message: str, limit: object = None, actual: object = None) -> None:
        self.violations.append(Violation(rule, None if op is None else _name(op), message, limit=limit, actual=actual))


def _shape3(shape: tuple[int, ...]) -> tuple[int, ...]:
    return (*shape, 1, 1) if len(shape) == 1 else shape


def _single_source(a: Analysis, op: Operation) -> bool:
    if len(op.operands) == 1:
        return True
    a.fail("speck-fan-in", op, f"a core reads one source, got {len(op.operands)} incoming edges", 1, len(op.operands))
    return False


def _match(a: Analysis, neuron: Operation, claimed: set[Operation]) -> list[Layer]:
    """The layers that end in ``neuron``: one, or one per incoming Conv/Linear where
    the neuron sums several (a violation, but each is still checked on its own)."""
    if len(neuron.operands) != 1:
        a.fail("speck-fan-in", neuron, f"a core's neurons read one convolution, got {len(neuron.operands)} incoming edges", 1, len(neuron.operands))
    return [layer for value in neuron.operands if (layer := _match_one(a, neuron, value, claimed)) is not None]


def _match_one(a: Analysis, neuron: Operation, value: SSAValue, claimed: set[Operation]) -> Layer | None:
    """Walk up from the neurons: weight, Flatten, poolings, source.  Every node walked
    through is claimed, matched or not, so it is reported once."""
    weight = value.owner
    if not isinstance(weight, _WEIGHTS):
        a.fail("speck-layer", neuron, f"neurons must read a Conv2d, Linear or Affine (one core computes both); this one reads {_what(value)}", _SHAPE, _what(value))
        return None
    claimed.add(weight)
    readers = [use.operation for use in weight.results[0].uses]
    if not all(isinstance(r, nir.NeuronOp) for r in readers):
        # several neurons may read it (canonicalize merges equal convolutions): each
        # is a core of its own, with a copy of the kernel
        others = sorted({r.name for r in readers if not isinstance(r, nir.NeuronOp)})
        a.fail("speck-layer", weight, f"a Conv2d/Linear feeds only neurons (on its own core), this one also feeds {', '.join(others)}", "IF neurons", others)
        return None
    if not _single_source(a, weight):
        return None
    value = weight.operands[0]
    flatten = None
    if isinstance(value.owner, nir.FlattenOp):
        flatten = value.owner
        claimed.add(flatten)
        if not _single_source(a, flatten):
            return None
        value = flatten.operands[0]
    pools: list[Operation] = []
    while isinstance(value.owner, _POOLS):
        pools.append(value.owner)
        claimed.add(value.owner)
        if not _single_source(a, value.owner):
            return None
        value = value.owner.operands[0]
    source = value.owner
    if not isinstance(source, (*_LAYER_OUTPUTS, nir.InputOp)):
        a.fail("speck-layer", (pools[-1] if pools else None) or flatten or weight, f"a layer reads a graph Input or another layer, this one reads {_what(value)}", _SHAPE, _what(value))
        return None
    return Layer(neuron, weight, value, flatten, tuple(reversed(pools)))


def _pooling(a: Analysis, layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The chain of poolings as one: each square with stride = kernel and no padding."""
    size = 1
    for pool in layer.pools:
        k = per_dim(pool.param("kernel_size"), 2, "kernel_size")
        s = per_dim(pool.param("stride"), 2, "stride")
        p = per_dim(pool.param("padding"), 2, "padding")
        if k[0] != k[1] or s != k or any(p):
            a.fail("speck-pooling", pool, f"sum pooling on Speck is square with stride = kernel and no padding; got kernel {list(k)}, stride {list(s)}, padding {list(p)}", "square, stride = kernel, no padding", {"kernel": list(k), "stride": list(s), "padding": list(p)})
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
        a.fail("speck-conv", w, f"Speck convolutions have dilation 1 and groups 1, got dilation {list(dilation)}, groups {groups}", {"dilation": [1, 1], "groups": 1}, {"dilation": list(dilation), "groups": groups})
        return False
    pad = w.padding
    if not isinstance(pad, StringAttr):
        layer.padding = per_dim(pad.array, 2, "padding")  # type: ignore[assignment]
    elif pad.data == "valid":
        layer.padding = (0, 0)
    elif all(k % 2 for k in layer.kernel):
        layer.padding = (layer.kernel[0] // 2, layer.kernel[1] // 2)
    else:
        a.fail("speck-padding", w, "padding 'same' with an even kernel is asymmetric; Speck pads both sides alike", "odd kernel", list(layer.kernel))
        return False
    return True


def _geometry(a: Analysis, layer: Layer) -> bool:
    """Fill in the layer's shapes; False (with a violation) where they do not fit a core."""
    source_shape = shape_of(layer.source)
    if len(source_shape) not in (1, 3):
        a.fail("speck-shape", layer.source.owner, f"signals between cores are C x H x W feature maps (or 1-D), got {list(source_shape)}", "C x H x W or 1-D", list(source_shape))  # type: ignore[arg-type]
        return False
    layer.in_shape = _shape3(source_shape)
    shape = layer.in_shape
    if layer.pools:
        if len(source_shape) != 3:
            a.fail("speck-pooling", layer.pools[0], f"pooling reads a C x H x W feature map, got {list(source_shape)}", "C x H x W", list(source_shape))
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
            a.fail("speck-layer", w, f"a Linear/Affine on a core has a 2-D weight, got shape {list(weight.shape)}", 2, weight.ndim)
            return False
        if layer.flatten is not None:
            start, end = (int(np.asarray(layer.flatten.param(k)).reshape(-1)[0]) for k in ("start_dim", "end_dim"))
            if len(shape_of(layer.flatten.operands[0])) != 3 or (start % 3, end % 3) != (0, 2):
                a.fail("speck-layer", layer.flatten, "only a Flatten of a whole C x H x W feature map can feed a Linear on a core", "start_dim 0, end_dim -1", [start, end])
                return False
        elif len(source_shape) != 1 or layer.pools:
            a.fail("speck-layer", w, f"a Linear/Affine on a core reads 1-D neurons or a flattened feature map, got shape {list(shape)}", "1-D", list(shape))
            return False
        layer.kernel = (shape[1], shape[2])  # the whole feature map: one output position
        layer.stride, layer.padding = (1, 1), (0, 0)
    spatial = tuple((n + 2 * p - k) // s + 1 for n, p, k, s in zip(shape[1:], layer.padding, layer.kernel, layer.stride, strict=True))
    layer.out_shape = (int(weight.shape[0]), *spatial)
    return True


def _output_reshape(op: Operation) -> bool:
    """A Flatten of a layer's spikes read by Outputs only: the host reshapes them."""
    uses = list(op.results[0].uses)
    return (
        isinstance(op, nir.FlattenOp) and len(op.operands) == 1 and isinstance(op.operands[0].owner, _LAYER_OUTPUTS)
        and bool(uses) and all(isinstance(u.operation, nir.OutputOp) for u in uses)
    )


def analyse(graph: nir.GraphOp) -> Analysis:
    """Cut ``graph`` into layers, in topological order; structural violations on the way."""
    a = Analysis(graph)
    claimed: set[Operation] = set()
    for op in schedule_order(graph):
        if isinstance(op, speck.LayerOp):
            a.layers.append(Layer.of(op))
        elif isinstance(op, nir.NeuronOp):  # IF, or a neuron the kind rule rejects below
            for layer in _match(a, op, claimed):
                if _geometry(a, layer):
                    a.layers.append(layer)
    for op in graph.body.block.ops:
        if not isinstance(op, _SUPPORTED):
            a.fail("speck-node-kind", op, _unsupported(op), "IF, Conv2d, Linear, Affine, SumPool2d, AvgPool2d, Flatten", op.name)
        elif isinstance(op, _PARTS) and op not in claimed and not _output_reshape(op):
            a.fail("speck-layer", op, f"{op.name} must lead to IF neurons on the same core ({_SHAPE})", _SHAPE, op.name)
        elif isinstance(op, nir.OutputOp):
            for value in op.operands:
                owner = value.owner
                if not isinstance(owner, _LAYER_OUTPUTS) and not (isinstance(owner, Operation) and _output_reshape(owner)):
                    a.fail("speck-output", op, f"Speck's outputs are the spikes of a layer's IF neurons, this Output reads {_what(value)}", "IF neurons", _what(value))
    return a


def _unsupported(op: Operation) -> str:
    if isinstance(op, (nir.LIFOp, nir.CubaLIFOp)):
        return f"{op.name}: Speck's neurons are integrate-and-fire without leak (IF); a leaky neuron cannot run"
    if isinstance(op, nir.GraphOp):
        return "nested graphs are not supported on Speck: flatten the model into one graph"
    return f"{op.name} has no Speck equivalent (a core is {_SHAPE})"


# ------------------------------------------------------------------- the rules
Rule = Callable[[Analysis, SpeckResources], Iterator[Violation]]


def nonempty(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Something to run: neurons, and an Output that reads them."""
    ops = list(a.graph.body.block.ops)
    if not any(isinstance(op, _LAYER_OUTPUTS) for op in ops):
        yield Violation("speck-empty", None, f"the graph has no neurons: a core runs {_SHAPE}", limit="at least 1 layer", actual=0)
    if not any(isinstance(op, nir.OutputOp) for op in ops):
        yield Violation("speck-empty", None, "the graph has no Output: nothing would leave the chip", limit="at least 1 Output", actual=0)


def no_cycles(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Cores feed forward: no recurrent edge."""
    g = nx.DiGraph()
    for op in a.graph.body.block.ops:
        g.add_node(op)
        for value in op.operands:
            if isinstance(value.owner, Operation):
                g.add_edge(value.owner, op)
    index = {op: i for i, op in enumerate(a.graph.body.block.ops)}
    cycles = [sorted(c, key=index.__getitem__) for c in nx.strongly_connected_components(g)]
    for members in sorted(cycles, key=lambda m: index[m[0]]):
        if len(members) > 1 or g.has_edge(members[0], members[0]):
            yield Violation("speck-cycle", _name(members[0]), f"recurrent cycle through {', '.join(repr(_name(m)) for m in members)}: Speck's cores feed forward only", limit=0, actual=len(members))


def channels(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        for what, n in (("input", layer.c_in), ("output", layer.c_out)):
            if n > res.max_channels:
                yield Violation("speck-channels", _name(layer.weight), f"{n} {what} channels, a core has at most {res.max_channels}", limit=res.max_channels, actual=n)


def kernels(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        ky, kx = layer.kernel
        if ky != kx or ky > res.max_kernel:
            yield Violation("speck-kernel", _name(layer.weight), f"kernel {ky}x{kx}: Speck's kernels are square, at most {res.max_kernel}x{res.max_kernel}", limit=res.max_kernel, actual=[ky, kx])


def strides(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if any(s not in res.strides for s in layer.stride):
            yield Violation("speck-stride", _name(layer.weight), f"stride {list(layer.stride)}: Speck's strides are {', '.join(map(str, res.strides))}", limit=list(res.strides), actual=list(layer.stride))


def paddings(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if max(layer.padding) > res.max_padding:
            yield Violation("speck-padding", _name(layer.weight), f"padding {list(layer.padding)}: at most {res.max_padding}", limit=res.max_padding, actual=list(layer.padding))


def poolings(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        ky, kx = layer.pool_size
        if ky != kx or ky not in res.poolings:
            yield Violation("speck-pooling", _name(layer.pool_node), f"pooling {ky}x{kx}: a destination pools {', '.join(map(str, res.poolings))} (square)", limit=list(res.poolings), actual=[ky, kx])


def inputs(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """One input, C x H x W events within the DVS layer's size."""
    found = [op for op in a.graph.body.block.ops if isinstance(op, nir.InputOp)]
    if len(found) != 1:
        yield Violation("speck-input-size", _name(found[1]) if found else None, f"Speck has one input (its DVS layer), the graph has {len(found)}", limit=1, actual=len(found))
    for op in found:
        shape = shape_of(op.output)
        if len(shape) != 3:
            yield Violation("speck-input-size", _name(op), f"Speck's input is C x H x W events, got shape {list(shape)}", limit="C x H x W", actual=list(shape))
        elif max(shape[1:]) > res.max_input_size:
            yield Violation("speck-input-size", _name(op), f"input {shape[1]}x{shape[2]}: at most {res.max_input_size}x{res.max_input_size}", limit=res.max_input_size, actual=list(shape[1:]))


def feature_size(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if max(layer.out_shape[1:]) > res.max_feature_size:
            yield Violation("speck-feature-size", layer.name, f"feature map {layer.out_shape[1]}x{layer.out_shape[2]}: a core's output is at most {res.max_feature_size}x{res.max_feature_size}", limit=res.max_feature_size, actual=list(layer.out_shape[1:]))


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
            yield Violation("speck-destinations", _name(owner), f"feeds {len(layers)} layers: a core sends to at most {res.max_destinations}", limit=res.max_destinations, actual=len(layers))  # type: ignore[arg-type]
        if not isinstance(owner, nir.InputOp):
            continue
        pools = sorted({layer.pool_size[0] for layer in layers})
        channels = shape_of(value)[0]
        if len(pools) > 1:
            yield Violation("speck-pooling", _name(owner), f"the input is pooled once for every layer it feeds (the DVS layer's pooling), got {pools}", limit=1, actual=len(pools))
        elif channels > res.dvs_channels and (len(layers) > 1 or pools != [1]):
            yield Violation(
                "speck-input-channels", _name(owner),
                f"an input of {channels} channels skips the DVS layer (at most {res.dvs_channels}, its polarities) and enters one core directly, unpooled; "
                f"this one feeds {len(layers)} layer(s) with pooling {pools[0]}",
                limit=res.dvs_channels, actual=channels,
            )


def neurons(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """One threshold per core: v_threshold / r must be constant over each channel (it is
    folded into the channel's weights), r > 0, v_threshold > 0."""
    for layer in a.layers:
        n = layer.neuron
        if not isinstance(n, nir.IFOp):
            continue  # the kind rule reports other neurons; a speck.layer verifies its own
        shape = (layer.c_out, -1)
        r, th = (np.asarray(n.param(k), np.float64).reshape(shape) for k in ("r", "v_threshold"))
        if (r <= 0).any() or (th <= 0).any():
            yield Violation("speck-neuron", layer.name, "r and v_threshold must be > 0 (a core's neurons add their input and fire upwards)", limit="> 0", actual=float(min(r.min(), th.min())))
        elif (r != r[:, :1]).any() or (th != th[:, :1]).any():
            yield Violation("speck-neuron", layer.name, "r and v_threshold vary within a channel: a core shares one kernel per channel and one threshold", limit="one value per channel", actual="varies")


def memory(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        k, m = layer.kernel_memory(), layer.neuron_memory()
        if not res.cores_for(k, m):
            yield Violation(
                "speck-memory", layer.name,
                f"needs {k} kernel and {m} neuron memory entries; no core has both (largest: {max(res.kernel_memory)} kernel, {max(res.neuron_memory)} neuron)",
                limit={"kernel": list(res.kernel_memory), "neuron": list(res.neuron_memory)}, actual={"kernel": k, "neuron": m},
            )


def cores(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    if len(a.layers) > res.cores:
        yield Violation("speck-cores", None, f"{len(a.layers)} layers, Speck has {res.cores} cores", limit=res.cores, actual=len(a.layers))


def placement(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Every layer on a core of its own that holds it (where each fits some core and
    there are enough cores: the two rules above report the rest)."""
    candidates = [res.cores_for(layer.kernel_memory(), layer.neuron_memory()) for layer in a.layers]
    if len(a.layers) > res.cores or not all(candidates):
        return
    found = place(candidates)
    if isinstance(found, Shortage):
        names = [a.layers[i].name for i in found.layers]
        yield Violation(
            "speck-placement", names[0],
            f"layers {', '.join(map(repr, names))} fit only on cores {', '.join(map(str, found.cores))}: "
            f"{len(found.cores)} cores for {len(names)} layers (make some layers smaller)",
            limit=len(found.cores), actual=len(names),
        )


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
    """Analyse ``graph`` and run every rule; ``analysis.violations`` lists all that
    fail, each once."""
    a = analyse(graph)
    for rule in RULES.values():
        a.violations.extend(rule(a, res))
    unique = {(v.rule, v.node, v.message): v for v in a.violations}
    a.violations = list(unique.values())
    return a
