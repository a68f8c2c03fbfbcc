"""The `xylo` kernels (:mod:`nirc.targets.xylo.kernels`) against the chip's arithmetic.

1. Hand-computed cases from the equations of xylosim 0.1.3's C++ (``src/v2/cpp``), one
   or a few neurons: the decay's ``sign(v)`` rule for small positive and negative
   values, ``-decay(-32768)`` with dash 0 wrapping in int16, the saturation of ``i``
   (spike by spike, in channel order) and of ``v``, ``>=`` with the subtractive reset,
   the 31-spike cap, the readout's one spike with the excess kept, inputs clipped to 15,
   the latencies (input -> hidden in the step, hidden -> hidden and hidden -> readout
   one step later), aliases to a lower and to a higher id, a weight shift.
2. Random small quantized specifications (hypothesis) against :func:`reference`, a
   line-by-line transcription of the C++ in plain Python (one spike at a time, the
   synapse lists as rockpool builds them, ``safe_add`` as written), over a batch, also
   with the kernels' exact paths forced (the blockwise replay, blocks of two pres).
3. The same against rockpool's real ``XyloSim`` (``xylosim_oracle``; skipped with the
   reason where it is missing): Audio 2 with two synapses and aliases, IMU with one;
   output and hidden spikes, ``Vmem`` and ``Isyn`` equal at every step.
4. Float ops against a numpy computation of the float step.
5. A whole module ``xylo.hidden -> xylo.readout`` through the interpreter, ``nirc.run``
   and the ``nir-run`` tool, with recorded states.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64

import nirc
from nirc.core.errors import NircError
from nirc.core.rewriting import build
from nirc.core.semantics import Semantics
from nirc.core.verify import verify_module
from nirc.dialects import nir
from nirc.targets.xylo import kernels
from nirc.targets.xylo.dialect import HiddenOp, ReadoutOp
from nirc.targets.xylo.kernels import HiddenKernel, ReadoutKernel

sys.path.insert(0, str(Path(__file__).parent))
import xylosim_oracle as oracle

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INT16_MIN, INT16_MAX = -(1 << 15), (1 << 15) - 1


# --------------------------------------------------------------------------------------
# building modules
# --------------------------------------------------------------------------------------


def make_module(
    w_in: np.ndarray,
    w_rec: np.ndarray,
    w_out: np.ndarray,
    *,
    threshold: Any = 32767,
    bias: Any = 0,
    dash_mem: Any = 15,
    dash_syn: Any = 15,
    threshold_out: Any = 32767,
    bias_out: Any = 0,
    dash_mem_out: Any = 15,
    dash_syn_out: Any = 15,
    shifts: tuple[int, int, int] = (0, 0, 0),
    aliases: np.ndarray | None = None,
    integer: bool = True,
) -> tuple[ModuleOp, HiddenOp, ReadoutOp]:
    """``in -> xylo.hidden "hidden" -> xylo.readout "readout" -> out`` (and the hidden
    spikes to a second output, ``hid``); scalars broadcast to every neuron."""
    n, c, s = w_in.shape
    m = w_out.shape[0]
    pdtype = (np.int16 if integer else np.float32, np.int8 if integer else np.float32)

    def per(value: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value), shape).astype(dtype)

    x = build(nir.InputOp, "in", [], {"shape": np.array([c])}, (c,))
    hidden_params: dict[str, Any] = {
        "w_in": w_in.astype(pdtype[1]),
        "w_rec": w_rec.astype(pdtype[1]),
        "threshold": per(threshold, (n,), pdtype[0]),
        "bias": per(bias, (n,), pdtype[0]),
        "dash_mem": per(dash_mem, (n,), np.int64),
        "dash_syn": per(dash_syn, (n, s), np.int64),
        "weight_shift_in": IntegerAttr(shifts[0], i64),
        "weight_shift_rec": IntegerAttr(shifts[1], i64),
    }
    if aliases is not None:
        hidden_params["aliases"] = np.asarray(aliases, dtype=np.int64)
    h = build(HiddenOp, "hidden", [x.results[0]], hidden_params, (n,))
    readout_params = {
        "w_out": w_out.astype(pdtype[1]),
        "threshold": per(threshold_out, (m,), pdtype[0]),
        "bias": per(bias_out, (m,), pdtype[0]),
        "dash_mem": per(dash_mem_out, (m,), np.int64),
        "dash_syn": per(dash_syn_out, (m,), np.int64),
        "weight_shift_out": IntegerAttr(shifts[2], i64),
    }
    o = build(ReadoutOp, "readout", [h.results[0]], readout_params, (m,))
    out = build(nir.OutputOp, "out", [o.results[0]], {"shape": np.array([m])}, None)
    hid = build(nir.OutputOp, "hid", [h.results[0]], {"shape": np.array([n])}, None)
    module = ModuleOp([nir.GraphOp([x, h, o, out, hid])])
    verify_module(module)
    return module, h, o


def run_kernels(hidden: HiddenOp, readout: ReadoutOp, x: np.ndarray, dtype: str = "float64") -> dict[str, np.ndarray]:
    """The two kernels on ``x`` (``(T, B, C)``): spikes and recorded states, ``(T, B, ...)``."""
    sem = Semantics(dtype=dtype)
    hk, rk = HiddenKernel(hidden, sem), ReadoutKernel(readout, sem)
    for k in (hk, rk):
        k.reset(x.shape[1])
        k.records = {"v": [], "i": []}
    spikes = hk.run(np.asarray(x, dtype=sem.dtype))
    output = rk.run(spikes)
    return {
        "spikes": spikes,
        "output": output,
        "v": np.stack(hk.records["v"]),
        "i": np.stack(hk.records["i"]),
        "v_out": np.stack(rk.records["v"]),
        "i_out": np.stack(rk.records["i"]),
    }


def one(**params: Any) -> tuple[ModuleOp, HiddenOp, ReadoutOp]:
    """One input channel, one hidden neuron, one readout; ``w_in``/``w_rec``/``w_out``
    scalars."""
    w_in = np.full((1, 1, 1), params.pop("w_in", 0))
    w_rec = np.full((1, 1, 1), params.pop("w_rec", 0))
    w_out = np.full((1, 1), params.pop("w_out", 0))
    return make_module(w_in, w_rec, w_out, **params)


def single(x: list[int], **params: Any) -> dict[str, np.ndarray]:
    """:func:`one` on one channel's counts ``x``; results for that one sample."""
    _, h, o = one(**params)
    res = run_kernels(h, o, np.asarray(x, dtype=np.float64).reshape(-1, 1, 1))
    return {k: v.reshape(len(x), -1)[:, 0] for k, v in res.items()}


