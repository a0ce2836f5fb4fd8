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
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .cache import cache_dir

__all__ = ["classify", "classify_many", "automaton_depth", "first_counts"]


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
        self.features = len(self.ptc)
        self.rootrow = np.ascontiguousarray(self.nextrow[self.rowbase[0]:self.rowbase[0] + 256])
        # a byte that takes every state to the root (no feature string has it; 0xFF is never in UTF-8), whose
        # output is none: it stands for "before the text", so texts can be scanned together (see _states)
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
        return self._states(self.reset * (self.depth - 1) + data)

    def _states(self, padded: bytes) -> np.ndarray:
        """The state after each byte of ``padded`` from its ``depth``-th on, found from the ``depth`` bytes up to it.

        The bytes before a text are the reset byte: it takes every state to the root, so a position near the
        text's start reads the root's state and then the text's first bytes, as the walk from the start does.
        """
        b = np.frombuffer(padded, dtype=np.uint8)
        n = len(b) - self.depth + 1
        # ``row`` holds each position's state as its row base (rowbase[state]), so that each step but the
        # last is one gather in ``nextrow`` (= rowbase[nextmove], the same step premultiplied) instead of two
        row = self.rootrow[b[:n]]                                    # step 0, from the root
        for k in range(1, self.depth - 1):
            row = self.nextrow[row + b[k:k + n]]
        return self.nextmove[row + b[self.depth - 1:]]               # the last step gives the state itself

    def scores(self, data: bytes) -> np.ndarray:
        """py3langid's raw scores of the encoded text ``data`` (its ``_decide``, aliases folded)."""
        feats = self.output[self.states(data)]
        feats = feats[feats >= 0]
        if len(feats):
            idx, count = first_counts(feats)
            # float32 rows, as numpy casts them for py3langid's mixed product: same numbers
            scores = np.log1p(count.astype(np.float32)) @ self.ptc.take(idx, axis=0) + self.pc
        else:
            scores = np.full(len(self.classes), self.floor, dtype=np.float32)
        return self._fold_aliases(scores)

    def _fold_aliases(self, scores: np.ndarray) -> np.ndarray:
        for i, j in self.aliases:  # a label listed twice keeps its better score, as py3langid folds them
            scores[i] = max(scores[i], scores[j])
            scores[j] = self.floor
        return scores

    def labels(self, datas: Sequence[bytes]) -> list[str]:
        """The label of each of ``datas``: the class of its highest score (the first, on a tie, as argmax)."""
        return [self.classes[int(scores.argmax())] for scores in self.scores_many(datas)]

    def scores_many(self, datas: Sequence[bytes]) -> list[np.ndarray]:
        """The scores of each of ``datas``, found with one pass of numpy calls over all of them.

        A text's numpy calls cost more than their work when other code ran in between (their tables and code
        are out of the caches), so the texts are joined, each after the reset byte, and scanned together; each
        text's features are counted with its own (text, feature) values. Only the product with the table is
        made text by text, on arrays equal to those of a text scored alone (BLAS sums in an order that depends
        on the arrays), so each text's scores are those py3langid gives it alone.
        """
        if len(datas) < 2:  # one text: the same answer with fewer calls
            return [self.scores(data) for data in datas]
        joined = self.reset.join([self.reset * (self.depth - 2), *datas])
        starts = np.cumsum([0] + [len(d) + 1 for d in datas[:-1]])   # each text's first byte in the scan
        feats = self.output[self._states(joined)]
        pos = np.flatnonzero(feats >= 0)                             # the reset bytes have none
        text = np.searchsorted(starts, pos, side="right") - 1
        values, count = first_counts(text * self.features + feats[pos], pos)
        bounds = np.searchsorted(values // self.features, np.arange(len(datas) + 1))
        out = []
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            if b > a:
                # a new float32 array of the text's counts, and its rows in order: what scores() multiplies
                weights = np.log1p(count[a:b].astype(np.float32))
                scores = weights @ self.ptc.take(values[a:b] % self.features, axis=0) + self.pc
            else:
                scores = np.full(len(self.classes), self.floor, dtype=np.float32)
            out.append(self._fold_aliases(scores))
        return out


def first_counts(values: np.ndarray, positions: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``values`` (non-negative int64) in order of first occurrence, and their counts.

    What ``collections.Counter(values)`` lists, as py3langid counts features, found by two sorts of packed
    integers (np.unique with indices and counts, then an argsort of the indices, took three times as long).
    ``positions``: the values' increasing positions (default 0, 1, 2...). Sorting the keys (value, position)
    groups each value's positions, smallest first, so a group's first key gives the value's first position
    and the group's length its count; sorting the keys (first position, count) then lists the groups in
    order of first occurrence (no two share a first position).
    """
    n = len(values)
    given = positions is not None
    if not given:
        positions = np.arange(n)
    if n == 0:
        return values[:0], positions[:0]
    shift = max(n, int(positions[-1]) + 1).bit_length()           # every position and count is below 2**shift
    if int(values.max()).bit_length() + shift > 62:
        raise ValueError("first_counts: values and positions too large to pack in 63 bits")
    low = (1 << shift) - 1
    key = (values << shift) | positions
    key.sort()
    value = key >> shift
    new = np.empty(n, dtype=bool)                                  # where a group starts
    new[0] = True
    np.not_equal(value[1:], value[:-1], out=new[1:])
    start = np.flatnonzero(new)
    group = ((key[start] & low) << shift) | np.diff(start, append=n)
    group.sort()
    first = group >> shift                                         # each value's first position, in order
    return values[np.searchsorted(positions, first) if given else first], group & low


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


_BATCH_TEXTS, _BATCH_BYTES = 64, 1 << 22  # keeps (text, feature, position) keys well within 63 bits


def counts(text: str) -> collections.Counter:
    """Feature counts of ``text`` in first-occurrence order, as py3langid's ``visit_counts`` gives them."""
    feats = _model().output[_model().states(_encode(text))]
    return collections.Counter(int(f) for f in feats if f >= 0)
