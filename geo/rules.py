"""The recogniser's rules: named functions, kept in order in :mod:`geo.registry`.

Each rule says one fact of language or geography that tells a place's name from
the same word meaning something else ("FC Barcelona" is a club, "Lyme disease" a
disease, "Donald Trump" a person). A rule is one or more functions, each
registered for the stage of :meth:`geo.recognize.Recognizer.recognize` where it acts;
within a stage, functions run in the order they are registered here:

* ``runs`` — ``fn(r, k, j) -> int | None``: reading the runs of capitals, a name from
  token ``k`` (in the run ending at ``j``) that is not a place: where it ends;
* ``candidate`` — ``fn(r) -> bool``: the gazetteer match ``r.ti:r.tj`` is not a place
  by its context;
* ``keep`` — ``fn(r) -> bool``: the match is not a place by its written form and what
  the gazetteer says of it (:meth:`Reading.read_form`);
* ``document`` — ``fn(r) -> None``: a pass over the document's mentions ``r.found``.

``Recognizer(gazetteer, disabled={"sports_teams"})`` leaves a rule's functions out;
``bench/accuracy.py --ablate`` switches each off in turn. :data:`RULES` lists them
in order, and :data:`THRESHOLDS` holds the numbers they use.

Adding a rule: write a function with a one-line docstring that says what it is about,
decorate it with ``@rule("name", "stage")`` where it should act (its place in this
file is its place in the order), add a sentence of your own in ``RULE_CASES`` of
``tests/test_ablation.py`` where the rule changes what is found, and regenerate the
table in docs/accuracy.md with ``bench/accuracy.py --ablate``. Word lists go in
``geo/data/words/`` (:mod:`geo.wordlists`), cues that read the words around a span in
:mod:`geo.context`.
"""
from __future__ import annotations

import dataclasses
from bisect import bisect_left
from operator import itemgetter

from .context import (LOCATIVES, admin_after, affiliation, article_phrase, club_article, club_context, cue_before,
                      in_quoted_name, is_dateline, locative_before, match_result, names_a_disease, nicknamed_people,
                      opens_dateline, year_after)
from .entries import is_abbrev, is_demonym, plausible_entries
from .facts import (THRESHOLDS, Reading, bylines, lower_case_place, lower_case_place_words, people_in_lists, person_at,
                    takes_article, title_word)
from .frequency import is_frequent
from .gazetteer import name_key
from .land import land_spans, trigger_word
from .model import Kind, Mention
from .registry import RULES, STAGES, Rule, functions, rule
from .social import (POST_CHARS, handles_and_links, hashtag_parts, hashtags, lower_case_text, repeated_words, squeezed,
                     tripled)
from .vocab import positions, vocabulary, word_key
from .wordlists import words

__all__ = ["RULES", "Rule", "rule", "functions", "STAGES"]

# ---------------------------------------------------------------------- the rules, in order

@rule("people", "runs")
def people(r: Reading, k: int, j: int) -> int | None:
    """A run opened by a title or a known first name is a person ("Donald Trump", "presidente Maduro").

    Its surname then names no place elsewhere in the text ("Trump said"; :func:`surname`);
    nicknamed names (Joaquín “El Chapo” Guzmán) and bylines are no places either.
    """
    if r.not_people is None:
        r.not_people = nicknamed_people(r.tokens, r.rec.first_names, r.text) | bylines(r)
        r.titles = vocabulary(r.rec, "titles", lambda: title_word, r.lang).among(r.distinct_words())
    if k in r.not_people:  # (not recorded as a person: the nickname is no surname)
        return k + 1
    tokens = r.tokens
    if not (k + 1 < j and tokens[k + 1].cap):
        # (most calls: a word alone is a person only after a title, the word before it or before
        # its dot, as person_at reads it; where neither of those two words is one of the
        # document's titles, person_at would say None, so it is not asked)
        titles = r.titles
        if not titles or k == 0 or (tokens[k - 1].text not in titles and (k < 2 or tokens[k - 2].text not in titles)):
            return None
    end = person_at(r, k, j)
    if end:
        r.person_tokens.update(range(k, end))
        for t in r.tokens[k + 1:end]:
            r.persons.add(name_key(t.text))
        if end == k + 1:  # "Mr. Ripley", "presidente Maduro"
            r.persons.add(name_key(r.tokens[k].text))
    return end


