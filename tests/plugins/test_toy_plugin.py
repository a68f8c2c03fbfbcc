"""A real out-of-tree plugin, installed and driven through the tools.

``examples/plugin`` is a separate package (its own ``pyproject.toml``, entry point in
``nirc.extensions``).  The suite installs it with pip into a temporary directory and
runs nirc's tools with that directory on ``PYTHONPATH``: what a user who ran
``pip install`` gets.  Two broken plugins, registered the way installation does (a
``.dist-info`` with ``entry_points.txt`` beside the code), check that a plugin's
failure is its own: one pass that does not import, one pass that raises, one
extension module that does not import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

PLUGIN = REPO / "examples" / "plugin"
TOOLS = {"nir-opt": "nirc.tools.nir_opt", "nir-translate": "nirc.tools.nir_translate", "nir-run": "nirc.tools.nir_run"}
SRNN = REPO / "nirc" / "examples" / "srnn.nir"


def _dist(root: Path, package: str, entry_points: str, files: dict[str, str]) -> None:
    """A package as pip installs it: its modules and a .dist-info naming its entry points."""
    info = root / f"{package}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


BROKEN = """
from dataclasses import dataclass
from typing import ClassVar

from xdsl.passes import ModulePass

from nirc import Extension


@dataclass(frozen=True)
class BoomPass(ModulePass):
    name: ClassVar[str] = "boom"

    def apply(self, ctx, op):
        raise RuntimeError("the plugin's bug")


