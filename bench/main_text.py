"""What reading only the article's main text (trafilatura) changes on saved news pages.

    .venv/bin/python bench/main_text.py [PAGES...]     # default: tests/data/pages/*.html

For each page: the places geo finds in all its visible text (menus, sidebars,
footers included: how geo read HTML before) and in the main text it reads
now, and the places that disappear or appear. The pages in tests/data/pages
were written for this (invented stories in the shape of news sites: a menu of
city sections, a "most read" rail, a footer with office addresses).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def places_in(text: str, lang: str | None, geoparser) -> set[str]:
    from geo.model import Document

    return {r.place.name for r in geoparser.parse(Document("p", text, lang)) if r.place is not None}


def main(argv: list[str]) -> int:
    from geo import documents
    from geo.pipeline import default_geoparser

    gp = default_geoparser()
    pages = [Path(p) for p in argv] or sorted((ROOT / "tests" / "data" / "pages").glob("*.html"))
    print("| page | places, all visible text | places, main text | gone (boilerplate) | new |")
    print("| --- | ---: | ---: | --- | --- |")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        visible = documents.visible_text(html)  # how geo read every page before
        main_text = documents.read_text(page)
        before, after = places_in(visible, None, gp), places_in(main_text, None, gp)
        print(f"| {page.name} | {len(before)} | {len(after)} | {', '.join(sorted(before - after)) or '-'} "
              f"| {', '.join(sorted(after - before)) or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
