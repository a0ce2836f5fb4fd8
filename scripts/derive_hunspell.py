"""Derive geo/data/hunspell/ from npm's Hunspell dictionaries (run at release, not at install).

The gazetteer build reads English and Spanish Hunspell word lists to tell common
words from names (geo/gazetteer_words.py). They ship inside geo, gzipped and
otherwise unmodified, so that ``pip install`` alone builds the same gazetteer:

    npm install --no-save --prefix /tmp/hunspell dictionary-en@4.0.0 dictionary-es@4.0.0
    python3 scripts/derive_hunspell.py /tmp/hunspell/node_modules

Writes {en,es}.dic.gz and {en,es}.aff.gz (byte-identical on every run: no gzip
time stamp), each package's licence as LICENSE-{en,es}.txt, the MPL 1.1 text the
Spanish dictionary is redistributed under (from Debian's base-files) and
SOURCES.txt naming the packages and versions.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "geo" / "data" / "hunspell"
MPL = Path("/usr/share/common-licenses/MPL-1.1")


def gzip_copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fout:
            shutil.copyfileobj(fin, fout)


def main(node_modules: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    sources = []
    for lang in ("en", "es"):
        pkg = Path(node_modules) / f"dictionary-{lang}"
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        for ext in ("dic", "aff"):
            gzip_copy(pkg / f"index.{ext}", OUT / f"{lang}.{ext}.gz")
        shutil.copyfile(pkg / "license", OUT / f"LICENSE-{lang}.txt")
        sources.append(f"{lang}: npm {meta['name']}@{meta['version']} ({meta['license']}), index.dic and index.aff")
    shutil.copyfile(MPL, OUT / "MPL-1.1.txt")
    sources.append("es is redistributed under MPL 1.1, one of its three licences (MPL-1.1.txt)")
    (OUT / "SOURCES.txt").write_text("\n".join(sources) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("node_modules", help="the node_modules folder holding dictionary-en and dictionary-es")
    sys.exit(main(ap.parse_args().node_modules))
