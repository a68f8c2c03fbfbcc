"""The torch backend of the shared Python code generator: what every torch framework's
target shares (the frameworks in ``nirc/targets/`` whose target is a
:class:`~.target.TorchTarget`).

* :mod:`.backend` — :data:`~.backend.TORCH`, the
  :class:`~nirc.targets.pygen.backend.Backend`: the ``nn.Module`` template, buffers,
  zeros, stacking, the delay closing a cycle, the names torch reserves;
* :mod:`.layers` — the ops that are not neurons (``nn.Linear``, ``nn.Conv1d``/``nn.Conv2d``,
  ``nn.AvgPool2d`` for sum pooling, ``nn.Flatten``, ``Gain``, ``count_spikes``, ``Delay``);
* :mod:`.helpers` — the explicit modules printed into the file where used (``Delay``,
  ``Gain``, ``count_spikes``, ``ExactNeuron``: nirc's own neuron step in torch);
* :mod:`.neuron` — for a framework's neuron mapping: the input scaling in front of a
  framework neuron, and :func:`~.neuron.explicit`, the ``ExactNeuron`` fallback;
* :mod:`.target` — :class:`~.target.TorchTarget`, which a framework's target subclasses
  with its name and mapping.

Nothing here names a framework: a framework's folder (``nirc/targets/<name>/``) holds its
mapping, profile, target object, extension and its own helpers.
"""
