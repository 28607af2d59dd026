"""Interactive explorers of notebooks 03 (scalar, matrix, contribution) and 04 (cliff, leak/gate), and
their static figures.

Each explorer has three layers, so that tests, static figures and the course site use the same code:

1. a pure compute function in ``rnnlib.curves`` (``scalar_curves``, ``matrix_curves``,
   ``contribution_curves``, ``leak_curves``) or ``rnnlib.cliff`` (``descent_path``): settings -> curves;
2. a view in ``rnnlib._views``: one matplotlib figure built once on its own Agg canvas (not pyplot, so
   nothing leaks into a notebook's outputs), axes fixed by the settings that set the frame (T, H), ghosts
   of the last settings, off-range values marked at the edge, and on each move only the animated
   artists drawn over a cached background (Agg blitting) and the canvas encoded as PNG;
3. here, the ipywidgets controls (tooltips, disabled states with their reason, heavy controls on
   release), the readout, and a fixed-width ``ipywidgets.Image`` holding the view's PNG.

``render_frames`` gives the view's PNGs without ipywidgets (the course site draws its sliders with it).
Everything a learner reads (labels, tooltips, option names, readouts, figure text) is written in the course's
language (``rnnlib.teaching.i18n``): the notebook's, or the one ``render_frames`` is asked for; the controls'
values stay the English ones.
Only core widgets are used (sliders, ToggleButtons, Dropdown, HTML, Image, VBox/HBox), so the
explorers run with ipywidgets 7 (Colab) and 8 (JupyterLab 4). matplotlib and ipywidgets are
imported inside the functions that use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from . import _views, i18n
from . import curves as _curves
from .i18n import tr
from .style import COLORS, REGIME_COLORS

if TYPE_CHECKING:                     # annotations only: matplotlib is imported where it is used
    from matplotlib.figure import Figure



def _ranges(view) -> dict:
    return {n: (c.lo, c.hi, c.step) for n, c in view.controls.items() if c.kind != "choice"}


#: Slider ranges, name -> (min, max, step), and defaults, per explorer (read from ``rnnlib._views``).
SCALAR_RANGES, SCALAR_DEFAULTS = _ranges(_views.ScalarView), dict(_views.ScalarView.defaults)
MATRIX_RANGES, MATRIX_DEFAULTS = _ranges(_views.MatrixView), dict(_views.MatrixView.defaults)
CLIFF_RANGES, CLIFF_DEFAULTS = _ranges(_views.CliffView), dict(_views.CliffView.defaults)
LEAK_RANGES, LEAK_DEFAULTS = _ranges(_views.LeakView), dict(_views.LeakView.defaults)

# ---------------------------------------------------------------------------------------------
# Drawing for the static figures (the explorers draw through ``rnnlib._views``).

_finite, _style = _views._finite, _views._style


def _limits(main: np.ndarray, extra: tuple[np.ndarray, ...] = ()) -> tuple[float, float]:
    """y limits that show every finite value of ``main`` and as much of ``extra`` as fits (static figures)."""
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


def _plot_matrix(ax, c: _curves.MatrixCurves, nonlinearity: str = "linear") -> None:
    """The matrix explorer's three lines for one setting, labelled with its legend (``MatrixView.legend``)."""
    labels = {name: label for name, _, label in _views.MatrixView.legend}
    _views.label_lag_axes(ax, "log10 ‖∂h_T / ∂h_k‖₂")
    # the measured line on top, the bound wider underneath: where they coincide (an orthogonal W_hh with
    # f = linear) the dashes still show on both sides of the measured line
    ax.plot(*_finite(c.lags, c.log10_norms), lw=1.6, zorder=3, color=REGIME_COLORS[c.regime], label=labels["norms"])
    ax.plot(*_finite(c.lags, c.bound), ls=(0, (3, 2)), lw=3.2, alpha=0.55, zorder=2, color=COLORS["bound"],
            label=labels["bound"])
    linear = nonlinearity == "linear"            # rho^(T-k) is the rate of the powers of W_hh: linear units only
    if linear:
        ax.plot(*_finite(c.lags, c.radius_line), ls=":", lw=1.5, color=COLORS["accent"], label=labels["radius"])
    ax.set_xlim(0, max(c.lags[-1], 1))
    ax.set_ylim(*_limits(c.log10_norms, (c.bound, c.radius_line) if linear else (c.bound,)))


# ---------------------------------------------------------------------------------------------
# The explorers.


