"""Shared fixtures. Each block is owned by the module named in its comment."""
from __future__ import annotations

import pytest

# --- render (tests/test_render.py, tests/test_browser.py) -------------------

RENDER_DOC_A = (
    "Un grupo de 40 soldados del Ejército de México arribó esta semana a EE.UU. "
    "para un curso en Camp Shelby, Mississippi.\n\n"
    "Los militares mexicanos entrenarán cerca de Hattiesburg junto a soldados estadounidenses, "
    "según Milenio. Desde Ciudad de México, la Secretaría confirmó el viaje; "
    "varios cubanos y más mexicanos siguen el caso desde Europa y el Pentágono."
)
RENDER_DOC_B = (
    "Breaking <script>alert(1)</script> news from Mississippi & \"friends\": "
    "the Pentagon said troops from Mexico reached Hattiesburg. O'Brien <b>Town</b> too."
)


def render_sample_frames():
    """(mentions, places, documents) from hand-made Resolutions.

    Covers: countries (one named, one demonym-only), a city, an admin1, a
    feature, a continent, an admin1 fallback, an unresolved mention, and text
    and names that need escaping (``<script>``, ``&``, quotes, ``<b>``).
    """
    from geo.frames import mentions_frame, places_frame
    from geo.model import Document, Kind, Mention, Place, Precision, Resolution

    mx = Place("iso:MX", "México", Kind.COUNTRY, 23.0, -102.0, "MX")
    us = Place("iso:US", "Estados Unidos", Kind.COUNTRY, 39.76, -98.5, "US")
    cu = Place("iso:CU", "Cuba", Kind.COUNTRY, 21.5, -80.0, "CU")
    ms = Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")
    hat = Place("gn:4428667", "Hattiesburg", Kind.CITY, 31.327, -89.290, "US", "MS", 45000)
    cdmx = Place("gn:3530597", "Ciudad de México", Kind.CITY, 19.428, -99.128, "MX", "09", 12294193)
    pent = Place("gn:4781530", "Pentágono", Kind.FEATURE, 38.871, -77.056, "US", "VA")
    eur = Place("cont:EU", "Europa", Kind.CONTINENT, 50.0, 10.0)
    obrien = Place("csv:obrien", "O'Brien <b>Town</b>", Kind.CITY, 42.4, -95.6, "US", "IA")

    documents = [Document("seed-a", RENDER_DOC_A, "es"), Document('doc <2> & "x"', RENDER_DOC_B, "en")]
    spans = {
        "seed-a": [
            ("México", mx, Kind.COUNTRY, Precision.EXACT, False),
            ("EE.UU.", us, Kind.COUNTRY, Precision.EXACT, False),
            ("Camp Shelby", ms, Kind.FEATURE, Precision.ADMIN1, False),
            ("Mississippi", ms, Kind.ADMIN1, Precision.EXACT, False),
            ("mexicanos", mx, Kind.DEMONYM, Precision.EXACT, True),
            ("Hattiesburg", hat, Kind.CITY, Precision.EXACT, False),
            ("estadounidenses", us, Kind.DEMONYM, Precision.EXACT, True),
            ("Milenio", None, Kind.CITY, Precision.UNRESOLVED, False),
            ("Ciudad de México", cdmx, Kind.CITY, Precision.EXACT, False),
            ("cubanos", cu, Kind.DEMONYM, Precision.EXACT, True),
            ("mexicanos", mx, Kind.DEMONYM, Precision.EXACT, True),  # the second one
            ("Europa", eur, Kind.CONTINENT, Precision.EXACT, False),
            ("Pentágono", pent, Kind.FEATURE, Precision.EXACT, False),
        ],
        'doc <2> & "x"': [
            ("Mississippi", ms, Kind.ADMIN1, Precision.EXACT, False),
            ("Pentagon", pent, Kind.FEATURE, Precision.EXACT, False),
            ("Mexico", mx, Kind.COUNTRY, Precision.EXACT, False),
            ("Hattiesburg", hat, Kind.CITY, Precision.EXACT, False),
            ("O'Brien <b>Town</b>", obrien, Kind.CITY, Precision.EXACT, False),
        ],
    }
    resolutions = []
    for doc in documents:
        seen: dict[str, int] = {}
        for surface, place, kind, precision, demonym in spans[doc.id]:
            start = doc.text.index(surface, seen.get(surface, 0))
            seen[surface] = start + 1
            mention = Mention(doc.id, start, start + len(surface), surface, demonym=demonym)
            resolutions.append(Resolution(mention, place, kind, precision, 0.0 if place is None else 0.9))
    mentions = mentions_frame(resolutions, documents)
    return mentions, places_frame(mentions), {d.id: d.text for d in documents}


