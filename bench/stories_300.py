"""300 dated articles from three outlets, mapped in time: the screenshots of the time histogram, range and stories.

    .venv/bin/python bench/stories_300.py                  # JSONL, map and shots into /tmp/geo-stories-300
    .venv/bin/python bench/stories_300.py --no-shots

The same 300 development articles as bench/explore_300.py (100 LGL, 50
GeoVirus, 150 CEGEOMEX; ../shared/eval/data, never copied into the
repository) get what real feeds carry: a date (spread over a year, from
2025-03-01 to 2026-02-28, seeded, with a busier autumn), an outlet per corpus,
a made-up http(s) URL and a title that is not taken from the text. The JSONL
is written outside the repository and mapped with ``geo map`` (the whole path:
metadata, focus, documents.parquet, map.html). The shots show the histogram,
the range filter and the stories view on a desktop and a phone; story
popups hide the article's first lines and place popups its passages: the
corpora are not ours to publish.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from explore_300 import CHROMIUM, DESKTOP, EVAL, PHONE, SOURCES, Shots  # noqa: E402

OUTLETS = {"lgl.jsonl": "Local Ledger", "geovirus.jsonl": "World Health Wire", "es_cegeomex.jsonl": "Diario del Norte"}
START, DAYS = dt.date(2025, 3, 1), 365
HIDE = ".geo-story-lines, .geo-passages, .geo-more-note { display: none !important; }"


def dated_articles(seed: int = 300) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for name, n in SOURCES.items():
        with open(EVAL / name, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        for k, r in enumerate(sorted(rng.sample(records, n), key=lambda r: r["id"])):
            # a year of news, a third of it in a busy autumn
            day = rng.randrange(DAYS) if rng.random() < 0.67 else 200 + rng.randrange(60)
            date = START + dt.timedelta(days=day)
            outlet = OUTLETS[name]
            spanish = name.startswith("es_")
            written = (f"{date.day} de {_MESES[date.month - 1]} de {date.year}" if spanish
                       else date.strftime("%B %d, %Y") if k % 2 else date.isoformat())
            out.append({"id": r["id"], "lang": r.get("lang"), "text": r["text"], "date": written, "source": outlet,
                        "title": f"{outlet}: story {k + 1}",
                        "url": f"https://{outlet.lower().replace(' ', '-')}.example/{date:%Y/%m}/{r['id']}"})
    return out


_MESES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


def build(out: Path) -> Path:
    from geo.cli import main as geo

    out.mkdir(parents=True, exist_ok=True)
    path = out / "stories.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for a in dated_articles():
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    code = geo(["map", str(path), "-o", str(out / "map"), "--no-progress", "--title", "300 stories, three outlets, a year"])
    print(f"geo map: exit {code} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    import geopandas as gpd

    docs = gpd.read_parquet(out / "map" / "documents.parquet")
    print(f"documents.parquet: {len(docs)} rows, {docs['date'].notna().sum()} dated "
          f"({docs['date'].min():%Y-%m-%d} to {docs['date'].max():%Y-%m-%d}), {docs['focus_name'].notna().sum()} "
          f"with a focus; by kind: {docs['focus_kind'].value_counts().to_dict()}", file=sys.stderr)
    return out / "map" / "map.html"


def screenshots(path: Path) -> None:
    from playwright.sync_api import sync_playwright

    import explore_300

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        # 1. Desktop: a range chosen (autumn), the histogram, places and counts of that range only.
        s = Shots(browser, path, DESKTOP, "#from=2025-09-15&to=2025-11-30")
        s.page.add_style_tag(content=HIDE)
        s.page.locator("#geo-filters").evaluate("e => e.open = false")
        s.take("desktop-time-range.png")
        s.page.close()

        # 2. Desktop: the stories view, one marker per story at its focus, a story's popup open.
        s = Shots(browser, path, DESKTOP, "#from=2025-09-15&to=2025-11-30")
        s.page.add_style_tag(content=HIDE)
        s.page.locator("#geo-filters").evaluate("e => e.open = false")
        s.page.locator("#geo-viewswitch input[value=stories]").check()
        s.settle(600)
        s.page.evaluate("""() => {
            const m = document.querySelector('.leaflet-marker-pane .geo-story');
            if (m) m.click();
        }""")
        s.take("desktop-stories.png")
        s.page.close()

        # 3. Desktop: a place's popup with the strip of when it was mentioned.
        s = Shots(browser, path, DESKTOP)
        s.page.add_style_tag(content=HIDE)
        s.page.locator("#geo-filters").evaluate("e => e.open = false")
        s.page.locator("#geo-place-list .geo-row").first.click()
        s.take("desktop-place-strip.png")
        s.page.close()

        # 4. Phone: the map above, the time panel below; 5. the stories view.
        s = Shots(browser, path, PHONE, "#from=2025-09-15&to=2025-11-30")
        s.page.add_style_tag(content=HIDE)
        s.take("phone-time-range.png")
        s.page.locator("#geo-viewswitch input[value=stories]").check()
        s.settle(600)
        s.take("phone-stories.png")
        s.page.close()
        browser.close()
    assert explore_300.SHOTS.is_dir()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/geo-stories-300"))
    parser.add_argument("--no-shots", action="store_true")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"{EVAL} not found: this script needs the development corpora beside the repository", file=sys.stderr)
        return 2
    path = build(args.out)
    if not args.no_shots:
        screenshots(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
