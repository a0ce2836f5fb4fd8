"""Extra gazetteer layers that users bring: GeoNames dumps and simple CSV.

``read_layer(path)`` yields ``(Place, alternate names)`` pairs for
:class:`geo.gazetteer.Gazetteer`'s ``layers=``. Two formats:

* a GeoNames dump (``.txt``, or a ``.zip`` holding one): the standard
  19-column tab-separated rows, e.g. a country file such as ``US.zip``;
* CSV with a header, columns ``name,lat,lon[,kind,country_code,admin1,alt_names]``
  (``alt_names`` separated by ``|`` or ``;``).

A malformed row raises :class:`geo.errors.GazetteerFileError` naming the file
and line: a layer is data the user vouches for, so it is not silently trimmed.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import GazetteerFileError
from .model import Kind, Place

__all__ = ["read_layer", "GEONAMES_COLUMNS", "CSV_COLUMNS"]

GEONAMES_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
    "feature_code", "country_code", "cc2", "admin1", "admin2", "admin3", "admin4", "population",
    "elevation", "dem", "timezone", "modification_date",
)
CSV_COLUMNS = ("name", "lat", "lon", "kind", "country_code", "admin1", "alt_names")

_KIND_OF_CODE = {"PCLI": Kind.COUNTRY, "PCLD": Kind.COUNTRY, "PCLF": Kind.COUNTRY, "PCL": Kind.COUNTRY,
                 "PCLS": Kind.COUNTRY, "PCLIX": Kind.COUNTRY, "ADM1": Kind.ADMIN1, "ADM2": Kind.ADMIN2,
                 "ADM3": Kind.ADMIN2, "CONT": Kind.CONTINENT}


def _coord(value: str, lo: float, hi: float, what: str, path: str, line: int) -> float:
    try:
        x = float(value)
    except ValueError:
        raise GazetteerFileError(f"{what} {value!r} is not a number", path=path, line=line) from None
    if not (lo <= x <= hi) or x != x:
        raise GazetteerFileError(f"{what} {x} is outside [{lo}, {hi}]", path=path, line=line)
    return x


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise GazetteerFileError(f"not a readable zip file ({exc})", path=str(path)) from None
        members = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
        if not members:
            raise GazetteerFileError("the zip holds no .txt GeoNames file", path=str(path))
        raw = zf.read(members[0])
    else:
        raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerFileError(f"not UTF-8 at byte {exc.start}; GeoNames and geo layers are UTF-8: re-save the file as UTF-8",
                                 path=str(path)) from None
    for n, line in enumerate(text.splitlines(), start=1):
        yield n, line


def _read_geonames(path: Path, label: str) -> Iterator[tuple[Place, list[str]]]:
    any_row = False
    for n, line in _text_lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 19:
            raise GazetteerFileError(f"expected 19 tab-separated GeoNames columns, found {len(cols)}", path=label, line=n)
        lat = _coord(cols[4], -90, 90, "latitude", label, n)
        lon = _coord(cols[5], -180, 180, "longitude", label, n)
        fclass, fcode = cols[6], cols[7]
        kind = _KIND_OF_CODE.get(fcode) or (Kind.CITY if fclass == "P" else Kind.FEATURE)
        try:
            pop = int(cols[14] or 0)
        except ValueError:
            raise GazetteerFileError(f"population {cols[14]!r} is not a whole number", path=label, line=n) from None
        if not cols[0].strip().isdigit() or not cols[1].strip():
            raise GazetteerFileError("a GeoNames row needs a numeric id and a name", path=label, line=n)
        place = Place(f"gn:{cols[0].strip()}", cols[1], kind, lat, lon, cols[8], cols[10], pop, fcode, f"layer:{path.name}")
        alts = [a for a in cols[3].split(",") if a and a[0].isupper()] + [cols[2]]
        any_row = True
        yield place, alts
    if not any_row:
        raise GazetteerFileError("the file holds no GeoNames rows", path=label)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _read_csv(path: Path, label: str) -> Iterator[tuple[Place, list[str]]]:
    lines = [line for _, line in _text_lines(path)]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = next(reader, None)
    if not header:
        raise GazetteerFileError("the file is empty; expected a header name,lat,lon[,kind,country_code,admin1,alt_names]", path=label)
    header = [h.strip().lower() for h in header]
    missing = [c for c in ("name", "lat", "lon") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        raise GazetteerFileError(
            f"header must name columns from {','.join(CSV_COLUMNS)} (name, lat, lon required); "
            f"missing {missing or 'none'}, unknown {unknown or 'none'}", path=label, line=1)
    col = {c: i for i, c in enumerate(header)}
    any_row = False
    for row in reader:
        n = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise GazetteerFileError(f"expected {len(header)} columns, found {len(row)}", path=label, line=n)
        get = lambda c: row[col[c]].strip() if c in col else ""  # noqa: E731
        name = get("name")
        if not name:
            raise GazetteerFileError("empty name", path=label, line=n)
        lat = _coord(get("lat"), -90, 90, "lat", label, n)
        lon = _coord(get("lon"), -180, 180, "lon", label, n)
        kind_text = get("kind").lower() or "feature"
        try:
            kind = Kind(kind_text)
        except ValueError:
            raise GazetteerFileError(f"kind {kind_text!r} is not one of {', '.join(k.value for k in Kind if k != Kind.DEMONYM)}",
                                     path=label, line=n) from None
        cc = get("country_code").upper()
        place = Place(f"csv:{_slug(path.stem)}:{_slug(name)}", name, kind, lat, lon, cc, get("admin1"), 0, "",
                      f"layer:{path.name}")
        alts = [a.strip() for a in re.split(r"[|;]", get("alt_names")) if a.strip()]
        any_row = True
        yield place, alts
    if not any_row:
        raise GazetteerFileError("the file has a header but no rows", path=label)


def read_layer(path: str | Path) -> list[tuple[Place, list[str]]]:
    """Read a GeoNames dump or CSV layer; raise GazetteerFileError on any bad row.

    The format is chosen by extension: ``.csv`` is CSV, ``.txt``/``.zip`` GeoNames.
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise GazetteerFileError("no such file", path=label)
    if path.suffix.lower() == ".csv":
        return list(_read_csv(path, label))
    if path.suffix.lower() in (".txt", ".zip", ".tsv"):
        return list(_read_geonames(path, label))
    raise GazetteerFileError("unknown layer format; use a GeoNames .txt/.zip dump or a .csv", path=label)
