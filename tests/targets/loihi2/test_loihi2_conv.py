"""Conv layers on Loihi 2: ``loihi2.conv`` (Lava's Conv feeding a LIF), the Flatten in front
of a Dense, a SumPool folded into what reads it, netx ``conv`` / ``flatten`` layers.

* the float ``loihi2`` layers compute what the float `snn` model computes, exactly, on
  random conv chains with dyadic parameters (hypothesis);
* ``nir-run --semantics lava-fixed`` predicts the emitted chip model;
* the netx file holds a conv layer as netx reads it (CHW shape, PyTorch's kernel, (y, x)
  geometry, the bias neuron-wise in Lava's (x, y, channel) order);
* real Lava (``.venv-lava``; skipped with the reason where it is absent): the emitted
  ``lava_model.py`` (``Conv`` processes) and ``network.net`` (netx) fire spike for spike
  as ``nir-run OUT/model.mlir`` on a conv chain, a model whose first Dense reads the image
  input flattened, a branching model with a conv output, and the paper's CNN.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from builders import conv, conv_chain, cuba, graph, inp, lif, module, out, pool
from conftest import run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lava_venv import needs_lava
from test_loihi2_target import DT, compile_both, lava_run, translate

import nirc
from nirc.dialects.nir import top_graph
from nirc.targets.loihi2.dialect import ConvOp, DenseOp
from nirc.targets.loihi2.kernels import _signed_clamp


def write(d: dict, tmp_path: Path, name: str = "m.nir") -> Path:
    path = tmp_path / name
    nirc.write(module(d), path)
    return path


def spikes(shape: tuple[int, ...], p: float = 0.3, seed: int = 1) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) < p).astype(np.float32)


# --------------------------------------------------------------------------- the float layers


@st.composite
def dyadic_conv_chain(draw: Any) -> tuple[dict, np.ndarray]:
    """Input (C, H, W) -> Conv -> LIF/CubaLIF [-> Flatten -> Linear -> LIF], dyadic
    weights, decays and gains, so float arithmetic is exact in both models."""
    c, h, w = draw(st.integers(1, 2)), draw(st.integers(3, 5)), draw(st.integers(3, 5))
    o, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, pad = draw(st.integers(1, 2)), draw(st.integers(0, 1))
    dyadic = st.sampled_from([-1.0, -0.5, 0.25, 0.5, 0.75, 1.0, 1.5])
    weight = np.array(draw(st.lists(dyadic, min_size=o * c * k * k, max_size=o * c * k * k))).reshape(o, c, k, k)
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    shape = (o, oh, ow)
    tau = DT / draw(st.sampled_from([0.25, 0.5]))
    if draw(st.booleans()):
        n1 = {**cuba(1), "tau_mem": np.full(shape, tau), "tau_syn": np.full(shape, DT / 0.5)}
        n1.update(r=np.full(shape, tau / DT), v_leak=np.zeros(shape), v_reset=np.zeros(shape), w_in=np.ones(shape))
    else:
        n1 = {**lif(*shape), "tau": np.full(shape, tau), "r": np.full(shape, tau / DT)}
    n1["v_threshold"] = np.full(shape, draw(st.sampled_from([0.5, 1.0, 2.0])))
    cv = {**conv(o, c, k, stride=stride, pad=pad), "weight": weight}
    nodes: dict[str, Any] = {"in": inp(c, h, w), "c": cv, "n1": n1}
    edges = [("in", "c"), ("c", "n1")]
    if draw(st.booleans()):
        m = o * oh * ow
        lw = np.array(draw(st.lists(dyadic, min_size=2 * m, max_size=2 * m))).reshape(2, m)
        nodes["f"] = {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array(shape)}
        nodes["l"] = {"type": "Linear", "weight": lw}
        nodes["n2"] = {**lif(2), "tau": np.full(2, DT / 0.5), "r": np.full(2, 0.5)}
        nodes["out"] = out(2)
        edges += [("n1", "f"), ("f", "l"), ("l", "n2"), ("n2", "out")]
    else:
        nodes["out"] = out(*shape)
        edges.append(("n1", "out"))
    steps = 20
    x = np.asarray(draw(st.lists(st.booleans(), min_size=2 * steps * c * h * w, max_size=2 * steps * c * h * w)))
    return graph(nodes, edges), x.reshape(2, steps, c, h, w).astype(np.float64)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dyadic_conv_chain())
def test_float_conv_layers_compute_the_snn_model(case: tuple[dict, np.ndarray]) -> None:
    d, x = case
    snn, float_chip, fixed_chip = compile_both(module(d))
    assert any(isinstance(op, ConvOp) for op in top_graph(float_chip).body.block.ops)
    want = nirc.run(snn, x).outputs["out"]
    np.testing.assert_array_equal(nirc.run(float_chip, x).outputs["out"], want)
    assert nirc.run(fixed_chip, x).outputs["out"].shape == want.shape


def test_signed_clamp_wraps_as_lavas() -> None:
    """Lava's ``signed_clamp(x, 24)``: ``(x + 2^23) % 2^24 - 2^23``."""
    x = np.array([0, 2**23 - 1, 2**23, -(2**23), -(2**23) - 1, 3 * 2**23 + 5])
    assert _signed_clamp(x, 24).tolist() == [0, 2**23 - 1, -(2**23), -(2**23), 2**23 - 1, -(2**23) + 5]


