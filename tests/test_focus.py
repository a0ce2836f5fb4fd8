"""Focus (the place a story is about), documents.parquet, and the focus of geo extract lines."""
import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from geo.focus import document_focus
from geo.frames import DOCUMENT_COLUMNS
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.pipeline import default_geoparser


def focus_of(text, title=None, lang="en"):
    gp = default_geoparser()
    doc = Document("d", text, lang, title=title)
    return document_focus(doc, gp.parse(doc), gp.gazetteer)


def test_many_towns_of_one_state_make_the_state_the_focus():
    f = focus_of("Flooding closed roads in Hermosillo on Monday. Farmers in Cajeme and Navojoa lost crops, "
                 "and the port of Guaymas shut for a day.")
    assert (f.place.name, f.place.kind, f.country.name, f.admin1.name) == ("Sonora", Kind.ADMIN1, "Mexico", "Sonora")


def test_a_town_that_dominates_is_the_focus_with_its_state_and_country():
    f = focus_of("Hermosillo opened shelters on Monday. In Hermosillo the river rose a metre overnight, and "
                 "Hermosillo schools closed. Later, a road to Cajeme was cut.")
    assert f.place.name == "Hermosillo" and f.admin1.name == "Sonora" and f.country.country_code == "MX"
    assert 0.5 < f.score <= 1


def test_the_title_makes_a_place_the_focus():
    text = "Officials met on Tuesday. Visitors came from Lyon and later from Lyon again, and from Marseille."
    assert focus_of(text).place.name == "Lyon"
    assert focus_of(text, title="Marseille port reopens").place.name == "Marseille"


def test_a_story_spread_over_a_country_is_about_the_country():
    f = focus_of("Mexico announced new water rules. Farmers in Sonora, Jalisco, Chiapas, Yucatán and Oaxaca "
                 "protested across Mexico.", lang="en")
    assert f.place.kind == Kind.COUNTRY and f.place.country_code == "MX"


def test_the_dateline_counts_most():
    def res(name, start, kind, cc, a1, role="text"):
        place = Place(f"x:{name}", name, kind, 10.0, 10.0, cc, a1)
        return Resolution(Mention("d", start, start + len(name), name, role=role), place, kind, Precision.EXACT, 0.9)

    doc = Document("d", "LIMA - " + "x" * 200)
    found = [res("Lima", 0, Kind.CITY, "PE", "15", role="dateline"), res("Quito", 40, Kind.CITY, "EC", "18"),
             res("Quito", 80, Kind.CITY, "EC", "18")]
    assert document_focus(doc, found, gazetteer=False).place.name == "Lima"
    found[0] = res("Lima", 0, Kind.CITY, "PE", "15")
    assert document_focus(doc, found, gazetteer=False).place.name == "Quito"


def test_no_place_no_focus():
    assert focus_of("Nothing happened to anyone today.") is None
    assert document_focus(Document("d", "x"), [], gazetteer=False) is None


@pytest.fixture(scope="module")
def story_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stories")
    lines = [
        {"id": "s1", "lang": "en", "title": "Floods in Sonora", "date": "2026-03-03", "source": "Norte",
         "url": "https://norte.example/s1", "author": "A. Ruiz",
         "text": "Heavy rain flooded Hermosillo. In Cajeme and Navojoa, farmers lost crops; Guaymas closed its port."},
        {"id": "s2", "lang": "es", "title": "Lluvia en Lyon", "date": "20 de marzo de 2026", "source": "Sur",
         "text": "La lluvia cayó sobre Lyon durante la noche."},
        {"id": "s3", "lang": "en", "text": "No places at all here.", "date": "whenever"},
    ]
    path = tmp / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    geo = [sys.executable, "-m", "geo.cli"]
    map_run = subprocess.run([*geo, "map", str(path), "-o", str(tmp / "out"), "--no-progress"],
                             capture_output=True, text=True)
    extract = subprocess.run([*geo, "extract", str(path), "--no-progress"], capture_output=True, text=True)
    parts = subprocess.run([*geo, "extract", str(path), "-o", str(tmp / "parts") + "/", "--no-progress"],
                           capture_output=True, text=True)
    return tmp, map_run, extract, parts


