"""Print a placed, quantized `speck` module as a samna configuration.

Only prints: every decision (layers, integers, cores) was made by the passes.  Writes

* ``speck_config.json`` — the structure of samna's ``SpeckConfiguration`` /
  ``DynapcnnConfiguration`` as sinabs fills it (``backend/dynapcnn/chips/dynapcnn.py``):
  per core ``dimensions``, ``biases`` reference, ``threshold_high``/``threshold_low``,
  ``return_to_zero``, ``leak_enable``, ``monitor_enable`` and two ``destinations``
  (``layer``, ``enable``, ``pooling``, ``feature_shift``), plus the ``dvs_layer``;
* ``speck_weights.npz`` — each core's ``weights`` (int8, samna's ``[out][in][x][y]``
  order: the kernel transposed, as sinabs writes it) and ``biases``; arrays stay arrays
  (the JSON names the keys);
* ``load_samna.py`` — a short loader that builds the samna object when samna is installed;
* ``model.mlir`` — the `speck` module, which ``nir-run`` simulates as the chip would;
* ``report.json`` — utilisation per core and quantization error per layer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from nirc.core.errors import NircError
from nirc.core.integers import int_range
from nirc.core.node import shape_of
from nirc.dialects import nir
from nirc.targets.speck import dialect as speck
from nirc.targets.speck.resources import SPECK

FORMAT = "nirc-speck-config/1"

#: samna's pooling sizes are powers of two; the destination of a core that is unused.
_OFF = {"layer": 0, "enable": False, "pooling": 1, "feature_shift": 0}


def _xy(pair: tuple[int, int]) -> dict[str, int]:
    """(y, x) as samna's {x, y}."""
    return {"x": int(pair[1]), "y": int(pair[0])}


def config(graph: nir.GraphOp) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON structure and the arrays of the side file."""
    layers = [op for op in graph.body.block.ops if isinstance(op, speck.LayerOp)]
    for op in layers:
        if op.core is None or not op.quantized:
            raise NircError(
                "the Speck configuration is written from placed, quantized layers: run nir-to-speck first",
                rule="speck-emit",
                node=op.nir_name,
            )
    core_of = {op.results[0]: int(op.core.value.data) for op in layers}  # type: ignore[union-attr]
    arrays: dict[str, np.ndarray] = {}
    cnn_layers: dict[str, Any] = {}
    dvs_destinations: list[dict[str, Any]] = []
    dvs_pooling = (1, 1)
    inputs = [op for op in graph.body.block.ops if isinstance(op, nir.InputOp)]
    for op in layers:
        core = core_of[op.results[0]]
        stride, padding, pool = op.geometry()
        in_shape = shape_of(op.operands[0])
        pooled = op.pooled_shape(in_shape)
        out = shape_of(op.results[0])
        w = op.param("weight")
        key = f"core{core}"
        arrays[f"{key}.weights"] = np.ascontiguousarray(np.swapaxes(w, 2, 3)).astype(np.int8)
        arrays[f"{key}.biases"] = np.asarray(op.param("bias"), np.int8)
        low = op.threshold_low_value()
        destinations = [
            {
                "layer": core_of[use.operation.results[0]],
                "enable": True,
                "pooling": int(use.operation.geometry()[2][0]),
                "feature_shift": 0,
            }
            for use in op.results[0].uses
            if isinstance(use.operation, speck.LayerOp)
        ]
        cnn_layers[str(core)] = {
            "name": op.nir_name,
            "dimensions": {
                "input_shape": {"size": _xy(pooled[1:]), "feature_count": int(pooled[0])},
                "output_shape": {"size": _xy(out[1:]), "feature_count": int(out[0])},
                "padding": _xy(padding),
                "stride": _xy(stride),
                "kernel_size": int(op.kernel()[0]),
            },
            "weights": {
                "npz": f"{key}.weights",
                "shape": list(arrays[f"{key}.weights"].shape),
                "layout": "[out][in][x][y]",
            },
            "biases": {"npz": f"{key}.biases", "shape": [int(w.shape[0])]},
            "threshold_high": int(op.threshold_value()),
            "threshold_low": int_range(SPECK.state_bits)[0] if low is None else int(low),
            "return_to_zero": op.reset_mode == "zero",
            "leak_enable": bool(np.any(op.param("bias"))),
            "monitor_enable": op.monitor is not None,
            "destinations": ([*destinations, dict(_OFF), dict(_OFF)])[:2],
        }
        source = op.operands[0].owner
        if isinstance(source, nir.InputOp):
            dvs_destinations.append({"layer": core, "enable": True})
            dvs_pooling = pool
    shape = shape_of(inputs[0].output) if inputs else (0, 0, 0)
    # the DVS layer takes 1 or 2 channels (polarities, merged into one for 1); a wider
    # input skips it and is sent to its one core directly (the rules check both)
    via_dvs = bool(inputs) and shape[0] <= SPECK.dvs_channels
    config = {
        "format": FORMAT,
        "input": {
            "name": inputs[0].nir_name if inputs else None,
            "shape": [int(n) for n in shape],
            "via": "dvs_layer" if via_dvs else "core",
            "cores": [d["layer"] for d in dvs_destinations],
        },
        "dvs_layer": {
            "merge": via_dvs and shape[0] == 1,
            "origin": {"x": 0, "y": 0},
            "cut": {"x": int(shape[2]) - 1, "y": int(shape[1]) - 1} if via_dvs else {"x": 0, "y": 0},
            "pooling": _xy(dvs_pooling),
            "destinations": ((dvs_destinations if via_dvs else []) + [{"layer": 0, "enable": False}] * 2)[:2],
            "pass_sensor_events": False,
        },
        "cnn_layers": dict(sorted(cnn_layers.items(), key=lambda kv: int(kv[0]))),
    }
    return config, arrays


LOADER = '''"""Build samna's Speck configuration from the files beside this script.

