"""Convolution and pooling kernels against direct loops (the definitions, written out)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nirc.dialects.nir.kernels import conv_nd


def naive_conv2d(x, w, stride, pad, dilation, groups):
    n, _, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    ho = (h + 2 * pad[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (wd + 2 * pad[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    y = np.zeros((n, o, ho, wo))
    per_group = o // groups
    for b, oc, i, j in itertools.product(range(n), range(o), range(ho), range(wo)):
        g = oc // per_group
        total = 0.0
        for ic, a, bb in itertools.product(range(cg), range(kh), range(kw)):
            total += (
                w[oc, ic, a, bb] * xp[b, g * cg + ic, i * stride[0] + a * dilation[0], j * stride[1] + bb * dilation[1]]
            )
        y[b, oc, i, j] = total
    return y


@settings(max_examples=40, deadline=None)
@given(
    groups=st.sampled_from([1, 2]),
    c_per_group=st.sampled_from([1, 2, 8, 9]),
    o_per_group=st.integers(1, 2),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    pad=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    size=st.tuples(st.integers(5, 7), st.integers(5, 7)),
    seed=st.integers(0, 1000),
)
def test_conv2d_matches_direct_loops(
    groups, c_per_group, o_per_group, kernel, stride, pad, dilation, size, seed
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, groups * c_per_group, *size))
    w = rng.standard_normal((groups * o_per_group, c_per_group, *kernel))
    got = conv_nd(x, w, stride, tuple((p, p) for p in pad), dilation, groups)
    assert np.allclose(got, naive_conv2d(x, w, stride, pad, dilation, groups), atol=1e-12)


def test_conv_and_pool_in_a_graph() -> None:
    import nirc

    rng = np.random.default_rng(0)
    weight = rng.standard_normal((4, 2, 3, 3))
    model = {
        "type": "NIRGraph",
        "nodes": {
            "in": {"type": "Input", "shape": np.array([2, 6, 6])},
            "c": {
                "type": "Conv2d",
                "weight": weight,
                "bias": np.arange(4.0),
                "stride": np.array([1, 1]),
                "padding": "same",
                "dilation": np.array([1, 1]),
                "groups": np.int64(1),
            },
            "p": {
                "type": "AvgPool2d",
                "kernel_size": np.array([2, 2]),
                "stride": np.array([2, 2]),
                "padding": np.array([0, 0]),
            },
            "f": {"type": "Flatten", "start_dim": np.int64(0), "end_dim": np.int64(-1)},
            "out": {"type": "Output", "shape": np.array([36])},
        },
        "edges": [("in", "c"), ("c", "p"), ("p", "f"), ("f", "out")],
        "metadata": {},
    }
    x = rng.standard_normal((3, 2, 6, 6))
    y = nirc.run(nirc.module_from_dict(model), x).outputs["out"]
    conv = naive_conv2d(x, weight, (1, 1), (1, 1), (1, 1), 1) + np.arange(4.0)[None, :, None, None]
    pooled = conv.reshape(3, 4, 3, 2, 3, 2).mean(axis=(3, 5))
    assert np.allclose(y, pooled.reshape(3, 36), atol=1e-12)
