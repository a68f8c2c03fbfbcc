"""Measure real Lava's bit-accurate Dense + CUBA-LIF (fixed_pt) at its edges.

Run with the Lava venv's Python (docs/lava-env.md):

    .venv-lava/bin/python scripts/lava_probe.py                 # every section, writes the .npz traces
    .venv-lava/bin/python scripts/lava_probe.py --only 1,3      # some sections
    .venv-lava/bin/python scripts/lava_probe.py --no-data       # do not write tests/targets/loihi2/data/

Every number printed comes from running lava-nc 0.10.0 (``PyDenseModelBitAcc``,
``PyLifModelBitAcc``) under ``Loihi2SimCfg(select_tag="fixed_pt")``; the only exceptions are
the weight table of section 2a, which calls Lava's own ``clip_weights``/``truncate_weights``
(and section 2b checks that the Dense process applies exactly those), and the expected
columns, which are labelled as such.  docs/notes/loihi2-arithmetic.md explains the output.

Conventions.  "step t" is Lava's ``time_step`` (1-based).  A RingBuffer sends column c (0-based)
of its data at step c + 1; traces are printed and stored with row i = step i + 1, each row the
state *after* that step (what a Monitor reads in the post-management phase).  Every process is
``.stop()``ped.

Sections:
  1  width of the LIF's a_in and of a_in << 6
  2  Dense weights: clip/truncate per sign mode and num_weight_bits; weight_exp
  3  LIF: u wrap, v clip, rtz decay, du/dv offsets, threshold and reset, bias
  4  timing: Dense -> LIF, two layers, Dense -> Dense, recurrent
  5  graded spikes (num_message_bits > 0)
  6  netx: HDF5 -> Dense/LIF parameters; input layer with and without a neuron
  7  reference traces -> tests/targets/loihi2/data/*.npz
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "targets" / "loihi2" / "data"

from lava.magma.core.run_conditions import RunSteps  # noqa: E402
from lava.magma.core.run_configs import Loihi2SimCfg  # noqa: E402
from lava.proc.dense.process import Dense  # noqa: E402
from lava.proc.io.source import RingBuffer  # noqa: E402
from lava.proc.lif.models import AbstractPyLifModelFixed  # noqa: E402
from lava.proc.lif.process import LIF  # noqa: E402
from lava.proc.monitor.process import Monitor  # noqa: E402
from lava.utils.weightutils import SignMode, clip_weights, determine_sign_mode, truncate_weights  # noqa: E402

NEVER = 1 << 17  # vth whose vth << 6 = 2^23 exceeds the largest v (2^23 - 1): no spike ever
MAXV = (1 << 23) - 1


# --------------------------------------------------------------------------------------------
# Running Lava


class Rig:
    """One Lava network under fixed_pt: the caller builds processes, probe() adds Monitors."""

    def __init__(self, steps: int):
        self.T = steps
        self._mon: dict[str, tuple[Monitor, object]] = {}

    def src(self, x) -> RingBuffer:
        """A RingBuffer sending x[i] (x: (T, n)) at step i + 1."""
        x = np.asarray(x)
        assert x.shape[0] == self.T
        return RingBuffer(data=x.T.copy())

    def probe(self, key: str, target) -> None:
        m = Monitor()  # one Monitor per probe: PyMonitorModel has only ref_port_0 / in_port_0
        m.probe(target, self.T)
        self._mon[key] = (m, target)

    def run(self, root, after=None) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        try:
            root.run(condition=RunSteps(num_steps=self.T), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
            for key, (m, tg) in self._mon.items():
                data = m.get_data()[tg.process.name][tg.name]  # (T, n) float64, exact below 2^53
                out[key] = np.rint(data).astype(np.int64)
            if after is not None:
                out.update(after())
        finally:
            root.stop()
        return out


def lif_params(**kw) -> dict:
    p = dict(du=0, dv=0, vth=10, bias_mant=0, bias_exp=0)
    p.update(kw)
    return p


def dense_lif(
    x, w, *, lif: dict, dense: dict | None = None, w_rec=None, rec: dict | None = None, probe_a: bool = False
) -> dict[str, np.ndarray]:
    """RingBuffer(x) -> Dense(w, **dense) -> LIF(**lif) [and LIF -> Dense(w_rec, **rec) -> LIF].

    Returns u, v, s of shape (T, n_out) (and a, a_rec: the Dense a_buff after each step),
    plus w_eff / w_rec_eff: the weights the Dense model holds after its first step.
    """
    x = np.asarray(x)
    w = np.asarray(w)
    rig = Rig(len(x))
    src = rig.src(x)
    d = Dense(weights=w, **(dense or {}))
    neuron = LIF(shape=(w.shape[0],), **lif)
    src.s_out.connect(d.s_in)
    d.a_out.connect(neuron.a_in)
    dr = None
    if w_rec is not None:
        dr = Dense(weights=np.asarray(w_rec), **(rec or {}))
        neuron.s_out.connect(dr.s_in)
        dr.a_out.connect(neuron.a_in)
    rig.probe("u", neuron.u)
    rig.probe("v", neuron.v)
    rig.probe("s", neuron.s_out)
    if probe_a:
        rig.probe("a", d.a_buff)
        if dr is not None:
            rig.probe("a_rec", dr.a_buff)

    def after():
        got = {"w_eff": np.rint(d.weights.get()).astype(np.int64)}
        if dr is not None:
            got["w_rec_eff"] = np.rint(dr.weights.get()).astype(np.int64)
        return got

    return rig.run(neuron, after)


@contextlib.contextmanager
def log_lif_input(path: str):
    """Make every fixed-point LIF append, per step, the dtype and value of the a_in it
    received and of a_in << 6, to `path`.  Lava forks its workers (multiprocessing 'fork'),
    so a class patch made before run() is what the worker runs.  Only observes."""
    orig = AbstractPyLifModelFixed.subthr_dynamics

    def patched(self, activation_in):
        shifted = np.left_shift(activation_in, self.act_shift)
        with open(path, "a") as f:
            f.write(
                f"step {self.time_step}: a_in {activation_in.dtype} {activation_in.tolist()}"
                f"  a_in<<6 {shifted.dtype} {shifted.tolist()}\n"
            )
        return orig(self, activation_in)

    AbstractPyLifModelFixed.subthr_dynamics = patched
    try:
        yield
    finally:
        AbstractPyLifModelFixed.subthr_dynamics = orig


# --------------------------------------------------------------------------------------------
# Printing


def head(title: str) -> None:
    print()
    print("=" * 100)
    print(title)
    print("=" * 100)


def sub(title: str) -> None:
    print()
    print(f"--- {title}")


def trace(cols: dict[str, np.ndarray], neurons=None, steps=None) -> None:
    """Print per step (rows) the given (T, n) arrays, for the chosen neurons."""
    some = next(iter(cols.values()))
    T, n = some.shape
    neurons = range(n) if neurons is None else neurons
    steps = range(T) if steps is None else steps
    names = [f"{k}[{j}]" for j in neurons for k in cols]
    width = max(10, *(len(s) for s in names))
    print("  step " + " ".join(f"{s:>{width}}" for s in names))
    for i in steps:
        vals = [str(int(cols[k][i, j])) for j in neurons for k in cols]
        print(f"  {i + 1:>4} " + " ".join(f"{s:>{width}}" for s in vals))


def wrap24(x):
    """Lava's u wrap: one correction of 2^24, > 2^23 and <= -2^23."""
    x = np.asarray(x, dtype=np.int64)
    y = np.where(x > 2**23, x - 2**24, x)
    return np.where(y <= -(2**23), x + 2**24, y)


