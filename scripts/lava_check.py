"""Check the Lava frameworks against the NIR paper's single-LIF benchmark.

Run with the Lava venv's Python (scripts/lava-env.sh runs it as its last step):

    .venv-lava/bin/python scripts/lava_check.py [--traces DIR]

The input is the paper's spike train (column 0 of ``lif_lava_cpu_float.csv`` in
``../shared/corpus/paper/lif_traces/``: 1000 steps, dt = 0.1 ms, 34 spikes), fed through
w = dt/tau = 0.04 into a LIF neuron with dt/tau = 0.04, v_th = 0.1.  What must come out is
in EXPECTED (docs/lava-env.md, shared/reference/frameworks.md section 4.6):

* lava-nc ``RingBuffer -> Dense -> LIF`` in ``Loihi2SimCfg`` floating_pt and fixed_pt: the
  spikes *and* the voltage trace the paper recorded for Lava (461/511/711/761; one step
  later than the exact solution because each Dense process delays by one step);
* lava-dl slayer ``cuba.Dense`` (plain LIF: current_decay = 1, no delay_shift) at
  ``scale`` 64 (threshold quantised to 0.09375) and 1024.

Prints one line per case and exits 1 if any differs.  Importable: tests can call
``lava_nc_lif``, ``slayer_cuba_lif`` and ``stub_object_detection`` directly.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import types

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
T_STEPS = 1000

# case -> spike steps.  lava-nc fixed_pt uses the paper script's conversion
# (nir_to_lava.py): du = 4095, dv = int(0.04*4095) = 163, vth = int(0.1*131071) >> 9 = 25,
# w = int(0.04*256) = 10.
EXPECTED = {
    "lava-nc floating_pt": [461, 511, 711, 761],
    "lava-nc fixed_pt": [461, 511, 711, 761],
    "slayer cuba scale=64": [450, 500, 710, 760],
    "slayer cuba scale=1024": [460, 510, 710, 760],
}
LAVA_NC_PARAMS = {  # select_tag -> (weight, du, dv, vth)
    "floating_pt": (0.04, 1.0, 0.04, 0.1),
    "fixed_pt": (10, 4095, 163, 25),
}


def default_traces() -> pathlib.Path:
    corpus = os.environ.get("NIRC_CORPUS", ROOT.parent / "shared" / "corpus")
    return pathlib.Path(corpus) / "paper" / "lif_traces"


def load_trace(traces: pathlib.Path, name: str) -> np.ndarray:
    """A paper trace, shape (T, 3): input, voltage, spike."""
    path = traces / f"lif_{name}.csv"
    if not path.is_file():
        sys.exit(f"lava_check: {path} not found (set --traces or NIRC_CORPUS)")
    return np.loadtxt(path, delimiter=",")


def spike_steps(s) -> list[int]:
    return np.flatnonzero(np.asarray(s)).tolist()


def lava_nc_lif(x: np.ndarray, select_tag: str) -> tuple[np.ndarray, np.ndarray]:
    """Run RingBuffer -> Dense -> LIF over the 1-D spike train x; return (spikes, v)."""
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.dense.process import Dense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer
    from lava.proc.lif.process import LIF
    from lava.proc.monitor.process import Monitor

    w, du, dv, vth = LAVA_NC_PARAMS[select_tag]
    n = len(x)
    src = RingBuffer(data=np.asarray(x, dtype=float)[None, :])  # (neurons, time)
    dense = Dense(weights=np.array([[w]]))
    lif = LIF(shape=(1,), du=du, dv=dv, vth=vth, bias_mant=0)
    sink = Sink(shape=(1,), buffer=n)
    monitor = Monitor()
    monitor.probe(lif.v, n)
    src.s_out.connect(dense.s_in)
    dense.a_out.connect(lif.a_in)
    lif.s_out.connect(sink.a_in)
    try:
        lif.run(condition=RunSteps(num_steps=n), run_cfg=Loihi2SimCfg(select_tag=select_tag))
        spikes = sink.data.get()[0].copy()
        v = monitor.get_data()[lif.name]["v"][:, 0].copy()
    finally:
        lif.stop()  # otherwise lava's runtime worker processes linger
    return spikes, v


def stub_object_detection() -> None:
    """Let ``import lava.lib.dl.slayer`` work without torchvision.

    slayer's __init__ imports its object_detection subpackage, which imports torchvision;
    PyPI's torchvision needs a CUDA torch.  An empty module in sys.modules stands in for
    it; no file is edited.  Call before importing lava.lib.dl.slayer or netx.
    """
    name = "lava.lib.dl.slayer.object_detection"
    sys.modules.setdefault(name, types.ModuleType(name))


def slayer_cuba_lif(x: np.ndarray, scale: int) -> np.ndarray:
    """One slayer cuba.Dense block as a plain LIF (current_decay = 1); return its spikes.

    pre_hook_fx=None keeps the weight at exactly 0.04: the default 8-bit weight hook
    rounds it to a 2/scale grid (0.03125 at scale 64, where the neuron then never fires).
    """
    stub_object_detection()
    import lava.lib.dl.slayer as slayer
    import torch

    params = dict(threshold=0.1, current_decay=1.0, voltage_decay=0.04, scale=scale, requires_grad=False)
    block = slayer.block.cuba.Dense(params, 1, 1, weight_norm=False, delay_shift=False, pre_hook_fx=None)
    block.synapse.weight.data[:] = 0.04
    with torch.no_grad():
        s = block(torch.tensor(x, dtype=torch.float32).reshape(1, 1, -1))  # (batch, n, T)
    return s[0, 0].numpy()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--traces",
        type=pathlib.Path,
        default=default_traces(),
        help="the paper's lif_traces folder (default: %(default)s)",
    )
    args = ap.parse_args(argv)

    paper = {
        "floating_pt": load_trace(args.traces, "lava_cpu_float"),
        "fixed_pt": load_trace(args.traces, "lava_cpu_fixed"),
    }
    x = paper["floating_pt"][:, 0]
    if x.shape != (T_STEPS,) or set(np.unique(x)) != {0.0, 1.0}:
        sys.exit("lava_check: the input column is not a 1000-step 0/1 spike train")
    print(f"input: {int(x.sum())} spikes in {len(x)} steps, first at {spike_steps(x)[:3]}")

    got, notes = {}, {}
    for tag in ("floating_pt", "fixed_pt"):
        spikes, v = lava_nc_lif(x, tag)
        got[f"lava-nc {tag}"] = spike_steps(spikes)
        # The paper recorded Lava's voltage too (column 1): compare the whole trace.
        dv = float(np.abs(v - paper[tag][:, 1]).max())
        tol = 1e-6 if tag == "floating_pt" else 0.0  # the float CSV keeps ~8 digits
        notes[f"lava-nc {tag}"] = (f"v max {v.max():.6g}, |v - paper| max {dv:.2g}", dv <= tol)
        if spike_steps(paper[tag][:, 2]) != EXPECTED[f"lava-nc {tag}"]:
            sys.exit(f"lava_check: the paper CSV's spikes for {tag} are not the expected ones")
    for scale in (64, 1024):
        got[f"slayer cuba scale={scale}"] = spike_steps(slayer_cuba_lif(x, scale))

    ok = True
    for case, want in EXPECTED.items():
        note, note_ok = notes.get(case, ("", True))
        good = got[case] == want and note_ok
        ok &= good
        print(
            f"{'ok  ' if good else 'FAIL'} {case:24} {got[case]}"
            + ("" if got[case] == want else f"  (expected {want})")
            + (f"  [{note}]" if note else "")
        )
    print("lava_check: all cases match" if ok else "lava_check: MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
