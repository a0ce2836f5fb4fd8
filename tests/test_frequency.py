"""geo.frequency answers as wordfreq does, from the shipped table where it can."""
from __future__ import annotations

import random

from wordfreq import iter_wordlist, zipf_frequency

from geo import frequency
from geo.frequency import FLOOR, LANGS, PLAIN, is_frequent


def test_the_shipped_table_is_what_the_script_derives_from_the_installed_wordfreq():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "derive_word_frequencies.py"
    spec = importlib.util.spec_from_file_location("derive_word_frequencies", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = frequency._table()
    derived: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    for line in script.rows():
        lang, zipf, word = line.rstrip("\n").split("\t")
        derived[lang][word] = float(zipf)
    assert derived == table
    assert all(len(table[lang]) > 10_000 for lang in LANGS)


def test_same_answer_as_wordfreq_for_listed_and_unlisted_words():
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzñáéíóú"
    for lang in LANGS:
        listed = [w for _, w in zip(range(60_000), iter_wordlist(lang))]
        words = rng.sample(listed, 3000) + listed[:300]
        words += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(2000)]
        # inner apostrophes, straight and curly: "we're", "i’ve", "y'all" (which wordfreq splits)
        words += [w.replace("'", q) for w in listed[:20_000] if "'" in w for q in ("'", "’")]
        words += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 3))) + rng.choice("'’")
                  + "".join(rng.choice(letters + "aeiouh") for _ in range(rng.randint(1, 5))) for _ in range(2000)]
        # not plain: wordfreq itself answers (apostrophes, digits, capitals, decomposed accents, hyphens)
        words += ["don't", "1990s", "Will", "cafe\u0301", "well-known", "straße", "ee.uu", "u.s."]
        for word in words:
            for threshold in (FLOOR, 4.0, 4.5, 3.0):
                assert is_frequent(word, lang, threshold) == (zipf_frequency(word, lang) >= threshold), (word, lang, threshold)


def test_plain_words_of_the_lists_are_one_token_of_themselves():
    from wordfreq import tokenize

    for lang in LANGS:
        for _, word in zip(range(40_000), iter_wordlist(lang)):
            if PLAIN.fullmatch(word) and not frequency._SPLIT.match(word):
                assert tokenize(word, lang) == [word]
                assert tokenize(word.replace("'", "’"), lang) == [word.replace("'", "’")]
