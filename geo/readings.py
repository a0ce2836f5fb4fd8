"""Reading cues of the resolver: the rules that tell one reading of a name from another
beyond its prior and the document's scope, and how a resolution explains itself.

* an exonym ("Bruselas", "Pekín") names the famous place, not a namesake;
* a dateline ("WASHINGTON —") names a city; a capital named as an actor ("Moscú
  respondió") is the capital, over any document scope;
* a bare name shared by a large city and its province or state is the city
  ("Sevilla", "Nueva York"), unless the text says the unit or lists the name
  with units no city shares;
* the members of a list or pair lie together ("Portland and Salem");
* evidence: the strongest reasons for the answer, in a few words; alternatives:
  other places, not the answer's duplicates; confidence: the probability of every
  reading at the answer's point.

Used by :mod:`geo.resolve`, which owns the scoring loop.
"""
from __future__ import annotations

from collections import Counter
from operator import itemgetter

from .cues import after_locative
from .distance import great_circle_km
from .gazetteer import Gazetteer, name_key
from .model import Kind, Mention, Place

__all__ = ["READING_WEIGHTS", "MAX_ALTERNATIVES", "DUPLICATE_KM", "CITY_FIRST_POP", "CAPITAL_POP", "CAPITAL_SHARE", "ADMIN2_KM", "POINT_KINDS",
           "UNIT_KINDS", "KIND_WORDS", "add", "may_be_unit", "may_be_capital", "own_keys", "distinct", "point_mass", "named_as_place", "reading_cues", "city_of", "capital_of", "cities_first", "unit_alone",
           "evidence_text", "UnitsAround", "offered", "local_reading", "prior_only"]

READING_WEIGHTS = {
    "exonym": 3.0,          # the mention is the language's own name for this famous place ("Bruselas")
    "dateline": 4.0,        # a city, for the place a story was filed from ("WASHINGTON —")
    "actor": 7.5,           # a national capital, for a place named as an actor ("Moscú respondió"), over any scope
    "unit_named": 4.0,      # a province or state, when the text says so ("la provincia de Sevilla", "New York state")
    "city_first": 0.25,     # margin of a city over the province/state it shares its name with
    "list_place": 2.0,      # the names listed with it have readings in its admin-1 unit (and again: its country)
}

MAX_ALTERNATIVES = 3  # other readings kept with a resolution (shown as "Other candidates")
DUPLICATE_KM = 50.0   # an alternative this close to the answer or to a kept alternative is the same place
CITY_FIRST_POP = 100_000  # a city this large is read before the unit of its name ("Sevilla", "Nueva York")
CAPITAL_POP = 20_000      # a smaller city inside a unit of CITY_FIRST_POP or more is still read first when it holds
CAPITAL_SHARE = 0.2       # this share of the unit's people: the capital a province is named after ("Guadalajara", "Huesca")
ADMIN2_KM = 60.0  # a town this close to a county's point lies in it
POINT_KINDS = (Kind.CITY, Kind.ADMIN2, Kind.FEATURE)


def add(reasons: dict[tuple, float], reason: tuple, weight: float) -> float:
    """Count ``weight`` into a candidate's score, remembering why (when it is worth saying)."""
    if weight >= 0.5:
        reasons[reason] = weight
    return weight


def distinct(answer: Place, ranked: list[str], scores: dict[str, tuple[Place, float]]) -> list[str]:
    """The best other readings that are other places: not within DUPLICATE_KM of the
    answer or of one kept before ("City of London" is London; Moscow oblast is Moscow)."""
    kept: list[str] = []
    points = [(answer.lat, answer.lon)]
    for pid in ranked:
        place = scores[pid][0]
        if _near_any(points, place.lat, place.lon):
            continue
        kept.append(pid)
        points.append((place.lat, place.lon))
        if len(kept) == MAX_ALTERNATIVES:
            break
    return kept


# a degree of latitude is 111.19 km on great_circle_km's sphere, and two points are at least their
# latitudes' difference apart: points further apart in latitude than this are not within
# DUPLICATE_KM (with a kilometre to spare for rounding), and need no distance computed
_DUPLICATE_LAT = (DUPLICATE_KM + 1.0) / 111.19


def _near_any(points: list[tuple[float, float]], lat: float, lon: float) -> bool:
    """Whether (lat, lon) is within DUPLICATE_KM of one of ``points``."""
    for q_lat, q_lon in points:
        if abs(q_lat - lat) <= _DUPLICATE_LAT and great_circle_km(q_lat, q_lon, lat, lon) <= DUPLICATE_KM:
            return True
    return False


