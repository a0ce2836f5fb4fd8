"""Run the pipeline on several cores or on a Dask cluster, with the output of one process.

Three ways to run :meth:`Geoparser.parse <geo.pipeline.Geoparser.parse>` over
a stream of documents, all behind :func:`parse_documents`:

* in this process (``jobs=1``);
* ``jobs=N`` worker processes on this machine (:mod:`multiprocessing`);
* a Dask cluster (``client=``, a :class:`distributed.Client`).

In every case this process reads the documents (so ids, splitting and the
errors reported are those of a single-process run), cuts the stream into
batches, and gets each batch's resolutions back *in input order*. The
languages of a batch's documents are detected together
(:meth:`~geo.pipeline.Geoparser.with_languages`; in this process, 64
documents are read ahead for it). A worker
loads the gazetteer once: the :class:`~geo.pipeline.Geoparser` travels as its
gazetteer path and layers (see ``Geoparser.__getstate__``) and is unpickled
once per worker process. At most a few batches per worker are in flight, so
memory stays flat however large the input.

Partitioned output (``geo extract -o DIR/``) is a folder of GeoParquet parts
that ``dask_geopandas.read_parquet(DIR / "mentions")`` reads back::

    DIR/geo-partitions.json          what this is, with counts
    DIR/mentions/part.00000.parquet  one row per mention (geo.frames.MENTION_COLUMNS), EPSG:4326
    DIR/documents/part.00000.parquet id, text, lang, source of the same documents
    DIR/stories/part.00000.parquet   their documents.parquet rows (title, date, source, url, focus...)
    DIR/errors.jsonl                 inputs skipped, if any

For documents already in a Dask collection, :func:`geoparse_bag` and
:func:`mentions_dataframe` run the same pipeline inside a Dask graph.
"""
from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import pickle
import signal
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GeoError, InputError
from .model import Document, Resolution

from .pipeline import Geoparser, toponym_records

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "parse_documents",
    "dask_client",
    "write_partitions",
    "read_partitions",
    "is_partitioned",
    "geoparse_bag",
    "mentions_dataframe",
    "PARTITIONS_FILE",
    "run_gc_threshold",
    "RUN_GC_THRESHOLD",
]

PARTITIONS_FILE = "geo-partitions.json"
TASK_CHARS = 1 << 18       # a Dask task: 256 KB of text (≈90 news articles, about half a second of work)
PARTITION_CHARS = 8 << 20  # a part of DIR/ output: 8 MB of text (≈2,800 news articles)
_POOL_BATCH_DOCS = 32      # a multiprocessing task: small, so the cores stay evenly busy
_POOL_BATCH_CHARS = 1 << 18
_IN_FLIGHT = 4             # batches queued per worker
_HERE_BATCH_DOCS = 64      # documents read ahead in this process, their languages detected together
# Python runs its cyclic garbage collector's young pass every 700 net allocations of tracked objects (the default
# threshold); parsing a news article makes tens of thousands of short-lived tuples, lists and dicts, almost all
# freed by their reference counts, so over 10 MB of news that was 1,080 young passes, 98 middle and 5 full ones
# (0.3 CPU s of 15). With 10,000: 26 young passes, 2 middle, no full one, the same output (the collector frees only
# unreachable cycles) and the same peak RSS (at most 10,000 more objects wait for a pass). The `geo` command and
# the pool's workers use it while they parse; a program that imports geo keeps its own setting.
RUN_GC_THRESHOLD = 10_000

Spans = Mapping[str, list[tuple[int, int]]]
_Item = tuple[Document, "list[tuple[int, int]] | None"]


# --------------------------------------------------------------------------- the one entry point

