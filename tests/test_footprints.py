"""Footprints: what line or area each kind of place gets, the files behind them, the map's base layer."""
from __future__ import annotations

import gzip
import json

import pytest
import shapely

import geo.footprints as footprints
from geo.footprints import (PageShapes, admin1_outline, base_admin1_features, base_land_features, footprint,
                            page_geometry)
from geo.model import Kind, Place

JACKSON = shapely.Point(-90.18, 32.30)
RIVER = Place("test:river:big-muddy", "Big Muddy River", Kind.FEATURE, 38.6, -90.2, "US")
RANGE = Place("test:range:high-range", "High Range", Kind.FEATURE, 42.0, -108.5, "US")


def test_a_state_is_its_outline_a_country_too_a_town_nothing():
    ms = footprint(Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS"))
    assert ms.geom_type in ("Polygon", "MultiPolygon") and ms.contains(JACKSON)
    assert not ms.contains(shapely.Point(-86.8, 33.5))  # Birmingham, Alabama
    mexico = footprint(Place("gn:3996063", "Mexico", Kind.COUNTRY, 23.0, -102.0, "MX"))
    assert mexico.contains(shapely.Point(-99.13, 19.43))
    assert footprint(Place("gn:4431410", "Jackson", Kind.CITY, 32.3, -90.18, "US", "MS")) is None
    assert footprint(None) is None


def test_states_provinces_and_comunidades_have_outlines():
    # Natural Earth splits Spain into provinces: Andalucía is the union of its eight
    andalucia = admin1_outline("gn:2593109")
    assert andalucia.contains(shapely.Point(-5.98, 37.39)) and andalucia.contains(shapely.Point(-3.6, 37.18))
    assert not andalucia.contains(shapely.Point(-3.70, 40.42))  # Madrid
    scotland = admin1_outline("gn:2638360")  # by Natural Earth's geographic unit
    assert scotland.contains(shapely.Point(-3.19, 55.95)) and not scotland.contains(shapely.Point(-0.13, 51.51))
    jalisco = admin1_outline("gn:4004156")
    assert jalisco is not None and jalisco.contains(shapely.Point(-103.35, 20.67))  # Guadalajara


def test_land_features_from_the_shapes_file(land_shapes):
    river, high = footprint(RIVER), footprint(RANGE)
    assert river.geom_type == "LineString" and high.geom_type == "Polygon"
    assert footprint(RIVER) is river  # looked up once, then kept
    # an id the file does not have, or a town that shares the id space: no footprint
    assert footprint(Place("test:river:none", "None River", Kind.FEATURE, 0, 0)) is None


def test_without_the_shapes_file_land_features_have_no_footprint(tmp_path, monkeypatch):
    monkeypatch.setattr(footprints, "land_shapes_path", lambda: tmp_path / "absent.geojson.gz")
    footprints.clear_caches()
    try:
        assert footprint(RIVER) is None and base_land_features() == []
        assert footprint(Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")) is not None
    finally:
        footprints.clear_caches()


def test_an_unreadable_shapes_file_warns_and_draws_points(tmp_path, monkeypatch):
    bad = tmp_path / "shapes.geojson.gz"
    bad.write_bytes(b"not gzip at all")
    monkeypatch.setattr(footprints, "land_shapes_path", lambda: bad)
    footprints.clear_caches()
    try:
        with pytest.warns(UserWarning, match="unreadable shapes file"):
            assert footprint(RIVER) is None
    finally:
        footprints.clear_caches()


def test_base_water_is_the_major_rivers_and_lakes_only(land_shapes):
    names = {f["properties"]["name"] for f in base_land_features()}
    assert names == {"Big Muddy River", "Round Lake"}  # not the range, not the minor creek


def test_base_states_follow_the_most_mentioned_countries_within_a_budget():
    us = base_admin1_features(["US"])
    assert len(us) >= 50 and {f["properties"]["cc"] for f in us} == {"US"}
    size = len(json.dumps(us, separators=(",", ":")))
    both = base_admin1_features(["US", "MX"], max_chars=size + 10)  # no room for Mexico after the US
    assert {f["properties"]["cc"] for f in both} == {"US"}
    assert {f["properties"]["cc"] for f in base_admin1_features(["mx", "US"])} == {"MX", "US"}
    assert base_admin1_features([]) == [] and base_admin1_features(["", None]) == []


def test_page_shapes_are_stored_once_and_rounded():
    shapes = PageShapes()
    ms = admin1_outline("gn:4436296")
    assert shapes.add("gn:4436296", ms) == 0 and shapes.add("gn:4436296", ms) == 0
    assert len(shapes.shapes) == 1
    text = json.dumps(shapes.shapes[0])
    assert len(text) < 20_000 and all(len(c.split(".")[-1]) <= 3 for c in text.replace("]", ",").split(",") if "." in c)
    assert page_geometry(None) is None


def test_the_shipped_admin1_file_is_small_and_keyed_by_place_id():
    path = footprints.admin1_outlines_path()
    assert path.stat().st_size < 3_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    assert len(features) > 4000
    assert all(f["properties"]["place_id"].startswith("gn:") for f in features)


def test_the_index_follows_the_file_content(land_shapes, monkeypatch, tmp_path):
    from geo import shapestore

    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    footprints.clear_caches()
    assert footprint(RIVER).geom_type == "LineString"
    assert shapestore.store_path().exists()  # indexed into the cache once
    collection = json.loads(gzip.decompress(land_shapes.read_bytes()))
    collection["features"][0]["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    land_shapes.write_bytes(gzip.compress(json.dumps(collection).encode()))
    footprints.clear_caches()
    assert footprint(RIVER).equals(shapely.LineString([(0, 0), (1, 1)]))  # the new file, not the old index


def test_the_index_drops_files_that_are_gone(land_shapes, monkeypatch, tmp_path):
    import sqlite3

    from geo import shapestore

    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    footprints.clear_caches()
    assert footprint(RIVER) is not None
    other = tmp_path / "other.geojson.gz"
    other.write_bytes(gzip.compress(json.dumps({"type": "FeatureCollection", "features": []}).encode()))
    assert shapestore.source_key(other)
    other.unlink()
    monkeypatch.setattr(footprints, "land_shapes_path", lambda: tmp_path / "third.geojson.gz")
    (tmp_path / "third.geojson.gz").write_bytes(gzip.compress(json.dumps({"type": "FeatureCollection",
                                                                           "features": [{"type": "Feature"}]}).encode()))
    footprints.clear_caches()
    assert footprint(RIVER) is None  # from the third file, which has no river
    with sqlite3.connect(shapestore.store_path()) as con:
        names = {n for (n,) in con.execute("SELECT name FROM sources")}
    assert str(other) not in names and str(land_shapes) in names


def test_page_shapes_are_simplified_to_their_size_within_a_budget():
    alaska, ms = admin1_outline("gn:5879092"), admin1_outline("gn:4436296")
    shapes = PageShapes()
    shapes.add("ak", alaska)
    shapes.add("ms", ms)
    ak_chars, ms_chars = (len(json.dumps(s, separators=(",", ":"))) for s in shapes.shapes)
    assert ak_chars < 60_000 and ms_chars < 8_000  # Alaska was 124 KB at one tolerance for all
    tight = PageShapes(coarse_after=0, max_chars=1)  # coarser at once; nothing after the first
    assert tight.add("ak", alaska) == 0 and len(json.dumps(tight.shapes[0])) < ak_chars  # coarser
    assert tight.add("ms", ms) is None and tight.give({"zoom": 6}, "ms", ms) == {"zoom": 6}  # over: a point
