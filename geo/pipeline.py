"""The whole flow in one place.

read documents -> recognise mentions -> resolve them against the gazetteer
-> build frames -> render the map.

The Python API is three calls::

    >>> import geo
    >>> mentions = geo.geoparse("Llegaron a Camp Shelby, Misisipi, desde México.")
    >>> mentions.surface.tolist()
    ['Camp Shelby', 'Misisipi', 'México']
    >>> places = geo.places(mentions)
    >>> places.name.tolist()
    ['Camp Shelby', 'Mexico', 'Mississippi']
    >>> type(geo.make_map(mentions, places)).__name__
    'Map'
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

from .corrections import Corrections
from .frames import display_place_id, mentions_frame, places_frame
from .gazetteer import Gazetteer
from .gazetteer_build import ensure_built
from .layers import read_layer
from .model import Document, Kind, Mention, Place, Precision, Resolution
from .recognize import RULES, Recognizer, detect_language, detect_languages
from .resolve import Resolver

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["Geoparser", "geoparse", "places", "make_map", "toponym_records", "toponyms_json", "default_geoparser"]


class Geoparser:
    """Recognise and resolve; holds the gazetteer and reuses it for every document.

    Parameters
    ----------
    gazetteer : a :class:`Gazetteer`; default: the embedded one (built on first use).
    layers : paths of extra gazetteer files (GeoNames dumps or CSV) to load on top.
    geocoder : an online refiner (:class:`geo.geocoders.OnlineRefiner`) asked about the
        mentions the gazetteer cannot place exactly; it stays in this process (not copied to workers).
    corrections : paths of corrections files (see :mod:`geo.corrections`), applied in order
        (later rows win), above the layers and the embedded gazetteer; or a
        :class:`~geo.corrections.Corrections` already read.
    disabled : names of the recogniser's rules (:data:`geo.recognize.RULES`) and of the
        resolver's evidence (:data:`geo.resolve.EVIDENCE`) to switch off, to measure what
        each is worth (``bench/accuracy.py --ablate``).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, layers: Iterable[str | Path] = (), geocoder=None,
                 corrections: Iterable[str | Path] | Corrections = (), disabled: Iterable[str] = ()):
        self.gazetteer = gazetteer or Gazetteer(ensure_built())
        self.geocoder = geocoder
        for path in layers:
            for place, names in read_layer(path):
                self.gazetteer.add(place, names)
        self.corrections = Corrections.of(corrections, self.gazetteer)
        self.disabled = frozenset(disabled)
        rules = {r.name for r in RULES}
        self.recognizer = Recognizer(self.gazetteer, disabled=self.disabled & rules)
        self.resolver = Resolver(self.gazetteer, disabled=self.disabled - rules)
        self.default_lang: str | None = None  # used for documents that do not say their language

    def with_corrections(self, corrections: Iterable[str | Path] | Corrections) -> Geoparser:
        """A Geoparser on the same gazetteer (and geocoder) with these corrections after its own."""
        extra = Corrections.of(corrections, self.gazetteer)
        other = Geoparser(self.gazetteer, geocoder=self.geocoder, corrections=self.corrections + extra,
                          disabled=self.disabled)
        other.default_lang = self.default_lang
        return other

    def __getstate__(self):  # worker processes rebuild recogniser and resolver around the gazetteer
        return {"gazetteer": self.gazetteer, "default_lang": self.default_lang, "corrections": self.corrections,
                "disabled": self.disabled}

    def __setstate__(self, state):
        self.__init__(state["gazetteer"], corrections=state.get("corrections", ()), disabled=state.get("disabled", ()))
        self.default_lang = state["default_lang"]

    def with_languages(self, docs: Sequence[Document]) -> list[Document]:
        """``docs``, each with the language :meth:`parse` gives it: its own, else ``default_lang``, else detected.

        The texts to detect are scored together (:func:`~geo.recognize.detect_languages`), which is faster
        than one by one in :meth:`parse` and gives the same answers; :mod:`geo.parallel` calls this per batch.
        """
        todo = [i for i, doc in enumerate(docs) if doc.lang is None]
        if self.default_lang:
            langs = [self.default_lang] * len(todo)
        else:
            langs = detect_languages([docs[i].text for i in todo])
        out = list(docs)
        for i, lang in zip(todo, langs):
            out[i] = replace(docs[i], lang=lang)
        return out

    def parse(self, doc: Document, spans: Sequence[tuple[int, int]] | None = None) -> list[Resolution]:
        """Resolutions for every mention in one document, in text order.

        ``spans`` — (start, end) pairs found by someone else (an NER, an
        annotator) — are resolved instead of the recogniser's own mentions,
        with the whole text as context: the places the recogniser finds
        elsewhere in it are resolved alongside them (a state named elsewhere
        raises its cities), but only the given spans are returned.
        Raises ValueError for a span outside the text.
        """
        if doc.lang is None:
            doc = replace(doc, lang=self.default_lang or detect_language(doc.text))
        inside: list[Mention] = []  # places inside longer names ("Junta de Andalucía"): context only
        if spans is None:
            mentions = self.recognizer.recognize(doc, inside)
            if self.corrections:
                mentions = self.corrections.mentions(doc, mentions)
            resolutions = [r for r in self.resolver.resolve(doc, with_inside(mentions, inside))
                           if r.mention.source != "inside"]
        else:
            given = [self.recognizer.mention_for_span(doc, start, end) for start, end in sorted(spans)]
            wanted = {(m.start, m.end) for m in given}

            def outside_given(found: list[Mention]) -> list[Mention]:
                return [m for m in found if not any(m.start < end and start < m.end for start, end in wanted)]

            context = outside_given(self.recognizer.recognize(doc, inside))
            if self.corrections:  # names that are not places give no context either
                context = outside_given(self.corrections.mentions(doc, context))
            mentions = with_inside(given + context, outside_given(inside))
            resolutions = [r for r in self.resolver.resolve(doc, mentions)
                           if (r.mention.start, r.mention.end) in wanted and r.mention.source == "given"]
        if self.corrections:
            resolutions = self.corrections.apply(doc, resolutions)
        return resolutions if self.geocoder is None else self.geocoder.refine(resolutions)


