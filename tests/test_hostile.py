"""Hostile text: payloads in documents, gazetteer layer names, ids and the title never run in the map,
and random Unicode never breaks recognition or resolution.

The browser half renders the payloads in headless Chromium (as tests/test_browser.py does, offline)
and asserts that the flag every payload would set stays unset, that nothing was loaded that the
page did not ship, and that the page logs no errors.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.frames import mentions_frame, places_frame
from geo.geocoders import EmbeddedGeocoder
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.render import make_map, write_map

TILE_PREFIX = "https://tile.openstreetmap.org/"

# Each payload, if it ran, would set window.__pwned to its own label.
PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "\"><img src=x onerror=\"window.__pwned='img'\">",
    "'><svg onload=\"window.__pwned='svg'\"></svg>",
    "<a href=\"javascript:window.__pwned='js-link'\">click me</a>",
    "javascript:window.__pwned='bare-js'",
    "</script><script>window.__pwned='close-script'</script>",
    "</title></textarea></style></noscript><img src=x onerror=window.__pwned='breakout'>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<details open ontoggle=\"window.__pwned='details'\">",
    "<math><mi xlink:href=\"javascript:window.__pwned='math'\">x</mi></math>",
    "{{ 7*7 }} {% raw %} ${window.__pwned='template'} `${window.__pwned='backtick'}`",
    "');window.__pwned='quote-break';('",
    "<!-- a comment --> <![CDATA[ x ]]> &lt;already-escaped&gt; &amp; &#60;script&#62;",
    "<style>body{display:none}</style><meta http-equiv=refresh content=\"0;url=javascript:window.__pwned='meta'\">",
    "\u202eevil\u202c \u2066isolated\u2069 \u200fRLM \u061c ALM",
    "line\u2028separator\u2029paragraph",
]
HOSTILE_TEXT = (
    "Llegaron a Camp Shelby, Misisipi, desde México. " + " ".join(PAYLOADS[:6]) + "\n\n"
    "Después fueron a Fort Hostile y a Camp Nada, Hostilandia. " + " ".join(PAYLOADS[6:]) + "\n\n"
    "Breaking: troops from Mexico reached Hattiesburg. </script><script>window.__pwned='end'</script>"
)
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned='layer-name'\">Fort"
HOSTILE_STATE = "<b onmouseover=\"window.__pwned='layer-admin1'\">Hostilandia</b>"
HOSTILE_ID = "doc \"><img src=x onerror=\"window.__pwned='doc-id'\"> \u202e"




class WatchedPage:
    """A map page offline, recording every request, dialog, error and console error."""

    def __init__(self, browser, path: Path):
        self.path = path
        self.page = browser.new_page(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
                     and self.errors.append(f"console error: {m.text}"))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.L && window.geoMap && geoMap.idle()")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url == self.path.as_uri() or url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    def exercise(self):
        """Show every document, open every place's popup, hover every marker, area and label."""
        p = self.page
        data = p.evaluate("() => geoMap.shownPlaces()")
        for place_id in data:
            assert p.evaluate("id => geoMap.focusPlace(id)", place_id)
            p.wait_for_timeout(50)
            p.wait_for_function("() => geoMap.idle()", timeout=5000)
        ids = p.evaluate("() => Array.from(document.querySelectorAll('[data-doc-id]'), e => e.dataset.docId)")
        for doc_id in ids:
            p.evaluate("id => geoMap.showDoc(id)", doc_id)
        for selector in (".leaflet-marker-pane .geo-place", ".leaflet-overlay-pane path", ".geo-text [data-place-id]",
                         ".geo-row"):
            for handle in p.query_selector_all(selector)[:40]:
                try:
                    handle.hover(force=True, timeout=1000)
                except Exception:  # noqa: BLE001 - hidden or moved away; the next one will do
                    pass
        p.wait_for_timeout(200)
        return data

    def check_nothing_ran(self):
        assert self.page.evaluate("() => window.__pwned") is None, "a payload ran"
        assert self.dialogs == []
        assert self.errors == [], "\n".join(self.errors)
        injected = [u for u in self.requests if u != self.path.as_uri() and not u.startswith(("data:", TILE_PREFIX))]
        assert injected == [], f"the page loaded what it did not ship: {injected[:5]}"


