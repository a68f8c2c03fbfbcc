"""The Speck target on inputs other than a plain `nir` CNN: models legalized or
quantized already, blocks out of order, shared and chained poolings, integer-typed
weights, outputs read twice, the DVS layer's configuration, the output directory, and
the generic target options of ``nir-translate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import conv, graph, iff, inp, module, out, pool, single
from conftest import run_tool
from test_speck_rules import SINABS
from xdsl.context import Context

import nirc
from nirc.core.errors import NircError, Violations
from nirc.core.extension import Extension, register, unregister
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import count_agreement
from nirc.io.text import module_to_text, parse_module
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.targets.speck import dialect as speck
from nirc.targets.speck import emit
from nirc.targets.speck.convert_snn_to_speck import ConvertSnnToSpeckPass
from nirc.targets.speck.nir_to_speck import NirToSpeckPass
from nirc.targets.speck.target import TARGET


def compiled(d: dict, **options) -> object:
    m = module(d)
    NirToSpeckPass(**options).apply(Context(), m)
    return m


def layers(m) -> list[speck.LayerOp]:
    return [op for op in top_graph(m).body.block.ops if isinstance(op, speck.LayerOp)]


def events(shape: tuple[int, ...], steps: int = 30, batch: int = 3, p: float = 0.2, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random((steps, batch, *shape)) < p).astype(np.float64)


# ------------------------------------------------------------ legalized input
def _stride(text: str, name: str, stride: int) -> str:
    """``text`` with layer ``name``'s stride set to ``stride``."""
    head, rest = text.split(f'speck.layer "{name}"', 1)
    before, after = rest.split("stride = #nir.dense<2xi64: ", 1)
    _, after = after.split(">", 1)
    return f'{head}speck.layer "{name}"{before}stride = #nir.dense<2xi64: {stride}>{after}'


@pytest.fixture(scope="module")
def sinabs_speck() -> str:
    return module_to_text(TARGET.compile(nirc.read(SINABS), agreement=False)[0])


def test_a_compiled_model_compiles_to_the_same_configuration(sinabs_speck: str, tmp_path: Path) -> None:
    (tmp_path / "model.mlir").write_text(sinabs_speck)
    again = TARGET.emit(parse_module(sinabs_speck), tmp_path / "a")
    first = json.loads((tmp_path / "a" / "speck_config.json").read_text())
    report, _ = TARGET.compile(nirc.read(SINABS), agreement=False)[1], None
    assert [row["quantized"] for row in again["layers"]] == ["in the input"] * 5
    assert all("scale" not in row and "count_agreement" not in row for row in again["layers"])
    assert [row["core"] for row in again["layers"]] == [row["core"] for row in report["layers"]]
    assert first["cnn_layers"].keys() == {str(c) for c in range(5)}


def test_a_legalized_model_is_checked_like_any_other(tmp_path: Path) -> None:
    """Rules run on ``speck.layer`` s too: a hand-edited stride of 3 is refused (a 1x1
    map, so the edit changes no shape)."""
    c, _ = TARGET.compile(module(single((2, 1, 1), conv(4, 2, 1), (4, 1, 1))), agreement=False)
    text = module_to_text(c)
    assert "stride = #nir.dense<2xi64: 1>" in text
    bad = tmp_path / "bad.mlir"
    bad.write_text(text.replace("stride = #nir.dense<2xi64: 1>", "stride = #nir.dense<2xi64: 3>"))
    res = run_tool("nir-translate", bad, "--target=speck", "-o", tmp_path / "out", "--report=json")
    assert res.code == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert "node 'n': stride [3, 3]" in res.stderr and "[speck-stride]" in res.stderr
    assert json.loads(res.stdout)["violations"][0] | {"message": None} == {
        "rule": "speck-stride",
        "node": "n",
        "message": None,
        "limit": [1, 2, 4, 8],
        "actual": [3, 3],
    }
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (lambda t: t.replace("bias = #nir.dense<16xi8: 0>", "bias = #nir.dense<16xi16: 300>", 1), "speck-quantized"),
        (
            lambda t: t.replace("threshold = #nir.dense<i16: 72>", "threshold = #nir.dense<i32: 40000>", 1),
            "speck-quantized",
        ),
        (
            lambda t: t.replace("scale = #nir.dense<f64: 71.53691402826414>", "scale = #nir.dense<f64: -1.0>", 1),
            "speck-quantized",
        ),
    ],
)
def test_the_verifier_holds_integers_to_the_chip(sinabs_speck: str, tmp_path: Path, edit, rule: str) -> None:
    text = edit(sinabs_speck)
    assert text != sinabs_speck, "the edit did not apply: the fixture changed"
    path = tmp_path / "m.mlir"
    path.write_text(text)
    res = run_tool("nir-translate", path, "--target=speck", "-o", tmp_path / "out")
    assert res.code == 1 and f"[{rule}]" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert not (tmp_path / "out").exists()


