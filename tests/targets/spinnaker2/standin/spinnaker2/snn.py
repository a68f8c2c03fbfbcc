"""``spinnaker2.snn`` stand-in: populations, projections and networks.

This is NOT py-spinnaker2's ``snn`` module.  It is a strict stand-in written from
py-spinnaker2's documented API for nirc's tests: it accepts exactly the neuron models,
parameter names and value ranges listed below, raises ``TypeError`` for unknown, missing
or wrongly typed arguments and ``ValueError`` for bad values, and keeps what
``hardware.SpiNNaker2Chip.run`` needs to simulate the network with numpy.

Neuron models and their ``params``:

* ``"spike_list"``: ``{neuron index: [time steps]}`` (a spike source; missing indices never spike);
* ``"lif_no_delay"`` and ``"lif_conv2d"``: ``threshold``, ``alpha_decay`` (both required),
  ``i_offset``, ``v_reset`` (default 0) and ``reset`` (``"reset_by_subtraction"``, the default,
  or ``"reset_to_v_reset"``);
* ``"lif_curr_exp_no_delay"``: the keys above and ``exc_decay``, ``inh_decay`` (default 0) and
  ``t_refrac`` (must be 0: this stand-in does not model refractoriness).

Numeric parameters are finite scalars or 1-D arrays of one value per neuron.
"""

from __future__ import annotations

import itertools
import math
from numbers import Real

import numpy as np

__all__ = ["NEURON_MODELS", "Conv2DProjection", "Network", "Population", "Projection"]

SPIKE_LIST = "spike_list"
_LIF_KEYS = frozenset({"threshold", "alpha_decay", "i_offset", "v_reset", "reset"})
_CURR_EXP_KEYS = _LIF_KEYS | {"exc_decay", "inh_decay", "t_refrac"}
#: The neuron models this stand-in knows, each with the ``params`` keys it accepts.
NEURON_MODELS: dict[str, frozenset[str] | None] = {
    SPIKE_LIST: None,
    "lif_no_delay": _LIF_KEYS,
    "lif_conv2d": _LIF_KEYS,
    "lif_curr_exp_no_delay": _CURR_EXP_KEYS,
}
_REQUIRED_KEYS = ("threshold", "alpha_decay")
_NUMERIC_DEFAULTS = {"i_offset": 0.0, "v_reset": 0.0, "exc_decay": 0.0, "inh_decay": 0.0, "t_refrac": 0.0}
_UNIT_INTERVAL_KEYS = ("alpha_decay", "exc_decay", "inh_decay")
RESET_MODES = ("reset_by_subtraction", "reset_to_v_reset")
RECORDABLE = ("spikes", "v")

#: Default and largest neurons per PE (the synapse's target index has 8 bits).
DEFAULT_MAX_ATOMS_PER_CORE = 250
MAX_ATOMS_PER_CORE_LIMIT = 256
#: Neurons per PE of a spike_list source.
SPIKE_LIST_ATOMS_PER_CORE = 250
#: The largest weight magnitude of a synapse (sign and 7-bit magnitude).
MAX_WEIGHT = 127

CONV_PARAM_KEYS = (
    "in_height",
    "in_width",
    "stride_x",
    "stride_y",
    "pool_x",
    "pool_y",
    "pad_top",
    "pad_bottom",
    "pad_left",
    "pad_right",
)

_default_names = itertools.count()


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _check_int(what: str, value: object, minimum: int | None = None, maximum: int | None = None) -> int:
    if not _is_int(value):
        raise TypeError(f"{what} must be an int, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{what} must be <= {maximum}, got {value}")
    return value


def _check_population(what: str, value: object) -> Population:
    if not isinstance(value, Population):
        raise TypeError(f"{what} must be an snn.Population, got {type(value).__name__}")
    return value


