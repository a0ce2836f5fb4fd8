"""What the recogniser's rules read (:mod:`geo.rules`).

:class:`Reading` holds one document as the recogniser reads it (its tokens, the
mentions found so far, the people and teams it has named) and the gazetteer match
the rules look at, with the facts of its form they share (a common word? a large
place? a cue in the text?). :data:`THRESHOLDS` holds the numbers they use; the
functions below find people, line-ups and places written in lower case for them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from itertools import chain
from operator import itemgetter

from .context import admin_after, cue_before, news_dateline
from .entries import is_abbrev, strip_accents_differ
from .frequency import is_frequent
from .gazetteer import name_key
from .model import Kind, Mention
from .social import title_case_line
from .vocab import token_texts, word_key
from .wordlists import words

__all__ = ["Reading", "THRESHOLDS", "bylines", "person_at", "title_word", "people_in_lists", "lower_case_place", "lower_case_place_words",
           "takes_article"]

# Numbers the recogniser's rules use, each with its reason.
THRESHOLDS = {
    "town": 10_000,        # a given name alone ("José") is a person unless a town of this size has it as its main name
    "city": 100_000,       # a city of this size is a place even when its name is a common word or heads a longer name
    "major": 1_000_000,    # a city this large counts like a country or state: by its main name, even in lower case
    "state_word": 500_000,  # a Spanish-speaking state or province this large is a place by its main name even when the
                            # name is a word ("Campeche", "Navarra"); smaller units are often surnames ("Herrera", "Rivera")
    "max_name_tokens": 7,  # the longest name looked up in the gazetteer, in tokens ("Santa María del Oro ...")
    "bracket_tokens": 12,  # how far a bracket after a name in a line-up may close ("Matthew Jones (Bellamy, m.72)")
    "quote_chars": 60,     # how far a quoted name may reach around a place ("the “Pizza Hut” in ...")
    "locative_chars": 12,  # how far back a preposition of place is looked for ("in Madrid")
    "common_zipf": 4.0,    # a sentence's first word this frequent in the language is that word, not a small place
    "frequent_zipf": 5.0,  # a word this frequent ("central") is a word, even when a large state has it as its name
}

TITLES = words("titles")  # "presidente Maduro", "Mr. Ripley"
BYLINE_WORDS = words("byline_words")  # "Por: Ana López Ruiz"
_NAME_TAILS = words("admin2_tails") | words("feature_tails")  # "Jackson County", "Hoover Dam": not a surname
_NOT_GIVEN = words("feature_heads") | words("place_heads")  # "Fort", "San": open a place's name, not a person's
_BIG_KINDS = (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT)


class Reading:
    """The recogniser's reading of one document, and the gazetteer match its rules look at.

    ``rec`` is the :class:`geo.recognize.Recognizer` (its gazetteer, ``entries(surface)``
    and ``first_names``). The document's state: ``found`` (the mentions so far),
    ``persons`` (name keys of people), ``person_tokens``, ``clubs`` (name key -> "score"
    or "name", how a town showed as a team), ``pending`` (the matches to test). The
    match: tokens ``ti:tj``, characters ``start:end``, ``surface``, its gazetteer
    ``entries`` (``found_entries`` before a trailing dot was read), ``hint`` (how it
    heads a longer name) and, for the ``keep`` stage, its form (:meth:`read_form`).
    """
    __slots__ = ("rec", "doc", "text", "tokens", "lang", "found", "persons", "person_tokens", "clubs", "pending",
                 "not_people", "titles", "bracketed", "listed", "headlines", "_texts", "_words",
                 "ti", "tj", "start", "end", "entries", "found_entries", "surface", "hint",
                 "plausible", "single", "first", "followed", "common", "_cue", "_major", "_big")

    def __init__(self, rec, doc, tokens: list, lang: str):
        self.rec, self.doc, self.text, self.tokens, self.lang = rec, doc, doc.text, tokens, lang
        self.found: list[Mention] = []
        self.persons: set[str] = set()
        self.person_tokens: set[int] = set()
        self.clubs: dict[str, str] = {}
        self.pending: list[tuple[int, int, list, bool, str]] = []  # (ti, tj, entries, feature, hint)
        self.not_people: set[int] | None = None  # token indices of nicknamed names and bylines (people)
        self.titles: set[str] = set()  # the words of the document that are titles (title_word), with not_people
        self.bracketed: dict[int, bool] | None = None  # affiliations
        self.headlines: dict[int, bool] | None = None  # line start -> in Title Case (geo.social), when asked
        self._texts: list[str] | None = None
        self._words: frozenset[str] | None = None

    def texts(self) -> list[str]:
        """The texts of the document's tokens, in order (made once, shared by the rules that
        look for a few words in the whole text: :mod:`geo.vocab`)."""
        if self._texts is None:
            self._texts = token_texts(self.tokens)
        return self._texts

    def distinct_words(self) -> frozenset[str]:
        """The distinct texts of the document's tokens (made once: :mod:`geo.vocab`; a frozenset,
        so that the vocabularies that read it find its new words once for all of them)."""
        if self._words is None:
            self._words = frozenset(self.texts())
        return self._words

    def read_form(self, plausible: list, reads_common: bool) -> None:
        """The facts the ``keep`` rules read: one word or more, its first token, whether it
        heads a longer name, whether it is a common word of the language (only when
        ``reads_common``: the common_words rule), and the entries its form allows."""
        first = self.first = self.tokens[self.ti]
        self.single = self.tj - self.ti == 1
        self.followed = self.hint in ("followed", "named")
        self._cue = self._major = self._big = None
        gaz, lang = self.rec.gazetteer, self.lang
        # all capitals hide whether a word is common ("PARA"), except for abbreviations ("US")
        common = self.common = reads_common and self.single and gaz.is_common_word(first.text, lang) and not (
            first.upper and any(is_abbrev(e.name) for e in plausible))
        if common and not (first.upper and not gaz.is_common_word(first.text.lower(), lang)):
            # (headlines in capitals drop accents: "CORDOBA" is no word, "PARA" is)
            # "Para" is the word, "Pará" the state: accents must agree for common words
            surface = self.surface
            plausible = [e for e in plausible if not strip_accents_differ(e.name, surface)]  # (memoised)
        self.plausible = plausible

    def cue(self) -> bool:
        """The text says the one-word match is a place: a place word or nearness before it,
        ", Texas" after it, or a wire's dateline."""
        if self._cue is None:
            t = self.tokens
            self._cue = cue_before(t, self.ti) or admin_after(t, self.tj, self.rec.entries) or news_dateline(t, self.tj)
        return self._cue

    def in_headline(self, pos: int) -> bool:
        """Whether offset ``pos`` is in a line in Title Case (:func:`geo.social.title_case_line`)."""
        if self.headlines is None:
            self.headlines = {}
        start = self.text.rfind("\n", 0, pos) + 1
        hit = self.headlines.get(start)
        if hit is None:
            gaz, lang = self.rec.gazetteer, self.lang
            hit = self.headlines[start] = title_case_line(self.text, pos, lambda w: gaz.is_common_word(w, lang))[1]
        return hit

    def major(self) -> bool:
        """A country, state, continent, sea or city of a million by its main name, abbreviation or exonym,
        or a world region or large island (geo/data/regions.tsv) by its main name ("Java")."""
        if self._major is None:
            exonyms = self.rec.gazetteer.exonym_places(self.surface, self.lang)  # "Bruselas", "Pekín"
            self._major = any((e.main or is_abbrev(e.name) or e.place.place_id in exonyms) and (
                e.place.kind in _BIG_KINDS or e.place.feature_code == "SEA" or e.place.population >= THRESHOLDS["major"])
                or (e.main and e.place.feature_code == "RGN" and not is_abbrev(e.name))  # "Java", not "UE"
                for e in self.plausible)
        return self._major

    def big(self) -> bool:
        """A large place: major, or a city by its main name, or by an exonym that is not a
        common word ("Londres", "Ginebra"), or a demonym, or a place outside the embedded layer."""
        if self._big is None:
            exonyms = self.rec.gazetteer.exonym_places(self.surface, self.lang)
            self._big = self.major() or any(
                e.demonym or e.place.layer != "embedded" or e.place.kind in _BIG_KINDS
                or ((e.main or not self.common or e.place.place_id in exonyms) and e.place.population >= THRESHOLDS["city"])
                for e in self.plausible)
        return self._big

    def weak(self) -> bool:
        """A common word kept only because it names a large place ("Western", "Orange"), unless
        the language knows it as a city where it is spoken ("Málaga"), it is, in Spanish, the main
        name of a state or province of half a million where Spanish is spoken ("Tabasco"; not a very
        frequent word such as "Central"; English ones are compass words: "Western", "Northern"), or a very large place."""
        gaz, lang = self.rec.gazetteer, self.lang
        speaking = gaz.countries_speaking(lang)
        return self.common and not (gaz.is_proper_word(self.first.text, lang) and any(
            e.place.kind == Kind.CITY and e.place.country_code in speaking
            and e.place.population >= THRESHOLDS["city"] for e in self.plausible)) and not any(
            lang == "es" and e.main and e.place.kind == Kind.ADMIN1 and e.place.country_code in speaking
            and e.place.population >= THRESHOLDS["state_word"] and not self.frequent()  # "Tabasco", "Navarra"
            for e in self.plausible) and not any(
            e.main and (e.place.kind == Kind.CITY and e.place.population >= THRESHOLDS["major"]  # "Lima"
                        or e.place.feature_code in ("SEA", "RGN") or e.place.kind == Kind.CONTINENT)  # "the Pacific"
            for e in self.plausible)

    def frequent(self) -> bool:
        """The first word is among the language's most frequent ("Central", "Santa"): a word first."""
        return is_frequent(self.first.text.lower(), self.lang, THRESHOLDS["frequent_zipf"])

    def large_or_state(self) -> bool:
        """A country or state, or a city of a hundred thousand, among the match's entries."""
        return any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["city"]
                   for e in self.plausible)