class UnitsAround:
    """Where the places a document names lie: its counties, its towns, the states and
    provinces of every place it names (its towns' too), its countries, each weighed by
    how many mentions lie in it, times the confidence of their reading (a name read
    as a province far away, with little confidence, weighs little). They are the
    alternatives of a place the gazetteer lacks (it is likely near the places the story
    names), and the last one of a town read outside every state the rest of the story
    lies in (a local paper's township the gazetteer lacks, read as a namesake far away).

    ``chosen``: each name's answer; ``mentions``: each name's weight (its mentions
    times its confidence); ``admin1`` and ``country``: the gazetteer's look-ups;
    ``confidence``: the fallback confidence of each level (``admin2``, ``town``,
    ``admin1``, ``country``); times the unit's share of its level, it is its score.
    """

    def __init__(self, chosen: dict[str, Place], mentions: dict[str, float], admin1, country,
                 confidence: dict[str, float]):
        self.units: dict[tuple, Place | None] = {}
        self.count: dict[str, Counter] = {"town": Counter(), "admin2": Counter(), "admin1": Counter(), "country": Counter()}
        self.own: dict[str, list[tuple[str, tuple]]] = {}
        self.confidence = confidence
        self.mentions = mentions
        self._main: str | None = None
        units, count = self.units, self.count
        by_country, by_admin1 = count["country"], count["admin1"]
        # each level counted in the names' order (Counter's += less its __missing__ call: the same sums)
        for key, place in chosen.items():
            cc = place.country_code
            if not cc:
                continue
            weight = mentions[key]
            unit = ("country", cc)
            own = [("country", unit)]
            by_country[unit] = by_country.get(unit, 0) + weight
            if unit not in units:
                units[unit] = country(cc)
            kind = place.kind
            if kind != Kind.COUNTRY and place.admin1:
                unit = ("admin1", cc, place.admin1)
                own.append(("admin1", unit))
                by_admin1[unit] = by_admin1.get(unit, 0) + weight
                if unit not in units:
                    units[unit] = admin1(cc, place.admin1)
            if kind == Kind.ADMIN2 or kind == Kind.CITY:
                level = "admin2" if kind == Kind.ADMIN2 else "town"
                unit = (level, place.place_id)
                own.append((level, unit))
                units[unit] = place
                by_level = count[level]
                by_level[unit] = by_level.get(unit, 0) + weight
            self.own[key] = own

    def main_country(self) -> str:
        """The country most mentions lie in (the first counted of equals)."""
        if self._main is None:  # the counts are fixed once made: worked out once per document
            self._main = self.count["country"].most_common(1)[0][0][1] if self.count["country"] else ""
        return self._main

    def holds(self, skip: str, levels: tuple[str, ...], cc: str, admin1: str) -> bool:
        """Whether ``weighed(skip, levels)`` lists a unit in country ``cc`` and admin-1 unit
        ``admin1`` (found without weighing and ordering them all)."""
        own = self.own.get(skip, ())
        for level in levels:
            for unit, n in self.count[level].items():
                place = self.units[unit]
                if place is None or place.country_code != cc or place.admin1 != admin1:
                    continue
                if (level, unit) in own:
                    n = n - self.mentions[skip]
                if n > 0:
                    return True
        return False

    def weighed(self, skip: str = "", levels=("admin2", "town", "admin1", "country")) -> list[tuple[Place, float]]:
        """The units of ``levels``, in that order (the county a story names is a closer
        guess than its towns, its towns than its state), each level by its weight,
        leaving out the name ``skip`` (a name is never its own evidence)."""
        out = []
        own = self.own.get(skip, ())
        for level in levels:
            # the level's counts less the skipped name's own, in the order counted (as a copy of the
            # Counter less them, and its most_common(): a stable sort by count, largest first)
            minus = {unit: self.mentions[skip] for lv, unit in own if lv == level}
            count = [(unit, n - minus[unit]) if unit in minus else (unit, n) for unit, n in self.count[level].items()] \
                if minus else list(self.count[level].items())
            total = sum(n for _unit, n in count if n > 0)
            count.sort(key=itemgetter(1), reverse=True)
            for unit, n in count:
                if n > 0 and self.units[unit] is not None:
                    out.append((self.units[unit], self.confidence[level] * n / total))
        return out


