"""Spikes of the frameworks' own NIR importers, and of nirc's emitted code, beside nirc's reference.

    python benchmarks/compare_importers.py [--quick] [--seed N] [--no-emitted]

For each model of the paper corpus (``../shared/corpus/paper``) and each runner, this
script runs the model on the same input and compares the output spikes with
``nirc.run`` (the reference interpreter, float64, ``dt = 1e-4``) under the profile the
runner claims to follow:

- ``snntorch.import_nir.import_from_nir`` against the profiles ``snntorch`` and ``nir``;
- ``norse.torch.from_nir(graph, dt=1e-4)`` against the profile ``norse``;
- nirc's own emitted code (``nir-translate MODEL --target=snntorch|norse``, see
  :func:`nirc_emitted`) against the profile it was emitted for.

The importers run in float32, as they cast every module to float32; their input is cast
to float32 too.  The emitted code runs in float64.  All inputs are 0/1 spikes, so the
float32 input and the reference's float64 input hold the same values.

Per cell the table gives the status (``imported``, ``import failed: …``, ``run failed:
…``), the total output spikes of the runner and of the reference, the number of
(t, b, neuron) output entries that differ, the fraction of equal entries
("agreement") and, for the one-neuron models (batch 1), the spike steps.  Every
exception is caught per cell and shown as its type and the first line of its message.
Where an importer's module fails on the batch, each sample is run alone (batch 1, a
fresh module) and the status says so.  Below the table: what each importer printed or
warned, and whether the reference itself changes between float64 and float32.

Inputs (seeded): the LIF models get the input column of ``lif_traces/lif_exact.csv``
(1000 steps, batch 1; the paper's reference spikes at 460, 510, 710, 760); the Braille
SRNNs seeded Bernoulli spikes (p = 0.1, batch 8 x 256 steps; ``--quick``: 2 x 64);
``cnn_sinabs.nir`` seeded Bernoulli events (p = 0.05, batch 4 x 100 steps, ``--quick``:
1 x 20).  Prints markdown; asserts nothing.  About 20 s without the emitted code, about
1-2 minutes with it (one nir-translate process per cell; 2 cores); ``--quick`` under 30 s.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import nirc
from nirc.targets.pygen.load import load_emitted

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "paper"
DT = 1e-4
#: The paper's LIF benchmark: output spike steps of lif_norse.nir on lif_exact.csv.
LIF_EXPECTED = [460, 510, 710, 760]
NOT_AVAILABLE = "nirc target not available"


# --------------------------------------------------------------------------- helpers


def reason(exc: BaseException) -> str:
    """One line: exception type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    msg = lines[0] if lines else ""
    if len(msg) > 110:
        msg = msg[:107] + "..."
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def seed_everything(seed: int) -> None:
    import random

    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # pragma: no cover - torch is needed for every runner anyway
        pass


@contextlib.contextmanager
def quiet(said: list[str] | None = None) -> Any:
    """Silence the importers' prints, logging and warnings (they chat on stdout); what
    they said is appended to ``said`` (one entry per distinct line)."""
    import logging

    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = [handler]  # also replaces a handler some import left on the real stderr
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            contextlib.redirect_stdout(buf),
            contextlib.redirect_stderr(buf),
        ):
            warnings.simplefilter("always")
            yield
    finally:
        root.handlers = saved
        if said is not None:
            lines = [ln.strip() for ln in buf.getvalue().splitlines() if ln.strip()]
            lines += [
                f"{w.category.__name__}: {str(w.message).strip().splitlines()[0] if str(w.message).strip() else ''}"
                for w in caught
            ]
            for ln in lines:
                if ln not in said:
                    said.append(ln)


def as_array(outputs: Any) -> np.ndarray:
    """One array from an output or a dict of outputs keyed by Output name (several are
    flattened per (b, t) and concatenated in name order)."""
    if isinstance(outputs, Mapping):
        keys = sorted(outputs)
        if len(keys) == 1:
            return np.asarray(outputs[keys[0]])
        arrs = [np.asarray(outputs[k]) for k in keys]
        return np.concatenate([a.reshape(*a.shape[:2], -1) for a in arrs], axis=-1)
    return np.asarray(outputs)


