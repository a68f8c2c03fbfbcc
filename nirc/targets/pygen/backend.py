"""The contract between the shared graph walk and the code it writes.

Two objects write a framework's code; the graph walk (:mod:`.walk`) calls them:

* a :class:`Backend` knows the *language* of the generated module (torch, JAX, numpy...):
  the file template, how a constant is held, a batch of zeros, an input cast to the run
  dtype, a list of steps stacked into one array, the code of every op that is not a
  neuron, the delay that closes a cycle, and helper sources.  Several frameworks share
  one backend (``nirc/targets/pygen/torch/``: every torch framework).
* a :class:`Mapping` knows the *framework*: its imports, its reserved names and helpers,
  the container a chain becomes (or none), and the code of each `snn` neuron op.

Both write a node as a :class:`NodeCode` given its :class:`NodeContext`.  The generated
module is a Python file with (at least) this shape, which the rest of nirc relies on
(:func:`nirc.targets.pygen.load.load_emitted`, the tests)::

    SEMANTICS = {...}; DTYPE = ...; WEIGHTS = Path(__file__).with_name("weights.npz")
    NODE_NAMES = {identifier: NIR name, ...}
    <helpers>
    <the model: its construction runs every node's ``init`` lines, where ``param(key)``
     loads a stored array and ``self.<ident>`` is a node's attribute; its step function
     takes ``x`` (time, batch, *shape), or ``inputs`` (a dict by Input name), runs the
     ``start`` lines, then ``for t in range(steps):`` the ``loop`` and ``after`` lines,
     and returns ``ret``>
    def load(weights=WEIGHTS): ...   # the model, ready to call on x

The walk hands the backend these pieces as :class:`ModuleParts` (lines unindented); the
backend's :meth:`Backend.render` lays them out in its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from xdsl.ir import Operation

from nirc.core.node import node_name, shape_of
from nirc.targets.pygen.names import Namer, literal
from nirc.targets.pygen.report import BIT_EXACT
from nirc.targets.pygen.source import describe
from nirc.targets.pygen.weights import FILE, Weights

#: A helper printed into the generated file where used: (source, names of the helpers it
#: uses).  A backend's and a framework's helpers form one table, keyed by name.
Helper = tuple[str, tuple[str, ...]]


@dataclass
class NodeCode:
    """The lines one node contributes: to the model's construction (``init``), to the
    step function before the time loop (``start``), and to the loop body (``step``,
    which must assign ``ctx.out``)."""

    init: list[str]
    step: list[str]
    start: list[str] = field(default_factory=list)
    #: the class that computes the node (for the report), e.g. ``nn.Linear``
    module: str = ""
    exact: str = BIT_EXACT
    #: where the graph is a chain: the node as modules applied in turn (their variables
    #: in ``init``), and the initial state of the stateful one (None: stateless)
    chain: tuple[str, ...] | None = None
    chain_state: str | None = None
    #: why the framework's own layer could not be used, where it was not
    note: str = ""
    #: the helpers (by name, in the backend's or the framework's table) the lines use
    helpers: tuple[str, ...] = ()


def unsupported(backend: Backend) -> str:
    """The rule of what ``backend`` cannot write (``torch-unsupported``)."""
    return f"{backend.family}-unsupported"


@dataclass
class NodeContext:
    """What a backend or a mapping needs to write one node: its op, the identifier of its
    attribute and of its output variable (the same name), the expression of its input at
    step ``t``, the run dtype, where names and parameters come from, and the backend."""

    op: Operation
    ident: str
    x: str
    dtype: np.dtype
    namer: Namer
    weights: Weights
    backend: Backend
    #: ``self.`` for an attribute of the model; ``""`` where the modules are local
    #: variables of the construction that go into one sequential container (a chain)
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
        """The node's NIR name."""
        return node_name(self.op) or ""

    def array(self, key: str) -> np.ndarray | None:
        """A parameter of the op in the run dtype (None where absent)."""
        value = self.op.opt_param(key)  # type: ignore[attr-defined]
        return None if value is None else np.asarray(value, dtype=self.dtype)

    def param(self, key: str, value: np.ndarray) -> str:
        """Store ``value`` in the weights file (as ``<ident>.<key>``); the expression that
        loads it in the model's construction."""
        return self.weights.store(f"{self.ident}.{key}", value)

    def buffer(self, key: str, value: np.ndarray) -> tuple[str, str]:
        """A constant of the model holding ``value`` (stored in the weights file): its
        expression in the step function, and the construction line that makes it."""
        name = self.var(key)
        return self.backend.buffer(name, self.param(key, value), describe(value))

    def zeros(self, shape: tuple[int, ...]) -> str:
        """The expression of a batch of zeros of ``shape`` in the run dtype."""
        return self.backend.zeros(shape)

    def var(self, suffix: str) -> str:
        """A fresh local name for this node (a state, a partial result)."""
        return self.namer.fresh(f"{self.ident}_{suffix}")

    def comment(self, kind: str) -> str:
        return f"# {literal(self.name)}: {kind}"

    def in_shape(self) -> tuple[int, ...]:
        return shape_of(self.op.operands[0]) if self.op.operands else ()

    def out_shape(self) -> tuple[int, ...]:
        return shape_of(self.op.results[0])


