"""Notebook 03's explorers driven from pytest: every slider at its ends and middle, readouts, pictures.

pytest runs with filterwarnings = error, so any warning raised while computing or drawing fails.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import rnnlib  # noqa: E402
from rnnlib import widgets as W  # noqa: E402
from rnnlib.activations import GAMMA, activate  # noqa: E402

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


def test_scalar_curves_match_a_brute_force_product():
    w, T, s, b = 1.3, 12, 0.7, 0.2
    x = W.scalar_inputs(T)
    for f in ("linear", "tanh", "sigmoid"):
        h, fprime = 0.0, []
        for t in range(T):
            a = w * h + s * x[t] + b
            h = float(activate(np.array(a), f))
            fprime.append({"linear": 1.0, "tanh": 1 - h * h, "sigmoid": h * (1 - h)}[f])
        c = W.scalar_curves(w, T, f, s, b)
        for lag in range(T + 1):
            direct = np.prod([w * fp for fp in fprime[T - lag:]])
            assert c.log10_jacobian[lag] == pytest.approx(np.log10(abs(direct)), abs=1e-9)


def test_tanh_saturation_pulls_a_large_w_down():
    linear = W.scalar_curves(1.5, 100, "linear")
    tanh = W.scalar_curves(1.5, 100, "tanh")
    assert linear.regime == "exploding" and linear.final > 15
    assert tanh.regime == "vanishing" and tanh.final < -10
    assert np.all(tanh.log10_jacobian <= linear.reference + 1e-12)   # |f'| <= 1 everywhere


def test_scalar_sequence_does_not_change_with_T():
    np.testing.assert_array_equal(W.scalar_inputs(40), W.scalar_inputs(300)[:40])
    # the same first 40 steps: the states, and so the factors w f'(a_t), agree along the way
    U40 = (0.2 * W.scalar_inputs(40))[:, None]
    U300 = (0.2 * W.scalar_inputs(300))[:, None]
    lf40 = rnnlib.forward_log_derivatives(np.array([[0.8]]), U40, "tanh")
    lf300 = rnnlib.forward_log_derivatives(np.array([[0.8]]), U300, "tanh")
    np.testing.assert_array_equal(lf40, lf300[:40])
    np.testing.assert_allclose(W.scalar_curves(0.8, 40, "tanh").log10_jacobian,
                               rnnlib.scalar_log10_jacobian(0.8, lf40), rtol=1e-12, atol=1e-12)


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


def test_explosion_above_the_edge_is_possible_not_guaranteed():
    # the same sigma_max = 2: a linear unit explodes, tanh saturates and its gradient vanishes
    assert W.matrix_curves(2.0, "orthogonal", nonlinearity="linear").regime == "exploding"
    assert W.matrix_curves(2.0, "gaussian", nonlinearity="tanh").regime == "vanishing"


def test_non_normal_matrix_grows_before_it_decays():
    c = W.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="linear")
    assert c.rho < 1.0 < c.sigma_max
    assert c.peak > 2.0 and 0 < c.peak_lag < 300      # > 100x growth at first
    assert c.final < c.peak - 1.0                       # then the eigenvalues win
    assert "transient growth" in c.readout
    normal = W.matrix_curves(0.85, "orthogonal", H=32, T=300, nonlinearity="linear")   # same rho, normal matrix
    assert normal.peak <= 1e-9 and "transient" not in normal.readout


def test_matrix_curves_reject_bad_input():
    with pytest.raises(ValueError, match="sigma_max"):
        W.matrix_curves(0.0)
    with pytest.raises(ValueError, match="kind"):
        W.matrix_curves(1.0, kind="triangular")
    with pytest.raises(ValueError, match="base"):
        W.matrix_curves(1.0, H=4, base=np.eye(3))
    with pytest.raises(ValueError, match="w"):
        W.scalar_curves(float("nan"), 10)
    with pytest.raises(ValueError, match="T"):
        W.scalar_curves(0.5, 0)


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


def assert_coloured_by_regime(fig, curves: dict) -> None:
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
                regime = curves[(f, w)].regime
                assert label.endswith(regime) and to_hex(line.get_color()) == colour[regime], (f, w)
                seen += 1
    assert seen == len(curves)


def test_static_figures_show_what_they_claim():
    import matplotlib.pyplot as plt

    fig, curves = W.scalar_static_figure()
    assert len(fig.axes) == 2
    for w in W.STATIC_WS:
        lin, tanh = curves[("linear", w)], curves[("tanh", w)]
        np.testing.assert_allclose(lin.log10_jacobian, lin.reference, atol=1e-9)
        assert np.all(tanh.log10_jacobian <= lin.log10_jacobian + 1e-12)
    assert curves[("linear", 1.5)].regime == "exploding" and curves[("tanh", 1.5)].regime == "vanishing"
    assert_coloured_by_regime(fig, curves)
    plt.close(fig)
    fig, mcurves = W.matrix_static_figure()
    assert len(fig.axes) == len(W.STATIC_MATRIX_PANELS)
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


def test_contributions_are_the_jacobian_times_the_immediate_partial():
    from rnnlib.rnn import Params, rnn_forward

    w, T, s, b = 0.95, 40, 0.7, 0.1
    for f in ("linear", "tanh", "sigmoid"):
        c = W.contribution_curves(w, T, f, s, b)
        one = np.ones((1, 1))
        Hs, cache = rnn_forward(W.scalar_inputs(T)[:, None, None], Params(s * one, w * one, np.array([b]), one,
                                                                           np.zeros(1)), nonlinearity=f)
        h = Hs[:, 0, 0]
        fprime = {"linear": np.ones(T), "tanh": 1 - h**2, "sigmoid": h * (1 - h)}[f]
        h_prev = np.concatenate([[0.0], h[:-1]])
        for lag in range(T - 1):                      # lag T-1 is the first step, whose h_prev = h_0 = 0
            k = T - 1 - lag
            expected = c.log10_jacobian[lag] + np.log10(fprime[k] * abs(h_prev[k]))
            assert c.log10_contrib[lag] == pytest.approx(expected, abs=1e-9)
        assert c.log10_contrib[T - 1] == -np.inf


def test_contribution_readouts(contrib):
    contrib.set(**{**W.SCALAR_DEFAULTS, "input_scale": 0.0, "bias": 0.0})
    assert contrib.curves.readout.startswith("every contribution is 0") and contrib.curves.reach == -1
    plotted_finite(contrib)
    tanh = W.contribution_curves(1.5, 100, "tanh")
    linear = W.contribution_curves(1.5, 100, "linear")
    assert tanh.recent_share > 0.99 and tanh.reach < 10
    assert linear.recent_share < 0.5 and linear.reach > 90
    assert "last 10 steps carry" in tanh.readout
    # a small input scale keeps tanh in its linear range: then it spreads its gradient like a linear unit
    quiet = W.contribution_curves(1.05, 60, "tanh", input_scale=0.05)
    assert quiet.recent_share < 0.5 and quiet.reach > 50 and quiet.regime == "stable"


def test_contribution_static_figure():
    import matplotlib.pyplot as plt

    fig, curves = W.contribution_static_figure()
    assert len(fig.axes) == 2
    assert all(curves[("tanh", w)].recent_share > 0.9 for w in W.STATIC_WS)
    assert_coloured_by_regime(fig, curves)
    assert [curves[("tanh", w)].regime for w in W.STATIC_WS] == ["vanishing"] * 5    # blue, though |w| > 1
    for ax in fig.axes:
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), float)
            assert np.all(np.isfinite(y)) and np.all(y <= 1 + 1e-12)
    plt.close(fig)