@pytest.fixture(scope="session")
def render_cache_dir(tmp_path_factory):
    """Point GEO_CACHE_DIR at one temporary folder for the session, so the
    country outlines are built once and never land in the user's cache."""
    path = tmp_path_factory.mktemp("geo-cache")
    # the embedded gazetteer is linked in, so in-process runs do not rebuild it here
    (path / GAZETTEER_PATH.name).symlink_to(GAZETTEER_PATH)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEO_CACHE_DIR", str(path))
        yield path


@pytest.fixture
def render_sample(render_cache_dir):
    """(mentions, places, documents) for the render and browser tests."""
    return render_sample_frames()


# --- gazetteer, recognize, resolve, pipeline, cli ----------------------------
from pathlib import Path  # noqa: E402

from geo.gazetteer import default_path  # noqa: E402

# Resolved at import, before any fixture changes GEO_CACHE_DIR: the embedded
# gazetteer is built once per machine (``make test`` builds it first).
GAZETTEER_PATH = default_path()
ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def gazetteer():
    """The embedded gazetteer, shared read-only by the whole session."""
    from geo.gazetteer import Gazetteer

    return Gazetteer(GAZETTEER_PATH)


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    from geo.pipeline import Geoparser

    return Geoparser(gazetteer)


@pytest.fixture
def parse(geoparser):
    """parse(text, lang=None) -> list of Resolutions for one hand-made document."""
    from geo.model import Document

    def run(text: str, lang: str | None = None):
        return geoparser.parse(Document("t", text, lang))

    return run


# --- reliability (tests/test_reliability.py, test_hostile.py, test_geocoders.py, test_layers.py) --


@pytest.fixture
def cli_cache(render_cache_dir):
    """GEO_CACHE_DIR for in-process ``geo`` runs: the session's temporary cache,
    with the embedded gazetteer linked in so that it is not built there again."""
    return render_cache_dir


