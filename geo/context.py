"""Context cues: the words around a capitalised span that say what it names.

Pure functions of the tokens (:mod:`geo.tokens`) or the text around a span, used by
the recogniser's rules (:mod:`geo.rules`): a title or place word before it ("the town
of X", "near X"), a club word or a score beside it ("FC Barcelona", "Ourense 86 -
Menorca 69"), a dateline's punctuation after it ("WASHINGTON —", "Palma, 23 may
(EFE)"), a quotation around it («El Torreón»). :mod:`geo.cues` holds the resolver's
cues, which choose among the places a name may mean.

The word lists they read are data in ``geo/data/words/`` (:mod:`geo.wordlists`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from bisect import bisect_left
from operator import itemgetter

from .gazetteer import name_key
from .model import Kind
from .tokens import Token
from .wordlists import pairs, words

__all__ = ["cue_before", "admin_after", "news_dateline", "is_dateline", "opens_dateline", "locative_before",
           "in_quoted_name", "club_context", "club_article", "club_word", "score_at", "match_result", "year_after",
           "names_a_disease", "affiliation", "article_phrase", "nicknamed_people",
           "LOCAL_CUES", "OFFICES", "PLACE_CUES", "CLUB_PREFIXES", "CLUB_SUFFIXES", "NATIONAL_SIDES", "LOCATIVES",
           "NEAR_CUES", "RESULT_VERBS", "DISEASE_NOUNS", "MONTHS", "NEWS_AGENCIES"]

# The word lists (geo/data/words/, each file says what it holds and why)
LOCAL_CUES = words("local_cues")  # "colonia Beltrones"
OFFICES = words("offices")  # "alcalde de Jerez"
PLACE_CUES = words("place_cues")  # "the town of X"
CLUB_PREFIXES = words("club_prefixes")  # "FC Barcelona"
CLUB_SUFFIXES = words("club_suffixes")  # "Leeds United"
NATIONAL_SIDES = words("national_sides")  # "la selección de Brasil"
LOCATIVES = words("locatives")  # "en Barcelona"
NEAR_CUES = words("near_cues")  # "north of X"


def article_phrase(tokens: list[Token], ti: int, tj: int, words: list[Token], lang: str, gazetteer) -> bool:
    """A Spanish article and common nouns open a sentence ("El Consejo", "La Junta"), with
    no preposition of place or place word before: the subject of the sentence, not a
    village that happens to bear the phrase."""
    return (lang == "es" and tokens[ti].sent_start and tokens[ti].text in ("El", "La", "Los", "Las")
            and len(words) >= 2 and all(gazetteer.is_common_word(t.text, lang) for t in words)
            and not cue_before(tokens, ti))


_OPEN_QUOTES = {"“", '"', "«", "‘"}


_CLOSE_QUOTES = {"”", '"', "»", "’"}


def nicknamed_people(tokens: list[Token], first_names: frozenset[str], text: str) -> set[int]:
    """Token indices of names with a nickname: Orlando “Siri” Salido, Joaquín “El Chapo” Guzmán.

    ``text`` is the text the tokens were read from."""
    out: set[int] = set()
    n = len(tokens)
    # the opening quotes, found in the text at C speed (str.find), and their tokens by bisection
    # over the tokens' starts: a quote is always a token of its own, so each quote token is found
    # (a quote that starts no token is skipped); the order they are taken in does not matter
    for quote in _OPEN_QUOTES:
        at = text.find(quote)
        while at >= 0:
            q, pos = bisect_left(tokens, at, key=_START), at
            at = text.find(quote, at + 1)
            if not (1 <= q <= n - 3 and tokens[q].start == pos and tokens[q].text == quote):  # (a word before, two tokens after)
                continue
            i = q - 1  # the word before the quote
            if not (tokens[i].cap and name_key(tokens[i].text) in first_names):
                continue
            j = i + 2
            while j < n and j - i < 7 and tokens[j].cap:
                j += 1
            if j < n and j > i + 2 and tokens[j].text in _CLOSE_QUOTES:
                end = j + 1
                while end < n and tokens[end].cap:
                    end += 1
                out.update(range(i, end))
    return out


_START = itemgetter(1)  # a token's start


_DASHES = {"-", "–", "—"}


def club_context(tokens: list[Token], ti: int, tj: int) -> str:
    """How the span names a sports team, or "".

    "name": a club word before or after it ("FC Barcelona", "BM. Granollers",
    "Mérida CP", "Leeds United") or a national side ("la selección de Brasil");
    "score": a score beside it ("Ourense 86 - Menorca 69", "Gales, 0 - Brasil,
    3", "3 - Brasil:").
    """
    # (asked of every candidate place: a club word is capitalised, so the lower-case
    # words around most places are passed over before the word lists are asked)
    n = len(tokens)
    if ti > 0:
        prev = tokens[ti - 1]
        if ti > 1 and (prev.text == "." or prev.text.lower() in ("de", "del")):
            prev = tokens[ti - 2]  # "FC. Barcelona", "Atlético de Madrid", "Racing de Santander"
        if prev.cap and club_word(prev, CLUB_PREFIXES):
            return "name"
    nxt = tokens[tj] if tj < n else None
    if nxt is not None and nxt.cap and club_word(nxt, CLUB_SUFFIXES):
        return "name"
    if ti >= 2 and tokens[ti - 1].text in ("de", "del") and tokens[ti - 2].text.lower() in NATIONAL_SIDES:
        return "name"
    j = tj + (nxt is not None and nxt.text == ",")
    scored = score_at(tokens, j)
    if scored and j + 1 < n and tokens[j + 1].text in _DASHES:
        return "score"  # "Ourense 86 -"
    if ti >= 2 and tokens[ti - 1].text in _DASHES and score_at(tokens, ti - 2) and (
            scored or (nxt is not None and nxt.text == ":")):
        return "score"  # "- Menorca 69", "3 - Brasil:"
    return ""


# English verbs of a game's result: the names on either side are teams ("the Lakers beat Boston")
RESULT_VERBS = words("result_verbs")


_RESULT_OBJECT = pairs("result_objects")  # "lost to", "drew with"


def match_result(tokens: list[Token], ti: int, tj: int) -> bool:
    """The span stands on one side of a game's result, with a capitalised name on the
    other: "Manchester United beat Liverpool", "the Lakers beat Boston", "Boston lost to
    the Lakers". Places do not beat each other; teams named after them do."""
    def name_at(k: int, step: int) -> bool:
        if 0 <= k < len(tokens) and tokens[k].text.lower() == "the":
            k += step if step > 0 else 0
        return 0 <= k < len(tokens) and tokens[k].cap and tokens[k].text.isalpha() and not tokens[k].sent_start
    if tj < len(tokens) and tokens[tj].text in RESULT_VERBS:  # subject
        k = tj + 1
        if tokens[tj].text in _RESULT_OBJECT and k < len(tokens) and tokens[k].text == _RESULT_OBJECT[tokens[tj].text]:
            k += 1
        return name_at(k, 1)
    k = ti - 1  # object
    if k >= 1 and tokens[k].text in _RESULT_OBJECT.values() and tokens[k - 1].text in _RESULT_OBJECT:
        k -= 1
    if k >= 1 and tokens[k].text in RESULT_VERBS:
        j = k - 1
        return j >= 0 and tokens[j].cap and tokens[j].text.isalpha()
    return False


def year_after(tokens: list[Token], tj: int) -> bool:
    """A year right after the name, in the same run of words: "Perú 2000", "Barcelona '92"."""
    if tj + 1 < len(tokens) and tokens[tj].text in ("'", "’") and tokens[tj + 1].text.isdigit():
        return len(tokens[tj + 1].text) == 2 and tokens[tj].start == tokens[tj - 1].end + 1
    if tj + 2 < len(tokens) and tokens[tj + 1].text in _DASHES and tokens[tj + 2].text.isdigit():
        return False  # "el Distrito Federal 2012-2013": a period, not a name
    return (tj < len(tokens) and tokens[tj].text.isdigit() and len(tokens[tj].text) == 4
            and tokens[tj].text[:2] in ("19", "20") and tokens[tj].start == tokens[tj - 1].end + 1
            and (tj + 1 == len(tokens) or not tokens[tj + 1].text.isalpha() or tokens[tj + 1].cap))


_QUOTES = {'"': '"', "“": "”", "«": "»"}


def in_quoted_name(text: str, start: int, end: int, reach: int) -> bool:
    """The span stands in a short quoted name: "Pizza Hut", «El Torreón», "London Stock
    Exchange". News quote the names of brands, ranches, storms and nicknames, not of
    places, unless a place word comes first (el ejido “Francisco Villa”)."""
    lo = max(0, start - reach)
    # (most places have no opening quote (a key of _QUOTES) within reach: a search in place for each
    # says so, without cutting the text before them)
    for open_q in _QUOTES:
        if text.find(open_q, lo, start) >= 0:
            break
    else:
        return False
    before = text[lo:start]
    for open_q, close_q in _QUOTES.items():
        i = before.rfind(open_q)
        if i < 0:
            continue
        words = before[:i].split()
        if words and words[-1].lower() in _QUOTED_PLACE_CUES:
            return False
        j = text.find(close_q, end)
        inner = before[i + 1:] + text[start:j] if j >= 0 else ""
        if j >= 0 and j - end < reach and "\n" not in inner and inner[:1].isupper() and len(inner.split()) <= 5 \
                and all(w[:1].isupper() or w.lower() in _NAME_LINKS for w in inner.split()):
            return True
    return False


_NAME_LINKS = words("name_links")


_QUOTED_PLACE_CUES = LOCAL_CUES | PLACE_CUES | words("quoted_place_cues")


def club_article(tokens: list[Token], ti: int) -> bool:
    """"el Barcelona", "del Valencia", "El Portland sacó...": a Spanish article before a town."""
    return ti > 0 and (tokens[ti - 1].text in ("el", "del", "al")
                       or (tokens[ti - 1].text == "El" and tokens[ti - 1].sent_start))


def club_word(tok: Token, words: set[str]) -> bool:
    """A capitalised club word; the short ones ("FC", "CD") only as capitals."""
    word = tok.text.lower()
    return tok.cap and word in words and (tok.upper or len(word) > 3)


def score_at(tokens: list[Token], j: int) -> bool:
    return 0 <= j < len(tokens) and tokens[j].text.isdigit() and len(tokens[j].text) <= 3


def locative_before(text: str, start: int, reach: int) -> bool:
    """"en Barcelona", "in Leeds": a preposition of place right before the span."""
    words = text[max(0, start - reach):start].split()
    return bool(words) and words[-1].lower() in LOCATIVES


def affiliation(tokens: list[Token], ti: int, tj: int) -> bool:
    """"Name (X)": the span is alone in brackets right after a capitalised word."""
    return (ti >= 2 and tokens[ti - 1].text == "(" and tokens[ti - 2].cap
            and tj < len(tokens) and tokens[tj].text == ")")


DISEASE_NOUNS = words("disease_nouns")


def names_a_disease(tokens: list[Token], tj: int) -> bool:
    """The span names a disease or virus: "Marburg virus", "Reston ebolavirus", "West Nile fever"."""
    for t in tokens[tj:tj + 2]:
        if t.cap:  # (most places are followed by a capitalised word or none: not a disease's noun)
            return False
        word = t.text.lower()
        if not word.isalpha():
            return False
        if word in DISEASE_NOUNS or word.endswith("virus"):
            return True
    return False


def opens_dateline(tokens: list[Token], ti: int, tj: int) -> bool:
    """The span opens a line and is followed by a dash or comma: "TORRINGTON —", "SEVILLA, 23 may"."""
    return tokens[ti].sent_start and tj < len(tokens) and tokens[tj].text in ("—", "–", "-", ",")


MONTHS = words("months")


NEWS_AGENCIES = words("news_agencies")


_AGENCY = r"\((?:" + "|".join(sorted(NEWS_AGENCIES)) + r")\)"


# what follows a dateline's place: "WASHINGTON —", "BOGOTÁ.—", "CIUDAD DE MÉXICO (AP).—",
# "Londres, 3 mar (EFE).-", "Mérida (EFE)", "RALEIGH, N.C. (AP) —", "SEVILLA, 23 may"
_DATELINE_TAIL = re.compile(
    r"(?:\s*\.?\s*[—–]|\s+-\s|\.-|\s*" + _AGENCY + r"|\s*\([^()\n]{1,30}\)\s*\.?\s*[—–-]"
    r"|(?:\s*\([^()\n]{1,30}\))?\s*,\s*\d{1,2}\s+[A-Za-z]{3}|,\s*[A-Z][A-Za-z.]{1,10}\s*(?:" + _AGENCY + r")?\s*[—–-])",
    re.IGNORECASE)


def is_dateline(text: str, start: int, end: int) -> bool:
    """The span is a news dateline: it opens the text, a line or a sentence and the
    wire's punctuation follows ("WASHINGTON —", "Londres, 3 mar (EFE).-", "BOGOTÁ.—").
    It names the place the story was filed from."""
    before = text[max(0, start - 3):start].rstrip(" \t")
    if before and not before.endswith(("\n", ".", "!", "?", "”", '"')):
        return False
    return bool(_DATELINE_TAIL.match(text, end))


def news_dateline(tokens: list[Token], tj: int) -> bool:
    """A news dateline follows the span: "Palma, 23 may (EFE)", "Lyon (Francia), 23 may",
    "Mérida (EFE)", "RALEIGH, N.C. (AP)": the wire's convention puts a place there."""
    n = len(tokens)
    if tj < n and tokens[tj].text == "(":  # "(Francia)" or "(EFE)"
        close = next((x for x in range(tj + 1, min(n, tj + 6)) if tokens[x].text == ")"), None)
        if close is None:
            return False
        if close == tj + 2 and tokens[tj + 1].text.lower() in NEWS_AGENCIES:
            return True
        tj = close + 1
    if tj + 2 < n and tokens[tj].text == "," and tokens[tj + 1].text.isdigit() and len(tokens[tj + 1].text) <= 2:
        return tokens[tj + 2].text.lower()[:3] in MONTHS
    return False


def cue_before(tokens: list[Token], ti: int) -> bool:
    """Lower-case words before the span that say a place follows.

    "ciudad de X", "the town of X", "municipio de X", "near X", "north of X".
    """
    if ti >= 1 and not tokens[ti - 1].cap and tokens[ti - 1].text in NEAR_CUES:
        return True
    if ti >= 2 and tokens[ti - 1].text in ("de", "del", "of") and not tokens[ti - 2].cap:
        word = tokens[ti - 2].text
        return word in PLACE_CUES or word in NEAR_CUES or word in OFFICES
    return False


def admin_after(tokens: list[Token], tj: int, entries_of: Callable[[str], list]) -> bool:
    """", Texas" or ", Mexico" right after the span."""
    if tj + 1 < len(tokens) and tokens[tj].text == "," and tokens[tj + 1].cap:
        for e in entries_of(tokens[tj + 1].text):
            if e.place.kind in (Kind.ADMIN1, Kind.COUNTRY):
                return True
    return False
