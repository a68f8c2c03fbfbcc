"""Round trips against the reference package (``nir==1.0.8``), the interop oracle.

Property-based: :mod:`strategies` builds random valid reference graphs (every node
type, float32/float64 parameters, awkward names, rich metadata, sequential /
recurrent / self-loop / branches / fan-in / residual / nested architectures, edges in
random order) and each test checks that a trip through nirc changes nothing that
``nir.read`` can see (see :func:`helpers.assert_graphs_equal`):

* ``nir.write`` -> ``nirc.read`` -> ``nirc.write`` -> ``nir.read``;
* ``nirc.from_reference`` -> ``nirc.to_reference``;
* text: print -> parse -> print is byte-identical and deterministic, for every blob
  threshold, and the parsed module still writes the original graph;
* every compression ``nirc.write`` accepts.

Then the paper corpus (``../shared/corpus/paper``): every well-formed file survives
``nirc.read`` -> ``nirc.write`` with exactly the documented legacy repairs, and the
Braille files keep their (non-topological) edge order.

The end of the file pins bugs found here and fixed since (scalar Conv fields through the
reference objects, complex metadata, escaped non-ASCII strings in the text form).

``NIRC_ROUNDTRIP_EXAMPLES`` sets the number of examples per property (default 50).
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import h5py
import nir
import numpy as np
import pytest
from conftest import CORPUS
from helpers import assert_graphs_equal, assert_values_equal
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from nir.serialization import hdf2dict
from strategies import GraphCase, graph_cases

import nirc
from nirc import NircWarning
from nirc.io.hdf5 import MIN_COMPRESSED_BYTES

pytestmark = [
    # hypothesis' report hook imports mypy_extensions, which warns; with the suite's
    # "warnings are errors" a failing example would end in an INTERNALERROR instead.
    pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"),
]

ROUNDTRIP = settings(
    max_examples=int(os.environ.get("NIRC_ROUNDTRIP_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

CORPUS_FILES = sorted(CORPUS.glob("*.nir")) if CORPUS.is_dir() else []
WELL_FORMED = [p for p in CORPUS_FILES if not p.name.endswith("_subgraph.nir")]
MALFORMED = [p for p in CORPUS_FILES if p.name.endswith("_subgraph.nir")]
BRAILLE = [p for p in WELL_FORMED if p.name.startswith("braille")]

#: Node types whose ``v_reset`` a legacy (NIR < 1.0) file may lack.
RESET_TYPES = {"IF", "LIF", "CubaLIF"}


# --------------------------------------------------------------------------- helpers


@contextmanager
def workdir() -> Iterator[Path]:
    """A fresh directory per hypothesis example (function-scoped fixtures and @given
    do not mix)."""
    with tempfile.TemporaryDirectory(prefix="nirc-rt-") as tmp:
        yield Path(tmp)


@contextmanager
def no_nirc_warnings() -> Iterator[None]:
    """Fail on any NircWarning: files the reference writes need no repairs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    repairs = [str(w.message) for w in caught if issubclass(w.category, NircWarning)]
    assert not repairs, f"nirc repaired a file written by nir 1.0.8: {repairs}"
    others = [w for w in caught if not issubclass(w.category, NircWarning)]
    for w in others:  # re-raise under the suite's filters (warnings are errors)
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def ref_read(path: Path, case: GraphCase) -> nir.NIRGraph:
    return nir.read(path, type_check=case.read_type_check)


def label(case: GraphCase) -> None:
    event(f"arch={case.arch}")
    event(f"checked={case.checked}")
    for typ in sorted(case.node_types):
        event(f"node={typ}")


def nirc_from_file(case: GraphCase, tmp: Path) -> tuple[Path, nir.NIRGraph, Any]:
    """Write the case with ``nir.write``; its path, ``nir.read`` of it and nirc's module."""
    original = tmp / "original.nir"
    nir.write(original, case.graph)
    expected = ref_read(original, case)
    with no_nirc_warnings():
        module = nirc.read(original)
    return original, expected, module


def raw(path: Path) -> dict[str, Any]:
    """The ``node`` group of a .nir file as the reference's plain dict (no node objects)."""
    with h5py.File(path, "r") as f:
        return hdf2dict(f["node"])


# ------------------------------------------------------------------ the strategies


@ROUNDTRIP
@given(graph_cases())
def test_reference_roundtrip_is_faithful(case: GraphCase) -> None:
    """Guard on the strategies and the comparison helper: the reference's own trip
    (``nir.write`` -> ``nir.read``) keeps the graph; nirc is measured against it."""
    label(case)
    with workdir() as tmp:
        nir.write(tmp / "g.nir", case.graph)
        assert_graphs_equal(case.graph, ref_read(tmp / "g.nir", case))


