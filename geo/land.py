"""The land itself: rivers, lakes, ranges, peaks, seas, islands, deserts, parks.

The features come from Natural Earth's 1:10m layers (public domain), derived by
``scripts/derive_land.py`` into ``geo/data/land/features.tsv`` (names, class,
a point on the feature, the countries it touches) and
``geo/data/land/shapes.geojson.gz`` (simplified shapes keyed by ``place_id``).
``geo/data/land_names.tsv`` adds the Spanish and English names that the other
language uses ("Sena", "Ródano", "Montañas Rocosas").

This module holds what recognition and resolution need to know about them:

* the generic words of both languages and the class each implies ("río" and
  "River" a river, "sierra" and "Mountains" a range; :data:`HEADS`,
  :data:`TAILS`), and which feature classes a generic word admits
  (:func:`compatible`);
* :func:`land_spans`, which finds features in a tokenised text: with their
  generic word ("the Missouri River", "el río Usumacinta", "la cordillera
  Cantábrica", "Mount St. Helens") and, after an article, by their name alone
  where the gazetteer knows it as a feature ("los Cárpatos", "the Kalahari");
* :func:`land_records`, the rows the gazetteer build loads.
"""
from __future__ import annotations

import csv
import importlib.resources
import math
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .gazetteer import name_key
from .vocab import Vocabulary, positions, token_texts
from .wordlists import pairs, rows, words

__all__ = ["point_near", "LAND_PREFIXES", "HEADS", "TAILS", "LAND_CODES", "MARINE", "CODE_OF_CLASS", "LandRecord", "land_records",
           "land_spans", "compatible", "is_land", "core_words", "trigger_word"]

# Feature classes (as derive_land.py writes them) -> the feature code stored in the
# gazetteer (GeoNames codes where GeoNames has one). Seas of every class keep "SEA",
# the code geo has always given them.
MARINE = {"sea", "gulf", "bay", "strait", "sound", "channel", "lagoon", "fjord", "ocean", "reef", "estuary"}
CODE_OF_CLASS = {
    "river": "STM", "lake": "LK", "reservoir": "RSV", "salt flat": "SALT", "range": "MTS", "peak": "PK",
    "volcano": "VLC", "pass": "PASS", "island": "ISL", "islands": "ISLS", "peninsula": "PEN", "cape": "CAPE",
    "isthmus": "ISTH", "desert": "DSRT", "plateau": "PLAT", "plain": "PLN", "basin": "BSNU", "valley": "VAL",
    "delta": "DLTA", "coast": "CST", "wetland": "WTLD", "region": "RGNL", "waterfall": "FLLS", "park": "PRK",
    **{m: "SEA" for m in MARINE},
}
LAND_CODES = frozenset(CODE_OF_CLASS.values()) - {"SEA"}
# place ids of the derived features: Natural Earth's, and the Smithsonian's volcanoes
LAND_PREFIXES = ("ne:", "gvp:")

# The land features' word lists (geo/data/words/, each file says what it holds and why).
# Generic words before a name -> class. Spanish ones also in lower case ("el río
# Lerma"); English ones only capitalised ("Lake Tahoe", "Mount Etna").
HEADS_ES = {word: cls for lang, word, cls in rows("land_heads") if lang == "es"}
HEADS_EN = {word: cls for lang, word, cls in rows("land_heads") if lang == "en"}
HEADS = {**HEADS_EN, **HEADS_ES}
# Generic words after a name (English, and names English keeps: "Sierra Nevada").
TAILS = pairs("land_tails")
# "parque nacional X", "X National Park": only with "nacional"/"national" is a park a park here
_PARK_WORDS = words("park_words")

# Which feature classes each class named by a generic word admits
_FAMILY = {
    "river": {"river", "estuary"},
    "lake": {"lake", "reservoir", "lagoon", "salt flat"},
    "reservoir": {"reservoir", "lake"},
    "sea": MARINE | {"lake"}, "gulf": MARINE, "bay": MARINE, "strait": MARINE, "channel": MARINE | {"river"},
    "sound": MARINE,
    "range": {"range", "plateau", "region", "peak", "volcano"},
    "peak": {"peak", "volcano", "range"}, "volcano": {"volcano", "peak", "range"},
    "island": {"island", "islands"}, "islands": {"islands", "island"},
    "peninsula": {"peninsula", "cape"}, "cape": {"cape", "peninsula"},
    "desert": {"desert", "plateau", "region", "salt flat", "basin"},
    "valley": {"valley", "basin", "plain", "region", "delta"},
    "plateau": {"plateau", "region", "desert"}, "basin": {"basin", "valley", "plain", "region"},
    "delta": {"delta"}, "salt flat": {"salt flat", "lake", "desert"}, "waterfall": {"waterfall"},
    "park": {"park"},
}

