"""The ``toy-json`` target: the discretized graph as JSON (nodes, kinds, shapes, edges)
with the parameters in an ``.npz`` beside it, and a report.

A target has a ``name``, its ``options`` (``nirc.TargetOption``; each becomes a
command-line option once ``--target=toy-json`` is given), ``emit`` (compile, write the
artefacts all or nothing with ``replace_dir``, return a JSON-able report) and, if it
likes, ``summary``.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc import TargetOption
from nirc.core.dense import DenseAttr
from nirc.core.node import shape_of
from nirc.dialects.nir import top_graph
from nirc.dialects.snn.discretization import recorded
from nirc.io.atomic import owns, replace_dir
from nirc_toy.passes import NirToToyPass

FORMAT = "nirc-toy-json/1"


def _indent(text: str) -> int:
    """``--indent``: a whole number >= 0.  A bad value is a usage error (exit 2), as
    argparse reports an ``ArgumentTypeError`` raised by an option's type."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}")
    return value


class ToyJsonTarget:
    name = "toy-json"
    options = (TargetOption("indent", "spaces of indentation in graph.json", type=_indent, default=1),)

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], indent: int = 1) -> dict[str, Any]:
        module = module.clone()
        if recorded(module) is None:
            NirToToyPass().apply(Context(), module)
        graph = top_graph(module)
        nodes, arrays = [], {}
        for i, op in enumerate(graph.body.block.ops):
            name = op.nir_name  # type: ignore[attr-defined]
            params = {}
            for key, attr in op.properties.items():
                if isinstance(attr, DenseAttr):
                    arrays[f"{i}.{key}"] = attr.array
                    params[key] = f"{i}.{key}"
            reads = [value.owner.nir_name for value in op.operands]  # type: ignore[union-attr]
            shape = list(shape_of(op.results[0])) if op.results else None
            nodes.append({"name": name, "kind": op.name, "shape": shape, "reads": reads, "params": params})
        spec = {"format": FORMAT, "nodes": nodes}

        def fill(tmp: Path) -> None:
            (tmp / "graph.json").write_text(json.dumps(spec, indent=indent) + "\n")
            with open(tmp / "params.npz", "wb") as f:
                np.savez(f, **arrays)

        def owned(path: Path) -> bool:  # an earlier run's OUTDIR: its graph.json names our format
            return owns(path / "graph.json", "format", FORMAT)

        replace_dir(outdir, fill, owned)
        return {
            "target": self.name,
            "ok": True,
            "nodes": len(nodes),
            "parameters": int(sum(a.size for a in arrays.values())),
        }

    def summary(self, report: dict[str, Any]) -> list[str]:
        return [f"{report['nodes']} nodes, {report['parameters']} parameters"]


TARGET = ToyJsonTarget()
