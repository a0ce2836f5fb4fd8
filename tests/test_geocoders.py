"""geo.geocoders against a fake Nominatim on 127.0.0.1 (port 0): success, cache, and each failure.

No test touches the internet: every service URL points at the server below.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from geo.cli import main
from geo.errors import GeocoderError
from geo.geocoders import USER_AGENT, EmbeddedGeocoder, OnlineRefiner, refine_query
from geo.model import Kind, Mention, Place, Precision, Resolution

CAMP_SHELBY = {"place_id": 1, "osm_type": "way", "osm_id": 123456, "lat": "31.1839", "lon": "-89.2036",
               "display_name": "Camp Shelby, Forrest County, Mississippi, United States",
               "class": "military", "type": "base", "importance": 0.4}
MISSISSIPPI = Place("gn:4436296", "Mississippi", Kind.ADMIN1, 32.75, -89.75, "US", "MS")


class FakeNominatim(ThreadingHTTPServer):
    """Answers /search like Nominatim. ``script`` holds the next responses to give, in order:
    ``("status", code, headers, body)``, ``("sleep", seconds)`` (then the normal answer) or
    ``("body", text)`` (200 with that body); afterwards ``default`` (None: the normal answer)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.places = {"camp shelby, mississippi": [CAMP_SHELBY]}
        self.requests: list[dict] = []
        self.script: list[tuple] = []
        self.default: tuple | None = None
        self.lock = threading.Lock()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_port}"

    def queries(self) -> list[str]:
        return [r["q"] for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        server: FakeNominatim = self.server
        url = urlparse(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        with server.lock:
            server.requests.append({"path": url.path, "q": params.get("q"), "params": params,
                                    "user_agent": self.headers.get("User-Agent")})
            action = server.script.pop(0) if server.script else server.default
        if action and action[0] == "sleep":
            time.sleep(action[1])
            action = None
        if action and action[0] == "status":
            _, code, headers, body = action
            return self._send(code, body, headers)
        if action and action[0] == "body":
            return self._send(200, action[1])
        found = server.places.get((params.get("q") or "").lower(), [])
        self._send(200, json.dumps(found[: int(params.get("limit", 10))]))

    def _send(self, code: int, body: str, headers: dict | None = None):
        data = body.encode("utf-8")
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim():
    server = FakeNominatim()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class Recorder:
    """Stands in for time.sleep and the CLI's warning printer."""

    def __init__(self):
        self.sleeps: list[float] = []
        self.warnings: list[str] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@pytest.fixture
def rec():
    return Recorder()


# a timeout no answer of the local server comes near, even on a busy machine (the tests of timeouts set
# their own, below the server's scripted delay)
TIMEOUT = "5"
SHORT_TIMEOUT = {"timeout": "0.25"}  # with the server's ("sleep", 0.6): every try times out


def make_refiner(server, tmp_path, rec, **kwargs):
    options = {"domain": server.domain, "scheme": "http", "timeout": TIMEOUT, **kwargs.pop("options", {})}
    settings = {"min_delay": 0, "max_retries": 3, "backoff": 0.01, "max_wait": 5.0, **kwargs}
    return OnlineRefiner("nominatim", options, tmp_path / "geocoder.sqlite", sleep=rec.sleep, warn=rec.warn,
                         **settings)


def fallback(surface="Camp Shelby", outer=MISSISSIPPI, precision=Precision.ADMIN1, start=0):
    mention = Mention("d", start, start + len(surface), surface)
    return Resolution(mention, outer, Kind.FEATURE, precision, 0.35)


# -- success and the shape of a refined resolution -------------------------------------------------

def test_a_fallback_becomes_an_exact_place_from_the_service(nominatim, tmp_path, rec):
    refiner = make_refiner(nominatim, tmp_path, rec)
    [r] = refiner.refine([fallback()])
    assert r.precision == Precision.EXACT and r.kind == Kind.FEATURE
    assert (r.place.lat, r.place.lon) == (31.1839, -89.2036)
    assert r.place.place_id == "nominatim:way/123456"
    assert r.place.name == "Camp Shelby" and r.place.country_code == "US" and r.place.admin1 == "MS"
    assert r.place.layer == "geocoder:nominatim"
    assert r.confidence == 0.6 and r.alternatives == (MISSISSIPPI,)
    [req] = nominatim.requests
    assert req["q"] == "Camp Shelby, Mississippi" and req["path"] == "/search"
    assert req["user_agent"] == USER_AGENT == "geo/0.1.0 (+https://pypi.org/project/geo)"
    assert rec.warnings == [] and rec.sleeps == []
    assert refiner.stats["refined"] == 1


def test_exact_resolutions_and_demonyms_are_not_asked(nominatim, tmp_path, rec):
    refiner = make_refiner(nominatim, tmp_path, rec)
    exact = Resolution(Mention("d", 0, 11, "Mississippi"), MISSISSIPPI, Kind.ADMIN1, Precision.EXACT, 0.9)
    demonym = Resolution(Mention("d", 20, 29, "mexicanos", demonym=True), None, Kind.DEMONYM,
                         Precision.UNRESOLVED, 0.0)
    assert refiner.refine([exact, demonym]) == [exact, demonym]
    assert nominatim.requests == []


def test_an_unresolved_mention_is_asked_alone_with_lower_confidence(nominatim, tmp_path, rec):
    nominatim.places["fort nowhere"] = [dict(CAMP_SHELBY, osm_type="node", osm_id=9)]
    [r] = make_refiner(nominatim, tmp_path, rec).refine([fallback("Fort Nowhere", None, Precision.UNRESOLVED)])
    assert nominatim.queries() == ["Fort Nowhere"]
    assert r.precision == Precision.EXACT and r.confidence == 0.4 and r.place.place_id == "nominatim:node/9"


def test_not_found_keeps_the_embedded_answer_without_a_warning(nominatim, tmp_path, rec):
    refiner = make_refiner(nominatim, tmp_path, rec)
    original = fallback("Camp Nothing")
    assert refiner.refine([original]) == [original]
    assert rec.warnings == [] and refiner.stats["not_found"] == 1


def test_user_agent_and_service_options_are_passed(nominatim, tmp_path, rec):
    refiner = make_refiner(nominatim, tmp_path, rec,
                           options={"user_agent": "my-study/2.0 (me@example.org)", "country_codes": "us"})
    refiner.refine([fallback()])
    [req] = nominatim.requests
    assert req["user_agent"] == "my-study/2.0 (me@example.org)"
    assert req["params"]["countrycodes"] == "us"


# -- the cache ------------------------------------------------------------------------------------

def test_a_rerun_asks_nothing_twice(nominatim, tmp_path, rec):
    batch = [fallback(), fallback("Camp Nothing", start=40), fallback(start=80)]
    first = make_refiner(nominatim, tmp_path, rec).refine(batch)
    assert nominatim.queries() == ["Camp Shelby, Mississippi", "Camp Nothing, Mississippi"]  # the repeat is cached
    nominatim.requests.clear()
    again = make_refiner(nominatim, tmp_path, rec)  # a new run: a new process would open the same file
    assert again.refine(batch) == first
    assert nominatim.requests == []  # "not found" is remembered too
    assert again.stats["cached"] == 3 and again.stats["requests"] == 0


def test_the_cache_is_keyed_by_service_options(nominatim, tmp_path, rec):
    make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    make_refiner(nominatim, tmp_path, rec, options={"country_codes": "us"}).refine([fallback()])
    assert len(nominatim.requests) == 2  # another question, another answer
    make_refiner(nominatim, tmp_path, rec, options={"user_agent": "other/1"}).refine([fallback()])
    assert len(nominatim.requests) == 2  # the user agent does not change the answer


def test_failures_are_not_cached(nominatim, tmp_path, rec):
    nominatim.script = [("status", 500, {}, "oops")] * 4
    make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    nominatim.requests.clear()
    [r] = make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    assert len(nominatim.requests) == 1 and r.precision == Precision.EXACT


def test_the_cache_is_in_the_user_cache_dir_by_default(nominatim, tmp_path, rec, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    OnlineRefiner("nominatim", {"domain": nominatim.domain, "scheme": "http"}, min_delay=0).refine([fallback()])
    assert (tmp_path / "cache" / "geocoder-cache.sqlite").stat().st_size > 0


# -- failures: retried with backoff, then the embedded answer with a warning -------------------------

def test_a_timeout_is_retried(nominatim, tmp_path, rec):
    nominatim.script = [("sleep", 0.6)]
    [r] = make_refiner(nominatim, tmp_path, rec, options=SHORT_TIMEOUT).refine([fallback()])
    assert r.precision == Precision.EXACT
    assert len(nominatim.requests) == 2 and rec.sleeps == [0.01] and rec.warnings == []


def test_timeouts_every_time_fall_back_with_a_warning(nominatim, tmp_path, rec):
    nominatim.default = ("sleep", 0.6)
    original = fallback()
    refiner = make_refiner(nominatim, tmp_path, rec, max_retries=2, options=SHORT_TIMEOUT)
    assert refiner.refine([original]) == [original]
    assert len(nominatim.requests) == 3 and rec.sleeps == [0.01, 0.02]
    assert rec.warnings == ["geocoder nominatim: 'Camp Shelby, Mississippi': timed out after 3 tries; "
                            "kept the embedded answer"]
    assert refiner.stats["failed"] == 1


def test_429_waits_what_retry_after_says(nominatim, tmp_path, rec):
    nominatim.script = [("status", 429, {"Retry-After": "2"}, "slow down")]
    [r] = make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    assert r.precision == Precision.EXACT
    assert rec.sleeps == [2.0] and rec.warnings == []


def test_429_asking_for_too_long_a_wait_falls_back_at_once(nominatim, tmp_path, rec):
    nominatim.script = [("status", 429, {"Retry-After": "3600"}, "come back in an hour")]
    original = fallback()
    assert make_refiner(nominatim, tmp_path, rec, max_wait=30).refine([original]) == [original]
    assert rec.sleeps == [] and len(nominatim.requests) == 1
    assert "asked to wait 3600 s (more than max_wait=30)" in rec.warnings[0]


def test_429_without_retry_after_backs_off(nominatim, tmp_path, rec):
    nominatim.script = [("status", 429, {}, "")] * 2
    [r] = make_refiner(nominatim, tmp_path, rec, backoff=0.5).refine([fallback()])
    assert r.precision == Precision.EXACT and rec.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx_is_retried_then_answered(nominatim, tmp_path, rec, code):
    nominatim.script = [("status", code, {}, "<html>down</html>")] * 2
    [r] = make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    assert r.precision == Precision.EXACT
    assert len(nominatim.requests) == 3 and rec.sleeps == [0.01, 0.02]


def test_5xx_every_time_falls_back_with_a_warning(nominatim, tmp_path, rec):
    nominatim.default = ("status", 500, {}, "Internal Server Error")
    original = fallback()
    assert make_refiner(nominatim, tmp_path, rec, max_retries=1).refine([original]) == [original]
    assert len(nominatim.requests) == 2
    assert rec.warnings[0].startswith("geocoder nominatim: 'Camp Shelby, Mississippi': GeocoderServiceError")
    assert rec.warnings[0].endswith("after 2 tries; kept the embedded answer")


def test_malformed_json_is_retried_then_answered(nominatim, tmp_path, rec):
    nominatim.script = [("body", '[{"lat": "31.18", "lon": '), ("body", "<html>proxy error</html>")]
    [r] = make_refiner(nominatim, tmp_path, rec).refine([fallback()])
    assert r.precision == Precision.EXACT and len(nominatim.requests) == 3


def test_malformed_json_every_time_falls_back(nominatim, tmp_path, rec):
    nominatim.default = ("body", "{not json")
    original = fallback()
    assert make_refiner(nominatim, tmp_path, rec, max_retries=1).refine([original]) == [original]
    assert rec.warnings == ["geocoder nominatim: 'Camp Shelby, Mississippi': malformed answer after 2 tries; "
                            "kept the embedded answer"]


@pytest.mark.parametrize("body", ['[{"lat": "north", "lon": "west"}]', '[{"lat": "200", "lon": "10"}]',
                                  '[{"display_name": "no coordinates"}]', '{"error": "Bad query"}'])
def test_json_of_the_wrong_shape_falls_back(nominatim, tmp_path, rec, body):
    nominatim.default = ("body", body)
    original = fallback()
    assert make_refiner(nominatim, tmp_path, rec, max_retries=1).refine([original]) == [original]
    assert len(rec.warnings) == 1 and "kept the embedded answer" in rec.warnings[0]


def test_a_refused_request_is_not_retried(nominatim, tmp_path, rec):
    nominatim.default = ("status", 403, {}, "blocked: bad user agent")
    original = fallback()
    assert make_refiner(nominatim, tmp_path, rec).refine([original]) == [original]
    assert len(nominatim.requests) == 1 and "GeocoderInsufficientPrivileges" in rec.warnings[0]


def test_an_unreachable_service_falls_back(tmp_path, rec):
    with FakeNominatim() as closed:  # bound, then closed: nothing listens on the port
        domain = closed.domain
    refiner = OnlineRefiner("nominatim", {"domain": domain, "scheme": "http"}, tmp_path / "c.sqlite",
                            min_delay=0, max_retries=1, backoff=0.01, sleep=rec.sleep, warn=rec.warn)
    original = fallback()
    assert refiner.refine([original]) == [original]
    assert "GeocoderUnavailable" in rec.warnings[0]


def test_a_service_failing_again_and_again_is_left_alone(nominatim, tmp_path, rec):
    nominatim.default = ("status", 500, {}, "down")
    refiner = make_refiner(nominatim, tmp_path, rec, max_retries=0, max_failures=2)
    batch = [fallback(f"Camp {n}", start=20 * n) for n in range(6)]
    assert refiner.refine(batch) == batch
    assert len(nominatim.requests) == 2 and refiner.disabled
    assert "2 mentions in a row failed; not asking it again" in rec.warnings[-1]
    assert refiner.stats["failed"] == 6


def test_the_rate_limiter_spaces_requests(nominatim, tmp_path, rec):
    refiner = make_refiner(nominatim, tmp_path, rec, min_delay=0.15)
    start = time.perf_counter()
    refiner.refine([fallback(f"Camp {n}", start=20 * n) for n in range(3)])
    assert time.perf_counter() - start >= 0.29
    assert isinstance(refiner._limited, RateLimiter)


# -- configuration errors ---------------------------------------------------------------------------

def test_an_unknown_service_names_the_options():
    with pytest.raises(GeocoderError) as exc:
        OnlineRefiner("nominatimm")
    message = str(exc.value)
    assert message.startswith("--geocoder 'nominatimm': Unknown geocoder 'nominatimm'; options are: ")
    assert "nominatim" in message and "photon" in message
    assert isinstance(exc.value, RuntimeError)


def test_an_unknown_option_names_the_valid_ones():
    with pytest.raises(GeocoderError, match=r"--geocoder-option colour: not an option of nominatim; options are: "
                                            r".*country_codes.*domain.*"):
        OnlineRefiner("nominatim", {"colour": "red"})


def test_an_option_of_the_wrong_type_says_what_is_expected():
    with pytest.raises(GeocoderError, match=r"^--geocoder-option max_retries=many: expected a whole number$"):
        OnlineRefiner("nominatim", {"max_retries": "many"})
    with pytest.raises(GeocoderError, match=r"^--geocoder-option bounded=maybe: expected true or false$"):
        OnlineRefiner("nominatim", {"bounded": "maybe"})


def test_a_service_that_needs_a_key_says_how_to_give_it():
    with pytest.raises(GeocoderError, match=r"--geocoder googlev3: .*api_key.*--geocoder-option KEY=VALUE"):
        OnlineRefiner("googlev3")


def test_refine_query_uses_the_unit_the_mention_fell_back_to():
    assert refine_query(fallback()) == "Camp Shelby, Mississippi"
    assert refine_query(fallback("  Fort\nBliss ", None, Precision.UNRESOLVED)) == "Fort Bliss"


# -- through the CLI --------------------------------------------------------------------------------

def _cli_options(nominatim, tmp_path, *extra):
    args = ["--geocoder", "nominatim"]
    for option in (f"domain={nominatim.domain}", "scheme=http", f"timeout={TIMEOUT}", "min_delay=0", "backoff=0.01",
                   f"cache={tmp_path / 'geocoder.sqlite'}", *extra):
        args += ["--geocoder-option", option]
    return args


@pytest.mark.usefixtures("cli_cache")
def test_cli_map_places_camp_shelby_through_the_service_and_reruns_from_cache(nominatim, tmp_path, capsys):
    doc = tmp_path / "a.txt"
    doc.write_text("Llegaron a Camp Shelby, Misisipi, desde México.", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["map", str(doc), "-o", str(out), "--no-progress", *_cli_options(nominatim, tmp_path)]
    assert main(argv) == 0
    places = gpd.read_parquet(out / "places.parquet").set_index("name")
    assert places.loc["Camp Shelby", "precision"] == "exact"
    assert places.loc["Camp Shelby", "place_id"] == "nominatim:way/123456"
    assert places.loc["Camp Shelby", "geometry"].coords[0] == (-89.2036, 31.1839)
    assert nominatim.queries() == ["Camp Shelby, Mississippi"]
    assert "geo: geocoder nominatim: 1 mentions placed, 0 not found, 0 failed" in capsys.readouterr().err
    first = (out / "mentions.parquet").read_bytes()
    nominatim.requests.clear()
    assert main(argv) == 0
    assert nominatim.requests == [] and (out / "mentions.parquet").read_bytes() == first


@pytest.mark.usefixtures("cli_cache")
@pytest.mark.slow
def test_cli_map_with_jobs_asks_the_service_from_the_main_process(nominatim, tmp_path, capsys):
    """Workers parse; the one refiner (one rate limit, one cache) stays in the main process."""
    for n in range(6):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{n}.txt").write_text(f"Nota {n}: llegaron a Camp Shelby, Misisipi.", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["map", str(tmp_path / "in"), "-o", str(out), "--no-progress", "--jobs", "2",
            *_cli_options(nominatim, tmp_path)]
    assert main(argv) == 0
    mentions = gpd.read_parquet(out / "mentions.parquet")
    shelby = mentions[mentions.surface == "Camp Shelby"]
    assert len(shelby) == 6 and set(shelby.precision) == {"exact"}
    assert nominatim.queries() == ["Camp Shelby, Mississippi"]  # asked once, then from the cache
    assert "6 mentions placed" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_cache")
def test_cli_map_keeps_the_embedded_answer_when_the_service_fails(nominatim, tmp_path, capsys):
    nominatim.default = ("status", 503, {}, "maintenance")
    doc = tmp_path / "a.txt"
    doc.write_text("Llegaron a Camp Shelby, Misisipi, desde México.", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["map", str(doc), "-o", str(out), "--no-progress", *_cli_options(nominatim, tmp_path, "max_retries=1")]
    assert main(argv) == 0  # a service never fails the run
    err = capsys.readouterr().err
    assert "geo: warning: geocoder nominatim: 'Camp Shelby, Mississippi': timed out after 2 tries; kept the " \
           "embedded answer" in err
    places = gpd.read_parquet(out / "places.parquet").set_index("name")
    assert places.loc["Camp Shelby", "precision"] == "admin1"


@pytest.mark.usefixtures("cli_cache")
def test_cli_unknown_geocoder_is_a_usage_error(tmp_path, capsys):
    doc = tmp_path / "a.txt"
    doc.write_text("Lima", encoding="utf-8")
    assert main(["map", str(doc), "-o", str(tmp_path / "o"), "--geocoder", "nope"]) == 2
    assert "geo: error: --geocoder 'nope': Unknown geocoder 'nope'; options are: arcgis," in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.usefixtures("cli_cache")
@pytest.mark.parametrize("argv, message", [
    (["--geocoder-option", "domain=x"], "--geocoder-option needs --geocoder NAME"),
    (["--geocoder", "nominatim", "--geocoder-option", "domain"], "expected KEY=VALUE"),
])
def test_cli_geocoder_option_errors(tmp_path, capsys, argv, message):
    doc = tmp_path / "a.txt"
    doc.write_text("Lima", encoding="utf-8")
    assert main(["map", str(doc), "-o", str(tmp_path / "o"), *argv]) == 2
    assert message in capsys.readouterr().err


# -- the embedded gazetteer as a geopy geocoder -----------------------------------------------------

@pytest.fixture(scope="module")
def embedded(gazetteer):
    return EmbeddedGeocoder(gazetteer)


def test_embedded_geocoder_follows_geopys_contract(embedded):
    loc = embedded.geocode("Hattiesburg, Mississippi")
    assert isinstance(loc, Location)
    assert loc.address == "Hattiesburg, Mississippi, United States"
    assert abs(loc.latitude - 31.33) < 0.1 and abs(loc.longitude + 89.29) < 0.1
    assert loc.raw["kind"] == "city" and loc.raw["country_code"] == "US"
    address, (lat, lon) = loc  # geopandas unpacks it so
    assert address == loc.address
    assert embedded.geocode("Zzyzxqv Nowhere") is None
    assert embedded.geocode("  ,  ") is None
    assert embedded.geocode("Zzyzxqv", exactly_one=False) == []


def test_embedded_geocoder_uses_the_other_parts_to_choose(embedded):
    assert embedded.geocode("Paris, Texas").raw["country_code"] == "US"
    assert embedded.geocode("Paris").raw["country_code"] == "FR"
    many = embedded.geocode("Paris", exactly_one=False)
    assert len(many) > 1 and many[0].raw["country_code"] == "FR"
    assert len({loc.raw["place_id"] for loc in many}) == len(many)


def test_embedded_geocoder_works_with_rate_limiter_and_geopandas(embedded, gazetteer):
    limited = RateLimiter(embedded.geocode, min_delay_seconds=0)
    assert limited("Lima, Peru").raw["country_code"] == "PE"
    frame = gpd.tools.geocode(["Hattiesburg, Mississippi", "Zzyzxqv Nowhere"], provider=EmbeddedGeocoder,
                              gazetteer=gazetteer)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].y == pytest.approx(31.33, abs=0.1) and frame.geometry.iloc[1].is_empty
    assert frame["address"].iloc[0] == "Hattiesburg, Mississippi, United States"
