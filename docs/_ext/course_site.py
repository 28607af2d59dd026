"""Sphinx extension of the course website: stage the pages, draw the sliders' frames, vendor MathJax.

On ``config-inited`` the source directory (a build directory, never the repository) is filled with

* ``pages/*`` of this folder (the home page, the API page);
* every notebook of ``notebooks/``, its stored outputs untouched except each explorer cell's, whose
  one-line text ("interactive: move the sliders in a running notebook") becomes a kernel-free
  slider: an ``<input type=range>`` over a grid of the explorer's main control and the frames
  ``rnnlib.teaching.widgets.render_frames`` draws at those values (PNG files under ``_static/frames/``);
* ``glossary.md`` and ``references.md``, the sections of 00 with those titles.

On ``build-finished`` the frames are written and MathJax 3 is copied from the package
``sphinx-mathjax-offline`` (only what a CHTML page with TeX input loads). Docstrings that are not
valid reStructuredText are shown as preformatted text instead of failing the build.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import SystemMessage
from sphinx.util import logging

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
NOTEBOOKS = ROOT / "notebooks"
FRAMES = "_static/frames"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grid:
    """The main control of one explorer and the values its slider steps through."""

    control: str
    label: str                  # how the page names the control (MathJax is not run inside a slider)
    values: tuple                # numbers, or the options of a choice
    digits: int = 2

    def shown(self) -> list[str]:
        """The values as the page writes them."""
        return [v if isinstance(v, str) else f"{v:.{self.digits}f}" for v in self.values]

    def index(self, value) -> int:
        """The grid position nearest to ``value`` (an option of a choice: its position)."""
        if isinstance(value, str):
            return self.values.index(value)
        return int(np.argmin(np.abs(np.asarray(self.values, dtype=float) - float(value))))


def _grid(lo: float, hi: float, step: float) -> tuple[float, ...]:
    n = int(round((hi - lo) / step))
    return tuple(float(round(lo + i * step, 6)) for i in range(n + 1))


#: explorer name (as ``widgets.<name>_explorer`` in a notebook and in ``render_frames``) -> its grid
GRIDS = {
    "scalar": Grid("w", "w", _grid(-2.0, 2.0, 0.1)),
    "matrix": Grid("sigma_max", "σ_max", _grid(0.25, 3.0, 0.25)),
    "cliff": Grid("clip", "clipping", ("none", "norm", "elementwise")),     # 04: "switch clipping from none"
    "leak": Grid("z", "z", _grid(0.05, 1.0, 0.05)),
}
EXPLORER_CALL = re.compile(r"\bwidgets\.(\w+)_explorer\(")
LANGUAGES = {"ko": "한국어"}
SECTIONS = {"glossary": "Glossary", "references": "References"}


@dataclass(frozen=True)
class Slider:
    """One explorer cell made into a slider: its frames and where the slider starts."""

    explorer: str
    settings: dict              # the explorer's other settings, as the notebook's cell passes them
    start: int                  # index in the grid of the live explorer's starting value

    @property
    def grid(self) -> Grid:
        return GRIDS[self.explorer]

    @property
    def key(self) -> str:
        """The frames' folder: the explorer's name, and its settings when the cell passes some."""
        extra = "".join(f"_{k}-{v}" for k, v in sorted(self.settings.items()))
        return re.sub(r"[^\w.+-]", "", self.explorer + extra)


def explorer_call(source: str) -> tuple[str, dict] | None:
    """(explorer name, keyword settings) of the ``widgets.<name>_explorer(...)`` call in a cell, if any."""
    match = EXPLORER_CALL.search(source)
    if not match or match.group(1) not in GRIDS:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == f"{match.group(1)}_explorer"):
            try:
                return match.group(1), {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
            except ValueError:
                raise RuntimeError(f"explorer cell with settings that are not literals:\n{source}") from None
    return None


def explorer_cells(nb: nbformat.NotebookNode) -> list[tuple[int, Slider]]:
    """(cell index, slider) of every code cell that builds one of the explorers in ``GRIDS``."""
    from rnnlib.teaching import widgets

    found = []
    for i, cell in enumerate(nb.cells):
        call = explorer_call(cell.source) if cell.cell_type == "code" else None
        if call is None:
            continue
        name, settings = call
        grid = GRIDS[name]
        defaults = getattr(widgets, f"{name.upper()}_DEFAULTS", {})
        value = settings.pop(grid.control, defaults.get(grid.control, grid.values[0]))
        found.append((i, Slider(name, settings, grid.index(value))))
    return found


def frame_name(slider: Slider, index: int) -> str:
    """Where frame ``index`` of a slider lives, relative to the site's root."""
    return f"{FRAMES}/{slider.key}/{index:03d}.png"


