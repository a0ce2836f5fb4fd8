"""Story metadata: JSONL fields, HTML metadata (meta tags, JSON-LD, <time>), front matter, dates in both languages."""
import json
import warnings

import pytest

from geo.documents import iter_documents, read_text
from geo.errors import InputError
from geo.metadata import link_url, parse_date


def read(path, **kw):
    errors = []
    docs = list(iter_documents([path], on_error=errors.append, **kw))
    return docs, errors


ARTICLE = """<!doctype html><html><head><title>Lluvias en Oaxaca | El Diario del Sur</title>
<meta property="og:title" content="Lluvias inundan el centro de Oaxaca">
<meta property="og:site_name" content="El Diario del Sur">
{date_meta}
<link rel="canonical" href="https://diario.example/2026/lluvias-oaxaca">
</head><body>
<header><nav><a href="/">Portada</a> <a href="/monterrey">Monterrey</a> <a href="/tijuana">Tijuana</a>
<a href="/cancun">Cancún</a> <a href="/merida">Mérida</a></nav></header>
<main><article><h1>Lluvias inundan el centro de Oaxaca</h1>
<p>Las lluvias de la madrugada dejaron calles anegadas en el centro de Oaxaca y en Santa Lucía del Camino,
donde vecinos pasaron la noche sacando agua de sus casas con cubetas.</p>
<p>Protección Civil del estado abrió dos albergues y pidió a la población no cruzar los arroyos crecidos
mientras siga lloviendo en los Valles Centrales durante los próximos días.</p>
{body_extra}</article></main>
<aside><h3>Lo más leído</h3><ul><li>Nieve en Chihuahua</li><li>Sismo en Acapulco</li><li>Calor en Hermosillo</li></ul></aside>
<footer><p>Oficinas en Puebla y Veracruz. Todos los derechos reservados.</p></footer>
</body></html>"""


def write_article(tmp_path, name="nota.html", date_meta="", body_extra=""):
    path = tmp_path / name
    path.write_text(ARTICLE.format(date_meta=date_meta, body_extra=body_extra), encoding="utf-8")
    return path


def test_html_meta_tags_give_title_date_site_and_canonical_url(tmp_path):
    path = write_article(tmp_path, date_meta='<meta property="article:published_time" content="2026-02-14T21:40:00-06:00">')
    [doc], errors = read(path)
    assert errors == []
    assert doc.title == "Lluvias inundan el centro de Oaxaca"
    assert doc.date == "2026-02-14"  # the day as written, whatever the time zone
    assert doc.publisher == "El Diario del Sur"
    assert doc.url == "https://diario.example/2026/lluvias-oaxaca"


def test_html_main_text_leaves_out_menus_sidebars_and_footers(tmp_path):
    [doc], _ = read(write_article(tmp_path))
    assert "Santa Lucía del Camino" in doc.text and "Valles Centrales" in doc.text
    for boilerplate in ("Monterrey", "Tijuana", "Chihuahua", "Acapulco", "Puebla", "derechos reservados"):
        assert boilerplate not in doc.text
    assert read_text(write_article(tmp_path, "b.html")) == doc.text


