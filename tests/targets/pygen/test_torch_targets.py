"""The snnTorch and Norse targets, run with the real frameworks against ``nir-run``.

The emitted module (``model.py`` + ``weights.npz``) is imported from the output directory
and run on the same input as :func:`nirc.run` with the same semantics: on the paper's LIF
benchmark, both Braille SRNNs and the Speck CNN, and on random graphs (hypothesis) under
random choices of every discretization option.  Spikes must be identical.  Matrix
products round differently in torch and numpy (``docs/notes/simulator-frameworks.md``
§5.4); the comparisons run in float64, where a threshold tie within that rounding has not
happened on these inputs, and in float32 on the corpus.

The tests need torch, snntorch 1.0.0 and norse 1.1.0 (the ``simulators`` extra, and
norse with ``--no-deps``); without them they are skipped, except those that need no
framework (emission, names, bad input).
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from builders import conv, graph, iff, inp, out, pool
from conftest import (
    CORPUS,
    run_tool,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pass_strategies import pass_cases
from xdsl.context import Context

import nirc
import nirc.examples
from nirc.core.errors import NircError
from nirc.dialects.snn.discretization import DISCRETIZATION, record
from nirc.passes.nir_to_snn import NirToSnnPass
from nirc.passes.quantize import QuantizePass
from nirc.targets.norse.target import TARGET as NORSE
from nirc.targets.pygen.load import load_emitted
from nirc.targets.pygen.names import Namer
from nirc.targets.pygen.torch.backend import TORCH
from nirc.targets.snntorch.target import TARGET as SNNTORCH

TARGETS = {"snntorch": SNNTORCH, "norse": NORSE}
FRAMEWORKS = list(TARGETS)
_cases = itertools.count()


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


needs = {
    "snntorch": pytest.mark.skipif(not (has("torch") and has("snntorch")), reason="snntorch is not installed"),
    "norse": pytest.mark.skipif(not (has("torch") and has("norse")), reason="norse is not installed"),
}


def framework_params(*extra: Any) -> list[Any]:
    return [pytest.param(f, *extra, marks=needs[f], id=f) for f in FRAMEWORKS]


def load(outdir: Path) -> Any:
    return load_emitted(outdir)


def run_emitted(net: Any, x: np.ndarray) -> dict[str, np.ndarray] | np.ndarray:
    """``x`` as nirc.run takes it, ``(B, T, ...)``; outputs in the same layout."""
    import torch

    with torch.no_grad():
        y = net(torch.as_tensor(np.swapaxes(x, 0, 1)))
    if isinstance(y, dict):
        return {k: np.swapaxes(v.numpy(), 0, 1) for k, v in y.items()}
    return np.swapaxes(y.numpy(), 0, 1)


def emit(framework: str, module: Any, outdir: Path, **options: Any) -> dict[str, Any]:
    return TARGETS[framework].emit(module, outdir, **options)


def reference(module: Any, x: np.ndarray, **options: Any) -> dict[str, np.ndarray]:
    with np.errstate(all="ignore"):
        return nirc.run(module, x, **options).outputs


def assert_same(
    emitted: dict[str, np.ndarray] | np.ndarray, ref: dict[str, np.ndarray], rounding: bool = False
) -> None:
    """Equal outputs; with ``rounding`` (a node whose framework form rounds differently
    from nirc, so a membrane read out may differ in the last bits), equal to 1e-9
    relative, which spikes (whole numbers) can only meet by being equal."""
    if not isinstance(emitted, dict):
        assert len(ref) == 1
        emitted = {next(iter(ref)): emitted}
    assert set(emitted) == set(ref)
    for key, want in ref.items():
        got = emitted[key]
        assert got.shape == want.shape, key
        if rounding:
            near = np.isclose(got, want, rtol=1e-9, atol=1e-12, equal_nan=True) | (got == want)
            diff = np.flatnonzero(~near.reshape(-1))
        else:
            diff = np.flatnonzero(got.reshape(-1) != want.reshape(-1))
        assert diff.size == 0, (
            f"output {key!r}: {diff.size} of {want.size} entries differ, first at flat index {diff[0]}"
        )


def read(name: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nirc.read(CORPUS / name)


def corpus_or_skip() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")


# --------------------------------------------------------------------------- corpus


LIF_STEPS = [460, 510, 710, 760]


@pytest.mark.parametrize("semantics", ["nir", "norse", "snntorch", "exact"])
@pytest.mark.parametrize("framework", framework_params())
def test_lif_benchmark_spikes_as_the_paper(framework: str, semantics: str, tmp_path: Path) -> None:
    """The paper's single-neuron benchmark on the exact solution's input: every profile
    that should spike at 460, 510, 710, 760 does so in the emitted code too."""
    corpus_or_skip()
    x = np.loadtxt(CORPUS / "lif_traces" / "lif_exact.csv", delimiter=",")[:, :1]
    module = read("lif_norse.nir")
    emit(framework, module, tmp_path / "out", semantics=semantics, dtype="float64")
    y = run_emitted(load(tmp_path / "out"), x[None])
    ref = reference(module, x[None], semantics=semantics, dt=1e-4)
    assert_same(y, ref)
    assert list(np.flatnonzero(y[0, :, 0])) == LIF_STEPS


#: (file, semantics, what each framework must use for the recurrent layer)
BRAILLE = [
    ("braille_noDelay_bias_zero.nir", "nir", {"snntorch": "ExactNeuron", "norse": "norse.LIFRecurrentCell"}),
    ("braille_noDelay_bias_zero.nir", "snntorch", {"snntorch": "snn.RSynaptic", "norse": "ExactNeuron"}),
    ("braille_noDelay_noBias_subtract.nir", "snntorch", {"snntorch": "snn.RSynaptic", "norse": "ExactNeuron"}),
    ("braille_noDelay_noBias_subtract.nir", "norse", {"snntorch": "ExactNeuron", "norse": "norse.LIFRecurrentCell"}),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("name", "semantics", "recurrent"), BRAILLE, ids=[f"{b[0][:-4]}-{b[1]}" for b in BRAILLE])
@pytest.mark.parametrize("framework", framework_params())
def test_braille_srnn(
    framework: str, name: str, semantics: str, recurrent: dict[str, str], dtype: str, tmp_path: Path
) -> None:
    """Both Braille SRNNs: the fused recurrence becomes RSynaptic / LIFRecurrentCell where
    the framework computes the profile's step, nirc's own step elsewhere; spikes equal
    nir-run's in float64 and float32."""
    corpus_or_skip()
    module = read(name)
    report = emit(framework, module, tmp_path / "out", semantics=semantics, dtype=dtype)
    kinds = {n["node"]: n["module"] for n in report["nodes"]}
    assert kinds["lif1.lif"] == recurrent[framework]
    assert "lif1.w_rec" not in kinds  # fused into the neuron
    x = (np.random.default_rng(1).random((6, 120, 12)) < 0.15).astype(np.float64)
    y = run_emitted(load(tmp_path / "out"), x)
    ref = reference(module, x, semantics=semantics, dt=1e-4, dtype=dtype)
    assert_same(y, ref)
    assert next(iter(ref.values())).sum() > 0


