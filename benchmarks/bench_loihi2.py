#!/usr/bin/env python3
"""Loihi 2 and lava-dl target benchmarks for nirc: compile time of the NIR paper's models,
and the `loihi2` / `lava_dl` kernels' simulation speed beside Lava's own fixed-point
simulation and lava-dl's slayer running the same emitted networks; prints markdown
tables, asserts nothing about time.

* ``nir-translate MODEL --target=loihi2 -o OUT`` as a process (wall time, interpreter start
  and imports included), with and without ``--no-agreement`` — the goal is at most 1 s;
* steps per second: ``nirc.run`` of ``OUT/model.mlir`` (the kernel, in this process) and
  Lava 0.10.0 running the emitted ``network.net`` through netx and the emitted Lava
  processes (``lava_model.py``, ``Loihi2SimCfg(select_tag="fixed_pt")``, in the venv of
  ``scripts/lava-env.sh``; whole process, so its start-up is included, as a user pays
  it), on the same random input of ``--steps`` steps.  The spikes are compared too;
* the same for ``--target=lava-dl``: ``nirc.run`` of its ``model.mlir`` beside the emitted
  slayer ``model.py`` (torch, CPU, whole process) on a batch of 8.

Usage::

    python benchmarks/bench_loihi2.py            # about a minute
    python benchmarks/bench_loihi2.py --quick    # one repeat, fewer steps
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus" / "paper"
LAVA = REPO / ".venv-lava" / "bin" / "python"
MODELS = {
    "lif_norse (1 LIF)": CORPUS / "lif_norse.nir",
    "Braille SRNN (12-38r-7)": CORPUS / "braille_noDelay_bias_zero.nir",
    "srnn example (12-16r-4)": REPO / "nirc" / "examples" / "srnn.nir",
    "cnn_sinabs (3 conv, 2 dense)": CORPUS / "cnn_sinabs.nir",
}
#: per model: the options it compiles with, and the fraction of the steps it runs (the
#: CNN at dt = 1, as sinabs trained it; Lava's Conv processes are slow, so fewer steps)
OPTIONS = {"cnn_sinabs (3 conv, 2 dense)": (["--dt=1"], 10)}


def options(name: str) -> tuple[list[str], int]:
    return OPTIONS.get(name, ([], 1))


def wall(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    steps = 500 if args.quick else args.steps
    warnings.simplefilter("ignore")
    import nirc

    print("## Compile time (`nir-translate --target=loihi2`, whole process, best of", repeat, ")\n")
    print("| model | with agreement (s) | --no-agreement (s) |")
    print("|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in MODELS.items():
            out = Path(tmp) / "o"
            base = [
                sys.executable,
                "-m",
                "nirc.tools.nir_translate",
                str(path),
                "--target=loihi2",
                *options(name)[0],
                "-o",
                str(out),
            ]
            with_agree = wall(base, repeat)
            without = wall([*base, "--no-agreement"], repeat)
            print(f"| {name} | {with_agree:.2f} | {without:.2f} |")

        print(f"\n## Simulation speed ({steps} steps, one sample, best of {repeat}; the CNN a tenth)\n")
        print(
            "| model | nirc kernel (steps/s) | Lava netx fixed_pt (steps/s) | Lava processes (steps/s) | ratio | spikes equal |"
        )
        print("|---|---:|---:|---:|---:|---|")
        for name, path in MODELS.items():
            out = Path(tmp) / name.split()[0]
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nirc.tools.nir_translate",
                    str(path),
                    "--target=loihi2",
                    *options(name)[0],
                    "-o",
                    str(out),
                    "--no-agreement",
                ],
                check=True,
                capture_output=True,
            )
            module = nirc.read(out / "model.mlir")
            shape = tuple(int(d) for d in np.load(out / "weights.npz")["input_shape"])
            n_steps = steps // options(name)[1]
            x = (np.random.default_rng(0).random((n_steps, *shape)) < 0.1).astype(np.float32)
            np.save(out / "x.npy", x)
            best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                want = nirc.run(module, x).outputs["output"]
                best = min(best, time.perf_counter() - t0)
            kernel = n_steps / best
            if not LAVA.exists():
                print(f"| {name} | {kernel:,.0f} | (no Lava venv) | | | |")
                continue
            rates, equal = [], True
            for flag in (["--netx"], []):
                cmd = [
                    str(LAVA),
                    str(out / "lava_model.py"),
                    "--input",
                    str(out / "x.npy"),
                    "-o",
                    str(out / "y.npz"),
                    *flag,
                ]
                rates.append(n_steps / wall(cmd, repeat))
                equal &= bool(np.array_equal(np.load(out / "y.npz")["output"], want))
            print(
                f"| {name} | {kernel:,.0f} | {rates[0]:,.0f} | {rates[1]:,.0f} | {kernel / max(rates):,.0f}x | {equal} |"
            )

        print(f"\n## lava-dl: compile, and simulation speed ({steps} steps x batch 8, best of {repeat})\n")
        print(
            "| model | nir-translate --target=lava-dl (s) | nirc kernel (sample-steps/s) | slayer model.py (sample-steps/s) | ratio | spikes equal |"
        )
        print("|---|---:|---:|---:|---:|---|")
        for name, path in MODELS.items():
            if "bias" in name.lower() or "Braille" in name or "cnn" in name:
                continue  # the Braille SRNN's biases have no slayer form; test_lava_dl runs the CNN
            out = Path(tmp) / ("dl_" + name.split()[0])
            cmd = [
                sys.executable,
                "-m",
                "nirc.tools.nir_translate",
                str(path),
                "--target=lava-dl",
                "-o",
                str(out),
                "--no-agreement",
            ]
            compile_s = wall(cmd, repeat)
            module = nirc.read(out / "model.mlir")
            channels = int(np.load(out / "weights.npz")["B0.weight"].shape[1])
            x = (np.random.default_rng(0).random((8, steps, channels)) < 0.1).astype(np.float32)
            np.save(out / "x.npy", x)
            best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                want = nirc.run(module, x).outputs
                best = min(best, time.perf_counter() - t0)
            kernel = 8 * steps / best
            if not LAVA.exists():
                print(f"| {name} | {compile_s:.2f} | {kernel:,.0f} | (no Lava venv) | | |")
                continue
            run = [str(LAVA), str(out / "model.py"), "--input", str(out / "x.npy"), "-o", str(out / "y.npz")]
            slayer = 8 * steps / wall(run, repeat)
            with np.load(out / "y.npz") as f:
                equal = all(np.array_equal(f[k], want[k]) for k in want)
            print(f"| {name} | {compile_s:.2f} | {kernel:,.0f} | {slayer:,.0f} | {kernel / slayer:,.1f}x | {equal} |")


if __name__ == "__main__":
    main()
