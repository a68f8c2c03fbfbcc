"""Hostile input and the command-line conventions of MLIR tools (issue 19's classes):

* control characters in names and files come back escaped, on one line;
* values of the wrong kind (a boolean ``tau``) are refused, names HDF5 cannot hold
  (NUL) are refused before anything is written;
* what nirc writes it reads back, and ``nir.read`` too: names and metadata holding the
  resource section's ``{-#``, a Conv2d written without ``input_shape``;
* outputs: a FIFO and a symbolic link are written through, never replaced; a missing
  folder is a ``[file]`` error (``--target`` creates no parents); temporary files of a
  killed run are removed by the next run that writes there, a live writer's are not;
* ``-`` is standard input and output for text IR, ``.nir`` and ``nir-run``'s ``.npz``;
* random byte flips and truncations of valid ``.mlir`` and ``.nir`` files are read or
  refused with a rule, never an internal error (hypothesis).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import h5py
import nir
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nirc
from nirc.core.errors import NircError, printable
from nirc.examples import path as example
from nirc.io.atomic import TEMP_MARK, atomic_text_file
from nirc.io.text import module_to_text

SRNN = example("srnn.nir")
MODULES = {
    "nir-opt": "nirc.tools.nir_opt",
    "nir-translate": "nirc.tools.nir_translate",
    "nir-run": "nirc.tools.nir_run",
}


def run(tool: str, *args: object, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", MODULES[tool], *map(str, args)], input=stdin, capture_output=True, timeout=300
    )


def one_error(proc: subprocess.CompletedProcess[bytes], rule: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [line for line in err.strip().splitlines() if ": warning: " not in line]
    assert len(lines) == 1 and lines[0].endswith(f"[{rule}]"), err
    assert lines[0].isprintable(), repr(lines[0])
    return lines[0]


# --------------------------------------------------------------------------- messages


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("plain 'name' ü") == "plain 'name' ü"
    assert printable("a\x00b\x1b[31mc\nd\u2028e\x7f") == "a\\x00b\\x1b[31mc\\nd\\u2028e\\x7f"


def test_control_characters_in_names_are_escaped_on_one_line(tmp_path: Path) -> None:
    text = (
        "nir.graph {\n"
        '  %in = nir.input "in\\1b[31m" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  %n = nir.lif "n\\0Ax\\00"(%in) {tau = #nir.dense<2xf32: -1.0>, r = #nir.dense<2xf32: 1.0>, '
        "v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} "
        ": tensor<2xf32> -> tensor<2xf32>\n"
        '  nir.output "out"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        "}\n"
    )
    path = tmp_path / "m.mlir"
    path.write_text(text)
    line = one_error(run("nir-translate", "--import-nir", path), "positive-tau")
    assert "node 'n\\nx\\x00'" in line


def test_a_boolean_tau_is_refused(tmp_path: Path) -> None:
    g = nir.NIRGraph(
        nodes={
            "in": nir.Input(np.array([2])),
            "n": nir.LIF(
                tau=np.array([True, True]),
                r=np.ones(2),
                v_leak=np.zeros(2),
                v_threshold=np.ones(2),
                v_reset=np.zeros(2),
            ),
            "out": nir.Output(np.array([2])),
        },
        edges=[("in", "n"), ("n", "out")],
    )
    nir.write(tmp_path / "b.nir", g)
    line = one_error(run("nir-translate", "--import-nir", tmp_path / "b.nir"), "param-dtype")
    assert "'tau' must hold numbers, got bool" in line


def test_a_nul_in_a_name_is_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "m.mlir"
    path.write_text(
        "nir.graph {\n"
        '  %in = nir.input "in\\00x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  nir.output "out"(%in) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        "}\n"
    )
    one_error(run("nir-translate", "--export-nir", path, "-o", tmp_path / "m.nir"), "hdf5-name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.mlir"]


# --------------------------------------------------------------------------- round trips


def graph(nodes: dict, edges: list) -> dict:
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {"note": "a {-# b #-} c"}}


def test_the_resource_section_marker_inside_strings_round_trips(tmp_path: Path) -> None:
    for width in (2, 40):  # without and with a blob section
        d = graph(
            {
                "in{-#": {"type": "Input", "shape": np.array([2])},
                "w #-}": {"type": "Linear", "weight": np.arange(2.0 * width).reshape(width, 2)},
                "out": {"type": "Output", "shape": np.array([width])},
            },
            [("in{-#", "w #-}"), ("w #-}", "out")],
        )
        module = nirc.module_from_dict(d)
        nirc.write(module, tmp_path / "m.mlir")
        back = nirc.read(tmp_path / "m.mlir")
        assert module_to_text(back) == module_to_text(module)


def test_a_conv_without_input_shape_writes_what_nir_reads(tmp_path: Path) -> None:
    d = graph(
        {
            "in": {"type": "Input", "shape": np.array([1, 5, 4])},
            "c": {
                "type": "Conv2d",
                "weight": np.ones((2, 1, 3, 3)),
                "bias": np.zeros(2),
                "stride": np.array([1, 1]),
                "padding": np.array([0, 0]),
                "dilation": np.array([1, 1]),
                "groups": np.array(1),
            },
            "out": {"type": "Output", "shape": np.array([2, 3, 2])},
        },
        [("in", "c"), ("c", "out")],
    )
    nirc.write(nirc.module_from_dict(d), tmp_path / "c.nir")
    assert list(nir.read(tmp_path / "c.nir").nodes["c"].input_shape) == [5, 4]


# --------------------------------------------------------------------------- outputs


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = run("nir-translate", "--import-nir", SRNN, "-o", fifo)
    out, _ = reader.communicate(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert fifo.is_fifo() and out.decode().startswith("builtin.module")


def test_a_symbolic_link_is_followed(tmp_path: Path) -> None:
    real, link = tmp_path / "real.mlir", tmp_path / "link.mlir"
    real.write_text("old")
    link.symlink_to(real)
    assert run("nir-translate", "--import-nir", SRNN, "-o", link).returncode == 0
    assert link.is_symlink() and real.read_text().startswith("builtin.module")


def test_a_target_creates_no_missing_folder(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "missing" / "out"
    line = one_error(run("nir-translate", corpus / "lif_norse.nir", "--target=loihi2", "-o", out), "file")
    assert "does not exist" in line and not (tmp_path / "missing").exists()


def test_a_killed_runs_temporary_files_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.mlir"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.mlir.{TEMP_MARK}{int(dead.stdout)}.abc.tmp"
    live = tmp_path / f".out.mlir.{TEMP_MARK}{os.getpid()}.def.tmp"
    other = tmp_path / ".out.mlir.someone-else.tmp"
    for p in (stale, live, other):
        p.write_text("x")
    with atomic_text_file(target) as f:
        f.write("new")
    assert target.read_text() == "new"
    assert not stale.exists() and live.exists() and other.exists()


# --------------------------------------------------------------------------- stdin, stdout


def test_dash_is_standard_input_and_output(tmp_path: Path) -> None:
    text = run("nir-translate", "--import-nir", SRNN, "-o", "-")
    assert text.returncode == 0 and text.stdout.startswith(b"builtin.module")
    assert not (Path.cwd() / "-").exists()
    opt = run("nir-opt", "-", "-p", "canonicalize", "-o", "-", stdin=text.stdout)
    assert opt.returncode == 0 and opt.stdout.startswith(b"builtin.module"), opt.stderr
    binary = run("nir-translate", "--export-nir", "-", "-o", "-", stdin=text.stdout)
    assert binary.returncode == 0 and binary.stdout.startswith(b"\x89HDF"), binary.stderr
    back = run("nir-translate", "--import-nir", "-", stdin=binary.stdout)
    assert back.stdout == text.stdout
    np.save(tmp_path / "x.npy", np.zeros((5, 12), np.float32))
    npz = run("nir-run", "-", "--input", tmp_path / "x.npy", "-o", "-", stdin=binary.stdout)
    assert npz.returncode == 0, npz.stderr
    with np.load(io.BytesIO(npz.stdout)) as f:
        assert f["output"].shape == (5, 4)
    bad = run("nir-translate", "--import-nir", "-", stdin=b"nir.graph {")
    assert "<stdin>" in one_error(bad, "text-syntax")
    usage = run("nir-translate", SRNN, "--target=loihi2", "-o", "-")
    assert usage.returncode == 2 and b"folder" in usage.stderr


# --------------------------------------------------------------------------- damaged files


def _damaged(data: bytes, draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return data[: draw(st.integers(0, len(data) - 1))]
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(b) - 1))
        b[i] = draw(st.integers(0, 255))
    return bytes(b)


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from([".mlir", ".nir"]))
    data = SRNN.read_bytes() if suffix == ".nir" else module_to_text(nirc.read(SRNN)).encode()
    return suffix, _damaged(data, draw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=damaged_files())
def test_damaged_files_are_read_or_refused_with_a_rule(
    case: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a flipped byte can make a dataset or a splat declare gigabytes: the budget refuses it
    monkeypatch.setenv("NIRC_MEMORY_LIMIT", "64M")
    suffix, data = case
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(data)
    try:
        nirc.read(path)
    except NircError as err:
        assert err.rule, str(err)
        assert str(err).isprintable()


def test_a_damaged_nir_file_through_the_tool_is_one_line(tmp_path: Path) -> None:
    data = bytearray(SRNN.read_bytes())
    with h5py.File(SRNN) as f:
        assert "node" in f
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path = tmp_path / "damaged.nir"
    path.write_bytes(bytes(data))
    proc = run("nir-translate", "--import-nir", path)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err


# --------------------------------------------------------------------------- the memory budget


def test_declared_sizes_are_checked_before_allocating(tmp_path: Path) -> None:
    """A splat, a dataset, an input array's header and a run's signals that declare
    terabytes are refused in a fraction of a second, naming what asked and the limit."""
    splat = tmp_path / "splat.mlir"
    n = 1 << 40
    splat.write_text(
        "nir.graph {\n"
        f'  %in = nir.input "in" {{shape = #nir.dense<1xi64: [{n}]>}} : tensor<{n}xf32>\n'
        f'  %s = nir.scale "s"(%in) {{scale = #nir.dense<{n}xf32: 1.0>}} : tensor<{n}xf32> -> tensor<{n}xf32>\n'
        f'  nir.output "out"(%s) {{shape = #nir.dense<1xi64: [{n}]>}} : tensor<{n}xf32>\n'
        "}\n"
    )
    assert "4.0 TiB" in one_error(run("nir-translate", "--import-nir", splat), "limit")
    sparse = tmp_path / "sparse.nir"
    with h5py.File(sparse, "w") as f:
        f.create_dataset("version", data="1.0.8", dtype=h5py.string_dtype())
        node = f.create_group("node")
        node.create_dataset("type", data="NIRGraph", dtype=h5py.string_dtype())
        s = node.create_group("nodes").create_group("s")
        s.create_dataset("type", data="Scale", dtype=h5py.string_dtype())
        s.create_dataset("scale", shape=(n,), dtype="f4", chunks=(1 << 20,), compression="gzip")
    assert "dataset 'nodes/s/scale'" in one_error(run("nir-translate", "--import-nir", sparse), "limit")
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (3 << 40, 12)})
    (tmp_path / "t.npy").write_bytes(header.getvalue() + bytes(64))
    assert "input array" in one_error(run("nir-run", SRNN, "--input", tmp_path / "t.npy"), "limit")
    np.save(tmp_path / "x.npy", np.zeros((5, 12), np.float32))
    line = one_error(run("nir-run", SRNN, "--input", tmp_path / "x.npy", "--memory-limit", "1k"), "limit")
    assert "the run's signals (5 steps x batch 1)" in line and "1.0 KiB" in line


def test_a_zip_bomb_input_is_refused_before_inflating(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.npz"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z,
        z.open("input.npy", "w", force_zip64=True) as f,
    ):
        np.lib.format.write_array_header_1_0(f, {"descr": "<f4", "fortran_order": False, "shape": (1 << 24, 12)})
        for _ in range(48):
            f.write(bytes(1 << 22))
    assert path.stat().st_size < 1 << 20
    line = one_error(run("nir-run", SRNN, "--input", path, "--memory-limit", "64M"), "limit")
    assert "inflated" in line or "input array 'input'" in line


def test_the_limit_is_an_option_and_an_environment_variable(tmp_path: Path) -> None:
    assert run("nir-translate", "--import-nir", SRNN, "--memory-limit", "none").returncode == 0
    bad = run("nir-translate", "--import-nir", SRNN, "--memory-limit", "lots")
    assert bad.returncode == 2 and b"--memory-limit" in bad.stderr
    env = {**os.environ, "NIRC_MEMORY_LIMIT": "100"}
    proc = subprocess.run(
        [sys.executable, "-m", MODULES["nir-translate"], "--import-nir", str(SRNN)], capture_output=True, env=env
    )
    one_error(proc, "limit")


def test_depth_and_dimensions_are_limits_not_crashes(tmp_path: Path) -> None:
    deep = tmp_path / "deep.mlir"
    arr = "[" * 3000 + "1" + "]" * 3000
    deep.write_text(
        f"nir.graph <{{metadata = {{a = {arr}}}}}> {{\n"
        '  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  nir.output "out"(%in) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        "}\n"
    )
    assert "nests 3002 levels deep" in one_error(run("nir-translate", "--import-nir", deep), "limit")
    dims = "x".join(["1"] * 70)
    wide = tmp_path / "dims.mlir"
    wide.write_text(
        "nir.graph {\n"
        f'  %in = nir.input "in" {{shape = #nir.dense<70xi64: 1>}} : tensor<{dims}xf32>\n'
        f'  %s = nir.scale "s"(%in) {{scale = #nir.dense<{dims}xf32: 1.0>}} : tensor<{dims}xf32> -> tensor<{dims}xf32>\n'
        f'  nir.output "out"(%s) {{shape = #nir.dense<70xi64: 1>}} : tensor<{dims}xf32>\n'
        "}\n"
    )
    assert "70 dimensions" in one_error(run("nir-translate", "--import-nir", wide), "limit")


def test_a_misspelled_option_or_pass_is_one_line_with_the_closest_name() -> None:
    for tool, args, closest in (
        ("nir-opt", ["--canonicalise"], "--canonicalize"),
        ("nir-opt", ["-p", "canonicalise"], "'canonicalize'"),
        ("nir-translate", ["--import-nir", "--blob-treshold", "3"], "--blob-threshold"),
        ("nir-run", ["--input", "x.npy", "--semnatics", "nir"], "--semantics"),
    ):
        proc = run(tool, SRNN, *args)
        err = proc.stderr.decode().strip()
        assert proc.returncode == 2 and len(err.splitlines()) == 1, err
        assert f"did you mean {closest}?" in err, err


def test_the_files_own_dt_and_a_silent_model_are_explained(tmp_path: Path, corpus: Path) -> None:
    """A model whose metadata states dt runs at it; a model trained in steps that sends no
    spike at the profile's dt says why (cnn_sinabs.nir states none)."""
    x = (np.random.default_rng(0).random((20, 2, 34, 34)) < 0.2).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    silent = run("nir-run", corpus / "cnn_sinabs.nir", "--input", tmp_path / "x.npy")
    assert silent.returncode == 0 and b"needs --dt 1" in silent.stderr
    d = nirc.module_from_dict(
        {
            "type": "NIRGraph",
            "nodes": {
                "in": {"type": "Input", "shape": np.array([2])},
                "w": {"type": "Linear", "weight": np.eye(2)},
                "n": {"type": "IF", "r": np.ones(2), "v_threshold": np.full(2, 0.5), "v_reset": np.zeros(2)},
                "out": {"type": "Output", "shape": np.array([2])},
            },
            "edges": [("in", "w"), ("w", "n"), ("n", "out")],
            "metadata": {"dt": 1.0},
        }
    )
    y = np.ones((10, 2), np.float32)
    by_metadata = nirc.run(d, y)
    assert by_metadata.semantics is not None and by_metadata.semantics.dt == 1.0
    np.testing.assert_array_equal(by_metadata.outputs["out"], nirc.run(d, y, dt=1.0).outputs["out"])
    assert by_metadata.outputs["out"].sum() > 0


