"""Stories in time: the documents' metadata for the map page, and mentions over time.

:func:`add_stories` gives each document of the page data its title, date,
outlet, link (only ``http(s)`` URLs) and focus, from the documents frame
(:func:`geo.frames.documents_frame`); the page draws the time histogram, the
range filter and the stories view from them. :func:`timeline` counts
mentions per place and period for ``Result.timeline``.
"""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from .metadata import link_url

__all__ = ["add_stories", "timeline"]


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def add_stories(data: dict, documents: gpd.GeoDataFrame) -> dict:
    """Add ``title``, ``date`` (ISO day), ``source``, ``url`` and ``focus`` to the page's documents, in place.

    ``focus`` is ``[lat, lon, name, kind, score, admin-1 name]``. A URL that is
    not ``http(s)`` is left out, so the page never makes it a link.

    Examples
    --------
    >>> from geo.frames import documents_frame
    >>> data = {"docs": [{"id": "a", "text": "x"}]}
    >>> frame = documents_frame([{"doc_id": "a", "title": "T", "date": "2026-03-03", "url": "javascript:alert(1)",
    ...                           "chars": 1}])
    >>> add_stories(data, frame)["docs"][0]
    {'id': 'a', 'text': 'x', 'title': 'T', 'date': '2026-03-03'}
    """
    by_id = {d["id"]: d for d in data["docs"]}
    for row in documents.itertuples(index=False):
        doc = by_id.get(str(row.doc_id))
        if doc is None:
            continue
        for key in ("title", "source"):
            if value := _text(getattr(row, key)):
                doc[key] = value
        if not pd.isna(row.date):
            doc["date"] = pd.Timestamp(row.date).strftime("%Y-%m-%d")
        if url := link_url(_text(row.url)):
            doc["url"] = url
        geom = row.geometry
        if geom is not None and not geom.is_empty and math.isfinite(geom.x) and math.isfinite(geom.y):
            doc["focus"] = [round(geom.y, 5), round(geom.x, 5), _text(row.focus_name) or "",
                            _text(row.focus_kind) or "", round(float(row.focus_score), 3),
                            _text(row.focus_admin1) or ""]
    return data


def timeline(mentions: pd.DataFrame, documents: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """Mentions per period (rows) and place (columns), from the dated documents; ready for ``.plot()``.

    ``freq`` is a pandas period alias: ``"D"``, ``"W"``, ``"M"`` ... Places are
    the columns, by name (the most mentioned first); undated documents are left out.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "place_id": ["p", "q", "p"], "name": ["P", "Q", "P"]})
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2026-01-01", "2026-01-20"])})
    >>> timeline(m, d, freq="M").to_dict("index")
    {Period('2026-01', 'M'): {'P': 2, 'Q': 1}}
    """
    placed = mentions[mentions["place_id"].notna()][["doc_id", "place_id", "name"]]
    dates = documents[["doc_id", "date"]].dropna()
    rows = placed.merge(dates, on="doc_id", how="inner")
    if rows.empty:
        return pd.DataFrame(index=pd.PeriodIndex([], freq=freq))
    rows = rows.assign(period=pd.to_datetime(rows["date"]).dt.to_period(freq))
    # one column per place; two places of one name keep apart by their id
    names = rows.groupby("place_id")["name"].first()
    clash = names.duplicated(keep=False)
    label = names.where(~clash, names + " (" + names.index.to_series() + ")")
    rows["place"] = rows["place_id"].map(label)
    table = rows.pivot_table(index="period", columns="place", values="doc_id", aggfunc="count", fill_value=0)
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    full = pd.period_range(table.index.min(), table.index.max(), freq=freq)
    table = table.reindex(full, fill_value=0)
    table.columns.name = None
    return table.astype("int64")