@dataclass
class ModuleParts:
    """Everything the graph walk decided, for a backend's template to lay out.  Line
    lists are unindented; :func:`nirc.targets.pygen.source.indented` indents them."""

    #: the comment and docstring the file starts with
    header: list[str]
    #: the framework's import lines (:attr:`Mapping.imports`)
    imports: tuple[str, ...]
    #: the run dtype, ``float32`` or ``float64``
    dtype: str
    #: the SEMANTICS dict, as a Python literal
    semantics: str
    #: ``(identifier, NIR name)`` of every node, in schedule order
    names: list[tuple[str, str]]
    #: the helpers' sources, dependencies first
    helpers: list[str]
    #: the model's construction: every node's ``init`` lines
    init: list[str]
    #: the step function before the time loop, in the loop, and at the end of each step
    start: list[str]
    loop: list[str]
    after: list[str]
    #: the step function's arguments: ``["x"]`` (one Input) or ``["inputs"]`` (a dict)
    args: list[str]
    #: the step function's docstring (shapes in and out)
    doc: str
    #: the expression the step function returns
    ret: str

    def constants(self, dtype_line: str) -> list[str]:
        """SEMANTICS, the backend's DTYPE line, WEIGHTS and NODE_NAMES (``WEIGHTS`` needs
        ``pathlib.Path``)."""
        return [
            "#: How the model was discretized (nir-translate --semantics, --dt).",
            f"SEMANTICS = {self.semantics}",
            dtype_line,
            f'WEIGHTS = Path(__file__).with_name("{FILE}")',
            "#: The NIR name of each node, by the identifier the code uses for it.",
            "NODE_NAMES = {",
            *[f"    {literal(ident)}: {literal(name)}," for ident, name in self.names],
            "}",
        ]

    def helper_lines(self) -> list[str]:
        """Each helper's source after an empty line."""
        lines: list[str] = []
        for source in self.helpers:
            lines.extend(["", *source.strip("\n").splitlines()])
        return lines


class Backend(Protocol):
    """The language of the generated module (see the module docstring)."""

    #: the family in messages and the rule of what it cannot write: ``'<op>' has no
    #: <family> form [<family>-unsupported]``
    family: str
    #: identifiers the template, the op code and the helpers use (on top of
    #: :data:`nirc.targets.pygen.names.RESERVED` and the names of :attr:`helpers`, which
    #: the walk reserves itself), e.g. the base class's attributes
    reserved: frozenset[str]
    #: the helpers the op code may name in :attr:`NodeCode.helpers`
    helpers: dict[str, Helper]
    #: the code of every op that is not an `snn` neuron, by op class (``nir.linear``,
    #: ``nir.conv2d``, ``snn.threshold``, ``snn.delay`` ...): what a model may contain
    ops: dict[type[Operation], Callable[[NodeContext], NodeCode]]

    def zeros(self, shape: tuple[int, ...]) -> str:
        """The expression of a batch (``batch``, *shape) of zeros in the run dtype."""
        ...

    def buffer(self, name: str, value: str, comment: str) -> tuple[str, str]:
        """A constant of the model called ``name`` holding ``value`` (an expression of the
        construction, ``param(...)``): its expression in the step function, and the
        construction line that makes it (``comment`` describes the value)."""
        ...

    def as_input(self, value: str) -> str:
        """``value`` (an input series the caller passed) as an array in the run dtype."""
        ...

    def stack(self, steps: str) -> str:
        """The list ``steps`` of per-step outputs as one (time, batch, ...) array."""
        ...

    def breaker(self, ctx: NodeContext) -> NodeCode:
        """A delay that closes a cycle: its output is known at the start of a step (the
        ``step`` lines assign ``ctx.out`` before any node runs) ..."""
        ...

    def feed(self, ctx: NodeContext, value: str) -> str:
        """... and it takes its input ``value`` at the end of the step: that line."""
        ...

    def render(self, parts: ModuleParts) -> str:
        """The whole generated file."""
        ...


class Mapping(Protocol):
    """A framework on a backend: its imports and names, and its neurons."""

    #: the container a chain of modules becomes, called ``y, state = net(x[t], state)``
    #: with a list of the modules' states (None: the step-by-step form always)
    sequential: str | None
    #: the import lines of the framework
    imports: tuple[str, ...]
    #: identifiers the framework's code uses (its import names; the names of its
    #: :attr:`helpers` are reserved by the walk)
    reserved: frozenset[str]
    #: the framework's own helpers, beside :attr:`Backend.helpers`
    helpers: dict[str, Helper]

    def neuron(self, ctx: NodeContext) -> NodeCode:
        """The code of an `snn` neuron op (``snn.leaky`` ... ``snn.rsynaptic``)."""
        ...
