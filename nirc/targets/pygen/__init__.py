"""The shared Python code generator: what every target that emits a Python model shares.

A Python target compiles a `nir` model with ``nir-to-snn{dt semantics}`` and writes the
`snn` graph as a readable Python module (``model.py``) that steps through time and calls,
per node, the framework's own layer where the framework's update equations reproduce the
`snn` op, and otherwise a small explicit helper printed in the same file.  The weights
go to a side file (``weights.npz``), the report to ``report.json``.  Names from the model
appear in the code only as mapped identifiers or as Python string literals.

Framework-neutral (none of these imports or names a framework):

* :mod:`.names` — identifiers for node names (:class:`~.names.Namer`), string literals;
* :mod:`.source` — the writer of generated source (:class:`~.source.Block`), call
  arguments, comments describing a parameter;
* :mod:`.weights` — the weights side file and the ``param(key)`` expressions that load it;
* :mod:`.report` — the report (per node: class used, bit-exact or rounding, note) and the
  summary lines;
* :mod:`.neuron` — an `snn` neuron op's numbers, as a framework's mapping reads them;
* :mod:`.backend` — the contract: :class:`~.backend.NodeContext` and
  :class:`~.backend.NodeCode` (one node's code), :class:`~.backend.ModuleParts` (what the
  walk hands the template), and the two protocols :class:`~.backend.Backend` (a language)
  and :class:`~.backend.Mapping` (a framework);
* :mod:`.walk` — the graph walk: schedule order, cycle breakers read at the start of a
  step and fed at its end, fan-in sums, outputs collected; or a chain as one container;
* :mod:`.target` — :class:`~.target.PythonTarget`: options, discretization, emission of
  OUTDIR all or nothing, summary;
* :mod:`.load` — :func:`~.load.load_emitted`, importing an output directory.

Language backends: :mod:`.torch` (an ``nn.Module``; every torch framework's target).

Adding a language (JAX for Spyx, numpy for Nengo)
-------------------------------------------------

Write ``nirc/targets/pygen/<language>/`` with a :class:`~.backend.Backend`:

* ``family`` (messages and the rule ``<family>-unsupported``), ``reserved`` (the
  template's names: its imports, locals, its base class's attributes; the helpers' names
  are reserved with them);
* ``render(parts)``: the file template.  It must define ``SEMANTICS``, ``DTYPE``,
  ``WEIGHTS``, ``NODE_NAMES`` (:meth:`~.backend.ModuleParts.constants` writes them but the
  DTYPE line), the helpers (:meth:`~.backend.ModuleParts.helper_lines`), ``param(key)``
  where the ``init`` lines run (an array of ``weights.npz`` in the language's array
  type, floats in ``DTYPE``), ``self`` as the object holding the nodes' attributes, a step
  function over ``x`` (or ``inputs``) that defines ``steps`` and ``batch`` (and whatever
  the backend's ``zeros`` needs), runs ``start``, then ``for t in range(steps):`` ``loop``
  and ``after``, and returns ``ret``; and ``load(weights=WEIGHTS)`` returning a callable
  model (``y = load()(x)``);
* ``zeros(shape)``, ``buffer(name, value, comment)``, ``as_input(value)``, ``stack(steps)``:
  expressions and lines in the language;
* ``ops``: the code of each op kind that is not a neuron (``{nir.LinearOp: fn, ...}``, each
  ``fn(ctx) -> NodeCode``), and ``breaker(ctx)``/``feed(ctx, value)``: the delay that
  closes a cycle;
* ``helpers``: helper sources by name, printed only where a ``NodeCode`` names them.

Then each framework on it is a folder ``nirc/targets/<name>/`` with a
:class:`~.backend.Mapping` (``neuron(ctx)``: the framework's neuron where it computes the
`snn` op's step, an explicit helper otherwise, with the reason in ``note``), its
profile, a :class:`~.target.PythonTarget` subclass naming the backend and the mapping,
and its extension.  The walk, names, weights file, report, options and OUTDIR handling
are shared; a state-passing language (JAX) may still use the walk as is: ``init`` makes
constants, ``start``/``loop`` thread the states as locals.
"""
