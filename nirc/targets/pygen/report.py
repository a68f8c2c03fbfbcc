"""The report of a Python target (``OUTDIR/report.json``) and its summary lines.

Per node the report names the class (or function) that computes it, whether it computes
``nir-run``'s numbers bit for bit (:data:`BIT_EXACT`) or the same equations rounded
differently (:data:`ROUNDING`), and, where a framework's own neuron could not be used,
why (``note``).  The target's ``format`` (``nirc-<target>-1``) is also how a second run
recognizes an output directory as its own.
"""

from __future__ import annotations

from typing import Any

from nirc.core.semantics import Semantics
from nirc.targets.pygen.load import MODEL
from nirc.targets.pygen.weights import FILE as WEIGHTS
from nirc.targets.pygen.weights import count

#: The report, in OUTDIR.
REPORT = "report.json"

#: ``exact`` values of a node in the report
BIT_EXACT = "bit-exact"
ROUNDING = "same equations, float rounding may differ"


def row(name: str, op: str, module: str, exact: str, note: str) -> dict[str, Any]:
    """One node of the report: its NIR name, its op, the class computing it, its exactness
    and the note."""
    return {"node": name, "op": op, "module": module, "exact": exact, "note": note}


def report_format(target: str) -> str:
    return f"nirc-{target}-1"


def build(
    target: str, sem: Semantics, dtype: str, weights: dict[str, Any], nodes: list[dict[str, Any]]
) -> dict[str, Any]:
    """The whole report of one emission."""
    return {
        "target": target,
        "ok": True,
        "format": report_format(target),
        "semantics": sem.name,
        "dt": sem.dt,
        "dtype": dtype,
        "files": [MODEL, WEIGHTS],
        "parameters": count(weights),
        "bit_exact": all(node["exact"] == BIT_EXACT for node in nodes),
        "nodes": nodes,
    }


def summary(report: dict[str, Any]) -> list[str]:
    """A few lines on ``report`` for the terminal: the run, every node computed other than
    by the framework's own class (with the reason), and the exactness."""
    nodes = report.get("nodes", [])
    explicit = [n for n in nodes if n.get("note")]
    lines = [
        f"semantics {report.get('semantics')} at dt = {report.get('dt')} s, {report.get('dtype')}; "
        f"{len(nodes)} nodes, {report.get('parameters')} parameters in {WEIGHTS}",
    ]
    for n in explicit:
        lines.append(f"node {n['node']!r}: {n['module']} ({n['note']})")
    lines.append(
        "every node bit-exact against nir-run"
        if report.get("bit_exact")
        else "some nodes (matrix products at least) round differently from nir-run in the last bits: see report.json"
    )
    return lines
