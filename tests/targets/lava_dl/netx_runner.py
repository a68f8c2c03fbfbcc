"""Run a netx HDF5 network in real Lava (lava-nc 0.10.0 + lava-dl 0.6.0, fixed_pt) on
spikes, one sample at a time.  Runs under the Lava venv's Python (``scripts/lava-env.sh``):

    .venv-lava/bin/python tests/targets/lava_dl/netx_runner.py network.net x.npy y.npy

``x`` is ``(time, channels)``, ``(time, C, H, W)`` or either with a batch first; ``y`` the
output spikes in the same layout.
"""

from __future__ import annotations

import sys
import types

import numpy as np


def run(net_path: str, x: np.ndarray) -> np.ndarray:
    # slayer imports its object-detection module, which needs torchvision: a stand-in
    name = "lava.lib.dl.slayer.object_detection"
    sys.modules.setdefault(name, types.ModuleType(name))
    from lava.lib.dl import netx
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer

    batched = x.ndim in (3, 5)  # (batch, time, n) or (batch, time, C, H, W)
    outs = []
    for sample in x if batched else x[None]:
        steps = sample.shape[0]
        net = netx.hdf5.Network(net_config=net_path)
        # netx's input is (x, y, f), the reverse of CHW: spikes as (W*H*C, T), reshaped
        whc = np.transpose(sample, (3, 2, 1, 0)).reshape(-1, steps) if sample.ndim > 2 else sample.T
        source = RingBuffer(data=whc.astype(float))
        sink = Sink(shape=net.out.shape, buffer=steps)
        source.s_out.reshape(net.inp.shape).connect(net.inp) if sample.ndim > 2 else source.s_out.connect(net.inp)
        net.out.connect(sink.a_in)
        try:
            net.run(condition=RunSteps(num_steps=steps), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
            outs.append(sink.data.get().T.copy())
        finally:
            net.stop()
    y = np.stack(outs)
    return y if batched else y[0]


if __name__ == "__main__":
    net_path, x_path, out_path = sys.argv[1:4]
    np.save(out_path, run(net_path, np.load(x_path)))