# --------------------------------------------------------------------------------------
# 1. hand-computed cases
# --------------------------------------------------------------------------------------


def test_decay_takes_at_least_one_towards_zero_for_small_positive_values() -> None:
    # i = 3 (one spike of 3); decay(3, 2) = 3 >> 2 = 0 -> sign = 1: 3 -> 2 -> 1 -> 0
    res = single([1, 0, 0, 0], w_in=3, dash_syn=2)
    assert res["i"].tolist() == [2, 1, 0, 0]
    # v with dash_mem 15: +2 -> 2; -decay(2) = -1, +1 -> 2; -1 + 0 -> 1; -1 -> 0
    assert res["v"].tolist() == [2, 2, 1, 0]


def test_decay_of_small_negative_values_is_the_arithmetic_shift() -> None:
    # decay(-3, 2) = -3 >> 2 = -1 (never 0 for a negative value): -3 -> -2 -> -1 -> 0
    res = single([1, 0, 0, 0], w_in=-3, dash_syn=2)
    assert res["i"].tolist() == [-2, -1, 0, 0]
    # v: -2; decay(-2, 15) = -1 -> dv = 1 - 1 = 0: -2; 1 + 0: -1; 1: 0
    assert res["v"].tolist() == [-2, -2, -1, 0]


def test_minus_decay_of_int16_min_with_dash_zero_wraps() -> None:
    # three spikes of -128 << 7 = -16384 saturate i at -32768; dash_syn 15 takes 1 off:
    # i = -32767; dv = -32767 + bias -1 = -32768 -> v = -32768.  Next step decay(v, 0) is
    # -32768 and -(-32768) is -32768 again as int16: dv = sat(-32768 + i) stays -32768
    # and v stays -32768 (a positive dv of 32768 would have given v = -32767)
    res = single([3, 0, 0], w_in=-128, shifts=(7, 0, 0), dash_mem=0, dash_syn=15, bias=-1)
    assert res["i"].tolist() == [-32767, -32766, -32765]
    assert res["v"].tolist() == [-32768, -32768, -32768]


