"""Notebook hygiene: what would make a course page wrong, flaky or confusing.

nbval (run by `make test` over notebooks/) compares the stored outputs; this file checks
what nbval does not: that the stored outputs come from one clean top-to-bottom run, that
nothing went to stderr, and that badges, setup cells and links point where they should.
"""

import json
import re
from pathlib import Path

import pytest

from rnnlib.teaching.course import badges_markdown, setup_cell_source

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MACHINE_PATH = re.compile(r"(/home/|/root/|/tmp/|/work/|/Users/|[A-Z]:\\\\)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def test_the_course_has_its_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names and names[0] == "00_index.ipynb", names
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(len(names))], names
    for name in names:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_come_from_one_clean_run(path):
    nb = load(path)
    cells = code_cells(nb)
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), "restart and run all: make regen"
    for i, cell in enumerate(cells, 1):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"code cell {i} stored an error: {out.get('ename')}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"code cell {i} wrote to stderr: {''.join(out['text'])[:200]!r}")
    for cell in nb["cells"]:
        assert "execution" not in cell["metadata"], "timing metadata stored: regenerate with make regen"
    assert "widgets" not in nb["metadata"], "widget state stored: regenerate with make regen"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_machine_paths(path):
    text = path.read_text(encoding="utf-8")
    match = MACHINE_PATH.search(text)
    assert match is None, f"machine path {text[match.start():match.start() + 60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_badges_and_setup_cell(path):
    nb = load(path)
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and source(cells[0]).startswith(f"# {path.name[:2]} · "), (
        "the first cell is the title '# NN · Title'")
    tagged = {tag: [c for c in cells if tag in c["metadata"].get("tags", [])] for tag in ("badges", "setup")}
    assert len(tagged["badges"]) == 1 and source(tagged["badges"][0]) == badges_markdown(path.name), (
        "badges disagree with rnnlib/teaching/course.py: run make badges")
    assert len(tagged["setup"]) == 1 and source(tagged["setup"][0]) == setup_cell_source(), (
        "setup cell disagrees with rnnlib/teaching/course.py: run make badges")
    assert code_cells(nb)[0] is tagged["setup"][0], "the setup cell is the first code cell"
    assert f"notebooks/{path.name}" in badges_markdown(path.name)


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_lessons_have_summary_exercises_and_a_next_link(path):
    text = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    for heading in ("## Summary", "## Exercises"):
        assert heading in text, f"missing {heading!r}"
    index = NOTEBOOKS.index(path)
    if index + 1 < len(NOTEBOOKS):
        assert f"({NOTEBOOKS[index + 1].name})" in text, "no link to the next notebook"


def test_index_links_every_notebook():
    text = "\n".join(source(c) for c in load(NOTEBOOKS[0])["cells"])
    for path in NOTEBOOKS[1:]:
        assert f"({path.name})" in text, f"00_index does not link {path.name}"


def test_links_between_notebooks_resolve():
    for path in NOTEBOOKS:
        for cell in load(path)["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for target in re.findall(r"\]\(([^)#:]+\.ipynb)", source(cell)):
                assert (path.parent / target).exists(), f"{path.name} links a missing {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_output_nbval_skips_says_why(path):
    for i, cell in enumerate(code_cells(load(path)), 1):
        lines = source(cell).splitlines()
        for line in lines:                     # nbval obeys a marker only when it is the whole comment
            if "NBVAL_" in line:
                assert re.fullmatch(r"\s*#\s*NBVAL_(IGNORE_OUTPUT|SKIP|CHECK_OUTPUT|RAISES_EXCEPTION)\s*", line), (
                    f"code cell {i}: nbval ignores {line.strip()!r}; put the marker alone on its line")
        if any("NBVAL_IGNORE_OUTPUT" in line or "NBVAL_SKIP" in line for line in lines):
            reasons = [line for line in lines if line.lstrip().startswith("#") and "NBVAL_" not in line]
            assert reasons, f"code cell {i} is not compared by nbval and has no comment saying why"
