"""Each resolution rule on small hand-made cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.frames import display_place_id
from geo.model import Document, Kind, Mention, Precision
from geo.pipeline import Geoparser
from geo.resolve import Resolver

DATA = Path(__file__).resolve().parent / "data"


def by_surface(resolutions):
    out = {}
    for r in resolutions:
        out.setdefault(r.mention.surface, r)
    return out


def test_kind_prior_prefers_the_state_over_a_homonymous_village(parse):
    r = by_surface(parse("Texas passed a new law.", "en"))["Texas"]
    assert (r.place.kind, r.place.country_code) == (Kind.ADMIN1, "US")


def test_country_wins_over_its_namesake_state(parse):
    r = by_surface(parse("Los soldados mexicanos viajaron desde México.", "es"))["México"]
    assert r.place.kind == Kind.COUNTRY and r.place.country_code == "MX"


def test_city_state_pattern(parse):
    r = by_surface(parse("She moved to Paris, Texas last year.", "en"))
    assert (r["Paris"].place.country_code, r["Paris"].place.admin1) == ("US", "TX")
    r = by_surface(parse("The mayor of Springfield, Illinois spoke.", "en"))
    assert r["Springfield"].place.admin1 == "IL"


def test_without_context_population_decides(parse):
    r = by_surface(parse("She moved to Paris last year.", "en"))["Paris"]
    assert r.place.country_code == "FR"


def test_document_scope_raises_places_in_mentioned_admin1(parse):
    text = "Georgia lawmakers met on Monday. Later the mayor of Gainesville spoke about the budget."
    r = by_surface(parse(text, "en"))["Gainesville"]
    assert (r.place.country_code, r.place.admin1) == ("US", "GA")


def test_one_sense_per_document(parse):
    text = "Paris, Texas is small. Paris has a water tower. Everyone in Paris knows it."
    rs = [r for r in parse(text, "en") if r.mention.surface == "Paris"]
    assert len(rs) == 3 and {r.place.place_id for r in rs} == {rs[0].place.place_id}
    assert rs[0].place.admin1 == "TX"


def test_demonym_resolves_to_its_country(parse):
    r = by_surface(parse("Los soldados mexicanos llegaron.", "es"))["mexicanos"]
    assert r.kind == Kind.DEMONYM and r.place.kind == Kind.COUNTRY and r.place.country_code == "MX"


def test_missing_feature_falls_back_to_the_state_named_after_it(parse):
    r = by_surface(parse("El curso se realiza en Camp Shelby, Misisipi, desde enero.", "es"))["Camp Shelby"]
    assert r.precision == Precision.ADMIN1
    assert r.kind == Kind.FEATURE
    assert r.place.name == "Mississippi"
    assert r.confidence < 0.9
    assert display_place_id(r) != r.place.place_id  # never merged with Mississippi itself


def test_missing_base_is_not_put_in_a_country_the_text_merely_mentions(parse):
    # issue 12: a base falls back only to a unit the text puts it in, never guessed
    r = by_surface(parse("Los soldados de México fueron a Fort Zzyzxville. México confirmó.", "es"))["Fort Zzyzxville"]
    assert r.precision == Precision.UNRESOLVED and r.place is None


def test_missing_feature_with_no_context_is_unresolved(parse):
    r = by_surface(parse("They walked to Fort Zzyzxville.", "en"))["Fort Zzyzxville"]
    assert r.precision == Precision.UNRESOLVED and r.place is None


def test_layer_entry_resolves_exactly_and_beats_the_town(gazetteer):
    from geo.gazetteer import Gazetteer

    gp = Geoparser(Gazetteer(gazetteer.path), layers=[DATA / "layers" / "camp_shelby.txt"])
    r = by_surface(gp.parse(Document("t", "El curso se realiza en Camp Shelby, Misisipi.", "es")))["Camp Shelby"]
    assert r.precision == Precision.EXACT
    assert r.place.place_id == "gn:9990001"
    assert (r.place.lat, r.place.lon) == pytest.approx((31.18333, -89.19167))


def test_confidence_is_lower_when_ambiguous(parse):
    sure = by_surface(parse("Venezuela respondió.", "es"))["Venezuela"].confidence
    unsure = by_surface(parse("He lives in Springfield now.", "en"))["Springfield"].confidence
    assert 0 <= unsure < sure <= 1


def test_no_mentions_no_resolutions(gazetteer):
    assert Resolver(gazetteer).resolve(Document("t", "nada", "es"), []) == []


def test_given_spans_are_resolved(gazetteer):
    doc = Document("t", "Flights from Gainesville, Florida resumed.", "en")
    mentions = [Mention("t", 13, 24, "Gainesville"), Mention("t", 26, 33, "Florida")]
    rs = Resolver(gazetteer).resolve(doc, mentions)
    assert rs[0].place.admin1 == "FL" and rs[1].place.kind == Kind.ADMIN1


def test_weak_common_word_needs_support(parse):
    assert "Western" not in by_surface(parse("The diagnosis was then checked with a Western Blot assay.", "en"))
    rs = by_surface(parse("Lusaka and the Western province of Zambia reported cases.", "en"))
    assert "Western" in rs and rs["Western"].place.country_code == "ZM"


def test_county_prior_needs_the_county_name(parse):
    r = by_surface(parse("The new library in Arlington carries her name.", "en"))["Arlington"]
    assert r.place.kind == Kind.CITY


def test_spatial_coherence_prefers_places_near_each_other(parse):
    text = "Officers from Alexandria and Pineville worked the scene near Rapides Parish."
    r = by_surface(parse(text, "en"))["Alexandria"]
    assert (r.place.country_code, r.place.admin1) == ("US", "LA")


def test_a_county_named_places_the_town_in_it(parse):
    # Henry County and Paris: Paris, Tennessee is in Henry County, Tennessee (there are
    # Henry Counties in many states, and many towns called Paris)
    rs = by_surface(parse("Crews cleared snow in Henry County. Schools in Paris stayed closed.", "en"))
    assert (rs["Henry County"].place.admin1, rs["Paris"].place.admin1) == ("TN", "TN")
    assert "in a county named" in rs["Paris"].evidence and "a town named lies in it" in rs["Henry County"].evidence
    # a bare name read as a county ("Marion") is no county named as such
    rs = by_surface(parse("Crews cleared snow in Marion. Schools in Paris stayed closed.", "en"))
    assert "county named" not in rs["Paris"].evidence


def test_a_state_in_a_list_of_states_is_not_a_town_of_the_next(parse):
    # "Illinois, Missouri" alone reads as a town in Missouri; in a list it is the state
    r = by_surface(parse("Cases were found in Arizona, Georgia, Illinois, Missouri and Ohio.", "en"))
    assert r["Illinois"].place.kind == Kind.ADMIN1
    # the pattern still works outside a list
    town = by_surface(parse("He grew up in Mexico, Missouri.", "en"))["Mexico"]
    assert (town.place.kind, town.place.country_code) == (Kind.CITY, "US")


def test_names_listed_together_are_of_one_kind(parse):
    # Niger is also a state of Nigeria; listed with countries it is the country
    r = by_surface(parse("Polio cases came from Ghana, Nigeria, Mali, Niger and Senegal.", "en"))
    assert (r["Niger"].place.kind, r["Niger"].place.country_code) == (Kind.COUNTRY, "NE")


def test_an_ocean_by_its_own_name_outranks_a_namesake_town(parse):
    r = by_surface(parse("Birds from Alaska fly along the Pacific to Oregon.", "en"))["Pacific"]
    assert r.place.feature_code == "SEA"
    # a sea's short name is not its main name: Lincoln is the city
    lincoln = by_surface(parse("A small bakery in Lincoln, Nebraska ships the bread.", "en"))["Lincoln"]
    assert lincoln.place.kind == Kind.CITY


def test_a_missing_feature_takes_the_point_of_the_place_its_name_is_built_on(parse):
    r = by_surface(parse("Spinach from the Salinas Valley, California, made people ill.", "en"))["Salinas Valley"]
    assert r.precision == Precision.NEARBY and r.place.name == "Salinas" and r.place.admin1 == "CA"
    # nothing is guessed outside the unit the text names: there is no Long in New York
    far = by_surface(parse("They sailed from Long Island, New York.", "en"))["Long Island"]
    assert far.precision != Precision.NEARBY


def test_a_national_capital_gets_a_prior(gazetteer):
    rome = [e[0] for e in gazetteer.lookup("Rome", "en") if e[0].country_code == "IT"][0]
    assert rome.feature_code == "PPLC"
    scores = {p.place_id: s for p, s in Resolver(gazetteer).candidates(Mention("d", 0, 4, "Rome"), "en")}
    from geo.resolve import WEIGHTS, score as _score
    assert scores[rome.place_id] == pytest.approx(_score(rome, "Rome", True, "Rome"))
    assert _score(rome, "Rome", True, "Rome") - WEIGHTS["capital"] == pytest.approx(
        _score(rome.__class__(**{**{f: getattr(rome, f) for f in rome.__dataclass_fields__}, "feature_code": "PPL"}),
               "Rome", True, "Rome"))


def test_large_islands_are_places(parse):
    r = by_surface(parse("Bird flu spread on Sumatra and in Mindanao, the Philippines.", "en"))
    assert r["Sumatra"].place.feature_code == "RGN" and -6 < r["Sumatra"].place.lat < 6
    assert r["Mindanao"].place.feature_code == "RGN"


def test_a_place_the_gazetteer_lacks_offers_the_units_around_it(gazetteer):
    # a township the gazetteer lacks, in a story whose places all lie in one county and state:
    # a reader who sees the fallback is one click from the county and the state
    text = ("Deputies from Zzyzxburg searched the creek banks between Lufkin and Diboll on Sunday, "
            "and Angelina County officials closed two roads.")
    start = text.index("Zzyzxburg")
    [r] = Geoparser(gazetteer).parse(Document("t", text, "en"), spans=[(start, start + len("Zzyzxburg"))])
    assert r.precision != Precision.EXACT and r.evidence.startswith("not in gazetteer")
    offered = [r.place, *r.alternatives]
    assert any(p.kind == Kind.ADMIN2 and p.name == "Angelina County" for p in offered)
    assert any(p.kind == Kind.ADMIN1 and p.admin1 == "TX" for p in offered)
    assert len({p.place_id for p in offered}) == len(offered)  # never the answer twice
    assert len(r.alternative_scores) == len(r.alternatives) and all(0 < s <= 1 for s in r.alternative_scores)


def test_a_fallback_with_nothing_around_offers_nothing(parse):
    r = by_surface(parse("They walked to Fort Zzyzxville.", "en"))["Fort Zzyzxville"]
    assert r.alternatives == ()


def test_a_place_the_gazetteer_lacks_falls_back_to_the_state_its_towns_lie_in(gazetteer):
    # no state is named, but every town is in one: the unit is the state, not the country
    text = "Volunteers from Zzyzxburg joined crews in Lufkin and Diboll after the flood."
    start = text.index("Zzyzxburg")
    [r] = Geoparser(gazetteer).parse(Document("t", text, "en"), spans=[(start, start + len("Zzyzxburg"))])
    assert r.precision == Precision.ADMIN1 and (r.place.country_code, r.place.admin1) == ("US", "TX")
    assert r.evidence == "not in gazetteer; document scope: Texas"
    # near the towns the story names, or anywhere in the country: one click away
    assert [(a.kind, a.name) for a in r.alternatives] == [(Kind.CITY, "Lufkin"), (Kind.COUNTRY, "United States")]


def test_a_town_read_far_from_the_story_offers_the_storys_own_county_last(parse):
    # a local paper's township the gazetteer lacks reads as a namesake elsewhere in the country
    rs = by_surface(parse("Crews from Lufkin and Diboll helped clear trees in Kent on Sunday, "
                          "and Angelina County closed two roads.", "en"))
    kent = rs["Kent"]
    assert kent.place.admin1 != "TX" and kent.confidence < 0.5
    last = kent.alternatives[-1]
    assert (last.kind, last.name, last.admin1) == (Kind.ADMIN2, "Angelina County", "TX")
    assert kent.alternative_scores[-1] <= min(kent.alternative_scores[:-1])
    assert rs["Lufkin"].alternatives == ()  # a town in the story's state: nothing added


def test_a_famous_city_abroad_gets_no_local_alternative(parse):
    for r in parse("The committee met in London and later in Paris.", "en"):
        assert all(a.kind == Kind.CITY for a in r.alternatives)


def test_a_reading_only_its_prior_supports_is_less_sure(parse):
    from geo.resolve import PRIOR_ONLY_TRUST

    alone = by_surface(parse("Ayer llovió mucho en Hermosillo.", "es"))["Hermosillo"]
    placed = by_surface(parse("Ayer llovió mucho en Hermosillo, Sonora.", "es"))["Hermosillo"]
    assert alone.place.place_id == placed.place.place_id
    assert alone.evidence == "language: es" and alone.confidence <= PRIOR_ONLY_TRUST  # (the prior, and Spanish)
    assert placed.evidence.startswith('"Hermosillo, Sonora" in text') and placed.confidence > PRIOR_ONLY_TRUST


def test_the_resolvers_tables_are_one_object_wherever_imported():
    # bench/tune.py and bench/accuracy.py --ablate set them through geo.resolve
    import geo.resolve as R
    import geo.scoring as S
    assert R.WEIGHTS is S.WEIGHTS and R.KIND_PRIOR is S.KIND_PRIOR and R.EVIDENCE == S.EVIDENCE
    assert R.score is S.score and "temperature" not in R.EVIDENCE
