"""The snnTorch target object (registered as ``nirc.targets: snntorch``)."""

from __future__ import annotations

from nirc.targets.snntorch.mapping import SnnTorchMapping
from nirc.targets.torchgen.target import TorchTarget


class SnnTorchTarget(TorchTarget):
    name = "snntorch"
    mapping = SnnTorchMapping()


TARGET = SnnTorchTarget()
