"""A 200 MB text file through `geo map`: time, peak memory, output sizes.

    python bench/big_input.py [--size-mb 200] [--keep DIR]

Writes a text file of news-like Spanish and English paragraphs (the seed
article, place-free filler, a few hundred distinct places) and runs
``geo map`` on it in a subprocess, as a user would. The reader streams the
file in 1 MB pieces, the frames are built in batches, and the map's text
panel is capped (``geo.flows.PANEL_CHARS``), so memory grows with the
number of mentions, not with the size of the text.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
PLACES = ["México", "Texas", "Bogotá", "Lima", "Madrid", "Quito", "Caracas", "Hattiesburg, Mississippi",
          "Ciudad Juárez", "El Paso", "Nueva York", "Buenos Aires", "Santiago de Chile", "Guatemala", "Honduras"]
FILLER = ("El informe anual del comité describe los avances del programa, las cifras del presupuesto y las "
          "recomendaciones para el próximo periodo. The committee said the figures would be reviewed again "
          "next quarter, and that no decision had been taken yet. ")


def make_text(path: Path, size: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < size:
            if rng.random() < 0.02:
                para = SEED
            else:
                para = FILLER * rng.randint(1, 4) + f"Los delegados viajaron a {rng.choice(PLACES)}. "
            chunk = para.strip() + "\n\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=200)
    ap.add_argument("--keep", metavar="DIR", help="write the input and outputs here and keep them")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="geo-big-"))
    work.mkdir(parents=True, exist_ok=True)
    text = work / "big.txt"
    t = time.perf_counter()
    make_text(text, int(args.size_mb * 2**20))
    print(f"input: {text} {text.stat().st_size / 2**20:.0f} MB, written in {time.perf_counter() - t:.0f} s")
    out = work / "out"
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo.cli", "map", str(text), "-o", str(out)], cwd=ROOT,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    summary = [line for line in proc.stderr.replace("\r", "\n").splitlines() if line.startswith("geo:")]
    print("\n".join(summary))
    print(f"exit {proc.returncode}; {elapsed:.0f} s ({text.stat().st_size / 2**20 / elapsed:.2f} MB/s); "
          f"peak RSS {peak_mb:.0f} MB")
    for p in sorted(out.iterdir()) if out.exists() else ():
        print(f"  {p.name:18} {p.stat().st_size / 2**20:8.1f} MB")
    if not args.keep:
        import shutil

        shutil.rmtree(work)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
