"""Word lists the gazetteer build reads: the common-word lexicon and given names.

:func:`geo.gazetteer_build.build` stores both in the gazetteer file; the recogniser
asks :meth:`geo.gazetteer.Gazetteer.is_common_word` and ``first_names`` at run time.
"""
from __future__ import annotations

import calendar
import gzip
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator

from .errors import GazetteerError
from .gazetteer import lexicon_key, name_key

__all__ = ["read_lexicon", "read_first_names", "HUNSPELL"]

# English and Spanish Hunspell dictionaries, shipped gzipped in geo/data/hunspell/
# (npm's dictionary-en and dictionary-es 4.0.0; scripts/derive_hunspell.py copies them)
HUNSPELL = importlib.resources.files("geo").joinpath("data", "hunspell")


def read_lexicon() -> dict[str, set[str]]:
    """Words of English and Spanish from Hunspell dictionaries: key -> languages.

    A lower-case tag ("es") marks a common word, an upper-case one ("ES") a
    proper noun; a word can be both ("málaga" the wine, "Málaga" the city).

    The dictionaries ship with geo (:data:`HUNSPELL`). A word listed in lower
    case is a common word ("pero", "march", "nacional"), with the forms its
    suffix flags give ("reuniones"); proper nouns are listed capitalised
    ("Sevilla", "Texas") and are tagged in upper case.
    """
    lexicon: dict[str, set[str]] = {}
    for lang in ("en", "es"):
        dic, aff = HUNSPELL.joinpath(f"{lang}.dic.gz"), HUNSPELL.joinpath(f"{lang}.aff.gz")
        if not dic.is_file() or not aff.is_file():
            raise GazetteerError(f"{dic}: Hunspell dictionary missing; reinstall geo")
        suffixes = _read_suffix_rules(_lines(aff))
        lines = _lines(dic)
        next(lines, None)  # first line: the word count
        for line in lines:
            word, _, flags = line.strip().partition("/")
            if word[:1].isupper():  # a proper noun: "Málaga", "Western", "Paris"
                lexicon.setdefault(lexicon_key(word), set()).add(lang.upper())
                continue
            if not word[:1].islower():
                continue
            forms = {word, *_suffixed(word, flags, suffixes)}
            for form in forms:
                lexicon.setdefault(lexicon_key(form), set()).add(lang)
    # English names of days and months are proper nouns in Hunspell but common words in text
    for word in [*calendar.day_name, *calendar.month_name[1:], *calendar.day_abbr, *calendar.month_abbr[1:]]:
        langs = lexicon.setdefault(lexicon_key(word), set())
        langs.add("en")
        langs.discard("EN")
    # headlines in capitals drop accents ("REUNION" for "reunión"): such words, without
    # their accents, are marked "<lang>^" and count as common only when written in capitals
    for word, langs in list(lexicon.items()):
        plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        if plain != word:
            lexicon.setdefault(plain, set()).update(lang + "^" for lang in langs if lang.islower())
    return lexicon


def _lines(resource) -> Iterator[str]:
    """The lines of a gzipped UTF-8 text file shipped with geo."""
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", errors="replace") as fh:
        yield from fh


def _read_suffix_rules(lines: Iterable[str]) -> dict[str, list[tuple[str, str, re.Pattern]]]:
    """Hunspell suffix rules: flag -> [(strip, add, condition)]. ("reunir" + a flag
    gives "reunión", "reuniones"; "city" + S gives "cities".)"""
    rules: dict[str, list[tuple[str, str, re.Pattern]]] = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, cond = parts[1], parts[2], parts[3].split("/")[0], parts[4]
        try:
            pattern = re.compile("(?:" + cond + ")$") if cond != "." else re.compile("")
        except re.error:
            continue
        rules.setdefault(flag, []).append(("" if strip == "0" else strip, "" if add == "0" else add, pattern))
    return rules


def _suffixed(word: str, flags: str, rules: dict[str, list[tuple[str, str, re.Pattern]]]) -> list[str]:
    """The forms a dictionary word takes with its suffix flags (one level, no prefixes)."""
    out = []
    for flag in set(flags):
        for strip, add, cond in rules.get(flag, ()):
            if word.endswith(strip) and cond.search(word):
                out.append(word[:len(word) - len(strip)] + add)
    return out


def read_first_names() -> list[str]:
    """Given names from gender-guesser's dictionary, folded (about 17,000 with some frequency)."""
    names = set()
    root = importlib.resources.files("gender_guesser").joinpath("data", "nam_dict.txt")
    with root.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or len(line) < 30:
                continue
            gender, name = line[:2].strip(), line[3:29].strip()
            freq = sum(int(c, 16) for c in line[30:85] if c.strip() and c in "0123456789abcdefABCDEF")
            if gender and " " not in name and freq >= 3:
                names.add(name_key(name.replace("+", " ")))
    return sorted(names)
