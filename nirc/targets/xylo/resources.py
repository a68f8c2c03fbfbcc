"""The Xylo chips as data: what each holds and what it accepts.

Sources (``../shared/reference/chips.md`` section A has the citations): rockpool 3.1.0
``rockpool/devices/xylo/{syns61201,syns63300,syns65302}`` (mappers, ``config_from_specification``,
``XyloSim``) and xylosim 0.1.3 ``src/v2/cpp`` (the integer arithmetic).  Nothing here
decides: the rules (:mod:`~nirc.targets.xylo.rules`), the placement and the
quantizer's configuration read these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class XyloChip:
    """One Xylo variant."""

    #: as ``--chip`` names it
    name: str
    #: the product and the rockpool package that deploys it
    product: str
    package: str
    #: the package whose ``XyloSim`` simulates it (Audio 3 uses IMU's)
    simulator: str
    hidden: int
    readout: int
    #: synaptic states per hidden neuron (Audio 3's rockpool drops the second one)
    synapses: int
    #: hidden neurons an input channel may reach: the first ``input_window`` ids (None: all)
    input_window: int | None
    #: hidden neurons that may project to the readout: the last ``output_window`` ids (None: all)
    output_window: int | None
    #: non-zero recurrent weights one hidden neuron may send (per synapse bank together)
    max_fanout: int
    #: non-zero recurrent weights the chip's memory holds, per synapse bank
    recurrent_memory: int
    input_channels: int = 16
    weight_bits: int = 8
    threshold_bits: int = 16
    bias_bits: int = 16
    state_bits: int = 16
    dash_bits: int = 4
    #: left shift of each weight matrix: 0 .. max_weight_shift ([U] on the chip; an int8
    #: weight shifted by at most 8 still fits the 16-bit synaptic state)
    max_weight_shift: int = 7
    #: input spikes per channel per step (more are clipped), spikes a hidden or readout
    #: neuron emits per step
    max_input_spikes: int = 15
    max_hidden_spikes: int = 31
    max_readout_spikes: int = 1

    @property
    def max_dash(self) -> int:
        return (1 << self.dash_bits) - 1


CHIPS: dict[str, XyloChip] = {
    "audio2": XyloChip(
        name="audio2",
        product="Xylo Audio 2 (SYNS61201)",
        package="rockpool.devices.xylo.syns61201",
        simulator="rockpool.devices.xylo.syns61201",
        hidden=1000,
        readout=8,
        synapses=2,
        input_window=None,
        output_window=None,
        max_fanout=64,
        recurrent_memory=32000,
    ),
    "audio3": XyloChip(
        name="audio3",
        product="Xylo Audio 3 (SYNS65302)",
        package="rockpool.devices.xylo.syns65302",
        simulator="rockpool.devices.xylo.syns63300",
        hidden=992,
        readout=32,
        synapses=1,
        input_window=128,
        output_window=128,
        max_fanout=1024,
        recurrent_memory=31744,
    ),
    "imu": XyloChip(
        name="imu",
        product="Xylo IMU (SYNS63300)",
        package="rockpool.devices.xylo.syns63300",
        simulator="rockpool.devices.xylo.syns63300",
        hidden=496,
        readout=16,
        synapses=1,
        input_window=128,
        output_window=128,
        max_fanout=512,
        recurrent_memory=31744,
    ),
}

DEFAULT_CHIP = "audio2"
