"""A lava-dl slayer network, written by nirc (``nir-translate --target=lava-dl``).

A chain of slayer CUBA blocks (``slayer.block.cuba.Conv``, ``Flatten``, ``Dense``, and
``Recurrent`` where a layer feeds back to itself) whose parameters are in ``weights.npz``
beside this file; spikes are ``(batch, *shape, time)``, time last, as slayer takes them.

    python model.py --input x.npy -o y.npz       # run (x: (time, *shape) or (batch, time, *shape))
    python model.py --export network.net         # the netx HDF5 network, for Lava / Loihi 2

``y.npz`` holds the output spikes keyed by the output's name, in the input's layout:
what ``nir-run --semantics lava-dl`` predicts, step for step.
"""

from __future__ import annotations

import argparse
import sys
import types
import zipfile
from pathlib import Path

import h5py
import numpy as np
import torch

# slayer imports its object-detection module, which needs torchvision; netx and the
# blocks do not use it: an empty stand-in
sys.modules.setdefault("lava.lib.dl.slayer.object_detection", types.ModuleType("lava.lib.dl.slayer.object_detection"))
import lava.lib.dl.slayer as slayer  # noqa: E402

HERE = Path(__file__).resolve().parent
WEIGHTS = HERE / "weights.npz"


def _block_params(p: dict[str, np.ndarray], i: int) -> dict[str, np.ndarray]:
    return {k.split(".", 1)[1]: v for k, v in p.items() if k.startswith(f"B{i}.")}


class Network(torch.nn.Module):
    """The blocks in a chain."""

    def __init__(self, p: dict[str, np.ndarray]):
        super().__init__()
        blocks = []
        self.input_shape = tuple(int(n) for n in p["input_shape"])
        for i in range(int(p["blocks"])):
            q = _block_params(p, i)
            kind = str(q["kind"])
            if kind == "flatten":
                blocks.append(slayer.block.cuba.Flatten())
                continue
            scale = int(q["scale"])
            recurrent = "weight_rec" in q
            neuron_params = {
                "threshold": float(q["threshold"]) / scale,  # slayer keeps int(threshold * scale) / scale
                "current_decay": float(q["current_decay"]) / 4096,
                "voltage_decay": float(q["voltage_decay"]) / 4096,
                "scale": scale,
                "requires_grad": False,
                "persistent_state": recurrent,  # a Recurrent block steps its neuron one step at a time
            }
            n_out, n_in = q["weight"].shape[:2]
            shift = bool(q["delay_shift"])
            if kind == "conv":
                block = slayer.block.cuba.Conv(
                    neuron_params,
                    int(n_in * q["groups"]),
                    int(n_out),
                    kernel_size=tuple(int(k) for k in q["weight"].shape[2:]),
                    stride=tuple(int(k) for k in q["stride"]),
                    padding=tuple(int(k) for k in q["padding"]),
                    dilation=tuple(int(k) for k in q["dilation"]),
                    groups=int(q["groups"]),
                    weight_norm=False,
                    delay_shift=shift,
                )
            elif recurrent:
                block = slayer.block.cuba.Recurrent(neuron_params, n_in, n_out, weight_norm=False, delay_shift=shift)
            else:
                block = slayer.block.cuba.Dense(neuron_params, n_in, n_out, weight_norm=False, delay_shift=shift)
            synapse = block.input_synapse if recurrent else block.synapse
            with torch.no_grad():
                synapse.weight.copy_(torch.from_numpy(q["weight"]).reshape(synapse.weight.shape))
                if recurrent:
                    rec = block.recurrent_synapse
                    rec.weight.copy_(torch.from_numpy(q["weight_rec"]).reshape(rec.weight.shape))
            if not bool(q["quantize_weights"]):  # float weights (these cannot export to netx)
                synapse.pre_hook_fx = None
                if recurrent:
                    block.recurrent_synapse.pre_hook_fx = None
            blocks.append(block)
        self.blocks = torch.nn.ModuleList(blocks)

    def reset(self) -> None:
        """Zero the state a Recurrent block keeps between calls."""
        for block in self.blocks:
            if hasattr(block, "spike_state"):
                block.spike_state = torch.zeros(1)
                block.neuron.current_state = torch.zeros(1)
                block.neuron.voltage_state = torch.zeros(1)

    def forward(self, spikes: torch.Tensor) -> torch.Tensor:
        self.reset()
        for block in self.blocks:
            spikes = block(spikes)
        return spikes

    def export_hdf5(self, filename: str | Path) -> None:
        """The netx network (``lava.lib.dl.netx.hdf5.Network(net_config=filename)``)."""
        with torch.no_grad():  # a block learns its neurons' shape from its first input
            self(torch.zeros(1, *self.input_shape, 1))
        with h5py.File(filename, "w") as f:
            layers = f.create_group("layer")
            # the input layer gives netx the input's shape (CHW), which a first conv needs
            first = layers.create_group("0")
            first.create_dataset("type", (1,), "S10", [b"input"])
            first.create_dataset("shape", data=np.array(self.input_shape))
            for i, block in enumerate(self.blocks, start=1):
                block.export_hdf5(layers.create_group(f"{i}"))


def load(weights: str | Path = WEIGHTS) -> Network:
    with np.load(weights, allow_pickle=False) as f:
        p = {k: f[k] for k in f.files}
    model = Network(p)
    model.input_name = str(p["input_name"])
    model.output_name = str(p["output_name"])
    return model.eval()


def save_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez`` under any key (an output may be named ``file``, which savez's own
    argument would take)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w") as f:
                np.lib.format.write_array(f, np.asanyarray(value), allow_pickle=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="spikes: .npy (time, channels) or (batch, time, channels)")
    parser.add_argument("-o", "--output", help="the output spikes, .npz keyed by the output's name")
    parser.add_argument("--export", help="write the netx HDF5 network to this file")
    args = parser.parse_args(argv)
    model = load()
    if args.export:
        model.export_hdf5(args.export)
    if args.input:
        x = np.load(args.input, allow_pickle=False)
        if isinstance(x, np.lib.npyio.NpzFile):
            x = x[model.input_name]
        batched = x.ndim == len(model.input_shape) + 2
        x = np.asarray(x if batched else x[None], np.float32)
        # nir-run's (batch, time, *shape) -> slayer's (batch, *shape, time), and back
        spikes = torch.from_numpy(np.moveaxis(x, 1, -1).copy())
        with torch.no_grad():
            y = np.moveaxis(model(spikes).numpy(), -1, 1)
        save_npz(args.output or "y.npz", {model.output_name: y if batched else y[0]})


if __name__ == "__main__":
    main()
