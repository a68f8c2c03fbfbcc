"""The SpiNNaker2 target: pipeline, rules, placement, and the emitted py-spinnaker2 script
run against the strict stand-in (``standin/spinnaker2``: py-spinnaker2 cannot be
installed here; the stand-in accepts only its documented API and simulates the chip
model).

* the paper's LIF benchmark spikes at 460/510/710/760 in the compiled module, under the
  ``spinnaker2`` profile, and in the emitted script;
* the emitted ``model.py`` gives ``nir-run OUT/model.mlir``'s spikes on the paper's
  models (both Braille SRNNs, the CNN with its conv populations), the shipped SRNN and
  random graphs (hypothesis), batch > 1;
* every rule names its node, one line each, nothing written;
* placement: slices fit their PEs, chips hold 152 PEs, and greedy growing cuts the
  traffic between chips of a model whose populations are listed out of order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import conv, cuba, graph, inp, lif, module, out
from conftest import CORPUS, run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_cases import tool_violations
from xdsl.context import Context

import nirc
from nirc.core.errors import Violations
from nirc.dialects.nir import top_graph
from nirc.targets.spinnaker2.dialect import PopulationOp
from nirc.targets.spinnaker2.nir_to_spinnaker2 import NirToSpiNNaker2Pass
from nirc.targets.spinnaker2.place import grow, in_order, inter_chip, traffic_plan

STANDIN = Path(__file__).parent / "standin"
DT = 1e-4
MODELS = {
    "braille_bias": (CORPUS / "braille_noDelay_bias_zero.nir", DT, (12,)),
    "braille_subtract": (CORPUS / "braille_noDelay_noBias_subtract.nir", DT, (12,)),
    "srnn": (Path(nirc.__file__).parent / "examples" / "srnn.nir", DT, (12,)),
    "cnn": (CORPUS / "cnn_sinabs.nir", 1.0, (2, 34, 34)),
}


def translate(model: Path, outdir: Path, *opts: str) -> dict:
    res = run_tool("nir-translate", model, "--target=spinnaker2", *opts, "-o", outdir)
    assert res.code == 0, res.stderr
    return json.loads((outdir / "report.json").read_text())


def standin_run(outdir: Path, x: np.ndarray) -> dict[str, np.ndarray]:
    np.save(outdir / "x.npy", x)
    env = {**os.environ, "PYTHONPATH": str(STANDIN)}
    res = subprocess.run(
        [sys.executable, str(outdir / "model.py"), "--input", str(outdir / "x.npy"), "-o", str(outdir / "y.npz")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    with np.load(outdir / "y.npz") as f:
        return {k: f[k] for k in f.files}


def spikes(shape: tuple[int, ...], p: float = 0.2, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) < p).astype(np.float32)


# --------------------------------------------------------------------------- the paper


def test_paper_lif_benchmark(corpus: Path, tmp_path: Path) -> None:
    report = translate(corpus / "lif_norse.nir", tmp_path / "o")
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    want = [460, 510, 710, 760]
    got = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["output"]
    assert np.flatnonzero(got[:, 0]).tolist() == want
    profile = nirc.run(nirc.read(corpus / "lif_norse.nir"), x, semantics="spinnaker2", dt=DT).outputs["output"]
    assert np.flatnonzero(profile[:, 0]).tolist() == want
    assert np.flatnonzero(standin_run(tmp_path / "o", x)["output"][:, 0]).tolist() == want
    assert report["resources"]["chips"]["used"] == 1
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "model.mlir",
        "model.py",
        "report.json",
        "weights.npz",
        "x.npy",
        "y.npz",
    ]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_emitted_script_fires_as_nir_run_predicts(name: str, tmp_path: Path) -> None:
    path, dt, shape = MODELS[name]
    report = translate(path, tmp_path / "o", f"--dt={dt}")
    x = spikes((2, 60, *shape), seed=1)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs
    assert sum(float(v.sum()) for v in want.values()) > 0
    got = standin_run(tmp_path / "o", x)
    assert set(got) == set(want)
    for key in want:
        np.testing.assert_array_equal(got[key], want[key])
    if name == "cnn":
        assert [row["neuron_model"] for row in report["populations"]][:3] == ["lif_conv2d"] * 3


def test_options_choose_the_integrator_and_the_reset(corpus: Path, tmp_path: Path) -> None:
    translate(corpus / "lif_norse.nir", tmp_path / "o", "--integrator=exact", "--reset=subtract")
    (op,) = [
        o for o in top_graph(nirc.read(tmp_path / "o" / "model.mlir")).body.block.ops if isinstance(o, PopulationOp)
    ]
    assert op.reset.data == "reset_by_subtraction"
    (lif_op,) = [o for o in top_graph(nirc.read(corpus / "lif_norse.nir")).body.block.ops if o.name == "nir.lif"]
    tau = float(lif_op.param("tau").reshape(-1)[0])  # type: ignore[attr-defined]
    np.testing.assert_allclose(op.param("alpha_decay"), np.float32(np.exp(-DT / tau)))


# --------------------------------------------------------------------------- random graphs


@st.composite
def random_net(draw: Any) -> tuple[dict, np.ndarray]:
    """Input -> Linear -> LIF / CubaLIF layers (one maybe recurrent, one branch maybe
    summing two Linear), random weights, batch 2."""
    n_in = draw(st.integers(1, 6))
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    nodes: dict[str, Any] = {"in": inp(n_in)}
    edges: list[tuple[str, str]] = []
    prev, m = "in", n_in
    for i, n in enumerate(sizes):
        if draw(st.booleans()):
            nrn = cuba(n, tau_mem=np.full(n, 4e-4), tau_syn=np.full(n, 2e-4), r=np.full(n, 4.0))
        else:
            nrn = {**lif(n), "tau": np.full(n, 4e-4), "r": np.full(n, 4.0)}
        nrn["v_leak"] = rng.uniform(-0.2, 0.2, n)
        nodes[f"w{i}"] = {"type": "Linear", "weight": rng.normal(0.4, 1.0, (n, m))}
        nodes[f"n{i}"] = nrn
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        if i == 0 and draw(st.booleans()):
            nodes["rec"] = {"type": "Linear", "weight": rng.normal(0, 0.5, (n, n))}
            edges += [("n0", "rec"), ("rec", "n0")]
        prev, m = f"n{i}", n
    nodes["out"] = out(m)
    edges.append((prev, "out"))
    steps = 40
    x = (rng.random((2, steps, n_in)) < 0.4).astype(np.float32)
    return graph(nodes, edges), x


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(case=random_net())
def test_random_graphs_in_the_standin(case: tuple[dict, np.ndarray], tmp_path_factory: pytest.TempPathFactory) -> None:
    d, x = case
    tmp = tmp_path_factory.mktemp("s2")
    nirc.write(module(d), tmp / "m.nir")
    translate(tmp / "m.nir", tmp / "o", "--no-agreement")
    want = nirc.run(nirc.read(tmp / "o" / "model.mlir"), x).outputs["out"]
    np.testing.assert_array_equal(standin_run(tmp / "o", x)["out"], want)


# --------------------------------------------------------------------------- rules


def li(n: int) -> dict:
    return {"type": "LI", "tau": np.full(n, 1e-3), "r": np.ones(n), "v_leak": np.zeros(n)}


def direct() -> dict:
    return graph({"in": inp(2), "n": lif(2), "out": out(2)}, [("in", "n"), ("n", "out")])


def with_delay() -> dict:
    return graph(
        {
            "in": inp(2),
            "w": {"type": "Linear", "weight": np.ones((2, 2))},
            "d": {"type": "Delay", "delay": np.full(2, 2e-4)},
            "n": lif(2),
            "out": out(2),
        },
        [("in", "w"), ("w", "d"), ("d", "n"), ("n", "out")],
    )


def readout() -> dict:
    return graph(
        {"in": inp(2), "w": {"type": "Linear", "weight": np.ones((2, 2))}, "n": li(2), "out": out(2)},
        [("in", "w"), ("w", "n"), ("n", "out")],
    )


def huge_fan_in() -> dict:
    n_in = 60_000
    return graph(
        {"in": inp(n_in), "w": {"type": "Linear", "weight": np.ones((1, n_in))}, "n": lif(1), "out": out(1)},
        [("in", "w"), ("w", "n"), ("n", "out")],
    )


RULES = [
    ("direct", direct, "spinnaker2-weights", "n"),
    ("delay", with_delay, "spinnaker2-unsupported", "d"),
    ("li-readout", readout, "spinnaker2-readout", "n"),
    ("memory", huge_fan_in, "spinnaker2-memory", "n"),
]


@pytest.mark.parametrize(("case", "model", "rule", "node"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_names_its_node(case: str, model: Any, rule: str, node: str, tmp_path: Path) -> None:
    path = tmp_path / "m.nir"
    nirc.write(module(model()), path)
    res = run_tool("nir-translate", path, "--target=spinnaker2", "-o", tmp_path / "o")
    assert res.code != 0 and "Traceback" not in res.stderr, res.stderr
    assert (rule, node) in tool_violations(res.stderr, path, "spinnaker2"), res.stderr
    assert not (tmp_path / "o").exists()


def test_bad_options_are_one_line(corpus: Path, tmp_path: Path) -> None:
    res = run_tool(
        "nir-translate", corpus / "lif_norse.nir", "--target=spinnaker2", "--integrator=rk4", "-o", tmp_path / "o"
    )
    assert res.code != 0 and "Traceback" not in res.stderr and "integrator" in res.stderr
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- placement


def columns(k: int, n: int) -> dict:
    """``k`` columns (two input channels -> A -> B -> C), each population ``n`` neurons
    (one PE each), listed layer by layer (every column's A, then every B, then every C):
    the order a naive placement follows, which puts each layer on its own chips."""
    rng = np.random.default_rng(0)
    nodes: dict[str, Any] = {"in": inp(2 * k)}
    edges: list[tuple[str, str]] = []
    for layer, src in (("a", None), ("b", "a"), ("c", "b")):
        for c in range(k):
            if src is None:
                w = np.zeros((n, 2 * k))
                w[:, 2 * c : 2 * c + 2] = rng.uniform(0.1, 1.0, (n, 2))
            else:
                w = rng.uniform(0.1, 1.0, (n, n))
            nodes[f"w{layer}{c}"] = {"type": "Linear", "weight": w}
            nodes[f"{layer}{c}"] = {**lif(n), "tau": np.full(n, 1e-3), "r": np.full(n, 10.0)}
            edges += [("in" if src is None else f"{src}{c}", f"w{layer}{c}"), (f"w{layer}{c}", f"{layer}{c}")]
    for c in range(k):
        nodes[f"o{c}"] = out(n)
        edges.append((f"c{c}", f"o{c}"))
    return graph(nodes, edges)


def test_placement_spreads_over_chips_and_keeps_columns_together() -> None:
    m = module(columns(k=160, n=10))
    for step in NirToSpiNNaker2Pass(dt=DT).steps()[:-1]:
        step.apply(Context(), m)
    plan, _ = traffic_plan(m)
    assert len(plan.sizes) > 3 * 152  # four chips
    greedy, naive = grow(plan, 152), in_order(plan, 152)
    for chips in (greedy, naive):
        assert max(np.bincount(chips)) <= 152
    assert inter_chip(plan, greedy) * 2 <= inter_chip(plan, naive)
    NirToSpiNNaker2Pass(dt=DT).steps()[-1].apply(Context(), m)
    for op in top_graph(m).body.block.ops:
        if isinstance(op, PopulationOp):
            assert int(op.param("slice_neurons").max()) <= int(op.max_atoms_per_core.value.data)


def test_too_many_pes_is_refused() -> None:
    """More PEs than a 48-chip board holds: one violation, no node."""
    m = module(
        graph(
            {
                "in": inp(2),
                "w": {"type": "Linear", "weight": np.ones((2_000_000, 2))},
                "n": lif(2_000_000),
                "out": out(2_000_000),
            },
            [("in", "w"), ("w", "n"), ("n", "out")],
        )
    )
    with pytest.raises(Violations) as err:
        for step in NirToSpiNNaker2Pass(dt=DT).steps():
            step.apply(Context(), m)
    assert [v.rule for v in err.value.violations] == ["spinnaker2-chips"]


@pytest.mark.parametrize(("stride", "pad", "atoms"), [(1, 1, 7), (2, 0, 5), (2, 1, 250)])
def test_conv_traffic_from_geometry_is_the_dense_patterns(stride: int, pad: int, atoms: int) -> None:
    """The traffic of a Conv2DProjection computed from its geometry equals the count from
    its unrolled (post, pre) matrix, slice by slice."""
    from nirc.dialects.nir.kernels import conv_nd
    from nirc.targets.spinnaker2.place import Plan, _add_conv, _add_dense, slices

    rng = np.random.default_rng(stride + pad)
    c = {**conv(3, 2, 3, stride=stride, pad=pad), "weight": rng.uniform(0.5, 1.0, (3, 2, 3, 3))}
    size = (7 + 2 * pad - 3) // stride + 1
    d = graph(
        {"in": inp(2, 7, 7), "c": c, "n": lif(3, size, size), "out": out(3, size, size)},
        [("in", "c"), ("c", "n"), ("n", "out")],
    )
    m = module(d)
    for step in NirToSpiNNaker2Pass(dt=DT).steps()[:-1]:
        step.apply(Context(), m)
    (syn,) = [op for op in top_graph(m).body.block.ops if op.name == "spinnaker2.conv2d"]
    pre_sizes, post_sizes = slices(2 * 49, atoms), slices(3 * size * size, atoms)
    pre, post = range(len(pre_sizes)), range(len(pre_sizes), len(pre_sizes) + len(post_sizes))
    fast, dense = Plan(), Plan()
    _add_conv(fast, syn, pre, post, pre_sizes, post_sizes)
    pt, pb, pl, pr = syn.param("padding").tolist()
    eye = np.eye(98).reshape(98, 2, 7, 7)
    pattern = conv_nd(
        eye, np.abs(np.asarray(syn.param("weight"), np.float64)), (stride, stride), ((pt, pb), (pl, pr)), (1, 1), 1
    )
    _add_dense(dense, pattern.reshape(98, -1).T != 0, pre, post, pre_sizes, post_sizes)
    assert fast.traffic == dense.traffic and fast.traffic


def test_more_than_s2_nir_handles(tmp_path: Path) -> None:
    """A Linear -> Linear chain (s2_nir: two weight nodes in a row) is one projection, and
    a CubaLIF after a Conv2d (s2_nir: an assertion) reads the convolution as a connection
    list; the emitted script fires as nir-run predicts."""
    rng = np.random.default_rng(4)
    c = {**conv(2, 1, 3, pad=1), "weight": rng.uniform(-0.5, 1.5, (2, 1, 3, 3))}
    shape = (2, 5, 5)
    h = cuba(50, tau_mem=np.full(50, 4e-4), tau_syn=np.full(50, 2e-4), r=np.full(50, 4.0))
    h = {k: (v.reshape(shape) if isinstance(v, np.ndarray) and v.size == 50 else v) for k, v in h.items()}
    d = graph(
        {
            "in": inp(1, 5, 5),
            "c": c,
            "h": h,
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array(shape)},
            "a": {"type": "Linear", "weight": rng.uniform(-0.2, 0.6, (8, 50))},
            "b": {"type": "Linear", "weight": rng.uniform(-0.2, 0.6, (3, 8))},
            "n": {**lif(3), "tau": np.full(3, 4e-4), "r": np.full(3, 4.0)},
            "out": out(3),
        },
        [("in", "c"), ("c", "h"), ("h", "f"), ("f", "a"), ("a", "b"), ("b", "n"), ("n", "out")],
    )
    path = tmp_path / "m.nir"
    nirc.write(module(d), path)
    report = translate(path, tmp_path / "o")
    assert [row["neuron_model"] for row in report["populations"]] == ["lif_curr_exp_no_delay", "lif_no_delay"]
    ops = [op.name for op in top_graph(nirc.read(tmp_path / "o" / "model.mlir")).body.block.ops]
    assert ops.count("spinnaker2.projection") == 2 and "spinnaker2.conv2d" not in ops
    x = spikes((2, 60, 1, 5, 5), p=0.5, seed=3)
    want = nirc.run(nirc.read(tmp_path / "o" / "model.mlir"), x).outputs["out"]
    assert want.sum() > 0
    np.testing.assert_array_equal(standin_run(tmp_path / "o", x)["out"], want)
