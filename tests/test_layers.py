"""geo.layers: --gazetteer files. Good ones load; each bad one is refused with file:line and the fix."""
from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import GazetteerFileError
from geo.layers import read_layer
from geo.model import Kind

LAYERS = Path(__file__).parent / "data" / "layers"
GEONAMES_ROW = (LAYERS / "camp_shelby.txt").read_text(encoding="utf-8").splitlines()[0]


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(GazetteerFileError) as exc:
        read_layer(path)
    assert isinstance(exc.value, ValueError)
    return str(exc.value)


# -- good files ------------------------------------------------------------------------------------

def test_csv_layer_loads_with_alternate_names():
    [(place, alts)] = read_layer(LAYERS / "camp_shelby.csv")
    assert place.name == "Camp Shelby" and place.kind == Kind.FEATURE
    assert (place.lat, place.lon, place.country_code) == (31.18333, -89.19167, "US")
    assert place.layer == "layer:camp_shelby.csv" and alts == ["Camp Shelby Joint Forces Training Center"]


def test_csv_with_bom_crlf_blank_lines_and_only_the_required_columns(tmp_path):
    path = write(tmp_path / "l.csv", "\ufeffName,LAT,lon\r\n\r\nFort Bliss,31.81,-106.42\r\n")
    [(place, alts)] = read_layer(path)
    assert (place.name, place.kind, place.lat) == ("Fort Bliss", Kind.FEATURE, 31.81) and alts == []


def test_geonames_txt_and_zip_load(tmp_path):
    [(place, alts)] = read_layer(LAYERS / "camp_shelby.txt")
    assert place.place_id == "gn:9990001" and place.admin1 == "MS" and "Camp Shelby Training Site" in alts
    archive = tmp_path / "US.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "not data")
        zf.writestr("US.txt", GEONAMES_ROW + "\n")
    [(zipped, _)] = read_layer(archive)
    assert dataclasses.replace(zipped, layer=place.layer) == place and zipped.layer == "layer:US.zip"


# -- bad CSV --------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, message", [
    ("name,lat,lon\nFort Bliss,31.81\n", ":2: expected 3 columns, found 2"),
    ("name,lat,lon\nFort Bliss,31.81,-106.42,extra\n", ":2: expected 3 columns, found 4"),
    ("name,lat,lon\nOk,1,2\n\nNowhere,200,10\n", ":4: lat 200.0 is outside [-90, 90]"),
    ("name,lat,lon\nNowhere,10,-190\n", ":2: lon -190.0 is outside [-180, 180]"),
    ("name,lat,lon\nNowhere,north,10\n", ":2: lat 'north' is not a number"),
    ("name,lat,lon\nNowhere,nan,10\n", ":2: lat nan is outside [-90, 90]"),
    ("name,lat,lon\n,10,10\n", ":2: empty name"),
    ("name,lat,lon,kind\nX,1,2,village\n", ":2: kind 'village' is not one of continent, country, admin1, admin2, "
                                          "city, feature"),
])
def test_bad_csv_rows_name_the_line(tmp_path, body, message):
    path = write(tmp_path / "bad.csv", body)
    assert refused(path) == f"{path}{message}"


@pytest.mark.parametrize("body, message", [
    ("", ": the file is empty; expected a header name,lat,lon[,kind,country_code,admin1,alt_names]"),
    ("name,lat,lon\n", ": the file has a header but no rows"),
    ("name,latitude,longitude\nX,1,2\n", ":1: header must name columns from name,lat,lon,kind,country_code,admin1,"
                                         "alt_names (name, lat, lon required); missing ['lat', 'lon'], unknown "
                                         "['latitude', 'longitude']"),
    ("X,1,2\n", ":1: header must name columns from"),
])
def test_empty_files_and_bad_headers_are_refused(tmp_path, body, message):
    path = write(tmp_path / "bad.csv", body)
    assert refused(path).startswith(f"{path}{message}")


