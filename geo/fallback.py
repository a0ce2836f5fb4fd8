"""What the resolver does with a name the gazetteer lacks, and with bases.

* :func:`fallback`: a mention the gazetteer lacks points at a place its name is
  built on, in the document's scope ("Salinas Valley" -> Salinas; :func:`namesake`),
  else at the unit the text puts it in ("Camp Shelby, Mississippi"), else at the
  state or country most of the document is about, with ``precision`` saying so;
* :func:`is_base`, :func:`base_at_town`: a base ("Camp X", "Fort X", "X Air Base")
  read at the town that shares its name is beside the town, not at it.
"""
from __future__ import annotations

from collections import Counter

from .gazetteer import Gazetteer
from .model import Kind, Mention, Place, Precision, Resolution
from .recognize import plausible_entries
from .scoring import FALLBACK_CONFIDENCE, RESOLVE_THRESHOLDS, contains, score

__all__ = ["fallback", "namesake", "core_name", "is_base", "base_at_town", "GENERIC"]


# Words that make a name a feature's, or qualify a place, and that come off to find
# the place the name is built on ("Salinas Valley", "Greater Mumbai", "Lake Erie").
# Not "Camp", "Fort", "Base", "Mount", "Park", "Creek": those are mostly named after
# people (Camp Shelby is not the town of Shelby).
GENERIC = {
    "lake", "lakes", "river", "valley", "bay", "island", "islands", "delta", "basin", "hills",
    "springs", "beach", "harbor", "harbour", "canyon", "forest",
    "desert", "peninsula", "coast", "area", "region", "proving", "ground",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "greater",
    "upper", "lower", "downtown", "metro", "metropolitan", "inner", "outer",
    "lago", "laguna", "río", "rio", "valle", "bahía", "isla", "islas", "sierra", "cerro", "volcán", "playa",
    "norte", "sur", "oriente", "poniente", "gran", "alto", "bajo", "zona", "región", "de", "del", "la", "el",
}


def core_name(surface: str) -> str:
    """The name without its generic words: "Salinas Valley" -> "Salinas",
    "Valle del Yaqui" -> "Yaqui", "North Dallas" -> "Dallas"."""
    words = surface.split()
    while words and words[0].lower() in GENERIC:
        words.pop(0)
    while words and words[-1].lower() in GENERIC:
        words.pop()
    return " ".join(words)


def namesake(gazetteer: Gazetteer, weights: dict[str, float], surface: str, context: list[Place], scope_cc: Counter, scope_a1: Counter) -> Place | None:
    """The place a feature's name is built on, inside the unit the text puts it in.

    The generic words ("Valley", "Lake", "Proving Ground") and qualifiers
    ("North", "Greater", "Eastern") come off; what is left must name a place, not
    be a common word, and lie in the containing unit ("X, State") or the
    document's main country. Nothing is guessed without such a unit.
    """
    core = core_name(surface)
    if not core or core == surface or (" " not in core and gazetteer.is_common_word(core, "en")):
        return None
    if context:
        inside = lambda p: any(contains(c, p) or c.place_id == p.place_id for c in context)  # noqa: E731
        bonus = lambda p: 0.0  # noqa: E731
    elif scope_cc:
        cc = scope_cc.most_common(1)[0][0]
        a1 = {code for (c, code) in scope_a1 if c == cc}
        inside = lambda p: p.country_code == cc  # noqa: E731
        bonus = lambda p: weights["doc_admin1"] if p.admin1 in a1 else 0.0  # noqa: E731
    else:
        return None
    best = None
    for place, matched, main, demonym in plausible_entries(core, gazetteer.lookup(core)):
        if demonym or place.kind == Kind.COUNTRY or not inside(place):
            continue
        s = score(place, matched, main, core) + bonus(place)
        if best is None or s > best[1]:
            best = (place, s)
    return best[0] if best else None


def fallback(gazetteer: Gazetteer, weights: dict[str, float], m: Mention, context: list[Place], scope_cc: Counter,
             scope_a1: Counter) -> Resolution:
    """A mention the gazetteer lacks: point at a place its name contains, in the
    document's scope ("Salinas Valley", "North Dallas", "Lake Erie"); else at the
    unit that contains it."""
    kind = Kind.ADMIN2 if m.source.endswith("admin2") else Kind.FEATURE
    if m.source.startswith("land:") or is_base(m.surface):
        # a river, range or base the gazetteer lacks ("el río Tuxpan", "Camp Shelby") falls
        # back only to the unit the text puts it in, never to one merely mentioned
        # elsewhere; a place its name is built on ("bahía de Santander") only nearby
        scope_a1 = Counter()
        named = None if m.source in _NO_NAMESAKE else namesake(gazetteer, weights, m.surface, context, scope_cc, Counter())
        scope_cc = Counter()
    else:
        named = namesake(gazetteer, weights, m.surface, context, scope_cc, scope_a1)
    if named is not None:
        return Resolution(m, named, kind, Precision.NEARBY, FALLBACK_CONFIDENCE["namesake"], evidence=f"not in gazetteer; named after {named.name}")
    if context:
        outer = context[0]
        precision = {Kind.ADMIN1: Precision.ADMIN1, Kind.ADMIN2: Precision.ADMIN2}.get(outer.kind, Precision.COUNTRY)
        return Resolution(m, outer, kind, precision, FALLBACK_CONFIDENCE["contained"],
                          evidence=f'not in gazetteer; "{m.surface}, {outer.name}" in text')
    if scope_a1:
        (cc, code), _ = scope_a1.most_common(1)[0]
        outer = gazetteer.admin1(cc, code)
        if outer is not None:
            return Resolution(m, outer, kind, Precision.ADMIN1, FALLBACK_CONFIDENCE["doc_admin1"],
                              evidence=f"not in gazetteer; document scope: {outer.name}")
    if scope_cc:
        cc, _ = scope_cc.most_common(1)[0]
        outer = gazetteer.country(cc)
        if outer is not None:
            return Resolution(m, outer, kind, Precision.COUNTRY, FALLBACK_CONFIDENCE["doc_country"],
                              evidence=f"not in gazetteer; document scope: {outer.name}")
    return Resolution(m, None, kind, Precision.UNRESOLVED, 0.0, evidence="not in gazetteer; nothing in the text places it")


_BASE_WORDS = {"camp", "fort", "fuerte", "ft"}
# ranges, peaks and seas are not at the town that shares their name
_NO_NAMESAKE = {"land:range", "land:peak", "land:volcano", "land:desert", "land:sea", "land:gulf", "land:strait",
                "land:islands", "land:plateau"}


def is_base(surface: str) -> bool:
    words = surface.lower().split()
    return bool(words) and (words[0].rstrip(".") in _BASE_WORDS or words[0] == "base"
                            or " ".join(words[-2:]) in ("air base", "naval base", "air station"))


def base_at_town(m: Mention, place: Place) -> bool:
    """A base resolved to the populated place that shares its name ("Camp X", a small
    "Fort X"): the town is beside the base, not the base ("Fort Worth" is a city)."""
    if place.kind != Kind.CITY:  # (the cheap test first)
        return False
    words = m.surface.split()
    first = words[0].lower().rstrip(".") if words else ""
    return first in _BASE_WORDS and (first == "camp" or place.population < RESOLVE_THRESHOLDS["base_town"])
