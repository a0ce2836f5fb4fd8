"""The data a map page is drawn from: places, fallback areas, shapes, documents, mentions.

:func:`page_data` turns the mentions and places frames into the one JSON object
that the page script (``geo/templates/map-*.js``) draws: each place with its popup's "Why here?" and
"Other candidates", the areas that fallbacks stand for (a country's outline, a
state's footprint or a circle), the footprints (rivers, lakes, states) each once
within the page's shape budget (:class:`geo.footprints.PageShapes`), the offline
base layers, the documents and the mentions as compact rows. The kind and
precision tables here are the page's legend and filters too (:mod:`geo.render`).
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache

import geopandas as gpd
import pandas as pd

from .footprints import PageShapes, base_layers
from .frames import FOOTPRINT
from .model import Kind, Precision
from .outlines import country_outline, country_outlines

__all__ = ["page_data", "KIND_STYLES", "KIND_GROUPS", "PRECISION_LABELS", "DEMONYM_COLOR"]

# colour, label, marker shape; one entry per Kind a place can have.
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    Kind.CITY: ("#1d4ed8", "city", "circle"),
    Kind.ADMIN2: ("#0e7490", "admin2 (county)", "circle"),
    Kind.FEATURE: ("#a21caf", "feature (base, river…)", "circle"),
    Kind.ADMIN1: ("#15803d", "admin1 (state)", "circle"),
    Kind.COUNTRY: ("#c2410c", "country", "square"),
    Kind.CONTINENT: ("#6d28d9", "continent", "diamond"),
}
_OTHER = ("#4b5563", "other", "circle")
DEMONYM_COLOR = "#7c3aed"

# The kind filter of the page: group -> (label, colour, kinds of *mentions* it covers).
KIND_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "country": ("country", KIND_STYLES[Kind.COUNTRY][0], (Kind.COUNTRY,)),
    "region": ("region", KIND_STYLES[Kind.ADMIN1][0], (Kind.ADMIN1, Kind.ADMIN2, Kind.CONTINENT)),
    "city": ("city", KIND_STYLES[Kind.CITY][0], (Kind.CITY,)),
    "feature": ("feature", KIND_STYLES[Kind.FEATURE][0], (Kind.FEATURE,)),
    "demonym": ("demonym", DEMONYM_COLOR, (Kind.DEMONYM,)),
}
# The precision filter: how far a mention's point can be trusted.
PRECISION_LABELS: dict[str, str] = {
    Precision.EXACT: "exact",
    Precision.NEARBY: "≈ namesake",
    Precision.ADMIN2: "≈ county",
    Precision.ADMIN1: "≈ state",
    Precision.COUNTRY: "≈ country",
}
_UNIT_WORDS = {Precision.NEARBY: "place it is named after", Precision.ADMIN2: "county",
               Precision.ADMIN1: "state or province", Precision.COUNTRY: "country"}
# A fallback shows the area it stands for: a country's outline, or a circle this big.
_FALLBACK_AREA_M = {Precision.NEARBY: 20_000, Precision.ADMIN2: 30_000, Precision.ADMIN1: 150_000,
                    Precision.COUNTRY: 500_000}
_FALLBACK_ZOOM = {Precision.NEARBY: 9, Precision.ADMIN2: 8, Precision.ADMIN1: 6, Precision.COUNTRY: 4}
_FOCUS_ZOOM = {Kind.CONTINENT: 3, Kind.COUNTRY: 4, Kind.ADMIN1: 6, Kind.ADMIN2: 8}
_MENTION_KINDS = [*KIND_STYLES, Kind.DEMONYM]
_PRECISIONS = [*PRECISION_LABELS, Precision.UNRESOLVED]


def _s(value) -> str:
    """A frame cell as text ('' for NA)."""
    return "" if value is None or pd.isna(value) else str(value)


def _has_point(geom) -> bool:
    return geom is not None and not geom.is_empty and math.isfinite(geom.x) and math.isfinite(geom.y)


def page_data(
    mentions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    documents: Mapping[str, str | None],
    *,
    unit_names: Mapping[str, str] | None = None,
    side_texts: str | None = None,
) -> dict:
    """The JSON object the page draws from.

    ``places``: one dict per place with a point, most mentioned first; ``why``
    and ``alts`` are its most confident mention's evidence and other candidates
    (shown as "Why here?" and "Other candidates", and offered under "Wrong?"); a
    place with a footprint (a river, a lake, a state; not a country, drawn from
    the outlines) has ``shape``, an index into ``shapes``, and is drawn as it.
    ``units``: the areas fallbacks stand for, one per (gazetteer id, precision);
    a state or county with a known outline has ``shape`` instead of a radius.
    ``shapes``: GeoJSON geometries, each once. ``base``: the offline base
    layer's ``admin1`` outlines (of the most mentioned countries) and major
    ``water`` (rivers and lakes, when the land shapes are installed).
    ``docs``: ``{"id", "text"}``, text ``None`` when not given; with
    ``side_texts`` (a file name), the documents listed in ``documents`` have
    their texts in that side file (``{"id", "text": None, "side": name}``).
    ``mentions``: ``[doc, start, end, place, kind, precision, confidence,
    passage_start, passage_end]`` (indexes into ``docs``, ``places`` (-1 when
    not on the map), ``kinds``, ``precisions``), plus the passage text when
    the document's text is missing, in document order then by offset.

    Examples
    --------
    >>> from geo.frames import mentions_frame, places_frame
    >>> empty = mentions_frame([], [])
    >>> sorted(page_data(empty, places_frame(empty), {"a": "text"}))
    ['base', 'docs', 'kinds', 'mentions', 'places', 'precisions', 'shapes', 'units']
    """
    unit_names = dict(unit_names or {})
    place_rows = [r for r in places.itertuples(index=False) if _has_point(r.geometry)]
    for r in place_rows:  # an exact place names the unit that fallbacks share with it
        if str(r.precision) == Precision.EXACT:
            unit_names.setdefault(_s(r.gazetteer_id), _s(r.name))

    docs = {doc_id: i for i, doc_id in enumerate(documents)}
    doc_list = [{"id": str(doc_id), "text": text} if not side_texts else {"id": str(doc_id), "text": None,
                                                                           "side": side_texts}
                for doc_id, text in documents.items()]
    for doc_id in mentions["doc_id"].drop_duplicates() if len(mentions) else ():
        if doc_id not in docs:
            docs[doc_id] = len(doc_list)
            doc_list.append({"id": str(doc_id), "text": None})

    units: dict[tuple[str, str], int] = {}
    unit_list: list[dict] = []
    place_list = []
    shapes = PageShapes()
    for row in place_rows:
        item = _place_item(row)
        if item["precision"] != Precision.EXACT:
            key = (item["gid"], item["precision"])
            if key not in units:
                units[key] = len(unit_list)
                unit_list.append(_with_shape(_unit_item(row, unit_names), row, shapes))
            item["unit"] = units[key]
        else:
            _with_shape(item, row, shapes)
        place_list.append(item)
    index = {p["id"]: i for i, p in enumerate(place_list)}

    _explain_places(mentions, place_list, index)

    kind_code = {k: i for i, k in enumerate(_MENTION_KINDS)}
    precision_code = {p: i for i, p in enumerate(_PRECISIONS)}
    rows = []
    if len(mentions):
        order = mentions.assign(doc_index=mentions["doc_id"].map(docs).astype("int64"))
        order = order.sort_values(["doc_index", "start", "end"], kind="stable")
        for m in order.itertuples(index=False):
            doc, start, end = int(m.doc_index), int(m.start), int(m.end)
            passage, p_start = _s(m.passage), int(m.passage_start)
            record = [
                doc, start, end, index.get(_s(m.place_id), -1),
                kind_code.get(_s(m.kind), kind_code[Kind.CITY]),
                precision_code.get(_s(m.precision), precision_code[Precision.UNRESOLVED]),
                round(float(m.confidence), 3), p_start, p_start + len(passage),
            ]
            if doc_list[doc]["text"] is None and "side" not in doc_list[doc]:
                record.append(passage)
            rows.append(record)
    return {
        "kinds": [str(k) for k in _MENTION_KINDS],
        "precisions": [str(p) for p in _PRECISIONS],
        "places": place_list,
        "units": unit_list,
        "shapes": shapes.shapes,
        "base": base_layers(_mentions_by_country(place_rows)),
        "docs": doc_list,
        "mentions": rows,
    }


def _mentions_by_country(place_rows) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in place_rows:
        code = _s(r.country_code).upper()
        if code:
            counts[code] = counts.get(code, 0) + int(r.mention_count)
    return counts


def _with_shape(item: dict, row, shapes: PageShapes) -> dict:
    """Give a place or unit item its footprint (not a country's: the outlines draw those)."""
    if not item.get("outline") and item["precision"] not in (Precision.COUNTRY, Precision.NEARBY):
        shapes.give(item, _s(row.gazetteer_id), getattr(row, FOOTPRINT, None))
    return item


def _explain_places(mentions: gpd.GeoDataFrame, place_list: list[dict], index: Mapping[str, int]) -> None:
    """Give each place its "Why here?" (``why``) and "Other candidates" (``alts``): those of
    its most confident mention, each candidate with its country's name."""
    if not len(mentions) or "alternatives" not in mentions:
        return
    best: dict[int, tuple[float, str, str]] = {}
    for pid, conf, evidence, alts in zip(mentions["place_id"], mentions["confidence"],
                                         mentions["evidence"], mentions["alternatives"]):
        i = index.get(_s(pid))
        if i is not None and (i not in best or float(conf) > best[i][0]):
            best[i] = (float(conf), _s(evidence), _s(alts))
    for i, (_, evidence, alts) in best.items():
        try:
            records = json.loads(alts) if alts else []
        except ValueError:
            records = []
        place_list[i]["why"] = evidence
        place_list[i]["alts"] = [
            {"gid": _s(a.get("gazetteer_id")), "name": _s(a.get("name")), "kind": _s(a.get("kind")),
             "cc": _s(a.get("country_code")), "country": _country_name(_s(a.get("country_code"))),
             "admin1": _s(a.get("admin1")), "lat": a.get("lat"), "lon": a.get("lon"), "score": a.get("score")}
            for a in records if isinstance(a, dict) and isinstance(a.get("lat"), (int, float))
            and isinstance(a.get("lon"), (int, float))]


def _place_item(row) -> dict:
    kind, precision = str(row.kind), str(row.precision)
    code = _s(row.country_code)
    item = {
        "id": _s(row.place_id),
        "name": _s(row.name),
        "kind": kind,
        "precision": precision,
        "lat": round(row.geometry.y, 5),
        "lon": round(row.geometry.x, 5),
        "gid": _s(row.gazetteer_id),
        "cc": code,
        "admin1": _s(row.admin1),
        "conf": round(float(row.confidence), 3),
        "zoom": _FOCUS_ZOOM.get(kind, 9),
        "country": _country_name(code),
    }
    if kind == Kind.COUNTRY and precision == Precision.EXACT and code and country_outline(code) is not None:
        item["outline"] = code.upper()  # highlighted from the page's outlines when chosen
        item["bounds"] = _main_bounds(code)
    return item


def _unit_item(row, unit_names: Mapping[str, str]) -> dict:
    precision, code = str(row.precision), _s(row.country_code).upper()
    outline = precision == Precision.COUNTRY and code and country_outline(code) is not None
    name = unit_names.get(_s(row.gazetteer_id))
    if not name:
        country = _country_name(code)
        if precision == Precision.COUNTRY:
            name = country or code or "a country"
        elif precision == Precision.NEARBY:
            name = f"a place {_s(row.name)} is named after, in {country or code or '?'}"
        else:
            name = f"{_UNIT_WORDS.get(precision, precision)} {_s(row.admin1) or '?'} of {country or code or '?'}"
    return {
        "gid": _s(row.gazetteer_id),
        "name": name,
        "precision": precision,
        "what": _UNIT_WORDS.get(precision, precision),
        "lat": round(row.geometry.y, 5),
        "lon": round(row.geometry.x, 5),
        "outline": code if outline else None,
        "bounds": _main_bounds(code) if outline else None,
        "radius": None if outline else _FALLBACK_AREA_M.get(precision, 150_000),
        "zoom": _FALLBACK_ZOOM.get(precision, 6),
    }


@cache
def _main_bounds(code: str) -> list[list[float]]:
    """[[south, west], [north, east]] of a country's largest part.

    The whole outline can straddle the antimeridian (the United States with
    the Aleutians) and would zoom the map out to the world.
    """
    outline = country_outline(code)
    parts = list(getattr(outline, "geoms", [outline]))
    west, south, east, north = max(parts, key=lambda part: part.area).bounds
    return [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]


@cache
def _country_names() -> dict[str, str]:
    return {f["properties"]["iso_a2"]: f["properties"]["name"] for f in country_outlines()["features"]}


def _country_name(code: str) -> str:
    return _country_names().get(code.upper(), "") if code else ""
