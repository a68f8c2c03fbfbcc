"""The writer of generated Python: lines at an indentation, in named sections."""

from __future__ import annotations

from collections.abc import Iterable


class Block:
    """Lines of code at a base indentation (4 spaces per level)."""

    def __init__(self, indent: int = 0) -> None:
        self.indent = indent
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        """Add lines; a line's own leading spaces are kept on top of the block's."""
        for line in lines:
            self.lines.append(("    " * self.indent + line) if line else "")

    def extend(self, lines: Iterable[str]) -> None:
        self.add(*lines)

    def text(self) -> str:
        return "\n".join(self.lines)
