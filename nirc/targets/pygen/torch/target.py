"""The target object of a torch framework: :class:`~nirc.targets.pygen.target.PythonTarget`
on the torch backend.  A framework subclasses it with its ``name`` and ``mapping``."""

from __future__ import annotations

from nirc.targets.pygen.target import PythonTarget
from nirc.targets.pygen.torch.backend import TORCH, TorchBackend


class TorchTarget(PythonTarget):
    """A torch framework's target: ``nir-to-snn``, the shared walk, the torch template."""

    backend: TorchBackend = TORCH
