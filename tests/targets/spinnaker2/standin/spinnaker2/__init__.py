"""A stand-in for py-spinnaker2's ``spinnaker2`` package, for nirc's tests.

This is NOT py-spinnaker2 (gitlab.com/spinnaker2/py-spinnaker2), which cannot be installed
here.  It is a small, strict stand-in written from py-spinnaker2's documented API: it
accepts exactly the classes, arguments, parameter names and value ranges that nirc's
SpiNNaker2 target uses (raising ``TypeError`` for unknown or missing arguments and
``ValueError`` for bad values), and its ``hardware.SpiNNaker2Chip.run`` simulates the
network with a float32 numpy model of the chip's ``lif_no_delay``, ``lif_conv2d`` and
``lif_curr_exp_no_delay`` neurons instead of running on a chip.

Use it with ``PYTHONPATH=tests/targets/spinnaker2/standin`` and
``from spinnaker2 import hardware, snn, helpers``.
"""

from . import hardware, helpers, snn

__all__ = ["hardware", "helpers", "snn"]
