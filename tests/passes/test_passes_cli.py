"""The passes on the command line: bad pipelines and options, pass failures, IR dumps,
and ``nir-run`` on a discretized model (DESIGN.md decision 6: one line, the node and
the rule, a non-zero exit -- 2 for bad usage, 1 for bad input -- no traceback and no
partial output file)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import nirc

PASSES = (
    "canonicalize",
    "convert-nir-to-snn",
    "lower-composites",
    "nir-fuse-recurrent",
    "nir-to-snn",
    "snn-fuse-recurrent",
)


def _io(n: int, kind: str) -> dict:
    return {"type": kind, "shape": np.array([n])}


#: in -> w -> 'my lif.1' (LIF, with a recurrence through 'rec') -> out
LIF_GRAPH = {
    "type": "NIRGraph",
    "nodes": {
        "in": _io(2, "Input"),
        "w": {"type": "Linear", "weight": np.array([[1.0, 0.5], [0.2, 2.0]])},
        "my lif.1": {
            "type": "LIF",
            "tau": np.array([1e-3, 2e-3]),
            "r": np.array([2.0, 3.0]),
            "v_leak": np.zeros(2),
            "v_threshold": np.ones(2),
            "v_reset": np.zeros(2),
        },
        "rec": {"type": "Linear", "weight": np.array([[0.3, -0.2], [0.1, 0.4]])},
        "out": _io(2, "Output"),
    },
    "edges": [("in", "w"), ("w", "my lif.1"), ("my lif.1", "rec"), ("rec", "my lif.1"), ("my lif.1", "out")],
    "metadata": {},
}


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "lif.nir"
    nirc.write(nirc.module_from_dict(LIF_GRAPH), path)
    return path


@pytest.fixture
def spikes(tmp_path: Path) -> Path:
    path = tmp_path / "x.npy"
    np.save(path, (np.random.default_rng(0).random((2, 25, 2)) < 0.5).astype(np.float32))
    return path


def one_line_error(res, code: int, tool: str = "nir-opt") -> str:
    """The result failed with ``code`` and one error line (no traceback); that line."""
    assert res.code == code, (res.code, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"{tool}: error: "), lines[0]
    assert "internal error" not in lines[0], lines[0]
    assert res.stdout == "", res.stdout
    return lines[0]


# --------------------------------------------------------------------------------------
# Bad pipelines and options: exit 2
# --------------------------------------------------------------------------------------


def test_unknown_pass_lists_valid_passes(tool, model: Path) -> None:
    line = one_line_error(tool("nir-opt", model, "-p", "lower-composite"), 2)
    assert "unknown pass 'lower-composite'" in line
    for name in PASSES:
        assert name in line


def test_unknown_pass_in_the_middle_of_a_pipeline(tool, model: Path) -> None:
    line = one_line_error(tool("nir-opt", model, "-p", "canonicalize,frobnicate,nir-to-snn{dt=1e-4}"), 2)
    assert "unknown pass 'frobnicate'" in line and "canonicalize" in line


@pytest.mark.parametrize(
    ("pipeline", "valid"),
    [
        (
            "convert-nir-to-snn{dt=1e-4 frob=1}",
            ("dt", "semantics", "reset", "compare", "spike-timing", "input-delay", "dtype"),
        ),
        ("lower-composites{kinds=lif}", ("only",)),
        ("canonicalize{fold_scale=false}", ("fold",)),
        ("nir-to-snn{dt=1e-4 frob=1}", ("dt", "semantics", "fold")),
    ],
)
def test_unknown_option_lists_valid_options(tool, model: Path, pipeline: str, valid: tuple[str, ...]) -> None:
    line = one_line_error(tool("nir-opt", model, "-p", pipeline), 2)
    name = pipeline.split("{")[0]
    assert f"bad options for pass '{name}'" in line
    options = line.rsplit("(options:", 1)[1]
    for option in valid:
        assert option in options, (option, line)


@pytest.mark.parametrize(
    ("pipeline", "says"),
    [
        ("convert-nir-to-snn{dt=1e-4 semantics=foo}", "unknown semantics 'foo'"),
        ("convert-nir-to-snn{dt=1e-4 reset=maybe}", "reset must be one of value, subtract, none"),
        ("convert-nir-to-snn{dt=1e-4 compare=<}", "compare"),
        ("convert-nir-to-snn{dt=1e-4 dtype=float16}", "dtype must be float32 or float64"),
        ("convert-nir-to-snn{dt=1e-4 input_delay=-1}", "input-delay"),
        ("convert-nir-to-snn{dt=-1.0}", "dt must be a positive number"),
        ("convert-nir-to-snn{dt=abc}", "dt must be a number"),
        ("lower-composites{only=foo}", "unknown kind 'foo'"),
        ("lower-composites{only=lif,foo}", "unknown kind 'foo'"),
        ("canonicalize{fold=maybe}", "canonicalize"),
        ("nir-to-snn{dt=1e-4 semantics=foo}", "unknown semantics 'foo'"),
        ("canonicalize{fold=maybe}", "fold must be true or false, got 'maybe'"),
        ("quantize{weight-bits=x}", "weight-bits must be a whole number, got 'x'"),
        ("quantize{weight-bits=8.5}", "weight-bits must be a whole number, got 8.5"),
        ("convert-nir-to-snn{dt=1e-4 input-delay=one}", "input-delay must be a whole number, got 'one'"),
    ],
)
def test_bad_option_value(tool, model: Path, pipeline: str, says: str) -> None:
    line = one_line_error(tool("nir-opt", model, "-p", pipeline), 2)
    assert says in line, line


def test_bad_option_value_as_a_flag(tool, model: Path) -> None:
    line = one_line_error(tool("nir-opt", model, "--convert-nir-to-snn=dt=1e-4 semantics=foo"), 2)
    assert "unknown semantics 'foo'" in line


@pytest.mark.parametrize(
    "pipeline",
    [
        "convert-nir-to-snn{dt=",
        "convert-nir-to-snn{dt=1e-4",
        "canonicalize{fold=false}}",
        "lower-composites,,canonicalize",
        "{dt=1e-4}",
    ],
)
def test_malformed_pipeline(tool, model: Path, pipeline: str) -> None:
    line = one_line_error(tool("nir-opt", model, "-p", pipeline), 2)
    assert "pipeline" in line or "pass" in line, line


def test_integer_dt_is_accepted(tool, model: Path) -> None:
    """dt=1 (a whole number of seconds; xDSL's lexer makes it an int) is a valid dt
    (found by these tests: it once failed with 'Incompatible types')."""
    res = tool("nir-opt", model, "-p", "convert-nir-to-snn{dt=1}")
    assert res.code == 0, res.stderr
    assert "snn.discretization" in res.stdout


@pytest.mark.parametrize("as_flag", [False, True])
def test_file_names_and_operators_need_no_quotes(tool, model: Path, tmp_path: Path, as_flag: bool) -> None:
    """``compare=>=`` and a path with dots and slashes, typed bare, as a -p spec and a flag."""
    snn = tmp_path / "m.snn.mlir"
    options = "dt=1e-4 compare=>="
    args = [f"--convert-nir-to-snn={options}"] if as_flag else ["-p", f"convert-nir-to-snn{{{options}}}"]
    res = tool("nir-opt", model, *args, "-o", snn)
    assert res.code == 0, res.stderr
    assert 'compare = ">="' in snn.read_text() and 'compare = ">"' not in snn.read_text()
    report = tmp_path / "sub.dir" / "q.json"
    report.parent.mkdir()
    res = tool("nir-opt", snn, "-p", f"quantize{{weight-bits=8 report={report}}}")
    assert res.code == 0, res.stderr
    assert json.loads(report.read_text())["options"]["weight-bits"] == 8


# --------------------------------------------------------------------------------------
# Passes failing on the model: exit 1
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("pipeline", ["convert-nir-to-snn", "convert-nir-to-snn{semantics=snntorch}", "nir-to-snn"])
def test_convert_without_dt_names_node_and_rule(tool, model: Path, tmp_path: Path, pipeline: str) -> None:
    out = tmp_path / "out.mlir"
    line = one_line_error(tool("nir-opt", model, "-p", pipeline, "-o", out), 1)
    assert "node 'my lif.1'" in line and line.endswith("[needs-dt]"), line
    assert str(model) in line
    assert not out.exists()


def test_convert_without_dt_as_a_flag(tool, model: Path) -> None:
    line = one_line_error(tool("nir-opt", model, "--convert-nir-to-snn"), 1)
    assert "node 'my lif.1'" in line and "[needs-dt]" in line


def test_lowered_module_cannot_be_written_as_nir(tool, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nir"
    line = one_line_error(tool("nir-opt", model, "--lower-composites", "-o", out), 1)
    assert "my lif.1" in line, line
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [model.name]  # no temporary left either


def test_discretized_module_cannot_be_written_as_nir(tool, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nir"
    one_line_error(tool("nir-opt", model, "-p", "convert-nir-to-snn{dt=1e-4}", "-o", out), 1)
    assert not out.exists()


def test_nir_fuse_recurrent_writes_nir(tool, model: Path, tmp_path: Path, spikes: Path) -> None:
    """The fused form is plain NIR: it writes as .nir and runs as the original."""
    out = tmp_path / "fused.nir"
    res = tool("nir-opt", model, "--nir-fuse-recurrent", "-o", out)
    assert res.code == 0, res.stderr
    fused = nirc.read(out)
    graphs = [op for op in fused.walk() if op.name == "nir.graph"]
    assert len(graphs) == 2
    x = np.load(spikes)
    want = nirc.run(nirc.read(model), x, semantics="snntorch").outputs["out"]
    np.testing.assert_array_equal(nirc.run(fused, x, semantics="snntorch").outputs["out"], want)


# --------------------------------------------------------------------------------------
# IR dumps
# --------------------------------------------------------------------------------------

DUMP = "// -----// IR Dump After {} //----- //"


def _dumps(stderr: str) -> dict[str, str]:
    """The IR dumps on stderr, by pass name."""
    parts: dict[str, str] = {}
    current = None
    for line in stderr.splitlines(keepends=True):
        if line.startswith("// -----// IR Dump After "):
            current = line.split("After ", 1)[1].split(" //", 1)[0]
            parts[current] = ""
        elif current is not None:
            parts[current] += line
    return parts


def test_print_ir_after_all(tool, model: Path) -> None:
    res = tool(
        "nir-opt", model, "-p", "lower-composites,convert-nir-to-snn{dt=1e-4},canonicalize", "--print-ir-after-all"
    )
    assert res.code == 0, res.stderr
    dumps = _dumps(res.stderr)
    assert list(dumps) == ["lower-composites", "convert-nir-to-snn", "canonicalize"]
    assert DUMP.format("lower-composites") not in res.stdout  # dumps go to stderr only
    # each dump is the IR at that point: it parses, and the last one is the output
    lowered = nirc.parse(dumps["lower-composites"])
    assert any(op.name == "nir.threshold" for op in lowered.walk())
    assert "snn.leaky" in dumps["convert-nir-to-snn"]
    assert dumps["canonicalize"] == res.stdout


def test_print_between_passes(tool, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mlir"
    res = tool(
        "nir-opt", model, "--lower-composites", "--convert-nir-to-snn=dt=1e-4", "--print-between-passes", "-o", out
    )
    assert res.code == 0, res.stderr
    dumps = _dumps(res.stderr)
    assert list(dumps) == ["lower-composites"]  # between passes: not after the last one
    nirc.parse(dumps["lower-composites"])
    assert "snn.discretization" in out.read_text()


# --------------------------------------------------------------------------------------
# nir-run on a discretized model
# --------------------------------------------------------------------------------------


@pytest.fixture
def discretized(tool, model: Path, tmp_path: Path):
    def make(profile: str, pipeline: str = "convert-nir-to-snn") -> Path:
        out = tmp_path / f"{profile}.mlir"
        res = tool("nir-opt", model, "-p", f"{pipeline}{{dt=1e-4 semantics={profile}}}", "-o", out)
        assert res.code == 0, res.stderr
        return out

    return make


@pytest.mark.parametrize(
    "option", [("--semantics", "snntorch"), ("--semantics", "nir"), ("--dt", "1e-3"), ("--reset", "value")]
)
def test_nir_run_discretized_refuses_semantics(
    tool, discretized, spikes: Path, tmp_path: Path, option: tuple[str, str]
) -> None:
    out = tmp_path / "y.npz"
    line = one_line_error(tool("nir-run", discretized("snntorch"), "--input", spikes, *option, "-o", out), 1, "nir-run")
    assert line.endswith("[run-semantics]"), line
    assert "snntorch" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("profile", "pipeline"), [("snntorch", "convert-nir-to-snn"), ("lava", "nir-to-snn"), ("xylo", "nir-to-snn")]
)
def test_nir_run_discretized_equals_original_under_profile(
    tool, model: Path, discretized, spikes: Path, tmp_path: Path, profile: str, pipeline: str
) -> None:
    snn_out, nir_out = tmp_path / "snn.npz", tmp_path / "nir.npz"
    res = tool("nir-run", discretized(profile, pipeline), "--input", spikes, "-o", snn_out)
    assert res.code == 0, res.stderr
    res = tool("nir-run", model, "--input", spikes, "--semantics", profile, "--dt", "1e-4", "-o", nir_out)
    assert res.code == 0, res.stderr
    with np.load(snn_out) as got, np.load(nir_out) as want:
        assert sorted(got.files) == sorted(want.files) == ["out"]
        np.testing.assert_array_equal(got["out"], want["out"])
        assert want["out"].sum() > 0  # the model does spike


def _strip_discretization(path: Path, tmp_path: Path, replace: str = "") -> Path:
    """The discretized module with its ``snn.discretization`` attribute removed (or
    replaced): what a hand-written `snn` module looks like."""
    import re

    text = path.read_text()
    new, count = re.subn(r"snn\.discretization = \{[^}]*\}", replace, text)
    assert count == 1, text[:400]
    new = new.replace("attributes {}", "")
    out = tmp_path / "hand.mlir"
    out.write_text(new)
    return out


def test_nir_run_hand_written_snn_module_refuses_semantics(tool, discretized, spikes: Path, tmp_path: Path) -> None:
    hand = _strip_discretization(discretized("snntorch"), tmp_path)
    assert tool("nir-run", hand, "--input", spikes).code == 0
    line = one_line_error(tool("nir-run", hand, "--input", spikes, "--semantics", "exact"), 1, "nir-run")
    assert line.endswith("[run-semantics]") and "discrete-time" in line, line


def test_nir_run_rejects_unknown_discretization_field(tool, discretized, spikes: Path, tmp_path: Path) -> None:
    bad = _strip_discretization(discretized("snntorch"), tmp_path, 'snn.discretization = {name = "x", warp = 9 : i64}')
    line = one_line_error(tool("nir-run", bad, "--input", spikes), 1, "nir-run")
    assert "unknown field 'warp'" in line and line.endswith("[run-semantics]"), line