def rtz_decay(x, factor):
    x = np.asarray(x, dtype=np.int64) * factor
    return np.sign(x) * (np.abs(x) >> 12)


# --------------------------------------------------------------------------------------------
# 1. a_in width


def section1() -> None:
    head("1. What the LIF receives on a_in, and the width of a_in << 6")
    n_in, T = 204, 3
    x = np.zeros((T, n_in))
    x[0, :] = 1  # every input spikes once, at step 1
    W = np.zeros((5, n_in), dtype=np.int64)
    W[0, :200] = 254  # sum 50800 > 32767
    W[1, :4] = 250  # sum 1000: fits int16, but 1000 << 6 = 64000 does not
    W[2, :200] = -256  # sum -51200 < -32768
    W[3, :129] = 254  # sum 32766: fits int16; << 6 does not
    W[4, :130] = 254  # sum 33020: just beyond int16
    print("RingBuffer(204 inputs, all spike at step 1) -> Dense(W, mixed sign, even weights so no")
    print("truncation) -> LIF(du=4095, dv=4096, vth=2^17): du=4095 makes u = (a_in << 6) exactly")
    print("(4096 - (du+1) = 0), dv=4096 makes v = u.  Rows: 200x254, 4x250, 200x(-256), 129x254, 130x254.")
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "a_in.log")
        with log_lif_input(log):
            r = dense_lif(x, W, lif=lif_params(du=4095, dv=4096, vth=NEVER), probe_a=True)
        lines = open(log).read().splitlines()
    sub("inside the LIF worker (patched subthr_dynamics logging what it is given)")
    for line in lines:
        print("  " + line)
    sub("measured")
    a = r["a"][0]  # Dense accumulation of step 1 (sent at step 2)
    u = r["u"][1]  # LIF u after step 2
    print(
        f"  {'row':>3} {'Dense sum':>10} {'u (step 2)':>12} {'u/64':>8}   hypotheses for u: "
        f"{'whole':>9} {'wrap16(a)<<6':>13} {'sat16(a)<<6':>12} {'int16 shift':>12}"
    )
    for j in range(len(W)):
        s = int(a[j])
        whole = s * 64
        wrap16 = int(np.int64(np.int16(np.int64(s).astype(np.int16))) * 64)
        sat16 = int(np.clip(s, -32768, 32767)) * 64
        shift16 = int((np.array([s]).astype(np.int16) << np.int16(6)).astype(np.int16)[0])
        print(
            f"  {j:>3} {s:>10} {int(u[j]):>12} {int(u[j]) // 64:>8}   {'':>16}"
            f"{whole:>9} {wrap16:>13} {sat16:>12} {shift16:>12}"
            f"   -> {'whole' if int(u[j]) == whole else 'NOT whole'}"
        )
    print("  v (step 2) =", r["v"][1].tolist(), " (v = u: no 16-bit effect on v either)")


# --------------------------------------------------------------------------------------------
# 2. Dense weights


def survivors(mode: SignMode, values: np.ndarray, bits: int) -> np.ndarray:
    w = clip_weights(values.reshape(1, -1), mode, num_bits=8)
    return truncate_weights(w, mode, bits)[0]


SAMPLES = [
    -300,
    -257,
    -256,
    -255,
    -254,
    -129,
    -128,
    -5,
    -4,
    -3,
    -2,
    -1,
    0,
    1,
    2,
    3,
    4,
    5,
    127,
    128,
    129,
    253,
    254,
    255,
    256,
    300,
]


