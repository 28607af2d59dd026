"""Notebook 03's explorers driven from pytest: every slider at its ends and middle, readouts, pictures.

The numbers behind them (``rnnlib.curves``) are tested in test_curves.py.

pytest runs with filterwarnings = error, so any warning raised while computing or drawing fails.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from rnnlib import curves  # noqa: E402
from rnnlib import widgets as W  # noqa: E402
from rnnlib.activations import GAMMA  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"

pytestmark = [
    # Colab's versions (make test-compat): ipywidgets 7 opens comms through ipykernel's deprecated Comm class,
    # and matplotlib 3.10.0 calls pyparsing names that pyparsing 3.3 deprecates. Neither is ours to fix.
    pytest.mark.filterwarnings("ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:'\w+' deprecated - use:DeprecationWarning"),
]


def png_of(explorer) -> bytes:
    """The bytes the Image widget holds (ipywidgets 8 stores a memoryview, 7 bytes)."""
    return bytes(explorer.image.value)


def plotted_finite(explorer) -> None:
    """Every line drawn has finite data, and the axis limits are finite and increasing."""
    for line in explorer.ax.get_lines():
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y)), line.get_label()
    for lo, hi in (explorer.ax.get_xlim(), explorer.ax.get_ylim()):
        assert np.isfinite(lo) and np.isfinite(hi) and lo < hi


def slider_values(ranges: dict, name: str) -> list:
    lo, hi, step = ranges[name]
    mid = lo + round((hi - lo) / 2 / step) * step
    return [lo, hi, type(lo)(mid)]


@pytest.fixture(scope="module")
def scalar():
    return W.ScalarExplorer()


@pytest.fixture(scope="module")
def matrix():
    return W.MatrixExplorer()


@pytest.fixture(scope="module")
def contrib():
    return W.ContributionExplorer()


# ---------------------------------------------------------------- scalar explorer


@pytest.mark.parametrize("name", list(W.SCALAR_RANGES))
def test_scalar_every_slider_min_max_middle(scalar, name):
    # input scale and bias act on the Jacobian only through f' (a linear unit ignores them), so use tanh
    scalar.set(**{**W.SCALAR_DEFAULTS, "nonlinearity": "tanh"})
    previous = png_of(scalar)
    for value in slider_values(W.SCALAR_RANGES, name):
        scalar.controls[name].value = value
        assert scalar.controls[name].value == pytest.approx(value)
        assert scalar.settings()[name] == pytest.approx(value)
        png = png_of(scalar)
        assert png.startswith(PNG)
        assert png != previous, f"the picture did not change when {name} moved to {value}"
        previous = png
        plotted_finite(scalar)
        assert len(scalar.curves.lags) == scalar.controls["T"].value + 1


def test_scalar_every_nonlinearity_changes_the_picture(scalar):
    scalar.set(**{**W.SCALAR_DEFAULTS, "w": 1.5})
    seen = set()
    for f in ("linear", "tanh", "sigmoid"):
        scalar.controls["nonlinearity"].value = f
        seen.add(png_of(scalar))
        plotted_finite(scalar)
    assert len(seen) == 3


def test_linear_unit_ignores_inputs(scalar):
    scalar.set(**W.SCALAR_DEFAULTS)
    before = scalar.curves.log10_jacobian.copy()
    scalar.set(input_scale=2.5, bias=1.5)
    np.testing.assert_array_equal(scalar.curves.log10_jacobian, before)


@pytest.mark.parametrize(("w", "regime"), [(0.9, "vanishing"), (1.1, "exploding"), (-0.9, "vanishing"),
                                           (-1.1, "exploding"), (1.0, "stable"), (-1.0, "stable")])
def test_scalar_regime_on_both_sides_of_one(scalar, w, regime):
    scalar.set(**{**W.SCALAR_DEFAULTS, "w": w, "T": 100})
    assert scalar.curves.regime == regime
    assert scalar.curves.readout.startswith(regime + ":")
    assert regime in scalar.readout.value
    sign = "-" if regime == "vanishing" else "+"
    assert f"10^{sign}" in scalar.curves.readout
    assert abs(scalar.curves.final - 100 * np.log10(abs(w))) < 1e-9


def test_scalar_w_zero_is_finite_and_silent(scalar):
    scalar.set(**{**W.SCALAR_DEFAULTS, "w": 0.0})
    c = scalar.curves
    assert c.regime == "vanishing" and c.final == -np.inf
    assert np.all(np.isneginf(c.log10_jacobian[1:])) and c.log10_jacobian[0] == 0.0
    assert "w = 0" in c.readout
    plotted_finite(scalar)
    for f in ("tanh", "sigmoid"):
        scalar.controls["nonlinearity"].value = f
        plotted_finite(scalar)


# ---------------------------------------------------------------- matrix explorer


@pytest.mark.parametrize("name", list(W.MATRIX_RANGES))
def test_matrix_every_slider_min_max_middle(matrix, name):
    matrix.set(**W.MATRIX_DEFAULTS)
    previous = png_of(matrix)
    for value in slider_values(W.MATRIX_RANGES, name):
        matrix.controls[name].value = value
        assert matrix.controls[name].value == pytest.approx(value)
        png = png_of(matrix)
        assert png.startswith(PNG)
        assert png != previous, f"the picture did not change when {name} moved to {value}"
        previous = png
        plotted_finite(matrix)
        c = matrix.curves
        assert c.sigma_max == pytest.approx(matrix.controls["sigma_max"].value)
        assert np.all(c.log10_norms <= c.bound + 1e-9), "Pascanu's bound must hold at every lag"


@pytest.mark.parametrize("name", ["kind", "nonlinearity"])
def test_matrix_every_choice_changes_the_picture(matrix, name):
    matrix.set(**W.MATRIX_DEFAULTS)
    seen = set()
    for option in matrix.controls[name].options:
        matrix.controls[name].value = option
        seen.add(png_of(matrix))
        plotted_finite(matrix)
        assert np.all(matrix.curves.log10_norms <= matrix.curves.bound + 1e-9)
    assert len(seen) == len(matrix.controls[name].options)


@pytest.mark.parametrize("f", ["tanh", "sigmoid", "linear"])
def test_matrix_readout_on_both_sides_of_one_over_gamma(matrix, f):
    edge = 1.0 / GAMMA[f]
    matrix.set(**{**W.MATRIX_DEFAULTS, "nonlinearity": f, "sigma_max": round(edge - 0.05, 2)})
    below = matrix.curves
    assert below.guaranteed and "vanishing is guaranteed" in below.readout
    assert below.bound[-1] < 0 and below.regime == "vanishing"
    matrix.controls["sigma_max"].value = round(edge + 0.05, 2)
    above = matrix.curves
    assert not above.guaranteed and "explosion is possible, not guaranteed" in above.readout
    assert above.bound[-1] > 0
    assert "guaranteed" in matrix.readout.value


def test_set_rejects_unknown_names(scalar):
    with pytest.raises(ValueError, match="values"):
        scalar.set(omega=1.0)
    with pytest.raises(ValueError, match="settings"):
        W.MatrixExplorer(sigma=1.0)


# ---------------------------------------------------------------- display and static figures


def test_display_text_is_stable_and_the_view_is_a_widget(scalar, matrix, contrib):
    for explorer, cls in ((scalar, W.ScalarExplorer), (matrix, W.MatrixExplorer), (contrib, W.ContributionExplorer)):
        bundle = explorer._repr_mimebundle_()
        assert bundle["text/plain"] == cls()._repr_mimebundle_()["text/plain"]
        assert "0x" not in bundle["text/plain"] and "(" in bundle["text/plain"]
        view = bundle["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == explorer.widget.model_id and view["version_major"] == 2
        assert explorer.image in explorer.widget.children


def test_explorers_do_not_touch_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    W.ScalarExplorer().set(w=1.2)
    W.MatrixExplorer().set(sigma_max=0.5)
    assert plt.get_fignums() == before


def assert_coloured_by_regime(fig, by_setting: dict) -> None:
    """Each panel's line for w has the colour of the regime measured for (its nonlinearity, w), as the explorer."""
    from matplotlib.colors import to_hex

    from rnnlib.style import COLORS

    colour = {"vanishing": COLORS["vanish"], "stable": COLORS["stable"], "exploding": COLORS["explode"]}
    seen = 0
    for ax in fig.axes:
        f = ax.get_title().split(":")[0].removeprefix("f = ")
        for line in ax.get_lines():
            label = line.get_label()
            if label.startswith("w = "):
                w = float(label.removeprefix("w = ").split(":")[0])
                regime = by_setting[(f, w)].regime
                assert label.endswith(regime) and to_hex(line.get_color()) == colour[regime], (f, w)
                seen += 1
    assert seen == len(by_setting)


