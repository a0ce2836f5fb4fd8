"""The whole flow in one place.

read documents -> recognise mentions -> resolve them against the gazetteer
-> build frames -> render the map.

The Python API is three calls::

    >>> import geo
    >>> mentions = geo.geoparse("Llegaron a Camp Shelby, Misisipi, desde México.")  # doctest: +SKIP
    >>> places = geo.places(mentions)                                                 # doctest: +SKIP
    >>> geo.make_map(mentions, places)                                                # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from .errors import InputError
from .frames import display_place_id, mentions_frame, places_frame
from .gazetteer import Gazetteer
from .layers import read_layer
from .model import Document, Kind, Precision, Resolution
from .recognize import Recognizer, detect_language
from .resolve import Resolver

__all__ = ["Geoparser", "geoparse", "places", "make_map", "toponym_records", "run_map", "run_extract", "write_atomic"]


class Geoparser:
    """Recognise and resolve; holds the gazetteer and reuses it for every document.

    Parameters
    ----------
    gazetteer : a :class:`Gazetteer`; default: the embedded one (built on first use).
    layers : paths of extra gazetteer files (GeoNames dumps or CSV) to load on top.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, layers: Iterable[str | Path] = ()):
        self.gazetteer = gazetteer or Gazetteer()
        for path in layers:
            for place, names in read_layer(path):
                self.gazetteer.add(place, names)
        self.recognizer = Recognizer(self.gazetteer)
        self.resolver = Resolver(self.gazetteer)
        self.default_lang: str | None = None  # used for documents that do not say their language

    def __getstate__(self):  # worker processes rebuild recogniser and resolver around the gazetteer
        return {"gazetteer": self.gazetteer, "default_lang": self.default_lang}

    def __setstate__(self, state):
        self.__init__(state["gazetteer"])
        self.default_lang = state["default_lang"]

    def parse(self, doc: Document, spans: Sequence[tuple[int, int]] | None = None) -> list[Resolution]:
        """Resolutions for every mention in one document, in text order.

        ``spans`` — (start, end) pairs found by someone else (an NER, an
        annotator) — are resolved instead of the recogniser's own mentions.
        """
        if doc.lang is None:
            doc = Document(doc.id, doc.text, self.default_lang or detect_language(doc.text), doc.source)
        if spans is None:
            mentions = self.recognizer.recognize(doc)
        else:
            mentions = [self.recognizer.mention_for_span(doc, start, end) for start, end in sorted(spans)]
        return self.resolver.resolve(doc, mentions)


_DEFAULT: Geoparser | None = None


def _default() -> Geoparser:
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
    gp = geoparser or _default()
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
    """The ``toponyms`` list of one ``geo extract`` output line."""
    out = []
    for r in resolutions:
        if r.kind == Kind.DEMONYM and not demonyms:
            continue
        m, p = r.mention, r.place
        out.append({
            "start": m.start, "end": m.end, "name": m.surface,
            "lat": round(p.lat, 5) if p else None, "lon": round(p.lon, 5) if p else None,
            "place_id": display_place_id(r), "kind": str(r.kind),
            "country_code": p.country_code if p else None,
            "precision": str(r.precision), "confidence": r.confidence,
        })
    return out


# --------------------------------------------------------------------------- runs

def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class RunReport:
    """What a run did: documents mapped, inputs skipped and why."""

    documents: int = 0
    mentions: int = 0
    places: int = 0
    errors: list[InputError] = field(default_factory=list)

    def summary(self) -> str:
        line = f"{self.documents} documents, {self.mentions} mentions"
        if self.places:
            line += f", {self.places} places"
        if self.errors:
            reasons: dict[str, int] = {}
            for e in self.errors:
                reasons[e.reason] = reasons.get(e.reason, 0) + 1
            line += "; skipped " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        return line


