"""Write files and directories so that a failure never leaves a partial one behind."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from nirc.core.errors import NircError


def _cannot_write(target: Path, err: OSError) -> NircError:
    """An error of the file system writing ``target``: ``TARGET: cannot write: REASON [file]``."""
    return NircError(f"cannot write: {err.strerror or err}", rule="file", file=str(target))


#: Temporary files and folders nirc writes beside an output carry the writer's process id
#: (``.NAME.nirc-PID.XXXX``), so the next run that writes there removes those of a run
#: that was killed (its process is gone) and leaves a live writer's alone.
TEMP_MARK = "nirc-"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{TEMP_MARK}{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def remove_stale(target: Path) -> None:
    """Remove the temporary files and folders beside ``target`` that a killed nirc run left."""
    prefix = f".{target.name}.{TEMP_MARK}"
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid = entry.name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _special(target: Path) -> bool:
    """An existing output that is not a regular file or a folder (a FIFO, a device, a
    socket): nirc writes through it rather than replacing it."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it into place on success.

    A symbolic link at ``path`` is followed (the file it names is replaced, the link
    stays); a FIFO or a device is written through (the complete output is copied into
    it), never replaced.  Errors of the file system (a missing directory, no permission,
    a full disk) are :class:`~nirc.core.errors.NircError` ``[file]`` naming ``path``."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise NircError("is a directory", rule="file", file=str(path))
    special = _special(target)
    try:
        if special:
            fd, tmp = tempfile.mkstemp(prefix="nirc-", suffix=".tmp")
        else:
            remove_stale(target)
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise _cannot_write(Path(path), err) from None
    os.close(fd)
    try:
        yield Path(tmp)
        if special:
            with open(tmp, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            Path(tmp).unlink(missing_ok=True)
            return
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(Path(path), err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text_file(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the block succeeds."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        yield out


def replace_dir(outdir: str | os.PathLike[str], fill: Callable[[Path], None], owned: Callable[[Path], bool]) -> None:
    """Write a directory all or nothing: ``fill`` a fresh temporary directory beside
    ``outdir``, then put it in ``outdir``'s place.

    An existing ``outdir`` is replaced only once the new one is complete, and only if it
    is empty or ``owned(outdir)`` says it holds an earlier run's artefacts: nirc never
    deletes a directory of the user's.  Its errors, and those of the file system, are
    :class:`~nirc.core.errors.NircError` ``[file]`` naming ``outdir`` as their file; on any
    failure ``outdir`` is as before.
    """
    target = Path(outdir)
    try:
        if target.exists() and not target.is_dir():
            raise NircError("exists and is not a directory", rule="file", file=str(target))
        if target.is_dir() and any(target.iterdir()) and not owned(target):
            raise NircError(
                "a non-empty directory that does not hold this target's artefacts: choose another -o",
                rule="file",
                file=str(target),
            )
        parent = target.resolve().parent
        if not parent.is_dir():
            raise NircError(f"the folder {str(parent)!r} does not exist", rule="file", file=str(target))
        remove_stale(target)
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=parent))
    except OSError as err:
        raise _cannot_write(target, err) from None
    old: Path | None = None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        fill(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_temp_prefix(target) + "old.", dir=parent))
            os.replace(target, old / "previous")
        os.replace(tmp, target)
    except OSError as err:
        if old is not None and (old / "previous").exists() and not target.exists():
            os.replace(old / "previous", target)
        raise _cannot_write(target, err) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def owns(marker: str | os.PathLike[str], key: str, value: Any) -> bool:
    """Whether the JSON file ``marker`` (a target's report, or its main artefact) holds
    ``value`` under ``key``: the ``owned`` test of :func:`replace_dir` for a target that
    writes such a file.  A file that is missing, unreadable, not JSON or not a JSON object
    says no."""
    try:
        return bool(json.loads(Path(marker).read_text(encoding="utf-8")).get(key) == value)
    except (OSError, ValueError, AttributeError):
        return False
