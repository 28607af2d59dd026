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
import base64
import html
import itertools
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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
CACHE = ROOT / "build" / "frame-cache"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grid:
    """One control of a site slider block: the explorer's control, its label and the values it steps through.

    A choice (options, or ``choice=True``) is a row of radio buttons; anything else a range slider.
    """

    control: str
    label: str                  # how the page names the control (MathJax is not run inside a slider)
    values: tuple                # numbers, or the options of a choice
    digits: int = 2
    choice: bool = False

    @property
    def radio(self) -> bool:
        return self.choice or isinstance(self.values[0], str)

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


#: rnnlib.teaching._views.SHEARED, the matrix explorer's sheared W_hh (tests/test_site.py checks they agree)
SHEARED = "sheared, ρ = 0.9"

#: explorer name (as ``widgets.<name>_explorer`` in a notebook and in ``render_frames``) -> its controls on the
#: site, choices first. Chosen so that every "Predict first" prompt of the notebooks can be followed here
#: (tests/test_site.py drives each prompt's moves). Of the range controls the setting does not disable, the
#: last one is swept by ``render_frames`` from left to right: its earlier positions are the faint ghost lines.
GRIDS = {
    "scalar": (Grid("nonlinearity", "f", ("linear", "tanh")), Grid("input_scale", "s", (0.0, 0.2, 1.0)),
               Grid("w", "w", _grid(0.0, 2.0, 0.1))),
    "matrix": (Grid("kind", "W_hh", ("gaussian", SHEARED)), Grid("nonlinearity", "f", ("tanh", "sigmoid", "linear")),
               Grid("T", "T", (100, 300), digits=0, choice=True),
               Grid("shear", "shear", (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)),
               Grid("sigma_max", "σ_max", (0.4, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0))),
    "cliff": (Grid("clip", "clipping", ("none", "norm", "elementwise")),
              Grid("threshold", "threshold", (0.5, 1.0, 3.0)), Grid("lr", "learning rate", _grid(0.5, 3.0, 0.5))),
    "leak": (Grid("z", "z", _grid(0.05, 1.0, 0.05)),),
    "contribution": (Grid("w", "w", _grid(0.0, 2.0, 0.1)),),
}
EXPLORER_CALL = re.compile(r"\bwidgets\.(\w+)_explorer\(")
LANGUAGES = {"ko": "한국어"}
EDITIONS = "<!-- other editions -->"     # docs/pages/index.md: the other editions' contents, after the English
SECTIONS = {"glossary": "Glossary", "references": "References"}
NOT_YET = "not attempted yet"      # rnnlib.teaching.exercises.NOT_YET (tests/test_site.py checks they agree)
#: a "Predict first" paragraph, in either edition
PROMPT = re.compile(r"^\*\*(Predict first\.|먼저 예측하기\.)\*\*.*$", re.M)


@dataclass(frozen=True)
class Slider:
    """One explorer cell made into a slider block: its controls' starting positions and the frames' language."""

    explorer: str
    settings: tuple             # the explorer's other settings, as the notebook's cell passes them: sorted items
    start: tuple                # for each control in GRIDS[explorer], its index at the live explorer's start
    language: str = "en"        # the language of the figure text (rnnlib.teaching.widgets.FRAME_LANGUAGES)

    @property
    def grids(self) -> tuple[Grid, ...]:
        return GRIDS[self.explorer]

    @property
    def key(self) -> str:
        """The frames' folder: the explorer's name, its settings when the cell passes some, the language."""
        extra = "".join(f"_{k}-{v}" for k, v in self.settings)
        return re.sub(r"[^\w.+-]", "", self.explorer + extra + f"_{self.language}")

    def combos(self) -> list[tuple[int, ...]]:
        """Every combination of control positions, first control slowest (the page's frame table order)."""
        return list(itertools.product(*(range(len(g.values)) for g in self.grids)))

    def plan(self) -> tuple[list[int], list[int], dict[str, str], list[tuple[str, list, dict, list[int]]]]:
        """What to draw: (frame number of each combination, bitmask of its disabled controls, reason per disabled
        control, sweeps). A control the setting disables (the explorer's own ``disabled``) stays at its start,
        so the combinations that differ only there share a frame. Each sweep is (control, values, other
        settings, frame numbers): one ``render_frames`` call."""
        from rnnlib.teaching import _views

        view = _views.VIEWS[self.explorer]
        base = {**view.defaults, **dict(self.settings)}
        grids = self.grids
        numbers: dict[tuple, int] = {}
        sweeps: dict[tuple, dict] = {}
        frame_of, masks, reasons = [], [], {}
        for combo in self.combos():
            values = {g.control: g.values[i] for g, i in zip(grids, combo)}
            off = view.__new__(view).disabled({**base, **values})
            effective = tuple(self.start[k] if g.control in off else i for k, (g, i) in enumerate(zip(grids, combo)))
            masks.append(sum(1 << k for k, g in enumerate(grids) if g.control in off))
            reasons.update({g.control: off[g.control] for g in grids if g.control in off})
            if effective not in numbers:
                live = [k for k, g in enumerate(grids) if not g.radio and g.control not in off]
                sweep = live[-1] if live else len(grids) - 1
                group = sweeps.setdefault((sweep, effective[:sweep] + effective[sweep + 1:]), {})
                for j in range(len(grids[sweep].values)):
                    full = effective[:sweep] + (j,) + effective[sweep + 1:]
                    if full not in numbers:
                        numbers[full] = len(numbers)
                    group[j] = numbers[full]
            frame_of.append(numbers[effective])
        plan = []
        for (sweep, rest), group in sweeps.items():
            others = [k for k in range(len(grids)) if k != sweep]
            settings = {**dict(self.settings), **{grids[k].control: grids[k].values[i] for k, i in zip(others, rest)}}
            order = sorted(group)
            plan.append((grids[sweep].control, [grids[sweep].values[j] for j in order], settings,
                         [group[j] for j in order]))
        return frame_of, masks, reasons, plan


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


