"""The Xylo target's design rules and command line.

* every design rule (``nirc.targets.xylo.rules``) has a small model that breaks it and
  nothing else it need not, checked through the Python API: the rule, the node, and
  ``limit``/``actual``, on the chip whose limit it is (Audio 2, Audio 3, IMU);
* a model breaking several rules reports them all in one run of ``nir-translate``, one
  line each, and as JSON with ``--report=json``; nothing is written;
* bad option values are usage errors, a bad ``--calibration`` file a one-line error;
* the Braille SRNN of the NIR paper (``braille_noDelay_bias_zero.nir``) compiles for
  every chip: the rockpool specification's arrays, ``deploy.py``, ``model.mlir`` (which
  ``nir-run`` runs), the report; the output directory is all or nothing.
"""

from __future__ import annotations

import json
import py_compile
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import graph, inp, lif, module, out
from conftest import CORPUS, REPO, run_tool
from rule_cases import RuleCase, assert_violations, tool_violations
from xdsl.context import Context

import nirc
from nirc.core.dense import DenseAttr
from nirc.core.errors import NircError, Violation, Violations
from nirc.core.verify import verify_module
from nirc.dialects.nir import top_graph
from nirc.io.text import parse_module
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo.convert_snn_to_xylo import ConvertSnnToXyloPass
from nirc.targets.xylo.nir_to_xylo import NirToXyloPass
from nirc.targets.xylo.resources import CHIPS
from nirc.targets.xylo.rules import check

BRAILLE = CORPUS / "braille_noDelay_bias_zero.nir"
ROCKPOOL = CORPUS / "lif_rockpool.nir"
#: the Braille SRNN: 12 input channels, 38 recurrent hidden CubaLIF neurons, 7 readout
BRAILLE_SHAPE = (12, 38, 7)

# --------------------------------------------------------------------------------------
# Small models
# --------------------------------------------------------------------------------------


def lin(o: int, i: int, value: float = 0.1) -> dict:
    return {"type": "Linear", "weight": np.full((o, i), value, np.float32)}


def sparse(o: int, i: int) -> dict:
    """A Linear whose neuron ``k`` reads neuron ``k mod i``: one non-zero weight per row,
    so hidden-to-hidden weights cost little recurrent memory and fan-out."""
    w = np.zeros((o, i), np.float32)
    w[np.arange(o), np.arange(o) % i] = 0.5
    return {"type": "Linear", "weight": w}


def threshold(n: int, value: float) -> dict:
    d = lif(n)
    d["v_threshold"] = np.full(n, value, np.float32)
    return d