@rule("affiliations", "candidate")
def affiliated(r: Reading) -> bool:
    """A town in brackets after a person's name is a club or party ("Unai (Mérida)").

    Not after a place ("Ecija (Sevilla)"), which it is the province of. Where the text
    lists such pairs and most are names, all are: surnames are often towns too
    ("Suárez (Toledo)"), and states join ("Fredi (Extremadura)").
    """
    if r.bracketed is None:
        tokens = r.tokens
        r.bracketed = {ti: ti >= 2 and bool(r.rec.entries(tokens[ti - 2].text)) and ti - 2 not in r.person_tokens
                       for ti, tj, entries, _, _ in r.pending if entries and affiliation(tokens, ti, tj)}
        r.listed = len(r.bracketed) >= 3 and 2 * sum(not p for p in r.bracketed.values()) >= len(r.bracketed)
    if r.ti not in r.bracketed or any(e.place.kind == Kind.COUNTRY for e in r.found_entries):
        return False
    return r.listed or (not r.bracketed[r.ti] and not any(e.place.kind == Kind.ADMIN1 for e in r.found_entries))


@rule("money", "candidate")
def money(r: Reading) -> bool:
    """A country's code before a currency sign is money ("US$460")."""
    return r.text[r.end:r.end + 1] == "$"


@rule("diseases", "candidate")
def disease(r: Reading) -> bool:
    """A place before a word for an illness names the disease ("Marburg virus", "West Nile fever")."""
    return names_a_disease(r.tokens, r.tj)


@rule("event_years", "candidate")
def event_year(r: Reading) -> bool:
    """A place followed by a year names an event or a party ("Beijing 2008", "Perú 2000")."""
    return year_after(r.tokens, r.tj)


@rule("quoted_names", "candidate")
def quoted_name(r: Reading) -> bool:
    """A place inside a short quoted name is a brand, ranch or nickname ("Pizza Hut", «El Torreón»)."""
    return in_quoted_name(r.text, r.start, r.end, THRESHOLDS["quote_chars"])


@rule("sports_teams", "candidate")
def sports_team(r: Reading) -> bool:
    """A town written as a team is the team ("FC Barcelona", "el Valencia", "Leeds beat Hull").

    Club words, a score ("Ourense 86 - Menorca 69"), a Spanish article before a town
    (towns take none), or a game's result say so; the town is remembered as a team
    for :func:`one_sense_per_document`.
    """
    team = club_context(r.tokens, r.ti, r.tj)
    r.first = r.tokens[r.ti]
    if not team and r.lang == "es" and r.tj - r.ti == 1 and club_article(r.tokens, r.ti) and r.entries \
            and not takes_article(r.entries) and not (r.first.upper and any(is_abbrev(e.name) for e in r.entries)):
        team = "name"  # Spanish towns take no article: "el Barcelona", "del Valencia" are clubs
    if not team and r.lang == "en" and match_result(r.tokens, r.ti, r.tj):
        team = "name"  # "Manchester United beat Liverpool", "the Lakers beat Boston"
    if team and not is_demonym(r.entries):
        key = name_key(r.surface)
        r.clubs[key] = max(team, r.clubs.get(key, ""))
        return True
    return False


@rule("people", "keep")
def surname(r: Reading) -> bool:
    """A person's surname is not a place anywhere in the document ("Trump said")."""
    return r.single and name_key(r.surface) in r.persons