def offered(answer: Place | None, weighed: list[tuple[Place, float]],
            limit: int = MAX_ALTERNATIVES) -> tuple[tuple[Place, ...], tuple[float, ...]]:
    """The first ``limit`` of ``weighed`` (place, score) that are other places: not the
    answer, and not within DUPLICATE_KM of it or of one kept before."""
    kept: list[tuple[Place, float]] = []
    points = [] if answer is None else [(answer.lat, answer.lon)]
    seen = set() if answer is None else {answer.place_id}
    for place, score in weighed:
        if place.place_id in seen or _near_any(points, place.lat, place.lon):
            continue
        seen.add(place.place_id)
        kept.append((place, round(score, 4)))
        points.append((place.lat, place.lon))
        if len(kept) == limit:
            break
    return tuple(p for p, _ in kept), tuple(sc for _, sc in kept)


def local_reading(answer: Place, confidence: float, alternatives: tuple[Place, ...], scores: tuple[float, ...],
                  around: UnitsAround, key: str) -> tuple[tuple[Place, ...], tuple[float, ...]]:
    """A town (or county, or feature) read outside every state the rest of the story
    lies in, in the story's main country, may be a place of the story's own area that
    the gazetteer lacks (a local paper's township, read as a namesake far away): the
    last alternative is then the story's own county or state. Its score: the unit's
    (see :class:`UnitsAround`), at most the probability left to the readings not shown
    and at most the score of the alternative before it (nothing in the text names it)."""
    main = around.main_country()
    if answer.kind not in POINT_KINDS or answer.country_code != main or \
            around.holds(key, ("admin2", "admin1"), main, answer.admin1):  # (the test below, sooner)
        return alternatives, scores
    units = [(u, sc) for u, sc in around.weighed(key, ("admin2", "admin1")) if u.country_code == main]
    if not units or any(u.admin1 == answer.admin1 for u, _ in units):
        return alternatives, scores
    keep = list(zip(alternatives, scores))[:MAX_ALTERNATIVES - 1]
    left = max(0.0, 1.0 - confidence - sum(sc for _, sc in keep))  # the probability of every reading not shown
    return offered(answer, keep + [(units[0][0], min(units[0][1], left, *(sc for _, sc in keep[-1:])))])


def point_mass(answer: Place, probs: dict[str, float], scores: dict[str, tuple[Place, float]]) -> float:
    """The confidence: the probability of every reading at the answer's point (the city
    of Sevilla and its province, Moscow and its oblast are one point on the map)."""
    mass = 0.0
    lat, lon = answer.lat, answer.lon
    for pid, p in probs.items():
        if p >= 0.005:
            place = scores[pid][0]
            if place is answer or (abs(place.lat - lat) <= _DUPLICATE_LAT
                                   and great_circle_km(lat, lon, place.lat, place.lon) <= DUPLICATE_KM):
                mass += p
    return min(1.0, mass)


UNIT_KINDS = (Kind.COUNTRY, Kind.ADMIN1, Kind.ADMIN2)
KIND_WORDS = {Kind.COUNTRY: "country", Kind.ADMIN1: "state or province", Kind.ADMIN2: "county or province",
              Kind.CITY: "town", Kind.CONTINENT: "continent", Kind.FEATURE: "feature"}


def may_be_unit(cands: list[tuple[Place, float]]) -> bool:
    """Whether a reading of the name is a country, state or county (the text saying "the
    state of X" counts only then: the resolver reads those words only then)."""
    return any(p.kind in UNIT_KINDS for p, _ in cands)


def may_be_capital(cands: list[tuple[Place, float]]) -> bool:
    """Whether a reading of the name is a national capital (being named as an actor counts
    only then: the resolver reads the verb after a list only then)."""
    return any(p.feature_code == "PPLC" for p, _ in cands)


def named_as_place(text: str, m: Mention, place: Place, reasons: dict[tuple, float]) -> bool:
    """A common word that the text still names as a place: the language's own name
    for a famous place ("Bruselas"), a dateline, a capital as actor, or a large city
    after a preposition of place ("en Granada")."""
    return bool({("exonym",), ("dateline",), ("actor",)} & reasons.keys()) or (
        place.kind == Kind.CITY and place.population >= CITY_FIRST_POP and after_locative(text, m.start))


DATELINE_POP_SHARE = 0.1  # a dateline names the best-known city of its name: namesakes under a tenth of
                          # its population get no dateline weight ("WASHINGTON —" is D.C., not every Washington)


def dateline_floor(candidates) -> float:
    """The population a city candidate of a dateline needs for the dateline weight."""
    return DATELINE_POP_SHARE * max((p.population for p, _ in candidates if p.kind == Kind.CITY), default=0)


