"""Decode a file's bytes into text, chunk by chunk.

A byte-order mark decides the encoding; files that start like a PDF, an image
or an archive, or hold too many control characters, are not text. Other files
are UTF-8 when they decode as it, else the legacy code page charset-normalizer
finds, preferring the decoding whose accented words are words of a language
(a warning when even that one reads badly). :func:`normalise` removes NULs and
turns every line end into ``\\n``. Used by :mod:`geo.documents` and
:mod:`geo.htmltext`; a file that cannot be read at all raises :class:`Unreadable`.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator

from geo.errors import DecodeError, InputError

__all__ = ["DETECT_BYTES", "CHUNK_BYTES", "Unreadable", "decode", "normalise"]

DETECT_BYTES = 2 << 20  # encoding and binary detection look at this much of a file
CHUNK_BYTES = 1 << 20
BINARY_RATIO = 0.05  # a file with more control characters than this is not text ...
NUL_RATIO = 0.3  # ... nor one with more NULs than this (fewer are removed as strays)

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MAGIC = ((b"%PDF-", "a PDF"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP/Office file"), (b"\x1f\x8b", "gzip-compressed"),
          (b"\xfd7zXZ\x00", "xz-compressed"), (b"\x7fELF", "a program"),
          (b"\xd0\xcf\x11\xe0", "an old MS Office file"), (b"SQLite format 3\x00", "an SQLite database"))
# C0 controls but \t \n \v \f \r, and DEL; once decoded, C1 controls too.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_CONTROL_CHARS = _CONTROL_BYTES.decode("latin-1") + "".join(map(chr, range(0x80, 0xA0)))
# one pass of a character class over the decoded head (2 MB) instead of a str.count per character (65 passes)
_CONTROL_CHAR = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")


class Unreadable(Exception):
    """An input cannot be read at all; ``args[0]`` is the :class:`~geo.errors.InputError` to report."""


def decode(f, src: str, forced: str | None, report) -> Iterator[str]:
    """Yield the text of binary file ``f`` in chunks; raise :class:`Unreadable` if it is not text."""
    head = f.read(DETECT_BYTES)
    if not head:
        raise Unreadable(InputError("file is empty; add text or leave it out", path=src, reason="empty"))
    final = len(head) < DETECT_BYTES
    enc, doubt = _choose_encoding(head, final, forced, src)
    if doubt:
        report(DecodeError(doubt, path=src, reason="encoding-guess", skips=False))
    decoder = codecs.getincrementaldecoder(enc)("strict")
    data, offset = head, 0
    while True:
        state = decoder.getstate()
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as exc:  # only past the head, which was checked whole
            how = "given" if forced else f"guessed from the first {DETECT_BYTES >> 20} MB"
            report(DecodeError(f"not valid {enc} at byte {offset - len(state[0]) + exc.start} (the encoding "
                               f"was {how}); bad bytes replaced with U+FFFD; pass the right --encoding",
                               path=src, reason="decode", skips=False))
            decoder = codecs.getincrementaldecoder(enc)("replace")
            decoder.setstate(state)
            text = decoder.decode(data, final)
        if offset == 0:
            text = text.removeprefix("\ufeff")
        if text:
            yield text
        if final:
            return
        offset += len(data)
        data = f.read(CHUNK_BYTES)
        final = not data


def _choose_encoding(head: bytes, final: bool, forced: str | None, src: str) -> tuple[str, str | None]:
    """The encoding of a file from its first bytes, and a warning when the guess is uncertain."""
    for bom, enc in _BOMS:  # a byte-order mark is unambiguous, so it beats ``forced``
        if head.startswith(bom):
            return enc, None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _binary(src, what)
    if head[257:262] == b"ustar":
        raise _binary(src, "a tar archive")
    enc, doubt = forced or "utf-8", None
    if (text := _try_decode(head, enc, final)) is None:
        if forced:
            raise Unreadable(DecodeError(f"cannot be decoded as {enc}; pass the right --encoding",
                                          path=src, reason="decode"))
        if _looks_binary(head):
            raise _binary(src, "binary data")
        enc = _detect(head)
        if enc is None or (text := _try_decode(head, enc, final)) is None:
            raise Unreadable(DecodeError("not UTF-8 and no encoding detected; pass --encoding",
                                          path=src, reason="decode"))
        enc, text, doubt = _prefer_words(head, final, enc, text)
    if _looks_binary(text):
        raise _binary(src, "binary data")
    return enc, doubt


def _binary(src: str, what: str) -> Unreadable:
    return Unreadable(DecodeError(f"looks like {what}, not text; convert it to .txt first "
                                  "(or pass the right --encoding)", path=src, reason="binary"))


def _try_decode(data: bytes, enc: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(enc)("strict").decode(data, final)
    except UnicodeDecodeError:
        return None


def _looks_binary(data: bytes | str) -> bool:
    """Too many control characters for text. A few NULs are tolerated (and removed later)."""
    if isinstance(data, bytes):
        controls, nuls = len(data) - len(data.translate(None, _CONTROL_BYTES)), data.count(0)
    else:
        controls, nuls = len(_CONTROL_CHAR.findall(data)), data.count("\0")
    return controls - nuls > BINARY_RATIO * len(data) or nuls > NUL_RATIO * len(data)


def _detect(head: bytes) -> str | None:
    """The legacy encoding charset-normalizer finds best for ``head``; cp1252 wins ties."""
    import charset_normalizer  # only for a file that is not UTF-8 (importing it costs every run ~0.03 s)

    # UTF-16/32 without a byte-order mark would be mostly NULs, which _looks_binary rejects first.
    matches = [m for m in charset_normalizer.from_bytes(head) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        return None
    best = (matches[0].chaos, matches[0].coherence)
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == best]
    # Short samples tie between many code pages; Western European text is the common case.
    return min(tied, key=lambda e: 0 if e == "cp1252" else 1 if e.startswith("cp125") else 2)


# Legacy code pages that Spanish and English text is most often written in, tried beside
# charset-normalizer's guesses: a short text ties between many (Latin-1 read as Baltic cp775
# gives "Querķtaro"), and the one whose accented words are words of a language wins.
_WESTERN = ("cp1252", "latin_1")
_WORD_LANGS = ("es", "en", "pt", "fr", "it", "de")  # wordfreq's word lists asked
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_WORDS_JUDGED = 200  # accented words looked at per candidate


def _prefer_words(head: bytes, final: bool, enc: str, text: str) -> tuple[str, str, str | None]:
    """Among the plausible decodings of ``head``, the one whose accented words read as words.

    Returns (encoding, text, warning): ``enc`` and ``text`` unless another decoding's
    non-ASCII words are more often words of Spanish, English or a neighbour language;
    a warning when most of the chosen decoding's accented words are not.
    """
    share = _word_share(text)
    if share is None or share == 1:  # nothing beyond ASCII, or every accented word a word
        return enc, text, None
    import charset_normalizer

    candidates = [m.encoding for m in charset_normalizer.from_bytes(head)] + list(_WESTERN)
    seen = {text}
    for other in candidates:
        decoded = _try_decode(head, other, final)
        if decoded is None or decoded in seen:
            continue
        seen.add(decoded)
        other_share = _word_share(decoded)
        if other_share is not None and other_share > share:
            enc, text, share = other, decoded, other_share
    if share < 0.5:
        return enc, text, (f"encoding guessed as {enc}, but most accented words do not read as words "
                           f"({share:.0%} do); pass --encoding if the text reads wrong")
    return enc, text, None


def _word_share(text: str) -> float | None:
    """Share of the words with non-ASCII characters that are words of a language
    (letters only, known to wordfreq), or None when there are no such words."""
    from wordfreq import zipf_frequency  # only when a file is not UTF-8

    good = judged = 0
    for chunk in text.split():
        word = _EDGES.sub("", chunk)
        if not word or word.isascii():
            continue
        judged += 1
        lower = word.lower()
        if word.isalpha() and any(zipf_frequency(lower, lang) > 0 for lang in _WORD_LANGS):
            good += 1
        if judged >= _WORDS_JUDGED:
            break
    return good / judged if judged else None


# -- shaping text ------------------------------------------------------------------------------------


def normalise(chunks: Iterable[str]) -> Iterator[str]:
    r"""Remove NULs and turn ``\r\n`` and ``\r`` into ``\n``, across chunk boundaries too."""
    carry = ""
    for chunk in chunks:
        chunk = carry + chunk.replace("\0", "")
        carry = "\r" if chunk.endswith("\r") else ""
        if chunk := chunk[:-1] if carry else chunk:
            yield chunk.replace("\r\n", "\n").replace("\r", "\n")
    if carry:
        yield "\n"
