"""The `nir` dialect's ops: NIR 1.0.8, one op per node type, in continuous time.

A NIR graph is a ``nir.graph`` op whose single block holds the graph's nodes (see
``docs/dialect.md`` and :mod:`nirc.core.node` for what every node shares):

* an edge is a use of an SSA value; a node with several incoming edges takes several
  operands, whose signals NIR **sums**;
* recurrent edges are forward references (the block is a graph region: no dominance);
* every node keeps its NIR name verbatim in the ``name`` property;
* a nested NIR graph is a nested ``nir.graph`` with a name: its operands feed its
  ``nir.input`` nodes and its results are its ``nir.output`` nodes, in block order.

The verifier infers every node's output shape from its input shape and parameters
and checks it along every edge.  Rule names appear in brackets at the end of each
message, e.g. ``[fan-in-shapes]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, StringAttr, TensorType, UnitAttr
from xdsl.ir import Attribute, Block, Dialect, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.traits import IsolatedFromAbove, NoTerminator, Pure

from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.node import (
    ElementwiseOp,
    NodeError,
    NodeOp,
    Shape,
    ValueNodeOp,
    parse_optional_operands,
    shape_of,
    signal_type,
    verify_edge_ids,
    verify_error,
)
from nirc.core.shapes import ShapeError, conv_output_spatial, flatten_output, per_dim
from nirc.core.traits import Canonicalizations, ContinuousTime, GraphInput, GraphOutput

# ------------------------------------------------------------------ nodes


class NeuronOp(ElementwiseOp):
    """A stateful neuron model; time constants must be positive.

    ``direct_input`` (a nirc extension, set by ``lower-composites`` on the membrane stage
    of a current-based neuron) says the input is a state read in the same step, so the
    semantics' synaptic ``input_delay`` does not apply to it."""

    traits = traits_def(ContinuousTime())

    TIME_CONSTANTS: ClassVar[tuple[str, ...]] = ()
    #: Optional parameters that are nirc extensions, not fields of the NIR format.
    EXTENSION_PARAMS: ClassVar[tuple[str, ...]] = ()
    direct_input = opt_prop_def(UnitAttr)

    @classmethod
    def property_order(cls) -> tuple[str, ...]:
        return (*cls.PARAMS, *cls.OPTIONAL_PARAMS, "direct_input", "metadata", "edge_ids")

    @property
    def is_extended(self) -> bool:
        """Uses a nirc extension that no ``.nir`` file can hold."""
        return self.direct_input is not None

    def _verify_params(self) -> None:
        super()._verify_params()
        for key in self.TIME_CONSTANTS:
            if not (self.param(key) > 0).all():
                raise NodeError("positive-tau", f"time constant '{key}' must be > 0")


class IntegratorOp(NeuronOp):
    """I and LI, which may carry a reset (a nirc extension, see ``docs/passes.md``).

    ``lower-composites`` rewrites IF as I ; Threshold and LIF as LI ; Threshold.  A
    spike's reset changes the integrator's *state*, which no NIR edge can express, so
    the integrator keeps the two parameters the reset needs: with ``v_threshold`` and
    ``v_reset`` it resets as the spiking neuron would (under the semantics' reset mode
    and timing) and outputs the membrane that the Threshold after it reads.  Such a
    node has no NIR equivalent: it cannot be written to a ``.nir`` file."""

    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("v_threshold", "v_reset")
    EXTENSION_PARAMS: ClassVar[tuple[str, ...]] = ("v_threshold", "v_reset")
    v_threshold = opt_prop_def(DenseAttr)
    v_reset = opt_prop_def(DenseAttr)

    @property
    def has_reset(self) -> bool:
        return self.v_threshold is not None

    @property
    def is_extended(self) -> bool:
        return self.has_reset or self.direct_input is not None

    def _verify_params(self) -> None:
        super()._verify_params()
        if (self.v_threshold is None) != (self.v_reset is None):
            raise NodeError("reset-params", "v_threshold and v_reset come together (an integrator with a reset)")
        shape = self.param(self.PARAMS[0]).shape
        for key in self.OPTIONAL_PARAMS:
            arr = self.opt_param(key)
            if arr is not None and arr.shape != shape:
                raise NodeError("param-shapes", f"'{key}' has shape {list(arr.shape)}, the neuron {list(shape)}")


