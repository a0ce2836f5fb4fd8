"""The rows the gazetteer build collects, and the rules by which the readers' rows merge.

:class:`Builder` holds the places and names that :mod:`geo.gazetteer_readers` read
from the data packages: a place read twice keeps its first name and gains what it
lacked (admin-1 code, population, feature code); a name read twice keeps the
strongest role (a main name over an alternate one, a demonym over an alternate
one). After the readers, :func:`add_bare_unit_names` and :func:`drop_common_alt_names`
adjust the names; :func:`geo.gazetteer_build.build` writes the result.
"""
from __future__ import annotations

import dataclasses
import importlib.resources
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from .errors import GazetteerError
from .gazetteer import lexicon_key, name_key
from .land import LAND_PREFIXES
from .model import Kind

__all__ = ["Builder", "PlaceRow", "NameRow", "good_alt", "package_file", "add_bare_unit_names",
           "drop_common_alt_names"]

_CONNECTORS = {"de", "del", "la", "las", "los", "el", "of", "the", "y", "and"}


def _is_latin(name: str) -> bool:
    for ch in name:
        if ch.isalpha() and not ("LATIN" in unicodedata.name(ch, "") ):
            return False
    return True


def good_alt(name: str) -> bool:
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


def package_file(package: str, *parts: str) -> Path:
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError as exc:  # pragma: no cover - install problem
        raise GazetteerError(
            f"package {package!r} is missing; reinstall geo (`make install` or `pip install -e .`)"
        ) from exc
    return Path(str(root.joinpath(*parts)))


@dataclasses.dataclass(slots=True)
class PlaceRow:
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


class NameRow(NamedTuple):
    """A name of a place: a row of the ``names`` table."""

    name: str
    main: int  # 1: a main name ("Mexico"), 0: an alternate one
    demonym: int  # 1: a demonym ("mexicanos")


BILINGUAL_MIN_POP = 15_000  # a "X / Y" town this large is a town with two names, not a quarter of X


class Builder:
    """The places and names read so far, merged as they come (see the module's docstring)."""

    def __init__(self) -> None:
        self.places: dict[str, PlaceRow] = {}  # place_id -> row
        self.names: dict[tuple[str, str], NameRow] = {}  # (key, place_id) -> name
        self.lang_of: dict[tuple[str, str], str] = {}  # names used in one language only
        self.languages: dict[str, list[str]] = {}  # country code -> languages spoken (ISO 639-1)
        self.exonyms: dict[str, dict[str, list[str]]] = {}  # language -> name key -> place ids it names

    def _bilingual(self, pid: str, name: str) -> bool:
        """A town's name in each of two languages ("Donostia / San Sebastián", "Gasteiz /
        Vitoria"): each part is a main name. Not a quarter written after its town ("Uster /
        Kirch-Uster", "Thalwil / Dorfkern": small places), a street corner (digits), an
        airport's "Ottawa / Gatineau Airport" (no town) or a list of three neighbourhoods."""
        row = self.places[pid]
        parts = [p.strip() for p in name.split(" / ")]
        return (row.kind == str(Kind.CITY) and row.pop >= BILINGUAL_MIN_POP and len(parts) == 2
                and not any(c.isdigit() or c in "()," for c in name)
                and name_key(parts[0]) not in name_key(parts[1]) and name_key(parts[1]) not in name_key(parts[0]))

    def place(self, pid, name, kind, lat, lon, cc="", admin1="", pop=0, fcode="") -> None:
        row = self.places.get(pid)
        if row is None:
            self.places[pid] = PlaceRow(name, str(kind), fcode, float(lat), float(lon), cc or "", admin1 or "", int(pop or 0))
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
        if main and " / " in name and self._bilingual(pid, name):
            for part in name.split(" / "):
                self.name(pid, part.strip(), main=True, demonym=demonym)
        old = self.names.get((key, pid))
        if old is None:
            self.names[(key, pid)] = NameRow(name, int(main), int(demonym))
        elif main and not old.main:
            self.names[(key, pid)] = NameRow(name, 1, 0)  # a main name is never a demonym ("China", not "china")
        elif demonym and not old.demonym and not old.main:
            # an alternate name also listed as a demonym is a demonym ("Mexicanos")
            self.names[(key, pid)] = NameRow(old.name, 0, 1)


def drop_common_alt_names(b: Builder, lexicon: dict[str, set[str]]) -> None:
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


# Generic words around the names of administrative units: "Kabupaten Karo", "Provincia
# de Buenos Aires", "Gonda District". The bare name becomes an alternate name.
_UNIT_AFFIXES = re.compile(
    r"^(?:kabupaten(?: administrasi)?|kota(?: administrasi)?|provincia (?:de|del)|province (?:of|de|du)"
    r"|departamento (?:de|del)|département (?:de la|de|du|des)|distrito (?:de|del)|municipio (?:de|del)"
    r"|partido (?:de|del)|comuna (?:de|del)|landkreis|kreis|okres|powiat)\s+(.+)$"
    r"|^(.+?)\s+(?:regency|district|province|governorate|prefecture)$",
    re.IGNORECASE)


def add_bare_unit_names(b: Builder) -> None:
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
