"""The resolver's shortcuts give the answers of the plain computation they stand for."""
from __future__ import annotations

import math
import random

import pytest

import geo.resolve as resolve_module
from geo.model import Document, Kind, Place
from geo.scoring import WEIGHTS, softmax

# hand-made sentences where being named as an actor, or the text naming the unit, decides
SENTENCES = [
    ("Moscow responded on Tuesday, and Paris and London agreed to new talks.", "en"),
    ("The governor of Georgia toured Atlanta and Savannah after the storm.", "en"),
    ("Officials in the state of New York said New York City would reopen its schools.", "en"),
    ("Sanctions announced by Washington hit Caracas and Havana this week.", "en"),
    ("Crews in Springfield, Illinois and Salem, Oregon waited for Washington to decide.", "en"),
    ("Londres y París acordaron nuevas medidas, mientras Madrid pidió calma.", "es"),
    ("La provincia de Sevilla y la ciudad de Sevilla recibieron lluvias; Valencia también.", "es"),
    ("El gobernador de Jalisco viajó a Guadalajara y a Zapopan.", "es"),
]


def _plain_softmax(scores):
    t = WEIGHTS["temperature"]
    top = max(s for _, s in scores.values())
    exp = {pid: math.exp((s - top) / t) for pid, (_, s) in scores.items()}
    z = sum(exp.values())
    return {pid: e / z for pid, e in exp.items()}


def test_softmax_is_the_plain_formula_bit_for_bit():
    rng = random.Random(11)
    place = Place("x:1", "X", Kind.CITY, 0.0, 0.0)
    for n in [1, 1, 2, 3, 5, 8, 20, 40] * 25:
        scores = {f"p{i}": (place, rng.choice([rng.uniform(-5, 15), 3.0, 7.25])) for i in range(n)}
        got, want = softmax(scores), _plain_softmax(scores)
        assert list(got) == list(want)
        assert all(got[k].hex() == want[k].hex() for k in want)


def _record(resolutions):
    return [(r.mention.start, r.mention.end, r.place.place_id if r.place else None, r.kind, r.precision, r.confidence,
             tuple(a.place_id for a in r.alternatives), r.alternative_scores, r.evidence) for r in resolutions]


def test_reading_cues_only_where_they_count_changes_nothing(gazetteer, monkeypatch):
    """The resolver reads "the state of X" only for names a unit bears, and the verb after a
    list only where a capital is among its readings; reading them everywhere gives the same."""
    from geo.pipeline import Geoparser

    docs = [Document(f"d{n}", text, lang) for n, (text, lang) in enumerate(SENTENCES)]
    fast = [_record(Geoparser(gazetteer).parse(doc)) for doc in docs]
    with monkeypatch.context() as m:
        m.setattr(resolve_module, "may_be_unit", lambda cands: True)
        m.setattr(resolve_module, "may_be_capital", lambda cands: True)
        plain_parser = Geoparser(gazetteer)  # (its resolver remembers each name's answers: a new one)
        plain = [_record(plain_parser.parse(doc)) for doc in docs]
    assert fast == plain
    evidence = " ".join(rec[-1] for recs in plain for rec in recs)
    # the sentences exercise both cues (else this test would show nothing)
    assert "capital as actor" in evidence and "names the unit" in evidence


@pytest.mark.parametrize("text", ["Moscow said it would respond.", "Officials in the state of Georgia met."])
def test_the_cue_is_still_read_where_it_counts(parse, text):
    evidence = " ".join(r.evidence for r in parse(text, "en"))
    assert "capital as actor" in evidence or "names the unit" in evidence


def test_extract_alternatives_are_the_alternative_records(geoparser):
    """``geo extract`` builds each toponym's alternatives directly: the same as alternative_records'."""
    from geo.frames import alternative_records
    from geo.pipeline import toponym_records

    keys = ("name", "lat", "lon", "gazetteer_id", "kind", "country_code", "score")
    seen = 0
    for n, (text, lang) in enumerate(SENTENCES):
        resolutions = geoparser.parse(Document(f"d{n}", text, lang))
        for record, r in zip(toponym_records(resolutions, demonyms=True), resolutions):
            assert record["alternatives"] == [{k: a[k] for k in keys} for a in alternative_records(r)]
            assert [list(a) for a in record["alternatives"]] == [list(keys)] * len(r.alternatives)
            seen += len(r.alternatives)
    assert seen > 0


