"""The one place that builds GeoDataFrames.

``mentions_frame`` makes one row per mention, ``places_frame`` one row per
distinct place, ``documents_frame`` one row per document (at its focus). All always have the columns declared here and CRS EPSG:4326,
also when empty.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .model import Document, Kind, Precision, Resolution

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

# geopandas, pandas and shapely are imported where a frame is built, not with this
# module: `geo extract` writes JSON lines and never needs them (0.4 s and 100 MB less)

__all__ = [
    "MENTION_COLUMNS",
    "PLACE_COLUMNS",
    "DOCUMENT_COLUMNS",
    "CRS",
    "FOOTPRINT",
    "document_record",
    "documents_frame",
    "mentions_frame",
    "places_frame",
    "display_place_id",
    "passage_bounds",
    "alternative_records",
    "write_parquet",
]

CRS = "EPSG:4326"
# The second geometry column of both frames: the simplified line or area of the
# place (a river's line, a state's outline; for a fallback, the unit it fell
# back to), null when only a point is known. ``geometry`` stays the active one.
FOOTPRINT = "footprint"

MENTION_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "start": "int64",
    "end": "int64",
    "surface": "string",
    "place_id": "string",     # id of the place shown on the map (see display_place_id)
    "gazetteer_id": "string",  # the gazetteer entry whose point is used
    "name": "string",
    "kind": "string",          # Kind of the mentioned thing
    "precision": "string",     # Precision
    "confidence": "float64",
    "country_code": "string",
    "admin1": "string",
    "passage": "string",       # the sentence that quotes the mention
    "passage_start": "int64",  # offset of the passage in the document text
    "role": "string",          # "dateline" (the place a story was filed from) or "text"
    "evidence": "string",      # why this reading, in a few words ("" when none is recorded)
    "alternatives": "string",  # JSON list of the other readings weighed (see alternative_records)
}

PLACE_COLUMNS: dict[str, str] = {
    "place_id": "string",
    "gazetteer_id": "string",
    "name": "string",
    "kind": "string",
    "country_code": "string",
    "admin1": "string",
    "precision": "string",
    "confidence": "float64",
    "mention_count": "int64",
    "demonym_count": "int64",
    "doc_count": "int64",
}

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "title": "string",
    "date": "datetime64[ns]",   # publication date (a day), NaT when the input gives none
    "source": "string",         # the outlet (JSONL "source", HTML og:site_name, front matter source:)
    "url": "string",            # as given: untrusted
    "author": "string",
    "lang": "string",
    "chars": "int64",
    "mention_count": "int64",   # resolved mentions, demonyms included
    "place_count": "int64",     # distinct places
    "focus_place_id": "string",  # gazetteer id of the focus (see geo.focus)
    "focus_name": "string",
    "focus_kind": "string",
    "focus_score": "float64",
    "focus_country_code": "string",
    "focus_admin1": "string",   # the admin-1 unit the story is about, by name
}

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+|\n\s*\n|\n")


def slug(text: str) -> str:
    """``text`` as an id part: ASCII lower case and hyphens ("Camp Shelby" -> "camp-shelby")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def display_place_id(resolution: Resolution) -> str | None:
    """The id a resolution's point is shown under.

    An exact resolution is its gazetteer id. A fallback gets its own id, built
    from the enclosing unit and the mentioned name, so that "Camp Shelby" shown
    at Mississippi's point is a place of its own and never merges with
    Mississippi itself.
    """
    if resolution.place is None:
        return None
    if resolution.precision == Precision.EXACT:
        return resolution.place.place_id
    return f"{resolution.place.place_id}/{slug(resolution.mention.surface)}"


