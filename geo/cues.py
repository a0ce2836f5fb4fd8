"""Words around a mention that say which reading of a name the text means.

Pure text functions, used by :mod:`geo.resolve`:

* :func:`acts` — the place is named as an actor ("Washington anunció", "Moscú
  respondió", "sanctions announced by Washington"): a government, so a capital;
* :func:`unit_named` — the text says the unit ("la provincia de Sevilla", "el
  estado de Nueva York", "New York state"), not the city of the same name.
"""
from __future__ import annotations

import re

__all__ = ["acts", "paired", "unit_named", "after_locative", "ACTOR_VERBS", "UNIT_WORDS"]

# Verbs of saying and deciding that governments do, in the forms news use (past and present)
ACTOR_VERBS = frozenset("""
said says announced announces responded responds criticized criticised criticizes criticises warned warns agreed
agree agrees accused accuses denied denies rejected rejects insisted insists demanded demands condemned condemns
urged urges threatened threatens vowed vows imposed imposes retaliated retaliates signed signs protested protests
declared declares confirmed confirms ordered orders expelled expels recalled recalls sanctioned sanctions
dijo dice anunció anuncia anunciaron respondió responde respondieron criticó critica criticaron advirtió advierte
acordó acordaron acuerdan acusó acusa acusaron negó niega rechazó rechaza rechazaron insistió insiste exigió exige
exigieron condenó condena condenaron pidió pide amenazó amenaza impuso impone firmó firma firmaron protestó
declaró declara confirmó confirma ordenó ordena expulsó expulsa replicó replica aseguró asegura sostuvo afirmó
afirma respondían reaccionó reacciona
""".split())

_PLACE_PREPOSITIONS = {"of", "in", "at", "from", "de", "del", "en", "desde"}

# Participles that take their actor after "by"/"por": "announced by Washington", "anunciadas por Washington"
_BY = {"by", "por"}
_PARTICIPLE = re.compile(r"(?:ed|en|ado|ada|ados|adas|ido|ida|idos|idas|esto|esta|uestas|uesto)$")
_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*", re.UNICODE)
_PAIR_LINK = re.compile(r"^\s*,?\s*(?:y|e|o|u|and|or)\s+(?:(?:otra|otro|otras|otros|another|one)\s+)?"
                        r"(?:en|in|a|to|desde|from)\s+$", re.IGNORECASE)

UNIT_WORDS = frozenset("""
provincia estado departamento comunidad región region condado municipio distrito cantón parroquia
province state department county district parish canton territory governorate prefecture oblast
""".split())
# "la provincia de Sevilla", "the state of New York": the unit word with a definite article
# (not "a district of Nairobi", "the Mukuru district of Nairobi": a part of the place)
_UNIT_BEFORE = re.compile(
    r"\b(?:the|la|el|del|al|los|las)\s+(" + "|".join(sorted(UNIT_WORDS)) + r")\s+(?:(?:de|del|of)\s+)?"
    r"(?:(?:la|el|los|las|the)\s+)?$", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s+(state|province|county|provincia|department|region|parish)\b", re.IGNORECASE)
# a state's or province's governor: "the Governor of Georgia", "el gobernador de Jalisco",
# "Georgia Gov. Kemp", "Georgia's governor" (a country has no governor)
_GOVERNOR_BEFORE = re.compile(r"\b(?:governor|gov\.|gobernador|gobernadora)\s+(?:de|del|of)\s+(?:(?:la|el|the)\s+)?$",
                              re.IGNORECASE)
_GOVERNOR_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:governor|gov\.|lieutenant\s+governor)(?=\W)", re.IGNORECASE)


def _words_after(text: str, end: int, n: int = 2) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text[end:end + 40])[:n]]


def acts(text: str, start: int, end: int) -> bool:
    """The place is named as an actor: a verb of saying or deciding right after it
    ("Moscú respondió", "Washington said") or it follows "announced by" / "anunciadas por"."""
    gap = text[end:end + 3]
    if gap[:1] in ("-", "‐", "–") or gap.startswith("'s"):
        return False  # "London-based", "Washington's": a modifier, not the actor
    after = _words_after(text, end, 1)
    before = _WORD.findall(text[max(0, start - 40):start])
    if after and after[0] in ACTOR_VERBS and not gap.startswith((",", ".", ";", ":")):
        # "Moscú respondió", not "a hospital in Nairobi said" (the hospital speaks)
        return not (before and before[-1].casefold() in _PLACE_PREPOSITIONS)
    return (len(before) >= 2 and before[-1].casefold() in _BY and text[start - 1:start] == " "
            and bool(_PARTICIPLE.search(before[-2].casefold())))


def paired(text: str, end: int, start: int) -> bool:
    """Two mentions joined as a pair with their preposition repeated: "en León y otra en
    Aguascalientes", "in Portland and in Salem", "en Sevilla y en Granada"."""
    return bool(_PAIR_LINK.match(text[end:start]))


# the words before, either way, in one pass over them (a match of either is a match of this)
_UNIT_OR_GOVERNOR_BEFORE = re.compile(f"(?:{_UNIT_BEFORE.pattern})|(?:{_GOVERNOR_BEFORE.pattern})", re.IGNORECASE)


def unit_named(text: str, start: int, end: int) -> bool:
    """The text names the unit, not the city: "la provincia de Sevilla", "el estado de
    Nueva York", "the state of New York", "New York state", "Buenos Aires Province", or
    its governor ("the Governor of Georgia", "el gobernador de Jalisco", "Georgia Gov.")."""
    after = text[end:end + 24]
    return bool(_UNIT_AFTER.match(after) or _GOVERNOR_AFTER.match(after)
                or _UNIT_OR_GOVERNOR_BEFORE.search(text[max(0, start - 40):start]))


_LOCATIVES = {"en", "in", "at", "desde", "from", "hacia", "a", "to", "near", "cerca"}


def after_locative(text: str, start: int) -> bool:
    """A preposition of place right before the mention: "en Granada", "in Boston"."""
    words = text[max(0, start - 12):start].split()
    return bool(words) and words[-1].casefold() in _LOCATIVES