_ARTICLES = words("land_articles")  # "los Cárpatos"
_CONNECT = words("land_connectors")  # "Sierra de la Laguna", "Lago di Garda"
_ABBREV = words("land_abbreviations")  # "Mt. Hood"


def compatible(word_class: str, feature_class: str) -> bool:
    """Whether a feature of ``feature_class`` may be what a generic word of ``word_class`` names."""
    return feature_class in _FAMILY.get(word_class, {word_class})


def is_land(place) -> bool:
    """Whether a gazetteer entry is a land feature (not a sea: seas are read as before)."""
    return place.feature_code in LAND_CODES and place.place_id.startswith(LAND_PREFIXES)


def core_words(surface: str) -> str:
    """The name without its generic words and connectors: "río Lerma" -> "Lerma",
    "Lake of the Woods" -> "Woods", "Missouri River" -> "Missouri"."""
    words = surface.replace(".", ". ").split()
    generic = _GENERIC_KEYS
    while words and name_key(words[0]) in generic:
        words.pop(0)
    while words and name_key(words[-1]) in generic:
        words.pop()
    return " ".join(words).replace(". ", ".").strip()


# the keys of the generic words core_words takes off (made once, not at every call)
_GENERIC_KEYS = frozenset(name_key(w) for w in set(HEADS) | set(TAILS) | _CONNECT | _PARK_WORDS
                          | {"national", "nacional", "rivers", "lakes", "ríos"})


@dataclass(frozen=True)
class LandRecord:
    place_id: str
    name: str
    cls: str
    lat: float
    lon: float
    countries: tuple[str, ...]
    scalerank: int
    names: tuple[str, ...]  # alternate names, both languages
    size: int = 0  # km of a river, km2 of an area


