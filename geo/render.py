"""Draw the mentions and places frames as one self-contained HTML map.

The page needs no network: Leaflet (``django-js-lib-leaflet``), marker
clustering (``xstatic-leaflet-markercluster``), our CSS/JS (``geo/templates``)
and Natural Earth country outlines are inlined. OpenStreetMap tiles are drawn
on top when they can be loaded.

The page gets its data as one JSON object (places, fallback areas, documents,
mentions) and builds the side panel, the filters, the lists, the popups and
the document text in the browser (and the reader's corrections: "Wrong?" in a
popup, a pending list, ``corrections.csv`` for ``--corrections``), with DOM calls that treat every string as
text (``textContent``), never as HTML. The JSON reaches the script through
Jinja's ``tojson``, which escapes ``<``, ``>``, ``&`` and ``'``; the few
strings put into HTML here (title, summary) go through Jinja's autoescape.
folium's own Popup/Tooltip/Icon are not used: they insert raw HTML and need
jQuery/Bootstrap from CDNs.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from collections.abc import Mapping
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd
import jinja2
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from .footprints import PageShapes, base_layers
from .frames import FOOTPRINT
from .model import Kind, Precision
from .outlines import country_outline, country_outlines
from .outputs import write_text_atomic
from .stories import add_stories

__all__ = ["make_map", "write_map", "move_texts_out", "side_texts_name", "side_texts_script", "page_data", "KIND_STYLES", "KIND_GROUPS", "PRECISION_LABELS"]

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
_DEMONYM_COLOR = "#7c3aed"

# The kind filter of the page: group -> (label, colour, kinds of *mentions* it covers).
KIND_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "country": ("country", KIND_STYLES[Kind.COUNTRY][0], (Kind.COUNTRY,)),
    "region": ("region", KIND_STYLES[Kind.ADMIN1][0], (Kind.ADMIN1, Kind.ADMIN2, Kind.CONTINENT)),
    "city": ("city", KIND_STYLES[Kind.CITY][0], (Kind.CITY,)),
    "feature": ("feature", KIND_STYLES[Kind.FEATURE][0], (Kind.FEATURE,)),
    "demonym": ("demonym", _DEMONYM_COLOR, (Kind.DEMONYM,)),
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
_LEAFLET = "js_lib_leaflet"
_CLUSTER = "xstatic.pkg.leaflet_markercluster"


def make_map(
    mentions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    documents: Mapping[str, str],
    *,
    title: str | None = None,
    tiles: bool = True,
    unit_names: Mapping[str, str] | None = None,
    side_texts: str | None = None,
    stories: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """A folium map of the places, with a panel of places, filters and documents.

    Parameters
    ----------
    mentions, places
        Frames from :func:`geo.frames.mentions_frame` and
        :func:`geo.frames.places_frame`.
    documents
        ``doc_id -> full text``. Documents are shown one at a time, with their
        mentions highlighted; a mention whose document is missing here is
        still shown through its passage.
    title
        Page and panel title.
    tiles
        Add an OpenStreetMap tile layer (drawn when online; the country
        outlines show through when it is not).
    unit_names
        ``gazetteer_id -> name`` of the units that fallbacks were drawn at
        ("Mississippi"); without it the name is taken from the frames or the
        country outlines where possible.
    stories
        The documents frame (:func:`geo.frames.documents_frame`): titles,
        dates, outlets, links and foci, for the time filter and the stories view.
    side_texts
        The name of a side file (``map.texts.js``, written by the caller) that
        holds the texts of ``documents`` (whose values are then ignored); the
        page loads it. :func:`write_map` does this by itself for large texts.

    Examples
    --------
    >>> from geo.frames import mentions_frame, places_frame
    >>> empty = mentions_frame([], [])
    >>> m = make_map(empty, places_frame(empty), {}, tiles=False)
    >>> "No places" in m.get_root().render()
    True
    """
    m = folium.Map(
        location=[20, 0], zoom_start=2, tiles=None, zoom_snap=0.25,
        width="62%", height="100%", position="absolute", control_scale=True,
    )
    # folium gives min/max zoom to its tile layer only; clustering needs the map's own.
    m.options.update(min_zoom=0, max_zoom=18)
    # Instance attributes shadow folium's class-level CDN lists for this map only.
    m.default_js = []
    m.default_css = []
    if title:
        m.get_root().title = escape(title)
    _Assets().add_to(m)
    tile_layer = None
    if tiles:
        tile_layer = folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", control=False).add_to(m)

    data = page_data(mentions, places, documents, unit_names=unit_names, side_texts=side_texts)
    if stories is not None:
        add_stories(data, stories)
    n_places, n_docs = len(data["places"]), len(data["docs"])
    n_mentions = sum(1 for m in data["mentions"] if m[3] >= 0)
    message = None
    if not n_places:
        message = ("No places were found in these documents." if n_docs
                   else "No places to show: no documents were given.")
    summary = f"{_plural(n_places, 'place')} · {_plural(n_mentions, 'mention')} · {_plural(n_docs, 'document')}"
    _Panel(title or "Places in the documents", summary, message).add_to(m)
    _Legend().add_to(m)
    _Page(data, country_outlines(), tile_layer, message, title).add_to(m)
    if side_texts:
        _load_side_texts(m, side_texts)
    _number_elements(m)
    return m


def _load_side_texts(m: folium.Map, side_name: str) -> None:
    m.get_root().header.add_child(folium.Element(f'<script src="{escape(side_name, quote=True)}"></script>'),
                                  name="geo_side_texts")


def _number_elements(m: folium.Map) -> None:
    """Give the page's elements counted ids instead of folium's random ones: same input, same file."""
    for n, element in enumerate(_walk(m.get_root())):
        element._id = str(n)


# Beyond this many characters of document text, the texts go to a side file
# (``<map>.texts.js``) that the page loads, so the page itself stays small.
TEXTS_INLINE_MAX = 5_000_000


def side_texts_name(html_name: str) -> str:
    """The side file's name for a page: ``map.html`` -> ``map.texts.js``."""
    stem = html_name[:-5] if html_name.lower().endswith(".html") else html_name
    return f"{stem}.texts.js"


