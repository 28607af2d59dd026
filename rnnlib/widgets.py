"""Interactive explorers of vanishing and exploding gradients (notebook 03), and their static figures.

Each explorer has three layers, so that tests and static figures use the same code as the sliders:

1. a pure compute function in ``rnnlib.curves``, settings -> curves and a readout (``scalar_curves``,
   ``matrix_curves``, ``contribution_curves``; its docstring gives the step and lag counting);
2. one matplotlib figure built once (a ``Figure`` on an Agg canvas, not pyplot, so nothing leaks
   into a notebook's outputs) whose artists are updated in place on every slider move;
3. the figure rendered to PNG bytes and pushed into a fixed-width ``ipywidgets.Image``.

Only core widgets are used (sliders, ToggleButtons, Dropdown, HTML, Image, VBox/HBox), so the
explorers run with ipywidgets 7 (Colab) and 8 (JupyterLab 4). matplotlib and ipywidgets are
imported inside the functions that use them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from . import curves as _curves
from .style import COLORS, RC, REGIME_COLORS

if TYPE_CHECKING:                     # annotations only: matplotlib is imported where it is used
    from matplotlib.figure import Figure

#: Slider ranges, name -> (min, max, step). The explorers and their tests read them from here.
SCALAR_RANGES = {"w": (-2.0, 2.0, 0.01), "T": (2, 300, 1), "input_scale": (0.0, 3.0, 0.05), "bias": (-2.0, 2.0, 0.05)}
SCALAR_DEFAULTS = {"w": 0.9, "T": 100, "nonlinearity": "linear", "input_scale": 0.2, "bias": 0.0}
MATRIX_RANGES = {"sigma_max": (0.05, 5.0, 0.05), "H": (2, 48, 1), "T": (2, 300, 1), "input_scale": (0.0, 3.0, 0.05)}
MATRIX_DEFAULTS = {"sigma_max": 1.5, "kind": "gaussian", "H": 32, "T": 100, "nonlinearity": "tanh", "input_scale": 1.0}

_IMAGE_WIDTH = 700          # pixels: figsize 7 x 3.6 inches at 100 dpi
_FIGSIZE = (7.0, 3.6)
_DPI = 100
_MARGINS = {"left": 0.1, "right": 0.97, "bottom": 0.14, "top": 0.95}


# ---------------------------------------------------------------------------------------------
# Drawing: shared by the explorers (artists updated in place) and the static figures.


def _limits(main: np.ndarray, extra: tuple[np.ndarray, ...] = ()) -> tuple[float, float]:
    """y limits that show every finite value of ``main`` and as much of ``extra`` as fits."""
    m = main[np.isfinite(main)]
    if m.size == 0:
        return -1.0, 1.0
    lo, hi = float(m.min()), float(m.max())
    reach = max(5.0, hi - lo)
    for e in extra:
        e = e[np.isfinite(e)]
        if e.size:
            lo = min(lo, max(float(e.min()), float(m.min()) - reach))
            hi = max(hi, min(float(e.max()), float(m.max()) + reach))
    span = max(hi - lo, 2.0)
    mid = 0.5 * (hi + lo)
    lo, hi = min(lo, mid - span / 2), max(hi, mid + span / 2)
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad


def _finite(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isfinite(y)
    return x[keep], y[keep]


def _style():
    import matplotlib as mpl

    return mpl.rc_context(RC)


def _agg_figure(figsize: tuple[float, float] = _FIGSIZE) -> Figure:
    """A Figure on its own Agg canvas: never registered with pyplot, so it never shows up by itself."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=_DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(**_MARGINS)
    return fig


def figure_png(fig: Figure) -> bytes:
    """Render a Figure on an Agg canvas to PNG bytes (no tight bbox: the size is fixed)."""
    buf = io.BytesIO()
    with _style():
        fig.canvas.print_png(buf, pil_kwargs={"compress_level": 1})   # fast; the PNG is sent, not stored
    return buf.getvalue()


