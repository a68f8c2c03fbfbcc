"""The pattern language as an extension: the ``apply-patterns`` pass (registered as
``nirc.extensions: patterns`` in nirc's ``pyproject.toml``)."""

from nirc.core.extension import Extension

EXTENSION = Extension(
    name="patterns",
    summary="rewrite patterns and legality rules written in nirc's pattern language",
    passes={"apply-patterns": "nirc.patterns.apply:ApplyPatternsPass"},
)
