"""The Norse target object (registered as ``nirc.targets: norse``)."""

from __future__ import annotations

from nirc.targets.norse.mapping import NorseMapping
from nirc.targets.pygen.torch.target import TorchTarget


class NorseTarget(TorchTarget):
    name = "norse"
    mapping = NorseMapping()


TARGET = NorseTarget()
