"""Finding neuron ⊳ Linear/Affine ⊳ same-neuron recurrences (what snnTorch calls RLeaky
and RSynaptic), at the `nir` and the `snn` level.

A recurrence is fusable when

* the neuron spikes (LIF or CubaLIF; at the `snn` level a neuron with output spikes),
  its signal is 1-D;
* the weight node is a Linear or Affine with a square 2-D weight whose **only** input is
  the neuron, and whose **only** user is the neuron (through the one-step ``snn.delay``
  that ``convert-nir-to-snn`` puts on the edge, at the `snn` level, where it may feed
  other nodes too: the fused op holds a copy of the weights and the node stays for them;
  the `nir` level moves the node into the recurrent subgraph, so it must be the neuron's
  alone);
* the recurrent edge is the neuron's **last** incoming edge, or one of two: NIR sums the
  incoming edges in order and a fused op adds the recurrent term last, so anything else
  would reorder a float sum.

:func:`recurrence_at` looks only at a neuron's operands (a two-node cycle through a
single-use weight node is found from there), so a pass that asks it of every node is
linear in the graph size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation, SSAValue

from nirc.core.dense import DenseAttr
from nirc.core.node import shape_of
from nirc.core.rewriting import rewritable, sole_user
from nirc.dialects import nir, snn


@dataclass
class Recurrence:
    neuron: Operation
    weight: nir.MatrixOp
    #: the one-step delay between weight and neuron (`snn` level), or None
    delay: snn.DelayOp | None
    #: index of the recurrent edge among the neuron's operands
    index: int

    def external(self) -> list[SSAValue]:
        return [v for i, v in enumerate(self.neuron.operands) if i != self.index]

    def external_edge_ids(self) -> DenseAttr | None:
        """The file positions of the external edges, where the neuron kept them."""
        ids = self.neuron.properties.get("edge_ids")
        if (
            not isinstance(ids, DenseAttr)
            or ids.array.size != len(self.neuron.operands)
            or len(self.neuron.operands) < 2
        ):
            return None
        return DenseAttr.from_array(np.delete(ids.array, self.index))


def _sum_order_kept(neuron: Operation, index: int) -> bool:
    return index == len(neuron.operands) - 1 or len(neuron.operands) <= 2


def _weight_ok(weight: Operation, neuron: Operation, consumer: Operation, shared: bool = False) -> bool:
    """``weight`` is the neuron's square Linear/Affine, read by ``consumer`` (and, with
    ``shared``, possibly by others too)."""
    if not isinstance(weight, (nir.LinearOp, nir.AffineOp)):
        return False
    w = weight.param("weight")
    return (
        w.ndim == 2
        and w.shape[0] == w.shape[1]
        and len(weight.operands) == 1
        and weight.operands[0] is neuron.results[0]
        and (sole_user(weight.results[0]) is consumer or (shared and rewritable(weight)))
    )


def recurrence_at(op: Operation, level: str) -> Recurrence | None:
    """The fusable recurrence of neuron ``op``, or None (``level`` is ``nir`` or ``snn``)."""
    if level == "nir":
        if not isinstance(op, (nir.LIFOp, nir.CubaLIFOp)) or op.is_extended:
            return None
    elif not (isinstance(op, (snn.LeakyOp, snn.SynapticOp)) and op.choice("output") == "spikes"):
        return None
    if len(shape_of(op.results[0])) != 1:
        return None
    for index, value in enumerate(op.operands):
        source = value.owner
        delay = None
        if level == "snn":
            if not (
                isinstance(source, snn.DelayOp) and (source.param("steps") == 1).all() and len(source.operands) == 1
            ):
                continue
            if sole_user(source.results[0]) is not op:
                continue
            delay = source
            source = source.operands[0].owner
        consumer = delay if delay is not None else op
        # at the snn level the weights may feed other nodes too (canonicalize merges equal
        # Linears): the fused op takes a copy as w_rec and the node stays for the others
        shared = level == "snn"
        if isinstance(source, Operation) and _weight_ok(source, op, consumer, shared) and _sum_order_kept(op, index):
            return Recurrence(op, source, delay, index)  # type: ignore[arg-type]
    return None
