"""The real XyloSim as an oracle for the `xylo` kernels (imported by path by the tests
and by ``benchmarks/bench_xylo_kernel.py``).

rockpool's ``XyloSim`` (``rockpool.devices.xylo.syns61201`` for Xylo Audio 2,
``syns63300`` for IMU and Audio 3) runs xylosim's C++ (``xylosim.v2.XyloLayer``).  Its
modules import ``samna`` (SynSense's device library) at the top, for the chip
configuration objects only; ``XyloSim.from_specification`` never touches them.  Where
``samna`` is not installed, a stand-in import hook answers every ``samna.*`` import with
an empty module whose attributes are again such modules.

* :func:`xylosim_available` — None, or why the oracle cannot run;
* :func:`run_xylosim` — one sample through ``XyloSim.from_specification(**spec)``;
* :func:`spec_from_ops` — the rockpool specification of quantized `xylo` ops, written
  here independently of the target's own emitter.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

import numpy as np

#: the rockpool package whose XyloSim simulates each chip
SIMULATORS = {
    "audio2": "rockpool.devices.xylo.syns61201.xylo_sim",
    "audio3": "rockpool.devices.xylo.syns63300.xylo_sim",
    "imu": "rockpool.devices.xylo.syns63300.xylo_sim",
}


# --------------------------------------------------------------------------------------
# samna stand-in
# --------------------------------------------------------------------------------------


class _AnyModule(types.ModuleType):
    """A module whose every attribute is another stand-in (a class to subclass, an enum,
    a function to call: all the same)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        full = f"{self.__name__}.{name}"
        mod = sys.modules.get(full) or _AnyModule(full)
        mod.__path__ = []  # type: ignore[attr-defined]
        sys.modules[full] = mod
        setattr(self, name, mod)
        return mod

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _AnyModule(self.__name__ + "()")

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (object,)


class _SamnaFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name == "samna" or name.startswith("samna."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        mod = _AnyModule(spec.name)
        mod.__path__ = []  # type: ignore[attr-defined]
        return mod

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install_samna_standin() -> bool:
    """Install the stand-in unless the real ``samna`` imports; whether it is in use."""
    if any(isinstance(f, _SamnaFinder) for f in sys.meta_path):
        return True
    try:
        import samna  # noqa: F401
    except ImportError:
        sys.meta_path.insert(0, _SamnaFinder())
        return True
    return False


install_samna_standin()


# --------------------------------------------------------------------------------------
# the oracle
# --------------------------------------------------------------------------------------


def _simulator(chip: str) -> Any:
    return importlib.import_module(SIMULATORS[chip]).XyloSim


def xylosim_available() -> str | None:
    """None where rockpool's XyloSim runs here, else why not."""
    try:
        import xylosim.v2  # noqa: F401

        for chip in SIMULATORS:
            _simulator(chip)
    except Exception as exc:  # any failure means no oracle
        return f"rockpool's XyloSim is not available: {type(exc).__name__}: {exc}"
    return None


def build_xylosim(spec: dict, chip: str) -> Any:
    """``XyloSim.from_specification(**spec)`` of the chip's rockpool package."""
    return _simulator(chip).from_specification(**spec)


def run_xylosim(spec: dict, x: np.ndarray, chip: str, sim: Any = None) -> dict[str, np.ndarray]:
    """Run the input raster ``x`` (``(T, C)`` spike counts, one sample) from reset.

    Returns ``output`` (``(T, M)`` readout spikes), ``spikes`` (``(T, N)`` hidden spike
    counts, aliases included), and the states after each step: ``vmem``, ``isyn`` (and
    ``isyn2`` where the simulator records it: Audio 2) ``(T, N)``, ``vmem_out``,
    ``isyn_out`` ``(T, M)``.  ``sim`` reuses a simulator built by :func:`build_xylosim`."""
    if sim is None:
        sim = build_xylosim(spec, chip)
    sim.reset_state()
    out, _, rec = sim.evolve(np.asarray(x, dtype=np.int64), record=True)
    result = {
        "output": np.asarray(out, dtype=np.int64),
        "spikes": np.asarray(rec["Spikes"], dtype=np.int64),
        "vmem": np.asarray(rec["Vmem"], dtype=np.int64),
        "isyn": np.asarray(rec["Isyn"], dtype=np.int64),
        "vmem_out": np.asarray(rec["Vmem_out"], dtype=np.int64),
        "isyn_out": np.asarray(rec["Isyn_out"], dtype=np.int64),
    }
    if "Isyn2" in rec:
        result["isyn2"] = np.asarray(rec["Isyn2"], dtype=np.int64)
    return result


def spec_from_ops(hidden: Any, readout: Any, dt: float) -> dict:
    """The rockpool specification of quantized ``xylo.hidden`` and ``xylo.readout`` ops.

    nirc stores the receiving neuron first (``w_in (N, C, S)``, ``w_rec (N, N, S)`` as
    ``[post, pre, synapse]``, ``w_out (M, N)``), rockpool the sending one: ``weights_in
    (C, N, S)``, ``weights_rec (N, N, S)`` as ``[pre, post, synapse]``, ``weights_out
    (N, M)``.  With one synapse the weights are 2-D and there is no ``dash_syn_2`` (as
    rockpool's IMU mapper writes them; both XyloSims take that)."""
    w_in = np.asarray(hidden.param("w_in"))
    w_rec = np.asarray(hidden.param("w_rec"))
    w_out = np.asarray(readout.param("w_out"))
    synapses = w_in.shape[2]
    dash_syn = np.asarray(hidden.param("dash_syn"))
    weights_in = np.transpose(w_in, (1, 0, 2)).astype(np.int8)
    weights_rec = np.transpose(w_rec, (1, 0, 2)).astype(np.int8)
    if synapses == 1:
        weights_in, weights_rec = weights_in[:, :, 0], weights_rec[:, :, 0]
    alias = hidden.opt_param("aliases")
    n = w_rec.shape[0]
    aliases = [[] for _ in range(n)] if alias is None else [[int(a)] if a >= 0 else [] for a in alias.tolist()]
    spec: dict[str, Any] = {
        "weights_in": weights_in,
        "weights_rec": weights_rec,
        "weights_out": np.ascontiguousarray(w_out.T).astype(np.int8),
        "dash_mem": np.asarray(hidden.param("dash_mem")).astype(np.uint8),
        "dash_mem_out": np.asarray(readout.param("dash_mem")).astype(np.uint8),
        "dash_syn": dash_syn[:, 0].astype(np.uint8),
        "dash_syn_out": np.asarray(readout.param("dash_syn")).astype(np.uint8),
        "threshold": np.asarray(hidden.param("threshold")).astype(np.int16),
        "threshold_out": np.asarray(readout.param("threshold")).astype(np.int16),
        "bias": np.asarray(hidden.param("bias")).astype(np.int16),
        "bias_out": np.asarray(readout.param("bias")).astype(np.int16),
        "weight_shift_in": hidden.shift("weight_shift_in"),
        "weight_shift_rec": hidden.shift("weight_shift_rec"),
        "weight_shift_out": readout.shift("weight_shift_out"),
        "aliases": aliases,
        "dt": float(dt),
    }
    if synapses == 2:
        spec["dash_syn_2"] = dash_syn[:, 1].astype(np.uint8)
    return spec
