"""The table-driven design-rule tests the targets share: one failing example per rule,
and what every violation it reports must say."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nirc.core.errors import Violation

ANY = object()  # limit/actual not asserted


@dataclass
class RuleCase:
    """A model that breaks ``rule`` (and the rules in ``also``, which it cannot help
    breaking), and what the violations must say."""

    id: str
    rule: str
    model: Callable[[], dict]
    #: the node(s) the violation may name (None: the whole model)
    node: str | set | None
    limit: object = ANY
    actual: object = ANY
    #: how many violations of ``rule``
    count: int = 1
    #: other rules the model cannot help breaking too
    also: set[str] = field(default_factory=set)
    #: how the violations are collected (each target's test gives its default)
    collect: Callable[[dict], list[Violation]] | None = None
    message: str = ""


def assert_violations(case: RuleCase, violations: list[Violation]) -> None:
    """The rules broken are exactly ``case.rule`` and ``case.also``; each violation of
    ``case.rule`` names one of its nodes (one violation per node), has its limit,
    actual value and message, and ends with its rule."""
    rules = {v.rule for v in violations}
    assert rules == {case.rule} | case.also, [str(v) for v in violations]
    mine = [v for v in violations if v.rule == case.rule]
    assert len(mine) == case.count, [str(v) for v in mine]
    nodes = case.node if isinstance(case.node, set) else {case.node}
    for v in mine:
        assert v.node in nodes, str(v)
        if case.limit is not ANY:
            assert v.limit == case.limit, str(v)
        if case.actual is not ANY:
            assert v.actual == case.actual, str(v)
        assert case.message in v.message, str(v)
        assert str(v).endswith(f"[{case.rule}]")
    assert len({v.node for v in mine}) == len(mine)


def tool_violations(stderr: str, model: object, target: str) -> list[tuple[str, str]]:
    """``(rule, node)`` of each line ``nir-translate --target=TARGET`` printed for a
    model that breaks rules: every line must be ``nir-translate: error: FILE: node
    'NODE': MESSAGE [TARGET-RULE]`` with the model's file."""
    line_re = re.compile(
        rf"^nir-translate: error: (?P<file>\S+): node '(?P<node>[^']+)': (?P<message>.+) \[(?P<rule>{target}-[a-z-]+)\]$"
    )
    found = []
    for line in stderr.strip().splitlines():
        m = line_re.match(line)
        assert m, line
        assert m["file"] == str(model), line
        found.append((m["rule"], m["node"]))
    return found
