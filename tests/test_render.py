"""geo.render and geo.outlines on small hand-made frames (no browser)."""
from __future__ import annotations

import json
import re

import folium
import pytest
import shapely

from geo.frames import mentions_frame, places_frame
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.outlines import country_outline, country_outlines, outlines_path
from geo.render import KIND_GROUPS, KIND_STYLES, PRECISION_LABELS, make_map, page_data, write_map

pytestmark = pytest.mark.usefixtures("render_cache_dir")


def _render(mentions, places, documents, **kw) -> str:
    return make_map(mentions, places, documents, **kw).get_root().render()


def _init_args(html: str) -> tuple[dict, dict]:
    """The data and the outlines the page hands to its script (map-*.js)."""
    match = re.search(r"geoMap\.init\(map_\w+, ", html)
    assert match, "geoMap.init(...) not found in the page script"
    decoder = json.JSONDecoder()
    data, end = decoder.raw_decode(html, match.end())
    assert html[end:end + 2] == ", "
    outlines, _ = decoder.raw_decode(html, end + 2)
    return data, outlines


@pytest.fixture
def html(render_sample):
    mentions, places, documents = render_sample
    return _render(mentions, places, documents, title="Test <map>")


@pytest.fixture
def data(render_sample):
    return page_data(*render_sample)


# --- self-contained, offline --------------------------------------------------


def test_no_external_scripts_or_stylesheets(html):
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I), "a <script src> remains"
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//", html, re.I), "a remote <link> remains"
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", html, re.I), "a remote CSS url() remains"
    assert not re.search(r"url\(\s*[\"']?images/", html), "a relative Leaflet image url remains"
    for cdn in ("cdn.jsdelivr", "code.jquery", "bootstrapcdn", "cdnjs", "unpkg"):
        assert cdn not in html
    assert "Leaflet 1.9.4" in html  # inlined from django-js-lib-leaflet
    assert "L.MarkerClusterGroup=" in html  # inlined from xstatic-leaflet-markercluster
    assert "sourceMappingURL" not in html
    page_script = html[html.rindex("<script>"):]
    assert "$(document)" not in page_script and "$(`" not in page_script, "jQuery is used but not loaded"


def test_the_page_script_is_every_part_once_in_order(html):
    """The map client lives in parts by concern (map-*.js); the page inlines each, in MAP_SCRIPTS order."""
    from importlib import resources

    from geo.render import MAP_SCRIPTS

    folder = resources.files("geo") / "templates"
    assert sorted(MAP_SCRIPTS) == sorted(p.name for p in folder.iterdir() if p.name.endswith(".js"))
    script = "".join((folder / name).read_text(encoding="utf-8") for name in MAP_SCRIPTS)
    assert html.count(script) == 1
    assert script.startswith("/* geo map client") and script.rstrip().endswith("})();")
    # one function scope, opened in the first part and closed in the last
    assert script.count('(function () {\n  "use strict";') == 1 and script.count("\n})();") == 1


def test_folium_class_defaults_untouched(render_sample):
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    _render(*render_sample)
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css
    assert "code.jquery.com" in folium.Map().get_root().render()  # other maps keep folium's links


def test_tiles_optional(render_sample):
    with_tiles = _render(*render_sample)
    without = _render(*render_sample, tiles=False)
    assert "tile.openstreetmap.org" in with_tiles and re.search(r"tiles: tile_layer_\w+", with_tiles)
    assert "tile.openstreetmap.org" not in without and "tiles: null" in without
    _, outlines = _init_args(without)  # the land is still drawn from the outlines
    assert len(outlines["features"]) > 200


# --- the data handed to the page -------------------------------------------------


def test_one_place_item_per_place_in_order(data, render_sample):
    _, places, _ = render_sample
    assert [p["id"] for p in data["places"]] == list(places["place_id"])
    hat = next(p for p in data["places"] if p["id"] == "gn:4428667")
    assert (hat["lat"], hat["lon"], hat["kind"], hat["precision"]) == (31.327, -89.29, "city", "exact")
    assert "unit" not in hat and "outline" not in hat