def with_inside(mentions: list[Mention], inside: list[Mention]) -> list[Mention]:
    """The mentions and the places inside longer names that overlap none of them, in text order."""
    extra = [m for m in inside if not any(m.start < o.end and o.start < m.end for o in mentions)]
    return sorted([*mentions, *extra], key=lambda m: (m.start, m.end))


_DEFAULT: Geoparser | None = None


def default_geoparser() -> Geoparser:
    """The Geoparser of the embedded gazetteer, made once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Geoparser()
    return _DEFAULT


def _as_documents(texts: str | Document | Iterable[str | Document] | Mapping[str, str], lang: str | None) -> list[Document]:
    if isinstance(texts, (str, Document)):
        texts = [texts]
    if isinstance(texts, Mapping):
        return [Document(str(k), v, lang) for k, v in texts.items()]
    docs = []
    for i, t in enumerate(texts):
        docs.append(t if isinstance(t, Document) else Document(f"doc{i}" if i else "text", t, lang))
    return docs


def geoparse(texts, *, lang: str | None = None, geoparser: Geoparser | None = None) -> gpd.GeoDataFrame:
    """Turn text into a GeoDataFrame of place mentions, one row per mention.

    ``texts`` is a string, a :class:`Document`, a list of either, or a mapping
    ``{id: text}``. The full texts ride along in ``frame.attrs["texts"]`` so
    that :func:`make_map` can show them.
    """
    gp = geoparser or default_geoparser()
    docs = _as_documents(texts, lang)
    resolutions = [r for d in docs for r in gp.parse(d)]
    frame = mentions_frame(resolutions, docs)
    frame.attrs["texts"] = {d.id: d.text for d in docs}
    return frame


def places(mentions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per distinct place of a mentions frame (see :func:`geo.frames.places_frame`)."""
    return places_frame(mentions)


def make_map(mentions: gpd.GeoDataFrame, places_: gpd.GeoDataFrame | None = None,
             texts: Mapping[str, str] | None = None, **kwargs):
    """The :class:`folium.Map` for a mentions frame; shows inline in Jupyter."""
    from .render import make_map as render

    if places_ is None:
        places_ = places_frame(mentions)
    if texts is None:
        texts = mentions.attrs.get("texts", {})
    return render(mentions, places_, texts, **kwargs)


