"""The embedded gazetteer: names, kinds, points, lexicon, layers."""
from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer, name_key
from geo.model import Kind, Place


def test_name_key_folds_case_accents_and_dots():
    assert name_key("EE.UU.") == name_key("EEUU") == "eeuu"
    assert name_key("México") == name_key("MEXICO") == "mexico"
    assert name_key("Winston-Salem") == "winston salem"
    assert name_key("  Ciudad   de México ") == "ciudad de mexico"


def _first(gazetteer, name, kind):
    return next(p for p, *_ in gazetteer.lookup(name) if p.kind == kind)


def test_exonyms_and_abbreviations_resolve_to_their_places(gazetteer):
    ms = _first(gazetteer, "Misisipi", Kind.ADMIN1)
    assert (ms.name, ms.country_code, ms.admin1) == ("Mississippi", "US", "MS")
    assert _first(gazetteer, "EE.UU.", Kind.COUNTRY).country_code == "US"
    assert _first(gazetteer, "Estados Unidos", Kind.COUNTRY).country_code == "US"
    assert _first(gazetteer, "México", Kind.COUNTRY).name == "Mexico"
    assert _first(gazetteer, "Venezuela", Kind.COUNTRY).name == "Venezuela"


def test_country_points_follow_geonames(gazetteer):
    us = gazetteer.country("US")
    assert (us.lat, us.lon) == pytest.approx((39.76, -98.5))
    mx = gazetteer.country("MX")
    assert (mx.lat, mx.lon) == pytest.approx((23.0, -102.0))


def test_admin1_by_code(gazetteer):
    assert gazetteer.admin1("US", "MS").name == "Mississippi"
    assert gazetteer.admin1("US", "??") is None


def test_demonyms_in_both_languages(gazetteer):
    keys = gazetteer.demonym_keys()
    for word in ("mexicanos", "mexicana", "estadounidenses", "venezolano", "american"):
        assert name_key(word) in keys, word


def test_lexicon_tells_common_words_from_names(gazetteer):
    assert gazetteer.is_common_word("pero", "es")
    assert gazetteer.is_common_word("Police", "en")
    assert gazetteer.is_common_word("Thursday", "en")
    assert not gazetteer.is_common_word("Sevilla", "es")
    assert not gazetteer.is_common_word("Texas", "en")


def test_common_word_alternate_names_are_dropped(gazetteer):
    # "White House" is also an alternate name of the village of Whitehouse; as an English
    # phrase it names no place (White House, Tennessee keeps its own main name)
    assert not any(p.name == "Whitehouse" for p, *_ in gazetteer.lookup("White House"))
    # one-word exonyms of large places stay, even when they are words too
    assert any(p.kind == Kind.COUNTRY and p.country_code == "IR" for p, *_ in gazetteer.lookup("Irán"))
    assert any(p.country_code == "BE" for p, *_ in gazetteer.lookup("Bruselas"))


def test_languages_spoken(gazetteer):
    assert {"MX", "ES", "VE"} <= gazetteer.countries_speaking("es")
    assert "GB" in gazetteer.countries_speaking("en")


def test_layer_places_come_first_and_admin1_names_become_codes(gazetteer):
    g = Gazetteer(gazetteer.path)
    g.add(Place("csv:x:camp", "Camp Shelby", Kind.FEATURE, 31.18, -89.19, "US", "Mississippi", layer="layer:x"),
          ["Camp Shelby Training Site"])
    place, *_ = g.lookup("camp shelby")[0]
    assert place.admin1 == "MS"
    assert g.lookup("Camp Shelby Training Site")[0][0].place_id == "csv:x:camp"
    assert g.get("csv:x:camp").name == "Camp Shelby"


def test_missing_gazetteer_is_a_clear_error(tmp_path):
    from geo.errors import GazetteerError

    with pytest.raises(GazetteerError, match="build-gazetteer"):
        Gazetteer(tmp_path / "none.sqlite")


def test_entries_have_named_fields(gazetteer):
    entry = next(e for e in gazetteer.lookup("mexicanos") if e.demonym)
    assert entry.place.country_code == "MX" and not entry.main
    assert entry == (entry.place, entry.name, entry.main, entry.demonym)


def test_foreign_file_is_rejected_with_the_fix(tmp_path):
    from geo.errors import GazetteerError

    bad = tmp_path / "g.sqlite"
    bad.write_bytes(b"not a database at all" * 10)
    with pytest.raises(GazetteerError, match="delete it"):
        Gazetteer(bad)


def test_language_bound_alias(gazetteer):
    assert any(p.country_code == "US" for p, *_ in gazetteer.lookup("EU", "es"))
    assert not any(p.country_code == "US" for p, *_ in gazetteer.lookup("EU", "en"))
    assert not any(p.country_code == "US" for p, *_ in gazetteer.lookup("EU"))


def test_letters_without_a_decomposition_fold_too():
    from geo.gazetteer import name_key
    assert name_key("Łódź") == "lodz" and name_key("Tromsø") == "tromso" and name_key("Đakovica") == "dakovica"


def test_serbo_croatian_dj_finds_the_town(gazetteer):
    assert any(e[0].country_code == "XK" for e in gazetteer.lookup("Djakovica", "es"))


def test_admin2_units_are_found_by_their_bare_names(gazetteer):
    assert any(e[0].name == "Kabupaten Karo" for e in gazetteer.lookup("Karo", "en"))
    # not admin-1 units: "Distrito de Columbia" does not make DC "Columbia"
    assert not any(e[0].kind == Kind.ADMIN1 and e[0].country_code == "US" for e in gazetteer.lookup("Columbia", "en"))


def test_us_post_office_towns_under_cities500(gazetteer):
    # hamlets under 500 people come from zipcodes' post offices, with no population, in their state
    (place,) = {e.place for e in gazetteer.lookup("Jenkinsville")}
    assert (place.country_code, place.admin1, place.population, place.place_id) == ("US", "SC", 0, "us-town:SC:jenkinsville")
    # not where cities500 already has the town, nor a campus post office
    assert not any(e.place.place_id.startswith("us-town:") for e in gazetteer.lookup("Okemah"))
    assert not any(e.place.place_id.startswith("us-town:") for e in gazetteer.lookup("State University"))
