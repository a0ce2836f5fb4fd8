"""The ``geo`` command: a thin layer over :mod:`geo.pipeline`.

``main(argv) -> int`` is the entry point and is tested in-process.
Exit codes: 0 everything done; 1 some inputs were skipped (see
``errors.jsonl`` / stderr); 2 usage or configuration error (bad layer file,
missing output folder permissions, ...).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import GeoError

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR = 0, 1, 2

_EPILOG = """\
exit status: 0 all inputs mapped; 1 some inputs were skipped (listed on stderr
and in DIR/errors.jsonl); 2 usage or configuration error.

examples:
  geo map seeds/                         # writes data/map.html and the frames
  geo map articles.jsonl -o out/ --gazetteer US.zip
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
    common.add_argument("--encoding", metavar="NAME", help="encoding of text files (default: detect)")
    common.add_argument("--lang", metavar="CODE", help="language of every document, e.g. es or en (default: detect per document)")
    common.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    m = sub.add_parser("map", parents=[common], help="geoparse documents and write map.html, GeoParquet and GeoJSON",
                       description="Geoparse PATHs and write DIR/map.html, DIR/mentions.parquet, DIR/places.parquet "
                                   "and DIR/places.geojson.")
    m.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.md/.html files, folders of them, or .jsonl with {\"id\",\"text\"} lines")
    m.add_argument("-o", "--out", default="data", metavar="DIR", help="output folder (default: data)")
    m.add_argument("--title", help="title shown on the map")

    e = sub.add_parser("extract", parents=[common], help="batch interface: JSONL in, JSONL of toponyms out",
                       description="Write one JSON line per document: {\"id\", \"toponyms\": [{start, end, name, lat, lon, "
                                   "place_id, kind, country_code, precision, confidence}]}.")
    e.add_argument("paths", nargs="*", metavar="IN",
                   help="JSONL file(s) with {\"id\",\"text\"} lines, or text files/folders (default with --spans-from: that file)")
    e.add_argument("--spans-from", metavar="SPANS.jsonl",
                   help="resolve the spans listed in this JSONL ({\"id\", \"toponyms\": [{\"start\", \"end\"}]}, e.g. "
                        "gold annotations or your own NER) instead of finding mentions")
    e.add_argument("-o", "--out", metavar="OUT.jsonl", help="output file (default: stdout)")
    e.add_argument("--demonyms", action="store_true", help="also list demonyms (\"mexicanos\", \"American\") as toponyms")

    b = sub.add_parser("build-gazetteer", help="build (or rebuild) the embedded gazetteer in the user cache")
    b.add_argument("--force", action="store_true", help="rebuild even if it exists")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except GeoError as exc:
        print(f"geo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("geo: interrupted; outputs already written are intact, none was half-written", file=sys.stderr)
        return 130


def _report(report) -> int:
    for err in report.errors:
        print(f"geo: skipped: {err}", file=sys.stderr)
    print(f"geo: {report.summary()}", file=sys.stderr)
    return EXIT_SKIPPED if report.errors else EXIT_OK


def _run(args) -> int:
    from .gazetteer import Gazetteer, build, default_path
    from .pipeline import Geoparser, run_extract, run_map

    if args.command == "build-gazetteer":
        path = default_path()
        if path.exists() and not args.force:
            print(f"geo: gazetteer already built: {path} (use --force to rebuild)", file=sys.stderr)
        else:
            build(path)
        print(Gazetteer(path).stats(), file=sys.stderr)
        return EXIT_OK

    geoparser = Geoparser(layers=args.gazetteer)
    progress = False if args.no_progress else None
    geoparser.default_lang = args.lang
    if args.command == "map":
        report = run_map(args.paths, Path(args.out), geoparser=geoparser, encoding=args.encoding,
                         progress=progress, title=args.title)
        print(f"geo: wrote {Path(args.out) / 'map.html'}", file=sys.stderr)
        return _report(report)
    if args.command == "extract":
        from .pipeline import read_spans

        spans = read_spans(args.spans_from) if args.spans_from else None
        if not args.paths:
            if not args.spans_from:
                print("geo extract: error: give IN files, or --spans-from with texts", file=sys.stderr)
                return EXIT_ERROR
            args.paths = [args.spans_from]
        if args.out:
            from .pipeline import write_atomic

            holder = {}

            def write(tmp: Path) -> None:
                with open(tmp, "w", encoding="utf-8") as fh:
                    holder["r"] = run_extract(args.paths, fh, geoparser=geoparser, encoding=args.encoding,
                                              demonyms=args.demonyms, progress=progress, spans=spans)

            write_atomic(Path(args.out), write)
            return _report(holder["r"])
        return _report(run_extract(args.paths, sys.stdout, geoparser=geoparser, encoding=args.encoding,
                                   demonyms=args.demonyms, progress=progress, spans=spans))
    raise AssertionError(args.command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
