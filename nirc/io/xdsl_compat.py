"""Workarounds for xDSL (pinned at 0.74.0) that nirc's text format needs.

**String literals with an escape and a non-ASCII character.**  xDSL's lexer returns a
*bytes* literal for any string literal that has an escape sequence (``\\22``, ``\\0A``,
``\\\\``) and a non-ASCII character, although its own docstring says it returns a string
literal whenever the payload is valid UTF-8.  A node named ``"é"`` with a quote in it, or
a metadata string ``"a\\nü"``, then fails to parse (or comes back as a ``BytesAttr``).
The patch below makes the lexer do what its docstring says: valid UTF-8 is a string.
It is applied once, when :mod:`nirc.io.text` is imported, and only changes the kind of
tokens that xDSL would otherwise misclassify.
"""

from __future__ import annotations

from xdsl.utils.mlir_lexer import MLIRLexer, MLIRTokenKind, StringLiteral

_original = MLIRLexer._lex_string_literal  # pyright: ignore[reportPrivateUsage]


def _lex_string_literal(self: MLIRLexer, start_pos: int):  # type: ignore[no-untyped-def]
    token = _original(self, start_pos)
    if token.kind is MLIRTokenKind.BYTES_LIT:
        literal = StringLiteral.from_span(token.span)
        try:
            literal.bytes_contents.decode("utf-8")
        except UnicodeDecodeError:
            return token
        return type(token)(MLIRTokenKind.STRING_LIT, token.span)
    return token


def apply() -> None:
    if MLIRLexer._lex_string_literal is not _lex_string_literal:  # pyright: ignore[reportPrivateUsage]
        MLIRLexer._lex_string_literal = _lex_string_literal  # type: ignore[method-assign]


apply()
