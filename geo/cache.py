"""Where built data lives: a user cache directory, never the package.

``GEO_CACHE_DIR`` overrides the location (tests point it at a temporary
folder; CI and users can point it anywhere writable).
"""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """The folder for built gazetteers and outlines, created if missing."""
    path = Path(os.environ.get("GEO_CACHE_DIR") or user_cache_dir("geo", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