def alternative_records(resolution: Resolution) -> list[dict]:
    """The other readings a resolution weighed, best first, as plain records.

    Each: ``gazetteer_id, name, kind, country_code, admin1, lat, lon, score``
    (``score`` on the confidence's scale). ``geo extract`` writes them, and
    ``mentions.parquet`` keeps them as JSON in its ``alternatives`` column.
    """
    scores = resolution.alternative_scores
    return [{"gazetteer_id": p.place_id, "name": p.name, "kind": str(p.kind), "country_code": p.country_code,
             "admin1": p.admin1, "lat": round(p.lat, 5), "lon": round(p.lon, 5),
             "score": scores[i] if i < len(scores) else None}
            for i, p in enumerate(resolution.alternatives)]


def passage_bounds(text: str, start: int, end: int, *, max_chars: int = 600) -> tuple[int, int]:
    """Start and end of the sentence around ``text[start:end]``.

    Sentences end at ., !, ?, … followed by space, or at a line break. A very
    long sentence is cut to about ``max_chars`` around the mention.
    """
    # Only the last max_chars before the mention can matter (a longer passage is
    # cut below); scanning from 0 made long documents quadratic. The scan never
    # starts inside a sentence break, so it finds the same breaks a full one would.
    lo, scan = 0, max(0, start - max_chars)
    while scan > 0 and (text[scan - 1].isspace() or text[scan - 1] in "\"'”’»)"):
        scan -= 1
    for m in _SENTENCE_END.finditer(text, scan, start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = m.start() if m else len(text)
    if hi - lo > max_chars:
        half = max(0, max_chars - (end - start)) // 2
        lo = max(lo, start - half)
        hi = min(hi, end + half)
    return lo, hi


def write_parquet(frame: gpd.GeoDataFrame, path) -> None:
    """Write a frame as GeoParquet, each distinct footprint stored once.

    A place mentioned a thousand times has one outline: dictionary encoding
    (with room for large values) keeps the file near the size it has without
    footprints, where plain encoding would repeat the outline in every row.
    """
    frame.to_parquet(path, index=False, dictionary_pagesize_limit=1 << 26)


def _empty(columns: Mapping[str, str]) -> gpd.GeoDataFrame:
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    return _geo_frame(frame, [], [])


def _geo_frame(frame: pd.DataFrame, points: list, footprints: list) -> gpd.GeoDataFrame:
    import geopandas as gpd

    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=CRS), crs=CRS)
    out[FOOTPRINT] = gpd.GeoSeries(footprints, index=out.index, crs=CRS)
    return out


def mentions_frame(resolutions: Iterable[Resolution], documents: Mapping[str, Document] | Iterable[Document]) -> gpd.GeoDataFrame:
    """One row per mention, with its place and the sentence that quotes it.

    Unresolved mentions are kept, with an empty geometry and precision
    ``unresolved``, so nothing recognised is lost. ``footprint`` is the line
    or area of the place the point belongs to (see :mod:`geo.footprints`),
    looked up once per place.

    Examples
    --------
    >>> mentions_frame([], []).columns.tolist()[:3]
    ['doc_id', 'start', 'end']
    """
    import pandas as pd
    from shapely.geometry import Point

    from .footprints import footprint

    if not isinstance(documents, Mapping):
        documents = {d.id: d for d in documents}
    rows = []
    geoms = []
    shapes = []
    for r in resolutions:
        m = r.mention
        text = documents[m.doc_id].text
        lo, hi = passage_bounds(text, m.start, m.end)
        p = r.place
        rows.append(
            {
                "doc_id": m.doc_id,
                "start": m.start,
                "end": m.end,
                "surface": m.surface,
                "place_id": display_place_id(r),
                "gazetteer_id": p.place_id if p else None,
                "name": (p.name if r.precision == Precision.EXACT else m.surface) if p else m.surface,
                "kind": str(r.kind),
                "precision": str(r.precision),
                "confidence": float(r.confidence),
                "country_code": p.country_code if p else None,
                "admin1": p.admin1 if p else None,
                "passage": text[lo:hi],
                "passage_start": lo,
                "role": m.role,
                "evidence": r.evidence,
                "alternatives": json.dumps(alternative_records(r), ensure_ascii=False),
            }
        )
        # shapely wants (x, y) = (lon, lat): the one flip happens here.
        geoms.append(Point(p.lon, p.lat) if p else None)
        shapes.append(footprint(p) if p else None)  # cached per place
    if not rows:
        return _empty(MENTION_COLUMNS)
    frame = pd.DataFrame(rows).astype(MENTION_COLUMNS)
    return _geo_frame(frame, geoms, shapes)


