"""Check that a change leaves `geo extract`'s output byte for byte as it was.

    .venv/bin/python bench/same_output.py --save REF_DIR    # before the change: keep the outputs
    .venv/bin/python bench/same_output.py REF_DIR           # after it: compare; exit 1 on any difference

Runs ``geo extract`` (``--demonyms``, so demonyms are compared too) on every
development corpus in ../shared/eval/data (id, text and lang only, as
../shared/tools/dev_scores.py gives them, and again without their language) and on
seeds/. A speed-up must not
change a single byte of these.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = (ROOT.parent / "shared" / "eval" / "data") if (ROOT.parent / "shared").exists() else Path("/work/shared/eval/data")
GEO = Path(sys.executable).parent / "geo"


def inputs(tmp: Path) -> dict[str, Path]:
    """Each input under a name: the corpora without their annotations, and the seeds folder."""
    out = {}
    for corpus in sorted(EVAL.glob("*.jsonl")):
        path = tmp / corpus.name
        with open(corpus, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
            for line in src:
                if line.strip():
                    d = json.loads(line)
                    dst.write(json.dumps({"id": d["id"], "text": d["text"], "lang": d.get("lang")},
                                         ensure_ascii=False) + "\n")
        out[corpus.stem] = path
        bare = tmp / f"{corpus.stem}.nolang.jsonl"  # the language left to detect
        with open(path, encoding="utf-8") as src, open(bare, "w", encoding="utf-8") as dst:
            for line in src:
                d = json.loads(line)
                dst.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
        out[f"{corpus.stem}.nolang"] = bare
    out["seeds"] = ROOT / "seeds"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ref", type=Path, help="folder of reference outputs")
    ap.add_argument("--save", action="store_true", help="write the reference outputs instead of comparing")
    args = ap.parse_args()
    args.ref.mkdir(parents=True, exist_ok=True)
    differ = []
    with tempfile.TemporaryDirectory(prefix="geo-same-") as tmp:
        for name, path in inputs(Path(tmp)).items():
            out = Path(tmp) / f"{name}.out.jsonl"
            subprocess.run([str(GEO), "extract", str(path), "-o", str(out), "--no-progress", "--demonyms"],
                           check=True, capture_output=True)
            ref = args.ref / out.name
            if args.save:
                ref.write_bytes(out.read_bytes())
                print(f"{name}: saved {out.stat().st_size} bytes")
            elif not ref.exists():
                differ.append(name)
                print(f"{name}: no reference in {args.ref}")
            elif ref.read_bytes() == out.read_bytes():
                print(f"{name}: identical ({out.stat().st_size} bytes)")
            else:
                differ.append(name)
                new, old = out.read_text("utf-8").splitlines(), ref.read_text("utf-8").splitlines()
                first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
                print(f"{name}: DIFFERS from line {first + 1} ({len(old)} -> {len(new)} lines)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
