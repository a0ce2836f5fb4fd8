"""Tests for geo.documents: every input case ends in documents or a reported InputError."""
from __future__ import annotations

import codecs
import io
import json
import os
import random
import tarfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import decoding, documents
from geo.documents import count_inputs, document_from_text, iter_documents, read_text
from geo.errors import DecodeError, InputError
from geo.model import Document

DATA = Path(__file__).parent / "data" / "documents"


def read_all(*paths, **kwargs) -> tuple[list[Document], list[InputError]]:
    errors: list[InputError] = []
    docs = list(iter_documents(list(paths), on_error=errors.append, **kwargs))
    return docs, errors


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# -- plain files and folders ---------------------------------------------------------------------

def test_text_file_gives_one_document_named_after_the_file(tmp_path):
    path = write(tmp_path / "report.txt", "Troops reached El Paso.\n")
    docs, errors = read_all(path)
    assert errors == []
    assert docs == [Document(id="report", text="Troops reached El Paso.\n", source=str(path))]


def test_single_path_string_is_not_iterated_character_by_character(tmp_path):
    path = write(tmp_path / "a.txt", "Lima")
    assert [d.text for d in iter_documents(str(path))] == ["Lima"]


def test_folder_is_walked_sorted_with_relative_ids_skipping_hidden_and_unknown(tmp_path):
    write(tmp_path / "b.txt", "B")
    write(tmp_path / "a.md", "A")
    write(tmp_path / "sub" / "c.text", "C")
    write(tmp_path / "sub" / "d.HTM", "<p>D</p>")
    write(tmp_path / ".hidden.txt", "hidden")
    write(tmp_path / ".git" / "e.txt", "hidden folder")
    write(tmp_path / "notes.csv", "x,y")
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n")
    docs, errors = read_all(tmp_path)
    assert errors == []
    assert [(d.id, d.text) for d in docs] == [("a", "A"), ("b", "B"), ("sub/c", "C"), ("sub/d", "D")]
    assert docs[2].source == str(tmp_path / "sub" / "c.text")


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path):
    path = write(tmp_path / "story.rst", "Madrid")
    docs, errors = read_all(path)
    assert errors == [] and [(d.id, d.text) for d in docs] == [("story", "Madrid")]


def test_same_file_name_twice_gets_a_unique_id_and_a_warning(tmp_path):
    write(tmp_path / "a.txt", "one")
    write(tmp_path / "a.md", "two")
    docs, errors = read_all(tmp_path)
    assert [(d.id, d.text) for d in docs] == [("a", "two"), ("a#2", "one")]
    assert [(e.reason, e.skips) for e in errors] == [("duplicate-id", False)]  # a warning: both are read
    assert str(errors[0]) == (f"{tmp_path / 'a.txt'}: duplicate id 'a' (first used by {tmp_path / 'a.md'}); "
                              "kept as 'a#2', rename one to silence this")


def test_directory_named_like_a_text_file_is_walked_not_read(tmp_path):
    write(tmp_path / "x.txt" / "inner.txt", "Quito")
    docs, errors = read_all(tmp_path)
    assert errors == [] and [(d.id, d.text) for d in docs] == [("x.txt/inner", "Quito")]


# -- failures are reported and the run goes on ----------------------------------------------------

def test_missing_path_is_reported_and_the_rest_is_read(tmp_path):
    good = write(tmp_path / "good.txt", "Oslo")
    missing = tmp_path / "nope.txt"
    docs, errors = read_all(missing, good)
    assert [d.text for d in docs] == ["Oslo"]
    assert [(e.reason, e.path, e.line, e.skips) for e in errors] == [("missing", str(missing), None, True)]
    assert str(errors[0]) == f"{missing}: no such file or folder; check the path"


def test_default_on_error_raises(tmp_path):
    with pytest.raises(InputError, match="no such file") as info:
        list(iter_documents([tmp_path / "nope.txt"]))
    assert info.value.reason == "missing"
    assert isinstance(info.value, ValueError)


def test_unknown_encoding_name_raises_at_call_time():
    with pytest.raises(InputError, match="unknown encoding 'klingon'") as info:
        iter_documents([], encoding="klingon")
    assert info.value.reason == "encoding"


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    docs, errors = read_all(path)
    assert docs == []
    assert [e.reason for e in errors] == ["empty"]
    assert str(errors[0]) == f"{path}: file is empty; add text or leave it out"


