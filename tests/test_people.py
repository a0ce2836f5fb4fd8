"""The people rules' shortcuts agree with a plain reading of every token.

nicknamed_people, bylines, people_in_lists and person_at skip most tokens (they find
quotes, short lines and possible lists in the text, and ask the gazetteer last); each is
checked here against a direct version that visits every token, on generated texts.
"""
from __future__ import annotations

from bisect import bisect_right

from hypothesis import given, settings, strategies as st

from geo.context import CLUB_PREFIXES, CLUB_SUFFIXES, NATIONAL_SIDES, club_context, club_word, news_dateline, \
    nicknamed_people, score_at
from geo.facts import BYLINE_WORDS, THRESHOLDS, TITLES, Reading, bylines, people_in_lists, person_at
from geo.gazetteer import name_key
from geo.model import Document, Kind, Mention
from geo.recognize import Recognizer
from geo.tokens import capitalised_runs, tokenize
from geo.wordlists import words

NAME_TAILS = words("admin2_tails") | words("feature_tails")  # as geo.facts reads them
NOT_GIVEN = words("feature_heads") | words("place_heads")

# words of every kind the rules look at: given names, surnames, places, titles, byline
# words, quotes, separators, brackets, line breaks, club and place words
WORDS = ["Ana", "María", "José", "Luis", "Donald", "Kemp", "Duarte", "López", "Ruiz", "Sonora", "Texas", "Jalisco",
         "Drayton", "Tarvena", "County", "San", "Francisco", "Santa", "Fe", "Por", "By", "presidente", "Mr", "Gov",
         "the", "de", "la", "y", "and", "e", "&", ",", ";", ":", ".", "(", ")", "“", "”", '"', "«", "»", "‘", "’",
         "-", "—", "23", "mayo", "EFE", "Will", "An", "El", "Chapo", "UNITED", "Rovers", "beat", "FC", "Fc", "United",
         "selección", "del", "86", "3", "1234", "–"]
GAPS = [" ", " ", " ", "", "\n", "\n\n", "  ", "\t", " \n "]

NAMES = ["Ana", "María", "José", "Luis", "Donald", "Kemp", "Duarte", "López", "Ruiz", "Sonora", "Texas", "Drayton",
         "Tarvena", "County", "San", "Francisco", "Santa", "Fe", "EFE", "UNITED", "El", "Chapo"]
words_ = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=12).map(
    lambda parts: "".join(w + g for w, g in parts))
names = st.lists(st.sampled_from(NAMES), min_size=1, max_size=5).map(" ".join)
# a byline-like line: "Por: Ana López Ruiz", "By Luis Duarte", "Ana Ruiz"
name_line = st.tuples(st.sampled_from(["", "Por ", "By ", "por ", "POR "]), st.sampled_from(["", ": ", ":"]), names).map(
    lambda t: t[0] + t[1] + t[2])
# a nickname: Ana “El Chapo” Ruiz
nickname = st.tuples(st.sampled_from(NAMES), st.sampled_from(["“", '"', "«", "‘", "("]), names,
                     st.sampled_from(["”", '"', "»", "’", ")"]), names).map(lambda t: f"{t[0]} {t[1]}{t[2]}{t[3]} {t[4]}")
# a list: items of names with asides, between separators
item = st.tuples(names, st.sampled_from(["", "", " (Drayton)", " (Ana, 72)", " (Tarvena y mayo 23)", " (sin cerrar"])).map(
    "".join)
line_up = st.tuples(st.lists(item, min_size=3, max_size=7), st.lists(st.sampled_from([", ", "; ", " y ", " and ", " & ", " e ", ",", " de "]),
                                                                    min_size=7, max_size=7)).map(
    lambda t: "".join(i + sep for i, sep in zip(t[0], t[1])))
texts = st.lists(st.one_of(words_, name_line, nickname, line_up), max_size=8).flatmap(
    lambda parts: st.lists(st.sampled_from(GAPS), min_size=len(parts), max_size=len(parts)).map(
        lambda gaps: "".join(p + g for p, g in zip(parts, gaps))))
lines = st.lists(st.one_of(name_line, name_line, words_, texts), max_size=6).flatmap(
    lambda parts: st.lists(st.sampled_from(["\n", "\n\n", " \n", "\n  ", "\r\n"]), min_size=len(parts), max_size=len(parts)).map(
        lambda breaks: "".join(p + b for p, b in zip(parts, breaks))))


def reading(gazetteer, text, lang="es"):
    rec = Recognizer(gazetteer)
    return Reading(rec, Document("t", text, lang), tokenize(text), lang)


# ---- the direct versions: one Python step per token, as before the shortcuts

def nicknamed_direct(tokens, first_names):
    out = set()
    n = len(tokens)
    for i in range(n - 3):
        if tokens[i + 1].text not in {"“", '"', "«", "‘"}:
            continue
        if not (tokens[i].cap and name_key(tokens[i].text) in first_names):
            continue
        j = i + 2
        while j < n and j - i < 7 and tokens[j].cap:
            j += 1
        if j < n and j > i + 2 and tokens[j].text in {"”", '"', "»", "’"}:
            end = j + 1
            while end < n and tokens[end].cap:
                end += 1
            out.update(range(i, end))
    return out


