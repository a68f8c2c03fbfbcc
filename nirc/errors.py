"""Errors that nirc reports to users: one line naming the file, the node and the rule."""

from __future__ import annotations


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
        return "".join(parts)