def move_texts_out(m: folium.Map, side_name: str, *, limit: int | None = None) -> str | None:
    """Move the documents' texts out of the page into a side script when they are large.

    Returns the side file's content (``window.GEO_TEXTS = [...]``), or None when
    the texts are small enough to stay in the page. The page then loads
    ``side_name`` (a file beside it) before it draws; every document keeps its
    place and says where its text is, so nothing is dropped silently.
    """
    page = next((c for c in _walk(m.get_root()) if isinstance(c, _Page)), None)
    if page is None:
        return None
    docs = page.data["docs"]
    if sum(len(d["text"] or "") for d in docs) <= (TEXTS_INLINE_MAX if limit is None else limit):
        return None
    texts = {d["id"]: d["text"] for d in docs if d["text"] is not None}
    for d in docs:
        if d["text"] is not None:
            d["text"], d["side"] = None, side_name
    _load_side_texts(m, side_name)
    return side_texts_script(texts.items())


def side_texts_script(items) -> str:
    """The side file's content for ``(doc_id, text)`` pairs: ``window.GEO_TEXTS = {...};``."""
    return SIDE_TEXTS_HEAD + "".join(side_texts_entry(i, t) for i, t in items) + SIDE_TEXTS_TAIL


SIDE_TEXTS_HEAD = "window.GEO_TEXTS = {\n"
SIDE_TEXTS_TAIL = "};\n"


def side_texts_entry(doc_id: str, text: str) -> str:
    """One document in the side file (a line; the file can be written as documents come)."""
    return json.dumps(str(doc_id), ensure_ascii=False) + ": " + json.dumps(text, ensure_ascii=False) + ",\n"


def _walk(element):
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def write_map(m: folium.Map, path: str | os.PathLike) -> Path:
    """Write the map as an HTML file, atomically; return its path.

    When the documents' texts are large (over ``TEXTS_INLINE_MAX`` characters)
    they go to ``<name>.texts.js`` beside it (see :func:`move_texts_out`).
    """
    path = Path(path)
    side = move_texts_out(m, side_texts_name(path.name))
    if side is not None:
        write_text_atomic(path.with_name(side_texts_name(path.name)), side)
    write_text_atomic(path, m.get_root().render())
    return path


# --- data for the page ----------------------------------------------------


