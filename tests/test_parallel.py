"""geo.parallel: --jobs and Dask give exactly the single-process output, in the same order."""
from __future__ import annotations

import io
import json

import dask  # the dask extra: `make test` installs it (pyproject [test])
import dask.bag as db
import dask_geopandas
import distributed
import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo import parallel
from geo.cli import main
from geo.frames import mentions_frame, places_frame
from geo.model import Document
from geo.flows import run_extract

PLACES = ["Paris, Texas", "Hattiesburg, Mississippi", "Ciudad de México", "Gainesville, Georgia", "London, Ontario",
          "Alexandria, Louisiana", "Monterrey", "Springfield, Massachusetts", "Sevilla", "Baton Rouge"]
TEXTS = [
    "Officials in {a} said the storm moved toward {b} on Tuesday. Americans in Russia were told to stay home.",
    "Un grupo de soldados llegó a {a} desde {b}, según la Secretaría de la Defensa. Los mexicanos esperan.",
    "The Harbor Creek Volunteer Fire Department and deputies from {a} answered a call near {b}.",
    "Police in {b} arrested a man from {a}; he was taken to Camp Shelby.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A JSONL of 60 short English and Spanish documents, with one duplicate id and one bad line."""
    path = tmp_path_factory.mktemp("parallel") / "corpus.jsonl"
    lines = []
    for i in range(60):
        text = TEXTS[i % len(TEXTS)].format(a=PLACES[i % len(PLACES)], b=PLACES[(3 * i + 1) % len(PLACES)])
        lines.append(json.dumps({"id": f"d{i:02d}", "text": text}, ensure_ascii=False))
    lines.insert(10, json.dumps({"id": "d05", "text": "Duplicate id: Madrid and Lima."}))
    lines.insert(20, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def single(corpus, geoparser):
    """The reference: one process, in order."""
    out = io.StringIO()
    report = run_extract([corpus], out, geoparser=geoparser, progress=False, demonyms=True)
    return out.getvalue(), report


def _extract(corpus, geoparser, **kwargs):
    out = io.StringIO()
    report = run_extract([corpus], out, geoparser=geoparser, progress=False, demonyms=True, **kwargs)
    return out.getvalue(), report


def _same_report(a, b):
    assert (a.documents, a.mentions) == (b.documents, b.mentions)
    assert [str(e) for e in a.errors] == [str(e) for e in b.errors]


def test_reference_run_is_meaningful(single):
    text, report = single
    lines = [json.loads(x) for x in text.splitlines()]
    assert len(lines) == 61 and report.mentions > 100
    assert {e.reason for e in report.errors} == {"duplicate-id", "json"}


def test_jobs_2_matches_one_process(corpus, geoparser, single, monkeypatch):
    monkeypatch.setattr(parallel, "_POOL_BATCH_DOCS", 3)  # many small batches: order must still hold
    text, report = _extract(corpus, geoparser, jobs=2)
    assert text == single[0]
    _same_report(report, single[1])


def test_jobs_must_be_positive(geoparser):
    with pytest.raises(ValueError, match="jobs"):
        list(parallel.parse_documents([Document("a", "Paris")], geoparser, jobs=-1))


@pytest.fixture(scope="module")
def thread_cluster():
    # threads in this process, but over TCP on 127.0.0.1, so the CLI can reach it by address
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False, host="127.0.0.1",
                                  protocol="tcp", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def test_dask_matches_one_process(corpus, geoparser, single, thread_cluster):
    out = io.StringIO()
    from geo.flows import RunReport, extract_line, read_inputs

    report = RunReport()
    docs, _ = read_inputs([corpus], None, report)
    pairs = list(parallel.parse_documents(docs, geoparser, client=thread_cluster, task_chars=500))
    for doc, resolutions in pairs:
        out.write(extract_line(doc, resolutions, demonyms=True)[0])
    assert out.getvalue() == single[0]


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask's parquet reader, pandas 3
def test_cli_dask_scheduler_address_and_partitioned_output(corpus, geoparser, single, thread_cluster, tmp_path):
    address = thread_cluster.scheduler.address
    jsonl = tmp_path / "out.jsonl"
    assert main(["extract", str(corpus), "--dask", address, "--demonyms", "--no-progress", "-o", str(jsonl)]) == 1
    assert jsonl.read_text(encoding="utf-8") == single[0]

    # -o DIR/: partitioned GeoParquet, read back by dask-geopandas, equal to the one-process mentions frame
    parts = tmp_path / "parts"
    assert main(["extract", str(corpus), "--dask", address, "--partition-mb", "0.001", "--no-progress",
                 "-o", f"{parts}/"]) == 1
    summary = json.loads((parts / parallel.PARTITIONS_FILE).read_text())
    assert summary["partitions"] > 2 and summary["documents"] == 61
    assert (parts / "errors.jsonl").exists()

    back = dask_geopandas.read_parquet(parts / "mentions")
    assert back.npartitions == summary["partitions"]
    got = back.compute().reset_index(drop=True)
    expected = _reference_mentions(corpus, geoparser)
    assert_geodataframe_equal(got, expected, check_dtype=False, check_index_type=False)
    assert got["doc_id"].tolist() == expected["doc_id"].tolist()


def _reference_mentions(corpus, geoparser):
    from geo.flows import RunReport, read_inputs

    docs = list(read_inputs([corpus], None, RunReport())[0])
    return mentions_frame([r for d in docs for r in geoparser.parse(d)], docs)


def test_map_aggregates_places_over_partitions(corpus, geoparser, tmp_path):
    parts = tmp_path / "parts"
    pairs = parallel.parse_documents(iter(_docs(corpus)), geoparser)
    summary = parallel.write_partitions(pairs, parts, partition_chars=800)
    assert summary["partitions"] > 3
    out = tmp_path / "map"
    assert main(["map", str(parts), "-o", str(out), "--no-progress"]) == 0
    assert (out / "map.html").stat().st_size > 0
    places = gpd.read_parquet(out / "places.parquet")
    expected = places_frame(_reference_mentions(corpus, geoparser))
    assert_geodataframe_equal(places, expected, check_dtype=False)
    # a place named in several parts is counted once, with all its mentions
    assert places["doc_count"].max() > 1


def test_rerun_with_fewer_parts_removes_stale_ones(geoparser, tmp_path):
    docs = [Document(f"x{i}", "Flooding in Baton Rouge and New Orleans.", "en") for i in range(6)]
    parallel.write_partitions(parallel.parse_documents(docs, geoparser), tmp_path, partition_chars=10)
    summary = parallel.write_partitions(parallel.parse_documents(docs[:2], geoparser), tmp_path, partition_chars=10)
    assert summary["partitions"] == 2
    assert len(list((tmp_path / "mentions").glob("part.*.parquet"))) == 2
    mentions, texts = parallel.read_partitions(tmp_path)
    assert list(texts) == ["x0", "x1"] and set(mentions["doc_id"]) == {"x0", "x1"}


def test_empty_input_writes_one_empty_part(geoparser, tmp_path):
    summary = parallel.write_partitions(iter(()), tmp_path)
    assert summary == {**summary, "partitions": 1, "documents": 0, "mentions": 0}
    mentions, texts = parallel.read_partitions(tmp_path)
    assert mentions.empty and texts == {} and mentions.crs == "EPSG:4326"


def test_bag_and_dataframe_api(corpus, geoparser, single):
    docs = _docs(corpus)
    bag = db.from_sequence(docs, npartitions=4)
    with dask.config.set(scheduler="sync"):
        records = parallel.geoparse_bag(bag, geoparser).compute()
        frame = parallel.mentions_dataframe(bag, geoparser).compute().reset_index(drop=True)
    expected = [json.loads(x) for x in single[0].splitlines()]
    assert records == [{"id": r["id"], "toponyms": [t for t in r["toponyms"] if t["kind"] != "demonym"]}
                       for r in expected]
    assert_geodataframe_equal(frame, _reference_mentions(corpus, geoparser), check_dtype=False)


@pytest.mark.slow
def test_process_cluster(corpus, single, tmp_path):
    """One check with real worker processes (each loads the gazetteer once), via --dask local."""
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(corpus), "--dask", "local", "--jobs", "2", "--demonyms", "--no-progress",
                 "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == single[0]


def _docs(corpus):
    from geo.flows import RunReport, read_inputs

    return list(read_inputs([corpus], None, RunReport())[0])


def test_partitions_are_not_confused_with_documents(tmp_path):
    (tmp_path / "a.txt").write_text("Paris", encoding="utf-8")
    assert not parallel.is_partitioned(tmp_path)
    with pytest.raises(Exception, match="geo extract -o DIR/"):
        parallel.read_partitions(tmp_path)
    assert pd.api.types.is_string_dtype(mentions_frame([], [])["doc_id"])


@pytest.mark.slow
def test_an_online_geocoder_refines_here_after_the_workers(geoparser, corpus, monkeypatch):
    """Workers do not get the geocoder; its refinement runs in this process, in order."""
    import copy

    class Marker:
        def __init__(self):
            self.seen = []

        def refine(self, resolutions):
            self.seen.append(len(resolutions))
            return resolutions[:1]

    gp = copy.copy(geoparser)
    gp.geocoder = Marker()
    monkeypatch.setattr(parallel, "_POOL_BATCH_DOCS", 5)
    docs = _docs(corpus)[:12]
    got = [len(r) for _, r in parallel.parse_documents(docs, gp, jobs=2)]
    assert got == [min(1, len(geoparser.parse(d))) for d in docs]
    assert gp.geocoder.seen == [len(geoparser.parse(d)) for d in docs]


def test_the_command_parses_with_fewer_collector_passes_and_restores_the_setting(tmp_path, monkeypatch):
    import gc

    from geo import flows

    seen = []
    real = flows.run_extract

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(flows, "run_extract", spy)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Floods closed roads between Monterrey and Saltillo."}) + "\n",
                   encoding="utf-8")
    before = gc.get_threshold()
    assert main(["extract", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-progress"]) == 0
    assert seen == [parallel.RUN_GC_THRESHOLD] != [before[0]]
    assert gc.get_threshold() == before
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["id"] == "a"