def slider_html(slider: Slider, prefix: str) -> str:
    """The slider block that replaces an explorer cell's output; ``prefix`` leads from the page to the root."""
    grid, start = slider.grid, slider.start
    values = grid.shown()
    frames = [prefix + frame_name(slider, i) for i in range(len(values))]
    label = html.escape(grid.label)
    return (
        f'<figure class="course-slider" data-explorer="{slider.explorer}">\n'
        f'<img class="course-slider-frame" src="{frames[start]}" width="940" '
        f'alt="the {slider.explorer} explorer at {label} = {values[start]}">\n'
        f'<div class="course-slider-control"><label>{label} = '
        f'<output class="course-slider-value">{values[start]}</output>'
        f'<input type="range" class="course-slider-input" min="0" max="{len(values) - 1}" step="1" '
        f'value="{start}" aria-label="{label}" '
        f"data-values='{json.dumps(values)}' data-frames='{json.dumps(frames)}'></label></div>\n"
        f"<figcaption>Without a kernel: move the slider (or focus it and use the arrow keys). Each position "
        f"shows the picture the live explorer draws at that value of {label}, its other controls where they "
        f"start; the faint lines are the positions just left of it, as when the slider is moved from left to "
        f"right. The {len(values)} pictures were drawn by <code>rnnlib.teaching.widgets.render_frames</code> when this "
        f"page was built; run the notebook to move every control and read the readout.</figcaption>\n"
        f"</figure>"
    )


def render_all(sliders: list[Slider]) -> dict[str, list[bytes]]:
    """slider key -> its frames (none when ``rnnlib.teaching.widgets.render_frames`` is missing).

    One ``render_frames`` call per slider over its whole grid, from left to right: frame i is what
    the live explorer shows once its control has been moved along the grid up to value i, so its
    faint ghost lines are the few grid values just left of it.
    """
    from rnnlib.teaching import widgets

    render = getattr(widgets, "render_frames", None)
    if render is None:
        logger.info("course_site: rnnlib.teaching.widgets.render_frames is missing; explorers keep their text line")
        return {}
    frames = {}
    for slider in sliders:
        if slider.key not in frames:
            grid = slider.grid
            pngs = render(slider.explorer, grid.control, list(grid.values), **slider.settings)
            if len(pngs) != len(grid.values) or not all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs):
                raise RuntimeError(f"render_frames({slider.explorer!r}) did not return one PNG per value")
            frames[slider.key] = pngs
    return frames


def section(nb: nbformat.NotebookNode, title: str) -> str:
    """The markdown cell of ``nb`` whose level-2 heading contains ``title``, as a page with a level-1 title."""
    for i, cell in enumerate(nb.cells):
        first, _, rest = cell.source.partition("\n")
        if cell.cell_type == "markdown" and first.startswith("## ") and title in first:
            heading = re.sub(r"^##\s+(\d+\s*·\s*)?", "# ", first)
            # a table the section renders in a code cell below it (the glossary, from rnnlib.teaching.glossary):
            # its output
            after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            if after is not None and after.cell_type == "code":
                rest += "".join(f"\n\n{o['data']['text/markdown']}" for o in after.get("outputs", [])
                                if "text/markdown" in o.get("data", {}))
            return f"{heading}\n{rest}\n\n*From [00 · Course map](notebooks/00_index.ipynb).*\n"
    raise RuntimeError(f"00_index.ipynb has no section titled {title!r}")


def language_switch(name: str, books: dict) -> str:
    """A line linking a notebook page to the same notebook in every other edition the site has ('' if none)."""
    base = Path(name).name
    editions = {"": "English", **{lang: label for lang, label in LANGUAGES.items() if f"{lang}/{base}" in books}}
    if len(editions) < 2:
        return ""
    here = str(Path(name).parent) if "/" in name else ""
    up = "../" * name.count("/")
    links = [f"**{label}**" if lang == here else f"[{label}]({up}{lang + '/' if lang else ''}{base})"
             for lang, label in editions.items()]
    return " · ".join(links)


#: The API page's two sections: the maths of the lecture note (rnnlib) and the course machinery (rnnlib.teaching).
API_LAYERS = {"rnnlib": "The maths of the lecture note", "rnnlib.teaching": "The course machinery"}


def api_modules() -> dict[str, list[str]]:
    """The public modules of each layer (not the private ones, not the exercise checkers, not the old paths of
    rnnlib that alias a module of rnnlib.teaching), sorted: layer package -> module names."""
    import importlib
    import pkgutil

    layers = {}
    for package in API_LAYERS:
        path = importlib.import_module(package).__path__
        layers[package] = sorted(m.name for m in pkgutil.iter_modules(path)
                                 if not m.name.startswith("_") and not m.ispkg)
    moved = set(layers["rnnlib.teaching"])
    return {package: [f"{package}.{name}" for name in names if package != "rnnlib" or name not in moved]
            for package, names in layers.items()}


