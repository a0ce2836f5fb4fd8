"""The GeoDataFrames: columns, CRS, empty input, passages, place ids."""
from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geo.frames import (CRS, FOOTPRINT, MENTION_COLUMNS, PLACE_COLUMNS, display_place_id, mentions_frame, passage_bounds,
                        places_frame)
from geo.model import Document, Kind, Mention, Place, Precision, Resolution

MX = Place("gn:3996063", "Mexico", Kind.COUNTRY, 23.0, -102.0, "MX")
MS = Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")
TEXT = "Llegaron de México. Entrenan en Camp Shelby, Misisipi. Los mexicanos vuelven en marzo."


def res(surface, place, kind, precision=Precision.EXACT, demonym=False, nth=0):
    start = TEXT.index(surface)
    for _ in range(nth):
        start = TEXT.index(surface, start + 1)
    return Resolution(Mention("d", start, start + len(surface), surface, demonym=demonym), place, kind, precision, 0.8)


@pytest.fixture
def frames():
    rs = [res("México", MX, Kind.COUNTRY), res("Camp Shelby", MS, Kind.FEATURE, Precision.ADMIN1),
          res("Misisipi", MS, Kind.ADMIN1), res("mexicanos", MX, Kind.DEMONYM, demonym=True),
          Resolution(Mention("d", 0, 8, "Llegaron"), None, Kind.FEATURE, Precision.UNRESOLVED, 0.0)]
    m = mentions_frame(rs, [Document("d", TEXT)])
    return m, places_frame(m)


def test_empty_frames_keep_columns_and_crs():
    m = mentions_frame([], [])
    p = places_frame(m)
    assert list(m.columns) == [*MENTION_COLUMNS, "geometry", FOOTPRINT] and m.crs == CRS and m.empty
    assert list(p.columns) == [*PLACE_COLUMNS, "geometry", FOOTPRINT] and p.crs == CRS and p.empty
    assert m[FOOTPRINT].crs == CRS and p[FOOTPRINT].dtype == "geometry"


def test_mentions_surface_matches_text_and_passage_is_the_sentence(frames):
    m, _ = frames
    for row in m.itertuples():
        assert TEXT[row.start:row.end] == row.surface
        assert row.surface in row.passage
        assert TEXT[row.passage_start:row.passage_start + len(row.passage)] == row.passage
    assert m.loc[m.surface == "Camp Shelby", "passage"].item() == "Entrenan en Camp Shelby, Misisipi."


def test_points_are_lon_lat(frames):
    m, _ = frames
    geom = m.loc[m.surface == "México"].geometry.item()
    assert (geom.x, geom.y) == (-102.0, 23.0)


def test_unresolved_mentions_are_kept_without_geometry(frames):
    m, p = frames
    row = m.loc[m.surface == "Llegaron"]
    assert row.precision.item() == "unresolved" and row.geometry.item() is None
    assert "Llegaron" not in set(p.name)


def test_places_count_mentions_and_demonyms(frames):
    _, p = frames
    mx = p.loc[p.place_id == "gn:3996063"]
    assert (mx.mention_count.item(), mx.demonym_count.item(), mx.kind.item()) == (2, 1, "country")


def test_fallback_is_a_place_of_its_own_at_the_unit_point(frames):
    _, p = frames
    shelby = p.loc[p.name == "Camp Shelby"]
    assert shelby.precision.item() == "admin1" and shelby.kind.item() == "feature"
    assert shelby.place_id.item() == "gn:4436296/camp-shelby"
    assert shelby.geometry.item().equals(p.loc[p.place_id == "gn:4436296"].geometry.item())


def test_display_place_id():
    r = res("Camp Shelby", MS, Kind.FEATURE, Precision.ADMIN1)
    assert display_place_id(r) == "gn:4436296/camp-shelby"
    assert display_place_id(res("Misisipi", MS, Kind.ADMIN1)) == "gn:4436296"


def test_passage_bounds_cut_long_sentences():
    text = "a" * 5000 + " México " + "b" * 5000
    lo, hi = passage_bounds(text, 5001, 5007, max_chars=600)
    assert hi - lo <= 600 and lo <= 5001 and hi >= 5007


def test_places_sorted_by_mentions_then_name(frames):
    _, p = frames
    counts = list(p.mention_count)
    assert counts == sorted(counts, reverse=True)


def test_alternatives_and_evidence_ride_along_as_columns_and_extract_fields():
    """The readings a resolution weighed are kept, best first, with their scores."""
    import json

    from geo.pipeline import toponym_records

    ga = Place("gn:614540", "Georgia", Kind.COUNTRY, 42.0, 43.5, "GE")
    start = TEXT.index("México")
    r = Resolution(Mention("d", start, start + 6, "México"), MX, Kind.COUNTRY, Precision.EXACT, 0.9,
                   (ga,), (0.07,), "document scope: Mexico")
    m = mentions_frame([r], [Document("d", TEXT)])
    row = m.iloc[0]
    assert row["evidence"] == "document scope: Mexico" and row["role"] == "text"
    [alt] = json.loads(row["alternatives"])
    assert alt["gazetteer_id"] == "gn:614540" and alt["country_code"] == "GE" and alt["score"] == 0.07
    [rec] = toponym_records([r])
    assert rec["evidence"] == "document scope: Mexico"
    assert rec["alternatives"] == [{"name": "Georgia", "lat": 42.0, "lon": 43.5, "gazetteer_id": "gn:614540",
                                    "kind": "country", "country_code": "GE", "score": 0.07}]


JACKSON = shapely.Point(-90.18, 32.30)


def test_footprints_are_outlines_points_stay_points(frames):
    m, p = frames
    ms = p.loc[p.place_id == "gn:4436296"]
    assert ms.geometry.item().geom_type == "Point"
    outline = ms[FOOTPRINT].item()
    assert outline.geom_type in ("Polygon", "MultiPolygon") and outline.contains(JACKSON)
    mexico = p.loc[p.place_id == "gn:3996063", FOOTPRINT].item()
    assert mexico.contains(shapely.Point(-99.13, 19.43))  # Mexico City
    # a fallback's footprint is the unit it stands for: Camp Shelby anywhere in Mississippi
    assert p.loc[p.name == "Camp Shelby", FOOTPRINT].item().equals(outline)
    assert m.loc[m.surface == "Llegaron", FOOTPRINT].item() is None


def test_a_town_has_no_footprint():
    text = "Llegaron a Jackson."
    jackson = Place("gn:4431410", "Jackson", Kind.CITY, 32.3, -90.18, "US", "MS")
    m = mentions_frame([Resolution(Mention("d", 11, 18, "Jackson"), jackson, Kind.CITY, Precision.EXACT, 0.9)],
                       [Document("d", text)])
    assert m[FOOTPRINT].item() is None and places_frame(m)[FOOTPRINT].item() is None


def test_footprints_round_trip_as_geoparquet(frames, tmp_path):
    m, p = frames
    for frame, name in [(m, "mentions.parquet"), (p, "places.parquet")]:
        frame.to_parquet(tmp_path / name, index=False)
        back = gpd.read_parquet(tmp_path / name)
        assert back.geometry.name == "geometry" and back[FOOTPRINT].dtype == "geometry"
        assert back[FOOTPRINT].crs == CRS
        assert back[FOOTPRINT].notna().sum() == frame[FOOTPRINT].notna().sum()
        assert back.loc[back.place_id == "gn:4436296", FOOTPRINT].iloc[0].contains(JACKSON)
