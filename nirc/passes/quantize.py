"""``quantize``: a discrete-time model's parameters to integers with one scale per layer
(or per output channel), as every chip wants them.

A *layer* is what one scale multiplies:

* an `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``) with the Linear, Affine or
  Conv nodes that feed it and nothing else: first the neuron's input gain is folded
  into them (``W <- g W`` per output neuron, and the recurrent weights likewise; for a
  current-based neuron ``g = gain * syn_gain``, and its current is then ``g`` times
  what it was), so the integers are the ones a chip adds per input spike; the neuron
  keeps ``gain = 1``;
* an op with the :class:`~nirc.core.traits.Quantizable` trait (a chip's core, such as
  ``speck.layer``), which lists its parameters' roles itself.

A layer whose input is not all through weights it owns (an Input read directly, a
weight node read by another layer too) is left in float and reported.

One factor ``s`` multiplies weights, biases (Affine/Conv biases, the neuron's bias,
``b_rec``) and thresholds (``threshold``, ``v_reset``, ``threshold_low``) together: a
layer whose input, membrane and threshold are all multiplied by ``s`` spikes as before,
so only rounding changes what it computes.  ``s`` is the largest factor that keeps every
value in range (sinabs' ``discretize.py`` rule, which Speck, Xylo and Loihi share)::

    range(t, bits) = hi / max(t)   if |min(t)| <= |max(t)| |lo / hi|   else  lo / min(t)
    s = min(range(weights, weight-bits), range(biases, bias-bits), range(thresholds, threshold-bits))

with ``[lo, hi]`` the signed range of ``bits``; with ``scheme=per-channel`` it is taken
per output neuron (Conv: per channel), with ``scale=power-of-two`` rounded down to a
power of two (a chip that scales by shifting).  Values become ``round(x s)`` in the
narrowest signed integer type holding the bits (``rounding``: ``half-even`` as numpy and
torch round, ``half-away`` from zero, ``floor``, ``truncate``), a positive threshold at
least 1; with ``saturate`` a value that rounding pushes past its range is clipped, else
it is an error ``[quantize-range]``.  With ``symmetric`` the weights' range is
``[-hi, hi]`` (a chip storing a sign and a magnitude); the roles in ``float-roles``
(``bias``, ``threshold``) are multiplied by ``s`` but not rounded and do not limit it (a
chip whose neurons compute in float, as SpiNNaker2's).  The neuron records ``s`` in ``scale``; a neuron
whose membrane is read as a value (no spikes) gets a ``nir.scale`` of ``1/s`` after it,
so what reads it sees what it did (a ``Quantizable`` op whose ``reads_membrane`` is true,
such as a Xylo readout read as membrane, likewise).  Decays stay as they are: a chip's conversion turns
them into its own format (shifts, 12-bit factors).

Not exact: a weight moves by up to ``1 / (2 s)``.  :func:`quantize_module` returns, per
layer, the scale and the relative errors of the weights and thresholds
(``{report="q.json"}`` writes them), and the interpreter runs the result, so its
outputs can be compared with the float model's (``docs/passes.md`` states the bounds
the tests hold it to).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.gcpause import pauses_gc
from nirc.core.integers import OVERFLOWS, int_dtype, int_range
from nirc.core.node import shape_of
from nirc.core.rewriting import build, fresh_name, rewrite_session
from nirc.core.traits import Quantizable, trait_of
from nirc.dialects import nir, snn
from nirc.dialects.nir import graphs
from nirc.io.atomic import atomic_text_file

ROUNDINGS = ("half-even", "half-away", "floor", "truncate")
SCHEMES = ("per-layer", "per-channel")
SCALES = ("any", "power-of-two")
_WEIGHTS = (nir.LinearOp, nir.AffineOp, nir.Conv1dOp, nir.Conv2dOp)


def range_factor(t: np.ndarray, bits: int, axis: int | None = None, symmetric: bool = False) -> np.ndarray:
    """The largest factor that maps ``t`` into the signed ``bits``-bit range (inf for
    zeros; ``symmetric``: ``[-hi, hi]``); with ``axis``, one per index of that axis (the
    others reduced)."""
    lo, hi = int_range(bits)
    if symmetric:
        lo = -hi
    t = np.asarray(t, np.float64)
    if axis is None:
        tmax, tmin = np.max(t, initial=0.0), np.min(t, initial=0.0)
    else:
        other = tuple(i for i in range(t.ndim) if i != axis)
        tmax, tmin = np.max(t, axis=other, initial=0.0), np.min(t, axis=other, initial=0.0)
    tmax, tmin = np.asarray(tmax, np.float64), np.asarray(tmin, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = np.where(tmax > 0, hi / np.abs(tmax), np.inf)
        low = np.where(tmin < 0, abs(lo) / np.abs(tmin), np.inf)
        use_high = np.abs(tmin) <= np.abs(tmax) * abs(lo / hi)
        return np.where((tmax == 0) & (tmin == 0), np.inf, np.where(use_high, high, low))


@dataclass(frozen=True)
class Options:
    """What ``quantize`` is asked for (see the module doc)."""

    weight_bits: int = 8
    bias_bits: int = 16
    threshold_bits: int = 16
    scheme: str = "per-layer"
    rounding: str = "half-even"
    saturate: bool = True
    scale: str = "any"
    #: The neurons' state width (0: unbounded) and what a state beyond it becomes.
    state_bits: int = 0
    overflow: str = "saturate"
    #: Weights in ``[-hi, hi]`` (a chip that stores a sign and a magnitude, as SpiNNaker2's ±127).
    symmetric: bool = False
    #: Roles (``bias``, ``threshold``) scaled with the layer but kept as floats (a chip
    #: that computes its neurons in float, as SpiNNaker2): they do not limit the scale.
    float_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for key in ("weight_bits", "bias_bits", "threshold_bits", "state_bits"):
            bits = getattr(self, key)
            if not (isinstance(bits, int) and (2 <= bits <= 64 or (key == "state_bits" and bits == 0))):
                also = " (or 0: unbounded)" if key == "state_bits" else ""
                raise ValueError(f"{key.replace('_', '-')} must be a whole number from 2 to 64{also}, got {bits!r}")
        for key, allowed in (("scheme", SCHEMES), ("rounding", ROUNDINGS), ("scale", SCALES), ("overflow", OVERFLOWS)):
            if getattr(self, key) not in allowed:
                raise ValueError(f"{key} must be one of {', '.join(allowed)}, got {getattr(self, key)!r}")
        unknown = set(self.float_roles) - {"bias", "threshold"}
        if unknown:
            raise ValueError(f"float-roles are 'bias' and 'threshold', got {', '.join(sorted(unknown))}")
        if self.state_bits:
            for key in ("bias_bits", "threshold_bits"):
                if getattr(self, key) > self.state_bits:
                    raise ValueError(
                        f"{key.replace('_', '-')}={getattr(self, key)} is wider than state-bits={self.state_bits}: "
                        "the state could not hold it"
                    )

    def bits(self, role: str) -> int:
        return {"weight": self.weight_bits, "bias": self.bias_bits, "threshold": self.threshold_bits}[role]

    def round(self, x: np.ndarray) -> np.ndarray:
        if self.rounding == "half-even":
            return np.rint(x)
        if self.rounding == "half-away":
            return np.sign(x) * np.floor(np.abs(x) + 0.5)
        if self.rounding == "floor":
            return np.floor(x)
        return np.trunc(x)


@dataclass
class Part:
    """One parameter of a layer: where it lives, its role, and along which axis its
    entries belong to output channels (None: shared by the whole layer)."""

    op: Operation
    key: str
    role: str
    #: the parameter's shape broadcast against one scale per channel
    channel_axis: int | None = 0


@dataclass
class Layer:
    """What one scale multiplies (see the module doc)."""

    name: str
    #: the op that records the scale
    owner: Operation
    parts: list[Part] = field(default_factory=list)
    #: output channels (for per-channel scales), and the neuron shape a per-neuron
    #: scale is stored in
    channels: int = 1
    neuron_shape: tuple[int, ...] = ()


# --------------------------------------------------------------------------- finding layers


def _feeders(neuron: Operation) -> list[Operation] | str:
    """The weight nodes that feed ``neuron`` and nothing else, or why there are none."""
    found: list[Operation] = []
    for value in neuron.operands:
        owner = value.owner
        if not isinstance(owner, _WEIGHTS):
            kind = owner.name if isinstance(owner, Operation) else "a graph input"
            return f"its input comes from {kind}, not through weights of its own"
        if any(use.operation is not neuron for use in owner.results[0].uses):
            return f"its weights '{owner.nir_name}' feed other nodes too"
        if owner not in found:
            found.append(owner)
    if not found:
        return "nothing feeds it"
    return found


def _gain(neuron: snn.SnnNeuronOp) -> np.ndarray:
    g = np.asarray(neuron.param("gain"), np.float64)
    syn = neuron.opt_param("syn_gain")
    return g * np.asarray(syn, np.float64) if syn is not None else g


def _per_channel(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """One value per channel (the first axis) if ``values`` (of ``shape``) is constant
    over every other axis, else None."""
    flat = np.asarray(values, np.float64).reshape(shape[0] if shape else 1, -1)
    return flat[:, 0] if (flat == flat[:, :1]).all() else None


def _fold_gain(neuron: snn.SnnNeuronOp, feeders: list[Operation]) -> str | None:
    """Fold the neuron's input gain into its weights (and recurrent weights); None, or
    why it cannot be (a Conv's gain must be one per channel)."""
    g = _gain(neuron)
    shape = tuple(g.shape)
    if np.all(g == 1):
        return None
    convs = [f for f in feeders if isinstance(f, (nir.Conv1dOp, nir.Conv2dOp))]
    per_channel = _per_channel(g, shape) if convs else None
    if convs and per_channel is None:
        return "its input gain varies within a channel, which a convolution's weights cannot hold"

    def scaled(arr: np.ndarray, factor: np.ndarray) -> np.ndarray:
        return (factor * np.asarray(arr, np.float64)).astype(np.result_type(arr.dtype, np.float32))

    for f in feeders:
        w, b = f.param("weight"), f.opt_param("bias")
        if f in convs:
            assert per_channel is not None
            f.properties["weight"] = DenseAttr.from_array(scaled(w, per_channel.reshape(-1, *([1] * (w.ndim - 1)))))
            factor = per_channel
        else:  # W (..., out, in) for neurons (..., out)
            f.properties["weight"] = DenseAttr.from_array(scaled(w, g[..., None]))
            factor = g
        if b is not None:
            f.properties["bias"] = DenseAttr.from_array(scaled(b, factor.reshape(b.shape)))
    if neuron.RECURRENT:
        neuron.properties["w_rec"] = DenseAttr.from_array(scaled(neuron.param("w_rec"), g[:, None]))
        b_rec = neuron.opt_param("b_rec")
        if b_rec is not None:
            neuron.properties["b_rec"] = DenseAttr.from_array(scaled(b_rec, g))
    for key in ("gain", "syn_gain"):
        arr = neuron.opt_param(key)
        if arr is not None:
            neuron.properties[key] = DenseAttr.from_array(np.ones(shape, dtype=arr.dtype))
    return None


def _snn_layer(neuron: snn.SnnNeuronOp) -> Layer | str:
    feeders = _feeders(neuron)
    if isinstance(feeders, str):
        return feeders
    shape = shape_of(neuron.results[0])
    convs = any(isinstance(f, (nir.Conv1dOp, nir.Conv2dOp)) for f in feeders)
    layer = Layer(neuron.nir_name, neuron, channels=shape[0] if shape else 1, neuron_shape=shape)
    if not convs and len(shape) != 1:
        return f"its neurons have shape {list(shape)}: only 1-D layers (or convolutions) have one scale per output"
    why = _fold_gain(neuron, feeders)
    if why is not None:
        return why
    for f in feeders:
        layer.parts.append(Part(f, "weight", "weight", 0))
        if f.opt_param("bias") is not None:
            layer.parts.append(Part(f, "bias", "bias", 0))
    if neuron.RECURRENT:
        layer.parts.append(Part(neuron, "w_rec", "weight", 0))
        if neuron.opt_param("b_rec") is not None:
            layer.parts.append(Part(neuron, "b_rec", "bias", 0))
    layer.parts.append(Part(neuron, "bias", "bias", 0))
    for key in ("threshold", "v_reset"):
        if neuron.opt_param(key) is not None:
            layer.parts.append(Part(neuron, key, "threshold", 0))
    return layer


def _trait_layer(op: Operation, trait: Quantizable) -> Layer:
    layer = Layer(op.properties["name"].data, op, channels=int(np.asarray(op.param(trait.roles[0][0])).shape[0]))  # type: ignore[union-attr,attr-defined]
    for key, role in trait.roles:
        if op.properties.get(key) is not None:
            arr = op.param(key)  # type: ignore[attr-defined]
            layer.parts.append(Part(op, key, role, 0 if arr.ndim and arr.shape[0] == layer.channels else None))
    return layer


def _quantized(op: Operation) -> bool:
    return op.properties.get("scale") is not None


# --------------------------------------------------------------------------- scaling


def _per_channel_ok(layer: Layer) -> bool:
    """Every part has one entry per channel (a parameter shared by the whole layer, as a
    core's one threshold, needs one scale for the whole layer)."""
    return all(p.channel_axis == 0 and np.ndim(p.op.param(p.key)) for p in layer.parts)  # type: ignore[attr-defined]


def _factor(layer: Layer, opts: Options) -> np.ndarray:
    """The layer's scale: a 0-d array, or one per channel."""
    per_channel = opts.scheme == "per-channel" and _per_channel_ok(layer)
    factors = []
    for role in ("weight", "bias", "threshold"):
        if role in opts.float_roles:
            continue
        symmetric = opts.symmetric and role == "weight"
        arrays = [np.asarray(p.op.param(p.key), np.float64) for p in layer.parts if p.role == role]  # type: ignore[attr-defined]
        if not arrays:
            continue
        bits = opts.bits(role)
        if per_channel:
            factors.append(
                np.min([range_factor(a.reshape(layer.channels, -1), bits, 0, symmetric) for a in arrays], axis=0)
            )
        else:
            factors.append(np.min([range_factor(a, bits, None, symmetric) for a in arrays]))
    s = np.min(factors, axis=0) if factors else np.asarray(1.0)
    s = np.where(np.isinf(s), 1.0, s)  # a layer of zeros
    if opts.scale == "power-of-two":
        s = np.exp2(np.floor(np.log2(s)))
    return np.asarray(s, np.float64)


def _by_channel(s: np.ndarray, part: Part, layer: Layer, ndim: int) -> np.ndarray:
    """``s`` shaped to multiply a parameter of ``ndim`` dims of ``part``."""
    if s.ndim == 0 or ndim == 0:
        return s
    return s.reshape(layer.channels, *([1] * (ndim - 1)))


def _scaled(part: Part, s: np.ndarray, layer: Layer) -> np.ndarray:
    a = np.asarray(part.op.param(part.key), np.float64)  # type: ignore[attr-defined]
    return a * _by_channel(s, part, layer, a.ndim)


def _to_int(x: np.ndarray, role: str, part: Part, layer: Layer, opts: Options) -> np.ndarray:
    if role in opts.float_roles:
        return x
    lo, hi = int_range(opts.bits(role))
    if opts.symmetric and role == "weight":
        lo = -hi
    q = opts.round(x)
    if role == "threshold" and part.key != "v_reset":
        q = np.where(x > 0, np.maximum(q, 1), q)  # a positive threshold never becomes 0
    if q.size and (q.min() < lo or q.max() > hi):
        if not opts.saturate:
            raise NircError(
                f"'{part.key}' scaled by the layer's factor needs values in [{q.min():.0f}, {q.max():.0f}], beyond {opts.bits(role)}-bit [{lo}, {hi}]",
                rule="quantize-range",
                node=layer.name,
            )
        q = np.clip(q, lo, hi)
    return q.astype(int_dtype(opts.bits(role)))


def _errors(layer: Layer, before: dict[tuple[int, str], np.ndarray], s: np.ndarray) -> dict[str, Any]:
    """How far the integers, divided by the scale, are from the floats."""
    diffs: list[np.ndarray] = []
    olds: list[np.ndarray] = []
    zeroed = 0
    th_err: list[float] = []
    for part in layer.parts:
        old = before[(id(part.op), part.key)]
        new = np.asarray(part.op.param(part.key), np.float64)  # type: ignore[attr-defined]
        back = new / _by_channel(s, part, layer, old.ndim)
        if part.role == "weight":
            diffs.append((back - old).reshape(-1))
            olds.append(old.reshape(-1))
            zeroed += int(np.count_nonzero((old != 0) & (new == 0)))
        elif part.key == "threshold":
            positive = old > 0
            if positive.any():
                th_err.append(float(np.max(np.abs(back[positive] - old[positive]) / old[positive])))
    norm = float(np.linalg.norm(np.concatenate(olds))) if olds else 0.0
    return {
        "scale": float(s) if s.ndim == 0 else [float(v) for v in s.reshape(-1)],
        "weight_rel_error": float(np.linalg.norm(np.concatenate(diffs))) / norm if norm else 0.0,
        "weight_zeroed": zeroed,
        "threshold_rel_error": max(th_err) if th_err else 0.0,
    }


def quantize_layer(layer: Layer, opts: Options) -> dict[str, Any]:
    """Scale and round one layer; its report row."""
    s = _factor(layer, opts)
    before = {(id(p.op), p.key): np.asarray(p.op.param(p.key), np.float64) for p in layer.parts}  # type: ignore[attr-defined]
    for part in layer.parts:
        x = _scaled(part, s, layer)
        part.op.properties[part.key] = DenseAttr.from_array(_to_int(x, part.role, part, layer, opts))
    if s.ndim and layer.neuron_shape:
        stored = np.broadcast_to(
            s.reshape(layer.channels, *([1] * (len(layer.neuron_shape) - 1))), layer.neuron_shape
        ).copy()
    else:
        stored = s
    layer.owner.properties["scale"] = DenseAttr.from_array(np.asarray(stored, np.float64))
    return {"layer": layer.name, **_errors(layer, before, s)}


def _reads_membrane(op: Operation) -> bool:
    """Whether ``op``'s result is a membrane (a value scaled with the layer), not spikes:
    an `snn` neuron with ``output`` other than spikes, or a trait op that says so
    (``reads_membrane``)."""
    if isinstance(op, snn.SnnNeuronOp):
        return op.choice("output") != "spikes"
    return bool(getattr(op, "reads_membrane", False))


def _dequantize(neuron: Operation, rewriter: PatternRewriter) -> None:
    """A membrane read as a value is ``s`` times what it was: a ``nir.scale`` of ``1/s``
    after it keeps its readers' view."""
    if not _reads_membrane(neuron) or not list(neuron.results[0].uses):
        return
    block = neuron.parent_block()
    assert block is not None
    shape = shape_of(neuron.results[0])
    s = np.broadcast_to(np.asarray(neuron.param("scale"), np.float64), shape)
    uses = list(neuron.results[0].uses)
    scale = build(
        nir.ScaleOp,
        fresh_name(block, f"{neuron.nir_name}.dequantize"),
        [neuron.results[0]],
        {"scale": (1.0 / s).astype(np.float64)},
        shape,
    )
    rewriter.insert(scale, InsertPoint.after(neuron))
    for use in uses:
        use.operation.operands[use.index] = scale.results[0]
        rewriter.notify_op_modified(use.operation)


@dataclass
class Report:
    """Per layer: the scale and the errors (``layers``); the layers left in float and why."""

    options: Options
    layers: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "options": {k.replace("_", "-"): v for k, v in self.options.__dict__.items()},
            "layers": self.layers,
            "left-in-float": self.skipped,
        }


