"""Accuracy on every corpus in ../shared/eval/data: `make bench-accuracy`.

Runs each corpus through `geo extract` (a subprocess, as a user would), scores
it with ../shared/eval/score.py, and for corpora with coordinates also resolves
the gold spans alone (`geo extract --spans-from`): gold-span acc@161km, and
top-3 recall (the gold point within 161 km of the answer or of one of its
alternatives). Prints one table.

    python bench/accuracy.py [--eval DIR] [--markdown]
    python bench/accuracy.py --ablate [--corpora lgl,geovirus] [--limit N] [--only NAME,...]

``--ablate`` switches each recogniser rule (geo.recognize.RULES) and each piece of
resolver evidence (geo.resolve.EVIDENCE) off in turn, parses every development corpus
in this process (one gazetteer for all runs) and prints a Markdown table of overlap
F1, end-to-end acc@161km and gold-span acc@161km, each as a change from all parts on
(the "what each part contributes" table in docs/accuracy.md).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO = [sys.executable, "-m", "geo.cli"]


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


def score(scorer: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def calibration(gold: Path, pred: Path, bins=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01)) -> list[tuple[str, int, float]]:
    """Share of predictions within 161 km of the gold point, by confidence bin."""
    golds = {}
    for line in gold.open(encoding="utf-8"):
        d = json.loads(line)
        golds[d["id"]] = [t for t in d["toponyms"] if t.get("lat") is not None]
    counts = [[0, 0] for _ in bins[:-1]]
    for line in pred.open(encoding="utf-8"):
        d = json.loads(line)
        for p in d["toponyms"]:
            if p.get("lat") is None:
                continue
            for t in golds.get(d["id"], ()):
                if p["start"] < t["end"] and t["start"] < p["end"]:
                    b = next(i for i in range(len(bins) - 1) if bins[i] <= p["confidence"] < bins[i + 1])
                    counts[b][0] += 1
                    counts[b][1] += haversine_km((p["lat"], p["lon"]), (t["lat"], t["lon"])) <= 161
                    break
    return [(f"{bins[i]:.2f}–{min(bins[i + 1], 1.0):.2f}", n, ok / n if n else float("nan"))
            for i, (n, ok) in enumerate(counts)]


def top3_recall(gold: Path, pred: Path) -> float | None:
    """Share of gold toponyms with coordinates whose point is within 161 km of the chosen
    answer or of one of its alternatives (what a reader could fix with one click)."""
    golds = {}
    for line in gold.open(encoding="utf-8"):
        d = json.loads(line)
        golds[d["id"]] = {(t["start"], t["end"]): t for t in d["toponyms"] if t.get("lat") is not None}
    total = sum(len(g) for g in golds.values())
    hit = 0
    for line in pred.open(encoding="utf-8"):
        d = json.loads(line)
        for p in d["toponyms"]:
            t = golds.get(d["id"], {}).get((p["start"], p["end"]))
            if t is None or p.get("lat") is None:
                continue
            points = [(p["lat"], p["lon"])] + [(a["lat"], a["lon"]) for a in p.get("alternatives", ())]
            hit += any(haversine_km(q, (t["lat"], t["lon"])) <= 161 for q in points)
    return hit / total if total else None


def ablate(args, scorer: Path, corpora: list[Path]) -> int:
    """Each rule and each piece of evidence off in turn: a Markdown table of deltas."""
    from geo.flows import extract_line
    from geo.model import Document
    from geo.pipeline import Geoparser
    from geo.recognize import RULES
    from geo.resolve import EVIDENCE

    if args.corpora:
        wanted = set(args.corpora.split(","))
        corpora = [c for c in corpora if c.stem in wanted]
    golds = {}
    for gold in corpora:
        rows = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
        golds[gold.stem] = rows[:args.limit] if args.limit else rows
    base = Geoparser()
    parts = [("", "all on")] + [(r.name, f"rule: {r.doc}") for r in RULES] + \
        [(k, "resolver evidence") for k in EVIDENCE]
    if args.only:
        keep = set(args.only.split(","))
        parts = [p for p in parts if not p[0] or p[0] in keep]
    results: dict[str, dict[str, tuple]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, _ in parts:
            t = time.perf_counter()
            gp = Geoparser(base.gazetteer, disabled={name} if name else ())
            results[name] = {}
            for corpus, rows in golds.items():
                gold = Path(tmp) / f"{corpus}.gold.jsonl"
                if not gold.exists():
                    gold.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rows), encoding="utf-8")
                pred, gpred = Path(tmp) / "pred.jsonl", Path(tmp) / "gpred.jsonl"
                with_coords = any(tp.get("lat") is not None for d in rows for tp in d.get("toponyms", ()))
                with open(pred, "w", encoding="utf-8") as out, open(gpred, "w", encoding="utf-8") as gout:
                    for d in rows:
                        doc = Document(str(d["id"]), d["text"], lang=d.get("lang"))
                        out.write(extract_line(doc, gp.parse(doc))[0])
                        if with_coords:
                            spans = [(tp["start"], tp["end"]) for tp in d.get("toponyms", ())]
                            gout.write(extract_line(doc, gp.parse(doc, spans=spans), demonyms=True)[0])
                r = score(scorer, gold, pred)
                g = score(scorer, gold, gpred)["resolution"]["acc161"] if with_coords else None
                results[name][corpus] = (r["recognition"]["overlap"]["f1"], r["acc161_end_to_end"] if with_coords else None, g)
            print(f"  {name or 'all on'}: {time.perf_counter() - t:.0f}s", file=sys.stderr)

    def delta(x, y):
        if x is None or y is None:
            return "—"
        d = round(x - y, 3)
        return "0" if d == 0 else f"{d:+.3f}"

    head = ["part off", "kind"] + [f"{c} {m}" for c in golds for m in ("F1", "e2e", "gold")
                                   if m == "F1" or results[""][c][1] is not None]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---", "---"] + ["---:"] * (len(head) - 2)) + "|")
    all_on = results[""]
    cells = [fmt(v) for c in golds for v in all_on[c] if v is not None]
    print("| (none: all on) | | " + " | ".join(cells) + " |")
    rule_names = {r.name for r in RULES}
    for name, _ in parts[1:]:
        cells = [delta(results[name][c][k], all_on[c][k]) for c in golds for k in range(3)
                 if k == 0 or all_on[c][1] is not None]
        print(f"| {name} | {'rule' if name in rule_names else 'evidence'} | " + " | ".join(cells) + " |")
    print(f"\n(deltas from all on; {'first ' + str(args.limit) + ' documents of each corpus; ' if args.limit else ''}"
          f"commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True, cwd=ROOT).stdout.strip()})")
    return 0


def fmt(x, nd=3):
    return "—" if x is None else f"{x:.{nd}f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"), help="folder with score.py and data/")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table (for docs/accuracy.md)")
    ap.add_argument("--ablate", action="store_true", help="each rule and piece of evidence off in turn (Markdown)")
    ap.add_argument("--corpora", help="with --ablate: only these corpora (comma-separated stems)")
    ap.add_argument("--limit", type=int, help="with --ablate: only the first N documents of each corpus")
    ap.add_argument("--only", help="with --ablate: only these parts (comma-separated names)")
    args = ap.parse_args(argv)
    eval_dir = Path(args.eval)
    scorer = eval_dir / "score.py"
    corpora = sorted((eval_dir / "data").glob("*.jsonl"))
    if not corpora or not scorer.exists():
        print(f"no corpora or scorer under {eval_dir}", file=sys.stderr)
        return 2
    if args.ablate:
        return ablate(args, scorer, corpora)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold in corpora:
            n_docs = sum(1 for line in gold.open(encoding="utf-8") if line.strip())
            pred = Path(tmp) / f"{gold.stem}.pred.jsonl"
            secs = run([*GEO, "extract", str(gold), "-o", str(pred), "--no-progress"])
            r = score(scorer, gold, pred)
            row = {
                "corpus": gold.stem, "docs": n_docs,
                "exact_f1": r["recognition"]["exact"]["f1"], "overlap_f1": r["recognition"]["overlap"]["f1"],
                "precision": r["recognition"]["overlap"]["precision"], "recall": r["recognition"]["overlap"]["recall"],
                "acc161": r["resolution"]["acc161"], "e2e_acc161": r["acc161_end_to_end"],
                "median_km": r["resolution"]["median_km"], "auc": r["resolution"]["auc"],
                "docs_per_s": n_docs / secs, "gold_acc161": None, "gold_top3": None,
            }
            if r["gold_with_coords"]:
                row["calibration"] = calibration(gold, pred)
                gpred = Path(tmp) / f"{gold.stem}.gold.jsonl"
                run([*GEO, "extract", "--spans-from", str(gold), "-o", str(gpred), "--no-progress"])
                row["gold_acc161"] = score(scorer, gold, gpred)["resolution"]["acc161"]
                row["gold_top3"] = top3_recall(gold, gpred)
            rows.append(row)
            print(f"  {gold.stem}: done in {secs:.1f}s", file=sys.stderr)
    head = ["corpus", "docs", "exact F1", "overlap F1", "P", "R", "acc@161km", "end-to-end acc@161km",
            "median km", "AUC", "gold-span acc@161km", "gold-span top-3", "docs/s"]
    lines = []
    for r in rows:
        lines.append([r["corpus"], str(r["docs"]), fmt(r["exact_f1"]), fmt(r["overlap_f1"]), fmt(r["precision"]),
                      fmt(r["recall"]), fmt(r["acc161"]), fmt(r["e2e_acc161"]), fmt(r["median_km"], 1),
                      fmt(r["auc"]), fmt(r["gold_acc161"]), fmt(r["gold_top3"]), f"{r['docs_per_s']:.0f}"])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
        print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
        for line in lines:
            print("  ".join(c.rjust(w) for c, w in zip(line, widths)))
    print()
    print("calibration: share of resolved mentions within 161 km, by confidence")
    for r in rows:
        for label, n, share in r.get("calibration", ()):
            print(f"  {r['corpus']:10} confidence {label}: n={n:5d}  acc@161km={share:.3f}")
    print(f"(docs/s includes process start-up and gazetteer load; commit "
          f"{subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True, cwd=ROOT).stdout.strip()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
