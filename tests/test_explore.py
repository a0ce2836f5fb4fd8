"""geo.explore: one call to a Result, its tables, its notebook view, and the geopandas ecosystem."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import folium
import geopandas as gpd
import pytest

import geo
from geo.errors import InputError
from geo.frames import CRS, MENTION_COLUMNS, PLACE_COLUMNS

pytestmark = pytest.mark.usefixtures("render_cache_dir")

TEXT_ES = "Los soldados mexicanos llegaron a Hattiesburg, Misisipi, desde Ciudad de México."
TEXT_EN = "Rain fell on Paris and Lyon on Monday, and France braced for more <b>storms</b>."


@pytest.fixture(scope="module")
def result(geoparser):
    return geo.explore([TEXT_ES, TEXT_EN], geoparser=geoparser, title="Two <texts>")


def test_explore_gives_frames_texts_and_a_summary(result):
    assert isinstance(result, geo.Result)
    assert list(result.mentions.columns[:-2]) == list(MENTION_COLUMNS)
    assert list(result.places.columns[:-2]) == list(PLACE_COLUMNS)
    assert result.mentions.crs == CRS and result.places.crs == CRS
    assert result.texts == {"doc0": TEXT_ES, "doc1": TEXT_EN}
    names = set(result.places["name"])
    assert {"Hattiesburg", "Paris", "Lyon", "France"} <= names
    summary = result.summary().to_dict("records")
    assert summary == [{
        "documents": 2, "mentions": int(result.mentions["place_id"].notna().sum()), "places": len(result.places),
        "share_exact": summary[0]["share_exact"], "unresolved": summary[0]["unresolved"], "skipped_inputs": 0,
    }]
    assert 0 < summary[0]["share_exact"] <= 1
    assert repr(result).startswith(f"<geo.Result: {len(result.places)} places, ")


def test_per_document_and_co_mentions(result):
    per_doc = result.per_document()
    assert list(per_doc["doc_id"]) == ["doc0", "doc1"]
    assert per_doc.loc[1, "chars"] == len(TEXT_EN) and per_doc.loc[1, "places"] >= 3
    pairs = result.co_mentions()
    assert list(pairs.columns) == ["place_a", "place_b", "name_a", "name_b", "documents"]
    assert (pairs["place_a"] < pairs["place_b"]).all() and (pairs["documents"] == 1).all()
    paris_lyon = pairs[pairs[["name_a", "name_b"]].apply(set, axis=1) == {"Paris", "Lyon"}]
    assert len(paris_lyon) == 1
    assert not ({"Paris", "Hattiesburg"} in pairs[["name_a", "name_b"]].apply(set, axis=1).tolist())
    assert result.co_mentions(min_documents=2).empty


def test_notebook_view_has_the_summary_and_a_sandboxed_map(result):
    html = result._repr_html_()
    assert 'class="dataframe geo-summary-table"' in html
    assert "<th>share_exact</th>" in html
    match = re.search(r'<iframe srcdoc="([^"]*)" title="Two &lt;texts&gt;" sandbox="allow-scripts allow-downloads"', html)
    assert match, "the map is not in a sandboxed iframe"
    page = unescape(match.group(1))
    assert "geoMap.init(" in page and "<title>Two &lt;texts&gt;</title>" in page
    assert "<b>storms</b>" not in page  # document text reaches the page as JSON only
    assert result.map is result.map  # drawn once
    assert isinstance(result.map, folium.Map)


def test_reads_files_and_folders_and_reports_what_it_skipped(geoparser, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor of Hattiesburg spoke.", encoding="utf-8")
    (folder / "b.txt").write_text("Llovió en Sevilla y en Córdoba.", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    r = geo.explore(folder, geoparser=geoparser)
    assert len(r.texts) == 2 and len(r.errors) == 1 and "c.txt" in str(r.errors[0])
    assert r.summary().loc[0, "skipped_inputs"] == 1
    assert "1 inputs skipped" in r._repr_html_()
    assert "Hattiesburg" in set(r.places["name"]) and set(r.mentions["doc_id"]) == set(r.texts)
    one = geo.explore(str(folder / "a.txt"), geoparser=geoparser)  # a string that names a file
    assert list(one.texts.values()) == ["The mayor of Hattiesburg spoke."]
    mixed = geo.explore([folder / "a.txt", "Paris.", "Lyon."], geoparser=geoparser)
    assert len(mixed.texts) == 3 and len(set(mixed.texts)) == 3


def test_mapping_and_documents_keep_their_ids(geoparser):
    r = geo.explore({"first": "Paris.", "second": "Lyon."}, geoparser=geoparser)
    assert list(r.texts) == ["first", "second"]
    docs = [geo.Document("same", "Paris."), geo.Document("same", "Lyon.")]
    assert list(geo.explore(docs, geoparser=geoparser).texts) == ["same", "same#2"]


def test_a_missing_file_name_is_an_error_not_a_text(geoparser, tmp_path):
    with pytest.raises(InputError, match="no such file or folder.*geo.Document"):
        geo.explore(str(tmp_path / "nope.txt"), geoparser=geoparser)
    with pytest.raises(TypeError, match="not int"):
        geo.explore([1], geoparser=geoparser)


def test_nothing_to_explore(geoparser):
    r = geo.explore([], geoparser=geoparser)
    assert r.mentions.empty and r.places.empty and r.summary().loc[0, "documents"] == 0
    assert "No places to show" in r._repr_html_()


def test_frames_work_with_the_geopandas_ecosystem(result, tmp_path):
    points = result.places.drop(columns="footprint")  # these formats hold one geometry column
    for driver, suffix in [("GPKG", "gpkg"), ("KML", "kml"), ("FlatGeobuf", "fgb")]:
        path = tmp_path / f"places.{suffix}"
        points.to_file(path, driver=driver)
        back = gpd.read_file(path)
        assert len(back) == len(result.places)
        assert set(back["Name" if driver == "KML" else "name"]) == set(result.places["name"])
    result.mentions.drop(columns="footprint").to_file(tmp_path / "mentions.gpkg", driver="GPKG")
    assert len(gpd.read_file(tmp_path / "mentions.gpkg")) == len(result.mentions)
    assert isinstance(result.places.explore(), folium.Map)
    import dask_geopandas

    parts = dask_geopandas.from_geopandas(result.mentions, npartitions=2)
    assert len(parts.compute()) == len(result.mentions)


def test_save_map_writes_one_file(result, tmp_path):
    path = result.save_map(tmp_path / "out" / "map.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in Path(path).parent.iterdir()] == ["map.html"]
