"""Spanish news from Spain and Mexico (issue 13): the general rules behind
bench/es_probes.py, each in sentences written for these tests (not from any corpus)."""
from __future__ import annotations

from geo.gazetteer_merge import Builder
from geo.gazetteer import name_key
from geo.model import Kind
from geo.recognize import Recognizer


def first(resolutions, surface):
    hits = [r for r in resolutions if surface in r.mention.surface]
    assert hits, f"{surface!r} not found among {[r.mention.surface for r in resolutions]}"
    return hits[0]


def test_an_article_does_not_cut_a_longer_name(parse):
    # "La Ciudad" is a village somewhere; "La Ciudad de México" is the capital
    r = first(parse("La Ciudad de México amaneció con lluvia y granizo.", "es"), "Ciudad de México")
    assert r.place.country_code == "MX" and abs(r.place.lat - 19.43) < 0.3 and abs(r.place.lon + 99.13) < 0.3


def test_people_of_a_place_opening_a_sentence_name_the_place(parse):
    r = first(parse("Habitantes de Villahermosa cerraron el puente por los apagones.", "es"), "Villahermosa")
    assert r.place.country_code == "MX" and r.place.kind == Kind.CITY
    r = first(parse("Autoridades de Chiapas confirmaron dos muertos por el frío.", "es"), "Chiapas")
    assert r.place.country_code == "MX"


def test_an_organisation_named_after_a_place_still_hides_it(gazetteer):
    from geo.model import Document
    found = Recognizer(gazetteer).recognize(Document("d", "Universidad de Sonora abrió sus inscripciones.", lang="es"))
    assert not found  # an institution's name, as the Spanish corpora annotate it


def test_an_exonym_opening_a_sentence_is_the_famous_place(parse):
    r = first(parse("Bruselas multó a la tecnológica con quinientos millones.", "es"), "Bruselas")
    assert r.place.country_code == "BE" and r.place.kind == Kind.CITY


def test_a_state_named_by_a_common_word_is_a_place_in_spanish(parse):
    r = first(parse("Las lluvias volvieron a Tabasco esta semana.", "es"), "Tabasco")
    assert r.place.country_code == "MX" and r.place.kind == Kind.ADMIN1


def test_a_very_frequent_word_stays_a_word(parse):
    # "Central" names a department of Paraguay, but first it is a word: nothing else places it
    assert not [r for r in parse("El sindicato respaldó a la Central en su protesta.", "es")
                if r.mention.surface == "Central"]


def test_bilingual_names_are_each_a_main_name():
    b = Builder()
    b.place("gn:1", "Gasteiz / Vitoria", Kind.CITY, 42.85, -2.67, "ES", "59", 250_000)
    b.place("gn:2", "Uster / Kirch-Uster", Kind.CITY, 47.35, 8.72, "CH", "25", 10_000)
    b.name("gn:1", "Gasteiz / Vitoria", main=True)
    assert b.names[(name_key("Vitoria"), "gn:1")].main and b.names[(name_key("Gasteiz"), "gn:1")].main
    assert (name_key("Uster"), "gn:2") not in b.names  # a quarter written after its town


def test_spanish_cities_by_their_spanish_name(parse):
    r = first(parse("Los hosteleros de San Sebastián cerraron sus terrazas por la huelga.", "es"), "San Sebastián")
    assert r.place.country_code == "ES"


def test_mexican_state_abbreviations(gazetteer):
    rec = Recognizer(gazetteer)
    for abbr, code in (("QRoo", "23"), ("Edomex", "15")):
        assert any(e.place.kind == Kind.ADMIN1 and e.place.country_code == "MX" and e.place.admin1 == code
                   for e in rec.entries(abbr)), abbr


def test_the_distrito_federal_is_mexico_city(parse):
    # "D.F." and "DF" name the city (the federal entity was the city): its point, not the unit's
    for text, surface in (("Vendedores ambulantes del D.F. marcharon al Senado.", "D.F."),
                          ("Hoy llueve otra vez en el DF y el tráfico no avanza", "DF")):
        r = first(parse(text, "es"), surface)
        assert r.place.kind == Kind.CITY and r.place.country_code == "MX" and abs(r.place.lat - 19.43) < 0.1, text


