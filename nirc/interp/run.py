"""``nirc.run``: simulate a `nir` module on numpy arrays under a semantics profile."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation

from nirc.core import budget
from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError
from nirc.core.extension import passes
from nirc.core.node import shape_of
from nirc.core.pipeline import build_pipeline
from nirc.core.profiles import resolve
from nirc.core.semantics import Semantics
from nirc.core.traits import ContinuousTime, DiscreteTime, has
from nirc.core.verify import verify_module
from nirc.dialects.nir import GraphOp, top_graph
from nirc.dialects.snn.discretization import recorded
from nirc.interp.executor import Executor


@dataclass
class RunResult:
    """Outputs keyed by Output name, in the layout of the input (``(T, *shape)`` or
    ``(B, T, *shape)``); ``records[node][state]`` for each recorded node (``v``, and
    ``i`` for current-based neurons), in the same layout."""

    outputs: dict[str, np.ndarray]
    records: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    semantics: Semantics | None = None
    #: how the semantics were chosen: ``""`` where a profile was (the model is
    #: continuous-time), else why the model's own discrete semantics apply
    fixed_by: str = ""


def _prepare(graph: GraphOp, x: np.ndarray | Mapping[str, np.ndarray]) -> tuple[dict[str, np.ndarray], bool]:
    inputs = graph.input_nodes()
    if not inputs:
        raise NircError("the graph has no Input node: nothing to feed", rule="run-input")
    names = [op.nir_name for op in inputs]
    if not isinstance(x, Mapping):
        if len(inputs) != 1:
            raise NircError(
                f"the graph has {len(inputs)} inputs ({', '.join(sorted(names))}); pass one array per input name",
                rule="run-input",
            )
        x = {names[0]: x}
    unknown = sorted(set(x) - set(names))
    missing = sorted(set(names) - set(x))
    if unknown or missing:
        raise NircError(
            f"inputs must be named {', '.join(sorted(names))}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            rule="run-input",
        )
    batched: bool | None = None
    out: dict[str, np.ndarray] = {}
    time: int | None = None
    for op in inputs:
        arr = np.asarray(x[op.nir_name])
        shape = shape_of(op.output)
        if arr.dtype.kind not in "biuf":
            raise NircError(f"input '{op.nir_name}' must be numeric, got {arr.dtype}", rule="run-input")
        if arr.ndim == len(shape) + 1 and tuple(arr.shape[1:]) == shape:
            this_batched = False
            arr = arr[:, None]
        elif arr.ndim == len(shape) + 2 and tuple(arr.shape[2:]) == shape:
            this_batched = True
            arr = np.swapaxes(arr, 0, 1)
        else:
            raise NircError(
                f"input '{op.nir_name}' has shape {list(arr.shape)}; expected (time, {', '.join(map(str, shape))}) "
                f"or (batch, time, {', '.join(map(str, shape))})",
                rule="run-input",
            )
        if batched is not None and this_batched != batched:
            raise NircError("all inputs must be batched, or none", rule="run-input")
        if time is not None and arr.shape[0] != time:
            raise NircError("all inputs must have the same number of time steps", rule="run-input")
        batched, time = this_batched, arr.shape[0]
        if not np.isfinite(arr).all():
            raise NircError(f"input '{op.nir_name}' has non-finite values", rule="run-input")
        out[op.nir_name] = arr
    return out, bool(batched)


def _fully_discrete(module: Operation) -> bool:
    """The module holds discrete-time ops (:class:`~nirc.core.traits.DiscreteTime`: `snn`,
    a chip's) and no node whose steps depend on the semantics (``ContinuousTime``)."""
    has_discrete = False
    for op in module.walk():
        if has(type(op), ContinuousTime):
            return False
        has_discrete = has_discrete or has(type(op), DiscreteTime)
    return has_discrete


def lower(module: Operation, sem: Semantics) -> Operation:
    """A copy of a continuous-time ``module`` discretized under ``sem`` (``convert-nir-to-snn``)
    and taken to the platform's arithmetic by ``sem.lowering``: what a profile with a
    lowering runs."""
    from xdsl.context import Context

    convert = passes()["convert-nir-to-snn"].load()
    choices = {f.name: getattr(sem, f.name) for f in dataclasses.fields(convert) if f.name not in ("dt", "semantics")}
    steps = (convert(dt=sem.dt, semantics=sem.name, **choices), *build_pipeline(sem.lowering))
    work = module.clone()
    for step in steps:
        step.apply(Context(), work)  # type: ignore[arg-type]
        verify_module(work)
    return work


def metadata_dt(module: Operation) -> float | None:
    """The time step the model's top-level metadata states (``dt``: a positive number of
    seconds), or None."""
    meta = top_graph(module).metadata
    attr = meta.data.get("dt") if meta is not None else None
    if not isinstance(attr, DenseAttr) or attr.array.size != 1 or attr.array.dtype.kind not in "iuf":
        return None
    value = float(attr.array.reshape(-1)[0])
    return value if 0 < value < math.inf else None


def _check_budget(module: Operation, feeds: dict[str, np.ndarray], dtype: np.dtype) -> None:
    """The signals of the run (every node's output over time and batch) against the
    memory budget, before the run allocates them: a Conv2d whose padding implies a
    terabyte, a huge model on a long input."""
    first = next(iter(feeds.values()), None)
    if first is None:
        return
    steps_batch = int(first.shape[0]) * int(first.shape[1])
    total = 0
    for op in module.walk():
        for result in op.results:
            if isinstance(result.type, TensorType):
                shape = shape_of(result)
                budget.check_dims(len(shape) + 2, "a signal over time and batch", node=getattr(op, "nir_name", None))
                total += steps_batch * math.prod(shape) * dtype.itemsize
    budget.check(total, f"the run's signals ({first.shape[0]} steps x batch {first.shape[1]})")


def run(
    module: Operation,
    x: np.ndarray | Mapping[str, np.ndarray],
    *,
    semantics: str | Semantics | None = None,
    dt: float | None = None,
    record: Iterable[str] = (),
    progress: Any = None,
    **options: Any,
) -> RunResult:
    """Simulate ``module`` on input ``x`` (``(T, *shape)`` or ``(B, T, *shape)``, or a
    mapping of such arrays keyed by Input name) under a semantics profile.

    ``dt`` and any :class:`Semantics` field (``reset="subtract"``, ...) override the
    profile.  ``record`` names nodes (``sub/lif`` inside nested graphs) whose state is
    returned over time.  ``progress(done, total)`` is called as the run advances.

    A module made by ``convert-nir-to-snn`` runs with the semantics it was discretized
    with (only ``dtype`` may change); others default to the ``nir`` profile."""
    fixed = recorded(module)
    if fixed is None and _fully_discrete(module):
        # discrete-time ops, no continuous-time node: nothing a profile could change
        fixed = resolve("nir", None)
        label = "discrete-time ops and no continuous-time node"
    else:
        label = f"convert-nir-to-snn with semantics={fixed.name}, dt={fixed.dt}" if fixed is not None else ""
    if fixed is None:
        if dt is None:
            dt = metadata_dt(module)  # the model's own time step, where its file states one
        sem = resolve(semantics if semantics is not None else "nir", dt, **options)
        if sem.lowering:
            module = lower(module, sem)
            label = f"semantics={sem.name} lowers the model ({sem.lowering})"
    else:
        extra = sorted({k.replace("_", "-") for k in options} - {"dtype"})
        if semantics is not None or dt is not None or extra:
            given = ", ".join(
                ([f"semantics={semantics}"] if semantics is not None else [])
                + ([f"dt={dt}"] if dt is not None else [])
                + extra
            )
            raise NircError(
                f"the model is discrete-time ({label}): its semantics are fixed, only dtype can be chosen; got {given}",
                rule="run-semantics",
            )
        sem = fixed.with_options(**options) if options else fixed
    graph = top_graph(module)
    feeds, batched = _prepare(graph, x)
    _check_budget(module, feeds, np.dtype(sem.dtype))
    wanted = set(record)
    executor = Executor(graph, sem.with_options(lowering="") if sem.lowering else sem, wanted)
    executor.progress = progress
    recordable = executor.recordable()
    missing = sorted(wanted - set(recordable))
    if missing:
        raise NircError(
            f"cannot record '{missing[0]}': not a neuron of the graph; neurons: {', '.join(recordable) or 'none'}",
            rule="run-record",
        )
    dtype = np.dtype(sem.dtype)
    feeds = {k: v.astype(dtype, copy=False) for k, v in feeds.items()}
    executor.reset(next(iter(feeds.values())).shape[1])
    outs = executor.run(feeds)

    def layout(arr: np.ndarray) -> np.ndarray:
        return np.swapaxes(arr, 0, 1) if batched else arr[:, 0]

    return RunResult(
        outputs={k: layout(v) for k, v in outs.items()},
        records={node: {k: layout(v) for k, v in states.items()} for node, states in executor.records().items()},
        semantics=sem,
        fixed_by=label,
    )
