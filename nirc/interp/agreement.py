"""How alike two spike trains are: the measure targets' reports give between a chip's
model and the float model it was compiled from."""

from __future__ import annotations

from typing import Any

import numpy as np

from nirc.core.node import shape_of
from nirc.dialects.nir import InputOp, top_graph
from nirc.interp.run import run


def count_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """How alike two spike-count maps are: ``sum(min(a, b)) / sum(max(a, b))`` per
    neuron (1 when equal, 0 when no neuron spikes in both; 1 when neither spikes)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    top = float(np.maximum(a, b).sum())
    return 1.0 if top == 0 else float(np.minimum(a, b).sum()) / top


def step_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """The fraction of (step, sample, neuron) entries where two spike trains of one
    shape hold the same count (1 when both are empty)."""
    a, b = np.asarray(a), np.asarray(b)
    return 1.0 if a.size == 0 else float(np.mean(a == b))


def random_input(module: Any, batch: int, steps: int, p: float, seed: int) -> tuple[np.ndarray, dict[str, Any]]:
    """Random spikes ``(batch, steps, *shape)`` for ``module``'s one Input (each entry 1
    with probability ``p``), and how they were made, for a report."""
    inputs = [op for op in top_graph(module).body.block.ops if isinstance(op, InputOp)]
    x = (np.random.default_rng(seed).random((batch, steps, *shape_of(inputs[0].output))) < p).astype(np.float64)
    return x, {"random": True, "batch": batch, "steps": steps, "event_probability": p, "seed": seed}


def output_agreement(
    ref: dict[str, np.ndarray], got: dict[str, np.ndarray], latency: int = 0, key: str = "chip_spikes"
) -> dict[str, dict[str, Any]]:
    """Per output (``(B, T, ...)`` arrays keyed by name): the spikes of the float model
    (``ref``) and of the compiled one (``got``, under ``key``), and their count and step
    agreement with ``got`` shifted back by ``latency`` steps."""
    rows = {}
    for name in ref:
        steps = ref[name].shape[1]
        a, b = ref[name][:, : max(0, steps - latency)], got[name][:, latency:]
        rows[name] = {
            "model_spikes": int(ref[name].sum()),
            key: int(got[name].sum()),
            "count_agreement": count_agreement(a.sum(axis=1), b.sum(axis=1)),
            "step_agreement": step_agreement(a, b),
        }
    return rows


def chip_agreement(
    snn_module: Any, chips: dict[str, Any], batch: int, steps: int, p: float, seed: int
) -> dict[str, Any]:
    """A report's ``agreement``: each compiled module of ``chips`` (by report key) against
    the float ``snn_module`` on one random input (:func:`random_input`)."""
    x, how = random_input(snn_module, batch, steps, p, seed)
    ref = run(snn_module, x).outputs
    return {"input": how, **{key: output_agreement(ref, run(module, x).outputs) for key, module in chips.items()}}


def agreement_lines(rows: dict[str, dict[str, Any]], key: str = "chip_spikes", label: str = "chip") -> list[str]:
    """A target summary's line per output of :func:`output_agreement`'s rows."""
    return [
        f"output '{name}': {label} {row[key]} spikes, model {row['model_spikes']}; "
        f"count agreement {row['count_agreement']:.1%}"
        for name, row in rows.items()
    ]
