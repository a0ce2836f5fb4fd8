"""Corrections that stick: a plain CSV of fixes that every later run applies.

A reader who sees a wrong point fixes it once (on the map, or by hand) and
every run with ``--corrections FILE`` knows. The file is UTF-8 CSV with the
header (extra columns are allowed and ignored)::

    surface,doc_id,action,gazetteer_id,name,lat,lon,kind,country_code
    Camp Shelby,,place,,Camp Shelby,31.18,-89.19,feature,US
    Pentágono,,not_a_place,,,,,,
    Georgia,art-17,choose,gn:614540,,,,,

* ``surface``: the name as written, matched as the gazetteer matches names
  (:func:`geo.gazetteer.name_key`: case, accents, dots and spacing folded);
* ``doc_id``: empty for every document, otherwise that document only;
* ``action``: ``choose`` (the gazetteer entry ``gazetteer_id``), ``place`` (a
  point of your own: ``name``, ``lat``, ``lon``, optionally ``kind`` and
  ``country_code``; also applied where the recogniser did not find the name)
  or ``not_a_place``.

Where several rows match a mention, the later one wins (files apply in the
order given). A corrected mention has precision ``exact`` (``choose``,
``place``), confidence 1 and ``evidence`` naming the file and line; what the
resolver had chosen stays first among its alternatives. Corrections are
applied after resolution, so they take precedence over ``--gazetteer`` layers,
which take precedence over the embedded gazetteer.

A malformed row raises :class:`geo.errors.GazetteerFileError` naming the file
and line. :func:`write_corrections` writes the same format, with cells that a
spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``)
prefixed by an apostrophe, which :func:`read_corrections` takes off again.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import GazetteerFileError
from .frames import slug
from .gazetteer import Gazetteer, name_key
from .model import Document, Kind, Mention, Place, Precision, Resolution

__all__ = ["Correction", "Corrections", "read_corrections", "write_corrections", "find_surface",
           "CORRECTION_COLUMNS", "ACTIONS"]

CORRECTION_COLUMNS = ("surface", "doc_id", "action", "gazetteer_id", "name", "lat", "lon", "kind", "country_code")
ACTIONS = ("choose", "place", "not_a_place")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("surface", "doc_id", "gazetteer_id", "name", "kind", "country_code")


@dataclass(frozen=True, slots=True)
class Correction:
    """One row of a corrections file."""

    surface: str
    doc_id: str          # "" for every document
    action: str          # one of ACTIONS
    place: Place | None  # the place of choose/place; None for not_a_place
    source: str          # "file.csv line 3": where it came from (the mention's evidence)

    @property
    def key(self) -> str:
        return name_key(self.surface)


def _unescape(cell: str) -> str:
    """A cell written by :func:`write_corrections` (or the map) as it was: ``'=x`` -> ``=x``."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA else cell


def _coord(value: str, lo: float, hi: float, what: str, path: str, line: int) -> float:
    try:
        x = float(value)
    except ValueError:
        raise GazetteerFileError(f"{what} {value!r} is not a number (a place needs lat and lon)",
                                 path=path, line=line) from None
    if not (lo <= x <= hi):  # also false for NaN
        raise GazetteerFileError(f"{what} {x} is outside [{lo}, {hi}]", path=path, line=line)
    return x