def _readout_html(text: str, regime: str, legend: tuple, artists: dict) -> str:
    """The readout lines, the regime in its colour, and the figure's legend (drawn in HTML, not by matplotlib)."""
    import html

    from matplotlib.colors import to_hex

    lines = [html.escape(line) for line in text.split("\n")]
    lines[0] = f'<b style="color:{REGIME_COLORS[regime]}">{lines[0]}</b>'
    border = {"-": "solid", "--": "dashed", ":": "dotted"}
    keys = "&emsp;".join(
        f'<span style="display:inline-block;width:26px;border-top:3px {border[ls]} '
        f'{to_hex(artists[name].get_color()) if name in artists else "#b0b0b0"};vertical-align:middle"></span> '
        f'{html.escape(label)}'
        for name, ls, label in legend
    )
    return ("<div style='font-family:monospace;font-size:12px;line-height:1.5'>" + "<br>".join(lines)
            + f"<br><span style='color:#555'>{keys}</span></div>")


def tooltip_trait(widget) -> str | None:
    """The name of a widget's tooltip trait: ``tooltip`` (ipywidgets 8), ``description_tooltip`` (7), or None."""
    for name in ("tooltip", "description_tooltip"):
        if widget.has_trait(name):
            return name
    return None


def _set_tooltip(widget, text: str) -> None:
    name = tooltip_trait(widget)
    if name is not None:
        setattr(widget, name, text)


def _control_widget(name: str, c: _views.Control, value: object):
    """The ipywidgets control for one ``Control`` (a slider, toggle buttons or a dropdown), its tooltip set."""
    import ipywidgets as widgets

    if c.kind == "choice":
        labels = [_views.option_words(o) for o in c.options]
        # (label, value) pairs only where a label differs: the values stay the English options either way
        options = list(c.options) if labels == list(c.options) else list(zip(labels, c.options))
        if len(c.options) <= 3:
            w = widgets.ToggleButtons(options=options, value=value, description=c.label,
                                      tooltips=[c.tooltip] * len(c.options),
                                      style={"button_width": "72px", "description_width": "initial"},
                                      layout=widgets.Layout(width="auto", display="flex", align_items="center"))
        else:   # no description: ipywidgets 8 shows a dropdown's tooltip only without one (a Label carries the name)
            w = widgets.Dropdown(options=options, value=value, layout=widgets.Layout(width="210px"))
    else:
        cls = widgets.IntSlider if c.kind == "int" else widgets.FloatSlider
        w = cls(value=value, min=c.lo, max=c.hi, step=c.step, description=c.label,
                continuous_update=not c.heavy, style={"description_width": "initial"},
                layout=widgets.Layout(width="270px"))
    _set_tooltip(w, c.tooltip)
    return w


class _Explorer:
    """Controls, a readout and one picture; ``widget`` is the box to display.

    The picture comes from a view of ``rnnlib._views`` (settings -> PNG, fixed axes, blitting); this
    class only adds the ipywidgets controls, their tooltips and disabled states, and the readout.
    ``controls`` maps each setting's name to its widget; ``curves`` holds the last computed curves.
    """

    view_class: type = _views._View

    def __init__(self, seed: int = 0, **settings: object) -> None:
        import html

        import ipywidgets as widgets

        self.seed = seed
        self.view = self.view_class(seed, **settings)
        self.title = self.view.title
        self.legend = self.view.legend
        self.controls = {name: _control_widget(name, c, self.view.values[name])
                         for name, c in self.view.controls.items()}
        self.note = widgets.HTML(value="")
        self.readout = widgets.HTML(value="")
        self.image = widgets.Image(format="png", width=str(_views.IMAGE_WIDTH))
        self.image.layout.width = f"{_views.IMAGE_WIDTH}px"
        _set_tooltip(self.readout, tr("what the picture shows, in numbers"))
        _set_tooltip(self.note, tr("controls that cannot change the picture in this setting, and why"))
        shown = {}
        for name, control in self.controls.items():
            if isinstance(control, widgets.Dropdown):
                c = self.view.controls[name]        # the name as HTML with a title: shown by ipywidgets 7 and 8
                label = widgets.HTML(value=f'<span class="rnnlib-label" title="{html.escape(c.tooltip)}" '
                                           f'style="padding-right:6px">{html.escape(c.label)}</span>')
                _set_tooltip(label, c.tooltip)
                shown[name] = widgets.HBox([label, control], layout=widgets.Layout(width="260px"))
            else:
                shown[name] = control
        names = list(self.controls)          # three controls per row, in the order given
        rows = [widgets.HBox([shown[n] for n in names[i : i + 3]]) for i in range(0, len(names), 3)]
        self.widget = widgets.VBox([*rows, self.note, self.readout, self.image],
                                   layout=widgets.Layout(max_width=f"{_views.IMAGE_WIDTH + 20}px"))
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._show()

    @property
    def curves(self):
        return self.view.curves

    @property
    def figure(self):
        return self.view.figure

    @property
    def ax(self):
        return self.view.ax

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
        """Recompute from the controls, redraw what changed, push the new PNG."""
        self.view.update(**self.settings())
        self._show()

    def _show(self) -> None:
        import html

        import ipywidgets as widgets

        self.image.value = self.view.png
        text, regime = self.view.readout()
        self.readout.value = _readout_html(text, regime, self.legend, self.view.artists)
        off = self.view.disabled(self.view.values)
        reasons: dict[str, list[str]] = {}
        for name, control in self.controls.items():
            reason = off.get(name, "")
            tip = reason or self.view.controls[name].tooltip
            if control.disabled != bool(reason):            # traits set only when they change: each set is a message
                control.disabled = bool(reason)
            trait = tooltip_trait(control)
            if trait is not None and getattr(control, trait) != tip:
                setattr(control, trait, tip)
                if isinstance(control, widgets.ToggleButtons):
                    control.tooltips = [tip] * len(control.options)
            if reason:
                reasons.setdefault(reason, []).append(self.view.controls[name].label)
        note = "".join(
            f"<div style='font-size:12px;color:#666'>⊘ {html.escape(', '.join(labels))}: {html.escape(reason)}</div>"
            for reason, labels in reasons.items())
        if note != self.note.value:
            self.note.value = note

    def _repr_mimebundle_(self, **kwargs) -> dict:
        # The widget view for live front ends; a fixed text line for everything else (a stored
        # notebook, nbval), instead of the widget's repr, which lists every trait value.
        return {
            "text/plain": tr("{title} (interactive: move the sliders in a running notebook)", title=self.title),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            },
        }


