"""The lava-dl target and the ``lava-dl`` profile: slayer CUBA blocks.

* the profile's spike times on the paper's LIF benchmark are slayer's, for each scale and
  ``delay_shift`` the reference measured (450/500/710/760 at scale 64 with float weights,
  one step later with ``delay_shift``, 460/510/710/760 at scale 1024 or 4096; none at
  scale 64 with quantized weights);
* the rules slayer adds (no bias, a chain), one line each, nothing written;
* ``nir-translate --target=lava-dl``: ``model.mlir`` predicts the blocks as ``nir-run
  --semantics lava-dl`` does on the `nir` model; the report;
* real lava-dl 0.6.0 (the venv of ``scripts/lava-env.sh``; skipped with the reason where
  it is absent): the emitted ``model.py`` fires spike for spike as ``nir-run`` predicts,
  on the paper's models and seeded random chains, batch > 1; its netx export runs in
  Lava's fixed point with the same spikes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import conv_chain, cuba, dense_chain, graph, inp, out
from conftest import CORPUS, run_tool
from lava_venv import LAVA_PYTHON, needs_lava
from rule_cases import tool_violations
from xdsl.context import Context

import nirc
from nirc.dialects.nir import top_graph
from nirc.targets.lava_dl.convert_snn_to_lava_dl import auto_scale, quantize_8bit
from nirc.targets.lava_dl.dialect import DenseOp
from nirc.targets.lava_dl.nir_to_lava_dl import NirToLavaDlPass

DT = 1e-4
RUNNER = Path(__file__).with_name("netx_runner.py")
SRNN = Path(nirc.__file__).parent / "examples" / "srnn.nir"
MODELS = {"srnn": SRNN, "braille_subtract": CORPUS / "braille_noDelay_noBias_subtract.nir"}


def lowering(**options: Any) -> str:
    opts = " ".join(f"{k.replace('_', '-')}={str(v).lower()}" for k, v in options.items())
    return f"inline-graphs,snn-fuse-recurrent,convert-snn-to-lava-dl{{{opts}}}"


@pytest.mark.parametrize(
    ("options", "delay", "spikes"),
    [
        ({"scale": 64, "quantize_weights": False, "delay_shift": False}, None, [450, 500, 710, 760]),
        ({"scale": 64, "quantize_weights": False, "delay_shift": True}, None, [451, 501, 711, 761]),
        ({"scale": 1024, "quantize_weights": False, "delay_shift": False}, None, [460, 510, 710, 760]),
        ({"scale": 4096, "quantize_weights": False, "delay_shift": False}, None, [460, 510, 710, 760]),
        ({"scale": 64}, None, []),  # quantize_8bit rounds w = 0.04 to 0.03125: it never fires
        ({}, None, [461, 511, 711, 761]),  # the profile: the block's own scale (4096), delay_shift
    ],
)
def test_paper_lif_spike_times(corpus: Path, options: dict, delay: Any, spikes: list[int]) -> None:
    lif = nirc.read(corpus / "lif_norse.nir")
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    extra = {"lowering": lowering(**options)} if options else {}
    got = nirc.run(lif, x, semantics="lava-dl", dt=DT, **extra).outputs["output"]
    assert np.flatnonzero(got[:, 0]).tolist() == spikes


def test_slayer_quantization_by_hand() -> None:
    """Values slayer's own neuron.quantize_8bit gives (lava-dl 0.6.0, scale 64)."""
    np.testing.assert_array_equal(quantize_8bit(np.array([0.04, -5.0, 3.0, 0.0469]), 64), [0.03125, -4.0, 3.0, 0.0625])
    assert auto_scale([np.array([[0.04]])], 0.1) == 4096
    assert auto_scale([np.array([[1.0, -0.5]])], 1.0) == 128


# --------------------------------------------------------------------------- rules


def test_bias_and_branches_are_refused(tmp_path: Path) -> None:
    biased = dense_chain(cuba(2), cuba(2), bias=True)
    path = tmp_path / "bias.nir"
    nirc.write(nirc.module_from_dict(biased), path)
    res = run_tool("nir-translate", path, "--target=lava-dl", "-o", tmp_path / "o")
    assert res.code != 0 and "Traceback" not in res.stderr
    assert sorted(tool_violations(res.stderr, path, "lava-dl")) == [("lava-dl-bias", "n0"), ("lava-dl-bias", "n1")]
    assert not (tmp_path / "o").exists()
    branch = graph(
        {
            "in": inp(2),
            "a": {"type": "Linear", "weight": np.ones((2, 2))},
            "n": cuba(2),
            "b": {"type": "Linear", "weight": np.ones((2, 2))},
            "m": cuba(2),
            "o1": out(2),
            "o2": out(2),
        },
        [("in", "a"), ("a", "n"), ("n", "b"), ("b", "m"), ("n", "o1"), ("m", "o2")],
    )
    m = nirc.module_from_dict(branch)
    with pytest.raises(nirc.Violations) as err:
        NirToLavaDlPass(dt=DT).apply(Context(), m)
    assert [v.rule for v in err.value.violations] == ["lava-dl-chain"]


