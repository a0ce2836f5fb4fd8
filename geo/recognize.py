"""Find the spans of a text that name places, in Spanish and English.

Recognition is gazetteer-driven: the text is split into tokens (:mod:`geo.tokens`),
runs of capitalised words are matched, longest first, against the gazetteer's
names, and the recogniser's rules (:mod:`geo.rules`, an ordered registry of named
functions) remove what is not a place by its context (:mod:`geo.context`) and form:

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
:data:`THRESHOLDS` holds the numbers they use. The word lists are data in
``geo/data/words/`` (:mod:`geo.wordlists`).
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import itemgetter

from . import langid
from .context import CLUB_PREFIXES, LOCAL_CUES, OFFICES, is_dateline
from .entries import is_abbrev, is_demonym, plausible_entries
from .facts import THRESHOLDS, Reading
from .gazetteer import Gazetteer, name_key
from .land import is_land
from .model import Document, Kind, Mention
from .rules import RULES, Rule, functions
from .tokens import Token, capitalised_runs, elided, tokenize
from .wordlists import sequences, words

__all__ = ["recognize", "detect_language", "detect_languages", "Recognizer", "is_dateline", "plausible_entries", "THRESHOLDS", "RULES",
           "Rule"]

# The word lists (geo/data/words/, each file says what it holds and why)
CONNECTORS = sequences("connectors")  # language -> lower-case word sequences inside a name ("de la")
ARTICLES = frozenset({"el", "la", "los", "las"})  # Spanish, before a name: "La Ciudad de México"
SETTLED_KINDS = (Kind.CITY, Kind.ADMIN2, Kind.ADMIN1, Kind.COUNTRY)  # places with people, not unions or features
PEOPLE_NOUNS = words("people_nouns")  # "Vecinos de Granada": people of a place, not an organisation
FEATURE_HEADS = words("feature_heads")  # "Camp Shelby", "Río Bravo"
FEATURE_TAILS = words("feature_tails")  # "Yazoo River", "Memphis St."
ADMIN2_TAILS = words("admin2_tails")  # "Tangipahoa Parish"
PLACE_HEADS = words("place_heads")  # "Ciudad de México"
URBAN_CUES = LOCAL_CUES - words("settlement_cues")  # a street, a neighbourhood or a building, never a town
# the words before a one-word run that can make it a named feature in _feature_span (a place noun, or the
# "de"/"del" after one): after any other word, the run is no feature, known without the call
_CUE_WORDS = LOCAL_CUES | {"de", "del"}
_TEXT, _CAP = itemgetter(0), itemgetter(3)  # a token's text, whether it is capitalised



def detect_language(text: str, *, default: str = "en") -> str:
    """ISO 639-1 code of the text's language (``en``, ``es``, ...).

    Uses py3langid's model (through geo.langid) on the first few thousand
    characters; short or unclear text
    gets ``default``.

    >>> detect_language("El presidente viajó a la ciudad de México con sus ministros.")
    'es'
    """
    return detect_languages([text], default=default)[0]


def detect_languages(texts: Iterable[str], *, default: str = "en") -> list[str]:
    """:func:`detect_language` of each text, the texts scored together (geo.langid.classify_many: the same
    answers with fewer numpy calls, which pays when parsing runs between the calls)."""
    samples = [text[:5000] for text in texts]
    scored = [i for i, sample in enumerate(samples) if len(sample.strip()) >= 20]
    out = [default] * len(samples)
    for i, lang in zip(scored, langid.classify_many([samples[i] for i in scored])):
        out[i] = lang or default
    return out


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
        self._stages = {stage: functions(stage, self.disabled) for stage in ("runs", "candidate", "keep", "document")}
        self._keep_rules = self._stages["keep"]
        # with common_words off, no word counts as common for the other rules either
        self._reads_common = "common_words" not in self.disabled
        self._key_cache: dict[str, list] = {}
        self._by_surface: dict[str, dict[str, list]] = {}  # language -> name as written -> entries
        self._surface_cache: dict[str, list] = {}  # those of the language being read
        # what a list of entries allows, by the list (its id, the list kept to hold the id) or the surface and list
        self._dotted: dict[int, tuple[list, list, list]] = {}  # the names written with a dot ("Kan."), the others
        self._plausible: dict[str, tuple[list, list]] = {}  # plausible_entries(surface, entries)
        self.demonyms = gazetteer.demonym_keys()
        self.first_names = gazetteer.first_names()
        self._read_in("en")

    def entries(self, surface: str) -> list:
        """The gazetteer's entries for a name as written, in the language being read (land
        features aside: the land_features rule finds those)."""
        hit = self._surface_cache.get(surface)  # (asked again and again for the same words: no folding then)
        if hit is not None:
            return hit
        key = (name_key(surface), self._lang)
        hit = self._key_cache.get(key)
        if hit is None:
            hit = self.gazetteer.lookup(surface, self._lang) if self.gazetteer.has_key(key[0]) else []
            hit = [e for e in hit if not is_land(e[0])]  # land features: only through the land_features rule
            if len(self._key_cache) > 500_000:
                self._key_cache.clear()
                for cache in self._by_surface.values():
                    cache.clear()
            self._key_cache[key] = hit
        if len(self._surface_cache) > 500_000:
            self._surface_cache.clear()
        self._surface_cache[surface] = hit
        return hit

    def _read_in(self, lang: str) -> None:
        """The language of what is read next (``entries`` answers in it)."""
        self._lang = lang
        self._surface_cache = self._by_surface.setdefault(lang, {})

    def recognize(self, doc: Document, inside: list[Mention] | None = None) -> list[Mention]:
        """The document's mentions of places, in text order.

        ``inside``, when given, receives the places named inside a longer Spanish
        name ("la Junta de Castilla-La Mancha", "el Gobierno de Jalisco"): no
        mentions of their own, but context for the resolver (source ``"inside"``).
        """
        text = doc.text
        lang = doc.lang or detect_language(text)
        self._read_in(lang)
        tokens = tokenize(text)
        # (Spanish news corpora annotate "Bolivia-Brasil" as one name, as with "X of PLACE"; a text without
        # a hyphen has no pair to split, and memchr says so faster than a look at every token)
        if lang == "en" and "-" in text:
            tokens = self._split_pairs(tokens)
        r = Reading(self, doc, tokens, lang)
        pending = r.pending
        run_rules = self._stages["runs"]
        cached = self._surface_cache.get  # entries()'s first step, without a call for the names asked before
        for i, j in capitalised_runs(tokens, text, CONNECTORS.get(lang, CONNECTORS["en"])):
            k = i
            while k < j:
                t = tokens[k]
                if not t.cap:  # connectors start nothing
                    k += 1
                    continue
                end = None
                for fn in run_rules:  # a name that is not a place ("Donald Trump")
                    end = fn(r, k, j)
                    if end:
                        break
                if end:
                    k = end
                    continue
                if k + 1 == j:
                    # one word left in the run (most runs are one word): what _longest and _feature_span
                    # answer for it, without the calls (the one span to try is the token's text, as tokens
                    # are slices of the text; the article rule below needs a longer run)
                    w = t.text
                    entries = cached(w)
                    if entries is None:
                        entries = self.entries(w)
                    # ("Camp" alone is a word; "Camp Shelby" is the feature)
                    match = (k, j, entries) if entries and w.lower().rstrip(".") not in FEATURE_HEADS else None
                    hint = self._feature_span(tokens, k, j, r) if k and tokens[k - 1].text in _CUE_WORDS else None
                else:
                    match = self._longest(tokens, text, k, j)
                    if match is not None and lang == "es" and t.text.lower() in ARTICLES and match[1] < j:
                        # "La Ciudad de México", "El Estado de México": the longer name after the
                        # article, not a village called "La Ciudad" or "El Estado"
                        longer = self._longest(tokens, text, k + 1, j)
                        if longer is not None and longer[1] > match[1] and any(
                                e.place.kind in SETTLED_KINDS for e in longer[2]):
                            match = longer
                    if match is not None and match[1] == k + 1 and t.text.lower().rstrip(".") in FEATURE_HEADS:
                        match = None  # "Camp" alone is a word; "Camp Shelby" is the feature
                    hint = self._feature_span(tokens, k, j, r)
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
                # (both tests are about Spanish names: other languages skip them and the scan for capitals)
                # a headline in capitals is one run
                if lang == "es" and not all(t.upper for t in tokens[i:match[1]] if t.cap):
                    # neither in a Title Case headline, every word capitalised
                    if self._inside_name(tokens, i, match[0]) and not r.in_headline(tokens[match[0]].start):
                        if inside is not None:
                            start, end = tokens[match[0]].start, tokens[match[1] - 1].end
                            inside.append(Mention(doc.id, start, end, text[start:end], source="inside"))
                        k = match[1]
                        continue
                    if match[0] - 1 not in r.person_tokens and self._modifies_a_name(tokens, i, match[0], lang) \
                            and not r.in_headline(tokens[match[0]].start):
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

        candidate_rules = self._stages["candidate"]
        for ti, tj, entries, feature, hint in pending:
            start, end = tokens[ti].start, tokens[tj - 1].end
            if feature:
                r.found.append(Mention(doc.id, start, end, text[start:end], feature_hint=True,
                                       source="feature-word:" + hint))
                continue
            found_entries = entries
            # "Kan." and "Calif." are abbreviations only with their dot; "Kan" is a town
            memo = self._dotted.get(id(entries))  # (the same cached list comes back for each mention of a name)
            if memo is None or memo[0] is not entries:  # (held in the memo, so its id is not another's)
                dotted = [e for e in entries if e.name.endswith(".") and " " not in e.name and not is_abbrev(e.name)]
                if len(self._dotted) > 100_000:
                    self._dotted.clear()
                memo = self._dotted[id(entries)] = (entries, dotted, [e for e in entries if e not in dotted])
            _, dotted, undotted = memo
            if dotted and (text[end - 1] == "." or text[end:end + 1] == "."):
                end += text[end - 1] != "."
                entries = dotted
            elif dotted:
                entries = undotted
            surface = text[start:end]
            r.ti, r.tj, r.start, r.end, r.surface, r.hint = ti, tj, start, end, surface, hint
            r.entries, r.found_entries = entries, found_entries
            for fn in candidate_rules:  # (a plain loop: any() over a generator costs a frame per rule)
                if fn(r):
                    break  # money, a disease, an event, a brand, a team...: not a place
            else:
                source = self._keep(r) if entries else None
                if source is not None:
                    r.found.append(Mention(doc.id, start, end, surface, demonym=is_demonym(entries), source=source))
        for fn in self._stages["document"]:  # line-ups, lower case, land features, datelines...
            fn(r)
        r.found.sort(key=lambda m: (m.start, m.end))
        return r.found

    def _split_pairs(self, tokens: list[Token]) -> list[Token]:
        """"Asia-Pacific", "US-Mexico": a hyphenated word that names no place, made of
        names of countries, states, continents or seas, is those places, each its own token."""
        if not any(compress(map(str.__contains__, map(_TEXT, tokens), repeat("-")), map(_CAP, tokens))):
            return tokens  # (most texts: no capitalised word with a hyphen, found at C speed)
        out: list[Token] = []
        for t in tokens:
            parts = t.text.split("-") if "-" in t.text and t.cap else ()
            if len(parts) < 2 or self.entries(t.text) or not all(p[:1].isupper() and any(
                    e.main and (e.place.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.CONTINENT) or e.place.feature_code == "SEA")
                    for e in self.entries(p)) for p in parts):
                out.append(t)
                continue
            at = t.start
            for k, p in enumerate(parts):
                if k:
                    out.append(Token("-", at, at + 1, False, True, False))
                    at += 1
                out.append(Token(p, at, at + len(p), True, p.isupper(), t.sent_start and not k))
                at += len(p)
        return out

    def _keep(self, r: Reading) -> str | None:
        """Whether a gazetteer match is a place mention, by its form: the ``keep`` rules.

        Returns the mention's ``source``: ``"gazetteer"``; ``"weak"`` for a common
        word kept only because it names a large place ("Western", "Orange"),
        which the resolver keeps only if the rest of the document supports it;
        or None: not a place.
        """
        entries = r.entries
        memo = self._plausible.get(r.surface)  # a pure function of the surface and the (cached) list of entries
        if memo is not None and memo[0] is entries:
            plausible = memo[1]
        else:
            plausible = plausible_entries(r.surface, entries)
            if len(self._plausible) > 100_000:
                self._plausible.clear()
            self._plausible[r.surface] = (entries, plausible)
        if not plausible:
            return None
        r.read_form(plausible, self._reads_common)
        for fn in self._keep_rules:  # (a plain loop, as for the candidate rules)
            if fn(r):
                return None
        return "weak" if r.single and not r.cue() and r.weak() else "gazetteer"

    def mention_for_span(self, doc: Document, start: int, end: int) -> Mention:
        """A mention for a span found elsewhere; a demonym if the gazetteer says so."""
        if not (0 <= start < end <= len(doc.text)):
            raise ValueError(f"{doc.id}: span ({start}, {end}) is outside the text (length {len(doc.text)})")
        surface = doc.text[start:end]
        self._read_in(doc.lang or self._lang)
        demonym = is_demonym(self.entries(surface))
        role = "dateline" if not demonym and is_dateline(doc.text, start, end) else "text"
        return Mention(doc.id, start, end, surface, demonym=demonym, source="given", role=role)

    def _longest(self, tokens: list[Token], text: str, k: int, j: int) -> tuple[int, int, list] | None:
        """The longest gazetteer name starting at token k within the run ending at j."""
        cached = self._surface_cache.get  # entries()'s first step, without a call for the names asked before
        start = tokens[k].start
        for end in range(min(j, k + THRESHOLDS["max_name_tokens"]), k, -1):
            last = tokens[end - 1]
            if not (last.cap or elided(last.text)):  # ("Côte d'Ivoire")
                continue
            surface = text[start:last.end]
            entries = cached(surface)
            if entries is None:
                entries = self.entries(surface)
            if entries:
                return (k, end, entries)
        return None

    def _inside_name(self, tokens: list[Token], run_start: int, k: int) -> bool:
        """A place at the end of a longer Spanish name: "Universidad de Sonora", "Copa de Europa".

        The place is the complement of an organisation, event or building
        ("X de PLACE") and is part of that name, not a mention of its own,
        unless the head word is itself a place word ("Ciudad de México",
        "Estado de Sonora") or a noun for the people of a place capitalised only
        because it opens the sentence ("Vecinos de Granada", "Autoridades de Sonora"). Only for Spanish: English news geoparsing counts the
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
        if k - run_start == 2 and head.sent_start and head.text.lower() in PEOPLE_NOUNS:
            return False  # "Vecinos de Granada", "Autoridades de Sonora": people capitalised by position
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
                and not self.entries(prev.text):  # (not a headline's end; "FC Barcelona" is a club, below)
            return True  # "COAG Extremadura", "TAU Vitoria": an organisation's branch or team
        return (prev.cap and not prev.upper and not prev.sent_start  # "En Sonora": capital by position only
                and word not in PLACE_HEADS and word not in FEATURE_HEADS
                and self.gazetteer.is_common_word(prev.text, lang))

    def _feature_span(self, tokens: list[Token], k: int, j: int, r: Reading) -> tuple[int, str] | None:
        """End of a named feature starting at token k ("Camp Shelby", "Yazoo River")."""
        one_word = k + 1 == j  # (most runs: only a place noun before the word can make it a feature)
        head = "" if one_word else tokens[k].text.lower().rstrip(".")
        if not one_word and head in FEATURE_HEADS and (
                all(t.upper for t in tokens[k:j] if t.cap) or r.in_headline(tokens[k].start)):
            # a headline capitalises every word: the name after the head stops at the first
            # dictionary word, and a head before one is a word ("FUERTE SISMO SACUDE
            # OAXACA" is a strong quake; "CAMP SHELBY SOLDIERS RETURN" keeps "CAMP SHELBY")
            end = k + 1
            while end < j and not self.gazetteer.is_common_word(tokens[end].text.lower(), self._lang):
                end += 1
            return (end, "feature") if end > k + 1 else None
        # a lower-case place noun before the run: "la colonia Beltrones", "calle Tercera",
        # "estadio del Milenio"
        cue = k - 1 if k > 0 and tokens[k - 1].text in LOCAL_CUES else \
            k - 2 if k > 1 and tokens[k - 1].text in ("de", "del") and tokens[k - 2].text in URBAN_CUES else None
        if cue is not None and not tokens[k].upper:
            end = k + 1
            while end < j and tokens[end].cap:
                end += 1
            return end, "street" if cue == k - 1 and tokens[cue].text in URBAN_CUES else "feature"
        if one_word:  # (what follows finds nothing in a run of one word, so it need not ask)
            return None
        if head in FEATURE_HEADS:  # "Camp Shelby", "Valle del Yaqui": the rest of the run
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
