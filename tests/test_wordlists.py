"""The recogniser's word lists are data files that say what they are, read once."""
from __future__ import annotations

import unicodedata

import pytest

from geo.wordlists import WORDS, pairs, rows, sequences, words

LISTS = sorted(p.name for p in WORDS.iterdir() if p.name.endswith((".txt", ".tsv")))


def test_there_are_word_lists():
    assert "feature_heads.txt" in LISTS and "connectors.tsv" in LISTS


@pytest.mark.parametrize("filename", LISTS)
def test_each_list_opens_with_what_it_is_and_is_clean_utf8(filename):
    text = WORDS.joinpath(filename).read_text(encoding="utf-8")
    assert text.startswith("# ") and len(text.splitlines()[0]) > 20  # says what it holds
    assert unicodedata.normalize("NFC", text) == text  # compared with NFC text as written
    assert "\r" not in text and text.endswith("\n")
    name = filename.rsplit(".", 1)[0]
    entries = [w for w in words(name)] if filename.endswith(".txt") else [f for row in rows(name) for f in row]
    assert entries and all(e == e.strip() and e for e in entries)
    if filename.endswith(".txt"):  # compared in lower case
        assert all(w == w.lower() for w in entries)


def test_lists_are_read_once_as_frozen_sets():
    assert words("titles") is words("titles")
    assert isinstance(words("titles"), frozenset) and "presidente" in words("titles")


def test_tables_by_key():
    assert pairs("result_objects")["lost"] == "to"
    connectors = sequences("connectors")
    assert ("de", "la") in connectors["es"] and ("of",) in connectors["en"] and ("of",) not in connectors["es"]


def test_an_unknown_list_is_an_error():
    with pytest.raises(FileNotFoundError):
        words("no_such_list")
