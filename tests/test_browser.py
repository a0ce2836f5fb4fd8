"""The written map in headless Chromium, offline: it must draw and respond.

Fails (never skips) when Chromium is missing: run `make test`, which installs it.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from geo.frames import mentions_frame, places_frame
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.render import make_map, write_map

TILE_URL = re.compile(r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$")
CITIES = {"gn:4428667", "gn:3530597", "csv:obrien"}  # Hattiesburg, Ciudad de México, O'Brien <b>Town</b>
SHELBY = "gn:4436296/camp-shelby"  # fell back to Mississippi: an area, no marker
MISSISSIPPI = "gn:4436296"  # a state: drawn as its outline, no marker

pytestmark = pytest.mark.usefixtures("render_cache_dir")




class OfflinePage:
    """A page whose every non-file request is aborted and recorded, with its errors."""

    def __init__(self, browser, path: Path, viewport=(1280, 800), fragment: str = "", motion: str = "reduce"):
        # Reduced motion: the page jumps instead of flying, which keeps the tests quick;
        # the tests of the keyboard and of the layout fly as a reader's browser does.
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, reduced_motion=motion)
        self.errors: list[str] = []
        self.aborted: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_function("() => window.L && window.geoMap && geoMap.idle()")

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.aborted.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and TILE_URL.match(url):
            return  # the tiles we aborted: expected offline
        self.errors.append(f"console error: {msg.text} at {url}")

    def popup_title(self) -> str:
        """The heading of the open popup, once it is open and the map is still."""
        heading = self.page.locator(".leaflet-popup-content h3").last  # the one before may still fade out
        heading.wait_for(state="visible", timeout=5000)
        self.page.wait_for_function("() => geoMap.idle()", timeout=5000)
        return heading.inner_text()

    def open_popup_from_text(self, place_id: str):
        """Click the place's first mention in the shown document; wait for its popup."""
        self.page.locator(f'.geo-text [data-place-id="{place_id}"]').first.click()
        self.popup_title()
        return self.page.locator(".leaflet-popup-content").last

    def list_ids(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#geo-place-list .geo-row", "els => els.map(e => e.getAttribute('data-place-id'))")

    def marker_ids(self) -> set[str]:
        """Places with a marker on the map: drawn alone, or counted inside a cluster."""
        return set(self.page.evaluate("""() => {
            const ids = [];
            document.querySelectorAll('.leaflet-marker-pane .geo-place').forEach(e => ids.push(e.dataset.placeId));
            return ids.concat(geoMap.clusteredPlaces());
        }"""))

    def shape_ids(self) -> set[str]:
        """Places drawn as their line or area (rivers, lakes, states)."""
        return set(self.page.evaluate("() => geoMap.shapedPlaces()"))

    def check_clean(self):
        assert not self.errors, "\n".join(self.errors)
        others = [u for u in self.aborted if not TILE_URL.match(u)]
        assert not others, f"the page tried to reach the network: {others[:5]}"


@pytest.fixture(scope="module")
def sample_path(render_cache_dir, tmp_path_factory):
    from conftest import render_sample_frames

    mentions, places, documents = render_sample_frames()
    path = tmp_path_factory.mktemp("browser") / "map.html"
    return write_map(make_map(mentions, places, documents, title="Browser test"), path), places


@pytest.fixture
def sample_page(browser, sample_path, tmp_path):
    path, places = sample_path
    page = OfflinePage(browser, path)
    yield page, places
    page.page.screenshot(path=str(tmp_path / "map.png"))
    page.page.close()


def test_map_draws_offline_without_errors(sample_page):
    page, places = sample_page
    p = page.page
    p.wait_for_selector(".leaflet-marker-pane .geo-place, .leaflet-marker-pane .geo-cluster")
    exact = set(places.loc[places["precision"] == "exact", "place_id"])
    assert page.marker_ids() == exact - {MISSISSIPPI} and page.shape_ids() == {MISSISSIPPI}
    # the fallback is an area (Mississippi's outline), never a marker
    assert p.locator(f'.geo-place[data-place-id="{SHELBY}"]').count() == 0
    assert p.locator(".leaflet-overlay-pane path.geo-area[data-unit]").count() == 1
    assert p.locator(f'.leaflet-overlay-pane path.geo-shape-area[data-place-id="{MISSISSIPPI}"]').count() == 1
    # offline, the base also shows the states of the mentioned countries
    assert p.locator(".leaflet-geo-land-pane path").count() > 250
    # the land is drawn from the inlined outlines even though no tile loaded
    assert p.locator(".leaflet-geo-land-pane path").count() > 200
    assert p.locator(".leaflet-control-layers").count() == 1
    assert p.locator(".leaflet-control-container .geo-legend").is_visible()
    page.check_clean()
    assert any(TILE_URL.match(u) for u in page.aborted)  # the tile layer did try


def test_place_list_is_sorted_by_mentions_and_filters_by_typing(sample_page):
    page, places = sample_page
    p = page.page
    ids = page.list_ids()
    assert sorted(ids) == sorted(places["place_id"])
    counts = [int(t) for t in p.locator("#geo-place-list .geo-row-n").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and ids[0] == "iso:MX"
    assert p.locator('#geo-place-list .geo-row[data-place-id="csv:obrien"] .geo-row-name').inner_text() \
        == "O'Brien <b>Town</b>"  # shown as text, not markup
    p.locator("#geo-place-search").fill("mexico")  # accents fold: "Ciudad de México" matches too
    assert set(page.list_ids()) == {"iso:MX", "gn:3530597"}
    p.locator("#geo-place-search").fill("zzz")
    assert page.list_ids() == [] and p.locator("#geo-place-empty").is_visible()
    assert len(page.marker_ids()) == 8 and page.shape_ids() == {MISSISSIPPI}  # typing filters the list, not the map
    page.check_clean()


def test_filtering_by_kind_hides_markers_and_list_rows(sample_page):
    page, places = sample_page
    p = page.page
    before = p.locator("#geo-summary").inner_text()
    assert CITIES <= page.marker_ids() and CITIES <= set(page.list_ids())
    p.locator('input[name=kind][value=city]').uncheck()
    p.wait_for_function("() => !document.querySelector('#geo-place-list [data-place-id=\"gn:4428667\"]')")
    assert not CITIES & page.marker_ids()
    assert not CITIES & set(page.list_ids())
    assert page.marker_ids() | CITIES | {MISSISSIPPI} == set(places.loc[places["precision"] == "exact", "place_id"])
    after = p.locator("#geo-summary").inner_text()
    assert after.startswith("7 places · 13 mentions") and after != before
    p.locator('input[name=kind][value=city]').check()
    p.wait_for_function("() => document.querySelector('#geo-place-list [data-place-id=\"gn:4428667\"]')")
    assert CITIES <= page.marker_ids()
    page.check_clean()


def test_demonym_precision_and_confidence_filters_combine(sample_page):
    page, _ = sample_page
    p = page.page
    p.locator('input[name=kind][value=demonym]').uncheck()
    assert "iso:CU" not in page.list_ids()  # named only by "cubanos"
    assert p.locator('#geo-place-list [data-place-id="iso:MX"] .geo-row-n').inner_text() == "2"  # was 4
    p.locator('input[name=precision][value=admin1]').uncheck()  # Camp Shelby fell back to its state
    assert SHELBY not in page.list_ids()
    assert p.locator("path.geo-area").count() == 0
    assert p.locator("#geo-filter-state").inner_text() == "(4 kinds, 4 precisions)"
    p.locator("#geo-confidence").focus()
    p.keyboard.press("End")  # the slider by keyboard: confidence at least 1.00
    assert p.locator("#geo-confidence-value").inner_text() == "1.00"
    assert page.list_ids() == [] and page.marker_ids() == set()  # every sample mention has 0.9
    assert p.locator("#geo-summary").inner_text().startswith("0 places · 0 mentions")
    p.locator("#geo-reset").click()
    assert len(page.list_ids()) == 10 and p.locator("path.geo-area").count() == 1
    page.check_clean()


def test_choosing_a_place_in_the_list_opens_its_popup(sample_page):
    page, _ = sample_page
    p = page.page
    for place_id, name in [("gn:4428667", "Hattiesburg"), (SHELBY, "Camp Shelby"), ("iso:CU", "Cuba"),
                           ("csv:obrien", "O'Brien <b>Town</b>")]:
        p.locator(f'#geo-place-list .geo-row[data-place-id="{place_id}"]').click()
        assert page.popup_title() == name
        content = p.locator(".leaflet-popup-content").last.inner_text()
        if place_id == SHELBY:
            assert "approximate" in content and "somewhere in Mississippi" in content
        else:
            assert "exact" in content
        assert p.locator(f'.geo-row.geo-current[data-place-id="{place_id}"]').count() == 1
        assert p.evaluate("() => location.hash") == "#place=" + quote(place_id, safe="")
        p.keyboard.press("Escape")
        p.locator(".leaflet-popup").wait_for(state="detached")
    page.check_clean()


def test_links_open_a_document_or_a_place(browser, sample_path):
    path, _ = sample_path
    doc_id = 'doc <2> & "x"'
    page = OfflinePage(browser, path, fragment="#doc=" + quote(doc_id, safe=""))
    p = page.page
    try:
        # a document: its text, and its places only
        p.locator("#geo-view-text").wait_for(state="visible")
        assert p.locator("#geo-doc-title").inner_text() == doc_id
        assert p.locator("#geo-doc-text").inner_text().startswith("Breaking <script>alert(1)</script> news")
        in_doc = {"gn:4436296", "gn:4781530", "iso:MX", "gn:4428667", "csv:obrien"}
        assert set(page.list_ids()) == in_doc
        p.wait_for_function("() => geoMap.idle()")
        assert page.marker_ids() == in_doc - {MISSISSIPPI} and page.shape_ids() == {MISSISSIPPI}
        assert "1 of 2 documents" in p.locator("#geo-summary").inner_text()
        # a place, also one the document filter hides, and one drawn as an area
        for place_id, name in [("gn:3530597", "Ciudad de México"), (SHELBY, "Camp Shelby")]:
            p.goto(path.as_uri() + "#place=" + quote(place_id, safe=""))
            assert page.popup_title() == name
            assert p.locator(".leaflet-popup-content [data-place-id]").last.get_attribute("data-place-id") == place_id
        page.check_clean()
    finally:
        p.close()


def test_a_place_link_opens_that_place_on_load(browser, sample_path):
    path, _ = sample_path
    page = OfflinePage(browser, path, fragment="#place=" + quote("iso:CU", safe=""))
    try:
        assert page.popup_title() == "Cuba"
        page.check_clean()
    finally:
        page.page.close()


def test_choosing_a_document_shows_its_text_with_mentions(sample_page):
    page, _ = sample_page
    p = page.page
    p.locator("#geo-tab-docs").click()
    rows = p.locator("#geo-doc-list .geo-docrow")
    assert rows.count() == 2
    rows.first.click()
    p.locator("#geo-view-text").wait_for(state="visible")
    assert p.locator("#geo-doc-text").inner_text().startswith("Un grupo de 40 soldados")
    spans = p.locator("#geo-doc-text [data-place-id]")
    assert spans.count() == 12  # every resolved mention of seed-a
    assert p.locator("#geo-doc-text .geo-m-unresolved").count() == 1  # "Milenio"
    assert p.locator("#geo-doc-text .geo-m-demonym").count() == 4
    assert p.locator("#geo-doc-text .geo-m-approx").count() == 1
    assert "csv:obrien" not in page.list_ids()  # only in the other document
    assert p.evaluate("() => location.hash") == "#doc=seed-a"
    p.locator("#geo-doc-next").click()
    assert p.locator("#geo-doc-title").inner_text() == 'doc <2> & "x"'
    p.locator("#geo-doc-close").click()
    assert len(page.list_ids()) == 10
    page.check_clean()


def test_clicking_a_mention_in_the_text_opens_its_popup(sample_page):
    page, places = sample_page
    p = page.page
    p.evaluate("() => geoMap.showDoc('seed-a')")
    for place_id in ["gn:4428667", SHELBY, "iso:CU"]:
        name = places.loc[places["place_id"] == place_id, "name"].item()
        popup = page.open_popup_from_text(place_id)
        assert popup.locator("h3").inner_text() == name
        assert p.locator(f'.geo-text .geo-active[data-place-id="{place_id}"]').count() >= 1
    page.check_clean()


def test_popup_link_jumps_to_the_text(sample_page):
    page, _ = sample_page
    p = page.page
    p.locator('#geo-place-list .geo-row[data-place-id="gn:4428667"]').click()
    page.popup_title()
    link = p.locator(".leaflet-popup-content .geo-jump").last  # Hattiesburg in the second document
    start = link.get_attribute("data-start")
    link.click()
    target = f"m-1-{start}"
    p.wait_for_function("id => document.getElementById(id)?.classList.contains('geo-flash')", arg=target)
    assert p.locator("#geo-doc-title").inner_text() == 'doc <2> & "x"'
    page.check_clean()


def test_keyboard_reaches_places_and_mentions(browser, sample_path):
    page = OfflinePage(browser, sample_path[0], motion="no-preference")
    p = page.page
    p.locator('#geo-place-list .geo-row[data-place-id="iso:US"]').focus()
    p.keyboard.press("Enter")
    assert page.popup_title() == "Estados Unidos"
    p.keyboard.press("Escape")
    p.locator(".leaflet-popup").wait_for(state="detached")
    p.evaluate("() => geoMap.showDoc('seed-a')")
    p.locator('.geo-text [data-place-id="gn:3530597"]').first.focus()
    p.keyboard.press("Enter")
    assert page.popup_title() == "Ciudad de México"
    p.locator("#geo-tab-text").focus()
    p.keyboard.press("ArrowLeft")
    assert p.locator("#geo-tab-docs").get_attribute("aria-selected") == "true"
    page.check_clean()
    p.close()


def test_countries_can_be_shaded_by_mentions(sample_page):
    page, _ = sample_page
    p = page.page
    assert p.locator(".leaflet-geo-shade-pane path").count() == 0
    p.locator("#geo-shade").check()
    fills = p.eval_on_selector_all(".leaflet-geo-shade-pane path",
                                   "els => els.filter(e => +e.getAttribute('fill-opacity') > 0).length")
    assert fills == 3  # Mexico, the United States, Cuba
    assert p.locator("#geo-shade-legend").is_visible()
    p.locator("#geo-shade").uncheck()
    assert p.locator(".leaflet-geo-shade-pane path").count() == 0
    page.check_clean()


def _boxes_overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] \
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("viewport", [(390, 844), (1400, 900)])
def test_panel_and_controls_do_not_overlap(browser, sample_path, viewport):
    path, _ = sample_path
    page = OfflinePage(browser, path, viewport=viewport, motion="no-preference")
    p = page.page
    try:
        boxes = {name: p.locator(sel).bounding_box() for name, sel in {
            "map": ".folium-map", "panel": "#geo-panel", "zoom": ".leaflet-control-zoom",
            "layers": ".leaflet-control-layers", "legend": ".geo-legend", "scale": ".leaflet-control-scale",
            "attribution": ".leaflet-control-attribution",
        }.items()}
        assert not _boxes_overlap(boxes["map"], boxes["panel"])
        controls = [n for n in boxes if n not in ("map", "panel")]
        for i, a in enumerate(controls):
            box = boxes[a]
            assert box["width"] > 0 and _boxes_overlap(box, boxes["map"]), a
            for b in controls[i + 1:]:
                assert not _boxes_overlap(box, boxes[b]), (a, b)
        if viewport[0] < 800:  # phone: stacked, legend and filters folded
            assert boxes["panel"]["y"] >= boxes["map"]["y"] + boxes["map"]["height"] - 1
            assert p.locator("#geo-legend").get_attribute("open") is None
            assert p.locator("#geo-filters").get_attribute("open") is None
        p.locator("#geo-place-list .geo-row").first.click()
        page.popup_title()
        popup = p.locator(".leaflet-popup").bounding_box()
        for name in ("zoom", "layers"):
            assert not _boxes_overlap(popup, boxes[name]), name
        page.check_clean()
    finally:
        p.close()


def test_empty_map_loads_with_a_message(browser, tmp_path):
    empty = mentions_frame([], [])
    path = write_map(make_map(empty, places_frame(empty), {"d1": "Nothing here."}), tmp_path / "empty.html")
    page = OfflinePage(browser, path, viewport=(900, 600))
    try:
        page.page.wait_for_selector(".geo-notice")
        assert "No places" in page.page.locator(".geo-notice").inner_text()
        assert page.page.locator(".geo-place").count() == 0
        page.check_clean()
    finally:
        page.page.close()


def test_many_documents_page_their_lists_and_cluster(browser, tmp_path):
    """1,500 documents: the lists draw a page at a time and markers cluster."""
    import random

    rng = random.Random(1)
    towns = [Place(f"t:{i}", f"Town {i}", Kind.CITY, rng.uniform(25, 48), rng.uniform(-120, -70), "US")
             for i in range(400)]
    docs, resolutions = [], []
    for d in range(1500):
        picks = rng.sample(towns, 4)
        text = " and ".join(t.name for t in picks) + "."
        doc = Document(f"n{d}", text)
        docs.append(doc)
        pos = 0
        for t in picks:
            start = text.index(t.name, pos)
            pos = start + len(t.name)
            m = Mention(doc.id, start, pos, t.name)
            resolutions.append(Resolution(m, t, Kind.CITY, Precision.EXACT, rng.random()))
    mentions = mentions_frame(resolutions, docs)
    path = write_map(make_map(mentions, places_frame(mentions), {d.id: d.text for d in docs}, tiles=False),
                     tmp_path / "many.html")
    page = OfflinePage(browser, path)  # how fast it draws is measured in bench/speed.py, not here
    p = page.page
    try:
        p.wait_for_selector(".leaflet-marker-pane .geo-cluster")
        assert p.locator("#geo-place-list .geo-row").count() == 200  # a page of the 400 places
        assert p.locator("#geo-place-more").inner_text() == "Show 200 more of 200"
        p.locator("#geo-tab-docs").click()
        assert p.locator("#geo-doc-list .geo-row").count() == 100
        p.locator("#geo-doc-more").click()
        assert p.locator("#geo-doc-list .geo-row").count() == 200
        assert p.locator(".geo-text .geo-m").count() == 0  # no document text is drawn until one is chosen
        p.locator("#geo-doc-search").fill("n1499")
        p.locator("#geo-doc-list .geo-row").first.click()
        assert p.locator("#geo-doc-text .geo-m").count() == 4
        assert len(page.list_ids()) == 4
        page.check_clean()
    finally:
        p.close()


def test_large_texts_load_from_a_side_file(browser, tmp_path, monkeypatch, render_cache_dir):
    """Over the inline limit the texts live in map.texts.js; the page still shows them."""
    import geo.render as render
    from conftest import render_sample_frames

    monkeypatch.setattr(render, "TEXTS_INLINE_MAX", 10)
    mentions, places, documents = render_sample_frames()
    path = write_map(make_map(mentions, places, documents, title="Side texts"), tmp_path / "map.html")
    side = tmp_path / "map.texts.js"
    html = path.read_text(encoding="utf-8")
    assert side.is_file() and "Un grupo de 40 soldados" in side.read_text(encoding="utf-8")
    assert "Un grupo de 40 soldados" not in html and 'src="map.texts.js"' in html
    page = OfflinePage(browser, path, fragment="#doc=seed-a")
    p = page.page
    try:
        p.locator("#geo-view-text").wait_for(state="visible")
        assert p.locator("#geo-doc-text").inner_text().startswith("Un grupo de 40 soldados")
        assert p.locator("#geo-doc-text [data-place-id]").count() == 12
        page.check_clean()
    finally:
        p.close()
    # without the side file the page says where the text is instead of failing
    side.unlink()
    page = OfflinePage(browser, path, fragment="#doc=seed-a")
    try:
        page.page.locator("#geo-view-text").wait_for(state="visible")
        assert "map.texts.js" in page.page.locator("#geo-doc-text").inner_text()
    finally:
        page.page.close()


# --- places drawn as what they are (footprints) ----------------------------------

RIVER, RANGE, LAKE, COLORADO = "test:river:big-muddy", "test:range:high-range", "test:lake:round-lake", "gn:5417618"


@pytest.fixture
def land_page(browser, land_shapes, tmp_path):
    from conftest import land_sample_frames

    mentions, places, documents = land_sample_frames()
    path = write_map(make_map(mentions, places, documents, title="Land"), tmp_path / "map.html")
    page = OfflinePage(browser, path)
    yield page
    page.page.screenshot(path=str(tmp_path / "map.png"))
    page.page.close()


def click_shape(page: OfflinePage, place_id: str, points) -> None:
    """Click the place's line or area at the first of ``points`` (lat, lon) where it is on top."""
    for lat, lon in points:
        xy = page.page.evaluate("([lat, lon]) => geoMap.screenPoint(lat, lon)", [lat, lon])
        hit = page.page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y);"
                                 " return e && e.getAttribute('data-place-id'); }", [xy["x"], xy["y"]])
        if hit == place_id:
            page.page.mouse.click(xy["x"], xy["y"])
            return
    raise AssertionError(f"{place_id} is not on top at any of {points}")


