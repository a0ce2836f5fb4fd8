"""The ``geo`` command end to end, in-process: the seed's done-when checks."""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from geo.cli import main
from geo.model import Document, Kind
from geo.outlines import country_outline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LAYERS = Path(__file__).resolve().parent / "data" / "layers"
# Mississippi's bounding box (lon, lat), generous by a few km
MISSISSIPPI_BBOX = (-91.7, 30.1, -88.0, 35.0)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-map")
    assert main(["map", str(SEEDS), "-o", str(out), "--no-progress"]) == 0
    return out


def test_map_writes_the_four_files(seed_run):
    for name in ("map.html", "mentions.parquet", "places.parquet", "places.geojson"):
        assert (seed_run / name).stat().st_size > 0, name
    assert not (seed_run / "errors.jsonl").exists()


def test_frames_are_geoparquet_in_wgs84(seed_run):
    m = gpd.read_parquet(seed_run / "mentions.parquet")
    p = gpd.read_parquet(seed_run / "places.parquet")
    assert m.crs.to_epsg() == 4326 and p.crs.to_epsg() == 4326
    for col in ("doc_id", "start", "end", "surface", "place_id", "kind", "precision", "confidence", "passage"):
        assert col in m.columns
    for col in ("place_id", "name", "kind", "country_code", "admin1", "precision", "confidence", "mention_count"):
        assert col in p.columns
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    assert all(text[r.start:r.end] == r.surface for r in m.itertuples())
    geojson = json.loads((seed_run / "places.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == len(p)


def test_seed_places_have_points_inside_them(seed_run):
    p = gpd.read_parquet(seed_run / "places.parquet").set_index("name")
    for name, iso in (("Mexico", "MX"), ("United States", "US"), ("Venezuela", "VE")):
        assert p.loc[name, "kind"] == "country"
        assert country_outline(iso).contains(p.loc[name, "geometry"]), name
    for name in ("Mississippi", "Camp Shelby"):
        pt = p.loc[name, "geometry"]
        x0, y0, x1, y1 = MISSISSIPPI_BBOX
        assert x0 <= pt.x <= x1 and y0 <= pt.y <= y1, name
    assert p.loc["Camp Shelby", "precision"] == "admin1"  # not in the embedded gazetteer: a fallback
    assert p.loc["Mississippi", "precision"] == "exact"


def test_mississippi_footprint_is_its_outline(seed_run):
    import shapely

    for name in ("mentions.parquet", "places.parquet"):
        frame = gpd.read_parquet(seed_run / name)
        assert frame.geometry.name == "geometry" and frame["footprint"].dtype == "geometry"
    p = gpd.read_parquet(seed_run / "places.parquet").set_index("name")
    outline = p.loc["Mississippi", "footprint"]
    assert outline.geom_type in ("Polygon", "MultiPolygon")
    assert outline.contains(shapely.Point(-90.18, 32.30))  # Jackson, MS
    assert not outline.contains(shapely.Point(-86.80, 33.52))  # Birmingham, AL
    assert p.loc["Camp Shelby", "footprint"].equals(outline)  # the area it fell back to
    assert p.loc["Mexico", "footprint"].contains(p.loc["Mexico", "geometry"])
    assert (seed_run / "map.html").stat().st_size < 2_000_000


def test_people_and_newspapers_are_absent(seed_run):
    m = gpd.read_parquet(seed_run / "mentions.parquet")
    p = gpd.read_parquet(seed_run / "places.parquet")
    found = set(m.surface) | set(p.name)
    for name in ("Milenio", "Donald Trump", "Trump", "Nicolás Maduro", "Maduro", "Cilia Flores", "Flores", "Donald"):
        assert name not in found, name


def test_demonyms_are_kept_apart(seed_run):
    m = gpd.read_parquet(seed_run / "mentions.parquet")
    dem = m[m.kind == "demonym"]
    assert {"mexicanos", "estadounidense"} & set(dem.surface)
    assert set(dem.country_code) <= {"MX", "US", "VE"}


def test_map_html_links_every_place_and_holds_the_text(seed_run):
    html = (seed_run / "map.html").read_text(encoding="utf-8")
    p = gpd.read_parquet(seed_run / "places.parquet")
    for pid in p.place_id:
        assert f'"id": "{pid}"' in html  # the page builds its elements from this data
    assert "narcoterrorismo" in html
    assert "<script src=" not in html


def test_layer_file_makes_camp_shelby_exact(tmp_path):
    for layer in ("camp_shelby.txt", "camp_shelby.csv"):
        out = tmp_path / layer
        assert main(["map", str(SEEDS), "-o", str(out), "--gazetteer", str(LAYERS / layer), "--no-progress"]) == 0
        p = gpd.read_parquet(out / "places.parquet").set_index("name")
        row = p.loc["Camp Shelby"]
        assert row.precision == "exact", layer
        assert (row.geometry.y, row.geometry.x) == pytest.approx((31.18333, -89.19167))
        # not the town of Shelby in Bolivar County (33.95 N, -90.77 W)
        assert "Shelby" not in set(p.index)


def test_bad_layer_is_a_usage_error_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nNowhere,200,0\n", encoding="utf-8")
    assert main(["map", str(SEEDS), "-o", str(tmp_path / "o"), "--gazetteer", str(bad)]) == 2
    assert f"{bad}:2:" in capsys.readouterr().err


def test_extract_writes_the_scorer_shape(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Llegaron a Camp Shelby, Misisipi, desde México."}) + "\n"
                   + json.dumps({"id": "b", "text": "Nothing here."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(src), "-o", str(out), "--no-progress"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    tops = lines[0]["toponyms"]
    assert [t["name"] for t in tops] == ["Camp Shelby", "Misisipi", "México"]
    keys = {"start", "end", "name", "lat", "lon", "place_id", "kind", "country_code", "precision", "confidence"}
    assert all(keys <= set(t) for t in tops)
    assert lines[1]["toponyms"] == []


def test_extract_spans_from_resolves_given_spans(tmp_path):
    gold = tmp_path / "gold.jsonl"
    text = "The American team flew from Gainesville, Florida."
    gold.write_text(json.dumps({"id": "g", "text": text, "toponyms": [
        {"start": 4, "end": 12}, {"start": 28, "end": 39}, {"start": 41, "end": 48}]}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--spans-from", str(gold), "-o", str(out), "--no-progress"]) == 0
    tops = json.loads(out.read_text(encoding="utf-8"))["toponyms"]
    assert [(t["name"], t["kind"], t["country_code"]) for t in tops] == [
        ("American", "demonym", "US"), ("Gainesville", "city", "US"), ("Florida", "admin1", "US")]


def test_given_spans_are_resolved_with_the_whole_text_as_context(tmp_path):
    # only one place is given; the state named elsewhere in the text says which Paris it is
    text = "Firefighters from Paris worked through the night. The sheriff of Lamar County, Texas, thanked them."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "p", "text": text, "toponyms": [{"start": 18, "end": 23}]}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--spans-from", str(gold), "-o", str(out), "--no-progress"]) == 0
    tops = json.loads(out.read_text(encoding="utf-8"))["toponyms"]
    assert [(t["name"], t["country_code"]) for t in tops] == [("Paris", "US")]  # and nothing else


def test_a_given_feature_named_again_in_the_text_resolves_with_it(geoparser):
    # the recogniser finds the second "Sabine River" as a river; the given first one shares its reading
    text = "Flooding closed roads along the Sabine River near Orange. By Friday the Sabine River had crested."
    start = text.index("Sabine River")
    [r] = geoparser.parse(Document("s", text, "en"), [(start, start + len("Sabine River"))])
    assert (r.mention.start, r.place.kind, r.place.country_code) == (start, Kind.FEATURE, "US")


def test_a_given_span_outside_the_text_is_an_error_record_and_the_run_goes_on(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Rain fell on Denver.", "toponyms": [{"start": 13, "end": 19}]},
        {"id": "b", "text": "Snow in Boise.", "toponyms": [{"start": 8, "end": 13}, {"start": 30, "end": 40}]},
        {"id": "c", "text": "Wind in Reno.", "toponyms": [{"start": 8, "end": 12}]}]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--spans-from", str(gold), "-o", str(out), "--no-progress"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [[t["name"] for t in line["toponyms"]] for line in lines] == [["Denver"], ["Boise"], ["Reno"]]
    assert f"warning: {gold}:2: document 'b': span (30, 40) outside the text" in capsys.readouterr().err
    parts = tmp_path / "parts"
    assert main(["extract", "--spans-from", str(gold), "-o", f"{parts}/", "--no-progress"]) == 0
    errors = [json.loads(line) for line in (parts / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["path"], e["line"], e["reason"], e["kept"]) for e in errors] == [(str(gold), 2, "span", True)]


def test_a_short_latin1_spanish_file_yields_its_places(tmp_path):
    src = tmp_path / "nota.txt"
    src.write_bytes("Los soldados llegaron a Querétaro y León, en México.".encode("latin-1"))
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(src), "-o", str(out), "--no-progress"]) == 0
    tops = json.loads(out.read_text(encoding="utf-8"))["toponyms"]
    assert [t["name"] for t in tops] == ["Querétaro", "León", "México"]


def test_skipped_input_gives_exit_1_and_errors_jsonl(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Llegaron a México.", encoding="utf-8")
    (docs / "b.txt").write_bytes(b"")
    assert main(["map", str(docs), "-o", str(tmp_path / "o"), "--no-progress"]) == 1
    errors = [json.loads(line) for line in (tmp_path / "o" / "errors.jsonl").read_text().splitlines()]
    assert [(Path(e["path"]).name, e["reason"]) for e in errors] == [("b.txt", "empty")]
    assert (tmp_path / "o" / "map.html").exists()


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in ("map", "extract", "build-gazetteer", "exit status"):
        assert word in out