def stage(app, config) -> None:
    src = Path(app.srcdir)
    if src.resolve() in (DOCS, ROOT, NOTEBOOKS):
        raise RuntimeError(f"course_site stages into a build directory, not {src}")
    for item in src.iterdir():
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    for page in (DOCS / "pages").iterdir():
        shutil.copy2(page, src / page.name)
    (src / "notebooks").mkdir()
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    books = {p.name: nbformat.read(p, as_version=4) for p in notebooks}
    # the editions LANGUAGES names, and no other folder (not .ipynb_checkpoints, which JupyterLab writes)
    translated = sorted(p for lang in LANGUAGES for p in (NOTEBOOKS / lang).glob("[0-9][0-9]_*.ipynb"))
    for path in translated:
        books[str(path.relative_to(NOTEBOOKS))] = nbformat.read(path, as_version=4)
    for language in sorted({p.parent.name for p in translated}):
        (src / "notebooks" / language).mkdir()
        with open(src / "index.md", "a", encoding="utf-8") as index_page:
            index_page.write(f"\n```{{toctree}}\n:maxdepth: 1\n:caption: {LANGUAGES.get(language, language)}\n"
                             f":glob:\n\nnotebooks/{language}/*\n```\n")
    cells = {name: explorer_cells(nb) for name, nb in books.items()}
    app.course_frames = render_all([slider for found in cells.values() for _, slider in found])
    app.course_sliders = {}
    for name, nb in books.items():
        switch = language_switch(name, books)
        for index, slider in cells[name]:
            if slider.key not in app.course_frames:
                continue
            nb.cells[index].outputs = [nbformat.v4.new_output(
                "display_data", data={"text/html": slider_html(slider, "../" * (name.count("/") + 1))})]
            app.course_sliders.setdefault(name, []).append(slider)
        if switch:
            nb.cells.insert(1, nbformat.v4.new_markdown_cell(switch))
        nbformat.write(nb, src / "notebooks" / name)
    with open(src / "api.rst", "a", encoding="utf-8") as api:
        for package, modules in api_modules().items():
            title = f"{API_LAYERS[package]} (``{package}``)"
            api.write(f"\n{title}\n{'-' * len(title)}\n")
            for module in modules:
                api.write(f"\n{module}\n{'~' * len(module)}\n\n.. automodule:: {module}\n")
    index = books["00_index.ipynb"]
    for page, title in SECTIONS.items():
        (src / f"{page}.md").write_text(section(index, title), encoding="utf-8")


def write_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for key, pngs in getattr(app, "course_frames", {}).items():
        for i, png in enumerate(pngs):
            path = out / FRAMES / key / f"{i:03d}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
    copy_mathjax(out / "_static" / "mathjax")
    # what the themes ship for their own development: source maps and webpack's template fragments
    for junk in [*out.glob("_static/**/*.map"), *out.glob("_static/*webpack-macros.html")]:
        junk.unlink()


def copy_mathjax(target: Path) -> None:
    """The parts of MathJax 3 that tex-chtml.js loads: itself, its fonts, autoloaded TeX extensions, a11y."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("MathJax comes from the package sphinx-mathjax-offline: pip install -e '.[docs]'")
    source = Path(spec.origin).parent / "static" / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(source / "tex-chtml.js", target / "tex-chtml.js")
    for part in ("output/chtml/fonts/woff-v2", "input/tex/extensions", "a11y", "ui"):
        shutil.copytree(source / part, target / part)


# --- docstrings that are not reStructuredText ----------------------------------------------------


def _valid_rst(text: str) -> bool:
    """True when docutils parses ``text`` with no warning, no section title and no unknown role."""
    try:
        tree = publish_doctree(text, settings_overrides={"report_level": 5, "halt_level": 2,
                                                         "warning_stream": False})
    except SystemMessage:
        return False
    except Exception:  # noqa: BLE001 - anything docutils cannot take is shown as plain text
        return False
    bad = (nodes.system_message, nodes.section, nodes.problematic)
    return not any(tree.findall(lambda n: isinstance(n, bad)))


def literal_docstrings(app, what, name, obj, options, lines) -> None:
    """The summary paragraph as text when it is valid reStructuredText; the rest as it reads in ``help()``.

    The docstrings are written for ``help()`` and the notebooks' source views: shapes aligned in
    columns, formulas in plain text. Shown preformatted, they keep that layout on the page.
    """
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return
    cut = lines.index("") if "" in lines else len(lines)
    summary, rest = lines[:cut], lines[cut + 1 :]
    if not _valid_rst("\n".join(summary)):
        summary, rest = [], lines[:]
    body = [".. code-block:: text", ""] + [("    " + line) if line.strip() else "" for line in rest] + [""] \
        if rest else []
    lines[:] = summary + ([""] if summary and body else []) + body


def setup(app):
    app.connect("config-inited", stage)
    app.connect("build-finished", write_assets)
    app.connect("autodoc-process-docstring", literal_docstrings)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