def hostile_inputs(tmp_path: Path) -> tuple[Path, Path]:
    layer = tmp_path / "hostile.csv"
    rows = [
        ["name", "lat", "lon", "kind", "country_code", "admin1", "alt_names"],
        [HOSTILE_NAME, "31.5", "-89.5", "feature", "US", "MS", "Fort Hostile"],
        [HOSTILE_STATE, "40.0", "-100.0", "admin1", "US", "ZZ", "Hostilandia"],
    ]
    import csv

    with open(layer, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    docs = tmp_path / "hostile.jsonl"
    lines = [{"id": HOSTILE_ID, "text": HOSTILE_TEXT},
             {"id": "</script><script>window.__pwned='id-2'</script>", "text": " ".join(PAYLOADS) + " Lima, Perú."}]
    docs.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return docs, layer


@pytest.mark.usefixtures("render_cache_dir")
def test_payloads_from_documents_layers_ids_and_title_never_run(browser, tmp_path):
    docs, layer = hostile_inputs(tmp_path)
    out = tmp_path / "out"
    title = "<script>window.__pwned='title'</script>\u202e"
    assert main(["map", str(docs), "-o", str(out), "--gazetteer", str(layer), "--title", title,
                 "--no-progress"]) == 0
    html = (out / "map.html").read_text(encoding="utf-8")
    for payload in PAYLOADS:  # none reaches the page as markup
        assert payload not in html
    assert "window.__pwned='script'</script>" not in html
    page = WatchedPage(browser, out / "map.html")
    try:
        p = page.page
        # shown, as text, where they would have run: the labels, a popup, the document panel
        labels = p.eval_on_selector_all(".geo-label", "els => els.map(e => e.textContent)")
        assert any(label.startswith((HOSTILE_NAME, HOSTILE_STATE)) for label in labels)
        places = page.exercise()
        assert len(places) == 9  # the layer's hostile feature and state are on the map
        fort = next(pid for pid in places if pid.endswith("-fort"))
        p.evaluate("id => geoMap.focusPlace(id)", fort)
        heading = p.locator(".leaflet-popup-content h3").last
        heading.wait_for(state="visible", timeout=5000)
        assert heading.text_content() == HOSTILE_NAME
        p.evaluate("id => geoMap.showDoc(id)", HOSTILE_ID)
        shown = p.locator(".geo-text").first.text_content()
        assert "window.__pwned='script'</script> \"><img src=x" in shown
        assert "{{ 7*7 }} {% raw %} ${window" in shown  # not run as a (Jinja or JS) template either
        page.check_nothing_ran()
    finally:
        page.page.screenshot(path=str(tmp_path / "hostile.png"))
        page.page.close()


@pytest.mark.usefixtures("render_cache_dir")
def test_hostile_place_ids_names_and_kinds_in_hand_made_frames(browser, tmp_path):
    """Fields the pipeline never produces hostile (place ids, country codes) but a notebook user might."""
    bad = "\"><img src=x onerror=\"window.__pwned='frame'\">"
    text = f"From {bad} to Lima and {PAYLOADS[0]} and back. {PAYLOADS[5]}"
    doc = Document(f"id{bad}", text, "en")
    lima = text.index("Lima")
    start = text.index(bad)
    exact = Place(f"x:{bad}", f"Lima {bad}", Kind.CITY, -12.05, -77.04, "PE", f"LIM{bad}", layer=bad)
    state = Place(f"y:{bad}", f"State {bad}", Kind.ADMIN1, 10.0, 10.0, bad, bad, layer=bad)
    resolutions = [
        Resolution(Mention(doc.id, start, start + len(bad), bad), exact, Kind.CITY, Precision.EXACT, 0.9),
        Resolution(Mention(doc.id, lima, lima + 4, "Lima"), state, Kind.FEATURE, Precision.ADMIN1, 0.5),
    ]
    mentions = mentions_frame(resolutions, [doc])
    path = write_map(make_map(mentions, places_frame(mentions), {doc.id: doc.text}, title=bad), tmp_path / "m.html")
    page = WatchedPage(browser, path)
    try:
        page.exercise()
        page.check_nothing_ran()
    finally:
        page.page.close()


# -- random Unicode through recognition and resolution ---------------------------------------------

PLACE_WORDS = ["México", "Camp Shelby", "Misisipi", "EE.UU.", "Ciudad de México", "Río Bravo", "Texas", "Lima",
               "Paris, Texas", "Hattiesburg", "mexicanos", "estadounidenses", "U.S.", "Nueva York", "Perú"]
JOINERS = [", ", " ", "\n", "\n\n", ". ", " de ", " y ", "\u202e", "\u200f", "\u0301", "'s ", "’", "-", "\t", "\x00",
           "\ufeff", "\u2028", "🇲🇽", "İ", "ß", "ﬁ"]
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
MIXED = st.lists(st.one_of(st.sampled_from(PLACE_WORDS), st.sampled_from(JOINERS), UNICODE), max_size=25).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(MIXED, UNICODE), lang=st.sampled_from([None, "es", "en", "xx"]))
def test_random_text_resolves_without_error_and_spans_match(geoparser, text, lang):
    resolutions = geoparser.parse(Document("h", text, lang))
    for r in resolutions:
        m = r.mention
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert 0.0 <= r.confidence <= 1.0
        assert (r.place is None) == (r.precision == Precision.UNRESOLVED)
    starts = [r.mention.start for r in resolutions]
    assert starts == sorted(starts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=6), text=MIXED)
