"""What Speck can run: a `nir` graph cut into per-core layers, and the design rules.

:func:`analyse` reads a `nir` graph as a chain of *layers*, each what one core computes:
an optional sum (or average) pooling of its source, an optional Flatten, a Conv2d or a
Linear/Affine, and the IF neurons right after it.  The source of a layer is a graph
Input (the DVS input) or another layer's neurons.  Whatever does not fit that shape is
a violation, and so is anything a layer asks beyond the chip's resources
(:mod:`nirc.targets.speck.resources`).  Every rule is a small function yielding
:class:`~nirc.errors.Violation` s on the offending node; :func:`check` runs them all
and returns every violation at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Operation, SSAValue

from nirc.dialects import nir
from nirc.errors import Violation
from nirc.ir.shapes import per_dim
from nirc.targets.speck.resources import SPECK, SpeckResources, kernel_memory, neuron_memory

_WEIGHTS = (nir.Conv2dOp, nir.LinearOp, nir.AffineOp)
_POOLS = (nir.SumPool2dOp, nir.AvgPool2dOp)
_PARTS = (*_WEIGHTS, *_POOLS, nir.FlattenOp)
_SUPPORTED = (*_PARTS, nir.IFOp, nir.InputOp, nir.OutputOp)


def _name(op: Operation) -> str:
    return op.properties["name"].data  # type: ignore[union-attr]


@dataclass
class Layer:
    """One core's worth of `nir` nodes, and its geometry."""

    #: IF neurons (another kind only while the rules report it)
    neuron: nir.NodeOp
    weight: nir.NodeOp
    flatten: nir.FlattenOp | None
    pool: nir.NodeOp | None
    #: the signal the layer reads: a graph Input or another layer's neurons
    source: SSAValue
    #: the source's shape, (C, H, W) (a 1-D source of n neurons is (n, 1, 1))
    in_shape: tuple[int, ...] = ()
    pool_size: tuple[int, int] = (1, 1)
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    out_shape: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return _name(self.neuron)

    @property
    def nodes(self) -> list[nir.NodeOp]:
        return [op for op in (self.pool, self.flatten, self.weight, self.neuron) if op is not None]

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
    layers: list[Layer] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def fail(self, rule: str, op: Operation | None, message: str, limit: object = None, actual: object = None) -> None:
        self.violations.append(Violation(rule, None if op is None else _name(op), message, limit=limit, actual=actual))


def _shape3(shape: tuple[int, ...]) -> tuple[int, ...]:
    return shape if len(shape) == 3 else (*shape, 1, 1) if len(shape) == 1 else shape


def _match(a: Analysis, neuron: nir.NodeOp) -> list[Layer]:
    """The layers that end in ``neuron``: one, or one per incoming Conv/Linear where
    the neuron sums several (a violation, but each is still checked on its own)."""
    if len(neuron.operands) != 1:
        a.fail("speck-fan-in", neuron, f"a core's neurons read one convolution, got {len(neuron.operands)} incoming edges", 1, len(neuron.operands))
    found = []
    for value in neuron.operands:
        layer = _match_one(a, neuron, value)
        if layer is not None:
            found.append(layer)
    return found


