"""Notebook 03's explorers driven from pytest: every slider at its ends and middle, readouts, pictures.

The numbers behind them (``rnnlib.teaching.curves``) are tested in test_curves.py.

pytest runs with filterwarnings = error, so any warning raised while computing or drawing fails.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from rnnlib.activations import GAMMA  # noqa: E402
from rnnlib.teaching import _views as V  # noqa: E402
from rnnlib.teaching import curves  # noqa: E402
from rnnlib.teaching import widgets as W  # noqa: E402

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
    """Every line and bar drawn, on every panel, has finite data, and the axis limits are finite and increasing."""
    for ax in explorer.figure.axes:
        for line in ax.get_lines():
            x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
            assert np.all(np.isfinite(x)) and np.all(np.isfinite(y)), line.get_label()
        for coll in ax.collections:
            for seg in getattr(coll, "get_segments", lambda: [])():
                assert np.all(np.isfinite(np.asarray(seg, float)))
        for lo, hi in (ax.get_xlim(), ax.get_ylim()):
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


@pytest.fixture(scope="module")
def cliff_x():
    return W.CliffExplorer()


@pytest.fixture(scope="module")
def leak():
    return W.LeakExplorer()


ALL = ("scalar", "matrix", "contrib", "cliff_x", "leak")


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


def test_linear_unit_ignores_inputs_and_says_so(scalar):
    scalar.set(**W.SCALAR_DEFAULTS)
    before = scalar.curves.log10_jacobian.copy()
    assert scalar.controls["input_scale"].disabled and scalar.controls["bias"].disabled
    assert "linear unit" in scalar.note.value and "input scale s, bias b" in scalar.note.value
    assert "linear unit" in getattr(scalar.controls["bias"], W.tooltip_trait(scalar.controls["bias"]))
    scalar.set(input_scale=2.5, bias=1.5)
    np.testing.assert_array_equal(scalar.curves.log10_jacobian, before)
    scalar.controls["nonlinearity"].value = "tanh"
    assert not scalar.controls["input_scale"].disabled and not scalar.controls["bias"].disabled
    assert scalar.note.value == ""


def test_disabled_controls_in_the_other_explorers(matrix, cliff_x):
    matrix.set(**W.MATRIX_DEFAULTS)
    assert matrix.controls["shear"].disabled and not matrix.controls["sigma_max"].disabled
    matrix.set(kind=V.SHEARED)
    assert matrix.controls["sigma_max"].disabled and not matrix.controls["shear"].disabled
    assert "ρ is held" in matrix.note.value
    matrix.set(kind="gaussian", nonlinearity="linear")
    assert matrix.controls["input_scale"].disabled
    cliff_x.set(clip="none")
    assert cliff_x.controls["threshold"].disabled and "without clipping" in cliff_x.note.value
    cliff_x.set(clip="norm")
    assert not cliff_x.controls["threshold"].disabled


@pytest.mark.parametrize("name", ALL)
def test_every_control_has_a_tooltip(name, request):
    explorer = request.getfixturevalue(name)
    for key, control in explorer.controls.items():
        trait = W.tooltip_trait(control)
        assert trait is not None
        text = getattr(control, trait)
        assert isinstance(text, str) and len(text) > 10 and text != "null", key
        if hasattr(control, "tooltips"):
            assert all(isinstance(t, str) and t for t in control.tooltips)
    for box in (explorer.readout, explorer.note):
        trait = W.tooltip_trait(box)
        assert trait is None or getattr(box, trait)


def test_tooltip_trait_follows_the_ipywidgets_version():
    import ipywidgets

    slider = ipywidgets.FloatSlider(description="x")
    expected = "tooltip" if int(ipywidgets.__version__.split(".")[0]) >= 8 else "description_tooltip"
    assert W.tooltip_trait(slider) == expected

    class Old:                                            # an ipywidgets 7 control: description_tooltip only
        def has_trait(self, name):
            return name == "description_tooltip"

    assert W.tooltip_trait(Old()) == "description_tooltip"


def test_fixed_y_range_while_w_s_b_move(scalar):
    scalar.set(**{**W.SCALAR_DEFAULTS, "nonlinearity": "tanh"})
    limits = scalar.ax.get_ylim(), scalar.ax.get_xlim()
    for name, value in (("w", 1.9), ("w", -0.3), ("input_scale", 2.5), ("bias", -1.5), ("w", 0.0)):
        scalar.controls[name].value = value
        assert (scalar.ax.get_ylim(), scalar.ax.get_xlim()) == limits, name
    scalar.controls["T"].value = 200
    assert scalar.ax.get_ylim() != limits[0]


def test_slopes_differ_on_the_same_y_range():
    frames = W.render_frames("scalar", "w", [0.5, 0.9], nonlinearity="linear", T=100)
    assert frames[0] != frames[1]
    view = V.ScalarView(nonlinearity="linear", T=100)
    view.update(w=0.5)
    low, line05 = view.ax.get_ylim(), view.artists["jacobian"].get_ydata()
    view.update(w=0.9)
    assert view.ax.get_ylim() == low and low[0] < -30.1 and low[1] > 0
    slope05 = line05[-1] / 100
    slope09 = view.artists["jacobian"].get_ydata()[-1] / 100
    assert slope05 == pytest.approx(np.log10(0.5)) and slope09 == pytest.approx(np.log10(0.9))
    ghost = view._ghosts[0].get_ydata()                 # w = 0.5 stays as a ghost
    np.testing.assert_array_equal(ghost, line05)


def test_off_range_values_are_marked_with_their_value():
    view = V.ScalarView(w=0.05, T=100)
    text = view.artists["jacobian_edge_text"].get_text()
    assert text == "↓ off the plot from lag 25; lowest 10^-130.1 at lag 100", text
    marker = view.artists["jacobian_edge"]
    assert list(marker.get_xdata()) == [25.0]                 # the arrow: where the line leaves the plot
    view.update(w=0.9)
    assert view.artists["jacobian_edge_text"].get_text() == ""
    view.update(w=1.5, nonlinearity="tanh", input_scale=0.2)  # not monotone: the lowest value is not at the end
    text = view.artists["jacobian_edge_text"].get_text()
    lags = [int(n) for n in __import__("re").findall(r"lag (\d+)", text)]
    assert text.startswith("↓ off the plot from lag") and lags[0] == marker.get_xdata()[0] and lags[1] > lags[0]


def test_w_zero_is_a_marker_with_its_meaning():
    view = V.ScalarView(w=0.0)
    assert list(view.artists["zero"].get_xdata()) == [0.0]
    assert "∂h_T/∂h_k = 0" in view.artists["zero_text"].get_text()
    view.update(w=0.1)
    assert view.artists["zero_text"].get_text() == ""


def test_tanh_fixed_points_beside_the_states():
    view = V.ScalarView(w=1.5, nonlinearity="tanh", input_scale=0.0)
    ys = sorted(view.artists[f"fixed{i}"].get_ydata()[0] for i in range(3))
    assert ys[1] == 0.0 and ys[0] == pytest.approx(-ys[2]) and 0.85 < ys[2] < 0.87
    styles = {view.artists[f"fixed{i}"].get_ydata()[0]: view.artists[f"fixed{i}"].get_linestyle() for i in range(3)}
    assert styles[0.0] == ":" and styles[ys[2]] == "--"
    factors = view.artists["factors"].get_ydata()
    assert np.all(factors == pytest.approx(1.5))          # h stays on the unstable 0: every factor is w
    assert view.curves.regime == "exploding"


def test_spectrum_panel_shows_rho_below_one_below_sigma_max():
    view = V.MatrixView(kind="non-normal", sigma_max=2.0, H=32, T=100, nonlinearity="linear")
    c = view.curves
    assert c.rho < 1 < c.sigma_max
    eig = view.artists["eig"]
    np.testing.assert_allclose(np.hypot(eig.get_xdata(), eig.get_ydata()), c.rho, rtol=1e-6)
    tops = [seg[1][1] for seg in view.artists["sv"].get_segments()]
    assert tops[0] == pytest.approx(2.0) and len(tops) == 32


def test_shear_at_fixed_rho_brings_transient_growth():
    view = V.MatrixView(kind=V.SHEARED, shear=0.0, nonlinearity="linear", T=100)
    assert view.curves.rho == pytest.approx(0.9) and view.curves.peak <= 0.0
    view.update(shear=3.0)
    assert view.curves.rho == pytest.approx(0.9) and view.curves.peak > 1.0 and view.curves.sigma_max > 2


def test_cliff_explorer_clipping_keeps_the_path_on_the_map(cliff_x):
    cliff_x.set(**W.CLIFF_DEFAULTS)
    assert cliff_x.curves.step.max() > 10 and "flung off the map" in cliff_x.readout.value
    for mode in ("norm", "elementwise"):
        cliff_x.set(clip=mode)
        assert cliff_x.curves.step.max() <= cliff_x.settings()["lr"] * 0.5 * np.sqrt(2) + 1e-12
        assert "stays on the map" in cliff_x.readout.value
        plotted_finite(cliff_x)


def test_leak_explorer_pure_line_and_products(leak):
    leak.set(**W.LEAK_DEFAULTS)
    c = leak.curves
    np.testing.assert_allclose(c.pure, c.lags * np.log10(0.95))
    assert c.leaky[-1] > c.pure[-1]                       # the candidate path adds to the identity path
    leak.set(z=1.0)
    assert np.all(np.isneginf(leak.curves.pure[1:])) and "no identity path" in leak.curves.readout
    plotted_finite(leak)


@pytest.mark.parametrize("name", ["scalar", "matrix", "cliff", "leak", "contribution"])
def test_render_frames_equal_the_live_explorer(name):
    cls = {"scalar": W.ScalarExplorer, "matrix": W.MatrixExplorer, "cliff": W.CliffExplorer,
           "leak": W.LeakExplorer, "contribution": W.ContributionExplorer}[name]
    control = list(V.VIEWS[name].controls)[0]
    c = V.VIEWS[name].controls[control]
    values = [c.lo, c.hi, c.lo + 10 * c.step]
    settings = {"T": 50} if "T" in V.VIEWS[name].controls else {}
    frames = W.render_frames(name, control, values, **settings)
    live = cls(**settings)
    for value, frame in zip(values, frames):
        live.controls[control].value = value
        assert bytes(live.image.value) == frame
    assert len(set(frames)) == 3


def test_render_frames_refuses_bad_names():
    with pytest.raises(ValueError, match="explorer"):
        W.render_frames("scalr", "w", [0.5])
    with pytest.raises(ValueError, match="control"):
        W.render_frames("scalar", "sigma_max", [0.5])
    with pytest.raises(ValueError, match="w: expected a value in"):
        W.render_frames("scalar", "w", [5.0])
    with pytest.raises(ValueError, match="values"):
        W.render_frames("scalar", "w", 0.5)
    with pytest.raises(ValueError, match="language: expected one of \\['en', 'ko'\\], got 'xx'"):
        W.render_frames("scalar", "w", [0.5], language="xx")


def test_render_frames_in_each_language_it_knows():
    """The site asks for a page's language: English is the default, Korean frames differ (their text), and the
    kernel's language and matplotlib's settings are as they were afterwards."""
    import matplotlib as mpl

    from rnnlib.teaching import i18n

    assert W.FRAME_LANGUAGES == ("en", "ko")
    english = W.render_frames("leak", "z", [0.1], T=20)
    family = list(mpl.rcParams["font.family"])
    assert W.render_frames("leak", "z", [0.1], language="en", T=20) == english
    korean = W.render_frames("leak", "z", [0.1], language="ko", T=20)
    assert korean != english and korean[0].startswith(PNG)
    assert i18n.get_language() == "en" and list(mpl.rcParams["font.family"]) == family
    assert W.render_frames("leak", "z", [0.1], T=20) == english          # nothing of the Korean drawing stays


@pytest.mark.parametrize(("name", "f", "edge"), [("tanh", "tanh", 1.0), ("linear", "linear", 1.0),
                                                 ("sigmoid", "sigmoid", 4.0)])
def test_matrix_explorer_at_the_edge_gamma_sigma_max_one(matrix, name, f, edge):
    matrix.set(**{**W.MATRIX_DEFAULTS, "nonlinearity": f, "sigma_max": edge})
    c = matrix.curves
    assert c.verdict == "cannot explode" and "equal to 1" in c.readout
    assert np.all(np.abs(c.bound) < 1e-9)
    plotted_finite(matrix)


@pytest.mark.parametrize("name", ALL)
def test_extremes_of_every_explorer(name, request):
    explorer = request.getfixturevalue(name)
    view = explorer.view
    for key, c in view.controls.items():
        for value in (c.options if c.kind == "choice" else (c.lo, c.hi)):
            explorer.controls[key].value = value
            assert bytes(explorer.image.value).startswith(PNG)
            plotted_finite(explorer)
    explorer.set(**{k: (c.hi if c.kind != "choice" else c.options[-1]) for k, c in view.controls.items()})
    plotted_finite(explorer)
    explorer.set(**{k: (c.lo if c.kind != "choice" else c.options[0]) for k, c in view.controls.items()})
    plotted_finite(explorer)


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
    matrix.set(**{**W.MATRIX_DEFAULTS, **({"kind": V.SHEARED} if name == "shear" else {})})
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
        if name != "shear":
            assert c.sigma_max == pytest.approx(matrix.controls["sigma_max"].value)
        else:
            assert c.rho == pytest.approx(curves.SHEAR_RADIUS)
        k = ~np.isnan(c.log10_norms)
        assert k[0] and k[-1] and np.all(c.log10_norms[k] <= c.bound[k] + 1e-9), "Pascanu's bound at every lag"


@pytest.mark.parametrize("name", ["kind", "nonlinearity"])
def test_matrix_every_choice_changes_the_picture(matrix, name):
    matrix.set(**W.MATRIX_DEFAULTS)
    seen = set()
    for option in matrix.controls[name].options:
        matrix.controls[name].value = option
        seen.add(png_of(matrix))
        plotted_finite(matrix)
        k = ~np.isnan(matrix.curves.log10_norms)
        assert np.all(matrix.curves.log10_norms[k] <= matrix.curves.bound[k] + 1e-9)
    assert len(seen) == len(matrix.controls[name].options)


@pytest.mark.parametrize("f", ["tanh", "sigmoid", "linear"])
def test_matrix_readout_on_both_sides_of_one_over_gamma(matrix, f):
    edge = 1.0 / GAMMA[f]
    matrix.set(**{**W.MATRIX_DEFAULTS, "nonlinearity": f, "sigma_max": round(edge - 0.05, 2)})
    below = matrix.curves
    assert below.guaranteed and "must decay geometrically (sufficient for vanishing)" in below.readout
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
    W.render_frames("cliff", "lr", [0.5])
    assert plt.get_fignums() == before


def assert_coloured_by_regime(fig, by_setting: dict) -> None:
    """Each panel's line for w has the colour of the regime measured for (its nonlinearity, w), as the explorer."""
    from matplotlib.colors import to_hex

    from rnnlib.teaching.style import COLORS

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
        legend = {name: label for name, _, label in V.MatrixView.legend}
        assert lines[legend["norms"]].get_zorder() > lines[legend["bound"]].get_zorder()
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
    assert fig.axes[0].get_ylabel() == W.ContributionExplorer().ax.get_ylabel()    # the explorer's quantity
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_label().startswith("w = "):
                c = ccurves[(ax.get_title().removeprefix("f = "), float(line.get_label()[4:].split(":")[0]))]
                np.testing.assert_array_equal(line.get_ydata(), c.log10_contrib[np.isfinite(c.log10_contrib)])
    plt.close(fig)