class ScalarExplorer(_Explorer):
    """One unit h_t = f(w h_{t-1} + s x_t + b): sliders w, T, f, s, b; log10 |dh_T/dh_k| against the lag on a
    y-range fixed by T, beside the forward states (with the fixed points) and the per-step factors.

    ``controls`` maps 'w', 'T', 'nonlinearity', 'input_scale', 'bias' to their widgets;
    ``curves`` holds the last ``ScalarCurves``; ``widget`` is what the notebook displays.
    """

    view_class = _views.ScalarView


class MatrixExplorer(_Explorer):
    """H units with W_hh = sigma_max x a fixed matrix (or the sheared matrix at fixed rho): the Jacobian
    product's norm beside Pascanu's bound, and the spectrum (eigenvalues, singular values) beside it.

    ``controls`` maps 'sigma_max', 'H', 'T', 'kind', 'nonlinearity', 'input_scale', 'shear' to their widgets.
    """

    view_class = _views.MatrixView

    @property
    def bases(self) -> dict:
        return self.view.bases


class ContributionExplorer(_Explorer):
    """The scalar explorer's unit and sliders, showing BPTT's contributions |C[T,k]| (notebook 02) instead.

    ``curves`` holds the last ``ContributionCurves``.
    """

    view_class = _views.ContributionView


class CliffExplorer(_Explorer):
    """Notebook 04's cliff: start (w, b), learning rate, clipping mode and threshold; the descent path on the
    loss surface of ``rnnlib.cliff`` and the length of each step. ``curves`` holds the last ``CliffPath``.
    """

    view_class = _views.CliffView


class LeakExplorer(_Explorer):
    """Notebook 04's leak and gate: z (and T); (1 - z)^j against the leaky and gated Jacobian products.
    ``curves`` holds the last ``LeakCurves``.
    """

    view_class = _views.LeakView


def scalar_explorer(**settings: object) -> ScalarExplorer:
    """Build the scalar explorer (display the result, or its ``widget``)."""
    return ScalarExplorer(**settings)


def matrix_explorer(**settings: object) -> MatrixExplorer:
    """Build the matrix explorer (display the result, or its ``widget``)."""
    return MatrixExplorer(**settings)


def contribution_explorer(**settings: object) -> ContributionExplorer:
    """Build the contribution explorer (display the result, or its ``widget``)."""
    return ContributionExplorer(**settings)


def cliff_explorer(**settings: object) -> CliffExplorer:
    """Build notebook 04's cliff explorer (display the result, or its ``widget``)."""
    return CliffExplorer(**settings)


def leak_explorer(**settings: object) -> LeakExplorer:
    """Build notebook 04's leak/gate explorer (display the result, or its ``widget``)."""
    return LeakExplorer(**settings)


