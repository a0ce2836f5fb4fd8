"""The recogniser's run loop answers a run's last word without calling _longest and _feature_span:
these tests check, on texts written for it and on random ones, that the helpers would have answered
the same at every such word (never corpus text)."""
from __future__ import annotations

import random

from geo.facts import Reading
from geo.model import Document
from geo.recognize import CONNECTORS, FEATURE_HEADS, LOCAL_CUES, URBAN_CUES, Recognizer, _CUE_WORDS
from geo.tokens import capitalised_runs, tokenize

SENTENCES = [
    "Vive en la colonia Guadalupe de Monterrey, cerca del estadio Azteca y de la calle Madero.",
    "The soldiers went to Camp Shelby and then to Edgar County, near the Yazoo River.",
    "En el barrio de San Juan, junto al puente de Triana, abrió el teatro de Sevilla.",
    "Camp\nRío Bravo\nFort Hood. Madrid, Texas; PARIS Londres",
]
WORDS = (["de", "del", "la", "the", "in", "near", ",", ".", "\n", "Camp", "Shelby", "Guadalupe", "Azteca", "Madrid",
          "Texas", "County", "Río", "Bravo", "Fort", "Hood", "EDGAR", "MADRID", "Monterrey", "San", "Juan", "Paris",
          "Springfield", "Mexico", "City"] + sorted(LOCAL_CUES)[:12] + sorted(URBAN_CUES)[-6:])


def _texts(n: int, seed: int = 13) -> list[str]:
    rnd = random.Random(seed)
    return SENTENCES + [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 20))) for _ in range(n)]


def test_last_word_of_a_run_is_answered_as_the_helpers_answer(gazetteer):
    rec = Recognizer(gazetteer)
    checked = features = found = 0
    for lang in ("es", "en"):
        rec._read_in(lang)
        for text in _texts(600):
            tokens = tokenize(text)
            r = Reading(rec, Document("t", text, lang), tokens, lang)
            for i, j in capitalised_runs(tokens, text, CONNECTORS[lang]):
                k = j - 1
                if not tokens[k].cap:
                    continue
                checked += 1
                # the loop's look-up: the token's text is the one span _longest tries
                entries = rec.entries(tokens[k].text)
                assert rec._longest(tokens, text, k, j) == ((k, j, entries) if entries else None)
                found += bool(entries)
                # the loop's test for a feature: only after a place noun or a "de" is there one to ask for
                hint = rec._feature_span(tokens, k, j, r)
                if not (k and tokens[k - 1].text in _CUE_WORDS):
                    assert hint is None, (text, k)
                features += hint is not None
    assert checked > 1000 and found > 100 and features > 20  # the texts reach every branch


def test_one_word_features_and_heads(gazetteer):
    text = "Vive en la colonia Guadalupe, junto al estadio Azteca; Camp es una palabra, Camp Shelby un lugar."
    found = {m.surface: m.source for m in Recognizer(gazetteer).recognize(Document("t", text, "es"))}
    assert found["Guadalupe"].startswith("feature-word:") and found["Azteca"].startswith("feature-word:")
    assert "Camp" not in found and "Camp Shelby" in found
    assert "camp" in FEATURE_HEADS