def section2() -> None:
    head("2. Dense weights: clip_weights(num_bits=8) then truncate_weights(num_weight_bits)")
    ranges = {
        SignMode.MIXED: np.arange(-300, 301),
        SignMode.EXCITATORY: np.arange(0, 301),
        SignMode.INHIBITORY: np.arange(-300, 1),
    }
    sub("2a. Lava's functions over every integer: surviving set per sign mode and num_weight_bits")
    print(f"  {'mode':<11} {'bits':>4} {'t':>2}  {'#':>4} {'min':>5} {'max':>5} {'step':>4}  sample w -> w'")
    for mode, vals in ranges.items():
        for bits in [9, 8, 7, 6, 5, 4, 3, 2, 1] if mode is SignMode.MIXED else [8, 7, 6, 5, 4, 3, 2, 1]:
            out = survivors(mode, vals, bits)
            t = 8 - bits + (mode is SignMode.MIXED)
            uniq = np.unique(out)
            step = int(np.min(np.diff(uniq))) if len(uniq) > 1 else 0
            samp = [f"{v}->{int(out[vals == v][0])}" for v in SAMPLES if v in vals]
            print(
                f"  {mode.name:<11} {bits:>4} {t:>2}  {len(uniq):>4} {uniq.min():>5} {uniq.max():>5} {step:>4}  "
                + " ".join(samp)
            )
    print(
        "  determine_sign_mode:",
        {str(v): determine_sign_mode(np.array(v)).name for v in ([0, 0], [0, 3], [-3, 0], [-3, 3])},
    )

    sub("2b. The same, inside real Dense processes (weights read back with .get() after 1 step)")
    cfgs = []
    for mode, vals in ranges.items():
        for bits in [9, 8, 7, 4, 1] if mode is SignMode.MIXED else [8, 7, 4, 1]:
            cfgs.append((f"{mode.name} nwb={bits}", vals, dict(num_weight_bits=bits), mode, bits))
    floats = np.array([11.7, -11.7, 0.9, -0.9, 3.5, -3.5, 254.9, -255.9, 300.2, -300.2])
    cfgs.append(("float weights (mixed)", floats, {}, None, 8))
    cfgs.append(("float weights, all >= 0", np.abs(floats), {}, None, 8))
    cfgs.append(
        (
            "sign_mode=EXCITATORY forced on mixed",
            ranges[SignMode.MIXED],
            dict(sign_mode=SignMode.EXCITATORY),
            SignMode.EXCITATORY,
            8,
        )
    )
    T = 2
    rig = Rig(T)
    src = rig.src(np.ones((T, 1)))
    dens = []
    for _name, vals, kw, _mode, _bits in cfgs:
        w = np.asarray(vals).reshape(-1, 1)  # (n_out, 1): one column, every value a synapse
        d = Dense(weights=w, **kw)
        src.s_out.connect(d.s_in)
        dens.append(d)
    got = rig.run(
        src, after=lambda: {f"w{i}": np.rint(d.weights.get()).astype(np.int64)[:, 0] for i, d in enumerate(dens)}
    )
    for i, (name, vals, _kw, mode, bits) in enumerate(cfgs):
        w_eff = got[f"w{i}"]
        if mode is not None:
            ref = survivors(mode, np.asarray(vals), bits)
            same = np.array_equal(w_eff, ref)
            print(f"  {name:<38} process == functions: {same}")
            if "forced" in name:
                print(f"      e.g. {[f'{int(v)}->{int(w_eff[list(vals).index(v)])}' for v in (-300, -3, 3, 300)]}")
        else:
            print(f"  {name:<38} {floats.tolist() if 'mixed' in name else np.abs(floats).tolist()}")
            print(f"  {'':<38} -> {w_eff.tolist()}")

    sub("2c. weight_exp: a_buff = (sum of weights) << weight_exp, or >> -weight_exp (after the sum)")
    T = 5
    x = np.zeros((T, 2))
    x[0] = [1, 0]
    x[1] = [0, 1]
    x[2] = [1, 1]
    specs = [
        ("W=[6,-2] exp=-2", np.array([[6, -2]]), -2),
        ("W=[6,-2] exp=+3", np.array([[6, -2]]), 3),
        ("W=[-3,-5] exp=-1 (inhibitory)", np.array([[-3, -5]]), -1),
        ("W=[255,0] exp=+23", np.array([[255, 0]]), 23),
        ("W=[255,0] exp=+24", np.array([[255, 0]]), 24),
    ]
    rig = Rig(T)
    src = rig.src(x)
    for k, (_name, w, e) in enumerate(specs):
        d = Dense(weights=w, weight_exp=e)
        lif = LIF(shape=(1,), **lif_params(du=4095, dv=4096, vth=NEVER))
        src.s_out.connect(d.s_in)
        d.a_out.connect(lif.a_in)
        rig.probe(f"a{k}", d.a_buff)
        rig.probe(f"u{k}", lif.u)
    r = rig.run(src)
    print("  inputs: step 1 spikes input 0, step 2 input 1, step 3 both.  LIF du=4095, dv=4096.")
    print(f"  {'':<31} {'a_buff after step 1,2,3':>30} {'u after step 2,3,4':>36}")
    for k, (name, _w, _e) in enumerate(specs):
        a = r[f"a{k}"][:3, 0].tolist()
        u = r[f"u{k}"][1:4, 0].tolist()
        print(f"  {name:<31} {a!s:>30} {u!s:>36}")
    print("  (floor: -2>>2 = -1, 4>>2 = 1 while 6>>2 + (-2>>2) = 0; -3>>1 = -2 not -1; -5>>1 = -3; -8>>1 = -4;")
    print("   255<<24 = 4278190080 does not fit the int32 a_out channel and arrives as -16777216)")


# --------------------------------------------------------------------------------------------
# 3. LIF arithmetic


def injector(a_rows) -> tuple[np.ndarray, np.ndarray, dict]:
    """Inputs x (T, n) and an identity graded Dense so that the LIF receives a = x[i] at
    step i + 2 exactly, any int32 (section 5 shows weights.dot(s) uses s as-is)."""
    x = np.asarray(a_rows, dtype=np.int64)
    return x, np.eye(x.shape[1], dtype=np.int64), dict(num_message_bits=24)