def net(channels: int = 4, hidden: int = 8, readout: int = 2, **replace: dict) -> dict:
    """in -> w1 -> h -> w2 -> r -> out: one hidden and one readout population (nodes
    given by name in ``replace`` instead)."""
    return graph(
        {
            "in": inp(channels),
            "w1": lin(hidden, channels),
            "h": lif(hidden),
            "w2": lin(readout, hidden),
            "r": lif(readout),
            "out": out(readout),
        }
        | replace,
        [("in", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")],
    )


def layered(sizes: list[int], *, readout: int = 2) -> dict:
    """in -> h0 -> h1 -> ... -> r -> out with sparse weights between hidden layers."""
    nodes: dict[str, Any] = {"in": inp(4)}
    edges, prev, width = [], "in", 4
    for i, n in enumerate(sizes):
        nodes[f"w{i}"] = lin(n, width) if i == 0 else sparse(n, width)
        nodes[f"h{i}"] = lif(n)
        edges += [(prev, f"w{i}"), (f"w{i}", f"h{i}")]
        prev, width = f"h{i}", n
    nodes |= {"wo": lin(readout, width), "r": lif(readout), "out": out(readout)}
    edges += [(prev, "wo"), ("wo", "r"), ("r", "out")]
    return graph(nodes, edges)


def two_input_populations(size: int = 100) -> dict:
    """Two hidden populations read the input: the second placed (ids 100..199) cannot
    lie in the first 128 ids."""
    return graph(
        {
            "in": inp(4),
            "wa": lin(size, 4),
            "a": lif(size),
            "wb": lin(size, 4, 0.2),
            "b": lif(size),
            "wac": sparse(10, size),
            "wbc": sparse(10, size),
            "c": lif(10),
            "wo": lin(2, 10),
            "r": lif(2),
            "out": out(2),
        },
        [
            ("in", "wa"),
            ("wa", "a"),
            ("in", "wb"),
            ("wb", "b"),
            ("a", "wac"),
            ("b", "wbc"),
            ("wac", "c"),
            ("wbc", "c"),
            ("c", "wo"),
            ("wo", "r"),
            ("r", "out"),
        ],
    )


def two_readout_sources(size: int = 100) -> dict:
    """The readout reads two hidden populations: they cannot both lie in the last 128 ids.
    ``h`` (10) reads the input and comes first, then ``a`` and ``b``: the first of them
    placed has ids 10..109."""
    return graph(
        {
            "in": inp(4),
            "w": lin(10, 4),
            "h": lif(10),
            "wa": sparse(size, 10),
            "a": lif(size),
            "wb": sparse(size, 10),
            "b": lif(size),
            "woa": lin(2, size),
            "wob": lin(2, size),
            "r": lif(2),
            "out": out(2),
        },
        [
            ("in", "w"),
            ("w", "h"),
            ("h", "wa"),
            ("wa", "a"),
            ("h", "wb"),
            ("wb", "b"),
            ("a", "woa"),
            ("b", "wob"),
            ("woa", "r"),
            ("wob", "r"),
            ("r", "out"),
        ],
    )


def recurrent(n: int, weight: np.ndarray) -> dict:
    """A hidden population with recurrent weights ``weight`` (a Linear from it to itself)."""
    return graph(
        {
            "in": inp(4),
            "w1": lin(n, 4),
            "h": lif(n),
            "rec": {"type": "Linear", "weight": weight.astype(np.float32)},
            "w2": lin(2, n),
            "r": lif(2),
            "out": out(2),
        },
        [("in", "w1"), ("w1", "h"), ("h", "rec"), ("rec", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")],
    )


def band(n: int, width: int) -> np.ndarray:
    """``n x n`` weights where each neuron sends to ``width`` others (a circulant band)."""
    i = np.arange(n)
    return ((i[:, None] - i[None, :]) % n < width) * 0.01


def _conv_front() -> dict:
    """A 1x2x2 input through Conv2d, SumPool2d and Flatten: three nodes Xylo has not."""
    conv = {
        "type": "Conv2d",
        "weight": np.full((1, 1, 1, 1), 0.5, np.float32),
        "bias": np.zeros(1, np.float32),
        "stride": np.array([1, 1]),
        "padding": np.array([0, 0]),
        "dilation": np.array([1, 1]),
        "groups": np.array(1),
    }
    pool = {
        "type": "SumPool2d",
        "kernel_size": np.array([1, 1]),
        "stride": np.array([1, 1]),
        "padding": np.array([0, 0]),
    }
    flat = {"type": "Flatten", "start_dim": np.array(0), "end_dim": np.array(-1), "input_type": np.array([1, 2, 2])}
    return graph(
        {
            "in": inp(1, 2, 2),
            "c": conv,
            "p": pool,
            "f": flat,
            "w1": lin(8, 4),
            "h": lif(8),
            "w2": lin(2, 8),
            "r": lif(2),
            "out": out(2),
        },
        [("in", "c"), ("c", "p"), ("p", "f"), ("f", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")],
    )


def _two_dimensional_neurons() -> dict:
    """A 1x2x2 LIF population (after a Conv2d): Xylo's neurons are 1-D ids."""
    nodes = _conv_front()["nodes"]
    return graph(
        {k: nodes[k] for k in ("in", "c", "f", "r", "out")} | {"h": lif(1, 2, 2), "w2": lin(2, 4)},
        [("in", "c"), ("c", "h"), ("h", "f"), ("f", "w2"), ("w2", "r"), ("r", "out")],
    )


def _delay() -> dict:
    d = net()
    d["nodes"]["d"] = {"type": "Delay", "delay": np.full(8, 2e-3, np.float32)}
    d["edges"] = [("in", "w1"), ("w1", "d"), ("d", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")]
    return d


def _two_inputs() -> dict:
    d = net()
    d["nodes"] |= {"in2": inp(4), "w1b": lin(8, 4)}
    d["edges"] += [("in2", "w1b"), ("w1b", "h")]
    return d


def _two_dimensional_input() -> dict:
    d = net()
    d["nodes"]["in"] = inp(2, 2)
    d["nodes"]["f"] = {
        "type": "Flatten",
        "start_dim": np.array(0),
        "end_dim": np.array(-1),
        "input_type": np.array([2, 2]),
    }
    d["edges"] = [("in", "f"), ("f", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")]
    return d


def _input_read_by_a_neuron() -> dict:
    return graph(
        {"in": inp(4), "h": lif(4), "w2": lin(2, 4), "r": lif(2), "out": out(2)},
        [("in", "h"), ("h", "w2"), ("w2", "r"), ("r", "out")],
    )


def _one_layer() -> dict:
    return graph({"in": inp(4), "w1": lin(8, 4), "h": lif(8), "out": out(8)}, [("in", "w1"), ("w1", "h"), ("h", "out")])


def _recurrent_readout() -> dict:
    d = net()
    d["nodes"]["rr"] = lin(2, 2)
    d["edges"] += [("r", "rr"), ("rr", "r")]
    return d


def _readout_reads_input() -> dict:
    d = net()
    d["nodes"]["wi"] = lin(2, 4)
    d["edges"] += [("in", "wi"), ("wi", "r")]
    return d


def _readout_feeds_back() -> dict:
    """The readout's spikes go back to the hidden population (a cycle of two
    populations: convert-nir-to-snn delays its back edge, ``wx.previous``)."""
    d = net()
    d["nodes"]["wx"] = lin(8, 2)
    d["edges"] += [("r", "wx"), ("wx", "h")]
    return d


def _two_outputs() -> dict:
    d = net()
    d["nodes"]["o2"] = out(8)
    d["edges"].append(("h", "o2"))
    return d


def _output_of_weights() -> dict:
    return graph(
        {"in": inp(4), "w1": lin(8, 4), "h": lif(8), "w2": lin(2, 8), "out": out(2)},
        [("in", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "out")],
    )


def _no_output() -> dict:
    d = net()
    del d["nodes"]["out"]
    d["edges"].remove(("r", "out"))
    return d


def _li_hidden() -> dict:
    """An LI as the hidden layer: it cannot reach the readout (an LI readout is read out
    as membranes, test_an_li_readout_is_read_out_as_membranes)."""
    li = {
        "type": "LI",
        "tau": np.full(8, 0.01, np.float32),
        "r": np.ones(8, np.float32),
        "v_leak": np.zeros(8, np.float32),
    }
    return net(h=li)


# --------------------------------------------------------------------------------------
# Ways of collecting violations through the Python API
# --------------------------------------------------------------------------------------


def to_snn(d: dict, chip: str = "audio2") -> Any:
    """The model as nir-to-xylo hands it to convert-snn-to-xylo."""
    m = module(d)
    ctx = Context()
    for step in NirToXyloPass(chip=chip).front():
        step.apply(ctx, m)
    return m


def by_check(chip: str = "audio2") -> Callable[[dict], list[Violation]]:
    def collect(d: dict) -> list[Violation]:
        return list(check(top_graph(to_snn(d, chip)), CHIPS[chip]).violations)

    return collect


def by_pipeline(chip: str = "audio2") -> Callable[[dict], list[Violation]]:
    """nir-to-xylo itself: the violations convert-snn-to-xylo raises."""

    def collect(d: dict) -> list[Violation]:
        try:
            NirToXyloPass(chip=chip).apply(Context(), module(d))
        except Violations as err:
            return list(err.violations)
        return []

    return collect


def by_passes(*passes) -> Callable[[dict], list[Violation]]:
    def collect(d: dict) -> list[Violation]:
        m = module(d)
        try:
            for p in passes:
                p.apply(Context(), m)
        except Violations as err:
            return list(err.violations)
        return []

    return collect


def with_decay(value: float) -> Callable[[dict], list[Violation]]:
    """Check after setting the hidden population's decay to ``value`` (an `snn` model
    written by hand may hold any decay)."""

    def collect(d: dict) -> list[Violation]:
        m = to_snn(d)
        (h,) = [op for op in top_graph(m).body.block.ops if getattr(op, "nir_name", None) == "h"]
        h.properties["decay"] = DenseAttr.from_array(np.full(8, value))
        return list(check(top_graph(m), CHIPS["audio2"]).violations)

    return collect


# --------------------------------------------------------------------------------------
# 1. Every rule has a failing example
# --------------------------------------------------------------------------------------


@dataclass
class Case(RuleCase):
    collect: Callable[[dict], list[Violation]] | None = field(default_factory=by_check)


UNSUPPORTED = {"xylo-input", "xylo-weights"}  # a 1x2x2 input and what reads the Flatten

CASES = [
    Case(
        "unsupported-conv-pool-flatten",
        "xylo-unsupported",
        _conv_front,
        node={"c", "p", "f"},
        count=3,
        also=UNSUPPORTED,
        message="Xylo has no nir.",
    ),
    Case(
        "unsupported-delay",
        "xylo-unsupported",
        _delay,
        node="d",
        also={"xylo-weights"},
        message="Xylo has no snn.delay",
    ),
    Case("input-two", "xylo-input", _two_inputs, node=None, limit=1, actual=2, message="one input"),
    Case(
        "input-2d",
        "xylo-input",
        _two_dimensional_input,
        node="in",
        actual=[2, 2],
        also={"xylo-unsupported", "xylo-weights"},
        message="1-D channels",
    ),
    Case("input-channels", "xylo-input-channels", lambda: net(channels=17), node="in", limit=16, actual=17),
    Case(
        "hidden-count-audio2",
        "xylo-hidden-count",
        lambda: net(hidden=1001),
        node=None,
        limit=1000,
        actual=1001,
        message="Xylo Audio 2",
    ),
    # three populations, so that the input and output windows hold (497 in one would not)
    Case(
        "hidden-count-imu",
        "xylo-hidden-count",
        lambda: layered([100, 297, 100]),
        node=None,
        limit=496,
        actual=497,
        collect=by_check("imu"),
        message="Xylo IMU",
    ),
    Case("readout-count-audio2", "xylo-readout-count", lambda: net(readout=9), node="r", limit=8, actual=9),
    Case(
        "readout-count-imu",
        "xylo-readout-count",
        lambda: net(readout=17),
        node="r",
        limit=16,
        actual=17,
        collect=by_check("imu"),
    ),
    Case(
        "readout-count-audio3",
        "xylo-readout-count",
        lambda: net(readout=33),
        node="r",
        limit=32,
        actual=33,
        collect=by_check("audio3"),
    ),
    # one of 'a' and 'b' takes ids 100..199: past the first 128
    Case(
        "input-window-imu",
        "xylo-input-window",
        two_input_populations,
        node={"a", "b"},
        limit=128,
        actual=200,
        collect=by_check("imu"),
        message="needs ids 100..199",
    ),
    Case(
        "input-window-audio3",
        "xylo-input-window",
        two_input_populations,
        node={"a", "b"},
        limit=128,
        actual=200,
        collect=by_check("audio3"),
    ),
    # 210 hidden ids: the readout reads 82..209, 'a' or 'b' has 10..109 (200 from the end)
    Case(
        "output-window-audio3",
        "xylo-output-window",
        two_readout_sources,
        node={"a", "b"},
        limit=128,
        actual=200,
        collect=by_check("audio3"),
        message="the last 128 hidden ids (82..209) on Xylo Audio 3 (SYNS65302)",
    ),
    Case(
        "output-window-imu",
        "xylo-output-window",
        two_readout_sources,
        node={"a", "b"},
        limit=128,
        actual=200,
        collect=by_check("imu"),
    ),
    Case("fanout-audio2", "xylo-fanout", lambda: recurrent(65, np.full((65, 65), 0.01)), node="h", limit=64, actual=65),
    # 600 neurons sending 60 weights each: within the fan-out, beyond the memory
    Case(
        "recurrent-memory-audio2",
        "xylo-recurrent-memory",
        lambda: recurrent(600, band(600, 60)),
        node=None,
        limit=32000,
        actual=36000,
    ),
    Case(
        "threshold-zero",
        "xylo-threshold",
        lambda: net(h=threshold(8, 0.0)),
        node="h",
        limit=">0",
        actual=0.0,
    ),
    Case(
        "threshold-negative",
        "xylo-threshold",
        lambda: net(r=threshold(2, -1.0)),
        node="r",
        limit=">0",
        actual=-1.0,
    ),
    Case(
        "layers",
        "xylo-layers",
        _one_layer,
        node="h",
        limit=2,
        actual=1,
        also={"xylo-readout-source"},
        message="only neuron layer",
    ),
    Case("readout-recurrent", "xylo-readout-recurrent", _recurrent_readout, node="r"),
    Case("readout-source", "xylo-readout-source", _readout_reads_input, node="r", message="not the input"),
    Case(
        "readout-fanout",
        "xylo-readout-fanout",
        _readout_feeds_back,
        node="r",
    ),
    Case("weights", "xylo-weights", _input_read_by_a_neuron, node="h", message="'h' reads nir.input 'in' directly"),
    Case(
        "output-two", "xylo-output", _two_outputs, node={"out", "o2"}, count=2, limit=1, actual=2, message="one Output"
    ),
    Case("output-of-weights", "xylo-output", _output_of_weights, node="out"),
    Case("output-none", "xylo-output", _no_output, node=None),
    Case("spiking", "xylo-spiking", _li_hidden, node="h", message="no threshold"),
    Case(
        "semantics",
        "xylo-semantics",
        net,
        node={"h", "r"},
        limit="subtract",
        actual="value",
        count=2,
        collect=by_passes(ConvertNirToSnnPass(dt=1e-3, semantics="xylo", reset="value"), ConvertSnnToXyloPass()),
    ),
    Case("decay", "xylo-decay", net, node="h", collect=with_decay(1.5), message="[1.5, 1.5]"),
    Case(
        "shape",
        "xylo-shape",
        _two_dimensional_neurons,
        node="h",
        actual=[1, 2, 2],
        also={"xylo-unsupported", "xylo-input", "xylo-weights"},
    ),
    # the pipeline reports what check() does
    Case(
        "pipeline-readout-count",
        "xylo-readout-count",
        lambda: net(readout=17),
        node="r",
        limit=16,
        actual=17,
        collect=by_pipeline("imu"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_has_a_failing_example(case: Case) -> None:
    assert case.collect is not None
    assert_violations(case, case.collect(case.model()))


def test_every_rule_has_an_example() -> None:
    """Adding a rule without a failing example above fails here."""
    covered = {c.rule for c in CASES}
    sources = sorted((REPO / "nirc" / "targets" / "xylo").glob("*.py"))
    raised = {m for p in sources for m in re.findall(r'Violation\(\s*"(xylo-[a-z-]+)"', p.read_text())}
    assert len(raised) > 10, "no rule names found: the pattern is stale"
    assert raised <= covered, raised - covered


#: the rules whose limit is a least number (the others' is a most)
MINIMA = {"xylo-layers"}


def test_numeric_limits_are_exceeded() -> None:
    """Wherever limit and actual are both numbers, actual is beyond the limit."""
    for case in CASES:
        for v in case.collect(case.model()):
            if isinstance(v.limit, int) and isinstance(v.actual, int) and not isinstance(v.limit, bool):
                assert (v.actual < v.limit) if v.rule in MINIMA else (v.actual > v.limit), (case.id, v.to_json())


@pytest.mark.parametrize(
    ("model", "chip"),
    [
        (lambda: net(hidden=1000, readout=8), "audio2"),
        (lambda: layered([100, 792, 100], readout=32), "audio3"),
        (lambda: layered([100, 296, 100], readout=16), "imu"),
        (lambda: recurrent(64, np.full((64, 64), 0.01)), "audio2"),
        (lambda: recurrent(600, band(600, 53)), "audio2"),  # 31800 recurrent weights
    ],
    ids=["audio2-full", "audio3-full", "imu-full", "fanout-64", "recurrent-memory-31800"],
)
def test_the_limits_themselves_are_allowed(model: Callable[[], dict], chip: str) -> None:
    assert by_check(chip)(model()) == []


@pytest.mark.parametrize(
    "model", [two_input_populations, two_readout_sources], ids=["two-input-populations", "two-readout-sources"]
)
def test_audio2_has_no_windows(model: Callable[[], dict]) -> None:
    assert by_check("audio2")(model()) == []


def test_windows_place_input_populations_first_and_readout_sources_last() -> None:
    """On IMU the populations are reordered (input first, readout's last); on Audio 2
    they keep the model's order."""
    d = graph(
        {
            "in": inp(4),
            "wl": sparse(100, 20),
            "last": lif(100),
            "wf": lin(20, 4),
            "first": lif(20),
            "wo": lin(2, 100),
            "r": lif(2),
            "out": out(2),
        },
        [("in", "wf"), ("wf", "first"), ("first", "wl"), ("wl", "last"), ("last", "wo"), ("wo", "r"), ("r", "out")],
    )
    for chip in ("imu", "audio2"):
        a = check(top_graph(to_snn(d, chip)), CHIPS[chip])
        assert a.violations == []
        ids = {p.name: (p.ids.start, p.ids.stop) for p in a.hidden}
        assert ids == {"first": (0, 20), "last": (20, 120)}, chip


def test_the_paper_lif_rockpool_has_one_neuron_layer(corpus: Path, tmp_path: Path) -> None:
    """``lif_rockpool.nir`` is one LIF neuron read straight from the input: no hidden layer."""
    res = run_tool("nir-translate", ROCKPOOL, "--target=xylo", "-o", tmp_path / "out", "--report=json")
    assert res.code == 1, res.stderr
    assert "Traceback" not in res.stderr
    violations = json.loads(res.stdout)["violations"]
    assert {"rule": "xylo-layers", "node": "1_LIFNeuronTorch", "limit": 2, "actual": 1} in [
        {k: v[k] for k in ("rule", "node", "limit", "actual")} for v in violations
    ]
    assert {v["rule"] for v in violations} == {"xylo-layers", "xylo-readout-source"}
    assert not (tmp_path / "out").exists()


def test_a_cycle_of_two_hidden_populations_is_recurrent_weights() -> None:
    """h1 -> h2 -> h1: Xylo's w_rec holds both blocks (delivered a step late, as the
    model's delayed back edge is)."""
    d = graph(
        {
            "in": inp(4),
            "w1": lin(8, 4),
            "h1": lif(8),
            "w12": lin(8, 8),
            "h2": lif(8),
            "w21": lin(8, 8),
            "w2": lin(2, 8),
            "r": lif(2),
            "out": out(2),
        },
        [
            ("in", "w1"),
            ("w1", "h1"),
            ("h1", "w12"),
            ("w12", "h2"),
            ("h2", "w21"),
            ("w21", "h1"),
            ("h2", "w2"),
            ("w2", "r"),
            ("r", "out"),
        ],
    )
    assert by_check()(d) == []


# --------------------------------------------------------------------------------------
# 2. All violations at once, on the command line
# --------------------------------------------------------------------------------------


def _bad_model() -> dict:
    """17 input channels, a zero threshold, a recurrent readout of 9 neurons."""
    d = graph(
        {
            "in": inp(17),
            "w1": lin(8, 17),
            "h": threshold(8, 0.0),
            "w2": lin(9, 8),
            "r": lif(9),
            "rr": lin(9, 9),
            "out": out(9),
        },
        [("in", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "r"), ("r", "rr"), ("rr", "r"), ("r", "out")],
    )
    return d


@pytest.fixture
def bad_model(tmp_path: Path) -> Path:
    path = tmp_path / "bad.nir"
    nirc.write(module(_bad_model()), path)
    return path


BAD_FOUND = [
    ("xylo-threshold", "h"),
    ("xylo-readout-recurrent", "r"),
    ("xylo-input-channels", "in"),
    ("xylo-readout-count", "r"),
]


def test_all_violations_at_once(bad_model: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "OUT"
    res = run_tool("nir-translate", bad_model, "--target=xylo", "-o", outdir)
    assert res.code == 1, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    found = tool_violations(res.stderr, bad_model, "xylo")
    assert sorted(found) == sorted(BAD_FOUND), lines
    assert "17 input channels, Xylo has 16" in res.stderr
    assert "9 readout neurons, Xylo Audio 2 (SYNS61201) has 8" in res.stderr
    assert not outdir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nir"]  # no temporary left

    res_json = run_tool("nir-translate", bad_model, "--target=xylo", "-o", outdir, "--report=json")
    assert res_json.code == 1
    assert "Traceback" not in res_json.stderr
    report = json.loads(res_json.stdout)
    assert report["ok"] is False and report["target"].startswith("xylo")
    violations = report["violations"]
    for v in violations:
        assert set(v) == {"rule", "node", "message", "limit", "actual"}, v
    assert [(v["rule"], v["node"]) for v in violations] == found
    by_rule = {v["rule"]: v for v in violations}
    assert (by_rule["xylo-input-channels"]["limit"], by_rule["xylo-input-channels"]["actual"]) == (16, 17)
    assert (by_rule["xylo-readout-count"]["limit"], by_rule["xylo-readout-count"]["actual"]) == (8, 9)
    assert (by_rule["xylo-threshold"]["limit"], by_rule["xylo-threshold"]["actual"]) == (">0", 0.0)
    assert res_json.stderr.strip().splitlines() == lines
    assert not outdir.exists()


def test_the_chip_option_chooses_the_limits(bad_model: Path, tmp_path: Path) -> None:
    """IMU has 16 readout neurons: the 9 of the model fit, the other rules still fail."""
    res = run_tool("nir-translate", bad_model, "--target=xylo", "--chip=imu", "-o", tmp_path / "OUT", "--report=json")
    assert res.code == 1, res.stderr
    report = json.loads(res.stdout)
    assert report["ok"] is False
    assert sorted((v["rule"], v["node"]) for v in report["violations"]) == sorted(
        f for f in BAD_FOUND if f[0] != "xylo-readout-count"
    )


def test_a_violation_without_a_node_names_the_model(tmp_path: Path) -> None:
    """Whole-model rules (the hidden neurons in all) print no node."""
    model = tmp_path / "big.nir"
    nirc.write(module(net(hidden=1001)), model)
    res = run_tool("nir-translate", model, "--target=xylo", "-o", tmp_path / "OUT")
    assert res.code == 1
    assert res.stderr.strip().splitlines() == [
        f"nir-translate: error: {model}: 1001 hidden neurons, Xylo Audio 2 (SYNS61201) has 1000 [xylo-hidden-count]"
    ]
    assert not (tmp_path / "OUT").exists()


# --------------------------------------------------------------------------------------
# 3. Options and the calibration file
# --------------------------------------------------------------------------------------


@pytest.fixture
def small_model(tmp_path: Path) -> Path:
    path = tmp_path / "small.nir"
    nirc.write(module(net(channels=3, hidden=6, readout=2)), path)
    return path


@pytest.mark.parametrize("option", ["--chip=foo", "--dt=-1", "--dt=0", "--dt=x", "--dt=nan", "--dt=inf"])
def test_bad_option_values_are_usage_errors(small_model: Path, tmp_path: Path, option: str) -> None:
    name, value = option[2:].split("=")
    complaint = f"argument --{name}: " + (
        f"invalid choice: '{value}'" if name == "chip" else "must be a positive number of seconds"
    )
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", tmp_path / "OUT", option)
    assert res.code == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("nir-translate: error: ") and len(res.stderr.strip().splitlines()) == 1
    assert complaint in res.stderr
    assert not (tmp_path / "OUT").exists()


def test_a_bad_dt_says_why(small_model: Path, tmp_path: Path) -> None:
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", tmp_path / "OUT", "--dt=-1")
    assert res.code == 2
    assert "argument --dt: must be a positive number of seconds, got '-1'" in res.stderr


#: a bad calibration file of each kind, and what the error line says
BAD_CALIBRATIONS = {
    "missing": "cannot read the calibration input",
    "not-numpy": "cannot read the calibration input",
    "wrong-channels": "must be spike counts (T, 3) or (B, T, 3)",
    "wrong-rank": "must be spike counts (T, 3) or (B, T, 3), got shape [2, 10, 3, 1]",
    "no-steps": "must be spike counts (T, 3) or (B, T, 3)",
    "negative": "must hold spike counts (whole numbers >= 0)",
    "fractional": "must hold spike counts (whole numbers >= 0)",
    "not-finite": "must hold spike counts (whole numbers >= 0)",
}


def _calibration(kind: str, directory: Path) -> Path:
    path = directory / f"{kind}.npy"
    arrays = {
        "wrong-channels": np.zeros((10, 5)),
        "wrong-rank": np.zeros((2, 10, 3, 1)),
        "no-steps": np.zeros((0, 3)),
        "negative": -np.ones((10, 3)),
        "fractional": np.full((2, 10, 3), 0.5),
        "not-finite": np.full((10, 3), np.nan),
    }
    if kind == "not-numpy":
        path.write_text("not an array")
    elif kind in arrays:
        np.save(path, arrays[kind])
    return path


@pytest.mark.parametrize("kind", list(BAD_CALIBRATIONS))
def test_a_bad_calibration_file_is_one_error(small_model: Path, tmp_path: Path, kind: str) -> None:
    complaint = BAD_CALIBRATIONS[kind]
    calibration = _calibration(kind, tmp_path)
    outdir = tmp_path / "OUT"
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", outdir, "--calibration", calibration)
    assert res.code == 1, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"nir-translate: error: {calibration}: "), lines
    assert lines[0].endswith("[xylo-calibration]") and complaint in lines[0], lines
    assert not outdir.exists()


def test_no_agreement_leaves_it_out_of_the_report(small_model: Path, tmp_path: Path) -> None:
    res = run_tool(
        "nir-translate",
        small_model,
        "--target=xylo",
        "-o",
        tmp_path / "OUT",
        "--no-agreement",
        "--report=json",
    )
    assert res.code == 0, res.stderr
    assert "agreement" not in json.loads(res.stdout)


# --------------------------------------------------------------------------------------
# 4. The Braille SRNN on every chip
# --------------------------------------------------------------------------------------

ARTEFACTS = {"xylo_spec.npz", "xylo_spec.json", "deploy.py", "model.mlir", "report.json"}
CALIBRATION = (3, 40)  # batch, steps


@pytest.fixture(scope="module", params=sorted(CHIPS))
def braille_out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    if not BRAILLE.is_file():
        pytest.skip(f"paper corpus not found at {CORPUS}")
    chip = request.param
    base = tmp_path_factory.mktemp(f"braille-{chip}")
    calibration = base / "x.npy"
    rng = np.random.default_rng(1)
    np.save(calibration, (rng.random((*CALIBRATION, BRAILLE_SHAPE[0])) < 0.2).astype(np.int64))
    outdir = base / "OUT"
    res = run_tool(
        "nir-translate",
        BRAILLE,
        "--target=xylo",
        f"--chip={chip}",
        "--dt=1e-4",
        "--calibration",
        calibration,
        "-o",
        outdir,
    )
    assert res.code == 0, res.stderr
    assert "Traceback" not in res.stderr and "error" not in res.stderr, res.stderr
    assert f"wrote xylo artefacts to {outdir}" in res.stdout
    assert CHIPS[chip].product in res.stdout
    return chip, outdir


def test_braille_artefacts(braille_out: tuple[str, Path]) -> None:
    _, outdir = braille_out
    assert {p.name for p in outdir.iterdir()} == ARTEFACTS
    assert sorted(p.name for p in outdir.parent.iterdir()) == ["OUT", "x.npy"]  # no temporary left


def test_braille_specification_arrays(braille_out: tuple[str, Path]) -> None:
    chip_name, outdir = braille_out
    chip = CHIPS[chip_name]
    c, n, m = BRAILLE_SHAPE
    with np.load(outdir / "xylo_spec.npz", allow_pickle=False) as z:
        spec = {k: z[k] for k in z.files}
    assert set(spec) == {
        "weights_in",
        "weights_rec",
        "weights_out",
        "dash_mem",
        "dash_mem_out",
        "dash_syn",
        "dash_syn_2",
        "dash_syn_out",
        "threshold",
        "threshold_out",
        "bias",
        "bias_out",
        "weight_shift_in",
        "weight_shift_rec",
        "weight_shift_out",
        "dt",
    }
    # the dtypes of emit.py's docstring
    for key in ("weights_in", "weights_rec", "weights_out"):
        assert spec[key].dtype == np.int8, key
    for key in ("dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2", "dash_syn_out"):
        assert spec[key].dtype == np.uint8, key
        assert spec[key].max() <= chip.max_dash, key
    for key in ("threshold", "threshold_out", "bias", "bias_out"):
        assert spec[key].dtype == np.int16, key
    # rockpool's layout: [pre, post(, synapse)]; Audio 2 has two synapses per hidden neuron
    if chip.synapses == 2:
        assert spec["weights_in"].shape == (c, n, 2) and spec["weights_rec"].shape == (n, n, 2)
        assert not spec["weights_in"][..., 1].any() and not spec["weights_rec"][..., 1].any()  # the second is unused
    else:
        assert spec["weights_in"].shape == (c, n) and spec["weights_rec"].shape == (n, n)
    assert spec["weights_out"].shape == (n, m)
    assert spec["weights_in"].any() and spec["weights_rec"].any() and spec["weights_out"].any()
    for key, size in (("dash_mem", n), ("dash_syn", n), ("dash_syn_2", n), ("threshold", n), ("bias", n)):
        assert spec[key].shape == (size,), key
    for key in ("dash_mem_out", "dash_syn_out", "threshold_out", "bias_out"):
        assert spec[key].shape == (m,), key
    assert (spec["threshold"] > 0).all() and (spec["threshold_out"] > 0).all()
    for key in ("weight_shift_in", "weight_shift_rec", "weight_shift_out"):
        assert spec[key].shape == () and 0 <= int(spec[key]) <= chip.max_weight_shift, key
    assert int(spec["weight_shift_in"]) == int(spec["weight_shift_rec"])  # one current per hidden neuron
    assert float(spec["dt"]) == 1e-4
    # the recurrent weights obey the chip's limits
    sends = np.count_nonzero(spec["weights_rec"].reshape(n, n, -1), axis=(1, 2))
    assert sends.max() <= chip.max_fanout
    assert np.count_nonzero(spec["weights_rec"]) <= chip.recurrent_memory

    readable = json.loads((outdir / "xylo_spec.json").read_text())
    assert readable["format"] == "nirc-xylo-spec/1"
    assert (readable["chip"], readable["product"], readable["package"]) == (chip.name, chip.product, chip.package)
    for key in ("weights_in", "weights_rec", "weights_out"):
        assert readable[key] == {
            "npz": key,
            "shape": list(spec[key].shape),
            "dtype": "int8",
            "nonzero": int(np.count_nonzero(spec[key])),
        }
    for key in ("threshold", "bias", "dash_mem", "threshold_out"):
        assert readable[key] == spec[key].tolist(), key
    assert readable["aliases"] == [[]] * n
    assert readable["hidden_populations"] == [{"node": "lif1.lif", "ids": [0, n - 1]}]
    assert readable["readout_populations"] == [{"node": "lif2", "ids": [0, m - 1]}]


def test_braille_report(braille_out: tuple[str, Path]) -> None:
    chip_name, outdir = braille_out
    chip = CHIPS[chip_name]
    report = json.loads((outdir / "report.json").read_text())
    assert report["ok"] is True and report["target"] == "xylo"
    assert (report["chip"], report["product"], report["dt"]) == (chip.name, chip.product, 1e-4)
    resources = report["resources"]
    assert resources["input_channels"] == {"used": 12, "limit": 16}
    assert resources["hidden_neurons"] == {"used": 38, "limit": chip.hidden}
    assert resources["readout_neurons"] == {"used": 7, "limit": chip.readout}
    for row in resources.values():
        assert row["used"] <= row["limit"], resources
    assert [(p["node"], p["population"], p["ids"]) for p in report["populations"]] == [
        ("lif1.lif", "hidden", [0, 37]),
        ("lif2", "readout", [0, 6]),
    ]
    agreement = report["agreement"]
    assert agreement["input"]["random"] is False and agreement["input"]["file"].endswith("x.npy")
    assert (agreement["input"]["batch"], agreement["input"]["steps"]) == CALIBRATION
    assert agreement["latency_steps"] == 1
    assert 0 <= agreement["count_agreement"] <= 1 and agreement["model_spikes"] > 0


def test_braille_deploy_script_compiles(braille_out: tuple[str, Path], tmp_path: Path) -> None:
    chip_name, outdir = braille_out
    chip = CHIPS[chip_name]
    py_compile.compile(str(outdir / "deploy.py"), cfile=str(tmp_path / "deploy.pyc"), doraise=True)
    text = (outdir / "deploy.py").read_text()
    assert f"from {chip.package} import config_from_specification" in text
    assert f"from {chip.simulator}.xylo_sim import XyloSim" in text


def test_braille_model_is_quantized_xylo(braille_out: tuple[str, Path]) -> None:
    _, outdir = braille_out
    m = nirc.read(outdir / "model.mlir")
    ops = list(top_graph(m).body.block.ops)
    hidden = [op for op in ops if isinstance(op, xylo.HiddenOp)]
    readout = [op for op in ops if isinstance(op, xylo.ReadoutOp)]
    assert len(hidden) == 1 and len(readout) == 1
    assert hidden[0].quantized and readout[0].quantized
    with np.load(outdir / "xylo_spec.npz") as z:
        np.testing.assert_array_equal(hidden[0].param("threshold"), z["threshold"])
        np.testing.assert_array_equal(readout[0].param("w_out").T, z["weights_out"])


def test_nir_run_on_the_braille_model(braille_out: tuple[str, Path], tmp_path: Path) -> None:
    _, outdir = braille_out
    steps = 40
    x = (np.random.default_rng(0).random((steps, BRAILLE_SHAPE[0])) < 0.3).astype(np.float32)
    xin, yout = tmp_path / "x.npy", tmp_path / "y.npz"
    np.save(xin, x)
    res = run_tool("nir-run", outdir / "model.mlir", "--input", xin, "-o", yout)
    assert res.code == 0, res.stderr
    assert "Traceback" not in res.stderr
    with np.load(yout) as y:
        assert y.files == ["output"]
        spikes = y["output"]
    assert spikes.shape == (steps, BRAILLE_SHAPE[2])
    assert set(np.unique(spikes)) <= {0.0, 1.0}  # at most one spike per readout neuron and step
    assert spikes.sum() > 0
    want = nirc.run(nirc.read(outdir / "model.mlir"), x).outputs["output"]
    np.testing.assert_array_equal(spikes, want)


# --------------------------------------------------------------------------------------
# 5. The output directory is all or nothing
# --------------------------------------------------------------------------------------


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture
def earlier_out(small_model: Path, tmp_path: Path) -> Path:
    """An OUT directory written by an earlier run, with a stale file added."""
    outdir = tmp_path / "OUT"
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", outdir, "--no-agreement")
    assert res.code == 0, res.stderr
    (outdir / "stale.txt").write_text("from an earlier run")
    return outdir


def test_a_second_run_replaces_the_outdir(earlier_out: Path, tmp_path: Path) -> None:
    model = tmp_path / "other.nir"
    nirc.write(module(net(channels=5, hidden=4, readout=3)), model)
    res = run_tool("nir-translate", model, "--target=xylo", "--chip=imu", "-o", earlier_out, "--no-agreement")
    assert res.code == 0, res.stderr
    assert {p.name for p in earlier_out.iterdir()} == ARTEFACTS  # replaced, not merged
    readable = json.loads((earlier_out / "xylo_spec.json").read_text())
    assert readable["chip"] == "imu" and readable["weights_in"]["shape"] == [5, 4]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT", "other.nir", "small.nir"]  # nothing left over


def test_a_failing_run_leaves_the_outdir_untouched(earlier_out: Path, bad_model: Path, tmp_path: Path) -> None:
    before = _snapshot(earlier_out)
    res = run_tool("nir-translate", bad_model, "--target=xylo", "-o", earlier_out)
    assert res.code == 1 and "[xylo-" in res.stderr and "Traceback" not in res.stderr
    assert _snapshot(earlier_out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT", "bad.nir", "small.nir"]


def test_a_users_directory_is_never_replaced(small_model: Path, tmp_path: Path) -> None:
    mine = tmp_path / "results"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", mine, "--no-agreement")
    assert res.code == 1 and "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"nir-translate: error: {mine}: ") and lines[0].endswith("[file]")
    assert _snapshot(mine) == {"notes.txt": b"keep me"}
    # nor another target's artefacts
    speck_like = tmp_path / "speck"
    speck_like.mkdir()
    (speck_like / "speck_config.json").write_text('{"format": "nirc-speck-config/1"}')
    res = run_tool("nir-translate", small_model, "--target=xylo", "-o", speck_like, "--no-agreement")
    assert res.code == 1 and "[file]" in res.stderr
    assert [p.name for p in speck_like.iterdir()] == ["speck_config.json"]


# --------------------------------------------------------------------------------------
# 6. The verifier on a hand-written op
# --------------------------------------------------------------------------------------


def test_a_scalar_threshold_is_a_verifier_error() -> None:
    text = """nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<f32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}"""
    with pytest.raises(NircError, match=r"\[xylo-shape\]"):
        verify_module(parse_module(text))
