"""The Loihi 2 target: rules, pipeline, artefacts, and real Lava running what it emits.

* every design rule (``nirc.targets.loihi2.rules``) has a small model that breaks it,
  checked through the Python API (rule, node) and through ``nir-translate`` (one line
  per violation, nothing written);
* the float ``loihi2`` layers compute what the float `snn` model computes, exactly, on
  random chains of LIF / CubaLIF layers (recurrent ones too) with dyadic parameters
  (hypothesis);
* ``nir-translate --target=loihi2`` on the paper's models: ``model.mlir`` predicts the
  paper LIF benchmark's Lava spikes (461/511/711/761), the report, netx written for
  chains only, all or nothing;
* real Lava (lava-nc 0.10.0 and lava-dl 0.6.0 in ``.venv-lava``, ``scripts/lava-env.sh``;
  skipped with the reason where it is absent): the emitted ``lava_model.py`` (Lava
  processes) and ``network.net`` (through netx) fire spike for spike as ``nir-run
  OUT/model.mlir`` on the paper's models and random batched inputs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from builders import cuba, dense_chain, graph, inp, lif, module, out
from conftest import CORPUS, run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lava_venv import LAVA_PYTHON, needs_lava
from rule_cases import tool_violations
from xdsl.context import Context

import nirc
from nirc.core.errors import Violations
from nirc.core.verify import verify_module
from nirc.dialects.nir import top_graph
from nirc.targets.loihi2.dialect import DenseOp, effective_weights
from nirc.targets.loihi2.nir_to_loihi2 import NirToLoihi2Pass
from nirc.targets.loihi2.quantize import file_weights, netx_safe, optimize_weight_bits
from nirc.targets.loihi2.resources import LOIHI2
from nirc.targets.loihi2.rules import check

DT = 1e-4
SRNN = Path(nirc.__file__).parent / "examples" / "srnn.nir"
MODELS = {
    "srnn": SRNN,
    "braille_bias": CORPUS / "braille_noDelay_bias_zero.nir",
    "braille_subtract": CORPUS / "braille_noDelay_noBias_subtract.nir",
}


def compile_both(m: Any, dt: float = DT) -> tuple[Any, Any, Any]:
    """The float `snn` module, the float and the fixed-point `loihi2` modules."""
    modules = []
    for quantize in (False, True):
        pipeline = NirToLoihi2Pass(dt=dt, quantize=quantize)
        work = m.clone()
        for step in pipeline.front():
            step.apply(Context(), work)
        snn = work.clone()
        for step in pipeline.back():
            step.apply(Context(), work)
            verify_module(work)
        modules.append(work)
    return snn, modules[0], modules[1]


def layers(m: Any) -> list[DenseOp]:
    return [op for op in top_graph(m).body.block.ops if isinstance(op, DenseOp)]


# --------------------------------------------------------------------------- rules


def li(n: int) -> dict:
    return {"type": "LI", "tau": np.full(n, 1e-3), "r": np.ones(n), "v_leak": np.zeros(n)}


def conv1d_model() -> dict:
    """A Conv1d layer: Lava's Conv is 2-D."""
    return graph(
        {
            "in": inp(2, 6),
            "c": {
                "type": "Conv1d",
                "weight": np.ones((2, 2, 3)),
                "bias": np.zeros(2),
                "stride": np.array([1]),
                "padding": np.array([0]),
                "dilation": np.array([1]),
                "groups": np.array(1),
                "input_shape": np.array([6]),
            },
            "n": lif(2, 4),
            "out": out(2, 4),
        },
        [("in", "c"), ("c", "n"), ("n", "out")],
    )


def direct_model() -> dict:
    return graph({"in": inp(2), "n": lif(2), "out": out(2)}, [("in", "n"), ("n", "out")])


RULES = [
    ("v-reset", lambda: dense_chain(cuba(2, v_reset=np.full(2, 0.5))), "lava-reset", {"n0"}),
    ("per-neuron-tau", lambda: dense_chain(cuba(2, tau_mem=np.array([1e-3, 2e-3]))), "lava-shared", {"n0"}),
    ("negative-threshold", lambda: dense_chain(cuba(2, v_threshold=np.array([1.0, -1.0]))), "lava-threshold", {"n0"}),
    ("li-readout", lambda: dense_chain(cuba(3), li(2)), "lava-readout", {"n1"}),
    ("no-dense", direct_model, "lava-weights", {"n"}),
    ("conv1d", conv1d_model, "lava-unsupported", {"c"}),
]


