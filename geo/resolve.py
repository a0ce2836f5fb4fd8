"""Choose a gazetteer entry for each mention, using the whole document.

Every candidate gets a score from independent pieces of evidence:

* prior: the kind of place (countries and states are mentioned far more often
  than homonymous villages) and its population;
* name: the mention is the entry's main name, written the same way;
* "City, State" / "Ciudad, País": the mention right after a comma contains it;
* document scope: the countries and admin-1 units the document mentions
  (a first pass resolves the unambiguous mentions, the second pass uses them),
  and the document's own region: the share of its other names' readings that
  lie in the candidate's admin-1 unit (a story with three Wisconsin towns and
  one in Tennessee is about Wisconsin first);
* language: places in countries where the document's language is spoken;
* neighbourhood: other names with likely places within NEAR_KM; a county named
  as such ("Henry County") and a town in it ("Paris") raise each other;
* one sense per document: every occurrence of a name resolves alike;
* reading cues: an exonym ("Bruselas", "Pekín") names the famous place; a
  dateline ("WASHINGTON —") and a capital named as an actor ("Moscú
  respondió") name the city; a bare name shared by a city and its province or
  state is the city unless the text says the unit; the members of a list or
  pair ("Portland and Salem") lie together.

Each resolution says in a few words why (``evidence``), and keeps up to three
distinct other readings (``alternatives``). The reading cues and the evidence
live in :mod:`geo.readings`.

The confidence is the softmax share of the winner among the candidates,
lowered for recognitions that were only guessed. A mention that the gazetteer
lacks but whose context places it ("Camp Shelby, Misisipi") falls back to the
enclosing unit with ``precision`` saying so; the point is never called exact,
and its alternatives are the other places that could hold it (the other units the
text puts it in, the document's counties, towns, states and countries:
:class:`geo.readings.UnitsAround`). A town read outside every state the rest of
the story lies in offers the story's own county or state last (a local place the
gazetteer lacks, read as a namesake far away).
"""
from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from .cues import acts, paired, unit_named
from .distance import great_circle_km
from .gazetteer import Gazetteer, name_key
from .land import compatible, core_words, is_land, point_near
from .model import Document, Kind, Mention, Place, Precision, Resolution
from .readings import (ADMIN2_KM, MAX_ALTERNATIVES, POINT_KINDS, READING_WEIGHTS, add, cities_first, dateline_floor, distinct,
                       evidence_text, list_mass, local_reading, named_as_place, offered, point_mass, prior_only, reading_cues,
                       UnitsAround)
from .recognize import detect_language, plausible_entries

__all__ = ["resolve", "Resolver", "WEIGHTS", "EVIDENCE", "MAX_ALTERNATIVES", "KIND_PRIOR", "RECOGNITION_TRUST", "PRIOR_ONLY_TRUST",
           "FALLBACK_CONFIDENCE",
           "RESOLVE_THRESHOLDS"]

# A candidate's prior by its kind: a name shared by a country and its towns is read
# as the country first, as news use it.
KIND_PRIOR = {
    Kind.COUNTRY: 4.0,    # "Georgia", "Jordan": the country before its namesakes
    Kind.ADMIN1: 2.5,     # a state or province before a town of its name
    Kind.CONTINENT: 3.0,  # as a state
    Kind.ADMIN2: 1.0,     # a county by its own name ("Boone County")
    Kind.CITY: 0.0,       # cities count by their population instead
    Kind.FEATURE: 0.5,    # a named feature the text calls by its feature word
}

WEIGHTS = {
    "population": 0.55,     # per decade of population
    "main_name": 0.8,       # the mention is the entry's main name
    "same_case": 0.3,       # ... written exactly so
    "capital": 1.0,         # a national capital (Rome, Santiago) is mentioned more than its namesakes
    "layer": 1.5,           # the entry comes from a user's gazetteer layer
    "contained": 6.0,       # "X, State": the next mention contains the candidate
    "doc_country": 2.0,     # the document mentions the candidate's country
    "doc_admin1": 4.0,      # ... or its admin-1 unit (in full from SCOPE_MASS other names)
    "language": 0.7,        # the document's language is spoken in the candidate's country
    "near": 1.5,            # other names of the document have likely places within NEAR_KM
    "region": 1.0,          # the share of the other names' admin-1 readings that lie in the candidate's
    "county": 2.5,          # a county named in the document lies around the town (or a town named lies in the county)
    "list_kind": 1.5,       # the names listed with it ("Mali, Niger, and Senegal") are of its kind
    "open_water": 8.0,      # nominal decades of "population" of an ocean or world region (a continent's)
    "land_rank": 0.25,      # per Natural Earth scalerank step of a land feature
    "land_size": 0.3,       # per decade of a land feature's size (km of river, km2 of area)
    "temperature": 1.0,     # softmax temperature for confidence
    **READING_WEIGHTS,      # exonym, dateline, actor, unit named, city first, list place (geo.readings)
}

