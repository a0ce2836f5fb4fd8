"""py3langid's language identification, with its byte scan done by numpy.

py3langid (pinned in pyproject.toml) scores a text with naive Bayes over byte
n-gram features. It finds the features by walking an Aho-Corasick automaton
over the text's UTF-8 bytes, one Python step per byte: that walk was a third of
``geo extract``'s time on news without a given language.

In an Aho-Corasick automaton the state after reading a text is the node of the
longest suffix of the text that is in the trie, so it depends only on the last
``depth`` bytes, where ``depth`` is the length of the longest trie string (6
for py3langid 0.4.0's model). So the state at every position at once is: start
every position at the root and take ``depth`` steps, each a numpy gather over
all positions (position ``i`` reads byte ``i - depth + 1 + k`` at step ``k``).
The features, their counts, their order (first occurrence, as
``collections.Counter`` keeps them) and the float32 arithmetic are then those of
py3langid, so ``classify`` returns exactly what ``py3langid.classify`` returns;
``tests/test_langid.py`` checks the automaton property on the model and the
answers on texts.

The model's arrays are kept uncompressed in the cache folder
(``langid-<version>-<size>-v4/``, about 140 MB, written on first use) and
memory-mapped, so a process (or a ``--jobs`` worker) starts at once and shares
the pages with the others.
"""
from __future__ import annotations

import collections
import functools
import json
import os
import shutil
import tempfile
import unicodedata
from importlib.metadata import version
from pathlib import Path

import numpy as np

from .cache import cache_dir

__all__ = ["classify", "automaton_depth", "first_counts"]


class _Model:
    """py3langid's model as arrays: read from the cache folder, made there from py3langid's file the first time."""

    def __init__(self):
        folder = _cached_arrays()
        # plain arrays over the mapped file (numpy's memmap class slows every indexing down)
        arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.nextmove, self.rowbase, self.output = arrays["nextmove"], arrays["rowbase"], arrays["output"]
        self.nextrow = arrays["nextrow"]
        # ptc: py3langid's float16 table, kept as float32 (every float16 is a float32 exactly): numpy casts
        # the rows to float32 for py3langid's mixed product, and casting them per text was a tenth of the run
        self.ptc, self.pc = arrays["ptc"], np.asarray(arrays["pc"])
        self.classes, self.depth = meta["classes"], meta["depth"]
        first: dict[str, int] = {}
        self.aliases = []  # (first column, duplicate column) of labels listed twice, as py3langid folds them
        for i, c in enumerate(self.classes):
            if c in first:
                self.aliases.append((first[c], i))
            else:
                first[c] = i
        self.floor = float(np.finfo(np.float32).min)

    def states(self, data: bytes) -> np.ndarray:
        """The automaton's state after each byte of ``data`` (as its own byte-by-byte walk gives it)."""
        b = np.frombuffer(data, dtype=np.uint8)
        # ``row`` holds each position's state as its row base (rowbase[state]), so that each step but the
        # last is one gather in ``nextrow`` (= rowbase[nextmove], the same step premultiplied) instead of two
        row = np.full(len(b), self.rowbase[0], dtype=np.uint32)
        # step k: position i reads byte i - depth + 1 + k; positions near the start read from byte 0
        for k in range(self.depth - 1):
            lag = self.depth - 1 - k
            if lag >= len(b):
                continue
            row[lag:] = self.nextrow[row[lag:] + b[:len(b) - lag]]
        return self.nextmove[row + b]  # the last step gives the state itself, whose output is looked up

    def scores(self, data: bytes) -> np.ndarray:
        feats = self.output[self.states(data)]
        feats = feats[feats >= 0]
        if len(feats):
            idx, count = first_counts(feats)
            weights = np.log1p(count.astype(np.float32))
            # float32 rows, as numpy casts them for py3langid's mixed product: same numbers
            scores = weights @ self.ptc.take(idx, axis=0) + self.pc
        else:
            scores = np.full(len(self.classes), self.floor, dtype=np.float32)
        for i, j in self.aliases:
            scores[i] = max(scores[i], scores[j])
            scores[j] = self.floor
        return scores