def test_a_river_is_a_line_and_a_state_an_outline_each_opening_its_popup(land_page):
    page = land_page
    p = page.page
    assert page.shape_ids() == {RIVER, RANGE, LAKE, COLORADO}
    assert page.marker_ids() == {"gn:5419384"}  # Denver, a town: a point
    assert p.locator(f'.leaflet-overlay-pane path.geo-shape-line[data-place-id="{RIVER}"]').count() == 1
    for area in (RANGE, LAKE, COLORADO):
        assert p.locator(f'.leaflet-overlay-pane path.geo-shape-area[data-place-id="{area}"]').count() == 1
    # where the state and the (larger) range overlap, the smaller area is on top, whichever came first
    click_shape(page, COLORADO, [(39.5, -106.0), (38.5, -106.5), (40.5, -105.5)])
    assert page.popup_title() == "Colorado"
    p.keyboard.press("Escape")
    p.locator(".leaflet-popup").wait_for(state="detached")
    # a county fallback's small circle inside the range is on top of it too
    xy = p.evaluate("() => geoMap.screenPoint(43.9, -110.6)")
    assert p.evaluate("([x, y]) => document.elementFromPoint(x, y).hasAttribute('data-unit')", [xy["x"], xy["y"]])
    # a vertex of the river; points of Colorado outside the range and away from Denver's label
    for place_id, name, points, drawn in [
        (RIVER, "Big Muddy River", [(38.6, -90.2), (36.5, -89.5), (33.0, -91.1)], "its line"),
        (COLORADO, "Colorado", [(37.3, -102.4), (40.8, -102.4), (37.2, -103.5), (40.9, -108.8)], "outline"),
        (RANGE, "High Range", [(44.0, -110.0), (46.5, -112.0)], "area"),
    ]:
        click_shape(page, place_id, points)
        assert page.popup_title() == name
        content = p.locator(".leaflet-popup-content .geo-popup").last
        assert content.get_attribute("data-place-id") == place_id and drawn in content.inner_text()
        assert p.locator(f".geo-text .geo-active[data-place-id=\"{place_id}\"]").count() == 1  # its mention lit
        p.keyboard.press("Escape")
        p.locator(".leaflet-popup").wait_for(state="detached")
    # the mentions in the text open them the same way
    for place_id, name in [(RIVER, "Big Muddy River"), (COLORADO, "Colorado")]:
        page.open_popup_from_text(place_id)
        assert page.popup_title() == name
        p.keyboard.press("Escape")
        p.locator(".leaflet-popup").wait_for(state="detached")
    # the filters hide and show lines and areas like markers
    p.locator("input[name=kind][value=feature]").uncheck()
    assert page.shape_ids() == {COLORADO}
    p.locator("input[name=kind][value=feature]").check()
    assert page.shape_ids() == {RIVER, RANGE, LAKE, COLORADO}
    page.check_clean()