def explorer_cells(nb: nbformat.NotebookNode, language: str = "en") -> list[tuple[int, Slider]]:
    """(cell index, slider) of every code cell that builds one of the explorers in ``GRIDS``; ``language`` is the
    page's, the frames' is that one when ``render_frames`` can draw it, else English."""
    from rnnlib.teaching import _views, widgets

    drawn = language if language in getattr(widgets, "FRAME_LANGUAGES", ("en",)) else "en"
    found = []
    for i, cell in enumerate(nb.cells):
        call = explorer_call(cell.source) if cell.cell_type == "code" else None
        if call is None:
            continue
        name, settings = call
        defaults = _views.VIEWS[name].defaults            # where the live explorer starts
        start = tuple(g.index(settings.pop(g.control, defaults.get(g.control, g.values[0]))) for g in GRIDS[name])
        found.append((i, Slider(name, tuple(sorted(settings.items())), start, drawn)))
    return found


def prompts(nb: nbformat.NotebookNode, cells: list[tuple[int, Slider]]) -> dict[int, list[str]]:
    """explorer cell index -> the notebook's "Predict first" paragraphs for it: the one in the markdown cell just
    above it, and those further down that are not just above another explorer (they send the reader back)."""
    found: dict[int, list[str]] = {i: [] for i, _ in cells}
    explorers = [i for i, _ in cells]
    for j, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for paragraph in PROMPT.finditer(cell.source):
            nxt = j + 1
            if nxt in found and paragraph.end() == len(cell.source.rstrip()):
                found[nxt].append(paragraph.group(0))
                continue
            above = [i for i in explorers if i < j]
            if above:
                found[above[-1]].append(paragraph.group(0))
    return found