def test_time_passes_and_disable_verify_do_what_they_say(tmp_path: Path) -> None:
    timed = run("nir-opt", SRNN, "-p", "canonicalize,nir-to-snn{dt=1e-4}", "--time-passes", "-o", tmp_path / "o.mlir")
    err = timed.stderr.decode()
    assert timed.returncode == 0 and "Pass execution timing report" in err, err
    for name in ("canonicalize", "nir-to-snn", "(verifier)", "Total"):
        assert f"  {name}" in err, err
    bad = tmp_path / "bad.mlir"
    bad.write_text(
        "nir.graph {\n"
        '  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  %s = nir.scale "s"(%in) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<3xf32>\n'
        '  nir.output "out"(%s) {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>\n'
        "}\n"
    )
    one_error(run("nir-opt", bad), "result-type")
    unverified = run("nir-opt", bad, "--disable-verify")
    assert unverified.returncode == 0 and b"tensor<3xf32>" in unverified.stdout


def test_xdsl_opt_options_nir_opt_cannot_honour_are_hidden_and_refused() -> None:
    help_text = run("nir-opt", "--help").stdout.decode()
    for flag in ("--allow-unregistered-dialect", "--no-implicit-module", "--syntax-highlight", "--shrink"):
        assert flag not in help_text
    proc = run("nir-opt", SRNN, "--no-implicit-module")
    err = proc.stderr.decode().strip()
    assert (
        proc.returncode == 2
        and err == "nir-opt: error: --no-implicit-module is xdsl-opt's and has no effect in nir-opt"
    )
