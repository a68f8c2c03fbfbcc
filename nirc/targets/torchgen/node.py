"""One node's share of a generated module, and what a mapping is given to write it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.ir import Operation

from nirc.core.node import shape_of
from nirc.targets.torchgen.names import Namer, literal

#: ``exact`` values of a node in the report
BIT_EXACT = "bit-exact"
ROUNDING = "same equations, float rounding may differ"


@dataclass
class NodeCode:
    """The lines one node contributes: to ``__init__``, to ``forward`` before the time
    loop, and to the loop body (which must assign ``ctx.out``)."""

    init: list[str]
    step: list[str]
    start: list[str] = field(default_factory=list)
    #: the class that computes the node (for the report), e.g. ``snn.Leaky``
    module: str = ""
    exact: str = BIT_EXACT
    #: where the graph is a chain: the node as modules applied in turn (their variables
    #: in ``__init__``), and the initial state of the stateful one (None: stateless)
    chain: tuple[str, ...] | None = None
    chain_state: str | None = None
    #: why the framework's own layer could not be used, where it was not
    note: str = ""
    helpers: tuple[str, ...] = ()


@dataclass
class NodeContext:
    """What a mapping needs to write one node: its op, the identifier of its attribute and
    of its output variable (the same name), the expression of its input at step ``t``,
    the run dtype, and where parameters go."""

    op: Operation
    ident: str
    x: str
    dtype: np.dtype
    namer: Namer
    weights: dict[str, np.ndarray]
    #: ``self.`` for a module attribute; ``""`` where the modules are local variables of
    #: ``__init__`` that go into one ``SequentialState`` (a chain)
    owner: str = "self."

    @property
    def out(self) -> str:
        return self.ident

    @property
    def attr(self) -> str:
        return f"{self.owner}{self.ident}"

    @property
    def chained(self) -> bool:
        return self.owner == ""

    @property
    def name(self) -> str:
        return self.op.properties["name"].data  # type: ignore[union-attr]

    def array(self, key: str) -> np.ndarray | None:
        """A parameter of the op in the run dtype (None where absent)."""
        value = self.op.opt_param(key)  # type: ignore[attr-defined]
        return None if value is None else np.asarray(value, dtype=self.dtype)

    def param(self, key: str, value: np.ndarray) -> str:
        """Store ``value`` in the weights file; the expression that loads it in ``__init__``."""
        full = f"{self.ident}.{key}"
        self.weights[full] = np.ascontiguousarray(value)
        return f"param({literal(full)})"

    def buffer(self, key: str, value: np.ndarray) -> tuple[str, str]:
        """A buffer of the module holding ``value`` (stored in the weights file): its
        expression in ``forward``, and the ``__init__`` line that registers it."""
        name = self.var(key)
        return f"self.{name}", f"self.register_buffer({literal(name)}, {self.param(key, value)})  # {describe(value)}"

    def var(self, suffix: str) -> str:
        """A fresh local name for this node (a state, a partial result)."""
        return self.namer.fresh(f"{self.ident}_{suffix}")

    def comment(self, kind: str) -> str:
        return f"# {literal(self.name)}: {kind}"

    def in_shape(self) -> tuple[int, ...]:
        return shape_of(self.op.operands[0]) if self.op.operands else ()

    def out_shape(self) -> tuple[int, ...]:
        return shape_of(self.op.results[0])


def describe(value: np.ndarray) -> str:
    """A short account of a parameter for a comment: its value where uniform."""
    flat = np.asarray(value).reshape(-1)
    if flat.size and (flat == flat[0]).all():
        return f"{float(flat[0]):.6g}" + (f" (x{flat.size})" if flat.size > 1 else "")
    return f"{flat.size} values in [{float(flat.min()):.4g}, {float(flat.max()):.4g}]" if flat.size else "empty"


def zeros(shape: tuple[int, ...]) -> str:
    """The expression of a batch of zeros of ``shape`` in the run dtype."""
    return f"torch.zeros({', '.join(['batch', *map(str, shape)])}, dtype=DTYPE, device=device)"


def kw(**args: Any) -> str:
    """Keyword arguments for a call, in the order given."""
    return ", ".join(f"{k}={v}" for k, v in args.items())
