"""The ``geo`` command: a thin layer over :mod:`geo.pipeline`.

``main(argv) -> int`` is the entry point and is tested in-process.
Exit codes: 0 everything done (warnings, e.g. a duplicate id, allowed); 1 some
inputs were skipped (see ``errors.jsonl`` / stderr); 2 usage or configuration
error (bad layer file, unknown geocoder, ...); 130 interrupted, 143 terminated
(SIGTERM): earlier outputs are left as they were.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import GeoError

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR = 0, 1, 2

_EPILOG = """\
exit status: 0 all inputs mapped (warnings allowed); 1 some inputs were skipped
(listed on stderr and in DIR/errors.jsonl); 2 usage or configuration error; 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM): the outputs of an earlier run are left as they were.

examples:
  geo map seeds/                         # writes data/map.html and the frames
  geo map articles.jsonl -o out/ --gazetteer US.zip
  geo map seeds/ --corrections corrections.csv   # fixes made on the map, applied
  geo extract corpus.jsonl -o preds.jsonl
  geo build-gazetteer                    # build the embedded gazetteer now
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geo",
        description="Find the places a text talks about, resolve them offline, and map them.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"geo {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--gazetteer", action="append", default=[], metavar="FILE",
                        help="extra gazetteer layer: a GeoNames dump (.txt/.zip, 19 columns) or a CSV "
                             "name,lat,lon[,kind,country_code,admin1,alt_names]; repeatable")
    common.add_argument("--corrections", action="append", default=[], metavar="FILE",
                        help="a corrections CSV (surface,doc_id,action,gazetteer_id,name,lat,lon,kind,country_code; "
                             "actions choose, place, not_a_place), e.g. the corrections.csv downloaded from a map; "
                             "applied above the gazetteer layers; repeatable, later rows win")
    common.add_argument("--encoding", metavar="NAME", help="encoding of text files (default: detect)")
    common.add_argument("--lang", metavar="CODE", help="language of every document, e.g. es or en (default: detect per document)")
    common.add_argument("--date-order", choices=("auto", "dmy", "mdy"), default="auto",
                        help="how to read dates like 03/04/2026: dmy (3 April), mdy (March 4), or auto: month first "
                             "for English documents, day first otherwise (default); unreadable dates are warnings")
    common.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    common.add_argument("--geocoder", metavar="NAME",
                        help="ask an online geopy service (e.g. nominatim) about the mentions the embedded gazetteer "
                             "cannot place exactly; answers are cached, failures keep the embedded answer")
    common.add_argument("--geocoder-option", action="append", default=[], metavar="KEY=VALUE",
                        help="an option of the --geocoder service (domain=..., api_key=..., user_agent=..., "
                             "timeout=...) or of geo's (min_delay, max_retries, backoff, max_wait, cache); repeatable")
    common.add_argument("-j", "--jobs", type=int, metavar="N",
                        help="geoparse in N worker processes (0: one per core); output is identical and in the same "
                             "order (default: 1); with --dask local, the number of workers (default: one per core)")
    common.add_argument("--dask", metavar="SCHEDULER",
                        help="geoparse on a Dask cluster: 'local' (a LocalCluster on this machine), a scheduler "
                             "address tcp://host:8786, or a scheduler file *.json; needs geo[dask]")

    m = sub.add_parser("map", parents=[common], help="geoparse documents and write map.html, GeoParquet and GeoJSON",
                       description="Geoparse PATHs and write DIR/map.html, DIR/mentions.parquet, DIR/places.parquet, "
                                   "DIR/places.geojson and DIR/documents.parquet (one row per document: title, date, "
                                   "source, url, focus).")
    m.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.md/.html files, folders of them, or .jsonl with {\"id\",\"text\"} lines; "
                                                            "or a folder written by `geo extract -o DIR/` (its places are aggregated over all parts)")
    m.add_argument("-o", "--out", default="data", metavar="DIR", help="output folder (default: data)")
    m.add_argument("--title", help="title shown on the map")

    e = sub.add_parser("extract", parents=[common], help="batch interface: JSONL in, JSONL of toponyms out",
                       description="Write one JSON line per document: {\"id\", \"toponyms\": [{start, end, name, lat, lon, "
                                   "place_id, kind, country_code, precision, confidence}], \"focus\": {name, lat, lon, gazetteer_id, kind, "
                                   "country_code, admin1, admin1_name, country, score} or null}: the focus is the place "
                                   "the story is about.")
    e.add_argument("paths", nargs="*", metavar="IN",
                   help="JSONL file(s) with {\"id\",\"text\"} lines, or text files/folders (default with --spans-from: that file)")
    e.add_argument("--spans-from", metavar="SPANS.jsonl",
                   help="resolve the spans listed in this JSONL ({\"id\", \"toponyms\": [{\"start\", \"end\"}]}, e.g. "
                        "gold annotations or your own NER) and output only those; the places geo finds elsewhere in the "
                        "text are their context")
    e.add_argument("-o", "--out", metavar="OUT.jsonl|DIR/",
                   help="output file (default: stdout); a folder (DIR/, ending in a slash, or an existing folder) gets "
                        "partitioned GeoParquet of every mention: DIR/mentions/part.*.parquet, DIR/documents/...")
    e.add_argument("--partition-mb", type=float, default=8.0, metavar="MB",
                   help="text per part of DIR/ output (default: 8, about 2,800 news articles)")
    e.add_argument("--demonyms", action="store_true", help="also list demonyms (\"mexicanos\", \"American\") as toponyms")

    b = sub.add_parser("build-gazetteer", help="build (or rebuild) the embedded gazetteer in the user cache")
    b.add_argument("--force", action="store_true", help="rebuild even if it exists")
    return p


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it unwinds like Ctrl-C."""


def _on_sigterm(signum, frame):
    raise _Terminated()


class _Stderr(logging.Handler):
    """Log records as ``geo: message`` lines on the current ``sys.stderr``."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"geo: {self.format(record)}", file=sys.stderr)


