"""The resolver's scoring tables and the pieces every step of it shares.

* :data:`KIND_PRIOR`, :data:`WEIGHTS` (every named piece of evidence and the softmax
  temperature), :data:`EVIDENCE`: what a candidate's score is made of;
* :data:`RECOGNITION_TRUST`, :data:`PRIOR_ONLY_TRUST`, :data:`FALLBACK_CONFIDENCE`:
  what a confidence is multiplied by, or set to;
* :func:`score`: a candidate's prior score; :func:`softmax`: the candidates' shares;
  :func:`contains`: whether one place holds another; :class:`Proximity`: which
  candidates of different names lie near each other.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .distance import great_circle_km
from .gazetteer import name_key
from .model import Kind, Place
from .readings import ADMIN2_KM, POINT_KINDS, READING_WEIGHTS

__all__ = ["KIND_PRIOR", "WEIGHTS", "EVIDENCE", "RECOGNITION_TRUST", "PRIOR_ONLY_TRUST", "FALLBACK_CONFIDENCE",
           "RESOLVE_THRESHOLDS", "NEAR_KM", "SCOPE_MASS", "LAND_PRIOR", "LAND_NEAR_KM", "score", "softmax", "softmax_shares", "contains",
           "Proximity"]


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

# Confidence of a mention the gazetteer lacks, by what places it (geo.fallback.fallback).
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


def score(place: Place, matched: str, main: bool, surface: str, w: dict[str, float] = WEIGHTS) -> float:
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



def contains(outer: Place, inner: Place) -> bool:
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




NEAR_KM = 150.0
SCOPE_MASS = 3.0  # how many other names in an admin-1 unit give its full doc_admin1 weight
FAMOUS_POP = 100_000  # a city this large, with a namesake ...
FAMOUS_RATIO = 100    # ... this many times smaller: news names the large one across states
FAMOUS_CITY_POP = 1_000_000  # a city this large: its far smaller namesakes weigh in a country by the likeliest one
DWARFED_SHARE = 0.5   # the share of the state's evidence (doc_admin1, region, a list's state) such a namesake gets

# land features: a named river or range is as likely as a state by its own name (it has
# its generic word); each Natural Earth scalerank step (0 = most prominent) costs a little
LAND_PRIOR = 3.0
LAND_NEAR_KM = 400.0


class Proximity:
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
        points = []
        for n, (key, scores) in enumerate(local.items()):
            entries = list(scores.values())
            points += self.points_of(n, key, list(scores), [p for p, _s in entries], [s for _p, s in entries],
                                     per_name, county)
        self._build(points, km, county)

    @staticmethod
    def points_of(n: int, key: str, pids: list[str], places: list[Place], scores: list[float], per_name: int = 8,
                  county: bool = False) -> list[tuple]:
        """The candidates of name number ``n`` that take part, as points (n, name, place id,
        place, a county named as such or no county at all, the candidate's position): the
        point-like ones among its ``per_name`` best by score (ties in their order)."""
        best = sorted(range(len(pids)), key=scores.__getitem__, reverse=True)[:per_name] if len(pids) > 1 else range(len(pids))
        out = []
        for i in best:
            place = places[i]
            if place.kind in POINT_KINDS:
                named_county = place.kind != Kind.ADMIN2 or name_key(place.name) == key
                if named_county or not county:
                    out.append((n, key, pids[i], place, named_county, i))
        return out

    @classmethod
    def of_points(cls, points: list[tuple], km: float = NEAR_KM) -> Proximity:
        """The proximity of points chosen by :meth:`points_of`, name by name (with ``county`` False)."""
        out = object.__new__(cls)
        out._build(points, km, False)
        return out

    def _build(self, points: list[tuple], km: float, county: bool) -> None:
        self.points = points
        self.index: list[tuple[str, str]] = [(pt[1], pt[2]) for pt in points]
        self._owner = owner = [pt[0] for pt in points]
        self._kinds = kinds = [pt[3].kind == Kind.ADMIN2 for pt in points]
        self._county_ok = [pt[4] for pt in points]
        self.near = self._dist = None
        if len(set(owner)) >= 2:
            self._dist = self.distances([pt[3].lat for pt in points], [pt[3].lon for pt in points])
            self.near = self._near(self._dist, owner, kinds, self._units() if county else None, km, county)

    @staticmethod
    def distances(lat: list[float], lon: list[float]) -> np.ndarray:
        """Every pair's great-circle kilometres (the haversine, on a sphere of 6371 km): the
        matrix of ``2 * 6371.0 * arcsin(sqrt(clip(a, 0, 1)))`` for ``a = sin(dlat / 2) ** 2 +
        cos(lat1) * cos(lat2) * sin(dlon / 2) ** 2``, in radians.

        (Computed in few numpy calls, a document's points being few: the latitude and longitude
        differences in one array, the sines of both in one call, ``x * x`` for ``x ** 2``, an
        outer product for ``cos[:, None] * cos[None, :]``, ``minimum(maximum(a, 0), 1)`` for the
        clip: each element is the same operations on the same values, so the same floats as the
        formula written out; ``tests/test_scope.py`` checks it to the bit.)"""
        rad = np.radians(np.array((lat, lon), dtype=float))  # row 0: latitudes, row 1: longitudes
        half = rad[:, :, None] - rad[:, None, :]   # [0]: dlat, [1]: dlon
        half /= 2
        sines = np.sin(half)
        sines *= sines
        cos = np.cos(rad[0])
        a = np.multiply.outer(cos, cos)
        a *= sines[1]
        a += sines[0]  # (sin(dlat / 2) ** 2 + the product: addition is commutative, to the bit)
        return 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(np.maximum(a, 0), 1), out=a), out=a)

    def _units(self) -> list[int]:
        """Each point's admin-1 unit as a number (a place without one is in no one's unit: a number of its own)."""
        unit_of: dict[tuple[str, str], int] = {}
        return [unit_of.setdefault((pt[3].country_code, pt[3].admin1), i) if pt[3].admin1 else -1 - i
                for i, pt in enumerate(self.points)]

    @staticmethod
    def _near(dist: np.ndarray, owner: list, kinds: list, units: list | None, km: float, county: bool) -> np.ndarray:
        own = np.array(owner)
        near = dist <= km
        near &= np.not_equal.outer(own, own)
        if county:
            county_of = np.array(kinds)
            unit = np.array(units)
            near &= np.not_equal.outer(county_of, county_of)
            near &= np.equal.outer(unit, unit)
        return near.astype(float)

    def in_county(self, km: float) -> Proximity:
        """The same as ``Proximity(local, per_name, km, county=True)`` on the same names, with
        this object's distances (each pair's is computed on its own: the same floats), so a
        document's distances are computed once. With no county, or no town, nothing is near:
        then no matrix at all (``near`` is None, as for a single name)."""
        out = object.__new__(Proximity)
        out.near = out._dist = None
        if all(self._county_ok):  # every point takes part (the lists are not changed: shared)
            sel = None
            out.points, out.index, out._owner, out._kinds = self.points, self.index, self._owner, self._kinds
        else:
            sel = [i for i, ok in enumerate(self._county_ok) if ok]
            out.points = [self.points[i] for i in sel]
            out.index = [self.index[i] for i in sel]
            out._owner, out._kinds = [self._owner[i] for i in sel], [self._kinds[i] for i in sel]
        out._county_ok = [True] * len(out.points)
        if any(out._kinds) and not all(out._kinds) and len(set(out._owner)) >= 2:  # (then this object has its distances too)
            out._dist = self._dist if sel is None else self._dist[np.ix_(sel, sel)]
            out.near = self._near(out._dist, out._owner, out._kinds, out._units(), km, True)
        return out

    def support(self, probs: dict[str, dict[str, float]]) -> dict[tuple[str, str], float]:
        """Probability mass of *other* names' candidates near each candidate."""
        if self.near is None:
            return {}
        p = np.array([probs[key][pid] for key, pid in self.index])
        mass = self.near @ p
        return {kp: float(m) for kp, m in zip(self.index, mass) if m > 0}


def softmax(scores: dict[str, tuple[Place, float]]) -> dict[str, float]:
    """Each candidate's share (place id -> share), by :func:`softmax_shares` of their scores."""
    return dict(zip(scores, softmax_shares([s for _, s in scores.values()])))


def softmax_shares(values: Sequence[float]) -> list[float]:
    """The softmax of scores, in their order (at the temperature of :data:`WEIGHTS`)."""
    t = WEIGHTS["temperature"]
    top = max(values)
    exp = [math.exp((s - top) / t) for s in values]
    z = sum(exp)
    return [e / z for e in exp]
