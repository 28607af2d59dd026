"""The explorers in Korean: every control at its extremes, with Korean labels, tooltips, options, readouts and
figure text (no English left but the words the Korean edition keeps), drawn with no missing glyph.

The English explorers are tested in test_widgets.py; these tests build the same explorers with the course's
language set to Korean (as ``setup_notebook(language="ko")`` does) and put it back to English afterwards.
pytest runs with filterwarnings = error, so any warning raised while computing or drawing fails.
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from i18n_check import english_left  # noqa: E402
from test_i18n import draw_without_missing_glyphs  # noqa: E402
from test_widgets import PNG, plotted_finite  # noqa: E402

from rnnlib.teaching import _views as V  # noqa: E402
from rnnlib.teaching import i18n  # noqa: E402
from rnnlib.teaching import widgets as W  # noqa: E402

pytestmark = [
    pytest.mark.filterwarnings("ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:'\w+' deprecated - use:DeprecationWarning"),
]

#: Words the Korean notebooks keep in English beside the glossary's: the explorers' "input scale" and "bias"
#: (03: "input scale $s$와 bias $b$"), "forward pass" (03: "forward pass를 따라 잰") and "explorer".
ALSO = frozenset({"scale", "bias", "forward", "pass", "explorer", "vanilla"})
CLASSES = {"scalar": W.ScalarExplorer, "matrix": W.MatrixExplorer, "cliff": W.CliffExplorer, "leak": W.LeakExplorer,
           "contribution": W.ContributionExplorer}


def hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def width(label: str) -> int:
    """About how wide a label is drawn, in Latin letters: a Hangul syllable counts two."""
    return sum(2 if hangul(c) else 1 for c in label)


@pytest.fixture(scope="module", autouse=True)
def korean():
    """Korean for every test of this module, English again after it (whatever a test left behind)."""
    i18n.set_language("ko")
    try:
        yield
    finally:
        i18n.set_language("en")


def learner_texts(explorer) -> list[str]:
    """Everything the learner reads around the picture: readout, note, labels, tooltips, option names, the
    one-line text of a stored notebook."""
    texts = [explorer.readout.value, explorer.note.value, explorer._repr_mimebundle_()["text/plain"]]
    for box in (explorer.readout, explorer.note):
        trait = W.tooltip_trait(box)
        texts.append(getattr(box, trait) if trait else "")
    for name, control in explorer.controls.items():
        c = explorer.view.controls[name]
        texts += [c.label, getattr(control, W.tooltip_trait(control)), getattr(control, "description", "")]
        texts += list(getattr(control, "tooltips", ()) or ())
        if c.kind == "choice":
            texts += [V.option_words(o) for o in c.options]
    return texts


def assert_korean(texts: list[str]) -> None:
    left = {t: english_left(t, also=ALSO) for t in texts if t}
    assert not any(left.values()), {t: words for t, words in left.items() if words}


@pytest.mark.parametrize("name", list(CLASSES))
def test_every_control_at_its_extremes_speaks_korean(name):
    explorer = CLASSES[name]()
    view = explorer.view
    assert hangul(explorer.title) and hangul(explorer.readout.value)
    for key, c in view.controls.items():
        middle = c.lo + round((c.hi - c.lo) / 2 / c.step) * c.step if c.kind != "choice" else None
        for value in (c.options if c.kind == "choice" else (c.lo, c.hi, middle)):
            explorer.controls[key].value = value
            assert explorer.settings()[key] == (value if c.kind == "choice" else pytest.approx(value))
            assert bytes(explorer.image.value).startswith(PNG)
            plotted_finite(explorer)
            assert_korean(learner_texts(explorer))
    for end in ("hi", "lo"):
        explorer.set(**{k: (getattr(c, end) if c.kind != "choice" else c.options[-1 if end == "hi" else 0])
                        for k, c in view.controls.items()})
        plotted_finite(explorer)
        assert_korean(learner_texts(explorer))
    assert i18n.get_language() == "ko"


def test_labels_and_tooltips_are_korean_and_labels_short():
    i18n.set_language("en")
    try:
        english = {name: cls.view_class.controls for name, cls in CLASSES.items()}
    finally:
        i18n.set_language("ko")
    for name, cls in CLASSES.items():
        for key, c in cls.view_class.controls.items():
            assert hangul(c.tooltip), (name, key, c.tooltip)
            # ipywidgets gives a label little room: no wider than the English one (a Hangul syllable: two letters)
            assert width(c.label) <= width(english[name][key].label), (name, key, c.label)
        assert hangul(cls.view_class.title)
        assert all(hangul(label) for _, _, label in cls.view_class.legend), cls.view_class.legend


def test_options_are_shown_in_korean_and_keep_their_english_values():
    matrix = W.MatrixExplorer()
    kind = matrix.controls["kind"]
    assert [value for _, value in kind.options] == ["gaussian", "orthogonal", "non-normal", V.SHEARED]
    assert [label for label, _ in kind.options] == ["가우스", "직교", "비정규", "전단, ρ = 0.9"]
    matrix.set(kind=V.SHEARED)
    assert matrix.settings()["kind"] == V.SHEARED and matrix.controls["sigma_max"].disabled
    assert "전단" in matrix.note.value and "σ_max" in matrix.note.value
    assert matrix.controls["nonlinearity"].options == ("linear", "tanh", "sigmoid")   # f's names stay as in f = tanh
    cliff = W.CliffExplorer()
    assert [label for label, _ in cliff.controls["clip"].options] == ["없음", "노름", "원소별"]
    assert "노름이나 원소별을 고르자" in cliff.note.value
    cliff.set(clip="norm")
    assert cliff.settings()["clip"] == "norm" and "클리핑(노름):" in cliff.readout.value


def test_readouts_name_the_regime_in_korean_and_keep_the_numbers():
    scalar = W.ScalarExplorer()
    for w, word in ((0.9, "소실"), (1.1, "폭발"), (1.0, "안정"), (0.0, "소실")):
        scalar.set(w=w)
        assert scalar.curves.regime in ("vanishing", "exploding", "stable")      # the data stay English
        assert scalar.curves.readout.startswith(word + ":"), scalar.curves.readout
    scalar.set(w=0.9, T=100)
    assert "T = 100 step 뒤 |∂h_T/∂h_0| = 10^-4.6" in scalar.curves.readout
    matrix = W.MatrixExplorer()
    matrix.set(nonlinearity="tanh", sigma_max=1.0)
    assert matrix.curves.verdict == "cannot explode" and "폭발할 수 없지만" in matrix.curves.readout
    matrix.set(sigma_max=0.8)
    assert "소실의 충분조건" in matrix.curves.readout
    cliff = W.CliffExplorer()
    assert cliff.readout.value.count("그림 밖으로 내던져짐") == 1


def test_off_range_notes_are_korean():
    view = V.ScalarView(w=0.05, T=100)
    assert view.artists["jacobian_edge_text"].get_text() == "↓ lag 25부터 그림 밖, 가장 낮은 값은 lag 100의 10^-130.1"
    view.update(w=0.0)
    assert "모든 k에서" in view.artists["zero_text"].get_text()
    view = V.ContributionView(nonlinearity="tanh", w=1.5, input_scale=0.0)
    assert "모든 C[T,k]가 0" in view.artists["zero_text"].get_text()


def _extremes(view_class) -> list[dict]:
    """One setting per end of every control, then all at their highs and all at their lows."""
    out = []
    for key, c in view_class.controls.items():
        out += [{key: v} for v in (c.options if c.kind == "choice" else (c.lo, c.hi))]
    out.append({k: (c.hi if c.kind != "choice" else c.options[-1]) for k, c in view_class.controls.items()})
    out.append({k: (c.lo if c.kind != "choice" else c.options[0]) for k, c in view_class.controls.items()})
    return out


@pytest.mark.parametrize("name", list(V.VIEWS))
def test_every_view_draws_korean_without_a_missing_glyph(name):
    """Every text of the picture, at every extreme, drawn in the Hangul font (and its fallback) with no glyph
    missing; the titles and axis labels of the picture carry Hangul."""
    from matplotlib.text import Text

    view_class = V.VIEWS[name]
    texts: list[str] = []
    shown: list[str] = []

    def draw():
        view = view_class()
        for settings in _extremes(view_class):
            view.update(**settings)                      # draws the animated texts (edge notes, readings)
            shown.extend(t.get_text() for t in view.figure.findobj(Text) if t.get_text())
        view.figure.savefig(io.BytesIO(), format="png")  # and everything else once more
        texts.extend(t.get_text() for ax in view.figure.axes
                     for t in (ax.title, ax.xaxis.label, ax.yaxis.label) if t.get_text())

    draw_without_missing_glyphs(draw)
    assert any(hangul(t) for t in texts), texts
    assert_korean(shown)
    if name != "leak":                                   # its only annotation: a line off the plot, never here
        assert any(hangul(t) for t in set(shown) - set(texts)), "no Korean annotation drawn"


@pytest.mark.parametrize("figure", ["scalar", "matrix", "contribution", "leak"])
def test_static_figures_in_korean(figure):
    make = getattr(W, f"{figure}_static_figure")
    texts = draw_without_missing_glyphs(make)
    assert any(hangul(t) for t in texts), texts
    assert_korean(texts)


@pytest.mark.parametrize("name", list(V.VIEWS))
def test_korean_frames_are_the_korean_explorers_pictures(name):
    """render_frames(language="ko") draws what the live explorer of a Korean notebook shows, unlike the English
    frames, without a missing glyph, and leaves the kernel's language as it was."""
    control = list(V.VIEWS[name].controls)[0]
    c = V.VIEWS[name].controls[control]
    values = list(c.options) if c.kind == "choice" else [c.lo, c.hi, c.lo + 10 * c.step]
    settings = {"T": 50} if "T" in V.VIEWS[name].controls else {}
    frames: list[bytes] = []
    draw_without_missing_glyphs(lambda: frames.extend(W.render_frames(name, control, values, language="ko",
                                                                      **settings)))
    i18n.set_language("en")
    try:
        english = W.render_frames(name, control, values, **settings)
    finally:
        i18n.set_language("ko")
    assert all(k != e for k, e in zip(frames, english))
    live = CLASSES[name](**settings)
    for value, frame in zip(values, frames):
        live.controls[control].value = value
        assert bytes(live.image.value) == frame
    assert i18n.get_language() == "ko"


def test_the_site_draws_korean_frames_for_the_korean_edition():
    """docs/_ext/course_site.py asks render_frames for a page's own language: the Korean pages get Korean frames
    (their own folder), the English ones English frames."""
    import nbformat
    from test_site import ROOT, _course_site

    site = _course_site()
    for folder, language in ((ROOT / "notebooks", "en"), (ROOT / "notebooks" / "ko", "ko")):
        nb = nbformat.read(folder / "03_vanishing_exploding_gradients.ipynb", as_version=4)
        sliders = [slider for _, slider in site.explorer_cells(nb, language)]
        assert sliders and all(s.language == language and s.key.endswith(f"_{language}") for s in sliders)