Written by nirc (nir-translate --target=speck).  Usage, on a machine with samna::

    import load_samna
    cfg = load_samna.build("speck2f")      # or "speck2e", "dynapcnn"

``build`` reads speck_config.json and speck_weights.npz from this directory, checks them
and sets every field the JSON names on a fresh configuration object, as sinabs does.
"""

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
FORMAT = "nirc-speck-config/1"


def _assign(target, values):
    """Set the fields of a samna struct from a dict, nested structs field by field."""
    for key, value in values.items():
        if isinstance(value, dict):
            _assign(getattr(target, key), value)
        else:
            setattr(target, key, value)


def check(spec, arrays):
    """The configuration is nirc's and its arrays match the dimensions it states."""
    if spec.get("format") != FORMAT:
        raise ValueError("not a nirc Speck configuration: " + repr(spec.get("format")))
    for core, layer in spec["cnn_layers"].items():
        dims = layer["dimensions"]
        k = dims["kernel_size"]
        want = [dims["output_shape"]["feature_count"], dims["input_shape"]["feature_count"], k, k]
        weights = arrays[layer["weights"]["npz"]]
        biases = arrays[layer["biases"]["npz"]]
        if list(weights.shape) != want or list(biases.shape) != want[:1]:
            raise ValueError(f"core {core}: weights {list(weights.shape)} / biases {list(biases.shape)} do not match dimensions {want}")
        if weights.dtype != np.int8 or biases.dtype != np.int8:
            raise ValueError(f"core {core}: weights and biases must be int8")


def build(chip="speck2f", directory=HERE):
    import samna  # not installable from PyPI: see SynSense's documentation

    directory = Path(directory)
    spec = json.loads((directory / "speck_config.json").read_text())
    arrays = np.load(directory / "speck_weights.npz")
    check(spec, arrays)
    family = getattr(samna, chip)
    cfg = family.configuration.DynapcnnConfiguration() if chip == "dynapcnn" else family.configuration.SpeckConfiguration()
    dvs = spec["dvs_layer"]
    _assign(cfg.dvs_layer, {k: dvs[k] for k in ("merge", "origin", "cut", "pooling", "pass_sensor_events")})
    for i, dest in enumerate(dvs["destinations"]):
        _assign(cfg.dvs_layer.destinations[i], dest)
    for core, layer in spec["cnn_layers"].items():
        target = cfg.cnn_layers[int(core)]
        _assign(target.dimensions, layer["dimensions"])
        target.weights = arrays[layer["weights"]["npz"]].tolist()
        target.biases = arrays[layer["biases"]["npz"]].tolist()
        for key in ("threshold_high", "threshold_low", "return_to_zero", "leak_enable", "monitor_enable"):
            setattr(target, key, layer[key])
        for i, dest in enumerate(layer["destinations"]):
            _assign(target.destinations[i], dest)
    return cfg


if __name__ == "__main__":
    import sys

    print(build(*sys.argv[1:2]))
'''


def write(outdir: Path, module_text: str, graph: nir.GraphOp, report: dict[str, Any]) -> None:
    """Write the artefacts into ``outdir`` (an empty directory)."""
    spec, arrays = config(graph)
    (outdir / "speck_config.json").write_text(json.dumps(spec, indent=1) + "\n")
    with open(outdir / "speck_weights.npz", "wb") as f:
        np.savez(f, **arrays)
    (outdir / "load_samna.py").write_text(LOADER)
    (outdir / "model.mlir").write_text(module_text)
    (outdir / "report.json").write_text(json.dumps(report, indent=1) + "\n")