def test_helper_reports_the_path_of_the_first_difference() -> None:
    def graph(tau: np.ndarray, meta: dict[str, Any], edges: list[tuple[str, str]]) -> nir.NIRGraph:
        return nir.NIRGraph(
            nodes={
                "in": nir.Input(np.array([2])),
                "a.b": nir.LIF(tau, np.ones(2), np.zeros(2), np.ones(2), np.zeros(2), metadata=meta),
                "out": nir.Output(np.array([2])),
            },
            edges=edges,
            type_check=False,
        )

    tau = np.full(2, 0.5)
    edges = [("in", "a.b"), ("a.b", "out")]
    base = graph(tau, {"k": {"x": 1.0}}, edges)
    assert_graphs_equal(base, graph(tau.copy(), {"k": {"x": 1.0}}, list(edges)))
    cases = [
        (graph(tau.astype(np.float32), {"k": {"x": 1.0}}, edges), r"nodes\['a.b'\]\.tau: dtype float64 != float32"),
        (graph(np.array([0.5, 0.25]), {"k": {"x": 1.0}}, edges), r"nodes\['a.b'\]\.tau: values differ"),
        (graph(tau, {"k": {"x": 2.0}}, edges), r"nodes\['a.b'\]\.metadata\['k'\]\['x'\]: values differ"),
        (graph(tau, {"k": {"x": 1.0}}, edges[::-1]), r"graph\.edges\[0\]"),
        (graph(tau, {"k": {"x": np.float32(1.0)}}, edges), r"\['x'\]: dtype float64 != float32"),
    ]
    for other, message in cases:
        with pytest.raises(AssertionError, match=message):
            assert_graphs_equal(base, other)
    # -0.0 and 0.0 differ; NaN equals NaN.
    assert_values_equal(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    with pytest.raises(AssertionError, match="values differ"):
        assert_values_equal(np.array([0.0]), np.array([-0.0]))
    with pytest.raises(AssertionError, match="type int != int64"):
        assert_values_equal(1, np.int64(1), strict=True)


# ------------------------------------------------------------------- .nir round trip


@ROUNDTRIP
@given(graph_cases())
def test_nir_file_roundtrip(case: GraphCase) -> None:
    """nir.write -> nirc.read -> nirc.write -> nir.read gives the same graph, and the
    same HDF5 content (names, dtypes, shapes, values, strings) field by field."""
    label(case)
    with workdir() as tmp:
        original, expected, module = nirc_from_file(case, tmp)
        nirc.write(module, tmp / "copy.nir")
        assert_graphs_equal(expected, ref_read(tmp / "copy.nir", case), strict=True)
        assert_values_equal(raw(original), raw(tmp / "copy.nir"), "node", strict=True)
        with h5py.File(tmp / "copy.nir", "r") as f:
            assert f["version"][()].decode() == nir.version
        # nirc's own file reads back (without repairs) to the very same module.
        with no_nirc_warnings():
            again = nirc.read(tmp / "copy.nir")
        assert nirc.to_text(again, blob_threshold=None) == nirc.to_text(module, blob_threshold=None)


@ROUNDTRIP
@given(graph_cases())
def test_reference_objects_roundtrip(case: GraphCase) -> None:
    """from_reference -> to_reference gives back the graph it was given."""
    label(case)
    module = nirc.from_reference(case.graph)
    assert_graphs_equal(case.graph, nirc.to_reference(module))
    # Twice over: the result converts again to the same graph.
    assert_graphs_equal(case.graph, nirc.to_reference(nirc.from_reference(nirc.to_reference(module))))


# --------------------------------------------------------------------- text round trip

THRESHOLDS = (64, None, 0)


@ROUNDTRIP
@given(graph_cases())
def test_text_roundtrip(case: GraphCase) -> None:
    """print -> parse -> print is byte-identical and deterministic for every blob
    threshold; every threshold parses to the same module; the parsed module writes
    the original graph back."""
    label(case)
    with workdir() as tmp:
        _, expected, module = nirc_from_file(case, tmp)
        texts = {}
        for threshold in THRESHOLDS:
            text = nirc.to_text(module, blob_threshold=threshold)
            assert nirc.to_text(module, blob_threshold=threshold) == text, "printing is not deterministic"
            parsed = nirc.parse(text)
            assert nirc.to_text(parsed, blob_threshold=threshold) == text, (
                f"blob_threshold={threshold}: print(parse(t)) != t"
            )
            # The same module, whatever the threshold it was printed with.
            assert nirc.to_text(parsed) == nirc.to_text(module), f"blob_threshold={threshold} parses to another module"
            texts[threshold] = text
            path = tmp / f"text-{threshold}.nir"
            nirc.write(parsed, path)
            assert_graphs_equal(expected, ref_read(path, case), strict=True)
        assert "{-#" not in texts[None] and ' blob "' not in texts[None], "blob_threshold=None printed a blob"
        inline = re.findall(r"#nir\.dense<[^:>]*: \[[^\]]+\]>", texts[0])
        assert not inline, f"blob_threshold=0 printed tensors inline: {inline[:3]}"
        # The .mlir file path of read/write.
        nirc.write(module, tmp / "m.mlir", blob_threshold=0)
        assert (tmp / "m.mlir").read_text(encoding="utf-8") == texts[0]
        nirc.write(nirc.read(tmp / "m.mlir"), tmp / "from-mlir.nir")
        assert_graphs_equal(expected, ref_read(tmp / "from-mlir.nir", case), strict=True)


# ----------------------------------------------------------------------- compression

COMPRESSIONS = (None, "gzip", "lzf", 9)


def _numeric_datasets(path: Path) -> list[tuple[str, int, Any, Any]]:
    """(name, nbytes, compression, compression_opts) of every non-scalar numeric dataset."""
    found: list[tuple[str, int, Any, Any]] = []

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset) and obj.shape and obj.dtype.kind in "biuf":
            found.append((name, obj.size * obj.dtype.itemsize, obj.compression, obj.compression_opts))

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