def _show_build_progress() -> None:
    """The gazetteer build says what it reads (it takes half a minute, once)."""
    logger = logging.getLogger("geo.gazetteer_build")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr())
        logger.setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _show_build_progress()
    # SIGTERM unwinds like Ctrl-C: temporary files are removed, finished outputs stay. Signals can
    # only be handled in the main thread; elsewhere (an embedding program's thread) leave them be.
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        return _run(args)
    except GeoError as exc:
        print(f"geo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # inputs report their own; this is an output (or cache) that cannot be written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"geo: error: {where}{exc.strerror or exc}; check that the output folder can be written and has "
              "space (earlier outputs were left as they were)", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        where = f" in {args.out}" if getattr(args, "out", None) else ""
        print(f"geo: {what}; the outputs{where} were left as they were (files are replaced only when complete, "
              "never half-written)", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _report(report) -> int:
    for err in report.errors:  # a warning: the input was still read
        print(f"geo: {'skipped' if err.skips else 'warning'}: {err}", file=sys.stderr)
    print(f"geo: {report.summary()}", file=sys.stderr)
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def _run(args) -> int:
    from .gazetteer import Gazetteer, default_path
    from .gazetteer_build import build

    if args.command == "build-gazetteer":
        path = default_path()
        if path.exists() and not args.force:
            print(f"geo: gazetteer already built: {path} (use --force to rebuild)", file=sys.stderr)
        else:
            build(path)
        print(Gazetteer(path).stats(), file=sys.stderr)
        return EXIT_OK

    from .parallel import is_partitioned, run_gc_threshold

    if args.jobs is not None and args.jobs < 0:
        print(f"geo {args.command}: error: --jobs must be 0 (one per core) or more, got {args.jobs}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "map" and len(args.paths) == 1 and is_partitioned(args.paths[0]):
        from .flows import run_map_partitioned

        if args.corrections:
            print("geo map: error: --corrections applies while geoparsing; a folder written by `geo extract -o DIR/` "
                  "is already parsed: rerun `geo extract ... -o DIR/ --corrections FILE`, then `geo map DIR/`",
                  file=sys.stderr)
            return EXIT_ERROR

        report = run_map_partitioned(args.paths[0], Path(args.out), title=args.title)
        print(f"geo: wrote {Path(args.out) / 'map.html'}", file=sys.stderr)
        return _report(report)
    if args.geocoder_option and not args.geocoder:
        print(f"geo {args.command}: error: --geocoder-option needs --geocoder NAME", file=sys.stderr)
        return EXIT_ERROR
    refiner = _geocoder(args)
    try:
        with _dask(args) as client, run_gc_threshold():  # fewer collector passes while parsing (same output)
            return _geoparse(args, client, refiner)
    finally:
        if refiner is not None:
            print(f"geo: geocoder {refiner.summary()}", file=sys.stderr)
            refiner.close()


def _geocoder(args):
    """The :class:`~geo.geocoders.OnlineRefiner` for ``--geocoder``, or None."""
    if not args.geocoder:
        return None
    from .errors import GeocoderError
    from .geocoders import OnlineRefiner

    options = {}
    for item in args.geocoder_option:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise GeocoderError(f"--geocoder-option {item!r}: expected KEY=VALUE, e.g. user_agent=my-app/1.0")
        options[key.strip()] = value
    return OnlineRefiner(args.geocoder, options, warn=lambda message: print(f"geo: warning: {message}", file=sys.stderr))


def _dask(args):
    """The Dask client for ``--dask``, or none."""
    import contextlib

    if not args.dask:
        return contextlib.nullcontext()
    from .parallel import dask_client

    return dask_client(args.dask, workers=args.jobs or None)


def _geoparse(args, client, refiner=None) -> int:
    from .flows import run_extract, run_map
    from .pipeline import Geoparser

    geoparser = Geoparser(layers=args.gazetteer, geocoder=refiner, corrections=args.corrections)
    progress = False if args.no_progress else None
    geoparser.default_lang = args.lang
    jobs = 1 if client is not None or args.jobs is None else args.jobs
    if args.command == "map":
        report = run_map(args.paths, Path(args.out), geoparser=geoparser, encoding=args.encoding,
                         progress=progress, title=args.title, jobs=jobs, client=client, date_order=args.date_order)
        print(f"geo: wrote {Path(args.out) / 'map.html'}", file=sys.stderr)
        return _report(report)
    if args.command == "extract":
        from .flows import read_spans

        spans = read_spans(args.spans_from) if args.spans_from else None
        if not args.paths:
            if not args.spans_from:
                print("geo extract: error: give IN files, or --spans-from with texts", file=sys.stderr)
                return EXIT_ERROR
            args.paths = [args.spans_from]
        if args.out and (args.out.endswith(("/", os.sep)) or Path(args.out).is_dir()):
            from .flows import run_extract_partitioned

            report = run_extract_partitioned(args.paths, Path(args.out), geoparser=geoparser, encoding=args.encoding,
                                             progress=progress, spans=spans, jobs=jobs, client=client,
                                             partition_chars=max(1, int(args.partition_mb * 2**20)),
                                             date_order=args.date_order)
            print(f"geo: wrote {Path(args.out)}/ (read it with dask_geopandas.read_parquet or `geo map`)",
                  file=sys.stderr)
            return _report(report)
        if args.out:
            from .outputs import write_atomic

            holder = {}

            def write(tmp: Path) -> None:
                with open(tmp, "w", encoding="utf-8") as fh:
                    holder["r"] = run_extract(args.paths, fh, geoparser=geoparser, encoding=args.encoding,
                                              demonyms=args.demonyms, progress=progress, spans=spans,
                                              jobs=jobs, client=client, date_order=args.date_order)

            write_atomic(Path(args.out), write)
            return _report(holder["r"])
        return _report(run_extract(args.paths, sys.stdout, geoparser=geoparser, encoding=args.encoding,
                                   demonyms=args.demonyms, progress=progress, spans=spans, jobs=jobs, client=client,
                                   date_order=args.date_order))
    raise AssertionError(args.command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
