"""``convert-snn-to-xylo`` computes what the `snn` model does, up to what the chip changes.

On models whose numbers the chip holds exactly — decays ``1 - 2^-dash``, input gains 1,
integer weights, thresholds and biases, a few steps (so every float is exact) — the
float `xylo` ops (``nir-to-xylo{quantize=false}``) must give the `snn` model's spikes
exactly, the readout's one step late (hidden-to-readout weights deliver a step late on
Xylo).  Random layered models (hypothesis) and the paper's Braille SRNN (the agreement
of its report) check the conversion; ``test_xylo_kernel.py`` checks the chip's integer
arithmetic against xylosim.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import builders as b
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.context import Context

import nirc
from nirc.core.dense import DenseAttr
from nirc.core.verify import verify_module
from nirc.dialects import snn
from nirc.dialects.nir import top_graph
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.nir_to_xylo import NirToXyloPass
from nirc.targets.xylo.target import TARGET


def _cuba(n: int, recurrent: bool) -> dict[str, Any]:
    return {
        "type": "CubaLIF",
        "tau_mem": np.full(n, 0.01, np.float32),
        "tau_syn": np.full(n, 0.005, np.float32),
        "r": np.ones(n, np.float32),
        "v_leak": np.zeros(n, np.float32),
        "v_threshold": np.ones(n, np.float32),
        "v_reset": np.zeros(n, np.float32),
        "w_in": np.ones(n, np.float32),
    }


def _model(sizes: list[int], weights: list[np.ndarray], recurrent: np.ndarray | None) -> dict[str, Any]:
    """in -> w0 -> n0 [-> w_rec -> n0] -> w1 -> n1 ... -> out, CubaLIF neurons."""
    nodes: dict[str, Any] = {"in": b.inp(sizes[0])}
    edges, prev = [], "in"
    for i, w in enumerate(weights):
        nodes[f"w{i}"] = {"type": "Linear", "weight": w.astype(np.float32)}
        nodes[f"n{i}"] = _cuba(sizes[i + 1], False)
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        prev = f"n{i}"
    if recurrent is not None:
        nodes["rec"] = {"type": "Linear", "weight": recurrent.astype(np.float32)}
        edges += [("n0", "rec"), ("rec", "n0")]
    nodes["out"] = b.out(sizes[-1])
    edges.append((prev, "out"))
    return b.graph(nodes, edges)


def _exact(module: Any, dashes: dict[str, tuple[int, int]], thresholds: dict[str, np.ndarray]) -> None:
    """Give every `snn` neuron decays the chip holds, unit gains, integer thresholds;
    the readout (read by the Output) one spike per step, as the chip's."""
    graph = top_graph(module)
    out_reader = next(op for op in graph.body.block.ops if op.name == "nir.output").operands[0].owner
    for op in graph.body.block.ops:
        if not isinstance(op, snn.NEURON_OPS):
            continue
        dm, ds = dashes[op.nir_name]
        n = op.param("decay").shape
        op.properties["decay"] = DenseAttr.from_array(np.full(n, 1 - 2.0**-dm))
        op.properties["syn_decay"] = DenseAttr.from_array(np.full(n, 1 - 2.0**-ds))
        for key in ("gain", "syn_gain"):
            op.properties[key] = DenseAttr.from_array(np.ones(n))
        op.properties["bias"] = DenseAttr.from_array(np.zeros(n))
        op.properties["threshold"] = DenseAttr.from_array(thresholds[op.nir_name].astype(np.float64))
        if op is out_reader:
            op.properties.pop("multi_spike", None)
    verify_module(module)