def tex_text(text: str) -> str:
    """A prompt's markdown as plain HTML text: bold and italics kept, the little TeX it holds written out."""
    words = {r"\sigma": "σ", r"\gamma": "γ", r"\rho": "ρ", r"\sum": "Σ", r"\mapsto": "↦", r"\tanh": "tanh",
             r"\partial": "∂", r"\cdot": "·", r"\,": " "}

    def maths(m: re.Match) -> str:
        t = m.group(1)
        for k, v in words.items():
            t = t.replace(k, v)
        t = re.sub(r"_\{([^}]*)\}", r"_\1", t)
        t = re.sub(r"\^\{([^}]*)\}", r"^\1", t)
        return f"<i>{t.replace('{', '').replace('}', '')}</i>"

    out = html.escape(text, quote=False)
    out = re.sub(r"\$([^$]+)\$", maths, out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", out)


#: the chrome of a slider block, per page language
SLIDER_WORDS = {
    "en": {"title": {"scalar": "the scalar explorer", "matrix": "the matrix explorer", "cliff": "the cliff explorer",
                     "leak": "the leaky unit explorer", "contribution": "the contribution explorer"},
           "at": "at",
           "caption": "Without a kernel: each combination of these controls shows the picture the live explorer "
                      "draws there (faint lines: the last positions of the slider). The {n} pictures were drawn by "
                      "<code>rnnlib.teaching.widgets.render_frames</code> when this page was built; run the notebook "
                      "for every control and its readout.",
           "unused": "not used in this setting", "zoom": "click or tap: full size (scroll sideways)"},
    "ko": {"title": {"scalar": "스칼라 explorer", "matrix": "행렬 explorer", "cliff": "절벽 explorer",
                     "leak": "누설 유닛 explorer", "contribution": "기여 explorer"},
           "at": "설정",
           "caption": "커널 없이 움직이는 슬라이더: 컨트롤의 각 조합에서 실제 explorer가 그리는 그림을 보여 준다"
                      "(흐린 선: 슬라이더의 직전 위치). 그림 {n}장은 이 페이지를 만들 때 "
                      "<code>rnnlib.teaching.widgets.render_frames</code>가 그렸다. "
                      "모든 컨트롤과 표시창은 노트북을 실행해서 쓰자.",
           "unused": "이 설정에서는 쓰이지 않음", "zoom": "클릭하거나 누르면 원래 크기로 (옆으로 스크롤)",
           "reasons": {"input_scale": "선형 유닛의 야코비안은 상태와 상관없이 매 step w이다 (tanh를 고르자)",
                       "sigma_max": "전단 W_hh는 ρ를 0.9로 두고, 전단의 크기가 σ_max를 정한다",
                       "shear": "W_hh = '전단, ρ = 0.9'에서만 쓰인다",
                       "threshold": "클리핑이 없으면 임계값이 쓰이지 않는다 (노름이나 원소별을 고르자)"}},
}


def frame_name(slider: Slider, number: int) -> str:
    """Where frame ``number`` of a slider lives, relative to the site's root."""
    return f"{FRAMES}/{slider.key}/{number:03d}.png"


def page_label(label: str, language: str) -> str:
    """A control's label as a page in ``language`` names it: the live explorer's own word (rnnlib's catalogs)."""
    from rnnlib.teaching import i18n

    return i18n.tr(label, language=language)


def page_value(value: str, language: str) -> str:
    """An option of a choice control as a page in ``language`` writes it (the live explorer's option label)."""
    from rnnlib.teaching import _views, i18n

    previous = i18n.get_language()
    try:
        i18n.set_language(language)
        return _views.option_words(value)
    finally:
        i18n.set_language(previous)


def slider_html(slider: Slider, prefix: str, page_language: str = "en", page_prompts: list[str] = (),
                uid: str = "s") -> str:
    """The slider block that replaces an explorer cell's output; ``prefix`` leads from the page to the root."""
    words = SLIDER_WORDS.get(page_language, SLIDER_WORDS["en"])
    frame_of, masks, reasons, _ = slider.plan()
    grids = [Grid(g.control, page_label(g.label, page_language),
                  tuple(page_value(v, page_language) if isinstance(v, str) else v for v in g.values), g.digits,
                  g.choice) for g in slider.grids]
    start_combo = slider.combos().index(slider.start)
    setting = ", ".join(f"{g.label} = {g.shown()[i]}" for g, i in zip(grids, slider.start))
    title = words["title"][slider.explorer]
    data = {"grids": [{"label": g.label, "values": g.shown()} for g in grids], "frames": frame_of, "off": masks,
            "base": prefix + f"{FRAMES}/{slider.key}/", "title": title, "at": words["at"],
            "unused": words["unused"],
            "reasons": {k: words.get("reasons", {}).get(g.control, reasons.get(g.control, ""))
                        for k, g in enumerate(grids)}}
    controls = []
    for k, (g, i) in enumerate(zip(grids, slider.start)):
        label = html.escape(g.label)
        if g.radio:
            options = "".join(
                f'<label><input type="radio" name="{uid}-{k}" value="{j}"{" checked" if j == i else ""}>'
                f"{html.escape(v)}</label>" for j, v in enumerate(g.shown()))
            controls.append(f'<fieldset class="course-slider-choice" data-control="{k}"><legend>{label}</legend>'
                            f"{options}</fieldset>")
        else:
            controls.append(
                f'<div class="course-slider-range" data-control="{k}"><label for="{uid}-{k}">{label}</label>'
                f'<input type="range" id="{uid}-{k}" class="course-slider-input" min="0" max="{len(g.values) - 1}" '
                f'step="1" value="{i}" aria-valuetext="{label} = {g.shown()[i]}">'
                f'<output for="{uid}-{k}" class="course-slider-value">{g.shown()[i]}</output></div>')
    said = "".join(f'<p class="course-slider-prompt">{tex_text(p)}</p>' for p in page_prompts)
    n = len(set(frame_of))
    return (
        f'<figure class="course-slider" data-explorer="{slider.explorer}" '
        f'data-slider="{html.escape(json.dumps(data, ensure_ascii=False))}">\n'
        f"{said}"
        f'<div class="course-slider-view"><img class="course-slider-frame" '
        f'src="{data["base"]}{frame_of[start_combo]:03d}.png" width="940" height="360" loading="lazy" '
        f'alt="{html.escape(title)} {words["at"]} {html.escape(setting)}" title="{words["zoom"]}"></div>\n'
        f'<div class="course-slider-controls">{"".join(controls)}</div>\n'
        f"<figcaption>{words['caption'].format(n=n)}</figcaption>\n"
        f"</figure>"
    )


def quantise(png: bytes) -> bytes:
    """A frame as the site serves it: 64 colours (the explorers draw few), PNG."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=6)
    return out.getvalue()


def _cache_key(slider: Slider) -> str:
    """What a slider's frames depend on: the library's source and message catalogs (the frames' words), numpy's
    and matplotlib's versions, the Hangul font (Korean frames), this file and the slider."""
    import hashlib

    import matplotlib
    import PIL

    import rnnlib
    from rnnlib.teaching import i18n

    package = Path(rnnlib.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")) + sorted(package.rglob("messages/*/*.json")) + [Path(__file__)]:
        digest.update(path.read_bytes())
    font = i18n.hangul_font_path() if slider.language != "en" else None
    digest.update(f"{np.__version__} {matplotlib.__version__} {PIL.__version__} {slider!r}".encode())
    digest.update(f" {font.stat().st_size if font else ''}".encode())
    return digest.hexdigest()[:24]


def render_all(sliders: list[Slider]) -> dict[str, list[bytes]]:
    """slider key -> its frames (none when ``rnnlib.teaching.widgets.render_frames`` is missing), quantised.

    One ``render_frames`` call per sweep of a slider's plan: along a range control from left to right, the
    others fixed, so frame i is what the live explorer shows once that control has been moved up to there.
    Frames are kept in ``build/frame-cache`` under a hash of everything they depend on.
    """
    from rnnlib.teaching import widgets

    render = getattr(widgets, "render_frames", None)
    if render is None:
        logger.info("course_site: rnnlib.teaching.widgets.render_frames is missing; explorers keep their text line")
        return {}
    frames = {}
    for slider in sliders:
        if slider.key in frames:
            continue
        cache = CACHE / f"{slider.key}-{_cache_key(slider)}"
        if cache.is_dir():
            frames[slider.key] = [p.read_bytes() for p in sorted(cache.glob("*.png"))]
            continue
        frame_of, _, _, plan = slider.plan()
        drawn: dict[int, bytes] = {}
        for control, values, settings, numbers in plan:
            pngs = render(slider.explorer, control, values, language=slider.language, **settings)
            if len(pngs) != len(values) or not all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs):
                raise RuntimeError(f"render_frames({slider.explorer!r}) did not return one PNG per value")
            drawn.update({n: quantise(p) for n, p in zip(numbers, pngs)})
        frames[slider.key] = [drawn[n] for n in range(len(drawn))]
        tmp = cache.with_name(cache.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for n, png in enumerate(frames[slider.key]):
            (tmp / f"{n:03d}.png").write_bytes(png)
        shutil.rmtree(cache, ignore_errors=True)
        tmp.rename(cache)
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
            return f"{heading}\n{link_references(rest)}\n\n*From [00 · Course map](notebooks/00_index.ipynb).*\n"
    raise RuntimeError(f"00_index.ipynb has no section titled {title!r}")


# --- each page as the site shows it --------------------------------------------------------------


def page_language(name: str) -> str:
    """The language of a notebook page (its path under notebooks/, or a Sphinx page name)."""
    parts = Path(name).parts
    return next((part for part in parts if part in LANGUAGES), "en")


#: the words the site adds to a notebook page, per language
PAGE_WORDS = {
    "en": {"colab": "Open in Colab", "binder": "Launch on Binder", "download": "Download the notebook (.ipynb)",
           "figure": "Figure", "edit": "Edit this page", "issue": "Report a problem with this page",
           "source": "{path} on GitHub", "issue_body": "Page: {url}\n\nWhat is wrong or unclear:\n",
           "description": "A course of Jupyter notebooks on why recurrent neural networks struggle with "
                          "long-term dependency: backpropagation through time, vanishing and exploding "
                          "gradients, and what clipping, initialization and gates do about them, every claim "
                          "computed in numpy beside the sentence that makes it."},
    "ko": {"colab": "Colab에서 열기", "binder": "Binder에서 실행", "download": "노트북 내려받기 (.ipynb)",
           "figure": "그림", "edit": "이 페이지의 번역 고치기", "issue": "이 페이지의 문제 알리기",
           "source": "GitHub의 번역 카탈로그 {path}", "issue_body": "페이지: {url}\n\n틀리거나 불분명한 곳:\n",
           "description": "순환 신경망이 장기 의존성에 약한 이유를 다루는 Jupyter 노트북 강의. 시간에 따른 "
                          "역전파(BPTT), 기울기 소실과 폭발, 그리고 기울기 클리핑, 초기화, 게이트가 이 문제에 "
                          "무엇을 하는지를 다루고, 모든 주장을 그 문장 옆에서 numpy로 직접 계산해 보인다."},
}
_BADGE = re.compile(r"\[!\[[^\]]*\]\(https://[^)]+\)\]\((https://[^)]+)\)")


def _plain(markdown: str) -> str:
    """Markdown and TeX reduced to a line of text (for alt text)."""
    text = re.sub(r"^#+\s*", "", markdown, flags=re.M)
    text = re.sub(r"\$+([^$]*)\$+", lambda m: re.sub(r"\\([a-zA-Z]+)", r"\1", m.group(1)).replace("{", "")
                  .replace("}", ""), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def figure_alt(nb: nbformat.NotebookNode, index: int, language: str) -> str:
    """Alt text of the figures a code cell draws: the titles its code sets, else the first sentence of the
    nearest markdown cell above it (its caption in the notebook)."""
    cell = nb.cells[index]
    titles = re.findall(r"(?:set_title|suptitle)\(\s*[rf]?\"([^\"{}]{4,})\"", cell.source)
    word = PAGE_WORDS[language]["figure"]
    if titles:
        return f"{word}: " + "; ".join(titles)
    for above in reversed(nb.cells[:index]):
        if above.cell_type == "markdown" and _plain(above.source):
            text = _plain(above.source)
            sentence = re.split(r"(?<=[.!?。])\s", text, maxsplit=1)[0]
            return f"{word}: {sentence[:240]}"
    return word


#: a figure wider than this (pixels at the notebooks' 100 dpi) is shrunk by the text column on a desktop (688
#: CSS px at 1280 px): its cell gets the book theme's "full-width" tag, 136 % of the column over the right
#: margin (the theme hides the page's table of contents while such a cell is in view)
WIDE_FIGURE = 700


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def for_the_site(nb: nbformat.NotebookNode, name: str) -> None:
    """What the site changes in a notebook: the badge images (from other sites) become plain links, the setup
    cell and its heading are left out, long plotting code is folded, every figure gets alt text and a wide one
    the column and its margin."""
    language = page_language(name)
    words = PAGE_WORDS[language]
    keep = []
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if "setup" in tags:
            if keep and keep[-1].cell_type == "markdown" and re.fullmatch(r"##[^\n]*\s*", keep[-1].source):
                keep.pop()                                  # its heading ("## Setup") has nothing else under it
            continue
        if "badges" in tags:
            links = _BADGE.findall(cell.source)
            cell.source = " · ".join([*(f"[{label}]({url})" for label, url in
                                       zip((words["colab"], words["binder"]), links)),
                                      f'<a href="{Path(name).name}" download>{words["download"]}</a>'])
        if cell.cell_type == "markdown":
            cell.source = link_references(cell.source)
        printed = "".join(o.get("text", "") for o in cell.get("outputs", []))
        if cell.cell_type == "code" and NOT_YET in printed:
            cell.metadata["tags"] = [*tags, "remove-output"]     # an exercise's "not attempted yet" line
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if cell.cell_type == "code" and pngs:
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": figure_alt(nb, i, language)}
            if max(png_size(base64.b64decode(png))[0] for png in pngs) > WIDE_FIGURE:
                cell.metadata["tags"] = [*cell.metadata.get("tags", []), "full-width"]
            if cell.source.count("\n") >= 6 and "hide-input" not in tags:
                cell.metadata["tags"] = [*cell.metadata.get("tags", []), "hide-input"]
        keep.append(cell)
    nb.cells = keep


#: the course's references as a site reader can open them: the start of a list item -> where the work is
REFERENCE_LINKS = {
    "Werbos, P. J. (1990)": "https://doi.org/10.1109/5.58337",
    "Williams, R. J. & Peng, J. (1990)": "https://doi.org/10.1162/neco.1990.2.4.490",
    "Bengio, Y., Simard, P. & Frasconi, P. (1994)": "https://doi.org/10.1109/72.279181",
    "Hochreiter, S. & Schmidhuber, J. (1997)": "https://doi.org/10.1162/neco.1997.9.8.1735",
    "Gers, F. A., Schmidhuber, J. & Cummins, F. (2000)": "https://doi.org/10.1162/089976600300015015",
    "Pascanu, R., Mikolov, T. & Bengio, Y. (2013)": "https://arxiv.org/abs/1211.5063",
    "Saxe, A. M., McClelland, J. L. & Ganguli, S. (2014)": "https://arxiv.org/abs/1312.6120",
    "Cho, K. et al. (2014)": "https://arxiv.org/abs/1406.1078",
    "Le, Q. V., Jaitly, N. & Hinton, G. E. (2015)": "https://arxiv.org/abs/1504.00941",
    "Olah, C. (2015)": "https://colah.github.io/posts/2015-08-Understanding-LSTMs/",
    "Kingma, D. P. & Ba, J. (2015)": "https://arxiv.org/abs/1412.6980",
    "Goodfellow, I., Bengio, Y. & Courville, A. (2016)": "https://www.deeplearningbook.org/contents/rnn.html",
    "Zhang, A., Lipton, Z. C., Li, M. & Smola, A. J.": "https://d2l.ai/chapter_recurrent-neural-networks/bptt.html",
}


def link_references(markdown: str) -> str:
    """Each reference list item of ``REFERENCE_LINKS`` followed by a link to the work."""
    def link(m: re.Match) -> str:
        url = next(u for k, u in REFERENCE_LINKS.items() if m.group(2).startswith(k))
        return f"{m.group(1)}{m.group(2)} [↗ {urlsplit(url).netloc}]({url})"

    keys = "|".join(re.escape(k) for k in REFERENCE_LINKS)
    return re.sub(rf"^(\s*[-*]\s+)((?:{keys}).*)$", link, markdown, flags=re.M)


def course_table(books: dict) -> str:
    """The home page's table of the English notebooks: what each is, its reading time (its prose at 200 words
    a minute) and how many exercises it has (the cells that print the exercises' "not attempted yet")."""
    rows = ["| notebook | reading | exercises |", "|---|---|---|"]
    for name, nb in books.items():
        if "/" in name:
            continue
        title = nb.cells[0].source.partition("\n")[0].lstrip("# ").strip()
        words = sum(len(_plain(c.source).split()) for c in nb.cells if c.cell_type == "markdown")
        minutes = max(5, 5 * round(words / 200 / 5))
        exercises = sum(NOT_YET in "".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells
                        if c.cell_type == "code")
        rows.append(f"| [{title}](notebooks/{name}) | about {minutes} min | {exercises or '–'} |")
    return "\n".join(rows) + ("\n\nReading times count the prose only; the exercises and explorers take as long "
                              "as you let them.\n")


def _group(docname: str) -> str:
    """The prev/next chain a page belongs to: an edition's notebooks (the home page leads into the English one)
    or the reference pages."""
    if docname.startswith("notebooks/"):
        return page_language(docname)
    return "en" if docname == "index" else "reference"


#: the repository's file each page that is not a notebook is made from (a folder: the page shows its docstrings)
PAGE_SOURCES = {"index": "docs/pages/index.md", "glossary": "rnnlib/teaching/glossary.csv",
                "references": "notebooks/00_index.ipynb", "api": "rnnlib"}


def page_source(pagename: str) -> str | None:
    """Where a page is edited in the repository: an English notebook, a Korean page's catalog (its notebook is
    built from it by tools/translate.py), or PAGE_SOURCES; None for a page Sphinx makes (search, indices)."""
    if pagename.startswith("notebooks/"):
        language, stem = page_language(pagename), Path(pagename).name
        return f"notebooks/{stem}.ipynb" if language == "en" else f"locale/{language}/LC_MESSAGES/{stem}.po"
    return PAGE_SOURCES.get(pagename)


def edit_url(path: str) -> str:
    """GitHub's editor for a file of the repository (a folder: its listing), on rnnlib.teaching.course.BRANCH."""
    from rnnlib.teaching import course

    kind = "tree" if (ROOT / path).is_dir() else "edit"
    return f"https://github.com/{course.REPOSITORY}/{kind}/{course.BRANCH}/{path}"


def issue_url(title: str, page_url: str, language: str = "en") -> str:
    """A new issue of the repository, its title and first line naming the page."""
    from urllib.parse import quote, urlencode

    from rnnlib.teaching import course

    body = PAGE_WORDS[language]["issue_body"].format(url=page_url)
    query = urlencode({"title": f"{title}: ", "body": body}, quote_via=quote)
    return f"https://github.com/{course.REPOSITORY}/issues/new?{query}"


#: the social card of each language (drawn by social_card when the site is built)
CARDS = {"en": "_static/social-card.png", "ko": "_static/social-card-ko.png"}
CARD_WORDS = {
    "en": {"title": "Recurrent Neural Networks, part 2",
           "subtitle": "long-term dependency · BPTT\nvanishing and exploding gradients",
           "note": "every claim computed in numpy: rnnlib", "alt": "the course's title and three gradient curves"},
    "ko": {"title": "순환 신경망(RNN) 2부", "subtitle": "장기 의존성 · BPTT\n기울기 소실과 폭발",
           "note": "모든 주장을 numpy로 계산한다: rnnlib", "alt": "강의 제목과 gradient 곡선 세 개"},
}


def _plain_title(title: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", title or "")).strip()


def page_context(app, pagename, templatename, context, doctree) -> None:
    """Each page in its own language, previous/next only within its own chain, its description and social card
    (Open Graph), and at its end the links to edit it and to report a problem with it."""
    from rnnlib.teaching import course

    language = page_language(pagename) if pagename.startswith("notebooks/") else "en"
    context["language"] = language
    related = getattr(app.builder, "relations", {}).get(pagename)
    if related:
        for key, other in (("prev", related[1]), ("next", related[2])):
            if other and _group(other) != _group(pagename):
                context[key] = None
    words = PAGE_WORDS[language]
    site_title = app.config.html_title if language == "en" else CHROME_KO.get(app.config.html_title, "")
    title = _plain_title(context.get("title")) or site_title
    url = course.site_url() + pagename + ".html"
    meta = [("name", "description", words["description"]), ("property", "og:title", title),
            ("property", "og:description", words["description"]), ("property", "og:type", "website"),
            ("property", "og:url", url), ("property", "og:site_name", site_title),
            ("property", "og:locale", {"en": "en_US", "ko": "ko_KR"}[language]),
            ("property", "og:image", course.site_url() + CARDS[language]),
            ("property", "og:image:width", "1200"), ("property", "og:image:height", "630"),
            ("property", "og:image:alt", CARD_WORDS[language]["alt"]),
            ("name", "twitter:card", "summary_large_image")]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n    <meta {kind}="{key}" content="{html.escape(value)}" />' for kind, key, value in meta)
    source = page_source(pagename)
    if source and "body" in context:
        context["body"] += (
            f'\n<p class="course-page-links"><a href="{html.escape(edit_url(source))}" '
            f'title="{html.escape(words["source"].format(path=source))}">{words["edit"]}</a> · '
            f'<a href="{html.escape(issue_url(title, url, language))}">{words["issue"]}</a></p>\n')


#: the theme's words on a Korean page, in Korean (text and attribute values outside the article)
CHROME_KO = {
    "Contents": "목차", "Search...": "검색...", "Search": "검색", "previous": "이전", "next": "다음",
    "previous page": "이전 페이지", "next page": "다음 페이지", "Back to top": "맨 위로",
    "Skip to main content": "본문으로 건너뛰기", "Site navigation": "사이트 탐색", "On this page": "이 페이지의 목차",
    "Toggle primary sidebar": "사이트 탐색 열기/닫기", "Toggle secondary sidebar": "이 페이지의 목차 열기/닫기",
    "Light": "밝게", "Dark": "어둡게", "System Settings": "시스템 설정", "Color mode": "색 모드",
    "Fullscreen mode": "전체 화면", "Source repository": "소스 저장소", "Reference": "참고 자료",
    "By the rnnlib course": "rnnlib 강의", "Main": "주 메뉴", "Page": "페이지", "Index": "색인",
    "Launch interactive content": "대화형으로 실행", "Launch on Binder": "Binder에서 실행",
    "Launch on Colab": "Colab에서 실행", "Open an issue": "이슈 열기", "Open issue": "이슈 열기",
    "Source repositories": "소스 저장소", "Repository": "저장소",
    "Version warning": "버전 경고", "References": "참고 문헌", "The rnnlib API": "rnnlib API",
    "RNNs, part 2: long-term dependency, BPTT, vanishing and exploding gradients":
        "RNN 2부: 장기 의존성, BPTT, 기울기 소실과 폭발",
}


def translate_chrome(page: str, words: dict[str, str]) -> str:
    """``page`` with the theme's words replaced outside the article (whose text is the notebook's own)."""
    start, end = page.find('<article class="bd-article">'), page.find("</article>")
    if start < 0 or end < 0:
        start = end = len(page)
    parts = [page[:start], page[end:]]
    for i, part in enumerate(parts):
        for english, korean in sorted(words.items(), key=lambda kv: -len(kv[0])):
            e = re.escape(english)
            part = re.sub(rf"(>\s*){e}(\s*<)", rf"\g<1>{korean}\g<2>", part)
            part = re.sub(rf'((?:title|aria-label|placeholder|alt|data-bs-title)="){e}(")', rf"\g<1>{korean}\g<2>",
                          part)
            part = part.replace(f" &#8212; {english}</title>", f" &#8212; {korean}</title>")
        parts[i] = part
    return parts[0] + page[start:end] + parts[1]


_FONTAWESOME = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


_CSS_ICON = re.compile(r'content:\s*"(\\[0-9a-fA-F]{4}|[\ue000-\uf8ff])"[^}]*?font-family:\s*"?Font Awesome')


def icons_in_stylesheets(out: Path) -> set[int]:
    """The Font Awesome characters the themes' stylesheets draw themselves (CSS content, not an fa- class)."""
    codes = set()
    for sheet in (out / "_static" / "styles").glob("*.css"):
        for m in _CSS_ICON.finditer(sheet.read_text(encoding="utf-8")):
            char = m.group(1)
            codes.add(int(char[1:], 16) if char.startswith("\\") else ord(char))
    return codes


_ICON_FAMILY = re.compile(r"font-family:\s*(Font Awesome\\ \d+ (?:Free|Brands))")


def align_icon_fonts(out: Path) -> None:
    """The book theme's own CSS draws an icon (the arrow by "Contents") in "Font Awesome 6 Free", a family no
    page declares: pydata-sphinx-theme ships Font Awesome 7. Each such name becomes the declared one."""
    sheets = {sheet: sheet.read_text(encoding="utf-8") for sheet in (out / "_static" / "styles").glob("*.css")}
    declared = {m.group(1) for text in sheets.values()
                for m in re.finditer(r"@font-face\{[^}]*?font-family:\s*([^;}]+)", text)}
    for sheet, text in sheets.items():
        def declared_name(m: re.Match) -> str:
            name = m.group(1)
            kind = name.rsplit(" ", 1)[1]
            same = sorted(d for d in declared if d.endswith(kind) and d.startswith("Font Awesome"))
            return m.group(0) if name in declared or not same else m.group(0).replace(name, same[-1])

        fixed = _ICON_FAMILY.sub(declared_name, text)
        if fixed != text:
            sheet.write_text(fixed, encoding="utf-8")


def subset_icons(out: Path) -> None:
    """The icons without fontawesome.js (1.5 MB; the theme's CSS draws them with its webfonts), and each webfont
    cut to the icons the pages use."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    used = set()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _FONTAWESOME.search(text):
            page.write_text(_FONTAWESOME.sub("", text), encoding="utf-8")
        used |= set(re.findall(r"\bfa-[a-z0-9-]+", text))
    for junk in out.glob("_static/scripts/fontawesome.js*"):
        junk.unlink()
    css = (out / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    codes = set()
    for rule in re.finditer(r"([^{}]+)\{--fa:\"\\([0-9a-f]+)\"", css):
        if set(re.findall(r"\.(fa-[a-z0-9-]+)", rule.group(1))) & used:
            codes.add(int(rule.group(2), 16))
    codes |= icons_in_stylesheets(out)      # e.g. the book theme's arrow by "Contents" when a wide cell hides it
    for font in (out / "_static" / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"):
        tt = TTFont(font)
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes & set(tt.getBestCmap()))
        subsetter.subset(tt)
        tt.flavor = "woff2"
        tt.save(font)


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
    editions = []
    for language in sorted({p.parent.name for p in translated}):
        (src / "notebooks" / language).mkdir()
        editions.append(f"```{{toctree}}\n:maxdepth: 1\n:caption: {LANGUAGES.get(language, language)}\n"
                        f":glob:\n\nnotebooks/{language}/*\n```\n")
    index_text = (src / "index.md").read_text(encoding="utf-8")
    if EDITIONS not in index_text:
        raise RuntimeError(f"docs/pages/index.md: no {EDITIONS} (where the other editions' contents go)")
    (src / "index.md").write_text(index_text.replace(EDITIONS, "\n".join(editions)), encoding="utf-8")
    cells = {name: explorer_cells(nb, page_language(name)) for name, nb in books.items()}
    app.course_frames = render_all([slider for found in cells.values() for _, slider in found])
    app.course_sliders = {}
    for name, nb in books.items():
        switch = language_switch(name, books)
        said = prompts(nb, cells[name])
        for n, (index, slider) in enumerate(cells[name]):
            if slider.key not in app.course_frames:
                continue
            block = slider_html(slider, "../" * (name.count("/") + 1), page_language(name), said[index],
                                uid=f"slider{n}")
            nb.cells[index].outputs = [nbformat.v4.new_output("display_data", data={"text/html": block})]
            tags = nb.cells[index].metadata.get("tags", [])
            nb.cells[index].metadata["tags"] = [*tags, "full-width"]      # its frames are 940 px wide
            app.course_sliders.setdefault(name, []).append(slider)
        for_the_site(nb, name)
        if switch:
            nb.cells.insert(1, nbformat.v4.new_markdown_cell(switch))
        nbformat.write(nb, src / "notebooks" / name)
    with open(src / "api.rst", "a", encoding="utf-8") as api:
        for package, modules in api_modules().items():
            title = f"{API_LAYERS[package]} (``{package}``)"
            api.write(f"\n{title}\n{'-' * len(title)}\n")
            for module in modules:
                api.write(f"\n{module}\n{'~' * len(module)}\n\n.. automodule:: {module}\n")
    index_page = src / "index.md"
    index_page.write_text(index_page.read_text(encoding="utf-8").replace("<!-- course-table -->",
                                                                         course_table(books)), encoding="utf-8")
    index = books["00_index.ipynb"]
    for page, title in SECTIONS.items():
        (src / f"{page}.md").write_text(section(index, title), encoding="utf-8")


def write_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for key, pngs in getattr(app, "course_frames", {}).items():
        for i, png in enumerate(pngs):   # numbered as slider.plan() numbers them
            path = out / FRAMES / key / f"{i:03d}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
    copy_mathjax(out / "_static" / "mathjax")
    align_icon_fonts(out)
    subset_icons(out)
    for path in [*NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"), *(p for lang in LANGUAGES
                                                         for p in (NOTEBOOKS / lang).glob("[0-9][0-9]_*.ipynb"))]:
        shutil.copy2(path, out / "notebooks" / path.relative_to(NOTEBOOKS))      # the download links
    for lang in LANGUAGES:
        for page in (out / "notebooks" / lang).glob("*.html"):
            page.write_text(translate_chrome(page.read_text(encoding="utf-8"), CHROME_KO), encoding="utf-8")
    for page in (out / "notebooks").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(figures_open_full_size(text, page, SLIDER_WORDS[page_language(
            page.relative_to(out).as_posix())]["zoom"]), encoding="utf-8")
    copy_button_in_korean(out / "_static" / "copybutton.js")
    for language, card in CARDS.items():
        (out / card).write_bytes(social_card(language))
    # what the themes ship for their own development: source maps and webpack's template fragments
    for junk in [*out.glob("_static/**/*.map"), *out.glob("_static/*webpack-macros.html")]:
        junk.unlink()


_FIGURE = re.compile(r'<img alt="([^"]*)" src="((?:\.\./)*_images/[^"]+\.png)" />')


def figures_open_full_size(page_html: str, page: Path, zoom: str) -> str:
    """Each notebook figure of a page: its size in pixels, loaded when scrolled near, in a box that scrolls
    sideways, and a button that shows it at full size (course-sliders.js), which a phone needs to read it."""
    def figure(m: re.Match) -> str:
        width, height = png_size((page.parent / html.unescape(m.group(2))).read_bytes())
        return (f'<div class="course-figure-view"><img alt="{m.group(1)}" src="{m.group(2)}" width="{width}" '
                f'height="{height}" loading="lazy" class="course-figure" tabindex="0" role="button" '
                f'aria-pressed="false" title="{html.escape(zoom)}" /></div>')

    return _FIGURE.sub(figure, page_html)


#: sphinx-copybutton's words in Korean (its own table has none): the tooltip and what a copy says
COPY_BUTTON_KO = {"copy": "복사", "copy_to_clipboard": "클립보드에 복사", "copy_success": "복사 완료!",
                  "copy_failure": "복사 실패"}


def copy_button_in_korean(script: Path) -> None:
    """Add Korean to sphinx-copybutton's table of messages, which it picks by the page's lang."""
    text = script.read_text(encoding="utf-8")
    start = "const messages = {"
    if start not in text:
        raise RuntimeError(f"{script.name}: no '{start}' (sphinx-copybutton changed): the Korean tooltip")
    if "'ko'" not in text:
        script.write_text(text.replace(start, f"{start}\n  'ko': {json.dumps(COPY_BUTTON_KO, ensure_ascii=False)},",
                                       1), encoding="utf-8")


def social_card(language: str) -> bytes:
    """The picture a link to the site shows on other sites (Open Graph), 1200 x 630: the course's title and
    the three regimes of a product of factors w over the lag (decay, neither, growth), in the course's colours."""
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from rnnlib.teaching import i18n
    from rnnlib.teaching.style import RC, regime_color

    words = CARD_WORDS[language]
    title = {"fontsize": 36, "fontweight": "bold"}
    hangul = i18n.hangul_font_path()
    if language != "en" and hangul is not None and hangul.with_name("NanumGothicBold.ttf").is_file():
        from matplotlib.font_manager import FontProperties

        title = {"fontproperties": FontProperties(fname=hangul.with_name("NanumGothicBold.ttf"), size=36)}
    with matplotlib.rc_context({**RC, **i18n.figure_rc(language), "axes.grid": False}):
        fig = Figure(figsize=(12, 6.3), dpi=100, facecolor="white")
        fig.text(0.06, 0.86, words["title"], va="top", color="0.1", **title)
        fig.text(0.06, 0.64, words["subtitle"], fontsize=26, va="top", color="0.25", linespacing=1.4)
        fig.text(0.06, 0.08, words["note"], fontsize=18, color="0.35")
        ax = fig.add_axes((0.62, 0.16, 0.33, 0.4))
        lags = np.arange(61)
        for w in (0.9, 1.0, 1.1):
            ax.plot(lags, lags * np.log10(w), color=regime_color(np.log10(w)), lw=4)
            ax.text(61, 60 * np.log10(w), f"  w = {w}", va="center", fontsize=16, color=regime_color(np.log10(w)))
        ax.set_xlim(0, 75)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(r"lag $T - k$", fontsize=16)
        ax.set_ylabel(r"$\log_{10}|\partial h_T / \partial h_k|$", fontsize=16)
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


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
    app.connect("html-page-context", page_context)
    app.connect("autodoc-process-docstring", literal_docstrings)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