def section3() -> None:
    head("3. LIF arithmetic (inputs injected exactly through an identity Dense with graded spikes)")

    sub("3a. u wrap at 24 bits and v clip: du=4095 (u = wrap(a << 6)), dv=0 (v accumulates), vth=2^17")
    a_once = [131071, 131072, 131073, -131071, -131072, -131073, 300000, 400000, 2**25 + 1]
    T = 4
    x = np.zeros((T, len(a_once) + 2), dtype=np.int64)
    x[0, : len(a_once)] = a_once
    x[:, len(a_once)] = 100000  # every step: v saturates at +2^23-1
    x[:, len(a_once) + 1] = -100000  # every step: v saturates at -(2^23-1)
    x, W, dk = injector(x)
    r = dense_lif(x, W, dense=dk, lif=lif_params(du=4095, dv=0, vth=NEVER))
    print(
        f"  {'a (at step 2)':>14} {'a<<6':>12} {'u step 2':>12} {'expect':>14} {'v step 2':>10} "
        f"{'u step 3':>9} {'v step 3':>9}"
    )
    for j, a in enumerate(a_once):
        print(
            f"  {a:>14} {a * 64:>12} {int(r['u'][1, j]):>12} {int(wrap24(np.left_shift(np.array([a], np.int32), 6))[0]):>14} "
            f"{int(r['v'][1, j]):>10} {int(r['u'][2, j]):>9} {int(r['v'][2, j]):>9}"
        )
    print("  expect = wrap24(int32(a << 6)): one +-2^24 correction, u > 2^23 and u <= -2^23;")
    print("  (2^25+1: a<<6 = 2147483712 overflows the int32 left_shift to -2147483584 first)")
    print("  constant a = +100000 / -100000 (u = +-6400000), v per step:")
    trace({"u": r["u"], "v": r["v"]}, neurons=[len(a_once), len(a_once) + 1])

    sub("3b. rtz decay: u' = sign(u)*((|u|*(4096-(du+1))) >> 12), v' likewise with dv (no +1)")
    du, dv = 1000, 1000
    u0 = np.array([1000, -1000, 4095, -4095, MAXV, -MAXV, 1, -1, 0, 0, 0, 0, 0, 0])
    v0 = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1000, -1000, 5, -5, MAXV, -MAXV])
    T = 4
    x, W, dk = injector(np.zeros((T, len(u0))))
    r = dense_lif(x, W, dense=dk, lif=lif_params(du=du, dv=dv, vth=NEVER, u=u0, v=v0))
    fu, fv = 4096 - (du + 1), 4096 - dv
    print(f"  du={du} -> factor {fu}; dv={dv} -> factor {fv}.  No input.")
    print(f"  {'u0':>9} {'u step1':>9} {'rtz':>9} {'floor':>9} | {'u step2':>8} {'u step3':>8}")
    for j in range(8):
        print(
            f"  {u0[j]:>9} {int(r['u'][0, j]):>9} {int(rtz_decay(u0[j], fu)):>9} "
            f"{int(np.floor(u0[j] * fu / 4096)):>9} | {int(r['u'][1, j]):>8} {int(r['u'][2, j]):>8}"
        )
    print(f"  {'v0':>9} {'v step1':>9} {'rtz':>9} {'floor':>9} | {'v step2':>8} {'v step3':>8}   (u = 0)")
    for j in range(8, len(v0)):
        print(
            f"  {v0[j]:>9} {int(r['v'][0, j]):>9} {int(rtz_decay(v0[j], fv)):>9} "
            f"{int(np.floor(v0[j] * fv / 4096)):>9} | {int(r['v'][1, j]):>8} {int(r['v'][2, j]):>8}"
        )
    print("  neurons 0-7: v = rtz(v*3096) + u; e.g. u0=1000 ->", r["v"][:, 0].tolist())

    sub("3c. decay extremes: (du, dv) = (0, 0), (4095, 4095), (-1, 4096) [netx iDecay=0, vDecay=4096]")
    init = np.array([4096, 100, 1, -1, -100])
    T = 3
    rig = Rig(T)
    x, W, dk = injector(np.zeros((T, len(init))))
    src = rig.src(x)
    cases = [(0, 0), (4095, 4095), (-1, 4096)]
    for k, (du, dv) in enumerate(cases):
        d = Dense(weights=W, **dk)
        lif = LIF(shape=(len(init),), **lif_params(du=du, dv=dv, vth=NEVER, u=init, v=init))
        src.s_out.connect(d.s_in)
        d.a_out.connect(lif.a_in)
        rig.probe(f"u{k}", lif.u)
        rig.probe(f"v{k}", lif.v)
    r = rig.run(src)
    print(f"  u0 = v0 = {init.tolist()}, no input")
    for k, (du, dv) in enumerate(cases):
        print(
            f"  du={du:>4} (u factor {4096 - (du + 1):>4}) dv={dv:>4} (v factor {4096 - dv:>4}):"
            f"  u step1..3 {r[f'u{k}'].T.tolist()}"
        )
        print(f"  {'':>45}  v step1..3 {r[f'v{k}'].T.tolist()}")

    sub("3d. threshold v > vth<<6 (strict), reset v := 0, u kept: du=4095, dv=0, vth=10 (640)")
    T = 6
    a = np.zeros((T, 4), dtype=np.int64)
    a[:, 0] = 10  # u = 640 from step 2
    a[:, 3] = 20  # u = 1280 from step 2
    x, W, dk = injector(a)
    bm = np.array([0, 641, 640, 0])
    r = dense_lif(x, W, dense=dk, lif=lif_params(du=4095, dv=0, vth=10, bias_mant=bm, bias_exp=0))
    print("  n0: a=10 every step (u=640); n1: bias 641; n2: bias 640; n3: a=20 every step (u=1280)")
    trace({"u": r["u"], "v": r["v"], "s": r["s"]})

    sub("3e. bias: effective = bias_mant << bias_exp, or >> -bias_exp; du=4095, dv=4096 so v = bias")
    pairs = [
        (1, 0),
        (1, 6),
        (3, -1),
        (-3, -1),
        (-1, -1),
        (-1, -5),
        (-7, -2),
        (5000, 0),
        (4095, 7),
        (-4096, 7),
        (1, 10),
        (2048, 12),
        (-2048, 12),
        (40000, 0),
        (-40000, 0),
    ]
    bm = np.array([p[0] for p in pairs])
    be = np.array([p[1] for p in pairs])
    T = 2
    x, W, dk = injector(np.zeros((T, len(pairs))))
    r = dense_lif(x, W, dense=dk, lif=lif_params(du=4095, dv=4096, vth=NEVER, bias_mant=bm, bias_exp=be))
    print(f"  {'bias_mant':>9} {'bias_exp':>8} {'v (step 1)':>11}")
    for j, (m, e) in enumerate(pairs):
        print(f"  {m:>9} {e:>8} {int(r['v'][0, j]):>11}")


# --------------------------------------------------------------------------------------------
# 4. Timing


