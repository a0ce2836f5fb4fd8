"""The command flows: ``geo map`` and ``geo extract`` from input paths to files.

Above :mod:`geo.parallel` (which runs :class:`~geo.pipeline.Geoparser` over
documents on one or many cores) and :mod:`geo.render`: these read the inputs,
keep the run report (what was mapped, what was skipped and why), show
progress, and write every output through :mod:`geo.outputs`.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import documents as _documents
from .errors import InputError
from .focus import document_focus
from .frames import FOOTPRINT, document_record, documents_frame, mentions_frame, places_frame, write_parquet
from .model import Document, Resolution
from .outputs import write_together
from .parallel import PARTITION_CHARS, PARTITIONS_FILE, Spans, parse_documents, read_partitions, write_partitions
from .pipeline import Geoparser, toponyms_json
from .recognize import detect_language

if TYPE_CHECKING:  # imported where frames are joined: `geo extract` to JSON lines needs neither
    import geopandas as gpd

__all__ = ["RunReport", "run_map", "run_extract", "run_extract_partitioned", "run_map_partitioned",
           "write_map_outputs", "read_spans", "SpansFile", "check_spans", "extract_line", "read_inputs",
           "progress_bar", "write_errors", "PANEL_CHARS"]

PANEL_CHARS = 5_000_000  # document text held in map.html itself; beyond, all texts go to map.texts.js
_BATCH_CHARS = 8_000_000  # text held at once while its mentions frame is built


@dataclass
class RunReport:
    """What a run did: documents mapped, inputs skipped and why."""

    documents: int = 0
    mentions: int = 0
    places: int = 0
    errors: list[InputError] = field(default_factory=list)  # everything reported, in order

    @property
    def kept(self) -> list[InputError]:
        """The warnings: the input was still read (``InputError.skips`` is False)."""
        return [e for e in self.errors if not e.skips]

    @property
    def skipped(self) -> list[InputError]:
        """The inputs left out of the run."""
        return [e for e in self.errors if e.skips]

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


def progress_bar(items: Iterable, total: int | None, desc: str, enabled: bool | None):
    """``items`` with a tqdm progress bar on stderr (by default, for more than 5 items or an unknown count)."""
    if enabled is None:
        enabled = total is None or total > 5
    if not enabled:
        return items  # tqdm is not even imported (its import is start-up time for nothing)
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="doc", disable=not enabled, file=sys.stderr, leave=False)


def read_inputs(paths, encoding, report: RunReport, date_order: str = "auto") -> tuple[Iterator[Document], int | None]:
    docs = _documents.iter_documents(paths, encoding=encoding, on_error=report.errors.append, date_order=date_order)
    return docs, _documents.count_inputs(paths)


def write_errors(report: RunReport, out_dir: Path) -> None:
    write_together({out_dir / "errors.jsonl": errors_writer(report)})


def errors_writer(report: RunReport) -> Callable[[Path], None] | None:
    """What writes ``errors.jsonl`` (None: there were no errors, remove an old one)."""
    if not report.errors:
        return None
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for e in report.errors:
                fh.write(json.dumps({"path": e.path, "line": e.line, "reason": e.reason, "kept": not e.skips,
                                     "message": str(e)}, ensure_ascii=False) + "\n")

    return write


def run_map(paths: Iterable[str | Path], out_dir: str | Path, *, geoparser: Geoparser, encoding: str | None = None,
            progress: bool | None = None, title: str | None = None, jobs: int = 1, client=None,
            date_order: str = "auto") -> RunReport:
    """``geo map``: read, geoparse, write the frames and ``map.html`` into ``out_dir``.

    ``jobs`` worker processes, or a Dask ``client``, parse in parallel (see :mod:`geo.parallel`).
    """
    import pandas as pd

    from .render import SIDE_TEXTS_HEAD, SIDE_TEXTS_TAIL, side_texts_entry, side_texts_name

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = RunReport()
    docs_iter, total = read_inputs(paths, encoding, report, date_order)
    # Memory stays bounded for huge inputs: texts are dropped once their mentions
    # (with passages) are in a frame. Up to PANEL_CHARS of text the page holds the
    # texts; beyond, every text goes to map.texts.js beside it, written as it comes.
    frames: list[gpd.GeoDataFrame] = []
    batch: list[Document] = []
    resolutions: list[Resolution] = []
    texts: dict[str, str] | None = {}
    doc_ids: list[str] = []
    stories: list[dict] = []  # one documents.parquet row per document (metadata, counts, focus)
    fd, spool_name = tempfile.mkstemp(prefix=f".{side_texts_name('map.html')}.", suffix=".spool", dir=out_dir)
    spool = Path(spool_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as side:
            side.write(SIDE_TEXTS_HEAD)
            held = shown = 0
            for doc, found in progress_bar(parse_documents(docs_iter, geoparser, jobs=jobs, client=client), total,
                                        "geoparsing", progress):
                report.documents += 1
                batch.append(doc)
                resolutions.extend(found)
                doc_ids.append(doc.id)
                stories.append(story_record(doc, found, geoparser))
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
                                          side_spool=spool if texts is None else None,
                                          documents=documents_frame(stories))
    finally:
        spool.unlink(missing_ok=True)
    return report


def story_record(doc: Document, resolutions: Sequence[Resolution], geoparser: Geoparser) -> dict:
    """The ``documents.parquet`` row of a parsed document: its metadata, counts and focus."""
    focus = document_focus(doc, resolutions, geoparser.gazetteer)
    lang = doc.lang or geoparser.default_lang or detect_language(doc.text)
    return document_record(doc, resolutions, focus, lang=lang)


def write_map_outputs(mentions: gpd.GeoDataFrame, texts: Mapping[str, str | None], out_dir: Path, *,
                      title: str | None = None, report: RunReport | None = None,
                      side_spool: Path | None = None, documents: gpd.GeoDataFrame | None = None) -> int:
    """Write ``mentions.parquet``, ``places.parquet``, ``places.geojson``, ``documents.parquet`` and ``map.html``.

    Returns the place count. ``documents`` is the documents frame
    (:func:`geo.frames.documents_frame`); without it, one with the ids only.

    Over :data:`geo.render.TEXTS_INLINE_MAX` characters of text, the texts go to
    ``map.texts.js`` beside the page (removed again when a later run is small);
    ``side_spool`` is that file already written (by :func:`run_map`, as the
    documents came), for the documents listed in ``texts``.

    With ``report``, ``errors.jsonl`` too. All are replaced together (see :func:`write_together`).
    """
    from .render import make_map as render, move_texts_out, side_texts_name, write_map

    place_rows = places_frame(mentions)
    if documents is None:
        documents = documents_frame({"doc_id": d, "chars": len(t or "")} for d, t in texts.items())
    side_name = side_texts_name("map.html")
    if side_spool is not None:
        fmap = render(mentions, place_rows, texts, title=title, side_texts=side_name, stories=documents)
        side = None
    else:
        fmap = render(mentions, place_rows, texts, title=title, stories=documents)
        side = move_texts_out(fmap, side_name)  # large texts handed in: beside the page too
    files = {
        out_dir / "mentions.parquet": lambda p: write_parquet(mentions, p),
        out_dir / "places.parquet": lambda p: write_parquet(place_rows, p),
        # GeoJSON holds one geometry: the points (the footprints are in the parquet files).
        out_dir / "places.geojson": lambda p: p.write_text(
            place_rows.drop(columns=[FOOTPRINT], errors="ignore").to_json(drop_id=True, ensure_ascii=False),
            encoding="utf-8"),
        out_dir / "documents.parquet": lambda p: documents.to_parquet(p, index=False),
        out_dir / side_name: (lambda p: p.write_text(side, encoding="utf-8")) if side else
                             (lambda p: shutil.copyfile(side_spool, p)) if side_spool is not None else None,
        out_dir / "map.html": lambda p: write_map(fmap, p),
    }
    if report is not None:
        files[out_dir / "errors.jsonl"] = errors_writer(report)
    write_together(files)
    return len(place_rows)


class SpansFile(dict):
    """Spans by document id (a ``dict``), remembering the file and line each came from."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = str(path)
        self.lines: dict[str, int] = {}  # document id -> line number