def test_duplicates_found_as_by_every_distance():
    """distinct and point_mass skip the distance of points far apart in latitude: the same
    answers as measuring every pair (points placed around DUPLICATE_KM of each other)."""
    from geo.distance import great_circle_km
    from geo.readings import DUPLICATE_KM, MAX_ALTERNATIVES, distinct, point_mass

    def plain_distinct(answer, ranked, scores):
        kept, points = [], [(answer.lat, answer.lon)]
        for pid in ranked:
            p = scores[pid][0]
            if not any(great_circle_km(q[0], q[1], p.lat, p.lon) <= DUPLICATE_KM for q in points):
                kept.append(pid)
                points.append((p.lat, p.lon))
                if len(kept) == MAX_ALTERNATIVES:
                    break
        return kept

    def plain_mass(answer, probs, scores):
        return min(1.0, sum(p for pid, p in probs.items() if p >= 0.005 and (
            scores[pid][0] is answer or great_circle_km(answer.lat, answer.lon, scores[pid][0].lat,
                                                        scores[pid][0].lon) <= DUPLICATE_KM)))

    rng = random.Random(7)
    for _ in range(300):
        lat0, lon0 = rng.uniform(-80, 80), rng.uniform(-179, 179)
        places = [Place(f"x:{i}", "X", Kind.CITY, max(-90.0, min(90.0, lat0 + rng.choice([1, -1]) * rng.uniform(0, 0.9))),
                        lon0 + rng.uniform(-0.9, 0.9)) for i in range(8)]
        scores = {p.place_id: (p, rng.uniform(0, 5)) for p in places}
        probs = softmax(scores)
        ranked = sorted(probs, key=lambda k: (probs[k], k), reverse=True)
        answer = scores[ranked[0]][0]
        assert distinct(answer, ranked[1:], scores) == plain_distinct(answer, ranked[1:], scores)
        assert point_mass(answer, probs, scores) == plain_mass(answer, probs, scores)


def test_units_around_holds_what_weighed_lists():
    """UnitsAround.holds answers, without weighing, whether weighed() lists a unit of an admin-1 unit."""
    from geo.readings import UnitsAround

    rng = random.Random(3)
    units = {(cc, a1): Place(f"a1:{cc}{a1}", a1, Kind.ADMIN1, 0.0, 0.0, cc, a1) for cc in "AB" for a1 in "xyz"}
    for _ in range(200):
        chosen, weight = {}, {}
        for n in range(rng.randint(1, 7)):
            cc, a1 = rng.choice("AB"), rng.choice("xyz")
            kind = rng.choice([Kind.CITY, Kind.ADMIN2, Kind.ADMIN1, Kind.COUNTRY])
            chosen[f"k{n}"] = Place(f"p:{rng.randint(0, 5)}{cc}{a1}", "P", kind, 0.0, 0.0, cc, a1)
            weight[f"k{n}"] = rng.choice([1.0, 0.5, 2 * rng.random()])
        around = UnitsAround(chosen, weight, lambda cc, a1: units.get((cc, a1)),
                             lambda cc: Place(f"c:{cc}", cc, Kind.COUNTRY, 0.0, 0.0, cc), {
                                 "town": 0.5, "admin2": 0.35, "admin1": 0.35, "country": 0.2})
        for key in [*chosen, ""]:
            for levels in [("admin2", "admin1"), ("admin2", "town", "admin1", "country")]:
                listed = around.weighed(key, levels)
                for cc in "AB":
                    for a1 in "xyz":
                        assert around.holds(key, levels, cc, a1) == any(
                            u.country_code == cc and u.admin1 == a1 for u, _ in listed)


def test_a_rivers_reach_remembered_is_the_same(parse):
    """The resolver remembers where a river named with a town is placed: the same point as
    point_near's, the first time and the next."""
    from geo.land import point_near
    from geo.land_readings import Reaches

    text = "Las lluvias en el norte elevaron el río Paraná frente a Rosario."
    first, again = (next(r for r in parse(text, "es") if r.mention.surface == "río Paraná") for _ in range(2))
    assert (first.place.lat, first.place.lon) == (again.place.lat, again.place.lon)
    reaches = Reaches(limit=2)
    for lat, lon in [(-32.95, -60.65), (-31.6, -60.7), (-32.95, -60.65), (-27.5, -58.9), (-31.6, -60.7)]:
        assert reaches(first.place.place_id, lat, lon, 400.0) == point_near(first.place.place_id, lat, lon, 400.0)
    assert reaches(first.place.place_id, -32.95, -60.65, 400.0) is not None
