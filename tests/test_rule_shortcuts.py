"""The recogniser rules' cheap rejections agree with the rules read in full (same output, issue 11)."""
from __future__ import annotations

from bisect import bisect_left

import pytest

from geo import rules
from geo.context import admin_after, cue_before, is_dateline
from geo.gazetteer import name_key
from geo.model import Document, Kind
from geo.recognize import Recognizer

# sentences of our own: hamlets known only by a post office, placed or not, among other places
HAMLET_TEXTS = [
    "Mooers said the plan would cost more.",
    "The plow got stuck on the road to Mooers on Monday; Mooers said it was the worst storm.",
    "Mooers, New York, saw snow. Later Mooers spoke in Albany.",
    "MOOERS — The town board met in Plattsburgh and Mooers.",
    "Officials in Texas and Mexico met in Houston on Monday.",
    "Ana López y Mooers llegaron a Sonora.",
    "No places here at all.",
    "",
]


def hamlets_in_full(r) -> None:
    """The hamlets rule reading every mention's token (before its shortcut)."""
    tokens, text = r.tokens, r.text
    starts = [t.start for t in tokens]
    loose, placed = [], set()
    for m in r.found:
        n = bisect_left(starts, m.start)
        if n == len(starts) or starts[n] != m.start:
            n = None
        single = n is not None and tokens[n].end == m.end
        entries = r.rec.entries(m.surface) if single and m.source == "gazetteer" else ()
        if not entries or not all(e.place.kind == Kind.CITY and not e.place.population and e.place.layer == "embedded"
                                  for e in entries):
            placed.add(name_key(m.surface))
        elif (n and tokens[n - 1].text.lower() in ("to",) + tuple(rules.LOCATIVES)) or cue_before(tokens, n) \
                or admin_after(tokens, n + 1, r.rec.entries) or is_dateline(text, m.start, m.end):
            placed.add(name_key(m.surface))
        else:
            loose.append(m)
    drop = {id(m) for m in loose if name_key(m.surface) not in placed}
    r.found = [m for m in r.found if id(m) not in drop]


@pytest.mark.parametrize("text", HAMLET_TEXTS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_hamlets_find_what_reading_every_mention_finds(gazetteer, text, lang):
    rec, full = Recognizer(gazetteer), Recognizer(gazetteer)
    stage = full._stages["document"]
    stage[stage.index(rules.hamlets)] = hamlets_in_full
    doc = Document("d", text, lang)
    assert [(m.start, m.end, m.source) for m in rec.recognize(doc)] == \
        [(m.start, m.end, m.source) for m in full.recognize(doc)]


def test_a_hamlet_left_unplaced_is_dropped_and_a_placed_one_kept(gazetteer):
    rec = Recognizer(gazetteer)
    assert [m.surface for m in rec.recognize(Document("a", HAMLET_TEXTS[0], "en"))] == []
    assert "Mooers" in [m.surface for m in rec.recognize(Document("b", HAMLET_TEXTS[1], "en"))]


QUOTED = [
    'They ate at the "Pizza Hut" in Dallas.', "Comieron en «El Torreón» de Durango.", "El ejido “Francisco Villa” y Sonora.",
    'A "London Stock Exchange" trader', "No quotes in Paris today.", '"Paris"', "«Madrid", 'x " ' + "Texas " * 30 + '"',
    "Ana dijo: “Vamos a Sonora y a Jalisco mañana”.", "the “Big Apple”, New York",
]


def in_quoted_name_in_full(text, start, end, reach):
    """context.in_quoted_name before its shortcut."""
    from geo.context import _QUOTED_PLACE_CUES, _NAME_LINKS, _QUOTES
    before = text[max(0, start - reach):start]
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


@pytest.mark.parametrize("text", QUOTED)
def test_quoted_names_agree_with_the_full_reading_at_every_word(text):
    from geo.context import in_quoted_name
    from geo.tokens import tokenize
    tokens = tokenize(text)
    for a in range(len(tokens)):
        for b in range(a, min(len(tokens), a + 3)):
            start, end = tokens[a].start, tokens[b].end
            for reach in (5, 60):
                assert in_quoted_name(text, start, end, reach) == in_quoted_name_in_full(text, start, end, reach)
    assert any(in_quoted_name(text, t.start, t.end, 60) for text in QUOTED[:2] for t in tokenize(text))