def test_fallback_places_stand_for_an_area_not_a_point(data):
    shelby = next(p for p in data["places"] if p["id"] == "gn:4436296/camp-shelby")
    unit = data["units"][shelby["unit"]]
    assert unit["name"] == "Mississippi"  # named after the exact place that shares its gazetteer id
    assert unit["precision"] == "admin1" and unit["outline"] is None
    assert len(data["units"]) == 1  # only Camp Shelby fell back
    # the area is Mississippi's outline (no longer a 150 km circle), shared with Mississippi itself
    assert unit["radius"] is None and unit["shape"] is not None
    outline = shapely.geometry.shape(data["shapes"][unit["shape"]])
    assert outline.contains(shapely.Point(-90.18, 32.30))  # Jackson
    (south, west), (north, east) = unit["bounds"]
    assert 30 < south < 31 and -92 < west < -91 and 34.5 < north < 35.5 and -88.5 < east < -87.5
    ms = next(p for p in data["places"] if p["id"] == "gn:4436296")
    assert ms["shape"] == unit["shape"] and len(data["shapes"]) == 1


def test_places_without_a_footprint_keep_their_point(data):
    for p in data["places"]:
        if p["id"] in ("gn:4428667", "gn:4781530", "iso:MX"):  # a city, a feature with no shape, a country
            assert "shape" not in p


def test_offline_base_has_the_mentioned_countries_states(data):
    names = {f["properties"]["name"] for f in data["base"]["admin1"]}
    assert {"Mississippi", "Texas"} <= names and len(names) >= 80  # United States and Mexico
    assert {"US", "MX", "CU"} == {f["properties"]["cc"] for f in data["base"]["admin1"]}  # Cuba: by demonym
    assert isinstance(data["base"]["water"], list)


def test_country_places_carry_their_outline_and_mainland_bounds(data):
    mexico = next(p for p in data["places"] if p["id"] == "iso:MX")
    assert mexico["outline"] == "MX"
    (south, west), (north, east) = mexico["bounds"]
    assert 14 < south < 15 and -119 < west < -117 and 32 < north < 33 and -87.5 < east < -86
    us = next(p for p in data["places"] if p["id"] == "iso:US")
    (_, west), (_, east) = us["bounds"]
    assert -125 < west < -124 and -68 < east < -66  # the 48 states, not a box round the world


def test_every_mention_is_handed_over_with_its_passage(data, render_sample):
    mentions, _, documents = render_sample
    assert len(data["mentions"]) == len(mentions)
    assert [d["id"] for d in data["docs"]] == list(documents)
    places = [p["id"] for p in data["places"]]
    for rec in data["mentions"]:
        doc, start, end, place, kind, precision, confidence, p_start, p_end = rec
        text = documents[data["docs"][doc]["id"]]
        row = mentions[(mentions["doc_id"] == data["docs"][doc]["id"]) & (mentions["start"] == start)].iloc[0]
        assert text[start:end] == row["surface"]
        assert text[p_start:p_end] == row["passage"]
        assert data["kinds"][kind] == row["kind"] and data["precisions"][precision] == row["precision"]
        expected = row["place_id"] if isinstance(row["place_id"], str) else None
        assert (places[place] if place >= 0 else None) == expected
        assert confidence == pytest.approx(row["confidence"], abs=1e-3)
    unresolved = [r for r in data["mentions"] if r[3] == -1]
    assert len(unresolved) == 1 and data["precisions"][unresolved[0][5]] == "unresolved"  # "Milenio"


def test_mentions_without_their_text_keep_the_passage(render_sample):
    mentions, places, documents = render_sample
    data = page_data(mentions, places, {"seed-a": documents["seed-a"]})
    assert [d["id"] for d in data["docs"]] == ["seed-a", 'doc <2> & "x"']
    assert data["docs"][1]["text"] is None
    missing = [r for r in data["mentions"] if r[0] == 1]
    assert missing and all(len(r) == 10 and r[9] for r in missing)
    assert all(len(r) == 9 for r in data["mentions"] if r[0] == 0)


