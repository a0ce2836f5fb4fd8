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
"""
from __future__ import annotations

import collections
import functools
import unicodedata

import numpy as np

__all__ = ["classify", "automaton_depth"]


class _Model:
    def __init__(self):
        from py3langid import langid

        ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
        self.nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.uint32)  # a view: no copy of its 39 MB
        self.rowbase = np.asarray(ident.tk_row, dtype=np.int64) << 8
        self.output = np.asarray(ident.tk_output, dtype=np.int64)
        self.ptc, self.pc, self.classes = ident.nb_ptc, ident.nb_pc, list(ident.nb_classes)
        first: dict[str, int] = {}
        self.aliases = []  # (first column, duplicate column) of labels listed twice, as py3langid folds them
        for i, c in enumerate(self.classes):
            if c in first:
                self.aliases.append((first[c], i))
            else:
                first[c] = i
        self.depth = automaton_depth(self.nextmove, self.rowbase)
        self.floor = float(np.finfo(np.float32).min)

    def states(self, data: bytes) -> np.ndarray:
        """The automaton's state after each byte of ``data`` (as its own byte-by-byte walk gives it)."""
        b = np.frombuffer(data, dtype=np.uint8)
        state = np.zeros(len(b), dtype=np.uint32)
        # step k: position i reads byte i - depth + 1 + k; positions near the start read from byte 0
        for k in range(self.depth):
            lag = self.depth - 1 - k
            if lag >= len(b):
                continue
            state[lag:] = self.nextmove[self.rowbase[state[lag:]] + b[:len(b) - lag]]
        return state

    def scores(self, data: bytes) -> np.ndarray:
        feats = self.output[self.states(data)]
        feats = feats[feats >= 0]
        if len(feats):
            seen = collections.Counter(feats.tolist())  # in order of first occurrence, as py3langid counts
            idx = np.fromiter(seen.keys(), dtype=np.intp, count=len(seen))
            weights = np.log1p(np.fromiter(seen.values(), dtype=np.float32, count=len(seen)))
            scores = weights @ self.ptc.take(idx, axis=0) + self.pc
        else:
            scores = np.full(len(self.classes), self.floor, dtype=np.float32)
        for i, j in self.aliases:
            scores[i] = max(scores[i], scores[j])
            scores[j] = self.floor
        return scores


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