def _match_one(a: Analysis, neuron: nir.NodeOp, value: SSAValue) -> Layer | None:
    weight = value.owner
    if not isinstance(weight, _WEIGHTS):
        what = weight.name if isinstance(weight, Operation) else "a graph input"
        a.fail("speck-layer", neuron, f"neurons must read a Conv2d, Linear or Affine (one core computes both); this one reads {what}")
        return None
    if len(list(weight.results[0].uses)) != 1:
        a.fail("speck-layer", weight, "a Conv2d/Linear feeds only the neurons of its own core, this one feeds several nodes")
        return None
    if len(weight.operands) != 1:
        a.fail("speck-fan-in", weight, f"a core reads one source, got {len(weight.operands)} incoming edges", 1, len(weight.operands))
        return None
    value = weight.operands[0]
    flatten = pool = None
    if isinstance(value.owner, nir.FlattenOp):
        flatten = value.owner
        value = flatten.operands[0] if len(flatten.operands) == 1 else value
    if isinstance(value.owner, _POOLS):
        pool = value.owner
        if len(pool.operands) != 1:
            a.fail("speck-fan-in", pool, f"a core reads one source, got {len(pool.operands)} incoming edges", 1, len(pool.operands))
            return None
        value = pool.operands[0]
    for part in (flatten, pool):
        if part is not None and len(list(part.results[0].uses)) != 1:
            a.fail("speck-layer", part, "pooling and Flatten belong to the one layer they feed: this node feeds several")
            return None
    source = value.owner
    if not isinstance(source, (nir.NeuronOp, nir.InputOp)):
        a.fail("speck-layer", pool or flatten or weight, f"a layer reads a graph Input or neurons, this one reads {source.name if isinstance(source, Operation) else 'nothing'}")
        return None
    return Layer(neuron, weight, flatten, pool, value)  # type: ignore[arg-type]