def parse_documents(
    documents: Iterable[Document],
    geoparser: Geoparser,
    *,
    spans: Spans | None = None,
    jobs: int = 1,
    client: Any = None,
    task_chars: int = TASK_CHARS,
    finish: Callable[[Document, list[Resolution]], Any] | None = None,
) -> Iterator[tuple[Document, Any]]:
    """``(document, resolutions)`` for each document, in input order.

    Parameters
    ----------
    documents : Documents, read lazily.
    geoparser : the :class:`~geo.pipeline.Geoparser` to run (copied to each worker;
        its online geocoder, if any, stays here and refines the workers' results).
    spans : by document id, spans to resolve instead of recognising
        (see :meth:`Geoparser.parse`); a document without an entry gets none.
    jobs : worker processes on this machine; 1 parses here, 0 means one per core.
        Ignored when ``client`` is given.
    client : a :class:`distributed.Client`: parse on its cluster.
    task_chars : text per Dask task. Small tasks keep every worker busy to the end;
        the scheduler's cost per task (about a millisecond) stays negligible.
    finish : a picklable function ``(document, resolutions) -> result``, run in
        the worker; its result is yielded instead of the resolutions. Formatting
        there (e.g. the JSON line of ``geo extract``) keeps this process, which
        reads and writes for all workers, from becoming the bottleneck.

    Examples
    --------
    >>> from geo.pipeline import Geoparser                       # doctest: +SKIP
    >>> docs = [Document("a", "From Paris, Texas to Dallas.", "en")]
    >>> [len(r) for _, r in parse_documents(docs, Geoparser(), jobs=2)]  # doctest: +SKIP
    [2]
    """
    items = ((doc, None if spans is None else spans.get(doc.id, [])) for doc in documents)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1 (or 0 for one per core), got {jobs}")
    if client is None and jobs == 1:
        return _parse_here(items, geoparser, finish)
    refiner = getattr(geoparser, "geocoder", None)
    if refiner is not None:
        # An online geocoder is not copied to workers (one rate limit, one cache): the workers
        # parse, and its refinement, then ``finish``, happen here, in input order.
        parsed = _parse_elsewhere(items, geoparser, jobs, client, task_chars, None)
        return ((doc, _finished(finish, doc, refiner.refine(found))) for doc, found in parsed)
    return _parse_elsewhere(items, geoparser, jobs, client, task_chars, finish)


def _parse_here(items: Iterable[_Item], geoparser: Geoparser, finish) -> Iterator[tuple[Document, Any]]:
    for batch in _batches(items, _HERE_BATCH_DOCS, _POOL_BATCH_CHARS):
        ready = geoparser.with_languages([doc for doc, _ in batch])
        for (doc, given), doc_lang in zip(batch, ready):
            yield doc, _finished(finish, doc, geoparser.parse(doc_lang, given))


def _parse_items(geoparser: Geoparser, batch: list[_Item], finish) -> list:
    """Each item parsed, the batch's languages detected together first (Geoparser.with_languages: faster than
    one by one, the same answers); ``finish`` sees each document as it was given."""
    ready = geoparser.with_languages([doc for doc, _ in batch])
    return [_finished(finish, doc, geoparser.parse(doc_lang, given)) for (doc, given), doc_lang in zip(batch, ready)]


def _parse_elsewhere(items, geoparser, jobs, client, task_chars, finish):
    if client is not None:
        return _parse_dask(items, geoparser, client, task_chars, finish)
    return _parse_pool(items, geoparser, jobs, finish)


def _finished(finish, doc: Document, resolutions: list[Resolution]):
    return resolutions if finish is None else finish(doc, resolutions)


def _batches(items: Iterable[_Item], max_docs: int | None, max_chars: int) -> Iterator[list[_Item]]:
    batch: list[_Item] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item[0].text)
        if chars >= max_chars or (max_docs is not None and len(batch) >= max_docs):
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _in_order(batches: Iterable[list[_Item]], submit, result, window: int) -> Iterator[tuple[Document, Any]]:
    """Submit batches, keeping at most ``window`` in flight; yield their results in submission order."""
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, submit(batch)))
        while len(pending) >= window:
            done, handle = pending.popleft()
            yield from zip((doc for doc, _ in done), result(handle), strict=True)
    while pending:
        done, handle = pending.popleft()
        yield from zip((doc for doc, _ in done), result(handle), strict=True)


@contextlib.contextmanager
def run_gc_threshold(threshold: int = RUN_GC_THRESHOLD):
    """Within the block, the garbage collector's young-generation threshold is ``threshold`` (see RUN_GC_THRESHOLD)."""
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# --------------------------------------------------------------------------- worker side (both back ends)

_WORKER_GEOPARSERS: dict[str, Geoparser] = {}
_WORKER_LOCK = threading.Lock()


def _worker_geoparser(state: bytes) -> Geoparser:
    """This process's Geoparser for a pickled one: unpickled (the gazetteer opened) once per process."""
    import hashlib  # here, in workers only: a run in one process does not need it

    key = hashlib.sha1(state).hexdigest()
    with _WORKER_LOCK:
        gp = _WORKER_GEOPARSERS.get(key)
        if gp is None:
            try:
                gp = pickle.loads(state)
            except GeoError as exc:
                raise GeoError(f"a worker could not load the gazetteer: {exc}. Each worker needs geo installed and "
                               "the gazetteer at the same path: run `geo build-gazetteer` there with the same "
                               "GEO_CACHE_DIR, or put the cache on a shared disk") from exc
            if len(_WORKER_GEOPARSERS) >= 2:  # a long-lived worker serving other layer sets
                _WORKER_GEOPARSERS.pop(next(iter(_WORKER_GEOPARSERS)))
            _WORKER_GEOPARSERS[key] = gp
    return gp


def _parse_batch(state: bytes, batch: list[_Item], finish=None) -> list:
    gp = _worker_geoparser(state)
    # Parsing is pure Python: threads of one worker gain nothing, and the caches are not built for them.
    with _WORKER_LOCK:
        return _parse_items(gp, batch, finish)


