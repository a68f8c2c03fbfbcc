"""The `loihi2` kernel computes what Lava's bit-accurate Dense + CUBA-LIF compute.

* The paper's LIF benchmark (``lif_traces``): Lava's fixed-point and floating-point
  runs — spikes at 461/511/711/761 and the whole voltage trace.
* Hand-computed steps of the equations (``nirc/targets/loihi2/dialect.py``): the decay
  rounding toward zero, the 24-bit wrap of ``u``, the clip of ``v``, the strict
  threshold, the reset, the bias exponent, the Dense's step of delay, the recurrent
  weights' step, the weights Lava actually uses.
* Real Lava (lava-nc 0.10.0 in the venv ``scripts/lava-env.sh`` builds; skipped with the
  reason when it is absent): random layers, recurrent ones, large weight exponents that
  wrap ``u``, through ``lava_oracle.py`` — ``u``, ``v`` and the spikes equal every step.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lava_venv import LAVA_PYTHON, needs_lava
from xdsl.dialects.builtin import IntegerAttr, UnitAttr, i64

import nirc
from nirc.core.dense import DenseAttr
from nirc.core.rewriting import build
from nirc.dialects.nir import top_graph
from nirc.targets.loihi2.dialect import DenseOp, effective_weights

ORACLE = Path(__file__).with_name("lava_oracle.py")


def layer(p: dict[str, Any]) -> Any:
    """A module ``in -> loihi2.dense "l" -> out`` from a parameter dict (the oracle's keys)."""
    n, m = np.asarray(p["weight"]).shape
    module = nirc.parse(
        "nir.graph {\n"
        f'  %in = nir.input "in" {{shape = #nir.dense<1xi64: [{m}]>}} : tensor<{m}xf32>\n'
        f'  nir.output "out"(%in) {{shape = #nir.dense<1xi64: [{m}]>}} : tensor<{m}xf32>\n'
        "}"
    )
    block = top_graph(module).body.block
    inp, out = list(block.ops)
    params: dict[str, Any] = {k: np.asarray(p[k]) for k in ("weight", "du", "dv", "vth", "bias_mant")}
    if "weight_rec" in p:
        params["weight_rec"] = np.asarray(p["weight_rec"])
    for key in ("weight_exp", "num_weight_bits", "bias_exp", "weight_exp_rec", "num_weight_bits_rec"):
        if key in p:
            params[key] = IntegerAttr(int(p[key]), i64)
    if int(p.get("graded", 0)):
        params["graded"] = UnitAttr()
    op = build(DenseOp, "l", [inp.output], params, (n,))
    block.insert_op_after(op, inp)
    out.operands[0] = op.results[0]
    out.properties["shape"] = DenseAttr.from_array(np.array([n]))
    return module


def fixed(weight: Any, **kw: Any) -> dict[str, Any]:
    w = np.atleast_2d(np.asarray(weight, np.int64))
    n = w.shape[0]
    p = {"weight": w, "du": 4095, "dv": 0, "vth": 1000, "bias_mant": np.zeros(n, np.int64)}
    p |= {"bias_exp": 0, "weight_exp": 0, "num_weight_bits": 8, "graded": 0}
    p |= kw
    return {k: np.asarray(v, np.int64) if not isinstance(v, np.ndarray) else v for k, v in p.items()}


def simulate(p: dict[str, Any], x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spikes, u and v per step, ``(T, N)``."""
    r = nirc.run(layer(p), np.asarray(x, np.float64), record=["l"])
    return r.outputs["out"], r.records["l"]["u"], r.records["l"]["v"]


# --------------------------------------------------------------------------- the paper


@pytest.mark.parametrize(
    ("trace", "params"),
    [
        ("lava_cpu_fixed", fixed([[10]], du=4095, dv=163, vth=25)),
        (
            "lava_cpu_float",
            {
                "weight": np.array([[0.04]]),
                "du": np.array(1.0),
                "dv": np.array(0.04),
                "vth": np.array(0.1),
                "bias_mant": np.zeros(1),
                "bias_exp": 0,
                "weight_exp": 0,
                "num_weight_bits": 8,
            },
        ),
    ],
)
def test_the_paper_lif_benchmark(corpus: Path, trace: str, params: dict[str, Any]) -> None:
    data = np.loadtxt(corpus / "lif_traces" / f"lif_{trace}.csv", delimiter=",")
    s, _, v = simulate(params, data[:, :1])
    assert np.flatnonzero(s[:, 0]).tolist() == [461, 511, 711, 761]
    np.testing.assert_allclose(v[:, 0], data[:, 1], rtol=0, atol=1e-7 if "float" in trace else 0)


# --------------------------------------------------------------------------- by hand


def test_the_dense_delivers_a_step_late_and_u_keeps_no_memory_with_du_4095() -> None:
    x = np.zeros((4, 1))
    x[0, 0] = 1
    _, u, v = simulate(fixed([[3]]), x)
    assert u[:, 0].tolist() == [0, 3 << 6, 0, 0]  # d_u = 4096: u forgets
    assert v[:, 0].tolist() == [0, 192, 192, 192]  # dv = 0: v keeps


def test_decays_round_toward_zero() -> None:
    """u = sign(u k) (|u k| >> 12), k = 4096 - (du + 1): -100 * 2048 / 4096 = -50; with
    k = 4095, 100 * 4095 >> 12 = 99 and -99 (not -100, as a floor would give)."""
    x = np.zeros((3, 1))
    x[0, 0] = 1
    _, u, _ = simulate(fixed([[-100]], du=0, vth=131071), x)
    # a = -100 << 6 = -6400 at step 1; then -6400 * 4095 >> 12 toward zero = -6398
    assert u[:, 0].tolist() == [0, -6400, -((6400 * 4095) >> 12)]


def test_u_wraps_at_24_bits_and_v_clips() -> None:
    """255 x 8 inputs << 7 << 6 = 16711680 > 2^23: u wraps to 16711680 - 2^24 = -65536;
    v, driven down by a bias of -4096 << 7 a step, stops at -(2^23 - 1)."""
    x = np.zeros((3, 8))
    x[0] = 1
    _, u, _ = simulate(fixed(np.full((1, 8), 255), weight_exp=7, vth=131071), x)
    assert u[1, 0] == 255 * 8 * 128 * 64 - (1 << 24)
    biased = fixed([[0]], bias_mant=np.array([-4096]), bias_exp=7, dv=0, vth=131071)
    _, _, v2 = simulate(biased, np.zeros((20, 1)))
    assert v2[0, 0] == -4096 << 7 and v2[-1, 0] == -((1 << 23) - 1)  # clipped, not wrapped


def test_the_threshold_is_strict_and_the_reset_is_to_zero_for_v_only() -> None:
    """vth 3 -> 192: v = 192 does not spike, 193 does; u is not reset."""
    x = np.zeros((4, 1))
    x[0, 0] = 1
    s, u, v = simulate(fixed([[3]], vth=3), x)
    assert s[:, 0].tolist() == [0, 0, 0, 0]
    s, u, v = simulate(fixed([[3]], vth=3, bias_mant=np.array([1])), x)
    assert s[:, 0].tolist() == [0, 1, 0, 0] and v[1, 0] == 0 and u[1, 0] == 192


def test_the_recurrent_weights_deliver_a_step_after_the_spike() -> None:
    x = np.zeros((5, 1))
    x[0, 0] = 1
    p = fixed([[20]], vth=10, weight_rec=np.array([[7]]))
    s, u, _ = simulate(p, x)
    assert s[:, 0].tolist()[:3] == [0, 1, 0]  # the input's step-late spike (1280 > 640)
    assert u[2, 0] == 7 << 6  # its own spike comes back one step later


def test_the_weights_lava_uses() -> None:
    """Mixed signs keep 7 bits and the sign: with 8 weight bits the lowest bit goes
    (Lava's truncate_weights), with 6 the three lowest; one sign clips to 8 bits."""
    np.testing.assert_array_equal(effective_weights(np.array([[5, -5, 255, -256]]), 8), [[4, -6, 254, -256]])
    np.testing.assert_array_equal(effective_weights(np.array([[5, 13, 300]]), 6), [[4, 12, 252]])
    np.testing.assert_array_equal(effective_weights(np.array([[-5, -13, -300]]), 8), [[-5, -13, -255]])


def test_graded_spikes_multiply() -> None:
    x = np.array([[2.0], [0.0], [0.0]])
    _, u, _ = simulate(fixed([[3]], graded=1, vth=131071), x)
    assert u[1, 0] == 6 << 6


# --------------------------------------------------------------------------- real Lava


def random_layer(rng: np.random.Generator, kind: str) -> dict[str, Any]:
    m, n = int(rng.integers(1, 12)), int(rng.integers(1, 6))
    p = fixed(
        rng.integers(-256, 256, (n, m)),
        du=int(rng.integers(0, 4096)),
        dv=int(rng.integers(0, 4096)),
        vth=int(rng.integers(0, 400)),
        bias_mant=rng.integers(-60, 60, n),
        bias_exp=int(rng.integers(0, 8)),
        weight_exp=int(rng.integers(-3, 2)),
        num_weight_bits=int(rng.integers(4, 9)),
    )
    if kind == "excitatory":
        p["weight"] = np.abs(p["weight"]) % 256
    if kind == "wrap":  # sums << exponent << 6 beyond 2^23
        p["weight"] = rng.integers(150, 256, (n, m))
        p["weight_exp"] = np.asarray(7)
        p["vth"] = np.asarray(131071)
    if kind == "recurrent":
        p["weight_rec"] = rng.integers(-256, 256, (n, n))
    p["x"] = (rng.random((40, m)) < 0.4).astype(np.int64)
    return p


@needs_lava
def test_random_layers_equal_real_lava(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    cases = [random_layer(rng, kind) for kind in ("mixed", "excitatory", "wrap", "recurrent") for _ in range(3)]
    args = []
    for i, p in enumerate(cases):
        np.savez(tmp_path / f"in{i}.npz", **p)
        args += [str(tmp_path / f"in{i}.npz"), str(tmp_path / f"out{i}.npz")]
    proc = subprocess.run([str(LAVA_PYTHON), str(ORACLE), *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    wrapped = spiked = 0
    for i, p in enumerate(cases):
        lava = np.load(tmp_path / f"out{i}.npz")
        s, u, v = simulate(p, p["x"])
        np.testing.assert_array_equal(u, lava["u"], err_msg=f"u, case {i}")
        np.testing.assert_array_equal(v, lava["v"], err_msg=f"v, case {i}")
        np.testing.assert_array_equal(s, lava["s"], err_msg=f"spikes, case {i}")
        wrapped += int((np.abs(lava["u"]) > (1 << 22)).any())
        spiked += int(lava["s"].any())
    assert wrapped and spiked  # the cases reach the edges they are for


def trace(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A trace ``scripts/lava_probe.py`` recorded from real Lava (``data/NAME.npz``): the
    layer's parameters in this file's form, and the recording."""
    d = dict(np.load(Path(__file__).with_name("data") / f"{name}.npz"))
    assert not d["u0"].any() and not d["v0"].any() and len(set(d["bias_exp"].tolist())) == 1
    p = fixed(
        d["w"].astype(np.int64),
        du=int(d["du"]),
        dv=int(d["dv"]),
        vth=int(d["vth"]),
        bias_mant=d["bias_mant"].astype(np.int64),
        bias_exp=int(d["bias_exp"][0]),
        weight_exp=int(d["weight_exp"]),
        num_weight_bits=int(d["num_weight_bits"]),
        graded=int(d["num_message_bits"] > 0),
    )
    np.testing.assert_array_equal(effective_weights(d["w"], int(d["num_weight_bits"])), d["w_eff"])
    if "w_rec" in d:
        p |= {
            "weight_rec": d["w_rec"].astype(np.int64),
            "weight_exp_rec": np.asarray(int(d["rec_weight_exp"])),
            "num_weight_bits_rec": np.asarray(int(d["rec_num_weight_bits"])),
        }
        np.testing.assert_array_equal(effective_weights(d["w_rec"], int(d["rec_num_weight_bits"])), d["w_rec_eff"])
    return p, d


@pytest.mark.parametrize(
    "name",
    [
        # 200 inputs into odd mixed weights shifted left by 2: Dense sums beyond 16 bits,
        # u wrapped both ways, v at both rails
        "trace_overflow",
        # graded inputs in [-300, 300] into excitatory 5-bit weights shifted by 1, and a
        # recurrent Dense of its own (mixed signs, 8 bits, shifted by 3)
        "trace_graded_recurrent",
    ],
)
def test_traces_recorded_from_real_lava(name: str) -> None:
    """Equal step for step to what real Lava fixed_pt recorded, without Lava installed."""
    p, d = trace(name)
    s, u, v = simulate(p, d["x"])
    np.testing.assert_array_equal(u, d["u"])
    np.testing.assert_array_equal(v, d["v"])
    np.testing.assert_array_equal(s, d["s"])
    assert d["s"].any() and (np.abs(d["v"]) == (1 << 23) - 1).any()