EXTENSION = Extension(
    name="broken",
    passes={"broken-import": "broken_plugin.missing:Pass", "boom": "broken_plugin.extension:BoomPass"},
)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The toy plugin installed by pip, and two broken plugins beside it."""
    root = tmp_path_factory.mktemp("site")
    work = tmp_path_factory.mktemp("build") / "plugin"
    shutil.copytree(PLUGIN, work, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--target",
            str(root),
            str(work),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    _dist(
        root,
        "broken_plugin",
        "[nirc.extensions]\nbroken = broken_plugin.extension:EXTENSION\n",
        {"broken_plugin/__init__.py": "", "broken_plugin/extension.py": BROKEN},
    )
    _dist(
        root,
        "dead_plugin",
        "[nirc.extensions]\ndead = dead_plugin.extension:EXTENSION\n",
        {"dead_plugin/__init__.py": "", "dead_plugin/extension.py": "import not_a_module\n"},
    )
    return root


def tool(site: Path, name: str, *args: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    env.pop("NIRC_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-m", TOOLS[name], *map(str, args)], capture_output=True, text=True, env=env, timeout=600
    )


CLAMPS = """nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %c1 = toy.clamp "c1"(%in) {lo = #nir.dense<2xf32: -2.0>, hi = #nir.dense<2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
  %c2 = toy.clamp "c2"(%c1) {lo = #nir.dense<2xf32: -1.0>, hi = #nir.dense<2xf32: 3.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%c2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
"""


def test_help_lists_the_plugins_pass_and_pipeline(site: Path) -> None:
    res = tool(site, "nir-opt", "--help")
    assert res.returncode == 0, res.stderr
    assert "--toy-clamp-inputs" in res.stdout and "run toy-clamp-inputs (extension toy)" in res.stdout
    assert "--nir-to-toy" in res.stdout
    # every extension, with its summary and the package it comes from
    assert "  toy        an example plugin: toy.clamp, its kernel, a pass" in res.stdout
    assert "[nirc-toy-plugin]" in res.stdout and "  speck      SynSense Speck" in res.stdout
    # the plugin whose extension does not import is left out, with a warning, not a failure
    assert "plugin 'dead'" in res.stderr and "left out" in res.stderr


def test_nir_run_simulates_the_plugins_op(site: Path, tmp_path: Path) -> None:
    model = tmp_path / "m.mlir"
    model.write_text(CLAMPS)
    x = tmp_path / "x.npy"
    np.save(x, np.array([[-5.0, 0.2], [3.0, -0.5]]))
    res = tool(site, "nir-run", model, "--input", x, "-o", tmp_path / "o.npz")
    assert res.returncode == 0, res.stderr
    assert np.array_equal(np.load(tmp_path / "o.npz")["out"], [[-1.0, 0.2], [0.5, -0.5]])


def test_canonicalize_applies_the_plugins_canonicalization(site: Path, tmp_path: Path) -> None:
    model = tmp_path / "m.mlir"
    model.write_text(CLAMPS)
    for pipeline in ("canonicalize", "canonicalize{fold=false}"):
        res = tool(site, "nir-opt", model, "-p", pipeline)
        assert res.returncode == 0, res.stderr
        assert (
            res.stdout.count("toy.clamp") == 1
            and 'toy.clamp "c2"(%in) {lo = #nir.dense<2xf32: -1.0>, hi = #nir.dense<2xf32: 0.5>}' in res.stdout
        )


@pytest.mark.parametrize("bound", ["1", "1e-2", "0.25"])
def test_the_plugins_pass_takes_numbers_as_people_write_them(site: Path, bound: str) -> None:
    res = tool(site, "nir-opt", SRNN, "-p", f"toy-clamp-inputs{{bound={bound}}}")
    assert res.returncode == 0, res.stderr
    assert f"hi = #nir.dense<12xf32: {float(bound)}>" in res.stdout
    bad = tool(site, "nir-opt", SRNN, "-p", "toy-clamp-inputs{bound=-1}")
    assert bad.returncode == 2 and "bad options for pass 'toy-clamp-inputs': bound must be > 0" in bad.stderr


def test_the_plugins_profile_pipeline_and_patterns(site: Path, tmp_path: Path) -> None:
    x = tmp_path / "x.npy"
    np.save(x, (np.random.default_rng(0).random((50, 12)) < 0.5).astype(float) * 5)
    res = tool(site, "nir-run", SRNN, "--input", x, "--semantics", "toy", "-o", tmp_path / "o.npz")
    assert res.returncode == 0 and "(toy, dt=0.0001)" in res.stderr, res.stderr
    snn = tool(site, "nir-opt", SRNN, "-p", "nir-to-toy{dt=1e-4 bound=10}", "-o", tmp_path / "t.mlir")
    assert snn.returncode == 0, snn.stderr
    text = (tmp_path / "t.mlir").read_text()
    assert 'name = "toy"' in text and "toy.clamp" in text and "snn.rsynaptic" in text
    # the plugin's pattern file: a clamp of single spikes to [0, 1] goes
    clamped = text.replace(
        '%fc2 = nir.linear "fc2"(%lif1_lif)',
        '%k = toy.clamp "k"(%lif1_lif) {lo = #nir.dense<16xf32: 0.0>, hi = #nir.dense<16xf32: 1.0>} : tensor<16xf32> -> tensor<16xf32>\n    %fc2 = nir.linear "fc2"(%k)',
    )
    assert clamped != text
    (tmp_path / "k.mlir").write_text(clamped)
    patterns = site / "nirc_toy" / "rewrites.pat"
    res = tool(site, "nir-opt", tmp_path / "k.mlir", "--patterns", patterns)
    assert res.returncode == 0, res.stderr
    assert 'toy.clamp "k"' not in res.stdout and 'nir.linear "fc2"(%lif1_lif)' in res.stdout
    # ... and by the name the extension ships it under
    by_name = tool(site, "nir-opt", tmp_path / "k.mlir", "--patterns", "toy:rewrites")
    assert by_name.returncode == 0 and by_name.stdout == res.stdout, by_name.stderr
    assert "toy:rewrites" in tool(site, "nir-opt", "--help").stdout


def test_nir_translate_emits_with_the_plugins_target(site: Path, tmp_path: Path) -> None:
    res = tool(site, "nir-translate", SRNN, "--target=toy-json", "-o", tmp_path / "out", "--indent", "2")
    assert res.returncode == 0, res.stderr
    assert "wrote toy-json artefacts" in res.stdout and "nodes" in res.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.json", "params.npz"]
    help_text = tool(site, "nir-translate", SRNN, "--target=toy-json", "--help").stdout
    assert "options of --target=toy-json" in help_text and "--indent INDENT" in help_text


@pytest.mark.parametrize("indent", ["-1", "two"])
def test_a_bad_target_option_is_a_usage_error(site: Path, tmp_path: Path, indent: str) -> None:
    """The option's type refuses the value (argparse.ArgumentTypeError): exit 2, one line
    naming the option, before anything is read or written."""
    res = tool(site, "nir-translate", SRNN, "--target=toy-json", "-o", tmp_path / "out", "--indent", indent)
    assert res.returncode == 2, res.stderr
    assert f"argument --indent: must be a whole number >= 0, got '{indent}'" in res.stderr
    assert "Traceback" not in res.stderr and "[toy-json]" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_the_plugins_target_replaces_only_its_own_output(site: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    assert tool(site, "nir-translate", SRNN, "--target=toy-json", "-o", outdir).returncode == 0
    again = tool(site, "nir-translate", SRNN, "--target=toy-json", "-o", outdir, "--indent", "0")
    assert again.returncode == 0, again.stderr  # graph.json names the format: an earlier run's
    (outdir / "graph.json").write_text('{"format": "someone else\'s"}')
    res = tool(site, "nir-translate", SRNN, "--target=toy-json", "-o", outdir)
    assert res.returncode == 1 and f"error: {outdir}: a non-empty directory" in res.stderr, res.stderr


def test_two_pattern_files_of_one_name_break_only_their_lookup(tmp_path: Path) -> None:
    """An extension that ships two pattern files of one stem: ``EXTENSION:STEM`` is an
    error where used, but every other command runs, and ``--help`` drops only the list."""
    root = tmp_path / "site"
    _dist(
        root,
        "twins_plugin",
        "[nirc.extensions]\ntwins = twins_plugin.extension:EXTENSION\n",
        {
            "twins_plugin/__init__.py": "",
            "twins_plugin/extension.py": "from nirc import Extension\n"
            "EXTENSION = Extension(name='twins', patterns=['a/rules.pat', 'b/rules.pat'])\n",
        },
    )
    ok = tool(root, "nir-opt", SRNN, "-p", "canonicalize")
    assert ok.returncode == 0, ok.stderr
    help_text = tool(root, "nir-opt", "--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "--patterns FILE" in help_text.stdout and "twins:rules" not in help_text.stdout
    res = tool(root, "nir-opt", SRNN, "--patterns", "twins:rules")
    assert res.returncode == 1 and "extension 'twins' ships two pattern files named 'rules' [plugin]" in res.stderr


def test_a_plugin_pass_that_does_not_import_breaks_only_itself(site: Path) -> None:
    ok = tool(site, "nir-opt", SRNN, "-p", "canonicalize")
    assert ok.returncode == 0, ok.stderr
    res = tool(site, "nir-opt", SRNN, "-p", "broken-import")
    assert res.returncode == 1
    assert (
        "plugin 'broken': pass 'broken-import' (broken_plugin.missing:Pass) failed to load: ModuleNotFoundError"
        in res.stderr
    )
    errors = [line for line in res.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr


def test_an_exception_in_a_plugin_pass_is_the_plugins(site: Path) -> None:
    res = tool(site, "nir-opt", SRNN, "-p", "boom")
    assert res.returncode == 1
    assert "pass 'boom' of plugin 'broken' failed: RuntimeError: the plugin's bug [plugin]" in res.stderr
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr
