"""Read documents: turn the paths a user gives into :class:`~geo.model.Document` records.

Accepts text files (``.txt``, ``.md``, ``.text``), HTML (``.html``, ``.htm``),
JSONL (one ``{"id", "text"[, "lang"]}`` object a line) and folders of them.
What an input says about its story (title, date, outlet, URL, author: JSONL
fields, HTML metadata, a front-matter block) is read by :mod:`geo.metadata`.
Every failure becomes an :class:`~geo.errors.InputError` handed to ``on_error``
and the run goes on with the next input. Files are read in chunks, so a file
far larger than memory is split into several documents instead of loaded whole.
Decoding bytes is :mod:`geo.decoding`'s work, the text of HTML :mod:`geo.htmltext`'s;
this module finds the files, cuts long texts and reads JSONL lines.
"""
from __future__ import annotations

import codecs
import errno
import json
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geo import metadata
from geo.decoding import CHUNK_BYTES, Unreadable, decode, normalise
from geo.errors import InputError
from geo.htmltext import html_article, visible_text
from geo.model import Document

__all__ = ["SUFFIXES", "iter_documents", "read_text", "count_inputs", "document_from_text", "visible_text"]

SUFFIXES = {".txt": "text", ".md": "text", ".text": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


def _raise(error: InputError) -> None:
    raise error



def iter_documents(
    paths: Iterable[str | Path] | str | Path,
    *,
    encoding: str | None = None,
    on_error: Callable[[InputError], None] | None = None,
    max_doc_chars: int = 1_000_000,
    date_order: str = "auto",
) -> Iterator[Document]:
    """Yield the documents found under ``paths``, in a stable order.

    Parameters
    ----------
    paths : iterable of str or Path, or a single one
        Files (``.txt``/``.md``/``.text``, ``.html``/``.htm``, ``.jsonl``) and
        folders. HTML pages are read as articles: their main text (menus,
        sidebars and footers left out, by trafilatura) and title, date, site
        name, canonical URL and author; a page where no main text is found
        gives all its visible text. A text file may open with a front-matter
        block (``---`` ... ``---``: ``title:``, ``date:``, ``source:``,
        ``url:``, ``author:``), which is read and not counted as text. JSONL
        lines may carry ``title``, ``date``, ``url``, ``source`` (the outlet)
        and ``author``; other fields go to ``Document.meta``. Folders are walked recursively in sorted order, following
        symlinks; hidden entries and files with other extensions are skipped.
        A file named explicitly with another extension is read as plain text.
    encoding : str, optional
        Encoding of files without a byte-order mark. Default: UTF-8 if the
        bytes are valid UTF-8, otherwise detected from the first 2 MB.
    on_error : callable, optional
        Called with each :class:`~geo.errors.InputError`, after which the
        iteration goes on. Default: raise it. ``reason`` is ``missing``,
        ``permission``, ``unreadable``, ``symlink-loop``, ``empty``, ``binary``,
        ``decode``, ``json``, ``no-id``, ``no-text`` or ``duplicate-id``.
        Warnings have ``skips`` False and the document is still yielded: a
        ``duplicate-id``, a bad ``"lang"``, a ``decode`` error past the first
        2 MB, an ``encoding`` guessed without certainty.
    max_doc_chars : int
        Longer texts are split at paragraph, line or word breaks into
        documents ``"<id>#1"``, ``"<id>#2"``, ... of at most this many characters.
    date_order : ``"auto"``, ``"dmy"`` or ``"mdy"``
        How to read dates such as ``03/04/2026`` (see :func:`geo.metadata.parse_date`).
        A date that cannot be read is a warning (reason ``date``, the document
        is kept, undated): given to ``on_error``, or :func:`warnings.warn` without one.

    Yields
    ------
    Document
        ``id`` is unique in the run: the path relative to the folder given
        (the file name for a file), without extension, or the JSONL ``"id"``;
        a taken id gets ``#2``, ``#3``... ``source`` is ``"path"`` or
        ``"path:line"``. Line ends are ``\\n``; NULs and a byte-order mark are removed.

    Raises
    ------
    InputError
        At once for an unknown ``encoding``; later, whatever ``on_error`` raises.

    Examples
    --------
    >>> errors = []
    >>> list(iter_documents(["no/such.txt"], on_error=errors.append))
    []
    >>> str(errors[0]), errors[0].reason
    ('no/such.txt: no such file or folder; check the path', 'missing')
    """
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; pass a Python codec name such as 'utf-8' or "
                             "'cp1252'", reason="encoding") from None
    if max_doc_chars < 1:
        raise ValueError(f"max_doc_chars must be at least 1, got {max_doc_chars}")
    if date_order not in metadata.DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(metadata.DATE_ORDERS)}, got {date_order!r}")
    report = on_error or _raise
    warn = on_error or (lambda error: warnings.warn(str(error), stacklevel=3))
    return _iter_documents(_as_list(paths), encoding, report, max_doc_chars, date_order, warn)


def _iter_documents(paths, encoding, report, max_chars, date_order="auto", warn=None) -> Iterator[Document]:
    seen: dict[str, str] = {}  # id -> source that first took it
    warn = warn or report
    for given in paths:
        for path, base, kind in _expand(Path(given), report):
            src = str(path)
            try:
                with open(path, "rb") as f:
                    if kind == "jsonl":
                        chunks = _text_chunks(f, src, encoding, report)
                        yield from _jsonl_documents(chunks, src, seen, report, max_chars, date_order, warn)
                        continue
                    if kind == "html":
                        chunks, story = html_article(f, src, encoding, report)
                    else:
                        chunks, story = metadata.front_matter(_text_chunks(f, src, encoding, report), src, warn)
                    story = metadata.story_fields(story, base, src, None, date_order, warn)
                    pieces = _split(chunks, max_chars)
                    yield from _documents(pieces, base, None, src, None, seen, report, kind == "html", story)
            except Unreadable as failure:
                report(failure.args[0])
            except OSError as exc:
                report(_os_error(src, exc))


def _text_chunks(f, src: str, encoding: str | None, report) -> Iterator[str]:
    """The decoded, normalised text of file ``f``, chunk by chunk."""
    return normalise(decode(f, src, encoding, report))


def read_text(path: str | Path, *, encoding: str | None = None) -> str:
    """Read one text or HTML file whole, decoded and normalised as :func:`iter_documents` does.

    An HTML page gives its main text, a text file its text without a front-matter block.

    Raises
    ------
    InputError
        With the ``reason`` values of :func:`iter_documents`, or
        ``"unsupported"`` for JSONL, which holds many documents.

    Examples
    --------
    >>> read_text("no/such.txt")
    Traceback (most recent call last):
    geo.errors.InputError: no/such.txt: no such file or folder; check the path
    """
    src, kind = str(path), SUFFIXES.get(Path(path).suffix.lower())
    if kind == "jsonl":
        raise InputError("is JSONL, which holds many documents; read it with iter_documents()",
                         path=src, reason="unsupported")
    try:
        with open(path, "rb") as f:
            if kind == "html":
                chunks, _ = html_article(f, src, encoding, _raise)
            else:
                chunks, _ = metadata.front_matter(_text_chunks(f, src, encoding, _raise), src, lambda e: None)
            text = "".join(chunks)
    except Unreadable as failure:
        raise failure.args[0] from None
    except OSError as exc:
        raise _os_error(src, exc) from exc
    if not text.strip():
        raise _empty(src, kind == "html")
    return text


def count_inputs(paths: Iterable[str | Path] | str | Path, *, max_doc_chars: int = 1_000_000) -> int | None:
    """Count the documents :func:`iter_documents` would yield, cheaply, for a progress bar.

    One per text or HTML file, one per non-blank JSONL line. Inputs that will
    fail are counted too, so this is an upper bound. None (unknown) when a
    file may be split: it, or a JSONL line, is longer than ``max_doc_chars`` bytes.
    """
    total = 0
    for given in _as_list(paths):
        for path, _, kind in _expand(Path(given), lambda error: None):
            try:
                if kind != "jsonl":
                    if path.stat().st_size > max_doc_chars:
                        return None
                    total += 1
                    continue
                with open(path, "rb") as f:
                    length, blank = 0, True  # of the line being read, which may span chunks
                    for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
                        for i, part in enumerate(chunk.split(b"\n")):
                            if i:
                                total, length, blank = total + (not blank), 0, True
                            length, blank = length + len(part), blank and not part.strip()
                            if length > max_doc_chars:
                                return None
                    total += not blank
            except OSError:
                continue
    return total


