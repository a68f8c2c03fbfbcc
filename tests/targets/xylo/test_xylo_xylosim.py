"""The emitted specification, run in rockpool's real XyloSim, spikes exactly as nirc's
`xylo` kernels predict (``nir-run OUT/model.mlir``).

``nir-translate --target=xylo`` writes ``xylo_spec.npz`` and ``xylo_spec.json``; these
tests load *those files* (as ``deploy.py`` does), build ``XyloSim.from_specification``
from the chip's rockpool package (Audio 2: ``syns61201``; IMU and Audio 3:
``syns63300``, whose XyloSim Audio 3 uses) and compare its readout and hidden spikes,
step by step, with the interpreter's on the same input: the paper's Braille SRNN on each
chip, and random layered and recurrent models.  rockpool's Xylo package imports samna,
which is not installable here; ``xylosim_oracle`` stands in for it (XyloSim itself does
not use samna).  Where rockpool or xylosim is missing the tests skip with the reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nirc
from nirc.dialects.nir import top_graph
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.target import TARGET

sys.path.insert(0, str(Path(__file__).parent))
import xylosim_oracle as oracle

MISSING = oracle.xylosim_available()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


def _emitted_spec(outdir: Path) -> dict[str, Any]:
    """The specification as ``deploy.py`` reads it back from the artefacts."""
    spec = {k: v for k, v in np.load(outdir / "xylo_spec.npz").items()}
    for key in ("weight_shift_in", "weight_shift_rec", "weight_shift_out"):
        spec[key] = int(spec[key])
    spec["dt"] = float(spec["dt"])
    readable = json.loads((outdir / "xylo_spec.json").read_text())
    spec["aliases"] = readable["aliases"]
    spec["output_mode"] = readable["output_mode"]
    return spec


def _compare(outdir: Path, chip: str, x: np.ndarray) -> int:
    """XyloSim on the emitted specification against ``nir-run`` of ``model.mlir`` on
    ``x`` (``(B, T, C)`` counts): every sample, readout and hidden spikes.  The number
    of output spikes (so a test can tell it saw some)."""
    module = nirc.read(outdir / "model.mlir")
    ops = list(top_graph(module).body.block.ops)
    hidden = next(op for op in ops if isinstance(op, xylo.HiddenOp))
    readout = next(op for op in ops if isinstance(op, xylo.ReadoutOp))
    result = nirc.run(module, x.astype(np.float64), record=[hidden.nir_name, readout.nir_name])
    # a readout read as membranes: XyloSim's output is its Vmem, in the chip's integers
    # (the model's Output reads it through quantize's 1/scale)
    ours = result.records[readout.nir_name]["v"] if readout.reads_membrane else next(iter(result.outputs.values()))
    spec = _emitted_spec(outdir)
    sim = oracle.build_xylosim(spec, chip)
    total = 0
    for sample in range(x.shape[0]):
        theirs = oracle.run_xylosim(spec, x[sample], chip, sim)
        np.testing.assert_array_equal(ours[sample], theirs["output"], err_msg=f"readout spikes, sample {sample}")
        v = result.records[hidden.nir_name]["v"][sample]
        np.testing.assert_array_equal(v, theirs["vmem"], err_msg=f"hidden Vmem, sample {sample}")
        total += int(np.abs(theirs["output"]).sum())
    return total


@pytest.mark.parametrize("chip", ["audio2", "audio3", "imu"])
def test_braille_srnn_in_xylosim_equals_nirc(corpus: Path, tmp_path: Path, chip: str) -> None:
    module = nirc.read(corpus / "braille_noDelay_bias_zero.nir")
    TARGET.emit(module, tmp_path / "out", chip=chip, dt=1e-4, agreement=False)
    x = (np.random.default_rng(1).random((4, 120, 12)) < 0.2).astype(np.int64)
    assert _compare(tmp_path / "out", chip, x) > 0


def test_braille_srnn_with_counts_above_the_input_clip(corpus: Path, tmp_path: Path) -> None:
    """Input counts up to 20: the chip clips them at 15, and so does the kernel."""
    module = nirc.read(corpus / "braille_noDelay_noBias_subtract.nir")
    TARGET.emit(module, tmp_path / "out", chip="audio2", dt=1e-4, agreement=False)
    x = np.random.default_rng(2).integers(0, 21, size=(2, 60, 12))
    _compare(tmp_path / "out", "audio2", x)


def _layered(rng: np.random.Generator, sizes: list[int], recurrent: bool, scale: float) -> dict[str, Any]:
    nodes: dict[str, Any] = {"in": {"type": "Input", "shape": np.array([sizes[0]])}}
    edges, prev = [], "in"
    for i in range(len(sizes) - 1):
        n = sizes[i + 1]
        nodes[f"w{i}"] = {"type": "Linear", "weight": (rng.normal(size=(n, sizes[i])) * scale).astype(np.float32)}
        nodes[f"n{i}"] = {
            "type": "CubaLIF",
            "tau_mem": rng.uniform(2e-3, 2e-2, n).astype(np.float32),
            "tau_syn": rng.uniform(1e-3, 1e-2, n).astype(np.float32),
            "r": np.ones(n, np.float32),
            "v_leak": rng.normal(size=n).astype(np.float32) * 0.1,
            "v_threshold": rng.uniform(0.5, 2.0, n).astype(np.float32),
            "v_reset": np.zeros(n, np.float32),
            "w_in": np.ones(n, np.float32),
        }
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        prev = f"n{i}"
    if recurrent:
        k = sizes[1]
        nodes["rec"] = {"type": "Linear", "weight": (rng.normal(size=(k, k)) * scale).astype(np.float32)}
        edges += [("n0", "rec"), ("rec", "n0")]
    nodes["out"] = {"type": "Output", "shape": np.array([sizes[-1]])}
    edges.append((prev, "out"))
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    chip=st.sampled_from(["audio2", "imu"]),
    depth=st.integers(2, 3),
    recurrent=st.booleans(),
    scale=st.sampled_from([0.5, 3.0, 30.0]),
)
def test_random_models_in_xylosim_equal_nirc(
    tmp_path_factory: pytest.TempPathFactory, seed: int, chip: str, depth: int, recurrent: bool, scale: float
) -> None:
    """Random layered (and recurrent) models, weights large enough to saturate at the
    biggest scale, inputs of up to 3 spikes per channel and step."""
    rng = np.random.default_rng(seed)
    sizes = (
        [int(rng.integers(1, 17))] + [int(rng.integers(1, 24)) for _ in range(depth - 1)] + [int(rng.integers(1, 9))]
    )
    module = nirc.module_from_dict(_layered(rng, sizes, recurrent, scale))
    outdir = tmp_path_factory.mktemp("xylo") / "out"
    TARGET.emit(module, outdir, chip=chip, dt=1e-3, agreement=False)
    x = rng.integers(0, 4, size=(2, 40, sizes[0]))
    _compare(outdir, chip, x)


def test_the_one_layer_lif_rockpool_model_is_refused(corpus: Path, tmp_path: Path) -> None:
    """``lif_rockpool.nir`` (Input -> Linear -> LIF -> Output) has no hidden layer:
    Xylo's readout reads hidden neurons only (rockpool's mapper refuses it as well)."""
    module = nirc.read(corpus / "lif_rockpool.nir")
    with pytest.raises(nirc.NircError) as err:
        TARGET.emit(module, tmp_path / "out")
    rules = {v.rule for v in err.value.violations}  # type: ignore[attr-defined]
    assert rules == {"xylo-layers", "xylo-readout-source"}
    assert not (tmp_path / "out").exists()


def test_an_li_readout_is_read_out_as_membranes(tmp_path: Path) -> None:
    """A CubaLIF hidden layer read by an LI: the readout's membranes leave the chip
    (``output_mode="Vmem"``); XyloSim's Vmem equals the kernel's, and the model's Output
    reads them through quantize's ``1/scale``."""
    rng = np.random.default_rng(5)
    graph = _layered(rng, [6, 20, 4], recurrent=True, scale=3.0)
    n = 4
    graph["nodes"]["n1"] = {
        "type": "LI",
        "tau": np.full(n, 0.02, np.float32),
        "r": np.ones(n, np.float32),
        "v_leak": np.zeros(n, np.float32),
    }
    report = TARGET.emit(nirc.module_from_dict(graph), tmp_path / "out", chip="audio2", dt=1e-3)
    assert json.loads((tmp_path / "out" / "xylo_spec.json").read_text())["output_mode"] == "Vmem"
    agree = report["agreement"]
    assert "membrane_rel_error" in agree and agree["membrane_correlation"] > 0.5, agree
    x = rng.integers(0, 3, size=(2, 50, 6))
    assert _compare(tmp_path / "out", "audio2", x) > 0
