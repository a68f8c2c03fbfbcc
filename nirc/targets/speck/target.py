"""The Speck target object: compile a `nir` module and write its artefacts, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.dialects import nir, speck
from nirc.errors import NircError
from nirc.interp.semantics import resolve
from nirc.interp.speck import LayerKernel
from nirc.io.text import module_to_text
from nirc.io.to_dict import top_graph
from nirc.ir.verify import verify_module
from nirc.passes.canonicalize import CanonicalizePass
from nirc.passes.speck_legalize import SpeckLegalizePass
from nirc.passes.speck_place import SpeckPlacePass, utilisation
from nirc.passes.speck_quantize import SpeckQuantizePass, errors
from nirc.targets.speck import emit as emitter

#: Random input for the spike agreement in the report: batch, steps, event probability.
AGREEMENT_INPUT = (16, 100, 0.05)


def _layers(module: ModuleOp) -> list[speck.LayerOp]:
    return [op for op in top_graph(module).body.block.ops if isinstance(op, speck.LayerOp)]


def spike_agreement(float_layers: list[speck.LayerOp], int_layers: list[speck.LayerOp], x: np.ndarray) -> list[dict[str, Any]]:
    """Per layer, the spike counts of the quantized layer against the float one, both fed
    the float model's spikes (so each layer's own error is measured, not its inputs')."""
    sem = resolve("speck", None)
    values: dict[Any, np.ndarray] = {}
    rows = []
    for f_op, q_op in zip(float_layers, int_layers, strict=True):
        source = f_op.operands[0]
        xs = values.get(source, x)
        f_kernel, q_kernel = LayerKernel(f_op, sem), LayerKernel(q_op, sem)
        f_kernel.reset(xs.shape[1])
        q_kernel.reset(xs.shape[1])
        yf, yq = f_kernel.run(xs), q_kernel.run(xs)
        values[f_op.results[0]] = yf
        total = float(yf.sum())
        rows.append({
            "layer": f_op.nir_name,
            "float_spikes": int(total),
            "quantized_spikes": int(yq.sum()),
            "count_agreement": 1.0 - float(np.abs(yq.sum(axis=0) - yf.sum(axis=0)).sum()) / max(total, 1.0),
        })
    return rows


class SpeckTarget:
    name = "speck"

    def compile(self, module: ModuleOp, reset: str = "subtract") -> tuple[ModuleOp, dict[str, Any]]:
        """The placed, quantized `speck` module and the report."""
        module = module.clone()
        ctx = Context()
        for step in (CanonicalizePass(), SpeckLegalizePass(reset=reset)):
            step.apply(ctx, module)
            verify_module(module)
        float_module = module.clone()
        for step in (SpeckQuantizePass(), SpeckPlacePass()):
            step.apply(ctx, module)
            verify_module(module)
        float_layers, int_layers = _layers(float_module), _layers(module)
        batch, steps, p = AGREEMENT_INPUT
        inputs = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.InputOp)]
        shape = nir.shape_of(inputs[0].output)
        x = (np.random.default_rng(0).random((steps, batch, *shape)) < p).astype(np.float64)
        agreement = {row["layer"]: row for row in spike_agreement(float_layers, int_layers, x)}
        report = {
            "target": "speck",
            "ok": True,
            "cores": utilisation(int_layers),
            "layers": [
                {
                    "layer": q.nir_name,
                    "core": int(q.core.value.data),  # type: ignore[union-attr]
                    **errors(f, q),
                    **{k: v for k, v in agreement[q.nir_name].items() if k != "layer"},
                }
                for f, q in zip(float_layers, int_layers, strict=True)
            ],
            "agreement_input": {"batch": batch, "steps": steps, "event_probability": p, "seed": 0},
        }
        return module, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile and write the artefacts to ``outdir``: all or nothing."""
        compiled, report = self.compile(module, **options)
        write_dir(Path(outdir), lambda d: emitter.write(d, module_to_text(compiled), top_graph(compiled), report))
        return report


def write_dir(outdir: Path, fill: Any) -> None:
    """Fill a fresh temporary directory beside ``outdir``, then put it in its place (an
    existing ``outdir`` is replaced only once the new one is complete)."""
    parent = outdir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        fill(tmp)
        if outdir.exists() and not outdir.is_dir():
            raise NircError(f"{outdir} exists and is not a directory", rule="output")
        if outdir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old.", dir=parent))
            os.replace(outdir, old / "x")
            os.replace(tmp, outdir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


TARGET = SpeckTarget()