def document_from_text(text: str, id: str = "text", lang: str | None = None) -> Document:
    """Make a document from a string, normalised as a file's text is.

    Examples
    --------
    >>> document_from_text("Paris\\r\\nand Lyon", lang="en")
    Document(id='text', text='Paris\\nand Lyon', lang='en', source=None, title=None, date=None, url=None, publisher=None, author=None)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return Document(id=id, text="".join(normalise([text.removeprefix("\ufeff")])), lang=lang)


# -- finding files ---------------------------------------------------------------------------------

def _as_list(paths) -> Iterable:
    # A single path is a str, which is iterable too: without this we would read "s", "e", "e", "d", "s".
    return [paths] if isinstance(paths, (str, os.PathLike)) else paths


def _expand(path: Path, report) -> Iterator[tuple[Path, str, str]]:
    """Yield ``(file, id base, kind)`` for each file under a path the user gave."""
    try:
        st = path.stat()
    except OSError as exc:
        report(_os_error(str(path), exc))
        return
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        yield from _walk(path, path, report, frozenset({key}), {key})
    else:
        yield path, path.stem or path.name, SUFFIXES.get(path.suffix.lower(), "text")


def _walk(folder: Path, root: Path, report, ancestors: frozenset, visited: set) -> Iterator[tuple[Path, str, str]]:
    """Walk ``folder`` in name order; folders are known by (device, inode) so that links cannot loop."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        report(_os_error(str(folder), exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
            st = path.stat() if is_dir else None
        except OSError as exc:
            report(_os_error(str(path), exc))
            continue
        if is_dir:
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                report(InputError(f"symlink loop: leads back to {path.resolve()}; skipped, remove the link "
                                  "to silence this", path=str(path), reason="symlink-loop"))
            elif key not in visited:  # a folder reached twice through links is read once
                visited.add(key)
                yield from _walk(path, root, report, ancestors | {key}, visited)
        elif kind := SUFFIXES.get(path.suffix.lower()):
            yield path, path.relative_to(root).with_suffix("").as_posix(), kind


