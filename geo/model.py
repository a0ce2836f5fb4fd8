"""The records that the stages hand each other.

read documents -> :class:`Document`; recognise -> :class:`Mention`;
gazetteer -> :class:`Place`; resolve -> :class:`Resolution`.
All are frozen dataclasses so a stage cannot change what an earlier one produced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Kind", "Precision", "Document", "Mention", "Place", "Resolution"]


class Kind(StrEnum):
    """What sort of place a gazetteer entry (or a mention) is."""

    CONTINENT = "continent"
    COUNTRY = "country"
    ADMIN1 = "admin1"      # state, province, comunidad autónoma
    ADMIN2 = "admin2"      # county, parish, municipio
    CITY = "city"          # populated place
    FEATURE = "feature"    # base, airport, sea, river, landmark, region
    DEMONYM = "demonym"    # "mexicanos", "American": points at a country


class Precision(StrEnum):
    """How far the point of a resolution can be trusted.

    ``EXACT`` means the mentioned place itself is in the gazetteer. The other
    values say which enclosing unit the point fell back to when it is not.
    """

    EXACT = "exact"
    NEARBY = "nearby"  # the point of a place the name contains ("Salinas Valley" -> Salinas)
    ADMIN2 = "admin2"
    ADMIN1 = "admin1"
    COUNTRY = "country"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class Document:
    """A text to geoparse. ``id`` is unique within a run."""

    id: str
    text: str
    lang: str | None = None
    source: str | None = None  # file path (and line) it was read from
    # what the input says about the story (JSONL fields, HTML metadata, front matter); None when it does not
    title: str | None = None
    date: str | None = None       # publication date, ISO 8601 "YYYY-MM-DD"
    url: str | None = None        # as given: untrusted, only http(s) ones become links
    publisher: str | None = None  # the outlet ("source" in JSONL and documents.parquet)
    author: str | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # other JSONL fields


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document that names a place (or is a demonym).

    ``surface == text[start:end]`` always holds.
    """

    doc_id: str
    start: int
    end: int
    surface: str
    demonym: bool = False
    feature_hint: bool = False  # the span has a feature head word ("Camp", "Río")
    source: str = "gazetteer"   # which recogniser part found it
    role: str = "text"          # "dateline" for the place a story was filed from ("WASHINGTON —")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    place_id: str          # "gn:4436296", "iso:MX", "csv:camp-shelby", ...
    name: str
    kind: Kind
    lat: float
    lon: float
    country_code: str = ""
    admin1: str = ""       # admin-1 code within the country ("MS"), "" if none/unknown
    population: int = 0
    feature_code: str = ""  # GeoNames feature code where known ("PPLA", "ADM1")
    layer: str = "embedded"  # which gazetteer layer it came from


@dataclass(frozen=True, slots=True)
class Resolution:
    """A mention with the place it was resolved to.

    ``place`` is the point shown on the map: the mentioned place itself when
    ``precision`` is ``EXACT``, otherwise the enclosing unit it fell back to.
    ``kind`` is the kind of the *mentioned* thing (a base stays a ``FEATURE``
    even when its point is its state's).
    """

    mention: Mention
    place: Place | None
    kind: Kind
    precision: Precision
    confidence: float
    alternatives: tuple[Place, ...] = field(default=())  # other readings weighed, best first (at most 3)
    alternative_scores: tuple[float, ...] = field(default=())  # their scores, on the confidence's scale
    evidence: str = ""  # why this reading, in a few words ("X, State" in text; document scope: Mexico)
