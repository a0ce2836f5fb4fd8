"""The recogniser's word lists, kept as data in ``geo/data/words/``.

Each list is a small UTF-8 file whose opening comment says what it holds and why:

* ``NAME.txt``: words separated by blanks or line breaks; ``#`` starts a comment;
* ``NAME.tsv``: rows of tab-separated fields (after the same kind of comments).

Words are compared as written in the file (lower case unless the file says
otherwise). Each file is read once per process.

>>> "fort" in words("feature_heads")
True
>>> ("de", "la") in sequences("connectors")["es"]
True
"""
from __future__ import annotations

import functools
import importlib.resources

__all__ = ["words", "rows", "pairs", "sequences", "WORDS"]

WORDS = importlib.resources.files("geo").joinpath("data", "words")


def _lines(filename: str) -> list[str]:
    text = WORDS.joinpath(filename).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def words(name: str) -> frozenset[str]:
    """The words of ``geo/data/words/NAME.txt``."""
    return frozenset(w for line in _lines(f"{name}.txt") for w in line.split())


@functools.cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of ``geo/data/words/NAME.tsv``, each a tuple of its tab-separated fields."""
    return tuple(tuple(line.split("\t")) for line in _lines(f"{name}.tsv"))


@functools.cache
def pairs(name: str) -> dict[str, str]:
    """A two-column ``NAME.tsv`` as a mapping from its first field to its second."""
    return {key: value for key, value in rows(name)}


@functools.cache
def sequences(name: str) -> dict[str, frozenset[tuple[str, ...]]]:
    """A ``NAME.tsv`` of ``key<TAB>words``: for each key, the word sequences listed for it."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for key, seq in rows(name):
        out.setdefault(key, set()).add(tuple(seq.split()))
    return {key: frozenset(seqs) for key, seqs in out.items()}