def _label_scalar_axes(ax) -> None:
    ax.set_xlabel("lag T − k (steps back from the last state)")
    ax.set_ylabel("log10 |∂h_T / ∂h_k|")
    ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)


def _label_matrix_axes(ax) -> None:
    ax.set_xlabel("lag T − k (steps back from the last state)")
    ax.set_ylabel("log10 ‖∂h_T / ∂h_k‖₂")
    ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)


SCALAR_LEGEND = (("jacobian", "-", "|∂h_T/∂h_k| along the forward pass"),
                 ("reference", "--", "linear prediction |w|^(T−k)"))
MATRIX_LEGEND = (("norms", "-", "‖∂h_T/∂h_k‖₂ along the forward pass"),
                 ("bound", "--", "Pascanu bound (γ σ_max)^(T−k)"),
                 ("radius", ":", "ρ^(T−k): powers of W_hh alone (linear, long run)"))


def _draw_scalar(ax, artists: dict | None, c: _curves.ScalarCurves) -> dict:
    """Draw (artists None) or update in place the scalar explorer's lines and limits."""
    if artists is None:
        _label_scalar_axes(ax)
        artists = {
            "jacobian": ax.plot([], [], lw=2, label=SCALAR_LEGEND[0][2])[0],
            "reference": ax.plot([], [], ls="--", lw=1.2, color=COLORS["bound"], label=SCALAR_LEGEND[1][2])[0],
        }
    artists["jacobian"].set_data(*_finite(c.lags, c.log10_jacobian))
    artists["jacobian"].set_color(REGIME_COLORS[c.regime])
    artists["reference"].set_data(*_finite(c.lags, c.reference))
    ax.set_xlim(0, max(c.lags[-1], 1))
    ax.set_ylim(*_limits(c.log10_jacobian, (c.reference,)))
    return artists


def _draw_matrix(ax, artists: dict | None, c: _curves.MatrixCurves) -> dict:
    """Draw (artists None) or update in place the matrix explorer's lines and limits."""
    if artists is None:
        _label_matrix_axes(ax)
        artists = {
            # the measured line on top, the bound wider underneath: where they coincide (an orthogonal
            # W_hh with f = linear) the dashes still show on both sides of the measured line
            "norms": ax.plot([], [], lw=1.6, zorder=3, label=MATRIX_LEGEND[0][2])[0],
            "bound": ax.plot([], [], ls=(0, (3, 2)), lw=3.2, alpha=0.55, zorder=2, color=COLORS["bound"],
                             label=MATRIX_LEGEND[1][2])[0],
            "radius": ax.plot([], [], ls=":", lw=1.5, color=COLORS["accent"], label=MATRIX_LEGEND[2][2])[0],
        }
    color = REGIME_COLORS[c.regime]
    artists["norms"].set_data(*_finite(c.lags, c.log10_norms))
    artists["norms"].set_color(color)
    artists["bound"].set_data(*_finite(c.lags, c.bound))
    artists["radius"].set_data(*_finite(c.lags, c.radius_line))
    ax.set_xlim(0, max(c.lags[-1], 1))
    ax.set_ylim(*_limits(c.log10_norms, (c.bound, c.radius_line)))
    return artists


# ---------------------------------------------------------------------------------------------
# The explorers.


CONTRIBUTION_LEGEND = (("contrib", "-", "|C[T,k]|: the part of ∂l_T/∂w through h_k"),
                       ("jacobian", "--", "|∂h_T/∂h_k|"),
                       ("reach", ":", f"last lag within {100 * _curves.REACH_SHARE:g}% of the largest"))


