"""Corrections on the map, in headless Chromium, as a reader makes them (issue 14), and the
popup's "Why here?" and "Other candidates" (issue 13).

The round trip: open a map `geo map` wrote, fix three things from popups and the panel,
download corrections.csv (a real download), rerun `geo map --corrections` with it and
find the three fixes in the new mentions.parquet and the new map.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.frames import mentions_frame, places_frame
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.render import make_map, write_map
from test_browser import OfflinePage

GEORGIA_US, GEORGIA_GE, SAVANNAH, ATLANTA = "gn:4197000", "gn:614540", "gn:4221552", "gn:4180439"
DOCS = [
    {"id": "farm", "text": "Peaches from Georgia reached Atlanta and Savannah on Monday."},
    {"id": "drill", "text": "The soldiers trained at Fort Quexley before the long drill."},
]

pytestmark = pytest.mark.usefixtures("render_cache_dir")


@pytest.fixture
def first_run(tmp_path, cli_cache):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    assert main(["map", str(docs), "-o", str(tmp_path / "first"), "--no-progress"]) == 0
    return docs, tmp_path / "first"


def open_popup_from_list(page: OfflinePage, place_id: str):
    page.page.click(f'#geo-place-list .geo-row[data-place-id="{place_id}"]')
    page.popup_title()
    return page.page.locator(".leaflet-popup-content").last


def shown(page: OfflinePage) -> set[str]:
    """Places with a marker on the map (in view or not) or an area."""
    return set(page.page.evaluate("() => geoMap.shownPlaces()"))


def wait_popup_gone(page: OfflinePage):
    page.page.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5000)


def click_on_map(page: OfflinePage, x_share: float = 0.5, y: int = 120):
    box = page.page.locator(".folium-map").first.bounding_box()
    page.page.mouse.click(box["x"] + box["width"] * x_share, box["y"] + y)


def test_the_whole_round_trip_as_a_reader_makes_it(browser, first_run, tmp_path):
    docs, first = first_run
    page = OfflinePage(browser, first / "map.html")
    p = page.page
    assert {GEORGIA_US, SAVANNAH, ATLANTA} <= shown(page)

    # 1. Georgia is the US state here; its popup says what else it could be: the country, with its country
    popup = open_popup_from_list(page, GEORGIA_US)
    candidates = popup.locator(".geo-alt-list li")
    assert candidates.count() >= 1
    assert candidates.first.get_attribute("data-gid") == GEORGIA_GE
    assert candidates.first.inner_text() == "Georgia · country, Georgia"
    popup.locator(".geo-wrong summary").click()
    popup.locator(f'.geo-fix-choose[data-gid="{GEORGIA_GE}"]').click()
    p.wait_for_function(f"() => geoMap.shownPlaces().includes('{GEORGIA_GE}')")
    assert GEORGIA_US not in shown(page)  # the marker moved
    wait_popup_gone(page)

    # 2. Savannah is not a place here
    popup = open_popup_from_list(page, SAVANNAH)
    popup.locator(".geo-wrong summary").click()
    popup.locator(".geo-fix-not").click()
    p.wait_for_function(f"() => !geoMap.shownPlaces().includes('{SAVANNAH}')")
    assert SAVANNAH not in shown(page) and SAVANNAH not in page.marker_ids()
    wait_popup_gone(page)
    # the text's highlighting follows: struck through, no longer a link to the map
    p.evaluate("() => geoMap.showDoc('farm')")
    savannah = p.locator(".geo-text .geo-m", has_text="Savannah")
    assert "geo-m-notplace" in savannah.get_attribute("class")
    assert p.locator(f'.geo-text [data-place-id="{GEORGIA_GE}"]').count() == 1

    p.click("#geo-doc-close")  # back to every document
    # 3. Fort Quexley was found but not placed: the panel lists it; set its point on the map
    p.click("#geo-fixes summary")
    unplaced = p.locator("#geo-unplaced-list li", has_text="Fort Quexley")
    unplaced.wait_for(state="visible", timeout=5000)  # the list is drawn when the panel opens
    assert unplaced.count() == 1
    unplaced.locator(".geo-fix-point").click()
    assert p.locator(".geo-pick-note").is_visible()
    wait_popup_gone(page)
    click_on_map(page)
    p.wait_for_function("() => geoMap.corrections().length === 3")
    assert p.locator("#geo-fixes-n").inner_text() == "3"
    fixes = p.evaluate("() => geoMap.corrections()")
    fort = fixes[2]
    assert (fort["surface"], fort["action"], fort["doc_id"]) == ("Fort Quexley", "place", "")
    fort_id = f"fix:fort-quexley:{fort['lat']:.5f}:{fort['lon']:.5f}"
    assert fort_id in shown(page)
    assert p.locator("#geo-unplaced-list li", has_text="Fort Quexley").count() == 0

    # a reload keeps the pending corrections (localStorage of this page only)
    p.reload()
    p.wait_for_function("() => window.geoMap && geoMap.idle()")
    assert p.locator("#geo-fixes-n").inner_text() == "3"
    assert shown(page) == {GEORGIA_GE, ATLANTA, fort_id}

    # 4. a real download of corrections.csv
    p.click("#geo-fixes summary")
    with p.expect_download() as info:
        p.click("#geo-fix-download")
    download = info.value
    assert download.suggested_filename == "corrections.csv"
    saved = tmp_path / "corrections.csv"
    download.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert [(r["surface"], r["action"], r["gazetteer_id"]) for r in rows] == [
        ("Georgia", "choose", GEORGIA_GE), ("Savannah", "not_a_place", ""), ("Fort Quexley", "place", "")]
    page.check_clean()
    p.close()

    # 5. rerun with it: the three changes are in the new frames and the new map
    second = tmp_path / "second"
    assert main(["map", str(docs), "-o", str(second), "--corrections", str(saved), "--no-progress"]) == 0
    mentions = pd.read_parquet(second / "mentions.parquet").set_index("surface")
    assert mentions.loc["Georgia", "gazetteer_id"] == GEORGIA_GE
    assert mentions.loc["Georgia", "precision"] == "exact" and mentions.loc["Georgia", "confidence"] == 1.0
    assert "Savannah" not in mentions.index
    assert mentions.loc["Fort Quexley", "place_id"] == fort_id
    assert mentions.loc["Fort Quexley", "evidence"] == "correction: corrections.csv line 4"
    again = OfflinePage(browser, second / "map.html")
    try:
        assert shown(again) == {GEORGIA_GE, ATLANTA, fort_id}
        assert again.page.locator("#geo-fixes-n").inner_text() == "0"  # a fresh list: nothing pending here
        again.page.evaluate("id => geoMap.focusPlace(id)", fort_id)
        again.popup_title()
        assert "exact" in again.page.locator(".leaflet-popup-content").last.inner_text()
        again.check_clean()
    finally:
        again.page.close()


def test_undo_and_document_scope(browser, first_run):
    _, first = first_run
    page = OfflinePage(browser, first / "map.html")
    p = page.page
    try:
        p.evaluate("() => geoMap.showDoc('farm')")
        popup = page.open_popup_from_text(ATLANTA)
        popup.locator(".geo-wrong summary").click()
        scope = popup.locator(".geo-fix-scope")
        assert scope.locator("option").all_inner_texts() == ["in every document", "only in farm"]
        scope.select_option("0")
        popup.locator(".geo-fix-not").click()
        p.wait_for_function(f"() => !geoMap.shownPlaces().includes('{ATLANTA}')")
        fixes = p.evaluate("() => geoMap.corrections()")
        assert [(f["surface"], f["doc_id"], f["action"]) for f in fixes] == [("Atlanta", "farm", "not_a_place")]
        assert p.evaluate("() => geoMap.correctionsCsv()").splitlines()[1] == "Atlanta,farm,not_a_place,,,,,,"
        p.click("#geo-fixes summary")
        assert p.locator("#geo-unplaced-scope option").all_inner_texts() == ["in every document", "only in farm"]
        p.click("#geo-fix-list .geo-fix-undo")
        p.wait_for_function(f"() => geoMap.shownPlaces().includes('{ATLANTA}')")
        assert p.locator("#geo-fixes-n").inner_text() == "0"
        assert p.locator(".geo-text .geo-m-notplace").count() == 0
        assert p.evaluate("() => geoMap.correctionsCsv()") == (
            "surface,doc_id,action,gazetteer_id,name,lat,lon,kind,country_code\n")
        page.check_clean()
    finally:
        p.close()


def test_popup_shows_why_here_and_other_candidates_with_their_countries(browser, tmp_path):
    text = "Llegaron a Córdoba y luego a Springfield."
    doc = Document("d1", text, "es")
    cordoba = Place("gn:3860259", "Córdoba", Kind.CITY, -31.41, -64.18, "AR", "05", 1400000)
    others = (Place("gn:2519240", "Córdoba", Kind.CITY, 37.88, -4.77, "ES", "AN", 300000),
              Place("gn:3530240", "Córdoba", Kind.CITY, 18.88, -96.93, "MX", "30", 140000))
    a = text.index("Córdoba")
    s = text.index("Springfield")
    resolutions = [
        Resolution(Mention("d1", a, a + 7, "Córdoba"), cordoba, Kind.CITY, Precision.EXACT, 0.7, others, (0.2, 0.1),
                   "population"),
        Resolution(Mention("d1", s, s + 11, "Springfield"), None, Kind.CITY, Precision.UNRESOLVED, 0.0),
    ]
    mentions = mentions_frame(resolutions, [doc])
    path = write_map(make_map(mentions, places_frame(mentions), {doc.id: text}), tmp_path / "map.html")
    page = OfflinePage(browser, path)
    try:
        popup = page.open_popup_from_text("gn:3860259")
        facts = popup.locator(".geo-facts").inner_text()
        assert "Why here?\npopulation" in facts
        assert popup.locator(".geo-alt-list li").all_inner_texts() == ["Córdoba · city, Spain", "Córdoba · city, Mexico"]
        popup.locator(".geo-wrong summary").click()
        assert popup.locator(".geo-fix-choose").all_inner_texts() == ["It is Córdoba, Spain", "It is Córdoba, Mexico"]
        page.check_clean()
    finally:
        page.page.close()


def test_the_sample_article_shows_camp_shelby_exactly_where_the_user_put_it(browser, tmp_path, cli_cache):
    root = Path(__file__).resolve().parent.parent
    fixes = tmp_path / "shelby.csv"
    fixes.write_text("surface,doc_id,action,gazetteer_id,name,lat,lon,kind,country_code\n"
                     "Camp Shelby,,place,,Camp Shelby,31.18,-89.19,feature,US\n", encoding="utf-8")
    assert main(["map", str(root / "seeds"), "-o", str(tmp_path / "out"), "--corrections", str(fixes),
                 "--no-progress"]) == 0
    page = OfflinePage(browser, tmp_path / "out" / "map.html")
    try:
        shelby = "fix:camp-shelby:31.18000:-89.19000"
        assert shelby in shown(page)
        popup = page.open_popup_from_text(shelby)  # the one document is shown at once
        facts = popup.locator(".geo-facts").inner_text()
        assert "Precision\nexact" in facts and "Why here?\ncorrection: shelby.csv line 2" in facts
        assert page.page.locator(f'.geo-place[data-place-id="{shelby}"]').count() == 1  # a point, not an area
        assert "exact (a point you set)" in facts
        page.check_clean()
    finally:
        page.page.close()
