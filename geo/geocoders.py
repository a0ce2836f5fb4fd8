"""Geocoders with geopy's contract: the embedded gazetteer, and online services as a refinement.

Both follow geopy: ``geocode(query, exactly_one=True)`` returns a
:class:`geopy.location.Location`, a list of them, or None.

* :class:`EmbeddedGeocoder` answers from the offline gazetteer, so it plugs
  into :class:`geopy.extra.rate_limiter.RateLimiter` and
  :func:`geopandas.tools.geocode` like any geopy service.
* :class:`OnlineRefiner` asks any geopy service (``nominatim`` first) about the
  mentions the gazetteer could not place exactly ("Camp Shelby" shown at
  Mississippi's point). It sends a real user agent, goes through geopy's
  ``RateLimiter``, keeps every answer ("not found" too) in an SQLite cache so a
  rerun asks nothing twice, retries timeouts, 429 (after ``Retry-After``), 5xx
  and malformed answers with a bounded backoff, and then keeps the embedded
  answer with a warning: a run never fails because a service did.

>>> from geo.geocoders import OnlineRefiner
>>> OnlineRefiner("no-such-service")
Traceback (most recent call last):
geo.errors.GeocoderError: --geocoder 'no-such-service': Unknown geocoder 'no-such-service'; options are: ...
"""
from __future__ import annotations

import hashlib
import inspect
import json
import logging
import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from . import __version__
from .errors import GeocoderError
from .gazetteer import Gazetteer
from .gazetteer_build import ensure_built
from .model import Document, Kind, Mention, Place, Precision, Resolution

__all__ = ["EmbeddedGeocoder", "OnlineRefiner", "USER_AGENT", "CACHE_FILE", "refine_query"]

USER_AGENT = f"geo/{__version__} (+https://pypi.org/project/geo)"
CACHE_FILE = "geocoder-cache.sqlite"

# Options of ours (not the service's): --geocoder-option KEY=VALUE.
_OWN_OPTIONS = {
    "min_delay": float,    # seconds between requests (geopy RateLimiter); Nominatim's policy is 1
    "max_retries": int,    # retries after a timeout, 429, 5xx or malformed answer
    "backoff": float,      # first retry wait in seconds; doubles each time
    "max_wait": float,     # longest wait; a longer Retry-After gives up at once
    "max_failures": int,   # failed mentions in a row after which the service is not asked again
    "cache": str,          # the SQLite cache file; "none" for no cache
}
# Options that change how we talk to a service, not what it answers: left out of cache keys.
_TRANSPORT_OPTIONS = {"user_agent", "timeout", "proxies", "ssl_context", "adapter_factory"}
_CONFIDENCE_IN_CONTEXT = 0.6  # a refined "Camp Shelby, Mississippi"
_CONFIDENCE_ALONE = 0.4       # a refined mention the gazetteer had no context for

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- offline