#: The explorers ``render_frames`` can draw, by name.
EXPLORERS = tuple(_views.VIEWS)


#: The languages ``render_frames`` can draw the explorers' figure text in (the course site asks for each
#: edition's own language).
FRAME_LANGUAGES = ("en", "ko")


def render_frames(explorer: str, control: str, values: Sequence[float], language: str = "en",
                  **settings: object) -> list[bytes]:
    """The PNG bytes each live explorer shows while one control moves through ``values``, without ipywidgets.

    explorer: 'scalar' | 'matrix' | 'cliff' | 'leak' | 'contribution'; control: one of its controls' names
    (e.g. 'w', 'sigma_max', 'lr', 'z'); values: the control's successive values (numbers, or options for a
    choice); language: the figure text's language, one of ``FRAME_LANGUAGES``; settings: the other controls'
    starting values (the explorer's defaults otherwise) and ``seed``.
    Frame i is exactly the image a freshly built explorer with these settings holds after its control
    has been moved to values[0], ..., values[i] in turn (its ghosts are the previous frames' lines), in a
    notebook of that language. The kernel's language and matplotlib's settings are left as they were.
    Returns: a list of len(values) PNG byte strings.
    """
    if explorer not in _views.VIEWS:
        raise ValueError(f"explorer: expected one of {list(_views.VIEWS)}, got {explorer!r}")
    view_class = _views.VIEWS[explorer]
    if control not in view_class.controls:
        raise ValueError(f"control: expected one of {list(view_class.controls)} for the {explorer} explorer, "
                         f"got {control!r}")
    if language not in FRAME_LANGUAGES:
        raise ValueError(f"language: expected one of {list(FRAME_LANGUAGES)}, got {language!r}")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ValueError(f"values: expected a sequence of values for {control!r}, got {type(values).__name__}")
    import matplotlib as mpl

    seed = settings.pop("seed", 0)
    previous = i18n.get_language()
    try:                              # the view's text and font in ``language``, the kernel's language restored
        i18n.set_language(language)
        with mpl.rc_context(i18n.figure_rc(language)):
            view = view_class(seed, **settings)
            return [view.update(**{control: value}) for value in values]
    finally:
        i18n.set_language(previous)


# ---------------------------------------------------------------------------------------------
# Static figures at representative settings (``rnnlib.curves.STATIC_WS``, ``STATIC_MATRIX_PANELS``):
# what a static copy of the notebook shows.