@irdl_op_definition
class InputOp(ValueNodeOp):
    """A graph input (NIR ``Input``): ``y(t) = x(t)`` for the external input ``x``.

    ``shape`` is the batch-free signal shape (kept with the file's integer dtype)."""

    name = "nir.input"
    NIR_TYPE: ClassVar[str] = "Input"
    traits = traits_def(GraphInput())
    PARAMS: ClassVar[tuple[str, ...]] = ("shape",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("shape",)
    shape = prop_def(DenseAttr)

    def _verify_inputs(self) -> Shape | None:
        if self.inputs:
            raise NodeError("input-edges", "an Input node takes no incoming edges")
        return None

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        return _shape_param(self.param("shape"))


@irdl_op_definition
class OutputOp(NodeOp):
    """A graph output (NIR ``Output``): exposes the sum of its incoming signals."""

    name = "nir.output"
    NIR_TYPE: ClassVar[str] = "Output"
    traits = traits_def(GraphOutput())
    PARAMS: ClassVar[tuple[str, ...]] = ("shape",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("shape",)
    shape = prop_def(DenseAttr)

    def expected_input_shape(self) -> Shape | None:
        return _shape_param(self.param("shape"))

    def _verify_output(self, in_shape: Shape | None) -> None:
        return None


def _shape_param(arr: np.ndarray) -> Shape:
    if arr.ndim > 1 or (arr < 0).any():
        raise NodeError("shape-param", f"shape must be a list of sizes >= 0, got {arr.tolist()}")
    return tuple(int(d) for d in arr.reshape(-1))


class MatrixOp(ValueNodeOp):
    """Shared by Linear and Affine: ``W`` maps the last axis, leading axes batch."""

    weight = prop_def(DenseAttr)

    def _weight_shape(self) -> Shape:
        w = self.param("weight")
        if w.ndim < 2:
            raise NodeError("weight-rank", f"weight must be at least 2-D, got shape {list(w.shape)}")
        return tuple(w.shape)

    def expected_input_shape(self) -> Shape | None:
        w = self._weight_shape()
        return (*w[:-2], w[-1])

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        w = self._weight_shape()
        return (*w[:-2], w[-2])


@irdl_op_definition
class LinearOp(MatrixOp):
    """Linear map (NIR ``Linear``): ``y(t) = W x(t)``, ``W`` of shape (out, in)."""

    name = "nir.linear"
    traits = traits_def(Pure(), Canonicalizations("nirc.dialects.nir.canonicalization:LINEAR"))
    NIR_TYPE: ClassVar[str] = "Linear"
    PARAMS: ClassVar[tuple[str, ...]] = ("weight",)


@irdl_op_definition
class AffineOp(MatrixOp):
    """Affine map (NIR ``Affine``): ``y(t) = W x(t) + b``, ``b`` of shape (out,)."""

    name = "nir.affine"
    traits = traits_def(Pure(), Canonicalizations("nirc.dialects.nir.canonicalization:AFFINE"))
    NIR_TYPE: ClassVar[str] = "Affine"
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "bias")
    bias = prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        w = self._weight_shape()
        b = self.param("bias").shape
        if b != w[:-1]:
            raise NodeError("bias-shape", f"bias has shape {list(b)}, weight {list(w)} needs {list(w[:-1])}")


class ConvOp(ValueNodeOp):
    """Shared by Conv1d and Conv2d.

    ``weight`` is (C_out, C_in / groups, *kernel); the input has ``C_in = weight.shape[1]
    * groups`` channels.  (The reference package takes ``weight.shape[1]`` as the input
    channel count, which is wrong for grouped convolutions; nirc follows PyTorch.)"""

    SPATIAL: ClassVar[int]
    PARAMS: ClassVar[tuple[str, ...]] = ("weight", "bias", "stride", "padding", "dilation", "groups")
    traits = traits_def(Pure())
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("input_shape",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("stride", "dilation", "groups", "input_shape")

    weight = prop_def(DenseAttr)
    bias = prop_def(DenseAttr)
    stride = prop_def(DenseAttr)
    padding = prop_def(DenseAttr | StringAttr)
    dilation = prop_def(DenseAttr)
    groups = prop_def(DenseAttr)
    input_shape_param = opt_prop_def(DenseAttr, prop_name="input_shape")

    def _geometry(self) -> tuple[int, int, Shape, Shape, Shape | str, Shape, int]:
        n = self.SPATIAL
        w = self.param("weight")
        if w.ndim != n + 2:
            raise NodeError(
                "weight-rank", f"weight must be {n + 2}-D (C_out, C_in/groups, kernel), got shape {list(w.shape)}"
            )
        groups_arr = self.param("groups")
        if groups_arr.size != 1:
            raise NodeError("conv-groups", f"groups must be one integer, got shape {list(groups_arr.shape)}")
        groups = int(groups_arr.reshape(-1)[0])
        c_out = w.shape[0]
        if groups < 1 or c_out % groups:
            raise NodeError("conv-groups", f"groups={groups} must be >= 1 and divide C_out={c_out}")
        if self.param("bias").shape != (c_out,):
            raise NodeError("bias-shape", f"bias has shape {list(self.param('bias').shape)}, expected [{c_out}]")
        stride = per_dim(self.param("stride"), n, "stride")
        dilation = per_dim(self.param("dilation"), n, "dilation")
        pad_attr = self.padding
        padding: Shape | str
        if isinstance(pad_attr, StringAttr):
            padding = pad_attr.data
        else:
            padding = per_dim(pad_attr.array, n, "padding")
        return c_out, w.shape[1] * groups, tuple(w.shape[2:]), stride, padding, dilation, groups

    def _declared_spatial(self) -> Shape | None:
        arr = self.opt_param("input_shape")
        if arr is None:
            return None
        return per_dim(arr, self.SPATIAL, "input_shape")

    def expected_input_shape(self) -> Shape | None:
        _, c_in, *_ = self._geometry()
        spatial = self._declared_spatial()
        return None if spatial is None else (c_in, *spatial)

    def _verify_inputs(self) -> Shape | None:
        got = self.input_shape()
        _, c_in, *_ = self._geometry()
        if got is not None:
            if len(got) != self.SPATIAL + 1 or got[0] != c_in:
                raise NodeError(
                    "edge-shape",
                    f"incoming edge carries shape {list(got)}, expected (C_in={c_in}, {self.SPATIAL} spatial dims)",
                )
        return super()._verify_inputs()

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        c_out, c_in, kernel, stride, padding, dilation, _ = self._geometry()
        if input_shape is None:
            raise NodeError("unknown-input-shape", "no incoming edge and no input_shape: output shape unknown")
        if len(input_shape) != self.SPATIAL + 1 or input_shape[0] != c_in:
            raise NodeError(
                "edge-shape",
                f"incoming edge carries shape {list(input_shape)}, expected (C_in={c_in}, {self.SPATIAL} spatial dims)",
            )
        spatial = conv_output_spatial(input_shape[1:], kernel, stride, padding, dilation)
        return (c_out, *spatial)


@irdl_op_definition
class Conv1dOp(ConvOp):
    """1-D convolution (NIR ``Conv1d``), as ``torch.nn.functional.conv1d``:
    ``y[o, n] = b[o] + sum_{i,k} W[o, i, k] x[g(o)*C_in/groups + i, n*stride + k*dilation - pad]``.
    ``input_shape`` (optional) is the spatial length N."""

    name = "nir.conv1d"
    NIR_TYPE: ClassVar[str] = "Conv1d"
    SPATIAL: ClassVar[int] = 1


@irdl_op_definition
class Conv2dOp(ConvOp):
    """2-D convolution (NIR ``Conv2d``), as ``torch.nn.functional.conv2d``; stride,
    padding and dilation are one int or one per spatial dim, padding may also be
    ``"same"`` (stride 1 only) or ``"valid"``.  ``input_shape`` (optional) is (H, W)."""

    name = "nir.conv2d"
    NIR_TYPE: ClassVar[str] = "Conv2d"
    SPATIAL: ClassVar[int] = 2


class PoolOp(ValueNodeOp):
    """Shared by the 2-D pooling ops: windows of ``kernel_size`` moved by ``stride``
    over zero padding, output size by the floor rule (PyTorch's default)."""

    PARAMS: ClassVar[tuple[str, ...]] = ("kernel_size", "stride", "padding")
    INT_PARAMS: ClassVar[tuple[str, ...]] = PARAMS
    traits = traits_def(Pure())
    kernel_size = prop_def(DenseAttr)
    stride = prop_def(DenseAttr)
    padding = prop_def(DenseAttr)

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        kernel = per_dim(self.param("kernel_size"), 2, "kernel_size")
        stride = per_dim(self.param("stride"), 2, "stride")
        padding = per_dim(self.param("padding"), 2, "padding")
        if any(k < 1 for k in kernel):
            raise NodeError("pool-params", f"kernel_size must be >= 1, got {list(kernel)}")
        if input_shape is None:
            raise NodeError("unknown-input-shape", "no incoming edge: output shape unknown")
        if len(input_shape) != 3:
            raise NodeError("edge-shape", f"pooling expects a (C, H, W) input, got {list(input_shape)}")
        spatial = conv_output_spatial(input_shape[1:], kernel, stride, padding, (1, 1))
        return (input_shape[0], *spatial)


@irdl_op_definition
class SumPool2dOp(PoolOp):
    """Sum pooling (NIR ``SumPool2d``): ``y[c, i, j] = sum_{window} x[c, ...]``."""

    name = "nir.sum_pool2d"
    NIR_TYPE: ClassVar[str] = "SumPool2d"


@irdl_op_definition
class AvgPool2dOp(PoolOp):
    """Average pooling (NIR ``AvgPool2d``): the window sum divided by ``kh * kw``
    (padding counts as zeros, as ``count_include_pad=True``)."""

    name = "nir.avg_pool2d"
    NIR_TYPE: ClassVar[str] = "AvgPool2d"


@irdl_op_definition
class FlattenOp(ValueNodeOp):
    """Flatten (NIR ``Flatten``): merges dims ``start_dim..end_dim`` (inclusive,
    negative values count from the end) of the batch-free shape; values unchanged.
    ``input_type`` (optional) is the input shape as written in the file."""

    name = "nir.flatten"
    traits = traits_def(Pure(), Canonicalizations("nirc.dialects.nir.canonicalization:FLATTEN"))
    NIR_TYPE: ClassVar[str] = "Flatten"
    PARAMS: ClassVar[tuple[str, ...]] = ("start_dim", "end_dim")
    OPTIONAL_PARAMS: ClassVar[tuple[str, ...]] = ("input_type",)
    INT_PARAMS: ClassVar[tuple[str, ...]] = ("start_dim", "end_dim", "input_type")
    start_dim = prop_def(DenseAttr)
    end_dim = prop_def(DenseAttr)
    input_type = opt_prop_def(DenseAttr)

    def expected_input_shape(self) -> Shape | None:
        arr = self.opt_param("input_type")
        return None if arr is None else _shape_param(arr)

    def infer_output_shape(self, input_shape: Shape | None) -> Shape:
        if input_shape is None:
            raise NodeError("unknown-input-shape", "no incoming edge and no input_type: output shape unknown")
        dims = []
        for key in ("start_dim", "end_dim"):
            arr = self.param(key)
            if arr.size != 1:
                raise NodeError("flatten-dims", f"{key} must be one integer")
            dims.append(int(arr.reshape(-1)[0]))
        try:
            return flatten_output(input_shape, dims[0], dims[1])
        except ShapeError as err:
            raise NodeError("flatten-dims", str(err)) from None


@irdl_op_definition
class DelayOp(ElementwiseOp):
    """Delay (NIR ``Delay``): ``y(t) = x(t - d)``, per element, ``d >= 0`` in seconds."""

    name = "nir.delay"
    NIR_TYPE: ClassVar[str] = "Delay"
    traits = traits_def(ContinuousTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("delay",)
    delay = prop_def(DenseAttr)

    def _verify_params(self) -> None:
        super()._verify_params()
        if (self.param("delay") < 0).any():
            raise NodeError("delay-sign", "delay must be >= 0")


@irdl_op_definition
class ScaleOp(ElementwiseOp):
    """Scale (NIR ``Scale``): ``y(t) = s ⊙ x(t)`` (elementwise)."""

    name = "nir.scale"
    traits = traits_def(Pure(), Canonicalizations("nirc.dialects.nir.canonicalization:SCALE"))
    NIR_TYPE: ClassVar[str] = "Scale"
    PARAMS: ClassVar[tuple[str, ...]] = ("scale",)
    scale = prop_def(DenseAttr)


@irdl_op_definition
class ThresholdOp(ElementwiseOp):
    """Threshold (NIR ``Threshold``): ``z(t) = H(x(t) - θ)``, a Dirac spike when
    ``x`` crosses ``θ`` from below (Heaviside in discrete time)."""

    name = "nir.threshold"
    NIR_TYPE: ClassVar[str] = "Threshold"
    traits = traits_def(Pure(), ContinuousTime())
    PARAMS: ClassVar[tuple[str, ...]] = ("threshold",)
    threshold = prop_def(DenseAttr)


@irdl_op_definition
class IOp(IntegratorOp):
    """Integrator (NIR ``I``): ``dv/dt = R I(t)``, output ``v`` (optionally with a
    reset, see :class:`IntegratorOp`)."""

    name = "nir.i"
    NIR_TYPE: ClassVar[str] = "I"
    PARAMS: ClassVar[tuple[str, ...]] = ("r",)
    r = prop_def(DenseAttr)


@irdl_op_definition
class LIOp(IntegratorOp):
    """Leaky integrator (NIR ``LI``): ``τ dv/dt = (v_leak - v) + R I(t)``, output ``v``
    (optionally with a reset, see :class:`IntegratorOp`)."""

    name = "nir.li"
    NIR_TYPE: ClassVar[str] = "LI"
    PARAMS: ClassVar[tuple[str, ...]] = ("tau", "r", "v_leak")
    TIME_CONSTANTS: ClassVar[tuple[str, ...]] = ("tau",)
    tau = prop_def(DenseAttr)
    r = prop_def(DenseAttr)
    v_leak = prop_def(DenseAttr)


@irdl_op_definition
class IFOp(NeuronOp):
    """Integrate-and-fire (NIR ``IF``): ``dv/dt = R I(t)``; when ``v > v_threshold``
    it emits a spike ``z`` and ``v ← v_reset``; output ``z``."""

    name = "nir.if"
    NIR_TYPE: ClassVar[str] = "IF"
    PARAMS: ClassVar[tuple[str, ...]] = ("r", "v_threshold", "v_reset")
    r = prop_def(DenseAttr)
    v_threshold = prop_def(DenseAttr)
    v_reset = prop_def(DenseAttr)


@irdl_op_definition
class LIFOp(NeuronOp):
    """Leaky integrate-and-fire (NIR ``LIF``): ``τ dv/dt = (v_leak - v) + R I(t)``;
    when ``v > v_threshold`` it emits a spike ``z`` and ``v ← v_reset``; output ``z``."""

    name = "nir.lif"
    NIR_TYPE: ClassVar[str] = "LIF"
    PARAMS: ClassVar[tuple[str, ...]] = ("tau", "r", "v_leak", "v_threshold", "v_reset")
    TIME_CONSTANTS: ClassVar[tuple[str, ...]] = ("tau",)
    tau = prop_def(DenseAttr)
    r = prop_def(DenseAttr)
    v_leak = prop_def(DenseAttr)
    v_threshold = prop_def(DenseAttr)
    v_reset = prop_def(DenseAttr)


@irdl_op_definition
class CubaLIOp(NeuronOp):
    """Current-based leaky integrator (NIR ``CubaLI``):
    ``τ_syn dI/dt = -I + w_in S(t)``, ``τ_mem dv/dt = (v_leak - v) + R I``; output ``v``."""

    name = "nir.cuba_li"
    NIR_TYPE: ClassVar[str] = "CubaLI"
    PARAMS: ClassVar[tuple[str, ...]] = ("tau_syn", "tau_mem", "r", "v_leak", "w_in")
    TIME_CONSTANTS: ClassVar[tuple[str, ...]] = ("tau_syn", "tau_mem")
    tau_syn = prop_def(DenseAttr)
    tau_mem = prop_def(DenseAttr)
    r = prop_def(DenseAttr)
    v_leak = prop_def(DenseAttr)
    w_in = prop_def(DenseAttr)


@irdl_op_definition
class CubaLIFOp(NeuronOp):
    """Current-based LIF (NIR ``CubaLIF``): ``τ_syn dI/dt = -I + w_in S(t)``,
    ``τ_mem dv/dt = (v_leak - v) + R I``; when ``v > v_threshold`` it emits a spike
    ``z`` and ``v ← v_reset``; output ``z``."""

    name = "nir.cuba_lif"
    NIR_TYPE: ClassVar[str] = "CubaLIF"
    PARAMS: ClassVar[tuple[str, ...]] = ("tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in")
    TIME_CONSTANTS: ClassVar[tuple[str, ...]] = ("tau_syn", "tau_mem")
    tau_syn = prop_def(DenseAttr)
    tau_mem = prop_def(DenseAttr)
    r = prop_def(DenseAttr)
    v_leak = prop_def(DenseAttr)
    v_threshold = prop_def(DenseAttr)
    v_reset = prop_def(DenseAttr)
    w_in = prop_def(DenseAttr)


# --------------------------------------------------------------------------- graph


@irdl_op_definition
class GraphOp(IRDLOperation):
    """A NIR graph (NIR ``NIRGraph``): its block holds the nodes.

    At the top of a module the graph has no name, operands or results.  Nested in
    another graph it is a node: it has a ``name``, its operands feed its ``nir.input``
    nodes (the one Input, or by ``input_ports``, one Input name per operand) and its
    results are the signals of its ``nir.output`` nodes in block order."""

    name = "nir.graph"
    NIR_TYPE: ClassVar[str] = "NIRGraph"

    node_name = opt_prop_def(StringAttr, prop_name="name")
    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    metadata = opt_prop_def(DictionaryAttr)
    input_ports = opt_prop_def(ArrayAttr[StringAttr])
    edge_ids = opt_prop_def(DenseAttr)
    body = region_def("single_block")

    traits = traits_def(NoTerminator(), IsolatedFromAbove())

    def __init__(
        self,
        nodes: Sequence[Operation] = (),
        *,
        name: str | None = None,
        inputs: Sequence[SSAValue] = (),
        metadata: DictionaryAttr | None = None,
    ):
        outputs = [op for op in nodes if isinstance(op, OutputOp)]
        props: dict[str, Attribute] = {}
        if name is not None:
            props["name"] = StringAttr(name)
        if metadata is not None:
            props["metadata"] = metadata
        super().__init__(
            operands=[inputs],
            result_types=[[signal_type(_shape_param(o.param("shape"))) for o in outputs]] if name is not None else [[]],
            properties=props,
            regions=[Region(Block(nodes))],
        )

    @property
    def nir_name(self) -> str | None:
        return self.node_name.data if self.node_name is not None else None

    @property
    def nodes(self) -> list[Operation]:
        return list(self.body.block.ops)

    def input_nodes(self) -> list[InputOp]:
        return [op for op in self.body.block.ops if isinstance(op, InputOp)]

    def output_nodes(self) -> list[OutputOp]:
        return [op for op in self.body.block.ops if isinstance(op, OutputOp)]

    def port_of_operand(self, index: int) -> InputOp:
        """The Input node that operand ``index`` feeds."""
        ins = self.input_nodes()
        if self.input_ports is not None:
            wanted = self.input_ports.data[index].data
            for op in ins:
                if op.nir_name == wanted:
                    return op
            raise NodeError("input-ports", f"input port '{wanted}' names no Input node of the graph")
        if not ins:
            raise NodeError("input-ports", "the graph has no Input node, so it takes no incoming edges")
        if len(ins) != 1:
            raise NodeError(
                "input-ports",
                f"the graph has {len(ins)} Input nodes; edges into it must name one as '<graph>.<input>'",
            )
        return ins[0]

    def verify_(self) -> None:
        try:
            self._verify_graph()
        except (NodeError, ShapeError) as err:
            raise verify_error(self, err) from None

    def _verify_graph(self) -> None:
        verify_edge_ids(self)
        nested = isinstance(self.parent_op(), GraphOp)
        if not nested:
            if self.node_name is not None or self.inputs or self.outputs:
                raise NodeError("top-level-graph", "a top-level graph has no name, incoming edges or results")
        elif self.node_name is None:
            raise NodeError("graph-name", "a nested graph needs a name")
        names: set[str] = set()
        for op in self.body.block.ops:
            name = op.properties.get("name")
            if not isinstance(op, (NodeOp, GraphOp)) or not isinstance(name, StringAttr):
                raise NodeError("graph-body", f"'{op.name}' is not a NIR node")
            if name.data in names:
                raise NodeError("unique-names", f"two nodes are named '{name.data}'")
            names.add(name.data)
        if not nested:
            return
        if self.input_ports is not None and len(self.input_ports.data) != len(self.inputs):
            raise NodeError("input-ports", "input_ports needs one entry per incoming edge")
        for i, value in enumerate(self.inputs):
            port = self.port_of_operand(i)
            if shape_of(value) != shape_of(port.output):
                raise NodeError(
                    "edge-shape",
                    f"incoming edge carries shape {list(shape_of(value))}, input '{port.nir_name}' "
                    f"expects {list(shape_of(port.output))}",
                )
        outs = self.output_nodes()
        if len(outs) != len(self.outputs):
            raise NodeError("result-type", f"the graph has {len(outs)} Output nodes but {len(self.outputs)} results")
        for res, out in zip(self.outputs, outs, strict=True):
            want = _shape_param(out.param("shape"))
            if shape_of(res) != want:
                raise NodeError(
                    "result-type",
                    f"result for output '{out.nir_name}' has shape {list(shape_of(res))}, expected {list(want)}",
                )

    def print(self, printer: Printer) -> None:
        if self.node_name is not None:
            printer.print_string(" ")
            printer.print_string_literal(self.node_name.data)
            if self.inputs:
                printer.print_operands(self.inputs)
        props = {k: v for k, v in self.properties.items() if k != "name"}
        if props:
            # `<{...}>` (MLIR's prop-dict): a plain `{` would read as the region.
            printer.print_string(" <")
            printer.print_attr_dict(props)
            printer.print_string(">")
        if self.attributes:
            printer.print_string(" attributes ")
            printer.print_attr_dict(self.attributes)
        if self.node_name is not None:
            printer.print_string(" : ")
            with printer.in_parens():
                printer.print_list([v.type for v in self.inputs], printer.print_attribute)
            printer.print_string(" -> ")
            with printer.in_parens():
                printer.print_list([v.type for v in self.outputs], printer.print_attribute)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False, print_empty_block=False)

    @classmethod
    def parse(cls, parser: Parser) -> GraphOp:
        props: dict[str, Attribute] = {}
        unresolved: list[UnresolvedOperand] = []
        name = parser.parse_optional_str_literal()
        if name is not None:
            props["name"] = StringAttr(name)
            unresolved = parse_optional_operands(parser)
        start = parser.pos
        for key, value in parser.parse_optional_properties_dict().items():
            if key not in cls.get_irdl_definition().properties or key == "name":
                parser.raise_error(f"unknown property '{key}' for nir.graph", start, parser.pos)
            props[key] = value
        attrs = parser.parse_optional_attr_dict_with_keyword()
        in_types: list[Attribute] = []
        out_types: list[Attribute] = []
        if name is not None:
            parser.parse_punctuation(":")
            in_types = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_type)
            parser.parse_punctuation("->")
            out_types = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_type)
            if len(in_types) != len(unresolved):
                parser.raise_error(f"expected {len(unresolved)} input types, got {len(in_types)}")
        operands = [parser.resolve_operand(u, t) for u, t in zip(unresolved, in_types, strict=True)]
        region = parser.parse_region()
        if not region.blocks:  # an empty graph prints as `{ }`
            region.add_block(Block())
        return cls.create(
            operands=operands,
            result_types=out_types,
            properties=props,
            attributes=attrs.data if attrs is not None else {},
            regions=[region],
        )


