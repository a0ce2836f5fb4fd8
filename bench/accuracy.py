"""Accuracy on every corpus in ../shared/eval/data: `make bench-accuracy`.

Runs each corpus through `geo extract` (a subprocess, as a user would), scores
it with ../shared/eval/score.py, and for corpora with coordinates also resolves
the gold spans alone (`geo extract --spans-from`). Prints one table.

    python bench/accuracy.py [--eval DIR] [--markdown]
"""
from __future__ import annotations

import argparse
import json
import os
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
                "docs_per_s": n_docs / secs, "gold_acc161": None,
            }
            if r["gold_with_coords"]:
                gpred = Path(tmp) / f"{gold.stem}.gold.jsonl"
                run([*GEO, "extract", "--spans-from", str(gold), "-o", str(gpred), "--no-progress"])
                row["gold_acc161"] = score(scorer, gold, gpred)["resolution"]["acc161"]
            rows.append(row)
            print(f"  {gold.stem}: done in {secs:.1f}s", file=sys.stderr)
    head = ["corpus", "docs", "exact F1", "overlap F1", "P", "R", "acc@161km", "end-to-end acc@161km",
            "median km", "AUC", "gold-span acc@161km", "docs/s"]
    lines = []
    for r in rows:
        lines.append([r["corpus"], str(r["docs"]), fmt(r["exact_f1"]), fmt(r["overlap_f1"]), fmt(r["precision"]),
                      fmt(r["recall"]), fmt(r["acc161"]), fmt(r["e2e_acc161"]), fmt(r["median_km"], 1),
                      fmt(r["auc"]), fmt(r["gold_acc161"]), f"{r['docs_per_s']:.0f}"])
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
    print(f"(docs/s includes process start-up and gazetteer load; commit "
          f"{subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True, cwd=ROOT).stdout.strip()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