@ROUNDTRIP
@given(graph_cases(), st.integers(MIN_COMPRESSED_BYTES // 8, 4 * MIN_COMPRESSED_BYTES // 8), st.integers(0, 2**32 - 1))
def test_compression_roundtrip(case: GraphCase, bulk_size: int, seed: int) -> None:
    """Every compression reads back equal; arrays of at least MIN_COMPRESSED_BYTES are
    compressed as asked, smaller ones stored plain (see docs/nir-files.md).  A bulk
    float64 metadata array makes sure some array is big enough."""
    label(case)
    bulk = np.random.default_rng(seed).standard_normal(bulk_size)
    graph = nir.NIRGraph(
        nodes=case.graph.nodes,
        edges=list(case.graph.edges),
        metadata={**case.graph.metadata, "bulk": bulk},
        type_check=False,
    )
    with workdir() as tmp:
        original = tmp / "original.nir"
        nir.write(original, graph)
        expected = ref_read(original, case)
        with no_nirc_warnings():
            module = nirc.read(original)
        for compression in COMPRESSIONS:
            path = tmp / f"c-{compression}.nir"
            nirc.write(module, path, compression=compression)
            assert_graphs_equal(expected, ref_read(path, case), strict=True)
            asked = {None: (None, None), "gzip": ("gzip", 4), "lzf": ("lzf", None), 9: ("gzip", 9)}[compression]
            datasets = _numeric_datasets(path)
            assert any(nbytes >= MIN_COMPRESSED_BYTES for _, nbytes, _, _ in datasets), "no array big enough"
            for name, nbytes, got, opts in datasets:
                want = asked if nbytes >= MIN_COMPRESSED_BYTES else (None, None)
                assert (got, opts) == want, (
                    f"{name} ({nbytes} bytes): compression {got!r}/{opts!r}, asked for {compression!r}"
                )


# ---------------------------------------------------------------------- paper corpus

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"paper corpus not found at {CORPUS}")


def _expected_repairs(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The raw node dict nirc should write for a legacy file, and the nodes it should
    warn about: v_reset = zeros_like(v_threshold) where missing; lif_rockpool's Output
    shape [1, 1, 1] -> [1] (its input is a 1-neuron signal)."""
    tree = raw(path)
    warned: list[str] = []

    def walk(graph: dict[str, Any], prefix: str) -> None:
        for name, node in graph["nodes"].items():
            where = f"{prefix}{name}"
            if node["type"] == "NIRGraph":
                walk(node, f"{where}/")
            elif node["type"] in RESET_TYPES and "v_reset" not in node:
                node["v_reset"] = np.zeros_like(node["v_threshold"])
                warned.append(where)

    walk(tree, "")
    if path.name == "lif_rockpool.nir":
        out = tree["nodes"]["output"]
        assert out["shape"].tolist() == [1, 1, 1], "corpus changed: lif_rockpool's Output is no longer [1, 1, 1]"
        out["shape"] = np.array([1], dtype=out["shape"].dtype)
        warned.append("output")
    return tree, warned


@needs_corpus
@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: p.name)
def test_corpus_roundtrip(path: Path, tmp_path: Path) -> None:
    expected_raw, warned = _expected_repairs(path)
    with pytest.warns(NircWarning) as record:
        module = nirc.read(path)
    messages = [str(w.message) for w in record if issubclass(w.category, NircWarning)]
    assert len(messages) == len(warned), messages
    for node in warned:
        assert any(f"'{node}'" in m for m in messages), f"no warning names {node!r}: {messages}"
    assert all("v_reset" in m or "Output shape" in m for m in messages), messages

    out = tmp_path / path.name
    nirc.write(module, out)
    # Raw HDF5 content: the original plus exactly the repairs.
    assert_values_equal(expected_raw, raw(out), "node", strict=True)
    # As the reference sees it (it adds the missing v_reset itself).
    before = nir.read(path, type_check=False)
    after = nir.read(out, type_check=False)
    if path.name == "lif_rockpool.nir":
        shape = before.nodes["output"].output_type["output"]
        assert shape.tolist() == [1, 1, 1]
        before.nodes["output"].output_type = {"output": np.array([1], dtype=shape.dtype)}
    assert_graphs_equal(before, after, strict=True)
    # Written files are 1.0 files: they read back without repairs.
    with no_nirc_warnings():
        again = nirc.read(out)
    assert nirc.to_text(again) == nirc.to_text(module)


@needs_corpus
@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_corpus_malformed_files_fail_cleanly(path: Path) -> None:
    """The *_subgraph files name a node of a nested graph that does not exist."""
    with pytest.raises(nirc.NircError, match="edge-endpoint"):
        nirc.read(path)


def _is_topological(edges: list[tuple[str, str]]) -> bool:
    """False when some edge leaves a node before the first edge into that node."""
    first_in: dict[str, int] = {}
    for i, (_, dst) in enumerate(edges):
        first_in.setdefault(dst, i)
    return all(first_in.get(src, -1) < i for i, (src, _) in enumerate(edges))


@needs_corpus
@pytest.mark.parametrize("path", BRAILLE, ids=lambda p: p.name)
def test_braille_edge_order_is_kept(path: Path, tmp_path: Path) -> None:
    with h5py.File(path, "r") as f:
        original = [(a.decode(), b.decode()) for a, b in f["node"]["edges"][()]]
    assert not _is_topological(original), "corpus changed: the Braille edges are in topological order"
    with pytest.warns(NircWarning):
        module = nirc.read(path)
    nirc.write(module, tmp_path / "copy.nir")
    with h5py.File(tmp_path / "copy.nir", "r") as f:
        written = [(a.decode(), b.decode()) for a, b in f["node"]["edges"][()]]
    assert written == original
    assert nir.read(tmp_path / "copy.nir", type_check=False).edges == original
    # Through the text form too (edge_ids survive print and parse).
    nirc.write(module, tmp_path / "copy.mlir")
    nirc.write(nirc.read(tmp_path / "copy.mlir"), tmp_path / "again.nir")
    assert nir.read(tmp_path / "again.nir", type_check=False).edges == original
    # And through the reference objects.
    assert nirc.to_reference(module).edges == original
    assert nirc.to_reference(nirc.from_reference(nirc.to_reference(module))).edges == original


# ----------------------------------------------------------------- recurrent orders


@ROUNDTRIP
@given(
    graph_cases(archs=("recurrent", "self-loop", "residual", "fan-in")),
    st.randoms(use_true_random=False),
)
def test_any_edge_order_is_kept(case: GraphCase, rng: Any) -> None:
    """Every permutation of a cyclic / fan-in graph's edges survives file, text and
    object round trips (nirc stores the file order where it differs from its own)."""
    label(case)
    edges = list(case.graph.edges)
    rng.shuffle(edges)
    graph = nir.NIRGraph(nodes=case.graph.nodes, edges=edges, metadata=case.graph.metadata, type_check=False)
    with workdir() as tmp:
        nir.write(tmp / "g.nir", graph)
        with no_nirc_warnings():
            module = nirc.read(tmp / "g.nir")
        assert nirc.to_reference(module).edges == edges
        nirc.write(nirc.parse(nirc.to_text(module)), tmp / "t.nir")
        assert nir.read(tmp / "t.nir", type_check=False).edges == edges


# ------------------------------------------------------- known bugs and regressions


def _small_graph(name: str = "x", meta: dict[str, Any] | None = None) -> nir.NIRGraph:
    """Input -> Scale -> Output, the Scale named ``name`` with metadata ``meta``."""
    return nir.NIRGraph(
        nodes={
            "in": nir.Input(np.array([2])),
            name: nir.Scale(np.ones(2), metadata=meta or {}),
            "out": nir.Output(np.array([2])),
        },
        edges=[("in", name), (name, "out")],
    )


@pytest.mark.parametrize(
    "conv",
    [
        pytest.param(
            nir.Conv1d(
                input_shape=4, weight=np.ones((1, 1, 1)), stride=1, padding=0, dilation=1, groups=1, bias=np.zeros(1)
            ),
            id="conv1d",
        ),
        pytest.param(
            nir.Conv2d(
                input_shape=(4, 4),
                weight=np.ones((1, 1, 1, 1)),
                stride=np.int64(1),
                padding=np.int64(0),
                dilation=np.int64(1),
                groups=1,
                bias=np.zeros(1),
            ),
            id="conv2d-numpy-scalars",
        ),
    ],
)
def test_to_reference_conv_scalar_fields(conv: nir.NIRNode) -> None:
    shape = np.array([1, 4]) if isinstance(conv, nir.Conv1d) else np.array([1, 4, 4])
    graph = nir.NIRGraph(
        nodes={"in": nir.Input(shape), "c": conv, "out": nir.Output(shape)}, edges=[("in", "c"), ("c", "out")]
    )
    assert_graphs_equal(graph, nirc.to_reference(nirc.from_reference(graph)))


def test_complex_metadata_file(tmp_path: Path) -> None:
    graph = _small_graph(meta={"c": np.array([1 + 2j])})
    nir.write(tmp_path / "g.nir", graph)
    nirc.write(nirc.read(tmp_path / "g.nir"), tmp_path / "copy.nir")
    assert_graphs_equal(nir.read(tmp_path / "g.nir"), nir.read(tmp_path / "copy.nir"), strict=True)


@pytest.mark.parametrize(
    "graph",
    [
        pytest.param(_small_graph(name="é"), id="node-name"),
        pytest.param(_small_graph(meta={"é": "v"}), id="metadata-key"),
        pytest.param(_small_graph(meta={"k": "é"}), id="metadata-string"),
        pytest.param(_small_graph(name="中.😀\u200b\x80", meta={"ß": {"\x80": "名前"}}), id="mixed"),
    ],
)
def test_text_roundtrip_non_ascii(graph: nir.NIRGraph) -> None:
    """Regression (fixed in 812cd28): xDSL escapes non-ASCII characters as UTF-8 bytes
    ("\\C3\\A9"), which its lexer reads back as a bytes literal, not a string."""
    module = nirc.from_reference(graph)
    parsed = nirc.parse(nirc.to_text(module))
    assert_graphs_equal(graph, nirc.to_reference(parsed))


@pytest.mark.parametrize(
    "graph",
    [
        pytest.param(_small_graph(name='"é'), id="node-name-quote"),
        pytest.param(_small_graph(name="a\\é"), id="node-name-backslash"),
        pytest.param(_small_graph(meta={"é\n": "v"}), id="metadata-key-newline"),
        # parses, as a BytesAttr, which has no NIR equivalent
        pytest.param(_small_graph(meta={"k": 'é\t"x\\'}), id="metadata-string"),
    ],
)
def test_text_roundtrip_escaped_non_ascii(graph: nir.NIRGraph) -> None:
    module = nirc.from_reference(graph)
    parsed = nirc.parse(nirc.to_text(module))
    assert_graphs_equal(graph, nirc.to_reference(parsed))


@pytest.mark.parametrize("name", ["0:0:0", "fc_1", "x_1_2", "layer_10"])
def test_text_roundtrip_of_names_ending_in_digits(name: str) -> None:
    """xDSL reads a trailing ``_<digits>`` of an SSA name as its own uniquing suffix: the
    hints nirc gives such nodes must survive print ∘ parse (found by hypothesis)."""
    g = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([3])),
            name: nir.Scale(scale=np.ones(3)),
            "fc1": nir.Scale(scale=np.full(3, 2.0)),
            "output": nir.Output(output_type=np.array([3])),
        },
        edges=[("input", name), (name, "fc1"), ("fc1", "output")],
    )
    text = nirc.to_text(nirc.from_reference(g))
    assert nirc.to_text(nirc.parse(text)) == text
