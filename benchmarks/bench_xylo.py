#!/usr/bin/env python3
"""Xylo target benchmarks for nirc: the time to compile the NIR paper's Braille SRNN for
Xylo, beside rockpool's own path on the same network; prints a markdown table, asserts
nothing about time.  (``bench_xylo_kernel.py`` measures the `xylo` kernel beside XyloSim.)

Rows, best of ``--repeat``:

* ``nir-translate braille.nir --target=xylo --dt=1e-4 -o OUT`` as a process (wall time,
  interpreter start and imports included), with and without ``--no-agreement`` — the
  issue's goal is at most 1 s for the whole process;
* in one process: ``nirc.read``, ``XyloTarget.compile`` without the agreement, the
  agreement alone (the float `snn` model, the float and the quantized chip model run on
  16 x 200 random steps), and ``emit`` (the compile plus writing the artefacts);
* the peer, rockpool 3.1.0: ``rockpool.nn.modules.from_nir`` on the same file (which
  its Xylo mapper refuses: the importer rebuilds ``dt`` from each layer's ``r``, so the
  layers' ``dt`` differ), and rockpool's Xylo path on the same network built by hand as
  rockpool modules at ``dt = 1e-4`` (``LinearTorch``, recurrent ``LIFTorch``,
  ``LinearTorch``, ``LIFTorch``): ``mapper(net.as_graph())``, ``channel_quantize``,
  ``XyloSim.from_specification`` — what the NIR paper's notebook does.  rockpool's Xylo
  modules import samna; the tests' stand-in answers it.

Usage::

    python benchmarks/bench_xylo.py            # about 20 s
    python benchmarks/bench_xylo.py --quick    # one repeat
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from bench_io import best_of, table, versions  # noqa: E402
from bench_passes import machine  # noqa: E402

MODEL = REPO.parent / "shared/corpus/paper/braille_noDelay_bias_zero.nir"
DT = 1e-4


def process(*args: str) -> Callable[[], None]:
    def go() -> None:
        out = Path(tempfile.mkdtemp()) / "out"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "nirc.tools.nir_translate",
                str(MODEL),
                "--target=xylo",
                f"--dt={DT}",
                "-o",
                str(out),
                *args,
            ],
            capture_output=True,
            text=True,
        )
        shutil.rmtree(out.parent, ignore_errors=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)

    return go


def rockpool_rows(repeat: int) -> list[list[Any]]:
    """rockpool's own path: from_nir on the file, and mapper + channel_quantize +
    XyloSim on the network built by hand."""
    sys.path.insert(0, str(REPO / "tests" / "targets" / "xylo"))
    try:
        import nir
        import torch
        import xylosim_oracle  # noqa: F401  (installs the samna stand-in)
        from rockpool.devices.xylo.syns61201 import XyloSim, mapper
        from rockpool.nn.combinators import Sequential
        from rockpool.nn.modules import LIFTorch, LinearTorch, from_nir
        from rockpool.transform.quantize_methods import channel_quantize
    except Exception as exc:
        return [["rockpool", f"not available: {type(exc).__name__}: {exc}", None]]
    rows: list[list[Any]] = []
    graph = nir.read(str(MODEL))

    def via_nir() -> str:
        try:
            mapper(from_nir(graph).as_graph())
        except Exception as exc:
            return f"refused: {type(exc).__name__}: {str(exc).splitlines()[-1][:90]}"
        return "ok"

    t, outcome = best_of(1, via_nir)
    rows.append(["rockpool `from_nir` + `mapper` on the file", outcome, t])
    nodes = graph.nodes
    lif1, lif2 = nodes["lif1.lif"], nodes["lif2"]
    fc1, fc2, rec = nodes["fc1"], nodes["fc2"], nodes["lif1.w_rec"]

    def by_hand() -> None:
        net = Sequential(
            LinearTorch((12, 38), weight=torch.tensor(fc1.weight.T), has_bias=False),
            LIFTorch(
                (38,),
                tau_mem=torch.tensor(lif1.tau_mem),
                tau_syn=torch.tensor(lif1.tau_syn),
                threshold=torch.tensor(lif1.v_threshold),
                has_rec=True,
                w_rec=torch.tensor(rec.weight.T),
                dt=DT,
            ),
            LinearTorch((38, 7), weight=torch.tensor(fc2.weight.T), has_bias=False),
            LIFTorch(
                (7,),
                tau_mem=torch.tensor(lif2.tau_mem),
                tau_syn=torch.tensor(lif2.tau_syn),
                threshold=torch.tensor(lif2.v_threshold),
                dt=DT,
            ),
        )
        spec = mapper(net.as_graph())
        spec.update(channel_quantize(**spec))
        spec.pop("mapped_graph", None)
        keys = XyloSim.from_specification.__code__.co_varnames
        XyloSim.from_specification(**{k: v for k, v in spec.items() if k in keys})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, _ = best_of(repeat, by_hand)
    rows.append(["rockpool: network by hand, `mapper` + `channel_quantize` + `XyloSim`", "ok", t])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    print(versions())
    print(machine())
    if not MODEL.exists():
        print(f"skipped: no model at {MODEL}")
        return
    import nirc
    from nirc.targets.xylo.target import TARGET

    rows: list[list[Any]] = []
    t, _ = best_of(repeat, process())
    rows.append(["`nir-translate --target=xylo` (process wall)", "goal <= 1 s", t])
    t, _ = best_of(repeat, process("--no-agreement"))
    rows.append(["`nir-translate --target=xylo --no-agreement` (process wall)", "", t])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_read, module = best_of(repeat, lambda: nirc.read(MODEL))
        rows.append(["`nirc.read`", "", t_read])
        t, _ = best_of(repeat, lambda: TARGET.compile(module, dt=DT, agreement=False))
        rows.append(["`XyloTarget.compile`, no agreement", "", t])
        t_all, (_, report) = best_of(repeat, lambda: TARGET.compile(module, dt=DT))
        rows.append(
            [
                "  the agreement (3 models x 16 x 200 steps)",
                f"count agreement {report['agreement']['count_agreement']:.1%}",
                t_all - t,
            ]
        )

        def emit() -> None:
            out = Path(tempfile.mkdtemp()) / "out"
            TARGET.emit(module, out, dt=DT)
            shutil.rmtree(out.parent)

        t, _ = best_of(repeat, emit)
        rows.append(["`XyloTarget.emit` (compile + artefacts)", "", t])
    rows += rockpool_rows(repeat)
    print()
    print(f"Braille SRNN ({MODEL.name}, 12 -> 38 recurrent -> 7) for Xylo Audio 2 at dt = {DT}; best of {repeat}")
    print()
    print(table(["step", "note", "s"], rows))


if __name__ == "__main__":
    main()
