"""The base layer of nirc: what every dialect, pass, target and tool builds on.

* :mod:`.errors` — user-facing errors and warnings; :mod:`.verify` turns a verifier's
  exception into one;
* :mod:`.dense` — ``#nir.dense``, the numpy-backed parameter attribute; :mod:`.shapes`;
* :mod:`.node` — the base classes of node ops; :mod:`.traits` — how an op takes part in
  a graph and in time;
* :mod:`.graph` — the schedule of a graph region, its cycles and the edges that close them;
* :mod:`.semantics`, :mod:`.profiles` — discretization choices and the named profiles;
* :mod:`.neuron` — the one discrete-time neuron step; :mod:`.kernel` — the interpreter's
  kernel protocol;
* :mod:`.rewriting` — rewriting graphs with xDSL's ``PatternRewriter``; :mod:`.pipeline`;
* :mod:`.extension` — the registry of extensions (dialects, passes, kernels, profiles,
  patterns, targets); :mod:`.context`; :mod:`.target` — the target protocol.
"""

__version__ = "0.1.0"