@pytest.mark.parametrize(("case", "model", "rule", "nodes"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_names_its_node(case: str, model: Any, rule: str, nodes: set[str]) -> None:
    m = module(model())
    pipeline = NirToLoihi2Pass(dt=DT)
    for step in pipeline.front():
        step.apply(Context(), m)
    a = check(top_graph(m), LOIHI2)
    mine = [v for v in a.violations if v.rule == rule]
    assert mine, [str(v) for v in a.violations]
    assert {v.node for v in mine} <= nodes
    with pytest.raises(Violations):
        pipeline.back()[0].apply(Context(), m)


def test_every_violation_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    bad = dense_chain(cuba(2, v_reset=np.full(2, 0.5)), cuba(2, tau_syn=np.array([1e-3, 5e-4])))
    path = tmp_path / "bad.nir"
    nirc.write(module(bad), path)
    res = run_tool("nir-translate", path, "--target=loihi2", "-o", tmp_path / "out")
    assert res.code != 0 and "Traceback" not in res.stderr
    assert sorted(tool_violations(res.stderr, path, "lava")) == [("lava-reset", "n0"), ("lava-shared", "n1")]
    assert not (tmp_path / "out").exists()


def test_too_many_cores_is_refused() -> None:
    """A layer whose fan-in leaves room for few neurons per core takes many cores."""
    big = dense_chain(lif(600), n_in=120_000)
    m = module(big)
    with pytest.raises(Violations) as err:
        for step in NirToLoihi2Pass(dt=DT, quantize=False).steps():
            step.apply(Context(), m)
    assert [v.rule for v in err.value.violations] == ["loihi2-cores"]


# --------------------------------------------------------------------------- arithmetic


def test_optimize_weight_bits_is_netxs() -> None:
    """lava-dl 0.6.0 computes the same (run there): mixed, excitatory, inhibitory, zeros."""
    w, bits, exp = optimize_weight_bits(np.array([[127, -3], [0, 5]]))
    assert (w.tolist(), bits, exp) == ([[254, -6], [0, 10]], 8, -1)
    w, bits, exp = optimize_weight_bits(np.array([[127, 3]]))
    assert (w.tolist(), bits, exp) == ([[254, 6]], 7, -1)
    w, bits, exp = optimize_weight_bits(np.array([[-100, -4]]))
    assert (w.tolist(), bits, exp) == ([[-200, -8]], 5, -1)
    assert optimize_weight_bits(np.zeros((2, 2), np.int64))[1:] == (8, 0)


@pytest.mark.parametrize("w", [[[-128, -3]], [[-1, 0]], [[-64, -64]], [[-100, 0]]])
def test_weights_netx_would_damage_are_moved_a_step(w: list) -> None:
    """netx scales inhibitory weights of power-of-two magnitude to -256, which Lava clips
    and truncates; nirc moves them a step toward zero so Lava keeps what it is given."""
    shifted, bits, exp = netx_safe(np.array(w))
    assert bits >= 1
    np.testing.assert_array_equal(effective_weights(shifted, bits), shifted)
    kept = shifted >> -exp
    assert np.all(np.abs(kept - np.array(w)) <= np.where(np.array(w) == np.min(w), 1, 0))


@st.composite
def dyadic_chain(draw: Any) -> tuple[dict, np.ndarray]:
    """A chain of LIF / CubaLIF layers (the first maybe recurrent) whose decays, gains
    and weights are dyadic, so float arithmetic is exact in both models."""
    n_in = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    nodes: dict[str, Any] = {"in": inp(n_in)}
    edges, prev, m = [], "in", n_in
    dyadic = st.sampled_from([-1.0, -0.5, -0.25, 0.25, 0.5, 0.75, 1.0, 1.5])
    for i, n in enumerate(sizes):
        w = np.array(draw(st.lists(dyadic, min_size=n * m, max_size=n * m))).reshape(n, m)
        tau_mem = DT / draw(st.sampled_from([0.25, 0.5]))
        if draw(st.booleans()):
            nrn = cuba(n, tau_mem=np.full(n, tau_mem), tau_syn=np.full(n, DT / 0.5), r=np.full(n, tau_mem / DT))
        else:
            nrn = {**lif(n), "tau": np.full(n, tau_mem), "r": np.full(n, tau_mem / DT)}
        nrn["v_threshold"] = np.full(n, draw(st.sampled_from([0.5, 1.0, 2.0])))
        nodes[f"w{i}"], nodes[f"n{i}"] = {"type": "Linear", "weight": w}, nrn
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        if i == 0 and draw(st.booleans()):
            nodes["rec"] = {"type": "Linear", "weight": np.full((n, n), -0.5)}
            edges += [(f"n{i}", "rec"), ("rec", f"n{i}")]
        prev, m = f"n{i}", n
    nodes["out"] = out(m)
    edges.append((prev, "out"))
    steps = 30
    x = np.asarray(draw(st.lists(st.booleans(), min_size=2 * steps * n_in, max_size=2 * steps * n_in)))
    return graph(nodes, edges), x.reshape(2, steps, n_in).astype(np.float64)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dyadic_chain())
def test_float_layers_compute_the_snn_model(case: tuple[dict, np.ndarray]) -> None:
    d, x = case
    snn, float_chip, fixed_chip = compile_both(module(d))
    want = nirc.run(snn, x).outputs["out"]
    np.testing.assert_array_equal(nirc.run(float_chip, x).outputs["out"], want)
    assert nirc.run(fixed_chip, x).outputs["out"].shape == want.shape


# --------------------------------------------------------------------------- the command


def translate(model: Path, outdir: Path) -> dict:
    res = run_tool("nir-translate", model, "--target=loihi2", "-o", outdir)
    assert res.code == 0, res.stderr
    return json.loads((outdir / "report.json").read_text())


def test_paper_lif_benchmark(corpus: Path, tmp_path: Path) -> None:
    report = translate(corpus / "lif_norse.nir", tmp_path / "o")
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    got = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert np.flatnonzero(got[:, 0]).tolist() == [461, 511, 711, 761]
    assert report["netx"] == {"written": True}
    assert report["resources"]["cores"] == {"used": 1, "limit": 128}
    assert report["agreement"]["chip"]["output"]["count_agreement"] == 1.0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "lava_model.py",
        "model.mlir",
        "network.net",
        "report.json",
        "weights.npz",
    ]


