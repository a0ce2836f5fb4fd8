"""`pip install .` alone is enough: a fresh virtual environment builds the same gazetteer
(the same common-word lexicon) and gives the same `geo extract` output as the project's.

Slow (a minute or two with pip's cache warm): `pytest -m "not slow and not browser"` leaves it out.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo.gazetteer import default_path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "eval" / "data"


def _sample(out: Path, per_corpus: int = 30) -> Path:
    """The first documents of an English and a Spanish development corpus, as one JSONL file."""
    lines = []
    for name in ("lgl.jsonl", "es_cegeomex.jsonl"):
        with open(CORPORA / name, encoding="utf-8") as fh:
            for _, line in zip(range(per_corpus), fh):
                doc = json.loads(line)
                lines.append(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _lexicon(path: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT word, langs FROM lexicon ORDER BY word").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_pip_install_alone_builds_the_same_gazetteer_and_output(tmp_path):
    # the package's own files only (no .venv, no build/ left in the work tree)
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "geo", src / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["GEO_CACHE_DIR"] = str(tmp_path / "cache")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(src)]
    subprocess.run(pip, check=True, env=env, timeout=900)

    built = subprocess.run([str(venv / "bin" / "geo"), "build-gazetteer"], env=env, capture_output=True,
                           text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr.lower(), built.stderr
    fresh = next((tmp_path / "cache").glob("gazetteer-v*.sqlite"))
    assert fresh.name == default_path().name
    assert _lexicon(fresh) == _lexicon(default_path())

    sample = _sample(tmp_path / "sample.jsonl")
    ours = subprocess.run([str(Path(sys.executable).parent / "geo"), "extract", "--no-progress", str(sample)],
                          capture_output=True, text=True, timeout=600, check=True)
    theirs = subprocess.run([str(venv / "bin" / "geo"), "extract", "--no-progress", str(sample)], env=env,
                            capture_output=True, text=True, timeout=600, check=True)
    assert len(ours.stdout.splitlines()) == 60
    assert theirs.stdout == ours.stdout
