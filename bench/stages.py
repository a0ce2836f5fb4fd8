"""Where ``geo extract``'s time goes: CPU seconds per stage, in one process.

    .venv/bin/python bench/stages.py                 # the 10 MB news input of bench/speed.py (news10)
    .venv/bin/python bench/stages.py IN.jsonl        # any JSON-lines input
    .venv/bin/python bench/stages.py --runs 3        # best of three passes over the input, each in a new Geoparser

Each stage is timed with ``time.process_time()`` around it, in the order ``geo extract``
runs them: reading the documents, detecting their languages (in batches, as
``parse_documents`` does), recognising (of which tokenising), resolving, and the
output line. The process pins itself to one core and sets the collector as the command
does (:func:`geo.parallel.run_gc_threshold`). The total is a little above ``geo
extract``'s own CPU time (the timers), and below it by the start-up (imports, about 0.2 s).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = (ROOT.parent / "shared" / "eval" / "data") if (ROOT.parent / "shared").exists() else Path("/work/shared/eval/data")

from geo import documents, parallel, pipeline, recognize, tokens  # noqa: E402
from geo.flows import extract_line  # noqa: E402
from geo.model import Document  # noqa: E402

BATCH = 64  # documents whose languages are detected together, as parse_documents reads ahead


def news10(path: Path) -> Path:
    """bench/speed.py's 10 MB input: the LGL and CEGEOMEX texts three times over, no language given."""
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(3):
            for corpus in ("lgl.jsonl", "es_cegeomex.jsonl"):
                for line in open(EVAL / corpus, encoding="utf-8"):
                    if line.strip():
                        d = json.loads(line)
                        fh.write(json.dumps({"id": f"{d['id']}~{k}", "text": d["text"]}, ensure_ascii=False) + "\n")
    return path


def one_pass(path: Path) -> dict[str, float]:
    clock = time.process_time
    times = dict.fromkeys(["read", "language", "recognise", "of which tokenise", "resolve", "output line"], 0.0)
    tokenize = tokens.tokenize

    def timed_tokenize(text):
        t = clock()
        try:
            return tokenize(text)
        finally:
            times["of which tokenise"] += clock() - t

    geoparser = pipeline.Geoparser()
    recognize.tokenize = timed_tokenize  # the name the recogniser calls
    try:
        t = clock()
        docs: list[Document] = list(documents.iter_documents([str(path)]))
        times["read"] = clock() - t
        for i in range(0, len(docs), BATCH):
            t = clock()
            batch = geoparser.with_languages(docs[i:i + BATCH])
            times["language"] += clock() - t
            for doc in batch:
                inside: list = []
                t0 = clock()
                mentions = geoparser.recognizer.recognize(doc, inside)
                t1 = clock()
                resolutions = [r for r in geoparser.resolver.resolve(doc, pipeline.with_inside(mentions, inside))
                               if r.mention.source != "inside"]
                t2 = clock()
                extract_line(doc, resolutions)
                t3 = clock()
                times["recognise"] += t1 - t0
                times["resolve"] += t2 - t1
                times["output line"] += t3 - t2
    finally:
        recognize.tokenize = tokenize
    times["total"] = sum(v for k, v in times.items() if k != "of which tokenise")
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", type=Path, help="JSON lines of {id, text[, lang]} (default: news10, made here)")
    ap.add_argument("--runs", type=int, default=1, help="passes over the input; the best of each stage is shown")
    opts = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    with tempfile.TemporaryDirectory() as tmp, parallel.run_gc_threshold():
        path = opts.input or news10(Path(tmp) / "news10.jsonl")
        mb = path.stat().st_size / 1e6
        runs = [one_pass(path) for _ in range(opts.runs)]
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    print(f"{path.name}: {mb:.1f} MB of JSON lines, CPU s per stage (best of {opts.runs})")
    for k, v in best.items():
        print(f"  {k:<18} {v:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
