"""The context cues the recogniser's rules read: the words around a span (own sentences)."""
from __future__ import annotations

from geo.context import (club_context, cue_before, in_quoted_name, locative_before, match_result, names_a_disease,
                         news_dateline, opens_dateline, year_after)
from geo.tokens import tokenize


def at(text, word):
    """The tokens of ``text`` and the index range of ``word`` (one or more tokens) in them."""
    tokens = tokenize(text)
    parts = word.split()
    for i in range(len(tokens)):
        if [t.text for t in tokens[i:i + len(parts)]] == parts:
            return tokens, i, i + len(parts)
    raise AssertionError(word)


def test_a_place_word_or_nearness_before_says_a_place_follows():
    assert cue_before(*at("Vive en el pueblo de Tarvena desde mayo.", "Tarvena")[:2])
    assert cue_before(*at("The farm lies north of Hollisburg.", "Hollisburg")[:2])
    assert cue_before(*at("They camped near Drayton.", "Drayton")[:2])
    assert not cue_before(*at("The Bank of Drayton opened.", "Drayton")[:2])


def test_a_wire_dateline_follows_the_span():
    tokens, i, j = at("Tarvena, 14 oct (EFE).- El alcalde", "Tarvena")
    assert news_dateline(tokens, j)
    tokens, i, j = at("Hollisburg (AP) — Crews worked", "Hollisburg")
    assert news_dateline(tokens, j)
    tokens, i, j = at("Hollisburg, 14 people came", "Hollisburg")
    assert not news_dateline(tokens, j)
    tokens, i, j = at("DRAYTON — Crews worked", "DRAYTON")
    assert opens_dateline(tokens, i, j)


def test_club_words_and_scores_make_a_team():
    assert club_context(*at("El FC Tarvena ganó.", "Tarvena")) == "name"
    assert club_context(*at("Hollisburg Rovers lost again.", "Hollisburg")) == "name"
    assert club_context(*at("Tarvena 71 - Drayton 64", "Drayton")) == "score"
    assert club_context(*at("Viajó de Tarvena a Drayton.", "Drayton")) == ""


def test_a_game_result_has_teams_on_both_sides():
    assert match_result(*at("On Sunday Hollisburg beat Drayton at home.", "Hollisburg"))
    assert match_result(*at("On Sunday Hollisburg lost to Drayton at home.", "Drayton"))
    assert not match_result(*at("On Sunday Hollisburg welcomed visitors.", "Hollisburg"))


def test_years_diseases_quotes_and_locatives():
    assert year_after(*at("Se prepararon durante años para Tarvena 2030.", "Tarvena")[::2])
    assert not year_after(*at("De Tarvena 2031-2032 fue el plan.", "Tarvena")[::2])
    assert names_a_disease(*at("Cases of Drayton fever rose.", "Drayton")[::2])
    text = 'They dined at the "Drayton Grill" downtown.'
    assert in_quoted_name(text, text.index("Drayton"), text.index("Drayton") + 7, 60)
    text = 'Vive en el rancho "Tarvena" del norte.'
    assert not in_quoted_name(text, text.index("Tarvena"), text.index("Tarvena") + 7, 60)
    text = "Flooding in Drayton closed roads."
    assert locative_before(text, text.index("Drayton"), 12)
    assert not locative_before(text, text.index("roads"), 12)
