"""Targets: what ``nir-translate --target=NAME`` compiles a model for.

One folder per chip or framework, self-contained: a chip's ``dialect.py``, ``kernels.py``,
``resources.py``, ``rules.py``/``legality.pat``, its passes, ``emit.py``, ``target.py`` and
``extension.py`` (``speck/``); a framework's mapping, profile, target and extension on the
shared Python code generator (``pygen/``: ``snntorch/``, ``norse/``).  Each reaches nirc as
an :class:`~nirc.core.extension.Extension` registered under the entry-point group
``nirc.extensions``; its target object follows :class:`nirc.core.target.Target`.  Nothing
outside ``targets/<name>/`` names that target (``docs/architecture.md``).
"""