# ---------------------------------------------------------------------- people, line-ups, lower case

def bylines(r: Reading) -> set[int]:
    """Token indices of bylines: a line holding only a name ("Demian Duarte",
    "Por: Ana López Ruiz", "By John Smith") that the gazetteer does not know whole."""
    tokens, text = r.tokens, r.text
    out: set[int] = set()
    # only lines of at most 6 blank-separated chunks can hold 2 to 6 tokens (a chunk is one
    # token or more): those are found at C speed, and their tokens by bisection over the
    # tokens' starts (only blanks lie between tokens, so a line's tokens lie between its ends)
    for m in chain((_FIRST_SHORT_LINE.match(text),), _SHORT_LINE.finditer(text)):
        if m is None:
            continue
        i, j = bisect_left(tokens, m.start(), key=_START), bisect_left(tokens, m.end(), key=_START)
        if not 2 <= j - i <= 6:  # a name of 2 to 4 words, after "Por:" at most
            continue
        line = tokens[i:j]
        names = line[2:] if len(line) > 2 and line[0].text.lower() in BYLINE_WORDS and line[1].text == ":" else \
            line[1:] if line and line[0].text.lower() in BYLINE_WORDS else line
        if 2 <= len(names) <= 4 and all(t.cap and not t.upper and t.text.isalpha() for t in names) \
                and not r.rec.entries(text[names[0].start:names[-1].end]):
            out.update(range(i, j))
    return out