@rule("headed_names", "keep")
def headed_name(r: Reading) -> bool:
    """A place's name heading a longer name names that ("Centro de Salud", "China Daily"), unless large."""
    if r.single:  # the first word of a longer name ("Centro de Salud") names that, not a town
        return r.followed and not r.cue() and not r.big()
    # "El Consejo Nacional", "La Junta de Andalucía": words of the language that head a
    # longer name name a village only by accident; directly before another capitalised
    # word ("La Unión Europea"), whatever its size
    gaz = r.rec.gazetteer
    return r.followed and not cue_before(r.tokens, r.ti) and all(
        gaz.is_common_word(t.text, r.lang) for t in r.tokens[r.ti:r.tj] if t.text[0].isalpha()) and (
        r.hint == "named" or not r.large_or_state())


@rule("article_phrases", "keep")
def article_opening(r: Reading) -> bool:
    """An article and a noun opening a sentence are words, not a village ("El Consejo se reunió")."""
    if r.single:
        return False
    words_ = [t for t in r.tokens[r.ti:r.tj] if t.text[0].isalpha()]
    return article_phrase(r.tokens, r.ti, r.tj, words_, r.lang, r.rec.gazetteer) and not r.large_or_state()


@rule("common_words", "keep")
def common_word(r: Reading) -> bool:
    """A capitalised dictionary word ("Pero", "March") is a place only as a large place's main name or by a cue.

    Its accents must agree ("Para" is the word, "Pará" the state), and it must not open
    a sentence or head a longer name ("Reunión Internacional") unless the place is major.
    In capitals, after an article, it is the word (:func:`shouted_after_article`).
    With the rule off, no word counts as common for the other rules either.
    """
    if not r.common:
        return False
    if not r.plausible:
        return True  # only entries whose accents the word lacks
    if r.cue():
        return False
    if shouted_after_article(r):
        return True
    major = r.major()
    return not r.big() or (r.first.sent_start and not major) or (r.followed and not major) or r.hint == "named"


_ARTICLES = words("land_articles")  # "la", "los", "the"
_NO_COUNTRY = (Kind.COUNTRY, Kind.CONTINENT)  # "LA INDIA", "EL PACÍFICO": places that take an article anywhere


def shouted_after_article(r: Reading) -> bool:
    """In capitals the case says nothing: a dictionary word after an article ("POR LA NEVADA") is the
    word, unless a reading is a country, continent, sea or region, or lies in a country of a large
    place named before it in the document ("MADRID ... LA NEVADA" is snow, not the US state)."""
    if not (r.single and r.first.upper and r.ti > 0):
        return False
    before = r.tokens[r.ti - 1]
    if not (before.upper and before.text.lower() in _ARTICLES):
        return False
    if any(e.place.kind in _NO_COUNTRY or e.place.feature_code in ("SEA", "RGN") for e in r.plausible):
        return False
    story = {e.place.country_code for m in r.found if not m.demonym for e in r.rec.entries(m.surface)
             if e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["city"]}
    return not any(e.place.country_code in story for e in r.plausible)


@rule("sentence_start", "keep")
def sentence_start(r: Reading) -> bool:
    """A frequent word capitalised only because it opens a sentence is that word, not a small place."""
    first = r.first
    return r.single and first.sent_start and not r.cue() and not r.big() and is_frequent(
        first.text.lower(), r.lang if r.lang in ("en", "es") else "en", THRESHOLDS["common_zipf"])


@rule("acronyms", "keep")
def acronym(r: Reading) -> bool:
    """An all-capital word naming only small places is an acronym ("SEDENA"), but in a dateline ("TORRINGTON —")."""
    first = r.first
    return r.single and first.upper and first.text.isalpha() and len(first.text) > 3 and not r.cue() \
        and not r.big() and not opens_dateline(r.tokens, r.ti, r.tj)


@rule("abbreviated_names", "keep")
def abbreviated_name(r: Reading) -> bool:
    """A city's short form in capitals before a capitalised word heads a name ("LA Cargo", "NYC Health").

    Only short forms that are not the place's main name or a state's code ("NYC", "SF"),
    and not in a headline in Title Case, where every word is capitalised ("Fire In LA Destroys Homes").
    """
    tokens, tj = r.tokens, r.tj
    if not (r.single and r.first.upper and tj < len(tokens) and tokens[tj].cap and not tokens[tj].upper
            and r.text[tokens[tj - 1].end:tokens[tj].start] == " "):
        return False
    if any(e.main or e.place.kind != Kind.CITY for e in r.plausible):
        return False
    return not r.in_headline(r.start)


