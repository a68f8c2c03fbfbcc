"""``apply-patterns{file=PATH}``: a user's pattern file, as a pass.

Applies the file's rewrite patterns with nirc's greedy driver (sweeps until none
applies, bounded: a pattern that keeps matching its own result stops with
``[pattern-convergence]``), then checks its legality rules on every node and reports
every violation at once (``[RULE]``, the rule's name; exit 1 from ``nir-opt``).
``nir-opt IN --patterns FILE`` is the same as ``-p 'apply-patterns{file="FILE"}'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core.errors import Violation, Violations
from nirc.core.gcpause import pauses_gc
from nirc.core.rewriting import apply_patterns
from nirc.patterns.files import load


@dataclass(frozen=True)
class ApplyPatternsPass(ModulePass):
    """Apply the rewrite patterns of a pattern file, then check its legality rules."""

    name: ClassVar[str] = "apply-patterns"

    file: str = ""

    def __post_init__(self) -> None:
        if not self.file:
            raise ValueError("apply-patterns needs file=PATH (a pattern file, docs/patterns.md)")

    @pauses_gc
    def apply(self, ctx: Context, op: ModuleOp) -> None:
        patterns = load(self.file)
        if patterns.rewrites:
            apply_patterns(op, patterns.rewrites, origin=lambda p, op: self.file)
        violations: list[Violation] = []
        ops = list(op.walk())
        for rule in patterns.legality.values():
            violations.extend(rule.violations(ops)[1])
        if violations:
            raise Violations(f"the legality rules of {self.file}", violations)