def read_spans(path: str | Path) -> SpansFile:
    """Spans to resolve, by document id, from a JSONL file in the eval shape.

    Each line: ``{"id", "toponyms": [{"start", "end", ...}]}`` (the text may be there too).
    """
    spans = SpansFile(path)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                spans[str(record["id"])] = [(int(t["start"]), int(t["end"])) for t in record.get("toponyms", [])]
                spans.lines[str(record["id"])] = n
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"not a spans line ({exc}); expected {{\"id\", \"toponyms\": [{{\"start\", \"end\"}}]}}",
                                 path=str(path), line=n, reason="json") from None
    return spans


def check_spans(docs: Iterable[Document], spans: Spans, report: RunReport) -> tuple[Iterator[Document], Spans]:
    """The documents, and their spans without those outside the text; each such span is
    reported (naming the document, and the spans file and line when known) and left out."""
    checked = dict(spans)

    def documents() -> Iterator[Document]:
        for doc in docs:
            given = checked.get(doc.id, ())
            bad = [(s, e) for s, e in given if not 0 <= s < e <= len(doc.text)]
            if bad:
                checked[doc.id] = [span for span in given if span not in bad]
                listed = ", ".join(f"({s}, {e})" for s, e in bad)
                report.errors.append(InputError(
                    f"document {doc.id!r}: span{'s' if len(bad) > 1 else ''} {listed} outside the text (length "
                    f"{len(doc.text)}); left out, fix the offsets", path=getattr(spans, "path", None),
                    line=getattr(spans, "lines", {}).get(doc.id), reason="span", skips=False))
            yield doc

    return documents(), checked