_START = itemgetter(1)  # a token's start
_TITLED: dict[str, bool] = {}  # a word as written -> whether it is a title ("Gov", "PRESIDENTE")
# a line of 1 to 6 chunks (possessive: a long line fails after its sixth chunk, without backtracking)
_FIRST_SHORT_LINE = re.compile(r"[^\S\n]*+(?:\S++[^\S\n]*+){1,6}+(?![^\n])")
_SHORT_LINE = re.compile(r"\n" + _FIRST_SHORT_LINE.pattern)


def title_word(word: str) -> bool:
    """Whether a word as written is a title ("presidente", "Gov.", "MR"): a person's name may follow."""
    return word.lower().rstrip(".") in TITLES


def person_at(r: Reading, k: int, j: int) -> int | None:
    """End of a person's name starting at token k (in a run ending at j), or None.

    A person is a title followed by a capitalised word ("presidente
    Maduro"), or a given name followed by a capitalised word ("Donald
    Trump"), unless the gazetteer knows the pair ("Santa Fe") or the second
    word makes it a place ("Jackson County").
    """
    # (called for most of a text's capitalised words, so the cheap tests that reject come
    # first and the gazetteer is asked after them; every test that returns None is independent
    # of the others, so their order does not change the answer)
    tokens = r.tokens
    titled = False
    if k:
        prev = tokens[k - 1].text
        if prev == "." and k > 1:
            prev = tokens[k - 2].text
        titled = _TITLED.get(prev)
        if titled is None:  # (each word as written is folded once, not at every capitalised word after it)
            if len(_TITLED) > 100_000:
                _TITLED.clear()
            titled = _TITLED[prev] = title_word(prev)
    if not (k + 1 < j and tokens[k + 1].cap):
        return k + 1 if titled else None  # one word: a person only after a title ("presidente Maduro")
    tok, nxt = tokens[k], tokens[k + 1]
    rec = r.rec
    gaz, first_names = rec.gazetteer, rec.first_names
    word = tok.text
    is_given = not tok.upper and name_key(word) in first_names
    headline = False  # in a headline in Title Case, every word is capitalised: "Paris Marathon", "In Ohio"
    if is_given:
        headline = r.in_headline(tok.start)
        if (tok.sent_start or headline) and gaz.is_common_word(word, r.lang):
            is_given = False  # "An American soldier", "Will Texas vote": a word, not a name
    # a word that is neither a place nor a dictionary word, before a capitalised
    # word, is most likely a given name the name list lacks ("Demian Duarte")
    # (its look-ups wait until the cheaper tests below have passed)
    maybe_unknown = (not is_given and not titled and not tok.upper and not tok.sent_start
                     and word.lower() not in _NOT_GIVEN)
    if not (titled or is_given or maybe_unknown):
        return None
    second = nxt.text.lower()
    if second in _NAME_TAILS:
        return None  # "Jackson County", "Hoover Dam"
    if not titled and second.rstrip(".") in TITLES:
        return None  # "Georgia Gov. Brian Kemp": the word before a title is the title's place, not a given name
    if maybe_unknown:
        if rec.entries(word) or gaz.is_common_word(word, r.lang):
            return None  # a place or a word of the language, not an unknown given name
        if any(e.place.kind in _BIG_KINDS for e in rec.entries(nxt.text)):
            return None  # "Cartel Jalisco", "Greater Texas": the second word is the place
    pair = rec.entries(r.text[tok.start:nxt.end])
    # two given names ("Francisco Javier") are a person unless they name a sizeable
    # place ("San Francisco", "Santa Rosa"); other pairs the gazetteer knows are places ("Santa Fe")
    if pair and not (is_given and name_key(nxt.text) in first_names and not any(
            e.place.population >= THRESHOLDS["city"] or e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in pair)):
        return None
    end = k + 1
    while end < j and tokens[end].cap and not (end > k + 1 and news_dateline(tokens, end + 1)) and not (
            headline and gaz.is_common_word(tokens[end].text, r.lang)):
        end += 1
    return end if end > k + 1 else None


def people_in_lists(r: Reading) -> set[str]:
    """Names of small places that stand in a list of people ("Dida, Cafu, Franca,
    Rivaldo"; "Page, Melville, Delaney, Matthew Jones").

    A list is four or more short capitalised items separated by commas (the last
    by "y", "and"); bracketed asides stay with their item. Where at least two
    items are people and fewer than half are places, its one-word places (and
    those of its asides) that are not countries, states or cities of a million
    are taken for surnames, here and elsewhere in the text.
    """
    tokens, person_tokens = r.tokens, r.person_tokens
    places = _list_places(r) if len(person_tokens) >= 2 else None
    if not places:
        return set()
    at = {m.start: m for m in r.found if not m.demonym}
    out: set[str] = set()
    items: list[tuple[int, int]] = []  # token ranges
    asides: list[tuple[int, int]] = []
    n = len(tokens)

    def close() -> None:
        if len(items) >= 4:
            places = [at.get(tokens[a].start) for a, b in items]
            places = [p if p is not None and p.end == tokens[b - 1].end else None for p, (a, b) in zip(places, items)]
            people = sum(any(x in person_tokens for x in range(a, b)) for a, b in items)
            if people >= 2 and 2 * sum(p is not None for p in places) < len(items):
                inside = [at.get(tokens[x].start) for a, b in asides for x in range(a, b)]
                for p in places + inside:
                    if p is not None and " " not in p.surface and not any(
                            e.place.kind in _BIG_KINDS or e.place.population >= THRESHOLDS["major"]
                            for e in r.rec.entries(p.surface)):
                        out.add(name_key(p.surface))
        items.clear()
        asides.clear()

    def scan(i: int, stop: int) -> int:
        """Read the lists from token i (with none open) until past token ``stop`` with none open."""
        while i < n and (i <= stop or items):
            if not tokens[i].cap:
                if items:  # (asides come only with items)
                    close()
                i += 1
                continue
            j = i
            while j < n and tokens[j].cap and j - i < 4:
                j += 1
            if j < n and tokens[j].cap:  # too long for a name
                close()
                i = j
                continue
            items.append((i, j))
            k = j
            if k < n and tokens[k].text == "(":  # "Matthew Jones (Bellamy, m.72)"
                close_at = next((x for x in range(k, min(n, k + THRESHOLDS["bracket_tokens"])) if tokens[x].text == ")"), None)
                if close_at is not None:
                    asides.append((k + 1, close_at))
                    k = close_at + 1
            if k < n and tokens[k].text in _LIST_SEPARATORS:
                i = k + 1
                continue
            close()
            i = k + 1 if k < n else n
        if i >= n:
            close()
        return i

    # Only the lists around a place that could stand in one are read (:func:`_list_places`),
    # each from a token where a reading of the whole text would have no list open either
    # (:func:`_list_break`): the same lists, without a Python step for every token.
    i = 0
    for a in places:
        if a >= i:
            i = scan(max(i, _list_break(tokens, r.text, a, i)), a)
    return out


