"""The prefilters of geo.vocab: each rule that visits only the tokens its trigger words
point at finds what its walk over every token finds (same output, issue 11)."""
from __future__ import annotations

import random
import re

import pytest

from geo import land, rules
from geo.gazetteer import name_key
from geo.land import HEADS, TAILS, land_spans
from geo.model import Document
from geo.recognize import Recognizer
from geo.tokens import tokenize
from geo.social import tripled
from geo.vocab import Vocabulary, positions, token_texts, vocabulary

# sentences of our own, of the shapes the rules read
TEXTS = [
    ("Boats went down the Ohio River and the Snake and Columbia rivers to Lake Erie.", "en"),
    ("Hikers crossed the Rocky Mountains, then Mount St. Helens and the Kalahari.", "en"),
    ("The Lake of the Woods froze; the Sierra Nevada Mountains got snow near Lake Charles, Louisiana.", "en"),
    ("Flooding in houston and dallas, then a storm in new york and to chicago or miami.", "en"),
    ("Officials at the border with mexico said american and canadian crews helped.", "en"),
    ("Los soldados mexicanos cruzaron el río Bravo y la sierra Madre del Sur hacia los Andes.", "es"),
    ("Llegaron a monterrey y guadalajara desde el parque nacional de Doñana y el cabo Pérez.", "es"),
    ("Los turistas estadounidenses visitaron la cordillera Cantábrica, el lago Titicaca y el Amazonas.", "es"),
    ("STORM HITS THE GULF OF MEXICO; crews in texas, in florida and in the Everglades.", "en"),
    ("Mt. Hood and Mt Rainier; el Iztaccíhuatl, el Popocatépetl y la Laguna de Términos.", "es"),
    ("", "en"),
    ("river", "en"),
    ("en méxico", "es"),
    ("Fires burned in new south wales, said Smith, and from district of columbia.", "en"),
    ("Viajaron desde ciudad de méxico, a nuevo león y a baja california sur con Ana.", "es"),
]


