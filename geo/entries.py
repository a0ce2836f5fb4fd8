"""What a gazetteer entry allows of the way its name is written.

Read by the recogniser (:mod:`geo.recognize`, :mod:`geo.rules`) and the resolver:
abbreviations written as abbreviations ("US", not "Us"), accents that agree ("Pará"
is not "Para"), demonyms that are not also a country's or state's name.
"""
from __future__ import annotations

import functools
import unicodedata

from .gazetteer import name_key
from .model import Kind

__all__ = ["plausible_entries", "is_abbrev", "is_demonym", "strip_accents_differ", "unaccent"]


def is_demonym(entries: list) -> bool:
    """A demonym unless the name also belongs to a sizeable place.

    "Mexicanas" in an organisation's name is the adjective, not the town of
    Mexicanos, and "Canadian" the adjective, not Canadian County; only a country
    or state of that name makes it a place.
    """
    return any(e.demonym for e in entries) and not any(
        not e.demonym and e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in entries)


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked of the same names and surfaces in every document
def strip_accents_differ(name: str, surface: str) -> bool:
    """True when the name has accents the surface lacks ("Pará" for "Para").

    Not the other way round: GeoNames often writes "Iran" where Spanish text
    has "Irán".
    """
    plain = surface.casefold() == unaccent(surface).casefold()
    return plain and name.casefold() != surface.casefold() and name_key(name) == name_key(surface)


def unaccent(text: str) -> str:
    """The text without its accents ("Querétaro" -> "Queretaro")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def plausible_entries(surface: str, entries: list) -> list:
    """Entries whose name could be written as ``surface``.

    Abbreviations must be written as abbreviations: "US" names the country,
    "Us" does not; a short all-capital word ("AS", "IT") matches only an
    abbreviation, not the town of As.
    """
    upper, short = _written(surface)
    out = []
    for e in entries:
        abbrev = is_abbrev(e.name)
        if abbrev and not upper:
            continue
        if upper and short and not abbrev:
            continue
        out.append(e)
    return out


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the surface, asked again at each of its mentions
def _written(surface: str) -> tuple[bool, bool]:
    """Whether the surface's letters are all capitals, and whether it has at most three letters."""
    return all(c.isupper() for c in surface if c.isalpha()), sum(c.isalpha() for c in surface) <= 3


@functools.lru_cache(maxsize=1 << 16)  # asked of every entry's name, again and again
def is_abbrev(name: str) -> bool:
    """The name is an abbreviation: at most five letters, all capitals ("US", "EE.UU.", "CDMX")."""
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)
