"""Figures: axes come back labelled, with finite data, and bad input is refused by name."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnlib.teaching.plots import (  # noqa: E402
    REGIME_WORDS,
    influence_regime,
    influence_vs_step,
    regime_colors,
    success_vs_lag,
)
from rnnlib.teaching.style import COLORS  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _finite_lines(ax):
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
    assert lines
    for ln in lines:
        assert np.all(np.isfinite(np.asarray(ln.get_xydata(), dtype=float)))
    return lines


def test_success_vs_lag_labelled_and_finite():
    lags = [2, 4, 8]
    acc = {"vanilla": np.array([[1.0, 1.0], [0.9, 0.5], [0.25, 0.3]])}
    ax = success_vs_lag(lags, acc, 0.25, title="t")
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "t"
    _finite_lines(ax)
    assert len(ax.collections) == 1                                  # every seed a point, and no median marker
    seeds = ax.collections[0]
    assert np.allclose(np.sort(seeds.get_offsets()[:, 1]), np.sort(acc["vanilla"].ravel()))
    counts = [(t.get_text(), t.xy[0]) for t in ax.texts]             # how many seeds learned, above each lag
    assert [c[0] for c in counts] == ["2/2", "1/2", "0/2"]
    assert np.allclose([c[1] for c in counts], lags)                 # one model: at the lags themselves
    assert not [ln for ln in ax.get_lines() if len(ln.get_xdata()) == len(lags)]   # no line between lags
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "vanilla (each seed)" in labels and any(lab.startswith("k/S") for lab in labels)
    assert not any("median" in lab for lab in labels)


def test_success_vs_lag_count_colour_is_its_model_colour():
    acc = {"a": np.array([[1.0, 0.2]]), "b": np.array([[0.95, 0.91]])}
    ax = success_vs_lag([5], acc, 0.25, colors={"a": "#0072b2", "b": "#d55e00"})
    by_text = {t.get_text(): t.get_color() for t in ax.texts}
    from matplotlib.colors import to_hex
    assert to_hex(by_text["1/2"]) == "#0072b2" and to_hex(by_text["2/2"]) == "#d55e00"


def test_success_vs_lag_rejects_mismatched_accuracies():
    with pytest.raises(ValueError, match=r"^accuracies\['v'\]: expected"):
        success_vs_lag([2, 4], {"v": np.ones((3, 2))}, 0.25)


def test_influence_vs_step_log_axis_and_measured_points():
    curves = {"w = 0.5": np.arange(10) * np.log10(0.5), "w = 1.1": np.arange(10) * np.log10(1.1)}
    measured = {"w = 0.5": (np.array([1, 6]), np.array([0.0, 5 * np.log10(0.5)]))}   # steps t from 1
    fig, ax0 = plt.subplots()
    ax = influence_vs_step(curves, measured=measured, threshold=0.01, colors={"w = 1.1": "red"}, ax=ax0, title="x")
    assert ax is ax0 and ax.get_yscale() == "log"
    assert ax.get_xlabel().startswith("step t") and ax.get_ylabel() and ax.get_title() == "x"
    lines = _finite_lines(ax)
    assert np.array_equal(lines[0].get_xdata(), np.arange(1, 11))     # entry t - 1 is drawn at step t
    assert np.allclose(lines[0].get_ydata(), 0.5 ** np.arange(10))
    assert np.allclose(lines[1].get_ydata(), [1.0, 0.5**5])           # the measured circles
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "w = 0.5" in labels and "level 0.01" in labels


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"curves": {}}, "curves"),
        ({"curves": {"a": np.array([0.0, np.nan])}}, r"curves\['a'\]"),
        ({"curves": {"a": np.array([0.0, 400.0])}}, r"curves\['a'\]"),
        ({"measured": {"b": (np.zeros(1), np.zeros(1))}}, "measured"),
        ({"measured": {"a": (np.zeros(2), np.zeros(3))}}, r"measured\['a'\]\[1\]"),
        ({"threshold": -1.0}, "threshold"),
    ],
)
def test_influence_vs_step_bad_input(kwargs, name):
    args = {"curves": {"a": np.zeros(3)}} | kwargs
    curves = args.pop("curves")
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        influence_vs_step(curves, **args)


def test_influence_regime_is_measured_from_the_curve():
    steps = np.arange(60)
    assert influence_regime(steps * np.log10(0.5)) == "vanish"
    assert influence_regime(steps * np.log10(1.1)) == "explode"
    assert influence_regime(np.zeros(60)) == "stable"
    assert influence_regime(np.array([0.0, -0.9])) == "stable"          # within tol = 1 decade
    assert influence_regime(np.array([0.0, -0.9]), tol=0.5) == "vanish"
    assert influence_regime(np.array([0.0, 3.0, 0.2])) == "stable"      # the end decides, not the bump
    assert set(REGIME_WORDS) == {"vanish", "stable", "explode"} <= set(COLORS)


def test_regime_colors_follow_the_regime_not_the_weight():
    steps = np.arange(40)
    curves = {"g = 0.5": steps * -0.4, "g = 1": steps * -0.2, "g = 2": np.full(40, 0.3), "w = 1.1": steps * 0.04}
    colors = regime_colors(curves)
    assert list(colors) == list(curves)
    assert colors["g = 0.5"] == COLORS["vanish"]                         # strongest decay: the full blue
    assert colors["g = 1"] not in (COLORS["vanish"], COLORS["stable"], COLORS["explode"])
    assert colors["g = 2"] == COLORS["stable"] and colors["w = 1.1"] == COLORS["explode"]
    lighter = np.array([int(colors["g = 1"][i:i + 2], 16) for i in (1, 3, 5)])
    blue = np.array([int(COLORS["vanish"][i:i + 2], 16) for i in (1, 3, 5)])
    assert np.all(lighter >= blue) and lighter[2] > lighter[0]          # a lighter shade, still blue


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: influence_regime(np.array([1.0])), "log10_values"),
        (lambda: influence_regime(np.array([0.0, np.inf])), "log10_values"),
        (lambda: influence_regime(np.zeros(3), tol=0.0), "tol"),
        (lambda: regime_colors({}), "curves"),
        (lambda: regime_colors({"a": np.zeros(1)}), r"curves\['a'\]"),
    ],
)
def test_regime_bad_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        call()


def test_success_vs_lag_skips_lags_a_model_was_not_trained_on():
    acc = {"all": np.array([[1.0, 1.0], [0.3, 0.9]]), "last only": np.array([[np.nan, np.nan], [0.25, 1.0]])}
    ax = success_vs_lag([5, 30], acc, 0.25)
    seeds = ax.collections[1]                                # the second model's points: lag 30 only
    assert np.allclose(np.sort(seeds.get_offsets()[:, 1]), [0.25, 1.0])
    with pytest.raises(ValueError, match="no measured lag"):
        success_vs_lag([5, 30], {"none": np.full((2, 2), np.nan)}, 0.25)


def test_success_vs_lag_legend_keywords_keep_the_count_entry():
    ax = success_vs_lag([5], {"a": np.array([[1.0, 0.2]])}, 0.25, legend={"loc": "upper right", "fontsize": 7})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("k/S") for lab in labels) and ax.get_legend()._loc == 1
