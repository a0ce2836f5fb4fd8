"""The text of an HTML page: all its visible text, or its main text as an article.

:func:`visible_text` keeps what a browser shows (scripts and styles left out,
block elements as line breaks). :func:`html_article` reads an HTML file as
:mod:`geo.documents` does: its main text (menus, sidebars and footers left out,
by trafilatura through :func:`geo.metadata.html_article`) and its metadata.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from geo import metadata
from geo.decoding import decode, normalise

__all__ = ["HTML_ARTICLE_MAX", "MAIN_TEXT_SHARE", "html_article", "html_text", "visible_text"]

_BLOCK_TAGS = frozenset("address article aside blockquote dd div dl dt fieldset figcaption figure footer "
                        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table title tr ul".split())
_PARAGRAPH_TAGS = frozenset("article blockquote h1 h2 h3 h4 h5 h6 hr p pre section table title".split())
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_HTML_SPACE = " \t\n\r\f"  # not U+00A0: a no-break space is text
_HTML_SPACE_RUN = re.compile(f"[{_HTML_SPACE}]+")
HTML_ARTICLE_MAX = 20 << 20  # HTML pages up to this many characters are read as articles (main text + metadata)
MAIN_TEXT_SHARE = 0.9  # a main text with more of the page's letters than this leaves nothing out


def html_article(f, src: str, encoding, report) -> tuple[Iterable[str], dict]:
    """An HTML file's main text (as chunks) and metadata.

    All its visible text when trafilatura finds no main content, or when the
    main content is nearly all of it (nothing to leave out: the page's own
    line breaks are kept then).
    """
    raw: list[str] = []
    size = 0
    decoded = decode(f, src, encoding, report)
    for chunk in decoded:
        raw.append(chunk)
        size += len(chunk)
        if size > HTML_ARTICLE_MAX:  # too large to parse whole: stream its visible text
            return normalise(html_text(_chain(raw, decoded))), {}
    html = "".join(raw)
    visible = "".join(html_text([html]))
    main, story = metadata.html_article(html) if visible.strip() else (None, {})
    if main is not None:
        text = "".join(html_text([main]))
        if text.strip() and _letters(text) < MAIN_TEXT_SHARE * _letters(visible):
            return normalise([text]), story
    return normalise([visible]), story


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def visible_text(html: str) -> str:
    """All the visible text of an HTML page, menus and footers included (scripts and styles left out).

    >>> visible_text("<nav>Home</nav><p>Rain in <b>Lima</b>.</p><script>x()</script>")
    'Home\\n\\nRain in Lima.'
    """
    return "".join(normalise(html_text([html])))


def html_text(chunks: Iterable[str]) -> Iterator[str]:
    """The visible text of HTML given in chunks, as chunks (see :class:`_TextExtractor`)."""
    parser = _TextExtractor()
    for chunk in chunks:
        parser.feed(chunk)
        if text := parser.take():
            yield text
    parser.close()
    if text := parser.take():
        yield text


class _TextExtractor(HTMLParser):
    """The visible text of HTML: scripts and styles dropped, block elements as line breaks.

    Whitespace collapses as in a browser, except inside ``<pre>``; line breaks
    are written just before the next text, so none trail. The base class
    unescapes entities.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._skip = self._pre = self._newlines = 0
        self._space = self._started = False

    def take(self) -> str:
        text, self._out = "".join(self._out), []
        return text

    def handle_starttag(self, tag, attrs):
        self._newlines += tag == "br"
        self._tag(tag, +1)

    def handle_endtag(self, tag):
        self._tag(tag, -1)

    def _tag(self, tag, step):
        if tag in _DROPPED_TAGS:
            self._skip = max(self._skip + step, 0)
        elif tag == "pre":
            self._pre = max(self._pre + step, 0)
        if tag in _BLOCK_TAGS:
            self._newlines = max(self._newlines, 2 if tag in _PARAGRAPH_TAGS else 1)
        elif tag in ("td", "th"):  # cells side by side must not run together
            self._space = True

    def handle_data(self, data):
        if self._skip or not data:
            return
        words = data if self._pre else " ".join(_HTML_SPACE_RUN.split(data.strip(_HTML_SPACE)))
        if not words:
            self._space = True
            return
        if self._started and self._newlines:
            self._out.append("\n" * self._newlines)
        elif self._started and not self._pre and (self._space or data[0] in _HTML_SPACE):
            self._out.append(" ")
        self._out.append(words)
        self._newlines, self._started = 0, True
        self._space = not self._pre and data[-1] in _HTML_SPACE


# -- JSONL ---------------------------------------------------------------------------------------------
