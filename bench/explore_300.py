"""Map 300 English and Spanish news articles and take the screenshots in docs/screenshots.

    .venv/bin/python bench/explore_300.py                 # map into /tmp/geo-explore-300, shots into docs/
    .venv/bin/python bench/explore_300.py --out data/300  # elsewhere (data/ holds outputs only)

The articles come from the development corpora in ../shared/eval/data (never
copied into the repository): 100 from LGL and 50 from GeoVirus (English), 150
from CEGEOMEX (Spanish, Mexico), picked with a fixed seed. The map is written
with ``geo.explore(...).save_map()``; headless Chromium (Debian's, offline: only
the file is loaded, so the land is drawn from the embedded outlines) takes the
screenshots. The shots show lists, filters, areas and popups, never document
text: the corpora are not ours to publish.

Not run by the tests (it needs ../shared/eval and takes about half a minute).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval" / "data"
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SOURCES = {"lgl.jsonl": 100, "geovirus.jsonl": 50, "es_cegeomex.jsonl": 150}
DESKTOP, PHONE = (1400, 900), (390, 844)


def read_articles(seed: int = 300) -> list:
    import geo

    rng = random.Random(seed)
    docs = []
    for name, n in SOURCES.items():
        with open(EVAL / name, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        for r in sorted(rng.sample(records, n), key=lambda r: r["id"]):
            docs.append(geo.Document(r["id"], r["text"], r.get("lang")))
    return docs


def build(out: Path):
    import geo

    docs = read_articles()
    started = time.perf_counter()
    result = geo.explore(docs, title="300 news articles, English and Spanish")
    path = result.save_map(out / "map.html")
    s = result.summary().to_dict("records")[0]
    print(f"{s['documents']} documents, {s['mentions']} mentions, {s['places']} places, "
          f"{s['share_exact']:.0%} exact; map {path.stat().st_size / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s -> {path}", file=sys.stderr)
    return result, path


class Shots:
    """One browser page on the map, offline, that fails loudly on a page error."""

    def __init__(self, browser, path: Path, viewport, fragment: str = ""):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_function("() => window.geoMap && geoMap.idle()")
        # Popups quote the articles; the corpora are not ours to publish, so the shots leave the quotes out.
        self.page.add_style_tag(content=".geo-passages, .geo-more-note { display: none !important; }")

    def settle(self, ms: int = 900):
        self.page.wait_for_function("() => geoMap.idle()")
        self.page.wait_for_timeout(ms)

    def take(self, name: str):
        self.settle()
        if self.errors:
            raise RuntimeError(f"{name}: page errors: {self.errors}")
        target = SHOTS / name
        self.page.screenshot(path=str(target))
        print(f"wrote {target.relative_to(ROOT)}", file=sys.stderr)


def busiest_unit(result) -> str | None:
    """A fallback place whose area holds the most fallback places (a popup listing them shows no text)."""
    fallback = result.places[result.places["precision"] != "exact"]
    if fallback.empty:
        return None
    sizes = fallback.groupby(["gazetteer_id", "precision"])["place_id"].transform("size")
    return fallback.assign(size=sizes).sort_values(["size", "mention_count"], ascending=False).iloc[0]["place_id"]


def screenshots(result, path: Path) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    approx_id = busiest_unit(result)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        # 1. Desktop: everything, the panel with its filters and the place list.
        s = Shots(browser, path, DESKTOP)
        s.take("desktop-overview.png")
        s.page.close()

        # 2. Desktop: honest uncertainty. Cities hidden; the area of a place known only
        #    to its state, with the popup that lists the places drawn there.
        s = Shots(browser, path, DESKTOP)
        s.page.locator("input[name=kind][value=city]").uncheck()
        if approx_id:
            s.page.locator("#geo-place-search").fill(result.places.set_index("place_id").loc[approx_id, "name"])
            s.page.locator(f'#geo-place-list .geo-row[data-place-id="{approx_id}"]').click()
            s.settle(600)
            s.page.evaluate("id => geoMap.openArea(id)", approx_id)
            s.page.locator("#geo-place-search").fill("")
            s.page.locator("#geo-place-search").blur()
        s.take("desktop-uncertainty.png")
        s.page.close()

        # 3. Desktop: countries shaded by mentions, confidence at least 0.5.
        s = Shots(browser, path, DESKTOP)
        s.page.locator("#geo-shade").check()
        s.page.eval_on_selector("#geo-confidence",
                                "e => { e.value = '0.5'; e.dispatchEvent(new Event('change')); }")
        s.take("desktop-shaded.png")
        s.page.close()

        # 4. Phone: the map above, the panel below.
        s = Shots(browser, path, PHONE)
        s.take("phone-overview.png")
        # 5. Phone: filters open, a kind switched off, a place chosen from the list.
        s.page.locator("#geo-filters > summary").click()
        s.page.locator("input[name=kind][value=demonym]").uncheck()
        s.page.locator("#geo-filters > summary").click()
        top = s.page.locator("#geo-place-list .geo-row").first
        top.click()
        s.take("phone-place.png")
        s.page.locator("#geo-filters > summary").click()
        s.page.keyboard.press("Escape")
        s.take("phone-filters.png")
        s.page.close()
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/geo-explore-300"), help="folder for map.html")
    parser.add_argument("--no-shots", action="store_true", help="only build the map")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"{EVAL} not found: this script needs the development corpora beside the repository", file=sys.stderr)
        return 2
    result, path = build(args.out)
    if not args.no_shots:
        screenshots(result, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
