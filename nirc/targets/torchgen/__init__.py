"""What the PyTorch-based simulator targets (``snntorch``, ``norse``) share.

A torch target compiles a `nir` model with ``nir-to-snn{dt semantics}`` and writes the
`snn` graph as a readable Python module: an ``nn.Module`` whose ``forward`` loops over
time steps and calls, per node, the framework's own layer where the framework's update
equations reproduce the `snn` op, and otherwise a small explicit torch module printed in
the same file (:mod:`.helpers`).  The weights go to a side file (``weights.npz``); names
from the model appear in the code only as mapped identifiers (:mod:`.names`) or as
Python string literals.

* :mod:`.names` — identifiers for node names;
* :mod:`.source` — the writer of the generated module;
* :mod:`.helpers` — the explicit torch modules (delay, threshold, nirc's neuron step);
* :mod:`.layers` — the time-invariant ops (Linear, Affine, Conv, pooling, Flatten, Scale);
* :mod:`.model` — the graph walk that writes the module, given a framework's neuron mapping;
* :mod:`.target` — the target object: options, compile, emit, report.
"""