def run_extract(paths: Iterable[str | Path], out, *, geoparser: Geoparser, encoding: str | None = None,
                demonyms: bool = False, progress: bool | None = None,
                spans: Mapping[str, list[tuple[int, int]]] | None = None, jobs: int = 1, client=None,
                date_order: str = "auto") -> RunReport:
    """``geo extract``: one JSON line per document with its toponyms, written to ``out`` (a text stream).

    With ``spans`` (by document id), those spans are resolved instead of the
    recogniser's; every given span is written back, demonyms included.
    ``jobs`` worker processes, or a Dask ``client``, parse in parallel; the
    lines come out in the same order (see :mod:`geo.parallel`).
    """
    report = RunReport()
    docs_iter, total = read_inputs(paths, encoding, report, date_order)
    if spans is not None:
        docs_iter, spans = check_spans(docs_iter, spans, report)
    # the line is made where the document was parsed (a worker, with jobs or Dask)
    line = partial(extract_line, demonyms=demonyms or spans is not None)
    parsed = parse_documents(docs_iter, geoparser, spans=spans, jobs=jobs, client=client, finish=line)
    for _doc, (text, n_toponyms) in progress_bar(parsed, total, "extracting", progress):
        out.write(text)
        report.documents += 1
        report.mentions += n_toponyms
    return report


def extract_line(doc: Document, resolutions: Sequence[Resolution], *, demonyms: bool = False) -> tuple[str, int]:
    """The ``geo extract`` JSON line of one document, and how many toponyms it lists.

    ``"focus"`` is the place the story is about (see :mod:`geo.focus`), null when it names none.
    """
    # json.dumps({"id": ..., "toponyms": ..., "focus": ...}, ensure_ascii=False) byte for byte, the toponyms
    # written directly as JSON (see toponyms_json: the slow part, one per toponym and alternative)
    toponyms, n = toponyms_json(resolutions, demonyms=demonyms)
    focus = document_focus(doc, resolutions)
    where = json.dumps(focus.record(), ensure_ascii=False) if focus is not None else "null"
    return f'{{"id": {json.dumps(doc.id, ensure_ascii=False)}, "toponyms": {toponyms}, "focus": {where}}}\n', n


# --------------------------------------------------------------------------- partitioned output

def run_extract_partitioned(paths: Iterable[str | Path], out_dir: str | Path, *, geoparser: Geoparser,
                            encoding: str | None = None, progress: bool | None = None, spans: Spans | None = None,
                            jobs: int = 1, client: Any = None, partition_chars: int = PARTITION_CHARS,
                            date_order: str = "auto") -> RunReport:
    """``geo extract -o DIR/``: like :func:`run_extract`, writing partitioned GeoParquet.

    Every mention is written, demonyms included, as in ``geo map``'s ``mentions.parquet``.
    """
    out_dir = Path(out_dir)
    report = RunReport()
    docs, total = read_inputs(paths, encoding, report, date_order)
    if spans is not None:
        docs, spans = check_spans(docs, spans, report)
    pairs = parse_documents(docs, geoparser, spans=spans, jobs=jobs, client=client)
    summary = write_partitions(progress_bar(pairs, total, "extracting", progress), out_dir,
                               partition_chars=partition_chars, story=partial(story_record, geoparser=geoparser))
    report.documents, report.mentions = summary["documents"], summary["mentions"]
    write_errors(report, out_dir)
    return report


def run_map_partitioned(path: str | Path, out_dir: str | Path, *, title: str | None = None) -> RunReport:
    """``geo map DIR/`` on partitioned output: places aggregated over all parts, then the usual files."""
    import geopandas as gpd
    import pandas as pd

    mentions, texts = read_partitions(path, max_text_chars=PANEL_CHARS)
    summary = json.loads((Path(path) / PARTITIONS_FILE).read_text(encoding="utf-8"))
    report = RunReport()
    report.documents, report.mentions = int(summary.get("documents", len(texts))), len(mentions)
    parts = sorted((Path(path) / "stories").glob("part.*.parquet"))
    stories = [f for f in (gpd.read_parquet(p) for p in parts) if len(f)]
    documents = pd.concat(stories, ignore_index=True) if stories else None
    report.places = write_map_outputs(mentions, texts, Path(out_dir), title=title, report=report, documents=documents)
    return report
