"""Write every notebook's badge row and Colab setup cell from rnnlib.course.REPOSITORY.

Usage: python tools/badges.py [--check]

The badge row is the markdown cell tagged "badges", the setup cell the code cell tagged
"setup". Outputs are kept: the setup cell prints the same line wherever it runs.
With --check nothing is written and the exit status is 1 when a notebook disagrees.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from rnnlib.course import badges_markdown, setup_cell_source

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def tagged(nb: nbformat.NotebookNode, tag: str) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def expected_sources(name: str) -> dict[str, tuple[str, str]]:
    """tag -> (cell type, source) for notebook file ``name``."""
    return {"badges": ("markdown", badges_markdown(name)), "setup": ("code", setup_cell_source())}


def main(check: bool) -> int:
    problems = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for tag, (kind, source) in expected_sources(path.name).items():
            cells = tagged(nb, tag)
            if len(cells) != 1 or cells[0].cell_type != kind:
                problems.append(f"{path.name}: expected exactly one {kind} cell tagged {tag!r}, found {len(cells)}")
                continue
            if cells[0].source != source:
                changed = True
                if check:
                    problems.append(f"{path.name}: the {tag!r} cell disagrees with rnnlib.course (run make badges)")
                cells[0].source = source
        if changed and not check:
            nbformat.write(nb, path)
            print(f"updated {path.name}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