def test_whitespace_only_file(tmp_path):
    path = write(tmp_path / "blank.txt", " \n\t\r\n  \n")
    docs, errors = read_all(path)
    assert docs == []
    assert [e.reason for e in errors] == ["empty"]
    assert str(errors[0]) == f"{path}: contains only whitespace; add text or leave it out"


@pytest.mark.parametrize(("header", "what"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
])
def test_binary_file_by_magic_bytes(tmp_path, header, what):
    path = write(tmp_path / "paper.txt", header + bytes(range(256)))
    docs, errors = read_all(path)
    assert docs == []
    assert [(type(e), e.reason) for e in errors] == [(DecodeError, "binary")]
    assert str(errors[0]) == (f"{path}: looks like {what}, not text; convert it to .txt first "
                              "(or pass the right --encoding)")


def test_random_bytes_are_binary(tmp_path):
    path = write(tmp_path / "noise.txt", random.Random(0).randbytes(4096))
    docs, errors = read_all(path)
    assert docs == []
    assert [e.reason for e in errors] == ["binary"]
    assert "looks like binary data, not text" in str(errors[0])


@pytest.mark.parametrize(("controls", "binary"), [(4, False), (6, True)])
def test_decoded_text_with_too_many_control_characters_is_binary(tmp_path, controls, binary):
    """Every C0 control but tab and line ends, DEL and the C1 controls count (here 5% of 100 characters
    is the limit); the bytes are valid UTF-8, so it is the decoded text that is judged."""
    marks = "\x01\x1b\x7f\x85\x9f\x0e"[:controls]
    path = write(tmp_path / "ctl.txt", (marks + "Lima, Perú.\t\n" * 20)[:100].encode("utf-8"))
    docs, errors = read_all(path)
    assert [e.reason for e in errors] == (["binary"] if binary else [])
    assert len(docs) == (not binary)


