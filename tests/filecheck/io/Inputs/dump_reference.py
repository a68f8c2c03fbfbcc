"""Print a .nir file as the reference `nir` package reads it: one line per node
(name, type, the shapes or values of its main parameters), then the edges."""

import sys

import nir
import numpy as np

FIELDS = {
    "Conv2d": ("weight", "stride", "padding", "input_shape"),
    "IF": ("r", "v_reset"),
    "SumPool2d": ("kernel_size",),
    "Flatten": ("start_dim", "end_dim"),
    "Affine": ("weight", "bias"),
    "Linear": ("weight",),
    "CubaLIF": ("tau_mem", "v_reset", "w_in"),
    "LIF": ("tau", "v_reset"),
    "Input": ("shape",),
    "Output": ("shape",),
}
SHAPE_ONLY = {"weight", "bias", "r", "v_reset", "tau_mem", "w_in", "tau"}


def show(key: str, value: object) -> str:
    arr = np.asarray(value)
    if key in SHAPE_ONLY:
        return f"{key}={arr.shape}"
    return f"{key}={arr.tolist()}"


graph = nir.read(sys.argv[1])
for name in sorted(graph.nodes, key=lambda n: (len(n), n)):
    node = graph.nodes[name]
    typ = type(node).__name__
    parts = [name, typ]
    for key in FIELDS.get(typ, ()):
        if key == "shape":
            t = node.input_type if typ == "Input" else node.output_type
            parts.append(show(key, next(iter(t.values()))))
        else:
            parts.append(show(key, getattr(node, key)))
    print(" ".join(parts))
print("edges: " + " ".join(f"{a}->{b}" for a, b in graph.edges))
