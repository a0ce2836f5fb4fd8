"""The resolver's scope rounds: a document's scope, found jointly over all its names.

Each name's candidates are weighted by their current probability, and a candidate
gains support from the probability that *other* names lie in its country / admin-1
unit, near it, in its county, or beside it in a list. A few rounds let "Georgia ...
Gainesville" settle on the US state and its city together. A name is never its own
evidence. :func:`scope_rounds` is what :meth:`geo.resolve.Resolver.resolve` runs
between the local scores and the choice.

How it is computed (for speed; the answer is the arithmetic of the plain reading, float
for float): what does not change between rounds is worked out once per document
(:class:`_Name`: each candidate's country and admin-1 slot, its share of the state's
evidence, whether it takes a list's kind or place), so a round only sums
probabilities into lists by slot and adds each candidate's bonuses. Every sum keeps
the order of the plain loop (candidates in order, names in order, starting from 0),
so the floats are the same to the last bit; ``tests/test_scope.py`` checks the rounds
against that plain reading.
"""
from __future__ import annotations

import numpy as np

from .model import Kind
from .readings import ADMIN2_KM, POINT_KINDS, add, cities_first
from .scoring import (DWARFED_SHARE, FAMOUS_CITY_POP, FAMOUS_POP, FAMOUS_RATIO, NEAR_KM, SCOPE_MASS, Proximity,
                      softmax_shares)

__all__ = ["scope_rounds", "ROUNDS"]

ROUNDS = 3  # enough for a state and its towns to settle together


class _Name:
    """One name's candidates, indexed once for the rounds. A slot is a position in this
    name's list of countries (``ccs``) or admin-1 units (``a1s``), in the order the plain
    loop meets them: the countries of its ordinary candidates first, then those that only
    its far smaller namesakes of a famous city have (they are added after the rest)."""

    __slots__ = ("key", "pids", "places", "base", "cc_of", "a1_of", "big", "small", "a1_pairs", "ccs", "a1s",
                 "doc_cc", "doc_a1", "kinds", "share", "list_kind", "list_place", "point")

    def __init__(self, key: str, scores: dict, cc_index: dict, a1_index: dict, shadow, listed: bool, long_listed: bool):
        self.key = key
        self.pids = list(scores)
        entries = list(scores.values())
        self.places = places = [place for place, _s in entries]
        self.base = [s for _p, s in entries]
        self.kinds = kinds = [place.kind for place in places]
        # a far smaller namesake of a large city gets only part of the state's evidence: news
        # names large cities across states ("from Chicago to Atlanta" is not Atlanta, Illinois)
        top_pop = max((place.population for place, kind in zip(places, kinds) if kind in POINT_KINDS), default=0)
        if top_pop >= FAMOUS_POP:
            dwarfed = [kind in POINT_KINDS and place.population * FAMOUS_RATIO < top_pop
                       for place, kind in zip(places, kinds)]
            self.share = [DWARFED_SHARE if dw else 1.0 for dw in dwarfed]
        else:
            dwarfed, self.share = None, [1.0] * len(places)
        # the far smaller namesakes of a city of a million weigh in a country by the likeliest of
        # them, not their sum: ten small Berlins and Romes do not make "leaders from Berlin, Rome
        # and Madrid" an American story
        small = dwarfed if top_pop >= FAMOUS_CITY_POP else None
        ccs: list[str] = []
        a1s: list[tuple[str, str]] = []
        slot_cc: dict[str, int] = {}
        slot_a1: dict[tuple[str, str], int] = {}
        cc_of, a1_of, big, a1_pairs, smalls = [], [], [], [], []
        for i, place in enumerate(places):
            cc = place.country_code
            if not cc:
                cc_of.append(-1)
                a1_of.append(-1)
                continue
            if small is not None and small[i]:
                smalls.append((i, cc))
                cc_of.append(-1)  # (its slot is given below)
            else:
                slot = slot_cc.get(cc)
                if slot is None:
                    slot = slot_cc[cc] = len(ccs)
                    ccs.append(cc)
                big.append((i, slot))
                cc_of.append(slot)
            if place.admin1 and place.kind != Kind.COUNTRY:
                a1 = (cc, place.admin1)
                slot = slot_a1.get(a1)
                if slot is None:
                    slot = slot_a1[a1] = len(a1s)
                    a1s.append(a1)
                a1_pairs.append((i, slot))
                a1_of.append(slot)
            else:
                a1_of.append(-1)
        self.small = []
        for i, cc in smalls:
            slot = slot_cc.get(cc)
            if slot is None:
                slot = slot_cc[cc] = len(ccs)
                ccs.append(cc)
            self.small.append((i, slot))
            cc_of[i] = slot
        self.cc_of, self.a1_of, self.big, self.a1_pairs, self.ccs, self.a1s = cc_of, a1_of, big, a1_pairs, ccs, a1s
        self.doc_cc = [cc_index.setdefault(cc, len(cc_index)) for cc in ccs]
        self.doc_a1 = [a1_index.setdefault(a1, len(a1_index)) for a1 in a1s]
        # a list's kind counts for a country or state, or anything in a list of three or more,
        # unless the name is a unit read as its city; a list's place for anything with a country
        self.list_kind = [(kind in (Kind.COUNTRY, Kind.ADMIN1) or long_listed) and pid not in shadow
                          for pid, kind in zip(self.pids, kinds)] if listed else None
        self.list_place = [bool(place.country_code) for place in places] if listed else None
        self.point = None  # (see points)

    def points(self) -> list[tuple[int, str, tuple[str, str] | None]]:
        """What this name gives the names listed with it: its point-like candidates with a
        country (number, country, admin-1 unit or None)."""
        if self.point is None:
            self.point = [(i, place.country_code,
                           (place.country_code, place.admin1) if place.admin1 and kind != Kind.COUNTRY else None)
                          for i, (place, kind) in enumerate(zip(self.places, self.kinds))
                          if place.country_code and kind in POINT_KINDS]
        return self.point


