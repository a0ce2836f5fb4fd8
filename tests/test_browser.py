"""The written map in headless Chromium, offline: it must draw and respond.

Fails (never skips) when Chromium is missing: run `make test`, which installs it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from geo.frames import mentions_frame, places_frame
from geo.render import make_map, write_map

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TILE_URL = re.compile(r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$")

pytestmark = pytest.mark.usefixtures("render_cache_dir")


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page whose every non-file request is aborted and recorded, with its errors."""

    def __init__(self, browser, path: Path, viewport=(1280, 800)):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.errors: list[str] = []
        self.aborted: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.L && window.geoMap")

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

    def open_popup_from_text(self, place_id: str):
        """Click the place's first mention in the text; wait for its popup and a still map."""
        self.page.locator(f'.geo-text [data-place-id="{place_id}"]').first.click()
        self.page.locator(".leaflet-popup-content h3").wait_for(state="visible", timeout=5000)
        self.page.wait_for_function("() => geoMap.idle()", timeout=5000)
        return self.page.locator(".leaflet-popup-content")

    def check_clean(self):
        assert not self.errors, "\n".join(self.errors)
        others = [u for u in self.aborted if not TILE_URL.match(u)]
        assert not others, f"the page tried to reach the network: {others[:5]}"


@pytest.fixture
def sample_page(browser, render_sample, tmp_path):
    mentions, places, documents = render_sample
    path = write_map(make_map(mentions, places, documents, title="Browser test"), tmp_path / "map.html")
    page = OfflinePage(browser, path)
    yield page, mentions, places
    page.page.screenshot(path=str(tmp_path / "map.png"))
    page.page.close()


def test_map_draws_offline_without_errors(sample_page):
    page, mentions, places = sample_page
    p = page.page
    p.wait_for_selector(".leaflet-pane .geo-place")
    marker_ids = p.eval_on_selector_all(".leaflet-pane .geo-place", "els => els.map(e => e.getAttribute('data-place-id'))")
    assert len(marker_ids) == len(places)
    assert sorted(marker_ids) == sorted(places["place_id"])
    # the land is drawn from the inlined outlines even though no tile loaded
    assert p.locator(".leaflet-geo-land-pane path").count() > 200
    assert p.locator(".leaflet-control-layers").count() == 1
    assert p.locator(".leaflet-control-container .geo-legend").is_visible()
    page.check_clean()
    assert any(TILE_URL.match(u) for u in page.aborted)  # the tile layer did try


def test_text_panel_has_a_span_per_resolved_mention(sample_page):
    page, mentions, places = sample_page
    spans = page.page.eval_on_selector_all(
        ".geo-panel .geo-text [data-place-id]", "els => els.map(e => [e.id, e.getAttribute('data-place-id')])"
    )
    resolved = mentions[mentions["place_id"].notna()]
    assert len(spans) == len(resolved)
    assert {pid for _, pid in spans} == set(places["place_id"])
    assert all(span_id for span_id, _ in spans)
    assert page.page.locator(".geo-text").first.inner_text().startswith("Un grupo de 40 soldados")
    page.check_clean()


@pytest.mark.parametrize(
    "place_id", ["gn:4428667", "gn:4436296/camp-shelby", "iso:CU", "csv:obrien"]
)
def test_clicking_a_mention_opens_its_popup(sample_page, place_id):
    page, mentions, places = sample_page
    p = page.page
    name = places.loc[places["place_id"] == place_id, "name"].item()
    popup = page.open_popup_from_text(place_id)
    assert popup.locator("h3").inner_text() == name  # O'Brien <b>Town</b> shows as text, not markup
    content = popup.inner_text()
    if place_id.endswith("/camp-shelby"):
        assert "approximate (admin1 fallback)" in content
    assert p.locator(f'.geo-text .geo-active[data-place-id="{place_id}"]').count() >= 1
    page.check_clean()


def test_popup_link_jumps_to_the_text(sample_page):
    page, _, _ = sample_page
    p = page.page
    link = page.open_popup_from_text("iso:MX").locator("a.geo-jump").last
    target_id = link.get_attribute("href")[1:]
    link.click()
    p.wait_for_function("id => document.getElementById(id).classList.contains('geo-flash')", arg=target_id)
    page.check_clean()


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


def test_keyboard_enter_on_a_mention_opens_its_popup(sample_page):
    page, _, _ = sample_page
    p = page.page
    p.locator('.geo-text [data-place-id="gn:3530597"]').first.focus()
    p.keyboard.press("Enter")
    heading = p.locator(".leaflet-popup-content h3")
    heading.wait_for(state="visible", timeout=5000)
    assert heading.inner_text() == "Ciudad de México"
    page.check_clean()
