"""Every input case of the reliability issue, end to end through ``geo map`` (in-process, as a user runs it).

Each case checks the exact message, the exit code, what was kept, and DIR/errors.jsonl.
The outputs half: files are replaced together or not at all, an interrupted run (SIGINT,
SIGTERM, a failure while writing) leaves the previous outputs byte-identical, and a rerun
writes identical files. docs/reliability.md is the table of these cases.
"""
from __future__ import annotations

import codecs
import functools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import pytest

from geo import decoding, documents, flows
from geo.cli import main
from geo.pipeline import Geoparser

pytestmark = pytest.mark.usefixtures("cli_cache")

OUTPUTS = ("map.html", "mentions.parquet", "places.parquet", "places.geojson", "documents.parquet")
SEED = next((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")).read_text(encoding="utf-8")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def geo_map(capsys, out: Path, *args: str | Path) -> tuple[int, list[str]]:
    """Run ``geo map ARGS -o OUT --no-progress``; return the exit code and the stderr lines."""
    code = main(["map", *map(str, args), "-o", str(out), "--no-progress"])
    return code, capsys.readouterr().err.splitlines()


def errors_jsonl(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def mentions(out: Path) -> gpd.GeoDataFrame:
    return gpd.read_parquet(out / "mentions.parquet")


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# -- unreadable inputs: skipped with a message, the run goes on ----------------------------------------

def test_empty_and_blank_files_are_skipped_and_the_rest_mapped(tmp_path, capsys):
    ok = write(tmp_path / "in" / "ok.txt", "Llegaron a México.")
    write(tmp_path / "in" / "empty.txt", b"")
    write(tmp_path / "in" / "blank.txt", " \n\t\n")
    code, err = geo_map(capsys, tmp_path / "out", tmp_path / "in")
    assert code == 1
    folder = tmp_path / "in"
    assert err == [
        f"geo: wrote {tmp_path / 'out' / 'map.html'}",
        f"geo: skipped: {folder / 'blank.txt'}: contains only whitespace; add text or leave it out",
        f"geo: skipped: {folder / 'empty.txt'}: file is empty; add text or leave it out",
        "geo: 1 documents, 1 mentions, 1 places; skipped: 2 empty",
    ]
    assert [(e["path"], e["reason"], e["kept"]) for e in errors_jsonl(tmp_path / "out")] == [
        (str(folder / "blank.txt"), "empty", False), (str(folder / "empty.txt"), "empty", False)]
    assert list(mentions(tmp_path / "out").doc_id) == ["ok"] and ok.exists()


@pytest.mark.parametrize("name, data, what", [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8,
     "a PDF"),
    ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(random.Random(1).randrange(256) for _ in range(4000)),
     "a PNG image"),
    ("noise.txt", bytes(random.Random(2).randrange(256) for _ in range(6000)), "binary data"),
])
def test_binary_files_are_skipped(tmp_path, capsys, name, data, what):
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "good.txt", "Desde Texas.")
    code, err = geo_map(capsys, tmp_path / "out", bad, good)
    assert code == 1
    assert f"geo: skipped: {bad}: looks like {what}, not text; convert it to .txt first (or pass the right " \
           "--encoding)" in err
    assert errors_jsonl(tmp_path / "out")[0]["reason"] == "binary"
    assert list(mentions(tmp_path / "out").surface) == ["Texas"]


@pytest.mark.parametrize("name, data, args", [
    ("bom.txt", codecs.BOM_UTF8 + "México y Bogotá.".encode("utf-8"), []),
    ("utf16le.txt", "México y Bogotá.".encode("utf-16"), []),
    ("utf16be.txt", codecs.BOM_UTF16_BE + "México y Bogotá.".encode("utf-16-be"), []),
    ("cp1252.txt", "“Llegaron” a México y Bogotá – señal.".encode("cp1252"), []),
    ("latin1.txt", "México y Bogotá.".encode("latin-1"), ["--encoding", "latin-1"]),
])
def test_encodings_are_detected_or_given(tmp_path, capsys, name, data, args):
    path = write(tmp_path / name, data)
    code, err = geo_map(capsys, tmp_path / "out", path, *args)
    assert code == 0, err
    m = mentions(tmp_path / "out")
    assert list(m.surface) == ["México", "Bogotá"]
    assert not any("\ufeff" in p for p in m.passage)  # the byte-order mark is not text
    assert not (tmp_path / "out" / "errors.jsonl").exists()


