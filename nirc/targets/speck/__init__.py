"""The SynSense Speck (DynapCNN) target: ``nir-translate IN --target=speck -o OUTDIR``
(:mod:`~nirc.targets.speck.target`).

The pieces, in the order a model meets them:

* :mod:`~nirc.targets.speck.resources` — the chip as data;
* :mod:`~nirc.targets.speck.rules` — the layers of a discrete-time graph and the design rules;
* ``legality.pat`` — what one core computes, in nirc's pattern language;
* passes ``convert-snn-to-speck``, nirc's generic ``quantize`` configured for the chip,
  ``speck-place`` (the named pipeline ``nir-to-speck``) — the decisions;
* :mod:`nirc.targets.speck.kernels` — what the chip computes, so ``nir-run`` predicts it;
* :mod:`~nirc.targets.speck.emit` — the samna configuration, printed.

``docs/targets/speck.md`` is the user's guide.
"""