def _proximity_plan(prox: Proximity, at: dict[str, int], names: list[_Name]) -> list[tuple[int, int]] | None:
    """Where each of ``prox``'s points sits among the names' candidates (name, candidate),
    or None when no two of them are near (then every support is 0, as the plain reading finds)."""
    if prox.near is None or not prox.near.any():
        return None
    pid_at: dict[int, dict[str, int]] = {}
    plan = []
    for key, pid in prox.index:
        k = at[key]
        if k not in pid_at:
            pid_at[k] = {p: i for i, p in enumerate(names[k].pids)}
        plan.append((k, pid_at[k][pid]))
    return plan


def _bonus(weight: float, prox: Proximity, plan: list[tuple[int, int]] | None, probs: list[list[float]],
           names: list[_Name]) -> list[list[float]]:
    """Each candidate's bonus ``weight * min(1.0, mass)`` for the mass of other names'
    candidates near it (a mass of 0.0 where none), by name."""
    none = weight * min(1.0, 0.0)
    out = [[none] * len(n.pids) for n in names]
    if plan is None:
        return out
    # the same matrix product as Proximity.support, over the same vector in the same order
    mass = (prox.near @ np.array([probs[k][i] for k, i in plan])).tolist()
    for (k, i), m in zip(plan, mass):
        if m > 0:
            out[k][i] = weight * min(1.0, m)
    return out


