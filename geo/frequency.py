"""How frequent a word is: wordfreq's Zipf frequency, mostly from a small shipped table.

The recogniser asks whether a sentence's first word is frequent in the language
("Will", "March" are words there; "Paris" is a name). wordfreq (pinned in
pyproject.toml) knows, but loading its lists costs about a third of a second and
70 MB in every process. ``geo/data/word_zipf.tsv.gz``
(``scripts/derive_word_frequencies.py``) holds wordfreq's values for the words of
its English and Spanish lists that are written in plain lower-case Latin
letters and have a Zipf value of at least :data:`FLOOR`.

For such a word wordfreq's own normalisation (NFC, case folding) changes
nothing but a curly apostrophe, and its tokeniser sees one token, the word itself
(inner apostrophes do not break a word; wordfreq splits only "y'all", "l'eau" and the
like, which are asked of wordfreq), so its frequency is the list's entry for the word, or nothing: the table answers exactly as wordfreq
would for every threshold at or above :data:`FLOOR`. Other words (digits,
apostrophes, other scripts, decomposed accents, other languages) are asked of
wordfreq itself. ``tests/test_frequency.py`` checks the table against wordfreq.
"""
from __future__ import annotations

import functools
import gzip
import re
from importlib import resources
from pathlib import Path

__all__ = ["FLOOR", "LANGS", "PLAIN", "TABLE", "is_frequent"]

FLOOR = 3.5  # the table lists the words at least this frequent (Zipf); lower thresholds ask wordfreq
LANGS = ("en", "es")
# lower-case Latin letters, precomposed, perhaps with inner apostrophes ("don't", "we’re"): a word that
# wordfreq neither normalises (but for the curly apostrophe, made straight) nor splits ...
_LETTERS = "a-zñçáéíóúàèìòùâêîôûäëïöüãõ"
PLAIN = re.compile(f"[{_LETTERS}]+(?:['’][{_LETTERS}]+)*")
# ... unless it opens with one or two letters, a straight apostrophe and a vowel or h ("y'all", "l'eau"),
# which its tokeniser splits there (wordfreq.tokens.TOKEN_RE)
_SPLIT = re.compile(f"[{_LETTERS}][{_LETTERS}]?'[aehiouyáéíóúàèìòùâêîôûåïöœ]")
TABLE = Path(str(resources.files("geo") / "data" / "word_zipf.tsv.gz"))


@functools.cache
def _table() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    with gzip.open(TABLE, "rt", encoding="utf-8") as fh:
        for line in fh:
            lang, zipf, word = line.rstrip("\n").split("\t")
            out[lang][word] = float(zipf)
    return out


def is_frequent(word: str, lang: str, threshold: float) -> bool:
    """Whether ``wordfreq.zipf_frequency(word, lang) >= threshold``."""
    if threshold >= FLOOR and lang in LANGS and PLAIN.fullmatch(word) and not _SPLIT.match(word):
        return _table()[lang].get(word.replace("’", "'"), 0.0) >= threshold
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang) >= threshold
