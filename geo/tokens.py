"""Splitting text into tokens, sentences and runs of capitalised words.

The recogniser reads a text as :class:`Token` s (:func:`tokenize`): words, numbers,
abbreviations with dots and single other characters, each with its offsets and
whether it is capitalised, in capitals, or the first word of a sentence or line.
:func:`capitalised_runs` groups them into the runs of capitals (with their inner
connectors, "Ciudad de México") that may name a place.

>>> [t.text for t in tokenize("Llegó a EE.UU. desde Winston-Salem.")]
['Llegó', 'a', 'EE.UU.', 'desde', 'Winston-Salem', '.']
"""
from __future__ import annotations

import re
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

__all__ = ["Token", "tokenize", "hyphen_parts", "capitalised_runs", "connector_at", "elided", "NAME_ABBREVIATIONS", "SENTENCE_END"]

# A token: an abbreviation with dots ("EE.UU.", "U.S.A."), or a word (letters,
# inner apostrophes and hyphens), or a number, or a single other character.
_TOKEN = re.compile(
    r"(?:[^\W\d_]{1,3}\.){2,}"
    r"|[^\W\d_]\.(?=\s[^\W\d_])"  # an initial: "Lawrence R. Klein"
    r"|[^\W\d_]+(?:(?:['’](?![sS]\b)|\-)[^\W\d_]+)*"
    r"|\d+"
    r"|\S",
)
# Characters after which the next word opens a sentence (or a quotation, a bracket, an aside).
SENTENCE_END = frozenset({".", "!", "?", "…", ":", ";", "\"", "“", "”", "«", "»", "(", ")", "—", "–"})


class Token(NamedTuple):  # a tuple: made once per word, so cheap to build
    text: str
    start: int
    end: int
    cap: bool          # starts with a capital letter
    upper: bool        # all capitals
    sent_start: bool   # first word of a sentence or line


