"""Footprints: the line or area a resolved place stands for.

A river is a line, a lake, range, desert or island an area, a state or
province its outline, a country its outline; a town has no footprint (its
point says it all). Three sources, all offline:

- countries: :func:`geo.outlines.country_outline` (Natural Earth admin-0);
- states and provinces: ``geo/data/admin1_outlines.geojson.gz`` (Natural
  Earth admin-1, derived by ``scripts/derive_admin1.py``), keyed by gazetteer
  place id (``gn:4436296`` is Mississippi);
- land features (rivers, lakes, ranges, deserts, islands, parks, seas):
  ``geo/data/land/shapes.geojson.gz`` when it is installed, keyed by place id,
  with ``class`` and ``scalerank`` properties. Without it, land features have
  no footprint.

The files are indexed once into the cache (see :mod:`geo.shapestore`); a
place's geometry is read on first use and kept for the process, so a place
mentioned many times costs one look-up.
"""
from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from pathlib import Path

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from . import shapestore
from .model import Kind, Place
from .outlines import country_outline

__all__ = [
    "footprint",
    "admin1_outline",
    "land_shape",
    "land_shapes_path",
    "admin1_outlines_path",
    "base_admin1_features",
    "base_land_features",
    "page_geometry",
    "clear_caches",
    "PageShapes",
    "base_layers",
]

_ADMIN_KINDS = (Kind.ADMIN1, Kind.ADMIN2)
# The offline base map: water this important or more (Natural Earth scalerank, 0 = most).
BASE_MAX_SCALERANK = 4
BASE_CLASSES = ("river", "lake", "reservoir")
_BASE_TOLERANCE = 0.06  # degrees: low detail is enough under the mentioned places
_PAGE_TOLERANCE = 0.005
_SHAPE_ZOOM = 10  # the closest a place drawn as its shape is shown when chosen


def admin1_outlines_path() -> Path:
    """The shipped admin-1 outlines file."""
    return Path(str(resources.files("geo") / "data" / "admin1_outlines.geojson.gz"))


def land_shapes_path() -> Path:
    """The shipped land-feature shapes file (may be absent)."""
    return Path(str(resources.files("geo") / "data" / "land" / "shapes.geojson.gz"))


def _geometry(path: Path, place_id: str) -> BaseGeometry | None:
    key = shapestore.source_key(path)
    wkb = shapestore.geometry_wkb(key, place_id) if key else None
    return shapely.from_wkb(wkb) if wkb else None


def admin1_outline(place_id: str) -> BaseGeometry | None:
    """The outline of a state, province (or Natural Earth admin-1 unit) by gazetteer id, or None.

    Examples
    --------
    >>> admin1_outline("gn:4436296").contains(shapely.Point(-90.18, 32.30))  # Mississippi holds Jackson
    True
    >>> admin1_outline("gn:0") is None
    True
    """
    return _geometry(admin1_outlines_path(), place_id)


def land_shape(place_id: str) -> BaseGeometry | None:
    """The shape of a land feature (river line, lake or range area) by gazetteer id, or None."""
    return _geometry(land_shapes_path(), place_id)


def footprint(place: Place | None) -> BaseGeometry | None:
    """The simplified line or area of a place, or None when only its point is known.

    Examples
    --------
    >>> ms = Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")
    >>> footprint(ms).geom_type
    'MultiPolygon'
    >>> footprint(Place("gn:4431410", "Jackson", Kind.CITY, 32.3, -90.18, "US", "MS")) is None
    True
    """
    if place is None:
        return None
    return _footprint(place.place_id, str(place.kind), place.country_code)


@cache
def _footprint(place_id: str, kind: str, country_code: str) -> BaseGeometry | None:
    if kind == Kind.COUNTRY:
        return country_outline(country_code) if country_code else None
    if kind in _ADMIN_KINDS:
        geom = admin1_outline(place_id)
        if geom is not None:
            return geom
    if kind == Kind.CITY:
        return None
    return land_shape(place_id)


def clear_caches() -> None:
    """Forget what was read (after a shapes file or GEO_CACHE_DIR changed, e.g. in tests)."""
    for f in (_footprint, _base_admin1, base_land_features):
        f.cache_clear()
    shapestore.clear()


def page_geometry(geom: BaseGeometry | None, tolerance: float = _PAGE_TOLERANCE, digits: int = 3) -> dict | None:
    """A geometry as compact GeoJSON for the map page (simplified, rounded), or None."""
    if geom is None or geom.is_empty:
        return None
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 10 ** -digits) if digits is not None else geom
    if geom.is_empty:
        return None
    return _rounded(mapping(geom), digits)


def _rounded(obj, digits):
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, (list, tuple)):
        return [_rounded(v, digits) for v in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v, digits) for k, v in obj.items()}
    return obj


