"""Land features (issue 12): the derived data, recognition with and without the
generic word, kind-aware resolution, honest fallbacks, and a dozen of the probes."""
from __future__ import annotations

import gzip
import importlib.resources
import json
from pathlib import Path

import pytest

from geo.land import compatible, core_words, land_records
from geo.model import Precision

ROOT = Path(__file__).resolve().parents[1]


def by_surface(resolutions):
    out = {}
    for r in resolutions:
        out.setdefault(r.mention.surface, r)
    return out


def inside(place, south, west, north, east):
    return place is not None and south <= place.lat <= north and west <= place.lon <= east


# ------------------------------------------------------------------ data

def test_shapes_file_keeps_its_contract_with_the_gazetteer(gazetteer):
    path = importlib.resources.files("geo").joinpath("data", "land", "shapes.geojson.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        fc = json.load(fh)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 5000
    by_id = {f["properties"]["place_id"]: f for f in fc["features"]}
    assert len(by_id) == len(fc["features"])  # one feature per place
    for f in fc["features"][:: max(1, len(fc["features"]) // 200)]:
        assert set(f["properties"]) == {"place_id", "name", "class", "scalerank"}
        place = gazetteer.get(f["properties"]["place_id"])
        if place is None:  # seas named like a city are left out of the gazetteer ("Kaliningrad")
            continue
        assert gazetteer.land_info(place.place_id)[0] == f["properties"]["class"]
    river = by_id["ne:river:ohio"]
    assert river["geometry"]["type"] in ("LineString", "MultiLineString")
    assert by_id["ne:lake:lake-malawi"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert by_id["ne:black-sea"]["properties"]["class"] == "sea"


def test_features_have_a_point_on_them_and_the_countries_they_touch():
    records = {r.place_id: r for r in land_records()}
    malawi = records["ne:lake:lake-malawi"]
    assert set(malawi.countries) == {"MW", "MZ", "TZ"} and -14.6 < malawi.lat < -9.3
    seine = records["ne:river:seine"]
    assert "Sena" in seine.names  # from geo/data/land_names.tsv
    assert "Montañas Rocosas" in records["ne:range:rocky-mountains"].names


def test_derive_script_is_kept_and_documents_its_source():
    script = (ROOT / "scripts" / "derive_land.py").read_text(encoding="utf-8")
    assert "natural-earth" in script and "public domain" in script


def test_generic_words_and_classes():
    assert core_words("río Usumacinta") == "Usumacinta"
    assert core_words("Missouri River") == "Missouri"
    assert core_words("lago de Pátzcuaro") == "Pátzcuaro"
    assert compatible("lake", "reservoir") and not compatible("river", "lake")
    assert not compatible("range", "river")


# ------------------------------------------------------------------ recognition and resolution

def test_a_river_with_its_word_is_not_the_state(parse):
    r = by_surface(parse("Grain barges sat idle on the Ohio River for a week.", "en"))["Ohio River"]
    assert r.place.place_id.startswith("ne:river:") and r.precision == Precision.EXACT
    assert inside(r.place, 36.9, -89.2, 40.7, -79.9)


def test_el_rio_is_not_the_town(parse):
    r = by_surface(parse("Vecinos de Celaya vigilan el nivel del río Lerma tras las lluvias.", "es"))["río Lerma"]
    assert r.place.place_id.startswith("ne:river:") and inside(r.place, 19.2, -102.5, 20.9, -99.5)


def test_context_places_a_river_near_the_towns_named(parse):
    r = by_surface(parse("Las lluvias en el norte elevaron el río Paraná frente a Rosario.", "es"))["río Paraná"]
    assert r.precision == Precision.EXACT and inside(r.place, -34.5, -61.5, -31.0, -59.0)


def test_spanish_sea_with_adjective(parse):
    r = by_surface(parse("Dos buques chocaron en el mar Negro el domingo.", "es"))["mar Negro"]
    assert r.place.place_id == "ne:black-sea"


def test_mount_with_abbreviation_is_one_name(parse):
    r = by_surface(parse("Climbers waited out the storm below Mount St. Helens overnight.", "en"))
    assert "Mount St. Helens" in r and "Mount St" not in r
    assert r["Mount St. Helens"].precision != Precision.EXACT or inside(r["Mount St. Helens"].place, 46.0, -122.4, 46.4, -122.0)


def test_a_name_alone_after_an_article(parse):
    r = by_surface(parse("Nevó con fuerza en los Cárpatos y en los Andes.", "es"))
    assert inside(r["Cárpatos"].place, 44.5, 17.5, 50.5, 27.0)
    assert inside(r["Andes"].place, -55.0, -80.0, 11.0, -63.0)
    r = by_surface(parse("Cattle are dying across the Kalahari this winter.", "en"))
    assert inside(r["Kalahari"].place, -28.0, 17.0, -17.0, 26.0)


def test_same_name_lake_chosen_by_the_countries_of_the_story(parse):
    r = by_surface(parse("A boat sank on Lake Malawi; Mozambique sent divers.", "en"))["Lake Malawi"]
    assert inside(r.place, -14.6, 33.8, -9.3, 35.4) and r.precision == Precision.EXACT


def test_common_words_that_name_rivers_stay_words(parse):
    found = {r.mention.surface for r in parse("Reading the report aloud, she said the bath was cold.", "en")}
    assert not any("bath" in s.lower() for s in found)
    assert all(not r.mention.source.startswith("land:") for r in parse("Reading is a habit worth keeping.", "en"))


def test_town_placed_like_a_town_keeps_its_name(parse):
    r = by_surface(parse("Schools in Lake Charles, Louisiana, closed on Friday.", "en"))["Lake Charles"]
    assert r.place.kind == "city"


def test_missing_feature_falls_back_only_to_the_unit_the_text_gives(parse):
    r = by_surface(parse("Pescadores del río Zzyxacate denunciaron la sequía; Oaxaca pidió ayuda.", "es"))
    assert r["río Zzyxacate"].precision == Precision.UNRESOLVED and r["río Zzyxacate"].place is None
    r = by_surface(parse("Troops drilled at Camp Zzyxwood, Texas, before flying to Ohio.", "en"))["Camp Zzyxwood"]
    assert r.precision == Precision.ADMIN1 and r.place.admin1 == "TX"


def test_sample_article_camp_shelby_stays_in_mississippi(parse):
    text = (ROOT / "seeds").glob("*")
    seed = next(p for p in sorted(text) if "Shelby" in p.read_text(encoding="utf-8", errors="replace"))
    r = by_surface(parse(seed.read_text(encoding="utf-8")))["Camp Shelby"]
    assert r.precision in (Precision.ADMIN1, Precision.NEARBY) and inside(r.place, 30.1, -91.7, 35.0, -88.1)


# ------------------------------------------------------------------ the probes

def _probes():
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from land_probes import read_probes

    probes = read_probes(ROOT / "bench" / "land_probes.tsv")
    return probes[:: len(probes) // 12][:12]


@pytest.mark.parametrize("probe", _probes(), ids=lambda p: p["feature"])
def test_probe(geoparser, probe):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from land_probes import score

    rows, totals = score([probe], geoparser)
    assert totals["found"] == 1 and totals["false_exact"] == 0, rows[0]["got"]
    assert totals["placed"] == 1, rows[0]["got"]