def test_netx_file_holds_what_lava_adds(corpus: Path, tmp_path: Path) -> None:
    translate(corpus / "braille_noDelay_bias_zero.nir", tmp_path / "o")
    m = nirc.read(tmp_path / "o" / "model.mlir")
    ops = layers(m)
    with h5py.File(tmp_path / "o" / "network.net") as f:
        assert [f["layer"][str(i)]["type"][0] for i in range(3)] == [b"input", b"dense_rec", b"dense"]
        assert f["layer/0/shape"][()].tolist() == [12]
        for i, op in enumerate(ops, start=1):
            g = f["layer"][str(i)]
            np.testing.assert_array_equal(g["weight"][()], file_weights(op))
            assert g["neuron/iDecay"][()] == int(op.param("du")[0]) + 1
            assert g["neuron/vThMant"][()] == int(op.param("vth")[0])
            # netx's own optimisation of the file's weights gives the module's
            both = g["weight"][()] if i == 2 else np.hstack([g["weight"][()], g["weight_rec"][()]])
            assert optimize_weight_bits(both)[1:] == (op.integer("num_weight_bits"), op.integer("weight_exp"))


def test_branches_get_no_netx_file(tmp_path: Path) -> None:
    d = graph(
        {
            "in": inp(2),
            "a": {"type": "Linear", "weight": np.ones((2, 2))},
            "n": lif(2),
            "b": {"type": "Linear", "weight": np.ones((2, 2))},
            "m": lif(2),
            "c": {"type": "Linear", "weight": np.ones((2, 2))},
            "k": lif(2),
            "o1": out(2),
            "o2": out(2),
        },
        [("in", "a"), ("a", "n"), ("n", "b"), ("b", "m"), ("n", "c"), ("c", "k"), ("m", "o1"), ("k", "o2")],
    )
    path = tmp_path / "branch.nir"
    nirc.write(module(d), path)
    report = translate(path, tmp_path / "o")
    assert report["netx"]["written"] is False and "one output" in report["netx"]["why_not"]
    assert not (tmp_path / "o" / "network.net").exists()
    assert (tmp_path / "o" / "lava_model.py").exists()