def quantize_module(module: Operation, opts: Options) -> Report:
    """Quantize every layer of ``module`` in place (see the module doc); the report."""
    report = Report(opts)
    with rewrite_session():
        for graph in list(graphs(module)):
            block = graph.body.block
            rewriter: PatternRewriter | None = None
            for op in list(block.ops):
                trait = trait_of(type(op), Quantizable)
                if trait is not None:
                    if not _quantized(op):
                        report.layers.append(quantize_layer(_trait_layer(op, trait), opts))
                        rewriter = rewriter or PatternRewriter(op)
                        _dequantize(op, rewriter)
                    continue
                if not isinstance(op, snn.SnnNeuronOp) or _quantized(op):
                    continue
                layer = _snn_layer(op)
                if isinstance(layer, str):
                    report.skipped.append({"layer": op.nir_name, "why": layer})
                    continue
                report.layers.append(quantize_layer(layer, opts))
                if opts.state_bits:
                    op.properties["state_bits"] = IntegerAttr(opts.state_bits, i64)
                    op.properties["overflow"] = StringAttr(opts.overflow)
                rewriter = rewriter or PatternRewriter(op)
                _dequantize(op, rewriter)
    return report


@dataclass(frozen=True)
class QuantizePass(ModulePass):
    """Weights, biases and thresholds to integers with one scale per layer or per
    channel (``{weight-bits=8 bias-bits=16 threshold-bits=16 state-bits=0
    overflow=saturate scheme=per-layer rounding=half-even saturate=true scale=any
    symmetric=false float-roles="" report=PATH}``); ``state-bits`` gives the neurons a
    state of that width, ``symmetric`` weights in ``[-hi, hi]``, ``float-roles`` (``bias``,
    ``threshold``, space- or comma-separated) are scaled but stay floats."""

    name: ClassVar[str] = "quantize"

    weight_bits: int = 8
    bias_bits: int = 16
    threshold_bits: int = 16
    scheme: str = "per-layer"
    rounding: str = "half-even"
    state_bits: int = 0
    overflow: str = "saturate"
    saturate: bool = True
    scale: str = "any"
    symmetric: bool = False
    float_roles: str = ""
    report: str = ""

    def options(self) -> Options:
        return Options(
            weight_bits=self.weight_bits,
            bias_bits=self.bias_bits,
            threshold_bits=self.threshold_bits,
            scheme=self.scheme,
            rounding=self.rounding,
            saturate=self.saturate,
            scale=self.scale,
            state_bits=self.state_bits,
            overflow=self.overflow,
            symmetric=self.symmetric,
            float_roles=tuple(r for r in self.float_roles.replace(",", " ").split() if r),
        )

    def __post_init__(self) -> None:
        self.options()

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        result = quantize_module(op, self.options())
        if self.report:
            with atomic_text_file(self.report) as out:
                out.write(json.dumps(result.to_json(), indent=1) + "\n")
