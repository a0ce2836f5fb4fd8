"""Accuracy on every corpus in ../shared/eval/data: `make bench-accuracy`.

Runs each corpus through `geo extract` (a subprocess, as a user would), scores
it with ../shared/eval/score.py, and for corpora with coordinates also resolves
the gold spans alone (`geo extract --spans-from`): gold-span acc@161km, and
top-3 recall (the gold point within 161 km of the answer or of one of its
alternatives). Prints one table.

    python bench/accuracy.py [--eval DIR] [--markdown]
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


def fmt(x, nd=3):
    return "—" if x is None else f"{x:.{nd}f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"), help="folder with score.py and data/")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table (for docs/accuracy.md)")
    args = ap.parse_args(argv)
    eval_dir = Path(args.eval)
    scorer = eval_dir / "score.py"
    corpora = sorted((eval_dir / "data").glob("*.jsonl"))
    if not corpora or not scorer.exists():
        print(f"no corpora or scorer under {eval_dir}", file=sys.stderr)
        return 2
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
