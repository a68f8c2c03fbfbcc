"""Steps per second of the reference interpreter (`nirc.run`), beside snnTorch on CPU.

    python benchmarks/bench_run.py [--quick]

Models from the NIR paper (``../shared/corpus/paper``): the Braille SRNN (256 steps,
batch 140) and ``cnn_sinabs.nir`` (300 steps, batch 32), on random input spikes
(p = 0.1).  snnTorch runs the same architecture, layer sizes and weights built by hand
with ``torch.nn`` and ``snntorch.Synaptic`` / ``snntorch.Leaky`` (CPU, float32, no
gradient), if snntorch and torch are installed; otherwise its column says so.  Prints a
markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

import nirc

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "paper"


def _time(repeat: int, fn: Any, *args: Any, **kwargs: Any) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t)
    return best


def _params(module: Any) -> dict[str, dict[str, np.ndarray]]:
    graph = nirc.module_to_dict(module)
    return {name: node for name, node in graph["nodes"].items()}


def snntorch_braille(module: Any, dt: float) -> Any:
    import snntorch as snn
    import torch

    p = _params(module)

    def linear(node: dict) -> torch.nn.Linear:
        w = torch.tensor(node["weight"], dtype=torch.float32)
        layer = torch.nn.Linear(w.shape[1], w.shape[0], bias="bias" in node)
        layer.weight.data = w
        if "bias" in node:
            layer.bias.data = torch.tensor(node["bias"], dtype=torch.float32)
        return layer

    def synaptic(node: dict) -> Any:
        alpha = torch.tensor(1 - dt / node["tau_syn"], dtype=torch.float32)
        beta = torch.tensor(1 - dt / node["tau_mem"], dtype=torch.float32)
        return snn.Synaptic(alpha=alpha, beta=beta, threshold=float(node["v_threshold"].max()))

    fc1, rec, fc2 = linear(p["fc1"]), linear(p["lif1.w_rec"]), linear(p["fc2"])
    lif1, lif2 = synaptic(p["lif1.lif"]), synaptic(p["lif2"])

    def run(x: torch.Tensor) -> torch.Tensor:
        syn1, mem1 = lif1.init_synaptic()
        syn2, mem2 = lif2.init_synaptic()
        spk1 = torch.zeros(x.shape[1], rec.in_features)
        outs = []
        for t in range(x.shape[0]):
            spk1, syn1, mem1 = lif1(fc1(x[t]) + rec(spk1), syn1, mem1)
            spk2, syn2, mem2 = lif2(fc2(spk1), syn2, mem2)
            outs.append(spk2)
        return torch.stack(outs)

    return run


def snntorch_cnn(module: Any) -> Any:
    import snntorch as snn
    import torch

    p = _params(module)
    layers: list[Any] = []
    for name in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]:
        node = p[name]
        kind = node["type"]
        if kind == "Conv2d":
            w = torch.tensor(node["weight"])
            conv = torch.nn.Conv2d(
                w.shape[1], w.shape[0], w.shape[2:], stride=tuple(node["stride"]), padding=tuple(node["padding"])
            )
            conv.weight.data, conv.bias.data = w, torch.tensor(node["bias"])
            layers.append(conv)
        elif kind == "Affine":
            w = torch.tensor(node["weight"])
            lin = torch.nn.Linear(w.shape[1], w.shape[0])
            lin.weight.data, lin.bias.data = w, torch.tensor(node["bias"])
            layers.append(lin)
        elif kind == "IF":
            layers.append(snn.Leaky(beta=1.0, threshold=float(node["v_threshold"].max()), init_hidden=True))
        elif kind == "SumPool2d":
            k = tuple(int(v) for v in node["kernel_size"])
            layers.append(lambda x, k=k: torch.nn.functional.avg_pool2d(x, k) * (k[0] * k[1]))
        elif kind == "Flatten":
            layers.append(torch.nn.Flatten())

    def run(x: torch.Tensor) -> torch.Tensor:
        for layer in layers:
            if hasattr(layer, "reset_hidden"):
                layer.reset_hidden()
        outs = []
        for t in range(x.shape[0]):
            h = x[t]
            for layer in layers:
                h = layer(h)
            outs.append(h)
        return torch.stack(outs)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and a smaller batch: a smoke run")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    try:
        import snntorch
        import torch

        torch.set_grad_enabled(False)
        snn_version = f"snntorch {snntorch.__version__}, torch {torch.__version__} (threads {torch.get_num_threads()})"
    except ImportError:
        torch = None  # type: ignore[assignment]
        snn_version = "snntorch not installed"
    print("# nirc.run vs snnTorch: steps per second\n")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {snn_version}\n")
    cases = [
        ("braille_noDelay_bias_zero.nir", (12,), 256, 140, "snntorch"),
        ("cnn_sinabs.nir", (2, 34, 34), 300, 32, "sinabs"),
    ]
    rows = []
    for name, shape, steps, batch, profile in cases:
        if args.quick:
            steps, batch = 20, 4
        module = nirc.read(CORPUS / name)
        rng = np.random.default_rng(0)
        x = (rng.random((batch, steps, *shape)) < 0.1).astype(np.float32)
        repeat = 1 if args.quick else 3
        t64 = _time(repeat, nirc.run, module, x, semantics=profile)
        t32 = _time(repeat, nirc.run, module, x, semantics=profile, dtype="float32")
        t_snn: float | None = None
        if torch is not None:
            fn = snntorch_braille(module, 1e-4) if name.startswith("braille") else snntorch_cnn(module)
            xt = torch.tensor(np.swapaxes(x, 0, 1))
            fn(xt)  # warm-up
            t_snn = _time(repeat, fn, xt)
        cell = f"{steps / t_snn:,.0f}" if t_snn else "-"
        ratio = f"{t_snn / t32:.2f}x" if t_snn else "-"
        rows.append(f"| {name} | {steps} | {batch} | {steps / t64:,.0f} | {steps / t32:,.0f} | {cell} | {ratio} |")
    print(
        "| model | steps | batch | nirc f64 steps/s | nirc f32 steps/s | snnTorch steps/s | nirc f32 speed vs snnTorch |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