def to_layers(m: Any) -> None:
    """Float ``speck.layer`` s: the model discretized as nir-to-speck does, then cut into cores."""
    ConvertNirToSnnPass(dt=1e-4, semantics="speck").apply(Context(), m)
    ConvertSnnToSpeckPass().apply(Context(), m)


def test_the_emitter_refuses_unplaced_layers() -> None:
    m = module(single((2, 8, 8), conv(4, 2, 3, pad=1), (4, 8, 8)))
    to_layers(m)
    with pytest.raises(NircError, match=r"placed, quantized.*\[speck-emit\]"):
        emit.config(top_graph(m))


# ------------------------------------------------------------ graph shapes
def test_a_block_in_reverse_order_compiles_and_runs_the_same(tmp_path: Path) -> None:
    d = graph(
        {
            "in": inp(2, 8, 8),
            "c0": conv(4, 2, 3, pad=1),
            "n0": iff(4, 8, 8),
            "c1": conv(4, 4, 3, pad=1),
            "n1": iff(4, 8, 8),
            "out": out(4, 8, 8),
        },
        [("in", "c0"), ("c0", "n0"), ("n0", "c1"), ("c1", "n1"), ("n1", "out")],
    )
    m = module(d)
    block = top_graph(m).body.block
    ops = list(block.ops)
    for op in ops:
        op.detach()
    for op in reversed(ops):
        block.add_op(op)
    assert isinstance(next(iter(block.ops)), nir.OutputOp)
    x = events((2, 8, 8))
    want = nirc.run(m, x, semantics="speck").outputs["out"]
    c, report = TARGET.compile(m)
    assert [row["layer"] for row in report["layers"]] == ["n0", "n1"]
    assert [int(op.core.value.data) for op in layers(c)] != [] and len(report["layers"]) == 2
    float_speck = m.clone()
    NirToSpeckPass(quantize=False).apply(Context(), float_speck)
    assert np.array_equal(nirc.run(float_speck, x).outputs["out"], want)


def test_shared_and_chained_poolings_are_each_layers_own() -> None:
    """A SumPool2d read by two layers, and two 2x2 poolings in a row (one of 4):
    sinabs accepts both, and the float layers spike exactly as the reference.  The two
    equal convolutions after the shared pooling are merged by canonicalize: one Conv2d
    read by two neurons, each a core with a copy of the kernel."""
    d = graph(
        {
            "in": inp(1, 16, 16),
            "c0": conv(2, 1, 3, pad=1),
            "n0": iff(2, 16, 16),
            "p": pool(2),
            "a": conv(2, 2, 1),
            "na": iff(2, 8, 8),
            "oa": out(2, 8, 8),
            "b": conv(2, 2, 1),
            "nb": iff(2, 8, 8),
            "ob": out(2, 8, 8),
            "q1": pool(2),
            "q2": pool(2),
            "e": conv(2, 2, 1),
            "ne": iff(2, 2, 2),
            "oe": out(2, 2, 2),
        },
        [
            ("in", "c0"),
            ("c0", "n0"),
            ("n0", "p"),
            ("p", "a"),
            ("a", "na"),
            ("na", "oa"),
            ("p", "b"),
            ("b", "nb"),
            ("nb", "ob"),
            ("na", "q1"),
            ("q1", "q2"),
            ("q2", "e"),
            ("e", "ne"),
            ("ne", "oe"),
        ],
    )
    m = module(d)
    x = events((1, 16, 16), p=0.5)
    want = nirc.run(m, x, semantics="speck").outputs
    f = m.clone()
    NirToSpeckPass(quantize=False).apply(Context(), f)
    pools = {op.nir_name: op.geometry()[2] for op in layers(f)}
    assert pools == {"n0": (1, 1), "na": (2, 2), "nb": (2, 2), "ne": (4, 4)}
    got = nirc.run(f, x).outputs
    for key in ("oa", "ob", "oe"):
        assert np.array_equal(got[key], want[key]), key
    assert want["oe"].any(), "the example should spike"


def test_integer_typed_weights_stay_float_until_quantized() -> None:
    c = conv(2, 2, 1)
    c["weight"] = np.full((2, 2, 1, 1), 3, np.int32)
    c["bias"] = np.zeros(2, np.int32)
    m = module(single((2, 4, 4), c, (2, 4, 4), iff(2, 4, 4, r=0.5, th=2.0)))
    to_layers(m)
    (op,) = layers(m)
    assert op.param("weight").dtype.kind == "f" and not op.quantized
    assert np.allclose(op.param("weight"), 1.5)  # r folded, not truncated


