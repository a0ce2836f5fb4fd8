"""What an input says about its story: title, date, outlet, link, author.

Used by :mod:`geo.documents` for the three places users keep it:

- JSONL fields (``date``, ``title``, ``url``, ``source``, ``author``);
- HTML: trafilatura reads the article's main text (without menus, sidebars
  and footers) and its metadata (``<title>``/``og:title``,
  ``article:published_time``/JSON-LD ``datePublished``/``<time datetime>``
  through htmldate, ``og:site_name``, the canonical URL, the author);
- Markdown and text files: a YAML front-matter block (``---`` ... ``---``) at
  the top, read with python-frontmatter and not counted as text.

Dates are normalised to ISO ``YYYY-MM-DD`` by :func:`parse_date` (ISO 8601
and the usual news forms in English and Spanish, through dateparser). A
file's modification time is never taken as a publication date.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError

__all__ = ["DATE_ORDERS", "parse_date", "html_article", "split_front_matter", "front_matter", "story_fields",
           "link_url", "STORY_FIELDS"]

DATE_ORDERS = ("auto", "dmy", "mdy")
# JSONL field -> Document attribute; "source" in the input is the outlet.
STORY_FIELDS = {"title": "title", "date": "date", "url": "url", "source": "publisher", "author": "author"}
_NUMERIC_DATE = re.compile(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
# htmldate: only the page's markup (no guessing from the body text), dates up to far ahead
_HTMLDATE = {"extensive_search": False, "original_date": True, "max_date": "2100-12-31"}
_MAX_YEAR_AHEAD = 1  # a date more than this many years in the future is a typo, not a publication date


def parse_date(value: Any, *, order: str = "auto", lang: str | None = None, text: str = "") -> str | None:
    """The ISO date (``YYYY-MM-DD``) of a publication date as people write it; None if unreadable.

    ``order`` settles ``03/04/2026``: ``"dmy"`` (3 April), ``"mdy"`` (March 4)
    or ``"auto"``: month first for English documents (``lang`` or, when not
    given, the language of ``text``), day first otherwise. A first number over
    12 is a day whatever the order. Relative dates ("yesterday") are refused:
    they depend on when the run happens.

    Examples
    --------
    >>> parse_date("3 de marzo de 2026"), parse_date("March 3, 2026"), parse_date("2026-03-03T23:10:00-05:00")
    ('2026-03-03', '2026-03-03', '2026-03-03')
    >>> parse_date("03/04/2026", order="dmy"), parse_date("03/04/2026", order="mdy"), parse_date("not a date")
    ('2026-04-03', '2026-03-04', None)
    """
    if order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}, got {order!r}")
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 1000 < value < 10000:
        return None  # a bare year is not a date
    elif isinstance(value, str) and value.strip():
        day = _parse_string(value.strip()[:100], order, lang, text)
    else:
        return None
    if day is None or day.year < 1000 or day.year > dt.date.today().year + _MAX_YEAR_AHEAD:
        return None
    return day.isoformat()


def _parse_string(value: str, order: str, lang: str | None, text: str) -> dt.date | None:
    if m := _ISO_DATE.match(value):  # the date as written, whatever the time zone
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if order == "auto" and _NUMERIC_DATE.match(value):
        order = "mdy" if (lang or _language(text)) == "en" else "dmy"
    settings = {
        "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"], "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if order != "auto":
        settings["DATE_ORDER"] = order.upper()
    found = _dateparser().parse(value, languages=["es", "en"], settings=settings)
    return found.date() if found else None


@cache
def _dateparser():
    import dateparser  # slow to import (its language data): only when a date needs it

    return dateparser


def _language(text: str) -> str | None:
    if not text.strip():
        return None
    import py3langid

    return py3langid.classify(text[:2000])[0]


def link_url(url: Any) -> str | None:
    """``url`` if it is an absolute ``http(s)`` URL (the only ones the map turns into links), else None.

    >>> link_url("https://example.org/a"), link_url("javascript:alert(1)"), link_url("//example.org")
    ('https://example.org/a', None, None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\0\n\r\t "):
        return None
    return url


def html_article(html: str) -> tuple[str | None, dict[str, str]]:
    """The main content of a web page as HTML (None when trafilatura finds none) and its metadata.

    The main content keeps headings, paragraphs, lists, tables and inline
    formatting, so the caller turns it into text with its own whitespace rules.
    Metadata keys (present when found): ``title``, ``date`` (ISO), ``url``
    (canonical), ``publisher`` (``og:site_name``), ``author``.
    """
    import lxml.html
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    # trafilatura logs every page it finds too short; falling back is the caller's business
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                            include_formatting=True, output_format="python",
                                            date_extraction_params=dict(_HTMLDATE))
    except (ValueError, TypeError, RecursionError):  # markup lxml cannot parse
        return None, {}
    if found is None:
        return None, {}
    meta = {}
    for ours, theirs in (("title", "title"), ("date", "date"), ("url", "url"), ("publisher", "sitename"),
                         ("author", "author")):
        value = getattr(found, theirs, None)
        if isinstance(value, str) and value.strip():
            meta[ours] = value.strip()
    if "date" in meta and (day := parse_date(meta["date"])):
        meta["date"] = day
    else:
        meta.pop("date", None)
    body = getattr(found, "body", None)
    if body is None or not "".join(body.itertext()).strip():
        return None, meta
    return lxml.html.tostring(convert_to_html(body), encoding="unicode"), meta


