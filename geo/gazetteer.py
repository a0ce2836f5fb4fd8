"""The embedded gazetteer, read: one SQLite file opened read-only, plus layers.

:mod:`geo.gazetteer_build` builds the file once from data that registry packages
ship; later runs open it read-only, which takes milliseconds. Extra layers
(``--gazetteer FILE``) are held in memory on top of it; see :mod:`geo.layers`.

Look-ups go by a *key*: the name folded to lower case without accents or
punctuation (:func:`name_key`), so "México", "MEXICO" and "Mexico" meet. The
recogniser decides whether the text's capitalisation makes a match plausible.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .cache import cache_dir
from .errors import GazetteerError
from .model import Kind, Place

__all__ = ["Gazetteer", "Entry", "name_key", "lexicon_key", "default_path", "BUILD_VERSION"]

# The build's version: bump it whenever geo.gazetteer_build produces a different file.
BUILD_VERSION = 37


class Entry(NamedTuple):
    """One name of one place, as :meth:`Gazetteer.lookup` finds it."""

    place: Place
    name: str  # the name as written in the source ("México")
    main: bool  # a main name, not an alternate one
    demonym: bool  # a demonym ("mexicanos"), not a name of the place


# Latin letters that Unicode does not decompose, as they are written without them
# ("Łódź" -> "lodz", "Đakovica" -> "dakovica", "Tromsø" -> "tromso")
_LETTERS = str.maketrans({"ß": "ss", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "Ae",
                          "æ": "ae", "Œ": "Oe", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i",
                          "Ħ": "H", "ħ": "h"})


class _Unmarked(dict):
    """str.translate's table for name_key: combining marks removed, _LETTERS written out, other
    characters kept; each code point's answer is worked out the first time it is met."""

    def __missing__(self, cp: int):
        c = chr(cp)
        out = self[cp] = None if unicodedata.combining(c) else _LETTERS.get(cp, cp)
        return out


_UNMARKED = _Unmarked()
_DOTS = re.compile(r"[.'’`´]")
_SPACES = re.compile(r"[\s\-‐–—,]+")


# memoised: words repeat, and the recogniser folds every token (the cache itself is the function called,
# so a hit costs no Python frame)
@functools.lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """Fold a name for look-up: no accents, lower case, no dots or dashes.

    >>> name_key("EE.UU.") == name_key("EEUU")
    True
    >>> name_key("Ciudad de México")
    'ciudad de mexico'
    """
    if name.isascii():  # (most names: NFKD leaves ASCII as it is, with no marks and none of _LETTERS)
        stripped = name.casefold()
    else:  # the marks dropped and _LETTERS written out in one pass: the same as one pass after the other
        stripped = unicodedata.normalize("NFKD", name).translate(_UNMARKED).casefold()
    if stripped.isalnum():  # (one word of letters: no dots, dashes or spaces for the substitutions below)
        return stripped
    # dots and apostrophes vanish ("U.S." -> "us"); dashes and spaces become one space
    return _SPACES.sub(" ", _DOTS.sub("", stripped)).strip()


def default_path() -> Path:
    return cache_dir() / f"gazetteer-v{BUILD_VERSION}.sqlite"


def lexicon_key(word: str) -> str:
    """Lexicon keys keep accents: "cañada" is a word, "Canadá" a country."""
    return unicodedata.normalize("NFC", word).casefold()


