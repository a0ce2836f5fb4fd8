"""Map a short text of our own about rivers, a range, a lake and states, and screenshot it.

    .venv/bin/python bench/land_shot.py            # -> docs/screenshots/land-shapes.png (+ the map in /tmp)

The text is written for the purpose (no corpus text). ``geo.explore`` parses it
and writes the map; headless Chromium (Debian's, offline: only the file is
loaded, so the land is the embedded base layer) takes two screenshots: the
whole map (``land-shapes.png``) and the popup opened by clicking the
Mississippi River's line (``land-river-popup.png``). The script prints how each
place was drawn (line, area or point), so a shot that lost its rivers says so.

Not run by the tests (the browser tests check the same drawing on hand-made data).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
TEXT = (
    "Barges loaded with grain waited for weeks on the Mississippi River near St. Louis as the water fell. "
    "Farther west, snow closed the high passes of the Rocky Mountains in Colorado, and Denver asked drivers "
    "to stay home. Ranchers along the Missouri River in Montana said the drought was the worst in memory; "
    "in Utah, the Great Salt Lake shrank again."
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/geo-land-shot"))
    ap.add_argument("--shots", type=Path, default=SHOTS, help="folder for the two PNG files")
    args = ap.parse_args(argv)

    import geo
    from playwright.sync_api import sync_playwright

    result = geo.explore({"rivers-and-ranges": TEXT}, title="Rivers, a range, a lake and states")
    path = result.save_map(args.out / "map.html")
    places = result.places
    for row in places.itertuples():
        fp = row.footprint
        drawn = "point" if fp is None else "line" if "LineString" in fp.geom_type else "area"
        print(f"{row.name:24} {row.kind:8} {row.precision:8} drawn as {drawn}", file=sys.stderr)
    river_id = next((r.place_id for r in places.itertuples() if r.footprint is not None
                     and "LineString" in r.footprint.geom_type and r.name.startswith("Mississippi")), None)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        def console(m):  # the tiles we aborted are expected offline; anything else is a failure
            url = (m.location or {}).get("url", "")
            if m.type == "error" and not (m.text.startswith("Failed to load resource") and "tile." in url):
                errors.append(f"{m.text} at {url}")

        page.on("console", console)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(path.as_uri())
        page.wait_for_function("() => window.geoMap && geoMap.idle()")
        page.wait_for_timeout(1500)
        args.shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.shots / "land-shapes.png"))
        if river_id:  # click the river's line halfway along it
            line = page.locator(f'path.geo-shape-line[data-place-id="{river_id}"]').first
            xy = line.evaluate("""e => { const p = e.getPointAtLength(e.getTotalLength() / 2), m = e.getScreenCTM();
                                         return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]; }""")
            page.mouse.click(*xy)
            page.locator(".leaflet-popup-content h3").wait_for(state="visible")
            page.wait_for_timeout(800)
            page.screenshot(path=str(args.shots / "land-river-popup.png"))
        else:
            errors.append("the Mississippi River was not drawn as a line")
        browser.close()
    if errors:
        print("page errors:", *errors, sep="\n  ", file=sys.stderr)
        return 1
    print(f"wrote {args.shots}/land-shapes.png, land-river-popup.png ({path})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
