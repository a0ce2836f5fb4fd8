"""The resolver's scope rounds: a document's scope, found jointly over all its names.

Each name's candidates are weighted by their current probability, and a candidate
gains support from the probability that *other* names lie in its country / admin-1
unit, near it, in its county, or beside it in a list. A few rounds let "Georgia ...
Gainesville" settle on the US state and its city together. A name is never its own
evidence. :func:`scope_rounds` is what :meth:`geo.resolve.Resolver.resolve` runs
between the local scores and the choice.

How it is computed (for speed; the answer is the arithmetic of the plain reading, float
for float): what does not change between rounds is worked out once per document
(:class:`_Index`: all names' candidates in one list, each with its pair of name and
country and of name and admin-1 unit, its share of the state's evidence, whether it
takes a list's kind or place), so a round sums the probabilities into lists by pair
and adds each candidate's bonuses in one pass over the document, with no look-up by
name or place id. Every sum keeps the order of the plain loop (candidates in order,
names in order, starting from 0; ``sum`` where it used ``sum``), so the floats are the
same to the last bit; ``tests/test_scope.py`` checks the rounds against that plain
reading.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .model import Kind, Place
from .readings import ADMIN2_KM, POINT_KINDS, add, cities_first
from .scoring import (DWARFED_SHARE, FAMOUS_CITY_POP, FAMOUS_POP, FAMOUS_RATIO, NEAR_KM, SCOPE_MASS, Proximity,
                      softmax_shares)

__all__ = ["scope_rounds", "ROUNDS"]

ROUNDS = 3  # enough for a state and its towns to settle together


class _NameIndex(NamedTuple):
    """What the rounds need of one name's candidates that depends on its places alone (not on the
    document): worked out once per list of places (:func:`_name_index`), numbered within the name.
    A pair is a country or an admin-1 unit among its candidates, numbered as the plain loop meets
    them: the countries of its ordinary candidates first, then those that only its far smaller
    namesakes of a famous city have (they are added after the rest)."""

    places: list[Place]
    kinds: list[Kind]
    share: list[float]       # each candidate's share of the state's evidence
    cc_pair: list[int]       # each candidate's country pair, or -1
    cc_sum: list[int]        # ... the pair its probability is summed into, or -1 (none, or a far smaller namesake)
    a1_pair: list[int]       # each candidate's admin-1 pair, or -1
    small: list[tuple[int, int]]  # (candidate, pair) of the far smaller namesakes of a city of a million
    cc_codes: list[str]      # the countries of the pairs, in their order
    a1_codes: list[tuple[str, str]]


_NAME_INDEX: dict[tuple[int, ...], _NameIndex] = {}  # by the ids of a name's places (bounded)


def _name_index(places: list[Place]) -> _NameIndex:
    """The name's :class:`_NameIndex`, remembered by the identity of its candidates' places (the
    resolver keeps a name's places for its next mentions; a gazetteer that has changed gives new
    ones). An entry holds its places, so no other object can have their ids while it is kept."""
    ids = tuple(map(id, places))
    hit = _NAME_INDEX.get(ids)
    if hit is not None:
        return hit
    # a far smaller namesake of a large city gets only part of the state's evidence: news
    # names large cities across states ("from Chicago to Atlanta" is not Atlanta, Illinois)
    top_pop = max((place.population for place in places if place.kind in POINT_KINDS), default=0)
    if top_pop >= FAMOUS_POP:
        dwarfed = [place.kind in POINT_KINDS and place.population * FAMOUS_RATIO < top_pop for place in places]
        share = [DWARFED_SHARE if dw else 1.0 for dw in dwarfed]
    else:
        dwarfed = None
        share = [1.0] * len(places)
    # the far smaller namesakes of a city of a million weigh in a country by the likeliest of
    # them, not their sum: ten small Berlins and Romes do not make "leaders from Berlin, Rome
    # and Madrid" an American story
    small_ones = dwarfed if top_pop >= FAMOUS_CITY_POP else None
    pair_cc: dict[str, int] = {}
    pair_a1: dict[tuple[str, str], int] = {}
    cc_pair, cc_sum, a1_pair, smalls = [], [], [], []
    for i, place in enumerate(places):
        cc = place.country_code
        if not cc:
            cc_pair.append(-1)
            cc_sum.append(-1)
            a1_pair.append(-1)
            continue
        if small_ones is not None and small_ones[i]:
            smalls.append((i, cc))
            cc_pair.append(-1)  # (its pair is given below)
            cc_sum.append(-1)
        else:
            pair = pair_cc.setdefault(cc, len(pair_cc))
            cc_pair.append(pair)
            cc_sum.append(pair)
        if place.admin1 and place.kind != Kind.COUNTRY:
            a1_pair.append(pair_a1.setdefault((cc, place.admin1), len(pair_a1)))
        else:
            a1_pair.append(-1)
    small = []
    for i, cc in smalls:
        pair = pair_cc.setdefault(cc, len(pair_cc))
        small.append((i, pair))
        cc_pair[i] = pair
    out = _NameIndex(places, [place.kind for place in places], share, cc_pair, cc_sum, a1_pair, small,
                     list(pair_cc), list(pair_a1))
    if len(_NAME_INDEX) >= 50_000:
        _NAME_INDEX.clear()
    _NAME_INDEX[ids] = out
    return out


class _Index:
    """A document's candidates, indexed once for the rounds: all names' candidates in one
    list (names in order, each name's candidates in order: ``start[k]:start[k + 1]`` are
    name ``k``'s). A country pair is a name and a country among its candidates, an admin-1
    pair a name and a unit; pairs are numbered name by name, each name's as
    :class:`_NameIndex` numbers them. ``cc_sum`` and ``a1_pair`` number a candidate's pairs;
    -1 (none) is a last slot that the rounds' sums give a place but read nowhere."""

    def __init__(self, local: dict, shadowed: dict, listed: dict, long_list: dict):
        self.keys = list(local)
        self.start = [0]
        self.pids, self.places, self.kinds, self.base, self.share = [], [], [], [], []
        self.cc_pair, self.cc_sum, self.a1_pair = [], [], []  # each candidate's pairs, or -1
        self.small = []  # (candidate, pair) of the far smaller namesakes of a city of a million
        self.cc_doc, self.cc_code, self.cc_start = [], [], [0]  # per country pair; name k's: cc_start[k]:...[k + 1]
        self.a1_doc, self.a1_code, self.a1_name = [], [], []    # per admin-1 pair
        self.cc_index: dict[str, int] = {}                   # the document's countries, as first met
        self.a1_index: dict[tuple[str, str], int] = {}       # ... and admin-1 units
        self.list_kind: dict[int, list[bool]] = {}  # listed names: which candidates take a list's kind
        self.near_points: list[tuple] = []  # Proximity.points_of each name but land features
        for k, (key, scores) in enumerate(local.items()):
            self._add_name(k, key, scores, shadowed.get(key, ()), listed.get(key, False), long_list.get(key, False))

    def _add_name(self, k: int, key: str, scores: dict, shadow, listed: bool, long_listed: bool) -> None:
        first, c0, a0 = len(self.pids), len(self.cc_doc), len(self.a1_doc)
        pids = list(scores)
        places = [place for place, _s in scores.values()]
        base = [s for _p, s in scores.values()]
        n = _name_index(places)
        self.pids += pids
        self.places += places
        self.kinds += n.kinds
        self.base += base
        self.share += n.share
        if not key.endswith("#land"):  # its points for Proximity (land features take no part)
            self.near_points += Proximity.points_of(k, key, pids, places, base)
        # the name's pairs, numbered after the document's pairs so far
        if c0:
            self.cc_pair += [pair + c0 if pair >= 0 else -1 for pair in n.cc_pair]
            self.cc_sum += [pair + c0 if pair >= 0 else -1 for pair in n.cc_sum]
        else:
            self.cc_pair += n.cc_pair
            self.cc_sum += n.cc_sum
        self.a1_pair += [pair + a0 if pair >= 0 else -1 for pair in n.a1_pair] if a0 else n.a1_pair
        if n.small:
            self.small += [(i + first, pair + c0) for i, pair in n.small]
        cc_index, a1_index = self.cc_index, self.a1_index
        for cc in n.cc_codes:
            self.cc_doc.append(cc_index.setdefault(cc, len(cc_index)))
        for a1 in n.a1_codes:
            self.a1_doc.append(a1_index.setdefault(a1, len(a1_index)))
        self.cc_code += n.cc_codes
        self.a1_code += n.a1_codes
        self.a1_name += [k] * len(n.a1_codes)
        self.cc_start.append(len(self.cc_doc))
        self.start.append(len(self.pids))
        if listed:
            # a list's kind counts for a country or state, or anything in a list of three or more,
            # unless the name is a unit read as its city
            self.list_kind[k] = [(place.kind in (Kind.COUNTRY, Kind.ADMIN1) or long_listed) and pid not in shadow
                                 for pid, place in zip(scores, places)]

    def points(self, k: int) -> list[tuple[int, str, tuple[str, str] | None]]:
        """What name ``k`` gives the names listed with it: its point-like candidates with a
        country (candidate, country, admin-1 unit or None)."""
        return [(i, place.country_code,
                 (place.country_code, place.admin1) if place.admin1 and place.kind != Kind.COUNTRY else None)
                for i, place in enumerate(self.places[self.start[k]:self.start[k + 1]], self.start[k])
                if place.country_code and place.kind in POINT_KINDS]


def _proximity_plan(prox: Proximity, start: list[int]) -> list[int] | None:
    """Where each of ``prox``'s points sits among the candidates, or None when no two of
    them are near (then every support is 0, as the plain reading finds)."""
    if prox.near is None or not prox.near.any():
        return None
    return [start[pt[0]] + pt[5] for pt in prox.points]


def _bonus(weight: float, prox: Proximity, plan: list[int] | None, p: list[float], size: int) -> list[float]:
    """Each candidate's bonus ``weight * min(1.0, mass)`` for the mass of other names'
    candidates near it (a mass of 0.0 where none)."""
    out = [weight * min(1.0, 0.0)] * size
    if plan is not None:
        # the same matrix product as Proximity.support, over the same vector in the same order
        for i, m in zip(plan, (prox.near @ np.array([p[i] for i in plan])).tolist()):
            if m > 0:
                out[i] = weight * min(1.0, m)
    return out


def _list_mass(others: list[int], p: list[float], points: dict) -> tuple[dict, dict]:
    """The mean probability that the names listed with one lie in each admin-1 unit and
    each country ("Portland and Salem": Oregon); only point-like readings count
    ("Florida and New York" are states)."""
    a1: dict[tuple[str, str], float] = {}
    cc: dict[str, float] = {}
    n = len(others)
    for o in others:
        for i, c, key_a1 in points[o]:
            cc[c] = cc.get(c, 0) + p[i] / n
            if key_a1 is not None:
                a1[key_a1] = a1.get(key_a1, 0) + p[i] / n
    return a1, cc


def scope_rounds(d, local: dict, why: dict, w: dict[str, float]) -> tuple[dict, dict, dict, dict]:
    """Document scope, found jointly (see the module's docstring) for the reading ``d`` of
    one document (:class:`geo.resolve._Reading`'s fields), each name's local scores
    ``local`` and their reasons ``why`` (the reasons of the last round are added to it).
    Returns the final scores, their softmax shares, and each name's and all names' mass
    per country."""
    keys, by_key = d.keys, d.by_key
    # the names listed beside each name, and whether it stands in a list of three or more
    list_others = {key: [keys[j] for i in idxs for j in d.neighbours[i] if keys[j] != key and keys[j] in local]
                   for key, idxs in by_key.items()}
    own_names = {key: d.exonym[idxs[0]] for key, idxs in by_key.items()}
    shadowed: dict[str, set[str]] = {}
    cities_first(local, why, list_others, own_names,
                 {key for key, idxs in by_key.items() if any(d.said_unit[i] for i in idxs)}, shadowed, w)
    long_list = {key: any(d.in_long_list[i] for i in idxs) for key, idxs in by_key.items()}

    # the candidates, indexed once
    x = _Index(local, shadowed, {key: bool(others) for key, others in list_others.items()}, long_list)
    at = {key: k for k, key in enumerate(x.keys)}
    start, size = x.start, len(x.pids)
    others_of = {at[key]: [at[o] for o in others] for key, others in list_others.items() if others and key in at}
    points = {o: x.points(o) for others in others_of.values() for o in others}
    list_label = {at[key]: d.surface_of[others[0]] for key, others in list_others.items() if others and key in at}
    # = Proximity(local without land features), each point with its place among the candidates
    near = Proximity.of_points(x.near_points, km=NEAR_KM)
    in_county = near.in_county(ADMIN2_KM)  # (the same names: their distances computed once)
    near_plan, county_plan = _proximity_plan(near, start), _proximity_plan(in_county, start)
    a1_range = {}  # the names with admin-1 pairs: their pairs (numbered name by name)
    for pair, k in enumerate(x.a1_name):
        a1_range[k] = (a1_range[k][0] if k in a1_range else pair, pair + 1)

    w_country, w_admin1, w_region = w["doc_country"], w["doc_admin1"], w["region"]
    # a name with one candidate has probability 1.0 (softmax of one finite score: exp(0.0) / 1.0)
    p = _shares(x.base, start)
    n_cc, n_a1 = len(x.cc_index), len(x.a1_index)
    p_before = None  # the probabilities the round before computed from
    for _round in range(ROUNDS):
        last = _round == ROUNDS - 1
        # a round is a function of the probabilities it starts from: when they are those the
        # round before started from (to the bit: the scores settled, or a document of names with
        # one candidate each), every bonus, mass, score and share of this round is the one before's,
        # and is kept, not computed again (only the reasons of the last round are noted)
        same = p == p_before
        if not same:
            p_before = p
            near_bonus = _bonus(w["near"], near, near_plan, p, size)
            county_bonus = _bonus(w["county"], in_county, county_plan, p, size)
            shares = {k: _list_mass(others, p, points) for k, others in others_of.items()}
            # each name's mass per country and admin-1 unit, summed in its candidates' order (a
            # country's far smaller namesakes add their likeliest one after the rest), and all
            # names' together, summed in the names' order
            # (the last slot of each is the -1 of candidates with no pair: summed, read nowhere)
            m_cc, m_a1 = [0] * (len(x.cc_doc) + 1), [0] * (len(x.a1_doc) + 1)
            for p_i, c, a in zip(p, x.cc_sum, x.a1_pair):
                m_cc[c] += p_i
                m_a1[a] += p_i
            if x.small:
                most = {}
                for i, pair in x.small:
                    most[pair] = max(most.get(pair, 0), p[i])
                for pair, m in most.items():
                    m_cc[pair] += m
            total_cc, total_a1 = [0] * n_cc, [0] * n_a1
            for c, m in zip(x.cc_doc, m_cc):
                total_cc[c] += m
            for a, m in zip(x.a1_doc, m_a1):
                total_a1[a] += m
            kind_of = {}
            for o in points:  # the kinds of the names a list weighs
                kinds: dict[Kind, float] = {}
                for kind, p_i in zip(x.kinds[start[o]:start[o + 1]], p[start[o]:start[o + 1]]):
                    kinds[kind] = kinds.get(kind, 0) + p_i
                kind_of[o] = kinds
            a1_total = sum(total_a1)  # (in the order the units were first met, as a dict of them would sum)
            a1_others = {k: a1_total - sum(m_a1[lo:hi]) for k, (lo, hi) in a1_range.items()}  # the other names'
            # (``v if v < 1.0 else 1.0`` is ``min(1.0, v)``, without the call)
            b_cc = [w_country * (v if v < 1.0 else 1.0) for v in [total_cc[c] - m for c, m in zip(x.cc_doc, m_cc)]]
            # the state's bonuses in full (a far smaller namesake takes DWARFED_SHARE of them), and the
            # document's own region: the unit's share of the other names' units, where it has some
            # (0.0 where not: noted nowhere, and added as 0.0, see below)
            other = [total_a1[a] - m for a, m in zip(x.a1_doc, m_a1)]
            b_a1 = [w_admin1 * (v if v < 1.0 else 1.0) for v in [o / SCOPE_MASS for o in other]]
            b_region = [w_region * o / a1_others[k] if o > 0 else 0.0 for o, k in zip(other, x.a1_name)]
            # each candidate's bonuses in their order (country, state, region); where the plain loop
            # adds none (no pair: the last slot, 0.0), 0.0 is added instead: that changes no float
            # but -0.0 (to 0.0), and the near bonus (0.0 or more) that every score gets next does the
            # same to it (0.0 times a share is 0.0)
            b_cc.append(0.0)
            b_a1.append(0.0)
            b_region.append(0.0)
            before_lists = [s + b_cc[c] + b_a1[a] * share + b_region[a] * share + b_near + b_county
                            for s, c, a, share, b_near, b_county
                            in zip(x.base, x.cc_pair, x.a1_pair, x.share, near_bonus, county_bonus)]
        if last:  # why: the bonuses worth saying, in the order they were added
            for k, key in enumerate(x.keys):
                why_key = why[key]
                for i in range(start[k], start[k + 1]):
                    r = why_key[x.pids[i]]
                    pair, a1_pair = x.cc_pair[i], x.a1_pair[i]
                    if pair >= 0:
                        add(r, ("doc_country", x.cc_code[pair]), b_cc[pair])
                        if a1_pair >= 0:
                            add(r, ("doc_admin1", *x.a1_code[a1_pair]), b_a1[a1_pair] * x.share[i])
                            b3 = b_region[a1_pair] * x.share[i]
                            if b3:  # (a unit with no other name's mass says nothing)
                                add(r, ("region", *x.a1_code[a1_pair]), b3)
                    if near_bonus[i]:  # (add notes no weight of 0)
                        add(r, ("near",), near_bonus[i])
                    if county_bonus[i]:
                        add(r, ("county",), county_bonus[i])
        if not same:
            scored = _with_lists(x, before_lists, others_of, shares, kind_of, list_label, w, why if last else None)
            p = _shares(scored, start)
        elif last:  # (the scores are the round before's: only its list reasons are noted)
            _with_lists(x, before_lists, others_of, shares, kind_of, list_label, w, why)
    final = {key: dict(zip(x.pids[start[k]:start[k + 1]], zip(x.places[start[k]:start[k + 1]], scored[start[k]:start[k + 1]])))
             for k, key in enumerate(x.keys)}
    probs = {key: dict(zip(x.pids[start[k]:start[k + 1]], p[start[k]:start[k + 1]])) for k, key in enumerate(x.keys)}
    mass_cc = {key: dict(zip(x.cc_code[x.cc_start[k]:x.cc_start[k + 1]], m_cc[x.cc_start[k]:x.cc_start[k + 1]]))
               for k, key in enumerate(x.keys)}
    return final, probs, mass_cc, dict(zip(x.cc_index, total_cc))


def _with_lists(x: _Index, scored: list[float], others_of: dict, shares: dict, kind_of: dict, list_label: dict,
                w: dict[str, float], why: dict | None) -> list[float]:
    """The scores with the bonuses of the lists (they come last): a copy of ``scored`` (``scored``
    itself when no name is listed); their reasons are noted in ``why`` unless it is None."""
    if not x.list_kind:
        return scored
    scored = scored[:]
    start, last = x.start, why is not None
    w_list_kind, w_list_place = w["list_kind"], w["list_place"]
    for k, flags in x.list_kind.items():  # the list's bonuses come last
        others, (a1_share, cc_share) = others_of[k], shares[k]
        kinds_listed: dict[Kind, float] = {}
        for i, takes_kind in enumerate(flags, start[k]):
            s, place, kind = scored[i], x.places[i], x.kinds[i]
            reasons = why[x.keys[k]][x.pids[i]] if last else None
            if takes_kind:
                if kind not in kinds_listed:
                    kinds_listed[kind] = sum(kind_of[o].get(kind, 0) for o in others) / len(others)
                b = w_list_kind * kinds_listed[kind]
                s += b
                if last:
                    add(reasons, ("list_kind", str(kind)), b)
            cc = place.country_code
            if cc:
                # the country's share goes to its states too ("New York City and Florida")
                same_a1 = a1_share.get((cc, place.admin1), 0.0) if kind in POINT_KINDS or kind == Kind.ADMIN1 else 0.0
                b = w_list_place * (min(1.0, same_a1) * x.share[i] + min(1.0, cc_share.get(cc, 0.0)))
                s += b
                if last:
                    add(reasons, ("list_place", list_label[k]), b)
            scored[i] = s
    return scored


def _shares(scores: list[float], start: list[int]) -> list[float]:
    """Each name's softmax shares, one after the other (a name with one candidate: 1.0)."""
    out: list[float] = []
    for lo, hi in zip(start, start[1:]):
        if hi - lo == 1:
            out.append(1.0)
        else:
            out += softmax_shares(scores[lo:hi])
    return out