# --- browser (tests/test_browser.py, tests/test_hostile.py) -------------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make test` installs it
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked ``browser`` (``-m "not browser"`` leaves them out)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through playwright; a missing browser fails (never skips)."""
    import os

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# --- footprints (tests/test_footprints.py, tests/test_browser.py) ---------------

# A land shapes file of the contract geo/footprints.py reads (made up here, coordinates
# drawn by hand): {"place_id", "name", "class", "scalerank"} and a simplified geometry.
LAND_SHAPES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature",
         "properties": {"place_id": "test:river:big-muddy", "name": "Big Muddy River", "class": "river", "scalerank": 1},
         "geometry": {"type": "LineString", "coordinates": [
             [-95.2, 47.2], [-93.1, 45.0], [-91.2, 43.5], [-90.2, 38.6], [-89.5, 36.5], [-91.1, 33.0],
             [-91.2, 30.5], [-89.25, 29.15]]}},
        {"type": "Feature",
         "properties": {"place_id": "test:range:high-range", "name": "High Range", "class": "range", "scalerank": 2},
         "geometry": {"type": "Polygon", "coordinates": [[
             [-116.0, 48.0], [-114.0, 49.0], [-109.0, 46.0], [-105.0, 45.0], [-104.6, 37.0], [-106.5, 35.0],
             [-109.0, 37.0], [-112.0, 42.0], [-116.0, 48.0]]]}},
        {"type": "Feature",
         "properties": {"place_id": "test:lake:round-lake", "name": "Round Lake", "class": "lake", "scalerank": 1},
         "geometry": {"type": "Polygon", "coordinates": [[
             [-92.0, 46.6], [-89.0, 46.4], [-85.0, 46.5], [-84.5, 47.5], [-88.0, 48.8], [-90.0, 47.6],
             [-92.0, 46.6]]]}},
        {"type": "Feature",
         "properties": {"place_id": "test:river:small-creek", "name": "Small Creek", "class": "river", "scalerank": 9},
         "geometry": {"type": "LineString", "coordinates": [[-100.0, 40.0], [-99.0, 40.5]]}},
    ],
}


@pytest.fixture
def land_shapes(tmp_path, monkeypatch):
    """Point geo.footprints at LAND_SHAPES (written to a temporary .geojson.gz)."""
    import gzip
    import json

    import geo.footprints as footprints

    path = tmp_path / "shapes.geojson.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(LAND_SHAPES, fh)
    monkeypatch.setattr(footprints, "land_shapes_path", lambda: path)
    footprints.clear_caches()
    yield path
    footprints.clear_caches()


def land_sample_frames():
    """(mentions, places, documents): a river, a range, a lake, a state, a town and a street known only to
    its country, from hand-made Resolutions."""
    from geo.frames import mentions_frame, places_frame
    from geo.model import Document, Kind, Mention, Place, Precision, Resolution

    river = Place("test:river:big-muddy", "Big Muddy River", Kind.FEATURE, 38.6, -90.2, "US")
    high = Place("test:range:high-range", "High Range", Kind.FEATURE, 42.0, -108.5, "US")
    lake = Place("test:lake:round-lake", "Round Lake", Kind.FEATURE, 47.5, -87.5, "US")
    colorado = Place("gn:5417618", "Colorado", Kind.ADMIN1, 39.0, -105.5, "US", "CO")
    denver = Place("gn:5419384", "Denver", Kind.CITY, 39.739, -104.985, "US", "CO", 700000)
    us = Place("gn:6252001", "United States", Kind.COUNTRY, 39.76, -98.5, "US")
    teton = Place("us-county:WY:teton", "Teton", Kind.ADMIN2, 43.9, -110.6, "US", "WY")
    text = ("Barges waited on the Big Muddy River for a week. Snow closed the passes of the High Range "
            "in Colorado, and Denver ran short of salt. Ice covered Round Lake early. A shop on Elm Street closed. "
            "Elk crossed the Bar Nine Ranch.")
    doc = Document("land", text, "en")
    spans = [("Big Muddy River", river, Kind.FEATURE), ("High Range", high, Kind.FEATURE),
             ("Colorado", colorado, Kind.ADMIN1), ("Denver", denver, Kind.CITY), ("Round Lake", lake, Kind.FEATURE)]
    resolutions = []
    for surface, place, kind in spans:
        start = text.index(surface)
        resolutions.append(Resolution(Mention(doc.id, start, start + len(surface), surface), place, kind,
                                      Precision.EXACT, 0.9))
    start = text.index("Elm Street")  # known only to its country: the whole United States, drawn under the rest
    resolutions.append(Resolution(Mention(doc.id, start, start + 10, "Elm Street"), us, Kind.FEATURE,
                                  Precision.COUNTRY, 0.3))
    start = text.index("Bar Nine Ranch")  # known only to its county: a circle inside the range, drawn over it
    resolutions.append(Resolution(Mention(doc.id, start, start + 14, "Bar Nine Ranch"), teton, Kind.FEATURE,
                                  Precision.ADMIN2, 0.4))
    mentions = mentions_frame(resolutions, [doc])
    return mentions, places_frame(mentions), {doc.id: text}
