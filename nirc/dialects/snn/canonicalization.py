"""Canonicalization patterns of the `snn` dialect, declared on their ops and applied by
``canonicalize``:

* ``drop-zero-delay`` — an ``snn.delay`` of zero steps in every element, with one
  incoming edge, is dropped (its readers read its input): bit-exact.
"""

from __future__ import annotations

from nirc.core.rewriting import BypassPattern
from nirc.dialects.snn.ops import DelayOp

DELAY = (BypassPattern("drop-zero-delay", (DelayOp,), lambda op: not op.param("steps").any()),)
