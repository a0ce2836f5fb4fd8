#!/usr/bin/env python3
"""Derive ``geo/data/word_zipf.tsv.gz``: wordfreq's Zipf frequencies of the frequent English and Spanish words.

The recogniser asks how frequent a sentence's first word is ("Paris" no, "Will"
yes). wordfreq answers, but loading its lists costs a third of a second and
about 70 MB in every process, for a few hundred questions. This table holds,
for ``en`` and ``es``, every word of wordfreq's list that is written in plain
lower-case Latin letters (:data:`geo.frequency.PLAIN`) and whose
``zipf_frequency`` is at least :data:`geo.frequency.FLOOR`, with that value:
one line ``lang<TAB>zipf<TAB>word``. :mod:`geo.frequency` answers from it
exactly as wordfreq would (see its docstring), and asks wordfreq for anything else.

Run from the repository root after changing the pinned wordfreq version:
``.venv/bin/python scripts/derive_word_frequencies.py``. The output is
deterministic: the same wordfreq gives the same bytes. ``tests/test_frequency.py``
checks the shipped file against the installed wordfreq.
"""
from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.frequency import FLOOR, LANGS, PLAIN, TABLE  # noqa: E402


def rows() -> list[str]:
    """The table's lines, most frequent first within each language."""
    from wordfreq import iter_wordlist, zipf_frequency

    out = []
    for lang in LANGS:
        for word in iter_wordlist(lang):  # most frequent first
            z = zipf_frequency(word, lang)
            if z < FLOOR:
                break
            if PLAIN.fullmatch(word):
                out.append(f"{lang}\t{z!r}\t{word}\n")
    return out


def write(path: Path = TABLE) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write("".join(rows()).encode("utf-8"))
    path.write_bytes(buf.getvalue())


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", type=Path, default=TABLE, help="where to write the table (default: %(default)s)")
    out = ap.parse_args().out
    write(out)
    print(f"wrote {out}", file=sys.stderr)