def test_leak_static_figure():
    import matplotlib.pyplot as plt

    fig, lcurves = W.leak_static_figure()
    assert sorted(lcurves) == [0.05, 0.3, 1.0] and len(fig.axes) == 3
    assert lcurves[0.05].leaky[-1] > lcurves[1.0].leaky[-1]
    plt.close(fig)


def test_render_frames_needs_no_ipywidgets():
    import subprocess
    import sys

    code = ("import sys; sys.modules['ipywidgets'] = None\n"          # any import of ipywidgets now fails
            "from rnnlib.teaching import widgets\n"
            "frames = widgets.render_frames('leak', 'z', [0.1, 0.2], T=20)\n"
            "frames += widgets.render_frames('cliff', 'clip', ['none', 'norm'])\n"
            "print(len(frames), len(set(frames)), all(f.startswith(b'\\x89PNG') for f in frames))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["4", "4", "True"]


@pytest.mark.parametrize("name", ALL)
def test_heavy_controls_update_on_release_and_the_rest_live(name, request):
    explorer = request.getfixturevalue(name)
    for key, control in explorer.controls.items():
        if hasattr(control, "continuous_update"):
            assert control.continuous_update == (key not in ("H", "T")), key


def test_cliff_readout_says_flung_only_for_a_step_far_longer_than_the_others():
    for settings, head in (({}, "flung off the map"), ({"lr": 3.0, "threshold": 3.0}, "drifted off the map"),
                           ({"w0": 3.0, "b0": -1.0}, "drifted off the map"), ({"clip": "norm"}, "stays on the map"),
                           ({"clip": "elementwise", "threshold": 3.0}, "flung off the map")):
        text, regime = V.CliffView(**settings).readout()
        assert text.startswith(head) and (regime == "exploding") == head.startswith("flung")


def test_rho_line_only_for_linear_units_and_an_on_plot_note_when_every_contribution_is_0():
    m = V.MatrixView()
    for f in ("linear", "tanh", "sigmoid"):
        m.update(nonlinearity=f)
        assert m.artists["radius"].get_visible() == (f == "linear")
    c = V.ContributionView(nonlinearity="tanh", w=1.5)
    assert c.artists["zero_text"].get_text() == ""
    c.update(input_scale=0.0)
    assert "every C[T,k] is 0" in c.artists["zero_text"].get_text()
