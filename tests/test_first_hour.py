"""What a learner's first hour leaves in notebooks/ breaks nothing: JupyterLab's checkpoints and other leftovers.

Opening and saving a notebook in JupyterLab writes ``.ipynb_checkpoints/<name>-checkpoint.ipynb`` beside it
(in notebooks/ and in notebooks/ko/); an interrupted save leaves ``.~<name>``; jupyter-lsp writes
``.virtual_documents/``; Python writes ``__pycache__/``. The fixture below writes all of them (only the files
that are not there already, removed again afterwards), then the site is staged as ``make html`` stages it
(into a temporary directory, without drawing the sliders' frames) and pytest collects notebooks/ as
``make test`` does: both must see the lessons of both editions, and only them.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
EDITIONS = ["ko"]       # docs/_ext/course_site.py LANGUAGES


def _leftovers() -> dict[Path, Path]:
    """leftover file -> the lesson it copies, as JupyterLab and Python write them."""
    first = LESSONS[1]          # 01_..., the notebook a learner opens after the course map
    stem = Path(first).stem
    files = {}
    for folder in (NOTEBOOKS, NOTEBOOKS / "ko"):
        files[folder / ".ipynb_checkpoints" / f"{stem}-checkpoint.ipynb"] = folder / first
        files[folder / ".ipynb_checkpoints" / first] = folder / first
        files[folder / f".~{first}"] = folder / first
        files[folder / ".virtual_documents" / first] = folder / first
        files[folder / "__pycache__" / first] = folder / first
    return files


@contextlib.contextmanager
def _written_leftovers():
    """Write the leftovers that are missing; remove exactly those (and the folders made for them) afterwards."""
    made_files, made_dirs = [], []
    try:
        for path, source in _leftovers().items():
            if not path.parent.exists():
                path.parent.mkdir()
                made_dirs.append(path.parent)
            if not path.exists():
                shutil.copyfile(source, path)
                made_files.append(path)
        yield sorted(_leftovers())
    finally:
        for path in made_files:
            path.unlink(missing_ok=True)
        for folder in reversed(made_dirs):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()


@pytest.fixture
def leftovers():
    with _written_leftovers() as written:
        yield written


def test_the_fixture_writes_what_jupyterlab_writes_and_cleans_up():
    before = sorted(p for p in NOTEBOOKS.rglob("*"))
    with _written_leftovers() as written:
        assert all(p.is_file() for p in written)
        assert NOTEBOOKS / ".ipynb_checkpoints" / "01_short_vs_long_term_dependency-checkpoint.ipynb" in written
        assert NOTEBOOKS / "ko" / ".ipynb_checkpoints" / "01_short_vs_long_term_dependency-checkpoint.ipynb" in written
    assert sorted(p for p in NOTEBOOKS.rglob("*")) == before


def test_site_staging_takes_the_named_editions_only(leftovers, tmp_path, monkeypatch):
    pytest.importorskip("sphinx", reason="make html needs the docs extra: pip install -e '.[docs]'")
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import course_site
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    assert sorted(course_site.LANGUAGES) == EDITIONS
    monkeypatch.setattr(course_site, "render_all", lambda sliders: {})     # the frames are test_site's business
    course_site.stage(types.SimpleNamespace(srcdir=str(tmp_path)), None)
    staged = sorted(p.relative_to(tmp_path / "notebooks").as_posix() for p in (tmp_path / "notebooks").rglob("*")
                    if p.is_file())
    assert staged == LESSONS + [f"{lang}/{name}" for lang in EDITIONS for name in LESSONS]
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert re.findall(r"^notebooks/(.+)/\*$", index, re.M) == EDITIONS


def _collected_notebooks(*args: str) -> list[str]:
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 5), run.stdout[-3000:] + run.stderr[-3000:]     # 5: nothing collected
    return sorted({line.split("::")[0] for line in run.stdout.splitlines() if ".ipynb::" in line})


def test_the_korean_edition_test_ignores_them(leftovers):
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_translations.py",
                          "-k", "every_english_notebook_has_a_catalog"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.mark.parametrize("args", [
    ("notebooks",),                                                         # pyproject's addopts
    ("notebooks", "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"),  # make
    ("notebooks/ko", "notebooks/.ipynb_checkpoints", "notebooks/ko/.ipynb_checkpoints"),   # asked for by name
])
def test_nbval_collects_the_lessons_only(leftovers, args):
    korean = [f"notebooks/ko/{name}" for name in LESSONS]
    expected = sorted([f"notebooks/{name}" for name in LESSONS] + korean) if args[0] == "notebooks" else korean
    assert _collected_notebooks(*args) == expected
