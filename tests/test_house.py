"""How the code is kept: one way to warn, honest tests."""
from __future__ import annotations

import ast
import logging
from pathlib import Path

from geo import cli

ROOT = Path(__file__).resolve().parent.parent


def _calls(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name))]


def test_library_code_warns_through_warnings_or_logging_never_print():
    printing = {f"{p.name}:{line}" for p in (ROOT / "geo").glob("*.py") if p.name != "cli.py"
                for line in _calls(p, "print")}
    assert printing == set()


def test_no_test_is_skipped_for_a_missing_module():
    assert {f"{p.name}:{line}" for p in (ROOT / "tests").glob("*.py") for line in _calls(p, "importorskip")} == set()


def test_the_command_line_shows_the_gazetteer_build_progress(capsys):
    cli._show_build_progress()
    cli._show_build_progress()  # once is enough: no line twice
    logging.getLogger("geo.gazetteer_build").info("building gazetteer: %s (%.0fs)", "airports, seas", 3.2)
    assert capsys.readouterr().err == "geo: building gazetteer: airports, seas (3s)\n"


def test_data_scripts_have_one_home_and_every_mention_of_one_exists():
    """The scripts that derive geo/data live in scripts/; README, docs, code and data name only those."""
    import re

    assert not (ROOT / "tools").exists()
    texts = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml", *(ROOT / "docs").glob("*.md"),
             *(ROOT / "geo").rglob("*.py"), *(ROOT / "geo" / "data").glob("*.tsv"), *(ROOT / "scripts").glob("*.py")]
    named = {m for p in texts for m in re.findall(r"\b(?:scripts|tools)/derive_\w+\.py", p.read_text(encoding="utf-8"))}
    assert {"scripts/derive_land.py", "scripts/derive_exonyms.py"} <= named
    assert {n for n in named if not (ROOT / n).is_file()} == set()
    assert {f"scripts/{p.name}" for p in (ROOT / "scripts").glob("derive_*.py")} <= named  # each one documented


def test_every_data_script_answers_help_and_writes_nothing():
    """``python scripts/X.py --help`` prints its usage; it is not read as a path, nor does it run the derivation."""
    import subprocess
    import sys

    data = ROOT / "geo" / "data"
    before = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()}
    for script in sorted((ROOT / "scripts").glob("*.py")):
        run = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, (script.name, run.stderr[-500:])
        assert run.stdout.startswith("usage: "), (script.name, run.stdout[:200])
    assert {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()} == before


def test_geo_extract_to_json_lines_imports_no_frame_or_geopy_library(tmp_path):
    """`geo extract` writing JSON lines builds no GeoDataFrame: geopandas, pandas, shapely
    and geopy are not imported (0.4 s and 100 MB of every run)."""
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Heavy rain fell on Toulouse and Bordeaux, France, on Monday."}\n', encoding="utf-8")
    code = ("import sys; from geo.cli import main; rc = main(['extract', sys.argv[1], '-o', sys.argv[2], '--no-progress']); "
            "print(rc, sorted(m for m in ('geopandas', 'pandas', 'shapely', 'geopy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "out.jsonl")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "0 []", done.stdout + done.stderr
    assert "Toulouse" in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
