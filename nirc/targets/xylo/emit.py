"""Print a quantized `xylo` module as the rockpool specification.

Only prints: every decision (populations, ids, integers, shifts) was made by the passes.
Writes

* ``xylo_spec.npz`` — the keyword arguments of rockpool's ``XyloSim.from_specification``
  for the chip's package: ``weights_in (C, N[, 2])``, ``weights_rec (N, N[, 2])``,
  ``weights_out (N, M)`` (int8; nirc's ``[post, pre]`` transposed), ``dash_mem``,
  ``dash_mem_out``, ``dash_syn``, ``dash_syn_2``, ``dash_syn_out`` (uint8),
  ``threshold``, ``threshold_out``, ``bias``, ``bias_out`` (int16),
  ``weight_shift_in/rec/out`` and ``dt``; no pickled objects;  ``output_mode``
  (``Spike``, or ``Vmem`` for a readout read as membranes) is in the JSON;
* ``xylo_spec.json`` — the same, readable: the scalars, the aliases, the per-neuron
  vectors, and for each weight matrix its key in the ``.npz``, shape, dtype and
  non-zero count; plus which model node each hidden id came from;
* ``deploy.py`` — builds the samna configuration with rockpool's
  ``config_from_specification`` (which calls the hidden bias ``bias_hidden``) and the
  ``XyloSim`` simulator from the specification;
* ``model.mlir`` — the `xylo` module, which ``nir-run`` simulates bit-exactly;
* ``report.json``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from nirc.core.errors import NircError
from nirc.dialects import nir
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.resources import XyloChip

FORMAT = "nirc-xylo-spec/1"
WEIGHT_KEYS = ("weights_in", "weights_rec", "weights_out")


def ops(graph: nir.GraphOp) -> tuple[xylo.HiddenOp, xylo.ReadoutOp]:
    hidden = [op for op in graph.body.block.ops if isinstance(op, xylo.HiddenOp)]
    readout = [op for op in graph.body.block.ops if isinstance(op, xylo.ReadoutOp)]
    if len(hidden) != 1 or len(readout) != 1:
        raise NircError("a Xylo specification is written from one xylo.hidden and one xylo.readout", rule="xylo-emit")
    return hidden[0], readout[0]


def specification(hidden: xylo.HiddenOp, readout: xylo.ReadoutOp, chip: XyloChip, dt: float) -> dict[str, Any]:
    """The keyword arguments of ``XyloSim.from_specification`` (arrays; ``aliases`` as
    rockpool's list of lists)."""
    for op in (hidden, readout):
        if not op.quantized:
            raise NircError(
                "the Xylo specification is written from quantized populations: run nir-to-xylo first",
                rule="xylo-emit",
                node=op.nir_name,
            )
    n = hidden.size
    w_in = np.transpose(hidden.param("w_in"), (1, 0, 2)).astype(np.int8)
    w_rec = np.transpose(hidden.param("w_rec"), (1, 0, 2)).astype(np.int8)
    dash_syn = hidden.param("dash_syn").astype(np.uint8)
    if chip.synapses == 2:  # the package's layout has both synapses
        pad = 2 - w_in.shape[2]
        w_in = np.pad(w_in, ((0, 0), (0, 0), (0, pad)))
        w_rec = np.pad(w_rec, ((0, 0), (0, 0), (0, pad)))
        dash_syn = np.pad(dash_syn, ((0, 0), (0, pad)))
    else:
        w_in, w_rec, dash_syn = w_in[:, :, 0], w_rec[:, :, 0], dash_syn[:, :1]
    aliases = hidden.opt_param("aliases")
    if aliases is not None and bool(np.any(aliases == 0)):
        raise NircError(
            "an alias to hidden neuron 0 is lost on rockpool's configuration path (XyloSim.from_config reads "
            "alias target 0 as none): place another neuron first",
            rule="xylo-emit",
            node=hidden.nir_name,
        )
    return {
        "weights_in": w_in,
        "weights_rec": w_rec,
        "weights_out": np.ascontiguousarray(readout.param("w_out").T).astype(np.int8),
        "dash_mem": hidden.param("dash_mem").astype(np.uint8),
        "dash_mem_out": readout.param("dash_mem").astype(np.uint8),
        "dash_syn": np.ascontiguousarray(dash_syn[:, 0]),
        "dash_syn_2": np.ascontiguousarray(dash_syn[:, 1]) if dash_syn.shape[1] > 1 else np.zeros(n, np.uint8),
        "dash_syn_out": readout.param("dash_syn").astype(np.uint8),
        "threshold": hidden.param("threshold").astype(np.int16),
        "threshold_out": readout.param("threshold").astype(np.int16),
        "bias": hidden.param("bias").astype(np.int16),
        "bias_out": readout.param("bias").astype(np.int16),
        "weight_shift_in": hidden.shift("weight_shift_in"),
        "weight_shift_rec": hidden.shift("weight_shift_rec"),
        "weight_shift_out": readout.shift("weight_shift_out"),
        "aliases": [[] if a < 0 else [int(a)] for a in (aliases if aliases is not None else np.full(n, -1))],
        "dt": float(dt),
        "output_mode": "Vmem" if readout.reads_membrane else "Spike",
    }


def _readable(spec: dict[str, Any], chip: XyloChip, hidden: xylo.HiddenOp, readout: xylo.ReadoutOp) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT, "chip": chip.name, "product": chip.product, "package": chip.package}
    for key, value in spec.items():
        if key in WEIGHT_KEYS:
            out[key] = {
                "npz": key,
                "shape": list(value.shape),
                "dtype": str(value.dtype),
                "nonzero": int(np.count_nonzero(value)),
            }
        elif isinstance(value, np.ndarray):
            out[key] = value.tolist()  # per-neuron vectors: at most 1000 numbers
        else:
            out[key] = value
    out["hidden_populations"] = [
        {"node": name, "ids": [first, first + count - 1]} for name, first, count in hidden.population_map()
    ]
    out["readout_populations"] = [
        {"node": name, "ids": [first, first + count - 1]} for name, first, count in readout.population_map()
    ]
    return out