# --------------------------------------------------------------------------- processes on this machine

_POOL_STATE: bytes | None = None


def _pool_init(state: bytes) -> None:
    global _POOL_STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the pool
    gc.set_threshold(RUN_GC_THRESHOLD, *gc.get_threshold()[1:])  # a process that only parses: see RUN_GC_THRESHOLD
    _POOL_STATE = state
    _worker_geoparser(state)


def _pool_parse(batch: list[_Item], finish) -> list:
    assert _POOL_STATE is not None
    return _parse_batch(_POOL_STATE, batch, finish)


def _pool_context():
    # forkserver: workers fork from a clean server process, never from this one with its open SQLite
    # connection and threads (progress bar, Dask); preloading geo keeps their start-up short.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["geo.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _parse_pool(items: Iterable[_Item], geoparser: Geoparser, jobs: int, finish) -> Iterator[tuple[Document, Any]]:
    state = pickle.dumps(geoparser)
    with _pool_context().Pool(jobs, initializer=_pool_init, initargs=(state,)) as pool:
        batches = _batches(items, _POOL_BATCH_DOCS, _POOL_BATCH_CHARS)
        yield from _in_order(batches, lambda b: pool.apply_async(_pool_parse, (b, finish)), lambda h: h.get(),
                             jobs * _IN_FLIGHT)


# --------------------------------------------------------------------------- Dask