# --------------------------------------------------------------------------- the command


def test_conv_chain_compiles_to_conv_layers(tmp_path: Path) -> None:
    path = write(conv_chain(), tmp_path)
    report = translate(path, tmp_path / "o")
    assert [row["kind"] for row in report["layers"]] == ["conv", "conv", "dense"]
    assert report["layers"][0]["shape"] == [4, 8, 8]
    assert report["netx"] == {"written": True}
    m = nirc.read(tmp_path / "o" / "model.mlir")
    kinds = [op.name for op in top_graph(m).body.block.ops]
    assert kinds == ["nir.input", "loihi2.conv", "loihi2.conv", "nir.flatten", "loihi2.dense", "nir.output"]
    x = spikes((2, 40, 2, 8, 8), seed=1).astype(np.float64)
    chip = nirc.run(m, x).outputs["out"]
    fixed = nirc.run(nirc.read(path), x, semantics="lava-fixed", dt=DT).outputs["out"]
    np.testing.assert_array_equal(fixed, chip)


def test_netx_conv_layer_is_what_netx_reads(tmp_path: Path) -> None:
    d = conv_chain()
    d["nodes"]["c1"]["bias"] = np.array([0.5, -0.5, 0.25, 0.0])
    d["nodes"]["n1"]["tau_syn"] = np.full((4, 8, 8), 1e-3)
    path = write(d, tmp_path)
    translate(path, tmp_path / "o")
    m = nirc.read(tmp_path / "o" / "model.mlir")
    ops = [op for op in top_graph(m).body.block.ops if isinstance(op, (ConvOp, DenseOp))]
    with h5py.File(tmp_path / "o" / "network.net") as f:
        layer = f["layer"]
        assert [layer[str(i)]["type"][0] for i in range(5)] == [b"input", b"conv", b"conv", b"flatten", b"dense"]
        assert layer["0/shape"][()].tolist() == [2, 8, 8]
        g = layer["1"]
        assert g["shape"][()].tolist() == [4, 8, 8]
        np.testing.assert_array_equal(g["weight"][()], ops[0].param("weight"))
        assert g["padding"][()].tolist() == [1, 1] and layer["2/stride"][()].tolist() == [2, 2]
        # a neuron-wise bias, in Lava's (x, y, channel) order
        bias = np.asarray(ops[0].param("bias_mant")).reshape(4, 8, 8)
        np.testing.assert_array_equal(g["bias"][()], bias.transpose(2, 1, 0))
        assert np.any(bias)


def test_sum_pool_is_folded_into_the_conv(tmp_path: Path) -> None:
    """Lava has no pooling process: a SumPool2d is folded into the Conv2d reading it."""
    d = graph(
        {
            "in": inp(1, 8, 8),
            "c1": conv(2, 1, 3, pad=1),
            "n1": lif(2, 8, 8),
            "p": pool(2),
            "c2": conv(2, 2, 3),
            "n2": lif(2, 2, 2),
            "out": out(2, 2, 2),
        },
        [("in", "c1"), ("c1", "n1"), ("n1", "p"), ("p", "c2"), ("c2", "n2"), ("n2", "out")],
    )
    d["nodes"]["n1"]["tau"] = np.full((2, 8, 8), 1e-3)
    d["nodes"]["n1"]["r"] = np.full((2, 8, 8), 40.0)
    d["nodes"]["n2"]["tau"] = np.full((2, 2, 2), 1e-3)
    d["nodes"]["n2"]["r"] = np.full((2, 2, 2), 40.0)
    path = write(d, tmp_path)
    report = translate(path, tmp_path / "o")
    assert [row["kind"] for row in report["layers"]] == ["conv", "conv"]
    x = spikes((2, 30, 1, 8, 8), p=0.5, seed=3).astype(np.float64)
    chip = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert chip.sum() > 0
    np.testing.assert_array_equal(nirc.run(nirc.read(path), x, semantics="lava-fixed", dt=DT).outputs["out"], chip)


