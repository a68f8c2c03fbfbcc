"""Errors that nirc reports to users: one line naming the file, the node and the rule."""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with every character a terminal would not show as itself (control
    characters, NUL, escape sequences, line and paragraph separators) written as its
    Python escape (``\\n``, ``\\x1b``, ``\\u2028``): a message naming hostile input stays
    one line and cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class NircError(Exception):
    """A user-facing error: bad input, an unsupported construct, a violated rule.

    ``str(err)`` is the one-line message the tools print, in the form
    ``FILE: node 'PATH': MESSAGE [RULE]`` (parts that are unknown are left out).
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        node: str | None = None,
        file: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.node = node
        self.file = file

    def in_file(self, file: str) -> NircError:
        """The same error, attributed to ``file`` (unless it already names one)."""
        if self.file is None:
            self.file = file
        return self

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}: ")
        if self.node is not None:
            parts.append(f"node '{self.node}': ")
        parts.append(self.message.replace("\n", " "))
        if self.rule:
            parts.append(f" [{self.rule}]")
        return printable("".join(parts))


class NircWarning(UserWarning):
    """Something in the input was defaulted or repaired, or a plugin was left out; the
    work goes on."""


class Violation(NircError):
    """A broken design rule of a target, with the limit and the value found (for the
    ``--report=json`` of ``nir-translate``)."""

    def __init__(self, rule: str, node: str | None, message: str, *, limit: object = None, actual: object = None):
        super().__init__(message, rule=rule, node=node)
        self.limit = limit
        self.actual = actual

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "node": self.node,
            "message": self.message,
            "limit": self.limit,
            "actual": self.actual,
        }


class Violations(NircError):
    """Every violation found at once; the tools print one line for each."""

    def __init__(self, target: str, violations: list[Violation]):
        super().__init__(f"{len(violations)} design-rule violation(s) for {target}")
        self.target = target
        self.violations = violations

    def in_file(self, file: str) -> NircError:
        super().in_file(file)
        for v in self.violations:
            v.in_file(file)
        return self

    def lines(self) -> list[str]:
        return [str(v) for v in self.violations]

    def __str__(self) -> str:
        """The count and every violation, on one line (the tools print :meth:`lines`)."""
        return f"{super().__str__()}: " + "; ".join(self.lines())

    def to_json(self) -> dict[str, object]:
        return {"target": self.target, "ok": False, "violations": [v.to_json() for v in self.violations]}