@contextlib.contextmanager
def dask_client(scheduler: str, *, workers: int | None = None):
    """A :class:`distributed.Client` for ``--dask SCHEDULER``; closes what it started.

    ``scheduler`` is ``local`` (a :class:`distributed.LocalCluster` on 127.0.0.1
    with ``workers`` single-threaded worker processes, default one per core), a
    scheduler address (``tcp://host:8786``), or a scheduler file (``*.json``, as
    written by ``dask scheduler --scheduler-file``).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GeoError("--dask needs the dask extra: pip install 'geo[dask]'") from None
    if scheduler == "local":
        with warnings.catch_warnings():
            # without a dashboard the scheduler still serves health checks over HTTP, by default on 8787,
            # and says so when another cluster holds that port; it then takes a free one, which is fine
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    kwargs = {"scheduler_file": scheduler} if scheduler.endswith(".json") else {"address": scheduler}
    try:
        client = Client(timeout="30s", **kwargs)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GeoError(f"--dask {scheduler}: cannot reach the scheduler ({exc}); give its address "
                       "(tcp://host:8786), a scheduler file, or 'local'") from None
    with client:
        yield client


def _parse_dask(items: Iterable[_Item], geoparser: Geoparser, client, task_chars: int, finish):
    # sent to every worker once (not with each task); each unpickles it once, see _worker_geoparser
    [state] = client.scatter([pickle.dumps(geoparser)], broadcast=True)
    window = max(2, _IN_FLIGHT // 2 * sum(client.nthreads().values()))

    def submit(batch):
        return client.submit(_parse_batch, state, batch, finish, pure=False)

    def result(future):
        try:
            return future.result()
        finally:
            future.release()

    yield from _in_order(_batches(items, None, task_chars), submit, result, window)


def geoparse_bag(documents, geoparser: Geoparser | None = None):
    """Geoparse a :class:`dask.bag.Bag` of :class:`~geo.model.Document` (or ``{"id", "text"[, "lang"]}``).

    Returns a bag of ``geo extract`` records ``{"id", "toponyms"}``, one per
    document in the same order; ``bag.map(json.dumps).to_textfiles(...)``
    writes them as JSONL. Each worker process loads the gazetteer once.
    """
    import dask

    state = dask.delayed(pickle.dumps(geoparser or Geoparser()), pure=True)
    return documents.map_partitions(_records_partition, state)


def _as_document(d) -> Document:
    return d if isinstance(d, Document) else Document(str(d["id"]), d["text"], d.get("lang"))


def _records_partition(docs, state: bytes) -> list[dict]:
    docs = [_as_document(d) for d in docs]
    parsed = _parse_batch(state, [(d, None) for d in docs])
    return [{"id": d.id, "toponyms": toponym_records(r)} for d, r in zip(docs, parsed, strict=True)]


def mentions_dataframe(documents, geoparser: Geoparser | None = None):
    """The mentions frame of a Dask bag of documents, as a ``dask_geopandas.GeoDataFrame``.

    One partition per bag partition, with :data:`geo.frames.MENTION_COLUMNS`
    and EPSG:4326; ``.to_parquet(DIR)`` writes GeoParquet from the workers.
    """
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame backend)

    from .frames import mentions_frame
    state = dask.delayed(pickle.dumps(geoparser or Geoparser()), pure=True)
    parts = [dask.delayed(_mentions_partition)(p, state) for p in documents.to_delayed()]
    return dd.from_delayed(parts, meta=mentions_frame([], []), verify_meta=False)


def _mentions_partition(docs, state: bytes):
    from .frames import mentions_frame

    docs = [_as_document(d) for d in docs]
    parsed = _parse_batch(state, [(d, None) for d in docs])
    return mentions_frame([r for rs in parsed for r in rs], docs)


# --------------------------------------------------------------------------- partitioned output

def is_partitioned(path: str | Path) -> bool:
    """Whether ``path`` is a folder written by ``geo extract -o DIR/``."""
    return (Path(path) / PARTITIONS_FILE).is_file()


_PART_FOLDERS = ("mentions", "documents", "stories")


def _part_name(i: int) -> str:
    return f"part.{i:05d}.parquet"  # zero-padded: every reader lists them in order


def write_partitions(pairs: Iterable[tuple[Document, list[Resolution]]], out_dir: str | Path, *,
                     partition_chars: int = PARTITION_CHARS, story: Callable | None = None) -> dict:
    """Write ``(document, resolutions)`` pairs as partitioned GeoParquet (see the module docstring).

    Returns the summary also written to ``DIR/geo-partitions.json``. Parts
    left by an earlier, larger run are removed. ``story(document, resolutions)``
    gives a document's row of ``DIR/stories/`` (see :func:`geo.frames.document_record`);
    default: metadata and counts without a focus.
    """
    import pandas as pd

    from .frames import document_record, documents_frame, mentions_frame, write_parquet
    from .outputs import write_atomic

    story = story or (lambda doc, found: document_record(doc, found))
    out = Path(out_dir)
    for sub in _PART_FOLDERS:
        (out / sub).mkdir(parents=True, exist_ok=True)
    n_docs = n_mentions = 0
    parts = 0
    batch: list[tuple[Document, list[Resolution]]] = []
    chars = 0

    def flush() -> None:
        nonlocal parts, n_mentions
        docs = [d for d, _ in batch]
        mentions = mentions_frame([r for _, rs in batch for r in rs], docs)
        texts = pd.DataFrame({"id": [d.id for d in docs], "text": [d.text for d in docs],
                              "lang": [d.lang for d in docs], "source": [d.source for d in docs]},
                             dtype="string")
        stories = documents_frame(story(d, rs) for d, rs in batch)
        name = _part_name(parts)
        write_atomic(out / "mentions" / name, lambda p: write_parquet(mentions, p))
        write_atomic(out / "documents" / name, lambda p: texts.to_parquet(p, index=False))
        write_atomic(out / "stories" / name, lambda p: stories.to_parquet(p, index=False))
        parts += 1
        n_mentions += len(mentions)

    for doc, resolutions in pairs:
        batch.append((doc, resolutions))
        n_docs += 1
        chars += len(doc.text)
        if chars >= partition_chars:
            flush()
            batch, chars = [], 0
    if batch or parts == 0:  # an empty run still writes one (empty) part, so readers find the schema
        flush()
    for sub in _PART_FOLDERS:
        for stale in (out / sub).glob("part.*.parquet"):
            if stale.name >= _part_name(parts):
                stale.unlink()
    summary = {"format": "geo-partitions", "version": 1, "partitions": parts, "documents": n_docs,
               "mentions": n_mentions, "crs": "EPSG:4326",
               "read_with": "dask_geopandas.read_parquet(DIR/'mentions') or geopandas.read_parquet(DIR/'mentions')"}
    write_atomic(out / PARTITIONS_FILE, lambda p: p.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8"))
    return summary


def read_partitions(path: str | Path, *, max_text_chars: int | None = None) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The mentions of every part, in order, as one frame; and ``doc_id -> text``.

    With ``max_text_chars``, texts are kept in order while they fit in that
    many characters, as ``geo map`` keeps them for its text panel.
    """
    import geopandas as gpd
    import pandas as pd

    from .frames import mentions_frame

    path = Path(path)
    if not is_partitioned(path):
        raise InputError(f"no {PARTITIONS_FILE} here; expected a folder written by `geo extract -o DIR/`",
                         path=str(path), reason="missing")
    frames = [gpd.read_parquet(p) for p in sorted((path / "mentions").glob("part.*.parquet"))]
    frames = [f for f in frames if len(f)]
    mentions = pd.concat(frames, ignore_index=True) if frames else mentions_frame([], [])
    texts: dict[str, str] = {}
    shown = 0
    for p in sorted((path / "documents").glob("part.*.parquet")):
        docs = pd.read_parquet(p, columns=["id", "text"])
        for doc_id, text in zip(docs["id"].astype(str), docs["text"].astype(str), strict=True):
            if max_text_chars is None or shown + len(text) <= max_text_chars:
                texts[doc_id] = text
                shown += len(text)
    return mentions, texts