@st.composite
def _cases(draw: st.DrawFn) -> dict[str, Any]:
    depth = draw(st.integers(1, 2))
    sizes = [draw(st.integers(1, 3))] + [draw(st.integers(1, 5)) for _ in range(depth + 1)]
    weights = [
        np.array(draw(st.lists(st.integers(-3, 2), min_size=sizes[i] * sizes[i + 1], max_size=sizes[i] * sizes[i + 1])))
        .reshape(sizes[i + 1], sizes[i])
        .astype(np.float64)
        for i in range(depth + 1)
    ]
    recurrent = None
    if draw(st.booleans()):
        k = sizes[1]
        # inhibitory: a hidden neuron then never reaches the chip's 31 spikes per step
        recurrent = np.array(draw(st.lists(st.integers(-2, 0), min_size=k * k, max_size=k * k))).reshape(k, k)
    names = [f"n{i}" for i in range(depth + 1)]
    dashes = {name: (draw(st.integers(0, 2)), draw(st.integers(1, 2))) for name in names}
    thresholds = {
        name: np.array([draw(st.integers(1, 4)) for _ in range(sizes[i + 1])]) for i, name in enumerate(names)
    }
    x = np.array(draw(st.lists(st.integers(0, 1), min_size=12 * sizes[0], max_size=12 * sizes[0]))).reshape(
        1, 12, sizes[0]
    )
    return {
        "sizes": sizes,
        "weights": weights,
        "recurrent": recurrent,
        "dashes": dashes,
        "thresholds": thresholds,
        "x": x,
    }


def _snn_and_chip(case: dict[str, Any]) -> tuple[Any, Any]:
    module = nirc.module_from_dict(_model(case["sizes"], case["weights"], case["recurrent"]))
    pipeline = NirToXyloPass(dt=1e-3, quantize=False)
    ctx = Context()
    for step in pipeline.front():
        step.apply(ctx, module)
    _exact(module, case["dashes"], case["thresholds"])
    chip = module.clone()
    for step in pipeline.back():
        step.apply(ctx, chip)
        verify_module(chip)
    return module, chip


@settings(max_examples=60, deadline=None)
@given(_cases())
def test_float_xylo_ops_spike_as_the_snn_model_one_step_late(case: dict[str, Any]) -> None:
    """Single-hidden-layer models: the readout is the snn model's, one step late; with two
    hidden layers the second hidden layer is a step late too (two steps at the readout).
    Inputs of at most 3 channels with weights of at most 2 keep a hidden neuron below the
    chip's cap of 31 spikes per step."""
    model, chip = _snn_and_chip(case)
    x = case["x"].astype(np.float64)
    ref = nirc.run(model, x, dtype="float64").outputs["out"]
    got = nirc.run(chip, x, dtype="float64").outputs["out"]
    latency = len(case["weights"]) - 1
    np.testing.assert_array_equal(got[:, latency:], ref[:, : x.shape[1] - latency])
    assert not got[:, :latency].any()  # nothing has reached the readout yet


def test_the_conversion_keeps_every_weight_where_its_ids_say() -> None:
    """Two hidden populations: their ids, and the blocks of w_in, w_rec and w_out."""
    rng = np.random.default_rng(0)
    w0, w1, w2 = (rng.integers(-3, 4, size=s).astype(np.float64) for s in ((3, 2), (4, 3), (2, 4)))
    case = {
        "sizes": [2, 3, 4, 2],
        "weights": [w0, w1, w2],
        "recurrent": None,
        "dashes": {"n0": (1, 1), "n1": (2, 1), "n2": (1, 2)},
        "thresholds": {"n0": np.ones(3), "n1": np.ones(4), "n2": np.ones(2)},
        "x": np.zeros((1, 1, 2)),
    }
    _, chip = _snn_and_chip(case)
    ops = list(top_graph(chip).body.block.ops)
    hidden = next(op for op in ops if isinstance(op, xylo.HiddenOp))
    readout = next(op for op in ops if isinstance(op, xylo.ReadoutOp))
    assert hidden.population_map() == [("n0", 0, 3), ("n1", 3, 4)]
    assert readout.population_map() == [("n2", 0, 2)]
    shift_h, shift_r = 2.0 ** hidden.shift("weight_shift_in"), 2.0 ** readout.shift("weight_shift_out")
    # weights are scaled by 1 / (1 - 2^-dash_syn): 2 for dash_syn = 1, 4/3 for 2
    np.testing.assert_allclose(hidden.param("w_in")[:3, :, 0] * shift_h, w0 * 2)
    np.testing.assert_allclose(hidden.param("w_in")[3:, :, 0], 0)
    np.testing.assert_allclose(hidden.param("w_rec")[3:, :3, 0] * shift_h, w1 * 2)
    np.testing.assert_allclose(hidden.param("w_rec")[:3, :, 0], 0)
    np.testing.assert_allclose(readout.param("w_out")[:, 3:] * shift_r, w2 * 4 / 3, rtol=1e-6)
    np.testing.assert_allclose(readout.param("w_out")[:, :3], 0)
    np.testing.assert_array_equal(hidden.param("dash_mem"), [1, 1, 1, 2, 2, 2, 2])


