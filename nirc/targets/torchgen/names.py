"""Python identifiers for the names in a model.

Node names come from input files: they never become code as they are.  Each is mapped to
an identifier made of its ASCII letters, digits and underscores (``lif1.lif`` ->
``lif1_lif``), made unique, and kept clear of Python keywords, builtins, the names the
generated code itself uses and the attributes of ``torch.nn.Module``.  The original name
appears in the generated code only through :func:`literal` (``repr``), a string literal.
"""

from __future__ import annotations

import builtins
import keyword
import re

#: Names the generated module uses for itself, and ``torch.nn.Module``'s attributes
#: (a layer called ``forward`` or ``training`` must not shadow them).
RESERVED = frozenset(
    {
        # the generated module's own names
        "np", "torch", "nn", "F", "Path", "DTYPE", "WEIGHTS", "NODE_NAMES", "SEMANTICS", "Model", "load",
        "self", "x", "y", "t", "batch", "device", "stored", "npz", "steps", "first", "inputs", "outputs", "weights", "param",
        "state", "ExactNeuron", "Delay", "count_spikes", "Gain",
        # torch.nn.Module's public attributes (torch 2.13), and ``training``
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "compile",
        "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer",
        "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia",
        "named_buffers", "named_children", "named_modules", "named_parameters", "parameters",
        "register_backward_hook", "register_buffer", "register_forward_hook", "register_forward_pre_hook",
        "register_full_backward_hook", "register_full_backward_pre_hook", "register_load_state_dict_post_hook",
        "register_load_state_dict_pre_hook", "register_module", "register_parameter",
        "register_state_dict_post_hook", "register_state_dict_pre_hook", "requires_grad_", "set_extra_state",
        "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train", "training", "type", "xpu",
        "zero_grad",
    }
)

_BAD = re.compile(r"[^0-9A-Za-z_]+")


class Namer:
    """Hands out unique identifiers; :meth:`fresh` never returns the same one twice."""

    def __init__(self, reserved: frozenset[str] = frozenset()) -> None:
        self.used: set[str] = set()
        #: names the framework's own code uses, on top of :data:`RESERVED`
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
