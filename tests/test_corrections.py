"""geo.corrections: a plain CSV of fixes that every later run applies (issue 14)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.corrections import Corrections, find_surface, read_corrections, write_corrections
from geo.errors import GazetteerFileError
from geo.model import Document, Kind, Precision
from geo.pipeline import Geoparser

HEADER = "surface,doc_id,action,gazetteer_id,name,lat,lon,kind,country_code\n"
ROOT = Path(__file__).resolve().parent.parent
GEORGIA_US, GEORGIA_GE = "gn:4197000", "gn:614540"
PEACHES = "Peaches from Georgia reached Atlanta and Savannah on Monday."
DRILL = "The soldiers trained at Fort Quexley before the drill in GEORGIA."


def csv_file(tmp_path: Path, body: str, name: str = "fixes.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def by_surface(resolutions):
    return {r.mention.surface: r for r in resolutions}


@pytest.fixture
def corrected(gazetteer, tmp_path):
    """corrected(body, *docs) -> resolutions by document id, with a Geoparser that applies ``body``."""

    def run(body: str, *docs: Document):
        gp = Geoparser(gazetteer, corrections=[csv_file(tmp_path, body)])
        return {d.id: gp.parse(d) for d in docs}

    return run


# -- each action ---------------------------------------------------------------------------------

def test_choose_picks_the_gazetteer_entry_exactly_with_the_old_reading_as_first_alternative(corrected, parse):
    before = by_surface(parse(PEACHES))["Georgia"]
    assert before.place.place_id == GEORGIA_US
    got = by_surface(corrected(f"georgia,,choose,{GEORGIA_GE},,,,,\n", Document("d", PEACHES))["d"])["Georgia"]
    assert got.place.place_id == GEORGIA_GE and got.kind == Kind.COUNTRY
    assert (got.precision, got.confidence) == (Precision.EXACT, 1.0)
    assert got.evidence == "correction: fixes.csv line 2"
    assert got.alternatives[0].place_id == GEORGIA_US


def test_place_sets_a_point_also_where_the_recogniser_found_nothing(corrected, parse):
    text = "We drove past the old Brimley Orchard and on to Atlanta."
    assert "Brimley Orchard" not in by_surface(parse(text))
    found = corrected("brimley orchard,,place,,Brimley Orchard,33.5,-84.1,feature,US\n"
                      "Fort Quexley,,place,,Fort Quexley,31.2,-85.7,,\n",
                      Document("a", text), Document("b", DRILL))
    orchard = by_surface(found["a"])["Brimley Orchard"]
    assert (orchard.place.lat, orchard.place.lon, orchard.place.country_code) == (33.5, -84.1, "US")
    assert orchard.precision == Precision.EXACT and orchard.confidence == 1.0
    assert (orchard.mention.start, orchard.mention.end) == (text.index("Brimley"), text.index(" and"))
    fort = by_surface(found["b"])["Fort Quexley"]  # the recogniser found it but could not place it
    assert fort.place.kind == Kind.FEATURE and fort.evidence == "correction: fixes.csv line 3"


def test_not_a_place_drops_the_name_in_every_spelling(corrected, parse):
    assert "Savannah" in by_surface(parse(PEACHES))
    found = corrected("SAVANNAH,,not_a_place,,,,,,\n", Document("d", PEACHES))["d"]
    assert "Savannah" not in by_surface(found) and "Atlanta" in by_surface(found)


def test_not_a_place_leaves_a_given_span_unresolved(gazetteer, tmp_path):
    gp = Geoparser(gazetteer, corrections=[csv_file(tmp_path, "Savannah,,not_a_place,,,,,,\n")])
    start = PEACHES.index("Savannah")
    [r] = gp.parse(Document("d", PEACHES), spans=[(start, start + 8)])
    assert r.place is None and r.precision == Precision.UNRESOLVED and r.evidence.startswith("correction:")


# -- scope, order, precedence ----------------------------------------------------------------------

def test_a_document_scoped_row_changes_that_document_only(corrected):
    found = corrected(f"Georgia,b,choose,{GEORGIA_GE},,,,,\n", Document("a", PEACHES), Document("b", PEACHES))
    assert by_surface(found["a"])["Georgia"].place.place_id == GEORGIA_US
    assert by_surface(found["b"])["Georgia"].place.place_id == GEORGIA_GE


def test_later_rows_and_later_files_win(gazetteer, tmp_path):
    first = csv_file(tmp_path, "Georgia,,not_a_place,,,,,,\n", "first.csv")
    second = csv_file(tmp_path, f"Georgia,,choose,{GEORGIA_GE},,,,,\n", "second.csv")
    gp = Geoparser(gazetteer, corrections=[first, second])
    got = by_surface(gp.parse(Document("d", PEACHES)))["Georgia"]
    assert got.place.place_id == GEORGIA_GE and got.evidence == "correction: second.csv line 2"
    gp = Geoparser(gazetteer, corrections=[second, first])
    assert "Georgia" not in by_surface(gp.parse(Document("d", PEACHES)))


def test_corrections_take_precedence_over_gazetteer_layers(gazetteer, tmp_path):
    from geo.gazetteer import Gazetteer

    layer = tmp_path / "mine.csv"
    layer.write_text("name,lat,lon,kind,country_code\nFort Quexley,10.0,10.0,feature,NG\n", encoding="utf-8")
    fixes = csv_file(tmp_path, "Fort Quexley,,place,,Fort Quexley (new gate),32.1,-83.2,feature,US\n")
    layered = by_surface(Geoparser(Gazetteer(gazetteer.path), layers=[layer]).parse(Document("d", DRILL)))
    assert layered["Fort Quexley"].place.layer == "layer:mine.csv"
    gp = Geoparser(Gazetteer(gazetteer.path), layers=[layer], corrections=[fixes])
    got = by_surface(gp.parse(Document("d", DRILL)))["Fort Quexley"]
    assert (got.place.name, got.place.lat, got.place.layer) == ("Fort Quexley (new gate)", 32.1, "correction:fixes.csv")
    # a choose row may name a layer's entry: the by-id look-up sees layers too
    layer_id = layered["Fort Quexley"].place.place_id
    pick = csv_file(tmp_path, f"Georgia,,choose,{layer_id},,,,,\n", "pick.csv")
    gp = Geoparser(Gazetteer(gazetteer.path), layers=[layer], corrections=[pick])
    assert by_surface(gp.parse(Document("d", PEACHES)))["Georgia"].place.place_id == layer_id


def test_the_gazetteer_fetches_an_entry_by_id(gazetteer):
    place = gazetteer.get(GEORGIA_GE)
    assert (place.name, place.kind, place.country_code) == ("Georgia", Kind.COUNTRY, "GE")
    assert gazetteer.get("gn:does-not-exist") is None


def test_find_surface_folds_case_accents_and_spacing():
    text = "En Querétaro y en QUERETARO, no en Querétaros; CAMP  Shelby."
    assert [text[a:b] for a, b in find_surface(text, "queretaro")] == ["Querétaro", "QUERETARO"]
    assert [text[a:b] for a, b in find_surface(text, "camp shelby")] == ["CAMP  Shelby"]


# -- malformed files -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, line, words", [
    ("Georgia,,teleport,,,,,,\n", 2, "action 'teleport'"),
    ("Atlanta,,not_a_place,,,,,,\nGeorgia,,choose,,,,,,\n", 3, "needs a gazetteer_id"),
    ("Georgia,,choose,gn:0000000001,,,,,\n", 2, "not in the gazetteer"),
    ("\nGeorgia,,place,,Farm,north,-83,,\n", 3, "lat 'north' is not a number"),
    ("Georgia,,place,,Farm,32,-200,,\n", 2, "lon -200.0 is outside"),
    ("Georgia,,place,,Farm,32,-83,village,\n", 2, "kind 'village'"),
    (",,not_a_place,,,,,,\n", 2, "empty surface"),
    ("Georgia,,not_a_place\n", 2, "expected 9 columns, found 3"),
])
def test_a_malformed_row_is_refused_with_file_and_line(gazetteer, tmp_path, body, line, words):
    path = csv_file(tmp_path, body)
    with pytest.raises(GazetteerFileError) as exc:
        read_corrections(path, gazetteer)
    assert str(exc.value).startswith(f"{path}:{line}: ") and words in str(exc.value)
    assert (exc.value.path, exc.value.line) == (str(path), line)


def test_a_bad_header_and_the_cli_exit(tmp_path, cli_cache, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,where\nGeorgia,here\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text(PEACHES, encoding="utf-8")
    assert main(["map", str(doc), "-o", str(tmp_path / "out"), "--corrections", str(bad), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:1:" in err and "surface" in err and not (tmp_path / "out" / "map.html").exists()


def test_extra_columns_bom_and_crlf_are_fine(gazetteer, tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_bytes(("\ufeffnote,surface,action,doc_id\r\nmy note,Savannah,not_a_place,\r\n").encode("utf-8"))
    [row] = read_corrections(path, gazetteer)
    assert (row.surface, row.action, row.doc_id, row.place) == ("Savannah", "not_a_place", "", None)


# -- formula-looking cells -------------------------------------------------------------------------

def test_formula_looking_cells_are_escaped_when_written_and_read_back(gazetteer, tmp_path):
    rows = [{"surface": "=HYPERLINK(\"http://x\")", "doc_id": "@doc", "action": "place", "name": "+Town",
             "lat": -33.5, "lon": -70.25, "kind": "city", "country_code": "CL"},
            {"surface": "-Dash", "doc_id": "", "action": "not_a_place"}]
    buf = io.StringIO()
    write_corrections(rows, buf)
    lines = buf.getvalue().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(\"\"http://x\"\")\",'@doc,place,,'+Town,-33.5,-70.25,city,CL")
    assert lines[2] == "'-Dash,,not_a_place,,,,,,"
    path = tmp_path / "w.csv"
    write_corrections(rows, path)
    back = read_corrections(path, gazetteer)
    assert [(c.surface, c.doc_id, c.place.name if c.place else None) for c in back] == [
        ("=HYPERLINK(\"http://x\")", "@doc", "+Town"), ("-Dash", "", None)]
    assert (back[0].place.lat, back[0].place.lon) == (-33.5, -70.25)


# -- where it is used ------------------------------------------------------------------------------

def _docs(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    texts = [PEACHES, DRILL, "Desde Georgia y Savannah hasta Brimley Orchard.", "Nothing here."] * 3
    path.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")
    return path


def test_extract_with_jobs_2_gives_the_output_of_one_process(tmp_path, cli_cache, capsys):
    fixes = csv_file(tmp_path, f"Georgia,n2,choose,{GEORGIA_GE},,,,,\nSavannah,,not_a_place,,,,,,\n"
                                "Brimley Orchard,,place,,Brimley Orchard,33.5,-84.1,feature,US\n")
    docs = _docs(tmp_path)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        assert main(["extract", str(docs), "-o", str(out), "--corrections", str(fixes), "--jobs", jobs,
                     "--no-progress"]) == 0
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    lines = {d["id"]: d for d in map(json.loads, outs[0].splitlines())}
    names = {d: {t["name"]: t for t in lines[d]["toponyms"]} for d in lines}
    assert names["n2"]["Georgia"]["place_id"] == GEORGIA_GE and names["n0"]["Georgia"]["place_id"] == GEORGIA_US
    assert names["n2"]["Georgia"]["evidence"] == "correction: fixes.csv line 2"
    assert "Savannah" not in names["n0"] and names["n2"]["Brimley Orchard"]["precision"] == "exact"


def test_map_and_explore_apply_the_corrections(tmp_path, cli_cache):
    import geo

    fixes = csv_file(tmp_path, "Savannah,,not_a_place,,,,,,\nFort Quexley,,place,,Fort Quexley,31.2,-85.7,,US\n")
    assert main(["map", str(_docs(tmp_path)), "-o", str(tmp_path / "m"), "--corrections", str(fixes),
                 "--no-progress"]) == 0
    mentions = pd.read_parquet(tmp_path / "m" / "mentions.parquet")
    assert "Savannah" not in set(mentions["surface"])
    fort = mentions[mentions["surface"] == "Fort Quexley"]
    assert set(fort["precision"]) == {"exact"} and set(fort["evidence"]) == {"correction: fixes.csv line 3"}
    result = geo.explore({"x": DRILL}, corrections=[fixes])
    assert result.mentions.set_index("surface").loc["Fort Quexley", "precision"] == "exact"
    assert geo.explore({"x": DRILL}).mentions.set_index("surface").loc["Fort Quexley", "precision"] != "exact"


def test_the_sample_article_places_camp_shelby_where_the_user_says(tmp_path, cli_cache):
    fixes = tmp_path / "shelby.csv"
    fixes.write_text(HEADER + "Camp Shelby,,place,,Camp Shelby,31.18,-89.19,feature,US\n", encoding="utf-8")
    out = tmp_path / "sample"
    assert main(["map", str(ROOT / "seeds"), "-o", str(out), "--corrections", str(fixes), "--no-progress"]) == 0
    mentions = pd.read_parquet(out / "mentions.parquet")
    shelby = mentions[mentions["surface"] == "Camp Shelby"].iloc[0]
    assert (shelby["precision"], shelby["confidence"], shelby["name"]) == ("exact", 1.0, "Camp Shelby")
    places = pd.read_parquet(out / "places.parquet")
    row = places[places["name"] == "Camp Shelby"].iloc[0]
    assert row["precision"] == "exact"
    html = (out / "map.html").read_text(encoding="utf-8")
    assert re.search(r'"id": "fix:camp-shelby:[^"]*", "kind": "feature", "lat": 31.18, "lon": -89.19, '
                     r'"name": "Camp Shelby", "precision": "exact"', html)  # in the browser: test_corrections_browser


def test_corrections_travel_with_a_pickled_geoparser(gazetteer, tmp_path):
    import pickle

    gp = Geoparser(gazetteer, corrections=[csv_file(tmp_path, "Savannah,,not_a_place,,,,,,\n")])
    again = pickle.loads(pickle.dumps(gp))
    assert len(again.corrections) == 1
    assert "Savannah" not in by_surface(again.parse(Document("d", PEACHES)))
    assert Corrections.read([], gazetteer).apply(Document("d", ""), []) == []


def test_partitioned_output_gets_the_corrections_from_extract_not_map(tmp_path, cli_cache, capsys):
    fixes = csv_file(tmp_path, "Savannah,,not_a_place,,,,,,\n")
    parts = tmp_path / "parts"
    assert main(["extract", str(_docs(tmp_path)), "-o", f"{parts}/", "--corrections", str(fixes),
                 "--no-progress"]) == 0
    assert main(["map", str(parts), "-o", str(tmp_path / "m"), "--corrections", str(fixes), "--no-progress"]) == 2
    assert "rerun `geo extract" in capsys.readouterr().err
    assert main(["map", str(parts), "-o", str(tmp_path / "m"), "--no-progress"]) == 0
    assert "Savannah" not in set(pd.read_parquet(tmp_path / "m" / "mentions.parquet")["surface"])


def test_dask_workers_get_the_corrections_with_the_job(gazetteer, tmp_path):
    import distributed

    from geo import parallel

    fixes = csv_file(tmp_path, f"Georgia,n2,choose,{GEORGIA_GE},,,,,\nSavannah,,not_a_place,,,,,,\n"
                                "Brimley Orchard,,place,,Brimley Orchard,33.5,-84.1,feature,US\n")
    gp = Geoparser(gazetteer, corrections=[fixes])
    docs = [Document(f"n{i}", t, "en") for i, t in enumerate([PEACHES, DRILL, "From Georgia to Brimley Orchard."])]
    here = [[(r.mention.surface, r.place.place_id if r.place else None, r.evidence) for r in gp.parse(d)] for d in docs]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        there = [[(r.mention.surface, r.place.place_id if r.place else None, r.evidence) for r in found]
                 for _, found in parallel.parse_documents(docs, gp, client=client, task_chars=40)]
    assert there == here
    assert ("Georgia", GEORGIA_GE, "correction: fixes.csv line 2") in there[2]
    assert ("Brimley Orchard", "fix:brimley-orchard:33.50000:-84.10000", "correction: fixes.csv line 4") in there[2]
    assert all(surface != "Savannah" for found in there for surface, _, _ in found)