def bylines_direct(r):
    tokens, text = r.tokens, r.text
    out, n = set(), len(tokens)
    starts = [t.start for t in tokens]
    breaks = sorted({bisect_right(starts, p) for p, c in enumerate(text) if c == "\n"} - {0} | {n})
    i = 0
    for j in breaks:
        line = tokens[i:j]
        names = line[2:] if len(line) > 2 and line[0].text.lower() in BYLINE_WORDS and line[1].text == ":" else \
            line[1:] if line and line[0].text.lower() in BYLINE_WORDS else line
        if 2 <= len(names) <= 4 and all(t.cap and not t.upper and t.text.isalpha() for t in names) \
                and not r.rec.entries(text[names[0].start:names[-1].end]):
            out.update(range(i, j))
        i = j
    return out


def people_in_lists_direct(r):
    tokens, person_tokens = r.tokens, r.person_tokens
    at = {m.start: m for m in r.found if not m.demonym}
    out, items, asides = set(), [], []

    def close():
        if len(items) >= 4:
            places = [at.get(tokens[a].start) for a, b in items]
            places = [p if p is not None and p.end == tokens[b - 1].end else None for p, (a, b) in zip(places, items)]
            people = sum(any(x in person_tokens for x in range(a, b)) for a, b in items)
            if people >= 2 and 2 * sum(p is not None for p in places) < len(items):
                inside = [at.get(tokens[x].start) for a, b in asides for x in range(a, b)]
                for p in places + inside:
                    if p is not None and " " not in p.surface and not any(
                            e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT)
                            or e.place.population >= THRESHOLDS["major"] for e in r.rec.entries(p.surface)):
                        out.add(name_key(p.surface))
        items.clear()
        asides.clear()

    i, n = 0, len(tokens)
    while i < n:
        if not tokens[i].cap:
            if items:
                close()
            i += 1
            continue
        j = i
        while j < n and tokens[j].cap and j - i < 4:
            j += 1
        if j < n and tokens[j].cap:
            close()
            i = j
            continue
        items.append((i, j))
        k = j
        if k < n and tokens[k].text == "(":
            close_at = next((x for x in range(k, min(n, k + THRESHOLDS["bracket_tokens"])) if tokens[x].text == ")"), None)
            if close_at is not None:
                asides.append((k + 1, close_at))
                k = close_at + 1
        if k < n and tokens[k].text in (",", ";", "y", "e", "and", "&"):
            i = k + 1
            continue
        close()
        i = k + 1 if k < n else n
    close()
    return out


def person_at_direct(r, k, j):
    tokens, rec = r.tokens, r.rec
    gaz, first_names = rec.gazetteer, rec.first_names
    prev = tokens[k - 1] if k > 0 else None
    if prev is not None and prev.text == "." and k > 1:
        prev = tokens[k - 2]
    titled = prev is not None and prev.text.lower().rstrip(".") in TITLES
    if not (k + 1 < j and tokens[k + 1].cap):
        return k + 1 if titled else None
    is_given = name_key(tokens[k].text) in first_names and not tokens[k].upper
    headline = r.in_headline(tokens[k].start) if is_given else False
    if is_given and (tokens[k].sent_start or headline) and gaz.is_common_word(tokens[k].text, r.lang):
        is_given = False
    unknown = (not is_given and not titled and not tokens[k].upper and not tokens[k].sent_start
               and not rec.entries(tokens[k].text) and not gaz.is_common_word(tokens[k].text, r.lang)
               and tokens[k].text.lower() not in NOT_GIVEN)
    if not (titled or is_given or unknown):
        return None
    second = tokens[k + 1].text.lower()
    pair = rec.entries(r.text[tokens[k].start:tokens[k + 1].end])
    double_given = is_given and name_key(tokens[k + 1].text) in first_names and not any(
        e.place.population >= THRESHOLDS["city"] or e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in pair)
    if second in NAME_TAILS or (pair and not double_given):
        return None
    if second.rstrip(".") in TITLES and not titled:
        return None
    if unknown and any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT) for e in rec.entries(tokens[k + 1].text)):
        return None
    end = k + 1
    while end < j and tokens[end].cap and not (end > k + 1 and news_dateline(tokens, end + 1)) and not (
            headline and gaz.is_common_word(tokens[end].text, r.lang)):
        end += 1
    return end if end > k + 1 else None


def club_context_direct(tokens, ti, tj):
    prev = tokens[ti - 1] if ti > 0 else None
    if prev is not None and (prev.text == "." or prev.text.lower() in ("de", "del")) and ti > 1:
        prev = tokens[ti - 2]
    if prev is not None and club_word(prev, CLUB_PREFIXES):
        return "name"
    if tj < len(tokens) and club_word(tokens[tj], CLUB_SUFFIXES):
        return "name"
    if ti >= 2 and tokens[ti - 1].text in ("de", "del") and tokens[ti - 2].text.lower() in NATIONAL_SIDES:
        return "name"
    j = tj + (tj < len(tokens) and tokens[tj].text == ",")
    dashes = {"-", "–", "—"}
    if score_at(tokens, j) and j + 1 < len(tokens) and tokens[j + 1].text in dashes:
        return "score"
    if ti >= 2 and tokens[ti - 1].text in dashes and score_at(tokens, ti - 2) and (
            score_at(tokens, j) or (tj < len(tokens) and tokens[tj].text == ":")):
        return "score"
    return ""


