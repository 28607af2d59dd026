"""What pytest collects under notebooks/: the English lessons ``notebooks/NN_*.ipynb`` and nothing else.

Whatever else sits there is not a lesson to re-run: the Korean edition (its code cells and outputs are
copies of the English ones, which tests/test_translations.py checks), and what an editor leaves behind
(JupyterLab's ``.ipynb_checkpoints/`` and ``.~*`` files of an interrupted save, ``.virtual_documents/``,
``__pycache__/``). tests/test_first_hour.py writes such leftovers and checks they are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
LESSON = re.compile(r"[0-9][0-9]_[^/\\]*\.ipynb")


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    path = Path(collection_path).resolve()
    if NOTEBOOKS not in path.parents:
        return None                 # not under notebooks/: pytest decides as usual
    if path.parent == NOTEBOOKS and LESSON.fullmatch(path.name):
        return None
    return True