def test_braille_report_measures_the_chip_against_the_model(corpus: Any) -> None:
    """The paper's Braille SRNN on Audio 2 at its training dt: quantization keeps the
    float chip model's spikes closely; the report gives both agreements."""
    module = nirc.read(corpus / "braille_noDelay_bias_zero.nir")
    _, report = TARGET.compile(module, chip="audio2", dt=1e-4)
    agree = report["agreement"]
    assert agree["latency_steps"] == 1
    assert agree["input"]["random"] is True
    assert 0 < agree["chip_spikes"] and 0 < agree["model_spikes"]
    # quantization costs little against the float chip model
    assert abs(agree["chip_spikes"] - agree["float_chip"]["chip_spikes"]) <= 0.05 * agree["float_chip"]["chip_spikes"]
    pops = {row["node"]: row for row in report["populations"]}
    assert pops["lif1.lif"]["population"] == "hidden" and pops["lif2"]["population"] == "readout"
    assert pops["lif1.lif"]["tau_mem"]["dash"] == 3  # tau_mem / dt = 10
    for row in report["quantization"]:
        assert row["weight_rel_error"] < 0.05


def test_a_recurrence_through_a_linear_shared_with_the_next_layer() -> None:
    """canonicalize merges a recurrent Linear equal to the next layer's into one node;
    snn-fuse-recurrent fuses the recurrence with a copy of the weights and keeps the
    Linear for the next layer: still spike for spike on the chip, one step late."""
    w = np.array([[0.0, 2.0, -1.0], [1.0, 0.0, 0.0], [0.0, -2.0, 1.0]])
    case = {
        "sizes": [2, 3, 3],
        "weights": [np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), w],
        "recurrent": w,
        "dashes": {"n0": (1, 1), "n1": (1, 1)},
        "thresholds": {"n0": np.ones(3), "n1": np.ones(3)},
        "x": (np.arange(24).reshape(1, 12, 2) % 3 == 0).astype(np.float64),
    }
    model, chip = _snn_and_chip(case)
    names = [op.name for op in top_graph(model).body.block.ops]
    assert "snn.rsynaptic" in names or "snn.rleaky" in names
    assert "nir.linear" in names and "snn.delay" not in names
    ref = nirc.run(model, case["x"], dtype="float64").outputs["out"]
    got = nirc.run(chip, case["x"], dtype="float64").outputs["out"]
    np.testing.assert_array_equal(got[:, 1:], ref[:, :-1])
    assert ref.any()


def test_the_shipped_example_compiles_with_a_synaptic_shift_of_at_least_one() -> None:
    """nirc/examples/srnn.nir has a synaptic decay that rounds to dash 0, which would clear
    the chip's current before the membrane reads it (and divided the weights by zero):
    the synaptic shift is at least 1 and every weight finite."""
    example = Path(nirc.__file__).parent / "examples" / "srnn.nir"
    chip, _ = TARGET.compile(nirc.read(example), agreement=False)
    ops = list(top_graph(chip).body.block.ops)
    for op in ops:
        if isinstance(op, (xylo.HiddenOp, xylo.ReadoutOp)):
            assert int(op.param("dash_syn").min()) >= 1
