"""The Xylo target object: compile a `nir` module for a Xylo chip and write the rockpool
specification, all or nothing (``docs/targets/xylo.md``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from nirc.core.errors import NircError
from nirc.core.node import shape_of
from nirc.core.target import TargetOption, agreement_option, dt_option
from nirc.core.verify import verify_module
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.interp.agreement import count_agreement, step_agreement
from nirc.interp.run import run
from nirc.io.atomic import owns, replace_dir
from nirc.io.text import module_to_text
from nirc.passes.quantize import QuantizePass, quantize_module
from nirc.targets.xylo import dialect as xylo
from nirc.targets.xylo import emit as emitter
from nirc.targets.xylo.nir_to_xylo import NirToXyloPass
from nirc.targets.xylo.profile import PROFILE
from nirc.targets.xylo.resources import CHIPS, DEFAULT_CHIP, XyloChip
from nirc.targets.xylo.rules import Analysis, Population, check

#: Random input for the spike agreement when no ``--calibration`` is given: batch,
#: steps, probability of a spike per channel and step, seed.
AGREEMENT_INPUT = (16, 200, 0.05, 0)


def _range(values: np.ndarray, digits: int = 6) -> list[Any] | Any:
    """One number where all are equal, else ``[min, max]`` (whole numbers stay whole)."""
    v = np.asarray(values).reshape(-1)
    if v.size == 0:
        return []
    if v.dtype.kind in "iu":
        lo, hi = int(v.min()), int(v.max())
        return lo if lo == hi else [lo, hi]
    lo_f, hi_f = float(v.min()), float(v.max())
    return round(lo_f, digits) if lo_f == hi_f else [round(lo_f, digits), round(hi_f, digits)]


def _tau(decay: np.ndarray, dt: float) -> np.ndarray:
    """The time constant whose exponential decay over one step is ``decay`` (s)."""
    d = np.asarray(decay, np.float64)
    with np.errstate(divide="ignore"):
        return np.where(d >= 1, np.inf, np.where(d <= 0, 0.0, -dt / np.log(np.clip(d, 1e-300, None))))


def _timing(p: Population, op: xylo.XyloPopulationOp, ids: slice, dt: float) -> dict[str, Any]:
    """The model's decays and time constants beside the chip's (what ``dash`` makes of them)."""
    d = p.neuron.discrete()
    out: dict[str, Any] = {}
    pairs = [("mem", d.decay, op.param("dash_mem")[ids])]
    chip_syn = op.param("dash_syn")[ids]
    pairs.append(("syn", d.syn_decay, chip_syn.reshape(chip_syn.shape[0], -1)[:, 0]))
    for key, model, dash in pairs:
        chip = 1.0 - np.exp2(-np.asarray(dash, np.float64))
        row: dict[str, Any] = {"dash": _range(dash)}
        if model is not None:
            row["decay_model"] = _range(model)
            row["tau_model_s"] = _range(_tau(model, dt))
        else:
            row["added"] = "the model has no synaptic current: the chip's fastest one is added"
        row["decay_chip"] = _range(chip)
        row["tau_chip_s"] = _range(_tau(chip, dt))
        out[f"tau_{key}"] = row
    return out


def _latency(a: Analysis) -> int:
    """Steps by which the chip's output trails the model's: hidden-to-hidden and
    hidden-to-readout weights deliver a step late on Xylo, so each such edge the model
    does not delay itself adds one; the longest path from the input to the readout."""
    late: dict[int, int] = {}

    def of(p: Population, seen: frozenset[int]) -> int:
        if id(p) in late:
            return late[id(p)]
        most = 0
        for s in p.sources:
            if s.reads is not None and s.reads is not p and id(s.reads) not in seen:
                most = max(most, of(s.reads, seen | {id(p)}) + (0 if s.delayed else 1))
        late[id(p)] = most
        return most

    assert a.readout is not None
    return max((of(s.reads, frozenset()) + (0 if s.delayed else 1) for s in a.readout.sources if s.reads), default=1)


def _input(module: ModuleOp, calibration: str | None) -> tuple[np.ndarray, dict[str, Any]]:
    """The agreement input ``(B, T, C)`` of spike counts, and how it was made."""
    inputs = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.InputOp)]
    channels = int(shape_of(inputs[0].output)[0])
    if calibration is None:
        batch, steps, p, seed = AGREEMENT_INPUT
        x = (np.random.default_rng(seed).random((batch, steps, channels)) < p).astype(np.float64)
        return x, {"random": True, "batch": batch, "steps": steps, "event_probability": p, "seed": seed}
    try:
        x = np.load(calibration, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise NircError(
            f"cannot read the calibration input: {err}", rule="xylo-calibration", file=calibration
        ) from None
    shape = list(x.shape)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[2] != channels or x.shape[1] == 0:
        raise NircError(
            f"the calibration input must be spike counts (T, {channels}) or (B, T, {channels}), got shape {shape}",
            rule="xylo-calibration",
            file=calibration,
        )
    if x.dtype == np.bool_:
        x = x.astype(np.int64)
    if not np.issubdtype(x.dtype, np.number) or not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x != np.round(x)):
        raise NircError(
            "the calibration input must hold spike counts (whole numbers >= 0)",
            rule="xylo-calibration",
            file=calibration,
        )
    return x.astype(np.float64), {"random": False, "file": str(calibration), "batch": x.shape[0], "steps": x.shape[1]}


def output(module: ModuleOp, x: np.ndarray) -> np.ndarray:
    """The module's one output on ``x`` (``(B, T, C)``)."""
    return next(iter(run(module, x).outputs.values()))