def reading_cues(place: Place, m: Mention, exonyms: frozenset[str], actor: bool, r: dict,
                 weights: dict[str, float] = READING_WEIGHTS, city_floor: float = 0.0) -> float:
    """Exonym, dateline and actor evidence for one candidate of one mention (``weights``: the
    resolver's, where evidence may be switched off; ``city_floor``: see :func:`dateline_floor`)."""
    s = 0.0
    if place.place_id in exonyms:
        s += add(r, ("exonym",), weights["exonym"])  # "Bruselas", "Pekín": the famous place
    if m.role == "dateline" and place.kind == Kind.CITY and place.population >= city_floor:
        s += add(r, ("dateline",), weights["dateline"])  # the wires file from cities
    if actor and place.feature_code == "PPLC":
        s += add(r, ("actor",), weights["actor"])  # "Washington anunció": the government, the capital
    return s


def city_of(unit: Place, cities: list[Place], inside: bool = False) -> Place | None:
    """The large city that shares the unit's name and lies in it (Sevilla in its
    province, New York City in its state), or is larger than it (Granada, Spain
    over Grenada; Portland, Oregon over Portland parish, Jamaica). ``inside``: only
    a city that lies in the unit."""
    for city in cities:
        if not inside and unit.population and city.population > unit.population:
            return city
        if city.country_code != unit.country_code or unit.kind == Kind.COUNTRY:
            continue
        if unit.kind == Kind.ADMIN1 and (city.admin1 == unit.admin1 or city.feature_code == "PPLC"):
            return city  # (the national capital before a state of its name: Washington)
        if unit.kind == Kind.ADMIN2 and city.admin1 == unit.admin1 and \
                great_circle_km(unit.lat, unit.lon, city.lat, city.lon) <= 2 * ADMIN2_KM:
            return city
    return None


def capital_of(unit: Place, cities: list[Place]) -> Place | None:
    """A smaller city the unit is named after: inside a unit of ``CITY_FIRST_POP`` or
    more, with ``CAPITAL_SHARE`` of its people (Guadalajara in its province)."""
    if unit.population < CITY_FIRST_POP:
        return None
    city = city_of(unit, [c for c in cities if c.population >= CAPITAL_SHARE * unit.population], inside=True)
    return city if city is not None and city.population < CITY_FIRST_POP else None


def own_keys(name: str) -> set[str]:
    """The keys of a place's own name, each language's part of a bilingual one
    ("Donostia / San Sebastián", "Gasteiz / Vitoria"), and the name a Spanish city's
    honorific long form is called by ("Victoria de Durango", "Oaxaca de Juárez",
    "Santiago de Querétaro": Durango, Oaxaca, Querétaro)."""
    keys = {name_key(part) for part in name.split(" / ")}
    for key in list(keys):
        head, sep, tail = key.partition(" de ")
        if sep and " de " not in tail and len(head.split()) == 1 and len(tail.split()) == 1:
            keys |= {head, tail}
    return keys