def test_a_state_name_is_its_capital_called_by_its_short_name(parse):
    # Victoria de Durango is "Durango": the city before the state, as for Sevilla
    r = first(parse("Un choque en el periférico de Durango dejó dos heridos.", "es"), "Durango")
    assert r.place.kind == Kind.CITY and r.place.country_code == "MX" and abs(r.place.lat - 24.02) < 0.2
    r = first(parse("La sequía afecta a todo el estado de Durango.", "es"), "Durango")
    assert r.place.kind == Kind.ADMIN1 and r.place.country_code == "MX"


def test_own_keys():
    from geo.readings import own_keys
    assert {"oaxaca", "juarez"} <= own_keys("Oaxaca de Juárez")
    assert "san sebastian" in own_keys("Donostia / San Sebastián")
    assert own_keys("León de los Aldama") == {"leon de los aldama"}  # only "X de Y" of one word each
    assert own_keys("New York City") == {"new york city"}


def test_a_place_inside_an_institution_name_is_context_not_a_mention(parse):
    # "la Asamblea de Extremadura" names no place of its own (as the Spanish corpora annotate it),
    # but it says where the story is: Mérida, Spain, not the larger Mérida of Yucatán
    found = parse("El presidente de la Asamblea de Extremadura inauguró en Mérida el nuevo teatro.", "es")
    assert [r.mention.surface for r in found] == ["Mérida"]
    assert found[0].place.country_code == "ES"


def test_inside_context_does_not_make_a_common_word_a_place(parse):
    found = parse("El diario Noroeste publicó una entrevista con el Gobierno de Sinaloa.", "es")
    assert not [r for r in found if r.mention.surface == "Noroeste"]


def test_a_state_of_half_a_million_named_by_a_word_is_the_state(parse):
    # "campeche" and "navarra" are words too; a Spanish-speaking state this large is the
    # place by its main name, a smaller unit named like a surname is not taken
    r = first(parse("Campeche cerró sus escuelas por el huracán.", "es"), "Campeche")
    assert r.place.country_code == "MX"
    r = first(parse("Navarra cerró sus escuelas por la nevada.", "es"), "Navarra")
    assert r.place.kind == Kind.ADMIN1 and r.place.country_code == "ES"


def test_a_province_named_after_its_capital_is_the_capital_when_named_bare(parse):
    # the capital (under a hundred thousand) holds a good share of its province: the bare name is the city
    r = first(parse("El Ayuntamiento cortó el tráfico en el centro de Guadalajara por las obras del tranvía de Madrid.",
                    "es"), "Guadalajara")
    assert r.place.country_code == "ES" and r.place.kind == Kind.CITY
    r = first(parse("Los bomberos de Zaragoza y de Huesca apagaron el fuego del almacén.", "es"), "Huesca")
    assert r.place.country_code == "ES" and r.place.kind == Kind.CITY
    # the text says the unit: the province
    r = first(parse("La sequía golpea a los pueblos de la provincia de Guadalajara, junto a Madrid.", "es"),
              "Guadalajara")
    assert r.place.country_code == "ES" and r.place.kind == Kind.ADMIN2


def test_a_city_listed_with_a_province_whose_capital_goes_by_another_name(parse):
    # Castellón's city is called "Castelló de la Plana": the list is of two cities, not of two provinces
    r = first(parse("Los naranjeros de Valencia y Castellón protestaron ante la consejería.", "es"), "Valencia")
    assert r.place.country_code == "ES" and r.place.kind == Kind.CITY
    # a list of states no city shares is still a list of states
    r = first(parse("El frío llegó a Sonora, Chihuahua y Durango.", "es"), "Chihuahua")
    assert r.place.country_code == "MX" and r.place.kind == Kind.ADMIN1
