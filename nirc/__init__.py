"""nirc: a compiler for the Neuromorphic Intermediate Representation, on xDSL.

The names below are nirc's public API: what users script against and what plugins
build on (``docs/plugins.md`` says which of them are stable).
"""

from nirc.core import __version__
from nirc.core.errors import NircError, NircWarning, Violation, Violations
from nirc.core.extension import Extension, register, unregister
from nirc.core.kernel import Kernel
from nirc.core.node import ElementwiseOp, NodeError, NodeOp, ValueNodeOp
from nirc.core.profiles import profiles
from nirc.core.semantics import Semantics, profile
from nirc.core.target import Target, TargetOption
from nirc.core.traits import Canonicalizations
from nirc.interp.run import RunResult, run
from nirc.io.files import parse, read, to_text, write
from nirc.io.from_dict import module_from_dict
from nirc.io.reference import from_reference, to_reference
from nirc.io.to_dict import module_to_dict

__all__ = [
    "Canonicalizations",
    "ElementwiseOp",
    "Extension",
    "Kernel",
    "NircError",
    "NircWarning",
    "NodeError",
    "NodeOp",
    "RunResult",
    "Semantics",
    "Target",
    "TargetOption",
    "ValueNodeOp",
    "Violation",
    "Violations",
    "__version__",
    "from_reference",
    "module_from_dict",
    "module_to_dict",
    "parse",
    "profile",
    "profiles",
    "read",
    "register",
    "run",
    "to_reference",
    "to_text",
    "unregister",
    "write",
]
