"""Time and stories on the map, in headless Chromium: range filter, #from=&to=, stories view, safe links."""
from __future__ import annotations

import json

import pytest
from test_browser import OfflinePage

from geo.cli import main

pytestmark = pytest.mark.usefixtures("render_cache_dir")

STORIES = [
    {"id": "jan", "lang": "en", "date": "2026-01-10", "title": "Snow in Denver", "source": "Mountain Post",
     "url": "https://post.example/snow", "text": "Snow closed roads in Denver on Saturday. Denver schools shut."},
    {"id": "feb", "lang": "en", "date": "February 14, 2026", "title": "Dry spell in Tucson", "source": "Desert Daily",
     "url": "javascript:alert(document.cookie)", "text": "Tucson saw no rain for a month. Tucson farmers worry."},
    {"id": "mar", "lang": "es", "date": "20 de marzo de 2026", "title": "Lluvias en Oaxaca", "source": "Diario Sur",
     "url": "http://sur.example/lluvias", "text": "Las lluvias inundaron calles de Oaxaca. Oaxaca abrió albergues."},
    {"id": "undated", "lang": "en", "title": "A note on Boise <img src=x onerror=window.__pwned=1>",
     "source": "<b>Boise</b> & Co", "url": "https://boise.example/a?x=1&y=<2>",
     "text": "Boise opened a new library."},
]


@pytest.fixture(scope="module")
def story_map(tmp_path_factory, render_cache_dir):
    tmp = tmp_path_factory.mktemp("time-map")
    path = tmp / "in.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    assert main(["map", str(path), "-o", str(tmp / "out"), "--no-progress"]) == 0
    return tmp / "out" / "map.html"


def drawn(page) -> set[str]:
    """Places on the map: markers (alone or in clusters) and places drawn as their line or area."""
    return page.marker_ids() | set(page.page.evaluate("geoMap.shapedPlaces()"))


def shown_docs(page) -> list[str]:
    return page.page.eval_on_selector_all("#geo-doc-list .geo-docrow", "els => els.map(e => e.dataset.docId)")


def test_range_control_hides_documents_and_markers_and_restores_them(browser, story_map):
    page = OfflinePage(browser, story_map)
    p = page.page
    assert p.locator("#geo-hist .geo-bar").count() >= 3
    assert "4 documents" in p.locator("#geo-summary").inner_text()
    p.locator("#geo-tab-docs").click()
    assert shown_docs(page) == ["jan", "feb", "mar", "undated"]
    before = drawn(page)
    # the 'from' handle to the last bin: only March (and the undated note) stay
    last = p.locator("#geo-time-from").get_attribute("max")
    p.locator("#geo-time-from").fill(last)
    p.wait_for_function("() => !document.querySelector('#geo-doc-list [data-doc-id=jan]')")
    assert shown_docs(page) == ["mar", "undated"]
    assert "2 of 4 documents" in p.locator("#geo-summary").inner_text()
    names = set(p.eval_on_selector_all("#geo-place-list .geo-row-name", "els => els.map(e => e.textContent)"))
    assert "Denver" not in names and "Tucson" not in names and "Oaxaca" in names
    after = drawn(page)
    assert after < before and len(after) == 2
    assert "from=2026-03-" in p.evaluate("location.hash")
    # undated documents hide only when asked
    p.locator("#geo-undated").uncheck()
    assert shown_docs(page) == ["mar"]
    p.locator("#geo-reset").click()
    assert shown_docs(page) == ["jan", "feb", "mar", "undated"]
    assert drawn(page) == before
    assert "4 documents" in p.locator("#geo-summary").inner_text()
    assert page.errors == []


def test_hash_opens_the_page_on_a_range(browser, story_map):
    page = OfflinePage(browser, story_map, fragment="#from=2026-02-01&to=2026-02-28")
    p = page.page
    p.locator("#geo-tab-docs").click()
    assert shown_docs(page) == ["feb", "undated"]
    assert "2026-02-01 – 2026-02-28" in p.locator("#geo-time-range").inner_text()
    assert len(drawn(page)) == 2  # Tucson, Boise
    assert page.errors == []


def test_stories_view_one_marker_per_document_with_a_focus_and_safe_links(browser, story_map):
    page = OfflinePage(browser, story_map)
    p = page.page
    p.locator("#geo-viewswitch input[value=stories]").check()
    assert sorted(p.evaluate("geoMap.storyDocs()")) == ["feb", "jan", "mar", "undated"]
    assert drawn(page) == set()  # the places are off in this view
    p.evaluate("geoMap.setView('places'); geoMap.setView('stories')")

    def popup(doc_id):
        p.evaluate("""id => {
            const m = document.querySelector('.geo-story[data-doc-id="' + id + '"]');
            if (m) m.click();
        }""", doc_id)
        box = p.locator(f'.geo-story-popup[data-doc-id="{doc_id}"]')
        box.wait_for(state="visible", timeout=5000)
        return box

    p.evaluate("geoMap.setRange('2026-01-01', '2026-01-31')")
    assert sorted(p.evaluate("geoMap.storyDocs()")) == ["jan", "undated"]
    box = popup("jan")
    assert box.locator("h3").inner_text() == "Snow in Denver"
    assert "2026-01-10 · Mountain Post" in box.inner_text() and "Snow closed roads" in box.inner_text()
    link = box.locator("a.geo-story-link")
    assert link.get_attribute("href") == "https://post.example/snow"
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    p.evaluate("geoMap.setRange('2026-02-01', '2026-02-28')")
    box = popup("feb")
    assert box.locator("a").count() == 0  # the javascript: URL is no link
    assert "javascript" not in p.content()
    # titles, outlets and URLs are text, never markup
    box = popup("undated")
    assert box.locator("h3").inner_text() == "A note on Boise <img src=x onerror=window.__pwned=1>"
    assert box.locator("img, b").count() == 0 and "<b>Boise</b> & Co" in box.inner_text()
    assert box.locator("a.geo-story-link").get_attribute("href") == "https://boise.example/a?x=1&y=<2>"
    p.locator("#geo-tab-docs").click()
    assert p.evaluate("window.__pwned") is None
    assert page.errors == []


def test_place_popup_has_a_time_strip_and_the_documents_list_shows_title_date_source(browser, story_map):
    page = OfflinePage(browser, story_map)
    p = page.page
    p.locator("#geo-tab-docs").click()
    row = p.locator('#geo-doc-list [data-doc-id="jan"]')
    assert "Snow in Denver" in row.inner_text() and "2026-01-10 · Mountain Post" in row.inner_text()
    p.locator("#geo-tab-places").click()
    p.locator('#geo-place-list .geo-row:has-text("Denver")').first.click()
    page.popup_title()
    strip = p.locator(".leaflet-popup-content .geo-strip")
    assert strip.count() == 1 and strip.locator(".geo-strip-bar").count() >= 3
    assert page.errors == []


def test_hash_opens_the_stories_view_on_a_range(browser, story_map):
    page = OfflinePage(browser, story_map, fragment="#view=stories&from=2026-01-01&to=2026-01-31")
    assert sorted(page.page.evaluate("geoMap.storyDocs()")) == ["jan", "undated"]
    assert page.page.locator("#geo-viewswitch input[value=stories]").is_checked()
    assert page.errors == []
