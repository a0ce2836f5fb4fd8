"""geo.langid gives exactly py3langid's answers, faster."""
import collections
import json
import random
from pathlib import Path

import numpy as np
import pytest
import py3langid
from py3langid import langid as pl

from geo import langid
from geo.recognize import detect_language

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "data"


def _trie_keys(nextmove, rowbase):
    """Each state's breadth-first string from the root as an int (a 1 bit above its bytes), and its length."""
    n = len(rowbase)
    key = np.zeros(n, dtype=np.int64)
    length = np.full(n, -1, dtype=np.int64)
    key[0], length[0] = 1, 0
    frontier = np.array([0])
    while len(frontier):
        nxt = nextmove[(rowbase[frontier][:, None] + np.arange(256)).ravel()].astype(np.int64)
        parent = np.repeat(frontier, 256)
        byte = np.tile(np.arange(256), len(frontier))
        new = length[nxt] < 0
        nxt, parent, byte = nxt[new], parent[new], byte[new]
        nxt, first = np.unique(nxt, return_index=True)  # one shortest path per state
        key[nxt] = (key[parent[first]] << 8) | byte[first]
        length[nxt] = length[parent[first]] + 1
        frontier = nxt
    return key, length


def check_aho_corasick(states: np.ndarray) -> None:
    """From each state, every byte leads to the longest suffix of (state's string + byte) that is a trie string.

    That makes the state after any text the longest suffix of the text in the trie, which is what lets
    geo.langid find every position's state from the last ``depth`` bytes alone.
    """
    model = langid._model()
    nextmove, rowbase = model.nextmove, model.rowbase
    key, length = _trie_keys(nextmove, rowbase)
    assert (length >= 0).all() and length.max() == model.depth
    trie = np.sort(key)
    byte = np.arange(256, dtype=np.int64)
    x = ((key[states] << 8)[:, None] | byte).ravel()            # state's string + byte
    xlen = np.repeat(length[states] + 1, 256)
    target = nextmove[(rowbase[states][:, None] + byte).ravel()].astype(np.int64)
    longest = np.zeros(len(x), dtype=np.int64)                   # the root's empty string is always there
    for n in range(1, model.depth + 2):
        suffix = (x & ((1 << (8 * n)) - 1)) | (1 << (8 * n))
        pos = np.minimum(np.searchsorted(trie, suffix), len(trie) - 1)
        found = (trie[pos] == suffix) & (xlen >= n)
        longest[found] = suffix[found]
    longest[longest == 0] = 1
    assert (key[target] == longest).all()


def test_the_model_is_an_aho_corasick_automaton():
    # the whole model (104,583 states) was checked once with every state; here a sample keeps the test quick
    n = len(langid._model().rowbase)
    rng = np.random.default_rng(0)
    check_aho_corasick(np.unique(np.concatenate([np.arange(200), rng.integers(0, n, 3000)])))


def test_premultiplied_tables_are_the_steps_they_stand_for():
    model = langid._model()
    rng = np.random.default_rng(1)
    at = rng.integers(0, len(model.nextmove), 200_000)
    assert np.array_equal(model.nextout[at], model.output[model.nextmove[at]])
    assert np.array_equal(model.nextrow[at], model.rowbase[model.nextmove[at]])
    root = model.rowbase[0]
    pairs = np.arange(1 << 16)
    two_steps = model.nextrow[model.nextrow[root + (pairs >> 8)].astype(np.int64) + (pairs & 255)]
    assert np.array_equal(model.root2, two_steps)


def _texts():
    rng = random.Random(7)
    words = ("el la de que en los ciudad México Querétaro gobierno dijo año niño añadió señor según "
             "the of and to in city said officials county Mississippi river week police "
             "le les des dans une ville été der die und nicht über Straße il della città".split())
    alphabet = "abcdefghijklmnopqrstuvwxyzñáéíóúüçàèABCDEFGHIJKLMNÑÁÉ  .,;:-'\"\n0123456789€ß—«»\x00中文"
    out = ["", "a", "AB", "ÑANDÚ Y CÓNDOR EN LOS ANDES", "Los soldados llegaron a Querétaro y León, en México.",
           "Officials in Paris, Texas, met envoys from Alexandria, Louisiana, on Tuesday.",
           "\x00\x00\x00", "e\u0301" * 30]  # the last: decomposed accents, which the NFC step composes
    for _ in range(150):
        out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))))
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3000))))
    return out


