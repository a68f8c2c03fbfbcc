"""The NIR paper's own measurements, predicted by nir-run's semantics profiles.

`lif_norse.nir` (Input -> Affine(1) -> LIF(tau=2.5 ms, v_th=0.1) -> Output) run on column 0
of `lif_traces/lif_exact.csv` at dt = 0.1 ms spikes at different steps on different
platforms; each profile must reproduce its platform (corpus README, paper Fig. 4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nirc

SPIKES = {
    "nir": [460, 510, 710, 760],
    "norse": [460, 510, 710, 760],
    "snntorch": [460, 510, 710, 760],
    "exact": [460, 510, 710, 760],
    "nengo": [460, 510, 710, 760],
    "spinnaker2": [460, 510, 710, 760],
    "lava": [461, 511, 711, 761],
    "lava-fixed": [461, 511, 711, 761],
    "lava-dl": [461, 511, 711, 761],
    "spyx": [461, 511, 711, 761],
    "rockpool": [450, 500, 710, 760],
    "sinabs": [450, 500, 710, 760],
}


def trace(corpus: Path, name: str) -> np.ndarray:
    return np.loadtxt(corpus / "lif_traces" / f"lif_{name}.csv", delimiter=",")


@pytest.fixture
def lif(corpus: Path):
    return nirc.read(corpus / "lif_norse.nir")


@pytest.mark.parametrize("profile", sorted(SPIKES))
def test_spike_steps_match_the_platform(corpus: Path, lif, profile: str) -> None:
    x = trace(corpus, "exact")[:, :1]
    result = nirc.run(lif, x, semantics=profile, dt=1e-4)
    assert np.flatnonzero(result.outputs["output"][:, 0]).tolist() == SPIKES[profile]


@pytest.mark.parametrize(
    "platform", ["norse", "snntorch", "rockpool", "sinabs", "spyx", "lava_cpu_float", "nengo", "spinnaker2"]
)
def test_profiles_agree_with_measured_spikes(corpus: Path, lif, platform: str) -> None:
    """The spike steps each platform actually produced (its trace's third column)."""
    measured = trace(corpus, platform)
    profile = platform.split("_")[0]
    x = trace(corpus, "exact")[:, :1]
    result = nirc.run(lif, x, semantics=profile, dt=1e-4)
    assert np.flatnonzero(result.outputs["output"][:, 0]).tolist() == np.flatnonzero(measured[:, 2]).tolist()


def test_norse_voltage(corpus: Path, lif) -> None:
    x = trace(corpus, "exact")[:, :1]
    result = nirc.run(lif, x, semantics="norse", dt=1e-4, record=["1"])
    v = result.records["1"]["v"][:, 0]
    assert np.abs(v - trace(corpus, "norse")[:, 1]).max() < 1e-6


def test_exact_voltage(corpus: Path, lif) -> None:
    x = trace(corpus, "exact")[:, :1]
    result = nirc.run(lif, x, semantics="exact", dt=1e-4, record=["1"])
    v = result.records["1"]["v"][:, 0]
    assert np.abs(v - trace(corpus, "exact")[:, 1]).max() < 1e-3


def test_rockpool_and_spyx_voltages(corpus: Path, lif) -> None:
    """Beyond the asserted spikes: the profiles reproduce the platforms' membranes."""
    x = trace(corpus, "exact")[:, :1]
    for profile in ("rockpool", "sinabs", "spyx"):
        v = nirc.run(lif, x, semantics=profile, dt=1e-4, record=["1"]).records["1"]["v"][:, 0]
        assert np.abs(v - trace(corpus, profile)[:, 1]).max() < 1e-6, profile


def test_default_profile_is_nir(corpus: Path, lif) -> None:
    x = trace(corpus, "exact")[:, :1]
    a = nirc.run(lif, x, dt=1e-4).outputs["output"]
    b = nirc.run(lif, x, semantics="nir", dt=1e-4).outputs["output"]
    assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "name, shape, profile",
    [
        ("braille_noDelay_bias_zero.nir", (12,), "snntorch"),
        ("braille_noDelay_noBias_subtract.nir", (12,), "snntorch"),
        ("cnn_sinabs.nir", (2, 34, 34), "sinabs"),
    ],
)
def test_corpus_models_run_end_to_end(corpus: Path, name: str, shape: tuple[int, ...], profile: str) -> None:
    module = nirc.read(corpus / name)
    rng = np.random.default_rng(0)
    x = (rng.random((3, 40, *shape)) < 0.2).astype(np.float32)
    result = nirc.run(module, x, semantics=profile)
    (out,) = result.outputs.values()
    assert out.shape[:2] == (3, 40)
    assert np.isin(out, [0.0, 1.0]).all()
    assert out.sum() > 0  # the networks do respond to input
    single = nirc.run(module, x[1], semantics=profile).outputs[next(iter(result.outputs))]
    assert np.array_equal(single, out[1])  # batch elements are independent


def test_recorded_current_of_cuba_neurons(corpus: Path) -> None:
    module = nirc.read(corpus / "braille_noDelay_bias_zero.nir")
    x = np.zeros((5, 12))
    x[0] = 1.0
    result = nirc.run(module, x, record=["lif1.lif", "lif2"])
    assert set(result.records["lif1.lif"]) == {"v", "i"}
    assert result.records["lif1.lif"]["i"].shape == (5, 38)


def test_nested_graph_runs_like_its_flattened_form(corpus: Path) -> None:
    """The Braille SRNN as the paper's `*_subgraph.nir` meant it (the recurrent LIF
    inside a nested graph, with the inner edges fixed) runs exactly like the flat file."""
    flat = nirc.module_from_dict(nirc.module_to_dict(nirc.read(corpus / "braille_noDelay_bias_zero.nir")))
    d = nirc.module_to_dict(flat)
    nodes = d["nodes"]
    sub = {
        "type": "NIRGraph",
        "nodes": {
            "input": {"type": "Input", "shape": np.array([38])},
            "lif": nodes.pop("lif1.lif"),
            "lin": nodes.pop("lif1.w_rec"),
            "output": {"type": "Output", "shape": np.array([38])},
        },
        "edges": [("input", "lif"), ("lif", "lin"), ("lin", "lif"), ("lif", "output")],
        "metadata": {},
    }
    nodes["lif1"] = sub
    d["edges"] = [("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "output")]
    nested = nirc.module_from_dict(d)
    x = (np.random.default_rng(3).random((2, 60, 12)) < 0.3).astype(np.float64)
    for profile in ("nir", "snntorch", "spyx", "lava"):
        a = nirc.run(flat, x, semantics=profile, record=["lif1.lif"])
        b = nirc.run(nested, x, semantics=profile, record=["lif1/lif"])
        assert np.array_equal(a.outputs["output"], b.outputs["output"]), profile
        assert np.array_equal(a.records["lif1.lif"]["v"], b.records["lif1/lif"]["v"]), profile
