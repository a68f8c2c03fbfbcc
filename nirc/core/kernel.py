"""The interpreter's kernel protocol: what an op computes, on numpy arrays.

``nir-run`` (:mod:`nirc.interp`) gives every node of a graph a :class:`Kernel`, chosen
by the op's class from the kernels the registered extensions declare
(:attr:`nirc.core.extension.Extension.kernels`).  A kernel is built from the op and the
semantics the model runs under, ``Kernel(op, sem)``, and computes on arrays whose leading
axes are time and batch:

* ``run(x)`` — the whole series at once: ``x`` is ``(T, B, *input shape)``, the sum of
  the node's incoming signals, and the result is ``(T, B, *output shape)``;
* ``step(x)`` — one step, ``(B, *shape)`` in and out, keeping state in the kernel (the
  executor steps the nodes of a recurrent cycle this way); the default runs ``run`` on a
  series of length one, which is right for stateless ops;
* ``reset(batch)`` — put the state back to its initial value (zeros: NIR's neurons start
  at rest) for a batch of ``batch``; the default has no state to reset.

A kernel whose op is a :class:`~nirc.core.traits.CycleBreaker` also has ``peek(like)``
(the coming step's output, before its input is known) and ``push(x)`` (that step's
input), as :class:`DelayKernel`.  A kernel with recordable states lists them in
``states`` (``("v", "i")``) and calls :meth:`Kernel.record` after each step with their
values; ``nir-run --record NODE`` returns them over time.

Arrays are in the semantics' dtype (``sem.dtype``); :meth:`Kernel.param` reads an op
parameter in it.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from nirc.core.semantics import Semantics


class Kernel:
    """Base of the interpreter's kernels (see the module doc for the protocol)."""

    #: the states :meth:`record` takes, in order (``v``, ``i``, ...)
    states: tuple[str, ...] = ()

    def __init__(self, op: Any, sem: Semantics):
        self.op = op
        self.sem = sem
        self.dtype = np.dtype(sem.dtype)
        #: set by the executor where the node is recorded: state name -> values per step
        self.records: dict[str, list[np.ndarray]] | None = None

    def param(self, key: str) -> np.ndarray:
        """The op's parameter ``key`` in the run dtype."""
        return np.asarray(self.op.param(key), dtype=self.dtype)

    def reset(self, batch: int) -> None:
        pass

    def step(self, x: np.ndarray) -> np.ndarray:
        return self.run(x[None])[0]

    def run(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def record(self, *values: np.ndarray) -> None:
        """Append one step's values of :attr:`states` (in that order), where recorded."""
        if self.records is not None:
            for key, value in zip(self.states, values, strict=True):
                self.records[key].append(value)


def apply_matrix(x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    """``W x (+ b)`` over the last axis of ``(..., in)``, leading weight axes batching:
    how every level computes a Linear or Affine map (so their kernels agree bit for bit)."""
    y = x @ w.T if w.ndim == 2 else np.einsum("...i,...oi->...o", x, w)
    return y + b if b is not None else y


class DelayKernel(Kernel):
    """``y[t] = x[t - steps]`` per element, zero before the first value arrives."""

    def __init__(self, op: Any, sem: Semantics, steps: np.ndarray):
        super().__init__(op, sem)
        self.steps = np.asarray(steps, dtype=np.int64)
        self.depth = int(self.steps.max()) if self.steps.size else 0
        #: each distinct delay with the elements it applies to, shortest first
        self.groups = [(int(k), self.steps == k) for k in np.unique(self.steps)]
        #: the delay when every element has the same one (the result is then the
        #: delayed array itself, no selection), else None
        self.uniform = self.groups[0][0] if len(self.groups) == 1 else None
        self._fits: tuple[int, ...] | None = None

    def _whole(self, like: np.ndarray) -> bool:
        """Whether one delay applies to every element of arrays shaped and typed as
        ``like``: the delays broadcast to ``like``'s shape (a selection would give it)."""
        if self.uniform is None:
            return False
        if like.shape != self._fits:
            if np.broadcast_shapes(self.steps.shape, like.shape) != like.shape:
                return False
            self._fits = like.shape
        return True

    def reset(self, batch: int) -> None:
        self.history: deque[np.ndarray] = deque(maxlen=self.depth + 1)

    def run(self, x: np.ndarray) -> np.ndarray:
        t_len = x.shape[0]
        if self._whole(x):
            k = self.uniform
            assert k is not None
            y = np.zeros_like(x)
            if k < t_len:
                y[k:] = x[: t_len - k]
            return y
        y = np.zeros_like(x)
        for k, mask in self.groups:
            if k < t_len:
                shifted = np.zeros_like(x)
                shifted[k:] = x[: t_len - k]
                y = np.where(mask, shifted, y)
        return y

    def _select(self, like: np.ndarray, newest: np.ndarray | None) -> np.ndarray:
        """Each element from the step its delay reaches back to: ``k`` steps back is
        ``history[-1 - k]``, or, with ``newest`` (the coming step's value, not yet in the
        history), ``newest`` for ``k = 0`` and ``history[-k]`` before it."""
        history = self.history
        ahead = 0 if newest is None else 1
        known = len(history) + ahead

        def back(k: int) -> np.ndarray:
            return newest if k == 0 and newest is not None else history[-1 - k + ahead]

        k = self.uniform
        if k is not None and self._whole(like):
            if k >= known:
                return np.zeros_like(like)
            value = back(k)
            if value.shape == like.shape and value.dtype == like.dtype:
                return value.copy()
        y = np.zeros_like(like)
        for k, mask in self.groups:
            if k < known:
                y = np.where(mask, back(k), y)
        return y

    def step(self, x: np.ndarray) -> np.ndarray:
        self.push(x)
        return self._select(x, None)

    def push(self, x: np.ndarray) -> None:
        """The input of the current step (a cycle breaker takes it at the step's end)."""
        self.history.append(x)

    def peek(self, like: np.ndarray) -> np.ndarray:
        """The output of the coming step, before its input is known (cycle breakers only):
        element ``k`` steps back is ``history[-k]``."""
        return self._select(like, like) if self.history else np.zeros_like(like)
