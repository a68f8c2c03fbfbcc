"""The shared Python code generator is framework-neutral.

No module of ``nirc/targets/pygen/`` outside its language backends (``pygen/torch/``)
imports or names torch, snnTorch or Norse: not in an import, an identifier, an attribute
or a string that is not a docstring (prose may cite a framework as an example).  The
torch backend names no framework either.  A JAX or Nengo emitter then reuses the names,
the weights file, the walk, the report and the target object as they are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PYGEN = Path(__file__).resolve().parents[3] / "nirc" / "targets" / "pygen"
BACKENDS = sorted(p for p in PYGEN.iterdir() if p.is_dir() and (p / "__init__.py").exists())
FRAMEWORKS = ("snntorch", "norse")


def _words(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every import, identifier, attribute, argument and non-docstring
    string of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias):
            found.append((node.lineno, node.name))
            if node.asname:
                found.append((node.lineno, node.asname))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append((node.lineno, node.name))
        elif isinstance(node, ast.arg):
            found.append((node.lineno, node.arg))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


def _offenders(paths: list[Path], names: tuple[str, ...]) -> list[str]:
    word = re.compile(rf"(?<![A-Za-z])({'|'.join(map(re.escape, names))})(?![A-Za-z])", re.I)
    return [
        f"{path.name if PYGEN not in path.parents else path.relative_to(PYGEN.parents[2])}:{line}: {text!r}"
        for path in paths
        for line, text in _words(path)
        if word.search(text)
    ]


def test_the_torch_backend_is_found() -> None:
    assert PYGEN / "torch" in BACKENDS


def test_the_neutral_modules_name_no_framework() -> None:
    neutral = [p for p in sorted(PYGEN.rglob("*.py")) if not any(b in p.parents for b in BACKENDS)]
    assert {p.name for p in neutral} >= {
        "names.py",
        "source.py",
        "weights.py",
        "load.py",
        "walk.py",
        "target.py",
        "backend.py",
    }
    offenders = _offenders(neutral, ("torch", *FRAMEWORKS))
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("backend", BACKENDS, ids=[b.name for b in BACKENDS])
def test_a_backend_names_no_framework(backend: Path) -> None:
    offenders = _offenders(sorted(backend.rglob("*.py")), FRAMEWORKS)
    assert not offenders, "\n".join(offenders)


def test_the_check_is_not_vacuous(tmp_path: Path) -> None:
    """An import of torch, an attribute, a string: each is caught; a docstring is not."""
    probe = tmp_path / "probe.py"
    probe.write_text('"""torch in prose is fine."""\nimport torch\nx.snntorch\ny = "norse.LIFCell"\n', encoding="utf-8")
    found = sorted(o.split(": ", 1)[1] for o in _offenders([probe], ("torch", *FRAMEWORKS)))
    assert found == ["'norse.LIFCell'", "'snntorch'", "'torch'"]
