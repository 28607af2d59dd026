"""Write every notebook's badge row and Colab setup cell, and the README's badges, from rnnlib.teaching.course.

Usage: python tools/badges.py [--check]

The badge row is the markdown cell tagged "badges", the setup cell the code cell tagged
"setup". Outputs are kept: the setup cell prints the same line wherever it runs. In the
README, the lines between the two badge comments are rewritten.
With --check nothing is written and the exit status is 1 when something disagrees.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from rnnlib.teaching.course import badges_markdown, setup_cell_source, site_url

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README_BLOCK = re.compile(r"(<!-- badges: [^>]*-->\n)(.*?)(<!-- /badges -->)", re.S)


def readme_badges() -> str:
    """The README's badge lines: the course map on Colab and on Binder, then the course website."""
    return (badges_markdown("00_index.ipynb") + "\n\n"
            + f"The course as a website (sliders included, no kernel needed): <{site_url()}>\n")


def sync_readme(check: bool) -> list[str]:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    match = README_BLOCK.search(text)
    if match is None:
        return ["README.md: no badge block (<!-- badges: ... --> ... <!-- /badges -->)"]
    if match.group(2) == readme_badges():
        return []
    if check:
        return ["README.md: the badges disagree with rnnlib.teaching.course (run make badges)"]
    readme.write_text(text[: match.start(2)] + readme_badges() + text[match.end(2) :], encoding="utf-8")
    print("updated README.md")
    return []


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
                    problems.append(f"{path.name}: the {tag!r} cell disagrees with rnnlib.teaching.course "
                                    "(run make badges)")
                cells[0].source = source
        if changed and not check:
            nbformat.write(nb, path)
            print(f"updated {path.name}")
    problems += sync_readme(check)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
