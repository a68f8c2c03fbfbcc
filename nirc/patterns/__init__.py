"""nirc's pattern language: rewrite patterns and legality rules, declared in a few lines.

In the spirit of MLIR's PDLL: a pattern file (``.pat``, grammar in ``grammar.lark``,
reference in ``docs/patterns.md``) declares

* ``pattern NAME { match CHAIN where CONDITIONS replace X with KIND(...) {...} }`` —
  a rewrite, compiled to an xDSL ``RewritePattern`` (:mod:`.compiled`);
* ``legal NAME { match CHAIN where CONDITIONS message "..." }`` — a legality rule:
  every node of the chain's last kind must match (a chip's design rule, say).

:func:`load` / :func:`loads` parse, check and compile a file (:mod:`.files`); the
``apply-patterns`` pass (:mod:`.apply`, ``nir-opt --patterns FILE``) applies one.
:mod:`.syntax` is the parser, :mod:`.expressions` the expression library and
:mod:`.match` the chain matcher every declaration compiles to.
"""

from nirc.patterns.compiled import LegalityRule, PatternRewrite
from nirc.patterns.files import PatternSet, load, loads
from nirc.patterns.match import Failure, Match

__all__ = ["Failure", "LegalityRule", "Match", "PatternRewrite", "PatternSet", "load", "loads"]
