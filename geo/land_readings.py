"""Which land feature a land mention names ("río Lerma", "Lake Malawi", "los Andes").

:func:`land_candidates` gives the features of a compatible class by the whole name
or by the name without its generic word, prominent ones first;
:func:`land_in_context` chooses among same-name features by the document's
countries, places and language, and places a river named with a town at the
town's reach. The features themselves are :mod:`geo.land`'s.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from .distance import great_circle_km
from .gazetteer import Gazetteer
from .land import compatible, core_words, point_near
from .model import Mention, Place
from .readings import POINT_KINDS
from .scoring import LAND_NEAR_KM, LAND_PRIOR, softmax

__all__ = ["land_candidates", "land_in_context", "Reaches"]


def land_candidates(gazetteer: Gazetteer, weights: dict[str, float], mention: Mention, lang: str | None) -> list[tuple[Place, float]]:
    """Features a land mention ("río Lerma", "Lake Malawi", "los Andes") may name:
    entries of a compatible class (a river for "río", not the town of Lerma), by
    the whole span or by the name without its generic word. Prominent features
    (low Natural Earth scalerank) first; the whole name written so, a little more."""
    word_class = mention.source.partition(":")[2]
    best: dict[str, tuple[Place, float]] = {}
    core = core_words(mention.surface)
    # the name less its generic word: a name of the feature ("Sena" for the Seine), or a
    # derived one ("Popocatépetl"), unless a common word ("Central Plateau" is not the Cordillera Central)
    derived = not (" " not in core and gazetteer.is_common_word(core, lang or "en"))
    asked = [(mention.surface, lang, True), (core, lang, False)] + ([(core, "core", False)] if derived else [])
    for surface, tag, whole in asked:
        if not surface:
            continue
        for place, matched, main, _dem in gazetteer.lookup(surface, tag):
            info = gazetteer.land_info(place.place_id)
            if info is None or not compatible(word_class, info[0]):
                continue
            s = (LAND_PRIOR - weights["land_rank"] * info[2] + weights["land_size"] * math.log10(info[3] + 1)
                 + (weights["main_name"] if whole else 0.0))
            if place.place_id not in best or s > best[place.place_id][1]:
                best[place.place_id] = (place, s)
    return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].place_id))


def land_in_context(gazetteer: Gazetteer, weights: dict[str, float], cands: list[tuple[Place, float]],
                    chosen_others: list[Place], speaking: frozenset[str],
                    reach: Callable[[str, float, float, float], tuple[float, float] | None] = point_near
                    ) -> tuple[Place, float]:
    """Among same-name features, the one in the document's countries and near its
    places (the Paraná near Rosario; Lake Malawi in a story about Mozambique), else
    one where the document's language is spoken. ``reach``: :func:`geo.land.point_near`
    (or a memo of it)."""
    countries = {p.country_code for p in chosen_others if p.country_code}
    points = [(p.lat, p.lon) for p in chosen_others if p.kind in POINT_KINDS]
    scored = {}
    for place, base in cands:
        info = gazetteer.land_info(place.place_id)
        touched = set(info[1]) if info else {place.country_code}
        s = base + weights["doc_country"] * bool(touched & countries) + weights["language"] * bool(touched & speaking)
        if points and any(great_circle_km(place.lat, place.lon, pt[0], pt[1]) <= LAND_NEAR_KM for pt in points):
            s += weights["near"]
        scored[place.place_id] = (place, s)
    probs = softmax(scored)
    pid = max(probs, key=lambda p: (probs[p], p))
    place = scored[pid][0]
    # a river named with a town is placed at the town's reach: still a point on the river
    near = min(((great_circle_km(place.lat, place.lon, pt[0], pt[1]), pt) for pt in points), default=None)
    if near is not None:
        at = reach(place.place_id, near[1][0], near[1][1], LAND_NEAR_KM)
        if at is not None:
            place = dataclasses.replace(place, lat=at[0], lon=at[1])
    return place, probs[pid]


class Reaches:
    """:func:`geo.land.point_near`, remembered (a :func:`land_in_context` ``reach``): the same
    river beside the same town comes back story after story, and each answer costs a look-up
    of the river's line. The same answers, as long as the shapes file is the same (a resolver
    keeps one of these)."""

    def __init__(self, limit: int = 10_000):
        self._known: dict[tuple, tuple[float, float] | None] = {}
        self._limit = limit

    def __call__(self, place_id: str, lat: float, lon: float, km: float) -> tuple[float, float] | None:
        key = (place_id, lat, lon, km)
        if key not in self._known:
            if len(self._known) >= self._limit:
                self._known.clear()
            self._known[key] = point_near(place_id, lat, lon, km)
        return self._known[key]
