"""One call from texts or files to a result that shows itself in a notebook.

    >>> import geo
    >>> result = geo.explore(["Llegaron a Hattiesburg, Misisipi.", "Rain in Paris."])  # doctest: +SKIP
    >>> result                      # in Jupyter: the summary table and the map   # doctest: +SKIP
    >>> result.places.head()        # a GeoDataFrame, one row per place           # doctest: +SKIP
    >>> result.documents            # one row per document, at its focus          # doctest: +SKIP
    >>> result.timeline(freq="W").plot()  # mentions per place and week            # doctest: +SKIP

:func:`explore` reads and geoparses; :class:`Result` holds the frames and the
texts, draws the map on first use, and answers the usual first questions
(:meth:`Result.summary`, :meth:`Result.per_document`, :meth:`Result.co_mentions`,
:meth:`Result.timeline`).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from html import escape
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .focus import document_focus
from .frames import document_record, documents_frame, mentions_frame, places_frame
from .model import Document, Precision

if TYPE_CHECKING:  # imported where used: `import geo` stays light
    import geopandas as gpd
    import pandas as pd

__all__ = ["explore", "Result"]

_FRAME_HEIGHT = 640  # px of the map in a notebook
_SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".jsonl")


@dataclass
class Result:
    """What :func:`explore` found: the frames, the texts, and the map.

    Attributes
    ----------
    mentions : GeoDataFrame
        One row per mention (see :data:`geo.frames.MENTION_COLUMNS`), EPSG:4326.
    places : GeoDataFrame
        One row per place, most mentioned first (see :data:`geo.frames.PLACE_COLUMNS`).
    texts : dict
        ``doc_id -> text`` of every document read.
    errors : list of InputError
        Inputs that could not be read (the others were geoparsed).
    documents : GeoDataFrame
        One row per document (see :data:`geo.frames.DOCUMENT_COLUMNS`): title,
        date, source, url, counts and focus; its geometry is the focus point.
    """

    mentions: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    texts: dict[str, str]
    errors: list[InputError] = field(default_factory=list)
    title: str | None = None
    unit_names: dict[str, str] = field(default_factory=dict, repr=False)
    documents: gpd.GeoDataFrame = field(default=None, repr=False)

    def __post_init__(self):
        if self.documents is None:  # built without explore(): ids and lengths only
            self.documents = documents_frame({"doc_id": d, "chars": len(t or "")} for d, t in self.texts.items())

    def __repr__(self) -> str:
        s = self.summary().to_dict("records")[0]
        return (f"<geo.Result: {s['places']} places, {s['mentions']} mentions, "
                f"{s['documents']} documents, {s['share_exact']:.0%} exact>")

    @cached_property
    def map(self):
        """The :class:`folium.Map` (drawn once, on first use)."""
        from .render import make_map

        return make_map(self.mentions, self.places, self.texts, title=self.title, unit_names=self.unit_names,
                        stories=self.documents)

    def save_map(self, path: str | os.PathLike) -> Path:
        """Write the map as one self-contained HTML file; return its path."""
        from .render import write_map

        return write_map(self.map, path)

    def summary(self) -> pd.DataFrame:
        """One row: documents, mentions placed on the map, places, share of exact mentions, and what was left out.

        >>> from geo.frames import mentions_frame, places_frame
        >>> empty = mentions_frame([], [])
        >>> Result(empty, places_frame(empty), {"a": ""}).summary().to_dict("records")
        [{'documents': 1, 'mentions': 0, 'places': 0, 'share_exact': 0.0, 'unresolved': 0, 'skipped_inputs': 0}]
        """
        import pandas as pd

        placed = self.mentions[self.mentions["place_id"].notna()]
        exact = int((placed["precision"] == str(Precision.EXACT)).sum())
        return pd.DataFrame([{
            "documents": len(self.texts),
            "mentions": len(placed),
            "places": len(self.places),
            "share_exact": round(exact / len(placed), 3) if len(placed) else 0.0,
            "unresolved": len(self.mentions) - len(placed),
            "skipped_inputs": len(self.errors),
        }])

    def per_document(self) -> pd.DataFrame:
        """One row per document: its length, mentions, distinct places and most mentioned place."""
        import pandas as pd

        placed = self.mentions[self.mentions["place_id"].notna()]
        rows = []
        groups = dict(tuple(placed.groupby("doc_id", sort=False))) if len(placed) else {}
        for doc_id, text in self.texts.items():
            group = groups.get(doc_id)
            top = group["name"].value_counts().index[0] if group is not None else None
            rows.append({
                "doc_id": doc_id,
                "chars": len(text),
                "mentions": 0 if group is None else len(group),
                "places": 0 if group is None else group["place_id"].nunique(),
                "top_place": top,
            })
        return pd.DataFrame(rows, columns=["doc_id", "chars", "mentions", "places", "top_place"])

    def timeline(self, freq: str = "W") -> pd.DataFrame:
        """Mentions per period (rows) and place (columns) in the dated documents, ready for ``.plot()``.

        ``freq``: ``"D"``, ``"W"``, ``"M"`` or another pandas period alias. See :func:`geo.stories.timeline`.
        """
        from .stories import timeline

        return timeline(self.mentions, self.documents, freq=freq)

    def co_mentions(self, min_documents: int = 1) -> pd.DataFrame:
        """Pairs of places named in the same documents, most shared first.

        Columns ``place_a``, ``place_b`` (ids, ``place_a < place_b``), ``name_a``,
        ``name_b`` and ``documents`` (how many documents name both).
        """
        import pandas as pd

        placed = self.mentions[self.mentions["place_id"].notna()]
        counts: dict[tuple[str, str], int] = {}
        for _, ids in placed.groupby("doc_id", sort=False)["place_id"]:
            for pair in combinations(sorted(set(ids)), 2):
                counts[pair] = counts.get(pair, 0) + 1
        names = dict(zip(self.places["place_id"], self.places["name"]))
        rows = [{"place_a": a, "place_b": b, "name_a": names.get(a), "name_b": names.get(b), "documents": n}
                for (a, b), n in counts.items() if n >= min_documents]
        frame = pd.DataFrame(rows, columns=["place_a", "place_b", "name_a", "name_b", "documents"])
        return frame.sort_values(["documents", "name_a", "name_b"], ascending=[False, True, True],
                                 kind="stable").reset_index(drop=True)

    def _repr_html_(self) -> str:
        summary = self.summary().to_html(index=False, border=0, classes="geo-summary-table")
        skipped = ""
        if self.errors:
            items = "".join(f"<li>{escape(str(e))}</li>" for e in self.errors[:5])
            more = f"<li>… and {len(self.errors) - 5} more</li>" if len(self.errors) > 5 else ""
            skipped = f"<details><summary>{len(self.errors)} inputs skipped</summary><ul>{items}{more}</ul></details>"
        page = escape(self.map.get_root().render(), quote=True)
        # sandbox: the page runs its own script but gets no access to the notebook; it may offer
        # a download (corrections.csv, when the reader asks for it).
        frame = (f'<iframe srcdoc="{page}" title="{escape(self.title or "map of the places")}" '
                 f'sandbox="allow-scripts allow-downloads" style="width:100%;height:{_FRAME_HEIGHT}px;border:1px solid #cbd5e1">'
                 "</iframe>")
        return f'<div class="geo-result">{summary}{skipped}{frame}</div>'


def explore(inputs, *, lang: str | None = None, geoparser=None, encoding: str | None = None,
            title: str | None = None, progress: bool | None = None, corrections=()) -> Result:
    """Geoparse texts or files and return a :class:`Result` (shows itself in Jupyter).

    Parameters
    ----------
    inputs
        A text, a path (file or folder), a :class:`~geo.model.Document`, a
        mapping ``{id: text}``, or a list of any of these. A string is read
        as a path when a file or folder of that name exists; otherwise it is
        the text itself. Folders are read as ``geo map`` reads them (``.txt``,
        ``.md``, ``.html``, ``.jsonl``).
    lang
        ``"en"`` or ``"es"`` for documents that do not say; default: detected.
    geoparser
        A :class:`~geo.pipeline.Geoparser` to reuse; default: the shared one.
    encoding
        Encoding of files without a byte-order mark; default: detected.
    title
        Title of the map page.
    progress
        Show a progress bar on stderr; default: for more than 50 documents.
    corrections
        Paths of corrections files (see :mod:`geo.corrections`; e.g. the
        ``corrections.csv`` downloaded from a map), applied after the
        geoparser's own; later rows win.

    Raises
    ------
    InputError
        A string that looks like a file name (no spaces, ends in ``.txt`` ...)
        but names no file: pass a :class:`~geo.model.Document` to geoparse
        such a string as text.
    """
    from .pipeline import default_geoparser
    from .recognize import detect_language

    errors: list[InputError] = []
    docs = _documents(inputs, lang, encoding, errors)
    gp = geoparser if geoparser is not None else default_geoparser()  # the Geoparser geo.geoparse() shares
    if corrections:
        gp = gp.with_corrections(corrections)
    resolutions = []
    stories = []
    for doc in _progress(docs, progress):
        found = gp.parse(doc)
        resolutions.extend(found)
        lang = doc.lang or gp.default_lang or detect_language(doc.text)
        stories.append(document_record(doc, found, document_focus(doc, found, gp.gazetteer), lang=lang))
    mentions = mentions_frame(resolutions, docs)
    texts = {d.id: d.text for d in docs}
    mentions.attrs["texts"] = texts
    unit_names = {}
    fallbacks = mentions["place_id"].notna() & (mentions["precision"] != str(Precision.EXACT))
    for gid in mentions.loc[fallbacks, "gazetteer_id"].dropna().unique():
        unit = gp.gazetteer.get(gid)
        if unit is not None:
            unit_names[gid] = unit.name
    return Result(mentions, places_frame(mentions), texts, errors, title, unit_names, documents_frame(stories))


def _progress(docs: list[Document], enabled: bool | None):
    from tqdm import tqdm

    if enabled is None:
        enabled = len(docs) > 50
    return tqdm(docs, desc="geoparsing", unit="doc", disable=not enabled, file=sys.stderr, leave=False)


def _is_path(item) -> bool:
    if isinstance(item, os.PathLike):
        return True
    if not isinstance(item, str) or "\n" in item or len(item) > 1024:
        return False
    try:
        if Path(item).exists():
            return True
    except OSError:
        return False
    if not item.strip() or any(c.isspace() for c in item.strip()):
        return False
    if item.lower().endswith(_SUFFIXES):
        raise InputError("no such file or folder; to geoparse this string as text, pass geo.Document(id, text)",
                         path=item, reason="missing")
    return False


def _documents(inputs, lang: str | None, encoding: str | None, errors: list[InputError]) -> list[Document]:
    from .documents import iter_documents

    if isinstance(inputs, Mapping):
        return [Document(str(k), str(v), lang) for k, v in inputs.items()]
    if isinstance(inputs, (str, Document)) or isinstance(inputs, os.PathLike):
        inputs = [inputs]
    if not isinstance(inputs, Iterable):
        raise TypeError(f"explore() takes texts, paths, Documents or a mapping, not {type(inputs).__name__}")
    items = list(inputs)
    docs: list[Document] = []
    for i, item in enumerate(items):
        if isinstance(item, Document):
            docs.append(item)
        elif _is_path(item):
            for doc in iter_documents([item], encoding=encoding, on_error=errors.append):
                docs.append(doc if doc.lang or not lang else replace(doc, lang=lang))
        elif isinstance(item, str):
            docs.append(Document("text" if len(items) == 1 else f"doc{i}", item, lang))
        else:
            raise TypeError(f"explore() item {i}: expected a text, a path or a Document, not {type(item).__name__}")
    seen: dict[str, int] = {}
    unique = []
    for doc in docs:  # ids must be unique within a run: "a", "a#2", ...
        n = seen[doc.id] = seen.get(doc.id, 0) + 1
        unique.append(doc if n == 1 else replace(doc, id=f"{doc.id}#{n}"))
    return unique
