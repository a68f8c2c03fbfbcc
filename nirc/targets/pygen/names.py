"""Python identifiers for the names in a model.

Node names come from input files: they never become code as they are.  Each is mapped to
an identifier made of its ASCII letters, digits and underscores (``lif1.lif`` ->
``lif1_lif``), made unique, and kept clear of Python keywords, builtins, the names every
generated module uses (:data:`RESERVED`) and the names a backend and a framework add
(their template's imports and locals, their helpers, the attributes of the base class
the generated model derives from).  The original name appears in the generated code
only through :func:`literal` (``repr``), a string literal.
"""

from __future__ import annotations

import builtins
import keyword
import re

#: Names every generated module uses, whatever its framework: the module's constants
#: (``SEMANTICS``, ``DTYPE``, ``WEIGHTS``, ``NODE_NAMES`` and the ``np`` and ``Path`` they
#: need), the loader (``Model``, ``load``, ``weights``, ``param``) and the locals of the
#: shared graph walk (``self``, ``x``, ``t``, ``inputs``, ``outputs``, ``y``, ``state``, ...).
#: A backend adds its own (:attr:`nirc.targets.pygen.backend.Backend.reserved`).
RESERVED = frozenset(
    {
        "np",
        "Path",
        "DTYPE",
        "WEIGHTS",
        "NODE_NAMES",
        "SEMANTICS",
        "Model",
        "load",
        "self",
        "x",
        "y",
        "t",
        "batch",
        "steps",
        "inputs",
        "outputs",
        "weights",
        "param",
        "state",
    }
)

_BAD = re.compile(r"[^0-9A-Za-z_]+")


class Namer:
    """Hands out unique identifiers; :meth:`fresh` never returns the same one twice."""

    def __init__(self, reserved: frozenset[str] = frozenset()) -> None:
        self.used: set[str] = set()
        #: names the backend's and the framework's code use, on top of :data:`RESERVED`
        self.reserved = reserved

    def fresh(self, name: str, default: str = "node") -> str:
        base = _BAD.sub("_", name).strip("_") or default
        if base[0].isdigit():
            base = f"{default}_{base}"
        base = base[:48]
        candidate = base
        n = 1
        while (
            candidate in self.used
            or candidate in RESERVED
            or candidate in self.reserved
            or keyword.iskeyword(candidate)
            or keyword.issoftkeyword(candidate)
            or hasattr(builtins, candidate)
            or candidate.startswith("__")
        ):
            n += 1
            candidate = f"{base}_{n}"
        self.used.add(candidate)
        return candidate


def literal(value: object) -> str:
    """``value`` (a str, number, bool or None) as a Python literal: the only way text from
    a model enters generated code."""
    if isinstance(value, float) and value != value:  # NaN has no literal
        return 'float("nan")'
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return 'float("inf")' if value > 0 else '-float("inf")'
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")