@rule("first_names", "keep")
def first_name(r: Reading) -> bool:
    """A given name alone ("José") names a person before a village; a town of some size keeps it (Augusta)."""
    return r.single and name_key(r.first.text) in r.rec.first_names and not r.cue() and not r.big() and not any(
        e.main and e.place.population >= THRESHOLDS["town"] for e in r.plausible)


_HAMLET_CUES = LOCATIVES | {"to"}  # "the road to Mooers"
_START = itemgetter(1)  # a token's start


@rule("hamlets", "document")
def hamlets(r: Reading) -> None:
    """A word known only as a hamlet's post office ("Mooers") is a place only where the text places it once.

    Placed: after a preposition of place ("in Mooers", "the road to Mooers") or another
    cue, before ", State", or in a dateline; then its other mentions count too. Such
    hamlets have no population in the gazetteer (see :func:`geo.gazetteer_readers.load_us_towns`).
    """
    # (most documents name no such hamlet: then every mention is placed and none is dropped, which
    # a look at each gazetteer mention's entries says, without finding its token)
    entries_of, memo = r.rec.entries, _HAMLETS_ONLY
    for m in r.found:
        if m.source == "gazetteer":
            entries = entries_of(m.surface)  # (the same cached list for a name: its answer is kept by the list)
            hit = memo.get(id(entries))
            if hit is None or hit[0] is not entries:
                if len(memo) > 100_000:
                    memo.clear()
                hit = memo[id(entries)] = (entries, _hamlets_only(entries))
            if hit[1]:
                break
    else:
        return
    tokens, text = r.tokens, r.text
    starts = list(map(_START, tokens))  # (increasing: a token is found by bisection)
    loose: list[Mention] = []
    placed: set[str] = set()
    for m in r.found:
        n = bisect_left(starts, m.start)
        if n == len(starts) or starts[n] != m.start:
            n = None
        single = n is not None and tokens[n].end == m.end
        entries = r.rec.entries(m.surface) if single and m.source == "gazetteer" else ()
        if not _hamlets_only(entries):
            placed.add(name_key(m.surface))
        elif (n and tokens[n - 1].text.lower() in _HAMLET_CUES) or cue_before(tokens, n) \
                or admin_after(tokens, n + 1, r.rec.entries) or is_dateline(text, m.start, m.end):
            placed.add(name_key(m.surface))
        else:
            loose.append(m)
    if loose:
        drop = {id(m) for m in loose if name_key(m.surface) not in placed}
        r.found = [m for m in r.found if id(m) not in drop]


_HAMLETS_ONLY: dict[int, tuple[list, bool]] = {}  # id of a list of entries -> (the list, _hamlets_only of it)


def _hamlets_only(entries) -> bool:
    """Entries, all of them hamlets known only by a post office (no population, the embedded layer)."""
    return bool(entries) and all(e.place.kind == Kind.CITY and not e.place.population and e.place.layer == "embedded"
                                 for e in entries)


@rule("line_ups", "document")
def line_up(r: Reading) -> None:
    """Small places in a list of people are surnames ("Dida, Cafu, Franca, Rivaldo")."""
    named = people_in_lists(r)
    if named:  # "Freestone, Gareth Roberts, Page, Melville, Delaney": a line-up, not towns
        r.persons |= named
        r.found = [m for m in r.found if m.demonym or name_key(m.surface) not in named]


@rule("sports_teams", "document")
def one_sense_per_document(r: Reading) -> None:
    """Where a town names a team, its bare name is the team throughout the document.

    A country or state only when it played ("Gales, 0 - Brasil, 3"), not after "Racing
    NSW", a body that runs races in the state; "en Barcelona" stays the town.
    """
    clubs = r.clubs
    if not clubs:
        return
    r.found = [m for m in r.found if name_key(m.surface) not in clubs or m.demonym
               or locative_before(r.text, m.start, THRESHOLDS["locative_chars"])
               or (clubs[name_key(m.surface)] != "score"
                   and any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in r.rec.entries(m.surface)))]


