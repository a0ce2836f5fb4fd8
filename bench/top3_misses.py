"""Gold-span top-3 misses of LGL and GeoVirus, by class; and calibration, by half.

    python bench/top3_misses.py [--corpora lgl,geovirus] [--show N] [--dump FILE]

Resolves the gold spans of each corpus in this process (as `geo extract
--spans-from` does, with the rest of the text as context) and counts a gold
toponym as a top-3 hit when its point is within 161 km of the answer or of one
of its alternatives. Each miss gets one class:

* ``unresolved``: no point at all;
* ``convention``: the answer is a country, state or continent whose outline holds
  the gold point (or a sea or world region, which has no outline here), and no
  other entry of the name lies within 161 km of it: the right unit at another
  representative point (GeoVirus takes Wikipedia's points,
  the gazetteer GeoNames'). No alternative can fix it without being another point
  of the same place;
* ``lacks (fallback)`` / ``lacks (namesake)``: no gazetteer entry of the name lies
  within 161 km of the gold point; the mention fell back to a unit, or took a
  namesake elsewhere;
* ``candidate not offered``: the resolver weighed an entry within 161 km of the
  gold point but neither chose it nor offered it;
* ``in gazetteer, not a candidate``: an entry of the name lies near the gold point,
  but the resolver did not weigh it (an abbreviation's case, a land feature).

It also prints, per half of each corpus (documents at even and odd positions),
gold-span acc@161km, top-3 recall and the end-to-end calibration bins (share of
resolved mentions within 161 km by the confidence geo gave, as
bench/accuracy.py prints them), the same bins with the convention misses counted
right (:func:`convention`), and the Brier score both ways, so that a change tuned on
one half can be checked on the other. Descriptive only: geo does not use these classes.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402

from geo.model import Document, Kind  # noqa: E402
from geo.outlines import country_outline  # noqa: E402
from geo.pipeline import Geoparser  # noqa: E402
from geo.recognize import detect_language  # noqa: E402

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01)
KM = 161.0
CLASSES = ("unresolved", "convention", "lacks (fallback)", "lacks (namesake)", "candidate not offered",
           "in gazetteer, not a candidate")


def km(a, b) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def convention(r, gold: tuple[float, float]) -> bool:
    """A wrong answer that is the right unit at another representative point: a country,
    state or continent whose outline holds the gold point, or a sea or world region."""
    p = r.place
    if r.precision != "exact":
        return False
    if p.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT):
        outline = country_outline(p.country_code) if p.country_code else None
        return p.kind == Kind.CONTINENT or (outline is not None and outline.contains(Point(gold[1], gold[0])))
    return p.kind == Kind.FEATURE and not p.country_code


def classify(gp: Geoparser, doc: Document, r, gold: tuple[float, float]) -> str:
    if r is None or r.place is None:
        return "unresolved"
    entries = gp.gazetteer.lookup(r.mention.surface, doc.lang)
    near = [e.place for e in entries if km((e.place.lat, e.place.lon), gold) <= KM]
    if not near:
        p = r.place
        if r.precision == "exact" and p.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT):
            outline = country_outline(p.country_code) if p.country_code else None
            if p.kind == Kind.CONTINENT or (outline is not None and outline.contains(Point(gold[1], gold[0]))):
                return "convention"
        if r.precision == "exact" and p.kind == Kind.FEATURE and not p.country_code:
            return "convention"  # a sea or world region ("Middle East", "Baltic Sea") at another point
        return "lacks (fallback)" if r.precision != "exact" else "lacks (namesake)"
    weighed = {p.place_id for p, _s in gp.resolver.candidates(r.mention, doc.lang)}
    if any(p.place_id in weighed for p in near):
        return "candidate not offered"
    return "in gazetteer, not a candidate"


def run(gp: Geoparser, corpus: Path, show: int, dump) -> dict:
    rows = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    halves = {h: {"n": 0, "hit1": 0, "hit3": 0, "bins": [[0, 0] for _ in BINS[:-1]], "conv_bins": [0 for _ in BINS[:-1]],
                  "brier": [0.0, 0.0, 0], "classes": Counter()} for h in ("even", "odd")}
    examples: dict[str, list[str]] = {c: [] for c in CLASSES}
    for pos, d in enumerate(rows):
        h = halves["even" if pos % 2 == 0 else "odd"]
        doc = Document(str(d["id"]), d["text"], lang=d.get("lang") or detect_language(d["text"]))
        golds = [t for t in d["toponyms"] if t.get("lat") is not None]
        if not golds:
            continue
        # gold spans: top-1 and top-3
        spans = sorted({(t["start"], t["end"]) for t in d["toponyms"]})
        res = {(r.mention.start, r.mention.end): r for r in gp.parse(doc, spans=spans)}
        for t in golds:
            g = (t["lat"], t["lon"])
            r = res.get((t["start"], t["end"]))
            h["n"] += 1
            points = [] if r is None or r.place is None else \
                [(r.place.lat, r.place.lon)] + [(a.lat, a.lon) for a in r.alternatives]
            hit1 = bool(points) and km(points[0], g) <= KM
            hit3 = any(km(q, g) <= KM for q in points)
            h["hit1"] += hit1
            h["hit3"] += hit3
            if not hit3:
                cls = classify(gp, doc, r, g)
                h["classes"][cls] += 1
                if len(examples[cls]) < show:
                    chosen = f"{r.place.name} ({r.place.kind}, {r.place.country_code}, {r.precision})" if r and r.place else "—"
                    alts = ", ".join(f"{a.name} {a.country_code}" for a in r.alternatives) if r else ""
                    examples[cls].append(f"{t['name']!r} → {chosen} [{alts}]  gold {g[0]:.2f},{g[1]:.2f}  {doc.id}")
        # end to end: calibration of what geo finds itself
        for r in gp.parse(doc):
            if r.place is None:
                continue
            t = next((t for t in golds if r.mention.start < t["end"] and t["start"] < r.mention.end), None)
            if t is None:
                continue
            ok = km((r.place.lat, r.place.lon), (t["lat"], t["lon"])) <= KM
            conv = not ok and convention(r, (t["lat"], t["lon"]))
            b = next(i for i in range(len(BINS) - 1) if BINS[i] <= r.confidence < BINS[i + 1])
            h["bins"][b][0] += 1
            h["bins"][b][1] += ok
            h["conv_bins"][b] += conv
            h["brier"][0] += (r.confidence - ok) ** 2
            h["brier"][1] += (r.confidence - (ok or conv)) ** 2
            h["brier"][2] += 1
            if dump is not None:
                dump.write(json.dumps({"corpus": corpus.stem, "half": "even" if pos % 2 == 0 else "odd",
                                       "doc": doc.id, "name": r.mention.surface, "source": r.mention.source,
                                       "kind": str(r.place.kind), "precision": str(r.precision),
                                       "confidence": r.confidence, "ok": ok, "convention": conv, "evidence": r.evidence,
                                       "alternatives": [str(a.kind) for a in r.alternatives],
                                       "answer_kind": str(r.place.kind)}, ensure_ascii=False) + "\n")
    return {"halves": halves, "examples": examples}


def report(name: str, out: dict) -> None:
    halves = out["halves"]
    total = {k: sum(h[k] for h in halves.values()) for k in ("n", "hit1", "hit3")}
    print(f"\n== {name}: {total['n']} gold toponyms with coordinates")
    for label, h in [*halves.items(), ("all", None)]:
        n, hit1, hit3 = (total["n"], total["hit1"], total["hit3"]) if h is None else (h["n"], h["hit1"], h["hit3"])
        conv = sum(h["classes"]["convention"] for h in halves.values()) if h is None else h["classes"]["convention"]
        print(f"  {label:4}  gold-span acc@161km {hit1 / n:.3f}  top-3 {hit3 / n:.3f}  (n={n}, top-3 misses {n - hit3}; "
              f"{(hit3 + conv) / n:.3f} if the {conv} convention misses counted as right)")
    print("  top-3 misses by class (even / odd / all):")
    for cls in CLASSES:
        e, o = halves["even"]["classes"][cls], halves["odd"]["classes"][cls]
        print(f"    {cls:32} {e:5d} {o:5d} {e + o:5d}")
        for ex in out["examples"][cls]:
            print(f"        {ex}")
    print("  calibration, end to end (even n / acc | odd n / acc | all n / acc):")
    for i in range(len(BINS) - 1):
        label = f"{BINS[i]:.2f}-{min(BINS[i + 1], 1.0):.2f}"
        cells = []
        for h in (halves["even"]["bins"][i], halves["odd"]["bins"][i],
                  [halves["even"]["bins"][i][0] + halves["odd"]["bins"][i][0],
                   halves["even"]["bins"][i][1] + halves["odd"]["bins"][i][1]]):
            cells.append(f"{h[0]:5d} {h[1] / h[0]:.3f}" if h[0] else f"{h[0]:5d}   —  ")
        print(f"    {label}  " + " | ".join(cells))
    print("  the same with convention misses counted right (even | odd | all):")
    for i in range(len(BINS) - 1):
        label = f"{BINS[i]:.2f}-{min(BINS[i + 1], 1.0):.2f}"
        cells = []
        for hs in (["even"], ["odd"], ["even", "odd"]):
            n = sum(halves[h]["bins"][i][0] for h in hs)
            ok = sum(halves[h]["bins"][i][1] + halves[h]["conv_bins"][i] for h in hs)
            cells.append(f"{n:5d} {ok / n:.3f}" if n else f"{n:5d}   —  ")
        print(f"    {label}  " + " | ".join(cells))
    briers = []
    for hs in (["even"], ["odd"], ["even", "odd"]):
        n = sum(halves[h]["brier"][2] for h in hs) or 1
        briers.append(f"{sum(halves[h]['brier'][0] for h in hs) / n:.4f} ({sum(halves[h]['brier'][1] for h in hs) / n:.4f})")
    print("  Brier score, end to end (with convention misses right): even " + " | odd ".join(briers[:2]) + " | all " + briers[2])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"), help="folder with data/")
    ap.add_argument("--corpora", default="lgl,geovirus", help="comma-separated corpus stems")
    ap.add_argument("--show", type=int, default=0, help="examples per class")
    ap.add_argument("--dump", help="write every end-to-end resolution matched to a gold span (JSONL)")
    args = ap.parse_args(argv)
    gp = Geoparser()
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    try:
        for name in args.corpora.split(","):
            report(name, run(gp, Path(args.eval) / "data" / f"{name}.jsonl", args.show, dump))
    finally:
        if dump is not None:
            dump.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