def test_synaptic_state_saturates_spike_by_spike_in_channel_order() -> None:
    # channel 0: 3 spikes of 127 << 7 = 16256 (16256, 32512, then 32767: saturated);
    # channel 1: 2 spikes of -100 << 7 = -12800 -> 7167; decay(7167, 15) = 1 -> 7166.
    # (Summed at once it would be 23168; channel 1 first, 23168 too but via -25600.)
    w_in = np.array([[[127], [-100]]])
    _, h, o = make_module(w_in, np.zeros((1, 1, 1)), np.zeros((1, 1)), shifts=(7, 0, 0))
    res = run_kernels(h, o, np.array([[[3, 2]]], dtype=float))
    assert res["i"][0, 0, 0, 0] == 7166
    # the other order never saturates: -25600, then +16256 x 3 -> 23168
    w_in = np.array([[[-100], [127]]])
    _, h, o = make_module(w_in, np.zeros((1, 1, 1)), np.zeros((1, 1)), shifts=(7, 0, 0))
    res = run_kernels(h, o, np.array([[[2, 3]]], dtype=float))
    assert res["i"][0, 0, 0, 0] == 23168 - 1


def test_membrane_saturates_and_spikes_at_equality() -> None:
    # bias 20000, threshold 32767: v = 20000; then -1 + 20000 -> 39999 saturates to
    # 32767 = threshold: one spike (>=), v = 0
    res = single([0, 0, 0], bias=20000, threshold=32767)
    assert res["v"].tolist() == [20000, 0, 20000]
    assert res["spikes"].tolist() == [0, 1, 0]


def test_spikes_subtract_one_threshold_each() -> None:
    # threshold 10, bias 25: v = 25 -> 2 spikes, 5; -1 + 25 -> 29 -> 2, 9; -> 33 -> 3, 3
    res = single([0, 0, 0], bias=25, threshold=10)
    assert res["spikes"].tolist() == [2, 2, 3]
    assert res["v"].tolist() == [5, 9, 3]
    res = single([0], bias=20, threshold=10)  # v == 2 thresholds: 2 spikes, v = 0
    assert res["spikes"].tolist() == [2] and res["v"].tolist() == [0]


def test_hidden_spikes_are_capped_at_31_and_the_rest_is_kept() -> None:
    res = single([0, 0], bias=100, threshold=1)
    assert res["spikes"].tolist() == [31, 31]
    assert res["v"].tolist() == [69, 137]


def test_readout_spikes_once_and_keeps_the_excess() -> None:
    res = single([0, 0], bias_out=25, threshold_out=10)
    assert res["output"].tolist() == [1, 1]
    assert res["v_out"].tolist() == [15, 29]


def test_input_counts_are_clipped_to_15() -> None:
    assert single([20], w_in=1)["i"].tolist() == [14]  # 15 - decay(15, 15) = 15 - 1
    assert single([15], w_in=1)["i"].tolist() == [14]
    assert single([14], w_in=1)["i"].tolist() == [13]


def test_weight_shift() -> None:
    assert single([1], w_in=3, shifts=(4, 0, 0))["i"].tolist() == [47]  # 3 << 4 = 48, - 1
    assert single([2], w_in=-3, shifts=(4, 0, 0))["i"].tolist() == [-96 - (-96 >> 15)]


def test_latencies_input_same_step_recurrent_and_readout_one_step_late() -> None:
    # neuron 0 spikes from its input in step 0 (i = 100 - 50, v = 50 = threshold);
    # neuron 1 only hears it (w_rec) in step 1; the readout hears neuron 0 in step 1 and
    # neuron 1 in step 2 (and then the halving currents stay below threshold)
    w_in = np.array([[[100]], [[0]]])
    w_rec = np.zeros((2, 2, 1))
    w_rec[1, 0, 0] = 100
    w_out = np.array([[100, 0], [0, 100]])
    _, h, o = make_module(w_in, w_rec, w_out, threshold=50, threshold_out=50, dash_syn=1, dash_syn_out=1)
    res = run_kernels(h, o, np.array([1, 0, 0, 0], dtype=float).reshape(4, 1, 1))
    assert res["spikes"][:, 0].tolist() == [[1, 0], [0, 1], [0, 0], [0, 0]]
    assert res["output"][:, 0].tolist() == [[0, 0], [1, 0], [0, 1], [0, 0]]
    assert res["i_out"][0, 0].tolist() == [0, 0]