@rule("lower_case_demonyms", "document")
def lower_case_demonyms(r: Reading) -> None:
    """Adjectives of nationality in lower case are demonyms ("soldados mexicanos")."""
    # Only the tokens whose word is a demonym are visited, found per distinct word (geo.vocab).
    # The trigger is the per-token test itself: a token is capitalised exactly when its first
    # character is an upper-case letter (geo.tokens), so no lower-case demonym is missed.
    rec = r.rec
    demonyms = rec.demonyms
    hits = vocabulary(rec, "lower_case_demonyms", lambda: lambda w: (
        w[0].isalpha() and not w[0].isupper() and word_key(w) in demonyms), r.lang).among(r.distinct_words())
    if not hits:
        return
    taken = {m.start for m in r.found}
    tokens = r.tokens
    for n in positions(r.texts(), hits):
        t = tokens[n]
        if not t.cap and t.start not in taken:
            r.found.append(Mention(r.doc.id, t.start, t.end, t.text, demonym=True, source="demonym"))


_CUES = LOCATIVES | {"to", "a", "and", "y", "or", "o", ","}  # the words before a lower-case place (lower_case_places)


@rule("lower_case_places", "document")
def lower_case_places(r: Reading) -> None:
    """Large places written in lower case after a preposition of place ("flooding in houston")."""
    # (as posts and chat write them; only by their main name; lists go on: "houston and dallas")
    tokens, text, gaz, lang = r.tokens, r.text, r.rec.gazetteer, r.lang
    # only the tokens up to two before a word that may be in such a place are visited, in order
    texts = r.texts()
    rare = vocabulary(r.rec, ("lower_case_places", lang, gaz.generation),
                      lambda: lower_case_place_words(gaz, lang), lang).among(r.distinct_words())
    if not rare:
        return
    taken = {m.start for m in r.found if m.source != "demonym"}
    lower_ends: set[int] = set()  # token index after each lower-case place
    for n in sorted({n for p in positions(texts, rare) for n in (p - 2, p - 1, p) if n >= 1}):
        t = tokens[n]
        prev = texts[n - 1]
        if t.cap or prev not in _CUES:  # the words after a preposition or a list's link
            continue
        if not (prev in LOCATIVES or prev in ("to", "a") or (prev in ("and", "y", "or", "o", ",") and n - 1 in lower_ends)):
            continue
        if t.text.isalpha() and t.start not in taken:
            place = lower_case_place(r, n)
            if place is not None:
                lower_ends.add(place)
                r.found.append(Mention(r.doc.id, t.start, tokens[place - 1].end, text[t.start:tokens[place - 1].end],
                                       source="lower-case"))


def _large(entries: list, *, main: bool = True) -> bool:
    """A country or state, or a city of a hundred thousand, by its main name (when ``main``)."""
    return any((e.main or not main) and not e.demonym and (
        e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["city"]) for e in entries)


def _add(r: Reading, start: int, end: int, source: str) -> None:
    if not any(m.start < end and start < m.end for m in r.found):
        r.found.append(Mention(r.doc.id, start, end, r.text[start:end], source=source))


@rule("lower_case_texts", "document")
def lower_case_texts(r: Reading) -> None:
    """In a text written all in lower case, as posts are, a large place needs no preposition ("shook tokyo").

    Where no word is capitalised but at a sentence's start, case says nothing: a country,
    a state or a city of a hundred thousand by its main name is found in lower case
    anywhere, unless all its words are words of the language ("phoenix", "reading") or it is
    shorter than four letters ("lol").
    """
    tokens = r.tokens
    if not lower_case_text(tokens):
        return
    gaz, lang = r.rec.gazetteer, r.lang
    n = 0
    while n < len(tokens):
        end = None
        if not tokens[n].cap and tokens[n].text.isalpha():
            for e in range(min(len(tokens), n + 3), n, -1):
                span = tokens[n:e]
                if any(not w.text.isalpha() or w.cap for w in span) or all(
                        gaz.is_common_word(w.text, lang) for w in span):
                    continue
                surface = " ".join(w.text for w in span)
                if len(surface) >= 4 and _large(plausible_entries(surface, r.rec.entries(surface))):
                    end = e
                    break
        if end is None:
            n += 1
            continue
        _add(r, tokens[n].start, tokens[end - 1].end, "lower-case")
        n = end


