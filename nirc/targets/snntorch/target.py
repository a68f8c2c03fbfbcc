"""The snnTorch target object (in the `snntorch` extension, :mod:`.extension`)."""

from __future__ import annotations

from nirc.targets.pygen.torch.target import TorchTarget
from nirc.targets.snntorch.mapping import SnnTorchMapping


class SnnTorchTarget(TorchTarget):
    name = "snntorch"
    mapping = SnnTorchMapping()


TARGET = SnnTorchTarget()
