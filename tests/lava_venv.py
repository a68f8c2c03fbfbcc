"""The Lava environment the Loihi 2 and lava-dl tests run real Lava in: ``.venv-lava``
(``scripts/lava-env.sh`` builds it; ``NIRC_LAVA_VENV`` points elsewhere).  Tests that
need it are marked :data:`needs_lava` and skip with the reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("NIRC_LAVA_VENV", REPO / ".venv-lava"))
LAVA_PYTHON = VENV / "bin" / "python"


def lava_missing() -> str | None:
    """Why real Lava cannot run here, or None."""
    if not LAVA_PYTHON.exists():
        return f"no Lava venv at {VENV} (scripts/lava-env.sh builds it)"
    return None


needs_lava = pytest.mark.skipif(lava_missing() is not None, reason=lava_missing() or "")
