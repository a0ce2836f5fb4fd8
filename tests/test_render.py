"""geo.render and geo.outlines on small hand-made frames (no browser)."""
from __future__ import annotations

import json
import re
import time
from html import escape, unescape

import folium
import pytest
import shapely

from geo.frames import mentions_frame, places_frame
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.outlines import country_outline, country_outlines, outlines_path
from geo.render import KIND_STYLES, make_map, mention_anchor, write_map

pytestmark = pytest.mark.usefixtures("render_cache_dir")

_PLACES_JSON = re.compile(r"geoMap\.placesLayer\(map_\w+, (\[.*?\])\);", re.S)


def _render(mentions, places, documents, **kw) -> str:
    return make_map(mentions, places, documents, **kw).get_root().render()


def _places_data(html: str) -> dict[str, dict]:
    """The JSON the page hands to map.js, by place id."""
    match = _PLACES_JSON.search(html)
    assert match, "places data not found in the page script"
    return {p["id"]: p for p in json.loads(match.group(1))}


@pytest.fixture
def html(render_sample):
    mentions, places, documents = render_sample
    return _render(mentions, places, documents, title="Test <map>")


# --- self-contained, offline --------------------------------------------------


def test_no_external_scripts_or_stylesheets(html):
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I), "a <script src> remains"
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//", html, re.I), "a remote <link> remains"
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", html, re.I), "a remote CSS url() remains"
    assert not re.search(r"url\(\s*[\"']?images/", html), "a relative Leaflet image url remains"
    for cdn in ("cdn.jsdelivr", "code.jquery", "bootstrapcdn", "cdnjs", "unpkg"):
        assert cdn not in html
    assert "Leaflet 1.9.4" in html  # inlined from django-js-lib-leaflet
    page_script = html[html.rindex("<script>"):]
    assert "$(document)" not in page_script and "$(`" not in page_script, "jQuery is used but not loaded"


def test_folium_class_defaults_untouched(render_sample):
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    _render(*render_sample)
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css
    assert "code.jquery.com" in folium.Map().get_root().render()  # other maps keep folium's links


def test_tiles_optional(render_sample):
    with_tiles = _render(*render_sample)
    without = _render(*render_sample, tiles=False)
    assert "tile.openstreetmap.org" in with_tiles
    assert "tile.openstreetmap.org" not in without
    assert "geoMap.outlinesLayer" in without  # land still drawn


# --- content ----------------------------------------------------------------


def test_every_place_has_a_marker_and_text_spans(html, render_sample):
    mentions, places, _ = render_sample
    data = _places_data(html)
    assert list(data) == list(places["place_id"])  # one marker per place row, in order
    for place_id in places["place_id"]:
        assert f'data-place-id="{escape(place_id)}"' in html
    # every resolved mention is a span with an id the popups can link to
    for m in mentions[mentions["place_id"].notna()].itertuples():
        assert f'id="{mention_anchor(m.doc_id, m.start)}"' in html


def test_popup_lists_every_passage_with_highlight_and_link(html, render_sample):
    mentions, places, _ = render_sample
    data = _places_data(html)
    for place in places.itertuples():
        popup = data[place.place_id]["popup"]
        rows = mentions[mentions["place_id"] == place.place_id]
        assert popup.count("<li>") == len(rows) == place.mention_count
        for m in rows.itertuples():
            assert f"<mark>{escape(m.surface)}</mark>" in popup
            assert f'href="#{mention_anchor(m.doc_id, m.start)}"' in popup
        assert escape(place.name) in popup and f"{place.confidence:.2f}" in popup


def test_fallback_and_demonym_drawn_apart(html):
    data = _places_data(html)
    shelby = data["gn:4436296/camp-shelby"]
    assert "approximate (admin1 fallback)" in shelby["popup"]
    assert shelby["dash"] and shelby["fillOpacity"] == 0 and shelby["area"]["radius"] > 0
    assert shelby["shape"] == "circle"
    exact = data["gn:4428667"]  # Hattiesburg, a city
    assert exact["dash"] is None and exact["area"] is None and "approximate" not in exact["popup"]
    assert data["gn:4436296"]["dash"]  # admin1: dashed
    cuba = data["iso:CU"]  # named only by "cubanos"
    assert cuba["borderStyle"] == "dotted" and cuba["shape"] == "square"
    mexico = data["iso:MX"]
    assert mexico["borderStyle"] == "solid" and mexico["area"]["geojson"]["type"] in ("Polygon", "MultiPolygon")
    assert data["cont:EU"]["shape"] == "diamond"


def test_text_panel_styles_demonyms_apart(html):
    assert re.search(r'class="geo-m geo-m-demonym"[^>]*data-place-id="iso:CU"', html)
    assert re.search(r'class="geo-m geo-m-place"[^>]*data-place-id="gn:4428667"', html)
    assert re.search(r'class="geo-m geo-m-approx"[^>]*data-place-id="gn:4436296/camp-shelby"', html)
    assert 'class="geo-m geo-m-unresolved"' in html  # "Milenio"