def test_unreadable_file_among_many(tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 does not stop reading: fake the refusal.
    for name in "abcde":
        write(tmp_path / f"{name}.txt", f"text {name}")
    real_open = open

    def fake_open(path, *args, **kwargs):
        if Path(path).name == "c.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(documents, "open", fake_open, raising=False)
    docs, errors = read_all(tmp_path)
    assert [d.id for d in docs] == ["a", "b", "d", "e"]
    assert [(e.reason, e.path) for e in errors] == [("permission", str(tmp_path / "c.txt"))]
    assert str(errors[0]).endswith("c.txt: permission denied; make it readable (chmod +r) or leave it out")


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    write(tmp_path / "locked" / "a.txt", "x")
    write(tmp_path / "open" / "b.txt", "y")
    real_scandir = os.scandir

    def fake_scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(documents.os, "scandir", fake_scandir)
    docs, errors = read_all(tmp_path)
    assert [d.id for d in docs] == ["open/b"]
    assert [(e.reason, e.path) for e in errors] == [("permission", str(tmp_path / "locked"))]


def test_broken_symlink_in_folder(tmp_path):
    write(tmp_path / "a.txt", "Accra")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    docs, errors = read_all(tmp_path)
    assert [d.text for d in docs] == ["Accra"]
    assert [e.reason for e in errors] == ["missing"]
    assert str(errors[0]) == f"{tmp_path / 'gone.txt'}: symlink points to a missing file; fix or remove the link"


def test_symlink_loop_in_folders_is_reported_once_and_walk_ends(tmp_path):
    write(tmp_path / "a.txt", "Accra")
    write(tmp_path / "sub" / "b.txt", "Bamako")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    docs, errors = read_all(tmp_path)
    assert [d.id for d in docs] == ["a", "sub/b"]
    assert [(e.reason, e.path) for e in errors] == [("symlink-loop", str(tmp_path / "sub" / "up"))]
    assert str(errors[0]) == (f"{tmp_path / 'sub' / 'up'}: symlink loop: leads back to {tmp_path.resolve()}; "
                              "skipped, remove the link to silence this")


def test_symlinked_folder_reached_twice_is_read_once(tmp_path):
    write(tmp_path / "real" / "a.txt", "Accra")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    docs, errors = read_all(tmp_path)
    assert errors == [] and [d.id for d in docs] == ["link/a"]


def test_file_symlink_loop(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    docs, errors = read_all(tmp_path / "a.txt")
    assert docs == []
    assert [e.reason for e in errors] == ["symlink-loop"]
    assert str(errors[0]) == f"{tmp_path / 'a.txt'}: symlink loop; fix or remove the link"


# -- encodings -------------------------------------------------------------------------------------

SPANISH = "El Ejército de México llegó a EE.UU. según Milenio; también Río Bravo.\n"


def test_utf8_bom_is_stripped(tmp_path):
    path = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + SPANISH.encode("utf-8"))
    docs, errors = read_all(path)
    assert errors == [] and docs[0].text == SPANISH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_bom(tmp_path, codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}
    path = write(tmp_path / "wide.txt", bom[codec] + SPANISH.encode(codec))
    docs, errors = read_all(path)
    assert errors == [] and docs[0].text == SPANISH


def test_utf16_without_bom_needs_the_encoding_named(tmp_path):
    path = write(tmp_path / "wide.txt", SPANISH.encode("utf-16-le"))
    docs, errors = read_all(path)
    assert docs == [] and [e.reason for e in errors] == ["binary"]
    assert str(errors[0]).endswith("looks like binary data, not text; convert it to .txt first "
                                   "(or pass the right --encoding)")
    docs, errors = read_all(path, encoding="utf-16-le")
    assert errors == [] and docs[0].text == SPANISH


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_legacy_encoding_without_bom_is_detected(tmp_path, codec):
    path = write(tmp_path / "old.txt", SPANISH.encode(codec))
    docs, errors = read_all(path)
    assert errors == [] and docs[0].text == SPANISH


def test_short_latin1_spanish_is_not_read_as_a_baltic_code_page(tmp_path):
    # a short text ties between code pages; the one whose accented words are words wins
    text = "Las tropas entraron en Mérida y Cancún, en Yucatán, según el parte.\n"
    docs, errors = read_all(write(tmp_path / "corto.txt", text.encode("latin-1")))
    assert errors == [] and docs[0].text == text


def test_an_uncertain_encoding_guess_is_a_warning(tmp_path):
    # letters that no code page makes into Spanish or English words: read, with a warning
    text = "Ελληνικά κείμενα στην Αθήνα και στη Θεσσαλονίκη.\n"
    path = write(tmp_path / "greek.txt", text.encode("cp1253"))
    docs, errors = read_all(path)
    assert [d.text for d in docs] == [text]
    assert [(e.reason, e.skips) for e in errors] == [("encoding-guess", False)]
    assert str(errors[0]).startswith(f"{path}: encoding guessed as cp1253, but most accented words do not read")


def test_cp1252_punctuation_is_detected(tmp_path):
    text = "“Evento No. SOF28” – capacitación en Fort Bragg.\n"
    docs, errors = read_all(write(tmp_path / "quotes.txt", text.encode("cp1252")))
    assert errors == [] and docs[0].text == text


def test_forced_encoding_is_used(tmp_path):
    # Valid UTF-8 bytes that the caller says are Latin-1: the caller wins.
    path = write(tmp_path / "forced.txt", "é".encode("utf-8"))
    docs, errors = read_all(path, encoding="latin-1")
    assert errors == [] and docs[0].text == "Ã©"


def test_forced_encoding_that_does_not_fit(tmp_path):
    path = write(tmp_path / "a.txt", SPANISH.encode("cp1252"))
    docs, errors = read_all(path, encoding="ascii")
    assert docs == []
    assert [(type(e), e.reason) for e in errors] == [(DecodeError, "decode")]
    assert str(errors[0]) == f"{path}: cannot be decoded as ascii; pass the right --encoding"


def test_undetectable_encoding(tmp_path, monkeypatch):
    monkeypatch.setattr(decoding, "_detect", lambda head: None)
    path = write(tmp_path / "a.txt", SPANISH.encode("cp1252"))
    docs, errors = read_all(path)
    assert docs == []
    assert [e.reason for e in errors] == ["decode"]
    assert str(errors[0]) == f"{path}: not UTF-8 and no encoding detected; pass --encoding"


def test_bad_bytes_after_the_detection_window_are_replaced_with_a_warning(tmp_path):
    size = decoding.DETECT_BYTES + 1000
    path = write(tmp_path / "late.txt", b"a" * size + b" caf\xe9 end\n")
    docs, errors = read_all(path, max_doc_chars=10 * size)
    assert [(e.reason, e.skips) for e in errors] == [("decode", False)]
    assert str(errors[0]) == (f"{path}: not valid utf-8 at byte {size + 4} (the encoding was guessed from the "
                              "first 2 MB); bad bytes replaced with U+FFFD; pass the right --encoding")
    assert len(docs) == 1 and docs[0].text.endswith(" caf\ufffd end\n")


# -- text normalisation ------------------------------------------------------------------------------

def test_mixed_line_endings_become_newlines(tmp_path):
    path = write(tmp_path / "eol.txt", b"one\r\ntwo\rthree\nfour\r\r\nfive\r")
    docs, _ = read_all(path)
    assert docs[0].text == "one\ntwo\nthree\nfour\n\nfive\n"


def test_carriage_return_split_across_chunks_is_one_newline():
    assert "".join(decoding.normalise(["a\r", "\nb\r", "c\r"])) == "a\nb\nc\n"


def test_stray_nul_bytes_are_removed_and_text_kept(tmp_path):
    path = write(tmp_path / "nul.txt", b"Troops in\x00 Texas and\x00\x00 Ohio.\n" * 5)
    docs, errors = read_all(path)
    assert errors == [] and docs[0].text == "Troops in Texas and Ohio.\n" * 5


# -- HTML -----------------------------------------------------------------------------------------------

def test_html_text_is_extracted():
    docs, errors = read_all(DATA / "page.html")
    assert errors == []
    assert docs[0].id == "page"
    assert docs[0].text == (
        "Troops & training\n\n"
        "Soldiers arrive in Camp Shelby\n\n"
        "Forty soldiers left Mexico\xa0City for Mississippi.\n"
        "They trained at Fort Bragg.\n\n"
        "Hattiesburg\nGulfport\n\n"
        "Paris France\n\n"
        "line one\n  line two"
    )


def test_html_without_text_is_empty(tmp_path):
    path = write(tmp_path / "a.html", "<html><script>var x = 1;</script><p> </p></html>")
    docs, errors = read_all(path)
    assert docs == []
    assert str(errors[0]) == f"{path}: has no text outside markup; add text or leave it out"


def test_read_text_of_html_and_text():
    assert read_text(DATA / "page.html").startswith("Troops & training\n\nSoldiers")


# -- JSONL ---------------------------------------------------------------------------------------------

def test_jsonl_documents_with_line_sources_and_blank_lines_ignored():
    docs, errors = read_all(DATA / "docs.jsonl")
    src = str(DATA / "docs.jsonl")
    assert errors == []
    assert docs == [
        Document("a", "Troops arrived in Texas.", "en", f"{src}:1"),
        Document("7", "Soldados llegaron a México.", None, f"{src}:3"),
        Document("c", "Rome\nand Milan", None, f"{src}:5"),
    ]


def test_jsonl_bad_lines_are_reported_and_the_rest_kept(tmp_path):
    lines = [
        '{"id": "ok1", "text": "Lagos"}',
        '{"id": "x", "text": "unterminated',
        '{"id": "no-text"}',
        '{"id": "num", "text": 42}',
        '["a", "list"]',
        '{"text": "no id here"}',
        '{"id": "", "text": "empty id"}',
        '{"id": "blank", "text": "  "}',
        '{"id": "ok2", "text": "Abuja", "lang": 3}',
    ]
    path = write(tmp_path / "in.jsonl", "\n".join(lines) + "\n")
    docs, errors = read_all(path)
    assert [(d.id, d.text, d.lang) for d in docs] == [("ok1", "Lagos", None), ("ok2", "Abuja", None)]
    assert [(e.line, e.reason) for e in errors] == [
        (2, "json"), (3, "no-text"), (4, "no-text"), (5, "json"),
        (6, "no-id"), (7, "no-id"), (8, "empty"), (9, "json")]
    assert [str(e).split(": ", 1)[1] for e in errors] == [
        "not valid JSON (Unterminated string starting at: column 21); fix or remove the line",
        'no "text" field; add the document text as "text"',
        '"text" is int, expected a string; fix the line',
        'expected an object like {"id": "a", "text": "..."}, got list; fix the line',
        'no "id" (a non-empty string); add one',
        'no "id" (a non-empty string); add one',
        '"text" is empty; fill it or remove the line',
        '"lang" is int, expected a string like "es"; ignored',
    ]
    assert all(e.path == str(path) for e in errors)


def test_jsonl_duplicate_ids_keep_both_with_a_warning(tmp_path):
    lines = [{"id": "a", "text": "first"}, {"id": "a", "text": "second"}, {"id": "a", "text": "third"}]
    path = write(tmp_path / "dup.jsonl", "\n".join(map(json.dumps, lines)))
    docs, errors = read_all(path)
    assert [(d.id, d.text) for d in docs] == [("a", "first"), ("a#2", "second"), ("a#3", "third")]
    assert [(e.reason, e.line) for e in errors] == [("duplicate-id", 2), ("duplicate-id", 3)]
    assert str(errors[0]) == (f"{path}:2: duplicate id 'a' (first used by {path}:1); kept as 'a#2', "
                              "rename one to silence this")


def test_jsonl_from_windows_with_bom_and_crlf(tmp_path):
    lines = '{"id": "a", "text": "Bogotá"}\r\n\r\n{"id": "b", "text": "Cali"}\r\n'
    path = write(tmp_path / "win.jsonl", codecs.BOM_UTF8 + lines.encode("utf-8"))
    docs, errors = read_all(path)
    assert errors == []
    assert [(d.id, d.text, d.source) for d in docs] == [("a", "Bogotá", f"{path}:1"), ("b", "Cali", f"{path}:3")]


def test_jsonl_texts_are_normalised_and_cut_as_a_text_file_is(tmp_path):
    """A JSONL text taken whole (most are) and one normalised and cut give what a .txt of it gives."""
    texts = ["Quito y Lima", "Quito\r\ny\rLima\r", "Qui\0to", "   \n ", "x" * 20, "x" * 21, "a\r\n" * 12, "ñ" * 20]
    path = write(tmp_path / "t.jsonl", "\n".join(json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(texts)))
    docs, errors = read_all(path, max_doc_chars=20)
    assert [e.line for e in errors] == [4]  # whitespace only
    for i, text in enumerate(texts):
        if i == 3:
            continue
        plain, _ = read_all(write(tmp_path / f"d{i}.txt", text), max_doc_chars=20)
        assert [d.text for d in docs if d.id.split("#")[0] == f"d{i}"] == [d.text for d in plain], text


def test_jsonl_with_only_blank_lines_is_empty(tmp_path):
    path = write(tmp_path / "blank.jsonl", "\n  \n\n")
    docs, errors = read_all(path)
    assert docs == [] and [e.reason for e in errors] == ["empty"]


def test_jsonl_long_text_is_split(tmp_path):
    text = "Paragraph about Lima.\n\n" * 100
    path = write(tmp_path / "long.jsonl", json.dumps({"id": "lima", "text": text}))
    docs, errors = read_all(path, max_doc_chars=500)
    assert errors == []
    assert [d.id for d in docs] == [f"lima#{k}" for k in range(1, len(docs) + 1)]
    assert len(docs) > 1 and "".join(d.text for d in docs) == text
    assert all(len(d.text) <= 500 and d.source == f"{path}:1" for d in docs)


def test_read_text_refuses_jsonl():
    with pytest.raises(InputError, match=r"read it with iter_documents\(\)") as info:
        read_text(DATA / "docs.jsonl")
    assert info.value.reason == "unsupported"


# -- huge inputs -------------------------------------------------------------------------------------

def big_text(n_bytes: int) -> str:
    rng = random.Random(1)
    words = ["Texas", "México", "soldiers", "Fort", "Bragg", "arrived", "the", "in", "río"]
    lines, size = [], 0
    while size < n_bytes:
        line = " ".join(rng.choices(words, k=rng.randint(3, 30))) + ("\n\n" if rng.random() < 0.2 else "\n")
        lines.append(line)
        size += len(line.encode("utf-8"))
    return "".join(lines)


def test_big_file_is_split_at_line_breaks_and_joins_back(tmp_path):
    text = big_text(5 << 20)
    path = write(tmp_path / "big.txt", text.encode("utf-8"))
    docs, errors = read_all(path, max_doc_chars=200_000)
    assert errors == []
    assert [d.id for d in docs] == [f"big#{k}" for k in range(1, len(docs) + 1)]
    assert len(docs) >= len(text) // 200_000
    assert all(len(d.text) <= 200_000 for d in docs)
    assert all(d.text.endswith("\n") for d in docs)
    assert "".join(d.text for d in docs) == text


def test_big_file_is_read_with_bounded_memory(tmp_path):
    path = tmp_path / "huge.txt"
    line = b"Soldiers from Mexico arrived at Camp Shelby, Mississippi.\n"
    with open(path, "wb") as f:
        for _ in range((24 << 20) // len(line)):
            f.write(line)
    tracemalloc.start()
    try:
        total = sum(len(d.text) for d in iter_documents([path], max_doc_chars=100_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == path.stat().st_size
    assert peak < 12 << 20  # well under the 24 MB file


def test_text_without_any_break_is_cut_hard():
    pieces = list(documents._split(["x" * 25], 10))
    assert pieces == ["x" * 10, "x" * 10, "x" * 5]


def test_many_small_pieces_are_cut_in_linear_time():
    text = "word " * 400_000  # 2 M characters into 200-character pieces: quadratic cutting would take minutes
    pieces = list(documents._split([text[:1_000_000], text[1_000_000:]], 200))
    assert "".join(pieces) == text and max(map(len, pieces)) <= 200


# -- helpers -------------------------------------------------------------------------------------------

def test_read_text(tmp_path):
    path = write(tmp_path / "a.txt", codecs.BOM_UTF8 + b"Lima\r\nCusco")
    assert read_text(path) == "Lima\nCusco"


def test_read_text_raises_on_failure(tmp_path):
    with pytest.raises(InputError) as info:
        read_text(write(tmp_path / "e.txt", b""))
    assert info.value.reason == "empty"


def test_count_inputs(tmp_path):
    write(tmp_path / "a.txt", "A")
    write(tmp_path / "sub" / "b.html", "<p>B</p>")
    write(tmp_path / "sub" / "skip.csv", "x")
    write(tmp_path / "docs.jsonl", '{"id": 1, "text": "x"}\n\n{"id": 2, "text": "y"}')
    assert count_inputs([tmp_path, tmp_path / "missing.txt"]) == 4
    assert count_inputs(tmp_path / "docs.jsonl") == 2


def test_count_inputs_is_unknown_when_a_file_may_be_split(tmp_path):
    write(tmp_path / "a.txt", "x" * 100)
    assert count_inputs([tmp_path], max_doc_chars=10) is None
    write(tmp_path / "b.jsonl", json.dumps({"id": 1, "text": "y" * 100}))
    assert count_inputs([tmp_path / "b.jsonl"], max_doc_chars=10) is None


def test_tar_archive_is_binary(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("a.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"Lima"))
    docs, errors = read_all(write(tmp_path / "bundle.txt", buffer.getvalue()))
    assert docs == [] and [e.reason for e in errors] == ["binary"]
    assert "looks like a tar archive" in str(errors[0])


def test_document_from_text():
    doc = document_from_text("\ufeffLima\r\nand\x00 Cusco", id="peru", lang="es")
    assert doc == Document(id="peru", text="Lima\nand Cusco", lang="es", source=None)


# -- property: random bytes never escape as anything but a reported InputError -------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_random_bytes_never_raise(tmp_path, data, suffix):
    path = write(tmp_path / f"fuzz{suffix}", data)
    errors: list[InputError] = []
    docs = list(iter_documents([path], on_error=errors.append, max_doc_chars=500))
    assert all(isinstance(e, InputError) and e.reason for e in errors)
    for doc in docs:
        assert doc.text.strip() and len(doc.text) <= 500
        assert "\x00" not in doc.text and "\r" not in doc.text
    assert docs or errors
