"""The figures and tables of the course speak the notebook's language: every public figure of
rnnlib.teaching.diagrams and rnnlib.teaching.plots drawn in Korean has Hangul titles and labels, no English
sentence left and no missing glyph; drawn in English, its texts are those the figures had before they were
translated (``ENGLISH``, collected from the untranslated code with ``_figure_texts``). The glossary table and
the captions of ``source.show`` are Korean too, and unchanged in English."""

from __future__ import annotations

import inspect
import json
import re
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from i18n_check import english_left  # noqa: E402
from test_i18n import draw_without_missing_glyphs  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import cliff  # noqa: E402
from rnnlib.teaching import diagrams, i18n, plots, source  # noqa: E402
from rnnlib.teaching.glossary import GLOSSARY  # noqa: E402

# --- one drawing of every public figure, with inputs like the notebooks' --------------------------------------


def _contributions(T: int = 12) -> np.ndarray:
    t, k = np.indices((T, T))
    return np.where(k <= t, 0.7 ** (t - k) * (1.0 + 0.1 * np.cos(t + 2 * k)), 0.0)


@cache
def _problem(T: int = 40):
    rng = np.random.default_rng(0)
    params = rnnlib.init_params(3, 8, 2, rng)
    Hs, state_cache = rnnlib.rnn_forward(rng.normal(size=(T, 2, 3)), params, np.zeros((2, 8)))
    return rng.normal(size=Hs.shape), state_cache


def _truncation(T: int = 40):
    dH, cache = _problem(T)
    G = rnnlib.rnn_backward(dH, cache)[3]
    Ks = [1, 2, 4, 8, 16, 32, 39, 40, 64]
    errors, cosines = {}, {}
    for name, method in {"per-term window": rnnlib.truncated_bptt, "chunked": rnnlib.chunked_bptt}.items():
        Gs = [method(dH, cache, K)[3] for K in Ks]
        errors[name] = np.array([np.linalg.norm(g - G) / np.linalg.norm(G) for g in Gs])
        cosines[name] = np.array([np.sum(g * G) / (np.linalg.norm(g) * np.linalg.norm(G)) for g in Gs])
    return Ks, errors, cosines, T


def _costs(T: int = 40):
    from rnnlib import costs

    Ks = [1, 2, 4, 8, 16, 32, 39, 40, 64]
    states = {"full BPTT": np.full(len(Ks), costs.stored_states(T, None, "full")),
              "per-term window": np.array([costs.stored_states(T, K, "window") for K in Ks]),
              "chunked": np.array([costs.stored_states(T, K, "chunked") for K in Ks])}
    dH, cache = _problem(T)
    count = costs.count_backward_products
    products = {"full BPTT": np.full(len(Ks), count(rnnlib.rnn_backward, dH, cache)),
                "per-term window": np.array([count(rnnlib.truncated_bptt, dH, cache, K) for K in Ks]),
                "chunked": np.array([count(rnnlib.chunked_bptt, dH, cache, K) for K in Ks])}
    return Ks, states, products, T


def _accuracies():
    rng = np.random.default_rng(1)
    lags = [5, 10, 20, 30, 40]
    learned = np.array([[1.0] * 6, [1.0] * 5 + [0.3], [1.0, 1.0, 0.3, 0.25, 0.3, 0.28], [0.3] * 6, [0.25] * 6])
    gated = np.clip(learned + rng.uniform(0, 0.6, learned.shape), 0, 1)
    return lags, {"vanilla tanh RNN, H = 16": learned, "gated": gated}


def _cliff():
    ws, bs = np.linspace(3.0, 7.0, 41), np.linspace(-3.5, -1.0, 31)
    paths = {mode: cliff.descent_path((5.0, -2.25), 1.0, 40, clip=mode, threshold=0.5) for mode in cliff.CLIP_MODES}
    return ws, bs, cliff.cliff_surface(ws, bs), paths


def _influence():
    steps = np.arange(40)
    curves = {f"w = {w}": steps * np.log10(w) for w in (0.5, 1.0, 1.1)}
    measured = {f"w = {w}": (np.arange(1, 41, 3), np.arange(0, 40, 3) * np.log10(w)) for w in (0.5, 1.0, 1.1)}
    return curves, measured