def test_aliases_to_a_lower_and_to_a_higher_id() -> None:
    # thresholds 10, biases 25 / 35 / 45: own counts 2, 3, 4.  alias 0 -> 2 (higher):
    # neuron 2 starts from 0's 2 spikes and adds its own 4 (6); alias 1 -> 0 (lower):
    # neuron 0, already evolved, gets 1's 3 spikes after (5) -- after it passed its own
    # count to 2, so 2 has 6, not 9
    z = np.zeros
    _, h, o = make_module(
        z((3, 1, 1)), z((3, 3, 1)), z((1, 3)), threshold=10, bias=[25, 35, 45], aliases=np.array([2, 0, -1])
    )
    res = run_kernels(h, o, z((2, 1, 1)))
    assert res["spikes"][0, 0].tolist() == [5, 3, 6]
    assert res["v"][0, 0].tolist() == [5, 5, 5]  # each subtracted its own spikes only
    # the starting count takes from the cap: neuron 2 (threshold 1, v = 40) starts at 2
    # and may add 29; the other 11 stay in v
    _, h, o = make_module(
        z((3, 1, 1)),
        z((3, 3, 1)),
        z((1, 3)),
        threshold=[10, 10, 1],
        bias=[25, 35, 40],
        aliases=np.array([2, 0, -1]),
    )
    res = run_kernels(h, o, z((1, 1, 1)))
    assert res["spikes"][0, 0].tolist() == [5, 3, 31]
    assert res["v"][0, 0].tolist() == [5, 5, 11]


def test_input_must_be_whole_non_negative_counts() -> None:
    _, h, _ = one(w_in=1)
    k = HiddenKernel(h, Semantics())
    k.reset(1)
    for bad in (-1.0, 0.5):
        with pytest.raises(NircError) as err:
            k.run(np.full((1, 1, 1), bad))
        assert err.value.rule == "xylo-input"


# --------------------------------------------------------------------------------------
# 2. the C++, transcribed
# --------------------------------------------------------------------------------------


def _i16(x: int) -> int:
    return (x + 32768) % 65536 - 32768


def _safe_add(x: int, y: int) -> int:
    """``safe_add(x, y, 16)`` as written in XyloIAFNeuron.h."""
    max_val = 2**15 - 1
    if y < 0:
        max_val = -(2**15)
    return x + y if abs(max_val - x) > abs(y) else max_val


def _decay(v: int, dash: int) -> int:
    dv = v >> dash
    if dv == 0:
        dv = 1 if v > 0 else -1 if v < 0 else 0
    return dv


class _Neuron:
    def __init__(self, dash_mem: int, dash_syns: list[int], th: int, bias: int):
        self.dash_mem, self.dash_syns, self.th, self.bias = dash_mem, dash_syns, th, bias
        self.v = 0
        self.i = [0] * len(dash_syns)

    def receive(self, weight: int, syn: int) -> None:
        self.i[syn] = _safe_add(self.i[syn], _i16(weight))

    def evolve(self, n: int, cap: int) -> int:
        for s, dash in enumerate(self.dash_syns):
            self.i[s] = _i16(self.i[s] - _decay(self.i[s], dash))
        total = sum(self.i)
        dv = _i16(-_decay(self.v, self.dash_mem))
        dv = _i16(_safe_add(dv, total))
        dv = _safe_add(dv, self.bias)
        self.v = _safe_add(self.v, dv)
        while self.v >= self.th:
            if n < cap:
                n += 1
                self.v = _i16(self.v - self.th)
            else:
                break
        return n


