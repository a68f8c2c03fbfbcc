"""The writer of generated Python: lines at an indentation, call arguments, comments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


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


def indented(lines: Iterable[str], level: int) -> list[str]:
    """``lines`` at ``level`` (4 spaces each); empty lines stay empty."""
    block = Block(level)
    block.extend(lines)
    return block.lines


def kw(**args: Any) -> str:
    """Keyword arguments for a call, in the order given."""
    return ", ".join(f"{k}={v}" for k, v in args.items())


def describe(value: np.ndarray) -> str:
    """A short account of a parameter for a comment: its value where uniform."""
    flat = np.asarray(value).reshape(-1)
    if flat.size and (flat == flat[0]).all():
        return f"{float(flat[0]):.6g}" + (f" (x{flat.size})" if flat.size > 1 else "")
    return f"{flat.size} values in [{float(flat.min()):.4g}, {float(flat.max()):.4g}]" if flat.size else "empty"