def _s(value) -> str:
    """A frame cell as text ('' for NA)."""
    return "" if value is None or pd.isna(value) else str(value)


def _has_point(geom) -> bool:
    return geom is not None and not geom.is_empty and math.isfinite(geom.x) and math.isfinite(geom.y)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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


# --- assets and page elements -------------------------------------------


@cache
def _assets() -> tuple[str, str]:
    """Leaflet, marker clustering and our CSS and JS, ready to inline."""
    static = resources.files(_LEAFLET) / "static" / _LEAFLET
    css = (static / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        png = (static / "images" / match.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    js = (static / "leaflet.js").read_text(encoding="utf-8")
    cluster = resources.files(_CLUSTER) / "data"
    css += "\n" + (cluster / "MarkerCluster.css").read_text(encoding="utf-8")
    js += "\n" + (cluster / "leaflet.markercluster.js").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    ours = resources.files("geo") / "templates"
    css += "\n" + (ours / "map.css").read_text(encoding="utf-8")
    js += "\n" + (ours / "map.js").read_text(encoding="utf-8")
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("an inlined asset would close its own <style>/<script> tag")
    return css, js


class _Rendered(Element):
    """Markup that is already rendered, written out as it is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _Inert(MacroElement):
    """A MacroElement whose output is not parsed again as a Jinja template.

    branca's ``MacroElement.render`` wraps each macro's output in a new
    ``Element``, i.e. compiles it as a template a second time: document text
    with ``{{ 7*7 }}`` would show as 49, ``{% raw %}`` would stop the run, and
    ``{{ ... }}`` could run Python. Here the output is kept as it is.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Rendered(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class _Assets(_Inert):
    _template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>{{ this.css }}</style>\n<script>{{ this.js }}</script>\n"
        "{% endmacro %}"
    )

    def __init__(self):
        super().__init__()
        self._name = "GeoAssets"
        self.css, self.js = _assets()


@cache
def _page_macros():
    """The panel and legend macros of templates/page.html (autoescaped)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("geo", "templates"), autoescape=True)
    return env.get_template("page.html").module


class _Legend(_Inert):
    _template = Template("{% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}")

    def __init__(self):
        super().__init__()
        self._name = "GeoLegend"
        kinds = [(color, label, shape) for color, label, shape in KIND_STYLES.values()]
        self.body = str(_page_macros().legend(kinds))


class _Panel(_Inert):
    _template = Template("{% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}")

    def __init__(self, title: str, summary: str, message: str | None):
        super().__init__()
        self._name = "GeoPanel"
        groups = [(key, label, color) for key, (label, color, _) in KIND_GROUPS.items()]
        precisions = list(PRECISION_LABELS.items())
        self.body = str(_page_macros().panel(title, summary, message, groups, precisions))


class _Page(_Inert):
    """Hands the data to map.js, which draws the places and fills the panel."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geoMap.init({{ this._parent.get_name() }}, {{ this.data|tojson }}, {{ this.outlines|tojson }}, {"
        "tiles: {{ this.tiles.get_name() if this.tiles else 'null' }}, "
        "styles: {{ this.styles|tojson }}, groups: {{ this.groups|tojson }}, message: {{ this.message|tojson }}, "
        "store: {{ this.store|tojson }}});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict, outlines: dict, tiles, message: str | None, title: str | None = None):
        super().__init__()
        self._name = "GeoPage"
        self.data = data
        # where the page keeps its pending corrections across a reload (localStorage): one key per map
        # (a rerun with the corrections applied places things differently: a fresh list there)
        ids = json.dumps([title or "", [d["id"] for d in data["docs"]], [p["id"] for p in data["places"]]],
                         ensure_ascii=False)
        self.store = "geo-corrections:" + hashlib.sha1(ids.encode("utf-8")).hexdigest()[:16]
        self.outlines = outlines
        self.tiles = tiles
        self.message = message
        self.styles = {str(k): {"color": c, "label": lab, "shape": s} for k, (c, lab, s) in KIND_STYLES.items()}
        self.styles[str(Kind.DEMONYM)] = {"color": _DEMONYM_COLOR, "label": "demonym", "shape": "circle"}
        self.groups = {key: [str(k) for k in kinds] for key, (_, _, kinds) in KIND_GROUPS.items()}