# --------------------------------------------------------------------------- the command


def translate(model: Path, outdir: Path, *extra: str) -> dict:
    res = run_tool("nir-translate", model, "--target=lava-dl", "-o", outdir, *extra)
    assert res.code == 0, res.stderr
    return json.loads((outdir / "report.json").read_text())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_mlir_is_the_profile(name: str, tmp_path: Path) -> None:
    report = translate(MODELS[name], tmp_path / "o")
    assert [row["class"] for row in report["blocks"]] == ["slayer.block.cuba.Recurrent", "slayer.block.cuba.Dense"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "model.mlir",
        "model.py",
        "report.json",
        "weights.npz",
    ]
    x = (np.random.default_rng(2).random((3, 90, 12)) < 0.2).astype(np.float64)
    chip = nirc.read(tmp_path / "o" / "model.mlir")
    assert all(isinstance(op, DenseOp) for op in list(top_graph(chip).body.block.ops)[1:-1])
    want = nirc.run(chip, x).outputs["output"]
    got = nirc.run(nirc.read(MODELS[name]), x, semantics="lava-dl", dt=DT).outputs["output"]
    np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------- real lava-dl


def random_chain(seed: int) -> dict:
    """A chain of CubaLIF / LIF layers, the first recurrent, with random weights."""
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(3, 9)) for _ in range(int(rng.integers(1, 4)))]
    nodes: dict[str, Any] = {"in": inp(5)}
    edges, prev, m = [], "in", 5
    for i, n in enumerate(sizes):
        nodes[f"w{i}"] = {"type": "Linear", "weight": rng.normal(0, 1.5, (n, m))}
        nodes[f"n{i}"] = cuba(
            n, tau_syn=np.full(n, float(rng.choice([2e-4, 5e-4]))), r=np.full(n, 10.0), v_threshold=np.full(n, 1.0)
        )
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        if i == 0:
            nodes["rec"] = {"type": "Linear", "weight": rng.normal(0, 0.5, (n, n))}
            edges += [(f"n{i}", "rec"), ("rec", f"n{i}")]
        prev, m = f"n{i}", n
    nodes["out"] = out(m)
    edges.append((prev, "out"))
    return graph(nodes, edges)


def run_lava(args: list[str]) -> None:
    res = subprocess.run([str(LAVA_PYTHON), *args], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]