def _draw_contributions(ax, artists: dict | None, c: _curves.ContributionCurves) -> dict:
    """Draw (artists None) or update in place the contribution explorer's line, reach marker and limits."""
    if artists is None:
        ax.set_xlabel("lag T − k (steps back from the last state)")
        ax.set_ylabel("log10 |C[T, k]|")
        artists = {
            "contrib": ax.plot([], [], lw=2, label=CONTRIBUTION_LEGEND[0][2])[0],
            "jacobian": ax.plot([], [], ls="--", lw=1.2, color=COLORS["bound"], label=CONTRIBUTION_LEGEND[1][2])[0],
            "reach": ax.axvline(0.0, ls=":", lw=1.5, color=COLORS["accent"], label=CONTRIBUTION_LEGEND[2][2]),
        }
    artists["contrib"].set_data(*_finite(c.lags, c.log10_contrib))
    artists["contrib"].set_color(REGIME_COLORS[c.regime])
    artists["jacobian"].set_data(*_finite(c.lags, c.log10_jacobian))
    artists["reach"].set_xdata([max(c.reach, 0)] * 2)
    artists["reach"].set_visible(c.reach >= 0)
    ax.set_xlim(0, max(c.lags[-1], 1))
    ax.set_ylim(*_limits(c.log10_contrib, (c.log10_jacobian,)))
    return artists


def _readout_html(text: str, regime: str, legend: tuple, artists: dict) -> str:
    """The readout lines, the regime in its colour, and the figure's legend (drawn in HTML, not by matplotlib)."""
    import html

    from matplotlib.colors import to_hex

    lines = [html.escape(line) for line in text.split("\n")]
    lines[0] = f'<b style="color:{REGIME_COLORS[regime]}">{lines[0]}</b>'
    border = {"-": "solid", "--": "dashed", ":": "dotted"}
    keys = "&emsp;".join(
        f'<span style="display:inline-block;width:26px;border-top:3px {border[ls]} '
        f'{to_hex(artists[name].get_color())};vertical-align:middle"></span> {html.escape(label)}'
        for name, ls, label in legend
    )
    return ("<div style='font-family:monospace;font-size:12px;line-height:1.5'>" + "<br>".join(lines)
            + f"<br><span style='color:#555'>{keys}</span></div>")