@pytest.mark.parametrize(("semantics", "dt"), [("sinabs", None), ("snntorch", 1.0), ("norse", None), ("nir", 1.0)])
@pytest.mark.parametrize("framework", framework_params())
def test_cnn_sinabs_random_events(framework: str, semantics: str, dt: float | None, tmp_path: Path) -> None:
    """The paper's Speck CNN (Conv2d, IF, SumPool2d, Flatten, Affine) on random events.
    At dt = 1e-4 the `nir` and `snntorch` profiles scale the IF inputs by dt and the
    network stays silent; dt = 1 makes them fire."""
    corpus_or_skip()
    module = read("cnn_sinabs.nir")
    emit(framework, module, tmp_path / "out", semantics=semantics, dt=dt, dtype="float64")
    # A chain: Norse's idiom is one SequentialState stepped with a list of states.
    assert ("self.net = norse.SequentialState(" in (tmp_path / "out" / "model.py").read_text()) == (
        framework == "norse"
    )
    x = (np.random.default_rng(2).random((3, 40, 2, 34, 34)) < 0.1).astype(np.float64)
    y = run_emitted(load(tmp_path / "out"), x)
    ref = reference(module, x, semantics=semantics, dt=dt, dtype="float64")
    assert_same(y, ref)
    assert next(iter(ref.values())).sum() > 0