def test_offline_base_shows_states_rivers_and_lakes(land_page):
    page = land_page
    p = page.page
    land = p.locator(".leaflet-geo-land-pane path")
    assert land.count() > 250  # countries and the United States' states
    # the major water of the shapes file is in the base too (the minor creek is not)
    layers = p.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Major rivers and lakes (offline)" in layers and "States and provinces (offline)" in layers
    # hiding the shapes layer hides the river
    p.locator(".leaflet-control-layers").hover()
    p.get_by_label("Rivers, lakes, ranges, states (drawn as they are)").uncheck()
    assert p.locator(f'path[data-place-id="{RIVER}"]').count() == 0
    page.check_clean()


def test_the_seed_map_draws_mississippi_as_its_outline(browser, tmp_path):
    from geo.cli import main

    out = tmp_path / "seed"
    assert main(["map", str(Path(__file__).resolve().parent.parent / "seeds"), "-o", str(out), "--no-progress"]) == 0
    page = OfflinePage(browser, out / "map.html")
    p = page.page
    try:
        assert MISSISSIPPI in page.shape_ids()
        assert p.locator(f'path.geo-shape-area[data-place-id="{MISSISSIPPI}"]').count() == 1
        assert p.locator("path.geo-area[data-unit]").count() == 1  # Camp Shelby: Mississippi's outline, dashed
        assert "4 4" in p.locator("path.geo-area[data-unit]").get_attribute("stroke-dasharray")
        # Mississippi and the place that fell back to it share the outline: a click offers both
        xy = p.evaluate("() => geoMap.screenPoint(32.30, -90.18)")  # Jackson
        p.mouse.click(xy["x"], xy["y"])
        assert page.popup_title() == "Mississippi"
        p.locator(f'.leaflet-popup-content .geo-unit-place[data-place-id="{SHELBY}"]').click()
        assert page.popup_title() == "Camp Shelby"
        assert "somewhere in Mississippi" in p.locator(".leaflet-popup-content").last.inner_text()
        page.check_clean()
    finally:
        p.close()
