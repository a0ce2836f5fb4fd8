"""geo.scope's rounds give, float for float, what the plain reading of them gives.

:func:`geo.scope.scope_rounds` indexes a document's candidates once and sums the
probabilities by slot; ``plain_scope_rounds`` below is the same evidence written as
dict look-ups per candidate (the resolver's code before the index). Both must agree to
the last bit, in every score, share, reason and mass, and in the order of their dicts
(later steps sum over them in order). The documents are made up for the purpose: lists
of states and of famous cities, counties with their towns, namesakes, Spanish text.
"""
from __future__ import annotations

import copy

import numpy as np
import pytest

from geo.model import Document, Kind
from geo.pipeline import with_inside
from geo.readings import ADMIN2_KM, POINT_KINDS, add, cities_first
from geo.scope import scope_rounds
from geo.scoring import (DWARFED_SHARE, FAMOUS_CITY_POP, FAMOUS_POP, FAMOUS_RATIO, NEAR_KM, SCOPE_MASS, Proximity,
                         softmax, softmax_shares)

TEXTS = [
    ("Flooding closed roads in Ohio, Indiana and Illinois on Monday; Columbus and Springfield were worst hit.", "en"),
    ("Ministers from Paris, Rome and Madrid met in Brussels, while Berlin sent a letter.", "en"),
    ("Deputies in Walker County said the fire spread toward Huntsville and Conroe, Texas.", "en"),
    ("The mayor of Portland and the governor in Salem spoke about the Willamette Valley.", "en"),
    ("Georgia lawmakers met in Atlanta; Gainesville and Athens sent delegates. Georgia's senate agreed.", "en"),
    ("Jordan and Egypt signed the accord in Cairo, Amman said.", "en"),
    ("Los alcaldes de Sevilla, Granada y Córdoba se reunieron en Madrid con la Junta de Andalucía.", "es"),
    ("Sonora, Chihuahua y Durango pidieron agua a la capital; en Hermosillo llovió.", "es"),
    ("Springfield", "en"),
    ("A storm moved from Lincoln, Nebraska, to Des Moines and Cedar Rapids, Iowa, then on to Madison.", "en"),
]


@pytest.fixture(scope="module")
def readings(geoparser):
    """Each text's reading, local scores and reasons, as the resolver has them before its rounds."""
    out = []
    res = geoparser.resolver
    for n, (text, lang) in enumerate(TEXTS):
        doc = Document(f"d{n}", text, lang)
        inside = []
        mentions = with_inside(geoparser.recognizer.recognize(doc, inside), inside)
        d = res._read(doc, mentions)
        local, why = res._local_scores(d)
        out.append((text, d, local, why, res.weights))
    return out


def plain_list_mass(list_others: dict[str, list[str]], probs: dict, local: dict) -> dict:
    """The list's mass per admin-1 unit and country, as the resolver summed it before geo.scope."""
    out = {}
    for key, others in list_others.items():
        if not others:
            continue
        a1: dict[tuple[str, str], float] = {}
        cc: dict[str, float] = {}
        for o in others:
            scores = local[o]
            for pid, p in probs[o].items():
                place = scores[pid][0]
                if place.country_code and place.kind in POINT_KINDS:
                    cc[place.country_code] = cc.get(place.country_code, 0) + p / len(others)
                    if place.admin1 and place.kind != Kind.COUNTRY:
                        key_a1 = (place.country_code, place.admin1)
                        a1[key_a1] = a1.get(key_a1, 0) + p / len(others)
        out[key] = (a1, cc)
    return out