def places_frame(mentions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per distinct place in a mentions frame.

    ``mention_count`` counts every mention (demonyms included, also counted
    apart in ``demonym_count``); ``kind`` is the kind of the place's named
    mentions (a country mentioned only through demonyms keeps ``country``);
    confidence is the highest of its mentions. Rows are sorted by mentions,
    then name, so reruns give identical files.
    """
    import pandas as pd

    resolved = mentions[mentions["place_id"].notna()]
    if resolved.empty:
        return _empty(PLACE_COLUMNS)
    rows = []
    geoms = []
    shapes = []
    has_shapes = FOOTPRINT in resolved.columns
    for place_id, group in resolved.groupby("place_id", sort=True):
        named = group[group["kind"] != str(Kind.DEMONYM)]
        head = named.iloc[0] if len(named) else group.iloc[0]
        kind = head["kind"]
        if kind == str(Kind.DEMONYM):
            kind = str(Kind.COUNTRY)
        name = head["name"]
        rows.append(
            {
                "place_id": place_id,
                "gazetteer_id": head["gazetteer_id"],
                "name": name,
                "kind": kind,
                "country_code": head["country_code"],
                "admin1": head["admin1"],
                "precision": head["precision"],
                "confidence": float(group["confidence"].max()),
                "mention_count": len(group),
                "demonym_count": int((group["kind"] == str(Kind.DEMONYM)).sum()),
                "doc_count": group["doc_id"].nunique(),
            }
        )
        geoms.append(head.geometry)
        shapes.append(head[FOOTPRINT] if has_shapes else None)
    frame = pd.DataFrame(rows).astype(PLACE_COLUMNS)
    out = _geo_frame(frame, geoms, shapes)
    out = out.sort_values(["mention_count", "name", "place_id"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)


def document_record(doc: Document, resolutions: Iterable[Resolution], focus=None, lang: str | None = None) -> dict:
    """The documents-frame row of one document (``focus``: a :class:`geo.focus.Focus` or None)."""
    placed = [r for r in resolutions if r.place is not None]
    p = focus.place if focus is not None else None
    return {
        "doc_id": doc.id, "title": doc.title, "date": doc.date, "source": doc.publisher, "url": doc.url,
        "author": doc.author, "lang": doc.lang or lang, "chars": len(doc.text), "mention_count": len(placed),
        "place_count": len({display_place_id(r) for r in placed}),
        "focus_place_id": p.place_id if p else None, "focus_name": p.name if p else None,
        "focus_kind": str(p.kind) if p else None, "focus_score": focus.score if focus is not None else None,
        "focus_country_code": (p.country_code or None) if p else None,
        "focus_admin1": focus.admin1.name if focus is not None and focus.admin1 is not None else None,
        "_lat": p.lat if p else None, "_lon": p.lon if p else None,
    }


def documents_frame(records: Iterable[dict]) -> gpd.GeoDataFrame:
    """One row per document (rows from :func:`document_record`), its geometry the focus point (None without one).

    Examples
    --------
    >>> documents_frame([]).columns.tolist()[:4]
    ['doc_id', 'title', 'date', 'source']
    """
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    records = list(records)
    geoms = [Point(r["_lon"], r["_lat"]) if r.get("_lat") is not None else None for r in records]
    frame = pd.DataFrame([{c: r.get(c, 0 if t == "int64" else None) for c, t in DOCUMENT_COLUMNS.items()}
                          for r in records])
    if not records:  # no footprint column here: a document is drawn at its focus point
        frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in DOCUMENT_COLUMNS.items()})
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    frame = frame.astype(DOCUMENT_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