def to_numpy(t: Any) -> np.ndarray:
    if isinstance(t, (tuple, list)):  # snnTorch neurons built with init_hidden=False return (spk, mem)
        t = t[0]
    if hasattr(t, "detach"):
        return t.detach().cpu().numpy()
    return np.asarray(t)


# --------------------------------------------------------------------------- models


@dataclass
class Model:
    file: str
    shape: tuple[int, ...]
    make_input: Callable[[np.random.Generator], np.ndarray]  # -> (B, T, *shape), float32, 0/1
    steps_column: bool = False  # batch 1: print the spike steps


def lif_input(_rng: np.random.Generator) -> np.ndarray:
    trace = np.loadtxt(CORPUS / "lif_traces" / "lif_exact.csv", delimiter=",")
    return trace[:, 0].astype(np.float32)[None, :, None]  # (1, 1000, 1)


def bernoulli(batch: int, steps: int, shape: tuple[int, ...], p: float) -> Callable[[np.random.Generator], np.ndarray]:
    def make(rng: np.random.Generator) -> np.ndarray:
        return (rng.random((batch, steps, *shape)) < p).astype(np.float32)

    return make


def corpus(quick: bool) -> list[Model]:
    b_batch, b_steps = (2, 64) if quick else (8, 256)
    c_batch, c_steps = (1, 20) if quick else (4, 100)
    return [
        Model("lif_norse.nir", (1,), lif_input, True),
        Model("lif_rockpool.nir", (1,), lif_input, True),
        Model("two_lif_neurons.nir", (1,), lif_input, True),
        Model("braille_noDelay_bias_zero.nir", (12,), bernoulli(b_batch, b_steps, (12,), 0.1)),
        Model("braille_noDelay_noBias_subtract.nir", (12,), bernoulli(b_batch, b_steps, (12,), 0.1)),
        Model("cnn_sinabs.nir", (2, 34, 34), bernoulli(c_batch, c_steps, (2, 34, 34), 0.05)),
    ]


# --------------------------------------------------------------------------- runners


class ImportFailed(Exception):
    pass


def read_nir_graph(path: Path) -> tuple[Any, str]:
    """``nir.read`` as a user would call it; with ``type_check=False`` if the checked read
    fails (noted)."""
    import nir

    with quiet():
        try:
            return nir.read(path), ""
        except Exception as exc:
            first = reason(exc)
            try:
                return nir.read(path, type_check=False), f"needed nir.read(type_check=False): {first}"
            except Exception as exc2:
                raise ImportFailed(f"nir.read: {reason(exc2)}") from exc2


def step_loop(net: Any, x: np.ndarray) -> np.ndarray:
    """Drive a nirtorch module (``out, state = net(x_t, state)``) over time; x is (B, T, *shape)."""
    import torch

    xt = torch.from_numpy(np.ascontiguousarray(np.swapaxes(x, 0, 1))).to(torch.float32)
    state = None
    outs = []
    with torch.no_grad():
        for t in range(xt.shape[0]):
            res = net(xt[t], state)
            if isinstance(res, tuple) and len(res) == 2 and not hasattr(res[1], "shape"):
                out, state = res
            else:  # no state returned
                out = res
            # (B, n): flattened per sample; with batch 1 this also undoes an importer that
            # flattened the batch axis away (Norse maps NIR's Flatten(start_dim=0) literally)
            outs.append(to_numpy(out).reshape(x.shape[0], -1))
    return np.swapaxes(np.stack(outs), 0, 1)  # (B, T, n); compare() reshapes to the reference's layout


def run_stepped(
    net_factory: Callable[[], Any], x: np.ndarray, seed: int, said: list[str]
) -> tuple[np.ndarray | None, str]:
    """Run a fresh module from ``net_factory`` on the batch; if that fails with batch > 1,
    run each sample alone (batch 1, a fresh module each) and say so."""
    try:
        seed_everything(seed)
        with quiet(said):
            return step_loop(net_factory(), x), "imported"
    except Exception as exc:
        failed = f"run failed: {reason(exc)}"
        if x.shape[0] == 1:
            return None, failed
    try:
        outs = []
        for b in range(x.shape[0]):
            seed_everything(seed)
            with quiet(said):
                outs.append(step_loop(net_factory(), x[b : b + 1]))
        return np.concatenate(outs), f"{failed} (batch {x.shape[0]}); measured per sample, batch 1 each"
    except Exception as exc:
        again = reason(exc)
        return (
            None,
            f"{failed} (at batch {x.shape[0]} and at batch 1)"
            if f"run failed: {again}" == failed
            else f"{failed}; batch 1: {again}",
        )


