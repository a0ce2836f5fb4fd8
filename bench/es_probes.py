"""Score geo on the Spanish news probes (issue 13): placed, unresolved, wrong, false exact.

Each probe (bench/es_probes.tsv) is one short news sentence written for geo
(not from any corpus), in the style of a Spanish (``ES``) or Mexican (``MX``)
news desk, naming one target place as written, with an area where a right
answer falls: a box ``south,west,north,east`` or a point and radius
``lat,lon,km``. The ``set`` column says ``dev`` (written first; the rules were
changed while looking at it) or ``held`` (written later, never tuned on).

* placed: the mention overlapping the target resolved to a point inside the area;
* unresolved: no mention there, or one without a point;
* wrong: a point outside the area; false exact: wrong with precision ``exact``.

Usage: .venv/bin/python bench/es_probes.py [--show] [--set dev|held] [--tsv bench/es_probes.tsv]
Exit 1 if placed < 85% or more than 2% false exact.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from probes import answer, in_area, overlapping, probe_lines, read_area  # noqa: E402


def read_probes(path: Path) -> list[dict]:
    probes = []
    for region, part, target, area, text in probe_lines(path, 5):
        nums = read_area(path, area, (3, 4))
        if target not in text:
            raise SystemExit(f"{path}: {target!r} is not in {text!r}")
        probes.append({"region": region, "set": part, "target": target, "area": nums, "text": text})
    return probes


def score(probes: list[dict], geoparser=None) -> list[dict]:
    import geo
    from geo.model import Precision

    gp = geoparser or geo.Geoparser()
    rows = []
    for i, p in enumerate(probes):
        start = p["text"].index(p["target"])
        end = start + len(p["target"])
        res = gp.parse(geo.Document(f"es-probe-{i}", p["text"], lang="es"))
        hit = overlapping([r for r in res if not r.mention.demonym], start, end)
        row = {**p, "placed": False, "wrong": False, "false_exact": False,
               "got": answer(hit) if hit is not None else None}
        if hit is not None and hit.place is not None:
            row["placed"] = in_area(p["area"], hit.place.lat, hit.place.lon)
            row["wrong"] = not row["placed"]
            row["false_exact"] = row["wrong"] and hit.precision == Precision.EXACT
        rows.append(row)
    return rows


def totals(rows: list[dict]) -> str:
    n = len(rows)
    if not n:
        return "0 probes"
    placed = sum(r["placed"] for r in rows)
    wrong = sum(r["wrong"] for r in rows)
    fx = sum(r["false_exact"] for r in rows)
    return (f"{n} probes: placed {placed} ({placed / n:.1%}), unresolved {n - placed - wrong}, "
            f"wrong {wrong}, false exact {fx}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tsv", type=Path, default=HERE / "es_probes.tsv")
    ap.add_argument("--set", choices=("dev", "held"), help="score only this set")
    ap.add_argument("--show", action="store_true", help="list every probe that is not placed")
    args = ap.parse_args(argv)
    probes = [p for p in read_probes(args.tsv) if args.set in (None, p["set"])]
    rows = score(probes)
    if args.show:
        for r in rows:
            if not r["placed"]:
                flag = "FALSE EXACT" if r["false_exact"] else "wrong" if r["wrong"] else "unresolved"
                print(f"{flag:11} {r['region']} {r['set']:4} {r['target']!r}: {r['got']}")
    for part in ("dev", "held"):
        for region in ("ES", "MX"):
            sub = [r for r in rows if r["set"] == part and r["region"] == region]
            if sub:
                print(f"{part:4} {region}: {totals(sub)}")
    print(f"all     : {totals(rows)}")
    n = len(rows)
    placed = sum(r["placed"] for r in rows)
    fx = sum(r["false_exact"] for r in rows)
    return 0 if n and placed >= 0.85 * n and fx <= 0.02 * n else 1


if __name__ == "__main__":
    sys.exit(main())