def test_static_figures_show_what_they_claim():
    import matplotlib.pyplot as plt

    fig, scurves = W.scalar_static_figure()
    assert len(fig.axes) == 2
    for w in curves.STATIC_WS:
        lin, tanh = scurves[("linear", w)], scurves[("tanh", w)]
        np.testing.assert_allclose(lin.log10_jacobian, lin.reference, atol=1e-9)
        assert np.all(tanh.log10_jacobian <= lin.log10_jacobian + 1e-12)
    assert scurves[("linear", 1.5)].regime == "exploding" and scurves[("tanh", 1.5)].regime == "vanishing"
    assert_coloured_by_regime(fig, scurves)
    plt.close(fig)
    fig, mcurves = W.matrix_static_figure()
    assert len(fig.axes) == len(curves.STATIC_MATRIX_PANELS)
    assert [c.guaranteed for c in mcurves] == [True, False, False, False]
    assert [c.regime for c in mcurves[:3]] == ["vanishing", "exploding", "vanishing"]
    assert mcurves[3].rho < 1 < mcurves[3].peak
    assert all(np.all(c.log10_norms <= c.bound + 1e-9) for c in mcurves)
    for ax in fig.axes:     # the measured line is drawn over the bound, so it shows where the two coincide
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert lines[W.MATRIX_LEGEND[0][2]].get_zorder() > lines[W.MATRIX_LEGEND[1][2]].get_zorder()
    assert "measured = bound" in " ".join(t.get_text() for t in fig.axes[1].texts)
    assert not any(ax.texts for i, ax in enumerate(fig.axes) if i != 1)
    plt.close(fig)