def section4() -> None:
    head("4. Timing")
    T = 8
    x = np.zeros((T, 1))
    x[2, 0] = 1  # RingBuffer column 2: sent at step 3
    neuron = dict(du=4095, dv=4096, vth=1)  # u = 64 a; v = u; spikes when a > 1
    rig = Rig(T)
    src = rig.src(x)
    # (a) src -> D1 -> L1 -> D2 -> L2
    d1 = Dense(weights=np.array([[100]]))
    l1 = LIF(shape=(1,), **lif_params(**neuron))
    d2 = Dense(weights=np.array([[50]]))
    l2 = LIF(shape=(1,), **lif_params(**neuron))
    src.s_out.connect(d1.s_in)
    d1.a_out.connect(l1.a_in)
    l1.s_out.connect(d2.s_in)
    d2.a_out.connect(l2.a_in)
    # (b) src -> Da -> Db -> L3 (Dense straight into Dense)
    da = Dense(weights=np.array([[100]]))
    db = Dense(weights=np.array([[30]]))
    l3 = LIF(shape=(1,), **lif_params(**neuron))
    src.s_out.connect(da.s_in)
    da.a_out.connect(db.s_in)
    db.a_out.connect(l3.a_in)
    # (c) src -> Din -> L4, L4 -> Drec -> L4
    din = Dense(weights=np.array([[100]]))
    l4 = LIF(shape=(1,), **lif_params(du=4095, dv=4096, vth=10))  # 6400 > 640 fires; 7*64 = 448 does not
    drec = Dense(weights=np.array([[7]]))
    src.s_out.connect(din.s_in)
    din.a_out.connect(l4.a_in)
    l4.s_out.connect(drec.s_in)
    drec.a_out.connect(l4.a_in)
    for key, tg in [
        ("a_D1", d1.a_buff),
        ("u_L1", l1.u),
        ("s_L1", l1.s_out),
        ("a_D2", d2.a_buff),
        ("u_L2", l2.u),
        ("s_L2", l2.s_out),
        ("u_L3", l3.u),
        ("u_L4", l4.u),
        ("s_L4", l4.s_out),
        ("a_Drec", drec.a_buff),
    ]:
        rig.probe(key, tg)
    r = rig.run(src)
    print("  RingBuffer spike in column 2 = sent at step 3.  LIFs: du=4095, dv=4096 (u = v = 64*a_in).")
    print("  (a) src -> D1(100) -> L1 -> D2(50) -> L2;  (b) src -> Da(100) -> Db(30) -> L3;")
    print("  (c) src -> Din(100) -> L4 (vth=10) with L4 -> Drec(7) -> L4")
    print("  " + " ".join(f"{k:>7}" for k in ["step", "x", *r]))
    for i in range(T):
        print("  " + " ".join(f"{v:>7}" for v in [i + 1, int(x[i, 0])] + [int(r[k][i, 0]) for k in r]))

    def first(k):
        nz = np.flatnonzero(r[k][:, 0])
        return int(nz[0]) + 1 if len(nz) else None

    print(
        f"  spike sent at step 3 -> L1.u first changes at step {first('u_L1')}; L1 spikes at {first('s_L1')};"
        f" L2.u at {first('u_L2')}; L3.u (two Dense) at {first('u_L3')}"
    )
    s4 = np.flatnonzero(r["s_L4"][:, 0]) + 1
    print(
        f"  recurrent: L4 spikes at steps {s4.tolist()}, u_L4 = {r['u_L4'][:, 0].tolist()}"
        f" (448 = 7<<6: its own spike of step {s4[0]} back at step {s4[0] + 1})"
    )


# --------------------------------------------------------------------------------------------
# 5. Graded spikes


def section5() -> None:
    head("5. Graded spikes: Dense(num_message_bits>0) computes weights.dot(s_in) with s_in as sent")
    x = np.array([[1, 0], [7, 0], [0, -4], [7, -4], [300, 0], [2**15 + 1, 0], [2.7, -2.7], [0, 0]])
    T = len(x)
    W = np.array([[3, 5]])
    rig = Rig(T)
    src = rig.src(x)
    out = {}
    for nmb in (8, 0):
        d = Dense(weights=W, num_message_bits=nmb)
        lif = LIF(shape=(1,), **lif_params(du=4095, dv=4096, vth=NEVER))
        src.s_out.connect(d.s_in)
        d.a_out.connect(lif.a_in)
        rig.probe(f"a{nmb}", d.a_buff)
        rig.probe(f"u{nmb}", lif.u)
        out[nmb] = d
    r = rig.run(src)
    print("  W = [[3, 5]] (excitatory); RingBuffer data below (fixed_pt RingBuffer holds int32: 2.7 -> 2).")
    print(f"  {'step':>4} {'s sent':>16} {'a nmb=8':>9} {'u/64 next':>10} {'a nmb=0':>9} {'u/64 next':>10}")
    for i in range(T - 1):
        sent = "[" + ", ".join(f"{v:g}" for v in x[i]) + "]"
        print(
            f"  {i + 1:>4} {sent:>16} {int(r['a8'][i, 0]):>9} {int(r['u8'][i + 1, 0]) // 64:>10}"
            f" {int(r['a0'][i, 0]):>9} {int(r['u0'][i + 1, 0]) // 64:>10}"
        )


# --------------------------------------------------------------------------------------------
# 6. netx


def write_h5(path, layers) -> None:
    import h5py

    with h5py.File(path, "w") as f:
        L = f.create_group("layer")
        for i, spec in enumerate(layers):
            g = L.create_group(str(i))
            g.create_dataset("type", (1,), "S10", [spec["type"].encode()])
            g.create_dataset("shape", data=np.array(spec["shape"]))
            for k in ("weight", "bias"):
                if k in spec:
                    g.create_dataset(k, data=np.asarray(spec[k]))
            if "neuron" in spec:
                for k, v in spec["neuron"].items():
                    if k == "type":
                        g.create_dataset("neuron/type", (1,), "S10", [v.encode()])
                    else:
                        g.create_dataset(f"neuron/{k}", data=v)


