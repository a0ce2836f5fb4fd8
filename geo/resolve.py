"""Choose a gazetteer entry for each mention, using the whole document.

Every candidate gets a score from independent pieces of evidence:

* prior: the kind of place (countries and states are mentioned far more often
  than homonymous villages) and its population;
* name: the mention is the entry's main name, written the same way;
* "City, State" / "Ciudad, País": the mention right after a comma contains it;
* document scope: the countries and admin-1 units the document mentions
  (a first pass resolves the unambiguous mentions, the second pass uses them),
  and the document's own region: the share of its other names' readings that
  lie in the candidate's admin-1 unit (a story with three Wisconsin towns and
  one in Tennessee is about Wisconsin first);
* language: places in countries where the document's language is spoken;
* neighbourhood: other names with likely places within NEAR_KM; a county named
  as such ("Henry County") and a town in it ("Paris") raise each other;
* one sense per document: every occurrence of a name resolves alike;
* reading cues: an exonym ("Bruselas", "Pekín") names the famous place; a
  dateline ("WASHINGTON —") and a capital named as an actor ("Moscú
  respondió") name the city; a bare name shared by a city and its province or
  state is the city unless the text says the unit; the members of a list or
  pair ("Portland and Salem") lie together.

Each resolution says in a few words why (``evidence``), and keeps up to three
distinct other readings (``alternatives``). The reading cues and the evidence
live in :mod:`geo.readings`; the weights, priors and trust tables in
:mod:`geo.scoring` (re-exported here); names the gazetteer lacks in
:mod:`geo.fallback`; land features in :mod:`geo.land_readings`; the scope rounds in
:mod:`geo.scope`.
:meth:`Resolver.resolve` runs in named steps: read the document, score each
name locally, find the scope in rounds, choose, place land features, write the
resolutions.

The confidence is the softmax share of the winner among the candidates,
lowered for recognitions that were only guessed. A mention that the gazetteer
lacks but whose context places it ("Camp Shelby, Misisipi") falls back to the
enclosing unit with ``precision`` saying so; the point is never called exact,
and its alternatives are the other places that could hold it (the other units the
text puts it in, the document's counties, towns, states and countries:
:class:`geo.readings.UnitsAround`). A town read outside every state the rest of
the story lies in offers the story's own county or state last (a local place the
gazetteer lacks, read as a namesake far away).
"""
from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .cues import acts, paired, unit_named
from .fallback import base_at_town, fallback
from .gazetteer import Gazetteer, name_key
from .land import is_land
from .land_readings import Reaches, land_candidates, land_in_context
from .model import Document, Kind, Mention, Place, Precision, Resolution
from .readings import (MAX_ALTERNATIVES, add, may_be_capital, may_be_unit, dateline_floor, distinct,
                       evidence_text, local_reading, named_as_place, offered, point_mass, prior_only, reading_cues,
                       UnitsAround)
from .recognize import detect_language, plausible_entries
from .scope import scope_rounds
from .scoring import (EVIDENCE, FALLBACK_CONFIDENCE, KIND_PRIOR, NEAR_KM, PRIOR_ONLY_TRUST, RECOGNITION_TRUST, RESOLVE_THRESHOLDS,
                      SCOPE_MASS, WEIGHTS, contains, score)

__all__ = ["resolve", "Resolver", "WEIGHTS", "EVIDENCE", "MAX_ALTERNATIVES", "KIND_PRIOR", "RECOGNITION_TRUST", "PRIOR_ONLY_TRUST",
           "FALLBACK_CONFIDENCE",
           "RESOLVE_THRESHOLDS", "NEAR_KM", "SCOPE_MASS", "score"]

_LIST_GAPS = {",", "and", ", and", "or", ", or", "y", ", y", "e", "o", "&"}



class _Name(NamedTuple):
    """A name's candidates (:meth:`Resolver.candidates`), the places it names as an exonym in the
    language, and whether one of its readings is a unit or a capital
    (:func:`geo.readings.may_be_unit`, :func:`~geo.readings.may_be_capital`)."""

    cands: list[tuple[Place, float]]
    key: str  # its sense in a document (see _read)
    exonym: frozenset[str]
    may_be_unit: bool
    may_be_capital: bool


