"""Derive geo/data/exonyms_es.tsv: the Spanish names of world towns (exonyms).

Source: Natural Earth's populated places (public domain), which carry a Spanish
name (NAME_ES) and a GeoNames id for each town. Only the names that differ from
the town's own (English/local) name are kept: "Bruselas" for Brussels, "Pekín"
for Beijing, "Nueva York" for New York; and those that differ by their accents
only ("Los Ángeles", "París", "Dublín") unless that spelling is the own name of
another town at least a tenth as large ("San José" stays Costa Rica's). The gazetteer build
adds each as a Spanish-only name of the GeoNames entry, marked as an exonym.

    python scripts/derive_exonyms.py [../shared/data/natural-earth/ne_10m_populated_places.geojson.gz]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "natural-earth" / "ne_10m_populated_places.geojson.gz"
OUT = ROOT / "geo" / "data" / "exonyms_es.tsv"
ACCENT_ONLY_SHARE = 0.1  # see main(): a town's own name this large beside the exonym's town keeps the spelling its own


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace(".", "").strip()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                    help="Natural Earth's populated places, GeoJSON, gzipped (default: %(default)s)")
    source = ap.parse_args(argv).source
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = set()
    # the largest town whose own name is each exact spelling ("San José": Costa Rica's capital)
    own_pop: dict[str, int] = {}
    for f in features:
        p = f["properties"]
        name = (p.get("NAME") or "").casefold()
        own_pop[name] = max(own_pop.get(name, 0), int(p.get("POP_MAX") or 0))
    for f in features:
        p = f["properties"]
        es, gid = (p.get("NAME_ES") or "").strip(), p.get("GEONAMEID")
        if not es or not gid or gid <= 0:
            continue
        names = [p.get(k) or "" for k in ("NAME", "NAMEASCII", "NAMEALT", "NAME_EN")]
        if es.casefold() in {n.casefold() for n in names}:
            continue
        if fold(es) in {fold(n) for n in names}:
            # a Spanish spelling that differs by its accents only ("Los Ángeles", "París",
            # "Múnich" is no such): an exonym unless it is the own name of another town of
            # comparable size (San Jose, California is "San José", but so is Costa Rica's capital)
            if own_pop.get(es.casefold(), 0) >= ACCENT_ONLY_SHARE * int(p.get("POP_MAX") or 0):
                continue
        rows.add((es, int(gid), p.get("NAME") or "", p.get("ISO_A2") or "", int(p.get("POP_MAX") or 0)))
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# Spanish names of world towns that differ from their own (exonyms), from Natural Earth's\n"
                 "# populated places (public domain). Made by scripts/derive_exonyms.py; do not edit by hand.\n"
                 "# spanish name<TAB>GeoNames id<TAB>name<TAB>country<TAB>population (Natural Earth POP_MAX)\n")
        for es, gid, name, cc, pop in sorted(rows, key=lambda r: (r[3], r[2], r[0])):
            fh.write(f"{es}\t{gid}\t{name}\t{cc}\t{pop}\n")
    print(f"{OUT}: {len(rows)} exonyms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