#: name -> a function that draws the figure; every public figure function appears (tested below)
FIGURES = {
    "draw_unrolled_graph": lambda: diagrams.draw_unrolled_graph(4),
    "draw_unrolled_graph highlight": lambda: diagrams.draw_unrolled_graph(4, highlight=(4, 2)),
    "draw_unrolled_graph blocks": lambda: diagrams.draw_unrolled_graph(6, blocks=3),
    "draw_unrolled_graph highlight blocks": lambda: diagrams.draw_unrolled_graph(6, highlight=(5, 2), blocks=3),
    "plot_contribution_matrix": lambda: diagrams.plot_contribution_matrix(_contributions()),
    "plot_contribution_by_lag": lambda: diagrams.plot_contribution_by_lag(_contributions()),
    "plot_truncation_error": lambda: diagrams.plot_truncation_error(*_truncation()),
    "plot_truncation_costs": lambda: diagrams.plot_truncation_costs(*_costs()),
    "plot_contribution_triangle": lambda: diagrams.plot_contribution_triangle(
        np.tril(np.random.default_rng(4).normal(size=(4, 4))) * 0.3),
    "plot_window_convergence": lambda: diagrams.plot_window_convergence(*_truncation()),
    "success_vs_lag": lambda: plots.success_vs_lag(*_accuracies(), chance=0.25),
    "influence_vs_step": lambda: plots.influence_vs_step(
        _influence()[0], measured=_influence()[1], colors=plots.regime_colors(_influence()[0]), threshold=0.01),
    "plot_cliff": lambda: plots.plot_cliff(*_cliff()[:3], _cliff()[3]),
}
#: the labels the figures above are given by their caller (a notebook's words, not the figure's)
CALLERS = {"per-term window", "chunked", "full BPTT", "vanilla tanh RNN, H = 16", "gated", "none", "norm",
           "elementwise", "w = 0.5", "w = 1.0", "w = 1.1"}
#: figure texts that are notation in both languages although they hold a word: the lecture's formula of the loss
NOTATION = {r"Loss $(\sigma(h_{50}) - 0.7)^2$"}
#: figure texts the Korean edition writes in English, as its prose and explorers do: the bias b of the unit
KEPT_ENGLISH = {"bias $b$"}
#: English words the Korean figures keep beside those of tests/i18n_check.py (the Korean notebooks write them)
ALSO = {"forward", "backward", "pass", "window", "full"}
#: every figure's words in English, as the figures wrote them before they were translated (collected with
#: ``_figure_texts(name, "en")`` from the untranslated code)
ENGLISH = json.loads((Path(__file__).parent / "data" / "figure_texts_en.json").read_text(encoding="utf-8"))