def plain_scope_rounds(d, local: dict, why: dict, weights: dict) -> tuple[dict, dict, dict, dict]:
    """The scope rounds as the resolver computed them before geo.scope: dicts looked up per candidate."""
    keys, by_key = d.keys, d.by_key
    # the names listed beside each name, and whether it stands in a list of three or more
    list_others = {key: [keys[j] for i in idxs for j in d.neighbours[i] if keys[j] != key and keys[j] in local]
                   for key, idxs in by_key.items()}
    own_names = {key: d.exonym[idxs[0]] for key, idxs in by_key.items()}
    shadowed: dict[str, set[str]] = {}
    cities_first(local, why, list_others, own_names,
                 {key for key, idxs in by_key.items() if any(d.said_unit[i] for i in idxs)}, shadowed, weights)
    surface_of = d.surface_of
    long_list = {key: any(d.in_long_list[i] for i in idxs) for key, idxs in by_key.items()}
    probs = {key: softmax(scores) for key, scores in local.items()}
    final = local
    mass_cc: dict[str, dict[str, float]] = {}
    total_cc: dict[str, float] = {}
    near = Proximity({key: v for key, v in local.items() if not key.endswith("#land")}, km=NEAR_KM)
    # each candidate's country and admin-1 unit, listed once: the rounds only reweigh them
    # (masses are summed in the same order as ever: the same floats)
    units = {key: [(pid, place, place.country_code,
                    (place.country_code, place.admin1) if place.admin1 and place.kind != Kind.COUNTRY else None)
                   for pid, (place, _s) in scores.items()] for key, scores in local.items()}
    w = weights
    w_country, w_admin1, w_region = w["doc_country"], w["doc_admin1"], w["region"]
    w_near, w_county = w["near"], w["county"]
    w_list_kind, w_list_place = w["list_kind"], w["list_place"]
    in_county = near.in_county(ADMIN2_KM)  # (the same names: their distances computed once)
    # a far smaller namesake of a large city gets only part of the state's evidence: news
    # names large cities across states ("from Chicago to Atlanta" is not Atlanta, Illinois)
    top_pop = {key: max((place.population for place, _s in scores.values() if place.kind in POINT_KINDS), default=0)
               for key, scores in local.items()}
    dwarfed = {key: {pid for pid, (place, _s) in scores.items() if place.kind in POINT_KINDS
                     and top_pop[key] >= FAMOUS_POP and place.population * FAMOUS_RATIO < top_pop[key]}
               for key, scores in local.items()}
    shadow_of_famous = {key: dwarfed[key] if top_pop[key] >= FAMOUS_CITY_POP else set() for key in local}
    for _round in range(3):
        last = _round == 2
        support_near = near.support(probs)
        support_county = in_county.support(probs)
        shares = plain_list_mass(list_others, probs, local)
        mass_cc, mass_a1, kind_of = {}, {}, {}
        total_cc, total_a1 = {}, {}
        for key, ps in probs.items():
            cc_mass: dict[str, float] = {}
            a1_mass: dict[tuple[str, str], float] = {}
            kinds: dict[Kind, float] = {}
            small, small_cc = shadow_of_famous[key], {}
            for pid, place, cc, a1 in units[key]:
                p = ps[pid]
                if cc:
                    if pid in small:
                        # the far smaller namesakes of a city of a million weigh in a country by
                        # the likeliest of them, not their sum: ten small Berlins and Romes do not
                        # make "leaders from Berlin, Rome and Madrid" an American story
                        small_cc[cc] = max(small_cc.get(cc, 0), p)
                    else:
                        cc_mass[cc] = cc_mass.get(cc, 0) + p
                    if a1 is not None:
                        a1_mass[a1] = a1_mass.get(a1, 0) + p
                kinds[place.kind] = kinds.get(place.kind, 0) + p
            for cc, p in small_cc.items():
                cc_mass[cc] = cc_mass.get(cc, 0) + p
            mass_cc[key], mass_a1[key], kind_of[key] = cc_mass, a1_mass, kinds
            for cc, m in cc_mass.items():
                total_cc[cc] = total_cc.get(cc, 0) + m
            for a1, m in a1_mass.items():
                total_a1[a1] = total_a1.get(a1, 0) + m
        list_kind = {key: {k: sum(kind_of[o].get(k, 0) for o in others) / len(others) for k in Kind}
                     for key, others in list_others.items() if others}
        final = {}
        a1_total = sum(total_a1.values())
        a1_others = {key: a1_total - sum(mass_a1[key].values()) for key in local}
        for key, scores in local.items():
            updated = {}
            cc_mass, a1_mass = mass_cc[key], mass_a1[key]
            kinds_listed = list_kind.get(key)
            shadow = shadowed.get(key, ())
            share = shares.get(key)
            why_key, a1_others_key, long_listed = why[key], a1_others[key], long_list[key]
            small = dwarfed[key]
            for pid, place, cc, a1 in units[key]:
                s = scores[pid][1]
                local_share = DWARFED_SHARE if pid in small else 1.0
                r = why_key[pid]  # the reasons are noted in the last round only
                if cc:
                    # the bonus also goes to a country itself, so that a mentioned
                    # country never makes its own namesake state win over it
                    b = w_country * min(1.0, total_cc[cc] - cc_mass[cc])
                    s += b
                    if last:
                        add(r, ("doc_country", cc), b)
                    if a1 is not None:
                        other = total_a1[a1] - a1_mass[a1]
                        b = w_admin1 * min(1.0, other / SCOPE_MASS) * local_share
                        s += b
                        if last:
                            add(r, ("doc_admin1", *a1), b)
                        if other > 0:  # the document's own region: its share of the other names' units
                            b = w_region * other / a1_others_key * local_share
                            s += b
                            if last:
                                add(r, ("region", *a1), b)
                b = w_near * min(1.0, support_near.get((key, pid), 0.0))
                s += b
                if last:
                    add(r, ("near",), b)
                b = w_county * min(1.0, support_county.get((key, pid), 0.0))
                s += b
                if last:
                    add(r, ("county",), b)
                if kinds_listed and (place.kind in (Kind.COUNTRY, Kind.ADMIN1) or long_listed) and pid not in shadow:
                    b = w_list_kind * kinds_listed.get(place.kind, 0.0)
                    s += b
                    if last:
                        add(r, ("list_kind", str(place.kind)), b)
                if share is not None and cc:
                    # the country's share goes to its states too ("New York City and Florida")
                    a1_share, cc_share = share
                    same_a1 = a1_share.get((cc, place.admin1), 0.0) \
                        if place.kind in POINT_KINDS or place.kind == Kind.ADMIN1 else 0.0
                    b = w_list_place * (min(1.0, same_a1) * local_share + min(1.0, cc_share.get(cc, 0.0)))
                    s += b
                    if last:
                        add(r, ("list_place", surface_of[list_others[key][0]]), b)
                updated[pid] = (place, s)
            final[key] = updated
        probs = {key: softmax(scores) for key, scores in final.items()}
    return final, probs, mass_cc, total_cc


