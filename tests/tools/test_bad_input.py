"""Bad input never crashes: one line naming the file, the node and the rule; exit 1
(2 for bad usage); no traceback; no output file left behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nirc.io.hdf5 import write_node_dict


def lif(n: int = 2, **overrides: object) -> dict:
    node = {
        "type": "LIF",
        "tau": np.full(n, 0.01),
        "r": np.ones(n),
        "v_leak": np.zeros(n),
        "v_threshold": np.ones(n),
        "v_reset": np.zeros(n),
    }
    node.update(overrides)
    return node


def graph(nodes: dict, edges: list) -> dict:
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


def simple(**lif_overrides: object) -> dict:
    return graph(
        {
            "in": {"type": "Input", "shape": np.array([2])},
            "neuron": lif(**lif_overrides),
            "out": {"type": "Output", "shape": np.array([2])},
        },
        [("in", "neuron"), ("neuron", "out")],
    )


BAD_FILES = {
    "unknown-type": (
        graph(
            {"in": {"type": "Input", "shape": np.array([2])}, "x": {"type": "Izhikevich", "a": np.ones(2)}},
            [("in", "x")],
        ),
        "x",
        "node-type",
        "unknown node type 'Izhikevich'",
    ),
    "missing-field": (simple(tau=None) | {}, "neuron", "fields", "missing field 'tau'"),
    "extra-field": (simple(colour=np.ones(2)), "neuron", "fields", "unexpected field 'colour'"),
    # v_threshold on an LI is nirc's lowered form (docs/passes.md), not a NIR field
    "extension-field-in-file": (
        graph(
            {
                "in": {"type": "Input", "shape": np.array([2])},
                "neuron": {
                    "type": "LI",
                    "tau": np.ones(2),
                    "r": np.ones(2),
                    "v_leak": np.zeros(2),
                    "v_threshold": np.ones(2),
                    "v_reset": np.zeros(2),
                },
                "out": {"type": "Output", "shape": np.array([2])},
            },
            [("in", "neuron"), ("neuron", "out")],
        ),
        "neuron",
        "fields",
        "for LI (expects tau, r, v_leak)",
    ),
    "mismatched-param-shapes": (simple(r=np.ones(3)), "neuron", "param-shapes", "must share one shape"),
    "non-finite": (simple(v_threshold=np.array([1.0, np.nan])), "neuron", "finite-params", "non-finite"),
    "negative-tau": (simple(tau=np.array([0.01, -1.0])), "neuron", "positive-tau", "must be > 0"),
    "edge-to-missing-node": (
        graph(
            {"in": {"type": "Input", "shape": np.array([2])}, "neuron": lif()}, [("in", "neuron"), ("neuron", "ghost")]
        ),
        None,
        "edge-endpoint",
        "'ghost'",
    ),
    "duplicate-edge": (
        graph({"in": {"type": "Input", "shape": np.array([2])}, "neuron": lif()}, [("in", "neuron"), ("in", "neuron")]),
        None,
        "duplicate-edge",
        "duplicate edge",
    ),
    "edge-shape": (
        graph(
            {
                "in": {"type": "Input", "shape": np.array([3])},
                "neuron": lif(),
                "out": {"type": "Output", "shape": np.array([2])},
            },
            [("in", "neuron"), ("neuron", "out")],
        ),
        "neuron",
        "edge-shape",
        "shape [3]",
    ),
    "string-parameter": (simple(tau="fast"), "neuron", "fields", "must be numeric"),
}


def _write(tmp_path: Path, node: dict) -> Path:
    # A missing field is expressed as None in the table above.
    def strip(d: dict) -> dict:
        return {k: (strip(v) if isinstance(v, dict) else v) for k, v in d.items() if v is not None}

    path = tmp_path / "bad.nir"
    write_node_dict(strip(node), path)
    return path


def _assert_one_line_error(result, path: Path | str, node: str | None, rule: str, text: str, code: int = 1) -> None:
    assert result.code == code, result
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert str(path) in line
    if node is not None:
        assert f"node '{node}'" in line
    assert f"[{rule}]" in line
    assert text in line


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("tool_name", ["nir-opt", "nir-translate"])
def test_bad_file_one_line_no_output(tmp_path: Path, tool, case: str, tool_name: str) -> None:
    node, where, rule, text = BAD_FILES[case]
    path = _write(tmp_path, node)
    out = tmp_path / "out.mlir"
    if tool_name == "nir-opt":
        result = tool("nir-opt", path, "-o", out)
    else:
        result = tool("nir-translate", "--import-nir", path, "-o", out)
    _assert_one_line_error(result, path, where, rule, text)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nir"]  # no temporary files


def test_not_hdf5(tmp_path: Path, tool) -> None:
    path = tmp_path / "model.nir"
    path.write_text("this is not HDF5\n")
    result = tool("nir-opt", path, "-o", tmp_path / "x.mlir")
    _assert_one_line_error(result, path, None, "file-format", "not a readable HDF5 file")
    assert not (tmp_path / "x.mlir").exists()


def test_truncated_file(tmp_path: Path, tool, corpus: Path) -> None:
    data = (corpus / "cnn_sinabs.nir").read_bytes()
    path = tmp_path / "truncated.nir"
    path.write_bytes(data[: len(data) // 2])
    result = tool("nir-translate", "--import-nir", path, "-o", tmp_path / "x.mlir")
    _assert_one_line_error(result, path, None, "file-format", "")
    assert not (tmp_path / "x.mlir").exists()


def test_hdf5_without_node_group(tmp_path: Path, tool) -> None:
    import h5py

    path = tmp_path / "empty.nir"
    with h5py.File(path, "w") as f:
        f.create_dataset("version", data="1.0.8")
    result = tool("nir-opt", path)
    _assert_one_line_error(result, path, None, "file-format", "no 'node' group")


def test_missing_file(tmp_path: Path, tool) -> None:
    result = tool("nir-opt", tmp_path / "nope.nir")
    _assert_one_line_error(result, tmp_path / "nope.nir", None, "file", "no such file")


def test_malformed_subgraph_files_name_missing_node(corpus: Path, tool) -> None:
    for name in ("braille_noDelay_bias_zero_subgraph.nir", "braille_noDelay_noBias_subtract_subgraph.nir"):
        result = tool("nir-translate", "--import-nir", corpus / name)
        _assert_one_line_error(result, corpus / name, "lif1", "edge-endpoint", "names destination node 'lif'")
        assert result.stdout == ""


def test_text_syntax_error_names_line(tmp_path: Path, tool) -> None:
    path = tmp_path / "bad.mlir"
    path.write_text(
        'builtin.module {\n  nir.graph {\n    %x = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32\n  }\n}\n'
    )
    result = tool("nir-opt", path, "-o", tmp_path / "out.nir")
    _assert_one_line_error(result, path, None, "text-syntax", "line 4")
    assert not (tmp_path / "out.nir").exists()


def test_text_verifier_error_names_node(tmp_path: Path, tool) -> None:
    path = tmp_path / "bad.mlir"
    path.write_text(
        "builtin.module {\n  nir.graph {\n"
        '    %x = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '    %y = nir.linear "fc"(%x) {weight = #nir.dense<3x3xf32: 1.0>} : tensor<2xf32> -> tensor<3xf32>\n'
        "  }\n}\n"
    )
    result = tool("nir-translate", "--export-nir", path, "-o", tmp_path / "out.nir")
    _assert_one_line_error(result, path, "fc", "edge-shape", "the parameters expect [3]")
    assert not (tmp_path / "out.nir").exists()


def test_unstorable_name_leaves_no_partial_file(tmp_path: Path, tool) -> None:
    path = tmp_path / "slash.mlir"
    path.write_text(
        "builtin.module {\n  nir.graph {\n"
        '    %x = nir.input "a/b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '    nir.output "out"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        "  }\n}\n"
    )
    out = tmp_path / "out.nir"
    result = tool("nir-translate", "--export-nir", path, "-o", out)
    # The error is about writing the output file, so it names that file.
    _assert_one_line_error(result, out, "a/b", "hdf5-name", "cannot be stored in HDF5")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slash.mlir"]


def test_an_edge_twice_cannot_be_exported(tmp_path: Path, tool) -> None:
    """A node reading another twice is valid IR (inline-graphs can make it) but no NIR file
    can hold the edge twice: refused on export, naming the node, no file written."""
    path = tmp_path / "twice.mlir"
    path.write_text(
        "builtin.module {\n  nir.graph {\n"
        '    %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '    %s = nir.scale "s"(%a, %a) {scale = #nir.dense<2xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>\n'
        '    nir.output "o"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        "  }\n}\n"
    )
    out = tmp_path / "out.nir"
    result = tool("nir-translate", "--export-nir", path, "-o", out)
    assert result.code == 1
    assert "node 's' reads 'a' twice" in result.stderr and "[duplicate-edge]" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args, text",
    [
        (["-p", "no-such-pass"], "unknown pass 'no-such-pass'"),
        (["-p", "a{"], "malformed pass pipeline"),
        (["--compression", "zstd", "-o", "x.nir"], "unknown compression"),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, tool, args: list[str], text: str) -> None:
    from nirc.examples import path as example

    result = tool("nir-opt", example("srnn.nir"), *args, cwd=tmp_path)
    assert result.code == 2, result
    assert "Traceback" not in result.stderr
    assert text in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_translate_usage(tmp_path: Path, tool) -> None:
    from nirc.examples import path as example

    result = tool("nir-translate", "--export-nir", example("srnn.nir"))
    assert result.code == 2 and "needs -o" in result.stderr
    result = tool("nir-translate", example("srnn.nir"), "--target=nowhere", "-o", tmp_path / "out")
    assert result.code == 2 and "unknown target 'nowhere'" in result.stderr
    assert not (tmp_path / "out").exists()
    result = tool("nir-translate", example("srnn.nir"))
    assert result.code == 2  # argparse: one of the modes is required


def test_legacy_warnings_name_file_and_node(corpus: Path, tool) -> None:
    result = tool("nir-translate", "--import-nir", corpus / "lif_rockpool.nir")
    assert result.code == 0
    warnings = result.stderr.strip().splitlines()
    assert any("node '1_LIFNeuronTorch'" in w and "v_reset" in w for w in warnings), warnings
    assert any("node 'output'" in w and "[1, 1, 1]" in w for w in warnings), warnings
    assert all(str(corpus / "lif_rockpool.nir") in w for w in warnings)
