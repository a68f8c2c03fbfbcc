"""``canonicalize`` on discrete-time graphs: after ``convert-nir-to-snn`` it applies the
`snn` dialect's canonicalizations too (``drop-zero-delay``) and, with ``fold=false``,
changes nothing the interpreter computes (hypothesis, random graphs with delays)."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from pass_strategies import PassCase, describe_graph, pass_cases
from xdsl.context import Context

import nirc
from nirc.dialects import snn
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass

EXAMPLES = int(os.environ.get("NIRC_PASS_EXAMPLES", "60"))


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(case=pass_cases(archs=("chain", "recurrent", "self-loop", "fan-in", "nested"), dt=5e-3))
def test_canonicalize_after_discretization_is_exact(case: PassCase) -> None:
    module = nirc.module_from_dict(case.graph)
    ConvertNirToSnnPass(dt=case.dt).apply(Context(), module)
    want = nirc.run(module, case.x).outputs
    delays = sum(1 for op in module.walk() if isinstance(op, snn.DelayOp) and not op.param("steps").any())
    event(f"zero-step delays: {min(delays, 2)}")
    CanonicalizePass(fold=False).apply(Context(), module)
    got = nirc.run(module, case.x).outputs
    for key in want:
        assert np.array_equal(want[key], got[key]), (key, describe_graph(case.graph))
