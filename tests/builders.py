"""Small models as node dicts (the form ``nirc.module_from_dict`` reads), for tests of
every level: ``single(in_shape, conv(...), out_shape)`` is Input -> weight -> IF -> Output."""

from __future__ import annotations

from typing import Any

import numpy as np

import nirc


def inp(*shape: int) -> dict:
    return {"type": "Input", "shape": np.array(shape)}


def out(*shape: int) -> dict:
    return {"type": "Output", "shape": np.array(shape)}


def conv(o: int, i: int, k: int, *, stride: int = 1, pad: int | str = 0, dilation: int = 1, groups: int = 1) -> dict:
    return {
        "type": "Conv2d",
        "weight": np.full((o, i // groups, k, k), 0.1, np.float32),
        "bias": np.zeros(o, np.float32),
        "stride": np.array([stride, stride]),
        "padding": pad if isinstance(pad, str) else np.array([pad, pad]),
        "dilation": np.array([dilation, dilation]),
        "groups": np.array(groups),
    }


def iff(*shape: int, r: float = 1.0, th: float = 1.0, v_reset: float = 0.0) -> dict:
    return {
        "type": "IF",
        "r": np.full(shape, r, np.float32),
        "v_threshold": np.full(shape, th, np.float32),
        "v_reset": np.full(shape, v_reset, np.float32),
    }


def lif(*shape: int) -> dict:
    return {
        "type": "LIF",
        "tau": np.full(shape, 0.01, np.float32),
        "r": np.ones(shape, np.float32),
        "v_leak": np.zeros(shape, np.float32),
        "v_threshold": np.ones(shape, np.float32),
        "v_reset": np.zeros(shape, np.float32),
    }


def pool(k: int, s: int | None = None) -> dict:
    s = k if s is None else s
    return {
        "type": "SumPool2d",
        "kernel_size": np.array([k, k]),
        "stride": np.array([s, s]),
        "padding": np.array([0, 0]),
    }


def graph(nodes: dict, edges: list[tuple[str, str]]) -> dict:
    return {"type": "NIRGraph", "nodes": nodes, "edges": edges, "metadata": {}}


def single(in_shape: tuple[int, ...], weight: dict, out_shape: tuple[int, ...], neuron: dict | None = None) -> dict:
    """in -> c -> n -> out."""
    return graph(
        {"in": inp(*in_shape), "c": weight, "n": neuron or iff(*out_shape), "out": out(*out_shape)},
        [("in", "c"), ("c", "n"), ("n", "out")],
    )


def chain(in_shape: tuple[int, ...], layers: list[tuple[dict, tuple[int, ...]]]) -> dict:
    """in -> c0 -> n0 -> c1 -> n1 ... -> out, one (weight node, neuron shape) per layer."""
    nodes: dict[str, Any] = {"in": inp(*in_shape)}
    edges, prev = [], "in"
    for i, (weight, shape) in enumerate(layers):
        nodes[f"c{i}"], nodes[f"n{i}"] = weight, iff(*shape)
        edges += [(prev, f"c{i}"), (f"c{i}", f"n{i}")]
        prev = f"n{i}"
    nodes["out"] = out(*layers[-1][1])
    edges.append((prev, "out"))
    return graph(nodes, edges)


def module(d: dict):
    return nirc.module_from_dict(d)


def cuba(n: int, **over: Any) -> dict:
    d = {
        "type": "CubaLIF",
        "tau_mem": np.full(n, 1e-3),
        "tau_syn": np.full(n, 5e-4),
        "r": np.ones(n),
        "v_leak": np.zeros(n),
        "v_threshold": np.ones(n),
        "v_reset": np.zeros(n),
        "w_in": np.ones(n),
    }
    d.update(over)
    return d


def dense_chain(*neurons: dict, n_in: int = 3, bias: bool = False) -> dict:
    nodes: dict[str, Any] = {"in": inp(n_in)}
    edges, prev, m = [], "in", n_in
    rng = np.random.default_rng(0)
    for i, nrn in enumerate(neurons):
        n = len(np.atleast_1d(nrn.get("v_threshold", nrn.get("tau"))))
        w = {"type": "Affine" if bias else "Linear", "weight": rng.normal(0, 1, (n, m))}
        if bias:
            w["bias"] = np.full(n, 0.1)
        nodes[f"w{i}"], nodes[f"n{i}"] = w, nrn
        edges += [(prev, f"w{i}"), (f"w{i}", f"n{i}")]
        prev, m = f"n{i}", n
    nodes["out"] = out(m)
    edges.append((prev, "out"))
    return graph(nodes, edges)


def conv_chain(seed: int = 0) -> dict:
    """Conv (padded) -> CubaLIF -> Conv (strided) -> CubaLIF -> Flatten -> Linear -> CubaLIF."""
    rng = np.random.default_rng(seed)

    def conv(o: int, i: int, k: int, stride: int = 1, pad: int = 0) -> dict:
        return {
            "type": "Conv2d",
            "weight": rng.normal(0, 1, (o, i, k, k)),
            "bias": np.zeros(o),
            "stride": np.array([stride, stride]),
            "padding": np.array([pad, pad]),
            "dilation": np.array([1, 1]),
            "groups": np.array(1),
        }

    def cubalif(*shape: int) -> dict:
        return {
            "type": "CubaLIF",
            "tau_mem": np.full(shape, 1e-3),
            "tau_syn": np.full(shape, 5e-4),
            "r": np.full(shape, 10.0),
            "v_leak": np.zeros(shape),
            "v_threshold": np.ones(shape),
            "v_reset": np.zeros(shape),
            "w_in": np.ones(shape),
        }

    return graph(
        {
            "in": inp(2, 8, 8),
            "c1": conv(4, 2, 3, pad=1),
            "n1": cubalif(4, 8, 8),
            "c2": conv(3, 4, 3, stride=2),
            "n2": cubalif(3, 3, 3),
            "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([3, 3, 3])},
            "l": {"type": "Linear", "weight": rng.normal(0, 1, (5, 27))},
            "n3": cubalif(5),
            "out": out(5),
        },
        [("in", "c1"), ("c1", "n1"), ("n1", "c2"), ("c2", "n2"), ("n2", "f"), ("f", "l"), ("l", "n3"), ("n3", "out")],
    )