def test_a_wrong_or_unknown_encoding_is_reported(tmp_path, capsys):
    path = write(tmp_path / "a.txt", "México")
    code, err = geo_map(capsys, tmp_path / "out", path, "--encoding", "ascii")
    assert code == 1 and f"geo: skipped: {path}: cannot be decoded as ascii; pass the right --encoding" in err
    code, err = geo_map(capsys, tmp_path / "out2", path, "--encoding", "klingon")
    assert code == 2
    assert err == ["geo: error: unknown encoding 'klingon'; pass a Python codec name such as 'utf-8' or 'cp1252'"]


def test_bad_bytes_past_the_detected_head_are_a_warning(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(decoding, "DETECT_BYTES", 64)  # the real head is 2 MB
    path = write(tmp_path / "a.txt", "Llegaron a México. ".encode("utf-8") * 5 + b"Y a Per\xfa.")
    code, err = geo_map(capsys, tmp_path / "out", path)
    assert code == 0
    assert err[1] == (f"geo: warning: {path}: not valid utf-8 at byte 107 (the encoding was guessed from the first "
                      "0 MB); bad bytes replaced with U+FFFD; pass the right --encoding")
    assert errors_jsonl(tmp_path / "out")[0]["kept"] is True
    assert len(mentions(tmp_path / "out")) == 5


def test_mixed_line_endings_and_nul_bytes_are_normalised(tmp_path, capsys):
    path = write(tmp_path / "a.txt", b"Llegaron a M\xc3\xa9xico.\r\nDesde Texas.\rY Per\xc3\xba\x00.\n\x00")
    code, err = geo_map(capsys, tmp_path / "out", path)
    assert code == 0, err
    m = mentions(tmp_path / "out")
    assert list(m.surface) == ["México", "Texas", "Perú"]
    text = "Llegaron a México.\nDesde Texas.\nY Perú.\n"
    assert all(text[r.start:r.end] == r.surface for r in m.itertuples())


def test_html_gives_its_visible_text_not_tags(tmp_path, capsys):
    page = write(tmp_path / "page.html", "<html><head><title>Noticias</title><script>var Lima = 'Bogotá';</script>"
                                         "<style>.Texas{}</style></head><body><p>Llegaron a <b>Méx</b>ico "
                                         "y <a href='https://example.org/Peru'>Perú</a>.</p></body></html>")
    code, err = geo_map(capsys, tmp_path / "out", page)
    assert code == 0, err
    m = mentions(tmp_path / "out")
    assert list(m.surface) == ["México", "Perú"]  # not Lima, Bogotá or Texas from the script/style/URL
    assert list(m.passage) == ["Llegaron a México y Perú."] * 2


def test_jsonl_bad_lines_are_skipped_by_line_and_duplicates_kept(tmp_path, capsys):
    path = write(tmp_path / "docs.jsonl", "\n".join([
        '{"id": "a", "text": "Llegaron a México."}',
        '{"id": "b", "text": ',
        '{"id": "c"}',
        '{"id": "d", "text": 42}',
        '{"text": "no id"}',
        '["not", "an", "object"]',
        '{"id": "a", "text": "Desde Texas."}',
        '',
    ]))
    code, err = geo_map(capsys, tmp_path / "out", path)
    assert code == 1
    assert err[1:] == [
        f"geo: skipped: {path}:2: not valid JSON (Expecting value: column 21); fix or remove the line",
        f'geo: skipped: {path}:3: no "text" field; add the document text as "text"',
        f'geo: skipped: {path}:4: "text" is int, expected a string; fix the line',
        f'geo: skipped: {path}:5: no "id" (a non-empty string); add one',
        f'geo: skipped: {path}:6: expected an object like {{"id": "a", "text": "..."}}, got list; fix the line',
        f"geo: warning: {path}:7: duplicate id 'a' (first used by {path}:1); kept as 'a#2', rename one to "
        "silence this",
        "geo: 2 documents, 2 mentions, 2 places; skipped: 2 json, 1 no-id, 2 no-text; "
        "kept with a warning: 1 duplicate-id",
    ]
    rows = errors_jsonl(tmp_path / "out")
    assert [(r["line"], r["reason"], r["kept"]) for r in rows] == [
        (2, "json", False), (3, "no-text", False), (4, "no-text", False), (5, "no-id", False), (6, "json", False),
        (7, "duplicate-id", True)]
    assert list(mentions(tmp_path / "out").doc_id) == ["a", "a#2"]


def test_warnings_alone_exit_0(tmp_path, capsys):
    path = write(tmp_path / "docs.jsonl", '{"id": "a", "text": "México"}\n{"id": "a", "text": "Texas", "lang": 5}\n')
    code, err = geo_map(capsys, tmp_path / "out", path)
    assert code == 0
    assert err[-1] == "geo: 2 documents, 2 mentions, 2 places; kept with a warning: 1 duplicate-id, 1 json"
    assert [r["kept"] for r in errors_jsonl(tmp_path / "out")] == [True, True]


def test_a_missing_path_is_reported_and_the_rest_mapped(tmp_path, capsys):
    good = write(tmp_path / "a.txt", "México")
    code, err = geo_map(capsys, tmp_path / "out", tmp_path / "nope.txt", good)
    assert code == 1
    assert f"geo: skipped: {tmp_path / 'nope.txt'}: no such file or folder; check the path" in err
    assert errors_jsonl(tmp_path / "out")[0]["reason"] == "missing"
    assert len(mentions(tmp_path / "out")) == 1


def test_symlink_loops_and_dangling_links_are_reported(tmp_path, capsys):
    folder = tmp_path / "in"
    write(folder / "sub" / "a.txt", "México")
    os.symlink("..", folder / "sub" / "up")
    os.symlink("self.txt", folder / "self.txt")
    os.symlink("gone.txt", folder / "dangling.txt")
    code, err = geo_map(capsys, tmp_path / "out", folder)
    assert code == 1
    assert err[1:4] == [
        f"geo: skipped: {folder / 'dangling.txt'}: symlink points to a missing file; fix or remove the link",
        f"geo: skipped: {folder / 'self.txt'}: symlink loop; fix or remove the link",
        f"geo: skipped: {folder / 'sub' / 'up'}: symlink loop: leads back to {folder.resolve()}; skipped, remove the "
        "link to silence this",
    ]
    assert list(mentions(tmp_path / "out").doc_id) == ["sub/a"]  # read once, not once per loop


@pytest.mark.slow
def test_a_folder_of_10000_files_with_one_unreadable(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "corpus"
    names = ["México", "Bogotá", "Texas", "Madrid"]
    for i in range(10_000):
        text = f"Nota {i}: llegaron a {names[i // 50 % 4]}." if i % 50 == 0 else f"Nota {i}."
        write(folder / f"{i // 1000:02d}" / f"n{i:05d}.txt", text)
    locked = folder / "07" / "n07777.txt"
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        real_open = open

        def guarded_open(path, *args, **kwargs):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(documents, "open", guarded_open, raising=False)
    try:
        code, err = geo_map(capsys, tmp_path / "out", folder, "--lang", "es")
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert err[1:] == [f"geo: skipped: {locked}: permission denied; make it readable (chmod +r) or leave it out",
                       "geo: 9999 documents, 200 mentions, 4 places; skipped: 1 permission"]
    assert errors_jsonl(tmp_path / "out") == [{"path": str(locked), "line": None, "reason": "permission",
                                               "kept": False, "message": err[1].removeprefix("geo: skipped: ")}]


@pytest.mark.slow
def test_a_huge_file_is_streamed_in_pieces_with_progress(tmp_path, capsys, monkeypatch):
    """The 200 MB case at a small scale: pieces of 20 000 characters instead of 1 000 000.

    bench/big_input.py runs the real size and prints time and peak memory.
    """
    monkeypatch.setattr(documents, "iter_documents", functools.partial(documents.iter_documents,
                                                                       max_doc_chars=20_000))
    monkeypatch.setattr(documents, "count_inputs", functools.partial(documents.count_inputs, max_doc_chars=20_000))
    monkeypatch.setattr(flows, "PANEL_CHARS", 60_000)
    monkeypatch.setattr(flows, "_BATCH_CHARS", 50_000)
    paragraph = "Llegaron a Camp Shelby, Misisipi, desde México. " + "Sin lugares aquí, solo relleno. " * 30
    big = write(tmp_path / "big.txt", (paragraph.strip() + "\n\n") * 250)  # about 270 000 characters
    code = main(["map", str(big), "-o", str(tmp_path / "out")])  # with the progress bar
    err = capsys.readouterr().err
    assert code == 0 and "geoparsing" in err
    m = mentions(tmp_path / "out")
    pieces = sorted(set(m.doc_id), key=lambda d: int(d.split("#")[1]))
    assert pieces == [f"big#{n}" for n in range(1, len(pieces) + 1)] and len(pieces) >= 13
    assert (m.surface == "México").sum() == 250
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "Sin lugares aqu" not in html  # over PANEL_CHARS the texts are not in the page...
    side = (tmp_path / "out" / "map.texts.js").read_text(encoding="utf-8")
    assert side.count("Sin lugares aqu") == 30 * 250  # ...but all of them beside it
    assert 'src="map.texts.js"' in html and not list((tmp_path / "out").glob(".*spool"))
    # the frames are built in batches: the result is the same as in one go
    monkeypatch.setattr(flows, "_BATCH_CHARS", 10**9)
    assert main(["map", str(big), "-o", str(tmp_path / "whole"), "--no-progress"]) == 0
    whole = (tmp_path / "whole" / "mentions.parquet").read_bytes()
    assert whole == (tmp_path / "out" / "mentions.parquet").read_bytes()
    # a later small run into the same folder keeps its text in the page and removes the side file
    small = write(tmp_path / "small.txt", paragraph)
    assert main(["map", str(small), "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    assert not (tmp_path / "out" / "map.texts.js").exists()
    assert "Sin lugares aqu" in (tmp_path / "out" / "map.html").read_text(encoding="utf-8")


# -- outputs: replaced together or not at all; a rerun is identical -----------------------------------

@pytest.fixture
def previous(tmp_path, capsys):
    """A folder with the outputs of a first run, and their bytes."""
    write(tmp_path / "first" / "a.txt", "Llegaron a México desde Bogotá.")
    write(tmp_path / "first" / "b.txt", b"")
    out = tmp_path / "out"
    code, _ = geo_map(capsys, out, tmp_path / "first")
    assert code == 1 and (out / "errors.jsonl").exists()
    return out, snapshot(out)


def test_a_rerun_writes_identical_files(tmp_path, capsys, previous):
    out, before = previous
    code, _ = geo_map(capsys, out, tmp_path / "first")
    assert code == 1
    assert snapshot(out) == before
    assert set(before) == {*OUTPUTS, "errors.jsonl"}


def test_a_clean_rerun_removes_the_old_errors_file(tmp_path, capsys, previous):
    out, _ = previous
    (tmp_path / "first" / "b.txt").unlink()
    assert geo_map(capsys, out, tmp_path / "first")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def test_ctrl_c_while_geoparsing_leaves_the_previous_outputs(tmp_path, capsys, previous, monkeypatch):
    out, before = previous
    write(tmp_path / "second" / "c.txt", "Desde Texas.")

    def interrupted(self, doc, spans=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(Geoparser, "parse", interrupted)
    code, err = geo_map(capsys, out, tmp_path / "second")
    assert code == 130
    assert err == [f"geo: interrupted; the outputs in {out} were left as they were (files are replaced only when "
                   "complete, never half-written)"]
    assert snapshot(out) == before


@pytest.mark.parametrize("failure, code", [(KeyboardInterrupt, 130), (OSError(28, "No space left on device"), 2)])
def test_a_failure_while_writing_leaves_the_previous_outputs(tmp_path, capsys, previous, monkeypatch, failure, code):
    out, before = previous
    write(tmp_path / "second" / "c.txt", "Desde Texas.")
    from geo import render

    def broken(fmap, path):  # map.html is written after the frames: they must not be left half-replaced
        Path(path).write_text("<html>half", encoding="utf-8")
        raise failure

    monkeypatch.setattr(render, "write_map", broken)
    got, err = geo_map(capsys, out, tmp_path / "second")
    assert got == code
    assert "were left as they were" in err[-1]
    assert snapshot(out) == before  # no new file, no temporary file left behind


def test_an_output_folder_that_cannot_be_made_is_a_clear_error(tmp_path, capsys):
    doc = write(tmp_path / "a.txt", "México")
    blocker = write(tmp_path / "out", "a file where the folder should be")
    code, err = geo_map(capsys, blocker, doc)
    assert code == 2
    assert err == [f"geo: error: {blocker}: File exists; check that the output folder can be written and has space "
                   "(earlier outputs were left as they were)"]


def test_sigterm_leaves_the_previous_outputs_and_says_so(tmp_path, capsys, previous, cli_cache):
    out, before = previous
    big = write(tmp_path / "big.txt", (SEED + "\n\n") * 1800)  # ~4 MB: geoparsing takes several seconds
    env = {**os.environ, "GEO_CACHE_DIR": str(cli_cache), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "geo.cli", "map", str(big), "-o", str(out)],
                            stderr=subprocess.PIPE, env=env, text=True)
    seen: list[str] = []
    started = threading.Event()

    def read():
        for chunk in iter(lambda: proc.stderr.read(1), ""):
            seen.append(chunk)
            if "geoparsing" in "".join(seen[-200:]):
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(60), "".join(seen)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 143
    finally:
        proc.kill()
    reader.join(5)
    err = "".join(seen)
    assert f"geo: terminated; the outputs in {out} were left as they were" in err
    assert snapshot(out) == before


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "exit status: 0 all inputs mapped (warnings allowed); 1 some inputs were skipped" in out
    assert "130 interrupted (Ctrl-C), 143 terminated (SIGTERM)" in out
