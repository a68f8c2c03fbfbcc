"""The torch backend: the generated module as an ``nn.Module``.

The template (:meth:`TorchBackend.render`)::

    <header>
    from pathlib import Path
    import numpy as np; import torch; from torch import nn
    <the framework's imports>
    SEMANTICS, DTYPE = torch.<dtype>, WEIGHTS, NODE_NAMES
    <helpers>

    class Model(nn.Module):
        def __init__(self, weights=WEIGHTS):
            super().__init__()
            <stored = the arrays of weights.npz; param(key): one as a tensor, floats in DTYPE>
            <init lines>

        def forward(self, x):          # or (self, inputs)
            <x as a DTYPE tensor; steps, batch, device from its shape and device>
            <start lines>
            for t in range(steps):
                <loop lines>
                <after lines>
            return <ret>

    def load(weights=WEIGHTS):
        return Model(weights).eval()

A constant of the model is a registered buffer (``model.to(device)`` moves it), zeros are
``torch.zeros(batch, ..., dtype=DTYPE, device=device)``, the outputs are ``torch.stack``-ed,
and a delay closing a cycle is the ``Delay`` helper, read with ``ahead()`` at the start of a
step and fed with ``push()`` at its end.  The generator itself never imports torch.
"""

from __future__ import annotations

from nirc.targets.pygen.backend import Helper, ModuleParts, NodeCode, NodeContext
from nirc.targets.pygen.names import literal
from nirc.targets.pygen.source import Block, indented
from nirc.targets.pygen.torch.helpers import HELPERS
from nirc.targets.pygen.torch.layers import LAYERS, delay_init
from nirc.targets.pygen.weights import LOADER

#: Names the torch template uses on top of :data:`nirc.targets.pygen.names.RESERVED` and
#: ``torch.nn.Module``'s attributes (a layer called ``forward`` or ``training`` must not
#: shadow them).  The helpers' names (:data:`~nirc.targets.pygen.torch.helpers.HELPERS`)
#: are reserved by the walk, with every helper table's.
RESERVED = frozenset(
    {
        # the template's own names
        "torch",
        "nn",
        "F",
        "device",
        "stored",
        "npz",
        "first",
        # torch.nn.Module's public attributes (torch 2.13), and ``training``
        "T_destination",
        "add_module",
        "apply",
        "bfloat16",
        "buffers",
        "call_super_init",
        "children",
        "compile",
        "cpu",
        "cuda",
        "double",
        "dump_patches",
        "eval",
        "extra_repr",
        "float",
        "forward",
        "get_buffer",
        "get_extra_state",
        "get_parameter",
        "get_submodule",
        "half",
        "ipu",
        "load_state_dict",
        "modules",
        "mtia",
        "named_buffers",
        "named_children",
        "named_modules",
        "named_parameters",
        "parameters",
        "register_backward_hook",
        "register_buffer",
        "register_forward_hook",
        "register_forward_pre_hook",
        "register_full_backward_hook",
        "register_full_backward_pre_hook",
        "register_load_state_dict_post_hook",
        "register_load_state_dict_pre_hook",
        "register_module",
        "register_parameter",
        "register_state_dict_post_hook",
        "register_state_dict_pre_hook",
        "requires_grad_",
        "set_extra_state",
        "set_submodule",
        "share_memory",
        "state_dict",
        "to",
        "to_empty",
        "train",
        "training",
        "type",
        "xpu",
        "zero_grad",
    }
)


def zeros(shape: tuple[int, ...]) -> str:
    """The expression of a batch of zeros of ``shape`` in the run dtype."""
    return f"torch.zeros({', '.join(['batch', *map(str, shape)])}, dtype=DTYPE, device=device)"


class TorchBackend:
    """:class:`~nirc.targets.pygen.backend.Backend` for torch frameworks."""

    family = "torch"
    reserved = RESERVED
    helpers: dict[str, Helper] = HELPERS
    ops = LAYERS

    def zeros(self, shape: tuple[int, ...]) -> str:
        return zeros(shape)

    def buffer(self, name: str, value: str, comment: str) -> tuple[str, str]:
        return f"self.{name}", f"self.register_buffer({literal(name)}, {value})  # {comment}"

    def as_input(self, value: str) -> str:
        return f"torch.as_tensor({value}, dtype=DTYPE)"

    def stack(self, steps: str) -> str:
        return f"torch.stack({steps})"

    def breaker(self, ctx: NodeContext) -> NodeCode:
        return NodeCode(
            delay_init(ctx),
            [f"{ctx.out} = {ctx.attr}.ahead()"],
            start=[f"{ctx.attr}.start(batch, device)"],
            module="Delay",
            helpers=("Delay",),
        )

    def feed(self, ctx: NodeContext, value: str) -> str:
        return f"{ctx.attr}.push({value})"

    def render(self, parts: ModuleParts) -> str:
        lines = Block(0)
        lines.extend(parts.header)
        lines.add(
            "",
            "from pathlib import Path",
            "",
            "import numpy as np",
            "import torch",
            "from torch import nn",
            "",
            *parts.imports,
            "",
            *parts.constants(f"DTYPE = torch.{parts.dtype}"),
        )
        lines.extend(parts.helper_lines())
        if parts.args == ["x"]:
            prologue = ["x = torch.as_tensor(x, dtype=DTYPE)", "steps, batch = x.shape[:2]", "device = x.device"]
        else:
            prologue = [
                "first = torch.as_tensor(next(iter(inputs.values())))",
                "steps, batch = first.shape[:2]",
                "device = first.device",
            ]
        lines.add(
            "",
            "",
            "class Model(nn.Module):",
            "    def __init__(self, weights=WEIGHTS):",
            "        super().__init__()",
            "        with np.load(weights, allow_pickle=False) as npz:",
            "            stored = dict(npz)",
            "",
            f"        def {LOADER}(key):",
            "            value = stored[key]",
            '            return torch.as_tensor(value, dtype=DTYPE if value.dtype.kind == "f" else None)',
            "",
            *indented(parts.init, 2),
            "",
            f"    def forward(self, {', '.join(parts.args)}):",
            f'        """{parts.doc}"""',
            *indented(prologue, 2),
            *indented(parts.start, 2),
            "        for t in range(steps):",
            *indented(parts.loop, 3),
            *indented(parts.after, 3),
            f"        return {parts.ret}",
            "",
            "",
            "def load(weights=WEIGHTS):",
            '    """The model with its weights (weights.npz beside this file), in evaluation mode."""',
            "    return Model(weights).eval()",
            "",
        )
        return lines.text()


#: The torch backend every torch framework's target uses.
TORCH = TorchBackend()
