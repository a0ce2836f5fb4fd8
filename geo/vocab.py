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

    Vocabularies kept for one owner (:func:`vocabulary`) share one record of the words
    seen (a :class:`_Words`): a document's new words are found once for all of them, and
    when the same frozenset of words is asked about again (the rules of one document ask
    about ``Reading.distinct_words()``), not at all. A vocabulary made on its own has a
    record of its own.
    """
    __slots__ = ("test", "_hits", "_words")

    def __init__(self, test: Callable[[str], bool], limit: int = 200_000, *, words: "_Words | None" = None):
        self.test = test
        self._hits: set[str] = set()
        self._words = _Words(limit) if words is None else words
        self._words.join(self)

    @property
    def limit(self) -> int:
        return self._words.limit

    def among(self, words: set[str] | frozenset[str]) -> set[str]:
        self._words.read(words)
        return words & self._hits  # (iterates the smaller of the two)


class _Words:
    """The words seen by a group of vocabularies, each tested by all of them when first seen."""
    __slots__ = ("limit", "members", "_seen", "_last")

    def __init__(self, limit: int):
        self.limit = limit
        self.members: list[Vocabulary] = []
        self._seen: set[str] = set()
        self._last: frozenset[str] | None = None  # the frozenset read last (held, so no other has its id)

    def join(self, member: Vocabulary) -> None:
        """Add a vocabulary: the group starts afresh, so that it too tests every word it is asked about."""
        self.members.append(member)
        self._forget()

    def _forget(self) -> None:
        self._seen.clear()
        self._last = None
        for member in self.members:
            member._hits.clear()

    def read(self, words: set[str] | frozenset[str]) -> None:
        """Test the words not seen before with every member."""
        if words is self._last:  # (a frozenset cannot change: its words were read)
            return
        new = words.difference(self._seen)  # (iterates the document's words, not the vocabulary)
        if new:
            if len(self._seen) > self.limit:
                self._forget()
                new = words
            for member in self.members:
                member._hits.update(filter(member.test, new))
            self._seen.update(new)
        self._last = words if type(words) is frozenset else None


_OWNED: WeakKeyDictionary = WeakKeyDictionary()  # owner -> ({key: Vocabulary}, {group: _Words})


def vocabulary(owner: object, key: object, test: Callable[[], Callable[[str], bool]], group: object = None) -> Vocabulary:
    """The :class:`Vocabulary` kept for ``owner`` (e.g. a recogniser, whose gazetteer the test
    reads) under ``key``; made with the test ``test()`` returns the first time, and gone
    with the owner. The owner's vocabularies of one ``group`` (a language: a document is read
    in one) share their record of the words seen; each group has its own vocabulary of a key."""
    mine = _OWNED.get(owner)
    if mine is None:
        mine = _OWNED[owner] = ({}, {})
    hit = mine[0].get((key, group))
    if hit is None:
        record = mine[1].get(group)
        if record is None:
            record = mine[1][group] = _Words(200_000)
        hit = mine[0][(key, group)] = Vocabulary(test(), words=record)
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