# --------------------------------------------------------------------------- random graphs

#: Random override of the profile's choices: (key, values).
CHOICES = [
    ("reset", ["value", "subtract", "none"]),
    ("compare", [">", ">="]),
    ("spike_timing", ["same", "next"]),
    ("reset_timing", ["same", "next"]),
    ("order", ["leak-then-integrate", "integrate-then-leak"]),
    ("multi_spike", [False, True]),
]
ARCHS = ("chain", "recurrent", "self-loop", "fan-in", "conv", "nested", "multi-entry")


@st.composite
def semantics_cases(draw: Any) -> tuple[str, dict[str, Any]]:
    profile = draw(st.sampled_from(sorted(n for n, sem in nirc.profiles().items() if not sem.lowering)))
    options = {}
    for key, values in CHOICES:
        if draw(st.integers(0, 3)) == 0:
            options[key] = draw(st.sampled_from(values))
    return profile, options


def _random_graph_case(framework: str, case: Any, sem: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    profile, options = sem
    event(f"arch {case.arch}")
    module = nirc.module_from_dict(case.graph)
    discrete = module.clone()
    try:
        NirToSnnPass(dt=case.dt, semantics=profile, **options).apply(Context(), discrete)
    except NircError:
        return  # e.g. a delay shorter than dt: not this test's business
    outdir = tmp_path / f"out{next(_cases)}"
    report = emit(framework, discrete, outdir, dtype="float64")
    for node in report["nodes"]:
        event(f"{node['module']} ({node['exact']})")
    x = case.x if case.batched else case.x[None]
    with np.errstate(all="ignore"):
        y = run_emitted(load(outdir), x)
    assert_same(y, reference(discrete, x), rounding=not report["bit_exact"])


@pytest.mark.parametrize("framework", framework_params())
@settings(
    max_examples=int(os.environ.get("NIRC_TORCH_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(case=pass_cases(archs=ARCHS), sem=semantics_cases())
def test_random_graphs_fire_as_nir_run(
    framework: str, case: Any, sem: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    """Random graphs of every node kind the torch targets take (chains, recurrences fused
    or not, self-loops, fan-in, convolutions and pools, delays, thresholds), discretized
    under a random profile with random overrides: the emitted model's outputs equal
    nir-run's on the `snn` module, bit for bit in float64."""
    _random_graph_case(framework, case, sem, tmp_path)


# --------------------------------------------------------------------------- mapping choices


def _leaky_module(**neuron: Any) -> Any:
    lif = {
        "type": "LIF",
        "tau": np.full(3, 2e-3),
        "r": np.full(3, 1.0),
        "v_leak": np.zeros(3),
        "v_threshold": np.full(3, 0.5),
        "v_reset": np.zeros(3),
    }
    lif.update({k: np.full(3, v) for k, v in neuron.items()})
    w = np.array([[1.0, 0.5], [0.2, 2.0], [1.5, -0.3]], np.float32)
    return nirc.module_from_dict(
        graph(
            {"in": inp(2), "w": {"type": "Linear", "weight": w}, "n": lif, "out": out(3)},
            [("in", "w"), ("w", "n"), ("n", "out")],
        )
    )


@pytest.mark.parametrize(
    ("framework", "neuron", "semantics", "module", "note"),
    [
        ("snntorch", {}, "snntorch", "snn.Leaky", ""),
        ("snntorch", {}, "nir", "snn.Leaky", ""),
        ("snntorch", {"v_reset": 0.2}, "nir", "ExactNeuron", "resets only to zero"),
        ("snntorch", {}, "spyx", "ExactNeuron", "emits a spike in the step"),
        ("snntorch", {}, "sinabs", "ExactNeuron", "subtracts the threshold one step after"),
        ("snntorch", {}, "xylo", "ExactNeuron", "spikes at most once per step"),
        ("norse", {}, "norse", "norse.LIFBoxCell", ""),
        ("norse", {"v_reset": 0.2}, "nir", "norse.LIFBoxCell", ""),
        ("norse", {}, "snntorch", "ExactNeuron", "reset in the spiking step"),
        ("norse", {}, "lava", "norse.LIFBoxCell", ""),
    ],
)
def test_each_neuron_names_how_it_is_computed(
    framework: str, neuron: dict, semantics: str, module: str, note: str
) -> None:
    """The report names the class computing each neuron, and why nirc's own step stands in
    where the framework's neuron computes something else."""
    _, report = TARGETS[framework].generate(_leaky_module(**neuron), semantics=semantics)
    row = next(n for n in report["nodes"] if n["node"] == "n")
    assert row["module"] == module
    assert note in row["note"]
    assert bool(row["note"]) == bool(note)


@pytest.mark.parametrize("framework", framework_params())
def test_explicit_modules_for_what_frameworks_lack(framework: str, tmp_path: Path) -> None:
    """A delay, a sum pooling, an average pooling, a scale, a threshold and an IF resetting
    to a non-zero value: small explicit modules (or nirc's step), never an approximation."""
    d = graph(
        {
            "in": inp(2, 6, 6),
            "c": conv(4, 2, 3, pad=1),
            "n": iff(4, 6, 6, th=0.25, v_reset=0.1),
            "p": pool(2),
            "a": {
                "type": "AvgPool2d",
                "kernel_size": np.array([3, 3]),
                "stride": np.array([3, 3]),
                "padding": np.array([0, 0]),
            },
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([4, 1, 1])},
            "d": {"type": "Delay", "delay": np.array([0.0, 2e-4, 3e-4, 1e-4])},
            "s": {"type": "Scale", "scale": np.array([1.0, 2.0, 0.5, -1.0])},
            "t": {"type": "Threshold", "threshold": np.array([0.1, 0.2, 0.0, -0.5])},
            "out": out(4),
        },
        [("in", "c"), ("c", "n"), ("n", "p"), ("p", "a"), ("a", "f"), ("f", "d"), ("d", "s"), ("s", "t"), ("t", "out")],
    )
    module = nirc.module_from_dict(d)
    report = emit(framework, module, tmp_path / "out", semantics="nir", dt=1.0, dtype="float64")
    kinds = {n["node"]: n["module"] for n in report["nodes"]}
    assert kinds["d"] == "Delay" and kinds["p"] == "nn.AvgPool2d" and kinds["t"] == "count_spikes"
    x = (np.random.default_rng(3).random((2, 12, 2, 6, 6)) < 0.4).astype(np.float64)
    y = run_emitted(load(tmp_path / "out"), x)
    ref = reference(module, x, semantics="nir", dt=1.0)
    assert_same(y, ref)
    assert next(iter(ref.values())).sum() > 0


@pytest.mark.parametrize("theta", [0.0, -0.3])
@pytest.mark.parametrize(
    ("reset", "compare", "reset_timing"),
    list(itertools.product(["value", "subtract", "none"], [">", ">="], ["same", "next"])),
)
@pytest.mark.parametrize("framework", framework_params())
def test_thresholds_at_and_below_zero(
    framework: str, reset: str, compare: str, reset_timing: str, theta: float, tmp_path: Path
) -> None:
    """Thresholds of 0 and below, with every reset, comparison and reset timing: where the
    framework's neuron cannot (snnTorch's zero reset with a threshold below 0, which '>='
    makes of 0), nirc's step stands in; the outputs are equal either way."""
    for key, synaptic in (("leaky", False), ("synaptic", True)):
        module = _leaky_module(v_threshold=theta) if not synaptic else _cuba_module(theta)
        NirToSnnPass(dt=1e-4, reset=reset, compare=compare, reset_timing=reset_timing).apply(Context(), module)
        outdir = tmp_path / key
        emit(framework, module, outdir, dtype="float64")
        x = np.random.default_rng(5).normal(0.0, 2.0, (2, 30, 2))
        assert_same(run_emitted(load(outdir), x), reference(module, x))


def _cuba_module(theta: float) -> Any:
    n = 3
    cuba = {
        "type": "CubaLIF",
        "tau_syn": np.full(n, 1e-3),
        "tau_mem": np.full(n, 2e-3),
        "r": np.full(n, 1.0),
        "v_leak": np.zeros(n),
        "v_threshold": np.full(n, theta),
        "v_reset": np.zeros(n),
        "w_in": np.full(n, 1.0),
    }
    w = np.array([[1.0, 0.5], [0.2, 2.0], [1.5, -0.3]], np.float32)
    return nirc.module_from_dict(
        graph(
            {"in": inp(2), "w": {"type": "Linear", "weight": w}, "n": cuba, "out": out(3)},
            [("in", "w"), ("w", "n"), ("n", "out")],
        )
    )


@pytest.mark.parametrize(("kind", "padding"), [("SumPool2d", 0), ("SumPool2d", 2), ("AvgPool2d", 1), ("AvgPool2d", 3)])
@pytest.mark.parametrize("framework", framework_params())
def test_pools_of_real_values_agree_to_rounding(framework: str, kind: str, padding: int, tmp_path: Path) -> None:
    """torch sums a window in another order than numpy: exact on spikes, to rounding on real
    values (and so reported); a padding beyond half the kernel (which torch's pools refuse)
    is a ZeroPad2d in front."""
    pool_node = {
        "type": kind,
        "kernel_size": np.array([3, 3]),
        "stride": np.array([2, 2]),
        "padding": np.array([padding, padding]),
    }
    side = (6 + 2 * padding - 3) // 2 + 1
    module = nirc.module_from_dict(
        graph({"in": inp(2, 6, 6), "p": pool_node, "out": out(2, side, side)}, [("in", "p"), ("p", "out")])
    )
    report = emit(framework, module, tmp_path / "out", dtype="float64")
    assert not report["bit_exact"]
    x = np.random.default_rng(6).normal(size=(2, 5, 2, 6, 6))
    ref = reference(module, x, dtype="float64")
    assert_same(run_emitted(load(tmp_path / "out"), x), ref, rounding=True)
    spikes = (x > 0.5).astype(np.float64)
    assert_same(run_emitted(load(tmp_path / "out"), spikes), reference(module, spikes, dtype="float64"))


@pytest.mark.parametrize("framework", framework_params())
def test_several_inputs_and_outputs_by_name(framework: str, tmp_path: Path) -> None:
    """Several Inputs: forward takes a dict keyed by Input name, as nirc.run does; several
    Outputs: a dict keyed by Output name."""
    w = {"type": "Linear", "weight": np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)}
    lif = {
        "type": "LIF",
        "tau": np.full(2, 2e-3),
        "r": np.ones(2),
        "v_leak": np.zeros(2),
        "v_threshold": np.full(2, 0.05),
        "v_reset": np.zeros(2),
    }
    d = graph(
        {"b": inp(2), "a": inp(2), "w": w, "n": lif, "o2": out(2), "o1": out(2)},
        [("a", "w"), ("b", "w"), ("w", "n"), ("n", "o1"), ("a", "o2")],
    )
    module = nirc.module_from_dict(d)
    emit(framework, module, tmp_path / "out", dtype="float64")
    rng = np.random.default_rng(7)
    xs = {"a": rng.random((2, 12, 2)), "b": 3 * rng.random((2, 12, 2))}
    import torch

    with torch.no_grad():
        got = load(tmp_path / "out")({k: torch.as_tensor(np.swapaxes(v, 0, 1)) for k, v in xs.items()})
    ref = reference(module, xs)
    assert set(got) == {"o1", "o2"}
    assert_same({k: np.swapaxes(v.numpy(), 0, 1) for k, v in got.items()}, ref)


# --------------------------------------------------------------------------- names


EVIL = [
    'a"); __import__("os").system("touch PWNED"); ("',
    "b'''\nimport os; os.system('touch PWNED')\n'''",
    "forward",
    "self",
    "__init__",
    "1st layer",
    "x",
    "ünïcode ⚡",
    "# not a comment",
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_node_names_never_become_code(framework: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Node names (here made to break out of strings, comments and docstrings, or to
    shadow the module's own names) appear only inside string literals; the generated
    file parses, and (where the framework is installed) runs without side effects."""
    names = EVIL
    nodes = {names[0]: inp(2), names[-1]: out(3)}
    nodes[names[1]] = {"type": "Affine", "weight": np.ones((3, 2), np.float32), "bias": np.zeros(3, np.float32)}
    nodes[names[2]] = {
        "type": "LIF",
        "tau": np.full(3, 2e-3),
        "r": np.ones(3),
        "v_leak": np.zeros(3),
        "v_threshold": np.full(3, 0.01),
        "v_reset": np.zeros(3),
    }
    nodes[names[3]] = {"type": "Scale", "scale": np.full(3, 2.0)}
    for n in names[4:-1]:
        nodes[n] = {"type": "Scale", "scale": np.full(3, 1.5)}
    chain = names[:4] + names[4:-1] + names[-1:]
    # the Affine also feeds the Output: no chain, so every name is an attribute (Norse too)
    module = nirc.module_from_dict(graph(nodes, [*itertools.pairwise(chain), (names[1], names[-1])]))
    outdir = tmp_path / "out"
    emit(framework, module, outdir, dtype="float64")
    source = (outdir / "model.py").read_text()
    tree = ast.parse(source)
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for name in names:
        assert name in strings, name
    # No name is an identifier, attribute or comment text of the module (other than its
    # mapped form, which is made of [A-Za-z0-9_] only).
    idents = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }
    assert "system" not in idents and "__import__" not in idents and "os" not in idents
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert calls <= {
        "Path",
        "Gain",
        "dict",
        "super",
        "param",
        "range",
        "load",
        "Model",
        "heaviside",
        "ExactNeuron",
        "count_spikes",
        "Delay",
        "len",
        "max",
        "isinstance",
        "tuple",
    }
    if not (has("torch") and has(framework)):
        return
    monkeypatch.chdir(tmp_path)
    x = np.random.default_rng(4).random((2, 10, 2))
    y = run_emitted(load(outdir), x)
    assert_same(y, reference(module, x, dtype="float64"))
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_recorded_semantics_name_is_no_code_either(framework: str) -> None:
    """An `snn` module's recorded profile name comes from the input file too."""
    module = _leaky_module()
    NirToSnnPass(dt=1e-4).apply(Context(), module)
    graph_op = next(op for op in module.walk() if op.name == "nir.graph")
    evil = nirc.Semantics(name='x"""\nimport os\n"""', dt=1e-4)
    graph_op.attributes[DISCRETIZATION] = record(evil)
    generated, report = TARGETS[framework].generate(module)
    tree = ast.parse(generated.source)
    assert evil.name in {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert not any(isinstance(n, ast.Import) and any(a.name == "os" for a in n.names) for n in ast.walk(tree))
    assert report["semantics"] == evil.name
    with pytest.raises(NircError, match="float32 or float64"):
        TARGETS[framework].generate(module, dtype="float16")


@pytest.mark.skipif(not has("torch"), reason="torch is not installed")
def test_reserved_names_cover_nn_module() -> None:
    """A node named after a method of nn.Module would leave the method in place of the
    layer: every public attribute of the installed torch's nn.Module is reserved."""
    from torch import nn

    from nirc.targets.pygen.torch.backend import RESERVED

    public = {n for n in dir(nn.Module) if not n.startswith("_")} | set(vars(nn.Module()))
    assert {n for n in public if not n.startswith("_")} <= RESERVED


def test_namer_makes_distinct_safe_identifiers() -> None:
    namer = Namer(TORCH.reserved)
    got = [namer.fresh(n) for n in ["a.b", "a_b", "a-b", "class", "forward", "x", "1", "", "🙂", "print"]]
    assert len(set(got)) == len(got)
    assert all(g.isidentifier() for g in got)
    assert got[:3] == ["a_b", "a_b_2", "a_b_3"]
    assert "class" not in got and "forward" not in got and "x" not in got and "print" not in got


# --------------------------------------------------------------------------- files, CLI, bad input


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_cli_writes_module_weights_and_report(framework: str, tmp_path: Path) -> None:
    corpus_or_skip()
    outdir = tmp_path / "out"
    result = run_tool(
        "nir-translate",
        CORPUS / "braille_noDelay_bias_zero.nir",
        f"--target={framework}",
        "-o",
        outdir,
        "--semantics",
        "snntorch",
    )
    assert result.code == 0, result.stderr
    assert f"wrote {framework} artefacts" in result.stdout and "semantics snntorch at dt = 0.0001 s" in result.stdout
    assert sorted(p.name for p in outdir.iterdir()) == ["model.py", "report.json", "weights.npz"]
    report = json.loads((outdir / "report.json").read_text())
    assert report["semantics"] == "snntorch" and report["dtype"] == "float32"
    with np.load(outdir / "weights.npz", allow_pickle=False) as w:
        assert sum(w[k].size for k in w.files) == report["parameters"]
    # A second run replaces its own output directory.
    again = run_tool(
        "nir-translate",
        CORPUS / "braille_noDelay_bias_zero.nir",
        f"--target={framework}",
        "-o",
        outdir,
        "--dtype",
        "float64",
    )
    assert again.code == 0, again.stderr
    assert json.loads((outdir / "report.json").read_text())["dtype"] == "float64"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_bounded_state_has_no_framework_form(framework: str, tmp_path: Path) -> None:
    """A neuron quantized with state-bits keeps a fixed-width state the frameworks'
    neurons do not: refused by name, no directory."""
    module = nirc.read(nirc.examples.path("srnn.nir"))
    NirToSnnPass(dt=1e-4).apply(Context(), module)
    QuantizePass(state_bits=16).apply(Context(), module)
    model = tmp_path / "q.mlir"
    model.write_text(nirc.to_text(module))
    outdir = tmp_path / "out"
    result = run_tool("nir-translate", model, f"--target={framework}", "-o", outdir)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "with a 16-bit state that saturates: the torch targets keep states unbounded" in result.stderr
    assert result.stderr.strip().endswith("[torch-unsupported]")
    assert not outdir.exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_input_exits_1_without_output(framework: str, tmp_path: Path) -> None:
    """A model the torch targets cannot take (here a Speck-compiled one, whose layers are a
    chip's): one line per node, exit 1, no directory."""
    corpus_or_skip()
    speck = run_tool(
        "nir-translate", CORPUS / "cnn_sinabs.nir", "--target=speck", "--no-agreement", "-o", tmp_path / "speck"
    )
    assert speck.code == 0, speck.stderr
    outdir = tmp_path / "out"
    result = run_tool("nir-translate", tmp_path / "speck" / "model.mlir", f"--target={framework}", "-o", outdir)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5 and all(
        line.endswith("'speck.layer' has no torch form [torch-unsupported]") for line in lines
    )
    assert "node '1':" in lines[0]
    assert not outdir.exists()


@pytest.mark.parametrize("framework", framework_params())
def test_weights_with_leading_axes(framework: str, tmp_path: Path) -> None:
    """A Linear/Affine whose weight has leading axes (one matrix per leading index): an
    einsum, as nir-run computes it."""
    rng = np.random.default_rng(9)
    d = graph(
        {
            "in": inp(2, 3),
            "m": {
                "type": "Affine",
                "weight": rng.normal(size=(2, 4, 3)).astype(np.float32),
                "bias": rng.normal(size=(2, 4)).astype(np.float32),
            },
            "out": out(2, 4),
        },
        [("in", "m"), ("m", "out")],
    )
    module = nirc.module_from_dict(d)
    report = emit(framework, module, tmp_path / "out", dtype="float64")
    assert report["nodes"][0]["module"] == "torch.einsum"
    x = rng.normal(size=(2, 6, 2, 3))
    assert_same(run_emitted(load(tmp_path / "out"), x), reference(module, x), rounding=True)


@pytest.mark.parametrize("semantics", ["snntorch", "nir"])
@pytest.mark.parametrize("framework", framework_params())
def test_nested_recurrence_as_snntorch_exports_it(framework: str, semantics: str, tmp_path: Path) -> None:
    """snnTorch writes RSynaptic as a nested graph (input, lif, w_rec, output): inlined to
    "lif1.lif" after discretization, fused, and run as the flat graph would."""
    n = 5
    rng = np.random.default_rng(8)
    cuba = {
        "type": "CubaLIF",
        "tau_syn": np.full(n, 2e-4),
        "tau_mem": np.full(n, 5e-4),
        "r": np.full(n, 5.0),
        "v_leak": np.zeros(n),
        "v_threshold": np.ones(n),
        "v_reset": np.zeros(n),
        "w_in": np.full(n, 2.0),
    }
    inner = graph(
        {
            "input": inp(n),
            "lif": cuba,
            "w_rec": {"type": "Linear", "weight": rng.normal(size=(n, n)).astype(np.float32)},
            "output": out(n),
        },
        [("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
    )
    d = graph(
        {
            "input": inp(3),
            "fc1": {"type": "Linear", "weight": rng.normal(size=(n, 3)).astype(np.float32)},
            "lif1": inner,
            "output": out(n),
        },
        [("input", "fc1"), ("fc1", "lif1"), ("lif1", "output")],
    )
    module = nirc.module_from_dict(d)
    report = emit(framework, module, tmp_path / "out", semantics=semantics, dtype="float64")
    kinds = {row["node"]: row["module"] for row in report["nodes"]}
    recurrent = {
        "snntorch": {"snntorch": "snn.RSynaptic", "nir": "ExactNeuron"},
        "norse": {"snntorch": "ExactNeuron", "nir": "norse.LIFRecurrentCell"},
    }
    assert kinds["lif1.lif"] == recurrent[framework][semantics]
    x = (rng.random((3, 60, 3)) < 0.3).astype(np.float64)
    ref = reference(module, x, semantics=semantics, dt=1e-4)
    assert_same(run_emitted(load(tmp_path / "out"), x), ref)
    assert next(iter(ref.values())).sum() > 0


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_refuses_a_users_directory_and_semantics_of_a_discrete_model(framework: str, tmp_path: Path) -> None:
    corpus_or_skip()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run_tool("nir-translate", CORPUS / "lif_norse.nir", f"--target={framework}", "-o", mine)
    assert result.code == 1 and "[file]" in result.stderr
    assert (mine / "notes.txt").read_text() == "keep me" and len(list(mine.iterdir())) == 1
    discrete = read("lif_norse.nir")
    NirToSnnPass(dt=1e-4, semantics="norse").apply(Context(), discrete)
    with pytest.raises(NircError, match="already discrete-time"):
        TARGETS[framework].generate(discrete, semantics="nir")
    _, report = TARGETS[framework].generate(discrete)
    assert report["semantics"] == "norse"


def test_frameworks_are_the_pinned_versions() -> None:
    """The versions these tests were written against (docs/notes/simulator-frameworks.md)."""
    if has("snntorch"):
        import snntorch

        assert snntorch.__version__ == "1.0.0"
    if has("norse"):
        from importlib.metadata import version

        assert version("norse") == "1.1.0"
    if not (has("snntorch") or has("norse")):
        pytest.skip("neither framework is installed")
    assert sys.version_info >= (3, 11)