def slayer_and_netx(outdir: Path, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    np.save(outdir / "x.npy", x)
    run_lava(
        [
            str(outdir / "model.py"),
            "--input",
            str(outdir / "x.npy"),
            "-o",
            str(outdir / "y.npz"),
            "--export",
            str(outdir / "network.net"),
        ]
    )
    run_lava([str(RUNNER), str(outdir / "network.net"), str(outdir / "x.npy"), str(outdir / "netx.npy")])
    with np.load(outdir / "y.npz") as f:
        slayer = f["output"] if "output" in f.files else f[f.files[0]]
    return slayer, np.load(outdir / "netx.npy")


@needs_lava
@pytest.mark.parametrize("name", sorted(MODELS))
def test_slayer_and_netx_fire_as_predicted(name: str, tmp_path: Path) -> None:
    translate(MODELS[name], tmp_path / "o")
    x = (np.random.default_rng(1).random((2, 120, 12)) < 0.15).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert want.sum() > 0
    slayer, netx = slayer_and_netx(tmp_path / "o", x)
    np.testing.assert_array_equal(slayer, want)
    np.testing.assert_array_equal(netx, want)


@needs_lava
def test_paper_lif_in_slayer(corpus: Path, tmp_path: Path) -> None:
    translate(corpus / "lif_norse.nir", tmp_path / "o")
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    slayer, netx = slayer_and_netx(tmp_path / "o", x)
    assert np.flatnonzero(slayer[:, 0]).tolist() == [461, 511, 711, 761]
    assert np.flatnonzero(netx[:, 0]).tolist() == [461, 511, 711, 761]


@needs_lava
@pytest.mark.parametrize("seed", range(4))
def test_random_chains_in_slayer(seed: int, tmp_path: Path) -> None:
    path = tmp_path / "m.nir"
    nirc.write(nirc.module_from_dict(random_chain(seed)), path)
    translate(path, tmp_path / "o")
    x = (np.random.default_rng(seed).random((3, 60, 5)) < 0.3).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    np.save(tmp_path / "o" / "x.npy", x)
    run_lava(
        [
            str(tmp_path / "o" / "model.py"),
            "--input",
            str(tmp_path / "o" / "x.npy"),
            "-o",
            str(tmp_path / "o" / "y.npz"),
        ]
    )
    np.testing.assert_array_equal(np.load(tmp_path / "o" / "y.npz")["out"], want)


@needs_lava
def test_a_large_threshold_mantissa_fires_as_slayer_does(tmp_path: Path) -> None:
    """slayer tests v >= (threshold + 0.01/s) s in float32: with a mantissa of 16384 the
    0.01 is lost and a membrane exactly at 64 threshold fires (and resets)."""
    d = graph(
        {
            "in": inp(1),
            "w": {"type": "Linear", "weight": np.array([[1.0 / 128]])},
            "n": {"type": "IF", "r": np.array([1e4]), "v_threshold": np.array([1.0]), "v_reset": np.array([0.0])},
            "out": out(1),
        },
        [("in", "w"), ("w", "n"), ("n", "out")],
    )
    path = tmp_path / "m.nir"
    nirc.write(nirc.module_from_dict(d), path)
    report = translate(path, tmp_path / "o", "--no-delay-shift")
    assert report["blocks"][0]["threshold_mantissa"] >= 1 << 14
    x = np.ones((300, 1), np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert want.sum() > 0
    np.save(tmp_path / "o" / "x.npy", x)
    run_lava(
        [
            str(tmp_path / "o" / "model.py"),
            "--input",
            str(tmp_path / "o" / "x.npy"),
            "-o",
            str(tmp_path / "o" / "y.npz"),
        ]
    )
    np.testing.assert_array_equal(np.load(tmp_path / "o" / "y.npz")["out"], want)


def test_a_threshold_below_the_scale_step_is_refused(tmp_path: Path) -> None:
    d = dense_chain(cuba(2, v_threshold=np.full(2, 0.25)))
    path = tmp_path / "m.nir"
    nirc.write(nirc.module_from_dict(d), path)
    res = run_tool("nir-translate", path, "--target=lava-dl", "--scale=1", "-o", tmp_path / "o")
    assert res.code != 0 and "Traceback" not in res.stderr
    assert tool_violations(res.stderr, path, "lava-dl") == [("lava-dl-scale", "n0")]
    assert not (tmp_path / "o").exists()


def test_conv_blocks_are_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "conv.nir"
    nirc.write(nirc.module_from_dict(conv_chain()), path)
    report = translate(path, tmp_path / "o")
    assert [row["class"] for row in report["blocks"]] == [
        "slayer.block.cuba.Conv",
        "slayer.block.cuba.Conv",
        "slayer.block.cuba.Dense",
    ]
    x = (np.random.default_rng(1).random((2, 40, 2, 8, 8)) < 0.3).astype(np.float64)
    chip = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    np.testing.assert_array_equal(nirc.run(nirc.read(path), x, semantics="lava-dl", dt=DT).outputs["out"], chip)


@needs_lava
def test_conv_blocks_in_slayer_and_netx(tmp_path: Path) -> None:
    """Conv, Flatten and Dense blocks in real slayer, and their netx export in Lava."""
    path = tmp_path / "conv.nir"
    nirc.write(nirc.module_from_dict(conv_chain()), path)
    translate(path, tmp_path / "o")
    x = (np.random.default_rng(1).random((2, 40, 2, 8, 8)) < 0.3).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert want.sum() > 0
    np.save(tmp_path / "o" / "x.npy", x)
    o = tmp_path / "o"
    run_lava(
        [str(o / "model.py"), "--input", str(o / "x.npy"), "-o", str(o / "y.npz"), "--export", str(o / "network.net")]
    )
    np.testing.assert_array_equal(np.load(o / "y.npz")["out"], want)
    run_lava([str(RUNNER), str(o / "network.net"), str(o / "x.npy"), str(o / "netx.npy")])
    np.testing.assert_array_equal(np.load(o / "netx.npy"), want)


@needs_lava
def test_the_paper_cnn_in_slayer_and_netx(corpus: Path, tmp_path: Path) -> None:
    """cnn_sinabs.nir: its two SumPools folded (fold-sum-pool), Conv x3 -> Flatten -> Dense
    x2 blocks in real slayer and, exported, in Lava.  At dt = 1 an IF adds its input
    unscaled (as in sinabs, which trained it), so the network spikes."""
    translate(corpus / "cnn_sinabs.nir", tmp_path / "o", "--dt=1")
    x = (np.random.default_rng(0).random((1, 40, 2, 34, 34)) < 0.2).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert want.sum() > 0
    slayer, netx = slayer_and_netx(tmp_path / "o", x)
    np.testing.assert_array_equal(slayer, want)
    np.testing.assert_array_equal(netx, want)
