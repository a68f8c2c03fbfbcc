"""The common object of the Python targets: options, compile to `snn`, write the artefacts.

A framework's target is a subclass naming its ``backend`` (a
:class:`~nirc.targets.pygen.backend.Backend`, usually through a backend's own subclass such
as :class:`nirc.targets.pygen.torch.target.TorchTarget`) and its ``mapping`` (a
:class:`~nirc.targets.pygen.backend.Mapping`), registered in the framework's extension.
Everything else is here:

* the options ``--semantics`` (a profile, default ``nir``), ``--dt`` (default the
  profile's) and ``--dtype`` (float32, float64);
* :meth:`PythonTarget.discretize`: ``nir-to-snn{dt semantics}``, or the recorded semantics
  of a model already discrete-time (then only ``snn-fuse-recurrent``), then
  ``inline-graphs``, so the graph walk sees one flat, fused `snn` graph;
* :meth:`PythonTarget.generate`: the walk, a compile check of the source, the report;
* :meth:`PythonTarget.emit`: ``model.py``, ``weights.npz`` and ``report.json`` into OUTDIR
  all or nothing (:func:`nirc.io.atomic.replace_dir`), replacing an OUTDIR only where its
  report says this target wrote it;
* :meth:`PythonTarget.summary`: the lines ``nir-translate`` prints.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nirc.core import __version__
from nirc.core.errors import NircError
from nirc.core.gcpause import pauses_gc
from nirc.core.profiles import profiles
from nirc.core.semantics import Semantics
from nirc.core.target import TargetOption, seconds
from nirc.core.verify import verify_module
from nirc.dialects.snn.discretization import recorded
from nirc.io.atomic import owns, replace_dir
from nirc.passes.inline_graphs import InlineGraphsPass
from nirc.passes.nir_to_snn import NirToSnnPass
from nirc.passes.snn_fuse_recurrent import SnnFuseRecurrentPass
from nirc.targets.pygen import report as reports
from nirc.targets.pygen import weights
from nirc.targets.pygen.backend import Backend, Mapping
from nirc.targets.pygen.load import MODEL
from nirc.targets.pygen.walk import Generated, generate

#: The files a Python target writes into OUTDIR.
WEIGHTS, REPORT = weights.FILE, reports.REPORT

#: The run dtypes a generated model takes.
DTYPES = ("float32", "float64")


@pauses_gc
def _run(steps: tuple[ModulePass, ...], module: ModuleOp) -> None:
    """Each pass of ``steps`` in turn, each followed by the verifier (as a
    :class:`~nirc.core.pipeline.PipelinePass` runs its steps)."""
    ctx = Context()
    for step in steps:
        step.apply(ctx, module)
        verify_module(module)


def float_profiles() -> tuple[str, ...]:
    """The profiles a float model can reproduce: those without a lowering to a chip's
    arithmetic (:attr:`nirc.core.semantics.Semantics.lowering`)."""
    return tuple(name for name, sem in profiles().items() if not sem.lowering)


class PythonTarget:
    """A framework target: ``nir-to-snn{dt semantics}``, then the graph walk
    (:func:`~nirc.targets.pygen.walk.generate`) with the target's backend and mapping."""

    name: str
    backend: Backend
    mapping: Mapping

    def __init__(self) -> None:
        self.options = (
            TargetOption(
                "semantics",
                f"the discretization the emitted model reproduces: a profile ({', '.join(float_profiles())}); "
                f"default nir, or '{self.name}' for {self.name}'s own convention",
                choices=float_profiles(),
                default=None,
            ),
            TargetOption(
                "dt", "the time step in seconds (default: the profile's, 1e-4 for most)", type=seconds, default=None
            ),
            TargetOption(
                "dtype", "the float type the emitted model runs in (default float32)", choices=DTYPES, default="float32"
            ),
        )

    # ------------------------------------------------------------------ compile
    def discretize(
        self, module: ModuleOp, semantics: str | None = None, dt: float | None = None
    ) -> tuple[ModuleOp, Semantics]:
        """The fused, flat `snn` module and its semantics."""
        module = module.clone()
        fixed = recorded(module)
        steps: tuple[ModulePass, ...]
        if fixed is not None:
            if semantics is not None or dt is not None:
                raise NircError(
                    f"the model is already discrete-time (semantics={fixed.name}, dt={fixed.dt}): "
                    "--semantics and --dt cannot change it",
                    rule="semantics",
                )
            sem, steps = fixed, (SnnFuseRecurrentPass(),)
        else:
            profile = profiles()[semantics or "nir"]
            pipeline = NirToSnnPass(dt=profile.dt if dt is None else dt, semantics=profile.name)
            sem, steps = pipeline.resolved(), pipeline.steps()
        # The generated step is flat: nested graphs (a framework may export every
        # recurrent neuron as one) join the graph around them, exactly now that every
        # cycle has its one-step delay.
        _run((*steps, InlineGraphsPass()), module)
        return module, sem

    def header(self, sem: Semantics, dtype: str) -> list[str]:
        """The comment and docstring the generated file starts with."""
        return [
            f"# Generated by nirc {__version__} (nir-translate --target={self.name}); regenerate rather than edit.",
            f'"""A spiking network for {self.name}, generated by nirc from a NIR model.',
            "",
            f"It reproduces the discretization in SEMANTICS (a nirc semantics profile, dt = {float(sem.dt)!r} s), in {dtype}:",
            "",
            "    from model import load",
            f"    net = load()             # the weights come from {WEIGHTS} beside this file",
            "    y = net(x)               # x: (time, batch, *input shape)",
            "",
            "NODE_NAMES maps the identifiers below to the model's node names.",
            '"""',
        ]

    def generate(
        self, module: ModuleOp, semantics: str | None = None, dt: float | None = None, dtype: str = "float32"
    ) -> tuple[Generated, dict[str, Any]]:
        """The generated module and the report, without writing anything."""
        if dtype not in DTYPES:
            raise NircError(f"dtype must be float32 or float64, got {dtype!r}", rule="semantics")
        discrete, sem = self.discretize(module, semantics, dt)
        chosen = {k: v for k, v in dataclasses.asdict(sem).items() if k not in ("source", "dtype")}
        generated = generate(discrete, self.backend, self.mapping, dtype, self.header(sem, dtype), chosen, self.name)
        compile(
            generated.source, MODEL, "exec"
        )  # a bug of the generator, never the user's: fail here, not in their hands
        return generated, reports.build(self.name, sem, dtype, generated.weights, generated.nodes)

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        generated, report = self.generate(module, **options)

        def fill(tmp: Path) -> None:
            (tmp / MODEL).write_text(generated.source, encoding="utf-8")
            weights.write(tmp / WEIGHTS, generated.weights)
            (tmp / REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")

        replace_dir(outdir, fill, lambda d: owns(d / REPORT, "format", reports.report_format(self.name)))
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        return reports.summary(report)
