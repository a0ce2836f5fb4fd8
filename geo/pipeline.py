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
import shutil
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .errors import InputError
from .frames import display_place_id, mentions_frame, places_frame
from .gazetteer import Gazetteer
from .layers import read_layer
from .model import Document, Kind, Resolution
from .recognize import Recognizer, detect_language
from .resolve import Resolver

__all__ = ["Geoparser", "geoparse", "places", "make_map", "toponym_records", "run_map", "run_extract", "write_atomic", "write_map_outputs"]


PANEL_CHARS = 5_000_000  # document text held in map.html itself; beyond, all texts go to map.texts.js
_BATCH_CHARS = 8_000_000  # text held at once while its mentions frame is built


class Geoparser:
    """Recognise and resolve; holds the gazetteer and reuses it for every document.

    Parameters
    ----------
    gazetteer : a :class:`Gazetteer`; default: the embedded one (built on first use).
    layers : paths of extra gazetteer files (GeoNames dumps or CSV) to load on top.
    geocoder : an online refiner (:class:`geo.geocoders.OnlineRefiner`) asked about the
        mentions the gazetteer cannot place exactly; it stays in this process (not copied to workers).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, layers: Iterable[str | Path] = (), geocoder=None):
        self.gazetteer = gazetteer or Gazetteer()
        self.geocoder = geocoder
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
        resolutions = self.resolver.resolve(doc, mentions)
        return resolutions if self.geocoder is None else self.geocoder.refine(resolutions)


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
    errors: list[InputError] = field(default_factory=list)  # everything reported, in order
    kept: list[InputError] = field(default_factory=list)    # ... of which warnings: the document was still read

    @property
    def skipped(self) -> list[InputError]:
        kept = {id(e) for e in self.kept}
        return [e for e in self.errors if id(e) not in kept]

    def summary(self) -> str:
        line = f"{self.documents} documents, {self.mentions} mentions"
        if self.places:
            line += f", {self.places} places"
        for label, errors in (("skipped", self.skipped), ("kept with a warning", self.kept)):
            if errors:
                reasons: dict[str, int] = {}
                for e in errors:
                    reasons[e.reason] = reasons.get(e.reason, 0) + 1
                line += f"; {label}: " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        return line


def _progress(items: Iterable, total: int | None, desc: str, enabled: bool | None):
    from tqdm import tqdm

    if enabled is None:
        enabled = total is None or total > 5
    return tqdm(items, total=total, desc=desc, unit="doc", disable=not enabled, file=sys.stderr, leave=False)


def _iter_docs(paths, encoding, report: RunReport) -> tuple[Iterator[Document], int | None]:
    from .documents import count_inputs, iter_documents

    fresh: list[InputError] = []  # reported since the last document

    def on_error(error: InputError) -> None:
        report.errors.append(error)
        fresh.append(error)

    def documents() -> Iterator[Document]:
        for doc in iter_documents(paths, encoding=encoding, on_error=on_error):
            # A warning (duplicate id, bad "lang", bad bytes past the first 2 MB) comes just before
            # its document, which is still read; a skipped input yields nothing from its source.
            report.kept.extend(e for e in fresh if doc.source in (e.path, f"{e.path}:{e.line}")
                               or (e.line is None and (doc.source or "").startswith(f"{e.path}:")))
            fresh.clear()
            yield doc

    return documents(), count_inputs(paths)


def _write_errors(report: RunReport, out_dir: Path) -> None:
    write_together({out_dir / "errors.jsonl": _errors_writer(report)})


def _errors_writer(report: RunReport) -> Callable[[Path], None] | None:
    """What writes ``errors.jsonl`` (None: there were no errors, remove an old one)."""
    if not report.errors:
        return None
    kept = {id(e) for e in report.kept}

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for e in report.errors:
                fh.write(json.dumps({"path": e.path, "line": e.line, "reason": e.reason, "kept": id(e) in kept,
                                     "message": str(e)}, ensure_ascii=False) + "\n")

    return write


def write_together(files: Mapping[Path, Callable[[Path], None] | None]) -> None:
    """Write several files so that a reader (or a crash) sees all old or all new ones.

    Each is written to a temporary name beside it; then all are renamed over
    the old ones (a None writer removes the file) with SIGINT/SIGTERM held
    back, so an interruption leaves either the previous outputs or the new ones.
    """
    import signal

    staged: list[tuple[str, Path]] = []
    try:
        for path, write in files.items():
            if write is None:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.close(fd)
            staged.append((tmp, path))
            write(Path(tmp))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        mask = getattr(signal, "pthread_sigmask", None)  # POSIX only
        old_mask = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if mask else None
        try:
            for tmp, path in staged:
                os.replace(tmp, path)
            staged = []
            for path, write in files.items():
                if write is None:
                    path.unlink(missing_ok=True)
        finally:
            if mask:
                mask(signal.SIG_SETMASK, old_mask)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def run_map(paths: Iterable[str | Path], out_dir: str | Path, *, geoparser: Geoparser, encoding: str | None = None,
            progress: bool | None = None, title: str | None = None, jobs: int = 1, client=None) -> RunReport:
    """``geo map``: read, geoparse, write the frames and ``map.html`` into ``out_dir``.

    ``jobs`` worker processes, or a Dask ``client``, parse in parallel (see :mod:`geo.parallel`).
    """
    from .parallel import parse_documents

    from .render import SIDE_TEXTS_HEAD, SIDE_TEXTS_TAIL, side_texts_entry, side_texts_name

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = RunReport()
    docs_iter, total = _iter_docs(paths, encoding, report)
    # Memory stays bounded for huge inputs: texts are dropped once their mentions
    # (with passages) are in a frame. Up to PANEL_CHARS of text the page holds the
    # texts; beyond, every text goes to map.texts.js beside it, written as it comes.
    frames: list[gpd.GeoDataFrame] = []
    batch: list[Document] = []
    resolutions: list[Resolution] = []
    texts: dict[str, str] | None = {}
    doc_ids: list[str] = []
    fd, spool_name = tempfile.mkstemp(prefix=f".{side_texts_name('map.html')}.", suffix=".spool", dir=out_dir)
    spool = Path(spool_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as side:
            side.write(SIDE_TEXTS_HEAD)
            held = shown = 0
            for doc, found in _progress(parse_documents(docs_iter, geoparser, jobs=jobs, client=client), total,
                                        "geoparsing", progress):
                report.documents += 1
                batch.append(doc)
                resolutions.extend(found)
                doc_ids.append(doc.id)
                side.write(side_texts_entry(doc.id, doc.text))
                held += len(doc.text)
                shown += len(doc.text)
                if texts is not None:
                    texts[doc.id] = doc.text
                    if shown > PANEL_CHARS:
                        texts = None  # from here on the texts are in the side file only
                if held >= _BATCH_CHARS:
                    frames.append(mentions_frame(resolutions, batch))
                    batch, resolutions, held = [], [], 0
            side.write(SIDE_TEXTS_TAIL)
        if batch or not frames:
            frames.append(mentions_frame(resolutions, batch))
        mentions = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        report.mentions = len(mentions)
        report.places = write_map_outputs(mentions, texts if texts is not None else dict.fromkeys(doc_ids),
                                          out_dir, title=title, report=report,
                                          side_spool=spool if texts is None else None)
    finally:
        spool.unlink(missing_ok=True)
    return report


def write_map_outputs(mentions: gpd.GeoDataFrame, texts: Mapping[str, str | None], out_dir: Path, *,
                      title: str | None = None, report: RunReport | None = None,
                      side_spool: Path | None = None) -> int:
    """Write ``mentions.parquet``, ``places.parquet``, ``places.geojson`` and ``map.html``; return the place count.

    Over :data:`geo.render.TEXTS_INLINE_MAX` characters of text, the texts go to
    ``map.texts.js`` beside the page (removed again when a later run is small);
    ``side_spool`` is that file already written (by :func:`run_map`, as the
    documents came), for the documents listed in ``texts``.

    With ``report``, ``errors.jsonl`` too. All are replaced together (see :func:`write_together`).
    """
    from .render import make_map as render, move_texts_out, side_texts_name, write_map

    place_rows = places_frame(mentions)
    side_name = side_texts_name("map.html")
    if side_spool is not None:
        fmap = render(mentions, place_rows, texts, title=title, side_texts=side_name)
        side = None
    else:
        fmap = render(mentions, place_rows, texts, title=title)
        side = move_texts_out(fmap, side_name)  # large texts handed in: beside the page too
    files = {
        out_dir / "mentions.parquet": lambda p: mentions.to_parquet(p, index=False),
        out_dir / "places.parquet": lambda p: place_rows.to_parquet(p, index=False),
        out_dir / "places.geojson": lambda p: p.write_text(place_rows.to_json(drop_id=True, ensure_ascii=False),
                                                           encoding="utf-8"),
        out_dir / side_name: (lambda p: p.write_text(side, encoding="utf-8")) if side else
                             (lambda p: shutil.copyfile(side_spool, p)) if side_spool is not None else None,
        out_dir / "map.html": lambda p: write_map(fmap, p),
    }
    if report is not None:
        files[out_dir / "errors.jsonl"] = _errors_writer(report)
    write_together(files)
    return len(place_rows)


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
                spans: Mapping[str, list[tuple[int, int]]] | None = None, jobs: int = 1, client=None) -> RunReport:
    """``geo extract``: one JSON line per document with its toponyms, written to ``out`` (a text stream).

    With ``spans`` (by document id), those spans are resolved instead of the
    recogniser's; every given span is written back, demonyms included.
    ``jobs`` worker processes, or a Dask ``client``, parse in parallel; the
    lines come out in the same order (see :mod:`geo.parallel`).
    """
    from functools import partial

    from .parallel import parse_documents

    report = RunReport()
    docs_iter, total = _iter_docs(paths, encoding, report)
    # the line is made where the document was parsed (a worker, with jobs or Dask)
    line = partial(extract_line, demonyms=demonyms or spans is not None)
    parsed = parse_documents(docs_iter, geoparser, spans=spans, jobs=jobs, client=client, finish=line)
    for _doc, (text, n_toponyms) in _progress(parsed, total, "extracting", progress):
        out.write(text)
        report.documents += 1
        report.mentions += n_toponyms
    return report


def extract_line(doc: Document, resolutions: Sequence[Resolution], *, demonyms: bool = False) -> tuple[str, int]:
    """The ``geo extract`` JSON line of one document, and how many toponyms it lists."""
    toponyms = toponym_records(resolutions, demonyms=demonyms)
    return json.dumps({"id": doc.id, "toponyms": toponyms}, ensure_ascii=False) + "\n", len(toponyms)