def test_same_answers_and_scores_as_py3langid():
    ident = pl._get_identifier()
    for text in _texts():
        assert langid.classify(text) == py3langid.classify(text)[0], text[:80]
        data = langid._encode(text)
        assert np.array_equal(langid._model().scores(data), ident._decide(text)), text[:80]


def test_counts_as_py3langid_counts_them():
    ident = pl._get_identifier()
    for text in _texts()[:60]:
        data = langid._encode(text)
        expected = pl.visit_counts(ident.tk_nextmove, [r << 8 for r in ident.tk_row], ident.tk_output, data)
        got = langid.counts(text)
        assert list(got.items()) == list((expected or {}).items())


def test_detect_language():
    assert detect_language("El gobernador dijo que las lluvias dañaron los caminos del norte del estado.") == "es"
    assert detect_language("The governor said the rains damaged the roads in the north of the state.") == "en"
    assert detect_language("Hola") == "en"  # too short: the default


def test_first_counts_lists_what_a_counter_lists():
    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 4, 7, 8, 9, 255, 256, 257, 1023, 1024, 1025, 5000):
        for high in (1, 3, n, 100_053):  # all one value, a few values, about one each, the model's feature range
            feats = rng.integers(0, high, n).astype(np.int64)
            expected = collections.Counter(feats.tolist())
            idx, count = langid.first_counts(feats)
            assert list(zip(idx.tolist(), count.tolist())) == list(expected.items())


def _corpus_texts():
    """Every development corpus's texts, as detect_language samples them, upper-cased too (py3langid lowers those)."""
    for corpus in sorted(CORPORA.glob("*.jsonl")):
        with open(corpus, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if line.strip():
                    text = json.loads(line)["text"][:5000]
                    yield text
                    if i % 10 == 0:
                        yield text[: 1 + i % 97].upper()


def test_same_scores_as_py3langid_on_every_development_text():
    # the corpora are inputs here only: the test compares two implementations, it asserts nothing about a text
    ident = pl._get_identifier()
    texts = list(_corpus_texts())
    assert len(texts) > 1000
    for text in texts:
        assert np.array_equal(langid._model().scores(langid._encode(text)), ident._decide(text)), text[:80]


def test_first_counts_of_a_batch_keeps_texts_apart_and_in_order():
    rng = np.random.default_rng(5)
    features = langid._model().features
    for n in (1, 2, 9, 1000, 100_000):
        text = np.sort(rng.integers(0, 64, n))                 # (text, feature) values, as a batch counts them
        values = text * features + rng.integers(0, 40, n)
        idx, count = langid.first_counts(values)
        assert list(zip(idx.tolist(), count.tolist())) == list(collections.Counter(values.tolist()).items())
    with pytest.raises(ValueError):
        langid.first_counts(np.array([1 << 61, 0, 1], dtype=np.int64))


def test_texts_scored_together_get_the_answers_they_get_alone():
    ident = pl._get_identifier()
    texts = _texts()[:120] + list(_corpus_texts())[:200:3]
    random.Random(11).shuffle(texts)
    texts += ["", "", "a b"]                                   # texts without features, last
    scored = []
    for size in (1, 2, 7, 64, 300):                            # batches of every size, and past _BATCH_TEXTS
        for i in range(0, len(texts), size):
            scored += langid._model().scores_many([langid._encode(t) for t in texts[i:i + size]])
    for k, scores in enumerate(scored):
        assert np.array_equal(scores, ident._decide(texts[k % len(texts)])), texts[k % len(texts)][:80]
    assert langid.classify_many(texts) == [py3langid.classify(t)[0] for t in texts]


def test_a_batch_gets_the_languages_parse_gives_one_by_one(gazetteer):
    from geo.model import Document
    from geo.pipeline import Geoparser

    texts = ["El gobernador dijo que las lluvias dañaron los caminos del norte del estado.",
             "The governor said the rains damaged the roads in the north of the state.",
             "Hola", "", "Die Regierung sagte am Montag, dass die Straßen im Norden gesperrt bleiben."]
    docs = [Document(str(i), t, None) for i, t in enumerate(texts)] + [Document("given", texts[0], "en")]
    gp = Geoparser(gazetteer)
    assert [d.lang for d in gp.with_languages(docs)] == [detect_language(t) for t in texts] + ["en"]
    assert [d.lang for d in gp.with_languages(docs)][:3] == ["es", "en", "en"]
    gp.default_lang = "es"
    assert [d.lang for d in gp.with_languages(docs)] == ["es"] * len(texts) + ["en"]
    assert [d.text for d in gp.with_languages(docs)] == [d.text for d in docs]
