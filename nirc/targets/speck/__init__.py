"""The SynSense Speck (DynapCNN) target: ``nir-translate IN --target=speck -o OUTDIR``
(:mod:`~nirc.targets.speck.target`).

The pieces, in the order a model meets them:

* :mod:`~nirc.targets.speck.resources` — the chip as data;
* :mod:`~nirc.targets.speck.rules` — the layers of a `nir` graph and the design rules;
* passes ``speck-legalize``, ``speck-quantize``, ``speck-place`` (the named pipeline
  ``nir-to-speck``) — the decisions;
* :mod:`nirc.targets.speck.kernels` — what the chip computes, so ``nir-run`` predicts it;
* :mod:`~nirc.targets.speck.emit` — the samna configuration, printed.

``docs/targets/speck.md`` is the user's guide.
"""