class PageShapes:
    """The footprints a map page draws, each stored once (``shapes[i]`` is GeoJSON).

    Each shape is simplified to its size (about 1/800 of its extent, at least
    ``_PAGE_TOLERANCE``): Mississippi to some 700 m, Alaska to 5 km. Past
    ``coarse_after`` characters of shapes the page takes them four times
    coarser, and past ``max_chars`` no more: those places keep their point (or
    circle), so a run over the whole world still gives a small page. Add the
    most mentioned places first.

    Examples
    --------
    >>> shapes = PageShapes()
    >>> shapes.add("a", shapely.LineString([(0, 0), (1, 1)])), shapes.add("a", None), shapes.add("b", None)
    (0, 0, None)
    >>> shapes.shapes[0]["type"], shapes.bounds("a")
    ('LineString', [[0.0, 0.0], [1.0, 1.0]])
    """

    def __init__(self, coarse_after: int = 2_000_000, max_chars: int = 5_000_000) -> None:
        self.shapes: list[dict] = []
        self._index: dict[str, int] = {}
        self._bounds: dict[str, list[list[float]]] = {}
        self._coarse_after, self._max_chars, self.chars = coarse_after, max_chars, 0

    def add(self, key: str, geom: BaseGeometry | None) -> int | None:
        """The index of ``key``'s shape, adding ``geom`` the first time; None without a shape."""
        if key in self._index:
            return self._index[key]
        if geom is None or getattr(geom, "is_empty", True) or self.chars >= self._max_chars:
            return None
        west, south, east, north = geom.bounds
        tolerance = max(_PAGE_TOLERANCE, math.hypot(east - west, north - south) / 800)
        if self.chars >= self._coarse_after:
            tolerance *= 4
        item = page_geometry(geom, tolerance)
        if item is None:
            return None
        self.chars += len(json.dumps(item, separators=(",", ":")))
        parts = list(getattr(geom, "geoms", [geom]))
        # The largest part: a state with islands across the antimeridian (Alaska) would zoom out to the world.
        main = max(parts, key=lambda g: (g.area, g.length))
        west, south, east, north = main.bounds
        self._bounds[key] = [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]
        self._index[key] = len(self.shapes)
        self.shapes.append(item)
        return self._index[key]

    def bounds(self, key: str) -> list[list[float]] | None:
        """[[south, west], [north, east]] of ``key``'s shape (its largest part)."""
        return self._bounds.get(key)

    def give(self, item: dict, key: str, geom: BaseGeometry | None) -> dict:
        """Give a map item (a place, or a unit with a ``radius``) its shape: ``shape``, ``bounds``."""
        index = self.add(key, geom)
        if index is None:
            return item
        item.update(shape=index, bounds=self.bounds(key))
        if "radius" in item:
            item["radius"] = None  # a unit: drawn as its outline, not as a circle
        else:
            item["zoom"] = _SHAPE_ZOOM  # the bounds decide; never closer than this
        return item


def base_layers(mentions_by_country: dict[str, int]) -> dict:
    """The offline base layer's extras: ``admin1`` outlines of the most mentioned countries, major ``water``."""
    ordered = sorted(mentions_by_country, key=lambda c: (-mentions_by_country[c], c))
    return {"admin1": base_admin1_features(ordered), "water": base_land_features()}


def base_admin1_features(country_codes, max_chars: int = 400_000) -> list[dict]:
    """Low-detail admin-1 outlines of the given countries, for the map's offline base layer.

    Only GeoNames admin-1 units (``level`` 1), simplified to a few kilometres,
    as GeoJSON features with ``name`` and ``cc``. Countries are taken in the
    order given (most mentioned first) until about ``max_chars`` of JSON, so
    the page stays small when a run mentions the whole world.
    """
    out: list[dict] = []
    size = 0
    for code in dict.fromkeys(c.upper() for c in country_codes if c):
        features = _base_admin1(code)
        cost = len(json.dumps(features, separators=(",", ":")))
        if out and size + cost > max_chars:
            continue
        out.extend(features)
        size += cost
    return out


@cache
def _base_admin1(code: str) -> list[dict]:
    key = shapestore.source_key(admin1_outlines_path())
    if not key:
        return []
    out = []
    for _pid, cc, _level, _class, _rank, name, wkb in shapestore.rows(key, "cc = ? AND level = 1", (code,)):
        geom = page_geometry(shapely.from_wkb(wkb), _BASE_TOLERANCE, 2)
        if geom:
            out.append({"type": "Feature", "properties": {"name": name, "cc": cc}, "geometry": geom})
    out.sort(key=lambda f: f["properties"]["name"])
    return out


@cache
def base_land_features(max_scalerank: int = BASE_MAX_SCALERANK) -> list[dict]:
    """The major rivers and lakes of the world, low detail, for the map's offline base layer.

    Empty when the land shapes file is not installed.
    """
    key = shapestore.source_key(land_shapes_path())
    if not key:
        return []
    marks = ",".join("?" * len(BASE_CLASSES))
    out = []
    for _pid, _cc, _level, cls, _rank, name, wkb in shapestore.rows(
            key, f"class IN ({marks}) AND scalerank <= ?", (*BASE_CLASSES, max_scalerank)):
        geom = page_geometry(shapely.from_wkb(wkb), _BASE_TOLERANCE, 2)
        if geom:
            out.append({"type": "Feature", "properties": {"name": name, "class": cls}, "geometry": geom})
    out.sort(key=lambda f: (f["properties"]["class"], f["properties"]["name"]))
    return out