# ---------------------------------------------------------------- contribution explorer


@pytest.mark.parametrize("name", list(W.SCALAR_RANGES))
def test_contribution_every_slider_min_max_middle(contrib, name):
    contrib.set(**W.SCALAR_DEFAULTS)
    previous = png_of(contrib)
    for value in slider_values(W.SCALAR_RANGES, name):
        contrib.controls[name].value = value
        png = png_of(contrib)
        assert png.startswith(PNG)
        assert png != previous, f"the picture did not change when {name} moved to {value}"
        previous = png
        plotted_finite(contrib)
        c = contrib.curves
        assert len(c.lags) == contrib.controls["T"].value
        assert 0.0 <= c.recent_share <= 1.0 + 1e-12 and -1 <= c.reach < len(c.lags)


def test_contribution_readout_when_every_state_is_zero(contrib):
    contrib.set(**{**W.SCALAR_DEFAULTS, "input_scale": 0.0, "bias": 0.0})
    assert contrib.curves.readout.startswith("every contribution is 0") and contrib.curves.reach == -1
    plotted_finite(contrib)


def test_contribution_static_figure():
    import matplotlib.pyplot as plt

    fig, ccurves = W.contribution_static_figure()
    assert len(fig.axes) == 2
    assert all(ccurves[("tanh", w)].recent_share > 0.9 for w in curves.STATIC_WS)
    assert_coloured_by_regime(fig, ccurves)
    assert [ccurves[("tanh", w)].regime for w in curves.STATIC_WS] == ["vanishing"] * 5    # blue, though |w| > 1
    for ax in fig.axes:
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), float)
            assert np.all(np.isfinite(y)) and np.all(y <= 1 + 1e-12)
    plt.close(fig)