def read_corrections(path: str | Path, gazetteer: Gazetteer) -> list[Correction]:
    """The rows of one corrections file, in order; raise GazetteerFileError on any bad row.

    ``gazetteer`` fetches the entries that ``choose`` rows name (an unknown id is an error).
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise GazetteerFileError("no such corrections file", path=label)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerFileError(f"not UTF-8 at byte {exc.start}; re-save the corrections file as UTF-8",
                                 path=label) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise GazetteerFileError(f"not CSV ({exc})", path=label, line=1) from None
    if not header:
        raise GazetteerFileError(f"the file is empty; expected the header {','.join(CORRECTION_COLUMNS)}", path=label)
    header = [h.strip().lower() for h in header]
    missing = [c for c in ("surface", "action") if c not in header]
    if missing:
        raise GazetteerFileError(f"the header must name the columns {','.join(CORRECTION_COLUMNS)}; "
                                 f"missing {', '.join(missing)}", path=label, line=1)
    col = {c: header.index(c) for c in CORRECTION_COLUMNS if c in header}
    out: list[Correction] = []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise GazetteerFileError(f"not CSV ({exc})", path=label, line=reader.line_num) from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise GazetteerFileError(f"expected {len(header)} columns, found {len(row)}", path=label, line=line)

        def get(c: str) -> str:
            value = row[col[c]].strip() if c in col else ""
            return _unescape(value) if c in _TEXT_COLUMNS else value

        out.append(_correction(get, gazetteer, path, label, line))
    return out


def _correction(get, gazetteer: Gazetteer, path: Path, label: str, line: int) -> Correction:
    surface, action = get("surface"), get("action").lower()
    if not name_key(surface):
        raise GazetteerFileError("empty surface: say which name (as written) the row corrects", path=label, line=line)
    if action not in ACTIONS:
        raise GazetteerFileError(f"action {action!r} is not one of {', '.join(ACTIONS)}", path=label, line=line)
    source = f"{path.name} line {line}"
    place = None
    if action == "choose":
        gid = get("gazetteer_id")
        if not gid:
            raise GazetteerFileError("choose needs a gazetteer_id (e.g. gn:614540)", path=label, line=line)
        place = gazetteer.get(gid)
        if place is None:
            raise GazetteerFileError(f"gazetteer_id {gid!r} is not in the gazetteer", path=label, line=line)
    elif action == "place":
        lat = _coord(get("lat"), -90, 90, "lat", label, line)
        lon = _coord(get("lon"), -180, 180, "lon", label, line)
        kind_text = get("kind").lower() or str(Kind.FEATURE)
        try:
            kind = Kind(kind_text)
        except ValueError:
            raise GazetteerFileError(
                f"kind {kind_text!r} is not one of {', '.join(k.value for k in Kind if k != Kind.DEMONYM)}",
                path=label, line=line) from None
        if kind == Kind.DEMONYM:
            raise GazetteerFileError("kind 'demonym' is not a kind of place", path=label, line=line)
        cc = get("country_code").upper()
        if cc and not re.fullmatch(r"[A-Z]{2}", cc):
            raise GazetteerFileError(f"country_code {cc!r} is not a two-letter ISO code", path=label, line=line)
        name = get("name") or get("surface")
        place = Place(f"fix:{slug(name)}:{lat:.5f}:{lon:.5f}", name, kind, lat, lon, cc, "", 0, "",
                      f"correction:{path.name}")
    return Correction(get("surface"), get("doc_id"), action, place, source)


# --------------------------------------------------------------------------- writing

def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def write_corrections(rows: Iterable[Mapping], path_or_stream) -> None:
    """Write rows (mappings with the :data:`CORRECTION_COLUMNS`) as a corrections file.

    Text cells that a spreadsheet would run as a formula get a leading
    apostrophe; ``lat``/``lon`` are written as numbers.
    """
    def write(fh) -> None:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CORRECTION_COLUMNS)
        for row in rows:
            w.writerow([("" if row.get(c) is None or row.get(c) == "" else repr(float(row[c])))
                        if c in ("lat", "lon") else _safe_cell(row.get(c)) for c in CORRECTION_COLUMNS])

    if hasattr(path_or_stream, "write"):
        write(path_or_stream)
    else:
        with open(path_or_stream, "w", encoding="utf-8", newline="") as fh:
            write(fh)


# --------------------------------------------------------------------------- applying

def _fold_char(c: str) -> str:
    return name_key("a" + c + "a")[1:-1] if c.strip() else " "


def _folded(text: str) -> tuple[str, list[int]]:
    folded: list[str] = []
    where: list[int] = []  # folded character -> offset in text
    for i, c in enumerate(text):
        f = _fold_char(c)
        if f == " " and folded and folded[-1] == " ":
            continue
        for ch in f:
            folded.append(ch)
            where.append(i)
    return "".join(folded), where


def find_surface(text: str, key: str, folded: tuple[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` whose :func:`name_key` is ``key``, as whole words.

    >>> find_surface("Desde CAMP  Shelby y camp-shelby.", "camp shelby")
    [(6, 18), (21, 32)]
    """
    if not key:
        return []
    flat, where = folded or _folded(text)
    spans = []
    for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", flat):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if name_key(text[start:end]) == key:
            spans.append((start, end))
    return spans