def test_uneven_same_padding_is_refused(tmp_path: Path) -> None:
    d = graph(
        {"in": inp(1, 6, 6), "c": conv(2, 1, 2, pad="same"), "n": lif(2, 6, 6), "out": out(2, 6, 6)},
        [("in", "c"), ("c", "n"), ("n", "out")],
    )
    path = write(d, tmp_path)
    res = run_tool("nir-translate", path, "--target=loihi2", "-o", tmp_path / "o")
    assert res.code != 0 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].endswith("[lava-conv]"), res.stderr
    assert "'c'" in res.stderr
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- real Lava


def image_input_dense() -> dict:
    """An image input read flattened by a first Dense: Input (2, 4, 4) -> Flatten -> Linear -> LIF."""
    rng = np.random.default_rng(7)
    return graph(
        {
            "in": inp(2, 4, 4),
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([2, 4, 4])},
            "l": {"type": "Linear", "weight": rng.uniform(-20, 60, (3, 32))},
            "n": lif(3),
            "out": out(3),
        },
        [("in", "f"), ("f", "l"), ("l", "n"), ("n", "out")],
    )


def conv_branches() -> dict:
    """A conv layer read by an output and, flattened, by a Dense layer: netx cannot hold it."""
    rng = np.random.default_rng(8)
    c = {**conv(3, 2, 3), "weight": rng.uniform(-10, 30, (3, 2, 3, 3)), "bias": np.array([0.0, 2.0, -1.0])}
    return graph(
        {
            "in": inp(2, 6, 6),
            "c": c,
            "n": lif(3, 4, 4),
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([3, 4, 4])},
            "l": {"type": "Linear", "weight": rng.uniform(-20, 60, (2, 48))},
            "m": lif(2),
            "o_conv": out(3, 4, 4),
            "o_dense": out(2),
        },
        [("in", "c"), ("c", "n"), ("n", "f"), ("f", "l"), ("l", "m"), ("n", "o_conv"), ("m", "o_dense")],
    )


@needs_lava
def test_conv_chain_in_lava(tmp_path: Path) -> None:
    translate(write(conv_chain(), tmp_path), tmp_path / "o")
    x = spikes((2, 40, 2, 8, 8))
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert want.sum() > 0
    for netx in (False, True):
        np.testing.assert_array_equal(lava_run(tmp_path / "o", x, netx)["out"], want)


@needs_lava
def test_image_input_read_by_a_dense_in_lava(tmp_path: Path) -> None:
    report = translate(write(image_input_dense(), tmp_path), tmp_path / "o")
    assert report["netx"] == {"written": True}
    x = spikes((2, 50, 2, 4, 4))
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert want.sum() > 0
    for netx in (False, True):
        np.testing.assert_array_equal(lava_run(tmp_path / "o", x, netx)["out"], want)


@needs_lava
def test_conv_branches_run_as_lava_processes(tmp_path: Path) -> None:
    report = translate(write(conv_branches(), tmp_path), tmp_path / "o")
    assert report["netx"]["written"] is False
    x = spikes((2, 40, 2, 6, 6))
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs
    assert want["o_conv"].sum() > 0 and want["o_dense"].sum() > 0
    got = lava_run(tmp_path / "o", x, netx=False)
    for name in ("o_conv", "o_dense"):
        assert got[name].shape == want[name].shape
        np.testing.assert_array_equal(got[name], want[name])


@needs_lava
def test_the_paper_cnn_in_lava(corpus: Path, tmp_path: Path) -> None:
    """cnn_sinabs.nir at dt = 1 (an IF adds its input unscaled, as sinabs trained it): its
    SumPools folded, Conv x3 -> Flatten -> Dense x2 as Lava processes and through netx."""
    res = run_tool("nir-translate", corpus / "cnn_sinabs.nir", "--target=loihi2", "--dt=1", "-o", tmp_path / "o")
    assert res.code == 0, res.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert [row["kind"] for row in report["layers"]] == ["conv", "conv", "conv", "dense", "dense"]
    x = spikes((1, 40, 2, 34, 34), p=0.2, seed=0)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert want.sum() > 0
    for netx in (False, True):
        np.testing.assert_array_equal(lava_run(tmp_path / "o", x, netx)["output"], want)


@pytest.mark.parametrize("steps", [1, 3])
def test_short_inputs_run(steps: int, tmp_path: Path) -> None:
    """Fewer steps than layers: nothing reaches the output yet, and nothing breaks."""
    translate(write(conv_chain(), tmp_path), tmp_path / "o")
    x = spikes((steps, 2, 8, 8))
    got = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert got.shape == (steps, 5) and got.sum() == 0
