"""Draw the mentions and places frames as one self-contained HTML map.

The page needs no network: Leaflet (from the ``django-js-lib-leaflet`` wheel),
our CSS/JS (``geo/templates``) and Natural Earth country outlines are inlined.
OpenStreetMap tiles are drawn on top when they can be loaded.

Every piece of document text, name or id is escaped here (``html.escape``) or
reaches a script as JSON through Jinja's ``tojson`` (which escapes ``<``, ``>``,
``&`` and ``'``). folium's own Popup/Tooltip/Icon are not used: they insert raw
HTML and need jQuery/Bootstrap from CDNs.
"""
from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import tempfile
from collections.abc import Mapping
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd
import jinja2
import pandas as pd
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup
from shapely.geometry import mapping

from .model import Kind, Precision
from .outlines import country_outline, country_outlines

__all__ = ["make_map", "write_map", "mention_anchor", "KIND_STYLES"]

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
_DASHED, _DOTTED, _SPARSE = "7 4", "1 5", "3 5"
_FOCUS_ZOOM = {Kind.CONTINENT: 3, Kind.COUNTRY: 5, Kind.ADMIN1: 6, Kind.ADMIN2: 8}
_FALLBACK_AREA_M = {Precision.ADMIN2: 30_000, Precision.ADMIN1: 150_000, Precision.COUNTRY: 500_000}
_FALLBACK_ZOOM = {Precision.ADMIN2: 8, Precision.ADMIN1: 6, Precision.COUNTRY: 5}
_LABELLED = 8  # the most mentioned places get a permanent label, the rest on hover
_LEAFLET = "js_lib_leaflet"


def mention_anchor(doc_id: str, start: int) -> str:
    """The HTML id of a mention in the text panel.

    Ids made only of letters, digits, ``_``, ``.``, ``:`` and ``-`` are kept;
    others are cleaned and get a hash so that two documents never collide.

    >>> mention_anchor("seed-1", 42)
    'm-seed-1-42'
    >>> mention_anchor("a b", 0) != mention_anchor("a_b", 0)
    True
    """
    safe = re.sub(r"[^A-Za-z0-9_.:-]", "_", doc_id)
    if safe != doc_id:
        safe += "-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8]
    return f"m-{safe}-{start}"