# The named pieces of evidence a Resolver can be told to leave out (all of WEIGHTS but
# the softmax temperature, which is no evidence).
EVIDENCE = tuple(k for k in WEIGHTS if k != "temperature")

# How much a recognition kind is trusted, multiplied into the confidence.
RECOGNITION_TRUST = {
    "gazetteer": 1.0,   # a name the gazetteer has, kept by the recogniser's rules
    "demonym": 0.9,     # an adjective points at a country, less surely at a place in it
    "given": 1.0,       # a span the user gave (--spans-from): its being a place is not in doubt
    "weak": 0.7,        # a common word kept only because it names a large place ("Western", "Orange")
    "other": 0.85,      # feature words, land features, lower-case names: a place, of less certain reading
}

# A reading that nothing in the text supports but its prior (population, kind, the
# document's language) is less sure than its share of the softmax says: multiplied into
# its confidence. Fitted on half of a development corpus (the Brier score's minimum on
# LGL's even documents, 0.8 of 0.6-1.0), checked on the other half and on GeoVirus:
# prior-only readings were right 62-75% of the time where their confidence said 85-95%.
PRIOR_ONLY_TRUST = 0.8

# Confidence of a mention the gazetteer lacks, by what places it (Resolver._fallback).
FALLBACK_CONFIDENCE = {
    "namesake": 0.5,    # a place its name is built on, in the document's scope ("Salinas Valley" -> Salinas)
    "contained": 0.6,   # the unit the text puts it in ("Camp Shelby, Mississippi")
    "doc_admin1": 0.35, # the state or province most of the document is about
    "doc_country": 0.2, # the country most of the document is about
}

# Sizes the resolver's readings use.
RESOLVE_THRESHOLDS = {
    "listed_city": 100_000,  # in a list after a comma, only a city this large is still read inside the next name
    "base_town": 20_000,     # "Fort X" at a town smaller than this is the base beside the town, not the town
}


def _score(place: Place, matched: str, main: bool, surface: str, w: dict[str, float] = WEIGHTS) -> float:
    # a county's prior needs its own name: "Boone County" yes, "Arlington" for Arlington County no
    s = KIND_PRIOR.get(place.kind, 0.0) if (main or place.kind != Kind.ADMIN2) else 0.0
    if place.feature_code in ("SEA", "RGN"):
        # oceans and world regions, like continents, outrank namesake towns; they have no
        # population, so by their own names they get a continent's ("Pacific" is not
        # Pacific, Missouri; "Lincoln" is not the Lincoln Sea)
        s = KIND_PRIOR[Kind.CONTINENT] + (w["population"] * w["open_water"] if main else 0.0)
    s += w["population"] * math.log10(place.population + 1)
    if main:
        s += w["main_name"]
    if matched == surface:
        s += w["same_case"]
    if place.feature_code == "PPLC":
        s += w["capital"]
    if place.layer != "embedded":
        s += w["layer"]
    return s


# Words that make a name a feature's, or qualify a place, and that come off to find
# the place the name is built on ("Salinas Valley", "Greater Mumbai", "Lake Erie").
# Not "Camp", "Fort", "Base", "Mount", "Park", "Creek": those are mostly named after
# people (Camp Shelby is not the town of Shelby).
_GENERIC = {
    "lake", "lakes", "river", "valley", "bay", "island", "islands", "delta", "basin", "hills",
    "springs", "beach", "harbor", "harbour", "canyon", "forest",
    "desert", "peninsula", "coast", "area", "region", "proving", "ground",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "greater",
    "upper", "lower", "downtown", "metro", "metropolitan", "inner", "outer",
    "lago", "laguna", "río", "rio", "valle", "bahía", "isla", "islas", "sierra", "cerro", "volcán", "playa",
    "norte", "sur", "oriente", "poniente", "gran", "alto", "bajo", "zona", "región", "de", "del", "la", "el",
}


def _core_name(surface: str) -> str:
    """The name without its generic words: "Salinas Valley" -> "Salinas",
    "Valle del Yaqui" -> "Yaqui", "North Dallas" -> "Dallas"."""
    words = surface.split()
    while words and words[0].lower() in _GENERIC:
        words.pop(0)
    while words and words[-1].lower() in _GENERIC:
        words.pop()
    return " ".join(words)