def section6() -> None:
    head("6. netx: lava.lib.dl.netx.hdf5.Network from a tiny HDF5")
    sys.path.insert(0, str(ROOT / "scripts"))
    from lava_check import stub_object_detection

    stub_object_detection()
    from lava.lib.dl import netx

    W1 = np.array([[-256, 254, 3, 0], [100, -7, 0, 12], [0, 0, 255, -1]])  # mixed, odd values
    W2 = np.array([[10.9, 6, 2.5], [4, 0, 8.7]])  # floats (NetDict casts .astype(int)), small
    b1 = np.array([5, -3, 0])
    cuba = dict(type="CUBA", iDecay=1024, vDecay=512, vThMant=100, refDelay=1, gradedSpike=False)
    layers = [
        dict(type="input", shape=[4]),
        dict(type="dense", shape=[3], weight=W1, bias=b1, neuron=cuba),
        dict(type="dense", shape=[2], weight=W2),  # no neuron group: netx's default neuron
    ]
    T = 10
    rng = np.random.default_rng(7)
    x = (rng.random((T, 4)) < 0.6).astype(int)
    x[T - 3 :] = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tiny.net")
        write_h5(path, layers)
        net = netx.hdf5.Network(net_config=path)
        sub("6a. what netx builds")
        print("  " + str(net).replace("\n", "\n  "))
        print(
            f"  len(net.layers) = {len(net.layers)}: {[type(b).__name__ for b in net.layers]}"
            "  (the input layer without a neuron builds no block)"
        )
        for i, blk in enumerate(net.layers):
            syn, neu = blk.synapse, blk.neuron
            pp = syn.proc_params
            print(f"  layer {i + 1} ({type(blk).__name__}):")
            print(f"    Dense weights = {np.asarray(syn.weights.init).tolist()}")
            print(
                f"    Dense weight_exp = {pp.get('weight_exp')}, num_weight_bits = {pp.get('num_weight_bits')},"
                f" num_message_bits = {int(np.asarray(syn.num_message_bits.init).ravel()[0])},"
                f" sign_mode passed = {pp.get('sign_mode', None)}"
            )
            print(
                f"    {type(neu).__name__}: du = {neu.du.init}, dv = {neu.dv.init}, vth = {neu.vth.init},"
                f" bias_mant = {np.asarray(neu.bias_mant.init).tolist()}, bias_exp = {neu.bias_exp.init}"
            )
            # what a raw Lava replication needs: the Dense parameters netx chose
        syn_params = [
            dict(
                weights=np.asarray(blk.synapse.weights.init),
                weight_exp=blk.synapse.proc_params["weight_exp"],
                num_weight_bits=blk.synapse.proc_params["num_weight_bits"],
            )
            for blk in net.layers
        ]
        # run it from a RingBuffer
        rig = Rig(T)
        src = rig.src(x)
        src.s_out.connect(net.inp)
        l1, l2 = net.layers[0].neuron, net.layers[1].neuron
        for key, tg in [("u1", l1.u), ("v1", l1.v), ("s1", l1.s_out), ("u2", l2.u), ("v2", l2.v)]:
            rig.probe(key, tg)
        got = rig.run(
            net,
            after=lambda: {
                "w1_eff": np.rint(net.layers[0].synapse.weights.get()).astype(int),
                "w2_eff": np.rint(net.layers[1].synapse.weights.get()).astype(int),
            },
        )

    sub(
        "6b. netx run (RingBuffer -> net.inp) vs raw RingBuffer -> Dense -> LIF -> Dense -> LIF with"
        " LIF(du=iDecay-1, dv=vDecay, vth=vThMant, bias_mant=bias, bias_exp=6)"
    )
    rig = Rig(T)
    src = rig.src(x)
    raw_dense = {
        "exact": syn_params,  # netx's weights, weight_exp, num_weight_bits
        "naive": [dict(weights=W1), dict(weights=W2.astype(int))],  # the HDF5 integers, Dense defaults
    }
    raw_d1 = {}
    for tag, (p1, p2) in raw_dense.items():
        d1 = Dense(**p1)
        n1 = LIF(shape=(3,), du=1023, dv=512, vth=100, bias_mant=b1, bias_exp=6)
        d2 = Dense(**p2)
        n2 = LIF(shape=(2,), du=-1, dv=4096, vth=1 << 17, bias_mant=0, bias_exp=6)
        src.s_out.connect(d1.s_in)
        d1.a_out.connect(n1.a_in)
        n1.s_out.connect(d2.s_in)
        d2.a_out.connect(n2.a_in)
        for key, tg in [("u1", n1.u), ("v1", n1.v), ("s1", n1.s_out), ("u2", n2.u), ("v2", n2.v)]:
            rig.probe(f"{tag}_{key}", tg)
        raw_d1[tag] = d1
    raw = rig.run(src, after=lambda: {f"{t}_w1_eff": np.rint(d.weights.get()).astype(int) for t, d in raw_d1.items()})
    print(f"  input (rows = steps): {x.tolist()}")
    print(f"  netx layer-1 Dense weights after clip/truncate:    {got['w1_eff'].tolist()}")
    print(f"  raw exact (netx's weights, weight_exp, nwb):       {raw['exact_w1_eff'].tolist()}")
    print(f"  raw naive (HDF5 integers, Dense defaults nwb=8):   {raw['naive_w1_eff'].tolist()}")
    print(f"  netx layer-2 Dense weights after clip/truncate:    {got['w2_eff'].tolist()}")
    for k in ("u1", "v1", "s1", "u2", "v2"):
        print(
            f"  {k}: netx == raw exact: {np.array_equal(got[k], raw['exact_' + k])};"
            f"  netx == raw naive: {np.array_equal(got[k], raw['naive_' + k])}"
        )
    print("  netx trace, layer 1 (u, v, s per neuron):")
    trace({"u": got["u1"], "v": got["v1"], "s": got["s1"]})
    print("  netx trace, layer 2 (u, v; default neuron: du=-1 so u never decays, dv=4096 so v = u):")
    trace({"u": got["u2"], "v": got["v2"]})
    print("  raw naive trace, layer 1 (odd weights floored to even):")
    trace({"u": raw["naive_u1"], "v": raw["naive_v1"], "s": raw["naive_s1"]})

    sub("6c. input layer WITH a neuron")
    layers_n = [dict(type="input", shape=[4], neuron=cuba), *layers[1:]]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tiny_in.net")
        write_h5(path, layers_n)
        net = netx.hdf5.Network(net_config=path)
        inp_blk = net.layers[0]
        print(
            f"  layers: {[type(b).__name__ for b in net.layers]}; the Input block's inp port feeds:"
            f" {inp_blk.inp.out_connections} (nothing); its LIF: du={inp_blk.neuron.du.init},"
            f" dv={inp_blk.neuron.dv.init}, vth={inp_blk.neuron.vth.init}, bias_exp={inp_blk.neuron.bias_exp.init}"
        )
        rig = Rig(T)
        src = rig.src(x)
        src.s_out.connect(net.inp)
        try:
            rig.run(net)
            print("  RingBuffer -> net.inp: ran")
        except Exception as e:  # the failure is the measurement
            print(f"  RingBuffer -> net.inp: {type(e).__name__}: {e}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tiny_in.net")
        write_h5(path, layers_n)
        net = netx.hdf5.Network(net_config=path)
        net.layers[0].neuron.bias_mant.init = np.array([101, 0, 60, 0])  # the input goes in as bias
        rig = Rig(T)
        for key, tg in [
            ("v0", net.layers[0].neuron.v),
            ("s0", net.layers[0].neuron.s_out),
            ("u1", net.layers[1].neuron.u),
        ]:
            rig.probe(key, tg)
        r = rig.run(net)
        print("  without a RingBuffer, input through bias_mant = [101, 0, 60, 0] (x 2^6), vth 100 (6400):")
        trace({"v": r["v0"], "s": r["s0"]})
        print(f"  layer-1 u: {r['u1'].T.tolist()}")


