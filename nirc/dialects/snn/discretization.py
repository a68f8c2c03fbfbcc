"""How a module was discretized: the ``snn.discretization`` attribute.

``convert-nir-to-snn`` records the semantics it discretized with on the top-level graph,
so a discrete-time module runs as it was made (``nir-run`` needs no options) and cannot
be discretized again with other choices.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from xdsl.dialects.builtin import DictionaryAttr, FloatAttr, IntegerAttr, ModuleOp, StringAttr, f64, i64
from xdsl.ir import Attribute, Operation

from nirc.core.errors import NircError
from nirc.core.semantics import Semantics

#: The attribute on the top-level graph that records how a module was discretized.
DISCRETIZATION = "snn.discretization"


def record(sem: Semantics) -> DictionaryAttr:
    """The semantics as the ``snn.discretization`` attribute."""
    entries: dict[str, Attribute] = {}
    for f in dataclasses.fields(sem):
        value = getattr(sem, f.name)
        if f.name in ("source", "lowering"):  # lowering is what nir-run does next, not a discretization choice
            continue
        if isinstance(value, bool):
            entries[f.name] = IntegerAttr(int(value), 1)
        elif isinstance(value, int):
            entries[f.name] = IntegerAttr(value, i64)
        elif isinstance(value, float):
            entries[f.name] = FloatAttr(value, f64)
        else:
            entries[f.name] = StringAttr(str(value))
    return DictionaryAttr(entries)


def _top(module: Operation) -> Operation | None:
    if isinstance(module, ModuleOp):
        ops = list(module.body.block.ops)
        return ops[0] if len(ops) == 1 else None
    return module


def recorded(module: Operation) -> Semantics | None:
    """The semantics a module (or its top-level graph) was discretized with, or None."""
    graph = _top(module)
    attr = graph.attributes.get(DISCRETIZATION) if graph is not None else None
    if not isinstance(attr, DictionaryAttr):
        return None
    known = {f.name for f in dataclasses.fields(Semantics)} - {"source"}
    values: dict[str, Any] = {}
    for key, value in attr.data.items():
        if key not in known:
            raise NircError(
                f"{DISCRETIZATION} has an unknown field '{key}'; fields: {', '.join(sorted(known))}",
                rule="run-semantics",
            )
        if isinstance(value, StringAttr):
            values[key] = value.data
        elif isinstance(value, FloatAttr):
            values[key] = float(value.value.data)
        elif isinstance(value, IntegerAttr):
            values[key] = bool(value.value.data) if key == "multi_spike" else int(value.value.data)
        else:
            raise NircError(f"{DISCRETIZATION} field '{key}' must be a string or a number", rule="run-semantics")
    return Semantics(**values)  # validates the choices