def test_html_json_ld_date_and_author(tmp_path):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Lluvias",
          "datePublished": "2026-01-09", "author": {"@type": "Person", "name": "Marta Ibáñez"}}
    path = write_article(tmp_path, date_meta=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    [doc], _ = read(path)
    assert doc.date == "2026-01-09" and doc.author == "Marta Ibáñez"


def test_html_time_element_date(tmp_path):
    path = write_article(tmp_path, body_extra='<p class="byline">Publicado el <time datetime="2025-11-30" '
                                              'pubdate>30 de noviembre</time></p>')
    [doc], _ = read(path)
    assert doc.date == "2025-11-30"


def test_html_without_date_has_none_and_file_time_is_not_a_date(tmp_path):
    [doc], errors = read(write_article(tmp_path))
    assert doc.date is None and errors == []


def test_html_fragment_without_an_article_keeps_all_its_text(tmp_path):
    path = tmp_path / "frag.html"
    path.write_text("<p>Rain in <b>Camp</b> Shelby and Lyon.</p>", encoding="utf-8")
    [doc], _ = read(path)
    assert doc.text == "Rain in Camp Shelby and Lyon."


def test_jsonl_story_fields_and_other_fields_kept(tmp_path):
    path = tmp_path / "in.jsonl"
    line = {"id": "a", "text": "Rain in Lima.", "title": "Rain", "date": "March 3, 2026",
            "url": "https://news.example/a", "source": "Daily Example", "author": "Jo Roe", "section": "weather",
            "tags": ["rain"]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    [doc], errors = read(path)
    assert errors == []
    assert (doc.title, doc.date, doc.url, doc.publisher, doc.author) == (
        "Rain", "2026-03-03", "https://news.example/a", "Daily Example", "Jo Roe")
    assert doc.meta == {"section": "weather", "tags": ["rain"]}
    assert doc.source == f"{path}:1"  # still where it was read from


def test_front_matter_is_read_and_not_counted_as_text(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: Sequía en Sonora\ndate: 5 de abril de 2026\nsource: Radio Norte\n"
                    "url: https://radio.example/sequia\nsection: campo\n---\nLa sequía golpea a Cajeme.\n",
                    encoding="utf-8")
    [doc], errors = read(path)
    assert errors == []
    assert doc.text == "La sequía golpea a Cajeme.\n"
    assert (doc.title, doc.date, doc.publisher, doc.url) == ("Sequía en Sonora", "2026-04-05", "Radio Norte",
                                                            "https://radio.example/sequia")
    assert doc.meta == {"section": "campo"}
    assert read_text(path) == "La sequía golpea a Cajeme.\n"


def test_front_matter_yaml_date_and_text_without_a_block(tmp_path):
    (tmp_path / "a.txt").write_text("---\ndate: 2026-04-05\n---\nText.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("No block here.\n---\nA rule, not front matter.\n", encoding="utf-8")
    docs, errors = read(tmp_path)
    assert errors == []
    assert [(d.id, d.date) for d in docs] == [("a", "2026-04-05"), ("b", None)]
    assert docs[1].text.startswith("No block here.")


def test_bad_front_matter_is_a_warning_and_the_text_is_kept(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\nRain in Quito.\n", encoding="utf-8")
    [doc], errors = read(path)
    assert [e.reason for e in errors] == ["front-matter"]
    assert "Rain in Quito." in doc.text


@pytest.mark.parametrize("written, iso", [
    ("2026-03-03", "2026-03-03"),
    ("2026-03-03T23:30:00-05:00", "2026-03-03"),
    ("3 de marzo de 2026", "2026-03-03"),
    ("martes, 3 de marzo de 2026", "2026-03-03"),
    ("3 mar. 2026", "2026-03-03"),
    ("March 3, 2026", "2026-03-03"),
    ("Tuesday, 3 March 2026", "2026-03-03"),
    ("Tue, 03 Mar 2026 10:00:00 GMT", "2026-03-03"),
    ("25/12/2025", "2025-12-25"),  # a first number over 12 is a day
])
def test_dates_in_both_languages(written, iso):
    assert parse_date(written) == iso


def test_date_order_option_and_auto_by_language():
    assert parse_date("03/04/2026", order="dmy") == "2026-04-03"
    assert parse_date("03/04/2026", order="mdy") == "2026-03-04"
    assert parse_date("03/04/2026", lang="en") == "2026-03-04"
    assert parse_date("03/04/2026", lang="es") == "2026-04-03"
    assert parse_date("03/04/2026", text="Las lluvias llegaron a la ciudad durante la noche.") == "2026-04-03"
    with pytest.raises(ValueError):
        parse_date("03/04/2026", order="ymd")


@pytest.mark.parametrize("bad", ["soon", "yesterday", "hace dos días", "32/13/2026", "2026-02-30", "2026", 2026,
                                 True, {"y": 2026}, "9999-01-01"])
def test_unreadable_dates_are_none(bad):
    assert parse_date(bad) is None


def test_unreadable_date_is_a_warning_naming_the_document_and_the_run_goes_on(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "storm-1", "text": "Rain in Lima.", "date": "next week-ish"}) + "\n"
                    + json.dumps({"id": "storm-2", "text": "Rain in Quito.", "date": "03/04/2026"}) + "\n",
                    encoding="utf-8")
    docs, errors = read(path, date_order="mdy")
    assert [(d.id, d.date) for d in docs] == [("storm-1", None), ("storm-2", "2026-03-04")]
    assert [e.reason for e in errors] == ["date"]
    assert "storm-1" in str(errors[0]) and "next week-ish" in str(errors[0]) and errors[0].line == 1
    with warnings.catch_warnings(record=True) as caught:  # without on_error: a Python warning, not an exception
        warnings.simplefilter("always")
        assert len(list(iter_documents([path]))) == 2
    assert any("storm-1" in str(w.message) for w in caught)
    with pytest.raises(ValueError):
        list(iter_documents([path], date_order="ydm"))
    assert isinstance(errors[0], InputError)


def test_only_http_urls_are_links():
    assert link_url("http://a.example/x?y=1") == "http://a.example/x?y=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<b>",
                "ftp://a.example/", "//a.example/x", "/relative", "https://", "https://a.example/\nx", None, 3):
        assert link_url(bad) is None


PAGES = __import__("pathlib").Path(__file__).parent / "data" / "pages"


def test_saved_news_pages_lose_their_menus_and_footers_and_keep_their_metadata():
    docs = {d.id: d for d in iter_documents([PAGES])}
    fire = docs["wildfire-en"]
    assert (fire.title, fire.date, fire.publisher, fire.author) == (
        "Wildfire forces evacuations near Flagstaff", "2026-06-14", "The Canyon Courier", "Dana Whitfield")
    assert "Coconino National Forest" in fire.text and "Prescott" in fire.text
    for gone in ("Las Vegas", "Albuquerque", "Lake Havasu", "Kingman", "Salt Lake City"):
        assert gone not in fire.text
    flood = docs["inundaciones-es"]
    assert flood.date == "2026-10-03" and flood.author == "Rosa Hernández"  # from JSON-LD
    assert "Villahermosa" in flood.text and "Monterrey" not in flood.text and "Chetumal" not in flood.text
    assert docs["port-en"].date == "2026-05-21" and "Felixstowe" not in docs["port-en"].text  # <time datetime>


def test_date_and_front_matter_warnings_word_for_word(tmp_path, monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "docs.jsonl").write_text(json.dumps({"id": "a", "text": "Rain in Lima.", "date": "soonish"})
                                                + "\n", encoding="utf-8")
    (tmp_path / "in" / "note.md").write_text("---\ntitle: [unclosed\n---\nRain in Quito.\n", encoding="utf-8")
    assert main(["map", "in", "-o", "out", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert ("geo: warning: in/docs.jsonl:1: document 'a': date 'soonish' cannot be read as a date; kept without a "
            "date (write it as 2026-03-03, 3 March 2026 or 3 de marzo de 2026)") in err
    assert "geo: warning: in/note.md: front matter is not YAML (" in err
    assert "; read as text, without title or date" in err
    assert "kept with a warning: 1 date, 1 front-matter" in err
    kept = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(k["reason"], k["kept"]) for k in kept] == [("date", True), ("front-matter", True)]
