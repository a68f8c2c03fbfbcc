"""The `.nir` reader: the two-process path for large graphs reads exactly what the
one-process path reads, and reports errors the same way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nirc
from nirc.io import hdf5


def chain(n: int) -> dict:
    nodes = {"in": {"type": "Input", "shape": np.array([3])}}
    edges = []
    prev = "in"
    for i in range(n):
        name = f"n{i:03d}"
        nodes[name] = {"type": "Scale", "scale": np.full(3, i, np.float32), "metadata": {"i": i}}
        edges.append((prev, name))
        prev = name
    nodes["out"] = {"type": "Output", "shape": np.array([3])}
    edges.append((prev, "out"))
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {"about": "chain"}}


@pytest.fixture
def chain_file(tmp_path: Path) -> Path:
    path = tmp_path / "chain.nir"
    hdf5.write_node_dict(chain(40), path)
    return path


def test_parallel_read_equals_serial(chain_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial, version = hdf5.read_node_dict(chain_file)
    monkeypatch.setattr(hdf5, "PARALLEL_READ_NODES", 4)
    if not hdf5._can_fork():
        pytest.skip("this platform reads in one process")
    parallel, version2 = hdf5.read_node_dict(chain_file)
    assert version == version2 == hdf5.NIR_FORMAT_VERSION
    assert list(parallel["nodes"]) == list(serial["nodes"])
    assert_same_tree(parallel, serial)


def assert_same_tree(a: object, b: object, path: str = "") -> None:
    """Equal dicts (with key order), lists and arrays (dtype, shape and bytes)."""
    assert type(a) is type(b), path
    if isinstance(a, dict):
        assert list(a) == list(b), path  # type: ignore[arg-type]
        for key in a:
            assert_same_tree(a[key], b[key], f"{path}/{key}")  # type: ignore[index]
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        assert (a.dtype, a.shape) == (b.dtype, b.shape), path
        if a.dtype == object:
            assert a.tolist() == b.tolist(), path
        else:
            assert a.tobytes() == b.tobytes(), path
    else:
        assert a == b, path


def test_parallel_read_reports_errors_like_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = chain(40)
    bad["nodes"]["n039"]["scale"] = np.array(["not", "numbers"], dtype=object)
    path = tmp_path / "bad.nir"
    hdf5.write_node_dict(bad, path)
    with pytest.raises(nirc.NircError) as serial:
        nirc.read(path)
    monkeypatch.setattr(hdf5, "PARALLEL_READ_NODES", 4)
    with pytest.raises(nirc.NircError) as parallel:
        nirc.read(path)
    assert str(parallel.value) == str(serial.value)
    assert "node 'n039'" in str(serial.value) and "[fields]" in str(serial.value)


def test_small_arrays_are_stored_uncompressed(tmp_path: Path) -> None:
    import h5py

    big = np.arange(1024, dtype=np.float32)
    model = chain(1)
    model["nodes"]["n000"]["metadata"] = {"big": big, "small": np.arange(4)}
    path = tmp_path / "m.nir"
    hdf5.write_node_dict(model, path)
    with h5py.File(path) as f:
        meta = f["node/nodes/n000/metadata"]
        assert meta["big"].compression == "gzip"
        assert meta["small"].compression is None
    hdf5.write_node_dict(model, path, compression=None)
    with h5py.File(path) as f:
        assert f["node/nodes/n000/metadata/big"].compression is None


def test_files_nirc_writes_read_back_without_edge_ids(tmp_path: Path, corpus: Path) -> None:
    """nirc writes edges in its own order (by destination name, operands in order),
    which the importer recognises: no `edge_ids` after a round trip, and the text is
    a fixed point."""
    for name in ("braille_noDelay_bias_zero.nir", "cnn_sinabs.nir", "two_lif_neurons.nir"):
        module = nirc.read(corpus / name)
        assert "edge_ids" in nirc.to_text(module)  # these files use other orders
        for op in module.walk():
            op.properties.pop("edge_ids", None)
        nirc.write(module, tmp_path / "a.nir")
        again = nirc.read(tmp_path / "a.nir")
        assert "edge_ids" not in nirc.to_text(again)
        nirc.write(again, tmp_path / "b.nir")
        assert nirc.to_text(nirc.read(tmp_path / "b.nir")) == nirc.to_text(again)
