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
answers on texts. ``classify_many`` scores many texts in one scan (joined by a
byte that takes the automaton back to its root), with the same answers.

The model's arrays are kept uncompressed in the cache folder
(``langid-<version>-<size>-v5/``, about 180 MB, written on first use) and
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
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .cache import cache_dir

__all__ = ["classify", "classify_many", "automaton_depth", "first_counts", "first_occurrences"]


class _Model:
    """py3langid's model as arrays: read from the cache folder, made there from py3langid's file the first time."""

    def __init__(self):
        folder = _cached_arrays()
        # plain arrays over the mapped file (numpy's memmap class slows every indexing down)
        arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.nextmove, self.rowbase, self.output = arrays["nextmove"], arrays["rowbase"], arrays["output"]
        self.nextrow = arrays["nextrow"]
        self.nextout = arrays["nextout"]  # output[nextmove] (int32): the last step gives the feature itself
        # ptc: py3langid's float16 table, kept as float32 (every float16 is a float32 exactly): numpy casts
        # the rows to float32 for py3langid's mixed product, and casting them per text was a tenth of the run
        self.ptc, self.pc = arrays["ptc"], np.asarray(arrays["pc"])
        self.classes, self.depth = meta["classes"], meta["depth"]
        self.features = len(self.ptc)
        rootrow = self.nextrow[self.rowbase[0]:self.rowbase[0] + 256].astype(np.intp)
        self.root2 = self.nextrow[(rootrow[:, None] + np.arange(256)).ravel()]  # [b0 << 8 | b1]: 2 steps
        # a byte that takes every state to the root (no feature string has it; 0xFF is never in UTF-8), whose
        # output is none: it stands for "before the text", so texts can be scanned together (see _last_steps)
        reset = [c for c in range(255, -1, -1) if not self.nextmove[self.rowbase + c].any()]
        if not reset or self.output[0] >= 0:
            raise RuntimeError("py3langid's model has no byte that resets its automaton: geo.langid needs one")
        self.reset = bytes([reset[0]])
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
        return self.nextmove[self._last_steps(self.reset * (self.depth - 1) + data)]

    def _last_steps(self, padded: bytes) -> np.ndarray:
        """Where in ``nextmove`` the state after each byte of ``padded`` from its ``depth``-th on is read.

        That state is found from the ``depth`` bytes up to it. The bytes before a text are the reset byte: it
        takes every state to the root, so a position near the text's start reads the root's state and then the
        text's first bytes, as the walk from the start does.
        """
        b = np.frombuffer(padded, dtype=np.uint8)
        n = len(b) - self.depth + 1
        # ``row`` holds each position's state as its row base (rowbase[state]), so that each step but the
        # last is one gather in ``nextrow`` (= rowbase[nextmove], the same step premultiplied) instead of two.
        # The first two steps from the root are one gather in ``root2`` (the row after each pair of bytes).
        # The sums go straight into one int64 index buffer and the gathers into ``row`` (np.take with out=):
        # numpy would otherwise cast each uint32 index array to intp and allocate every step's arrays.
        idx = np.left_shift(b[:n], 8, dtype=np.intp)
        np.add(idx, b[1:n + 1], out=idx)
        row = self.root2.take(idx)
        for k in range(2, self.depth - 1):
            np.add(row, b[k:k + n], out=idx)
            self.nextrow.take(idx, out=row)
        return np.add(row, b[self.depth - 1:], out=idx)           # the last step: nextmove[idx] is the state,
                                                                   # nextout[idx] its feature

    def scores(self, data: bytes) -> np.ndarray:
        """py3langid's raw scores of the encoded text ``data`` (its ``_decide``, aliases folded)."""
        return self.score_rows([data])[0]

    def labels(self, datas: Sequence[bytes]) -> list[str]:
        """The label of each of ``datas``: the class of its highest score (the first, on a tie, as argmax)."""
        classes = self.classes
        return [classes[i] for i in self.score_rows(datas).argmax(axis=1).tolist()]

    def scores_many(self, datas: Sequence[bytes]) -> list[np.ndarray]:
        """The scores of each of ``datas`` (the rows of :meth:`score_rows`)."""
        return list(self.score_rows(datas))

    def score_rows(self, datas: Sequence[bytes]) -> np.ndarray:
        """The scores of each of ``datas`` (a row each), found with one pass of numpy calls over all of them.

        A text's numpy calls cost more than their work when other code ran in between (their tables and code
        are out of the caches), so the texts are joined, each after the reset byte, and scanned together; each
        text's features are counted with its own (text, feature) values. Only the product with the table is
        made text by text, with the text's float32 weights and a new array of its rows in order: the operands
        of py3langid's product for the text alone (BLAS sums in an order that depends on the arrays). What
        comes before and after it is elementwise (log1p of the counts, + pc, the alias fold), so it is done
        on the whole batch at once: the same float32 operations on the same numbers.
        """
        rows = np.full((len(datas), len(self.classes)), self.floor, dtype=np.float32)  # no features: the floor
        if not datas:
            return rows
        joined = self.reset.join([self.reset * (self.depth - 2), *datas])
        ends = np.cumsum([len(d) + 1 for d in datas])                # each text's end (after its reset byte)
        feats = self.nextout.take(self._last_steps(joined))          # each byte's feature (or -1)
        pos = np.flatnonzero(feats >= 0)                             # the reset bytes have none
        # (text, feature) values: text k's features are the run of pos below its end (64 look-ups of the
        # ends in pos, rather than one per feature of which text it is in)
        runs = np.searchsorted(pos, ends)
        values = np.repeat(np.arange(len(datas)) * self.features, np.diff(runs, prepend=0))
        feats = feats[pos]
        values += feats
        first, count = first_occurrences(values)
        feats = feats[first]                                         # each text's features, in first occurrence
        bounds = [0] + np.searchsorted(first, runs).tolist()         # text k's: feats[bounds[k]:bounds[k + 1]]
        weights = np.log1p(count.astype(np.float32))                 # py3langid: log1p of float32 counts
        ptc = self.ptc
        for k in range(len(datas)):
            a, b = bounds[k], bounds[k + 1]
            if b > a:
                # float32 rows, as numpy casts them for py3langid's mixed product: same numbers
                rows[k] = weights[a:b] @ ptc.take(feats[a:b], axis=0)
        scored = np.flatnonzero(np.diff(bounds))
        rows[scored] += self.pc
        for i, j in self.aliases:  # a label listed twice keeps its better score, as py3langid folds them
            rows[:, i] = np.where(rows[:, j] > rows[:, i], rows[:, j], rows[:, i])  # max(i, j): i on a tie
            rows[:, j] = self.floor
        return rows