class _Explorer:
    """Sliders, a readout and one figure updated in place; ``widget`` is the box to display.

    A subclass supplies ``compute(settings) -> curves`` (a pure function of the control values)
    and ``draw(curves)`` (updates the artists of ``self.ax`` in place).
    """

    title = ""
    legend: tuple = ()

    def __init__(self, controls: dict) -> None:
        import ipywidgets as widgets

        self.controls = controls
        with _style():
            self.figure = _agg_figure()
            self.ax = self.figure.add_subplot()
        self._artists: dict | None = None
        self.curves = None
        self.readout = widgets.HTML(value="")
        self.image = widgets.Image(format="png", width=str(_IMAGE_WIDTH))
        self.image.layout.width = f"{_IMAGE_WIDTH}px"
        names = list(controls)          # three controls per row, in the order given
        rows = [widgets.HBox([controls[n] for n in names[i : i + 3]]) for i in range(0, len(names), 3)]
        self.widget = widgets.VBox([*rows, self.readout, self.image])
        self._holding = False
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def settings(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: object) -> None:
        """Move several controls at once (by name, as in ``settings()``) and redraw once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values: expected names among {sorted(self.controls)}, got {sorted(unknown)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.refresh()

    def refresh(self) -> None:
        """Recompute from the controls, update the artists in place, push a new PNG."""
        self.curves = self.compute(self.settings())
        with _style():
            self.draw(self.curves)
        self.image.value = figure_png(self.figure)
        self.readout.value = _readout_html(self.curves.readout, self.curves.regime, self.legend, self._artists)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        # The widget view for live front ends; a fixed text line for everything else (a stored
        # notebook, nbval), instead of the widget's repr, which lists every trait value.
        return {
            "text/plain": f"{self.title} (interactive: move the sliders in a running notebook)",
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            },
        }


def _toggle(value: str):
    import ipywidgets as widgets

    return widgets.ToggleButtons(options=["linear", "tanh", "sigmoid"], value=value, description="f",
                                 style={"button_width": "76px", "description_width": "initial"},
                                 layout=widgets.Layout(width="auto", display="flex", align_items="center"))


def _settings(given: dict, defaults: dict) -> dict:
    unknown = set(given) - set(defaults)
    if unknown:
        raise ValueError(f"settings: expected names among {sorted(defaults)}, got {sorted(unknown)}")
    return {**defaults, **given}


def _slider(kind: str, name: str, description: str, ranges: dict, value: float):
    import ipywidgets as widgets

    lo, hi, step = ranges[name]
    cls = widgets.IntSlider if kind == "int" else widgets.FloatSlider
    return cls(value=value, min=lo, max=hi, step=step, description=description, continuous_update=True,
               style={"description_width": "initial"}, layout=widgets.Layout(width="280px"))


class ScalarExplorer(_Explorer):
    """One unit h_t = f(w h_{t-1} + s x_t + b): sliders w, T, f, s, b; plot of log10 |dh_T/dh_k| against lag.

    ``controls`` maps 'w', 'T', 'nonlinearity', 'input_scale', 'bias' to their widgets;
    ``curves`` holds the last ``ScalarCurves``; ``widget`` is what the notebook displays.
    """

    title = "Scalar explorer: w, T, f, input scale s, bias b"
    legend = SCALAR_LEGEND

    def __init__(self, seed: int = 0, **settings: object) -> None:
        self.seed = seed
        v = _settings(settings, SCALAR_DEFAULTS)
        controls = {
            "w": _slider("float", "w", "w", SCALAR_RANGES, v["w"]),
            "T": _slider("int", "T", "T", SCALAR_RANGES, v["T"]),
            "nonlinearity": _toggle(v["nonlinearity"]),
            "input_scale": _slider("float", "input_scale", "input scale s", SCALAR_RANGES, v["input_scale"]),
            "bias": _slider("float", "bias", "bias b", SCALAR_RANGES, v["bias"]),
        }
        super().__init__(controls)

    def compute(self, settings: dict) -> _curves.ScalarCurves:
        return _curves.scalar_curves(seed=self.seed, **settings)

    def draw(self, curves: _curves.ScalarCurves) -> None:
        self._artists = _draw_scalar(self.ax, self._artists, curves)


class MatrixExplorer(_Explorer):
    """H units with W_hh = sigma_max x a fixed matrix: the Jacobian product's norm beside Pascanu's bound.

    ``controls`` maps 'sigma_max', 'kind', 'H', 'T', 'nonlinearity', 'input_scale' to their widgets;
    the fixed matrices are cached per (kind, H) in ``bases``.
    """

    title = "Matrix explorer: σ_max, kind of W_hh, H, T, f, input scale"
    legend = MATRIX_LEGEND

    def __init__(self, seed: int = 0, **settings: object) -> None:
        import ipywidgets as widgets

        self.seed = seed
        self.bases: dict[tuple[str, int], np.ndarray] = {}
        v = _settings(settings, MATRIX_DEFAULTS)
        controls = {
            "sigma_max": _slider("float", "sigma_max", "σ_max", MATRIX_RANGES, v["sigma_max"]),
            "H": _slider("int", "H", "H", MATRIX_RANGES, v["H"]),
            "T": _slider("int", "T", "T", MATRIX_RANGES, v["T"]),
            "kind": widgets.Dropdown(options=list(_curves.MATRIX_KINDS), value=v["kind"], description="W_hh",
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="280px")),
            "nonlinearity": _toggle(v["nonlinearity"]),
            "input_scale": _slider("float", "input_scale", "input scale", MATRIX_RANGES, v["input_scale"]),
        }
        super().__init__(controls)

    def compute(self, settings: dict) -> _curves.MatrixCurves:
        key = (settings["kind"], settings["H"])
        if key not in self.bases:
            self.bases[key] = _curves.recurrent_matrix(*key, seed=self.seed)
        return _curves.matrix_curves(seed=self.seed, base=self.bases[key], **settings)

    def draw(self, curves: _curves.MatrixCurves) -> None:
        self._artists = _draw_matrix(self.ax, self._artists, curves)


class ContributionExplorer(ScalarExplorer):
    """The scalar explorer's unit and sliders, showing BPTT's contributions |C[T,k]| (notebook 02) instead.

    ``curves`` holds the last ``ContributionCurves``.
    """

    title = "Contribution explorer: |C[T,k]| under w, T, f, input scale s, bias b"
    legend = CONTRIBUTION_LEGEND

    def compute(self, settings: dict) -> _curves.ContributionCurves:
        return _curves.contribution_curves(seed=self.seed, **settings)

    def draw(self, curves: _curves.ContributionCurves) -> None:
        self._artists = _draw_contributions(self.ax, self._artists, curves)


def scalar_explorer(**settings: object) -> ScalarExplorer:
    """Build the scalar explorer (display the result, or its ``widget``)."""
    return ScalarExplorer(**settings)


def matrix_explorer(**settings: object) -> MatrixExplorer:
    """Build the matrix explorer (display the result, or its ``widget``)."""
    return MatrixExplorer(**settings)


def contribution_explorer(**settings: object) -> ContributionExplorer:
    """Build the contribution explorer (display the result, or its ``widget``)."""
    return ContributionExplorer(**settings)


# ---------------------------------------------------------------------------------------------
# Static figures at representative settings (``rnnlib.curves.STATIC_WS``, ``STATIC_MATRIX_PANELS``):
# what a static copy of the notebook shows.

#: Line styles that tell the values of w apart in a static figure (colour is kept for the regime).
_W_DASHES = ((0, ()), (0, (6, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (2, 1)))


def _w_dashes(ws: tuple[float, ...]) -> dict[float, tuple]:
    """One line style per w, in the order given (the same w gets the same style in every panel)."""
    return {w: _W_DASHES[i % len(_W_DASHES)] for i, w in enumerate(ws)}


def scalar_static_figure(ws: tuple[float, ...] = _curves.STATIC_WS, T: int = 60,
                         nonlinearities: tuple[str, ...] = ("linear", "tanh"),
                         input_scale: float = 0.2, bias: float = 0.0,
                         seed: int = 0) -> tuple[Figure, dict[tuple[str, float], _curves.ScalarCurves]]:
    """One panel per nonlinearity, one line per w: log10 |dh_T/dh_k| against the lag (shared y axis).

    Each line is coloured by its measured regime after T steps, as in the explorer (vanishing,
    stable, exploding: ``rnnlib.style.COLORS``); its line style tells the values of w apart.
    Returns: (figure, {(nonlinearity, w): ScalarCurves}) so the notebook can check what it shows.
    The figure is a pyplot figure, shown inline by ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    curves = {(f, w): _curves.scalar_curves(w, T, f, input_scale, bias, seed) for f in nonlinearities for w in ws}
    dashes = _w_dashes(ws)
    with _style():
        fig, axes = plt.subplots(1, len(nonlinearities), figsize=(4.6 * len(nonlinearities), 3.8), sharey=True,
                                 squeeze=False)
        for ax, f in zip(axes[0], nonlinearities):
            _label_scalar_axes(ax)
            for w in ws:
                c = curves[(f, w)]
                ax.plot(*_finite(c.lags, c.log10_jacobian), lw=2, ls=dashes[w], color=REGIME_COLORS[c.regime],
                        label=f"w = {w:g}: {c.regime}")
            note = ": (T − k) log10|w|" if f == "linear" else ": |w f'(a)| ≤ |w|, saturation pulls down"
            ax.set_title(f"f = {f}{note}")
            ax.set_xlim(0, T)
            ax.legend(loc="upper left", ncol=2, fontsize=8, handlelength=3)
        for ax in axes[0][1:]:
            ax.set_ylabel("")
        fig.tight_layout()
    return fig, curves