def land_records() -> Iterator[LandRecord]:
    """The derived features with the names of ``land_names.tsv`` added."""
    data = importlib.resources.files("geo").joinpath("data")
    extra: dict[tuple[str, str], list[str]] = {}
    with data.joinpath("land_names.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if line.strip() and not line.startswith("#")), delimiter="\t"):
            if len(row) >= 3:
                extra.setdefault((name_key(row[0]), row[1]), []).extend(n for n in row[2].split("|") if n)
    rows = []
    with data.joinpath("land", "features.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            pid, name, cls, lat, lon, ccs, rank, alts, size = (line.rstrip("\n").split("\t") + [""] * 9)[:9]
            rows.append(LandRecord(pid, name, cls, float(lat), float(lon), tuple(c for c in ccs.split(",") if c),
                                   int(rank or 10), tuple(a for a in alts.split("|") if a), int(size or 0)))
    # the table's names go to the most prominent feature of that name and of a class the
    # table's admits (a "peak" of the table may be listed as a volcano)
    by_name: dict[str, list[str]] = {}
    for key, cls in extra:
        by_name.setdefault(key, []).append(cls)
    best: dict[tuple[str, str], LandRecord] = {}
    for r in rows:
        for n in (r.name, *r.names):
            for cls in by_name.get(name_key(n), ()):
                k = (name_key(n), cls)
                if compatible(cls, r.cls) and (k not in best or (r.scalerank, r.place_id) < (best[k].scalerank, best[k].place_id)):
                    best[k] = r
    added: dict[str, list[str]] = {}
    for k, r in best.items():
        added.setdefault(r.place_id, []).extend(extra[k])
    for r in rows:
        if r.place_id in added:
            r = LandRecord(r.place_id, r.name, r.cls, r.lat, r.lon, r.countries, r.scalerank,
                           tuple(dict.fromkeys((*r.names, *added[r.place_id]))), r.size)
        yield r


def point_near(place_id: str, lat: float, lon: float, max_km: float) -> tuple[float, float] | None:
    """The point of a river's simplified line nearest to (lat, lon), if within ``max_km``:
    a river mentioned with a town is placed at the town's reach ("the Paraná at
    Rosario"), still a point on the river. None for other features or far points.

    The line comes from the shapes index (:func:`geo.footprints.land_shape`), one
    SQLite query, not from parsing the whole shapes file (half a second and 100 MB)."""
    from shapely.geometry import Point

    from .footprints import land_shape

    line = land_shape(place_id)
    if line is None or "LineString" not in line.geom_type:
        return None
    here = Point(lon, lat)
    on = line.interpolate(line.project(here))
    km = math.dist((on.x * math.cos(math.radians(lat)), on.y), (lon * math.cos(math.radians(lat)), lat)) * 111.32
    return (round(on.y, 4), round(on.x, 4)) if km <= max_km else None


# ---------------------------------------------------------------- recognition

Lookup = Callable[[str, str], list]  # (surface, lang) -> gazetteer entries (place, matched, main, demonym)
Info = Callable[[str], "tuple[str, tuple[str, ...], int, int] | None"]  # place_id -> (class, countries, scalerank, size)
# a name alone (no generic word) names a feature drawn at this Natural Earth scalerank or below
MAX_ALONE_RANK = 8
# a town this size keeps a name that a feature shares ("Lake Charles"); smaller ones yield to it
TOWN_OVER_FEATURE = 100_000


def _name_run(tokens: Sequence, text: str, k: int, n: int) -> int:
    """End of a run of capitalised words from token k, with inner connectors
    ("Sierra Madre del Sur", "Lake of the Woods") and abbreviations ("St. Helens")."""
    j = k
    while j < n:
        t = tokens[j]
        if j > k and text[tokens[j - 1].end:t.start] not in (" ", ""):
            break
        if t.cap:
            if t.text.lower() in _ABBREV and j + 2 < n and tokens[j + 1].text == "." and tokens[j + 2].cap:
                j += 3  # "St. Helens"
                continue
            j += 1
            continue
        if t.text.lower() in _CONNECT and j > k:
            m = j
            while m < n and tokens[m].text.lower() in _CONNECT and m - j < 2:
                m += 1
            if m < n and tokens[m].cap and text[tokens[m - 1].end:tokens[m].start] == " ":
                j = m
                continue
        break
    return j


def land_spans(tokens: Sequence, text: str, lang: str, lookup: Lookup, info: Info,
               common: Callable[[str], bool] = lambda w: False,
               texts: tuple[list[str], set[str]] | None = None,
               triggers: Vocabulary | None = None) -> list[tuple[int, int, str]]:
    """Features named in the text: ``(start, end, class)`` character spans.

    ``tokens`` carry ``text, start, end, cap, upper`` (the recogniser's tokens);
    ``lookup(surface, lang)`` gives gazetteer entries, ``info`` a land feature's
    class, countries and scalerank (:meth:`geo.gazetteer.Gazetteer.land_info`),
    ``common`` whether a word is a common word of the language. A span takes in
    its generic word ("río Lerma", "Missouri River"); the class is the one the
    word names, or the feature's own for a name alone after an article ("los
    Andes"). A capitalised span is taken only where the gazetteer knows such a
    feature and no town of that whole name ("Lake Charles", "Sioux Falls",
    "Rhode Island" stay what they are); a Spanish generic word in lower case
    always makes a feature ("el río Tuxpan"), known or not. ``texts``: the texts of the
    tokens and the set of them, if the caller has them (:func:`geo.vocab.token_texts`);
    ``triggers``: a :class:`geo.vocab.Vocabulary` of :func:`trigger_word` to find the words
    that start a case with (one that shares its record of words with others), if not the module's.

    Only the tokens where a case can start are visited (:func:`_starts`).
    """
    out: list[tuple[int, int, str]] = []
    n = len(tokens)
    if texts is None:
        texts = token_texts(tokens)
        texts = (texts, set(texts))
    starts = _starts(tokens, *texts, _TRIGGER_WORDS if triggers is None else triggers)
    k = 0
    heads_lower = HEADS_ES if lang == "es" else {}  # a generic word in lower case: Spanish only ("el río Lerma")
    while True:
        at = bisect_left(starts, k)  # (the tokens between are no case's start: they would go k += 1)
        if at == len(starts):
            break
        k = starts[at]
        t = tokens[k]
        if not t.cap and t.text.lower() not in heads_lower:
            k += 1  # each case below starts at a capitalised word or a Spanish generic word
            continue
        low = t.text.lower()
        # 1. a generic word before the name: "río Usumacinta", "Lake Malawi", "Mount St. Helens"
        cls = HEADS_ES.get(low) if lang == "es" else None
        if cls is None and t.cap:
            cls = HEADS.get(low.rstrip("."))
        if cls is not None and not t.upper:
            start = k + 1
            if low == "parque":  # "Parque Nacional Yosemite", "parque nacional de Doñana"
                if start < n and tokens[start].text.lower() in _PARK_WORDS:
                    start += 1
                else:
                    cls = None
            if cls is not None and low == "cabo" and not t.cap:
                cls = None  # "el cabo Pérez": a corporal
            if cls is not None and start < n and tokens[start].text == "." and low == "mt":
                start += 1
            if cls is not None:
                m = start
                while m < n and tokens[m].text.lower() in _CONNECT and m - start < 2:
                    m += 1
                if m < n and tokens[m].cap and not tokens[m].upper and text[t.end:tokens[m].start].count("\n") == 0:
                    end = _name_run(tokens, text, m, n)
                    surface = text[t.start:tokens[end - 1].end]
                    lower_head = not t.cap
                    abbrev = any(tokens[x].text.lower() in _ABBREV for x in range(m, end))
                    after = text[tokens[end - 1].end:tokens[end - 1].end + 3]
                    placed = after[:1] == "," and after[2:3].isupper()  # "Lake Charles, Louisiana"
                    article = k > 0 and tokens[k - 1].text.lower() in _ARTICLES
                    if lower_head or ((_known(surface, cls, lang, lookup, info) or abbrev)
                                      and not (placed or (not article and _names_a_town(surface, lookup, lang)))):
                        out.append((t.start, tokens[end - 1].end, cls))
                        k = end
                        continue
        # 2. a name before a generic word: "the Missouri River", "Sierra Nevada Mountains"
        if t.cap and not t.upper and (k == 0 or not tokens[k - 1].cap) and low not in _ARTICLES:
            end = _name_run(tokens, text, k, n)
            tail = None
            for e in range(end, k + 1, -1):  # the last word of the run is the tail ("Missouri River")
                word = tokens[e - 1].text.lower()
                if word in TAILS:
                    tail = (e, TAILS[word])
                    break
            if tail is None and end < n and tokens[end].text.lower() in _AFTER_RUN:
                # "the Ohio river", "the Snake and Columbia rivers" (the last of a pair)
                tail = (end + 1, TAILS[tokens[end].text.lower().removesuffix("s") if tokens[end].text.lower() in
                                       ("rivers", "lakes") else tokens[end].text.lower()])
            if tail is not None:
                e, tcls = tail
                surface = text[t.start:tokens[e - 1].end]
                park_ok = tcls != "park" or any(tokens[x].text.lower() in _PARK_WORDS for x in range(k, e))
                article = k > 0 and tokens[k - 1].text.lower() in _ARTICLES
                if park_ok and _known(surface, tcls, lang, lookup, info) and (
                        article or not _names_a_town(surface, lookup, lang)):
                    out.append((t.start, tokens[e - 1].end, tcls))
                    k = e
                    continue
        # 3. a name alone after an article: "los Cárpatos", "el Iztaccíhuatl", "the Kalahari"
        # (not inside a longer name: "Valle del Yaqui", "Palacio de la Magdalena")
        if t.cap and not t.upper and k > 0 and tokens[k - 1].text.lower() in _ARTICLES and not (
                k > 1 and (tokens[k - 2].cap or (k > 2 and tokens[k - 2].text.lower() in _CONNECT
                                                 and tokens[k - 3].cap))):
            end = _name_run(tokens, text, k, n)
            surface = text[t.start:tokens[end - 1].end]
            feature = _feature_alone(surface, lang, lookup, info, end == k + 1 and common(t.text),
                                     tokens[k - 1].text.lower() == "the")
            if feature is not None:
                out.append((t.start, tokens[end - 1].end, feature))
                k = end
                continue
        k += 1
    return out


_AFTER_RUN = ("river", "lake", "mountains", "desert", "valley", "volcano", "reservoir", "rivers", "lakes")
_HEAD, _ARTICLE, _TAIL = 1, 2, 4  # what a word can be in a feature's name


_TRIGGERS: dict[str, int] = {}  # the words that are any of the three, as written -> which (a few case variants each)


def trigger_word(word: str) -> bool:
    """Whether a word as written may be a generic word before a name, an article or a generic
    word after a name, whatever the language (recorded in ``_TRIGGERS``)."""
    low = word.lower()
    what = ((low in HEADS_ES or low.rstrip(".") in HEADS) * _HEAD | (low in _ARTICLES) * _ARTICLE
            | (low in TAILS or low in _AFTER_RUN) * _TAIL)
    if what:
        _TRIGGERS[word] = what
    return bool(what)


_TRIGGER_WORDS = Vocabulary(trigger_word)


def _starts(tokens: Sequence, texts: list[str], distinct: set[str], triggers: Vocabulary) -> list[int]:
    """The tokens where one of :func:`land_spans`' three cases may start, in order: a superset
    of them, found from the few words that trigger a case (:mod:`geo.vocab`) rather than by
    walking every token.

    1. a generic word before the name starts at the generic word (in ``HEADS_ES`` or, without
       a dot, in ``HEADS``, whatever the language and case: a superset);
    2. a name before a generic word starts at a capitalised token whose name run
       (:func:`_name_run`) holds the generic word after it or stops right before it: the
       tokens between are capitalised, dots or connectors, so walking back from the generic
       word over such tokens passes every capitalised token it can start at;
    3. a name alone starts right after an article.

    (Cases 2 and 3 start only at a capitalised word not in capitals, case 2 only at the
    first of a run of capitalised words: the other tokens they would pass over are left out.)
    """
    out: set[int] = set()
    n = len(tokens)
    covered = 0  # the walks back stop where the one before began: the same tokens, the same answer
    for p in positions(texts, triggers.among(distinct)):
        what = _TRIGGERS[texts[p]]
        if what & _HEAD:
            out.add(p)
        if what & _ARTICLE and p + 1 < n and tokens[p + 1].cap and not tokens[p + 1].upper:  # (as case 3 asks)
            out.add(p + 1)
        if what & _TAIL:
            i = p - 1
            while i >= covered and (tokens[i].cap or texts[i] == "." or texts[i].lower() in _CONNECT):
                if tokens[i].cap and not tokens[i].upper and (i == 0 or not tokens[i - 1].cap):  # (as case 2 asks)
                    out.add(i)
                i -= 1
            covered = p
    return sorted(out)


def _known(surface: str, cls: str, lang: str, lookup: Lookup, info: Info) -> bool:
    """The gazetteer has a feature of a class ``cls`` admits by this name, whole or
    without its generic word."""
    for s, tag in ((surface, lang), (core_words(surface), "core")):
        for e in lookup(s, tag) if s else ():
            i = info(e[0].place_id)
            if i is not None and compatible(cls, i[0]):
                return True
    return False


def _names_a_town(surface: str, lookup: Lookup, lang: str) -> bool:
    """The whole span, generic word and all, is the main name of a town or unit of
    some size ("Lake Charles", "Sioux Falls", "Rhode Island"); a feature of that name
    wins over a smaller town ("Mount Rainier", Maryland) unless the text places it
    like a town ("Mount Rainier, Maryland")."""
    return any(e[2] and not is_land(e[0]) and e[0].feature_code != "SEA" and e[0].kind != "feature"
               and (e[0].kind != "city" or e[0].population >= TOWN_OVER_FEATURE)
               for e in lookup(surface, lang))  # (by its own name: "Lake Tahoe" is not Stateline)


def _feature_alone(surface: str, lang: str, lookup: Lookup, info: Info, common: bool, english_the: bool) -> str | None:
    """The class of the feature a name alone names after an article, if it does.

    The name must be the feature's own (not its name less the generic word:
    "Real" is not the Cordillera Real), of a feature of some standing (a river,
    range, desert or peak drawn at Natural Earth's smaller scales), and name no
    country ("el Perú" is the country). A state or a town of some size that
    shares the name, or a common word ("Reading"), leaves it to the most prominent
    features ("the Mississippi", "el Amazonas", "the Alps"); towns take no article
    in English, so "the Thames" is the river whatever towns share its name.
    """
    entries = lookup(surface, lang)
    land = [(info(e[0].place_id), e) for e in entries if is_land(e[0])]
    land = [(i, e) for i, e in land if i is not None]
    if not land:
        return None
    best, _e = min(land, key=lambda ie: (ie[0][2], ie[1][0].place_id))
    if best[2] > MAX_ALONE_RANK:
        return None
    others = [e for e in entries if not is_land(e[0]) and e[0].feature_code != "SEA"]
    if any(e[0].kind in ("country", "continent") for e in others):
        return None
    prominent = best[2] <= 3
    if common and not prominent:
        return None
    blocking = [e for e in others if e[0].kind in ("admin1", "admin2")
                or (e[0].kind == "city" and not english_the and e[0].population >= TOWN_OVER_FEATURE)]
    if blocking and not prominent:
        return None
    return best[0]