def run_snntorch_import(path: Path, x: np.ndarray, seed: int, said: list[str]) -> tuple[np.ndarray | None, str, str]:
    """(spikes (B, T, *out), status, note); what the importer printed goes to ``said``."""
    note = ""
    try:
        graph, note = read_nir_graph(path)
        seed_everything(seed)
        with quiet(said):
            from snntorch.import_nir import import_from_nir

            import_from_nir(graph)
    except ImportFailed as exc:
        return None, f"import failed: {exc}", note
    except Exception as exc:
        return None, f"import failed: {reason(exc)}", note

    def fresh() -> Any:
        from snntorch.import_nir import import_from_nir

        return import_from_nir(graph)

    out, status = run_stepped(fresh, x, seed, said)
    return out, status, note


def run_norse_import(path: Path, x: np.ndarray, seed: int, said: list[str]) -> tuple[np.ndarray | None, str, str]:
    note = ""
    try:
        graph, note = read_nir_graph(path)
        seed_everything(seed)
        with quiet(said):
            import norse.torch

            norse.torch.from_nir(graph, dt=DT)
    except ImportFailed as exc:
        return None, f"import failed: {exc}", note
    except Exception as exc:
        return None, f"import failed: {reason(exc)}", note

    def fresh() -> Any:
        import norse.torch

        return norse.torch.from_nir(graph, dt=DT)

    out, status = run_stepped(fresh, x, seed, said)
    return out, status, note


def _translate_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "nir-translate"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("nir-translate")
    if found:
        return [found]
    return [sys.executable, "-c", "from nirc.tools.nir_translate import main; main()"]


