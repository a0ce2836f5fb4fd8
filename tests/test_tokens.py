"""The tokeniser's and name folding's fast paths give what the plain ones give.

Speed tricks in geo.tokens and geo.gazetteer.name_key (a regex written for speed, runs
started only at capitalised tokens, ASCII names folded without Unicode normalisation)
must not change a single token, run or key: each is checked here against the plain
way of doing the same, on sentences written for it and on random strings of the
characters that matter.
"""
from __future__ import annotations

import random
import re
import unicodedata

from geo.gazetteer import name_key
from geo.recognize import CONNECTORS
from geo.tokens import (NAME_ABBREVIATIONS, SENTENCE_END, _GAP_TOKEN, _TOKEN, Token, capitalised_runs, connector_at,
                        elided, hyphen_parts, tokenize)

SENTENCES = [
    "Llegó a EE.UU. desde Winston-Salem. Lawrence R. Klein habló.",
    "The U.S.A. and the U.K. met in St. Louis; Ft. Worth's mayor didn't.",
    "  O’Brien's  d'Ivoire l’Aquila\n\nCôte d'Ivoire — 1999 vs. 2000…",
    "Ciudad de México, Isle of Man, Valle del Yaqui y la República de los Estados Unidos",
    "A.B.C. a.b. ab.cd.ef. x. Y. Zz. 3.5 km, 10-12 Mexico-based Asia-Pacific --",
    "ÉL DIJO: «VAMOS A LA CIUDAD DE MÉXICO» Στην Αθήνα ένα  日本 東京\ttab",
]
_ALPHABET = "aAbBsSéÉzZ.'’-` \n\t0123,;:«»()ŁøİßĐ"


def _random_texts(n: int, seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def test_fast_token_pattern_matches_the_plain_one():
    plain = re.compile(r"(\s*)(" + _TOKEN.pattern + ")")
    for text in SENTENCES + _random_texts(5000):
        assert _GAP_TOKEN.findall(text) == plain.findall(text), text


def _plain_tokenize(text):
    """tokenize as first written: one pattern, every token's form tested in the loop."""
    tokens, sent_start, end = [], True, 0
    for gap, tok in re.findall(r"(\s*)(" + _TOKEN.pattern + ")", text):
        start = end + len(gap)
        end = start + len(tok)
        if not tok[0].isalpha():
            if tok in SENTENCE_END:
                sent_start = True
            elif tok == ",":
                sent_start = False
            tokens.append(Token(tok, start, end, False, False, False))
            continue
        if "\n" in gap:
            sent_start = True
        for pstart, part in hyphen_parts(tok, start):
            tokens.append(Token(part, pstart, pstart + len(part), part[0].isupper(), part.isupper() or part == "-",
                                sent_start))
            sent_start = False
    return tokens


def _random_word_texts(n: int, seed: int = 3) -> list[str]:
    """Texts of words and what may end a run of lower-case words (runs are one findall match)."""
    rnd = random.Random(seed)
    words = ["the", "mayor", "said", "año", "ñandú", "city's", "don't", "x", "Salem", "US", "well-known", "U.S.",
             "r.", "it’s", "3", "é", ".", ",", "l'eau", "b-", "de", "ÿ", "ſ", "ß"]
    blanks = [" "] * 12 + ["", "  ", "\n", " \n ", "\t"]
    return ["".join(rnd.choice(words) + rnd.choice(blanks) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def test_tokenize_matches_the_plain_loop():
    for text in SENTENCES + _random_texts(5000, seed=7) + _random_word_texts(5000) + [
            "ªA ºb µ ǅx ǆy ÿ-Ÿ ĳ ß.ß. x ñ’s ñandú-Sur", "and the mayor of the city said that it was late\nand so"]:
        tokens = tokenize(text)
        assert tokens == _plain_tokenize(text), text
        assert all(type(t) is Token for t in tokens)


def _plain_runs(tokens, text, connectors):
    """capitalised_runs as first written: every token visited, every gap sliced."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        if not tokens[i].cap:
            i += 1
            continue
        j = i + 1
        while j < n:
            gap = text[tokens[j - 1].end:tokens[j].start]
            if gap not in (" ", "") or "\n" in gap:
                break
            if tokens[j].cap or elided(tokens[j].text):
                j += 1
                continue
            if j == i + 1 and tokens[i].text in NAME_ABBREVIATIONS and tokens[j].text == "." and j + 1 < n \
                    and tokens[j + 1].cap and text[tokens[j].end:tokens[j + 1].start] == " ":
                j += 2
                continue
            seq = connector_at(tokens, text, j, connectors)
            if seq and j + seq < n and tokens[j + seq].cap:
                j += seq + 1
                continue
            break
        runs.append((i, j))
        i = j
    return runs


def test_capitalised_runs_match_the_plain_loop():
    rnd = random.Random(5)
    words = ["Ciudad", "de", "la", "los", "México", "St", "Ft", ".", "Louis", "of", "the", "Man", "d'Ivoire",
             "del", "Oro", "said", "US", ",", "\n", "  ", "-"]
    texts = SENTENCES + [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))) for _ in range(2000)]
    for lang, connectors in CONNECTORS.items():
        for text in texts:
            tokens = tokenize(text)
            assert capitalised_runs(tokens, text, connectors) == _plain_runs(tokens, text, connectors), (lang, text)
    text = "Llegaron a la Ciudad de México y a St. Louis."
    tokens = tokenize(text)
    assert [" ".join(t.text for t in tokens[i:j]) for i, j in capitalised_runs(tokens, text, CONNECTORS["es"])] == [
        "Llegaron", "Ciudad de México", "St . Louis"]


def _plain_key(name: str) -> str:
    letters = str.maketrans({"ß": "ss", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "Ae",
                             "æ": "ae", "Œ": "Oe", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i",
                             "Ħ": "H", "ħ": "h"})
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    stripped = stripped.translate(letters).casefold()
    return re.sub(r"[\s\-‐–—,]+", " ", re.sub(r"[.'’`´]", "", stripped)).strip()


def test_name_key_fast_paths_fold_as_the_plain_way():
    names = ["EE.UU.", "Ciudad de México", "Łódź", "Tromsø", "İzmir", "São Paulo", "ﬁnland", "Ⅻ", "  a-b ,c ",
             "Straße", "Ǆemal", "Å", "A\u030a", "x\u0301\u0327"] + _random_texts(2000, seed=3)
    names += ["a" + chr(cp) + "b" for cp in range(0x80, 0x3000)]
    for name in names:
        assert name_key(name) == _plain_key(name), name