def test_text_names_and_ids_are_escaped(html):
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Town</b>" not in html  # a place name with markup, in text, popup and JSON
    assert "O&#x27;Brien &lt;b&gt;Town&lt;/b&gt;" in html
    assert 'doc <2> & "x"' not in html  # a document id
    headings = [unescape(h) for h in re.findall(r'<section class="geo-doc"><h2>(.*?)</h2>', html)]
    assert headings == ["seed-a", 'doc <2> & "x"']
    assert "<title>Test &lt;map&gt;</title>" in html
    # script data never contains a raw < > or & (JSON escaped as \u003c ...)
    for script in re.findall(r"<script>(.*?)</script>", html, re.S)[-1:]:
        data = _PLACES_JSON.search(script).group(1)
        assert not re.search(r"[<>&]", data)


def test_legend_lists_kinds_precision_and_demonym(html):
    legend = html[html.index('class="geo-legend"'):]
    legend = legend[: legend.index("</details>")]
    for _, label, _ in KIND_STYLES.values():
        assert escape(label) in legend
    for text in ("exact point", "approximate (fallback)", "demonym only", "size = mentions"):
        assert text in legend


def test_fits_bounds_to_places(html):
    page_script = html[html.rindex("<script>"):]
    match = re.search(r"geoMap\.fit\(map_\w+, (\[\[.*?\]\]), 6\)", page_script, re.S)
    assert match
    (south, west), (north, east) = json.loads(match.group(1))
    assert (south, west, north, east) == (19.428, -102.0, 50.0, 10.0)


def test_nested_mentions_link_to_the_covering_span(render_cache_dir):
    text = "We flew to New York and then home."
    doc = Document("d", text)
    ny = Place("gn:5128581", "New York", Kind.CITY, 40.71, -74.0, "US", "NY")
    york = Place("gn:2633352", "York", Kind.CITY, 53.96, -1.08, "GB")
    start = text.index("New York")
    resolutions = [
        Resolution(Mention("d", start, start + 8, "New York"), ny, Kind.CITY, Precision.EXACT, 0.9),
        Resolution(Mention("d", start + 4, start + 8, "York"), york, Kind.CITY, Precision.EXACT, 0.2),
    ]
    mentions = mentions_frame(resolutions, [doc])
    html = _render(mentions, places_frame(mentions), {"d": text})
    assert html.count('data-place-id="gn:') == 1  # only the outer span is wrapped
    york_popup = _places_data(html)["gn:2633352"]["popup"]
    assert f'href="#{mention_anchor("d", start)}"' in york_popup
    assert "<mark>York</mark>" in york_popup


# --- empty input and writing ---------------------------------------------------


@pytest.mark.parametrize("documents", [{}, {"d1": "Nothing to see <here>."}])
def test_empty_frames_give_a_world_map_with_a_message(documents, render_cache_dir):
    empty = mentions_frame([], [])
    html = _render(empty, places_frame(empty), documents)
    assert "geo-message" in html and "No " in html
    assert "geoMap.fit(" not in html[html.rindex("<script>"):]
    assert "center: [20.0, 0.0]" in html and '"zoom": 2' in html  # world view
    assert "geoMap.placesLayer(" in html and "geo-legend" in html
    assert "<here>" not in html


def test_write_map_is_atomic_and_self_contained(tmp_path, render_sample):
    m = make_map(*render_sample, tiles=False)
    out = write_map(m, tmp_path / "sub" / "map.html")
    assert out == tmp_path / "sub" / "map.html" and out.stat().st_size > 100_000
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]  # no temp file left
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "geoMap.placesLayer" in text


def test_mention_anchor_is_a_safe_unique_id():
    assert mention_anchor("seed-1", 5) == "m-seed-1-5"
    odd = mention_anchor('a <b> "c"', 5)
    assert re.fullmatch(r"m-[A-Za-z0-9_.:-]+-5", odd)
    assert mention_anchor("a b", 0) != mention_anchor("a_b", 0)


# --- outlines -----------------------------------------------------------------


def test_country_outlines_are_small_simplified_geojson(render_cache_dir):
    fc = country_outlines()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 200
    isos = {f["properties"]["iso_a2"] for f in fc["features"]}
    assert {"US", "MX", "FR", "NO", "CU"} <= isos  # FR/NO have codes only in ISO_A2_EH
    assert all(f["properties"]["name"] for f in fc["features"])
    assert outlines_path().parent == render_cache_dir
    assert outlines_path().stat().st_size < 1_500_000
    assert len(json.dumps(fc)) < 1_700_000


def test_country_outline_lookup():
    france = country_outline("fr")
    assert france.contains(shapely.Point(2.35, 48.86))  # Paris
    assert country_outline("US").contains(shapely.Point(-89.29, 31.33))  # Hattiesburg
    assert country_outline("") is None and country_outline("ZZ") is None


def test_outlines_load_from_cache_fast(render_cache_dir):
    from geo import outlines

    country_outlines()  # built (or loaded) once
    outlines._load.cache_clear()
    start = time.perf_counter()
    fc = country_outlines()
    assert time.perf_counter() - start < 0.5, "loading the cached JSON should not rebuild"
    assert len(fc["features"]) > 200
