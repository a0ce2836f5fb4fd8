"""The forms of short, informal text: headlines in Title Case, hashtags, @handles,
links, letters repeated for emphasis, texts written all in lower case.

Read by the recogniser's rules (:mod:`geo.rules`) for tweets, headlines and captions;
each function looks at the text alone (no gazetteer).

>>> hashtag_parts("#PrayForMexico", 0)
[(1, 'Pray'), (5, 'For'), (8, 'Mexico')]
>>> [text[s:e] for text in ["see @Chicago_PD now"] for s, e in handles_and_links(text)]
['@Chicago_PD']
>>> squeezed("Miamiiii")
'Miami'
"""
from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["title_case_line", "hashtags", "hashtag_parts", "handles_and_links", "repeated_words", "squeezed", "POST_CHARS",
           "lower_case_text", "tripled"]

_LOWER_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_A-Z][^\W\d_]{3,}")  # a word of four letters or more, not capitalised
_WORD = re.compile(r"[^\W\d_]{4,}")  # words of four letters or more: headlines leave "of", "to", "in" small
_HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_][^\W_]*)")
_CAMEL = re.compile(r"[A-ZÁÉÍÓÚÑÜ]+(?![a-záéíóúñü])|[A-ZÁÉÍÓÚÑÜ]?[a-záéíóúñü]+|\d+")
# an @handle, or a link (with its scheme, or www.)
_HANDLE_LINK = re.compile(r"(?<!\w)@\w+|\b(?:https?://|www\.)\S+")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}$")
POST_CHARS = 2200  # the longest post or caption (Instagram's limit; a tweet is 280): where spelling is free
_TRIPLE = re.compile(r"([^\W\d_])\1\1")
# a capitalised word ending in a letter written three times or more ("Miamiiii")
_REPEATED_WORD = re.compile(r"(?<![\w'’-])[^\W\d_a-z][^\W\d_]*?([^\W\d_])\1{2,}(?![\w'’-])")


def title_case_line(text: str, pos: int, is_word: Callable[[str], bool] = lambda w: True) -> tuple[int, bool]:
    """The start of the line of ``text`` at offset ``pos``, and whether it is written in
    Title Case: at least four words of four letters or more, all capitalised, not all
    in capitals, and most of them words of the language by ``is_word`` ("Storm Batters
    Florida Panhandle, Cuts Power To Thousands"; not a line of names, "Rosa Elvira
    Vargas, Tomás Ibarra Chávez")."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    if _LOWER_WORD.search(line):  # (most lines of running text stop here)
        return start, False
    words = _WORD.findall(line)
    return start, len(words) >= 4 and not all(w.isupper() for w in words) and 2 * sum(map(is_word, words)) > len(words)


def hashtags(text: str) -> list[tuple[int, str]]:
    """Each hashtag's offset (of its first letter, after the "#") and its word."""
    return [(m.start(1), m.group(1)) for m in _HASHTAG.finditer(text)]


def hashtag_parts(tag: str, start: int) -> list[tuple[int, str]]:
    """A hashtag's words as written in CamelCase, with their offsets (``start``: the "#")."""
    return [(start + 1 + m.start(), m.group()) for m in _CAMEL.finditer(tag.lstrip("#"))]


def handles_and_links(text: str) -> list[tuple[int, int]]:
    """Spans of @handles (an account's name, no place: "@ChicagoPD") and links."""
    return [m.span() for m in _HANDLE_LINK.finditer(text)] if ("@" in text or "://" in text or "www." in text) else []


def repeated_words(text: str) -> list[tuple[int, str]]:
    """Capitalised words ending in a letter repeated for emphasis, with their offsets
    ("Miamiiii here we come" -> [(0, "Miamiiii")]), in a text no longer than a post
    (:data:`POST_CHARS`)."""
    if len(text) > POST_CHARS or not _TRIPLE.search(text):  # (edited text spells its words)
        return []
    return [(m.start(), m.group()) for m in _REPEATED_WORD.finditer(text) if m.group()[0].isupper()]


def tripled(word: str) -> bool:
    """Whether a word holds a letter written three times in a row: a text holds such a letter
    exactly when one of its tokens does (:func:`geo.tokens.tokenize` never splits a run of
    letters), so :func:`repeated_words` finds nothing in a text none of whose words is tripled."""
    return _TRIPLE.search(word) is not None


def squeezed(word: str) -> str:
    """The word without a letter repeated for emphasis at its end ("Miamiiii" -> "Miami")."""
    return _REPEAT.sub(r"\1", word)


def lower_case_text(tokens: list) -> bool:
    """Whether a text is written in lower case, as posts are: no capitalised word but at a
    sentence's start, and a few words at least (tokens of :func:`geo.tokens.tokenize`)."""
    words = 0
    for t in tokens:
        if t.cap and not t.sent_start:
            return False
        words += t.text[0].isalpha()
    return words >= 3