# ---- the agreements

@settings(max_examples=100, deadline=None)
@given(texts)
def test_club_context_agrees_with_asking_every_word_list(text):
    tokens = tokenize(text)
    for ti in range(len(tokens)):
        for tj in range(ti + 1, min(len(tokens), ti + 3) + 1):
            assert club_context(tokens, ti, tj) == club_context_direct(tokens, ti, tj), (ti, tj)



@settings(max_examples=100, deadline=None)
@given(texts)
def test_nicknames_found_from_the_quotes_agree_with_every_token(gazetteer, text):
    r = reading(gazetteer, text)
    assert nicknamed_people(r.tokens, r.rec.first_names, text) == nicknamed_direct(r.tokens, r.rec.first_names)


@settings(max_examples=100, deadline=None)
@given(lines)
def test_bylines_found_on_short_lines_agree_with_every_line(gazetteer, text):
    r = reading(gazetteer, text)
    assert bylines(r) == bylines_direct(r)


@settings(max_examples=100, deadline=None)
@given(texts, st.lists(st.sampled_from("pn  "), min_size=200, max_size=200))
def test_lists_read_around_their_places_agree_with_a_reading_of_every_token(gazetteer, text, marks):
    r = reading(gazetteer, text)
    # each capitalised word a place ("p"), a person's ("n") or neither, as the earlier rules might have found
    r.found = [Mention("t", t.start, t.end, t.text) for t, mark in zip(r.tokens, marks) if mark == "p" and t.cap]
    r.person_tokens = {i for i, (t, mark) in enumerate(zip(r.tokens, marks)) if mark == "n" and t.cap}
    assert people_in_lists(r) == people_in_lists_direct(r)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_person_at_agrees_with_asking_everything_first(gazetteer, text):
    r = reading(gazetteer, text)
    for i, j in capitalised_runs(r.tokens, text, frozenset()):
        for k in range(i, j):
            if r.tokens[k].cap:
                assert person_at(r, k, j) == person_at_direct(r, k, j), (k, j)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_the_people_rule_asks_person_at_only_where_it_can_find_a_name(gazetteer, text):
    """The people rule passes over a word alone with no title of the document before it: it
    finds what asking person_at at every capitalised word finds."""
    from geo.rules import people

    r, direct = reading(gazetteer, text), reading(gazetteer, text)
    direct.not_people = nicknamed_people(direct.tokens, direct.rec.first_names, text) | bylines(direct)
    direct.titles = {t.text for t in direct.tokens}  # every word might be a title: person_at is always asked
    for i, j in capitalised_runs(r.tokens, text, frozenset()):
        for k in range(i, j):
            if r.tokens[k].cap:
                expected = k + 1 if k in direct.not_people else person_at(direct, k, j)
                assert people(r, k, j) == people(direct, k, j) == expected, (k, j)
    assert (r.persons, r.person_tokens) == (direct.persons, direct.person_tokens)


def test_a_line_up_after_running_text_and_an_aside(gazetteer):
    """A list that follows prose and a bracket is read as a reading of every token reads it."""
    text = ("El técnico (que llegó el lunes) alineó a Ana Ruiz, Drayton, Luis Duarte (Tarvena, 12), Sonora y "
            "José López; Drayton marcó.")
    r = reading(gazetteer, text)
    r.found = [Mention("t", t.start, t.end, t.text) for t in r.tokens if t.text in ("Drayton", "Tarvena", "Sonora")]
    r.person_tokens = {i for i, t in enumerate(r.tokens) if t.text in ("Ana", "Ruiz", "Luis", "Duarte", "José", "López")}
    assert people_in_lists(r) == people_in_lists_direct(r)


def test_club_context_on_each_of_its_cues():
    for text, name, want in [("El FC. Tarvena ganó.", "Tarvena", "name"), ("Ganó el CD de Tarvena.", "Tarvena", "name"),
                             ("Hollisburg Rovers lost.", "Hollisburg", "name"), ("la selección de Drayton", "Drayton", "name"),
                             ("Tarvena 71 - Drayton 64", "Tarvena", "score"), ("Tarvena 71 - Drayton 64", "Drayton", "score"),
                             ("Gales, 0 - Drayton, 3", "Drayton", "score"), ("3 - Drayton:", "Drayton", "score"),
                             ("Viajó de Tarvena a Drayton.", "Drayton", "")]:
        tokens = tokenize(text)
        ti = [t.text for t in tokens].index(name)
        assert club_context(tokens, ti, ti + 1) == club_context_direct(tokens, ti, ti + 1) == want, text