# the blanks before each token, and the token: findall gives both as strings, with no match objects
# (only blanks lie between tokens, since any other character is a token of its own).
# The same tokens as _TOKEN gives, from a pattern written for speed (a third less time in findall):
# * a plain word first: a run of letters followed by none of . ' ’ - is what the word alternatives below
#   would match there (an abbreviation or an initial needs a dot after its letters, and a word goes on
#   only after an apostrophe or a hyphen), found without trying them;
# * the three word alternatives share their first letter, taken once (it matches one character either
#   way, so the alternatives are still tried in the same order from the same place);
# * the quantifiers are possessive where nothing after them could take back what they matched (blanks
#   before a token, which never starts with a blank; letters and digits at a token's end).
# tests/test_tokens.py checks that both patterns give the same tokens.
_L = r"[^\W\d_]"  # a letter
_FAST_TOKEN = (
    _L + r"++(?![.'’\-])"  # a plain word
    r"|" + _L + r"(?:" + _L + r"{0,2}\.(?:" + _L + r"{1,3}\.)+"  # "EE.UU.", "U.S.A."
    r"|\.(?=\s" + _L + r")"  # an initial
    r"|" + _L + r"*+(?:(?:['’](?![sS]\b)|\-)" + _L + r"+)*+)"  # a word with apostrophes or hyphens
    r"|\d++"
    r"|\S"
)
_GAP_TOKEN = re.compile(r"(\s*+)(" + _FAST_TOKEN + ")")
# ... and with plain words that open with a lower-case letter (of the Latin alphabets, where most text
# is) in a group of their own: not capitalised, not in capitals (each has a lower-case letter) and without
# a hyphen, they need none of the tests the loop makes of other tokens. The group takes a whole run of
# such words separated by single spaces ("the mayor said that"): str.split(" ") cuts it in C, and findall
# makes one match where it made one per word (a run of 5 words on average in news). Each word of the run is
# what the lower-case alternative would match at its place (it goes on to the next word only over one
# space, the blank that would be its gap), so the tokens are the same.
_LOWER = "[" + "".join(c for c in map(chr, range(0x250)) if c.islower() and c.isalpha()) + "]"
_LOWER_WORD = _LOWER + _L + r"*+(?![.'’\-])"
_GAP_LOWER_TOKEN = re.compile(r"(\s*+)(?:(" + _LOWER_WORD + r"(?: " + _LOWER_WORD + r")*+)|(" + _FAST_TOKEN + "))")
_CAP = itemgetter(3)  # a token's cap
_new_token = tuple.__new__  # Token's own __new__ is a Python function: this one is C (same tuple)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order, with exact offsets.

    A word after a sentence's end (see :data:`SENTENCE_END`) or a line break opens a
    sentence; a comma keeps it going. Hyphenated words are split by :func:`hyphen_parts`.
    """
    tokens: list[Token] = []
    append = tokens.append
    sent_start = True
    end = 0
    for gap, lower, tok in _GAP_LOWER_TOKEN.findall(text):
        if lower:  # plain words in lower case (most words), one or more, single-spaced
            start = end + len(gap)
            if "\n" in gap:
                sent_start = True
            if " " in lower:
                for word in lower.split(" "):
                    end = start + len(word)
                    append(_new_token(Token, (word, start, end, False, False, sent_start)))
                    sent_start = False
                    start = end + 1  # (over the one space)
                continue
            end = start + len(lower)
            append(_new_token(Token, (lower, start, end, False, False, sent_start)))
            sent_start = False
            continue
        start = end + len(gap)
        end = start + len(tok)
        if not tok[0].isalpha():
            if tok in SENTENCE_END:
                sent_start = True
            elif tok == ",":  # "(CONFIEP), Roque Benavides": the sentence goes on
                sent_start = False
            append(_new_token(Token, (tok, start, end, False, False, False)))
            continue
        if "\n" in gap:  # a line break before a word starts a new "sentence" (titles, lists)
            sent_start = True
        if "-" in tok:
            for pstart, part in hyphen_parts(tok, start):
                # all capitals (a bare hyphen counts as such, having no letters)
                append(_new_token(Token, (part, pstart, pstart + len(part), part[0].isupper(),
                                          part.isupper() or part == "-", sent_start)))
                sent_start = False
            continue
        append(_new_token(Token, (tok, start, end, tok[0].isupper(), tok.isupper(), sent_start)))
        sent_start = False
    return tokens


def hyphen_parts(tok: str, start: int) -> list[tuple[int, str]]:
    """Split "Atlanta-area" and "Mexico-based" at the hyphen; keep "Winston-Salem" whole.

    A hyphenated word with a lower-case part is a compound around a name; one
    with only capitalised parts is usually a name of its own. The hyphen itself
    becomes a token so offsets stay exact.

    >>> hyphen_parts("Mexico-based", 10)
    [(10, 'Mexico'), (16, '-'), (17, 'based')]
    """
    if "-" not in tok:
        return [(start, tok)]
    parts = re.split(r"(-)", tok)
    if all(p[:1].isupper() for p in parts[::2]):
        return [(start, tok)]
    out, pos = [], start
    for p in parts:
        if p:
            out.append((pos, p))
        pos += len(p)
    return out


def capitalised_runs(tokens: list[Token], text: str, connectors: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens as token index ranges, on one line, single-spaced.

    Lower-case ``connectors`` (word sequences such as ``("de", "la")``) keep a run going
    when a capitalised word follows them ("Ciudad de México", "Isle of Man"), and so
    does an elided article before a capital ("Côte d'Ivoire"); a run may open with
    an abbreviation and its dot ("St. Louis", "Ft. Worth").
    """
    runs = []
    n = len(tokens)
    by_first = _connector_index(connectors)
    j = 0
    # runs start only at capitalised tokens: their indices, found at C speed
    for i in compress(range(n), map(_CAP, tokens)):
        if i < j:  # inside the run before
            continue
        j = i + 1
        while j < n:
            t = tokens[j]
            gap_start = tokens[j - 1].end
            # single-spaced or touching: the blanks between are "" or " " (so no line break either)
            if t.start != gap_start and (t.start != gap_start + 1 or text[gap_start] != " "):
                break
            w = t.text
            if t.cap or elided(w):
                j += 1
                continue
            # "St. Louis", "Ft. Worth": an abbreviated first word and its dot
            if j == i + 1 and w == "." and tokens[i].text in NAME_ABBREVIATIONS and j + 1 < n \
                    and tokens[j + 1].cap and text[t.end:tokens[j + 1].start] == " ":
                j += 2
                continue
            # connectors followed by a capitalised word keep the run going ("de la República")
            # (most words start no connector: the index says so before connector_at is called)
            seq = connector_at(tokens, text, j, connectors) if w in by_first else 0
            if seq and j + seq < n and tokens[j + seq].cap:
                j += seq + 1
                continue
            break
        runs.append((i, j))
    return runs


NAME_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft"})  # first words of place names written short


def elided(word: str) -> bool:
    """A French or Italian elided article before a capital: "d'Ivoire", "l’Aquila"."""
    return len(word) > 2 and word[0] in "dl" and word[1] in "'’" and word[2].isupper()


def connector_at(tokens: list[Token], text: str, j: int, connectors: frozenset[tuple[str, ...]]) -> int:
    """Length of the longest connector sequence starting at token j (0 if none)."""
    best = 0
    for seq in _connector_index(connectors).get(tokens[j].text, ()):
        k = len(seq)
        if j + k <= len(tokens) and all(tokens[j + x].text == w for x, w in enumerate(seq)) and all(
                text[tokens[j + x].end:tokens[j + x + 1].start] == " " for x in range(k) if j + x + 1 < len(tokens)):
            best = max(best, k)
    return best


_CONNECTOR_INDEX: dict[frozenset, dict[str, list[tuple[str, ...]]]] = {}  # connectors -> first word -> sequences


def _connector_index(connectors: frozenset[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """The connector sequences by their first word (made once per set of connectors)."""
    by_first = _CONNECTOR_INDEX.get(connectors)
    if by_first is None:
        by_first = _CONNECTOR_INDEX[connectors] = {}
        for seq in connectors:
            by_first.setdefault(seq[0], []).append(seq)
    return by_first