def _os_error(src: str, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError("symlink loop; fix or remove the link", path=src, reason="symlink-loop")
    if isinstance(exc, FileNotFoundError):
        what = "symlink points to a missing file; fix or remove the link" if os.path.islink(src) \
            else "no such file or folder; check the path"
        return InputError(what, path=src, reason="missing")
    if isinstance(exc, PermissionError):
        return InputError("permission denied; make it readable (chmod +r) or leave it out",
                          path=src, reason="permission")
    if isinstance(exc, IsADirectoryError):
        return InputError("is a folder, expected a file", path=src, reason="unreadable")
    return InputError(f"cannot be read ({exc.strerror or exc}); check the file", path=src, reason="unreadable")


# -- shaping text ------------------------------------------------------------------------------------

def _split(chunks: Iterable[str], max_chars: int) -> Iterator[str]:
    """Re-cut a text stream into pieces of at most ``max_chars``, at a paragraph, line or word break if any."""
    buf = ""
    for chunk in chunks:
        buf += chunk
        start = 0  # cut by index: slicing off the rest after every piece would be quadratic
        while len(buf) - start > max_chars:
            end = start + max_chars
            for sep in ("\n\n", "\n", " "):
                if (at := buf.rfind(sep, start + max_chars // 2, end)) >= 0:
                    end = at + len(sep)
                    break
            yield buf[start:end]
            start = end
        buf = buf[start:]
    if buf:
        yield buf


def _documents(pieces, base, lang, source, line, seen, report, html=False, story=None) -> Iterator[Document]:
    """Yield the pieces of one text as documents ``base``, or ``base#1``, ``base#2``... if split.

    Whitespace-only pieces are dropped; if all are, the text is reported empty.
    """
    pending, n, doc_id = None, 0, None
    for piece in pieces:
        if piece.isspace():
            continue
        if pending is not None:  # a second piece: the text is split
            doc_id, n = doc_id or _unique_id(base, source, line, seen, report), n + 1
            yield Document(_unique_id(f"{doc_id}#{n}", source, line, seen, report), pending, lang, source,
                           **(story or {}))
        pending = piece
    if pending is None:
        raise Unreadable(_empty(source.rpartition(":")[0] if line else source, html, line))
    last = f"{doc_id}#{n + 1}" if n else base
    yield Document(_unique_id(last, source, line, seen, report), pending, lang, source, **(story or {}))


def _empty(src: str, html: bool = False, line: int | None = None) -> InputError:
    if line is not None:
        return InputError('"text" is empty; fill it or remove the line', path=src, line=line, reason="empty")
    what = "has no text outside markup" if html else "contains only whitespace"
    return InputError(f"{what}; add text or leave it out", path=src, reason="empty")


def _unique_id(base: str, source: str, line: int | None, seen: dict[str, str], report) -> str:
    """Take ``base`` as a document id, or else the first free ``base#k`` (k ≥ 2), with a warning."""
    new, k = base, 1
    while new in seen:
        k += 1
        new = f"{base}#{k}"
    seen[new] = source
    if new != base:
        report(InputError(f"duplicate id {base!r} (first used by {seen[base]}); kept as {new!r}, rename one "
                          "to silence this", path=source.rpartition(":")[0] if line else source, line=line,
                          reason="duplicate-id", skips=False))
    return new



# -- JSONL ---------------------------------------------------------------------------------------------

def _lines(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Number the lines of a text stream from 1; a line may span chunks."""
    parts: list[str] = []
    n = 0
    for chunk in chunks:
        *ends, rest = chunk.split("\n")
        for end in ends:
            n += 1
            yield n, "".join(parts) + end
            parts = []
        parts.append(rest)
    if tail := "".join(parts):
        yield n + 1, tail


def _jsonl_documents(chunks, src, seen, report, max_chars, date_order="auto", warn=None) -> Iterator[Document]:
    found = False
    for n, line in _lines(chunks):
        if not line.strip():
            continue
        found = True

        def fail(message: str, reason: str, skips: bool = True) -> None:
            report(InputError(message, path=src, line=n, reason=reason, skips=skips))

        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: "[[[[..." nested too deep
            why = f"{exc.msg}: column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else exc
            fail(f"not valid JSON ({why}); fix or remove the line", "json")
            continue
        if not isinstance(obj, dict):
            fail(f'expected an object like {{"id": "a", "text": "..."}}, got {type(obj).__name__}; fix the line',
                 "json")
            continue
        doc_id, text, lang = obj.get("id"), obj.get("text"), obj.get("lang")
        if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or not str(doc_id).strip():
            fail('no "id" (a non-empty string); add one', "no-id")
        elif "text" not in obj:
            fail('no "text" field; add the document text as "text"', "no-text")
        elif not isinstance(text, str):
            fail(f'"text" is {type(text).__name__}, expected a string; fix the line', "no-text")
        else:
            if lang is not None and not isinstance(lang, str):
                fail(f'"lang" is {type(lang).__name__}, expected a string like "es"; ignored', "json", skips=False)
                lang = None
            fields = {name: obj[key] for key, name in metadata.STORY_FIELDS.items() if key in obj}
            extra = {k: v for k, v in obj.items() if k not in metadata.STORY_FIELDS and k not in ("id", "text", "lang")}
            if extra:
                fields["meta"] = extra
            story = metadata.story_fields(fields, str(doc_id), src, n, date_order, warn or report, text, lang)
            try:
                if text and len(text) <= max_chars and "\r" not in text and "\0" not in text:
                    pieces = (text,)  # most lines: nothing to normalise or cut (what the generators would give)
                else:
                    pieces = _split(normalise([text]), max_chars)
                yield from _documents(pieces, str(doc_id), lang, f"{src}:{n}", n, seen, report, story=story)
            except Unreadable as failure:
                report(failure.args[0])
    if not found:
        raise Unreadable(_empty(src))