# --------------------------------------------------------------------------------------------
# 7. Reference traces


def save_trace(
    path: pathlib.Path, desc: str, x, w, dense: dict, lif: dict, r: dict, w_rec=None, rec: dict | None = None
) -> None:
    n = np.asarray(w).shape[0]

    def vec(v):
        return np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).astype(np.int32)

    arrays = dict(
        description=np.array(desc),
        convention=np.array(
            "row i = Lava time_step i+1. x[i] is what the RingBuffer sends at step i+1; a[i] is the Dense "
            "a_buff after step i+1 (sent to the LIF at step i+2); u, v, s are the LIF state after step "
            "i+1 (v after reset). w_eff = weights after Lava's clip_weights/truncate_weights. "
            "sign_mode: 0 = determined by determine_sign_mode(w)."
        ),
        x=np.asarray(x).astype(np.int32),
        w=np.asarray(w).astype(np.int32),
        w_eff=r["w_eff"].astype(np.int32),
        weight_exp=np.int32(dense.get("weight_exp", 0)),
        num_weight_bits=np.int32(dense.get("num_weight_bits", 8)),
        num_message_bits=np.int32(dense.get("num_message_bits", 0)),
        sign_mode=np.int32(0),
        du=np.int32(lif["du"]),
        dv=np.int32(lif["dv"]),
        vth=np.int32(lif["vth"]),
        bias_mant=vec(lif.get("bias_mant", 0)),
        bias_exp=vec(lif.get("bias_exp", 0)),
        u0=vec(lif.get("u", 0)),
        v0=vec(lif.get("v", 0)),
        a=r["a"].astype(np.int64),
        u=r["u"].astype(np.int32),
        v=r["v"].astype(np.int32),
        s=r["s"].astype(np.int8),
    )
    if w_rec is not None:
        rec = rec or {}
        arrays.update(
            w_rec=np.asarray(w_rec).astype(np.int32),
            w_rec_eff=r["w_rec_eff"].astype(np.int32),
            rec_weight_exp=np.int32(rec.get("weight_exp", 0)),
            rec_num_weight_bits=np.int32(rec.get("num_weight_bits", 8)),
            a_rec=r["a_rec"].astype(np.int64),
        )
    np.savez_compressed(path, **arrays)


def reference(x, w, dense: dict, lif: dict, w_rec=None, rec: dict | None = None) -> dict[str, np.ndarray]:
    """The rules of docs/notes/loihi2-arithmetic.md in numpy (not Lava): used only to check
    that they reproduce Lava's traces bit for bit, and to count the edge events."""
    x = np.asarray(x)
    T, n = len(x), np.asarray(w).shape[0]

    def eff_weights(w, nwb, kw):
        w = np.asarray(w).astype(np.int32)  # the Var cast: truncation toward zero for floats
        mode = kw.get("sign_mode") or determine_sign_mode(w)
        return truncate_weights(clip_weights(w, mode, num_bits=8), mode, nwb).astype(np.int64)

    def dense_step(W, s, kw):
        s = np.asarray(s).astype(np.int64) if kw.get("num_message_bits", 0) > 0 else (np.asarray(s) != 0)
        acc = W @ s.astype(np.int64)
        e = kw.get("weight_exp", 0)
        acc = acc << e if e > 0 else acc >> -e
        return acc.astype(np.int32)  # the int32 a_out channel

    def vec(v):
        return np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy()

    W = eff_weights(w, dense.get("num_weight_bits", 8), dense)
    rec = rec or {}
    Wr = None if w_rec is None else eff_weights(w_rec, rec.get("num_weight_bits", 8), rec)
    du, dv, vth = lif["du"], lif["dv"], lif["vth"]
    bm = vec(lif.get("bias_mant", 0)).astype(np.int16).astype(np.int64)  # the int16 Var
    be = vec(lif.get("bias_exp", 0))
    bias = np.where(be >= 0, bm << np.maximum(be, 0), bm >> np.maximum(-be, 0))
    u, v = vec(lif.get("u", 0)), vec(lif.get("v", 0))
    buf = np.zeros(n, np.int32)
    buf_rec = np.zeros(n, np.int32)
    out = {k: np.zeros((T, n), np.int64) for k in ("u", "v", "s", "a", "u_wrap", "v_clip")}
    for t in range(T):
        a_in = buf.astype(np.int32) + (buf_rec if Wr is not None else 0)  # sent: last step's accumulation
        buf = dense_step(W, x[t], dense)
        act = np.left_shift(a_in.astype(np.int32), 6).astype(np.int64)  # int32 shift
        u_pre = rtz_decay(u, 4096 - (du + 1)) + act
        u = wrap24(u_pre)
        v_pre = rtz_decay(v, 4096 - dv) + u + bias
        v = np.clip(v_pre, -MAXV, MAXV)
        s = v > (vth << 6)
        v = np.where(s, 0, v)
        if Wr is not None:
            buf_rec = dense_step(Wr, s, rec)
        out["u"][t], out["v"][t], out["s"][t], out["a"][t] = u, v, s, buf
        out["u_wrap"][t] = np.sign(u_pre) * (u_pre != u)
        out["v_clip"][t] = np.sign(v_pre) * (np.abs(v_pre) > MAXV)
    return out


