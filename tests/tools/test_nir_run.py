"""`nir-run` on the command line: results, records, overrides and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nirc
import nirc.examples
from nirc.io.hdf5 import write_node_dict


@pytest.fixture
def lif_input(tmp_path: Path, corpus: Path) -> Path:
    x = np.loadtxt(corpus / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    path = tmp_path / "x.npy"
    np.save(path, x)
    return path


def test_outputs_records_and_overrides(tmp_path: Path, corpus: Path, lif_input: Path, tool) -> None:
    out = tmp_path / "out.npz"
    result = tool(
        "nir-run",
        corpus / "lif_norse.nir",
        "--input",
        lif_input,
        "--semantics",
        "spyx",
        "--dt",
        "1e-4",
        "--record",
        "1",
        "-o",
        out,
    )
    assert result.code == 0, result.stderr
    data = np.load(out)
    assert sorted(data.files) == ["1/v", "output"]
    assert np.flatnonzero(data["output"][:, 0]).tolist() == [461, 511, 711, 761]
    # A single choice overridden: spyx with spikes in the crossing step is norse-like.
    result = tool(
        "nir-run",
        corpus / "lif_norse.nir",
        "--input",
        lif_input,
        "--semantics",
        "spyx",
        "--spike-timing",
        "same",
        "--reset",
        "value",
        "-o",
        out,
    )
    assert result.code == 0, result.stderr
    assert np.flatnonzero(np.load(out)["output"][:, 0]).tolist() == [460, 510, 710, 760]


def test_npz_inputs_and_batches(tmp_path: Path) -> None:
    model = {
        "type": "NIRGraph",
        "nodes": {
            "a": {"type": "Input", "shape": np.array([2])},
            "b": {"type": "Input", "shape": np.array([2])},
            "s": {"type": "Scale", "scale": np.array([1.0, 2.0])},
            "y": {"type": "Output", "shape": np.array([2])},
            "z": {"type": "Output", "shape": np.array([2])},
        },
        "edges": [("a", "s"), ("b", "s"), ("s", "y"), ("a", "z")],
        "metadata": {},
    }
    module = nirc.module_from_dict(model)
    a = np.arange(12.0).reshape(2, 3, 2)
    b = np.ones((2, 3, 2))
    result = nirc.run(module, {"a": a, "b": b})
    assert np.array_equal(result.outputs["y"], (a + b) * [1.0, 2.0])
    assert np.array_equal(result.outputs["z"], a)
    with pytest.raises(nirc.NircError, match="inputs must be named a, b; missing: b"):
        nirc.run(module, {"a": a})
    with pytest.raises(nirc.NircError, match="pass one array per input name"):
        nirc.run(module, a)


@pytest.mark.parametrize(
    "args, code, text",
    [
        (["--semantics", "loihi"], 2, "invalid choice: 'loihi'"),
        (["--reset", "sideways"], 2, "invalid choice: 'sideways'"),
        (["--dt", "0"], 1, "--dt must be > 0"),
        (["--dt=-1e-3"], 1, "--dt must be > 0"),
        (["--record", "nope"], 1, "cannot record 'nope': not a neuron of the graph; neurons: 1 [run-record]"),
    ],
)
def test_bad_options(
    tmp_path: Path, corpus: Path, lif_input: Path, tool, args: list[str], code: int, text: str
) -> None:
    out = tmp_path / "out.npz"
    result = tool("nir-run", corpus / "lif_norse.nir", "--input", lif_input, *args, "-o", out)
    assert result.code == code, result
    assert text in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "array, text",
    [
        (np.zeros((10, 3)), "has shape [10, 3]; expected (time, 1) or (batch, time, 1)"),
        (np.array(["a", "b"]), "must be numeric"),
        (np.full((4, 1), np.nan), "non-finite"),
    ],
)
def test_bad_input_arrays(tmp_path: Path, corpus: Path, tool, array: np.ndarray, text: str) -> None:
    path = tmp_path / "x.npy"
    np.save(path, array)
    out = tmp_path / "out.npz"
    result = tool("nir-run", corpus / "lif_norse.nir", "--input", path, "-o", out)
    assert result.code == 1, result
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and text in errors[0] and "[run-input]" in errors[0]
    assert not out.exists()


def test_not_an_array_file(tmp_path: Path, corpus: Path, tool) -> None:
    path = tmp_path / "x.npy"
    path.write_text("nonsense")
    result = tool("nir-run", corpus / "lif_norse.nir", "--input", path)
    assert result.code == 1 and "not a .npy/.npz array file" in result.stderr
    assert "pickle" not in result.stderr  # numpy's advice to unpickle is not passed on


def test_graph_without_input(tmp_path: Path, tool) -> None:
    model = tmp_path / "m.nir"
    write_node_dict(
        {
            "type": "NIRGraph",
            "nodes": {"s": {"type": "Scale", "scale": np.ones(2)}, "o": {"type": "Output", "shape": np.array([2])}},
            "edges": [("s", "o")],
            "metadata": {},
        },
        model,
    )
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((3, 2)))
    result = tool("nir-run", model, "--input", x)
    assert result.code == 1 and "the graph has no Input node" in result.stderr


def test_semantics_api_errors() -> None:
    with pytest.raises(nirc.NircError, match="unknown semantics 'loihi'; valid profiles: nir, exact"):
        nirc.run(nirc.read(nirc.examples.path("srnn.nir")), np.zeros((3, 12)), semantics="loihi")
    with pytest.raises(nirc.NircError, match="unknown semantics option 'leak'"):
        nirc.profiles()["nir"].with_options(leak=1)
    with pytest.raises(nirc.NircError, match="reset must be one of value, subtract, none"):
        nirc.profiles()["nir"].with_options(reset="sideways")