def test_an_output_read_twice_gets_one_flatten() -> None:
    lin = {"type": "Linear", "weight": np.full((3, 4), 0.5, np.float32)}
    d = graph(
        {
            "in": inp(4, 1, 1),
            "f": {
                "type": "Flatten",
                "start_dim": np.array(0),
                "end_dim": np.array(-1),
                "input_type": np.array([4, 1, 1]),
            },
            "c": lin,
            "n": iff(3),
            "o1": out(3),
            "o2": out(3),
        },
        [("in", "f"), ("f", "c"), ("c", "n"), ("n", "o1"), ("n", "o2")],
    )
    m = compiled(d)
    flats = [op for op in top_graph(m).body.block.ops if isinstance(op, nir.FlattenOp)]
    assert [op.nir_name for op in flats] == ["n.flatten"]


# ------------------------------------------------------------ the DVS layer
@pytest.mark.parametrize(
    ("channels", "via", "merge"), [(1, "dvs_layer", True), (2, "dvs_layer", False), (3, "core", False)]
)
def test_the_input_goes_through_the_dvs_layer_when_it_can(channels: int, via: str, merge: bool) -> None:
    m = compiled(single((channels, 8, 6), conv(2, channels, 1), (2, 8, 6)))
    spec, _ = emit.config(top_graph(m))
    assert spec["input"]["via"] == via and spec["dvs_layer"]["merge"] is merge
    enabled = [d["layer"] for d in spec["dvs_layer"]["destinations"] if d["enable"]]
    assert enabled == ([0] if via == "dvs_layer" else [])
    assert spec["input"]["cores"] == [0]
    if via == "dvs_layer":
        assert spec["dvs_layer"]["cut"] == {"x": 5, "y": 7}


# ------------------------------------------------------------ outputs and options
def test_a_users_directory_is_never_replaced(tmp_path: Path) -> None:
    model = tmp_path / "m.nir"
    nirc.write(module(single((2, 8, 8), conv(4, 2, 3, pad=1), (4, 8, 8))), model)
    mine = tmp_path / "results"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    res = run_tool("nir-translate", model, "--target=speck", "-o", mine)
    assert res.code == 1 and "[file]" in res.stderr and "Traceback" not in res.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_tool("nir-translate", model, "--target=speck", "-o", empty).code == 0
    assert (empty / "speck_config.json").exists()


def test_target_options_come_from_the_target(tmp_path: Path) -> None:
    model = tmp_path / "m.nir"
    nirc.write(module(single((2, 8, 8), conv(4, 2, 3, pad=1), (4, 8, 8))), model)
    res = run_tool(
        "nir-translate",
        model,
        "--target=speck",
        "-o",
        tmp_path / "o",
        "--reset",
        "zero",
        "--no-agreement",
        "--report=json",
    )
    assert res.code == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["agreement_input"] is None and "count_agreement" not in report["layers"][0]
    assert json.loads((tmp_path / "o" / "speck_config.json").read_text())["cnn_layers"]["0"]["return_to_zero"] is True
    res = run_tool("nir-translate", model, "--target=speck", "-o", tmp_path / "p", "--no-such-option")
    assert res.code == 2 and "unrecognized arguments: --no-such-option" in res.stderr
    assert not (tmp_path / "p").exists()
    res = run_tool("nir-translate", model, "--target=speck", "--help")
    assert res.code == 0 and "options of --target=speck" in res.stdout and "--reset {subtract,zero}" in res.stdout


class _Plain:
    """A target without options or summary."""

    name = "plain"

    def emit(self, module, outdir, **options):
        assert options == {}
        Path(outdir).mkdir()
        return {"target": "plain", "ok": True}


def test_a_target_without_options_or_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nirc.tools.nir_translate import main

    register(Extension(name="plain-test", targets=[_Plain()]))
    try:
        model = tmp_path / "m.nir"
        nirc.write(module(single((2, 8, 8), conv(4, 2, 3, pad=1), (4, 8, 8))), model)
        with pytest.raises(SystemExit) as exit_:
            main([str(model), "--target=plain", "-o", str(tmp_path / "o")])
        assert exit_.value.code in (0, None)
        assert capsys.readouterr().out.strip() == f"nir-translate: wrote plain artefacts to {tmp_path / 'o'}"
        with pytest.raises(SystemExit) as exit_:
            main([str(model), "--target=plain", "-o", str(tmp_path / "q"), "--reset", "zero"])
        assert exit_.value.code == 2
    finally:
        unregister("plain-test")


def test_count_agreement_is_a_similarity() -> None:
    a = np.array([3.0, 0.0, 2.0])
    assert count_agreement(a, a) == 1.0 and count_agreement(np.zeros(3), np.zeros(3)) == 1.0
    assert count_agreement(a, np.zeros(3)) == 0.0
    assert count_agreement(a, 10 * a) == pytest.approx(0.1)  # never negative
    assert count_agreement(a, np.array([2.0, 1.0, 2.0])) == pytest.approx(4 / 6)


def test_violations_print_every_line() -> None:
    with pytest.raises(Violations) as err:
        to_layers(module(single((2, 8, 8), conv(4, 2, 3, stride=3), (4, 2, 2))))
    assert "[speck-stride]" in str(err.value)