_MATHDEFAULT = re.compile(r"^\$\\mathdefault\{[^$]*\}\$$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _figure_texts(name: str, language: str) -> list[str]:
    """The words of one figure in ``language``: every text with a letter in it, tick numbers left out."""
    texts = draw_without_missing_glyphs(FIGURES[name], language)
    return [t for t in texts if not _MATHDEFAULT.match(t) and re.search(r"[A-Za-z\uac00-\ud7a3]", t)]


def _is_notation(text: str) -> bool:
    """Maths, symbols and one-letter names only: ``$W_{hh}$``, ``k = 1``, `` K = T = 40``, ``41 = T + 1``
    (a Hangul word is a word)."""
    return text in NOTATION or not re.search(r"[A-Za-z]{2,}|[\uac00-\ud7a3]", re.sub(r"\$[^$]*\$", " ", text))


def _readable(figure) -> list[str]:
    """The texts a learner reads as words in ``figure``: titles, axis labels, legends, annotations."""
    found = []
    for ax in figure.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
        if ax.get_legend() is not None:
            found += [t.get_text() for t in ax.get_legend().get_texts()]
    return [t for t in found if t and t not in CALLERS and t not in KEPT_ENGLISH and not _is_notation(t)]


# --- the figures ------------------------------------------------------------------------------------------------

def test_every_public_figure_function_is_drawn():
    drawn = {name.split()[0] for name in FIGURES}
    for module in (diagrams, plots):
        public = {n for n, f in vars(module).items() if inspect.isfunction(f) and not n.startswith("_")
                  and f.__module__ == module.__name__}
        figures = public - {"influence_regime", "regime_colors"}          # these two compute, not draw
        assert figures <= drawn, f"{module.__name__}: figures not drawn here: {sorted(figures - drawn)}"
    assert set(ENGLISH) == set(FIGURES)


@pytest.mark.parametrize("name", list(FIGURES))
def test_english_figures_keep_their_texts(name):
    assert _figure_texts(name, "en") == ENGLISH[name]


@pytest.mark.parametrize("name", list(FIGURES))
def test_korean_figures_speak_korean_without_missing_glyphs(name):
    readable: list[str] = []

    def draw():
        FIGURES[name]()
        for number in plt.get_fignums():
            readable.extend(_readable(plt.figure(number)))

    texts = draw_without_missing_glyphs(draw, "ko")               # a missing glyph fails here
    assert readable, "no words found"
    without = [t for t in readable if not _HANGUL.search(t)]
    assert not without, f"titles, labels and legends without Hangul: {without}"
    left = {t: english_left(t, also=ALSO) for t in texts if t not in CALLERS | NOTATION | KEPT_ENGLISH}
    assert not {t: e for t, e in left.items() if e}, f"English left: { {t: e for t, e in left.items() if e} }"
    # what stays the same in both languages is notation or the caller's words
    same = set(texts) & set(ENGLISH[name])
    assert all(_is_notation(t) or t in CALLERS | KEPT_ENGLISH for t in same), sorted(same)


def test_log_axes_draw_the_same_ticks_in_both_languages_and_korean_ones_have_every_glyph():
    """Log ticks are ``$\\mathdefault{10^{-3}}$``: the text font without fallback, so in Korean the Hangul font
    must have the minus sign (draw_without_missing_glyphs fails on a substituted glyph)."""
    from matplotlib.ticker import LogFormatterSciNotation

    def draw():
        ax = plots.influence_vs_step(_influence()[0])
        labels.append((type(ax.yaxis.get_major_formatter()), ax.yaxis.get_major_formatter()(1e-3)))

    labels: list = []
    draw_without_missing_glyphs(draw, "en")
    draw_without_missing_glyphs(draw, "ko")
    (english, english_label), (korean, korean_label) = labels
    assert english is korean is LogFormatterSciNotation
    assert english_label == korean_label == r"$\mathdefault{10^{-3}}$"


def test_the_regime_words_follow_the_language():
    assert dict(plots.REGIME_WORDS) == {"vanish": "decays", "stable": "neither decays nor grows", "explode": "grows"}
    previous = i18n.get_language()
    try:
        i18n.set_language("ko")
        words = dict(plots.REGIME_WORDS)
    finally:
        i18n.set_language(previous)
    assert set(words) == set(plots.REGIME_MESSAGES) and all(_HANGUL.search(w) for w in words.values())
    assert len(set(words.values())) == 3


# --- the glossary table and the source listings -------------------------------------------------------------------

#: the English edition's glossary header, as the glossary wrote it before translation
ENGLISH_HEADER = ("| English | 한국어 | prose · 본문의 표기 | also seen · 다른 교재의 표기 "
                  "| first met in · 처음 나오는 곳 |")


def test_the_glossary_table_has_korean_headers_and_the_english_one_is_unchanged():
    english, korean = GLOSSARY.markdown(language="en"), GLOSSARY.markdown(language="ko")
    assert english == GLOSSARY.markdown()                          # the notebook's language: English here
    assert english.splitlines()[0] == ENGLISH_HEADER
    assert "01 (derived in 02)" in english and "01 (as a remedy in 04)" in english
    assert "\n**Wrong · 틀린 표기:** " in english
    header = korean.splitlines()[0]
    assert header.count("|") == ENGLISH_HEADER.count("|") and _HANGUL.search(header)
    assert not re.search(r"[A-Za-z]", header), header
    assert "**Wrong" not in korean and "\n**틀린 표기:** " in korean
    assert "derived in" not in korean and "as a remedy" not in korean
    assert len(korean.splitlines()) == len(english.splitlines())
    # the rows are the data: the same in both editions except the first-met remarks
    rows = [(e, k) for e, k in zip(english.splitlines()[2:], korean.splitlines()[2:]) if e != k and e[:1] == "|"]
    assert [e.split("|")[1] for e, _ in rows] == [" backpropagation through time (BPTT) ", " initialization "]
    previous = i18n.get_language()
    try:
        i18n.set_language("ko")
        assert GLOSSARY._repr_markdown_() == korean and _HANGUL.search(repr(GLOSSARY))
    finally:
        i18n.set_language(previous)
    assert repr(GLOSSARY) == f"Glossary: {len(GLOSSARY.terms)} English–Korean terms (shown as a table in Jupyter)"


@pytest.mark.parametrize("func", [rnnlib.rnn_step_backward, rnnlib.rnn_backward, rnnlib.scalar_log10_jacobian])
def test_source_listings_say_what_they_left_out_in_korean_and_keep_the_code(func):
    english = source.core(func).splitlines()
    previous = i18n.get_language()
    try:
        i18n.set_language("ko")
        korean = source.core(func).splitlines()
    finally:
        i18n.set_language(previous)
    notes = [i for i, line in enumerate(english) if line.lstrip().startswith(source.NOTE)]
    assert [i for i, line in enumerate(korean) if line.lstrip().startswith(source.NOTE)] == notes
    assert [line for i, line in enumerate(korean) if i not in notes] == \
        [line for i, line in enumerate(english) if i not in notes]           # the code itself is the same
    for i in notes[:-1]:
        assert re.fullmatch(r"\s*# · left out: [a-z, ]+ \(\d+ lines?\)", english[i]), english[i]
        assert re.fullmatch(r"\s*# · 생략: [\w, ]+\(\d+줄\)", korean[i]), korean[i]
        assert not english_left(korean[i])
    assert english[-1].startswith("# · full source: inspect.getsource(")
    assert korean[-1] == english[-1].replace("full source", "전체 소스")
