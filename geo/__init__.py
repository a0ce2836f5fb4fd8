"""geo: find the places a text talks about, resolve them offline, map them.

Stages, one module each::

    documents  read files and JSONL into Document records
    metadata   what inputs say about their stories: title, date, outlet, URL
    recognize  find place mentions (and demonyms) in a text: runs of capitals against the gazetteer
      tokens     the tokeniser: tokens, sentences, runs of capitals
      rules      the recogniser's rules, an ordered registry of named functions (``RULES``)
      facts      what the rules read: the document, the match under test, ``THRESHOLDS``
      context    the words around a span: place words, datelines, club words, scores, quotes
      entries    what a gazetteer entry allows of the way its name is written
      wordlists  the word lists, data in ``geo/data/words/``
    gazetteer  the embedded gazetteer, built from registry packages, cached
    layers     extra gazetteer files: GeoNames dumps and CSV
    corrections  a CSV of fixes (choose, place, not a place) that every later run applies
    resolve    choose a gazetteer entry per mention, using the whole document
    focus      the place each document is about, with its admin-1 unit and country
    frames     the GeoDataFrames (one row per mention, one per place, one per document)
    render     the folium map
    stories    dates, outlets and foci for the map; mentions over time
    pipeline   the Geoparser (recognise + resolve) and the Python API
    parallel   the same over worker processes or a Dask cluster
    flows      the ``geo map`` / ``geo extract`` runs: inputs, progress, report, files
    outputs    the one atomic writer of every output file
    geocoders  geopy-compatible geocoders: the embedded one, online refinement
    explore    one call to a Result that shows itself in Jupyter
    cli        the ``geo`` command
"""
__version__ = "0.1.0"

from .errors import GeoError, InputError, GazetteerError, GazetteerFileError  # noqa: E402
from .model import Document, Kind, Mention, Place, Precision, Resolution  # noqa: E402
from .gazetteer import Gazetteer  # noqa: E402
from .pipeline import Geoparser, geoparse, make_map, places  # noqa: E402
from .explore import Result, explore  # noqa: E402

__all__ = [
    "Document", "Mention", "Place", "Resolution", "Kind", "Precision",
    "Gazetteer", "Geoparser", "geoparse", "places", "make_map", "explore", "Result",
    "GeoError", "InputError", "GazetteerError", "GazetteerFileError",
]
