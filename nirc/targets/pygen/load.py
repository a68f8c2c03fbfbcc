"""Import an emitted output directory: what ``cd OUTDIR; from model import load`` does,
without changing directory or ``sys.path`` (for tests, benchmarks and notebooks).

Every Python target writes ``OUTDIR/model.py`` defining ``load()``, which returns the model
with the weights of ``OUTDIR/weights.npz``; this works for any of them.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from pathlib import Path
from typing import Any

#: The generated module, in OUTDIR.
MODEL = "model.py"

_count = itertools.count()


def load_emitted(outdir: str | os.PathLike[str]) -> Any:
    """The model of ``OUTDIR/model.py`` with its weights (``load()``), imported under a
    fresh module name so that several output directories load side by side."""
    path = Path(outdir) / MODEL
    spec = importlib.util.spec_from_file_location(f"nirc_emitted_{next(_count)}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load()
