"""Example models shipped with nirc (see ``examples/make_examples.py``)."""

from pathlib import Path

#: Directory of the shipped `.nir` files.
EXAMPLES_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """Path of a shipped example, e.g. ``path("srnn.nir")``."""
    return EXAMPLES_DIR / name