def _geometry(a: Analysis, layer: Layer) -> bool:
    """Fill in the layer's shapes; False (with a violation) where they do not fit a core."""
    source_shape = nir.shape_of(layer.source)
    if len(source_shape) not in (1, 3):
        a.fail("speck-shape", layer.source.owner, f"signals between cores are C x H x W feature maps (or 1-D), got {list(source_shape)}")  # type: ignore[arg-type]
        return False
    layer.in_shape = _shape3(source_shape)
    shape = layer.in_shape
    if layer.pool is not None:
        pool = layer.pool
        k = per_dim(pool.param("kernel_size"), 2, "kernel_size")
        s = per_dim(pool.param("stride"), 2, "stride")
        p = per_dim(pool.param("padding"), 2, "padding")
        if k[0] != k[1] or k not in {(n, n) for n in SPECK.poolings} or s != k or any(p):
            a.fail("speck-pooling", pool, f"sum pooling is square, {', '.join(map(str, SPECK.poolings))}, stride = kernel, no padding; got kernel {list(k)}, stride {list(s)}, padding {list(p)}", list(SPECK.poolings), list(k))
            return False
        layer.pool_size = (k[0], k[1])
        shape = (shape[0], shape[1] // k[0], shape[2] // k[1])
    w = layer.weight
    if isinstance(w, nir.Conv2dOp):
        weight = w.param("weight")
        layer.kernel = (int(weight.shape[2]), int(weight.shape[3]))
        layer.stride = per_dim(w.param("stride"), 2, "stride")  # type: ignore[assignment]
        dilation = per_dim(w.param("dilation"), 2, "dilation")
        groups = int(np.asarray(w.param("groups")).reshape(-1)[0])
        if dilation != (1, 1) or groups != 1:
            a.fail("speck-conv", w, f"Speck convolutions have dilation 1 and groups 1, got dilation {list(dilation)}, groups {groups}")
            return False
        pad = w.padding
        if isinstance(pad, StringAttr):
            if pad.data == "valid":
                layer.padding = (0, 0)
            elif all(k % 2 for k in layer.kernel):
                layer.padding = (layer.kernel[0] // 2, layer.kernel[1] // 2)
            else:
                a.fail("speck-padding", w, "padding 'same' with an even kernel is asymmetric; Speck pads both sides alike")
                return False
        else:
            layer.padding = per_dim(pad.array, 2, "padding")  # type: ignore[assignment]
    else:
        weight = w.param("weight")
        if weight.ndim != 2:
            a.fail("speck-layer", w, f"a Linear/Affine on a core has a 2-D weight, got shape {list(weight.shape)}")
            return False
        if layer.flatten is not None:
            start, end = (int(np.asarray(layer.flatten.param(k)).reshape(-1)[0]) for k in ("start_dim", "end_dim"))
            if len(nir.shape_of(layer.flatten.operands[0])) != 3 or (start % 3, end % 3) != (0, 2):
                a.fail("speck-layer", layer.flatten, "only a Flatten of a whole C x H x W feature map can feed a Linear on a core")
                return False
        elif len(source_shape) != 1 or layer.pool is not None:
            a.fail("speck-layer", w, f"a Linear/Affine on a core reads 1-D neurons or a flattened feature map, got shape {list(shape)}")
            return False
        layer.kernel = (shape[1], shape[2])  # the whole feature map: one output position
        layer.stride, layer.padding = (1, 1), (0, 0)
    spatial = tuple((n + 2 * p - k) // s + 1 for n, p, k, s in zip(shape[1:], layer.padding, layer.kernel, layer.stride, strict=True))
    layer.out_shape = (int(weight.shape[0]), *spatial)
    return True


def analyse(graph: nir.GraphOp) -> Analysis:
    """Cut ``graph`` into layers; structural violations on the way."""
    a = Analysis(graph)
    ops = list(graph.body.block.ops)
    claimed: set[Operation] = set()
    for op in ops:
        if isinstance(op, nir.NeuronOp):  # IF, or a neuron the kind rule rejects below
            for layer in _match(a, op):
                claimed.update(layer.nodes)
                if _geometry(a, layer):
                    a.layers.append(layer)
    for op in ops:
        if not isinstance(op, _SUPPORTED):
            a.fail("speck-node-kind", op, _unsupported(op))
        elif isinstance(op, _PARTS) and op not in claimed:
            a.fail("speck-layer", op, f"{op.name} must lead to IF neurons on the same core (pooling/Flatten -> Conv2d or Linear/Affine -> IF)")
        elif isinstance(op, nir.OutputOp):
            for value in op.operands:
                if not isinstance(value.owner, nir.NeuronOp):
                    a.fail("speck-output", op, "Speck's outputs are the spikes of a layer's IF neurons")
    return a


def _unsupported(op: Operation) -> str:
    if isinstance(op, (nir.LIFOp, nir.CubaLIFOp)):
        return f"{op.name}: Speck's neurons are integrate-and-fire without leak (IF); a leaky neuron cannot run"
    if isinstance(op, nir.GraphOp):
        return "nested graphs are not supported on Speck: flatten the model into one graph"
    return f"{op.name} has no Speck equivalent (a core is pooling -> Conv2d/Linear -> IF)"


# ------------------------------------------------------------------- the rules
Rule = Callable[[Analysis, SpeckResources], Iterator[Violation]]


def no_cycles(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """Cores feed forward: no recurrent edge."""
    g = nx.DiGraph()
    for op in a.graph.body.block.ops:
        for value in op.operands:
            if isinstance(value.owner, Operation):
                g.add_edge(value.owner, op)
    for component in nx.strongly_connected_components(g):
        members = sorted(component, key=_name)
        if len(members) > 1 or g.has_edge(members[0], members[0]):
            yield Violation("speck-cycle", _name(members[0]), f"recurrent cycle through {', '.join(repr(_name(m)) for m in members)}: Speck's cores feed forward only", limit=0, actual=len(members))


def channels(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        for what, n, op in (("input", layer.c_in, layer.weight), ("output", layer.c_out, layer.weight)):
            if n > res.max_channels:
                yield Violation("speck-channels", _name(op), f"{n} {what} channels, a core has at most {res.max_channels}", limit=res.max_channels, actual=n)


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


def input_size(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    inputs = [op for op in a.graph.body.block.ops if isinstance(op, nir.InputOp)]
    if len(inputs) > 1:
        yield Violation("speck-input-size", _name(inputs[1]), f"Speck has one input (its DVS layer), the graph has {len(inputs)}", limit=1, actual=len(inputs))
    for op in a.graph.body.block.ops:
        if isinstance(op, nir.InputOp):
            shape = nir.shape_of(op.output)
            if len(shape) != 3:
                yield Violation("speck-input-size", _name(op), f"Speck's input is C x H x W events, got shape {list(shape)}", limit="C x H x W", actual=list(shape))
            elif max(shape[1:]) > res.max_input_size:
                yield Violation("speck-input-size", _name(op), f"input {shape[1]}x{shape[2]}: at most {res.max_input_size}x{res.max_input_size}", limit=res.max_input_size, actual=list(shape[1:]))


def feature_size(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        if max(layer.out_shape[1:]) > res.max_feature_size:
            yield Violation("speck-feature-size", layer.name, f"feature map {layer.out_shape[1]}x{layer.out_shape[2]}: a core's output is at most {res.max_feature_size}x{res.max_feature_size}", limit=res.max_feature_size, actual=list(layer.out_shape[1:]))


def destinations(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """A core (and the DVS input) sends to at most two layers; the input has one pooling
    for all of them (the DVS layer's), a core one per destination."""
    readers: dict[SSAValue, list[Layer]] = {}
    for layer in a.layers:
        readers.setdefault(layer.source, []).append(layer)
    for value, layers in readers.items():
        if len(layers) > res.max_destinations:
            yield Violation("speck-destinations", _name(value.owner), f"feeds {len(layers)} layers: a core sends to at most {res.max_destinations}", limit=res.max_destinations, actual=len(layers))  # type: ignore[arg-type]
        pools = sorted({layer.pool_size[0] for layer in layers})
        if isinstance(value.owner, nir.InputOp) and len(pools) > 1:
            yield Violation("speck-pooling", _name(value.owner), f"the input is pooled once for every layer it feeds (the DVS layer's pooling), got {pools}", limit=1, actual=len(pools))


def neurons(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    """One threshold per core: v_threshold / r must be constant over each channel (it is
    folded into the channel's weights), r > 0, v_threshold > 0."""
    for layer in a.layers:
        n = layer.neuron
        if not isinstance(n, nir.IFOp):
            continue  # the kind rule reports it
        shape = (layer.c_out, -1)
        r, th = (np.asarray(n.param(k), np.float64).reshape(shape) for k in ("r", "v_threshold"))
        if (r <= 0).any() or (th <= 0).any():
            yield Violation("speck-neuron", layer.name, "r and v_threshold must be > 0 (a core's neurons add their input and fire upwards)")
        elif (r != r[:, :1]).any() or (th != th[:, :1]).any():
            yield Violation("speck-neuron", layer.name, "r and v_threshold vary within a channel: a core shares one kernel per channel and one threshold")


def memory(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    for layer in a.layers:
        k, m = layer.kernel_memory(), layer.neuron_memory()
        if not any(k <= kc and m <= mc for kc, mc in zip(res.kernel_memory, res.neuron_memory, strict=True)) or layer.c_out > res.bias_memory:
            yield Violation(
                "speck-memory", layer.name,
                f"needs {k} kernel and {m} neuron memory entries; no core has both (largest: {max(res.kernel_memory)} kernel, {max(res.neuron_memory)} neuron)",
                limit={"kernel": list(res.kernel_memory), "neuron": list(res.neuron_memory)}, actual={"kernel": k, "neuron": m},
            )


def cores(a: Analysis, res: SpeckResources) -> Iterator[Violation]:
    if len(a.layers) > res.cores:
        yield Violation("speck-cores", None, f"{len(a.layers)} layers, Speck has {res.cores} cores", limit=res.cores, actual=len(a.layers))


RULES: dict[str, Rule] = {
    "speck-cycle": no_cycles,
    "speck-channels": channels,
    "speck-kernel": kernels,
    "speck-stride": strides,
    "speck-padding": paddings,
    "speck-input-size": input_size,
    "speck-feature-size": feature_size,
    "speck-destinations": destinations,
    "speck-neuron": neurons,
    "speck-memory": memory,
    "speck-cores": cores,
}


def check(graph: nir.GraphOp, res: SpeckResources = SPECK) -> Analysis:
    """Analyse ``graph`` and run every rule; ``analysis.violations`` lists all that fail."""
    a = analyse(graph)
    for rule in RULES.values():
        a.violations.extend(rule(a, res))
    return a