def _contains(outer: Place, inner: Place) -> bool:
    if outer.place_id == inner.place_id or not outer.country_code or outer.country_code != inner.country_code:
        return False
    if outer.kind == Kind.COUNTRY:
        return True
    if outer.kind == Kind.ADMIN1:
        return bool(inner.admin1) and inner.admin1 == outer.admin1 and inner.kind != Kind.ADMIN1
    if outer.kind == Kind.ADMIN2 and inner.kind in (Kind.CITY, Kind.FEATURE):
        # counties and provinces carry no code of their own here: a town near the point
        return great_circle_km(outer.lat, outer.lon, inner.lat, inner.lon) <= ADMIN2_KM
    return False




_LIST_GAPS = {",", "and", ", and", "or", ", or", "y", ", y", "e", "o", "&"}

NEAR_KM = 150.0
SCOPE_MASS = 3.0  # how many other names in an admin-1 unit give its full doc_admin1 weight

# land features: a named river or range is as likely as a state by its own name (it has
# its generic word); each Natural Earth scalerank step (0 = most prominent) costs a little
LAND_PRIOR = 3.0
LAND_NEAR_KM = 400.0


class _Proximity:
    """Spatial coherence: which candidates of different names lie near each other.

    Only point-like candidates (cities, counties, features; at most the 8 best
    of each name) take part: a country's or state's point says nothing about
    what is near it.
    """

    def __init__(self, local: dict[str, dict[str, tuple[Place, float]]], per_name: int = 8, km: float = NEAR_KM,
                 county: bool = False):
        """``county``: only a county named as such ("Walker County", not a bare "Walker")
        and a town within ``km`` of its point, in one admin-1 unit, count as near (the
        town lies in the county)."""
        self.index: list[tuple[str, str]] = []
        lat, lon, owner, kinds, units = [], [], [], [], []
        for n, (key, scores) in enumerate(local.items()):
            best = sorted(scores.items(), key=lambda kv: -kv[1][1])[:per_name]
            for pid, (place, _s) in best:
                if place.kind in POINT_KINDS and not (county and place.kind == Kind.ADMIN2 and name_key(place.name) != key):
                    self.index.append((key, pid))
                    lat.append(place.lat)
                    lon.append(place.lon)
                    owner.append(n)
                    kinds.append(place.kind == Kind.ADMIN2)
                    units.append(f"{place.country_code}/{place.admin1}" if place.admin1 else f"?{len(units)}")
        self.near = None
        if len(set(owner)) >= 2:
            la, lo = np.radians(lat), np.radians(lon)
            dlat = la[:, None] - la[None, :]
            dlon = lo[:, None] - lo[None, :]
            a = np.sin(dlat / 2) ** 2 + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin(dlon / 2) ** 2
            dist = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
            own = np.asarray(owner)
            near = (dist <= km) & (own[:, None] != own[None, :])
            if county:
                county_of = np.asarray(kinds)
                unit = np.asarray(units)
                near &= (county_of[:, None] != county_of[None, :]) & (unit[:, None] == unit[None, :])
            self.near = near.astype(float)

    def support(self, probs: dict[str, dict[str, float]]) -> dict[tuple[str, str], float]:
        """Probability mass of *other* names' candidates near each candidate."""
        if self.near is None:
            return {}
        p = np.array([probs[key][pid] for key, pid in self.index])
        mass = self.near @ p
        return {kp: float(m) for kp, m in zip(self.index, mass) if m > 0}


def _softmax(scores: dict[str, tuple[Place, float]]) -> dict[str, float]:
    t = WEIGHTS["temperature"]
    top = max(s for _, s in scores.values())
    exp = {pid: math.exp((s - top) / t) for pid, (_, s) in scores.items()}
    z = sum(exp.values())
    return {pid: e / z for pid, e in exp.items()}


