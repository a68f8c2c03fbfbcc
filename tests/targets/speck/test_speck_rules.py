"""The Speck target's design rules, placement and artefacts.

* every design rule (``RULES``, the structural rules of ``analyse``, ``speck-placement``
  of ``speck-place``) has a small model that breaks it and nothing else it need not,
  checked through the Python API: the rule, the node, and ``limit``/``actual``;
* a model breaking several rules reports them all in one run of ``nir-translate``;
* placement is a matching (it finds an assignment where first-fit does not);
* ``cnn_sinabs.nir`` (the NIR paper's Speck model) end to end: the configuration obeys
  the chip's rules, the loader fills a (fake) samna object, ``nir-run`` runs the
  emitted model;
* the output directory is all or nothing.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from builders import chain, conv, graph, iff, inp, lif, module, out, pool, single
from conftest import (
    CORPUS,
    REPO,
    run_tool,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from rule_cases import RuleCase, assert_violations, tool_violations
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, i64

import nirc
from nirc.core.errors import NircError, Violation, Violations
from nirc.core.integers import int_range
from nirc.dialects.nir import top_graph
from nirc.io.atomic import replace_dir
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.passes.quantize import QuantizePass
from nirc.targets.speck import dialect as speck
from nirc.targets.speck import placement
from nirc.targets.speck.convert_snn_to_speck import ConvertSnnToSpeckPass
from nirc.targets.speck.nir_to_speck import SPECK_QUANTIZE, NirToSpeckPass
from nirc.targets.speck.place import SpeckPlacePass, fits, needs
from nirc.targets.speck.resources import SPECK
from nirc.targets.speck.rules import RULES, check

SINABS = CORPUS / "cnn_sinabs.nir"


def kernel_entries(c: int, f: int, k: int) -> int:
    """Kernel memory of a layer, written out independently of nirc: c * 2^(ceil(log2 k^2) + ceil(log2 f))."""
    return c * 2 ** (math.ceil(math.log2(k * k)) + math.ceil(math.log2(f)))


def neuron_entries(f: int, h: int, w: int) -> int:
    return f * 2 ** (math.ceil(math.log2(h)) + math.ceil(math.log2(w)))


# --------------------------------------------------------------------------------------
# Ways of collecting violations through the Python API
# --------------------------------------------------------------------------------------


#: Speck lowers from the `snn` dialect: the model discretized as nir-to-speck does
TO_SNN = ConvertNirToSnnPass(dt=1e-4, semantics="speck")
#: nir-to-speck up to the placement
TO_LAYERS = (CanonicalizePass(), TO_SNN, ConvertSnnToSpeckPass(), SPECK_QUANTIZE)


def discrete(d: dict) -> Any:
    m = module(d)
    TO_SNN.apply(Context(), m)
    return m


def by_check(d: dict) -> list[Violation]:
    return list(check(top_graph(discrete(d))).violations)


def run_passes(d: dict, *passes) -> Any:
    m = module(d)
    ctx = Context()
    for p in passes:
        p.apply(ctx, m)
    return m


def by_passes(*passes) -> Callable[[dict], list[Violation]]:
    def collect(d: dict) -> list[Violation]:
        try:
            run_passes(d, *passes)
        except Violations as err:
            return list(err.violations)
        return []

    return collect


def by_pipeline(d: dict) -> list[Violation]:
    return by_passes(NirToSpeckPass())(d)


# --------------------------------------------------------------------------------------
# 1. Every rule has a failing example
# --------------------------------------------------------------------------------------

#: the rules analyse() raises itself (not in RULES)
STRUCTURAL = {
    "speck-node-kind",
    "speck-layer",
    "speck-fan-in",
    "speck-output",
    "speck-pooling",
    "speck-conv",
    "speck-padding",
    "speck-shape",
    "speck-input-size",
}


@dataclass
class Case(RuleCase):
    collect: Callable[[dict], list[Violation]] | None = by_check


def _cycle() -> dict:
    # in -> c1 -> n1 -> out, and beside it c2 <-> n2: a cycle where every node has one
    # input (a cycle reachable from an Input has a node with two: speck-fan-in)
    return graph(
        {
            "in": inp(2, 4, 4),
            "c1": conv(2, 2, 1),
            "n1": iff(2, 4, 4),
            "out": out(2, 4, 4),
            "c2": conv(2, 2, 1),
            "n2": iff(2, 4, 4),
        },
        [("in", "c1"), ("c1", "n1"), ("n1", "out"), ("c2", "n2"), ("n2", "c2")],
    )


def _destinations() -> dict:
    nodes = {"in": inp(2, 4, 4), "c": conv(2, 2, 1), "n": iff(2, 4, 4)}
    edges = [("in", "c"), ("c", "n")]
    for i in range(3):
        nodes |= {f"c{i}": conv(2, 2, 1), f"n{i}": iff(2, 4, 4), f"o{i}": out(2, 4, 4)}
        edges += [("n", f"c{i}"), (f"c{i}", f"n{i}"), (f"n{i}", f"o{i}")]
    return graph(nodes, edges)


def _two_poolings_of_the_input() -> dict:
    return graph(
        {
            "in": inp(2, 4, 4),
            "p": pool(2),
            "c": conv(2, 2, 1),
            "n": iff(2, 2, 2),
            "out": out(2, 2, 2),
            "d": conv(2, 2, 1),
            "m": iff(2, 4, 4),
            "o2": out(2, 4, 4),
        },
        [("in", "p"), ("p", "c"), ("c", "n"), ("n", "out"), ("in", "d"), ("d", "m"), ("m", "o2")],
    )


def _two_inputs() -> dict:
    return graph(
        {
            "in": inp(2, 4, 4),
            "c": conv(2, 2, 1),
            "n": iff(2, 4, 4),
            "out": out(2, 4, 4),
            "in2": inp(2, 4, 4),
            "c2": conv(2, 2, 1),
            "n2": iff(2, 4, 4),
            "out2": out(2, 4, 4),
        },
        [("in", "c"), ("c", "n"), ("n", "out"), ("in2", "c2"), ("c2", "n2"), ("n2", "out2")],
    )


def _channel_varying_r() -> dict:
    n = iff(2, 4, 4)
    n["r"][0, 0, 0] = 2.0
    return single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), n)


def _fan_in() -> dict:
    return graph(
        {"in": inp(2, 4, 4), "c": conv(2, 2, 1), "d": conv(2, 2, 1), "n": iff(2, 4, 4), "out": out(2, 4, 4)},
        [("in", "c"), ("in", "d"), ("c", "n"), ("d", "n"), ("n", "out")],
    )


def _output_of_input() -> dict:
    return graph(
        {"in": inp(2, 4, 4), "c": conv(2, 2, 1), "n": iff(2, 4, 4), "out": out(2, 4, 4), "raw": out(2, 4, 4)},
        [("in", "c"), ("c", "n"), ("n", "out"), ("in", "raw")],
    )


def _shape() -> dict:
    # a 2-D source: only an Input can be one without another broken rule first (a
    # layer's neurons are 1-D or C x H x W), and a 2-D Input also breaks speck-input-size
    return graph(
        {
            "in": inp(2, 4),
            "f": {"type": "Flatten", "start_dim": np.array(0), "end_dim": np.array(-1), "input_type": np.array([2, 4])},
            "c": {"type": "Linear", "weight": np.full((3, 8), 0.1)},
            "n": iff(3),
            "out": out(3),
        },
        [("in", "f"), ("f", "c"), ("c", "n"), ("n", "out")],
    )


#: 6 layers of 48 -> 48 channels, 3x3: each needs 48 * 2^(4+6) = 49152 kernel entries,
#: more than the 32K of cores 3 and 4: only cores 5 and 6 (64K) fit, so every layer fits
#: some core but no complete assignment exists
BIG = 48
BIG_KERNEL = kernel_entries(BIG, BIG, 3)


def _six_big_layers() -> dict:
    return chain((BIG, 1, 1), [(conv(BIG, BIG, 3, pad=1), (BIG, 1, 1)) for _ in range(6)])


def _ten_layers() -> dict:
    return chain((2, 2, 2), [(conv(2, 2, 1), (2, 2, 2)) for _ in range(10)])


def _no_neurons() -> dict:
    # an Input straight to an Output (also an Output that reads no layer)
    return graph({"in": inp(2, 4, 4), "out": out(2, 4, 4)}, [("in", "out")])


def _no_output() -> dict:
    return graph({"in": inp(2, 4, 4), "c": conv(2, 2, 1), "n": iff(2, 4, 4)}, [("in", "c"), ("c", "n")])


def _wide_input_pooled() -> dict:
    # 3 channels cannot go through the DVS layer, so nothing can pool them
    return graph(
        {"in": inp(3, 4, 4), "p": pool(2), "c": conv(2, 3, 1), "n": iff(2, 2, 2), "out": out(2, 2, 2)},
        [("in", "p"), ("p", "c"), ("c", "n"), ("n", "out")],
    )


MEMORY_LIMIT = {"kernel": list(SPECK.kernel_memory), "neuron": list(SPECK.neuron_memory)}

CASES = [
    Case("speck-cycle", "speck-cycle", _cycle, node={"c2", "n2"}, limit=0, actual=2, message="recurrent cycle"),
    # 2048 input channels (an output of 2048 would break the bias memory as well)
    Case(
        "speck-channels",
        "speck-channels",
        lambda: single((2048, 1, 1), conv(4, 2048, 1), (4, 1, 1)),
        node="c",
        limit=1024,
        actual=2048,
    ),
    Case(
        "speck-kernel",
        "speck-kernel",
        lambda: single((2, 20, 20), conv(4, 2, 17), (4, 4, 4)),
        node="c",
        limit=16,
        actual=[17, 17],
    ),
    Case(
        "speck-stride",
        "speck-stride",
        lambda: single((2, 9, 9), conv(4, 2, 3, stride=3), (4, 3, 3)),
        node="c",
        limit=[1, 2, 4, 8],
        actual=[3, 3],
    ),
    Case(
        "speck-padding",
        "speck-padding",
        lambda: single((2, 8, 8), conv(4, 2, 3, pad=8), (4, 22, 22)),
        node="c",
        limit=7,
        actual=[8, 8],
    ),
    Case(
        "speck-padding-same-even-kernel",
        "speck-padding",
        lambda: single((2, 8, 8), conv(4, 2, 2, pad="same"), (4, 8, 8)),
        node="c",
        message="even kernel",
    ),
    Case(
        "speck-input-size",
        "speck-input-size",
        lambda: single((2, 129, 129), conv(4, 2, 1, stride=4), (4, 33, 33)),
        node="in",
        limit=128,
        actual=[129, 129],
    ),
    Case("speck-input-size-two-inputs", "speck-input-size", _two_inputs, node={"in", "in2"}, limit=1, actual=2),
    Case(
        "speck-feature-size",
        "speck-feature-size",
        lambda: single((1, 128, 128), conv(1, 1, 1), (1, 128, 128)),
        node="n",
        limit=64,
        actual=[128, 128],
    ),
    Case("speck-destinations", "speck-destinations", _destinations, node="n", limit=2, actual=3),
    Case(
        "speck-neuron",
        "speck-neuron",
        lambda: single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), iff(2, 4, 4, th=0.0)),
        node="n",
        message="> 0",
    ),
    Case("speck-neuron-varies-in-channel", "speck-neuron", _channel_varying_r, node="n", message="within a channel"),
    Case(
        "speck-neuron-reset-zero",
        "speck-neuron",
        lambda: single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), iff(2, 4, 4, v_reset=0.5)),
        node="n",
        limit=0,
        actual=0.5,
        collect=by_passes(ConvertNirToSnnPass(dt=1e-4, semantics="speck", reset="value"), ConvertSnnToSpeckPass()),
        message="v_reset must be 0",
    ),
    # A neuron quantized with an 8-bit wrapping state: a core's is 16-bit and saturates.
    Case(
        "speck-neuron-state",
        "speck-neuron",
        lambda: single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), iff(2, 4, 4)),
        node="n",
        limit={"state_bits": 16, "overflow": "saturate"},
        actual={"state_bits": 8, "overflow": "wrap"},
        collect=by_passes(
            ConvertNirToSnnPass(dt=1e-4, semantics="speck"),
            QuantizePass(bias_bits=8, threshold_bits=8, state_bits=8, overflow="wrap"),
            ConvertSnnToSpeckPass(),
        ),
        message="8-bit state that wraps",
    ),
    # 64 -> 64 channels 3x3 on 32x32: kernel 64 * 2^(4+6) = 64K (only cores 5, 6), neuron
    # 64 * 2^(5+5) = 64K (only cores 0-2): each part fits some core, both none
    Case(
        "speck-memory",
        "speck-memory",
        lambda: single((64, 32, 32), conv(64, 64, 3, pad=1), (64, 32, 32)),
        node="n",
        limit=MEMORY_LIMIT,
        actual={"kernel": kernel_entries(64, 64, 3), "neuron": neuron_entries(64, 32, 32)},
    ),
    Case("speck-cores", "speck-cores", _ten_layers, node=None, limit=9, actual=10),
    # reported once, on the first of the layers that compete for too few cores
    Case(
        "speck-placement",
        "speck-placement",
        _six_big_layers,
        node="n0",
        limit=2,
        actual=6,
        message="fit only on cores 5, 6",
    ),
    Case(
        "speck-placement-pipeline",
        "speck-placement",
        _six_big_layers,
        node="n0",
        limit=2,
        actual=6,
        collect=by_pipeline,
        message="2 cores for 6 layers",
    ),
    Case(
        "speck-empty",
        "speck-empty",
        _no_neurons,
        node=None,
        limit="at least 1 layer",
        actual=0,
        message="no neurons",
        also={"speck-output"},
    ),
    Case(
        "speck-empty-no-output",
        "speck-empty",
        _no_output,
        node=None,
        limit="at least 1 Output",
        actual=0,
        message="no Output",
    ),
    Case(
        "speck-input-channels",
        "speck-input-channels",
        _wide_input_pooled,
        node="in",
        limit=2,
        actual=3,
        message="skips the DVS layer",
    ),
    # structural rules of analyse()
    Case(
        "speck-node-kind",
        "speck-node-kind",
        lambda: single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), lif(2, 4, 4)),
        node="n",
        message="leak",
    ),
    Case(
        "speck-layer",
        "speck-layer",
        lambda: graph({"in": inp(2, 4, 4), "n": iff(2, 4, 4), "out": out(2, 4, 4)}, [("in", "n"), ("n", "out")]),
        node="n",
    ),
    Case("speck-fan-in", "speck-fan-in", _fan_in, node="n", limit=1, actual=2),
    Case("speck-output", "speck-output", _output_of_input, node="raw"),
    Case(
        "speck-pooling",
        "speck-pooling",
        lambda: graph(
            {"in": inp(2, 9, 9), "p": pool(3), "c": conv(2, 2, 1), "n": iff(2, 3, 3), "out": out(2, 3, 3)},
            [("in", "p"), ("p", "c"), ("c", "n"), ("n", "out")],
        ),
        node="p",
        limit=[1, 2, 4],
        actual=[3, 3],
    ),
    Case("speck-pooling-input-pooled-twice", "speck-pooling", _two_poolings_of_the_input, node="in", limit=1, actual=2),
    Case(
        "speck-conv",
        "speck-conv",
        lambda: single((2, 8, 8), conv(2, 2, 3, dilation=2), (2, 4, 4)),
        node="c",
        message="dilation",
    ),
    Case(
        "speck-conv-groups",
        "speck-conv",
        lambda: single((2, 8, 8), conv(2, 2, 1, groups=2), (2, 8, 8)),
        node="c",
        message="groups 2",
    ),
    Case("speck-shape", "speck-shape", _shape, node="in", also={"speck-input-size"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_has_a_failing_example(case: Case) -> None:
    assert case.collect is not None
    assert_violations(case, case.collect(case.model()))


def test_a_16_bit_saturating_state_is_the_cores_own() -> None:
    """The state quantize{state-bits=16} states is what a core has: no violation."""
    collect = by_passes(
        ConvertNirToSnnPass(dt=1e-4, semantics="speck"),
        QuantizePass(bias_bits=8, state_bits=16),
        ConvertSnnToSpeckPass(),
    )
    assert collect(single((2, 4, 4), conv(2, 2, 1), (2, 4, 4), iff(2, 4, 4))) == []


def test_every_rule_has_an_example() -> None:
    """Adding a rule without a failing example above fails here."""
    covered = {c.rule for c in CASES}
    assert set(RULES) <= covered, set(RULES) - covered
    assert STRUCTURAL <= covered, STRUCTURAL - covered
    # and every rule name a Speck module raises (analyse's fail() calls included)
    sources = sorted((REPO / "nirc" / "targets" / "speck").glob("*.py"))
    raised = {m for p in sources for m in re.findall(r'(?:fail|Violation)\(\s*"(speck-[a-z-]+)"', p.read_text())}
    assert raised, "no rule names found: the pattern is stale"
    assert raised <= covered, raised - covered


def test_placement_premise_every_layer_fits_a_big_core() -> None:
    """The speck-placement example passes every other rule of check(): each layer alone fits."""
    assert BIG_KERNEL == 49152 and max(SPECK.kernel_memory[c] for c in (0, 1, 2, 3, 4, 7, 8)) < BIG_KERNEL
    analysis = check(top_graph(discrete(_six_big_layers())))
    assert {v.rule for v in analysis.violations} == {"speck-placement"}
    assert len(analysis.layers) == 6
    for layer in analysis.layers:
        assert (layer.kernel_memory(), layer.neuron_memory()) == (BIG_KERNEL, BIG)
        assert SPECK.cores_for(layer.kernel_memory(), layer.neuron_memory()) == [5, 6]


def test_placement_limit_and_actual_describe_the_shortage() -> None:
    for v in by_pipeline(_six_big_layers()):
        assert isinstance(v.limit, int) and isinstance(v.actual, int)
        assert v.actual > v.limit, v.to_json()


def test_numeric_limits_are_exceeded() -> None:
    """Wherever limit and actual are both numbers, actual is beyond the limit."""
    for case in CASES:
        for v in case.collect(case.model()):
            if isinstance(v.limit, int) and isinstance(v.actual, int | float) and not isinstance(v.limit, bool):
                assert v.actual > v.limit, (case.id, v.to_json())


def test_conv_of_a_4d_signal_is_an_edge_shape_error() -> None:
    with pytest.raises(NircError, match=r"edge-shape"):
        module(single((1, 2, 4, 4), conv(2, 2, 1), (1, 2, 4, 4)))


# --------------------------------------------------------------------------------------
# 2. All violations at once, on the command line
# --------------------------------------------------------------------------------------


def _bad_model() -> dict:
    """A LIF neuron, 2048 channels, stride 3 and a recurrent edge."""
    return graph(
        {
            "in": inp(2, 32, 32),
            "c1": conv(2048, 2, 3, stride=3, pad=1),
            "n1": lif(2048, 11, 11),
            "c2": conv(4, 2048, 3, pad=1),
            "n2": iff(4, 11, 11),
            "rec": conv(4, 4, 3, pad=1),
            "out": out(4, 11, 11),
        },
        [("in", "c1"), ("c1", "n1"), ("n1", "c2"), ("c2", "n2"), ("n2", "rec"), ("rec", "n2"), ("n2", "out")],
    )


@pytest.fixture
def bad_model(tmp_path: Path) -> Path:
    path = tmp_path / "bad.nir"
    nirc.write(module(_bad_model()), path)
    return path


def test_all_violations_at_once(bad_model: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "OUT"
    res = run_tool("nir-translate", bad_model, "--target=speck", "-o", outdir)
    assert res.code == 1, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    found = tool_violations(res.stderr, bad_model, "speck")
    rules = {rule for rule, _ in found}
    assert {"speck-node-kind", "speck-channels", "speck-stride", "speck-cycle"} <= rules, lines
    assert ("speck-node-kind", "n1") in found
    assert ("speck-stride", "c1") in found
    assert ("speck-channels", "c1") in found and ("speck-channels", "c2") in found
    assert any(rule == "speck-cycle" and node in {"n2", "rec"} for rule, node in found)
    assert len(found) == len(set(found)), lines  # no line twice
    assert not outdir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nir"]  # no temporary left

    res_json = run_tool("nir-translate", bad_model, "--target=speck", "-o", outdir, "--report=json")
    assert res_json.code == 1
    assert "Traceback" not in res_json.stderr
    report = json.loads(res_json.stdout)
    assert report["ok"] is False
    violations = report["violations"]
    assert len(violations) == len(lines)
    for v in violations:
        assert set(v) == {"rule", "node", "message", "limit", "actual"}, v
    assert [(v["rule"], v["node"]) for v in violations] == found
    by_rule = {(v["rule"], v["node"]): v for v in violations}
    assert by_rule["speck-stride", "c1"]["limit"] == [1, 2, 4, 8] and by_rule["speck-stride", "c1"]["actual"] == [3, 3]
    assert by_rule["speck-channels", "c1"]["limit"] == 1024 and by_rule["speck-channels", "c1"]["actual"] == 2048
    assert res_json.stderr.strip().splitlines() == lines
    assert not outdir.exists()


# --------------------------------------------------------------------------------------
# 3. Placement is a matching, not first-fit
# --------------------------------------------------------------------------------------


def _matching_model() -> dict:
    """A first layer that fits every core (4 x 64 x 64: neuron 4 * 2^12 = 16K), then
    three that need 9 * 2^12 = 36K neuron entries: only cores 0, 1, 2 (64K) hold them.
    First-fit in layer order gives the first layer core 0 and then runs out."""
    return chain(
        (2, 64, 64),
        [
            (conv(4, 2, 1), (4, 64, 64)),
            (conv(9, 4, 1), (9, 64, 64)),
            (conv(9, 9, 1), (9, 64, 64)),
            (conv(9, 9, 1), (9, 64, 64)),
        ],
    )


def _first_fit(layers: list[speck.LayerOp]) -> dict[str, int] | None:
    free = list(range(SPECK.cores))
    placed = {}
    for op in layers:
        core = next((c for c in free if fits(op, c)), None)
        if core is None:
            return None
        free.remove(core)
        placed[op.nir_name] = core
    return placed


def test_placement_is_a_matching() -> None:
    legal = run_passes(_matching_model(), *TO_LAYERS)
    layers = [op for op in top_graph(legal).body.block.ops if isinstance(op, speck.LayerOp)]
    assert [needs(op)[1] for op in layers] == [neuron_entries(4, 64, 64)] + [neuron_entries(9, 64, 64)] * 3
    assert [c for c in range(SPECK.cores) if fits(layers[0], c)] == list(range(SPECK.cores))
    for op in layers[1:]:
        assert [c for c in range(SPECK.cores) if fits(op, c)] == [0, 1, 2]
    assert _first_fit(layers) is None  # the example does tell matching from first-fit

    SpeckPlacePass().apply(Context(), legal)
    placed = {
        op.nir_name: int(op.core.value.data) for op in top_graph(legal).body.block.ops if isinstance(op, speck.LayerOp)
    }
    assert len(placed) == 4 and len(set(placed.values())) == 4, placed
    for op in top_graph(legal).body.block.ops:
        if isinstance(op, speck.LayerOp):
            assert fits(op, int(op.core.value.data)), (op.nir_name, needs(op), op.core)
    # the documented tie-break: each layer in turn the lowest core that still allows a placement
    assert placed == {"n0": 3, "n1": 0, "n2": 1, "n3": 2}
    monitored = [
        op.nir_name
        for op in top_graph(legal).body.block.ops
        if isinstance(op, speck.LayerOp) and op.monitor is not None
    ]
    assert monitored == ["n3"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), max_size=6, unique=True), min_size=1, max_size=7))
def test_place_finds_a_placement_or_a_hall_violator(candidates: list[list[int]]) -> None:
    """Against networkx's matching: complete exactly when a perfect matching exists;
    otherwise the shortage is a real Hall violator of the right size."""
    g = nx.Graph()
    tops = [("l", i) for i in range(len(candidates))]
    g.add_nodes_from(tops)
    g.add_edges_from((("l", i), ("c", c)) for i, cs in enumerate(candidates) for c in cs)
    size = sum(1 for t in nx.bipartite.hopcroft_karp_matching(g, top_nodes=tops) if t in tops)
    found = placement.place(candidates)
    if size == len(candidates):
        assert isinstance(found, dict) and sorted(found) == list(range(len(candidates)))
        assert len(set(found.values())) == len(candidates)
        assert all(found[i] in candidates[i] for i in found)
        # lowest cores first: layer 0 gets the lowest core any complete placement gives it
        feasible = [c for c in candidates[0] if isinstance(placement.place([[c], *candidates[1:]]), dict)]
        assert found[0] == min(feasible)
    else:
        assert isinstance(found, placement.Shortage)
        assert set(found.cores) == {c for i in found.layers for c in candidates[i]}
        assert len(found.layers) - len(found.cores) == len(candidates) - size


def test_pinned_cores_are_kept_or_refused() -> None:
    m = run_passes(_matching_model(), *TO_LAYERS)
    layers = [op for op in top_graph(m).body.block.ops if isinstance(op, speck.LayerOp)]
    layers[1].properties["core"] = IntegerAttr(2, i64)
    SpeckPlacePass().apply(Context(), m)
    placed = {op.nir_name: int(op.core.value.data) for op in layers}
    assert placed["n1"] == 2 and len(set(placed.values())) == 4
    SpeckPlacePass().apply(Context(), m)  # placing a placed module changes nothing
    assert {op.nir_name: int(op.core.value.data) for op in layers} == placed
    layers[2].properties["core"] = IntegerAttr(7, i64)  # too small for it
    with pytest.raises(Violations) as err:
        SpeckPlacePass().apply(Context(), m)
    assert [(v.rule, v.node, v.actual) for v in err.value.violations] == [("speck-placement", "n2", 7)]


# --------------------------------------------------------------------------------------
# 4. cnn_sinabs end to end
# --------------------------------------------------------------------------------------

ARTEFACTS = {"speck_config.json", "speck_weights.npz", "load_samna.py", "model.mlir", "report.json"}


@pytest.fixture(scope="module")
def sinabs_out(tmp_path_factory) -> Path:
    if not SINABS.is_file():
        pytest.skip(f"paper corpus not found at {CORPUS}")
    outdir = tmp_path_factory.mktemp("sinabs") / "OUTDIR"
    res = run_tool("nir-translate", SINABS, "--target=speck", "-o", outdir)
    assert res.code == 0, res.stderr
    assert "Traceback" not in res.stderr and "error" not in res.stderr, res.stderr
    assert f"wrote speck artefacts to {outdir}" in res.stdout
    return outdir


def _sinabs_output_feeder() -> str:
    d = nirc.module_to_dict(nirc.read(SINABS))
    outputs = [name for name, node in d["nodes"].items() if node["type"] == "Output"]
    feeders = [src for src, dst in d["edges"] if dst in outputs]
    assert len(feeders) == 1
    return feeders[0]


def test_sinabs_artefacts(sinabs_out: Path) -> None:
    assert {p.name for p in sinabs_out.iterdir()} == ARTEFACTS
    assert [p.name for p in sinabs_out.parent.iterdir()] == ["OUTDIR"]  # no temporary left


def test_sinabs_config_obeys_the_chip(sinabs_out: Path) -> None:
    spec = json.loads((sinabs_out / "speck_config.json").read_text())
    assert spec["format"] == "nirc-speck-config/1"
    layers = spec["cnn_layers"]
    assert 1 <= len(layers) <= SPECK.cores
    cores = [int(k) for k in layers]
    assert all(str(c) == k for c, k in zip(cores, layers, strict=True))
    assert len(set(cores)) == len(cores) and all(0 <= c < SPECK.cores for c in cores)
    names = [layer["name"] for layer in layers.values()]
    assert len(set(names)) == len(names)

    arrays = np.load(sinabs_out / "speck_weights.npz")
    g = nx.DiGraph()
    g.add_nodes_from(cores)
    lo16, hi16 = int_range(SPECK.threshold_bits)
    for key, layer in layers.items():
        core = int(key)
        dims = layer["dimensions"]
        k = dims["kernel_size"]
        assert 1 <= k <= SPECK.max_kernel
        assert dims["stride"]["x"] in SPECK.strides and dims["stride"]["y"] in SPECK.strides
        assert 0 <= dims["padding"]["x"] <= SPECK.max_padding and 0 <= dims["padding"]["y"] <= SPECK.max_padding
        ins, outs = dims["input_shape"], dims["output_shape"]
        assert 1 <= outs["size"]["x"] <= SPECK.max_feature_size and 1 <= outs["size"]["y"] <= SPECK.max_feature_size
        assert 1 <= ins["feature_count"] <= SPECK.max_channels and 1 <= outs["feature_count"] <= SPECK.max_channels
        for axis in "xy":  # the output size follows from the input and the geometry
            assert (
                outs["size"][axis] == (ins["size"][axis] + 2 * dims["padding"][axis] - k) // dims["stride"][axis] + 1
            ), (key, dims)

        assert len(layer["destinations"]) == 2
        for dest in layer["destinations"]:
            assert dest["pooling"] in SPECK.poolings, dest
            if dest["enable"]:
                assert str(dest["layer"]) in layers, dest
                g.add_edge(core, dest["layer"])
                # what the destination reads is this core's output, pooled
                target = layers[str(dest["layer"])]["dimensions"]["input_shape"]
                assert target["feature_count"] == outs["feature_count"]
                for axis in "xy":
                    assert target["size"][axis] == outs["size"][axis] // dest["pooling"]

        assert isinstance(layer["threshold_high"], int) and 0 < layer["threshold_high"] <= hi16
        assert lo16 <= layer["threshold_low"] <= 0

        w = arrays[layer["weights"]["npz"]]
        b = arrays[layer["biases"]["npz"]]
        assert w.dtype == np.int8 and b.dtype == np.int8
        assert list(w.shape) == layer["weights"]["shape"] == [outs["feature_count"], ins["feature_count"], k, k]
        assert list(b.shape) == layer["biases"]["shape"] == [outs["feature_count"]]
        f, c = w.shape[:2]
        assert kernel_entries(c, f, k) <= SPECK.kernel_memory[core], (core, kernel_entries(c, f, k))
        assert neuron_entries(f, outs["size"]["y"], outs["size"]["x"]) <= SPECK.neuron_memory[core]
        assert f <= SPECK.bias_memory
    assert nx.is_directed_acyclic_graph(g)

    # the input: enabled DVS destinations name cores that read the input's size, pooled
    dvs = spec["dvs_layer"]
    assert len(dvs["destinations"]) == 2
    assert dvs["pooling"]["x"] in SPECK.poolings and dvs["pooling"]["y"] == dvs["pooling"]["x"]
    fed = [d["layer"] for d in dvs["destinations"] if d["enable"]]
    assert fed and fed == spec["input"]["cores"]
    c_in, h, w_ = spec["input"]["shape"]
    for core in fed:
        ins = layers[str(core)]["dimensions"]["input_shape"]
        assert ins["feature_count"] == c_in
        assert (ins["size"]["y"], ins["size"]["x"]) == (h // dvs["pooling"]["y"], w_ // dvs["pooling"]["x"])
    # every core is reached from the input
    reached = set().union(*(nx.descendants(g, c) | {c} for c in fed))
    assert reached == set(cores)

    # monitor exactly on the layer feeding the Output
    feeder = _sinabs_output_feeder()
    assert [layer["name"] for layer in layers.values() if layer["monitor_enable"]] == [feeder]
    # it is the last layer of the chain: no enabled destination
    last = next(layer for layer in layers.values() if layer["name"] == feeder)
    assert not any(d["enable"] for d in last["destinations"])

    report = json.loads((sinabs_out / "report.json").read_text())
    assert report["ok"] is True and report["target"] == "speck"
    assert {row["layer"]: row["core"] for row in report["layers"]} == {
        layer["name"]: int(k) for k, layer in layers.items()
    }
    for row in report["cores"]:
        assert row["kernel_used"] <= row["kernel_available"] and row["neuron_used"] <= row["neuron_available"]

    placed = nirc.read(sinabs_out / "model.mlir")
    ops = [op for op in top_graph(placed).body.block.ops if isinstance(op, speck.LayerOp)]
    assert {op.nir_name: int(op.core.value.data) for op in ops} == {
        layer["name"]: int(k) for k, layer in layers.items()
    }
    for op in ops:
        assert op.quantized and fits(op, int(op.core.value.data))


class _Obj:
    """A struct with fixed fields, like samna's configuration objects (pybind11 structs
    refuse an attribute they do not have)."""

    def __init__(self, **kw: Any):
        self.__dict__.update(kw)

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in self.__dict__:
            raise AttributeError(f"samna struct has no field {key!r}")
        if isinstance(self.__dict__[key], _Obj):
            raise TypeError(f"field {key!r} is a struct: set its fields")
        self.__dict__[key] = value

    def to_dict(self) -> dict[str, Any]:
        return {k: v.to_dict() if isinstance(v, _Obj) else v for k, v in self.__dict__.items()}


def _xy() -> _Obj:
    return _Obj(x=None, y=None)


def _fake_samna() -> types.ModuleType:
    def dest() -> _Obj:
        return _Obj(layer=None, enable=None, pooling=None, feature_shift=None)

    def shape() -> _Obj:
        return _Obj(size=_xy(), feature_count=None)

    def cnn_layer() -> _Obj:
        return _Obj(
            dimensions=_Obj(input_shape=shape(), output_shape=shape(), padding=_xy(), stride=_xy(), kernel_size=None),
            weights=None,
            biases=None,
            threshold_high=None,
            threshold_low=None,
            return_to_zero=None,
            leak_enable=None,
            monitor_enable=None,
            destinations=[dest(), dest()],
        )

    def configuration() -> _Obj:
        return _Obj(
            dvs_layer=_Obj(
                merge=None,
                origin=_xy(),
                cut=_xy(),
                pooling=_xy(),
                destinations=[_Obj(layer=None, enable=None), _Obj(layer=None, enable=None)],
                pass_sensor_events=None,
            ),
            cnn_layers=[cnn_layer() for _ in range(SPECK.cores)],
        )

    samna = types.ModuleType("samna")
    for chip in ("speck2f", "speck2e", "dynapcnn"):
        setattr(
            samna, chip, _Obj(configuration=_Obj(SpeckConfiguration=configuration, DynapcnnConfiguration=configuration))
        )
    return samna


def _import_loader(directory: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("nirc_test_load_samna", directory / "load_samna.py")
    assert spec is not None and spec.loader is not None
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader


def test_sinabs_loader_fills_samna(sinabs_out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "samna", _fake_samna())
    loader = _import_loader(sinabs_out)
    cfg = loader.build("speck2f")
    spec = json.loads((sinabs_out / "speck_config.json").read_text())
    arrays = np.load(sinabs_out / "speck_weights.npz")

    assert cfg.dvs_layer.pooling.x == spec["dvs_layer"]["pooling"]["x"]
    assert cfg.dvs_layer.pooling.y == spec["dvs_layer"]["pooling"]["y"]
    assert cfg.dvs_layer.pass_sensor_events is False
    assert cfg.dvs_layer.merge is (spec["input"]["shape"][0] == 1)
    assert cfg.dvs_layer.cut.to_dict() == {"x": spec["input"]["shape"][2] - 1, "y": spec["input"]["shape"][1] - 1}
    for got, want in zip(cfg.dvs_layer.destinations, spec["dvs_layer"]["destinations"], strict=True):
        assert (got.layer, got.enable) == (want["layer"], want["enable"])

    used = {int(k) for k in spec["cnn_layers"]}
    for core, target in enumerate(cfg.cnn_layers):
        if core not in used:
            assert target.weights is None  # untouched
            continue
        layer = spec["cnn_layers"][str(core)]
        w = arrays[layer["weights"]["npz"]]
        assert isinstance(target.weights, list)
        assert target.weights == w.tolist()
        assert np.array_equal(np.array(target.weights), w)
        assert target.biases == arrays[layer["biases"]["npz"]].tolist()
        assert target.dimensions.to_dict() == layer["dimensions"]
        assert target.threshold_high == layer["threshold_high"] > 0
        assert target.threshold_low == layer["threshold_low"]
        assert target.monitor_enable is layer["monitor_enable"]
        assert target.return_to_zero is False  # subtract reset, the default
        for got, want in zip(target.destinations, layer["destinations"], strict=True):
            assert (got.layer, got.enable, got.pooling, got.feature_shift) == (
                want["layer"],
                want["enable"],
                want["pooling"],
                want["feature_shift"],
            )
    # the chain of cores: each core but the last sends to the next one
    enabled = {core: [d.layer for d in cfg.cnn_layers[core].destinations if d.enable] for core in used}
    assert sum(len(v) for v in enabled.values()) == len(used) - 1

    # the other chip families take the same files
    assert loader.build("dynapcnn").cnn_layers[min(used)].weights == cfg.cnn_layers[min(used)].weights


def test_loader_refuses_a_foreign_config(sinabs_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "samna", _fake_samna())
    other = tmp_path / "other"
    shutil.copytree(sinabs_out, other)
    spec = json.loads((other / "speck_config.json").read_text())
    spec["format"] = "something-else/2"
    (other / "speck_config.json").write_text(json.dumps(spec))
    loader = _import_loader(other)
    with pytest.raises(ValueError, match="not a nirc Speck configuration"):
        loader.build("speck2f")


# --------------------------------------------------------------------------------------
# 5. The output directory is all or nothing
# --------------------------------------------------------------------------------------


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture
def small_model(tmp_path: Path) -> Path:
    path = tmp_path / "small.nir"
    nirc.write(module(single((2, 8, 8), conv(4, 2, 3, pad=1), (4, 8, 8))), path)
    return path


def test_rerun_replaces_outdir(sinabs_out: Path, small_model: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "OUTDIR"
    shutil.copytree(sinabs_out, outdir)
    (outdir / "stale.txt").write_text("from an earlier run")
    res = run_tool("nir-translate", small_model, "--target=speck", "-o", outdir)
    assert res.code == 0, res.stderr
    assert {p.name for p in outdir.iterdir()} == ARTEFACTS  # replaced, not merged
    spec = json.loads((outdir / "speck_config.json").read_text())
    assert [layer["name"] for layer in spec["cnn_layers"].values()] == ["n"]
    assert sorted(np.load(outdir / "speck_weights.npz").files) == ["core0.biases", "core0.weights"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUTDIR", "small.nir"]  # no temporary or old copy left


def test_failing_run_leaves_outdir_untouched(sinabs_out: Path, bad_model: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "OUTDIR"
    shutil.copytree(sinabs_out, outdir)
    before = _snapshot(outdir)
    res = run_tool("nir-translate", bad_model, "--target=speck", "-o", outdir)
    assert res.code == 1
    assert "Traceback" not in res.stderr
    assert _snapshot(outdir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUTDIR", "bad.nir"]


def test_outdir_that_is_a_file_is_left_alone(small_model: Path, tmp_path: Path) -> None:
    target = tmp_path / "OUTDIR"
    target.write_text("not a directory")
    res = run_tool("nir-translate", small_model, "--target=speck", "-o", target)
    assert res.code == 1, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert "is not a directory" in res.stderr
    assert target.read_text() == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUTDIR", "small.nir"]


def test_write_dir_failing_midway_keeps_the_old_dir(tmp_path: Path) -> None:
    outdir = tmp_path / "OUTDIR"
    outdir.mkdir()
    (outdir / "keep.txt").write_text("old")

    def fill(d: Path) -> None:
        (d / "speck_config.json").write_text("{}")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        replace_dir(outdir, fill, owned=lambda d: True)
    assert _snapshot(outdir) == {"keep.txt": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["OUTDIR"]


# --------------------------------------------------------------------------------------
# 6. nir-run on the emitted model
# --------------------------------------------------------------------------------------


def test_nir_run_on_emitted_model(sinabs_out: Path, tmp_path: Path) -> None:
    steps = 20
    x = (np.random.default_rng(0).random((steps, 2, 34, 34)) < 0.2).astype(np.float32)
    xin, yout = tmp_path / "x.npy", tmp_path / "y.npz"
    np.save(xin, x)
    res = run_tool("nir-run", sinabs_out / "model.mlir", "--input", xin, "-o", yout)
    assert res.code == 0, res.stderr
    assert "Traceback" not in res.stderr
    with np.load(yout) as y:
        assert y.files == ["output"]
        spikes = y["output"]
    assert spikes.shape == (steps, 10)
    assert (spikes >= 0).all() and (spikes == np.round(spikes)).all()  # spike counts
    assert spikes.sum() > 0
    # the CLI runs what the Python API runs
    want = nirc.run(nirc.read(sinabs_out / "model.mlir"), x).outputs["output"]
    np.testing.assert_array_equal(spikes, want)