class Gazetteer:
    """Read-only access to the embedded gazetteer plus in-memory layers.

    Build it once and pass it to the stages that need it; opening is cheap.
    The file must exist: ``geo build-gazetteer`` or :func:`geo.gazetteer_build.build`
    makes it (:class:`geo.Geoparser` does on first use).

    Parameters
    ----------
    path : the SQLite file; default: the user cache (:func:`default_path`).
    layers : extra places (e.g. from :func:`geo.layers.read_layer`) that take
        precedence over embedded entries with the same name.
    """

    def __init__(self, path: str | Path | None = None, *, layers: Iterable[tuple[Place, Iterable[str]]] = ()):
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            raise GazetteerError(f"{self.path}: no gazetteer here; run `geo build-gazetteer`")
        try:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            version = self._con.execute("SELECT v FROM meta WHERE k='version'").fetchone()
        except sqlite3.Error as exc:
            raise GazetteerError(f"{self.path}: not a geo gazetteer ({exc}); delete it and rerun to rebuild") from exc
        if not version or version[0] != str(BUILD_VERSION):
            raise GazetteerError(f"{self.path}: built by another version of geo; delete it to rebuild")
        self._cache: dict[tuple[str, str], list[Entry]] = {}
        self._by_id: dict[str, Place] = {}
        self._layer_names: dict[str, list[tuple[Place, str]]] = {}
        self._demonym_keys: frozenset[str] | None = None
        self._first_names: frozenset[str] | None = None
        self._exonyms: dict[str, dict[str, frozenset[str]]] | None = None
        self._layers: list[tuple[Place, list[str]]] = []
        self._lexicon_cache: dict[str, list[str]] = {}
        self._land_cache: dict[str, tuple | None] = {}
        self._languages: dict[str, list[str]] | None = None
        self._speaking: dict[str, frozenset[str]] = {}  # countries_speaking, per language
        self._word_langs: dict[str, list[str]] = {}  # is_common_word's look-ups by the word as written
        # is_common_word's answers by (word, language): the method wrapped in an lru_cache on the instance, so
        # that a word asked again (half a million times in 10 MB of news) is answered in C, with no Python frame
        # (the answer is a pure function of the word, the language and the file's lexicon)
        self.is_common_word = functools.lru_cache(maxsize=1 << 18)(self.is_common_word)
        self._keys: dict[str, bool] = {}  # has_key's answers
        self.generation = 0  # counts the places added: what others keep of the answers is stale when it changes
        self._units: dict[tuple[str, str], Place | None] = {}  # country's and admin1's answers (cc, "") / (cc, code)
        self._main_keys: dict[int, tuple[int, frozenset[str]]] = {}  # main_name_keys: population -> (generation, keys)
        for place, names in layers:
            self.add(place, names)

    # -- layers
    def add(self, place: Place, names: Iterable[str] = ()) -> None:
        """Add a place (from a user layer) with its names, above the embedded data.

        An admin-1 given by name ("Mississippi") is turned into its code ("MS")
        so that "X, Mississippi" finds the layer's X.
        """
        if place.admin1 and place.country_code and self.admin1(place.country_code, place.admin1) is None:
            for other, *_ in self.lookup(place.admin1):
                if other.kind == Kind.ADMIN1 and other.country_code == place.country_code and other.admin1:
                    place = dataclasses.replace(place, admin1=other.admin1)
                    break
        names = list(names)
        self._layers.append((place, names))
        self._by_id[place.place_id] = place
        for n in {place.name, *names}:
            key = name_key(n)
            if key:
                self._layer_names.setdefault(key, []).append((place, n))
        self._cache.clear()
        self._keys.clear()
        self._units.clear()
        self.generation += 1

    # -- queries
    @staticmethod
    def _place(row) -> Place:
        _id, pid, name, kind, fcode, lat, lon, cc, admin1, pop, layer = row
        return Place(pid, name, Kind(kind), lat, lon, cc, admin1, pop, fcode, layer)

    def lookup(self, name: str, lang: str | None = None) -> list[Entry]:
        """Entries with this name: ``Entry(place, matched name, is main name, is demonym)``.

        Layer entries come first. Names used in one language only ("EU" for the
        United States in Spanish) are included when ``lang`` is that language.
        """
        key = name_key(name)
        hit = self._cache.get((key, lang or ""))
        if hit is not None:
            return hit
        out = [Entry(p, n, True, False) for p, n in self._layer_names.get(key, ())]
        rows = self._con.execute(
            "SELECT p.*, n.name, n.main, n.demonym FROM names n JOIN places p ON p.id = n.pid "
            "WHERE n.key = ? AND (n.lang = '' OR n.lang = ?)",
            (key, lang or ""),
        ).fetchall()
        for row in rows:
            out.append(Entry(self._place(row[:11]), row[11], bool(row[12]), bool(row[13])))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[(key, lang or "")] = out
        return out

    def has_key(self, key: str) -> bool:
        """Whether any name (in any language) folds to ``key``."""
        hit = self._keys.get(key)
        if hit is None:
            hit = key in self._layer_names or \
                self._con.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone() is not None
            if len(self._keys) > 200_000:
                self._keys.clear()
            self._keys[key] = hit
        return hit

    def get(self, place_id: str) -> Place | None:
        if place_id in self._by_id:
            return self._by_id[place_id]
        row = self._con.execute("SELECT * FROM places WHERE place_id = ?", (place_id,)).fetchone()
        return self._place(row) if row else None

    def country(self, cc: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        hit = self._units.get((cc, ""), False)
        if hit is False:
            row = self._con.execute("SELECT * FROM places WHERE cc = ? AND kind = 'country' ORDER BY population DESC LIMIT 1",
                                    (cc,)).fetchone()
            hit = self._units[(cc, "")] = self._place(row) if row else None
        return hit

    def admin1(self, cc: str, code: str) -> Place | None:
        """The admin-1 unit with this GeoNames code within a country."""
        if not cc or not code:
            return None
        hit = self._units.get((cc, code), False)
        if hit is False:
            row = self._con.execute(
                "SELECT p.* FROM admin1 a JOIN places p ON p.id = a.pid WHERE a.cc = ? AND a.code = ?", (cc, code)
            ).fetchone()
            hit = self._units[(cc, code)] = self._place(row) if row else None
        return hit

    def demonym_keys(self) -> frozenset[str]:
        """Keys of every demonym ("mexicanos", "american")."""
        if self._demonym_keys is None:
            self._demonym_keys = frozenset(self._meta_json("demonym_keys"))
        return self._demonym_keys

    def main_name_keys(self, population: int) -> frozenset[str]:
        """Keys of the main names (in any language) of every country and admin-1 unit and of
        every place of ``population`` or more, the user's layers' included: the names
        :func:`geo.facts.lower_case_place` may find."""
        hit = self._main_keys.get(population)
        if hit is None or hit[0] != self.generation:
            # (a scan of the names table, not its key index: 0.08 s, once)
            keys = {k for k, in self._con.execute(
                "SELECT DISTINCT key FROM names NOT INDEXED WHERE main AND pid IN "
                "(SELECT id FROM places WHERE kind IN (?, ?) OR population >= ?)",
                (Kind.COUNTRY.value, Kind.ADMIN1.value, population))}
            keys.update(key for key, entries in self._layer_names.items() if any(
                p.kind in (Kind.COUNTRY, Kind.ADMIN1) or p.population >= population for p, _n in entries))
            hit = self._main_keys[population] = (self.generation, frozenset(keys))
        return hit[1]

    def exonym_places(self, name: str, lang: str | None) -> frozenset[str]:
        """Place ids that ``name`` names as an exonym in ``lang`` ("Bruselas" -> Brussels in Spanish)."""
        if self._exonyms is None:
            self._exonyms = {lg: {k: frozenset(v) for k, v in keys.items()}
                             for lg, keys in (self._meta_json("exonyms") or {}).items()}
        return self._exonyms.get(lang or "", {}).get(name_key(name), frozenset())

    def first_names(self) -> frozenset[str]:
        """Folded given names ("donald", "nicolas"), from gender-guesser's dictionary."""
        if self._first_names is None:
            self._first_names = frozenset(self._meta_json("first_names"))
        return self._first_names

    def _meta_json(self, key: str):
        row = self._con.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else []

    def is_common_word(self, word: str, lang: str) -> bool:
        """Whether ``word`` is a common (lower-case) word of ``lang`` ("pero", "march").

        For languages without a dictionary, English and Spanish are both asked.
        (Memoised per gazetteer: see ``__init__``.)
        """
        langs = self._langs(word)
        if lang in ("en", "es"):
            return lang in langs or (lang + "^" in langs and word.isupper())
        return any(x.islower() and not x.endswith("^") for x in langs)

    def _langs(self, word: str) -> list[str]:
        """The lexicon's language tags of a word as written (read by is_common_word and is_proper_word)."""
        langs = self._word_langs.get(word)
        if langs is None:
            key = lexicon_key(word)
            langs = self._lexicon_cache.get(key)
            if langs is None:
                row = self._con.execute("SELECT langs FROM lexicon WHERE word = ?", (key,)).fetchone()
                langs = row[0].split(",") if row else []
                if len(self._lexicon_cache) > 200_000:
                    self._lexicon_cache.clear()
                    self._word_langs.clear()
                self._lexicon_cache[key] = langs
            if len(self._word_langs) > 200_000:
                self._word_langs.clear()
            self._word_langs[word] = langs
        return langs

    def is_proper_word(self, word: str, lang: str) -> bool:
        """Whether the language's dictionary lists ``word`` as a proper noun ("Málaga")."""
        return lang.upper() in self._langs(word)

    def countries_speaking(self, lang: str) -> frozenset[str]:
        """Country codes where ``lang`` (ISO 639-1) is an official or common language."""
        hit = self._speaking.get(lang)
        if hit is None:
            if self._languages is None:
                row = self._con.execute("SELECT v FROM meta WHERE k = 'languages'").fetchone()
                self._languages = json.loads(row[0]) if row else {}
            hit = self._speaking[lang] = frozenset(cc for cc, langs in self._languages.items() if lang in langs)
        return hit

    def land_info(self, place_id: str) -> tuple[str, tuple[str, ...], int, int] | None:
        """A land or sea feature's class ("river", "range"...), the countries it
        touches (ISO alpha-2), its Natural Earth scalerank (0 = most prominent) and
        size (km of a river, km2 of an area); None for other entries. See :mod:`geo.land`."""
        hit = self._land_cache.get(place_id, False)
        if hit is False:
            row = self._con.execute("SELECT class, countries, scalerank, size FROM land WHERE place_id = ?",
                                    (place_id,)).fetchone()
            hit = (row[0], tuple(c for c in row[1].split(",") if c), row[2], row[3]) if row else None
            self._land_cache[place_id] = hit
        return hit

    def stats(self) -> dict[str, int]:
        out = dict(self._con.execute("SELECT kind, count(*) FROM places GROUP BY kind").fetchall())
        out["names"] = self._con.execute("SELECT count(*) FROM names").fetchone()[0]
        out["layer_places"] = len(self._by_id)
        return out

    def __iter__(self) -> Iterator[Place]:
        for row in self._con.execute("SELECT * FROM places ORDER BY id"):
            yield self._place(row)

    def close(self) -> None:
        self._con.close()

    def __getstate__(self):  # sent to worker processes: they reopen the file
        return {"path": self.path, "layers": self._layers}

    def __setstate__(self, state):
        self.__init__(state["path"], layers=state["layers"])
