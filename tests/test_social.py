"""Short, informal text: nicknames, headlines in Title Case, hashtags, handles, lower case."""
from __future__ import annotations

import pytest

from geo.model import Document
from geo.pipeline import Geoparser
from geo.social import handles_and_links, hashtag_parts, lower_case_text, repeated_words, squeezed, title_case_line
from geo.tokens import tokenize


@pytest.fixture(scope="module")
def gp(gazetteer):
    return Geoparser(gazetteer)


def found(gp, text, lang):
    return {r.mention.surface: r for r in gp.parse(Document("t", text, lang=lang)) if not r.mention.demonym}


@pytest.mark.parametrize("text, lang, name, city", [
    ("Two hours on the bridge into NYC this morning", "en", "NYC", "New York City"),
    ("New taco place near the river in SF is great", "en", "SF", "San Francisco"),
    ("Muchos baches en las calles de GDL después de la tormenta", "es", "GDL", "Guadalajara"),
    ("Hoy hubo contingencia ambiental en el DF otra vez", "es", "DF", "Mexico City"),
])
def test_nicknames_name_their_city(gp, text, lang, name, city):
    got = found(gp, text, lang)
    assert got[name].place is not None and got[name].place.name == city


def test_a_short_form_before_a_capitalised_word_heads_a_name(gp):
    assert "NYC" not in found(gp, "She joined NYC Health as a nurse last spring.", "en")
    assert "NYC" in found(gp, "Blackout Hits NYC During Heat Wave", "en")


def test_la_is_los_angeles_only_in_english(gp):
    assert found(gp, "Heat wave grips LA for a fifth day", "en")["LA"].place.name == "Los Angeles"
    assert "LA" not in found(gp, "LA LLUVIA NO PARA EN TODA LA SEMANA", "es")


def test_a_given_name_in_a_title_case_headline_is_no_person(gp):
    # "Paris" is a given name, but here opens "Paris Bakers Protest ..."; "In" is a given name too
    assert "Paris" in found(gp, "Paris Bakers Protest Rising Flour Prices", "en")
    assert "Nevada" in found(gp, "Wildfire Smoke In Nevada Closes Schools", "en")
    # in running text, a given name and a surname are still a person
    assert "Paris" not in found(gp, "We met Paris Hilton at the hotel yesterday.", "en")


def test_a_place_in_a_spanish_title_case_headline_is_no_part_of_a_name(gp):
    # in running Spanish, "Escuelas De Tlaxcala" would be one name; in a headline every word is capitalised
    assert "Tlaxcala" in found(gp, "Cierran Escuelas De Tlaxcala Por Las Heladas", "es")
    assert "Durango" in found(gp, "Granizada Sorprende A Durango Esta Tarde", "es")
    assert "Sonora" not in found(gp, "La Universidad de Sonora abrió sus puertas.", "es")


def test_title_case_line():
    text = "Drought Forces Farmers To Sell Cattle\nThe farmers said prices were low."
    assert title_case_line(text, 8) == (0, True)
    assert title_case_line(text, 45) == (38, False)
    assert title_case_line("DROUGHT FORCES FARMERS TO SELL CATTLE", 8) == (0, False)
    names = {"Drought", "Forces", "Farmers", "Sell", "Cattle"}.__contains__
    assert title_case_line("Marta Elena Ruiz, Tomás Ibarra Cuevas", 3, names) == (0, False)


def test_hashtags(gp):
    assert hashtag_parts("#StandWithDenver", 0) == [(1, "Stand"), (6, "With"), (10, "Denver")]
    assert "Denver" in found(gp, "Thinking of our neighbours tonight #StandWithDenver", "en")
    assert "cdmx" in found(gp, "Ya empezó a llover fuerte #cdmx", "es")
    # a word of a tag that begins a longer name is not a place of its own: #NewYork is no York
    assert "York" not in found(gp, "Best pizza ever #NewYork", "en")
    assert not found(gp, "What a game tonight #GoTeam", "en")


def test_handles_and_links_name_no_place(gp):
    assert handles_and_links("ask @Austin_Fire or see https://x.example/Austin") == [(4, 16), (24, 48)]
    assert not found(gp, "Thanks to @Austin_Fire for the quick help", "en")
    assert "Austin" in found(gp, "Crews in Austin worked all night https://t.co/Ab12Cd", "en")


def test_lower_case_texts(gp):
    assert lower_case_text(tokenize("cant wait to be back in boston"))
    assert not lower_case_text(tokenize("Crews in Boston worked all night"))
    got = found(gp, "so much snow in boston today lol", "en")
    assert "boston" in got and "lol" not in got
    assert "reading" not in found(gp, "reading a book by the window all day", "en")


def test_repeated_letters(gp):
    assert squeezed("Dallasss") == "Dallas" and squeezed("Denver") == "Denver"
    assert repeated_words("Dallasss and Tennessee, yesss") == [(0, "Dallasss")]
    got = found(gp, "Dallasss here I come", "en")
    assert "Dallas" in got and got["Dallas"].place.name == "Dallas"