def split_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """``(fields, body)`` when ``text`` opens with a ``---`` front-matter block, else None.

    Raises ValueError when the block is there but is not YAML key/value pairs.

    >>> split_front_matter("---\\ntitle: Rain\\ndate: 2026-03-03\\n---\\nRain in Lima.\\n")
    ({'title': 'Rain', 'date': datetime.date(2026, 3, 3)}, 'Rain in Lima.\\n')
    """
    if not text.startswith("---") or not re.match(r"---[ \t]*\n", text):
        return None
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\n?", text[4:], re.M)
    if end is None:
        return None
    import frontmatter
    import yaml

    block = text[: 4 + end.end()]
    try:
        fields, _ = frontmatter.parse(block)
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(fields, Mapping):
        raise ValueError("front matter is not a list of key: value lines")
    return dict(fields), text[4 + end.end():]


def front_matter(chunks: Iterator[str], src: str, warn) -> tuple[Iterable[str], dict]:
    """Peel a front-matter block off the start of a text file's chunks: ``(chunks of the rest, story fields)``.

    A block that is not YAML is reported to ``warn`` (an :class:`~geo.errors.InputError`,
    reason ``front-matter``) and read as text.
    """
    chunks = iter(chunks)
    first = next(chunks, "")
    try:
        found = split_front_matter(first)
    except ValueError as exc:
        warn(InputError(f"{exc}; read as text, without title or date", path=src, reason="front-matter", skips=False))
        found = None
    if found is None:
        return _chained([first] if first else [], chunks), {}
    fields, body = found
    story = {}
    for key, value in fields.items():
        name = STORY_FIELDS.get(str(key).lower())
        if name and value is not None and name not in story:
            story[name] = value
        elif not name:
            story.setdefault("meta", {})[str(key)] = value
    return _chained([body] if body else [], chunks), story


def story_fields(fields: dict, base: str, src: str, line: int | None, date_order: str, warn, text: str = "",
           lang: str | None = None) -> dict:
    """Document keyword arguments from raw story fields: strings trimmed, the date read as ISO or warned about.

    An unreadable date goes to ``warn`` as an :class:`~geo.errors.InputError` (reason ``date``) naming the document.
    """
    story: dict = {}
    for name in ("title", "url", "publisher", "author"):
        value = fields.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            story[name] = " ".join(str(value).split())[:2000]
    value = fields.get("date")
    if value is not None and value != "":
        day = parse_date(value, order=date_order, lang=lang, text=text)
        if day is None:
            shown = repr(value) if isinstance(value, str) else type(value).__name__
            warn(InputError(f"document {base!r}: date {shown[:80]} cannot be read as a date; kept without a date "
                            "(write it as 2026-03-03, 3 March 2026 or 3 de marzo de 2026)",
                            path=src, line=line, reason="date", skips=False))
        else:
            story["date"] = day
    if fields.get("meta"):
        story["meta"] = fields["meta"]
    return story


def _chained(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest
