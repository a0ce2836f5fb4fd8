"""Find the spans of a text that name places, in Spanish and English.

Recognition is gazetteer-driven: runs of capitalised words are matched,
longest first, against the gazetteer's names. Context then removes what is not
a place:

* people: a run that starts with a title or a known first name ("Donald
  Trump", "Cilia Flores") is a person, and its surname is not a place anywhere
  else in the document ("Trump ha amenazado...");
* common words: a capitalised word that the language's dictionary lists in
  lower case ("Pero", "March", "Police") is dropped unless it is the main name
  of a large place or the text places it ("Police, Poland");
* abbreviations must be written as abbreviations ("US" yes, "Us" no).

Spans that the gazetteer lacks are still found when they have a feature head
or tail word ("Camp Shelby", "Fort Hood", "Río Bravo", "Tangipahoa Parish"):
the resolver then falls back to the enclosing unit. Demonyms ("mexicanos",
"American") are found as their own kind.

Each rule has a name and a one-line reason in :data:`RULES`, in the order the rules
act; ``Recognizer(gazetteer, disabled={"sports_teams"})`` skips the named ones, and
:data:`THRESHOLDS` holds the numbers they use.
"""
from __future__ import annotations

import dataclasses
import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

from . import langid
from .gazetteer import Gazetteer, name_key
from .land import is_land, land_spans
from .model import Document, Kind, Mention
from .tokens import Token, capitalised_runs, tokenize
from .context import (LOCAL_CUES, LOCATIVES, OFFICES, CLUB_PREFIXES, admin_after, affiliation, article_phrase,
                      club_article, club_context, cue_before, in_quoted_name, is_dateline, locative_before,
                      match_result, names_a_disease, news_dateline, nicknamed_people, opens_dateline, year_after)
from .wordlists import sequences, words

__all__ = ["recognize", "detect_language", "Recognizer", "is_dateline", "THRESHOLDS", "RULES", "Rule"]

# The word lists (geo/data/words/, each file says what it holds and why)
CONNECTORS = sequences("connectors")  # language -> lower-case word sequences inside a name ("de la")
FEATURE_HEADS = words("feature_heads")  # "Camp Shelby", "Río Bravo"
FEATURE_TAILS = words("feature_tails")  # "Yazoo River", "Memphis St."
ADMIN2_TAILS = words("admin2_tails")  # "Tangipahoa Parish"
TITLES = words("titles")  # "presidente Maduro", "Mr. Ripley"
PLACE_HEADS = words("place_heads")  # "Ciudad de México"
URBAN_CUES = LOCAL_CUES - words("settlement_cues")  # a street, a neighbourhood or a building, never a town
BYLINE_WORDS = words("byline_words")  # "Por: Ana López Ruiz"


# Numbers the recogniser's rules use, each with its reason.
THRESHOLDS = {
    "town": 10_000,        # a given name alone ("José") is a person unless a town of this size has it as its main name
    "city": 100_000,       # a city of this size is a place even when its name is a common word or heads a longer name
    "major": 1_000_000,    # a city this large counts like a country or state: by its main name, even in lower case
    "max_name_tokens": 7,  # the longest name looked up in the gazetteer, in tokens ("Santa María del Oro ...")
    "bracket_tokens": 12,  # how far a bracket after a name in a line-up may close ("Matthew Jones (Bellamy, m.72)")
    "quote_chars": 60,     # how far a quoted name may reach around a place ("the “Pizza Hut” in ...")
    "locative_chars": 12,  # how far back a preposition of place is looked for ("in Madrid")
    "common_zipf": 4.0,    # a sentence's first word this frequent in the language is that word, not a small place
}


@functools.lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def detect_language(text: str, *, default: str = "en") -> str:
    """ISO 639-1 code of the text's language (``en``, ``es``, ...).

    Uses py3langid's model (through geo.langid) on the first few thousand
    characters; short or unclear text
    gets ``default``.

    >>> detect_language("El presidente viajó a la ciudad de México con sus ministros.")
    'es'
    """
    sample = text[:5000]
    if len(sample.strip()) < 20:
        return default
    return langid.classify(sample) or default


class Recognizer:
    """Finds mentions with one gazetteer; reuse it across documents."""

    def __init__(self, gazetteer: Gazetteer, disabled: Iterable[str] = ()):
        """``disabled``: names of rules (see :data:`RULES`) to skip, to measure what each
        is worth (``bench/accuracy.py --ablate``)."""
        self.gazetteer = gazetteer
        self.disabled = frozenset(disabled)
        unknown = self.disabled - {r.name for r in RULES}
        if unknown:
            raise ValueError(f"unknown recogniser rule: {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(r.name for r in RULES)})")
        self._filters = [r for r in RULES if r.stage == "candidate" and r.name not in self.disabled]
        self._on = {r.name: r.name not in self.disabled for r in RULES}
        self._key_cache: dict[str, list] = {}
        self._demonyms = gazetteer.demonym_keys()
        self._demonym_words: dict[str, bool] = {}  # lower-case words as written -> whether a demonym
        self._first_names = gazetteer.first_names()
        self._lang = "en"

    def _entries(self, surface: str) -> list:
        key = (name_key(surface), self._lang)
        hit = self._key_cache.get(key)
        if hit is None:
            hit = self.gazetteer.lookup(surface, self._lang) if self.gazetteer.has_key(key[0]) else []
            hit = [e for e in hit if not is_land(e[0])]  # land features: only through _with_land
            if len(self._key_cache) > 500_000:
                self._key_cache.clear()
            self._key_cache[key] = hit
        return hit

    def recognize(self, doc: Document) -> list[Mention]:
        text = doc.text
        lang = doc.lang or detect_language(text)
        self._lang = lang
        tokens = tokenize(text)
        found: list[Mention] = []
        persons: set[str] = set()
        person_tokens: set[int] = set()
        clubs: dict[str, str] = {}  # name key -> "score" or "name": how it showed as a team
        pending: list[tuple[int, int, list, bool, str]] = []  # (ti, tj, entries, feature, kind-hint)
        first_names = self._first_names

        on = self._on
        nicknamed = nicknamed_people(tokens, first_names) | self._bylines(tokens, text) if on["people"] else set()
        for i, j in capitalised_runs(tokens, text, CONNECTORS.get(lang, CONNECTORS["en"])):
            k = i
            while k < j:
                if not tokens[k].cap or k in nicknamed:  # connectors start nothing; people are not places
                    k += 1
                    continue
                person_end = self._person_at(tokens, text, k, j, first_names) if on["people"] else None
                if person_end:
                    person_tokens.update(range(k, person_end))
                    for t in tokens[k + 1:person_end]:
                        persons.add(name_key(t.text))
                    if person_end == k + 1:  # "Mr. Ripley", "presidente Maduro"
                        persons.add(name_key(tokens[k].text))
                    k = person_end
                    continue
                match = None
                for end in range(min(j, k + THRESHOLDS["max_name_tokens"]), k, -1):
                    last = tokens[end - 1]
                    if not last.cap:
                        continue
                    entries = self._entries(text[tokens[k].start:last.end])
                    if entries:
                        match = (k, end, entries)
                        break
                if match is not None and match[1] == k + 1 and tokens[k].text.lower().rstrip(".") in FEATURE_HEADS:
                    match = None  # "Camp" alone is a word; "Camp Shelby" is the feature
                hint = self._feature_span(tokens, k, j)
                if match is not None and hint and (hint[0] > match[1] or hint[1] == "street") and not any(
                        e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) and e.place.population >= THRESHOLDS["major"] for e in match[2]):
                    # "Edgar County" (not in the gazetteer) rather than the town of Edgar;
                    # "estadio Azteca", "colonia Guadalupe" rather than a town
                    match = None
                if match is None:
                    if hint:
                        pending.append((k, hint[0], [], True, hint[1]))
                        k = hint[0]
                    else:
                        k += 1
                    continue
                shouting = all(t.upper for t in tokens[i:match[1]] if t.cap)  # a headline in capitals is one run
                if (lang == "es" and not shouting and self._inside_name(tokens, i, match[0])) or (not shouting and
                        match[0] - 1 not in person_tokens and self._modifies_a_name(tokens, i, match[0], lang)):
                    k = match[1]
                    continue
                # the match heads a longer name: Spanish puts the head first ("Centro de
                # Salud", "Red Feminista"); English only with "of" ("Bank of America")
                nxt = tokens[match[1]] if match[1] < j else None
                # (not in a headline in capitals, where every word is capitalised)
                followed = nxt is not None and (lang == "es" or nxt.text.lower() in ("of", "de")) and not (
                    tokens[match[1] - 1].upper and nxt.upper)
                named = followed and nxt.cap  # directly by a capitalised word: "China Popular"
                pending.append((match[0], match[1], match[2], False, "named" if named else "followed" if followed else ""))
                k = match[1]

        # "Unai (Mérida)": a town in brackets after a name is an affiliation (a club, a
        # party), but a place after a place is its province ("Ecija (Sevilla)"). Where
        # the text lists such pairs and most are names, all are: surnames are often
        # towns too ("Suárez (Toledo)"), and states join ("Fredi (Extremadura)")
        bracketed = {ti: self._after_place(tokens, ti) and ti - 2 not in person_tokens
                     for ti, tj, entries, _, _ in pending if entries and affiliation(tokens, ti, tj)}
        listed = len(bracketed) >= 3 and 2 * sum(not p for p in bracketed.values()) >= len(bracketed)
        cand = _Candidate(self, tokens, text, lang, clubs, bracketed, listed)
        for ti, tj, entries, feature, hint in pending:
            start, end = tokens[ti].start, tokens[tj - 1].end
            cand.ti, cand.tj, cand.found_entries = ti, tj, entries
            if feature:
                found.append(Mention(doc.id, start, end, text[start:end], feature_hint=True, source="feature-word:" + hint))
                continue
            # "Kan." and "Calif." are abbreviations only with their dot; "Kan" is a town
            dotted = [e for e in entries if e.name.endswith(".") and not _is_abbrev(e.name)]
            if dotted and (text[end - 1] == "." or text[end:end + 1] == "."):
                end += text[end - 1] != "."
                entries = dotted
            else:
                entries = [e for e in entries if e not in dotted]
            surface = text[start:end]
            cand.start, cand.end, cand.entries, cand.surface = start, end, entries, surface
            if any(rule.fn(cand) for rule in self._filters):
                continue  # money, a disease, an event, a brand, a team...: not a place
            source = self._keep(tokens, ti, tj, entries, surface, persons, lang, hint) if entries else None
            if source is None:
                continue
            found.append(Mention(doc.id, start, end, surface, demonym=_is_demonym(entries), source=source))
        named = self._people_in_lists(tokens, found, person_tokens) if on["line_ups"] else set()
        if named:  # "Freestone, Gareth Roberts, Page, Melville, Delaney": a line-up, not towns
            persons |= named
            found = [m for m in found if m.demonym or name_key(m.surface) not in named]
        if clubs:
            # one sense per document: where a town names a team, its bare name is the team;
            # a country or state only when it played ("Gales, 0 - Brasil, 3"), not after
            # "Racing NSW", a body that runs races in the state
            found = [m for m in found if name_key(m.surface) not in clubs or m.demonym or locative_before(text, m.start, THRESHOLDS["locative_chars"])
                     or (clubs[name_key(m.surface)] != "score"
                         and any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in self._entries(m.surface)))]

        # lower-case demonyms ("soldados mexicanos", "el mandatario estadounidense")
        taken = {(m.start) for m in found}
        demonym_words = self._demonym_words
        for t in tokens if on["lower_case_demonyms"] else ():
            if t.cap:
                continue
            is_demonym = demonym_words.get(t.text)
            if is_demonym is None:  # each word as written is folded once, not at every occurrence
                if len(demonym_words) > 200_000:
                    demonym_words.clear()
                is_demonym = demonym_words[t.text] = t.text[0].isalpha() and name_key(t.text) in self._demonyms
            if is_demonym and t.start not in taken:
                found.append(Mention(doc.id, t.start, t.end, t.text, demonym=True, source="demonym"))
        # large places written in lower case, as in posts and chat ("flooding in houston",
        # "desde méxico"): only after a preposition of place, only by their main name
        lower_ends: set[int] = set()  # token index after each lower-case place: lists go on ("houston and dallas")
        for n, t in enumerate(tokens if on["lower_case_places"] else ()):
            if not n or t.cap or not t.text.isalpha() or t.start in taken:
                continue
            prev = tokens[n - 1].text
            if prev in LOCATIVES or prev in ("to", "a") or (prev in ("and", "y", "or", "o", ",") and n - 1 in lower_ends):
                place = self._lower_case_place(tokens, n, lang)
                if place is not None:
                    lower_ends.add(place)
                    found.append(Mention(doc.id, t.start, tokens[place - 1].end, text[t.start:tokens[place - 1].end],
                                         source="lower-case"))
        if on["land_features"]:
            found = self._with_land(doc, tokens, text, lang, found)
        found.sort(key=lambda m: (m.start, m.end))
        if not on["datelines"]:
            return found
        return [dataclasses.replace(m, role="dateline") if not m.demonym and is_dateline(text, m.start, m.end) else m
                for m in found]

    # ------------------------------------------------------------------ land features
    def _with_land(self, doc: Document, tokens: list[Token], text: str, lang: str,
                   found: list[Mention]) -> list[Mention]:
        """Rivers, lakes, ranges, peaks... named with their generic word ("the Ohio
        River", "el río Lerma") or alone after an article ("los Cárpatos"): each
        replaces what the general pass found inside it (the state of Ohio, the town
        of Lerma). Their ``source`` is ``"land:<class>"``. See :mod:`geo.land`."""
        spans = land_spans(tokens, text, lang, self.gazetteer.lookup, self.gazetteer.land_info,
                           lambda w: self.gazetteer.is_common_word(w, lang))
        if not spans:
            return found
        kept = [m for m in found if not any(m.start < e and s < m.end for s, e, _c in spans)]
        taken = {(m.start, m.end) for m in kept}
        for s, e, cls in spans:
            if (s, e) not in taken:
                kept.append(Mention(doc.id, s, e, text[s:e], feature_hint=True, source="land:" + cls))
        return kept

    def mention_for_span(self, doc: Document, start: int, end: int) -> Mention:
        """A mention for a span found elsewhere; a demonym if the gazetteer says so."""
        if not (0 <= start < end <= len(doc.text)):
            raise ValueError(f"{doc.id}: span ({start}, {end}) is outside the text (length {len(doc.text)})")
        surface = doc.text[start:end]
        self._lang = doc.lang or self._lang
        demonym = _is_demonym(self._entries(surface))
        role = "dateline" if not demonym and is_dateline(doc.text, start, end) else "text"
        return Mention(doc.id, start, end, surface, demonym=demonym, source="given", role=role)

    def _bylines(self, tokens: list[Token], text: str) -> set[int]:
        """Token indices of bylines: a line holding only a name ("Demian Duarte",
        "Por: Ana López Ruiz", "By John Smith") that the gazetteer does not know whole."""
        out: set[int] = set()
        i, n = 0, len(tokens)
        while i < n:
            j = i + 1
            while j < n and "\n" not in text[tokens[j - 1].end:tokens[j].start]:
                j += 1
            line = tokens[i:j]
            words = line[2:] if len(line) > 2 and line[0].text.lower() in BYLINE_WORDS and line[1].text == ":" else \
                line[1:] if line and line[0].text.lower() in BYLINE_WORDS else line
            if 2 <= len(words) <= 4 and all(t.cap and not t.upper and t.text.isalpha() for t in words) \
                    and not self._entries(text[words[0].start:words[-1].end]):
                out.update(range(i, j))
            i = j
        return out

    def _person_at(self, tokens: list[Token], text: str, k: int, j: int, first_names: frozenset[str]) -> int | None:
        """End of a person's name starting at token k, or None.

        A person is a title followed by a capitalised word ("presidente
        Maduro"), or a given name followed by a capitalised word ("Donald
        Trump"), unless the gazetteer knows the pair ("Santa Fe") or the second
        word makes it a place ("Jackson County").
        """
        prev = tokens[k - 1] if k > 0 else None
        if prev is not None and prev.text == "." and k > 1:
            prev = tokens[k - 2]
        titled = prev is not None and prev.text.lower().rstrip(".") in TITLES
        is_given = name_key(tokens[k].text) in first_names and not tokens[k].upper
        if is_given and tokens[k].sent_start and self.gazetteer.is_common_word(tokens[k].text, self._lang):
            is_given = False  # "An American soldier", "Will Texas vote": a word, not a name
        # a word that is neither a place nor a dictionary word, before a capitalised
        # word, is most likely a given name the name list lacks ("Demian Duarte")
        unknown = (not is_given and not titled and not tokens[k].upper and not tokens[k].sent_start
                   and not self._entries(tokens[k].text)
                   and not self.gazetteer.is_common_word(tokens[k].text, self._lang)
                   and tokens[k].text.lower() not in FEATURE_HEADS | PLACE_HEADS)
        if not (titled or is_given or unknown):
            return None
        if k + 1 < j and tokens[k + 1].cap:
            second = tokens[k + 1].text.lower()
            pair = self._entries(text[tokens[k].start:tokens[k + 1].end])
            # two given names ("Francisco Javier") are a person unless they name a sizeable
            # place ("San Francisco", "Santa Rosa")
            double_given = is_given and name_key(tokens[k + 1].text) in first_names and not any(
                e.place.population >= THRESHOLDS["city"] or e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in pair)
            if second in ADMIN2_TAILS or second in FEATURE_TAILS or (pair and not double_given):
                return None
            if unknown and any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT)
                               for e in self._entries(tokens[k + 1].text)):
                return None  # "Cartel Jalisco", "Greater Texas": the second word is the place
            end = k + 1
            while end < j and tokens[end].cap and not (end > k + 1 and news_dateline(tokens, end + 1)):
                end += 1
            return end
        return k + 1 if titled else None

    @staticmethod
    def _inside_name(tokens: list[Token], run_start: int, k: int) -> bool:
        """A place at the end of a longer Spanish name: "Universidad de Sonora", "Copa de Europa".

        The place is the complement of an organisation, event or building
        ("X de PLACE") and is part of that name, not a mention of its own,
        unless the head word is itself a place word ("Ciudad de México",
        "Estado de Sonora"). Only for Spanish: English news geoparsing counts the
        place in "University of Texas" or "Bank of America" as a mention (LGL and
        GeoVirus annotate it), and it does say where the thing is.
        """
        if k - run_start < 2:
            return False
        connector = tokens[k - 1].text.lower()
        if connector not in ("de", "del", "of", "do", "da", "la", "the"):
            return False
        head = tokens[run_start]
        if run_start > 0 and tokens[run_start - 1].text in OFFICES:
            return False  # "ministro del Interior de Colombia": an office of the place
        return head.text.lower() not in PLACE_HEADS and head.text.lower() not in FEATURE_HEADS

    def _modifies_a_name(self, tokens: list[Token], run_start: int, k: int, lang: str) -> bool:
        """Spanish "Cártel Jalisco", "Grupo de Coordinación Tamaulipas": a place right
        after a capitalised common noun names the thing, as English "Texas Rangers" does
        with the place first."""
        if lang != "es" or k == run_start:
            return False
        prev = tokens[k - 1]
        word = prev.text.lower()
        if prev.upper and 2 <= len(prev.text) <= 6 and prev.text.isalpha() and not tokens[k].upper \
                and not (k >= 2 and tokens[k - 2].upper) and word not in CLUB_PREFIXES \
                and not self._entries(prev.text):  # (not a headline's end; "FC Barcelona" is a club, below)
            return True  # "COAG Extremadura", "TAU Vitoria": an organisation's branch or team
        return (prev.cap and not prev.upper and not prev.sent_start  # "En Sonora": capital by position only
                and word not in PLACE_HEADS and word not in FEATURE_HEADS
                and self.gazetteer.is_common_word(prev.text, lang))

    def _people_in_lists(self, tokens: list[Token], found: list[Mention], person_tokens: set[int]) -> set[str]:
        """Names of small places that stand in a list of people ("Dida, Cafu, Franca,
        Rivaldo"; "Page, Melville, Delaney, Matthew Jones").

        A list is four or more short capitalised items separated by commas (the last
        by "y", "and"); bracketed asides stay with their item. Where at least two
        items are people and fewer than half are places, its one-word places (and
        those of its asides) that are not countries, states or cities of a million
        are taken for surnames, here and elsewhere in the text.
        """
        at = {m.start: m for m in found if not m.demonym}
        out: set[str] = set()
        items: list[tuple[int, int]] = []  # token ranges
        asides: list[tuple[int, int]] = []

        def close() -> None:
            if len(items) >= 4:
                places = [at.get(tokens[a].start) for a, b in items]
                places = [p if p is not None and p.end == tokens[b - 1].end else None for p, (a, b) in zip(places, items)]
                people = sum(any(x in person_tokens for x in range(a, b)) for a, b in items)
                if people >= 2 and 2 * sum(p is not None for p in places) < len(items):
                    inside = [at.get(tokens[x].start) for a, b in asides for x in range(a, b)]
                    for p in places + inside:
                        if p is not None and " " not in p.surface and not any(
                                e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT) or e.place.population >= THRESHOLDS["major"]
                                for e in self._entries(p.surface)):
                            out.add(name_key(p.surface))
            items.clear()
            asides.clear()

        i, n = 0, len(tokens)
        while i < n:
            if not tokens[i].cap:
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
            if k < n and (tokens[k].text in (",", ";") or tokens[k].text in ("y", "e", "and", "&")):
                i = k + 1
                continue
            close()
            i = k + 1 if k < n else n
        close()
        return out

    def _lower_case_place(self, tokens: list[Token], n: int, lang: str) -> int | None:
        """End of a large place written in lower case from token n ("houston", "new york"),
        or None. Countries, states and cities of a million by their main name, not
        words of the language ("china", "turkey", "chile")."""
        for end in range(min(len(tokens), n + 3), n, -1):
            words = tokens[n:end]
            if any(not w.text.isalpha() or w.cap for w in words):
                continue
            if all(self.gazetteer.is_common_word(w.text, lang) for w in words):
                continue  # "china", "far north": words of the language
            surface = " ".join(w.text for w in words)
            if any(e.main and (e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["major"])
                   for e in self._entries(surface)):
                return end
        return None

    def _takes_article(self, entries: list, lang: str) -> bool:
        """Seas, regions, countries and states take an article ("el Pacífico", "el
        Perú", "el Chocó", "el Tíbet"); a state that shares its name with a city does
        not ("el Madrid", "el Puebla", "el Portland" are clubs)."""
        if any(e.place.kind in (Kind.COUNTRY, Kind.CONTINENT) or e.place.feature_code in ("SEA", "RGN") for e in entries):
            return True
        return any(e.place.kind == Kind.ADMIN1 for e in entries) and not any(
            e.place.kind == Kind.CITY and e.place.population >= THRESHOLDS["city"] for e in entries)

    def _after_place(self, tokens: list[Token], ti: int) -> bool:
        """"Ecija (Sevilla)": the word before the bracket is itself a place."""
        return ti >= 2 and bool(self._entries(tokens[ti - 2].text))

    def _feature_span(self, tokens: list[Token], k: int, j: int) -> tuple[int, str] | None:
        """End of a named feature starting at token k ("Camp Shelby", "Yazoo River")."""
        head = tokens[k].text.lower().rstrip(".")
        # a lower-case place noun before the run: "la colonia Beltrones", "calle Tercera",
        # "estadio del Milenio"
        cue = k - 1 if k > 0 and tokens[k - 1].text in LOCAL_CUES else \
            k - 2 if k > 1 and tokens[k - 1].text in ("de", "del") and tokens[k - 2].text in URBAN_CUES else None
        if cue is not None and not tokens[k].upper:
            end = k + 1
            while end < j and tokens[end].cap:
                end += 1
            return end, "street" if cue == k - 1 and tokens[cue].text in URBAN_CUES else "feature"
        if head in FEATURE_HEADS and k + 1 < j:  # "Camp Shelby", "Valle del Yaqui": the rest of the run
            return j, "feature"
        if tokens[k].sent_start and self.gazetteer.is_common_word(tokens[k].text, self._lang):
            return None  # "A Minnesota Highway...": a sentence's first word starts no feature name
        for end in range(k + 2, min(j, k + 6) + 1):
            tail = tokens[end - 1].text.lower()
            if tail in FEATURE_TAILS:
                return end, "feature"
            if tail in ADMIN2_TAILS:
                return end, "admin2"
        return None

    def _keep(self, tokens, ti, tj, entries, surface, persons, lang, hint: str) -> str | None:
        """Whether a gazetteer match is a place mention, from its form and context.

        Returns the mention's ``source``: ``"gazetteer"``; ``"weak"`` for a common
        word kept only because it names a large place ("Western", "Orange"),
        which the resolver keeps only if the rest of the document supports it;
        or None: not a place.
        """
        first = tokens[ti]
        single = tj - ti == 1
        followed = hint in ("followed", "named")  # heads a longer name
        entries = plausible_entries(surface, entries)
        if not entries:
            return None
        on = self._on
        if single and on["people"] and name_key(surface) in persons:
            return None
        if not single:
            # "El Consejo Nacional", "La Junta de Andalucía": words of the language that
            # head a longer name name a village only by accident
            words = [t for t in tokens[ti:tj] if t.text[0].isalpha()]
            if on["headed_names"] and followed and not cue_before(tokens, ti) and all(self.gazetteer.is_common_word(t.text, lang) for t in words) and (
                    hint == "named" or not any(e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["city"]
                                               for e in entries)):
                return None  # ("La Unión Europea": directly before another capitalised word, whatever its size)
            if on["article_phrases"] and article_phrase(tokens, ti, tj, words, lang, self.gazetteer) and not any(
                    e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) or e.place.population >= THRESHOLDS["city"] for e in entries):
                return None  # "El Consejo se reunió": an article and a noun open the sentence, not a village
            return "gazetteer"
        # all capitals hide whether a word is common ("PARA"), except for abbreviations ("US")
        common = on["common_words"] and self.gazetteer.is_common_word(first.text, lang) and not (
            first.upper and any(_is_abbrev(e.name) for e in entries))
        if common and not (first.upper and not self.gazetteer.is_common_word(first.text.lower(), lang)):
            # (headlines in capitals drop accents: "CORDOBA" is no word, "PARA" is)
            # "Para" is the word, "Pará" the state: accents must agree for common words
            entries = [e for e in entries if not _strip_accents_differ(e.name, surface)]
            if not entries:
                return None
        cue = cue_before(tokens, ti) or admin_after(tokens, tj, self._entries) or news_dateline(tokens, tj)
        if cue:
            return "gazetteer"
        major = any((e.main or _is_abbrev(e.name)) and (e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT)
                                                      or e.place.feature_code == "SEA" or e.place.population >= THRESHOLDS["major"])
                    for e in entries)
        # large places count by their main name, or by an exonym that is not a common word ("Londres")
        exonyms = self.gazetteer.exonym_places(surface, lang)  # "Ginebra", "Bruselas": the language's own name
        big = major or any(e.demonym or e.place.layer != "embedded" or e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT)
                           or ((e.main or not common or e.place.place_id in exonyms) and e.place.population >= THRESHOLDS["city"])
                           for e in entries)
        # a capitalised common word ("Pero", "March", "Police") is a place only when it
        # names a large place by its main name, or the text says it is a place; not
        # when it heads a longer name ("Reunión Internacional", "China Daily")
        if common and (not big or (first.sent_start and not major) or (followed and not major) or hint == "named"):
            return None
        # weak unless the language also knows it as the name of a city where it is spoken
        # ("Málaga" in Spanish text); "Western" (a province's name) stays weak
        weak = common and not (self.gazetteer.is_proper_word(first.text, lang) and any(
            e.place.kind == Kind.CITY and e.place.country_code in self.gazetteer.countries_speaking(lang)
            and e.place.population >= THRESHOLDS["city"] for e in entries)) and not any(
            e.main and (e.place.kind == Kind.CITY and e.place.population >= THRESHOLDS["major"]  # "Lima"
                      or e.place.feature_code in ("SEA", "RGN") or e.place.kind == Kind.CONTINENT)  # "the Pacific"
            for e in entries)
        # the first word of a longer name ("Centro de Salud") names that, not a town
        if on["headed_names"] and followed and not big:
            return None
        if on["sentence_start"] and not big and first.sent_start and _zipf(first.text.lower(), lang if lang in ("en", "es") else "en") >= THRESHOLDS["common_zipf"]:
            return None
        # an all-capital word naming only small places is an acronym ("SEDENA", "MORENA"),
        # except in a dateline ("TORRINGTON — A fire...")
        if on["acronyms"] and first.upper and first.text.isalpha() and len(first.text) > 3 and not big \
                and not opens_dateline(tokens, ti, tj):
            return None
        # a given name alone ("José", "Jesús") names a person before a village; a
        # town of some size keeps its name (Augusta, Alton)
        if on["first_names"] and not big and name_key(first.text) in self._first_names and not any(
                e.main and e.place.population >= THRESHOLDS["town"] for e in entries):
            return None
        return "weak" if weak else "gazetteer"


def _is_demonym(entries: list) -> bool:
    """A demonym unless the name also belongs to a sizeable place.

    "Mexicanas" in an organisation's name is the adjective, not the town of
    Mexicanos, and "Canadian" the adjective, not Canadian County; only a country
    or state of that name makes it a place.
    """
    return any(e.demonym for e in entries) and not any(
        not e.demonym and e.place.kind in (Kind.COUNTRY, Kind.ADMIN1) for e in entries)


def _strip_accents_differ(name: str, surface: str) -> bool:
    """True when the name has accents the surface lacks ("Pará" for "Para").

    Not the other way round: GeoNames often writes "Iran" where Spanish text
    has "Irán".
    """
    plain = surface.casefold() == _unaccent(surface).casefold()
    return plain and name.casefold() != surface.casefold() and name_key(name) == name_key(surface)


def _unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def plausible_entries(surface: str, entries: list) -> list:
    """Entries whose name could be written as ``surface``.

    Abbreviations must be written as abbreviations: "US" names the country,
    "Us" does not; a short all-capital word ("AS", "IT") matches only an
    abbreviation, not the town of As.
    """
    upper = all(c.isupper() for c in surface if c.isalpha())
    short = sum(c.isalpha() for c in surface) <= 3
    out = []
    for e in entries:
        abbrev = _is_abbrev(e.name)
        if abbrev and not upper:
            continue
        if upper and short and not abbrev:
            continue
        out.append(e)
    return out


@functools.lru_cache(maxsize=1 << 16)  # asked of every entry's name, again and again
def _is_abbrev(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


# ---------------------------------------------------------------------- the rules

class _Candidate:
    """A gazetteer match the rules look at: where it is, what the gazetteer says of it,
    and what the document has shown so far (teams, bracketed names)."""
    __slots__ = ("rec", "tokens", "text", "lang", "clubs", "bracketed", "listed",
                 "ti", "tj", "start", "end", "entries", "found_entries", "surface")

    def __init__(self, rec: Recognizer, tokens: list[Token], text: str, lang: str, clubs: dict[str, str],
                 bracketed: dict[int, bool], listed: bool):
        self.rec, self.tokens, self.text, self.lang = rec, tokens, text, lang
        self.clubs, self.bracketed, self.listed = clubs, bracketed, listed


def _affiliated(c: _Candidate) -> bool:
    """A town in brackets after a person's name is a club or party ("Unai (Mérida)"),
    not after a place ("Ecija (Sevilla)"); in a list of such pairs, all are."""
    if c.ti not in c.bracketed or any(e.place.kind == Kind.COUNTRY for e in c.found_entries):
        return False
    return c.listed or (not c.bracketed[c.ti] and not any(e.place.kind == Kind.ADMIN1 for e in c.found_entries))


def _money(c: _Candidate) -> bool:
    """A country's code before a currency sign is money ("US$460")."""
    return c.text[c.end:c.end + 1] == "$"


def _disease(c: _Candidate) -> bool:
    """A place before a word for an illness names the disease ("Marburg virus", "West Nile fever")."""
    return names_a_disease(c.tokens, c.tj)


def _event_year(c: _Candidate) -> bool:
    """A place followed by a year names an event or a party ("Beijing 2008", "Perú 2000")."""
    return year_after(c.tokens, c.tj)


def _quoted_name(c: _Candidate) -> bool:
    """A place inside a short quoted name is a brand, ranch or nickname ("Pizza Hut", «El Torreón»)."""
    return in_quoted_name(c.text, c.start, c.end, THRESHOLDS["quote_chars"])


def _sports_team(c: _Candidate) -> bool:
    """A town written as a team is the team ("FC Barcelona", "el Valencia", "Ourense 86 - Menorca 69",
    "Leeds beat Hull"); in the rest of the document its bare name is the team too."""
    team = club_context(c.tokens, c.ti, c.tj)
    if not team and c.lang == "es" and c.tj - c.ti == 1 and club_article(c.tokens, c.ti) and c.entries \
            and not c.rec._takes_article(c.entries, c.lang):
        team = "name"  # Spanish towns take no article: "el Barcelona", "del Valencia" are clubs
    if not team and c.lang == "en" and match_result(c.tokens, c.ti, c.tj):
        team = "name"  # "Manchester United beat Liverpool", "the Lakers beat Boston"
    if team and not _is_demonym(c.entries):
        key = name_key(c.surface)
        c.clubs[key] = max(team, c.clubs.get(key, ""))
        return True
    return False


class Rule(NamedTuple):
    """One of the recogniser's rules: its name (for ``Recognizer(disabled=...)``), what it
    is about in language or geography, where it acts, and (for a candidate filter) the
    function that says a gazetteer match is not a place."""
    name: str
    doc: str
    stage: str  # "runs": reading the runs of capitals; "candidate": a filter on each match, in
    #             order; "keep": a test in Recognizer._keep; "document": a pass over the document
    fn: Callable[[_Candidate], bool] | None = None


def _rule(fn: Callable[[_Candidate], bool], name: str) -> Rule:
    return Rule(name, (fn.__doc__ or "").split("\n")[0].strip(), "candidate", fn)


# The rules, in the order they act. Disabling one skips it; none changes the gazetteer.
RULES: list[Rule] = [
    Rule("people", "A run opened by a title or a known first name is a person, and its surname names "
         "no place elsewhere in the text (\"Donald Trump ... Trump said\").", "runs"),
    _rule(_affiliated, "affiliations"),
    _rule(_money, "money"),
    _rule(_disease, "diseases"),
    _rule(_event_year, "event_years"),
    _rule(_quoted_name, "quoted_names"),
    _rule(_sports_team, "sports_teams"),
    Rule("headed_names", "A place's name heading a longer name names that (\"Centro de Salud\", "
         "\"China Daily\"), unless it is a large place.", "keep"),
    Rule("article_phrases", "An article and a noun opening a sentence are words, not a village "
         "(\"El Consejo se reunió\").", "keep"),
    Rule("common_words", "A capitalised word of the language's dictionary (\"Pero\", \"March\") is a place "
         "only by a large place's main name or a cue in the text.", "keep"),
    Rule("sentence_start", "A frequent word capitalised only because it opens a sentence is that word, "
         "not a small place.", "keep"),
    Rule("acronyms", "An all-capital word naming only small places is an acronym (\"SEDENA\"), "
         "except in a dateline.", "keep"),
    Rule("first_names", "A given name alone (\"José\") names a person before a village.", "keep"),
    Rule("line_ups", "Small places in a list of people are surnames (\"Dida, Cafu, Franca, Rivaldo\").", "document"),
    Rule("lower_case_demonyms", "Adjectives of nationality in lower case are demonyms "
         "(\"soldados mexicanos\").", "document"),
    Rule("lower_case_places", "Large places written in lower case after a preposition of place "
         "(\"flooding in houston\").", "document"),
    Rule("land_features", "Rivers, lakes, ranges named with their generic word (\"the Ohio River\") "
         "replace the place inside them.", "document"),
    Rule("datelines", "A place opening a news story is its dateline (\"WASHINGTON —\"), the city it "
         "was filed from.", "document"),
]


def recognize(doc: Document | str, gazetteer: Gazetteer) -> list[Mention]:
    """Mentions of places in one document, in text order.

    Examples
    --------
    >>> from geo.gazetteer import Gazetteer
    >>> [m.surface for m in recognize("Llegaron a Camp Shelby, Misisipi.", Gazetteer())]
    ['Camp Shelby', 'Misisipi']
    """
    if isinstance(doc, str):
        doc = Document("text", doc)
    return Recognizer(gazetteer).recognize(doc)