def matrix_static_figure(panels: tuple[dict, ...] = _curves.STATIC_MATRIX_PANELS, H: int = 32, T: int = 100,
                         seed: int = 0) -> tuple[Figure, list[_curves.MatrixCurves]]:
    """One panel per setting (a dict of ``matrix_curves`` arguments): the measured norm, Pascanu's
    bound and rho^lag, drawn as in the matrix explorer, two panels per row.

    Returns: (figure, [MatrixCurves per panel]). The figure is a pyplot figure, shown by ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    curves = [_curves.matrix_curves(**{"H": H, "T": T, "seed": seed, **p}) for p in panels]
    rows = (len(panels) + 1) // 2
    with _style():
        fig, axes = plt.subplots(rows, 2, figsize=(10.0, 3.3 * rows + 0.5), squeeze=False)
        for ax, p, c in zip(axes.flat, panels, curves):
            _draw_matrix(ax, None, c)
            ax.set_title(f"{p['kind']} W_hh, f = {p['nonlinearity']}: γ σ_max = {c.gamma * c.sigma_max:.1f}, "
                         f"ρ = {c.rho:.2f}\n{c.verdict}; measured: {c.regime}", fontsize=9)
            if np.allclose(c.log10_norms, c.bound, rtol=0, atol=1e-6):
                ax.text(0.03, 0.92, "measured = bound at every lag (solid on dashed)", transform=ax.transAxes,
                        fontsize=9, va="top")
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig, curves


def contribution_static_figure(ws: tuple[float, ...] = _curves.STATIC_WS, T: int = 60,
                               nonlinearities: tuple[str, ...] = ("linear", "tanh"), input_scale: float = 0.2,
                               bias: float = 0.0,
                               seed: int = 0) -> tuple[Figure, dict[tuple[str, float], _curves.ContributionCurves]]:
    """How far back the gradient reaches: the share of sum_k |C[T,k]| carried by the last j steps, against j.

    One panel per nonlinearity, one line per w (the contribution explorer's unit and loss), coloured by
    the measured regime of its Jacobian |dh_T/dh_0| (as in ``scalar_static_figure``), styled by w.
    Returns: (figure, {(nonlinearity, w): ContributionCurves}). A pyplot figure, shown by ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    curves = {(f, w): _curves.contribution_curves(w, T, f, input_scale, bias, seed) for f in nonlinearities for w in ws}
    dashes = _w_dashes(ws)
    with _style():
        fig, axes = plt.subplots(1, len(nonlinearities), figsize=(4.6 * len(nonlinearities), 3.6), sharey=True,
                                 squeeze=False)
        for ax, f in zip(axes[0], nonlinearities):
            for w in ws:
                c = curves[(f, w)]
                magnitude = 10.0 ** c.log10_contrib               # exact zeros stay 0
                share = np.cumsum(magnitude) / magnitude.sum()
                ax.plot(c.lags, share, lw=2, ls=dashes[w], color=REGIME_COLORS[c.regime],
                        label=f"w = {w:g}: {c.regime}")
            ax.axvline(_curves.RECENT, color="0.6", lw=0.8, ls=":")
            ax.set_xlim(0, T - 1)
            ax.set_ylim(0, 1.02)
            ax.set_xlabel("j: the last j steps back from T")
            ax.set_title(f"f = {f}")
            ax.legend(loc="lower right", fontsize=8, handlelength=3)
        axes[0][0].set_ylabel("share of Σ_k |C[T,k]| from lags ≤ j")
        fig.tight_layout()
    return fig, curves
