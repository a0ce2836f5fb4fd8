"""The place a story is about: its focus, with the country and admin-1 it is about.

Every resolved mention gives its place a weight: more when it comes early,
in the first paragraph, in the title (without one: the first sentence, for
half as much), or as the dateline ("HERMOSILLO, Son. —"),
scaled by the resolution's confidence. Weights add up per place, per admin-1
unit (its towns, counties and features and the unit itself) and per country
(demonyms count a little there). The focus is found top down:

1. the country with the most weight;
2. in it, the admin-1 unit with the most weight, unless the story is spread
   over the country (that unit holds less than ``UNIT_SHARE`` of it): then the
   country is the focus, as it is when the country itself weighs more than
   ``CONTAINER_LEAD`` times that unit;
3. in that unit, the place with the most weight, unless no place dominates
   (it holds less than ``PLACE_SHARE`` of the unit's weight): then the unit is
   the focus (so it is when the unit itself outweighs the place ``CONTAINER_LEAD``
   times). A story about Hermosillo, Cajeme and Navojoa is about Sonora.

The score is the share of the story's weight that the focus (with what it
contains) accounts for, from 0 to 1.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from .model import Document, Kind, Place, Resolution

__all__ = ["Focus", "document_focus", "UNIT_SHARE", "PLACE_SHARE", "CONTAINER_LEAD"]

UNIT_SHARE = 0.4    # an admin-1 unit with less of its country's weight: the story is about the country
PLACE_SHARE = 0.5   # a place with less of its unit's weight: the story is about the unit
LEAD = 2.0          # ... unless it weighs this many times the runner-up
CONTAINER_LEAD = 1.5  # ... and so it is when the container itself is named this many times more (by weight)
_DATELINE = 3.0     # weights added to a mention's own (1 to 2, by how early it comes)
_TITLE = 4.0
_FIRST_PARAGRAPH = 1.0
_DEMONYM = 0.5
_LEAD_CHARS = 400   # the first paragraph, at most
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


@dataclass(frozen=True, slots=True)
class Focus:
    """What a story is about: ``place`` (its point is the story's), ``score`` (0-1), its country and admin-1."""

    place: Place
    score: float
    country: Place | None = None
    admin1: Place | None = None

    def record(self) -> dict:
        """The ``"focus"`` object of a ``geo extract`` line."""
        p = self.place
        return {"name": p.name, "lat": round(p.lat, 5), "lon": round(p.lon, 5), "gazetteer_id": p.place_id,
                "kind": str(p.kind), "country_code": p.country_code or None, "admin1": p.admin1 or None,
                "admin1_name": self.admin1.name if self.admin1 else None,
                "country": self.country.name if self.country else None, "score": self.score}


def document_focus(doc: Document, resolutions: Sequence[Resolution], gazetteer=None) -> Focus | None:
    """The focus of one document from its resolutions; None when it names no place.

    ``gazetteer`` names the admin-1 units and countries that are the focus
    without being mentioned; default: the embedded gazetteer.

    Examples
    --------
    >>> from geo.model import Mention, Precision
    >>> def res(name, start, cc="MX", a1="26", kind=Kind.CITY):
    ...     p = Place(f"x:{name}", name, kind, 29.0, -110.0, cc, a1)
    ...     return Resolution(Mention("d", start, start + len(name), name), p, kind, Precision.EXACT, 0.9)
    >>> doc = Document("d", "Hermosillo " * 3 + "Cajeme")
    >>> document_focus(doc, [res("Hermosillo", 0), res("Hermosillo", 11), res("Hermosillo", 22),
    ...                      res("Cajeme", 33)], gazetteer=False).place.name
    'Hermosillo'
    """
    weights, places, first = _weights(doc, resolutions)
    if not weights:
        return None
    total = sum(weights.values())
    unit_of = {pid: _unit_key(p) for pid, p in places.items()}  # (each place's group, worked out once)
    country_w: dict[str, float] = defaultdict(float)
    unit_w: dict[tuple, float] = defaultdict(float)
    for pid, w in weights.items():
        p = places.get(pid)
        country_w[_country_key(p, pid)] += w
        if p is not None:
            unit_w[unit_of[pid]] += w

    def earliest(keys, weight_of):  # most weight; ties go to what came first
        if len(keys) == 1:  # most often (one country, one unit): the answer without weighing
            return next(iter(keys))
        return max(keys, key=lambda k: (round(weight_of(k), 9), -first.get(k, 1 << 30)))

    for pid, p in places.items():  # a group comes as early as its earliest place
        for key in (_country_key(p, pid), unit_of[pid]):
            first[key] = min(first.get(key, 1 << 30), first[pid])
    country_key = earliest(country_w, country_w.__getitem__)
    gz = _gazetteer(gazetteer)
    cc = country_key[1] if country_key[0] == "cc" else ""
    country = (places.get(f"country:{cc}") or (gz.country(cc) if gz and cc else None)) if cc else None
    if not cc:  # a continent, a sea: no country to narrow down
        pid = country_key[1]
        return Focus(places[pid], _share(weights[pid], total)) if pid in places else None
    in_country = [k for k in unit_w if k[0] == cc]
    unit_key = earliest(in_country, unit_w.__getitem__) if in_country else None
    own = weights.get(f"country:{cc}", 0.0)  # the country's own mentions (and demonyms)
    if (unit_key is None or own > CONTAINER_LEAD * unit_w[unit_key]
            or not _dominates(unit_key, in_country, unit_w, UNIT_SHARE * (country_w[country_key] - own))):
        if country is None:
            named = [k for k in weights if k in places and places[k].country_code == cc]
            if not named:
                return None
            pid = earliest(named, weights.__getitem__)
            return Focus(places[pid], _share(weights[pid], total))
        return Focus(country, _share(country_w[country_key], total), country)
    local = [pid for pid, p in places.items() if unit_of[pid] == unit_key and p.kind != Kind.ADMIN1]
    unit_place = next((p for pid, p in places.items() if unit_of[pid] == unit_key and p.kind == Kind.ADMIN1), None)
    if unit_place is None and unit_key[1] and gz:
        unit_place = gz.admin1(cc, unit_key[1])
    best = earliest(local, weights.__getitem__) if local else None
    own = weights.get(unit_place.place_id, 0.0) if unit_place is not None else 0.0
    if best is not None and (unit_place is None or (own <= CONTAINER_LEAD * weights[best] and _dominates(
            best, local, weights, PLACE_SHARE * (unit_w[unit_key] - own)))):
        return Focus(places[best], _share(weights[best], total), country, unit_place)
    if unit_place is None:  # only the unit itself was mentioned, and it is not in the gazetteer
        return Focus(country, _share(country_w[country_key], total), country) if country else None
    return Focus(unit_place, _share(unit_w[unit_key], total), country, unit_place)


def _dominates(best, keys, weight: Mapping, enough: float) -> bool:
    """``best`` holds ``enough`` weight, or ``LEAD`` times the runner-up's."""
    if weight[best] >= enough:
        return True
    second = max((weight[k] for k in keys if k != best), default=0.0)
    return weight[best] >= LEAD * second


def _share(part: float, total: float) -> float:
    return round(min(1.0, part / total), 3) if total else 0.0


def _weights(doc: Document, resolutions: Sequence[Resolution]):
    """Weight per place id, the places, and where each was first mentioned."""
    text = doc.text
    n = max(len(text), 1)
    lead = text.find("\n\n", 1)
    lead = _LEAD_CHARS if lead < 0 else min(lead, _LEAD_CHARS)
    title = (doc.title or "").casefold()
    # without a title, the first sentence stands for one (a headline, a lead): half its weight
    head = -1 if title else _first_sentence_end(text)
    weights: dict[str, float] = defaultdict(float)
    places: dict[str, Place] = {}
    first: dict = {}
    titled: set[str] = set()
    demonym, country = Kind.DEMONYM, Kind.COUNTRY  # (an enum member read from its class costs a lookup each time)
    for r in resolutions:
        p, m = r.place, r.mention
        if p is None:
            continue
        conf = 0.5 + 0.5 * max(0.0, min(1.0, r.confidence))
        if r.kind == demonym:
            if p.country_code:
                key = f"country:{p.country_code}"
                weights[key] += _DEMONYM * conf
                if p.kind == country:
                    places.setdefault(key, p)
                first.setdefault(key, m.start)
            continue
        pid = f"country:{p.country_code}" if p.kind == country and p.country_code else p.place_id
        w = 2.0 - m.start / n
        if m.start < lead:
            w += _FIRST_PARAGRAPH
        if m.role == "dateline":
            w += _DATELINE
        if title and pid not in titled and m.surface.casefold() in title:
            titled.add(pid)
            w += _TITLE
        elif m.end <= head and pid not in titled:
            titled.add(pid)
            w += _TITLE / 2
        weights[pid] += w * conf
        places[pid] = p
        first.setdefault(pid, m.start)
    return weights, places, first  # a demonym's country may have weight and no place


def _first_sentence_end(text: str) -> int:
    m = _SENTENCE_END.search(text, 10)
    return min(m.end() if m else len(text), _LEAD_CHARS)


def _country_key(p: Place | None, pid: str) -> tuple[str, str]:
    if p is None:
        return ("cc", pid.removeprefix("country:"))
    return ("cc", p.country_code) if p.country_code else ("place", pid)


def _unit_key(p: Place) -> tuple[str, str]:
    """The admin-1 group of a place: (country, admin-1 code); a place without one is its own group."""
    if p.kind == Kind.COUNTRY or not p.country_code:
        return ("", p.place_id)
    return (p.country_code, p.admin1) if p.admin1 else (p.country_code, "", p.place_id)


def _gazetteer(given):
    if given is False:
        return None
    return given if given is not None else _embedded()


@cache
def _embedded():
    from .gazetteer import Gazetteer

    return Gazetteer()