def _progress(items: Iterable, total: int | None, desc: str, enabled: bool | None):
    from tqdm import tqdm

    if enabled is None:
        enabled = total is None or total > 5
    return tqdm(items, total=total, desc=desc, unit="doc", disable=not enabled, file=sys.stderr, leave=False)


def _iter_docs(paths, encoding, report: RunReport) -> tuple[Iterator[Document], int | None]:
    from .documents import count_inputs, iter_documents

    return iter_documents(paths, encoding=encoding, on_error=report.errors.append), count_inputs(paths)


def _write_errors(report: RunReport, out_dir: Path) -> None:
    path = out_dir / "errors.jsonl"
    if not report.errors:
        path.unlink(missing_ok=True)
        return

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for e in report.errors:
                fh.write(json.dumps({"path": e.path, "line": e.line, "reason": e.reason, "message": str(e)},
                                    ensure_ascii=False) + "\n")

    write_atomic(path, write)


def run_map(paths: Iterable[str | Path], out_dir: str | Path, *, geoparser: Geoparser, encoding: str | None = None,
            progress: bool | None = None, title: str | None = None) -> RunReport:
    """``geo map``: read, geoparse, write the frames and ``map.html`` into ``out_dir``."""
    out_dir = Path(out_dir)
    report = RunReport()
    docs_iter, total = _iter_docs(paths, encoding, report)
    docs: list[Document] = []
    resolutions: list[Resolution] = []
    for doc in _progress(docs_iter, total, "geoparsing", progress):
        docs.append(doc)
        resolutions.extend(geoparser.parse(doc))
    mentions = mentions_frame(resolutions, docs)
    place_rows = places_frame(mentions)
    report.documents, report.mentions, report.places = len(docs), len(mentions), len(place_rows)
    from .render import make_map as render, write_map

    write_atomic(out_dir / "mentions.parquet", lambda p: mentions.to_parquet(p, index=False))
    write_atomic(out_dir / "places.parquet", lambda p: place_rows.to_parquet(p, index=False))
    write_atomic(out_dir / "places.geojson", lambda p: p.write_text(place_rows.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8"))
    fmap = render(mentions, place_rows, {d.id: d.text for d in docs}, title=title)
    write_map(fmap, out_dir / "map.html")
    _write_errors(report, out_dir)
    return report


def read_spans(path: str | Path) -> dict[str, list[tuple[int, int]]]:
    """Spans to resolve, by document id, from a JSONL file in the eval shape.

    Each line: ``{"id", "toponyms": [{"start", "end", ...}]}`` (the text may be there too).
    """
    from .errors import InputError

    spans: dict[str, list[tuple[int, int]]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                spans[str(record["id"])] = [(int(t["start"]), int(t["end"])) for t in record.get("toponyms", [])]
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"not a spans line ({exc}); expected {{\"id\", \"toponyms\": [{{\"start\", \"end\"}}]}}",
                                 path=str(path), line=n, reason="json") from None
    return spans


def run_extract(paths: Iterable[str | Path], out, *, geoparser: Geoparser, encoding: str | None = None,
                demonyms: bool = False, progress: bool | None = None,
                spans: Mapping[str, list[tuple[int, int]]] | None = None) -> RunReport:
    """``geo extract``: one JSON line per document with its toponyms, written to ``out`` (a text stream).

    With ``spans`` (by document id), those spans are resolved instead of the
    recogniser's; every given span is written back, demonyms included.
    """
    report = RunReport()
    docs_iter, total = _iter_docs(paths, encoding, report)
    for doc in _progress(docs_iter, total, "extracting", progress):
        given = None if spans is None else spans.get(doc.id, [])
        resolutions = geoparser.parse(doc, given)
        toponyms = toponym_records(resolutions, demonyms=demonyms or given is not None)
        out.write(json.dumps({"id": doc.id, "toponyms": toponyms}, ensure_ascii=False) + "\n")
        report.documents += 1
        report.mentions += len(toponyms)
    return report