def _random_texts(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """Sentences made of the trigger words, capitalised names, connectors, articles and
    places in lower case, in random order: shapes no one thought to write by hand."""
    rng = random.Random(seed)
    pieces = (sorted(HEADS) + sorted(TAILS) + ["the", "The", "el", "los", "la", "del", "of", "de", "y", "and", ",", ".",
              "in", "en", "to", "a", "St", "Mt", "Ohio", "Colorado", "Madre", "Sur", "Grande", "Bravo", "Nevada",
              "houston", "mexico", "méxico", "texas", "new", "york", "monterrey", "mexicanos", "american", "rivers",
              "lakes", "River", "Lake", "Andes", "Amazonas", "Kalahari", "Charles", "Louisiana", "\n", "nacional",
              "Nacional", "parque", "Yosemite", "Erie", "Titicaca", "chicago", "miami", "RIVER", "LAKE"])
    out = []
    for i in range(n):
        words = [rng.choice(pieces) for _ in range(rng.randint(3, 25))]
        out.append((" ".join(words), "es" if i % 2 else "en"))
    return out


ALL = TEXTS + _random_texts(300)


def test_vocabulary_tests_each_word_once_and_forgets_when_full():
    asked = []
    v = Vocabulary(lambda w: asked.append(w) or w.startswith("r"), limit=3)
    assert v.among({"river", "lake", "road"}) == {"river", "road"}
    assert v.among({"river", "lake"}) == {"river"}
    assert sorted(asked) == ["lake", "river", "road"]  # (not asked again)
    assert v.among({"rock", "sea"}) == {"rock"}  # past the limit: starts afresh, same answers
    assert v.among({"river"}) == {"river"}


def test_positions_are_the_tokens_of_the_words_in_order():
    texts = token_texts(tokenize("the river, the lake and the river"))
    assert positions(texts, {"river", "lake"}) == [1, 4, 7]
    assert positions(texts, set()) == []


def test_a_token_is_capitalised_exactly_when_its_first_letter_is_upper_case():
    # (the demonym and lower-case place triggers test the word as written for this)
    text = " ".join(t for t, _ in ALL) + " Ⅷ ǅemal Écija état Winston-Salem Atlanta-area EE.UU. R. Klein ß ﬁ 1st"
    for t in tokenize(text):
        assert t.cap == (t.text[0].isalpha() and t.text[0].isupper()), t


@pytest.mark.parametrize("text,lang", ALL)
def test_land_spans_visit_fewer_tokens_and_find_the_same(gazetteer, monkeypatch, text, lang):
    tokens = tokenize(text)
    args = (tokens, text, lang, gazetteer.lookup, gazetteer.land_info, lambda w: gazetteer.is_common_word(w, lang))
    filtered = land_spans(*args)
    with monkeypatch.context() as m:  # every token a start: the walk over the whole text
        m.setattr(land, "_starts", lambda tokens, *_: list(range(len(tokens))))
        walked = land_spans(*args)
    assert filtered == walked


def _demonyms_walked(r):
    """lower_case_demonyms as a walk over every token (before the prefilter)."""
    taken = {m.start for m in r.found}
    return [(t.start, t.end) for t in r.tokens if not t.cap and t.text[0].isalpha()
            and name_key(t.text) in r.rec.demonyms and t.start not in taken]


def test_lower_case_rules_find_what_the_walk_over_every_token_finds(gazetteer, monkeypatch):
    found_filtered, found_walked, demonyms = [], [], []
    # (a text with no capital but at a sentence's start is another rule's: lower_case_texts)
    rec = Recognizer(gazetteer, disabled={"lower_case_texts"})
    walk = Recognizer(gazetteer, disabled={"lower_case_texts"})
    original = rules.vocabulary

    def every_word_for_walk(owner, key, test, group=None):  # lower_case_places visits every token after a cue
        if owner is walk and key[0] == "lower_case_places":
            return Vocabulary(lambda w: True)
        return original(owner, key, test, group)

    seen = []
    real_demonyms = rules.lower_case_demonyms

    def checked_demonyms(r):
        expected = _demonyms_walked(r)
        before = len(r.found)
        real_demonyms(r)
        seen.append((expected, [(m.start, m.end) for m in r.found[before:]]))

    monkeypatch.setattr(rules, "vocabulary", every_word_for_walk)
    for recognizer in (rec, walk):
        stage = recognizer._stages["document"]
        stage[stage.index(real_demonyms)] = checked_demonyms
    for i, (text, lang) in enumerate(ALL):
        doc = Document(f"d{i}", text, lang)
        found_filtered.append([(m.start, m.end, m.source) for m in rec.recognize(doc)])
        found_walked.append([(m.start, m.end, m.source) for m in walk.recognize(doc)])
    assert found_filtered == found_walked
    assert all(expected == got for expected, got in seen)
    lower = [m for doc in found_filtered for m in doc if m[2] == "lower-case"]
    assert len(lower) >= 10  # (the texts do hold such places)
    assert sum(len(got) for _, got in seen) >= 20  # and demonyms


def test_main_name_keys_hold_large_places_and_the_layers(gazetteer):
    keys = gazetteer.main_name_keys(1_000_000)
    assert {"texas", "mexico", "houston", "new york"} <= keys
    assert "hattiesburg" not in keys  # a town of 45,000


def test_a_large_place_added_later_is_found_in_lower_case(gazetteer):
    from geo.gazetteer import Gazetteer
    from geo.model import Kind, Place

    gaz = Gazetteer(gazetteer.path)
    rec = Recognizer(gaz)
    before = Document("b", "Crews reported flooding in houston on Monday.", "en")
    assert [m.surface for m in rec.recognize(before) if m.source == "lower-case"] == ["houston"]
    gaz.add(Place("csv:q", "Quuxopolis", Kind.CITY, 10.0, 20.0, "US", "TX", 2_000_000))
    assert "quuxopolis" in gaz.main_name_keys(1_000_000)
    doc = Document("d", "Crews reported flooding in quuxopolis on Monday.", "en")
    assert [m.surface for m in rec.recognize(doc) if m.source == "lower-case"] == ["quuxopolis"]


def test_vocabularies_of_one_owner_share_the_words_seen_and_answer_as_alone():
    class Owner:
        pass

    owner, asked = Owner(), []
    starts_r = vocabulary(owner, "r", lambda: lambda w: asked.append(("r", w)) or w.startswith("r"))
    words = frozenset({"river", "lake", "road"})
    assert starts_r.among(words) == {"river", "road"}
    ends_e = vocabulary(owner, "e", lambda: lambda w: asked.append(("e", w)) or w.endswith("e"))  # joins later
    assert ends_e.among(words) == {"lake"}
    assert starts_r.among(words) == {"river", "road"}
    asked.clear()
    assert ends_e.among(words) == {"lake"} and starts_r.among(words) == {"river", "road"}
    assert asked == []  # the same frozenset: its words are not looked at again
    more = frozenset({"river", "rose", "sea"})
    assert starts_r.among(more) == {"river", "rose"} and ends_e.among(more) == {"rose"}
    assert sorted(asked) == [("e", "rose"), ("e", "sea"), ("r", "rose"), ("r", "sea")]  # only the new words, once
    assert vocabulary(owner, "r", lambda: None) is starts_r
    spanish = vocabulary(owner, "r", lambda: lambda w: w.startswith("r"), "es")  # another group, another record
    assert spanish is not starts_r and spanish.among(more) == {"river", "rose"}
    alone = Vocabulary(lambda w: w.startswith("r"))
    assert alone.among({"river", "sea"}) == starts_r.among(frozenset({"river", "sea"})) == {"river"}


REPEATED = [
    "Miamiiii here we come!!", "Sooo happy in Parisss", "Goooo team, see you in Madridddd",
    "Nos vemos en Méxicooo", "Texasss y Cancúúún", "No tripled letters at all in this one.",
    "Books: zzz... and Ohhh, Chicagooo's lights", "Aaah, HOUSTONNN", "Bye Miami", "",
]


@pytest.mark.parametrize("text", REPEATED + [t for t, _ in ALL])
def test_a_text_has_a_tripled_letter_exactly_when_one_of_its_tokens_has(text):
    assert bool(re.search(r"([^\W\d_])\1\1", text)) == any(tripled(t.text) for t in tokenize(text))


def test_repeated_letters_find_what_they_find_without_the_prefilter(gazetteer, monkeypatch):
    rec, walk = Recognizer(gazetteer), Recognizer(gazetteer)
    original = rules.vocabulary

    def every_text_for_walk(owner, key, test, group=None):
        if owner is walk and key == "repeated_letters":
            return Vocabulary(lambda w: True)
        return original(owner, key, test, group)

    monkeypatch.setattr(rules, "vocabulary", every_text_for_walk)
    found = {}
    for name, recognizer in (("filtered", rec), ("walked", walk)):
        found[name] = [[(m.start, m.end, m.source) for m in recognizer.recognize(Document(f"d{i}", text, "en"))]
                       for i, text in enumerate(REPEATED)]
    assert found["filtered"] == found["walked"]
    assert sum(m[2] == "repeated" for doc in found["filtered"] for m in doc) >= 3