def reference(hidden: HiddenOp, readout: ReadoutOp, x: np.ndarray) -> dict[str, np.ndarray]:
    """``XyloLayer::evolve`` in plain Python for one sample ``x`` (``(T, C)``): spikes
    and states after each step, as :func:`run_kernels` gives them for one sample."""
    w_in, w_rec = np.asarray(hidden.param("w_in")), np.asarray(hidden.param("w_rec"))
    w_out = np.asarray(readout.param("w_out"))
    n_hid, _, s = w_in.shape
    m = w_out.shape[0]
    aliases = hidden.opt_param("aliases")
    alias_lists = [
        [] if aliases is None or a < 0 else [int(a)] for a in (aliases if aliases is not None else [-1] * n_hid)
    ]

    def synapse_lists(w: np.ndarray) -> list[list[tuple[int, int, int]]]:
        """Per pre: (post, synapse, weight), posts ascending for synapse 0 then 1 (rockpool's
        ``from_specification``); ``w`` is ``[post, pre, synapse]``."""
        out = []
        for pre in range(w.shape[1]):
            out.append(
                [
                    (post, syn, int(w[post, pre, syn]))
                    for syn in range(w.shape[2])
                    for post in range(w.shape[0])
                    if w[post, pre, syn]
                ]
            )
        return out

    syn_in, syn_rec, syn_out = synapse_lists(w_in), synapse_lists(w_rec), synapse_lists(w_out[:, :, None])
    th, bias, dm, ds = (np.asarray(hidden.param(k)).tolist() for k in ("threshold", "bias", "dash_mem", "dash_syn"))
    neurons = [_Neuron(dm[j], ds[j], th[j], bias[j]) for j in range(n_hid)]
    th_o, bias_o, dm_o, ds_o = (
        np.asarray(readout.param(k)).tolist() for k in ("threshold", "bias", "dash_mem", "dash_syn")
    )
    outs = [_Neuron(dm_o[k], [ds_o[k]], th_o[k], bias_o[k]) for k in range(m)]
    shift_in, shift_rec, shift_out = (
        hidden.shift("weight_shift_in"),
        hidden.shift("weight_shift_rec"),
        readout.shift("weight_shift_out"),
    )

    def deliver(spikes: list[int], synapses: list, targets: list[_Neuron], cap: int, shift: int) -> None:
        for pre, count in enumerate(spikes):
            for post, syn, w in synapses[pre]:
                for _ in range(min(count, cap)):
                    targets[post].receive(w << shift, syn)

    def evolve(population: list[_Neuron], alias: list[list[int]] | None, cap: int, buffer: list[int]) -> None:
        for j, neuron in enumerate(population):
            buffer[j] = neuron.evolve(buffer[j], cap)
            for a in alias[j] if alias is not None else []:
                buffer[a] = cap if buffer[a] + buffer[j] > cap else buffer[a] + buffer[j]

    recurrent = [0] * n_hid
    rec: dict[str, list] = {k: [] for k in ("spikes", "output", "v", "i", "v_out", "i_out")}
    for t in range(x.shape[0]):
        deliver([int(v) for v in x[t]], syn_in, neurons, 15, shift_in)
        deliver(recurrent, syn_rec, neurons, 31, shift_rec)
        deliver(recurrent, syn_out, outs, 31, shift_out)
        recurrent, out_spikes = [0] * n_hid, [0] * m
        evolve(neurons, alias_lists, 31, recurrent)
        evolve(outs, None, 1, out_spikes)
        rec["spikes"].append(list(recurrent))
        rec["output"].append(out_spikes)
        rec["v"].append([nn.v for nn in neurons])
        rec["i"].append([list(nn.i) for nn in neurons])
        rec["v_out"].append([nn.v for nn in outs])
        rec["i_out"].append([nn.i[0] for nn in outs])
    return {
        k: np.array(v, dtype=np.int64).reshape(x.shape[0], *shape)
        for (k, v), shape in zip(rec.items(), [(n_hid,), (m,), (n_hid,), (n_hid, s), (m,), (m,)], strict=True)
    }