@dataclasses.dataclass
class _Reading:
    """What :meth:`Resolver.resolve` reads of one document before weighing: per mention,
    its candidates and cues, the unit after its comma, its list neighbours, its name."""

    text: str
    lang: str | None
    speaking: frozenset[str]
    mentions: Sequence[Mention]
    cands: list[list[tuple[Place, float]]]
    exonym: list[frozenset]
    actor: list[bool]                   # named as an actor (read only where a capital may be meant)
    said_unit: list[bool]               # the text says the unit (read only for names a unit may bear)
    context: list[list[Place]]          # "X, Y": the units Y may be that contain X
    listed: list[bool]                  # X is a state or country in a list of them
    neighbours: list[list[int]]         # the mentions listed beside it
    in_long_list: list[bool]            # ... in a list of three or more
    keys: list[str] = dataclasses.field(default_factory=list)  # its name (one sense per document)
    by_key: dict[str, list[int]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    surface_of: dict[str, str] = dataclasses.field(default_factory=dict)


class Resolver:
    """Resolves the mentions of one document at a time against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, disabled: Iterable[str] = ()):
        """``disabled``: names of pieces of evidence (see :data:`EVIDENCE`) that count
        nothing, to measure what each is worth (``bench/accuracy.py --ablate``)."""
        self.gazetteer = gazetteer
        self.disabled = frozenset(disabled)
        unknown = self.disabled - set(EVIDENCE)
        if unknown:
            raise ValueError(f"unknown resolver evidence: {', '.join(sorted(unknown))} (known: {', '.join(EVIDENCE)})")
        self.weights = {k: 0.0 if k in self.disabled else v for k, v in WEIGHTS.items()}
        self._candidates: dict[tuple, _Name] = {}  # by what they depend on (see candidates)
        self._reaches = Reaches()  # where a river named with a town is placed, remembered
        self._generation = gazetteer.generation

    def candidates(self, mention: Mention, lang: str | None = None) -> list[tuple[Place, float]]:
        """The gazetteer's readings of a mention with their prior scores, best first (a list not to be changed:
        it is kept for the next mention of the same name, language and kind)."""
        return self._name(mention, lang).cands

    def _name(self, mention: Mention, lang: str | None) -> _Name:
        """The mention's candidates and what :meth:`_read` asks of them, worked out once per name,
        language and kind (they depend on nothing else)."""
        land = mention.source.startswith("land:")
        key = (mention.surface, lang, mention.demonym, mention.source if land else "")
        if self._generation != self.gazetteer.generation:  # places were added to the gazetteer
            self._candidates.clear()
            self._generation = self.gazetteer.generation
        hit = self._candidates.get(key)
        if hit is None:
            cands = land_candidates(self.gazetteer, self.weights, mention, lang) if land else self._named_candidates(mention, lang)
            exonym = frozenset() if mention.demonym else self.gazetteer.exonym_places(mention.surface, lang)
            # one sense per document: mentions grouped by name
            # (a land feature is its own sense: "el río Bravo" is not the town of Río Bravo)
            sense = name_key(mention.surface) + ("#d" if mention.demonym else "#land" if land else "")
            hit = _Name(cands, sense, exonym, may_be_unit(cands), may_be_capital(cands))
            if len(self._candidates) > 100_000:
                self._candidates.clear()
            self._candidates[key] = hit
        return hit

    def _named_candidates(self, mention: Mention, lang: str | None) -> list[tuple[Place, float]]:
        entries = plausible_entries(mention.surface, self.gazetteer.lookup(mention.surface, lang))
        entries = [e for e in entries if not is_land(e[0])]  # land features: only by a land mention
        if mention.demonym:
            entries = [e for e in entries if e.demonym]
        else:
            named = [e for e in entries if not e.demonym]
            entries = named or entries
        best: dict[str, tuple[Place, float]] = {}
        for place, matched, main, _dem in entries:
            s = score(place, matched, main, mention.surface, self.weights)
            if place.place_id not in best or s > best[place.place_id][1]:
                best[place.place_id] = (place, s)
        return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].place_id))

    def resolve(self, doc: Document, mentions: Sequence[Mention]) -> list[Resolution]:
        """Each mention's reading, in the mentions' order (a weak recognition that nothing
        in the text places is left out), by the steps below."""
        d = self._read(doc, mentions)
        local, why = self._local_scores(d)
        final, probs, mass_cc, total_cc = self._scope_rounds(d, local, why)
        chosen, others, evidence, only_prior = self._choose(d, final, probs, why)
        self._place_land_features(d, chosen, others, evidence, only_prior)
        return self._results(d, chosen, others, evidence, only_prior, why, mass_cc, total_cc)

    def _read(self, doc: Document, mentions: Sequence[Mention]) -> _Reading:
        """The document's language, each mention's candidates and reading cues, the
        "X, Y" containers, the lists, and the names (one sense per document)."""
        text = doc.text
        lang = doc.lang or detect_language(text)
        names = [self._name(m, lang) for m in mentions]
        cands = [n.cands for n in names]
        keys = [n.key for n in names]  # one sense per document (see _name)
        # "the state of X" counts only for a name one of whose readings is a unit (in its local
        # score, and in cities_first, which looks at names with a unit reading): the words
        # around the other names are not read (what they would say counts nothing)
        unit_keys = {key for key, n in zip(keys, names) if n.may_be_unit}
        d = _Reading(text, lang, self.gazetteer.countries_speaking(lang), mentions, cands,
                     exonym=[n.exonym for n in names],
                     actor=[],
                     said_unit=[key in unit_keys and unit_named(text, m.start, m.end) for key, m in zip(keys, mentions)],
                     context=[[] for _ in mentions], listed=[False] * len(mentions),
                     neighbours=[[] for _ in mentions], in_long_list=[False] * len(mentions), keys=keys)

        # "X, Y": the mention right after a comma (or in parentheses) may contain X
        for i in range(len(mentions) - 1):
            gap = text[mentions[i].end:mentions[i + 1].start]
            if gap.strip() in (",", "(", ", (") and len(gap) <= 3:
                d.context[i] = [p for p, _ in cands[i + 1][:3] if p.kind in (Kind.COUNTRY, Kind.ADMIN1, Kind.ADMIN2)]
                d.listed[i] = self._listed_unit(text, mentions, cands, i)

        # names listed together ("Mali, Niger, and Senegal") tend to be of one kind
        # (in a pair only countries and states: "Egypt and Niger", but "Paris and Henry
        # County" says nothing)
        linked = {i for i in range(len(mentions) - 1)
                  if (text[mentions[i].end:mentions[i + 1].start].strip() in _LIST_GAPS
                      or paired(text, mentions[i].end, mentions[i + 1].start)) and (not d.context[i] or d.listed[i])}
        chain = list(range(len(mentions)))  # each mention's list, by its first member
        for i in sorted(linked):
            d.neighbours[i].append(i + 1)
            d.neighbours[i + 1].append(i)
            if i + 1 in linked or i - 1 in linked:
                d.in_long_list[i] = d.in_long_list[i + 1] = True
            chain[i + 1] = chain[i]
        # being named as an actor counts only for a capital's reading, and is shared by a list:
        # the words around a mention are read only when its list holds a name a capital bears
        # (elsewhere what they say counts nothing)
        with_capital = {chain[i] for i, n in enumerate(names) if n.may_be_capital}
        actor = [not m.demonym and chain[i] in with_capital and acts(text, m.start, m.end)
                 for i, m in enumerate(mentions)]
        for i in [*sorted(linked), *sorted(linked, reverse=True)]:  # "Londres y París acordaron": both act
            actor[i] = actor[i + 1] = actor[i] or actor[i + 1]
        # a capital acts for its government ("Moscú respondió"), but a country's own name
        # acting is the country ("Mexico announced", though GeoNames also calls its capital so)
        d.actor = [a and not any(p.kind == Kind.COUNTRY for p, _ in cands[i]) for i, a in enumerate(actor)]

        for i, key in enumerate(d.keys):
            d.by_key[key].append(i)
        d.surface_of = {key: mentions[idxs[0]].surface for key, idxs in d.by_key.items()}
        return d

    def _local_scores(self, d: _Reading) -> tuple[dict[str, dict[str, tuple[Place, float]]], dict[str, dict[str, dict[tuple, float]]]]:
        """Each name's local score per candidate: prior + "X, Y" containment + language +
        reading cues; and why (name -> place id -> reason -> weight)."""
        local: dict[str, dict[str, tuple[Place, float]]] = {}
        why: dict[str, dict[str, dict[tuple, float]]] = {}  # key -> place id -> reason -> weight
        mentions, cands, context = d.mentions, d.cands, d.context
        w_contained, w_language, w_unit = self.weights["contained"], self.weights["language"], self.weights["unit_named"]
        for key, idxs in d.by_key.items():
            scores: dict[str, tuple[Place, float]] = {}
            reasons: dict[str, dict[tuple, float]] = {}
            seen = set()
            for i in idxs:
                m, exonym, actor, unit_said = mentions[i], d.exonym[i], d.actor[i], d.said_unit[i]
                dateline = m.role == "dateline"
                if not context[i]:
                    # a mention with the readings and cues of one before it (the same list of
                    # candidates) scores each candidate as it did: none higher, nothing to add
                    same = (id(cands[i]), actor, unit_said, dateline)
                    if same in seen:
                        continue
                    seen.add(same)
                floor = dateline_floor(cands[i]) if dateline else 0.0
                cues = bool(exonym) or dateline or actor  # (reading_cues adds 0.0 without one of them)
                for place, base in cands[i]:
                    s, r = base, {}
                    outer = next((c for c in context[i] if contains(c, place)), None) if context[i] else None
                    if outer is not None and (
                            not d.listed[i] or (place.kind == Kind.CITY and place.population >= RESOLVE_THRESHOLDS["listed_city"])):
                        s += w_contained
                        r[("contained", outer.name)] = w_contained
                    if place.country_code in d.speaking:
                        s += w_language
                        r[("language", d.lang)] = w_language
                    if cues:
                        s += reading_cues(place, m, exonym, actor, r, self.weights, floor)
                    if unit_said and place.kind in (Kind.ADMIN1, Kind.ADMIN2):
                        s += add(r, ("unit_named",), w_unit)
                    if place.place_id not in scores or s > scores[place.place_id][1]:
                        scores[place.place_id] = (place, s)
                        reasons[place.place_id] = r
            if scores:
                local[key] = scores
                why[key] = reasons
        return local, why

    def _scope_rounds(self, d: _Reading, local: dict, why: dict) -> tuple[dict, dict, dict, dict]:
        """Document scope, found jointly in rounds (:func:`geo.scope.scope_rounds`): each name's
        candidates gain support from the probability that *other* names lie in their country or
        admin-1 unit, near them, in their county, or beside them in a list. Returns the final
        scores, their softmax shares, and each name's and all names' mass per country."""
        return scope_rounds(d, local, why, self.weights)

    def _choose(self, d: _Reading, final: dict, probs: dict, why: dict) -> tuple[dict, dict, dict, set[str]]:
        """Each name's winner with its confidence (the point's mass), its distinct other
        readings, the words saying why, and the names whose reading rests on its prior alone."""
        chosen: dict[str, tuple[Place, float]] = {}
        others: dict[str, tuple[tuple[Place, ...], tuple[float, ...]]] = {}
        evidence: dict[str, str] = {}
        only_prior: set[str] = set()  # names whose reading rests on its prior alone
        for key, scores in final.items():
            ps = probs[key]
            if len(ps) == 1:  # the only reading: nothing to rank, no other readings
                pid, = ps
                others[key] = ((), ())
            else:
                ranked = sorted(ps, key=lambda p: (ps[p], p), reverse=True)
                pid = ranked[0]
                runners = distinct(scores[pid][0], ranked[1:], scores)
                others[key] = (tuple(scores[p][0] for p in runners), tuple(round(ps[p], 4) for p in runners))
            chosen[key] = (scores[pid][0], point_mass(scores[pid][0], ps, scores))
            evidence[key] = evidence_text(self.gazetteer, d.surface_of[key], scores[pid][0], why[key][pid], scores)
            if prior_only(why[key][pid]):
                only_prior.add(key)
        return chosen, others, evidence, only_prior

    def _place_land_features(self, d: _Reading, chosen: dict, others: dict, evidence: dict, only_prior: set[str]) -> None:
        """Land features: among same-name features, by the countries and places of the rest
        (the candidates of a mention the recogniser found as a feature: a given span of the
        same name, resolved beside it, has no feature candidates of its own). Updates in place."""
        land_at: dict[str, int] = {}
        for i, m in enumerate(d.mentions):
            if m.source.startswith("land:") and d.keys[i] in chosen and d.cands[i]:
                land_at.setdefault(d.keys[i], i)
        if land_at:
            rest = [place for key, (place, _c) in chosen.items() if key not in land_at]
            for key, i in land_at.items():
                before = chosen[key][0].place_id
                chosen[key] = land_in_context(self.gazetteer, self.weights, d.cands[i], rest, d.speaking, self._reaches)
                if chosen[key][0].place_id != before:
                    evidence[key] = "the feature in the document's countries or near its places"
                    only_prior.discard(key)
                    alts, alt_scores = others[key]
                    keep = [n for n, a in enumerate(alts) if a.place_id != chosen[key][0].place_id]
                    others[key] = (tuple(alts[n] for n in keep), tuple(alt_scores[n] for n in keep))

    def _results(self, d: _Reading, chosen: dict, others: dict, evidence: dict, only_prior: set[str], why: dict,
                 mass_cc: dict, total_cc: dict) -> list[Resolution]:
        """The resolutions: a chosen reading with its trust-weighed confidence, or a
        fallback for a name the gazetteer lacks, each with its alternatives."""
        by_key, text = d.by_key, d.text

        # what the document is about, for fallbacks
        scope_cc: Counter[str] = Counter()
        scope_a1: Counter[tuple[str, str]] = Counter()
        for key, (place, _conf) in chosen.items():
            if place.country_code:
                scope_cc[place.country_code] += len(by_key[key])
                if place.kind != Kind.COUNTRY and place.admin1:
                    # the state of every place named, not only of the states named: a story
                    # about Lufkin and Diboll is in Texas
                    scope_a1[(place.country_code, place.admin1)] += len(by_key[key])

        around = UnitsAround({key: place for key, (place, _c) in chosen.items()}, {key: len(by_key[key]) * conf for key, (_p, conf) in chosen.items()},
                             self.gazetteer.admin1, self.gazetteer.country,
                             {"town": FALLBACK_CONFIDENCE["namesake"], "admin2": FALLBACK_CONFIDENCE["doc_admin1"], "admin1": FALLBACK_CONFIDENCE["doc_admin1"],
                              "country": FALLBACK_CONFIDENCE["doc_country"]})

        # a place named only inside a longer name ("Junta de Andalucía") is context for readings,
        # but does not by itself make a common word a place
        inside_only = {d.keys[i] for i, m in enumerate(d.mentions) if m.source == "inside"} - \
            {d.keys[i] for i, m in enumerate(d.mentions) if m.source != "inside"}
        named_cc = dict(total_cc)
        for key in inside_only & mass_cc.keys():
            for cc, mass in mass_cc[key].items():
                named_cc[cc] -= mass
        out = []
        # a name's alternatives depend on the name alone, and the document's units on nothing
        # per mention: each is worked out once (the same calls, the same answers)
        readings: dict[str, tuple[tuple[Place, ...], tuple[float, ...]]] = {}
        doc_units: list[tuple[Place, float]] | None = None
        for i, m in enumerate(d.mentions):
            key = d.keys[i]
            if key in chosen:
                place, conf = chosen[key]
                if m.source == "weak" and place.kind != Kind.COUNTRY and \
                        named_cc.get(place.country_code, 0) - mass_cc[key].get(place.country_code, 0) < 0.5 and \
                        not named_as_place(text, m, place, why[key][place.place_id]):
                    continue  # a common word ("Western", "Orange") that nothing else in the text places
                trust = RECOGNITION_TRUST.get(m.source, RECOGNITION_TRUST["other"]) * \
                    (PRIOR_ONLY_TRUST if key in only_prior else 1.0)
                kind = Kind.DEMONYM if m.demonym else place.kind
                alternatives = readings.get(key)
                if alternatives is None:
                    alternatives = readings[key] = local_reading(place, conf, *others[key], around, key)
                precision = Precision.NEARBY if base_at_town(m, place) else Precision.EXACT
                out.append(Resolution(m, place, kind, precision, round(conf * trust, 4), *alternatives,
                                      evidence[key]))
            else:
                r = fallback(self.gazetteer, self.weights, m, d.context[i], scope_cc, scope_a1)
                if doc_units is None:
                    doc_units = around.weighed()
                alts, alt_scores = offered(r.place, [(c, FALLBACK_CONFIDENCE["contained"] / (n + 2))
                                                     for n, c in enumerate(d.context[i][1:])] + doc_units)
                out.append(dataclasses.replace(r, alternatives=alts, alternative_scores=alt_scores))
        return out

    @staticmethod
    def _listed_unit(text: str, mentions: Sequence[Mention], cands: list, i: int) -> bool:
        """"Georgia, Illinois, Missouri", "China, Japan, and the UK": a state or country
        in a list of them is not a town of the next one, as "Illinois, Missouri" alone
        would read."""
        if not any(p.kind in (Kind.COUNTRY, Kind.ADMIN1) for p, _ in cands[i][:2]):
            return False
        if i > 0 and text[mentions[i - 1].end:mentions[i].start].strip() == ",":
            return True
        if i + 2 < len(mentions):
            gap = text[mentions[i + 1].end:mentions[i + 2].start].strip()
            return gap in (",", "and", ", and", "y", ", y", "or") or gap.endswith(("and the", "y el", "y la", "y los"))
        return False

def resolve(doc: Document, mentions: Sequence[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    """Resolve the mentions of one document. See :class:`Resolver`."""
    return Resolver(gazetteer).resolve(doc, mentions)
