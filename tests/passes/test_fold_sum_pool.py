"""``fold-sum-pool``: a SumPool2d folded into the Conv2d, or Flatten ⊳ Linear, that reads it.

* the paper's CNN (two pools: one before a conv, one before Flatten ⊳ Affine): both fold,
  and the spikes are the same as before under the sinabs profile (the sums are of
  spikes and exact);
* random conv and flatten-linear graphs (hypothesis): the outputs equal the unfolded
  graph's to float rounding (the folded weights sum in another order), and exactly on
  integer inputs and weights;
* what must not fold is left as it is (``tests/filecheck/passes/fold-sum-pool.mlir``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from builders import graph, inp, out
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.context import Context

import nirc
from nirc.dialects.nir import top_graph
from nirc.passes.fold_sum_pool import FoldSumPoolPass


def folded(m: Any) -> Any:
    f = m.clone()
    FoldSumPoolPass().apply(Context(), f)
    return f


def names(m: Any) -> list[str]:
    return [op.name for op in top_graph(m).body.block.ops]


def test_the_paper_cnn_folds_both_pools(corpus: Path) -> None:
    m = nirc.read(corpus / "cnn_sinabs.nir")
    f = folded(m)
    assert "nir.sum_pool2d" not in names(f)
    x = (np.random.default_rng(0).random((2, 30, 2, 34, 34)) < 0.2).astype(np.float64)
    want = nirc.run(m, x, semantics="sinabs", dt=1e-4).outputs["output"]
    np.testing.assert_array_equal(nirc.run(f, x, semantics="sinabs", dt=1e-4).outputs["output"], want)
    assert want.sum() > 0


@st.composite
def pooled(draw: Any) -> tuple[dict, np.ndarray]:
    k = draw(st.integers(1, 3))
    c, hp, wp = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = hp * k, wp * k
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    pool = {
        "type": "SumPool2d",
        "kernel_size": np.array([k, k]),
        "stride": np.array([k, k]),
        "padding": np.array([0, 0]),
    }
    if draw(st.booleans()):
        kk = draw(st.integers(1, min(hp, wp)))
        s, p = draw(st.integers(1, 2)), draw(st.integers(0, 1))
        o = draw(st.integers(1, 3))
        ho, wo = (hp + 2 * p - kk) // s + 1, (wp + 2 * p - kk) // s + 1
        tail = {
            "c": {
                "type": "Conv2d",
                "weight": rng.integers(-3, 4, (o, c, kk, kk)).astype(np.float64),
                "bias": rng.integers(-2, 3, o).astype(np.float64),
                "stride": np.array([s, s]),
                "padding": np.array([p, p]),
                "dilation": np.array([1, 1]),
                "groups": np.array(1),
            },
            "out": out(o, ho, wo),
        }
        edges = [("in", "p"), ("p", "c"), ("c", "out")]
    else:
        n = draw(st.integers(1, 4))
        tail = {
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([c, hp, wp])},
            "l": {"type": "Linear", "weight": rng.integers(-3, 4, (n, c * hp * wp)).astype(np.float64)},
            "out": out(n),
        }
        edges = [("in", "p"), ("p", "f"), ("f", "l"), ("l", "out")]
    d = graph({"in": inp(c, h, w), "p": pool, **tail}, edges)
    x = rng.integers(0, 3, (2, 3, c, h, w)).astype(np.float64)
    return d, x


@settings(max_examples=60, deadline=None)
@given(pooled())
def test_random_pools_fold_exactly_on_integers(case: tuple[dict, np.ndarray]) -> None:
    d, x = case
    m = nirc.module_from_dict(d)
    f = folded(m)
    assert "nir.sum_pool2d" not in names(f)
    want = nirc.run(m, x).outputs["out"]
    np.testing.assert_array_equal(nirc.run(f, x).outputs["out"], want)
    xf = x * np.pi  # floats: equal to rounding
    np.testing.assert_allclose(nirc.run(f, xf).outputs["out"], nirc.run(m, xf).outputs["out"], rtol=1e-12, atol=1e-9)
