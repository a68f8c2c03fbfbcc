"""The printer nirc uses: xDSL's, with string literals that read back.

xDSL escapes every non-ASCII byte of a string literal (``"é"`` prints as ``"\\C3\\A9"``),
and its lexer then reads that literal as *bytes*, so names and metadata strings with
non-ASCII characters do not survive a print/parse round trip.  This printer keeps
non-ASCII characters as UTF-8 text and escapes only ``"``, ``\\`` and control
characters (as ``\\XX``), which xDSL and MLIR both read back as the same string.
"""

from __future__ import annotations

from xdsl.printer import Printer


def escape_string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"' or ch == "\\" or code < 0x20 or code == 0x7F:
            out.append(f"\\{code:02X}" if ch != "\\" else "\\\\")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


class NircPrinter(Printer):
    def print_string_literal(self, string: str) -> None:
        self.print_string(escape_string(string))
