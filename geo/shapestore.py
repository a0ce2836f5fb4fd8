"""The shipped shape files, indexed once into SQLite in the cache.

``geo/data/admin1_outlines.geojson.gz`` and ``geo/data/land/shapes.geojson.gz``
are GeoJSON FeatureCollections keyed by ``properties.place_id``. Parsing one
takes a second or two and holds about 100 MB of Python objects, too much for
every run that draws a single state. So each file is read once, on first use,
into ``footprints-v1.sqlite`` in :func:`geo.cache.cache_dir` (one row per
feature: place id, country, level, class, scalerank, name and the geometry as
WKB), under a key made from the file's content: an updated file is indexed
again (its old rows, and those of files that no longer exist, are dropped),
an unchanged one never. Later look-ups are single SQLite queries.
A cache folder that cannot be written gets an index in memory, with a warning.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import threading
import warnings
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import shape

from .cache import cache_dir

__all__ = ["source_key", "geometry_wkb", "rows", "store_path"]

_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources(key TEXT PRIMARY KEY, name TEXT, seen INTEGER);
CREATE TABLE IF NOT EXISTS shapes(key TEXT, place_id TEXT, cc TEXT, level INTEGER, class TEXT,
                                  scalerank REAL, name TEXT, wkb BLOB, PRIMARY KEY(key, place_id));
CREATE INDEX IF NOT EXISTS shapes_cc ON shapes(key, cc, level);
"""
_lock = threading.Lock()
_failed: set[str] = set()  # unreadable files, warned about once


def store_path() -> Path:
    """Where the index lives."""
    return cache_dir() / f"footprints-v{_VERSION}.sqlite"


@cache
def _connect(path: Path, pid: int) -> sqlite3.Connection:  # one per process: a connection must not cross a fork
    try:
        con = sqlite3.connect(path, timeout=60, check_same_thread=False)
        con.executescript(_SCHEMA)
        return con
    except sqlite3.Error as e:
        warnings.warn(f"{path}: cannot keep the shapes index there ({e}); indexing in memory for this run")
        con = sqlite3.connect(":memory:", check_same_thread=False)
        con.executescript(_SCHEMA)
        return con


def _con() -> sqlite3.Connection:
    return _connect(store_path(), os.getpid())


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_key(path: Path) -> str | None:
    """The index key of a shape file, indexing it first if needed; None when it is absent or unreadable."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = _digest(path, st.st_size, st.st_mtime_ns)
    con = _con()
    with _lock:
        if key in _failed:
            return None
        if con.execute("SELECT 1 FROM sources WHERE key = ?", (key,)).fetchone():
            return key
        try:
            records = list(_records(path))
        except (OSError, ValueError, EOFError) as e:
            _failed.add(key)
            warnings.warn(f"{path}: unreadable shapes file ({e}); places from it are drawn as points")
            return None
        with con:
            con.execute("DELETE FROM shapes WHERE key = ?", (key,))
            con.executemany("INSERT OR IGNORE INTO shapes VALUES (?,?,?,?,?,?,?,?)", ((key, *r) for r in records))
            # Files indexed before: drop those that changed or are gone (an older install, a test's file).
            dropped = 0
            for k, name in con.execute("SELECT key, name FROM sources").fetchall():
                if name == str(path) or not Path(name).exists():
                    dropped += con.execute("DELETE FROM shapes WHERE key = ?", (k,)).rowcount
                    con.execute("DELETE FROM sources WHERE key = ?", (k,))
            n = con.execute("SELECT COALESCE(MAX(seen), 0) FROM sources").fetchone()[0]
            con.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (key, str(path), n + 1))
        if dropped > 1000:  # a whole old file: give the space back
            con.execute("VACUUM")
        return key


def _records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        collection = json.load(fh)
    for feature in collection.get("features", []):
        props = feature.get("properties") or {}
        pid = props.get("place_id")
        if not pid or not feature.get("geometry"):
            continue
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            continue
        if geom.is_empty:
            continue
        rank = props.get("scalerank")
        yield (str(pid), props.get("cc"), props.get("level"), props.get("class"),
               rank if isinstance(rank, (int, float)) else None, props.get("name") or "", shapely.to_wkb(geom))


def geometry_wkb(key: str, place_id: str) -> bytes | None:
    """The WKB of one place's shape, or None."""
    row = _con().execute("SELECT wkb FROM shapes WHERE key = ? AND place_id = ?", (key, place_id)).fetchone()
    return row[0] if row else None


def rows(key: str, where: str = "", params: tuple = ()) -> list[tuple]:
    """``(place_id, cc, level, class, scalerank, name, wkb)`` rows of one file, filtered by an SQL condition."""
    sql = "SELECT place_id, cc, level, class, scalerank, name, wkb FROM shapes WHERE key = ?"
    if where:
        sql += " AND " + where
    return _con().execute(sql + " ORDER BY place_id", (key, *params)).fetchall()


def clear() -> None:
    """Forget open connections and digests (after GEO_CACHE_DIR or a file changed, e.g. in tests)."""
    _connect.cache_clear()
    _digest.cache_clear()
    _failed.clear()