def test_documents_parquet_is_written_and_read_back_with_its_columns(story_run):
    tmp, run, _, _ = story_run
    assert run.returncode == 0, run.stderr
    assert "document 's3'" in run.stderr and "whenever" in run.stderr  # a warning naming it; the run went on
    frame = gpd.read_parquet(tmp / "out" / "documents.parquet")
    assert [c for c in frame.columns if c != "geometry"] == list(DOCUMENT_COLUMNS)
    assert frame.crs.to_epsg() == 4326
    rows = frame.set_index("doc_id")
    assert rows.loc["s1", "title"] == "Floods in Sonora" and rows.loc["s1", "source"] == "Norte"
    assert rows.loc["s1", "date"] == pd.Timestamp("2026-03-03") and rows.loc["s2", "date"] == pd.Timestamp("2026-03-20")
    assert pd.isna(rows.loc["s3", "date"]) and pd.isna(rows.loc["s3", "focus_name"])
    assert rows.loc["s1", "focus_name"] == "Sonora" and rows.loc["s1", "focus_kind"] == "admin1"
    assert rows.loc["s1", "focus_country_code"] == "MX" and rows.loc["s1", "place_count"] == 4
    assert rows.loc["s2", "focus_name"] == "Lyon" and rows.loc["s2", "lang"] == "es"
    assert rows.loc["s1", "geometry"].y == pytest.approx(29.67, abs=0.5)
    assert rows.loc["s3", "geometry"] is None


def test_extract_lines_carry_the_focus(story_run):
    _, _, run, _ = story_run
    lines = {x["id"]: x for x in map(json.loads, run.stdout.splitlines())}
    focus = lines["s1"]["focus"]
    assert set(focus) >= {"name", "lat", "lon", "gazetteer_id", "kind", "country_code", "score"}
    assert (focus["name"], focus["kind"], focus["country_code"]) == ("Sonora", "admin1", "MX")
    assert 0 < focus["score"] <= 1
    assert lines["s3"]["focus"] is None


def test_extract_partitions_hold_the_documents_rows(story_run):
    tmp, _, _, run = story_run
    assert run.returncode == 0, run.stderr
    stories = gpd.read_parquet(tmp / "parts" / "stories")
    assert stories["doc_id"].tolist() == ["s1", "s2", "s3"]
    assert stories.set_index("doc_id").loc["s2", "focus_name"] == "Lyon"
    remap = subprocess.run([sys.executable, "-m", "geo.cli", "map", str(tmp / "parts"), "-o", str(tmp / "remap")],
                           capture_output=True, text=True)
    assert remap.returncode == 0, remap.stderr
    again = gpd.read_parquet(tmp / "remap" / "documents.parquet")
    assert again["title"].tolist()[:2] == ["Floods in Sonora", "Lluvia en Lyon"]


def test_result_documents_and_timeline():
    import geo

    docs = [Document("w1", "Rain fell on Lyon and on Lyon again.", "en", title="Lyon rain", date="2026-01-05"),
            Document("w2", "Lyon and Marseille dried out.", "en", date="2026-01-21"),
            Document("w3", "Marseille was windy.", "en")]
    result = geo.explore(docs)
    frame = result.documents
    assert frame["doc_id"].tolist() == ["w1", "w2", "w3"]
    assert frame.loc[0, "focus_name"] == "Lyon" and frame.loc[0, "title"] == "Lyon rain"
    weekly = result.timeline(freq="W")
    assert list(weekly.columns[:2]) == ["Lyon", "Marseille"]
    assert len(weekly) == 3 and weekly["Lyon"].tolist() == [2, 0, 1] and weekly["Marseille"].sum() == 1
    monthly = result.timeline("M")
    assert monthly.loc[pd.Period("2026-01", "M"), "Lyon"] == 3
