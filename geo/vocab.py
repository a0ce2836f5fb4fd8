"""Which of a document's words a rule can fire on, found at C speed.

Several of the recogniser's rules (:mod:`geo.rules`) look for a few words in the whole
text: demonyms in lower case, places written in lower case, the generic words of
rivers and ranges. Walking every token in Python to find them costs more than what
the rules then do. Instead each such rule names a test of a word as written (its
*trigger*: the words it may act on), and a :class:`Vocabulary` answers, for the set of
a document's distinct words (``set(token_texts(tokens))``), the ones that pass: every distinct word is tested once
(the set of words already tested grows to the size of the vocabulary read, bounded),
and the rest is set arithmetic, done in C. The rule then visits only the positions of
those words (:func:`positions`), with its own per-token test unchanged.

A rule so filtered gives the same answer as its whole-text walk only if its trigger
is a superset of what its per-token test accepts; each filtered rule says why its
trigger is, and ``tests/test_vocab.py`` checks the two paths agree.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress
from operator import itemgetter
from weakref import WeakKeyDictionary

from .gazetteer import name_key

__all__ = ["Vocabulary", "vocabulary", "positions", "token_texts", "word_key"]

_TEXT = itemgetter(0)  # a token's text


class Vocabulary:
    """The words that pass ``test``, among the words asked about so far.

    ``among(words)`` returns those of ``words`` (a set) that pass; each word is
    tested once, until ``limit`` words have been tested, when both sets start afresh
    (memory stays bounded on endless input; the answers are the same).
    """
    __slots__ = ("test", "limit", "_seen", "_hits")

    def __init__(self, test: Callable[[str], bool], limit: int = 200_000):
        self.test = test
        self.limit = limit
        self._seen: set[str] = set()
        self._hits: set[str] = set()

    def among(self, words: set[str]) -> set[str]:
        new = words.difference(self._seen)  # (iterates the document's words, not the vocabulary)
        if new:
            if len(self._seen) > self.limit:
                self._seen.clear()
                self._hits.clear()
                new = words
            test = self.test
            self._hits.update(w for w in new if test(w))
            self._seen.update(new)
        return words & self._hits  # (iterates the smaller of the two)


_OWNED: WeakKeyDictionary = WeakKeyDictionary()  # owner -> {key: Vocabulary}


def vocabulary(owner: object, key: object, test: Callable[[], Callable[[str], bool]]) -> Vocabulary:
    """The :class:`Vocabulary` kept for ``owner`` (e.g. a recogniser, whose gazetteer the test
    reads) under ``key``; made with the test ``test()`` returns the first time, and gone
    with the owner."""
    mine = _OWNED.get(owner)
    if mine is None:
        mine = _OWNED[owner] = {}
    hit = mine.get(key)
    if hit is None:
        hit = mine[key] = Vocabulary(test())
    return hit


def word_key(word: str) -> str:
    """:func:`geo.gazetteer.name_key` of one word, at less cost for most words.

    A word of ASCII letters in lower case is its own key: Unicode decomposition, the
    letter table, case folding, the dots and spaces all leave it as it is. Testing
    every distinct word of a corpus (:class:`Vocabulary`), this saves folding most of them.
    """
    if word.isascii() and word.isalpha() and word.islower():
        return word
    return name_key(word)


def token_texts(tokens: Iterable) -> list[str]:
    """The texts of ``tokens``, in order."""
    return list(map(_TEXT, tokens))


def positions(texts: list[str], words: set[str]) -> list[int]:
    """Indices of the texts (:func:`token_texts`) that are one of ``words``, in order."""
    if not words:
        return []
    return list(compress(range(len(texts)), map(words.__contains__, texts)))