def top_graph(module: Operation) -> GraphOp:
    """The one top-level ``nir.graph`` of a module."""
    if isinstance(module, GraphOp):
        return module
    found = [op for op in module.walk() if isinstance(op, GraphOp) and not isinstance(op.parent_op(), GraphOp)]
    if len(found) != 1:
        raise NircError(f"expected one top-level nir.graph, found {len(found)}", rule="module-structure")
    others = [op.name for op in module.walk() if op is not module and not isinstance(op, (GraphOp, NodeOp))]
    if others:
        raise NircError(
            f"'{others[0]}' has no NIR equivalent: only the nir dialect can be written as .nir", rule="module-structure"
        )
    return found[0]


def graphs(module: Operation) -> Iterator[GraphOp]:
    """Every ``nir.graph`` in the module, inner graphs after the graph around them."""
    for op in module.walk():
        if isinstance(op, GraphOp):
            yield op


NODE_OPS: tuple[type[NodeOp], ...] = (
    InputOp,
    OutputOp,
    AffineOp,
    LinearOp,
    Conv1dOp,
    Conv2dOp,
    SumPool2dOp,
    AvgPool2dOp,
    FlattenOp,
    DelayOp,
    ScaleOp,
    ThresholdOp,
    IOp,
    LIOp,
    IFOp,
    LIFOp,
    CubaLIOp,
    CubaLIFOp,
)

#: NIR type name (``"CubaLIF"``) -> op class.
OP_BY_NIR_TYPE: dict[str, type[NodeOp]] = {op.NIR_TYPE: op for op in NODE_OPS}

NIR = Dialect("nir", [*NODE_OPS, GraphOp], [DenseAttr])

__all__ = [
    "NIR",
    "NODE_OPS",
    "OP_BY_NIR_TYPE",
    "ConvOp",
    "GraphOp",
    "IntegratorOp",
    "MatrixOp",
    "NeuronOp",
    "PoolOp",
    "graphs",
    "top_graph",
    *[op.__name__ for op in NODE_OPS],
]