def measure_agreement(
    ref: np.ndarray, chip_module: ModuleOp, x: np.ndarray, latency: int, membrane: bool = False
) -> dict[str, Any]:
    """The chip model's output spikes (or, for a readout read as membranes, its
    membranes in the model's units) on ``x`` against the float `snn` model's, ``ref``
    (:func:`output`), the chip's shifted back by its latency."""
    got = output(chip_module, x)
    t = x.shape[1]
    ref_aligned, got_aligned = ref[:, : max(0, t - latency)], got[:, latency:]
    if membrane:
        norm = float(np.linalg.norm(ref_aligned))
        diff = float(np.linalg.norm(got_aligned - ref_aligned))
        a, b = ref_aligned.reshape(-1), got_aligned.reshape(-1)
        corr = float(np.corrcoef(a, b)[0, 1]) if a.size > 1 and a.std() > 0 and b.std() > 0 else None
        return {
            "latency_steps": latency,
            "membrane_rel_error": diff / norm if norm else diff,
            "membrane_correlation": corr,
        }
    return {
        "latency_steps": latency,
        "model_spikes": int(ref.sum()),
        "chip_spikes": int(got.sum()),
        "count_agreement": count_agreement(ref_aligned.sum(axis=1), got_aligned.sum(axis=1)),
        "step_agreement": step_agreement(ref_aligned, got_aligned),
    }


def _owned(outdir: Path) -> bool:
    """An earlier run's OUTDIR: its readable specification names nirc's format."""
    return owns(outdir / "xylo_spec.json", "format", emitter.FORMAT)


def _resources(a: Analysis, chip: XyloChip, hidden: xylo.HiddenOp) -> dict[str, Any]:
    w_rec = hidden.param("w_rec")
    sends = np.count_nonzero(w_rec, axis=(0, 2)) if w_rec.size else np.zeros(0)
    return {
        "input_channels": {"used": a.channels, "limit": chip.input_channels},
        "hidden_neurons": {"used": a.hidden_size, "limit": chip.hidden},
        "readout_neurons": {"used": a.readout.size if a.readout else 0, "limit": chip.readout},
        "synapses_per_neuron": {"used": hidden.synapses, "limit": chip.synapses},
        "max_fanout": {"used": int(sends.max()) if sends.size else 0, "limit": chip.max_fanout},
        "recurrent_weights": {"used": int(np.count_nonzero(w_rec)), "limit": chip.recurrent_memory},
    }


def _deviations(a: Analysis, latency: int) -> list[str]:
    out = [
        f"the output trails the model's by {latency} step(s): hidden-to-hidden and hidden-to-readout weights "
        "deliver one step late on Xylo",
        "the decays are bit-shifts (1 - 2^-dash): see tau_mem / tau_syn per population",
        "a hidden neuron emits at most 31 spikes per step, a readout neuron at most 1 (the rest stays in its membrane)",
    ]
    if a.readout is not None and not a.readout.neuron.resets:
        out.append(
            f"'{a.readout.name}' is read out as membranes (rockpool's output_mode='Vmem'); a membrane that "
            "saturates at the 16-bit limit is reset, the model's is not"
        )
    for p in [*a.hidden, *([a.readout] if a.readout else [])]:
        if not p.neuron.discrete().synaptic:
            out.append(f"'{p.name}' has no synaptic current: the chip's fastest (dash_syn = 1) is added")
        biased = [
            s.weight.nir_name
            for s in p.sources
            if isinstance(s.weight, nir.AffineOp) and np.any(s.weight.param("bias"))
        ]  # type: ignore[attr-defined]
        if p.neuron.RECURRENT and p.neuron.opt_param("b_rec") is not None and np.any(p.neuron.param("b_rec")):
            biased.append(f"{p.name}.b_rec")
        if biased:
            out.append(
                f"the bias of {', '.join(repr(b) for b in biased)} (a constant input current) joins the membrane "
                f"bias of '{p.name}' at its steady state"
            )
    return out


