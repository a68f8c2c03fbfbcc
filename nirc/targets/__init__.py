"""Targets: what ``nir-translate --target=NAME`` compiles a model for.

A target is an object registered under the entry-point group ``nirc.targets``
(:mod:`nirc.registry`) that follows :class:`nirc.core.target.Target`; each chip or
simulator is a package here (``speck/``: resources, rules, passes, emitter).
"""