def toponym_records(resolutions: Iterable[Resolution], *, demonyms: bool = False) -> list[dict]:
    """The ``toponyms`` list of one ``geo extract`` output line.

    Each toponym: ``start``, ``end``, ``name``, ``lat``, ``lon``, ``place_id``
    (:func:`~geo.frames.display_place_id`), ``kind``, ``country_code``, ``precision``,
    ``confidence``, ``role``, ``evidence`` and ``alternatives`` (:func:`geo.frames.alternative_records`
    with these keys in this order). Parsed back from :func:`toponyms_json`, which writes the
    line's text, so the records and the line cannot differ.
    """
    return json.loads(toponyms_json(resolutions, demonyms=demonyms)[0])


def toponyms_json(resolutions: Iterable[Resolution], *, demonyms: bool = False) -> tuple[str, int]:
    """The ``toponyms`` list of one ``geo extract`` line as JSON text, and how many toponyms it holds.

    The text is ``json.dumps(records, ensure_ascii=False)`` of the records :func:`toponym_records` describes,
    byte for byte (tests/test_extract_json.py holds them to it), written directly: ``geo extract`` writes one per
    document, and building a dict per toponym and per alternative only to encode it cost as much as the encoding.
    Strings go through json's own C string encoder, and every part that depends on a place alone (its point,
    country code, its record as an alternative) is encoded once per place (:func:`_place_json`).
    """
    out = []
    demonym, exact = Kind.DEMONYM, Precision.EXACT  # (an enum member read from its class costs a lookup each time)
    for r in resolutions:
        if r.kind == demonym and not demonyms:
            continue
        m, p = r.mention, r.place
        if p is None:
            point, place_id, country = '"lat": null, "lon": null', "null", "null"
        else:
            point, country, _, _ = _place_json(p)
            place_id = _string(p.place_id if r.precision == exact else display_place_id(r))
        if r.alternatives:
            scores = r.alternative_scores
            alternatives = ", ".join([_place_json(a)[2] + (_number(scores[i]) if i < len(scores) else "null") + "}"
                                      for i, a in enumerate(r.alternatives)])
        else:
            alternatives = ""
        out.append(f'{{"start": {m.start:d}, "end": {m.end:d}, "name": {_string(m.surface)}, {point}, '
                   f'"place_id": {place_id}, "kind": {_string(r.kind)}, "country_code": {country}, '
                   f'"precision": {_string(r.precision)}, "confidence": {_number(r.confidence)}, '
                   f'"role": {_string(m.role)}, "evidence": {_string(r.evidence)}, "alternatives": [{alternatives}]}}')
    return "[" + ", ".join(out) + "]", len(out)


_string = encode_basestring  # a str as json.dumps(..., ensure_ascii=False) writes it (the C function)


def _number(x: float) -> str:
    """``x`` as json.dumps writes it: a finite float is its repr (the test is false for NaN and infinities)."""
    return float.__repr__(x) if type(x) is float and x - x == 0.0 else json.dumps(x)


# The JSON parts of a place, by id(place): a resolved point is one of a few thousand places, each met many
# times. The entry holds the place itself, so its id cannot be reused by another object while it is cached.
_PLACE_PARTS: dict[int, tuple[str, str, str, Place]] = {}


def _place_json(p: Place) -> tuple[str, str, str, Place]:
    """``"lat": .., "lon": ..`` (rounded to 5 decimals), the country code, and the place's ``alternatives``
    record without its score's value (``{"name": .., ..., "score": ``), each as json.dumps writes it."""
    parts = _PLACE_PARTS.get(id(p))
    if parts is None:
        lat, lon = _number(round(p.lat, 5)), _number(round(p.lon, 5))
        country = _value(p.country_code)
        parts = (f'"lat": {lat}, "lon": {lon}', country,
                 f'{{"name": {_value(p.name)}, "lat": {lat}, "lon": {lon}, "gazetteer_id": {_value(p.place_id)}, '
                 f'"kind": {_value(str(p.kind))}, "country_code": {country}, "score": ', p)
        if len(_PLACE_PARTS) >= 100_000:
            _PLACE_PARTS.clear()
        _PLACE_PARTS[id(p)] = parts
    return parts


def _value(x) -> str:
    """Any value as json.dumps(x, ensure_ascii=False) writes it."""
    return _string(x) if type(x) is str else json.dumps(x, ensure_ascii=False)