def exact(x):
    """A value with its floats as their bits and its dicts as their ordered items."""
    if isinstance(x, float):
        return ("float", x.hex())
    if isinstance(x, dict):
        return [(exact(k), exact(v)) for k, v in x.items()]
    if isinstance(x, (list, tuple)):
        return [exact(v) for v in x]
    if isinstance(x, (set, frozenset)):
        return sorted(map(repr, x))
    return repr(x)


def test_the_documents_exercise_the_rounds(readings):
    """The made-up documents have what the rounds weigh: many candidates, lists, near places."""
    assert sum(len(scores) for _t, _d, local, _w, _ws in readings for scores in local.values()) > 200
    assert any(any(n) for _t, d, *_ in readings for n in d.neighbours)


@pytest.mark.parametrize("n", range(len(TEXTS)))
def test_scope_rounds_agree_with_the_plain_reading_to_the_bit(readings, n):
    _text, d, local, why, weights = readings[n]
    local_a, why_a = copy.deepcopy(local), copy.deepcopy(why)
    local_b, why_b = copy.deepcopy(local), copy.deepcopy(why)
    fast = scope_rounds(d, local_a, why_a, weights)
    plain = plain_scope_rounds(d, local_b, why_b, weights)
    assert exact(fast) == exact(plain)
    assert exact(why_a) == exact(why_b)  # the reasons noted in the last round, in their order
    assert exact(local_a) == exact(local_b)  # (cities_first raises some scores in place)


