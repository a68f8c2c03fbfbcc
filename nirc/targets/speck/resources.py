"""The Speck (DynapCNN) chip as data: what a core holds and what the chip accepts.

Sources: sinabs ``backend/dynapcnn`` (``chips/dynapcnn.py``, ``mapping.py``,
``discretize.py``) and its ``docs/speck/overview.md``; ``docs/notes/speck.md`` has the
details and citations.  Nothing here is code that decides: the rules in
:mod:`nirc.targets.speck.rules`, the placement in ``speck-place`` and the quantizer's
configuration in ``nir-to-speck`` read these numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SpeckResources:
    #: Kernel memory entries per core (16K = 16 * 1024).
    kernel_memory: tuple[int, ...] = tuple(k * 1024 for k in (16, 16, 16, 32, 32, 64, 64, 16, 16))
    #: Neuron memory entries per core.
    neuron_memory: tuple[int, ...] = tuple(k * 1024 for k in (64, 64, 64, 32, 32, 16, 16, 16, 16))
    #: Bias entries per core (one per output channel).
    bias_memory: int = 1024
    max_input_size: int = 128  # the DVS/input layer, per side
    dvs_channels: int = 2  # the DVS layer's polarities; a wider input enters a core directly
    max_feature_size: int = 64  # a core's output feature map, per side
    max_channels: int = 1024
    max_kernel: int = 16  # square kernels only
    strides: tuple[int, ...] = (1, 2, 4, 8)
    max_padding: int = 7
    poolings: tuple[int, ...] = (1, 2, 4)  # sum pooling on a destination, square
    max_destinations: int = 2
    weight_bits: int = 8
    bias_bits: int = 8
    threshold_bits: int = 16
    state_bits: int = 16

    @property
    def cores(self) -> int:
        return len(self.kernel_memory)

    def cores_for(self, kernel: int, neuron: int) -> list[int]:
        """The cores whose memories hold a layer of ``kernel`` and ``neuron`` entries."""
        return [c for c in range(self.cores) if kernel <= self.kernel_memory[c] and neuron <= self.neuron_memory[c]]


SPECK = SpeckResources()


def _pow2_bits(n: int) -> int:
    """``ceil(log2 n)``, 0 for n <= 1."""
    return max(0, math.ceil(math.log2(n))) if n > 1 else 0


def kernel_memory(in_channels: int, out_channels: int, kernel: tuple[int, int]) -> int:
    """Kernel memory entries a layer needs: ``c * 2^(ceil(log2(kx*ky)) + ceil(log2 f))``."""
    return in_channels * (1 << (_pow2_bits(kernel[0] * kernel[1]) + _pow2_bits(out_channels)))


def neuron_memory(out_channels: int, out_size: tuple[int, int]) -> int:
    """Neuron memory entries a layer needs: ``f * 2^(ceil(log2 fy) + ceil(log2 fx))``."""
    return out_channels * (1 << (_pow2_bits(out_size[0]) + _pow2_bits(out_size[1])))
