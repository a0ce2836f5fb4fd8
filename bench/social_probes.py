"""Score geo on short, informal texts (tweets, headlines, captions): found, placed, false positives.

Each probe (bench/social_probes.tsv) is one short text of our own, in English or
Spanish, with the places it names as written (and, where one place is meant, a box
where a right point falls). Probes are in two sets: ``dev`` (written before the
rules for such text, and read while writing them) and ``held`` (written after,
scored apart).

* found: a mention (not a demonym) overlaps the place as written;
* placed: of the places with a box, that mention resolved to a point inside it;
* false positives: mentions (not demonyms) that overlap no expected place.

Usage: .venv/bin/python bench/social_probes.py [--show] [--set dev|held] [--disable RULE ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from probes import in_area, overlapping, probe_lines, read_area  # noqa: E402


def read_probes(path: Path) -> list[dict]:
    probes = []
    for set_, lang, expected, text in probe_lines(path, 4):
        places, after = [], {}
        for item in ([] if expected == "-" else expected.split(" | ")):
            name, _, area = item.partition("=")
            start = text.find(name, after.get(name, 0))  # a name listed twice: its next occurrence
            if start < 0:
                raise SystemExit(f"{path}: {name!r} is not in {text!r} (as often as listed)")
            after[name] = start + len(name)
            box = read_area(path, area) if area else None
            places.append({"name": name, "start": start, "end": start + len(name), "box": box})
        probes.append({"set": set_, "lang": lang, "places": places, "text": text})
    return probes


def score(probes: list[dict], geoparser=None) -> list[dict]:
    """One row per expected place and one per false positive, with the probe's set and language."""
    import geo

    gp = geoparser or geo.Geoparser()
    rows = []
    for i, p in enumerate(probes):
        res = [r for r in gp.parse(geo.Document(f"social-{i}", p["text"], lang=p["lang"])) if not r.mention.demonym]
        used = set()
        for pl in p["places"]:
            used.update(id(r) for r in res if r.mention.start < pl["end"] and pl["start"] < r.mention.end)
            hit = overlapping(res, pl["start"], pl["end"])
            row = {"set": p["set"], "lang": p["lang"], "kind": "place", "name": pl["name"], "text": p["text"],
                   "found": hit is not None, "boxed": pl["box"] is not None, "placed": False, "got": None}
            if hit is not None:
                place = hit.place
                row["got"] = (hit.mention.surface, place.name if place else None, place.country_code if place else None)
                if place is not None and pl["box"] is not None:
                    row["placed"] = in_area(pl["box"], place.lat, place.lon)
            rows.append(row)
        for r in res:
            if id(r) not in used:
                rows.append({"set": p["set"], "lang": p["lang"], "kind": "false", "name": r.mention.surface,
                             "text": p["text"], "got": (r.place.name, r.place.country_code) if r.place else None})
    return rows


def totals(rows: list[dict]) -> dict:
    places = [r for r in rows if r["kind"] == "place"]
    boxed = [r for r in places if r["boxed"]]
    return {"places": len(places), "found": sum(r["found"] for r in places), "boxed": len(boxed),
            "placed": sum(r["placed"] for r in boxed), "false": sum(r["kind"] == "false" for r in rows)}


def line(label: str, t: dict) -> str:
    pct = lambda a, b: f"{a / b:.1%}" if b else "-"  # noqa: E731
    return (f"{label:10} places {t['places']:3}  found {t['found']:3} ({pct(t['found'], t['places'])})  "
            f"placed {t['placed']:3}/{t['boxed']} ({pct(t['placed'], t['boxed'])})  false positives {t['false']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tsv", type=Path, default=HERE / "social_probes.tsv")
    ap.add_argument("--set", choices=("dev", "held"), help="only this set")
    ap.add_argument("--show", action="store_true", help="list every place not placed and every false positive")
    ap.add_argument("--disable", nargs="*", default=[], help="recogniser rules to switch off")
    args = ap.parse_args(argv)
    probes = [p for p in read_probes(args.tsv) if args.set in (None, p["set"])]
    gp = None
    if args.disable:
        import geo
        gp = geo.Geoparser(disabled=set(args.disable))
    rows = score(probes, gp)
    if args.show:
        for r in rows:
            if r["kind"] == "false":
                print(f"FALSE      {r['lang']} {r['name']!r} -> {r['got']}   | {r['text']}")
            elif not r["placed"] and (r["boxed"] or not r["found"]):
                flag = "not placed" if r["found"] else "not found"
                print(f"{flag:10} {r['lang']} {r['name']!r} -> {r['got']}   | {r['text']}")
    print(f"social probes: {len(probes)} texts")
    for s in ("dev", "held"):
        for lang in ("en", "es", None):
            sub = [r for r in rows if r["set"] == s and lang in (None, r["lang"])]
            if sub or any(p["set"] == s and lang in (None, p["lang"]) for p in probes):
                print(line(f"{s} {lang or 'all'}", totals(sub)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