# --------------------------------------------------------------------------- real Lava


def lava_run(outdir: Path, x: np.ndarray, netx: bool) -> dict[str, np.ndarray]:
    np.save(outdir / "x.npy", x)
    args = [
        str(LAVA_PYTHON),
        str(outdir / "lava_model.py"),
        "--input",
        str(outdir / "x.npy"),
        "-o",
        str(outdir / "y.npz"),
    ]
    res = subprocess.run([*args, *(["--netx"] if netx else [])], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    with np.load(outdir / "y.npz") as f:
        return {k: f[k] for k in f.files}


@needs_lava
def test_lava_runs_the_paper_lif_as_predicted(corpus: Path, tmp_path: Path) -> None:
    translate(corpus / "lif_norse.nir", tmp_path / "o")
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    for netx in (False, True):
        got = lava_run(tmp_path / "o", x, netx)["output"]
        assert np.flatnonzero(got[:, 0]).tolist() == [461, 511, 711, 761]


@needs_lava
@pytest.mark.parametrize("name", sorted(MODELS))
def test_lava_fires_as_nir_run_predicts(name: str, corpus: Path, tmp_path: Path) -> None:
    translate(MODELS[name], tmp_path / "o")
    x = (np.random.default_rng(1).random((2, 120, 12)) < 0.15).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert want.sum() > 0
    for netx in (False, True):
        got = lava_run(tmp_path / "o", x, netx)["output"]
        np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------- the lava-fixed profile


@pytest.mark.parametrize("name", sorted(MODELS))
def test_lava_fixed_profile_runs_what_the_target_emits(name: str, tmp_path: Path) -> None:
    """``nir-run --semantics lava-fixed`` on the `nir` model predicts the emitted chip
    model (the profile's lowering is the target's pipeline without placement)."""
    translate(MODELS[name], tmp_path / "o")
    x = (np.random.default_rng(3).random((2, 80, 12)) < 0.2).astype(np.float64)
    chip = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    res = nirc.run(nirc.read(MODELS[name]), x, semantics="lava-fixed", dt=DT)
    np.testing.assert_array_equal(res.outputs["output"], chip)
    assert res.semantics is not None and res.semantics.name == "lava-fixed"


def test_lava_fixed_profile_refuses_what_lava_cannot_run(tmp_path: Path) -> None:
    path = tmp_path / "conv.nir"
    nirc.write(module(conv1d_model()), path)
    np.save(tmp_path / "x.npy", np.zeros((3, 2, 6)))
    res = run_tool("nir-run", path, "--input", tmp_path / "x.npy", "--semantics", "lava-fixed", "--dt", "1e-4")
    assert res.code != 0 and "Traceback" not in res.stderr
    assert any(line.endswith("[lava-unsupported]") for line in res.stderr.splitlines()), res.stderr


@needs_lava
def test_branching_model_runs_as_lava_processes(tmp_path: Path) -> None:
    """A model netx cannot hold (two outputs, a layer feeding two) runs as Lava processes
    with the spikes nir-run predicts, both outputs."""
    rng = np.random.default_rng(5)
    d = graph(
        {
            "in": inp(4),
            "a": {"type": "Linear", "weight": rng.uniform(-20, 80, (3, 4))},
            "n": lif(3),
            "b": {"type": "Linear", "weight": rng.uniform(-20, 120, (2, 3))},
            "m": lif(2),
            "c": {"type": "Linear", "weight": rng.uniform(-20, 120, (2, 3))},
            "k": lif(2),
            "o1": out(2),
            "o2": out(2),
        },
        [("in", "a"), ("a", "n"), ("n", "b"), ("b", "m"), ("n", "c"), ("c", "k"), ("m", "o1"), ("k", "o2")],
    )
    path = tmp_path / "branch.nir"
    nirc.write(module(d), path)
    translate(path, tmp_path / "o")
    x = (np.random.default_rng(6).random((2, 150, 4)) < 0.3).astype(np.float32)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs
    assert want["o1"].sum() > 0 and want["o2"].sum() > 0
    got = lava_run(tmp_path / "o", x, netx=False)
    for name in ("o1", "o2"):
        np.testing.assert_array_equal(got[name], want[name])


# --------------------------------------------------------------------------- review cases


def test_each_half_of_a_recurrent_matrix_keeps_its_weights() -> None:
    """netx optimises [W, W_rec] together, but Lava's two Dense processes each take their
    own sign mode: an inhibitory half that netx scales to -256 is moved a step first."""
    both = np.array([[64, -128]])
    shifted, bits, exp = netx_safe(both, split=1)
    for half in (shifted[:, :1], shifted[:, 1:]):
        np.testing.assert_array_equal(effective_weights(half, bits), half)
    assert (shifted[:, :1] >> -exp).tolist() == [[64]]


@pytest.mark.parametrize(
    ("model", "rule"),
    [
        (
            lambda: dense_chain(
                {
                    **lif(2),
                    "tau": np.full(0, 0.01),
                    "r": np.ones(0),
                    "v_leak": np.zeros(0),
                    "v_threshold": np.ones(0),
                    "v_reset": np.zeros(0),
                }
            ),
            "lava-empty",
        ),
        (
            lambda: graph(
                {
                    "in": inp(2),
                    "a": {"type": "Linear", "weight": np.ones((2, 2))},
                    "n1": {**lif(2), "v_leak": np.full(2, 5.0)},
                    "b": {"type": "Linear", "weight": np.ones((2, 2))},
                    "n2": lif(2),
                    "o": out(2),
                },
                [("n1", "a"), ("a", "n2"), ("n2", "b"), ("b", "n1"), ("n2", "o")],
            ),
            ("lava-loop", "lava-weights"),  # which, depends on the edge that closes the loop
        ),
    ],
    ids=["empty-layer", "loop"],
)
def test_bad_structure_is_one_line_not_a_traceback(model: Any, rule: str, tmp_path: Path) -> None:
    path = tmp_path / "m.nir"
    nirc.write(module(model()), path)
    res = run_tool("nir-translate", path, "--target=loihi2", "-o", tmp_path / "o")
    assert res.code != 0 and "Traceback" not in res.stderr, res.stderr
    rules = (rule,) if isinstance(rule, str) else rule
    assert any(line.endswith(tuple(f"[{r}]" for r in rules)) for line in res.stderr.splitlines()), res.stderr
    assert not (tmp_path / "o").exists()


def test_lava_fixed_profile_canonicalizes_as_the_target_does(tmp_path: Path) -> None:
    """Linear -> Linear is one Dense after canonicalize, in the profile as in the target."""
    rng = np.random.default_rng(0)
    d = graph(
        {
            "in": inp(3),
            "a": {"type": "Linear", "weight": rng.uniform(0, 40, (4, 3))},
            "b": {"type": "Linear", "weight": rng.uniform(0, 2, (2, 4))},
            "n": lif(2),
            "out": out(2),
        },
        [("in", "a"), ("a", "b"), ("b", "n"), ("n", "out")],
    )
    path = tmp_path / "m.nir"
    nirc.write(module(d), path)
    translate(path, tmp_path / "o")
    x = (np.random.default_rng(1).random((2, 60, 3)) < 0.5).astype(np.float64)
    chip = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    np.testing.assert_array_equal(nirc.run(nirc.read(path), x, semantics="lava-fixed", dt=DT).outputs["out"], chip)


def test_a_layer_without_weights_gets_no_netx_file(tmp_path: Path) -> None:
    """Weights far below the layer's step (the bias sets the scale) round to 0: netx cannot
    load an all-zero Dense, so no network.net, and the report says why."""
    n = {**lif(1), "v_leak": np.full(1, 2048.0), "v_threshold": np.full(1, 600.0)}
    d = graph(
        {"in": inp(2), "w": {"type": "Linear", "weight": np.array([[-1.0, -0.5]])}, "n": n, "out": out(1)},
        [("in", "w"), ("w", "n"), ("n", "out")],
    )
    path = tmp_path / "m.nir"
    nirc.write(module(d), path)
    report = translate(path, tmp_path / "o")
    assert report["netx"]["written"] is False and "no weight left" in report["netx"]["why_not"]
    assert any("no weight left" in line for line in report["deviations"])
    assert not (tmp_path / "o" / "network.net").exists()