def nirc_emitted(model_path: str | os.PathLike[str], framework: str, profile: str, x: np.ndarray) -> np.ndarray | str:
    """Run nirc's emitted ``framework`` code for ``model_path`` on ``x``.

    ``x`` is laid out as for ``nirc.run``: ``(B, T, *input_shape)``.  Runs
    ``nir-translate MODEL --target=FRAMEWORK -o TMPDIR --semantics=PROFILE --dtype=float64``,
    imports ``TMPDIR/model.py``, builds ``model.load()`` and calls it once on the whole
    float64 input ``(T, B, *input_shape)``.  Returns the output as ``(B, T, *output_shape)``
    (several Outputs: concatenated per (b, t) in name order), or a one-line string: the
    string ``"nirc target not available"`` if nir-translate does not know the target yet,
    else why translating, importing or running failed."""
    import torch

    with tempfile.TemporaryDirectory(prefix=f"nirc-{framework}-") as tmp:
        out_dir = Path(tmp) / "out"
        cmd = [
            *_translate_cmd(),
            str(model_path),
            f"--target={framework}",
            "-o",
            str(out_dir),
            f"--semantics={profile}",
            "--dtype=float64",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired:
            return "translate failed: nir-translate timed out (180 s)"
        if proc.returncode != 0:
            text = (proc.stderr or "") + (proc.stdout or "")
            if "unknown target" in text:
                return NOT_AVAILABLE
            lines = [
                ln.strip().removeprefix("nir-translate: error: ") for ln in text.strip().splitlines() if ln.strip()
            ]
            last = (lines[-1] if lines else "")[:130]
            if "failed to load" in text:  # registered, but its module is not there (yet)
                return f"{NOT_AVAILABLE}: {last}"
            return f"translate failed (exit {proc.returncode}): {last}"
        model_py = out_dir / "model.py"
        if not model_py.exists():
            return f"translate failed: no model.py in the output ({', '.join(sorted(p.name for p in out_dir.iterdir()))[:80]})"
        try:
            with quiet():
                net = load_emitted(out_dir)
        except Exception as exc:
            return f"import failed: {reason(exc)}"
        try:
            xt = torch.from_numpy(np.ascontiguousarray(np.swapaxes(np.asarray(x, dtype=np.float64), 0, 1)))
            with torch.no_grad(), quiet():
                out = net(xt)
            if isinstance(out, Mapping):
                out = {k: np.swapaxes(to_numpy(v), 0, 1) for k, v in out.items()}
                return as_array(out)
            return np.swapaxes(to_numpy(out), 0, 1)
        except Exception as exc:
            return f"run failed: {reason(exc)}"


def run_emitted(framework: str) -> Callable[[Path, np.ndarray, int, str], tuple[np.ndarray | None, str]]:
    def run(path: Path, x: np.ndarray, seed: int, profile: str) -> tuple[np.ndarray | None, str]:
        seed_everything(seed)
        try:
            res = nirc_emitted(path, framework, profile, x)
        except Exception as exc:  # the hook catches its own; this is a last resort
            return None, f"run failed: {reason(exc)}"
        if isinstance(res, str):
            return None, res
        return res, "imported (emitted code, float64)"

    return run


# --------------------------------------------------------------------------- reference and comparison


def reference(path: Path, x: np.ndarray, profile: str, dtype: str = "float64") -> np.ndarray | str:
    try:
        with quiet():
            module = nirc.read(path)
            res = nirc.run(module, x, semantics=profile, dt=DT, dtype=dtype)
        return as_array(res.outputs)
    except Exception as exc:
        return f"reference failed: {reason(exc)}"


def spike_steps(arr: np.ndarray, limit: int = 8) -> str:
    """Steps with a spike in batch 0 (any neuron), for batch-1 runs."""
    steps = np.nonzero(arr[0].reshape(arr.shape[1], -1).any(axis=1))[0].tolist()
    if not steps:
        return "none"
    if len(steps) <= limit:
        return ", ".join(map(str, steps))
    return ", ".join(map(str, steps[:limit])) + f", ... ({len(steps)} steps)"


@dataclass
class Row:
    model: str
    runner: str
    profile: str
    status: str
    spikes: str = "-"
    differ: str = "-"
    agreement: str = "-"
    steps: str = ""


def compare(row: Row, out: np.ndarray | None, ref: np.ndarray | str, with_steps: bool) -> Row:
    ref_spikes = "-" if isinstance(ref, str) else f"{ref.sum():g}"
    if out is None:
        if isinstance(ref, str):
            row.status += f"; {ref}"
        row.spikes = f"- / {ref_spikes}"
        if with_steps and not isinstance(ref, str):
            row.steps = f"- / {spike_steps(ref)}"
        return row
    out = np.asarray(out, dtype=np.float64)
    row.spikes = f"{out.sum():g} / {ref_spikes}"
    if isinstance(ref, str):
        row.status += f"; {ref}"
        if with_steps:
            row.steps = f"{spike_steps(out)} / -"
        return row
    if out.size != ref.size:
        row.status += f"; output shape {list(out.shape)} vs reference {list(ref.shape)}"
        return row
    out = out.reshape(ref.shape)
    diff = int(np.count_nonzero(out != ref))
    row.differ = f"{diff} / {ref.size}"
    row.agreement = f"{1 - diff / ref.size:.4f}"
    if with_steps:
        row.steps = f"{spike_steps(out)} / {spike_steps(ref)}"
    return row


# --------------------------------------------------------------------------- main


IMPORTERS: list[tuple[str, Callable[..., tuple[np.ndarray | None, str, str]], tuple[str, ...]]] = [
    ("snntorch.import_nir", run_snntorch_import, ("snntorch", "nir")),
    ("norse.from_nir", run_norse_import, ("norse",)),
]
EMITTED: list[tuple[str, str, tuple[str, ...]]] = [
    ("nirc --target=snntorch", "snntorch", ("snntorch", "nir")),
    ("nirc --target=norse", "norse", ("norse",)),
]


def md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller Braille and CNN inputs (a smoke run)")
    ap.add_argument("--seed", type=int, default=0, help="base seed of the inputs and of torch (default 0)")
    ap.add_argument("--no-emitted", action="store_true", help="leave out nirc's emitted code")
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    try:
        import norse
        import snntorch
        import torch

        versions = (
            f"torch {torch.__version__}, snntorch {snntorch.__version__}, norse {getattr(norse, '__version__', '?')}"
        )
    except Exception as exc:
        versions = f"frameworks not importable: {reason(exc)}"
    print(f"# NIR importers vs nirc's reference ({'quick' if args.quick else 'full'} run)\n")
    print(
        f"nirc reference: `nirc.run(..., semantics=PROFILE, dt={DT:g}, dtype='float64')`; {versions}; seed {args.seed}.\n"
    )

    rows: list[Row] = []
    ref_notes: list[str] = []
    notes: list[str] = []
    emitted_available: dict[str, bool] = {}  # once a target is missing, do not ask again
    unavailable: dict[str, str] = {}
    for index, model in enumerate(corpus(args.quick)):
        path = CORPUS / model.file
        seed = args.seed + index
        x = model.make_input(np.random.default_rng(seed))
        refs: dict[str, np.ndarray | str] = {}

        def ref_for(profile: str, *, path: Path = path, x: np.ndarray = x, refs: dict = refs) -> np.ndarray | str:
            if profile not in refs:
                refs[profile] = reference(path, x, profile)
            return refs[profile]

        shape = "x".join(map(str, x.shape[:2]))
        label = f"{model.file} ({shape})"
        for runner_name, runner, profiles in IMPORTERS:
            said: list[str] = []
            out, status, note = runner(path, x, seed, said)
            if note:
                status += " (see notes)"
                notes.append(f"- {model.file}, {runner_name}: {note}")
            if said:
                shown = "; ".join(f"`{md_escape(ln[:140])}`" for ln in said[:6]) + (
                    f"; ... ({len(said)} distinct lines)" if len(said) > 6 else ""
                )
                notes.append(f"- {model.file}, {runner_name} printed/warned: {shown}")
            else:
                notes.append(f"- {model.file}, {runner_name}: no print, log or warning")
            for profile in profiles:
                rows.append(
                    compare(Row(label, runner_name, profile, status), out, ref_for(profile), model.steps_column)
                )
        if not args.no_emitted:
            for runner_name, framework, profiles in EMITTED:
                for profile in profiles:
                    if emitted_available.get(framework) is False:
                        out, status = None, unavailable[framework]
                    else:
                        out, status = run_emitted(framework)(path, x, seed, profile)
                        emitted_available[framework] = not status.startswith(NOT_AVAILABLE)
                        unavailable[framework] = status
                    rows.append(
                        compare(Row(label, runner_name, profile, status), out, ref_for(profile), model.steps_column)
                    )
        # the reference itself in float32, to tell dtype flips from semantics
        for profile, ref in sorted(refs.items()):
            if isinstance(ref, str):
                ref_notes.append(f"- {model.file}, `{profile}`: {ref}")
                continue
            ref32 = reference(path, x, profile, dtype="float32")
            if isinstance(ref32, str):
                ref_notes.append(f"- {model.file}, `{profile}`: float32 {ref32}")
                continue
            diff = int(np.count_nonzero(ref32 != ref))
            ref_notes.append(
                f"- {model.file}, `{profile}`: {ref.sum():g} spikes (float64), {ref32.sum():g} (float32), {diff} entries differ"
            )

    header = [
        "model (B x T)",
        "runner",
        "profile",
        "status",
        "spikes runner / ref",
        "differing entries",
        "agreement",
        "spike steps runner / ref",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] * 3 + ["---"] + ["--:"] * 3 + ["---"]) + "|")
    for r in rows:
        cells = [r.model, r.runner, r.profile, r.status, r.spikes, r.differ, r.agreement, r.steps]
        print("| " + " | ".join(md_escape(c) for c in cells) + " |")

    print("\nWhat the importers said (stdout, stderr, logging, warnings; distinct lines):\n")
    print("\n".join(notes))
    print("\nReference float64 vs float32 (same input, same profile):\n")
    print("\n".join(ref_notes))
    print(
        f"\nLIF benchmark: the paper's reference spike steps are {', '.join(map(str, LIF_EXPECTED))} (lif_exact.csv)."
    )
    print(f"Done in {time.perf_counter() - t_start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
