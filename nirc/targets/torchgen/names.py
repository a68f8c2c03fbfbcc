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
        "np", "torch", "nn", "snn", "norse", "F", "Path", "DTYPE", "WEIGHTS", "NODE_NAMES", "Model", "load",
        "self", "x", "y", "t", "batch", "stored", "steps", "inputs", "outputs", "weights", "param", "state",
        "ExactNeuron", "Delay", "count_spikes", "heaviside", "no_reset", "Gain",
        # torch.nn.Module
        "forward", "training", "parameters", "buffers", "children", "modules", "state_dict", "load_state_dict",
        "register_buffer", "register_parameter", "register_module", "add_module", "apply", "cuda", "cpu", "to",
        "type", "float", "double", "half", "train", "eval", "zero_grad", "extra_repr", "named_parameters",
        "named_buffers", "named_children", "named_modules", "get_submodule", "get_parameter", "get_buffer",
        "requires_grad_", "share_memory", "call_super_init", "dump_patches", "compile", "bfloat16", "ipu", "xpu",
        "mtia", "to_empty", "set_extra_state", "get_extra_state", "register_forward_hook",
        "register_forward_pre_hook", "register_full_backward_hook", "register_backward_hook",
        "register_full_backward_pre_hook", "register_state_dict_pre_hook", "register_load_state_dict_post_hook",
        "T_destination",
    }
)

_BAD = re.compile(r"[^0-9A-Za-z_]+")


class Namer:
    """Hands out unique identifiers; :meth:`fresh` never returns the same one twice."""

    def __init__(self) -> None:
        self.used: set[str] = set()

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
