"""Score geo on the land-feature probes (issue 12): found, placed, false exact.

Each probe (bench/land_probes.tsv) is one short sentence naming one feature,
with the feature as written and an area (a box) where a right point falls.

* found: a mention overlaps the feature as written;
* placed: that mention resolved to a point inside the area (any precision);
* false exact: a point outside the area with precision ``exact``.

Usage: .venv/bin/python bench/land_probes.py [--show] [--tsv bench/land_probes.tsv]
Exit 1 if placed < 85% or any false exact.
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
    for lang, feature, area, text in probe_lines(path, 4):
        box = read_area(path, area)
        if feature not in text:
            raise SystemExit(f"{path}: {feature!r} is not in {text!r}")
        probes.append({"lang": lang, "feature": feature, "box": box, "text": text})
    return probes


def score(probes: list[dict], geoparser=None) -> tuple[list[dict], dict]:
    import geo
    from geo.model import Precision

    gp = geoparser or geo.Geoparser()
    rows = []
    for i, p in enumerate(probes):
        start = p["text"].index(p["feature"])
        end = start + len(p["feature"])
        res = gp.parse(geo.Document(f"probe-{i}", p["text"], lang=p["lang"]))
        hit = overlapping([r for r in res if not r.mention.demonym], start, end)
        row = {**p, "found": hit is not None, "placed": False, "false_exact": False,
               "got": answer(hit) if hit is not None else None}
        if hit is not None and hit.place is not None:
            row["placed"] = in_area(p["box"], hit.place.lat, hit.place.lon)
            row["false_exact"] = not row["placed"] and hit.precision == Precision.EXACT
        rows.append(row)
    n = len(rows)
    totals = {"probes": n, "found": sum(r["found"] for r in rows), "placed": sum(r["placed"] for r in rows),
              "false_exact": sum(r["false_exact"] for r in rows)}
    return rows, totals


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tsv", type=Path, default=HERE / "land_probes.tsv")
    ap.add_argument("--show", action="store_true", help="list every probe that is not placed")
    args = ap.parse_args(argv)
    rows, t = score(read_probes(args.tsv))
    for r in rows:
        if args.show and (not r["placed"] or r["false_exact"]):
            flag = "FALSE EXACT" if r["false_exact"] else "not placed" if r["found"] else "not found"
            print(f"{flag:12} {r['lang']} {r['feature']!r}: {r['got']}")
    n = t["probes"]
    by_lang = {lang: [r for r in rows if r["lang"] == lang] for lang in ("en", "es")}
    print(f"land probes: {n} ({', '.join(f'{len(v)} {k}' for k, v in by_lang.items())}); "
          f"found {t['found']} ({t['found'] / n:.1%}), placed {t['placed']} ({t['placed'] / n:.1%}), "
          f"false exact {t['false_exact']}")
    return 0 if t["placed"] >= 0.85 * n and not t["false_exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
