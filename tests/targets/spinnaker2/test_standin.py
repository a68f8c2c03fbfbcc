"""Tests of the py-spinnaker2 stand-in (tests/targets/spinnaker2/standin/spinnaker2) itself.

The stand-in is not py-spinnaker2: it is written from py-spinnaker2's documented API.  These
tests check its chip model against traces computed by hand or by direct loops, and that it
rejects what the documented API does not accept.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "standin"))

import numpy as np
import pytest
from spinnaker2 import hardware, helpers, snn

LIF = {"threshold": 10.0, "alpha_decay": 0.5}


def chip():
    return hardware.SpiNNaker2Chip(eth_ip="192.168.1.25")


def run(*objects, timesteps):
    net = snn.Network("test net")
    net.add(*objects)
    net.validate()
    chip().run(net, timesteps, sys_tick_in_s=1e-3)
    return net


def test_modules_say_they_are_a_stand_in():
    import spinnaker2

    for module in (spinnaker2, snn, hardware, helpers):
        assert "stand-in" in module.__doc__
        assert "NOT py-spinnaker2" in module.__doc__


# --- the chip model -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reset", "expected_v", "expected_spikes"),
    [
        # v = 0.5 v + I + 1 with I = 6 at steps 0, 1, 2, 4; threshold 10
        ("reset_by_subtraction", [7.0, 0.5, 7.25, 4.625, 9.3125, 5.65625], [1]),
        # the same, but a spike sets v to v_reset = -2
        ("reset_to_v_reset", [7.0, -2.0, 6.0, 4.0, 9.0, 5.5], [1]),
    ],
)
def test_lif_no_delay_trace(reset, expected_v, expected_spikes):
    stim = snn.Population(size=1, neuron_model="spike_list", params={0: [0, 1, 2, 4]}, name="in")
    params = {"threshold": 10.0, "alpha_decay": np.array([0.5]), "i_offset": 1.0, "v_reset": -2.0, "reset": reset}
    pop = snn.Population(1, "lif_no_delay", params, "pop", ["spikes", "v"])
    proj = snn.Projection(pre=stim, post=pop, connections=[[0, 0, 6.0, 0]])
    run(stim, pop, proj, timesteps=6)
    v = pop.get_voltages()
    assert v[0].dtype == np.float32 and v[0].shape == (6,)
    np.testing.assert_array_equal(v[0], np.array(expected_v, dtype=np.float32))
    assert pop.get_spikes() == {0: expected_spikes}


def test_threshold_is_strict():
    stim = snn.Population(1, "spike_list", {0: [0, 1]})
    pop = snn.Population(2, "lif_no_delay", {"threshold": 10.0, "alpha_decay": 0.0}, record=["spikes", "v"])
    # neuron 0 reaches exactly the threshold (no spike), neuron 1 one more (spike, v = 11 - 10)
    proj = snn.Projection(stim, pop, [[0, 0, 10, 0], [0, 1, 11, 0]])
    run(stim, pop, proj, timesteps=2)
    assert pop.get_spikes() == {0: [], 1: [0, 1]}
    np.testing.assert_array_equal(pop.get_voltages()[1], [1.0, 1.0])


def test_lif_curr_exp_trace():
    # input 0 excites (+4) and inhibits (-1) through two synapses; input 1 inhibits (-3)
    stim = snn.Population(2, "spike_list", {0: [0, 1, 3], 1: [2]}, name="in")
    params = {"threshold": 5.0, "alpha_decay": 0.5, "exc_decay": 0.5, "inh_decay": 0.25, "t_refrac": 0}
    pop = snn.Population(1, "lif_curr_exp_no_delay", params, name="pop", record=["spikes", "v"])
    proj = snn.Projection(stim, pop, [[0, 0, 4, 0], [0, 0, -1, 0], [1, 0, -3, 0]])
    run(stim, pop, proj, timesteps=5)
    # I_exc: 4, 6, 3, 5.5, 2.75; I_inh: 1, 1.25, 3.3125, 1.828125, 0.45703125
    # v: 3, 6.25 -> spike -> 1.25, 0.3125, 3.828125, 4.20703125
    expected = np.array([3.0, 1.25, 0.3125, 3.828125, 4.20703125], dtype=np.float32)
    np.testing.assert_array_equal(pop.get_voltages()[0], expected)
    assert pop.get_spikes() == {0: [1]}


def test_float32_arithmetic_order():
    # v = (alpha * v + I) + i_offset in float32, compared with numpy float32 step by step
    alpha, offset = np.float32(0.9), np.float32(0.1)
    stim = snn.Population(1, "spike_list", {0: [0, 2, 3]})
    pop = snn.Population(1, "lif_no_delay", {"threshold": 1e6, "alpha_decay": 0.9, "i_offset": 0.1}, record=["v"])
    run(stim, pop, snn.Projection(stim, pop, [[0, 0, 3, 0]]), timesteps=5)
    v, expected = np.float32(0), []
    for t in range(5):
        v = alpha * v + np.float32(3 if t in (0, 2, 3) else 0) + offset
        expected.append(v)
    np.testing.assert_array_equal(pop.get_voltages()[0], np.array(expected, dtype=np.float32))


def direct_conv(image, weights, p):
    """PyTorch-style sum pooling then cross-correlation by plain loops (weights (in, out, kH, kW))."""
    c_in, h, w = image.shape
    ph, pw = h // p["pool_x"], w // p["pool_y"]
    pooled = np.zeros((c_in, ph, pw))
    for c in range(c_in):
        for i in range(ph):
            for j in range(pw):
                rows = slice(i * p["pool_x"], (i + 1) * p["pool_x"])
                cols = slice(j * p["pool_y"], (j + 1) * p["pool_y"])
                pooled[c, i, j] = image[c, rows, cols].sum()
    padded = np.zeros((c_in, ph + p["pad_top"] + p["pad_bottom"], pw + p["pad_left"] + p["pad_right"]))
    padded[:, p["pad_top"] : p["pad_top"] + ph, p["pad_left"] : p["pad_left"] + pw] = pooled
    _, c_out, kh, kw = weights.shape
    out_h = (padded.shape[1] - kh) // p["stride_x"] + 1
    out_w = (padded.shape[2] - kw) // p["stride_y"] + 1
    out = np.zeros((c_out, out_h, out_w))
    for o in range(c_out):
        for i in range(out_h):
            for j in range(out_w):
                r, c = i * p["stride_x"], j * p["stride_y"]
                for ci in range(c_in):
                    out[o, i, j] += (padded[ci, r : r + kh, c : c + kw] * weights[ci, o]).sum()
    return out


def conv_params(h, w, stride=(1, 1), pool=(1, 1), pad=(0, 0, 0, 0)):
    return {
        "in_height": h,
        "in_width": w,
        "stride_x": stride[0],
        "stride_y": stride[1],
        "pool_x": pool[0],
        "pool_y": pool[1],
        "pad_top": pad[0],
        "pad_bottom": pad[1],
        "pad_left": pad[2],
        "pad_right": pad[3],
    }


@pytest.mark.parametrize(
    ("shape", "kernel", "params"),
    [
        ((2, 5, 6), (3, 3, 2), conv_params(5, 6, stride=(2, 1), pad=(1, 0, 0, 1))),
        ((1, 4, 4), (2, 3, 3), conv_params(4, 4, pad=(1, 1, 1, 1))),
        # pooling 2 rows x 3 columns (the 5th row is dropped), then a strided, padded conv
        ((2, 5, 6), (2, 2, 2), conv_params(5, 6, stride=(1, 2), pool=(2, 3), pad=(0, 1, 1, 0))),
    ],
)
def test_conv2d_matches_direct_loops(shape, kernel, params):
    rng = np.random.default_rng(7)
    steps = 4
    c_out, kh, kw = kernel
    weights = rng.integers(-127, 128, size=(shape[0], c_out, kh, kw)).astype(np.int8)
    images = rng.random((steps, *shape)) < 0.5
    flat = images.reshape(steps, -1)
    stim_params = {i: np.flatnonzero(flat[:, i]).tolist() for i in range(flat.shape[1])}
    expected = np.stack([direct_conv(images[t].astype(float), weights, params) for t in range(steps)])
    stim = snn.Population(flat.shape[1], "spike_list", stim_params, name="in")
    # alpha_decay 0 and a high threshold: v is each step's input
    post = snn.Population(expected[0].size, "lif_conv2d", {"threshold": 1e9, "alpha_decay": 0.0}, "out", ["v"])
    conv = snn.Conv2DProjection(stim, post, weights, params)
    run(stim, post, conv, timesteps=steps)
    v = np.stack(list(post.get_voltages().values()), axis=1)
    np.testing.assert_array_equal(v, expected.reshape(steps, -1).astype(np.float32))


def test_sum_pooling_alone():
    # one spike at every pixel of a 1 x 5 x 6 image, pooled 2 x 3 with a 1x1 kernel of weight 2:
    # the 2 x 2 output is 2 * 6 everywhere (the 5th row dropped)
    stim = snn.Population(30, "spike_list", {i: [0] for i in range(30)})
    post = snn.Population(4, "lif_conv2d", {"threshold": 100.0, "alpha_decay": 0.0}, record=["v"])
    conv = snn.Conv2DProjection(stim, post, np.full((1, 1, 1, 1), 2, np.int8), conv_params(5, 6, pool=(2, 3)))
    run(stim, post, conv, timesteps=1)
    assert {i: float(v[0]) for i, v in post.get_voltages().items()} == dict.fromkeys(range(4), 12.0)


def test_recurrence_delivers_a_step_later_and_feed_forward_the_same_step():
    stim = snn.Population(1, "spike_list", {0: [2]}, name="in")
    a = snn.Population(2, "lif_no_delay", {"threshold": 10.0, "alpha_decay": 0.0}, "a", ["spikes"])
    b = snn.Population(2, "lif_no_delay", {"threshold": 10.0, "alpha_decay": 0.0}, "b", ["spikes"])
    feed = snn.Projection(stim, a, [[0, 0, 20, 0]])
    recur = snn.Projection(a, a, [[0, 1, 20, 0]])
    onward = snn.Projection(a, b, helpers.connection_list_from_dense_weights(np.eye(2) * 20, 0))
    # added in reverse order: the update order follows the projections, not the adding order
    net = run(onward, recur, feed, b, a, stim, timesteps=6)
    assert a.get_spikes() == {0: [2], 1: [3]}
    assert b.get_spikes() == {0: [2], 1: [3]}
    net.reset()
    with pytest.raises(RuntimeError):
        a.get_spikes()
    chip().run(net, 6)
    assert b.get_spikes() == {0: [2], 1: [3]}


def test_feed_forward_cycle_is_rejected():
    a = snn.Population(1, "lif_no_delay", LIF, "a")
    b = snn.Population(1, "lif_no_delay", LIF, "b")
    net = snn.Network("cycle")
    net.add(a, b, snn.Projection(a, b, [[0, 0, 1, 0]]), snn.Projection(b, a, [[0, 0, 1, 0]]))
    with pytest.raises(ValueError, match="cycle"):
        chip().run(net, 3)


def test_get_spikes_lists_every_neuron_and_spike_list_records():
    stim = snn.Population(3, "spike_list", {1: [0, 4], 2: [9]}, record=["spikes"])
    pop = snn.Population(3, "lif_no_delay", LIF, record=["spikes"])
    run(stim, pop, snn.Projection(stim, pop, [[0, 0, 1, 0]]), timesteps=5)
    assert stim.get_spikes() == {0: [], 1: [0, 4], 2: []}
    assert pop.get_spikes() == {0: [], 1: [], 2: []}


def test_connection_list_from_dense_weights():
    weights = np.array([[1, 0, -2], [0, 3, 0]])
    conns = helpers.connection_list_from_dense_weights(weights, 0)
    assert isinstance(conns, list)
    assert [[int(x) for x in row] for row in conns] == [
        [0, 0, 1, 0],
        [0, 1, 0, 0],
        [0, 2, -2, 0],
        [1, 0, 0, 0],
        [1, 1, 3, 0],
        [1, 2, 0, 0],
    ]


def test_run_again_needs_reset_and_gives_the_same_result():
    stim = snn.Population(1, "spike_list", {0: [0, 1, 2]})
    pop = snn.Population(1, "lif_no_delay", LIF, record=["v"])
    net = run(stim, pop, snn.Projection(stim, pop, [[0, 0, 7, 0]]), timesteps=3)
    first = pop.get_voltages()[0]
    with pytest.raises(RuntimeError, match="reset"):
        chip().run(net, 3)
    net.reset()
    chip().run(net, 3)
    np.testing.assert_array_equal(pop.get_voltages()[0], first)


def test_pes_of_one_chip():
    # 151 PEs of neurons and one of a spike_list source fit; one more PE does not
    stim = snn.Population(250, "spike_list", {})
    pop = snn.Population(151, "lif_no_delay", LIF)
    pop.set_max_atoms_per_core(1)
    run(stim, pop, timesteps=1)
    big = snn.Population(251, "spike_list", {})
    net = snn.Network("too big")
    net.add(big, pop)
    with pytest.raises(ValueError, match="PEs"):
        chip().run(net, 1)


# --- strictness -----------------------------------------------------------------------------


def lif(size=2, **changes):
    return snn.Population(size, "lif_no_delay", {**LIF, **changes})


def conv_post():
    return snn.Population(4, "lif_conv2d", LIF)


def stim4():
    return snn.Population(4, "spike_list", {})


STRICT = {
    "unknown kwarg": (TypeError, lambda: snn.Population(1, "lif_no_delay", LIF, colour="red")),
    "missing argument": (TypeError, lambda: snn.Population(1, "lif_no_delay")),
    "unknown neuron model": (ValueError, lambda: snn.Population(1, "lif", LIF)),
    "size 0": (ValueError, lambda: snn.Population(0, "lif_no_delay", LIF)),
    "unknown param key": (ValueError, lambda: lif(tau=2.0)),
    "missing threshold": (ValueError, lambda: snn.Population(1, "lif_no_delay", {"alpha_decay": 0.5})),
    "alpha_decay above 1": (ValueError, lambda: lif(alpha_decay=1.5)),
    "param array of the wrong length": (ValueError, lambda: lif(threshold=np.ones(3))),
    "non-finite param": (ValueError, lambda: lif(i_offset=float("nan"))),
    "unknown reset": (ValueError, lambda: lif(reset="reset_to_zero")),
    "exc_decay on lif_no_delay": (ValueError, lambda: lif(exc_decay=0.5)),
    "t_refrac not 0": (
        ValueError,
        lambda: snn.Population(1, "lif_curr_exp_no_delay", {**LIF, "t_refrac": 2}),
    ),
    "inh_decay below 0": (
        ValueError,
        lambda: snn.Population(1, "lif_curr_exp_no_delay", {**LIF, "inh_decay": -0.1}),
    ),
    "record v of spike_list": (ValueError, lambda: snn.Population(1, "spike_list", {}, record=["v"])),
    "record unknown": (ValueError, lambda: snn.Population(1, "lif_no_delay", LIF, record=["i"])),
    "spike_list index out of range": (ValueError, lambda: snn.Population(2, "spike_list", {2: [0]})),
    "spike_list negative step": (ValueError, lambda: snn.Population(2, "spike_list", {0: [-1]})),
    "spike_list float step": (TypeError, lambda: snn.Population(2, "spike_list", {0: [1.5]})),
    "max atoms 300": (ValueError, lambda: lif().set_max_atoms_per_core(300)),
    "max atoms 0": (ValueError, lambda: lif().set_max_atoms_per_core(0)),
    "weight 128": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 0, 128, 0]])),
    "weight -128": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 0, -128, 0]])),
    "weight 1.5": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 0, 1.5, 0]])),
    "delay 1": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 0, 1, 1]])),
    "post index out of range": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 2, 1, 0]])),
    "fractional pre index": (ValueError, lambda: snn.Projection(lif(), lif(), np.array([[0.5, 0, 1, 0]]))),
    "row of three": (ValueError, lambda: snn.Projection(lif(), lif(), [[0, 0, 1]])),
    "projection into spike_list": (ValueError, lambda: snn.Projection(lif(), stim4(), [[0, 0, 1, 0]])),
    "projection kwarg": (TypeError, lambda: snn.Projection(lif(), lif(), [], label="p")),
    "conv weights int16": (
        ValueError,
        lambda: snn.Conv2DProjection(stim4(), conv_post(), np.ones((1, 1, 1, 1), np.int16), conv_params(2, 2)),
    ),
    "conv weights not 4-D": (
        ValueError,
        lambda: snn.Conv2DProjection(stim4(), conv_post(), np.ones((1, 1, 1), np.int8), conv_params(2, 2)),
    ),
    "conv to lif_no_delay": (
        ValueError,
        lambda: snn.Conv2DProjection(stim4(), lif(4), np.ones((1, 1, 1, 1), np.int8), conv_params(2, 2)),
    ),
    "conv_params missing key": (
        ValueError,
        lambda: snn.Conv2DProjection(
            stim4(), conv_post(), np.ones((1, 1, 1, 1), np.int8), {"in_height": 2, "in_width": 2}
        ),
    ),
    "conv stride 0": (
        ValueError,
        lambda: snn.Conv2DProjection(
            stim4(), conv_post(), np.ones((1, 1, 1, 1), np.int8), conv_params(2, 2, stride=(0, 1))
        ),
    ),
    "conv pre size": (
        ValueError,
        lambda: snn.Conv2DProjection(stim4(), conv_post(), np.ones((1, 1, 1, 1), np.int8), conv_params(2, 3)),
    ),
    "conv post size": (
        ValueError,
        lambda: snn.Conv2DProjection(stim4(), lif_conv(9), np.ones((1, 1, 1, 1), np.int8), conv_params(2, 2)),
    ),
    "eth_ip not a str": (TypeError, lambda: hardware.SpiNNaker2Chip(eth_ip=1921681)),
    "network add non-snn": (TypeError, lambda: snn.Network("n").add("pop")),
    "helper on a list": (TypeError, lambda: helpers.connection_list_from_dense_weights([[1]], 0)),
}


def lif_conv(size):
    return snn.Population(size, "lif_conv2d", LIF)


@pytest.mark.parametrize("case", list(STRICT))
def test_strictness(case):
    error, make = STRICT[case]
    with pytest.raises(error):
        make()


def test_get_voltages_without_record():
    stim = snn.Population(1, "spike_list", {0: [0]})
    pop = snn.Population(1, "lif_no_delay", LIF, record=["spikes"])
    run(stim, pop, snn.Projection(stim, pop, [[0, 0, 1, 0]]), timesteps=2)
    with pytest.raises(ValueError, match="record"):
        pop.get_voltages()
    assert pop.get_spikes() == {0: []}


def test_get_spikes_before_run():
    pop = snn.Population(1, "lif_no_delay", LIF, record=["spikes"])
    with pytest.raises(RuntimeError):
        pop.get_spikes()


def test_validate_and_run_arguments():
    stim = snn.Population(1, "spike_list", {}, name="x")
    pop = snn.Population(1, "lif_no_delay", LIF, name="x")
    net = snn.Network("dup")
    net.add(stim, pop)
    with pytest.raises(ValueError, match="several populations"):
        net.validate()
    other = snn.Population(1, "lif_no_delay", LIF, name="y")
    net = snn.Network("missing")
    net.add(pop, snn.Projection(other, pop, [[0, 0, 1, 0]]))
    with pytest.raises(ValueError, match="not added"):
        net.validate()
    net = snn.Network("ok")
    net.add(pop)
    with pytest.raises(TypeError):
        chip().run(net, 2.0)
    with pytest.raises(ValueError):
        chip().run(net, 0)
    with pytest.raises(TypeError):
        chip().run(net, 2, tick=1e-3)


def random_net_voltages():
    rng = np.random.default_rng(3)
    stim = snn.Population(20, "spike_list", {i: sorted(rng.choice(30, 8, replace=False).tolist()) for i in range(20)})
    params = {"threshold": 40.0, "alpha_decay": 0.9, "exc_decay": 0.5, "inh_decay": 0.7}
    pop = snn.Population(15, "lif_curr_exp_no_delay", params, record=["spikes", "v"])
    dense = rng.integers(-127, 128, size=(20, 15))
    recurrent = rng.integers(-30, 31, size=(15, 15))
    run(
        stim,
        pop,
        snn.Projection(stim, pop, helpers.connection_list_from_dense_weights(dense, 0)),
        snn.Projection(pop, pop, helpers.connection_list_from_dense_weights(recurrent, 0)),
        timesteps=30,
    )
    return pop.get_spikes(), np.stack(list(pop.get_voltages().values()))


def test_sparse_and_dense_synapses_agree(monkeypatch):
    spikes, voltages = random_net_voltages()
    assert any(spikes.values())
    monkeypatch.setattr(hardware, "_DENSE_LIMIT", 0)
    sparse_spikes, sparse_voltages = random_net_voltages()
    assert sparse_spikes == spikes
    np.testing.assert_array_equal(sparse_voltages, voltages)