class Resolver:
    """Resolves the mentions of one document at a time against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, disabled: Iterable[str] = ()):
        """``disabled``: names of pieces of evidence (see :data:`EVIDENCE`) that count
        nothing, to measure what each is worth (``bench/accuracy.py --ablate``)."""
        self.gazetteer = gazetteer
        self.disabled = frozenset(disabled)
        unknown = self.disabled - set(EVIDENCE)
        if unknown:
            raise ValueError(f"unknown resolver evidence: {', '.join(sorted(unknown))} (known: {', '.join(EVIDENCE)})")
        self.weights = {k: 0.0 if k in self.disabled else v for k, v in WEIGHTS.items()}
        self._candidates: dict[tuple, list[tuple[Place, float]]] = {}  # by what they depend on (see candidates)
        self._generation = gazetteer.generation

    def candidates(self, mention: Mention, lang: str | None = None) -> list[tuple[Place, float]]:
        """The gazetteer's readings of a mention with their prior scores, best first (a list not to be changed:
        it is kept for the next mention of the same name, language and kind)."""
        land = mention.source.startswith("land:")
        key = (mention.surface, lang, mention.demonym, mention.source if land else "")
        if self._generation != self.gazetteer.generation:  # places were added to the gazetteer
            self._candidates.clear()
            self._generation = self.gazetteer.generation
        hit = self._candidates.get(key)
        if hit is None:
            hit = self._land_candidates(mention, lang) if land else self._named_candidates(mention, lang)
            if len(self._candidates) > 100_000:
                self._candidates.clear()
            self._candidates[key] = hit
        return hit

    def _named_candidates(self, mention: Mention, lang: str | None) -> list[tuple[Place, float]]:
        entries = plausible_entries(mention.surface, self.gazetteer.lookup(mention.surface, lang))
        entries = [e for e in entries if not is_land(e[0])]  # land features: only by a land mention
        if mention.demonym:
            entries = [e for e in entries if e.demonym]
        else:
            named = [e for e in entries if not e.demonym]
            entries = named or entries
        best: dict[str, tuple[Place, float]] = {}
        for place, matched, main, _dem in entries:
            s = _score(place, matched, main, mention.surface, self.weights)
            if place.place_id not in best or s > best[place.place_id][1]:
                best[place.place_id] = (place, s)
        return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].place_id))

    def resolve(self, doc: Document, mentions: Sequence[Mention]) -> list[Resolution]:
        text = doc.text
        lang = doc.lang or detect_language(text)
        speaking = self.gazetteer.countries_speaking(lang)
        cands = [self.candidates(m, lang) for m in mentions]
        exonym = [frozenset() if m.demonym else self.gazetteer.exonym_places(m.surface, lang) for m in mentions]
        actor = [not m.demonym and acts(text, m.start, m.end) for m in mentions]
        said_unit = [unit_named(text, m.start, m.end) for m in mentions]

        # "X, Y": the mention right after a comma (or in parentheses) may contain X
        context: list[list[Place]] = [[] for _ in mentions]
        listed = [False] * len(mentions)
        for i in range(len(mentions) - 1):
            gap = text[mentions[i].end:mentions[i + 1].start]
            if gap.strip() in (",", "(", ", (") and len(gap) <= 3:
                context[i] = [p for p, _ in cands[i + 1][:3] if p.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.ADMIN2)]
                listed[i] = self._listed_unit(text, mentions, cands, i)

        # names listed together ("Mali, Niger, and Senegal") tend to be of one kind
        # (in a pair only countries and states: "Egypt and Niger", but "Paris and Henry
        # County" says nothing)
        neighbours: list[list[int]] = [[] for _ in mentions]
        in_long_list = [False] * len(mentions)
        linked = {i for i in range(len(mentions) - 1)
                  if (text[mentions[i].end:mentions[i + 1].start].strip() in _LIST_GAPS
                      or paired(text, mentions[i].end, mentions[i + 1].start)) and (not context[i] or listed[i])}
        for i in sorted(linked):
            neighbours[i].append(i + 1)
            neighbours[i + 1].append(i)
            if i + 1 in linked or i - 1 in linked:
                in_long_list[i] = in_long_list[i + 1] = True
        for i in [*sorted(linked), *sorted(linked, reverse=True)]:  # "Londres y París acordaron": both act
            actor[i] = actor[i + 1] = actor[i] or actor[i + 1]
        # a capital acts for its government ("Moscú respondió"), but a country's own name
        # acting is the country ("Mexico announced", though GeoNames also calls its capital so)
        actor = [a and not any(p.kind == Kind.COUNTRY for p, _ in cands[i]) for i, a in enumerate(actor)]

        # Group mentions by name (one sense per document) and give each name its
        # local score per candidate: prior + "X, Y" containment + language.
        # (a land feature is its own sense: "el río Bravo" is not the town of Río Bravo)
        keys = [name_key(m.surface) + ("#d" if m.demonym else "#land" if m.source.startswith("land:") else "")
                for m in mentions]
        by_key: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            by_key[key].append(i)
        local: dict[str, dict[str, tuple[Place, float]]] = {}
        why: dict[str, dict[str, dict[tuple, float]]] = {}  # key -> place id -> reason -> weight
        for key, idxs in by_key.items():
            scores: dict[str, tuple[Place, float]] = {}
            reasons: dict[str, dict[tuple, float]] = {}
            for i in idxs:
                floor = dateline_floor(cands[i]) if mentions[i].role == "dateline" else 0.0
                for place, base in cands[i]:
                    s, r = base, {}
                    outer = next((c for c in context[i] if _contains(c, place)), None) if context[i] else None
                    if outer is not None and (
                            not listed[i] or (place.kind == Kind.CITY and place.population >= RESOLVE_THRESHOLDS["listed_city"])):
                        s += self.weights["contained"]
                        r[("contained", outer.name)] = self.weights["contained"]
                    if place.country_code in speaking:
                        s += self.weights["language"]
                        r[("language", lang)] = self.weights["language"]
                    s += reading_cues(place, mentions[i], exonym[i], actor[i], r, self.weights, floor)
                    if said_unit[i] and place.kind in (Kind.ADMIN1, Kind.ADMIN2):
                        s += add(r, ("unit_named",), self.weights["unit_named"])
                    if place.place_id not in scores or s > scores[place.place_id][1]:
                        scores[place.place_id] = (place, s)
                        reasons[place.place_id] = r
            if scores:
                local[key] = scores
                why[key] = reasons

        # Document scope, found jointly: each name's candidates are weighted by
        # their current probability, and a candidate gains support from the
        # probability that *other* names lie in its country / admin-1 unit.
        # A few rounds let "Georgia ... Gainesville" settle on the US state and
        # its city together. A name is never its own evidence.
        # the names listed beside each name, and whether it stands in a list of three or more
        list_others = {key: [keys[j] for i in idxs for j in neighbours[i] if keys[j] != key and keys[j] in local]
                       for key, idxs in by_key.items()}
        own_names = {key: exonym[idxs[0]] for key, idxs in by_key.items()}
        shadowed: dict[str, set[str]] = {}
        cities_first(local, why, list_others, own_names,
                     {key for key, idxs in by_key.items() if any(said_unit[i] for i in idxs)}, shadowed, self.weights)
        surface_of = {key: mentions[idxs[0]].surface for key, idxs in by_key.items()}
        long_list = {key: any(in_long_list[i] for i in idxs) for key, idxs in by_key.items()}
        probs = {key: _softmax(scores) for key, scores in local.items()}
        final = local
        mass_cc: dict[str, dict[str, float]] = {}
        total_cc: dict[str, float] = {}
        near = _Proximity({key: v for key, v in local.items() if not key.endswith("#land")})
        # each candidate's country and admin-1 unit, listed once: the rounds only reweigh them
        # (masses are summed in the same order as ever: the same floats)
        units = {key: [(pid, place, place.country_code,
                        (place.country_code, place.admin1) if place.admin1 and place.kind != Kind.COUNTRY else None)
                       for pid, (place, _s) in scores.items()] for key, scores in local.items()}
        w = self.weights
        in_county = _Proximity({key: v for key, v in local.items() if not key.endswith("#land")}, km=ADMIN2_KM, county=True)
        for _round in range(3):
            last = _round == 2
            support_near = near.support(probs)
            support_county = in_county.support(probs)
            shares = list_mass(list_others, probs, local)
            mass_cc, mass_a1, kind_of = {}, {}, {}
            total_cc, total_a1 = {}, {}
            for key, ps in probs.items():
                cc_mass: dict[str, float] = {}
                a1_mass: dict[tuple[str, str], float] = {}
                kinds: dict[Kind, float] = {}
                for pid, place, cc, a1 in units[key]:
                    p = ps[pid]
                    if cc:
                        cc_mass[cc] = cc_mass.get(cc, 0) + p
                        if a1 is not None:
                            a1_mass[a1] = a1_mass.get(a1, 0) + p
                    kinds[place.kind] = kinds.get(place.kind, 0) + p
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
                for pid, place, cc, a1 in units[key]:
                    s = scores[pid][1]
                    r = why[key][pid]  # the reasons are noted in the last round only
                    if cc:
                        # the bonus also goes to a country itself, so that a mentioned
                        # country never makes its own namesake state win over it
                        b = w["doc_country"] * min(1.0, total_cc[cc] - cc_mass[cc])
                        s += b
                        if last:
                            add(r, ("doc_country", cc), b)
                        if a1 is not None:
                            other = total_a1[a1] - a1_mass[a1]
                            b = w["doc_admin1"] * min(1.0, other / SCOPE_MASS)
                            s += b
                            if last:
                                add(r, ("doc_admin1", *a1), b)
                            if other > 0:  # the document's own region: its share of the other names' units
                                b = w["region"] * other / a1_others[key]
                                s += b
                                if last:
                                    add(r, ("region", *a1), b)
                    b = w["near"] * min(1.0, support_near.get((key, pid), 0.0))
                    s += b
                    if last:
                        add(r, ("near",), b)
                    b = w["county"] * min(1.0, support_county.get((key, pid), 0.0))
                    s += b
                    if last:
                        add(r, ("county",), b)
                    if kinds_listed and (place.kind in (Kind.COUNTRY, Kind.ADMIN1) or long_list[key]) and pid not in shadow:
                        b = w["list_kind"] * kinds_listed.get(place.kind, 0.0)
                        s += b
                        if last:
                            add(r, ("list_kind", str(place.kind)), b)
                    if share is not None and cc:
                        # the country's share goes to its states too ("New York City and Florida")
                        a1_share, cc_share = share
                        same_a1 = a1_share.get((cc, place.admin1), 0.0) \
                            if place.kind in POINT_KINDS or place.kind == Kind.ADMIN1 else 0.0
                        b = w["list_place"] * (min(1.0, same_a1) + min(1.0, cc_share.get(cc, 0.0)))
                        s += b
                        if last:
                            add(r, ("list_place", surface_of[list_others[key][0]]), b)
                    updated[pid] = (place, s)
                final[key] = updated
            probs = {key: _softmax(scores) for key, scores in final.items()}

        chosen: dict[str, tuple[Place, float]] = {}
        others: dict[str, tuple[tuple[Place, ...], tuple[float, ...]]] = {}
        evidence: dict[str, str] = {}
        only_prior: set[str] = set()  # names whose reading rests on its prior alone
        for key, scores in final.items():
            ranked = sorted(probs[key], key=lambda p: (probs[key][p], p), reverse=True)
            pid = ranked[0]
            chosen[key] = (scores[pid][0], point_mass(scores[pid][0], probs[key], scores))
            runners = distinct(scores[pid][0], ranked[1:], scores)
            others[key] = (tuple(scores[p][0] for p in runners), tuple(round(probs[key][p], 4) for p in runners))
            evidence[key] = evidence_text(self.gazetteer, surface_of[key], scores[pid][0], why[key][pid], scores)
            if prior_only(why[key][pid]):
                only_prior.add(key)

        # land features: among same-name features, by the countries and places of the rest
        # (the candidates of a mention the recogniser found as a feature: a given span of the
        # same name, resolved beside it, has no feature candidates of its own)
        land_at: dict[str, int] = {}
        for i, m in enumerate(mentions):
            if m.source.startswith("land:") and keys[i] in chosen and cands[i]:
                land_at.setdefault(keys[i], i)
        if land_at:
            rest = [place for key, (place, _c) in chosen.items() if key not in land_at]
            for key, i in land_at.items():
                before = chosen[key][0].place_id
                chosen[key] = self._land_in_context(cands[i], rest, speaking)
                if chosen[key][0].place_id != before:
                    evidence[key] = "the feature in the document's countries or near its places"
                    only_prior.discard(key)
                    alts, alt_scores = others[key]
                    keep = [n for n, a in enumerate(alts) if a.place_id != chosen[key][0].place_id]
                    others[key] = (tuple(alts[n] for n in keep), tuple(alt_scores[n] for n in keep))

        # what the document is about, for fallbacks
        scope_cc: Counter[str] = Counter()
        scope_a1: Counter[tuple[str, str]] = Counter()
        for key, (place, _conf) in chosen.items():
            if place.country_code:
                scope_cc[place.country_code] += len(by_key[key])
                if place.kind != Kind.COUNTRY and place.admin1:
                    # the state of every place named, not only of the states named: a story
                    # about Lufkin and Diboll is in Texas
                    scope_a1[(place.country_code, place.admin1)] += len(by_key[key])

        around = UnitsAround({key: place for key, (place, _c) in chosen.items()}, {key: len(by_key[key]) * conf for key, (_p, conf) in chosen.items()},
                             self.gazetteer.admin1, self.gazetteer.country,
                             {"town": FALLBACK_CONFIDENCE["namesake"], "admin2": FALLBACK_CONFIDENCE["doc_admin1"], "admin1": FALLBACK_CONFIDENCE["doc_admin1"],
                              "country": FALLBACK_CONFIDENCE["doc_country"]})

        out = []
        for i, m in enumerate(mentions):
            key = keys[i]
            if key in chosen:
                place, conf = chosen[key]
                if m.source == "weak" and place.kind != Kind.COUNTRY and \
                        total_cc.get(place.country_code, 0) - mass_cc[key].get(place.country_code, 0) < 0.5 and \
                        not named_as_place(text, m, place, why[key][place.place_id]):
                    continue  # a common word ("Western", "Orange") that nothing else in the text places
                trust = RECOGNITION_TRUST.get(m.source, RECOGNITION_TRUST["other"]) * \
                    (PRIOR_ONLY_TRUST if key in only_prior else 1.0)
                kind = Kind.DEMONYM if m.demonym else place.kind
                alts, alt_scores = local_reading(place, conf, *others[key], around, key)
                precision = Precision.NEARBY if _base_at_town(m, place) else Precision.EXACT
                out.append(Resolution(m, place, kind, precision, round(conf * trust, 4), alts, alt_scores,
                                      evidence[key]))
            else:
                r = self._fallback(m, context[i], scope_cc, scope_a1)
                alts, alt_scores = offered(r.place, [(c, FALLBACK_CONFIDENCE["contained"] / (n + 2))
                                                     for n, c in enumerate(context[i][1:])] + around.weighed())
                out.append(dataclasses.replace(r, alternatives=alts, alternative_scores=alt_scores))
        return out

    # ------------------------------------------------------------------ land features
    def _land_candidates(self, mention: Mention, lang: str | None) -> list[tuple[Place, float]]:
        """Features a land mention ("río Lerma", "Lake Malawi", "los Andes") may name:
        entries of a compatible class (a river for "río", not the town of Lerma), by
        the whole span or by the name without its generic word. Prominent features
        (low Natural Earth scalerank) first; the whole name written so, a little more."""
        word_class = mention.source.partition(":")[2]
        best: dict[str, tuple[Place, float]] = {}
        core = core_words(mention.surface)
        # the name less its generic word: a name of the feature ("Sena" for the Seine), or a
        # derived one ("Popocatépetl"), unless a common word ("Central Plateau" is not the Cordillera Central)
        derived = not (" " not in core and self.gazetteer.is_common_word(core, lang or "en"))
        asked = [(mention.surface, lang, True), (core, lang, False)] + ([(core, "core", False)] if derived else [])
        for surface, tag, whole in asked:
            if not surface:
                continue
            for place, matched, main, _dem in self.gazetteer.lookup(surface, tag):
                info = self.gazetteer.land_info(place.place_id)
                if info is None or not compatible(word_class, info[0]):
                    continue
                s = (LAND_PRIOR - self.weights["land_rank"] * info[2] + self.weights["land_size"] * math.log10(info[3] + 1)
                     + (self.weights["main_name"] if whole else 0.0))
                if place.place_id not in best or s > best[place.place_id][1]:
                    best[place.place_id] = (place, s)
        return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].place_id))

    def _land_in_context(self, cands: list[tuple[Place, float]], chosen_others: list[Place],
                         speaking: frozenset[str]) -> tuple[Place, float]:
        """Among same-name features, the one in the document's countries and near its
        places (the Paraná near Rosario; Lake Malawi in a story about Mozambique), else
        one where the document's language is spoken."""
        countries = {p.country_code for p in chosen_others if p.country_code}
        points = [(p.lat, p.lon) for p in chosen_others if p.kind in POINT_KINDS]
        scored = {}
        for place, base in cands:
            info = self.gazetteer.land_info(place.place_id)
            touched = set(info[1]) if info else {place.country_code}
            s = base + self.weights["doc_country"] * bool(touched & countries) + self.weights["language"] * bool(touched & speaking)
            if points and any(great_circle_km(place.lat, place.lon, pt[0], pt[1]) <= LAND_NEAR_KM for pt in points):
                s += self.weights["near"]
            scored[place.place_id] = (place, s)
        probs = _softmax(scored)
        pid = max(probs, key=lambda p: (probs[p], p))
        place = scored[pid][0]
        # a river named with a town is placed at the town's reach: still a point on the river
        near = min(((great_circle_km(place.lat, place.lon, pt[0], pt[1]), pt) for pt in points), default=None)
        if near is not None:
            at = point_near(place.place_id, near[1][0], near[1][1], LAND_NEAR_KM)
            if at is not None:
                place = dataclasses.replace(place, lat=at[0], lon=at[1])
        return place, probs[pid]

    def _namesake(self, surface: str, context: list[Place], scope_cc: Counter, scope_a1: Counter) -> Place | None:
        """The place a feature's name is built on, inside the unit the text puts it in.

        The generic words ("Valley", "Lake", "Proving Ground") and qualifiers
        ("North", "Greater", "Eastern") come off; what is left must name a place, not
        be a common word, and lie in the containing unit ("X, State") or the
        document's main country. Nothing is guessed without such a unit.
        """
        core = _core_name(surface)
        if not core or core == surface or (" " not in core and self.gazetteer.is_common_word(core, "en")):
            return None
        if context:
            inside = lambda p: any(_contains(c, p) or c.place_id == p.place_id for c in context)  # noqa: E731
            bonus = lambda p: 0.0  # noqa: E731
        elif scope_cc:
            cc = scope_cc.most_common(1)[0][0]
            a1 = {code for (c, code) in scope_a1 if c == cc}
            inside = lambda p: p.country_code == cc  # noqa: E731
            bonus = lambda p: self.weights["doc_admin1"] if p.admin1 in a1 else 0.0  # noqa: E731
        else:
            return None
        best = None
        for place, matched, main, demonym in plausible_entries(core, self.gazetteer.lookup(core)):
            if demonym or place.kind == Kind.COUNTRY or not inside(place):
                continue
            s = _score(place, matched, main, core) + bonus(place)
            if best is None or s > best[1]:
                best = (place, s)
        return best[0] if best else None

    @staticmethod
    def _listed_unit(text: str, mentions: Sequence[Mention], cands: list, i: int) -> bool:
        """"Georgia, Illinois, Missouri", "China, Japan, and the UK": a state or country
        in a list of them is not a town of the next one, as "Illinois, Missouri" alone
        would read."""
        if not any(p.kind in (Kind.COUNTRY, Kind.ADMIN1) for p, _ in cands[i][:2]):
            return False
        if i > 0 and text[mentions[i - 1].end:mentions[i].start].strip() == ",":
            return True
        if i + 2 < len(mentions):
            gap = text[mentions[i + 1].end:mentions[i + 2].start].strip()
            return gap in (",", "and", ", and", "y", ", y", "or") or gap.endswith(("and the", "y el", "y la", "y los"))
        return False

    def _fallback(self, m: Mention, context: list[Place], scope_cc: Counter, scope_a1: Counter) -> Resolution:
        """A mention the gazetteer lacks: point at a place its name contains, in the
        document's scope ("Salinas Valley", "North Dallas", "Lake Erie"); else at the
        unit that contains it."""
        kind = Kind.ADMIN2 if m.source.endswith("admin2") else Kind.FEATURE
        if m.source.startswith("land:") or _is_base(m.surface):
            # a river, range or base the gazetteer lacks ("el río Tuxpan", "Camp Shelby") falls
            # back only to the unit the text puts it in, never to one merely mentioned
            # elsewhere; a place its name is built on ("bahía de Santander") only nearby
            scope_a1 = Counter()
            namesake = None if m.source in _NO_NAMESAKE else self._namesake(m.surface, context, scope_cc, Counter())
            scope_cc = Counter()
        else:
            namesake = self._namesake(m.surface, context, scope_cc, scope_a1)
        if namesake is not None:
            return Resolution(m, namesake, kind, Precision.NEARBY, FALLBACK_CONFIDENCE["namesake"], evidence=f"not in gazetteer; named after {namesake.name}")
        if context:
            outer = context[0]
            precision = {Kind.ADMIN1: Precision.ADMIN1, Kind.ADMIN2: Precision.ADMIN2}.get(outer.kind, Precision.COUNTRY)
            return Resolution(m, outer, kind, precision, FALLBACK_CONFIDENCE["contained"],
                              evidence=f'not in gazetteer; "{m.surface}, {outer.name}" in text')
        if scope_a1:
            (cc, code), _ = scope_a1.most_common(1)[0]
            outer = self.gazetteer.admin1(cc, code)
            if outer is not None:
                return Resolution(m, outer, kind, Precision.ADMIN1, FALLBACK_CONFIDENCE["doc_admin1"],
                                  evidence=f"not in gazetteer; document scope: {outer.name}")
        if scope_cc:
            cc, _ = scope_cc.most_common(1)[0]
            outer = self.gazetteer.country(cc)
            if outer is not None:
                return Resolution(m, outer, kind, Precision.COUNTRY, FALLBACK_CONFIDENCE["doc_country"],
                                  evidence=f"not in gazetteer; document scope: {outer.name}")
        return Resolution(m, None, kind, Precision.UNRESOLVED, 0.0, evidence="not in gazetteer; nothing in the text places it")


_BASE_WORDS = {"camp", "fort", "fuerte", "ft"}
# ranges, peaks and seas are not at the town that shares their name
_NO_NAMESAKE = {"land:range", "land:peak", "land:volcano", "land:desert", "land:sea", "land:gulf", "land:strait",
                "land:islands", "land:plateau"}


def _is_base(surface: str) -> bool:
    words = surface.lower().split()
    return bool(words) and (words[0].rstrip(".") in _BASE_WORDS or words[0] == "base"
                            or " ".join(words[-2:]) in ("air base", "naval base", "air station"))


def _base_at_town(m: Mention, place: Place) -> bool:
    """A base resolved to the populated place that shares its name ("Camp X", a small
    "Fort X"): the town is beside the base, not the base ("Fort Worth" is a city)."""
    first = m.surface.split()[0].lower().rstrip(".") if m.surface.split() else ""
    return first in _BASE_WORDS and place.kind == Kind.CITY and (first == "camp" or place.population < RESOLVE_THRESHOLDS["base_town"])


def resolve(doc: Document, mentions: Sequence[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    """Resolve the mentions of one document. See :class:`Resolver`."""
    return Resolver(gazetteer).resolve(doc, mentions)
