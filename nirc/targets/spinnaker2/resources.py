"""SpiNNaker2's limits as data (``../shared/reference/chips.md`` C.4, C.5; how sure each is).

* 152 PEs per chip, each an ARM Cortex-M4F with 128 KiB of SRAM [secondary sources];
  a board of 48 chips is the unit above a chip;
* a PE addresses at most 256 neurons (8-bit target index); py-spinnaker2's LIF
  applications default to 250 per PE [confirmed from derived code];
* weights: a sign and 7 bits (±127) for the no-delay models; delay 0 [confirmed, s2_nir];
* neuron arithmetic in float32 [confirmed, NESTML templates].

How a PE's memory is split is not public, so nirc budgets it with a stated model: of the
128 KiB, ``RESERVED_BYTES`` hold the program, stacks and buffers; a neuron takes
``neuron_bytes`` (its float32 parameters and state); a synapse one 16-bit word, and each
presynaptic neuron with synapses on the PE a row of three 32-bit header words; a
Conv2DProjection stores its int8 kernel once per PE and computes its synapses from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpiNNaker2Chip:
    name: str = "spinnaker2"
    product: str = "SpiNNaker2"
    pes_per_chip: int = 152
    chips_per_board: int = 48
    pe_memory_bytes: int = 128 * 1024
    reserved_bytes: int = 32 * 1024
    atoms_default: int = 250
    atoms_max: int = 256
    synapse_bytes: int = 2
    row_header_bytes: int = 12
    #: float32 words per neuron: parameters and state
    lif_neuron_bytes: int = 4 * 5
    curr_exp_neuron_bytes: int = 4 * 9
    weight_max: int = 127

    @property
    def usable_bytes(self) -> int:
        return self.pe_memory_bytes - self.reserved_bytes

    def slice_bytes(self, n: int, neuron_bytes: int, synapses_per_neuron: int, rows: int, kernel_bytes: int) -> int:
        """A slice of ``n`` neurons: their state, synapse words, one row per presynaptic
        neuron (at most ``rows``), and the conv kernels."""
        return (
            n * neuron_bytes
            + n * synapses_per_neuron * self.synapse_bytes
            + rows * self.row_header_bytes
            + kernel_bytes
        )

    def atoms_fitting(self, neuron_bytes: int, synapses_per_neuron: int, rows: int, kernel_bytes: int) -> int:
        """The most neurons (up to the default 250) a PE holds; 0 when not even one fits."""
        best = 0
        lo, hi = 1, self.atoms_default
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.slice_bytes(mid, neuron_bytes, synapses_per_neuron, rows, kernel_bytes) <= self.usable_bytes:
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        return best


SPINNAKER2 = SpiNNaker2Chip()