class EmbeddedGeocoder:
    """The offline gazetteer as a geopy geocoder.

    ``"Hattiesburg, Mississippi"``: each comma-separated part is a mention and
    the parts are resolved together, so later parts choose among homonyms of
    the first. Only a place found itself (``precision == "exact"``) is an
    answer; ``raw`` holds the :class:`~geo.model.Place` fields.

    Examples
    --------
    >>> coder = EmbeddedGeocoder()
    >>> location = coder.geocode("Hattiesburg, Mississippi")
    >>> round(location.latitude, 2), round(location.longitude, 2)
    (31.33, -89.29)
    >>> import geopandas
    >>> geopandas.tools.geocode(["Lima, Peru"], provider=EmbeddedGeocoder).address.tolist()
    ['Lima, Municipalidad Metropolitana de Lima, Peru']
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **_ignored):
        from .resolve import Resolver  # resolve imports recognise; keep this module light to import

        self.gazetteer = gazetteer or Gazetteer(ensure_built())
        self._resolver = Resolver(self.gazetteer)

    def geocode(self, query: str, exactly_one: bool = True, timeout=None, *, language: str | None = None, **_ignored):
        """The place ``query`` names, or None; with ``exactly_one=False`` all its candidates, best first."""
        parts, mentions, pos = [], [], 0
        for part in str(query).split(","):
            lead = len(part) - len(part.lstrip())
            word = part.strip()
            if word:
                start = pos + lead
                mentions.append(Mention("query", start, start + len(word), word))
            pos += len(part) + 1
            parts.append(part)
        if not mentions:
            return None if exactly_one else []
        doc = Document("query", ",".join(parts), language)
        best = self._resolver.resolve(doc, mentions)[0]
        if best.precision != Precision.EXACT or best.place is None:
            return None if exactly_one else []
        if exactly_one:
            return self._location(best.place, best.confidence)
        others = [p for p, _ in self._resolver.candidates(mentions[0]) if p.place_id != best.place.place_id]
        return [self._location(best.place, best.confidence)] + [self._location(p, None) for p in others]

    def _location(self, place: Place, confidence: float | None) -> Location:
        parts = [place.name]
        if place.kind not in (Kind.COUNTRY, Kind.CONTINENT, Kind.ADMIN1) and place.admin1:
            outer = self.gazetteer.admin1(place.country_code, place.admin1)
            if outer is not None and outer.name != place.name:
                parts.append(outer.name)
        if place.kind not in (Kind.COUNTRY, Kind.CONTINENT) and place.country_code:
            country = self.gazetteer.country(place.country_code)
            parts.append(country.name if country is not None else place.country_code)
        raw = {
            "place_id": place.place_id, "name": place.name, "kind": str(place.kind), "lat": place.lat,
            "lon": place.lon, "country_code": place.country_code, "admin1": place.admin1,
            "population": place.population, "feature_code": place.feature_code, "layer": place.layer,
            "confidence": confidence,
        }
        return Location(", ".join(parts), (place.lat, place.lon), raw)


# --------------------------------------------------------------------------- online

def refine_query(resolution: Resolution) -> str:
    """What to ask a service about a mention: its surface and the unit it fell back to.

    >>> from geo.model import Mention, Place, Kind, Precision, Resolution
    >>> ms = Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")
    >>> refine_query(Resolution(Mention("d", 0, 11, "Camp Shelby"), ms, Kind.FEATURE, Precision.ADMIN1, 0.6))
    'Camp Shelby, Mississippi'
    """
    surface = " ".join(resolution.mention.surface.split())
    place = resolution.place
    if place is None or place.name == surface:
        return surface
    return f"{surface}, {place.name}"


class OnlineRefiner:
    """Places, through an online geopy service, the mentions the gazetteer could not place exactly.

    Parameters
    ----------
    service : a geopy service name (``"nominatim"``, ``"photon"``, ...; see
        ``geopy.geocoders.SERVICE_TO_GEOCODER``) or a geopy geocoder instance.
    options : ``--geocoder-option`` values. Keys of the service's constructor
        (``domain``, ``scheme``, ``api_key``, ``user_agent``, ``timeout``...) or of its
        ``geocode()`` (``country_codes``, ``language``...) go to the service;
        ``min_delay``, ``max_retries``, ``backoff``, ``max_wait``,
        ``max_failures`` and ``cache`` are ours (see the keyword arguments).
        Values may be strings; they are converted to the type the option expects.
    cache_path : the SQLite cache; default ``geocoder-cache.sqlite`` in
        :func:`geo.cache.cache_dir`. ``"none"`` keeps answers in memory only.
    min_delay : seconds between two requests (geopy's ``RateLimiter``).
    max_retries, backoff, max_wait : a failed request is retried up to
        ``max_retries`` times, after ``backoff``, ``2 * backoff``, ... seconds
        (at most ``max_wait``), or after the ``Retry-After`` a 429 asked for.
    max_failures : after this many mentions in a row whose requests all
        failed, the service is not asked again in this run.
    sleep, warn : injected for tests and the CLI (``warn(message)``).
    """

    def __init__(self, service, options: Mapping[str, object] | None = None, cache_path: str | Path | None = None, *,
                 min_delay: float = 1.0, max_retries: int = 3, backoff: float = 1.0, max_wait: float = 30.0,
                 max_failures: int = 3, sleep: Callable[[float], None] = time.sleep,
                 warn: Callable[[str], None] | None = None):
        options = dict(options or {})
        own = {k: options.pop(k) for k in list(options) if k in _OWN_OPTIONS}
        settings = {"min_delay": min_delay, "max_retries": max_retries, "backoff": backoff, "max_wait": max_wait,
                    "max_failures": max_failures, "cache": cache_path}
        for key, value in own.items():
            settings[key] = _convert(_OWN_OPTIONS[key], key, value, "geo")
        self.min_delay = max(0.0, float(settings["min_delay"]))
        self.max_retries = max(0, int(settings["max_retries"]))
        self.backoff = max(0.0, float(settings["backoff"]))
        self.max_wait = max(0.0, float(settings["max_wait"]))
        self.max_failures = max(1, int(settings["max_failures"]))
        self._sleep = sleep
        self._warn = warn or log.warning

        if isinstance(service, str):
            self.name = service.strip().lower()
            self.geocoder, self._geocode_kwargs, key_options = _build(self.name, options)
        else:
            if options:
                raise GeocoderError("options are for a service given by name; configure the geocoder instance "
                                    "you passed instead")
            self.geocoder, self._geocode_kwargs = service, {}
            self.name = type(service).__name__.lower()
            key_options = {k: getattr(service, k) for k in ("domain", "scheme", "api")
                           if isinstance(getattr(service, k, None), str)}
        self._key_prefix = json.dumps([self.name, key_options], sort_keys=True, default=str)
        self._limited = RateLimiter(self.geocoder.geocode, min_delay_seconds=self.min_delay, max_retries=0,
                                    error_wait_seconds=self.min_delay, swallow_exceptions=False)
        self._cache = _Cache(settings["cache"], self._warn)
        self._failures_in_a_row = 0
        self.disabled = False
        self.last_failed = False
        self.stats = {"refined": 0, "not_found": 0, "failed": 0, "requests": 0, "cached": 0}

    # -- geopy's contract
    def geocode(self, query: str, exactly_one: bool = True) -> Location | list[Location] | None:
        """The service's answer for ``query``, from the cache if it was asked before.

        None when the service knows no such place or could not be reached
        (``self.last_failed`` tells which).
        """
        found = self._answer(str(query))
        if exactly_one:
            return found
        return [found] if found is not None else []

    # -- the pipeline hook
    def refine(self, resolutions: Iterable[Resolution]) -> list[Resolution]:
        """The resolutions, with every non-exact one the service could place made exact."""
        out = []
        for r in resolutions:
            if r.precision == Precision.EXACT or r.kind == Kind.DEMONYM:
                out.append(r)
                continue
            location = self.geocode(refine_query(r))
            if location is None:
                self.stats["failed" if self.last_failed else "not_found"] += 1
                out.append(r)
                continue
            self.stats["refined"] += 1
            out.append(self._resolution(r, location))
        return out

    def summary(self) -> str:
        s = self.stats
        line = (f"{self.name}: {s['refined']} mentions placed, {s['not_found']} not found, {s['failed']} failed "
                f"(embedded answer kept); {s['requests']} requests, {s['cached']} answers from the cache")
        return line + ("; stopped asking after repeated failures" if self.disabled else "")

    def close(self) -> None:
        self._cache.close()

    # -- internals
    def _answer(self, query: str) -> Location | None:
        self.last_failed = False
        key = hashlib.sha256(f"{self._key_prefix}\n{query}".encode("utf-8")).hexdigest()
        hit = self._cache.get(key)
        if hit is not None:
            self.stats["cached"] += 1
            return hit[0]
        if self.disabled:
            self.last_failed = True
            return None
        ok, location = self._ask(query)
        if not ok:
            self.last_failed = True
            self._failures_in_a_row += 1
            if self._failures_in_a_row >= self.max_failures:
                self.disabled = True
                self._warn(f"geocoder {self.name}: {self._failures_in_a_row} mentions in a row failed; not asking "
                           "it again in this run (the embedded answers are kept; rerun later to retry)")
            return None
        self._failures_in_a_row = 0
        self._cache.put(key, self.name, query, location)
        return location

    def _ask(self, query: str) -> tuple[bool, Location | None]:
        """``(True, answer)``, or ``(False, None)`` after the retries, with a warning."""
        attempt = 0
        while True:
            self.stats["requests"] += 1
            try:
                location = self._limited(query, exactly_one=True, **self._geocode_kwargs)
                return True, _checked(location)
            except Exception as exc:  # noqa: BLE001 - a service must never fail the run
                why = _describe(exc)
                if not _retryable(exc) or attempt >= self.max_retries:
                    tries = f" after {attempt + 1} tries" if attempt else ""
                    self._warn(f"geocoder {self.name}: {query!r}: {why}{tries}; kept the embedded answer")
                    return False, None
                wait = self._wait(exc, attempt)
                if wait is None:
                    self._warn(f"geocoder {self.name}: {query!r}: {why}, asked to wait {exc.retry_after} s (more "
                               f"than max_wait={self.max_wait:g}); kept the embedded answer")
                    return False, None
                log.info("geocoder %s: %r: %s; retrying in %.2f s", self.name, query, why, wait)
                self._sleep(wait)
                attempt += 1

    def _wait(self, exc: Exception, attempt: int) -> float | None:
        retry_after = getattr(exc, "retry_after", None) if isinstance(exc, GeocoderRateLimited) else None
        if retry_after is not None:
            return float(retry_after) if retry_after <= self.max_wait else None
        return min(self.backoff * 2 ** attempt, self.max_wait)

    def _resolution(self, r: Resolution, location: Location) -> Resolution:
        raw = location.raw if isinstance(location.raw, Mapping) else {}
        outer = r.place
        name = (location.address or "").split(",")[0].strip() or r.mention.surface
        place = Place(_place_id(self.name, location), name, r.kind, location.latitude, location.longitude,
                      outer.country_code if outer else str(raw.get("country_code", "") or "").upper(),
                      outer.admin1 if outer and outer.kind != Kind.COUNTRY else "", 0, "", f"geocoder:{self.name}")
        confidence = _CONFIDENCE_IN_CONTEXT if outer is not None else _CONFIDENCE_ALONE
        alternatives = (outer,) if outer is not None else ()
        return Resolution(r.mention, place, r.kind, Precision.EXACT, confidence, alternatives)


def _build(name: str, options: dict) -> tuple[object, dict, dict]:
    """The geopy geocoder for a service name, the geocode() kwargs, and the options that key the cache."""
    from geopy.geocoders import get_geocoder_for_service

    from geopy.geocoders import SERVICE_TO_GEOCODER

    try:
        cls = get_geocoder_for_service(name)
    except GeopyError:
        raise GeocoderError(f"--geocoder {name!r}: Unknown geocoder {name!r}; options are: "
                            f"{', '.join(sorted(SERVICE_TO_GEOCODER))}") from None
    init = inspect.signature(cls.__init__).parameters
    geocode = inspect.signature(cls.geocode).parameters
    ctor, call = {"user_agent": USER_AGENT}, {}
    if "adapter_factory" in init:
        ctor["adapter_factory"] = _adapter_factory()
    for key, value in options.items():
        if key in init and key != "self":
            ctor[key] = _convert(init[key].default, key, value, name)
        elif key in geocode and key not in ("self", "query", "exactly_one"):
            call[key] = _convert(geocode[key].default, key, value, name)
        else:
            known = sorted({*init, *geocode, *_OWN_OPTIONS} - {"self", "query", "exactly_one", "kwargs"})
            raise GeocoderError(f"--geocoder-option {key}: not an option of {name}; options are: {', '.join(known)}")
    try:
        coder = cls(**ctor)
    except (GeopyError, TypeError, ValueError) as exc:
        raise GeocoderError(f"--geocoder {name}: {exc}; pass what it needs with --geocoder-option KEY=VALUE") from None
    keyed = {k: v for k, v in {**ctor, **call}.items() if k not in _TRANSPORT_OPTIONS}
    return coder, call, keyed


def _adapter_factory():
    """geopy's HTTP adapter without retries of its own: ours are the only ones (counted, backed off)."""
    from functools import partial

    from geopy.adapters import RequestsAdapter, URLLibAdapter

    return partial(RequestsAdapter, max_retries=0) if RequestsAdapter.is_available else URLLibAdapter


def _convert(default, key: str, value, service: str):
    """A --geocoder-option string as the type the option's default (or our table) says."""
    if not isinstance(value, str):
        return value
    kind = default if isinstance(default, type) else type(default)
    try:
        if kind is bool:
            low = value.strip().lower()
            if low not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return low in ("true", "1", "yes")
        if kind in (int, float):
            return kind(value)
        if key == "timeout":
            return float(value)
    except ValueError:
        expected = {bool: "true or false", int: "a whole number", float: "a number"}.get(kind, kind.__name__)
        raise GeocoderError(f"--geocoder-option {key}={value}: expected {expected}") from None
    return value


def _checked(location):
    """A service's answer, or ValueError if it is not a point on Earth (a malformed answer)."""
    if location is None:
        return None
    if isinstance(location, list):
        location = location[0] if location else None
        if location is None:
            return None
    lat, lon = location.latitude, location.longitude
    # geopy puts an answer that has no coordinates at (0, 0); no real place is geocoded exactly there
    if not (isinstance(lat, float) and isinstance(lon, float) and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0.0, 0.0):
        raise GeocoderParseError(f"answer without valid coordinates ({lat!r}, {lon!r})")
    return location


def _retryable(exc: Exception) -> bool:
    # Timeouts, 429, 5xx (geopy: plain GeocoderServiceError, or Unavailable) and unparsable answers
    # may pass; a bad query, a refused key or a spent quota will not, so those are not retried.
    return isinstance(exc, (GeocoderTimedOut, GeocoderRateLimited, GeocoderUnavailable, GeocoderParseError)) \
        or type(exc) is GeocoderServiceError


def _describe(exc: Exception) -> str:
    if isinstance(exc, GeocoderRateLimited):
        return "rate limited (HTTP 429)"
    if isinstance(exc, GeocoderTimedOut):
        return "timed out"
    if isinstance(exc, GeocoderParseError):
        return "malformed answer"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def _place_id(service: str, location: Location) -> str:
    raw = location.raw if isinstance(location.raw, Mapping) else {}
    if raw.get("osm_type") and raw.get("osm_id") is not None:
        return f"{service}:{raw['osm_type']}/{raw['osm_id']}"
    digest = hashlib.sha1(f"{location.address}|{location.latitude:.5f}|{location.longitude:.5f}".encode()).hexdigest()
    return f"{service}:{digest[:12]}"


class _Cache:
    """Answers by key in SQLite (None = "not found"), committed one by one so an interrupted run keeps them."""

    def __init__(self, path, warn):
        if path is None:
            from .cache import cache_dir

            path = cache_dir() / CACHE_FILE
        self._memory: dict[str, tuple[Location | None]] = {}
        self._con = None
        if str(path).lower() == "none":
            return
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(str(path))
            self._con.execute("CREATE TABLE IF NOT EXISTS answers(key TEXT PRIMARY KEY, service TEXT, query TEXT, "
                              "found INTEGER, address TEXT, lat REAL, lon REAL, raw TEXT, fetched TEXT)")
            self._con.commit()
        except (OSError, sqlite3.Error) as exc:
            warn(f"geocoder cache {path}: cannot be used ({exc}); answers are kept for this run only")
            self._con = None

    def get(self, key: str) -> tuple[Location | None] | None:
        if key in self._memory:
            return self._memory[key]
        if self._con is None:
            return None
        row = self._con.execute("SELECT found, address, lat, lon, raw FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        found, address, lat, lon, raw = row
        hit = (Location(address, (lat, lon), json.loads(raw)) if found else None,)
        self._memory[key] = hit
        return hit

    def put(self, key: str, service: str, query: str, location: Location | None) -> None:
        self._memory[key] = (location,)
        if self._con is None:
            return
        if location is None:
            values = (key, service, query, 0, None, None, None, "null")
        else:
            raw = json.dumps(location.raw, ensure_ascii=False, default=str)
            values = (key, service, query, 1, location.address, location.latitude, location.longitude, raw)
        try:
            self._con.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?,?,?)",
                              (*values, time.strftime("%Y-%m-%dT%H:%M:%S")))
            self._con.commit()
        except sqlite3.Error as exc:  # a full disk must not stop the run
            log.warning("geocoder cache: %s", exc)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