def events(r, ref) -> str:
    a = r["a"]
    uw, vc = ref["u_wrap"], ref["v_clip"]
    return (
        f"Dense sums |a|>32767: {int((np.abs(a) > 32767).sum())}; u wrapped down/up: {int((uw > 0).sum())}/"
        f"{int((uw < 0).sum())}; v clipped at +/-: {int((vc > 0).sum())}/{int((vc < 0).sum())};"
        f" spikes: {int(r['s'].sum())}"
    )


def section7(outdir: pathlib.Path | None) -> None:
    head("7. Reference traces")
    rng = np.random.default_rng(2024)
    made = []

    # A: overflow — 200 binary inputs, mixed odd weights, weight_exp = +2: sums beyond int16,
    # u wraps both ways at 24 bits, v clips at both rails, spikes at the top rail.
    T, n_in, n_out = 40, 200, 4
    x = (rng.random((T, n_in)) < 0.5).astype(np.int64)
    x[5:8] = 1
    x[20:23] = 1
    x[30:] = 0
    w = np.zeros((n_out, n_in), dtype=np.int64)
    w[0] = rng.integers(200, 256, n_in)  # large positive (odd ones lose the LSB)
    w[1] = rng.integers(-256, -200, n_in)  # large negative
    w[2] = rng.integers(-256, 256, n_in)  # anything
    w[3] = rng.integers(-20, 21, n_in)  # small
    dense = dict(weight_exp=2)
    lif = dict(du=300, dv=40, vth=131071, bias_mant=np.array([0, 0, 100, -100]), bias_exp=3)
    r = dense_lif(x, w, dense=dense, lif=lif, probe_a=True)
    made.append(
        (
            "trace_overflow.npz",
            "200 binary inputs -> Dense(mixed, odd weights, weight_exp=+2) -> 4 LIF:"
            " sums beyond int16, u wraps at 24 bits both ways, v clips at +-(2^23-1)",
            x,
            w,
            dense,
            lif,
            r,
            None,
            None,
        )
    )

    # B: decay/bias — inhibitory odd weights (truncation toward zero), num_weight_bits=6,
    # weight_exp=-3 (floor of negative sums), negative bias_exp, negative u0/v0 (rtz), v at -rail.
    T, n_in, n_out = 64, 16, 6
    x = (rng.random((T, n_in)) < 0.3).astype(np.int64)
    w = -rng.integers(0, 256, (n_out, n_in))
    dense = dict(weight_exp=-3, num_weight_bits=6)
    lif = dict(
        du=3000,
        dv=100,
        vth=200,
        bias_mant=np.array([300, 4095, -4096, 1000, 7, 2000]),
        bias_exp=np.array([0, -3, 2, 3, -1, 4]),
        u=np.array([-8388000, 5000, -777, 0, 12345, -1]),
        v=np.array([-MAXV, 100000, -5, 0, -12800, 3]),
    )
    r = dense_lif(x, w, dense=dense, lif=lif, probe_a=True)
    made.append(
        (
            "trace_decay_bias.npz",
            "16 binary inputs -> Dense(inhibitory odd weights, num_weight_bits=6,"
            " weight_exp=-3) -> 6 LIF: rtz decay of negative u/v, negative bias_exp, v at -(2^23-1)",
            x,
            w,
            dense,
            lif,
            r,
            None,
            None,
        )
    )

    # C: graded + recurrent — graded inputs (num_message_bits=8, values used as-is incl. negative),
    # excitatory weights with num_weight_bits=5 and weight_exp=1, a mixed recurrent Dense.
    T, n_in, n_out = 48, 5, 5
    x = rng.integers(-300, 301, (T, n_in)) * (rng.random((T, n_in)) < 0.5)
    w = rng.integers(0, 256, (n_out, n_in))
    w_rec = rng.integers(-256, 256, (n_out, n_out))
    dense = dict(weight_exp=1, num_weight_bits=5, num_message_bits=8)
    rec = dict(weight_exp=3)
    lif = dict(du=0, dv=2000, vth=3000, bias_mant=np.array([0, 50, -50, 0, 10]), bias_exp=6)
    r = dense_lif(x, w, dense=dense, lif=lif, w_rec=w_rec, rec=rec, probe_a=True)
    made.append(
        (
            "trace_graded_recurrent.npz",
            "5 graded inputs (num_message_bits=8) -> Dense(excitatory, nwb=5,"
            " weight_exp=1) -> 5 LIF with a recurrent Dense(mixed, weight_exp=3): du=0 (factor 4095)",
            x,
            w,
            dense,
            lif,
            r,
            w_rec,
            rec,
        )
    )

    for name, desc, x, w, dense, lif, r, w_rec, rec in made:
        ref = reference(x, w, dense, lif, w_rec, rec)
        same = {k: np.array_equal(ref[k], r[k]) for k in ("a", "u", "v", "s")}
        print(f"  {name}: {desc}")
        print(f"    {events(r, ref)}")
        print(f"    numpy model of the notes' rules == Lava: {same}")
        if outdir is not None:
            outdir.mkdir(parents=True, exist_ok=True)
            path = outdir / name
            save_trace(path, desc, x, w, dense, lif, r, w_rec, rec)
            print(
                f"    wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                f" ({path.stat().st_size} bytes)"
            )


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="1,2,3,4,5,6,7", help="comma-separated sections (default: all)")
    ap.add_argument("--data", type=pathlib.Path, default=DATA, help="where section 7 writes (default: %(default)s)")
    ap.add_argument("--no-data", action="store_true", help="section 7 runs but writes nothing")
    args = ap.parse_args(argv)
    from importlib.metadata import version

    np.set_printoptions(linewidth=200)
    print(f"lava-nc {version('lava-nc')}, lava-dl {version('lava-dl')}, numpy {np.__version__}")
    only = {int(s) for s in args.only.split(",") if s}
    sections = {1: section1, 2: section2, 3: section3, 4: section4, 5: section5, 6: section6}
    for k in sorted(only):
        if k == 7:
            section7(None if args.no_data else args.data)
        else:
            sections[k]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
