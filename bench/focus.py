"""Focus accuracy: is the place a story is about found within 161 km?

    .venv/bin/python bench/focus.py            # the table in docs/accuracy.md
    .venv/bin/python bench/focus.py --json

The yardstick: development-corpus articles (../shared/eval/data, never copied
here) whose first sentence — the headline in LGL, the lead in GeoVirus — names
a place that the gold annotations locate. That place is taken as the story's
focus. Each document is geoparsed as ``geo extract`` does (the text alone, no
title field), and its focus (geo.focus) is compared with the gold point.
Two baselines from the same parse show what the focus method adds: the first
place mentioned, and the most mentioned place (ties: the earlier). Documents
are split into two halves by id (even/odd hash) so that a change tuned on one
can be checked on the other.
"""
from __future__ import annotations

import argparse
import json
import re
import zlib
from collections import Counter
from pathlib import Path

from geopy.distance import great_circle

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval" / "data"
CORPORA = ("lgl", "geovirus")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def yardstick(name: str) -> list[dict]:
    """Documents whose first sentence holds a gold toponym with coordinates; gold = the first such."""
    out = []
    with open(EVAL / f"{name}.jsonl", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            m = _SENTENCE_END.search(d["text"], 10)
            end = min(m.end() if m else len(d["text"]), 300)
            heads = [t for t in d["toponyms"] if t["end"] <= end and t.get("lat") is not None]
            if heads:
                gold = min(heads, key=lambda t: t["start"])
                out.append({"id": d["id"], "text": d["text"], "lang": d.get("lang"), "gold": (gold["lat"], gold["lon"])})
    return out


def within(point, gold) -> bool:
    return point is not None and great_circle(point, gold).km <= 161


def score(docs: list[dict], geoparser) -> dict:
    from geo.focus import document_focus
    from geo.model import Document, Kind

    hits = {"focus": [], "first place": [], "most mentioned": []}
    halves = []
    for d in docs:
        doc = Document(d["id"], d["text"], d["lang"])
        found = geoparser.parse(doc)
        focus = document_focus(doc, found, geoparser.gazetteer)
        placed = [r for r in found if r.place is not None and r.kind != Kind.DEMONYM]
        first = (placed[0].place.lat, placed[0].place.lon) if placed else None
        counts = Counter(r.place.place_id for r in placed)
        top = max(placed, key=lambda r: counts[r.place.place_id], default=None)  # max keeps the earliest of ties
        hits["focus"].append(within((focus.place.lat, focus.place.lon) if focus else None, d["gold"]))
        hits["first place"].append(within(first, d["gold"]))
        hits["most mentioned"].append(within((top.place.lat, top.place.lon) if top else None, d["gold"]))
        halves.append(zlib.crc32(d["id"].encode()) % 2)
    result = {"documents": len(docs)}
    for method, h in hits.items():
        result[method] = round(sum(h) / len(h), 3) if h else 0.0
        for half in (0, 1):
            part = [x for x, k in zip(h, halves, strict=True) if k == half]
            result[f"{method} (half {half})"] = round(sum(part) / len(part), 3) if part else 0.0
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from geo.pipeline import Geoparser

    gp = Geoparser()
    table = {name: score(yardstick(name), gp) for name in CORPORA}
    if args.json:
        print(json.dumps(table, indent=1))
        return
    print("| corpus | documents | focus acc@161km | half 0 / half 1 | first place | most mentioned |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in table.items():
        print(f"| {name} | {r['documents']} | {r['focus']:.3f} | {r['focus (half 0)']:.3f} / {r['focus (half 1)']:.3f} "
              f"| {r['first place']:.3f} | {r['most mentioned']:.3f} |")


if __name__ == "__main__":
    main()