DEPLOY = '''"""Deploy the Xylo specification nirc wrote beside this file (chip: {product}).

    python deploy.py                 # build the samna configuration and XyloSim; check both
    python deploy.py --input x.npy   # also simulate x (T x {channels} spike counts) in XyloSim

Needs rockpool (with samna for the configuration, xylosim for the simulator).
"""

import argparse
import json
from pathlib import Path

import numpy as np

from {package} import config_from_specification
from {simulator}.xylo_sim import XyloSim

HERE = Path(__file__).resolve().parent


def specification():
    """The keyword arguments of XyloSim.from_specification."""
    spec = {{k: v for k, v in np.load(HERE / "xylo_spec.npz").items()}}
    for key in ("weight_shift_in", "weight_shift_rec", "weight_shift_out"):
        spec[key] = int(spec[key])
    spec["dt"] = float(spec["dt"])
    readable = json.loads((HERE / "xylo_spec.json").read_text())
    spec["aliases"] = readable["aliases"]
    spec["output_mode"] = readable["output_mode"]  # "Vmem": the readout's membranes leave the chip
    return spec


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="a .npy of spike counts, T x {channels}")
    args = parser.parse_args()
    spec = specification()
    sim = XyloSim.from_specification(**spec)
    config_spec = {{k: v for k, v in spec.items() if k not in ("dt", "bias", "output_mode")}}
    config_spec["bias_hidden"] = spec["bias"]  # config_from_specification's name for the hidden bias
    config, ok, message = config_from_specification(**config_spec)
    if not ok:
        raise SystemExit(f"rockpool refused the configuration: {{message}}")
    print("configuration valid; XyloSim built")
    if args.input:
        raster = np.load(args.input)
        out, _, record = sim(raster.astype(int), record=True)
        what = "membranes (Vmem) at the last step" if spec["output_mode"] == "Vmem" else "spikes per readout neuron"
        print(f"output {{what}}:", np.asarray(out)[-1] if spec["output_mode"] == "Vmem" else np.asarray(out).sum(axis=0))
    return config, sim


if __name__ == "__main__":
    main()
'''


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def write(outdir: Path, text: str, graph: nir.GraphOp, chip: XyloChip, dt: float, report: dict[str, Any]) -> None:
    """Write every artefact into ``outdir`` (a fresh directory)."""
    hidden, readout = ops(graph)
    spec = specification(hidden, readout, chip, dt)
    arrays = {k: np.asarray(v) for k, v in spec.items() if k not in ("aliases", "output_mode")}
    (outdir / "xylo_spec.npz").write_bytes(_npz_bytes(arrays))
    (outdir / "xylo_spec.json").write_text(json.dumps(_readable(spec, chip, hidden, readout), indent=1) + "\n")
    (outdir / "deploy.py").write_text(
        DEPLOY.format(
            product=chip.product, package=chip.package, simulator=chip.simulator, channels=spec["weights_in"].shape[0]
        )
    )
    (outdir / "model.mlir").write_text(text)
    (outdir / "report.json").write_text(json.dumps(report, indent=1) + "\n")