def test_unit_names_can_be_given(render_sample):
    data = page_data(*render_sample, unit_names={"gn:4436296": "State of Mississippi"})
    assert data["units"][0]["name"] == "State of Mississippi"


def test_unit_without_a_name_is_described(render_cache_dir):
    text = "They met at Fort Nowhere."
    start = text.index("Fort Nowhere")
    state = Place("gn:1", "Texas", Kind.ADMIN1, 31.25, -99.25, "US", "TX")
    mention = Mention("d", start, start + 12, "Fort Nowhere")
    resolutions = [Resolution(mention, state, Kind.FEATURE, Precision.ADMIN1, 0.4)]
    mentions = mentions_frame(resolutions, [Document("d", text)])
    data = page_data(mentions, places_frame(mentions), {"d": text})
    assert data["units"][0]["name"] == "state or province TX of United States of America"


# --- the page --------------------------------------------------------------------


def test_panel_has_filters_tabs_and_lists(html):
    for key in KIND_GROUPS:
        assert f'name="kind" value="{key}" checked' in html
    for key in PRECISION_LABELS:
        assert f'name="precision" value="{key}" checked' in html
    for element in ('id="geo-confidence"', 'id="geo-place-search"', 'id="geo-place-list"', 'id="geo-doc-list"',
                    'id="geo-doc-text"', 'role="tablist"', 'id="geo-shade"'):
        assert element in html
    assert "10 places · 17 mentions · 2 documents" in html  # "Milenio" is not on the map


def test_text_names_and_ids_are_escaped(html):
    assert "<script>alert(1)</script>" not in html
    assert "<b>Town</b>" not in html  # a place name with markup
    assert 'doc <2> & "x"' not in html  # a document id
    assert "<title>Test &lt;map&gt;</title>" in html and "<h1>Test &lt;map&gt;</h1>" in html
    data, _ = _init_args(html)
    assert data["docs"][1]["id"] == 'doc <2> & "x"'  # it arrives intact, as JSON
    assert any(p["name"] == "O'Brien <b>Town</b>" for p in data["places"])
    script = html[html.index("geoMap.init("):]
    script = script[: script.index("</script>")]
    assert not re.search(r"[<>&']", script), "script data must not contain a raw < > & or '"


def test_legend_lists_kinds_and_uncertainty(html):
    legend = html[html.index('class="geo-legend"'):]
    legend = legend[: legend.index("</details>")]
    for _, label, _ in KIND_STYLES.values():
        assert label in legend
    for text in ("exact point", "known only to its area", "demonym only", "size = mentions", "group of places"):
        assert text in legend


@pytest.mark.parametrize("documents", [{}, {"d1": "Nothing to see <here>."}])
def test_empty_frames_give_a_world_map_with_a_message(documents, render_cache_dir):
    empty = mentions_frame([], [])
    html = _render(empty, places_frame(empty), documents)
    assert "geo-message" in html and "No " in html
    assert "center: [20.0, 0.0]" in html and '"zoom": 2' in html  # world view
    data, _ = _init_args(html)
    assert data["places"] == [] and data["mentions"] == [] and len(data["docs"]) == len(documents)
    assert "<here>" not in html


def test_write_map_is_atomic_and_self_contained(tmp_path, render_sample):
    m = make_map(*render_sample, tiles=False)
    out = write_map(m, tmp_path / "sub" / "map.html")
    assert out == tmp_path / "sub" / "map.html" and out.stat().st_size > 100_000
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]  # no temp file left
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "geoMap.init(" in text


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


def test_outlines_load_from_the_cache_without_rebuilding(render_cache_dir, monkeypatch):
    from geo import outlines

    country_outlines()  # built (or loaded) once
    outlines._load.cache_clear()

    def rebuild():
        raise AssertionError("loading the cached JSON should not rebuild")

    monkeypatch.setattr(outlines, "_build", rebuild)
    fc = country_outlines()
    assert len(fc["features"]) > 200