@rule("hashtags", "document")
def hashtag_places(r: Reading) -> None:
    """A hashtag that is a large place's name (#cdmx), or has one as a CamelCase word (#PrayForMexico), names it.

    The whole tag in any case, if not a word of the language; a word of a tag only
    capitalised, and not where it begins a longer name (#NewYork is no York).
    """
    if "#" not in r.text:
        return
    gaz, lang, rec = r.rec.gazetteer, r.lang, r.rec
    for start, tag in hashtags(r.text):
        if not gaz.is_common_word(tag, lang) and _large(rec.entries(tag), main=not tag.isupper()):
            _add(r, start, start + len(tag), "hashtag")
            continue
        parts = hashtag_parts(tag, start - 1)
        if len(parts) < 2:
            continue
        for i, (pstart, part) in enumerate(parts):
            if not part[0].isupper() or part.isupper() or gaz.is_common_word(part, lang):
                continue
            longer = any(rec.entries(" ".join(p for _, p in parts[a:b]))
                         for a in range(max(0, i - 2), i + 1) for b in range(i + 1, min(len(parts), i + 3) + 1)
                         if b - a > 1)
            if not longer and _large(rec.entries(part)):
                _add(r, pstart, pstart + len(part), "hashtag")


@rule("repeated_letters", "document")
def repeated_letters(r: Reading) -> None:
    """A large place's name with its last letter repeated for emphasis ("Miamiiii") names it, without the repeat."""
    # (repeated_words reads only a post's length and finds nothing without a tripled letter: the
    # document's distinct words say whether it has one at C speed, where a search of the text costs
    # a step per character; see geo.social.tripled for why the two agree)
    if len(r.text) > POST_CHARS or not vocabulary(r.rec, "repeated_letters", lambda: tripled, r.lang).among(
            r.distinct_words()):
        return
    for start, word in repeated_words(r.text):
        short = squeezed(word)
        for name in (short, short + short[-1]):
            if _large(r.rec.entries(name)):
                _add(r, start, start + len(name), "repeated")
                break


@rule("land_features", "document")
def land_features(r: Reading) -> None:
    """Rivers, lakes, ranges named with their generic word ("the Ohio River") replace the place inside.

    Also alone after an article ("los Cárpatos"); their ``source`` is ``"land:<class>"``
    (see :mod:`geo.land`).
    """
    gaz, lang, text = r.rec.gazetteer, r.lang, r.text
    spans = land_spans(r.tokens, text, lang, gaz.lookup, gaz.land_info, lambda w: gaz.is_common_word(w, lang),
                       (r.texts(), r.distinct_words()), vocabulary(r.rec, "land_features", lambda: trigger_word, lang))
    if not spans:
        return
    kept = [m for m in r.found if not any(m.start < e and s < m.end for s, e, _c in spans)]
    taken = {(m.start, m.end) for m in kept}
    for s, e, cls in spans:
        if (s, e) not in taken:
            kept.append(Mention(r.doc.id, s, e, text[s:e], feature_hint=True, source="land:" + cls))
    r.found = kept


@rule("handles_and_links", "document")
def handles_links(r: Reading) -> None:
    """Names inside an @handle or a link are an account or an address, not a place ("@ChicagoPD")."""
    spans = handles_and_links(r.text)
    if spans:
        r.found = [m for m in r.found if not any(s <= m.start < e for s, e in spans)]


@rule("datelines", "document")
def datelines(r: Reading) -> None:
    """A place opening a news story is its dateline ("WASHINGTON —"), the city it was filed from."""
    r.found = [dataclasses.replace(m, role="dateline") if not m.demonym and is_dateline(r.text, m.start, m.end) else m
               for m in r.found]