def _numeric_param(model: str, key: str, value: object, size: int) -> np.ndarray:
    """A numeric neuron parameter as a float32 array of one value per neuron."""
    what = f"{model} parameter {key!r}"
    if isinstance(value, bool | np.bool_ | str | bytes):
        raise TypeError(f"{what} must be a number or a 1-D array of numbers, got {value!r}")
    if isinstance(value, Real | np.integer | np.floating):
        array = np.full(size, value, dtype=np.float32)
    elif isinstance(value, np.ndarray | list | tuple):
        raw = np.asarray(value)
        if raw.dtype.kind not in "iuf":
            raise TypeError(f"{what} must hold numbers, got an array of dtype {raw.dtype}")
        if raw.ndim == 0:
            array = np.full(size, raw, dtype=np.float32)
        elif raw.ndim != 1 or raw.shape[0] != size:
            raise ValueError(f"{what} must be a scalar or a 1-D array of length {size}, got shape {raw.shape}")
        else:
            array = raw.astype(np.float32)
    else:
        raise TypeError(f"{what} must be a number or a 1-D array of numbers, got {type(value).__name__}")
    if not np.isfinite(array).all():
        raise ValueError(f"{what} must be finite in float32, got {value!r}")
    return array


def _spike_list_params(params: object, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The (neuron, time step) pairs of a spike_list population's ``params``."""
    if not isinstance(params, dict):
        raise TypeError(f"spike_list params must be a dict {{neuron index: [time steps]}}, got {type(params).__name__}")
    neurons: list[np.ndarray] = []
    steps: list[np.ndarray] = []
    for index, times in params.items():
        index = _check_int("spike_list neuron index", index, 0, size - 1)
        if not isinstance(times, list):
            raise TypeError(f"spike_list params[{index}] must be a list of time steps, got {type(times).__name__}")
        array = np.asarray(times) if times else np.zeros(0, dtype=np.int64)
        if array.ndim != 1 or array.dtype.kind not in "iu":
            raise TypeError(f"spike_list params[{index}] must be a flat list of int time steps, got {times!r}")
        if (array < 0).any():
            raise ValueError(f"spike_list params[{index}] has a negative time step: {times!r}")
        neurons.append(np.full(array.shape, index, dtype=np.int64))
        steps.append(array.astype(np.int64))
    if not neurons:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(neurons), np.concatenate(steps)


class Population:
    """A group of ``size`` neurons of one ``neuron_model``, mapped onto one or more PEs."""

    def __init__(self, size, neuron_model, params, name=None, record=None):
        self.size = _check_int("Population size", size, 1)
        if not isinstance(neuron_model, str):
            raise TypeError(f"neuron_model must be a str, got {type(neuron_model).__name__}")
        if neuron_model not in NEURON_MODELS:
            known = ", ".join(NEURON_MODELS)
            raise ValueError(f"unknown neuron_model {neuron_model!r} (this stand-in knows {known})")
        self.neuron_model = neuron_model
        if name is None:
            name = f"population_{next(_default_names)}"
        if not isinstance(name, str):
            raise TypeError(f"Population name must be a str, got {type(name).__name__}")
        self.name = name
        self.record = self._check_record(record)
        self.max_atoms_per_core = DEFAULT_MAX_ATOMS_PER_CORE

        self._spike_neurons = self._spike_steps = None
        self._lif: dict[str, np.ndarray] = {}
        self.reset_mode = None
        if neuron_model == SPIKE_LIST:
            self._spike_neurons, self._spike_steps = _spike_list_params(params, self.size)
        else:
            self._check_neuron_params(params)
        self.params = dict(params)
        self._clear_results()

    def _check_record(self, record: object) -> list[str]:
        if record is None:
            return []
        if not isinstance(record, list):
            raise TypeError(f"record must be a list (a subset of {list(RECORDABLE)}), got {type(record).__name__}")
        for item in record:
            if item not in RECORDABLE:
                raise ValueError(f"cannot record {item!r}: record is a subset of {list(RECORDABLE)}")
        if len(set(record)) != len(record):
            raise ValueError(f"record lists an item twice: {record!r}")
        if "v" in record and self.neuron_model == SPIKE_LIST:
            raise ValueError("a spike_list population has no membrane voltage to record ('v')")
        return list(record)

    def _check_neuron_params(self, params: object) -> None:
        model = self.neuron_model
        if not isinstance(params, dict):
            raise TypeError(f"{model} params must be a dict, got {type(params).__name__}")
        allowed = NEURON_MODELS[model]
        unknown = sorted(str(key) for key in params if key not in allowed)
        if unknown:
            raise ValueError(f"unknown {model} parameter(s) {unknown}; allowed: {sorted(allowed)}")
        missing = [key for key in _REQUIRED_KEYS if key not in params]
        if missing:
            raise ValueError(f"{model} params miss the required key(s) {missing}")
        reset = params.get("reset", RESET_MODES[0])
        if reset not in RESET_MODES:
            raise ValueError(f"{model} parameter 'reset' must be one of {list(RESET_MODES)}, got {reset!r}")
        self.reset_mode = reset
        for key in sorted(allowed - {"reset"}):
            value = params.get(key, _NUMERIC_DEFAULTS.get(key))
            self._lif[key] = _numeric_param(model, key, value, self.size)
        for key in _UNIT_INTERVAL_KEYS:
            if key in self._lif and not ((self._lif[key] >= 0) & (self._lif[key] <= 1)).all():
                raise ValueError(f"{model} parameter {key!r} must lie in [0, 1], got {params[key]!r}")
        if "t_refrac" in self._lif and (self._lif["t_refrac"] != 0).any():
            raise ValueError(
                f"{model} parameter 't_refrac' must be 0: this stand-in does not model refractory periods "
                f"(got {params['t_refrac']!r})"
            )

    def set_max_atoms_per_core(self, max_atoms):
        """Map at most ``max_atoms`` neurons (1..256) of this population onto one PE."""
        self.max_atoms_per_core = _check_int("max_atoms_per_core", max_atoms, 1, MAX_ATOMS_PER_CORE_LIMIT)

    def _clear_results(self) -> None:
        self._spikes: np.ndarray | None = None
        self._voltages: np.ndarray | None = None
        self._ran = False

    def _results(self, item: str) -> np.ndarray:
        if item not in self.record:
            raise ValueError(f"population {self.name!r} does not record {item!r} (record={self.record!r})")
        if not self._ran:
            raise RuntimeError(f"population {self.name!r} has no recorded data: run its network first")
        data = self._spikes if item == "spikes" else self._voltages
        assert data is not None
        return data

    def get_spikes(self):
        """The recorded spikes: ``{neuron index: [time steps]}`` with every index as a key."""
        spikes = self._results("spikes")
        neurons, steps = np.nonzero(spikes.T)
        per_neuron = np.split(steps, np.cumsum(np.bincount(neurons, minlength=self.size))[:-1])
        return {index: times.tolist() for index, times in enumerate(per_neuron)}

    def get_voltages(self):
        """The recorded membrane voltages after each step's reset: ``{neuron index: float32 array (T,)}``."""
        voltages = self._results("v")
        return {index: row.copy() for index, row in enumerate(voltages.T)}

    def __repr__(self) -> str:
        return f"Population(name={self.name!r}, size={self.size}, neuron_model={self.neuron_model!r})"


def _connection_array(connections: object) -> np.ndarray:
    """``connections`` as an (n, 4) float64 array of rows [pre, post, weight, delay]."""
    if isinstance(connections, np.ndarray):
        array = connections
    elif isinstance(connections, list):
        if not connections:
            return np.zeros((0, 4), dtype=np.float64)
        try:
            array = np.array(connections)
        except ValueError as error:
            raise ValueError(f"connections must be rows [pre, post, weight, delay] of numbers: {error}") from None
    else:
        raise TypeError(
            f"connections must be a list of [pre, post, weight, delay] rows, got {type(connections).__name__}"
        )
    if array.dtype.kind not in "iuf":
        raise TypeError(f"connections must hold numbers, got dtype {array.dtype}")
    if array.size == 0 and array.ndim <= 2:
        return np.zeros((0, 4), dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ValueError(f"connections must be rows [pre, post, weight, delay], got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError("connections hold a non-finite value")
    return array


def _first_row(mask: np.ndarray, array: np.ndarray) -> str:
    row = int(np.flatnonzero(mask)[0])
    return f"row {row} {array[row].tolist()}"


class Projection:
    """Synapses from ``pre`` to ``post`` given as rows ``[pre index, post index, weight, delay]``."""

    def __init__(self, pre, post, connections):
        self.pre = _check_population("Projection pre", pre)
        self.post = _check_population("Projection post", post)
        if post.neuron_model == SPIKE_LIST:
            raise ValueError(f"Projection post {post.name!r} is a spike_list source and cannot receive synapses")
        array = _connection_array(connections)
        whole = array == np.round(array)
        for column, what in ((0, "pre index"), (1, "post index"), (3, "delay")):
            if not whole[:, column].all():
                raise ValueError(f"connection {what} must be an integer: {_first_row(~whole[:, column], array)}")
        for column, what, size in ((0, "pre index", pre.size), (1, "post index", post.size)):
            bad = (array[:, column] < 0) | (array[:, column] >= size)
            if bad.any():
                raise ValueError(f"connection {what} out of range [0, {size}): {_first_row(bad, array)}")
        if not whole[:, 2].all():
            raise ValueError(f"connection weight must be a whole number: {_first_row(~whole[:, 2], array)}")
        bad = np.abs(array[:, 2]) > MAX_WEIGHT
        if bad.any():
            raise ValueError(f"connection weight must lie in [-{MAX_WEIGHT}, {MAX_WEIGHT}]: {_first_row(bad, array)}")
        bad = array[:, 3] != 0
        if bad.any():
            raise ValueError(
                f"connection delay must be 0 ({post.neuron_model} has no synaptic delay): {_first_row(bad, array)}"
            )
        self.connections = connections
        self.pre_indices = array[:, 0].astype(np.int64)
        self.post_indices = array[:, 1].astype(np.int64)
        self.weights = array[:, 2].astype(np.int64)

    def __repr__(self) -> str:
        return f"Projection(pre={self.pre.name!r}, post={self.post.name!r}, n={self.weights.size})"


class Conv2DProjection:
    """A 2-D convolution (optionally after sum pooling) from ``pre`` to a ``lif_conv2d`` ``post``.

    ``weights`` is an int8 array (in_channels, out_channels, kH, kW).  ``pre`` is the image
    (in_channels, in_height, in_width) and ``post`` the output (out_channels, H', W'), both
    flattened in C order.  Pooling sums ``pool_x`` rows by ``pool_y`` columns (kernel = stride,
    remainders dropped); the convolution is PyTorch's cross-correlation with stride
    ``stride_x`` over rows and ``stride_y`` over columns and zero padding.
    """

    def __init__(self, pre, post, weights, conv_params):
        self.pre = _check_population("Conv2DProjection pre", pre)
        self.post = _check_population("Conv2DProjection post", post)
        if post.neuron_model != "lif_conv2d":
            raise ValueError(
                f"Conv2DProjection post {post.name!r} must have neuron_model 'lif_conv2d', got {post.neuron_model!r}"
            )
        if not isinstance(weights, np.ndarray):
            raise TypeError(f"Conv2DProjection weights must be a numpy array, got {type(weights).__name__}")
        if weights.dtype != np.int8:
            raise ValueError(f"Conv2DProjection weights must have dtype np.int8, got {weights.dtype}")
        if weights.ndim != 4:
            raise ValueError(
                f"Conv2DProjection weights must have shape (in_channels, out_channels, kH, kW), got {weights.shape}"
            )
        if (weights == -128).any():
            raise ValueError(f"Conv2DProjection weights must lie in [-{MAX_WEIGHT}, {MAX_WEIGHT}] (found -128)")
        if min(weights.shape) < 1:
            raise ValueError(f"Conv2DProjection weights must not be empty, got shape {weights.shape}")
        if not isinstance(conv_params, dict):
            raise TypeError(f"conv_params must be a dict, got {type(conv_params).__name__}")
        unknown = sorted(str(key) for key in conv_params if key not in CONV_PARAM_KEYS)
        missing = [key for key in CONV_PARAM_KEYS if key not in conv_params]
        if unknown or missing:
            raise ValueError(
                f"conv_params must have exactly the keys {list(CONV_PARAM_KEYS)}; unknown {unknown}, missing {missing}"
            )
        params = {}
        for key in CONV_PARAM_KEYS:
            minimum = 0 if key.startswith("pad_") else 1
            params[key] = _check_int(f"conv_params[{key!r}]", conv_params[key], minimum)
        self.weights = weights.copy()
        self.conv_params = params
        in_channels, out_channels, kernel_h, kernel_w = weights.shape
        self.in_shape = (in_channels, params["in_height"], params["in_width"])
        if pre.size != math.prod(self.in_shape):
            raise ValueError(
                f"Conv2DProjection pre {pre.name!r} has {pre.size} neurons, the input "
                f"(in_channels, in_height, in_width) = {self.in_shape} needs {math.prod(self.in_shape)}"
            )
        pooled_h = params["in_height"] // params["pool_x"]
        pooled_w = params["in_width"] // params["pool_y"]
        if pooled_h < 1 or pooled_w < 1:
            raise ValueError(f"pooling {params['pool_x']}x{params['pool_y']} leaves no input of {self.in_shape}")
        self.pooled_shape = (in_channels, pooled_h, pooled_w)
        padded_h = pooled_h + params["pad_top"] + params["pad_bottom"]
        padded_w = pooled_w + params["pad_left"] + params["pad_right"]
        if padded_h < kernel_h or padded_w < kernel_w:
            raise ValueError(f"the kernel {kernel_h}x{kernel_w} is larger than the padded input {padded_h}x{padded_w}")
        out_h = (padded_h - kernel_h) // params["stride_x"] + 1
        out_w = (padded_w - kernel_w) // params["stride_y"] + 1
        self.out_shape = (out_channels, out_h, out_w)
        if post.size != math.prod(self.out_shape):
            raise ValueError(
                f"Conv2DProjection post {post.name!r} has {post.size} neurons, the output "
                f"(out_channels, H', W') = {self.out_shape} needs {math.prod(self.out_shape)}"
            )

    def apply(self, pre_values: np.ndarray) -> np.ndarray:
        """The (post.size,) float64 input that ``pre_values`` (pre.size,) cause in ``post``."""
        p = self.conv_params
        _, pooled_h, pooled_w = self.pooled_shape
        image = np.asarray(pre_values, dtype=np.float64).reshape(self.in_shape)
        if p["pool_x"] > 1 or p["pool_y"] > 1:
            image = image[:, : pooled_h * p["pool_x"], : pooled_w * p["pool_y"]]
            image = image.reshape(-1, pooled_h, p["pool_x"], pooled_w, p["pool_y"]).sum(axis=(2, 4))
        image = np.pad(image, ((0, 0), (p["pad_top"], p["pad_bottom"]), (p["pad_left"], p["pad_right"])))
        kernel_h, kernel_w = self.weights.shape[2:]
        windows = np.lib.stride_tricks.sliding_window_view(image, (kernel_h, kernel_w), axis=(1, 2))
        windows = windows[:, :: p["stride_x"], :: p["stride_y"]]
        # windows (in, H', W', kH, kW) x weights (in, out, kH, kW) -> (H', W', out)
        out = np.tensordot(windows, self.weights.astype(np.float64), axes=([0, 3, 4], [0, 2, 3]))
        return np.moveaxis(out, -1, 0).reshape(-1)

    def __repr__(self) -> str:
        return f"Conv2DProjection(pre={self.pre.name!r}, post={self.post.name!r}, weights={self.weights.shape})"


class Network:
    """The populations and projections that run together on a chip."""

    def __init__(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Network name must be a str, got {type(name).__name__}")
        self.name = name
        self.populations: list[Population] = []
        self.projections: list[Projection | Conv2DProjection] = []
        self._ran = False

    def add(self, *objects):
        """Add populations and projections."""
        for obj in objects:
            if isinstance(obj, Population):
                group = self.populations
            elif isinstance(obj, Projection | Conv2DProjection):
                group = self.projections
            else:
                raise TypeError(f"Network.add takes Populations and Projections, got {type(obj).__name__}")
            if any(existing is obj for existing in group):
                raise ValueError(f"{obj!r} was already added to network {self.name!r}")
            group.append(obj)

    def validate(self):
        """Check that every projection's pre and post were added and population names are unique."""
        names = [pop.name for pop in self.populations]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"network {self.name!r} has several populations named {duplicates}")
        for proj in self.projections:
            for role, pop in (("pre", proj.pre), ("post", proj.post)):
                if not any(pop is added for added in self.populations):
                    raise ValueError(f"{proj!r}: its {role} population {pop.name!r} was not added to the network")

    def reset(self):
        """Clear the recorded data and the neuron states so that the network can run again."""
        for pop in self.populations:
            pop._clear_results()
        self._ran = False

    def __repr__(self) -> str:
        return f"Network({self.name!r}, populations={len(self.populations)}, projections={len(self.projections)})"