def cities_first(local: dict, why: dict, list_others: dict[str, list[str]],
                  own_names: dict[str, frozenset[str]], unit_said: set[str],
                  shadowed: dict[str, set[str]], weights: dict[str, float] = READING_WEIGHTS
                  ) -> dict[str, set[tuple[str, str]]]:
    """A bare name shared by a large city and its province or state is the city
    ("Sevilla", "Valencia", "Nueva York"; a smaller capital too, :func:`capital_of`), unless the text says the unit ("la
    provincia de Sevilla", "New York state") or lists the name with units that
    no city shares ("Sonora, Chihuahua y Durango"). The city must bear the name as
    its own, or as the language's name for it: English "New York" is first the
    state's name (the city's is "New York City"), Spanish "Nueva York" the city's
    (a bilingual name is each of its parts: "Donostia / San Sebastián").

    Fills ``shadowed`` with the units read as their city (a list of units does not
    raise them). Returns, for each name read as a city, the admin-1 units it also named."""
    pairs: dict[str, list[tuple[str, Place, float]]] = {}
    for key, scores in local.items():
        found = []
        pairs[key] = found
        if len(scores) < 2:
            continue  # (a unit and a city of its name are two candidates)
        units_named = [(pid, place) for pid, (place, _s) in scores.items() if place.kind in UNIT_KINDS]
        if not units_named:
            continue  # (no unit to read as its city)
        cities = sorted((p for p, _s in scores.values() if p.kind == Kind.CITY and p.population >= CAPITAL_POP
                         and (key in own_keys(p.name) or p.place_id in own_names.get(key, ()))),
                        key=lambda p: -p.population)
        if cities:
            large = [p for p in cities if p.population >= CITY_FIRST_POP]
            for pid, place in units_named:
                city = city_of(place, large)
                if city is not None:
                    found.append((pid, city, weights["city_first"]))
                capital = capital_of(place, cities)
                if capital is not None:  # with a larger namesake elsewhere, the unit's score without the
                    # margin: the capital beats it only with the text's context (Guadalajara, Mexico alone)
                    found.append((pid, capital, 0.0 if city is not None else weights["city_first"]))
    units: dict[str, set[tuple[str, str]]] = {}
    for key, found in pairs.items():
        if not found or key in unit_said:
            continue
        if any(not pairs.get(o) and unit_alone(local[o]) for o in list_others.get(key, ())):
            continue
        scores = local[key]
        for pid, city, margin in found:
            unit, s = scores[pid]
            floor = s + margin
            if unit.kind == Kind.ADMIN1:
                units.setdefault(key, set()).add((unit.country_code, unit.admin1))
            shadowed.setdefault(key, set()).add(pid)
            if scores[city.place_id][1] < floor and weights["city_first"] > 0:  # (0: the evidence switched off)
                why[key][city.place_id][("city_first", str(unit.kind))] = floor - scores[city.place_id][1]
                scores[city.place_id] = (city, floor)
    return units


def unit_alone(scores: dict) -> bool:
    """The best reading of a listed name is a unit that no city of its name lies in, by any of
    the city's names ("Sonora"; not "Castellón", whose city is called "Castelló de la Plana")."""
    unit = max(scores.values(), key=lambda ps: ps[1])[0]
    if unit.kind not in UNIT_KINDS:
        return False
    cities = [p for p, _s in scores.values() if p.kind == Kind.CITY and p.population >= CAPITAL_POP
              and p.population >= CAPITAL_SHARE * unit.population]
    return city_of(unit, cities, inside=True) is None


def prior_only(reasons: dict[tuple, float]) -> bool:
    """Whether nothing in the text supports a reading but its prior: no reason worth
    saying, or only the document's language (the evidence then names the prior)."""
    return all(reason[0] == "language" for reason in reasons)


def evidence_text(gazetteer: Gazetteer, surface: str, place: Place, reasons: dict[tuple, float], scores: dict) -> str:
    """Why this reading, in a few words: the two strongest reasons, else its prior."""
    said = []
    ranked, tags = [], set()
    for reason, _w in sorted(reasons.items(), key=lambda rw: -rw[1]):
        tag = "doc" if reason[0].startswith("doc_") or reason[0] == "region" else reason[0]
        if tag not in tags and (tag != "language" or len(reasons) == 1):
            tags.add(tag)
            ranked.append(reason)
            if len(ranked) == 2:  # only the two strongest are said
                break
    for reason in ranked:
        tag = reason[0]
        if tag == "contained":
            said.append(f'"{surface}, {reason[1]}" in text')
        elif tag == "doc_country":
            country = gazetteer.country(reason[1])
            said.append(f"document scope: {country.name if country else reason[1]}")
        elif tag in ("doc_admin1", "region"):
            unit = gazetteer.admin1(reason[1], reason[2])
            said.append(f"document scope: {unit.name if unit else reason[2]}")
        elif tag == "near":
            said.append("near other places named")
        elif tag == "county":
            said.append("in a county named" if place.kind != Kind.ADMIN2 else "a town named lies in it")
        elif tag == "list_kind":
            said.append(f"listed with other {KIND_WORDS.get(Kind(reason[1]), reason[1])} names")
        elif tag == "list_place":
            said.append(f"list with {reason[1]}")
        elif tag == "city_first":
            said.append("a city before the unit of its name")
        elif tag == "unit_named":
            said.append("the text names the unit (province, state)")
        elif tag == "language":
            said.append(f"language: {reason[1]}")
        else:
            said.append({"exonym": "exonym", "dateline": "dateline", "actor": "capital as actor"}[tag])
    if said:
        return "; ".join(said)
    if len(scores) == 1:
        return "only place of this name"
    if place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT):
        return f"a {KIND_WORDS[place.kind]} before its namesakes"
    if place.population >= max(p.population for p, _s in scores.values()):
        return "population"
    return "main name" if place.name.casefold() == surface.casefold() else "best name match"