def test_a_layer_not_in_utf8_says_to_resave_it(tmp_path):
    path = write(tmp_path / "latin1.csv", "name,lat,lon\nBogotá,4.6,-74.1\n".encode("cp1252"))
    assert refused(path) == (f"{path}: not UTF-8 at byte 18; GeoNames and geo layers are UTF-8: re-save the file "
                             "as UTF-8")


def test_a_utf16_layer_is_refused_too(tmp_path):
    path = write(tmp_path / "utf16.csv", "name,lat,lon\nLima,-12,-77\n".encode("utf-16"))
    assert "not UTF-8 at byte 0" in refused(path)


# -- bad GeoNames dumps -----------------------------------------------------------------------------

def _row(**changes) -> str:
    cols = GEONAMES_ROW.split("\t")
    index = {"id": 0, "name": 1, "lat": 4, "lon": 5, "population": 14}
    for key, value in changes.items():
        cols[index[key]] = value
    return "\t".join(cols)


@pytest.mark.parametrize("line, message", [
    ("\t".join(GEONAMES_ROW.split("\t")[:18]), ":1: expected 19 tab-separated GeoNames columns, found 18"),
    ("Camp Shelby,31.18,-89.19", ":1: expected 19 tab-separated GeoNames columns, found 1"),
    (_row(lat="200"), ":1: latitude 200.0 is outside [-90, 90]"),
    (_row(lon="x"), ":1: longitude 'x' is not a number"),
    (_row(population="many"), ":1: population 'many' is not a whole number"),
    (_row(id="abc"), ":1: a GeoNames row needs a numeric id and a name"),
])
def test_bad_geonames_rows_name_the_line(tmp_path, line, message):
    path = write(tmp_path / "US.txt", line + "\n")
    assert refused(path) == f"{path}{message}"


def test_empty_and_comment_only_dumps_are_refused(tmp_path):
    assert refused(write(tmp_path / "a.txt", "")).endswith(": the file holds no GeoNames rows")
    assert refused(write(tmp_path / "b.txt", "# comment\n\n")).endswith(": the file holds no GeoNames rows")


def test_bad_zips_are_refused(tmp_path):
    broken = write(tmp_path / "broken.zip", b"PK\x03\x04 not really a zip")
    assert refused(broken).startswith(f"{broken}: not a readable zip file")
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "only a readme")
    assert refused(empty) == f"{empty}: the zip holds no .txt GeoNames file"


def test_missing_and_unknown_format_files(tmp_path):
    assert refused(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"
    sheet = write(tmp_path / "places.xlsx", b"PK")
    assert refused(sheet) == f"{sheet}: unknown layer format; use a GeoNames .txt/.zip dump or a .csv"
    assert refused(tmp_path) == f"{tmp_path}: no such file"


# -- through the CLI: a bad layer stops the run before anything is written --------------------------

@pytest.mark.usefixtures("cli_cache")
@pytest.mark.parametrize("name, body, message", [
    ("cols.csv", "name,lat,lon\nFort Bliss,31.81\n", ":2: expected 3 columns, found 2"),
    ("lat.csv", "name,lat,lon\nNowhere,200,10\n", ":2: lat 200.0 is outside [-90, 90]"),
    ("latin1.csv", "name,lat,lon\nBogotá,4.6,-74.1\n".encode("cp1252"), ": not UTF-8 at byte 18"),
    ("empty.csv", "", ": the file is empty"),
    ("US.txt", "a\tb\n", ":1: expected 19 tab-separated GeoNames columns, found 2"),
])
def test_cli_bad_layer_is_a_configuration_error(tmp_path, capsys, name, body, message):
    layer = write(tmp_path / name, body)
    doc = write(tmp_path / "a.txt", "Llegaron a Camp Shelby, Misisipi.")
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("previous run", encoding="utf-8")
    assert main(["map", str(doc), "-o", str(out), "--gazetteer", str(layer), "--no-progress"]) == 2
    assert f"geo: error: {layer}{message}" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["map.html"]
    assert (out / "map.html").read_text(encoding="utf-8") == "previous run"