def _list_mass(others: list[int], probs: list[list[float]], names: list[_Name]) -> tuple[dict, dict]:
    """The mean probability that the names listed with one lie in each admin-1 unit and
    each country ("Portland and Salem": Oregon); only point-like readings count
    ("Florida and New York" are states)."""
    a1: dict[tuple[str, str], float] = {}
    cc: dict[str, float] = {}
    n = len(others)
    for o in others:
        p_o = probs[o]
        for i, c, key_a1 in names[o].points():
            p = p_o[i]
            cc[c] = cc.get(c, 0) + p / n
            if key_a1 is not None:
                a1[key_a1] = a1.get(key_a1, 0) + p / n
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

    # the names, indexed once
    order = list(local)
    at = {key: k for k, key in enumerate(order)}
    cc_index: dict[str, int] = {}
    a1_index: dict[tuple[str, str], int] = {}
    names = [_Name(key, scores, cc_index, a1_index, shadowed.get(key, ()), bool(list_others.get(key)),
                   long_list.get(key, False)) for key, scores in local.items()]
    others_of = {at[key]: [at[o] for o in others] for key, others in list_others.items() if others and key in at}
    gives_kind = {o for others in others_of.values() for o in others}  # names whose kinds a list weighs
    list_label = {at[key]: d.surface_of[others[0]] for key, others in list_others.items() if others and key in at}
    near = Proximity({key: v for key, v in local.items() if not key.endswith("#land")}, km=NEAR_KM)
    in_county = near.in_county(ADMIN2_KM)  # (the same names: their distances computed once)
    near_plan, county_plan = _proximity_plan(near, at, names), _proximity_plan(in_county, at, names)

    w_country, w_admin1, w_region = w["doc_country"], w["doc_admin1"], w["region"]
    w_list_kind, w_list_place = w["list_kind"], w["list_place"]
    # a name with one candidate has probability 1.0 in every round (softmax of one finite
    # score: exp(0.0) / 1.0), so its score is needed in the last round only
    probs = [softmax_shares(n.base) if len(n.pids) > 1 else [1.0] for n in names]
    n_cc, n_a1 = len(cc_index), len(a1_index)
    final: dict = {}
    mass_cc: dict = {}
    total: dict = {}
    for _round in range(ROUNDS):
        last = _round == ROUNDS - 1
        near_bonus = _bonus(w["near"], near, near_plan, probs, names)
        county_bonus = _bonus(w["county"], in_county, county_plan, probs, names)
        shares = {k: _list_mass(others, probs, names) for k, others in others_of.items()}
        # each name's mass per country and admin-1 unit, summed in the candidates' order
        # (a country's far smaller namesakes add their likeliest one after the rest), and all
        # names' together, summed in the names' order
        total_cc, total_a1 = [0] * n_cc, [0] * n_a1
        cc_masses, a1_masses, kind_of = [], [], {}
        for k, n in enumerate(names):
            p = probs[k]
            cc_m = [0] * len(n.ccs)
            for i, slot in n.big:
                cc_m[slot] += p[i]
            if n.small:
                most = {}
                for i, slot in n.small:
                    most[slot] = max(most.get(slot, 0), p[i])
                for slot, m in most.items():
                    cc_m[slot] += m
            a1_m = [0] * len(n.a1s)
            for i, slot in n.a1_pairs:
                a1_m[slot] += p[i]
            for slot, c in enumerate(n.doc_cc):
                total_cc[c] += cc_m[slot]
            for slot, a in enumerate(n.doc_a1):
                total_a1[a] += a1_m[slot]
            cc_masses.append(cc_m)
            a1_masses.append(a1_m)
            if k in gives_kind:
                kinds: dict[Kind, float] = {}
                for kind, p_i in zip(n.kinds, p):
                    kinds[kind] = kinds.get(kind, 0) + p_i
                kind_of[k] = kinds
        a1_total = sum(total_a1)  # (in the order the units were first met, as a dict of them would sum)
        scored = []
        for k, n in enumerate(names):
            if not last and len(n.pids) == 1:
                scored.append(None)
                continue
            cc_m, a1_m = cc_masses[k], a1_masses[k]
            b_cc = [w_country * min(1.0, total_cc[c] - m) for c, m in zip(n.doc_cc, cc_m)]
            # the state's bonuses in full; a far smaller namesake takes DWARFED_SHARE of them
            b_a1, b_region = [], []
            if n.a1s:
                a1_others = a1_total - sum(a1_m)  # the other names' admin-1 mass
                for a, m in zip(n.doc_a1, a1_m):
                    other = total_a1[a] - m
                    b_a1.append(w_admin1 * min(1.0, other / SCOPE_MASS))
                    # the document's own region: its share of the other names' units
                    b_region.append(w_region * other / a1_others if other > 0 else None)
            pids, ccs, a1s = n.pids, n.ccs, n.a1s
            why_key = why[n.key] if last else None
            out = []
            for i, (s, slot, a1_slot, local_share, b_near, b_county) in enumerate(
                    zip(n.base, n.cc_of, n.a1_of, n.share, near_bonus[k], county_bonus[k])):
                if slot >= 0:
                    # the bonus also goes to a country itself, so that a mentioned
                    # country never makes its own namesake state win over it
                    b = b_cc[slot]
                    s += b
                    if last:
                        add(why_key[pids[i]], ("doc_country", ccs[slot]), b)
                    if a1_slot >= 0:
                        b = b_a1[a1_slot] * local_share
                        s += b
                        if last:
                            add(why_key[pids[i]], ("doc_admin1", *a1s[a1_slot]), b)
                        b = b_region[a1_slot]
                        if b is not None:
                            b = b * local_share
                            s += b
                            if last:
                                add(why_key[pids[i]], ("region", *a1s[a1_slot]), b)
                s += b_near
                if last and b_near:  # (add notes no weight of 0)
                    add(why_key[pids[i]], ("near",), b_near)
                s += b_county
                if last and b_county:
                    add(why_key[pids[i]], ("county",), b_county)
                if n.list_kind is not None:
                    s = _listed(s, i, n, k, others_of[k], kind_of, shares[k], w_list_kind, w_list_place,
                                why_key[pids[i]] if last else None, list_label[k])
                out.append(s)
            scored.append(out)
        probs = [softmax_shares(s) if s is not None and len(s) > 1 else p for s, p in zip(scored, probs)]
        if last:
            final = {n.key: dict(zip(n.pids, zip(n.places, s))) for n, s in zip(names, scored)}
            mass_cc = {n.key: dict(zip(n.ccs, m)) for n, m in zip(names, cc_masses)}
            total = dict(zip(cc_index, total_cc))
    return final, {n.key: dict(zip(n.pids, p)) for n, p in zip(names, probs)}, mass_cc, total


def _listed(s: float, i: int, n: _Name, k: int, others: list[int], kind_of: dict, share: tuple[dict, dict],
            w_list_kind: float, w_list_place: float, reasons: dict | None, label: str) -> float:
    """A listed name's candidate ``i`` with score ``s``: plus the bonus for the kind of the
    names listed with it, and for their lying in its state or country. ``reasons``: noted
    there (the last round)."""
    kind = n.kinds[i]
    if n.list_kind[i]:
        b = w_list_kind * (sum(kind_of[o].get(kind, 0) for o in others) / len(others))
        s += b
        if reasons is not None:
            add(reasons, ("list_kind", str(kind)), b)
    if n.list_place[i]:
        # the country's share goes to its states too ("New York City and Florida")
        a1_share, cc_share = share
        place = n.places[i]
        cc = place.country_code
        same_a1 = a1_share.get((cc, place.admin1), 0.0) if kind in POINT_KINDS or kind == Kind.ADMIN1 else 0.0
        b = w_list_place * (min(1.0, same_a1) * n.share[i] + min(1.0, cc_share.get(cc, 0.0)))
        s += b
        if reasons is not None:
            add(reasons, ("list_place", label), b)
    return s
