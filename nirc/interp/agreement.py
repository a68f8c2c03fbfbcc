"""How alike two spike trains are: the measure targets' reports give between a chip's
model and the float model it was compiled from."""

from __future__ import annotations

import numpy as np


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