class XyloTarget:
    name = "xylo"
    options = (
        TargetOption(
            "chip", "the Xylo chip: audio2 (default), audio3 or imu", choices=tuple(CHIPS), default=DEFAULT_CHIP
        ),
        dt_option(PROFILE.dt),
        TargetOption(
            "calibration",
            "a .npy of input spike counts, (T, C) or (B, T, C), for the report's spike agreement "
            f"(default: random, {AGREEMENT_INPUT[0]} samples x {AGREEMENT_INPUT[1]} steps)",
            default=None,
        ),
        agreement_option("the chip's output"),
    )

    def compile(
        self,
        module: ModuleOp,
        chip: str = DEFAULT_CHIP,
        dt: float = PROFILE.dt,
        calibration: str | None = None,
        agreement: bool = True,
    ) -> tuple[ModuleOp, dict[str, Any]]:
        """The quantized `xylo` module and the report."""
        spec = CHIPS[chip]
        pipeline = NirToXyloPass(chip=chip, dt=dt)
        ctx = Context()
        work = module.clone()
        for step in pipeline.front():
            step.apply(ctx, work)
            verify_module(work)
        snn_module = work.clone()
        a = check(top_graph(snn_module), spec)  # the populations, for the report (rules hold: re-checked below)
        rows: dict[str, dict[str, Any]] = {}
        float_chip = work
        for step in pipeline.back():
            if isinstance(step, QuantizePass):
                float_chip = work.clone()
                rows = {row["layer"]: row for row in quantize_module(work, step.options()).layers}
            else:
                step.apply(ctx, work)
            verify_module(work)
        hidden, readout = emitter.ops(top_graph(work))
        latency = _latency(a)
        populations = []
        for op, pops in ((hidden, a.hidden), (readout, [a.readout] if a.readout else [])):
            for p in pops:
                ids = slice(p.ids.start, p.ids.stop)
                populations.append(
                    {
                        "node": p.name,
                        "population": "hidden" if op is hidden else "readout",
                        "ids": [p.ids.start, p.ids.stop - 1],
                        **_timing(p, op, ids, dt),
                    }
                )
        quantization = []
        for op in (hidden, readout):
            row = rows.get(op.nir_name, {})
            scale = np.asarray(row.get("scale", []), np.float64)
            quantization.append(
                {
                    "population": op.nir_name,
                    **{key: op.shift(key) for key in op.SHIFTS},
                    "scale": _range(scale, 9),
                    **{k: v for k, v in row.items() if k not in ("layer", "scale")},
                }
            )
        report: dict[str, Any] = {
            "target": "xylo",
            "ok": True,
            "chip": spec.name,
            "product": spec.product,
            "dt": dt,
            "resources": _resources(a, spec, hidden),
            "populations": populations,
            "quantization": quantization,
            "deviations": _deviations(a, latency),
        }
        if calibration is not None and not agreement:
            raise NircError(
                "--calibration is the agreement's input: it cannot go with --no-agreement",
                rule="xylo-calibration",
                file=calibration,
            )
        if agreement:
            x, how = _input(snn_module, calibration)
            membrane = readout.reads_membrane
            ref = output(snn_module, x)  # the float model runs once for both
            report["agreement"] = {
                "input": how,
                **measure_agreement(ref, work, x, latency, membrane),
                # the same before quantize: what the chip's structure and decays change alone
                "float_chip": measure_agreement(ref, float_chip, x, latency, membrane),
            }
        return work, report

    def emit(self, module: ModuleOp, outdir: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
        """Compile and write the artefacts to ``outdir``: all or nothing."""
        compiled, report = self.compile(module, **options)
        chip = CHIPS[report["chip"]]
        text = module_to_text(compiled)
        replace_dir(outdir, lambda d: emitter.write(d, text, top_graph(compiled), chip, report["dt"], report), _owned)
        return report

    def summary(self, report: dict[str, Any]) -> list[str]:
        r = report.get("resources", {})
        lines = [
            f"{report.get('product')}: {r['hidden_neurons']['used']}/{r['hidden_neurons']['limit']} hidden, "
            f"{r['readout_neurons']['used']}/{r['readout_neurons']['limit']} readout neurons, "
            f"{r['input_channels']['used']} input channels"
        ]
        for row in report.get("populations", []):
            mem, syn = row["tau_mem"], row["tau_syn"]
            lines.append(
                f"{row['population']} '{row['node']}' ids {row['ids'][0]}..{row['ids'][1]}: "
                f"dash_mem {mem['dash']}, dash_syn {syn['dash']}"
            )
        for row in report.get("quantization", []):
            err = row.get("weight_rel_error")
            lines.append(
                f"{row['population']}: weight shift {next(iter(row[k] for k in row if k.startswith('weight_shift')))}"
                + (f", weight error {err:.2%}" if err is not None else "")
            )
        agree = report.get("agreement")
        if agree and "membrane_rel_error" in agree:
            lines.append(
                f"readout membranes: relative error {agree['membrane_rel_error']:.1%} against the model's "
                f"(latency {agree['latency_steps']} step(s))"
            )
        elif agree:
            lines.append(
                f"output spikes: chip {agree['chip_spikes']}, model {agree['model_spikes']}; "
                f"count agreement {agree['count_agreement']:.1%} (latency {agree['latency_steps']} step(s))"
            )
        return lines


TARGET = XyloTarget()