def _list_places(r: Reading) -> list[int]:
    """The first tokens of the one-word places found that could stand in a list of
    :func:`people_in_lists`, in order: a separator right before or after one, an opening
    bracket after it, or one within the reach of an aside before it. A list's places
    are all among them: an item after the first follows a separator, the first is
    followed by one or by its aside, and an aside opens at most that far before its words."""
    tokens, text = r.tokens, r.text
    n, reach = len(tokens), THRESHOLDS["bracket_tokens"]
    out = []
    for m in r.found:
        if m.demonym or " " in m.surface:
            continue
        a = bisect_left(tokens, m.start, key=_START)
        if a and tokens[a - 1].text in _LIST_SEPARATORS or "(" in text[tokens[max(0, a - reach)].start:m.start]:
            out.append(a)  # ("(" is always a token of its own: one in the text before is one of those tokens)
            continue
        b = bisect_left(tokens, m.end, key=_START)
        if b < n and (tokens[b].text in _LIST_SEPARATORS or tokens[b].text == "("):
            out.append(a)
    return sorted(out)


def _list_break(tokens: list, text: str, a: int, floor: int) -> int:
    """A token at or before ``a`` (not before ``floor``) from which :func:`people_in_lists`
    reads as it would from the text's start: one after a lower-case word that is neither an
    item, nor the word right after an item or an aside, nor inside an aside (no opening
    bracket within an aside's reach before it). Every list that stops there ended before."""
    reach = THRESHOLDS["bracket_tokens"]
    t = a - 1
    while t > floor:
        if not tokens[t].cap and not tokens[t - 1].cap and tokens[t - 1].text != ")" and \
                "(" not in text[tokens[max(0, t - reach)].start:tokens[t].start]:
            return t + 1
        t -= 1
    return floor


_LIST_SEPARATORS = frozenset({",", ";", "y", "e", "and", "&"})  # between the items of a list


def lower_case_place(r: Reading, n: int) -> int | None:
    """End of a large place written in lower case from token n ("houston", "new york"),
    or None. Countries, states and cities of a million by their main name, not
    words of the language ("china", "turkey", "chile")."""
    tokens, gaz, lang = r.tokens, r.rec.gazetteer, r.lang
    for end in range(min(len(tokens), n + 3), n, -1):
        span = tokens[n:end]
        if any(not w.text.isalpha() or w.cap for w in span):
            continue
        if all(gaz.is_common_word(w.text, lang) for w in span):
            continue  # "china", "far north": words of the language
        surface = " ".join(w.text for w in span)
        if any(e.main and (e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["major"])
               for e in r.rec.entries(surface)):
            return end
    return None


def lower_case_place_words(gaz, lang: str) -> Callable[[str], bool]:
    """Whether a word as written may be in a place :func:`lower_case_place` finds: in lower
    case, not a common word of ``lang``, and a word of the key of a large place's main name.

    Such a place has at least one such word (a :class:`geo.vocab.Vocabulary` of them tells
    which tokens to visit): its words are in lower case and not all common, and its key
    (:func:`geo.gazetteer.name_key`) is one of ``gaz.main_name_keys``; the key of words
    joined by spaces is their own keys joined by spaces, so each word's key is a word of that
    name (a word whose key is empty or holds a space, from odd letters, is let through)."""
    name_words = {word for key in gaz.main_name_keys(THRESHOLDS["major"]) for word in key.split(" ")}

    def rare(word: str) -> bool:
        if not word.isalpha() or word[0].isupper():
            return False
        key = word_key(word)
        return (key in name_words or not key or " " in key) and not gaz.is_common_word(word, lang)
    return rare


def takes_article(entries: list) -> bool:
    """Seas, regions, countries and states take an article ("el Pacífico", "el
    Perú", "el Chocó", "el Tíbet"); a state that shares its name with a city does
    not ("el Madrid", "el Puebla", "el Portland" are clubs)."""
    if any(e.place.kind in (Kind.COUNTRY, Kind.CONTINENT) or e.place.feature_code in ("SEA", "RGN") for e in entries):
        return True
    return any(e.place.kind == Kind.ADMIN1 for e in entries) and not any(
        e.place.kind == Kind.CITY and e.place.population >= THRESHOLDS["city"] for e in entries)
