"""The Norse target object (in the `norse` extension, :mod:`.extension`)."""

from __future__ import annotations

from nirc.targets.norse.mapping import NorseMapping
from nirc.targets.pygen.torch.target import TorchTarget


class NorseTarget(TorchTarget):
    name = "norse"
    mapping = NorseMapping()


TARGET = NorseTarget()
