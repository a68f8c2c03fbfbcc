"""Loihi 2's limits as data (``../shared/reference/chips.md`` B.5; how sure each is).

* 128 neuromorphic cores per chip (Lava's ``NUM_VIRTUAL_CORES_L2``) [confirmed];
* up to 8192 neurons per core [secondary sources];
* 128 KiB of SRAM per core, shared between synapses, neuron state and routing
  [secondary sources]; how Loihi's compiler packs it is not public, so nirc budgets it
  with a stated model: a dense synapse is one byte (an 8-bit weight), a neuron
  ``NEURON_BYTES`` (its 24-bit ``u`` and ``v``, bias and routing), and a core holds a
  slice of a layer while its neurons' synapses and states fit;
* 8-bit weight mantissas with a per-layer exponent, 12-bit decays, a 17-bit threshold
  mantissa, a 13-bit bias mantissa, 24-bit states [confirmed, Lava's bit-accurate model].
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Loihi2Chip:
    name: str = "loihi2"
    product: str = "Intel Loihi 2"
    cores: int = 128
    neurons_per_core: int = 8192
    core_memory_bytes: int = 128 * 1024
    synapse_bytes: int = 1
    neuron_bytes: int = 16
    weight_bits: int = 8
    #: the threshold mantissa is 17 bits unsigned: 18 as a signed width
    threshold_bits: int = 18
    bias_bits: int = 13
    state_bits: int = 24
    decay_bits: int = 12
    #: netx fixes the bias exponent at 6: weights, biases and thresholds share one unit
    bias_exp: int = 6

    def neurons_fitting(self, fan_in: int) -> int:
        """How many neurons with ``fan_in`` dense synapses each one core holds."""
        per = self.neuron_bytes + self.synapse_bytes * fan_in
        return min(self.neurons_per_core, self.core_memory_bytes // per)


LOIHI2 = Loihi2Chip()
