"""The largest error classes of `geo extract` on the development corpora.

    python bench/errors.py [--eval DIR]

Runs the pipeline in-process on each corpus, pairs predictions with gold spans
(overlap), and sorts every error into a class by a simple test. Prints counts
and one example per class. The classes are descriptive, for deciding what to
work on; they are not used by geo itself.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gazetteer import name_key  # noqa: E402
from geo.model import Document  # noqa: E402
from geo.outlines import country_outline  # noqa: E402
from geo.pipeline import Geoparser, toponym_records  # noqa: E402
from shapely.geometry import Point  # noqa: E402


def km(a, b):
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def classify(gp: Geoparser, corpus: Path, classes: Counter, examples: dict):
    demonyms = gp.gazetteer.demonym_keys()
    for line in corpus.open(encoding="utf-8"):
        d = json.loads(line)
        text = d["text"]
        preds = toponym_records(gp.parse(Document(d["id"], text, d.get("lang"))))
        gold = d["toponyms"]

        def ctx(s, e):
            return text[max(0, s - 40):e + 30].replace("\n", " ")

        for p in preds:
            if any(p["start"] < t["end"] and t["start"] < p["end"] for t in gold):
                continue
            before = text[max(0, p["start"] - 4):p["start"]]
            if re.search(r"\b(el|del|al)\s$", before) and d.get("lang") == "es":
                cls = "FP: organisation or team named after a place"
            elif p["kind"] in ("country", "admin1") and p["precision"] == "exact":
                cls = "FP: country/state the gold leaves out (metonymy, organisation names, annotation gaps)"
            elif p["precision"] != "exact":
                cls = "FP: feature-word span the gold does not count"
            else:
                cls = "FP: a name that is a person, organisation or word here"
            classes[(corpus.stem, cls)] += 1
            examples.setdefault((corpus.stem, cls), f"{p['name']!r}: …{ctx(p['start'], p['end'])}…")
        for t in gold:
            match = [p for p in preds if p["start"] < t["end"] and t["start"] < p["end"]]
            if not match:
                if name_key(t["name"]) in demonyms:
                    cls = "FN: demonym (counted as a toponym by this corpus; use --demonyms)"
                elif t["name"][:1].islower():
                    cls = "FN: span with a common-noun head (calle, colonia, estadio)"
                else:
                    cls = "FN: name not recognised (missing from the gazetteer, or filtered)"
                classes[(corpus.stem, cls)] += 1
                examples.setdefault((corpus.stem, cls), f"{t['name']!r}: …{ctx(t['start'], t['end'])}…")
                continue
            p = match[0]
            if t.get("lat") is None or p["lat"] is None:
                continue
            err = km((t["lat"], t["lon"]), (p["lat"], p["lon"]))
            if err <= 161:
                continue
            if p["precision"] != "exact":
                cls = "wrong: fallback to the enclosing unit is too coarse (place not in the gazetteer)"
            elif p["kind"] in ("country", "continent", "admin1"):
                outline = country_outline(p["country_code"]) if p["country_code"] else None
                if outline is not None and outline.contains(Point(t["lon"], t["lat"])):
                    cls = "wrong: right unit, another representative point (corpus convention)"
                else:
                    cls = "wrong: a country or state where the gold has a homonymous town"
            else:
                cls = "wrong: another place of the same name"
            classes[(corpus.stem, cls)] += 1
            examples.setdefault((corpus.stem, cls), f"{t['name']!r} → {p['place_id']} ({err:.0f} km): …{ctx(t['start'], t['end'])}…")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args(argv)
    gp = Geoparser()
    classes: Counter = Counter()
    examples: dict = {}
    for corpus in sorted((Path(args.eval) / "data").glob("*.jsonl")):
        classify(gp, corpus, classes, examples)
    total: Counter = Counter()
    per: dict = defaultdict(dict)
    for (corpus, cls), n in classes.items():
        total[cls] += n
        per[cls][corpus] = n
    print(f"{'count':>6}  class  (per corpus)  example")
    for cls, n in total.most_common(args.top):
        where = ", ".join(f"{c} {k}" for c, k in sorted(per[cls].items(), key=lambda x: -x[1]))
        corpus = max(per[cls], key=per[cls].get)
        print(f"{n:6d}  {cls}  ({where})\n        e.g. {examples[(corpus, cls)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
