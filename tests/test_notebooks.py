"""Every notebook in notebooks/ runs top to bottom, and is committed without outputs."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
# Taken at import, before any fixture points GEO_CACHE_DIR at a temporary
# folder: the kernels use the gazetteer that `make test` built in the user cache.
ENV = {**os.environ, "MPLBACKEND": "agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def test_the_notebooks_are_there():
    assert [p.name for p in PATHS] == [
        "01_seed_walkthrough.ipynb", "02_your_own_texts.ipynb", "03_results_as_data.ipynb", "04_how_sure.ipynb",
        "05_corrections.ipynb", "06_stories_in_time.ipynb",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(path):
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: commit it without outputs"
    client = NotebookClient(book, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute(env=ENV)  # raises CellExecutionError, with the cell and traceback, on any error
    errors = [o for c in code for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
