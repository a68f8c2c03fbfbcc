"""The weights side file: every parameter of a generated model, stored under a key.

The generated source holds no numbers of the model (a comment may describe them): a node
stores each array it needs with :meth:`Weights.store` and writes, in its place, the
expression ``param('<node>.<key>')``.  Every backend's template defines that function
(:data:`LOADER`) where its nodes' construction code runs: it reads the key from
:data:`FILE` (``np.load(..., allow_pickle=False)``, beside the generated module) and turns
it into the framework's array, floats in the run dtype, integers as they are.
"""

from __future__ import annotations

import os

import numpy as np

from nirc.targets.pygen.names import literal

#: The side file, beside the generated module.
FILE = "weights.npz"
#: The function of the generated module that loads one stored array by its key.
LOADER = "param"


class Weights:
    """The arrays a generated module loads, by key, in the order stored."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def store(self, key: str, value: np.ndarray) -> str:
        """Keep ``value`` under ``key``; the expression that loads it in the generated code."""
        self.arrays[key] = np.ascontiguousarray(value)
        return f"{LOADER}({literal(key)})"


def write(path: str | os.PathLike[str], arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as the side file (an uncompressed ``.npz``, in the order given)."""
    np.savez(path, **arrays)


def count(arrays: dict[str, np.ndarray]) -> int:
    """The number of parameters: every element of every array."""
    return int(sum(a.size for a in arrays.values()))