class Corrections:
    """The rows of one or more corrections files, ready to apply to a document.

    >>> Corrections([]).apply(Document("d", "x"), []) == []
    True
    """

    def __init__(self, rows: Sequence[Correction] = ()):
        self.rows = list(rows)
        self._by_key: dict[str, list[Correction]] = {}
        for c in self.rows:
            self._by_key.setdefault(c.key, []).append(c)

    @classmethod
    def read(cls, paths: Iterable[str | Path], gazetteer: Gazetteer) -> Corrections:
        """Read the files in order (later rows win)."""
        return cls([c for p in paths for c in read_corrections(p, gazetteer)])

    @classmethod
    def of(cls, given: Iterable[str | Path] | str | Path | Corrections, gazetteer: Gazetteer) -> Corrections:
        """``given`` as Corrections: itself if it is one, else the file or files it names, read in order."""
        if isinstance(given, Corrections):
            return given
        return cls.read([given] if isinstance(given, (str, Path)) else given, gazetteer)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __add__(self, other: Corrections) -> Corrections:
        return Corrections(self.rows + other.rows)

    def find(self, doc_id: str, surface: str) -> Correction | None:
        """The row that applies to ``surface`` in document ``doc_id`` (the last that matches), or None."""
        hit = None
        for c in self._by_key.get(name_key(surface), ()):
            if not c.doc_id or c.doc_id == doc_id:
                hit = c
        return hit

    def mentions(self, doc: Document, found: Sequence[Mention]) -> list[Mention]:
        """The recogniser's mentions with the corrections' view: names marked ``not_a_place``
        dropped, names given a ``place`` added where the recogniser missed them."""
        kept = [m for m in found if (c := self.find(doc.id, m.surface)) is None or c.action != "not_a_place"]
        added: list[Mention] = []
        folded = None
        for key, rows in self._by_key.items():
            if not any(c.action == "place" and (not c.doc_id or c.doc_id == doc.id) for c in rows):
                continue
            folded = folded or _folded(doc.text)
            for start, end in find_surface(doc.text, key, folded):
                c = self.find(doc.id, doc.text[start:end])
                if c is None or c.action != "place":
                    continue
                inside = [m for m in kept if m.start < end and start < m.end]
                if any((m.start, m.end) == (start, end) for m in inside):
                    continue  # the recogniser found it: resolved, then corrected
                if all(start <= m.start and m.end <= end for m in inside):
                    kept = [m for m in kept if m not in inside]  # a longer name the user gave replaces its parts
                    added.append(Mention(doc.id, start, end, doc.text[start:end], source="correction"))
        if not added:
            return kept
        return sorted(kept + added, key=lambda m: (m.start, m.end))

    def apply(self, doc: Document, resolutions: Sequence[Resolution]) -> list[Resolution]:
        """The resolutions with every matching correction applied.

        A ``not_a_place`` row that meets a mention (a span given with
        ``--spans-from``) leaves it unresolved, with the row as evidence.
        """
        out = []
        for r in resolutions:
            c = self.find(doc.id, r.mention.surface)
            if c is None:
                out.append(r)
                continue
            evidence = f"correction: {c.source}"
            if c.action == "not_a_place":
                out.append(Resolution(r.mention, None, r.kind, Precision.UNRESOLVED, 1.0, evidence=evidence))
                continue
            others = [p for p in ((r.place,) if r.place is not None else ()) + r.alternatives
                      if p.place_id != c.place.place_id]
            scores = ((r.confidence,) if r.place is not None else ()) + r.alternative_scores
            scores = tuple(s for p, s in zip(((r.place,) if r.place is not None else ()) + r.alternatives, scores)
                           if p.place_id != c.place.place_id)
            kind = Kind.DEMONYM if r.kind == Kind.DEMONYM and c.action == "choose" else c.place.kind
            out.append(Resolution(r.mention, c.place, kind, Precision.EXACT, 1.0,
                                  tuple(others[:3]), scores[:3], evidence))
        return out