def make_map(
    mentions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    documents: Mapping[str, str],
    *,
    title: str | None = None,
    tiles: bool = True,
) -> folium.Map:
    """A folium map of the places, with the documents' text beside it.

    Parameters
    ----------
    mentions, places
        Frames from :func:`geo.frames.mentions_frame` and
        :func:`geo.frames.places_frame`.
    documents
        ``doc_id -> full text``; each is shown in the text panel with its
        mentions linked to the map.
    title
        Page and panel title.
    tiles
        Add an OpenStreetMap tile layer (drawn when online; the country
        outlines show through when it is not).

    Examples
    --------
    >>> from geo.frames import mentions_frame, places_frame
    >>> empty = mentions_frame([], [])
    >>> m = make_map(empty, places_frame(empty), {}, tiles=False)
    >>> "No places" in m.get_root().render()
    True
    """
    m = folium.Map(
        location=[20, 0], zoom_start=2, min_zoom=1, tiles=None,
        width="62%", height="100%", position="absolute", control_scale=True,
    )
    # Instance attributes shadow folium's class-level CDN lists for this map only.
    m.default_js = []
    m.default_css = []
    if title:
        m.get_root().title = escape(title)
    _Assets().add_to(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", control=True).add_to(m)
    _Outlines(country_outlines()).add_to(m)

    docs = dict(documents)
    place_rows = [r for r in places.itertuples(index=False) if _has_point(r.geometry)]
    anchors, panel_docs = _text_panel(mentions, docs)
    by_place = _mentions_by_place(mentions, docs)
    place_data = [
        _place_data(row, rank, by_place.get(row.place_id, mentions.iloc[:0]), anchors)
        for rank, row in enumerate(place_rows)
    ]
    _Places(place_data).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    _Legend().add_to(m)

    n_mentions = int(mentions["place_id"].notna().sum()) if len(mentions) else 0
    message = None
    if not place_rows:
        message = "No places were found in these documents." if docs else "No places to show: no documents were given."
    _Panel(title, panel_docs, len(place_rows), n_mentions, len(docs), message).add_to(m)
    if place_rows:
        lats = [r.geometry.y for r in place_rows]
        lons = [r.geometry.x for r in place_rows]
        _FitBounds([[min(lats), min(lons)], [max(lats), max(lons)]]).add_to(m)
    return m


def write_map(m: folium.Map, path: str | os.PathLike) -> Path:
    """Write the map as one HTML file, atomically; return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = m.get_root().render()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- data for the page ----------------------------------------------------


def _s(value) -> str:
    """A frame cell as text ('' for NA)."""
    return "" if value is None or pd.isna(value) else str(value)


def _has_point(geom) -> bool:
    return geom is not None and not geom.is_empty and math.isfinite(geom.x) and math.isfinite(geom.y)


def _mentions_by_place(mentions: gpd.GeoDataFrame, docs: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """Each place's mentions in reading order: documents as given, then by offset."""
    resolved = mentions[mentions["place_id"].notna()]
    if resolved.empty:
        return {}
    order = {doc_id: i for i, doc_id in enumerate(docs)}
    doc_rank = resolved["doc_id"].map(lambda d: order.get(d, len(order))).astype("int64")
    resolved = resolved.assign(_doc=doc_rank).sort_values(["_doc", "doc_id", "start"], kind="stable")
    return {place_id: rows for place_id, rows in resolved.groupby("place_id", sort=False)}


def _place_data(row, rank: int, rows: pd.DataFrame, anchors: dict) -> dict:
    kind, precision = str(row.kind), str(row.precision)
    color, kind_label, shape = KIND_STYLES.get(kind, _OTHER)
    count, demonyms = int(row.mention_count), int(row.demonym_count)
    demonym_only = count > 0 and demonyms == count
    fallback = precision != Precision.EXACT
    radius = min(6 + 4 * math.sqrt(max(count, 1)), 28)
    if fallback:
        shape = "circle"  # a fallback never gets a confident glyph
    dash = _SPARSE if fallback else _DOTTED if demonym_only else _DASHED if kind == Kind.ADMIN1 else None
    zoom = _FALLBACK_ZOOM.get(precision, 6) if fallback else _FOCUS_ZOOM.get(kind, 9)
    return {
        "id": _s(row.place_id),
        "lat": round(row.geometry.y, 5),
        "lon": round(row.geometry.x, 5),
        "kind": kind,
        "shape": shape,
        "radius": round(radius, 1),
        "color": color,
        "weight": 2 if fallback else 3,
        "dash": dash,
        "fillOpacity": 0.0 if fallback else 0.15 if demonym_only or shape != "circle" else 0.35,
        "fillCss": color + ("26" if demonym_only else "33"),
        "borderStyle": "dotted" if demonym_only else "solid",
        "area": _area(row, kind, precision, color, fallback),
        "zoom": zoom,
        "label": rank < _LABELLED,
        "tooltip": _tooltip_html(row, fallback),
        "popup": _popup_html(row, kind_label, color, fallback, rows, anchors),
    }


def _area(row, kind: str, precision: str, color: str, fallback: bool) -> dict | None:
    """The shaded area drawn under a marker: a country's outline, or a fallback's halo."""
    code = _s(row.country_code)
    outline = None
    if (kind == Kind.COUNTRY and not fallback) or precision == Precision.COUNTRY:
        outline = country_outline(code) if code else None
    if outline is not None:
        style = (0.1, 1, _SPARSE) if fallback else (0.1, 1.5, None)
        return {"geojson": mapping(outline), "color": color, "fillOpacity": style[0], "weight": style[1], "dash": style[2]}
    if fallback:
        radius = _FALLBACK_AREA_M.get(precision, 150_000)
        return {"radius": radius, "color": color, "fillOpacity": 0.14, "weight": 1, "dash": _SPARSE}
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _precision_text(precision: str) -> str:
    if precision == Precision.EXACT:
        return "exact"
    return f"approximate ({precision} fallback)"


def _tooltip_html(row, fallback: bool) -> str:
    approx = " · approximate" if fallback else ""
    return f"{escape(_s(row.name))} · {int(row.mention_count)}{approx}"


def _popup_html(row, kind_label: str, color: str, fallback: bool, rows: pd.DataFrame, anchors: dict) -> str:
    count, demonyms, n_docs = int(row.mention_count), int(row.demonym_count), int(row.doc_count)
    counts = _plural(count, "mention")
    if demonyms:
        counts += f" ({demonyms} as demonym)"
    counts += f" in {_plural(n_docs, 'document')}"
    precision = escape(_precision_text(str(row.precision)))
    if fallback:
        precision = (
            f'<span class="geo-approx">{precision}</span><br>'
            f"shown at the point of the enclosing {escape(str(row.precision))}, not the place itself"
        )
    where = " · ".join(escape(v) for v in (_s(row.gazetteer_id), _s(row.country_code), _s(row.admin1)) if v)
    items = []
    for m in rows.itertuples(index=False):
        passage, offset = _s(m.passage), int(m.passage_start)
        lo = min(max(int(m.start) - offset, 0), len(passage))
        hi = min(max(int(m.end) - offset, lo), len(passage))
        quote = f"{escape(passage[:lo])}<mark>{escape(passage[lo:hi])}</mark>{escape(passage[hi:])}"
        doc_id = _s(m.doc_id)
        anchor = anchors.get((doc_id, int(m.start), int(m.end)))
        link = f' <a class="geo-jump" href="#{escape(anchor)}">in text&nbsp;›</a>' if anchor else ""
        items.append(f'<li><span class="geo-docname">{escape(doc_id)}</span>{quote}{link}</li>')
    return (
        '<div class="geo-popup">'
        f"<h3>{escape(_s(row.name))}</h3>"
        f'<span class="geo-badge" style="background:{color}">{escape(kind_label)}</span>'
        '<dl class="geo-facts">'
        f"<dt>Precision</dt><dd>{precision}</dd>"
        f"<dt>Confidence</dt><dd>{float(row.confidence):.2f}</dd>"
        f"<dt>Mentions</dt><dd>{escape(counts)}</dd>"
        + (f"<dt>Gazetteer</dt><dd>{where}</dd>" if where else "")
        + f'</dl><ol class="geo-passages">{"".join(items)}</ol></div>'
    )


def _text_panel(mentions: gpd.GeoDataFrame, docs: Mapping[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Each document's text as HTML, and the anchor id for every mention.

    A mention overlapping an earlier one (nested spans) is not wrapped again;
    its anchor is the one of the span that covers it.
    """
    anchors: dict[tuple[str, int, int], str] = {}
    by_doc = {doc: g for doc, g in mentions.groupby("doc_id", sort=False)} if len(mentions) else {}
    panel = []
    for doc_id, text in docs.items():
        rows = by_doc.get(doc_id)
        rows = rows.sort_values(["start", "end"], ascending=[True, False], kind="stable") if rows is not None else []
        out, pos, last = [], 0, None
        for m in rows.itertuples(index=False) if len(rows) else ():
            start, end = int(m.start), int(m.end)
            if not 0 <= start < end <= len(text):
                continue
            if start < pos:
                if last:
                    anchors[(doc_id, start, end)] = last
                continue
            last = mention_anchor(doc_id, start)
            anchors[(doc_id, start, end)] = last
            out.append(escape(text[pos:start]))
            out.append(_mention_html(m, last, text[start:end]))
            pos = end
        out.append(escape(text[pos:]))
        panel.append((doc_id, "".join(out)))
    return anchors, panel


def _mention_html(m, anchor: str, surface: str) -> str:
    place_id = _s(m.place_id)
    if not place_id:
        return f'<span class="geo-m geo-m-unresolved" id="{escape(anchor)}" title="not placed on the map">{escape(surface)}</span>'
    kind, precision = _s(m.kind), _s(m.precision)
    if kind == Kind.DEMONYM:
        style = "geo-m-demonym"
    elif precision != Precision.EXACT:
        style = "geo-m-approx"
    else:
        style = "geo-m-place"
    title = f"{_s(m.name)} ({kind}, {_precision_text(precision)})"
    return (
        f'<span class="geo-m {style}" id="{escape(anchor)}" data-place-id="{escape(place_id)}" '
        f'title="{escape(title)}" tabindex="0" role="button">{escape(surface)}</span>'
    )


# --- assets and page elements -------------------------------------------


@cache
def _assets() -> tuple[str, str]:
    """Leaflet and our CSS and JS, ready to inline."""
    static = resources.files(_LEAFLET) / "static" / _LEAFLET
    css = (static / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        png = (static / "images" / match.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    js = (static / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    ours = resources.files("geo") / "templates"
    css += "\n" + (ours / "map.css").read_text(encoding="utf-8")
    js += "\n" + (ours / "map.js").read_text(encoding="utf-8")
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("an inlined asset would close its own <style>/<script> tag")
    return css, js


class _Assets(MacroElement):
    _template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>{{ this.css }}</style>\n<script>{{ this.js }}</script>\n"
        "{% endmacro %}"
    )

    def __init__(self):
        super().__init__()
        self._name = "GeoAssets"
        self.css, self.js = _assets()


class _Outlines(Layer):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = geoMap.outlinesLayer({{ this._parent.get_name() }}, {{ this.data|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict):
        super().__init__(name="Country outlines (offline)", overlay=True)
        self._name = "GeoOutlines"
        self.data = data


class _Places(Layer):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = geoMap.placesLayer({{ this._parent.get_name() }}, {{ this.places|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, places: list[dict]):
        super().__init__(name="Places", overlay=True)
        self._name = "GeoPlaces"
        self.places = places


@cache
def _page_macros():
    """The panel and legend macros of templates/page.html (autoescaped)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("geo", "templates"), autoescape=True)
    return env.get_template("page.html").module


class _Legend(MacroElement):
    _template = Template(
        "{% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "geoMap.legend({{ this._parent.get_name() }}, {{ this.get_name()|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self):
        super().__init__()
        self._name = "GeoLegend"
        kinds = [
            (color, label, shape, _DASHED if kind == Kind.ADMIN1 else None)
            for kind, (color, label, shape) in KIND_STYLES.items()
        ]
        dashes = {"fallback": _SPARSE, "demonym": _DOTTED}
        self.body = str(_page_macros().legend(self.get_name(), kinds, dashes))


class _FitBounds(MacroElement):
    """Like folium's FitBounds, but keeps the places clear of the legend."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geoMap.fit({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, 6);"
        "{% endmacro %}"
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "GeoFitBounds"
        self.bounds = bounds


class _Panel(MacroElement):
    _template = Template(
        "{% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{% if this.message %}geoMap.notice({{ this._parent.get_name() }}, {{ this.message|tojson }});{% endif %}"
        "{% endmacro %}"
    )

    def __init__(self, title, docs: list[tuple[str, str]], n_places: int, n_mentions: int, n_docs: int, message):
        super().__init__()
        self._name = "GeoPanel"
        self.message = message
        summary = (
            f"{_plural(n_places, 'place')} from {_plural(n_mentions, 'mention')} in {_plural(n_docs, 'document')}."
        )
        if n_places:
            summary += " Click a highlighted name to show it on the map."
        docs_html = [(doc_id, Markup(body)) for doc_id, body in docs]  # escaped in _text_panel
        title = title or "Places in the documents"
        self.body = str(_page_macros().panel(title, summary, message, docs_html))
