"""What pytest collects under notebooks/: the lessons of both editions, ``notebooks/NN_*.ipynb`` and
``notebooks/ko/NN_*.ipynb``, and nothing else.

The Korean lessons run their own code (their literals and comments translated, tools/translate.py) and store
their own outputs (tools/regen.py), so nbval re-runs them like the English ones; tests/test_translations.py ties
each to its English twin (the same code once literals and comments are masked, the same printed numbers).
Whatever else sits there is not a lesson to re-run: what an editor leaves behind (JupyterLab's
``.ipynb_checkpoints/`` and ``.~*`` files of an interrupted save, ``.virtual_documents/``, ``__pycache__/``).
tests/test_first_hour.py writes such leftovers and checks they are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
EDITIONS = (NOTEBOOKS, NOTEBOOKS / "ko")
LESSON = re.compile(r"[0-9][0-9]_[^/\\]*\.ipynb")


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    path = Path(collection_path).resolve()
    if NOTEBOOKS not in path.parents:
        return None                 # not under notebooks/: pytest decides as usual
    if path in EDITIONS[1:]:
        return None                 # the Korean edition's folder: its lessons are collected
    if path.parent in EDITIONS and LESSON.fullmatch(path.name):
        return None
    return True
