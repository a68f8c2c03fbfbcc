"""nirc: a compiler for the Neuromorphic Intermediate Representation, on xDSL."""

from nirc.core import __version__
from nirc.core.errors import NircError, NircWarning
from nirc.core.profiles import profiles
from nirc.core.semantics import Semantics
from nirc.interp.run import RunResult, run
from nirc.io.files import parse, read, to_text, write
from nirc.io.from_dict import module_from_dict
from nirc.io.reference import from_reference, to_reference
from nirc.io.to_dict import module_to_dict

__all__ = [
    "NircError",
    "NircWarning",
    "RunResult",
    "Semantics",
    "__version__",
    "from_reference",
    "module_from_dict",
    "module_to_dict",
    "parse",
    "profiles",
    "read",
    "run",
    "to_reference",
    "to_text",
    "write",
]
