"""nirc: a compiler for the Neuromorphic Intermediate Representation, on xDSL."""

__version__ = "0.1.0"

from nirc.api import parse, read, to_text, write
from nirc.errors import NircError
from nirc.interp.run import RunResult, run
from nirc.interp.semantics import PROFILES, Semantics
from nirc.io.from_dict import NircWarning, module_from_dict
from nirc.io.reference import from_reference, to_reference
from nirc.io.to_dict import module_to_dict

__all__ = [
    "PROFILES",
    "NircError",
    "NircWarning",
    "RunResult",
    "Semantics",
    "__version__",
    "from_reference",
    "module_from_dict",
    "module_to_dict",
    "parse",
    "read",
    "run",
    "to_reference",
    "to_text",
    "write",
]