@st.composite
def specs(
    draw: st.DrawFn,
    max_hidden: int = 6,
    max_channels: int = 4,
    max_out: int = 3,
    synapses: tuple[int, ...] = (1, 2),
    aliases: bool = True,
    steps: int = 12,
) -> dict[str, Any]:
    """A random quantized specification and input: sizes, then each parameter group at
    a drawn scale (large weights with large shifts saturate)."""
    n = draw(st.integers(1, max_hidden))
    c = draw(st.integers(1, max_channels))
    m = draw(st.integers(1, max_out))
    s = draw(st.sampled_from(synapses))
    t = draw(st.integers(1, steps))
    seed = draw(st.integers(0, 2**32 - 1))
    shifts = tuple(draw(st.integers(0, 7)) for _ in range(3))
    density = draw(st.sampled_from([0.2, 0.6, 1.0]))
    th_max = draw(st.sampled_from([4, 300, 32767]))
    bias_max = draw(st.sampled_from([0, 50, 32767]))
    in_max = draw(st.sampled_from([1, 3, 20]))
    rng = np.random.default_rng(seed)

    def weights(*shape: int) -> np.ndarray:
        return (rng.integers(-128, 128, shape) * (rng.random(shape) < density)).astype(np.int8)

    params = {
        "w_in": weights(n, c, s),
        "w_rec": weights(n, n, s),
        "w_out": weights(m, n),
        "threshold": rng.integers(1, th_max + 1, n),
        "bias": rng.integers(-bias_max, bias_max + 1, n),
        "dash_mem": rng.integers(0, 16, n),
        "dash_syn": rng.integers(0, 16, (n, s)),
        "threshold_out": rng.integers(1, th_max + 1, m),
        "bias_out": rng.integers(-bias_max, bias_max + 1, m),
        "dash_mem_out": rng.integers(0, 16, m),
        "dash_syn_out": rng.integers(0, 16, m),
        "shifts": shifts,
    }
    if aliases and draw(st.booleans()):
        target = rng.integers(0, n, n)
        # a neuron does not alias itself (the verifier refuses it)
        params["aliases"] = np.where((rng.random(n) < 0.5) & (target != np.arange(n)), target, -1)
    batch = draw(st.integers(2, 3))
    x = rng.integers(0, in_max + 1, (t, batch, c)) * (rng.random((t, batch, c)) < 0.7)
    return {"params": params, "x": x}


def _check_against_reference(case: dict[str, Any]) -> None:
    p = dict(case["params"])
    _, h, o = make_module(p.pop("w_in"), p.pop("w_rec"), p.pop("w_out"), **p)
    ours = run_kernels(h, o, case["x"].astype(float))
    for b in range(case["x"].shape[1]):
        theirs = reference(h, o, case["x"][:, b])
        for key, want in theirs.items():
            np.testing.assert_array_equal(ours[key][:, b], want, err_msg=f"{key}, sample {b}")


@SETTINGS
@given(case=specs())
def test_random_specs_equal_the_transcribed_cpp(case: dict[str, Any]) -> None:
    _check_against_reference(case)