#: Line styles that tell the values of w apart in a static figure (colour is kept for the regime).
_W_DASHES = ((0, ()), (0, (6, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (2, 1)))


def _w_dashes(ws: tuple[float, ...]) -> dict[float, tuple]:
    """One line style per w, in the order given (the same w gets the same style in every panel)."""
    return {w: _W_DASHES[i % len(_W_DASHES)] for i, w in enumerate(ws)}


def _direct_labels(ax, items: list[tuple[str, float, float, str]], gap: float = 0.07) -> None:
    """Name each line at its right end: items (text, x, y, colour); labels closer than ``gap`` of the
    y-range are spread apart (a thin leader joins a moved label to its line's end)."""
    lo, hi = ax.get_ylim()
    step = gap * (hi - lo)
    order = sorted(items, key=lambda it: it[2])
    ys = [it[2] for it in order]
    for i in range(1, len(ys)):                    # push up until every label is a step above the last
        ys[i] = max(ys[i], ys[i - 1] + step)
    shift = max(0.0, ys[-1] - (hi - step / 2)) if ys else 0.0
    for (text, x, y, color), y_text in zip(order, ys):
        ax.annotate(text, xy=(x, y), xytext=(x + 0.04 * x, y_text - shift), color=color, fontsize=8, va="center",
                    arrowprops={"arrowstyle": "-", "color": color, "lw": 0.6})


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
            _views.label_lag_axes(ax, "log10 |∂h_T / ∂h_k|")
            for w in ws:
                c = curves[(f, w)]
                ax.plot(*_finite(c.lags, c.log10_jacobian), lw=2, ls=dashes[w], color=REGIME_COLORS[c.regime],
                        label=f"w = {w:g}: {_views.regime_words(c.regime)}")
            note = ": (T − k) log10|w|" if f == "linear" else tr(": |w f'(a)| ≤ |w|, saturation pulls down")
            ax.set_title(f"f = {f}{note}")
            ax.set_xlim(0, T * 1.22)                       # room for the labels at the lines' ends
            _direct_labels(ax, [(f"w = {w:g}", T, curves[(f, w)].final, REGIME_COLORS[curves[(f, w)].regime])
                                for w in ws])
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
            _plot_matrix(ax, c, p["nonlinearity"])
            fields = {"kind": _views.option_words(p["kind"]), "f": p["nonlinearity"], "product": c.gamma * c.sigma_max,
                      "rho": c.rho, "verdict": _views.verdict_words(c.verdict), "regime": _views.regime_words(c.regime),
                      "peak": c.peak}
            if c.rho < 1 and c.peak > _curves.TRANSIENT:
                title = tr("{kind} W_hh, f = {f}: γ σ_max = {product:.1f}, ρ = {rho:.2f}\n{verdict}; measured: "
                           "{regime}, after growth to 10^{peak:+.1f}", **fields)
            else:
                title = tr("{kind} W_hh, f = {f}: γ σ_max = {product:.1f}, ρ = {rho:.2f}\n{verdict}; measured: "
                           "{regime}", **fields)
            ax.set_title(title, fontsize=9)
            if np.allclose(c.log10_norms, c.bound, rtol=0, atol=1e-6):
                ax.text(0.03, 0.92, tr("measured = bound at every lag (solid on dashed)"), transform=ax.transAxes,
                        fontsize=9, va="top")
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        legend = {}                                    # every line once, whichever panel draws it
        for ax in axes.flat[:len(panels)]:
            for handle, label in zip(*ax.get_legend_handles_labels()):
                legend.setdefault(label, handle)
        fig.legend(list(legend.values()), list(legend), loc="lower center", ncol=3)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig, curves


def contribution_static_figure(ws: tuple[float, ...] = _curves.STATIC_WS, T: int = 60,
                               nonlinearities: tuple[str, ...] = ("linear", "tanh"), input_scale: float = 0.2,
                               bias: float = 0.0,
                               seed: int = 0) -> tuple[Figure, dict[tuple[str, float], _curves.ContributionCurves]]:
    """What the contribution explorer draws, frozen: log10 |C[T,k]| against the lag, one line per w.

    One panel per nonlinearity (shared y axis), the contribution explorer's unit and loss; each line is
    coloured by the measured regime of its Jacobian |dh_T/dh_0| (as in ``scalar_static_figure``), styled by w.
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
                ax.plot(*_finite(c.lags, c.log10_contrib), lw=2, ls=dashes[w], color=REGIME_COLORS[c.regime],
                        label=f"w = {w:g}: {_views.regime_words(c.regime)}")
            _views.label_lag_axes(ax, "log10 |C[T, k]|" if f == nonlinearities[0] else "")
            ax.set_xlim(0, T - 1)
            ax.set_title(f"f = {f}")
            ax.legend(loc="lower left", fontsize=8, handlelength=3, ncol=2)
        fig.tight_layout()
    return fig, curves


def leak_static_figure(zs: tuple[float, ...] = (0.05, 0.3, 1.0), T: int = 100,
                       seed: int = 0) -> tuple[Figure, dict[float, _curves.LeakCurves]]:
    """What the leak/gate explorer draws, frozen: one panel per z, with (1 - z)^(T-k), the leaky and the gated
    Jacobian products (``curves.leak_curves``) on a shared y axis. Returns: (figure, {z: LeakCurves}).
    """
    import matplotlib.pyplot as plt

    curves = {z: _curves.leak_curves(z, T, seed) for z in zs}
    with _style():
        fig, axes = plt.subplots(1, len(zs), figsize=(3.6 * len(zs), 3.4), sharey=True, squeeze=False)
        for ax, z in zip(axes[0], zs):
            c = curves[z]
            ax.plot(*_finite(c.lags, c.leaky), lw=2.2, color=REGIME_COLORS[c.regime], zorder=4,
                    label=tr("leaky, fixed z (colour: its regime)"))
            # the gated line wide and translucent underneath: where the two coincide it shows as a halo
            ax.plot(*_finite(c.lags, c.gated), lw=5.0, alpha=0.45, color=COLORS["gate"], zorder=3,
                    label=tr("gated, learned gate"))
            ax.plot(*_finite(c.lags, c.pure), ls="--", lw=1.6, color=COLORS["accent"], label="(1 − z)^(T−k)")
            ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)
            ax.set_xlim(0, T)
            ax.set_ylim(_views._lag_range(T, high=0.25 * _views._LOG2))
            ax.set_title(tr("z = {z:g}: the leaky product is {regime}", z=z, regime=_views.regime_words(c.regime)),
                         fontsize=10)
            ax.set_xlabel("lag T − k")
        axes[0][0].set_ylabel("log10 ‖∂h_T / ∂h_k‖₂")
        axes[0][0].legend(loc="lower left", fontsize=8)
        fig.tight_layout()
    return fig, curves
