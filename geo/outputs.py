"""The one way the project writes its output files: whole, or not at all.

:func:`write_atomic` writes one file through a temporary name beside it;
:func:`write_together` replaces several so that a reader (or a crash) sees all
old or all new ones. ``render``, ``outlines``, ``parallel`` and the command
flows all write through these.
"""
from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["write_atomic", "write_together", "write_text_atomic"]


def _staged(path: Path) -> str:
    """A temporary file beside ``path`` (created empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return tmp


def _ordinary(tmp: str) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    tmp = _staged(path)
    try:
        write(Path(tmp))
        _ordinary(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_together(files: Mapping[Path, Callable[[Path], None] | None]) -> None:
    """Write several files so that a reader (or a crash) sees all old or all new ones.

    Each is written to a temporary name beside it; then all are renamed over
    the old ones (a None writer removes the file) with SIGINT/SIGTERM held
    back, so an interruption leaves either the previous outputs or the new ones.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, write in files.items():
            if write is None:
                continue
            tmp = _staged(path)
            staged.append((tmp, path))
            write(Path(tmp))
            _ordinary(tmp)
        mask = getattr(signal, "pthread_sigmask", None)  # POSIX only
        old_mask = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if mask else None
        try:
            for tmp, path in staged:
                os.replace(tmp, path)
            staged = []
            for path, write in files.items():
                if write is None:
                    path.unlink(missing_ok=True)
        finally:
            if mask:
                mask(signal.SIG_SETMASK, old_mask)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
