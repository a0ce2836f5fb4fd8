"""Switching parts off: the resolver's evidence and the recogniser's rules, one at a time."""
from __future__ import annotations

import pytest

from geo.model import Document, Kind
from geo.pipeline import Geoparser
from geo.recognize import RULES, Recognizer
from geo.rules import STAGES, functions, rule
from geo.resolve import EVIDENCE, WEIGHTS, Resolver


def places(geoparser, text, lang):
    return {r.mention.surface: r for r in geoparser.parse(Document("t", text, lang=lang))}


def test_unknown_evidence_is_refused(gazetteer):
    with pytest.raises(ValueError, match="unknown resolver evidence"):
        Resolver(gazetteer, disabled={"no_such_thing"})


def test_disabled_evidence_weighs_nothing(gazetteer):
    r = Resolver(gazetteer, disabled={"doc_country", "actor"})
    assert r.weights["doc_country"] == r.weights["actor"] == 0.0
    assert r.weights["near"] == WEIGHTS["near"] and "temperature" not in EVIDENCE


def test_unit_named_evidence_reads_the_province(gazetteer):
    text = "La provincia de Sevilla recibió lluvias."
    on = places(Geoparser(gazetteer), text, "es")["Sevilla"]
    off = places(Geoparser(gazetteer, disabled={"unit_named"}), text, "es")["Sevilla"]
    assert on.place.kind in (Kind.ADMIN1, Kind.ADMIN2)
    assert off.place.kind == Kind.CITY


def test_contained_evidence_raises_confidence(gazetteer):
    text = "The sheriff in Paris, Texas said the fair opened."
    on = places(Geoparser(gazetteer), text, "en")["Paris"]
    off = places(Geoparser(gazetteer, disabled={"contained"}), text, "en")["Paris"]
    assert on.place.admin1 == "TX" and on.confidence > off.confidence


def test_county_evidence_puts_the_town_in_the_county_named(gazetteer):
    text = "Crews cleared snow in Henry County. Schools in Paris stayed closed."
    on = places(Geoparser(gazetteer), text, "en")["Henry County"]
    off = places(Geoparser(gazetteer, disabled={"county"}), text, "en")["Henry County"]
    assert on.place.admin1 == "TN" and (off.place.admin1 != "TN" or on.confidence > off.confidence + 0.1)


def test_region_evidence_weighs_the_state_most_names_lie_in(gazetteer):
    # three Wisconsin towns and one in Tennessee: "Franklin" (towns of that name in
    # both, and in several other states) is more surely the one in Wisconsin
    text = ("The company runs plants in Eau Claire, Wausau and La Crosse, and a warehouse in Memphis. "
            "Its new office will open in Franklin.")
    on = places(Geoparser(gazetteer), text, "en")["Franklin"]
    off = places(Geoparser(gazetteer, disabled={"region"}), text, "en")["Franklin"]
    assert on.place.admin1 == off.place.admin1 == "WI" and on.confidence > off.confidence + 0.1


def test_disabled_evidence_travels_to_worker_processes(gazetteer):
    import pickle
    g = pickle.loads(pickle.dumps(Geoparser(gazetteer, disabled={"near"})))
    assert g.resolver.weights["near"] == 0.0


# One sentence of our own per recogniser rule, where the rule matters: what it finds
# with every rule on, and with that rule alone off.
RULE_CASES = {
    "people": ("Senator Marcus Denton visited the plant. Denton said jobs would stay.", "en"),
    "affiliations": ("Marcaron Zubeldia (Cuenca), Arrieta (Lugo), Goikoetxea (Soria) y Etxeberria (Teruel).", "es"),
    "money": ("The farm sold its crop for US$900 last week.", "en"),
    "diseases": ("Doctors tracked cases of Lyme disease in the clinic.", "en"),
    "event_years": ("Athletes trained hard for Tokyo 2020.", "en"),
    "quoted_names": ('They ate at the "Denver Grill" on Friday.', "en"),
    "sports_teams": ("El Valencia ganó el partido del domingo.", "es"),
    "headed_names": ("La empresa Tobarra Motor contrató a diez.", "es"),
    "article_phrases": ("El Consejo se reunió ayer por la tarde.", "es"),
    "common_words": ("The Police arrived at noon.", "en"),
    "sentence_start": ("Christmas came early for the farmers.", "en"),
    "acronyms": ("La SEDENA informó del operativo.", "es"),
    "abbreviated_names": ("The firm sold forty SF Cargo vans last year.", "en"),
    "first_names": ("Ayer José llegó tarde a la reunión.", "es"),
    "hamlets": ("Mooers said the plan would cost more.", "en"),
    "line_ups": ("The side was Tom Fry, Denton, Ann Cole, Mercer and Joe Hart.", "en"),
    "lower_case_demonyms": ("Los soldados mexicanos llegaron.", "es"),
    "lower_case_places": ("Officials reported flooding in houston on Monday.", "en"),
    "lower_case_texts": ("cant believe it is snowing on denver tonight", "en"),
    "hashtags": ("Sending love to everyone tonight #StandWithHouston", "en"),
    "repeated_letters": ("Chicagooo we made it", "en"),
    "land_features": ("They fished on the Ohio River all day.", "en"),
    "handles_and_links": ("Road closed, says @Denver_Police", "en"),
    "datelines": ("DENVER — Officials said the road would reopen.", "en"),
}


