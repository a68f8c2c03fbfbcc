"""The semantics profiles the registered extensions bring, looked up by name."""

from __future__ import annotations

from typing import Any

from nirc.core.errors import NircError
from nirc.core.extension import profiles_by_name
from nirc.core.semantics import Semantics


def profiles() -> dict[str, Semantics]:
    """Every registered profile by name (``nir`` first), as ``nir-run --semantics`` lists them."""
    return dict(profiles_by_name())


def resolve(profile: str | Semantics = "nir", dt: float | None = None, **options: Any) -> Semantics:
    """A profile by name (or a Semantics), with ``dt`` and other choices overridden."""
    if isinstance(profile, Semantics):
        sem = profile
    else:
        known = profiles_by_name()
        sem = known.get(profile)  # type: ignore[assignment]
        if sem is None:
            raise NircError(f"unknown semantics '{profile}'; valid profiles: {', '.join(known)}", rule="semantics")
    if dt is not None:
        options["dt"] = dt
    return sem.with_options(**options) if options else sem