@pytest.mark.parametrize("n", range(len(TEXTS)))
def test_in_county_is_the_county_proximity(readings, n):
    """The county proximity taken from the near one (and no matrix when no county and town
    are there) supports exactly what a county proximity built on its own does."""
    _text, _d, local, _why, _weights = readings[n]
    local = {key: v for key, v in local.items() if not key.endswith("#land")}
    probs = {key: softmax(scores) for key, scores in local.items()}
    taken = Proximity(local, km=NEAR_KM).in_county(ADMIN2_KM)
    own = Proximity(local, km=ADMIN2_KM, county=True)
    assert taken.index == own.index
    assert exact(taken.support(probs)) == exact(own.support(probs))


def test_softmax_shares_are_softmax_in_order():
    scores = {"a": (None, 2.5), "b": (None, 0.25), "c": (None, 2.5)}
    assert softmax(scores) == dict(zip("abc", softmax_shares([2.5, 0.25, 2.5])))
    assert softmax_shares([7.0]) == [1.0]  # one candidate: all of the mass, exactly


def test_a_round_that_starts_where_the_one_before_did_is_not_computed_again(readings, monkeypatch):
    """A round is a function of the probabilities it starts from: when they are the round before's
    (a document of single-candidate names, or scores that settled), its values are kept, not
    computed again; the documents have both kinds, and each agrees with the plain reading (above)."""
    import geo.scope

    calls = []
    bonus = geo.scope._bonus
    monkeypatch.setattr(geo.scope, "_bonus", lambda *a: calls.append(1) or bonus(*a))
    rounds_computed = []
    for _text, d, local, why, weights in readings:
        calls.clear()
        scope_rounds(d, copy.deepcopy(local), copy.deepcopy(why), weights)
        rounds_computed.append(len(calls) // 2)  # (two bonuses a round: near and county)
    assert min(rounds_computed) < geo.scope.ROUNDS
    assert max(rounds_computed) == geo.scope.ROUNDS


def plain_distances(lat, lon):
    """The haversine matrix as Proximity wrote it out before Proximity.distances."""
    la, lo = np.radians(lat), np.radians(lon)
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    cos = np.cos(la)
    a = np.sin(dlat / 2) ** 2 + cos[:, None] * cos[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def test_distances_are_the_haversine_written_out_to_the_bit(readings):
    """Proximity.distances computes in fewer numpy calls what the formula written out computes,
    float for float: on the test documents' candidates, and on random points with the same point
    twice, antipodes, the poles and the date line among them."""
    points = [place for _t, _d, local, _w, _ws in readings for scores in local.values() for place, _s in scores.values()]
    cases = [([p.lat for p in points], [p.lon for p in points])]
    rng = np.random.default_rng(7)
    for n in (2, 3, 8, 17, 40, 97):
        lat, lon = list(rng.uniform(-90, 90, n)), list(rng.uniform(-180, 180, n))
        lat[:4], lon[:4] = [10.5, 10.5, -10.5, 90.0][:n], [20.25, 20.25, -159.75, 0.0][:n]
        lat[-1], lon[-1] = -90.0, 180.0
        cases.append((lat, lon))
    for lat, lon in cases:
        fast, plain = Proximity.distances(lat, lon), plain_distances(lat, lon)
        assert fast.shape == plain.shape == (len(lat), len(lat))
        assert fast.tobytes() == plain.tobytes()


def test_a_names_index_is_remembered_only_for_the_same_places(readings):
    """_name_index answers from memory only for the very same place objects, and the answer is
    what it works out afresh."""
    import dataclasses

    import geo.scope

    names = [[place for place, _s in scores.values()] for _t, _d, local, _w, _ws in readings for scores in local.values()]
    first = [geo.scope._name_index(places) for places in names]
    geo.scope._NAME_INDEX.clear()
    again = [geo.scope._name_index(places) for places in names]
    assert [exact(tuple(n)) for n in first] == [exact(tuple(n)) for n in again]
    assert all(geo.scope._name_index(places) is n for places, n in zip(names, again))
    copies = [[dataclasses.replace(p) for p in places] for places in names]
    assert all(geo.scope._name_index(c) is not n and exact(tuple(geo.scope._name_index(c))) == exact(tuple(n))
               for c, n in zip(copies, again))