def test_random_given_spans_resolve_without_error(geoparser, text, spans):
    spans = sorted({(s, min(s + n, len(text))) for s, n in spans if s < len(text)})
    resolutions = geoparser.parse(Document("h", text, "es"), spans)
    assert [(r.mention.start, r.mention.end) for r in resolutions] == spans
    assert all(text[r.mention.start:r.mention.end] == r.mention.surface for r in resolutions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(MIXED, UNICODE))
def test_random_queries_to_the_embedded_geocoder_never_raise(gazetteer, query):
    found = EmbeddedGeocoder(gazetteer).geocode(query)
    assert found is None or (-90 <= found.latitude <= 90 and -180 <= found.longitude <= 180)


# -- corrections in the map (issue 14): hostile names in popups, the pending list, the CSV, storage --

@pytest.mark.usefixtures("render_cache_dir")
def test_hostile_names_through_corrections_never_run_and_formulas_are_escaped(browser, tmp_path):
    import csv
    import io

    bad = "\"><img src=x onerror=\"window.__pwned='fix'\">"
    formula = "=HYPERLINK(\"http://x.invalid\")Town"
    text = f"Desde {formula} llegaron a Lima y a {PAYLOADS[0]} ayer."
    doc = Document(f"@doc{bad}", text, "es")
    first = text.index(formula)
    lima = text.index("Lima")
    town = Place("x:town", "Town", Kind.CITY, 10.0, 10.0, "PE")
    hostile_alt = Place(f"gn:1{bad}", f"+{bad}", Kind.CITY, 12.0, 12.0, bad[:2])
    peru_lima = Place("x:lima", f"Lima {bad}", Kind.CITY, -12.05, -77.04, "PE")
    resolutions = [
        Resolution(Mention(doc.id, first, first + len(formula), formula), town, Kind.CITY, Precision.EXACT, 0.6,
                   (hostile_alt,), (0.3,), f"evidence {bad}"),
        Resolution(Mention(doc.id, lima, lima + 4, "Lima"), peru_lima, Kind.CITY, Precision.EXACT, 0.9),
    ]
    mentions = mentions_frame(resolutions, [doc])
    path = write_map(make_map(mentions, places_frame(mentions), {doc.id: doc.text}), tmp_path / "m.html")
    page = WatchedPage(browser, path)
    try:
        p = page.page

        def popup_of(place_id):
            p.evaluate("id => geoMap.focusPlace(id)", place_id)
            box = p.locator(".leaflet-popup-content").last
            box.locator("h3").wait_for(state="visible", timeout=5000)
            box.locator(".geo-wrong summary").click()
            return box

        box = popup_of("x:town")
        assert box.locator(".geo-alt-list li").first.text_content().startswith(f"+{bad}")
        assert f"evidence {bad}" in box.locator(".geo-facts").text_content()
        box.locator(".geo-fix-scope").select_option("0")  # only in this (hostile) document
        box.locator(".geo-fix-choose").first.click()
        p.wait_for_function("() => geoMap.corrections().length === 1")
        p.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5000)
        popup_of("x:lima").locator(".geo-fix-not").click()
        p.wait_for_function("() => geoMap.corrections().length === 2")
        p.click("#geo-fixes summary")
        assert f"+{bad}" in p.locator("#geo-fix-list").text_content()
        rows = list(csv.reader(io.StringIO(p.evaluate("() => geoMap.correctionsCsv()"))))
        assert rows[1][:5] == ["'" + formula, "'@doc" + bad, "choose", f"gn:1{bad}", f"'+{bad}"]
        assert rows[2][:3] == ["Lima", "", "not_a_place"]
        page.exercise()
        page.check_nothing_ran()

        # what the page kept for a reload, poisoned: read as data (or dropped), never run
        key = p.evaluate("() => Object.keys(localStorage).find(k => k.startsWith('geo-corrections:'))")
        poisoned = [{"surface": bad, "action": "place", "lat": 1, "lon": 2, "name": PAYLOADS[0], "doc_id": bad},
                    {"surface": "Lima", "action": "choose", "gazetteer_id": bad, "lat": "x", "lon": 3},
                    {"surface": {"toString": bad}, "action": "not_a_place"}, "<script>", None, 7]
        p.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(poisoned)])
        p.reload()
        p.wait_for_function("() => window.geoMap && geoMap.idle()")
        assert p.evaluate("() => geoMap.corrections().length") == 1
        p.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, "{not json"])
        p.reload()
        p.wait_for_function("() => window.geoMap && geoMap.idle()")
        assert p.evaluate("() => geoMap.corrections().length") == 0
        page.check_nothing_ran()
    finally:
        page.page.close()