@SETTINGS
@given(case=specs(max_hidden=10, max_channels=6))
def test_random_specs_equal_the_transcribed_cpp_on_the_exact_paths(case: dict[str, Any]) -> None:
    """The saturating states replayed block by block, in blocks of two pres."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "_REPLAY_DIRECT", 0)
        mp.setattr(kernels, "_BLOCK", 2)
        _check_against_reference(case)


def test_saturating_sum_equals_the_sequential_clamp() -> None:
    rng = np.random.default_rng(0)
    for k_len in (1, 5, 9, 33, 100):
        steps = rng.integers(-40000, 40000, (50, k_len)) * (rng.random((50, k_len)) < 0.7)
        start = rng.integers(INT16_MIN, INT16_MAX + 1, 50)
        want = start.copy()
        for k in range(k_len):
            want = np.clip(want + steps[:, k], INT16_MIN, INT16_MAX)
        np.testing.assert_array_equal(kernels.saturating_sum(start, steps), want)


# --------------------------------------------------------------------------------------
# 3. rockpool's XyloSim
# --------------------------------------------------------------------------------------

MISSING = oracle.xylosim_available()


@pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.one_of(
        specs(max_hidden=40, max_channels=16, max_out=8, synapses=(2,), aliases=True, steps=40).map(
            lambda c: ("audio2", c)
        ),
        specs(max_hidden=40, max_channels=16, max_out=16, synapses=(1,), aliases=False, steps=40).map(
            lambda c: ("imu", c)
        ),
    )
)
def test_random_specs_equal_xylosim(case: tuple[str, dict[str, Any]]) -> None:
    chip, case = case
    p = dict(case["params"])
    _, h, o = make_module(p.pop("w_in"), p.pop("w_rec"), p.pop("w_out"), **p)
    ours = run_kernels(h, o, case["x"].astype(float))
    spec = oracle.spec_from_ops(h, o, 1e-3)
    sim = oracle.build_xylosim(spec, chip)
    for b in range(case["x"].shape[1]):
        theirs = oracle.run_xylosim(spec, case["x"][:, b], chip, sim)
        np.testing.assert_array_equal(ours["output"][:, b], theirs["output"], err_msg=f"readout spikes, {b}")
        np.testing.assert_array_equal(ours["spikes"][:, b], theirs["spikes"], err_msg=f"hidden spikes, {b}")
        np.testing.assert_array_equal(ours["v"][:, b], theirs["vmem"], err_msg=f"Vmem, {b}")
        np.testing.assert_array_equal(ours["i"][:, b, :, 0], theirs["isyn"], err_msg=f"Isyn, {b}")
        if h.synapses == 2:
            np.testing.assert_array_equal(ours["i"][:, b, :, 1], theirs["isyn2"], err_msg=f"Isyn2, {b}")
        np.testing.assert_array_equal(ours["v_out"][:, b], theirs["vmem_out"], err_msg=f"Vmem_out, {b}")
        np.testing.assert_array_equal(ours["i_out"][:, b], theirs["isyn_out"], err_msg=f"Isyn_out, {b}")


# --------------------------------------------------------------------------------------
# 4. float ops
# --------------------------------------------------------------------------------------


def test_float_ops_run_the_same_step_in_floats() -> None:
    rng = np.random.default_rng(3)
    n, c, m, s, t, b = 12, 5, 3, 2, 40, 4
    w_in, w_rec, w_out = rng.normal(0, 1, (n, c, s)), rng.normal(0, 0.5, (n, n, s)), rng.normal(0, 1, (m, n))
    th, th_o = rng.uniform(0.5, 2, n), rng.uniform(0.5, 2, m)
    bias, bias_o = rng.normal(0, 0.1, n), rng.normal(0, 0.1, m)
    dm, ds, dm_o, ds_o = rng.integers(0, 6, n), rng.integers(0, 6, (n, s)), rng.integers(0, 6, m), rng.integers(0, 6, m)
    shifts = (1, 0, 2)
    _, h, o = make_module(
        w_in,
        w_rec,
        w_out,
        threshold=th,
        bias=bias,
        dash_mem=dm,
        dash_syn=ds,
        threshold_out=th_o,
        bias_out=bias_o,
        dash_mem_out=dm_o,
        dash_syn_out=ds_o,
        shifts=shifts,
        integer=False,
    )
    x = rng.integers(0, 20, (t, b, c)) * (rng.random((t, b, c)) < 0.4)
    ours = run_kernels(h, o, x.astype(float))
    # numpy: the parameters as the op stores them (float32), the step in float64
    f = {k: np.asarray(h.param(k), dtype=np.float64) for k in ("w_in", "w_rec", "threshold", "bias")}
    g = {k: np.asarray(o.param(k), dtype=np.float64) for k in ("w_out", "threshold", "bias")}
    win, wrec, wout = f["w_in"] * 2.0 ** shifts[0], f["w_rec"] * 2.0 ** shifts[1], g["w_out"] * 2.0 ** shifts[2]
    a_syn, a_mem = 1 - 2.0 ** -ds.astype(float), 1 - 2.0 ** -dm.astype(float)
    a_syn_o, a_mem_o = 1 - 2.0 ** -ds_o.astype(float), 1 - 2.0 ** -dm_o.astype(float)
    i, v, hs = np.zeros((b, n, s)), np.zeros((b, n)), np.zeros((b, n))
    io, vo = np.zeros((b, m)), np.zeros((b, m))
    for step in range(t):
        xin = np.minimum(x[step], 15)
        last = hs
        i = (i + np.einsum("bc,ncs->bns", xin, win) + np.einsum("bp,nps->bns", last, wrec)) * a_syn
        v = v * a_mem + i.sum(axis=2) + f["bias"]
        hs = np.where(v >= f["threshold"], np.minimum(31, np.maximum(1, np.floor(v / f["threshold"]))), 0)
        v = v - hs * f["threshold"]
        io = (io + last @ wout.T) * a_syn_o
        vo = vo * a_mem_o + io + g["bias"]
        out = (vo >= g["threshold"]).astype(float)
        vo = vo - out * g["threshold"]
        np.testing.assert_array_equal(ours["spikes"][step], hs, err_msg=f"hidden spikes, step {step}")
        np.testing.assert_array_equal(ours["output"][step], out, err_msg=f"readout spikes, step {step}")
        np.testing.assert_allclose(ours["v"][step], v, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours["i"][step], i, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours["v_out"][step], vo, rtol=1e-9, atol=1e-9)
    assert ours["spikes"].sum() > 0 and ours["output"].sum() > 0


# --------------------------------------------------------------------------------------
# 5. the interpreter
# --------------------------------------------------------------------------------------


def _interp_case() -> tuple[ModuleOp, HiddenOp, ReadoutOp, np.ndarray]:
    rng = np.random.default_rng(11)
    n, c, m, s = 9, 4, 3, 2
    module, h, o = make_module(
        rng.integers(-128, 128, (n, c, s)),
        rng.integers(-128, 128, (n, n, s)) * (rng.random((n, n, s)) < 0.4),
        rng.integers(-128, 128, (m, n)),
        threshold=rng.integers(100, 3000, n),
        bias=rng.integers(-50, 50, n),
        dash_mem=rng.integers(1, 6, n),
        dash_syn=rng.integers(1, 6, (n, s)),
        threshold_out=rng.integers(100, 3000, m),
        dash_mem_out=3,
        dash_syn_out=2,
        shifts=(4, 3, 3),
        aliases=np.array([-1, 4, -1, -1, -1, -1, 2, -1, -1]),
    )
    x = rng.integers(0, 4, (3, 30, c)) * (rng.random((3, 30, c)) < 0.5)  # (B, T, C)
    return module, h, o, x


def test_a_module_runs_through_the_interpreter() -> None:
    module, h, o, x = _interp_case()
    result = nirc.run(module, x.astype(float), record=["hidden", "readout"])
    want = run_kernels(h, o, np.swapaxes(x, 0, 1).astype(float))
    np.testing.assert_array_equal(result.outputs["out"], np.swapaxes(want["output"], 0, 1))
    np.testing.assert_array_equal(result.outputs["hid"], np.swapaxes(want["spikes"], 0, 1))
    assert result.records["hidden"]["i"].shape == (3, 30, 9, 2)
    assert result.records["readout"]["v"].shape == (3, 30, 3)
    for b in range(x.shape[0]):
        theirs = reference(h, o, x[b])
        np.testing.assert_array_equal(result.outputs["out"][b], theirs["output"])
        np.testing.assert_array_equal(result.records["hidden"]["v"][b], theirs["v"])
        np.testing.assert_array_equal(result.records["hidden"]["i"][b], theirs["i"])
        np.testing.assert_array_equal(result.records["readout"]["i"][b], theirs["i_out"])
    assert result.outputs["out"].sum() > 0


def test_stepping_and_float32_runs_give_the_same_spikes() -> None:
    """``step`` (how the executor runs a node inside a cycle) and a float32 interpreter
    give what ``run`` gives in float64."""
    _, h, o, x = _interp_case()
    xs = np.swapaxes(x, 0, 1).astype(float)
    want = run_kernels(h, o, xs)
    np.testing.assert_array_equal(run_kernels(h, o, xs, dtype="float32")["output"], want["output"])
    sem = Semantics()
    hk, rk = HiddenKernel(h, sem), ReadoutKernel(o, sem)
    hk.reset(xs.shape[1])
    rk.reset(xs.shape[1])
    for t in range(xs.shape[0]):
        spikes = hk.step(xs[t])
        np.testing.assert_array_equal(spikes, want["spikes"][t])
        np.testing.assert_array_equal(rk.step(spikes), want["output"][t])


def test_nir_run_runs_a_xylo_module(tmp_path: Path, tool: Any) -> None:
    module, _, _, x = _interp_case()
    nirc.write(module, tmp_path / "model.mlir")
    np.save(tmp_path / "x.npy", x.astype(float))
    res = tool("nir-run", tmp_path / "model.mlir", "--input", tmp_path / "x.npy", "-o", tmp_path / "out.npz")
    assert res.code == 0, res.stderr
    got = np.load(tmp_path / "out.npz")
    want = nirc.run(module, x.astype(float))
    np.testing.assert_array_equal(got["out"], want.outputs["out"])
    np.testing.assert_array_equal(got["hid"], want.outputs["hid"])