def first_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``values`` (non-negative int64) in order of first occurrence, and their counts.

    What ``collections.Counter(values)`` lists, as py3langid counts features (see :func:`first_occurrences`).
    """
    first, count = first_occurrences(values)
    return values[first], count


def first_occurrences(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index of each distinct value of ``values`` (non-negative int64) where it first occurs, in
    increasing order, and the value's count.

    Found by one sort of packed integers (np.unique with indices and counts, then an argsort of the indices,
    took three times as long). Sorting the keys (value, index) groups each value's indices, smallest first,
    so a group's first key gives the value's first index and the group's length its count. Writing each
    count at its value's first index of an array of zeros then lists the first indices in order: the
    nonzero places.
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
    shift = n.bit_length()                                         # every index is below 2**shift
    if int(values.max()).bit_length() + shift > 62:
        raise ValueError("first_occurrences: values and their indices too large to pack in 63 bits")
    low = (1 << shift) - 1
    key = np.left_shift(values, shift)
    key |= np.arange(n)
    key.sort()
    new = np.empty(n + 1, dtype=bool)                              # where a group starts (and the end)
    new[0] = new[n] = True
    np.greater(key[1:] ^ key[:-1], low, out=new[1:n])              # the value bits differ
    start = np.flatnonzero(new)
    at = np.zeros(n, dtype=np.int64)
    at[key[start[:-1]] & low] = np.diff(start)
    first = np.flatnonzero(at)
    return first, at[first]


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


_ARRAYS = ("nextmove", "nextrow", "nextout", "rowbase", "output", "ptc", "pc")


def _cached_arrays() -> Path:
    """The folder of the model's arrays (uncompressed, memory-mapped), written once per py3langid version.

    py3langid's own file is xz-compressed: reading it took about a second of every run.
    """
    from py3langid import langid

    model_file = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    stat = model_file.stat()
    folder = cache_dir() / f"langid-{version('py3langid')}-{stat.st_size}-v5"
    if (folder / "meta.json").exists():
        return folder
    ident = langid.LanguageIdentifier.from_model_file(model_file)
    nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.uint32)
    rowbase = np.asarray(ident.tk_row, dtype=np.int64) << 8
    assert rowbase.max() < 2**32  # row bases fit the uint32 premultiplied table
    output = np.asarray(ident.tk_output, dtype=np.int64)
    assert output.max() < 2**31  # features fit the int32 premultiplied output table
    arrays = {"nextmove": nextmove, "nextrow": rowbase[nextmove].astype(np.uint32), "nextout": output[nextmove].astype(np.int32),
              "rowbase": rowbase, "output": output,
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
    return classify_many([text])[0]


def classify_many(texts: Iterable[str]) -> list[str]:
    """``classify`` of each text, the texts scored in batches (fewer numpy calls; the same answers)."""
    model = _model()
    out: list[str] = []
    batch: list[bytes] = []
    size = 0
    for text in texts:
        data = _encode(text)
        if batch and (len(batch) == _BATCH_TEXTS or size + len(data) > _BATCH_BYTES):
            out += model.labels(batch)
            batch, size = [], 0
        batch.append(data)
        size += len(data) + 1
    if batch:
        out += model.labels(batch)
    return out


_BATCH_TEXTS, _BATCH_BYTES = 64, 1 << 22  # keeps (text, feature, index) keys well within 63 bits


def counts(text: str) -> collections.Counter:
    """Feature counts of ``text`` in first-occurrence order, as py3langid's ``visit_counts`` gives them."""
    feats = _model().output[_model().states(_encode(text))]
    return collections.Counter(int(f) for f in feats if f >= 0)
