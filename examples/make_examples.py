"""Regenerate the example models shipped in ``nirc/examples/`` (deterministic).

    python examples/make_examples.py

``srnn.nir``: a small recurrent spiking network in the shape of the NIR paper's Braille
model — Input(12) -> Affine -> CubaLIF(16) with a recurrent Linear -> Affine ->
CubaLIF(4) -> Output — with random weights from a fixed seed and metadata.  Time constants of 0.5 ms (synapse)
and 1 ms (membrane) make it respond at NIR's usual dt = 0.1 ms.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nirc


def srnn() -> dict:
    rng = np.random.default_rng(2024)
    n_in, n_hid, n_out = 12, 16, 4

    def cuba(n: int) -> dict:
        return {
            "type": "CubaLIF",
            "tau_syn": np.full(n, 5e-4),
            "tau_mem": np.full(n, 1e-3),
            "r": np.full(n, 10.0),
            "v_leak": np.zeros(n),
            "v_threshold": np.ones(n),
            "v_reset": np.zeros(n),
            "w_in": np.full(n, 4.0),
        }

    return {
        "type": "NIRGraph",
        "nodes": {
            "input": {"type": "Input", "shape": np.array([n_in])},
            "fc1": {
                "type": "Affine",
                "weight": rng.normal(0, 0.5, (n_hid, n_in)).astype(np.float32),
                "bias": np.zeros(n_hid, np.float32),
            },
            "lif1.lif": cuba(n_hid),
            "lif1.w_rec": {"type": "Linear", "weight": rng.normal(0, 0.1, (n_hid, n_hid)).astype(np.float32)},
            "fc2": {
                "type": "Affine",
                "weight": rng.normal(0, 0.5, (n_out, n_hid)).astype(np.float32),
                "bias": np.zeros(n_out, np.float32),
            },
            "lif2": cuba(n_out),
            "output": {"type": "Output", "shape": np.array([n_out])},
        },
        "edges": [
            ("input", "fc1"),
            ("fc1", "lif1.lif"),
            ("lif1.lif", "lif1.w_rec"),
            ("lif1.w_rec", "lif1.lif"),
            ("lif1.lif", "fc2"),
            ("fc2", "lif2"),
            ("lif2", "output"),
        ],
        "metadata": {"description": "example recurrent SNN shipped with nirc", "dt": 1e-4},
    }


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "nirc" / "examples"
    out.mkdir(exist_ok=True)
    module = nirc.module_from_dict(srnn())
    # Write the edges in the IR's own order, so the example reads back without the
    # `edge_ids` that record a foreign file's edge order.
    for op in module.walk():
        op.properties.pop("edge_ids", None)
    nirc.write(module, out / "srnn.nir")
    print(f"wrote {out / 'srnn.nir'}")


if __name__ == "__main__":
    main()
