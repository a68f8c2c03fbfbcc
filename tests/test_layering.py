"""The layering of ``../shared/DESIGN.md``, enforced.

* the import-linter contracts in ``pyproject.toml`` (``[tool.importlinter]``): imports
  point down (tools -> targets -> passes/patterns/interp -> io -> dialects -> core),
  the dialects stand alone, each target folder is self-contained, and no two sibling
  modules import each other; grimp sees imports inside functions too, so none hides;
* nothing inside the package imports the package root ``nirc`` (the public facade);
* nothing outside ``nirc/targets/<name>/`` names a target: no target is wired in by hand.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "nirc"


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports (import-linter) is not installed: pip install -e '.[test]'")
    proc = subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_broken_layer_is_caught(tmp_path: Path) -> None:
    """The contract is not vacuous: an import from core up to the tools, hidden in a
    function, breaks it (checked on a copy of the package)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None
    copy = tmp_path / "repo"
    shutil.copytree(PACKAGE, copy / "nirc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    with open(copy / "nirc" / "core" / "shapes.py", "a") as f:
        f.write("\n\ndef _probe():\n    from nirc.tools import common  # noqa: F401\n")
    proc = subprocess.run(
        [exe, "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(copy), "PATH": str(Path(sys.executable).parent)},
    )
    assert proc.returncode != 0 and "BROKEN" in proc.stdout, proc.stdout[-2000:]


def test_nothing_inside_imports_the_package_root() -> None:
    import grimp

    graph = grimp.build_graph("nirc")
    importers = graph.find_modules_that_directly_import("nirc")
    assert not importers, f"modules importing the facade 'nirc': {sorted(importers)}"


TARGETS = sorted(p.name for p in (PACKAGE / "targets").iterdir() if p.is_dir() and (p / "extension.py").exists())


def _code_words(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every identifier, attribute, import and string literal of a module
    that is not a docstring: what the code does, not what its prose cites."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias):
            found.append((node.lineno, node.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("target", TARGETS)
def test_only_its_folder_names_a_target(target: str) -> None:
    """No identifier, import or string outside ``nirc/targets/<target>/`` names it (prose
    in comments and docstrings may cite a platform as an example)."""
    word = re.compile(rf"(?<![A-Za-z]){re.escape(target)}(?![A-Za-z])", re.I)
    own = PACKAGE / "targets" / target
    offenders = [
        f"{path.relative_to(REPO)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if own not in path.parents
        for line, text in _code_words(path)
        if word.search(text)
    ]
    assert not offenders, "\n".join(offenders)