def first_counts(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``feats`` (non-negative int64) in order of first occurrence, and their counts.

    What ``collections.Counter(feats)`` lists, as py3langid counts features, found by two sorts of packed
    integers (np.unique with indices and counts, then an argsort of the indices, took three times as long).
    Sorting the keys (value, position) groups each value's positions, smallest first, so a group's first key
    gives the value's first position and the group's length its count; sorting the keys (first position,
    count) then lists the groups in order of first occurrence (no two share a first position).
    """
    n = len(feats)
    shift = n.bit_length()                                 # every position and count is below 2**shift
    low = (1 << shift) - 1
    key = (feats << shift) | np.arange(n)
    key.sort()
    value = key >> shift
    new = np.empty(n, dtype=bool)                          # where a group starts
    new[0] = True
    np.not_equal(value[1:], value[:-1], out=new[1:])
    start = np.flatnonzero(new)
    group = ((key[start] & low) << shift) | np.diff(start, append=n)
    group.sort()
    return feats[group >> shift], group & low


def automaton_depth(nextmove: np.ndarray, rowbase: np.ndarray) -> int:
    """Length of the longest string of the automaton's trie: the largest breadth-first distance from the root."""
    depth = np.full(len(rowbase), -1, dtype=np.int64)
    depth[0] = 0
    frontier, d = np.array([0]), 0
    while len(frontier):
        nxt = nextmove[(rowbase[frontier][:, None] + np.arange(256)).ravel()]
        nxt = np.unique(nxt[depth[nxt] < 0])
        d += 1
        depth[nxt] = d
        frontier = nxt
    return d - 1


_ARRAYS = ("nextmove", "nextrow", "rowbase", "output", "ptc", "pc")


def _cached_arrays() -> Path:
    """The folder of the model's arrays (uncompressed, memory-mapped), written once per py3langid version.

    py3langid's own file is xz-compressed: reading it took about a second of every run.
    """
    from py3langid import langid

    model_file = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    stat = model_file.stat()
    folder = cache_dir() / f"langid-{version('py3langid')}-{stat.st_size}-v4"
    if (folder / "meta.json").exists():
        return folder
    ident = langid.LanguageIdentifier.from_model_file(model_file)
    nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.uint32)
    rowbase = np.asarray(ident.tk_row, dtype=np.int64) << 8
    assert rowbase.max() < 2**32  # row bases fit the uint32 premultiplied table
    arrays = {"nextmove": nextmove, "nextrow": rowbase[nextmove].astype(np.uint32), "rowbase": rowbase, "output": np.asarray(ident.tk_output, dtype=np.int64),
              "ptc": np.asarray(ident.nb_ptc).astype(np.float32), "pc": np.asarray(ident.nb_pc)}
    meta = {"classes": list(ident.nb_classes), "depth": automaton_depth(nextmove, rowbase)}
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    tmp.chmod(0o755)
    try:
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array)
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")  # last: marks the folder complete
        os.replace(tmp, folder)
    except OSError:  # another process wrote it first (or the folder is read-only): use theirs if there
        shutil.rmtree(tmp, ignore_errors=True)
        if not (folder / "meta.json").exists():
            raise
    return folder


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model()


def _encode(text: str) -> bytes:
    """The bytes py3langid scores a string by (its LanguageIdentifier._encode)."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def classify(text: str) -> str:
    """The language py3langid.classify gives ``text`` (its label only)."""
    model = _model()
    scores = model.scores(_encode(text))
    return model.classes[int(scores.argmax())]


def counts(text: str) -> collections.Counter:
    """Feature counts of ``text`` in first-occurrence order, as py3langid's ``visit_counts`` gives them."""
    feats = _model().output[_model().states(_encode(text))]
    return collections.Counter(int(f) for f in feats if f >= 0)