def mentions(recognizer, text, lang):
    return [(m.surface, m.source, m.role) for m in recognizer.recognize(Document("t", text, lang=lang))]


def test_every_rule_is_named_documented_and_tested():
    assert [r.name for r in RULES] == list(dict.fromkeys(r.name for r in RULES))  # no name twice
    assert set(RULE_CASES) == {r.name for r in RULES}
    for r in RULES:  # each a function (or more, one a stage) with a one-line docstring saying what it is about
        assert r.doc and "\n" not in r.doc and len(r.functions) == len(r.stages) >= 1
        assert set(r.stages) <= set(STAGES) and all(fn.__doc__.strip() for fn in r.functions)
    assert not {r.name for r in RULES} & set(EVIDENCE)  # Geoparser(disabled=...) tells them apart


@pytest.mark.parametrize("name", list(RULE_CASES))
def test_switching_a_rule_off_changes_what_is_found(gazetteer, name):
    text, lang = RULE_CASES[name]
    on = mentions(Recognizer(gazetteer), text, lang)
    off = mentions(Recognizer(gazetteer, disabled={name}), text, lang)
    assert on != off
    # the rule only ever removes or re-reads: with it on, nothing is found that is not found without
    # it, except for passes that add mentions of their own
    if name not in ("lower_case_demonyms", "lower_case_places", "lower_case_texts", "hashtags", "repeated_letters",
                    "land_features", "datelines"):
        assert set(on) < set(off)


def test_unknown_rule_is_refused(gazetteer):
    with pytest.raises(ValueError, match="unknown recogniser rule"):
        Recognizer(gazetteer, disabled={"no_such_rule"})


def test_geoparser_passes_rules_to_the_recogniser_and_evidence_to_the_resolver(gazetteer):
    g = Geoparser(gazetteer, disabled={"sports_teams", "near"})
    assert g.recognizer.disabled == {"sports_teams"} and g.resolver.disabled == {"near"}
    assert "Valencia" in places(g, RULE_CASES["sports_teams"][0], "es")


def test_rules_keep_their_order_and_stages():
    assert [r.name for r in RULES] == [
        "people", "affiliations", "money", "diseases", "event_years", "quoted_names", "sports_teams",
        "headed_names", "article_phrases", "common_words", "sentence_start", "acronyms", "abbreviated_names",
        "first_names", "hamlets", "line_ups", "lower_case_demonyms", "lower_case_places", "lower_case_texts",
        "hashtags", "repeated_letters", "land_features", "handles_and_links", "datelines"]
    by_name = {r.name: r for r in RULES}
    assert by_name["people"].stages == ("runs", "keep")  # finds people; their surnames are no places
    assert by_name["sports_teams"].stages == ("candidate", "document")  # a team; then the same name throughout
    # within a stage, in the order registered: the line-ups pass runs before one sense per team
    document = functions("document")
    assert document.index(by_name["line_ups"].functions[0]) < document.index(by_name["sports_teams"].functions[1])
    assert by_name["sports_teams"].functions[0] not in functions("candidate", frozenset({"sports_teams"}))


def test_a_rule_needs_a_known_stage_and_a_docstring():
    with pytest.raises(ValueError, match="unknown stage"):
        rule("anything", "somewhere")
    with pytest.raises(ValueError, match="docstring"):
        rule("anything", "candidate")(lambda r: False)
    assert "anything" not in {r.name for r in RULES}
