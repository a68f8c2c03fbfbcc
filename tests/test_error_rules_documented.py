"""Every rule name nirc can print (``[RULE]`` at the end of an error line) is documented.

The names are collected from the source, without running anything:

* the string-literal first argument of a call to a *rule-taking* callable: ``NodeError``,
  ``Violation`` and any function or method whose first parameter is ``rule`` (such as
  Speck's ``Analysis.fail``), found by walking ``nirc/**/*.py``;
* the string literal of every ``rule=`` keyword argument;
* a rule computed by a function of the package that returns an f-string, such as
  ``unsupported(backend)`` -> ``f"{backend.family}-unsupported"``: each ``{x.ATTR}`` is
  expanded to every string a class of the package assigns to ``ATTR``
  (``family = "torch"`` -> ``torch-unsupported``);
* the names of the legality rules (``legal NAME { ... }``) of the pattern files
  ``nirc/**/*.pat``, which become rule names when the file is applied.

A non-literal rule expression the collector cannot resolve must be one of
:data:`FORWARDED` (a rule named elsewhere, passed on): a new kind of dynamic rule name
fails the test until it is looked at.

Each name must appear in the first column of a table under ``## Rules`` of
``docs/errors.md``.  The one exception, narrow on purpose: a ``speck-`` rule may instead
be listed in the design-rules table of ``docs/targets/speck.md``, which ``errors.md``
covers with its ``speck-*`` row.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nirc.patterns.syntax import parse as parse_patterns

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "nirc"
ERRORS_MD = REPO / "docs" / "errors.md"
SPECK_MD = REPO / "docs" / "targets" / "speck.md"

#: The classes whose first argument is a rule (besides what :func:`rule_callables` finds).
RULE_CLASSES = frozenset({"NodeError", "Violation"})

#: Non-literal rule expressions that pass on a rule named elsewhere, by file: the names
#: themselves are collected where they are written.
FORWARDED: dict[tuple[str, str], str] = {
    ("nirc/core/errors.py", "rule"): "Violation passes its rule on to NircError",
    ("nirc/core/verify.py", "match['rule']"): "the rule parsed back from a verifier message (NodeError's)",
    ("nirc/io/from_dict.py", "err.rule"): "a NodeError's rule, raised again with the node's path",
    ("nirc/targets/pygen/walk.py", "self.rule"): "unsupported(backend), kept by the writer",
    ("nirc/targets/pygen/walk.py", "e.rule or self.rule"): "the errors collected per node",
    ("nirc/targets/speck/rules.py", "rule"): "Analysis.fail passes its rule on to Violation",
    ("nirc/patterns/compiled.py", "self.name"): "a legality rule's name, from its .pat file",
    ("nirc/targets/lava/conv.py", "self.SHAPE_RULE"): "each conv op's shape rule (loihi2-shape, lava-dl-shape)",
    ("nirc/targets/lava/conv.py", "fan_in_rule"): "each conv op's fan-in rule (loihi2-fan-in, lava-dl-fan-in)",
}


@dataclass
class Collected:
    """What the walk found: rule names (with where each is written) and the non-literal
    rule expressions it could not resolve, as (file, expression)."""

    rules: dict[str, set[str]] = field(default_factory=dict)
    unresolved: set[tuple[str, str]] = field(default_factory=set)

    def add(self, rule: str, where: str) -> None:
        self.rules.setdefault(rule, set()).add(where)


def _positional(fn: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    return params[1:] if method and params else params


def rule_callables(trees: Iterable[ast.Module]) -> tuple[set[str], set[str], set[str]]:
    """Names of the callables whose first parameter is ``rule``: functions and classes
    (called by name or as ``module.name``), methods (called as ``obj.name``), and of those
    methods the ones another class also defines without a ``rule`` (``Analysis.fail`` and
    the matcher's ``search.fail(failure)``): the receiver's class is unknown there."""
    functions: set[str] = set(RULE_CLASSES)
    methods: set[str] = set()
    other_methods: set[str] = set()
    for tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _positional(node, method=False)[:1] == ["rule"]:
                    functions.add(node.name)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        continue
                    if _positional(item, method=True)[:1] != ["rule"]:
                        other_methods.add(item.name)
                        continue
                    if item.name == "__init__":
                        functions.add(node.name)  # the class: called by name
                    else:
                        methods.add(item.name)
    return functions, methods, methods & other_methods


def class_strings(trees: Iterable[ast.Module]) -> dict[str, set[str]]:
    """``ATTR -> {"value", ...}`` for every ``ATTR = "value"`` in a class body."""
    found: dict[str, set[str]] = {}
    for tree in trees:
        for cls in ast.walk(tree):
            if not isinstance(cls, ast.ClassDef):
                continue
            for item in cls.body:
                if isinstance(item, ast.Assign):
                    targets = item.targets
                elif isinstance(item, ast.AnnAssign):
                    targets = [item.target]
                else:
                    continue
                value = item.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    for target in targets:
                        if isinstance(target, ast.Name):
                            found.setdefault(target.id, set()).add(value.value)
    return found


def returned_fstrings(trees: Iterable[ast.Module]) -> dict[str, list[ast.JoinedStr]]:
    """Module-level function name -> the f-strings it returns."""
    found: dict[str, list[ast.JoinedStr]] = {}
    for tree in trees:
        for fn in tree.body:
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Return) and isinstance(node.value, ast.JoinedStr):
                        found.setdefault(fn.name, []).append(node.value)
    return found


def expand_fstring(fstring: ast.JoinedStr, strings: dict[str, set[str]]) -> set[str]:
    """Every value of ``fstring`` where each ``{x.ATTR}`` is a string a class assigns to
    ``ATTR``; empty where a part is anything else."""
    choices: list[list[str]] = []
    for part in fstring.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            choices.append([part.value])
        elif (
            isinstance(part, ast.FormattedValue)
            and part.conversion == -1
            and part.format_spec is None
            and isinstance(part.value, ast.Attribute)
            and strings.get(part.value.attr)
        ):
            choices.append(sorted(strings[part.value.attr]))
        else:
            return set()
    return {"".join(combo) for combo in itertools.product(*choices)}


def _callee(call: ast.Call) -> tuple[str | None, bool]:
    """The called name, and whether it is called as an attribute (``obj.name``)."""
    if isinstance(call.func, ast.Name):
        return call.func.id, False
    if isinstance(call.func, ast.Attribute):
        return call.func.attr, True
    return None, False


def collect(sources: dict[str, str]) -> Collected:
    """The rule names that the Python ``sources`` (file name -> text) can emit."""
    trees = {name: ast.parse(text, filename=name) for name, text in sources.items()}
    functions, methods, ambiguous = rule_callables(trees.values())
    strings = class_strings(trees.values())
    fstrings = returned_fstrings(trees.values())
    out = Collected()

    def take(expr: ast.expr, where: str, literal_only: bool = False) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            out.add(expr.value, where)
            return
        if literal_only:
            return  # a method of that name that takes no rule: not a rule expression
        if isinstance(expr, ast.Constant) and expr.value is None:
            return  # no rule
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in fstrings:
            names = set().union(*(expand_fstring(f, strings) for f in fstrings[expr.func.id]))
            if names:
                for rule in names:
                    out.add(rule, where)
                return
        out.unresolved.add((where.rsplit(":", 1)[0], ast.unparse(expr)))

    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{name}:{node.lineno}"
            callee, as_attribute = _callee(node)
            if node.args and callee in functions:
                take(node.args[0], where)
            elif node.args and as_attribute and callee in methods:
                take(node.args[0], where, literal_only=callee in ambiguous)
            for kw in node.keywords:
                if kw.arg == "rule":
                    take(kw.value, where)
    return out


def legality_rules(text: str, source: str) -> set[str]:
    """The names of the ``legal`` declarations of a pattern file."""
    return {decl.name for decl in parse_patterns(text, source) if decl.kind == "legal"}


def table_names(markdown: str, heading: str) -> set[str]:
    """The backquoted names in the first column of the tables under ``heading`` (up to
    the next heading of its level or above)."""
    level = len(heading) - len(heading.lstrip("#"))
    names: set[str] = set()
    inside = False
    for line in markdown.splitlines():
        if line.startswith("#"):
            this = len(line) - len(line.lstrip("#"))
            if line.strip() == heading:
                inside = True
                continue
            if inside and this <= level:
                break
        if inside and line.startswith("|"):
            first = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first))
    return names


def undocumented(rules: Iterable[str], errors_md: str, speck_md: str) -> set[str]:
    """The rules neither ``errors.md`` nor (for a ``speck-`` rule) ``speck.md``'s design
    rules list."""
    documented = table_names(errors_md, "## Rules")
    design_rules = {name for name in table_names(speck_md, "## Design rules") if name.startswith("speck-")}
    return {
        rule for rule in rules if rule not in documented and not (rule.startswith("speck-") and rule in design_rules)
    }


# --------------------------------------------------------------------------- the package


def _package_sources() -> dict[str, str]:
    return {
        path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))
    }


def _package_rules() -> Collected:
    found = collect(_package_sources())
    for path in sorted(PACKAGE.rglob("*.pat")):
        name = path.relative_to(REPO).as_posix()
        for rule in legality_rules(path.read_text(encoding="utf-8"), name):
            found.add(rule, name)
    return found


def _describe(rules: dict[str, set[str]], names: Iterable[str]) -> Iterator[str]:
    for name in sorted(names):
        yield f"{name} ({', '.join(sorted(rules[name])[:3])})"


def test_every_rule_is_documented() -> None:
    found = _package_rules()
    missing = undocumented(found.rules, ERRORS_MD.read_text(encoding="utf-8"), SPECK_MD.read_text(encoding="utf-8"))
    assert not missing, "rules missing from docs/errors.md:\n  " + "\n  ".join(_describe(found.rules, missing))


def test_no_unknown_dynamic_rule() -> None:
    found = _package_rules()
    unknown = found.unresolved - set(FORWARDED)
    gone = set(FORWARDED) - found.unresolved
    assert not gone, f"FORWARDED lists rule expressions no longer in the code: {sorted(gone)}"
    assert not unknown, f"rule names the test cannot read (resolve them, or add them to FORWARDED): {sorted(unknown)}"


def test_every_documented_rule_exists() -> None:
    found = _package_rules()
    documented = table_names(ERRORS_MD.read_text(encoding="utf-8"), "## Rules") - {"speck-*"}
    stale = documented - set(found.rules)
    assert not stale, f"docs/errors.md lists rules no code emits: {sorted(stale)}"


def test_speck_family_row_points_at_the_design_rules() -> None:
    errors_md = ERRORS_MD.read_text(encoding="utf-8")
    assert "speck-*" in table_names(errors_md, "## Rules")
    assert "targets/speck.md#design-rules" in errors_md
    assert "## Design rules" in SPECK_MD.read_text(encoding="utf-8")


def test_collection_finds_what_the_code_emits() -> None:
    """Sanity: the walk sees rules of every kind of site in the real package."""
    found = _package_rules()
    for rule in (
        "positive-tau",  # NodeError("...")
        "file",  # rule="..."
        "speck-cycle",  # Violation("...")
        "speck-conv",  # Analysis.fail("...")
        "torch-unsupported",  # unsupported(backend): f"{backend.family}-unsupported"
        "speck-core-input",  # legal speck-core-input { ... } in legality.pat
    ):
        assert rule in found.rules, rule


# --------------------------------------------------------------------------- the test can fail

SYNTHETIC = """
class NodeError(ValueError):
    def __init__(self, rule, message): ...

class Analysis:
    def fail(self, rule, op, message): ...

class Backend:
    family = "toy"

def unsupported(backend):
    return f"{backend.family}-unsupported"

class Search:
    def fail(self, failure): ...  # another fail: a.fail's receiver is not known statically

def fail(tool, message, code): ...  # not rule-taking: its first parameter is no rule

def check(a, backend):
    raise NodeError("made-up-verifier", "m")
    Violation("made-up-violation", None, "m")
    NircError("m", rule="made-up-keyword")
    a.fail("made-up-helper", None, "m")
    NircError("m", rule=unsupported(backend))
    NircError("m", rule=pick_one())
    fail("nir-opt", "m", 1)
    search.fail(Failure("kind"))
"""


def test_synthetic_rules_are_collected_and_reported_missing() -> None:
    found = collect({"toy.py": SYNTHETIC})
    assert set(found.rules) == {
        "made-up-verifier",
        "made-up-violation",
        "made-up-keyword",
        "made-up-helper",
        "toy-unsupported",
    }
    assert found.unresolved == {("toy.py", "pick_one()")}
    errors_md = "## Rules\n\n| rule | what |\n|---|---|\n| `made-up-verifier`, `made-up-keyword` | ... |\n"
    speck_md = "## Design rules\n\n| rule | what |\n|---|---|\n| `speck-made-up` | ... |\n"
    assert undocumented(found.rules, errors_md, speck_md) == {"made-up-violation", "made-up-helper", "toy-unsupported"}
    # speck.md counts for speck- rules only, and only in its design-rules table
    assert undocumented({"speck-made-up", "made-up-verifier"}, errors_md, speck_md) == set()
    assert undocumented({"speck-made-up"}, errors_md, speck_md.replace("## Design rules", "## Other")) == {
        "speck-made-up"
    }
    assert undocumented({"made-up-x"}, errors_md, "## Design rules\n| `made-up-x` | ... |\n") == {"made-up-x"}
    # a name mentioned outside the tables' first column is not documented
    assert undocumented({"made-up-prose"}, errors_md + "\nsee `made-up-prose`\n| x | `made-up-prose` |\n", "") == {
        "made-up-prose"
    }


def test_legality_rules_of_a_pattern_file_are_collected() -> None:
    text = """
    // legal commented-out { match nir.input }
    chain feed { nir.input -> w: nir.linear }
    legal made-up-legal { match @feed -> n: snn.leaky message "a Linear of the input" }
    """
    assert legality_rules(text, "toy.pat") == {"made-up-legal"}
