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
jQuery/Bootstrap from CDNs. The data object is built by :mod:`geo.mapdata`; this
module assembles the page around it and writes it (with a side file for large texts).
"""
from __future__ import annotations

import base64
import hashlib
import json
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
from branca.element import Element, MacroElement
from folium.template import Template

from .mapdata import DEMONYM_COLOR, KIND_GROUPS, KIND_STYLES, PRECISION_LABELS, page_data
from .model import Kind
from .outlines import country_outlines
from .outputs import write_text_atomic
from .stories import add_stories

__all__ = ["make_map", "write_map", "move_texts_out", "side_texts_name", "side_texts_script", "page_data", "KIND_STYLES", "KIND_GROUPS", "PRECISION_LABELS"]

_LEAFLET = "js_lib_leaflet"
_CLUSTER = "xstatic.pkg.leaflet_markercluster"
# The page's script (geo/templates/), by concern: the parts of one function scope, joined in this
# order: set-up, layers and shapes; filters and country shading; popups; the reader's corrections;
# choosing a place or document, the panel and links; time and stories; map furniture and the API.
MAP_SCRIPTS = ("map-base.js", "map-filters.js", "map-popups.js", "map-corrections.js", "map-panel.js",
               "map-time.js", "map-api.js")


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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
    js += "\n" + "".join((ours / name).read_text(encoding="utf-8") for name in MAP_SCRIPTS)
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
    """Hands the data to the page's script (``MAP_SCRIPTS``), which draws the places and fills the panel."""

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
        self.styles[str(Kind.DEMONYM)] = {"color": DEMONYM_COLOR, "label": "demonym", "shape": "circle"}
        self.groups = {key: [str(k) for k in kinds] for key, (_, _, kinds) in KIND_GROUPS.items()}
