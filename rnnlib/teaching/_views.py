"""The explorers' pictures without widgets: settings in, PNG bytes out (``rnnlib.widgets`` adds the controls).

A view holds one matplotlib ``Figure`` on its own Agg canvas, built once. Its axes are fixed by the
settings that change the picture's frame (T, f, H: the "frame key"); every other move (w, s, b,
sigma_max, z, the learning rate, ...) only changes the animated artists. An update therefore
restores the cached background, draws the few animated artists (Agg blitting) and encodes the
canvas buffer as a PNG, instead of drawing and saving the whole figure again.

What every view shows besides its curves: faint ghosts of the last ``GHOSTS`` settings (cleared when
the frame changes), values beyond the fixed y-range marked at the edge with their value, and
a readout (text, colour by regime). ``render_frames`` in ``rnnlib.widgets`` drives these views.
Shapes: T steps, H hidden units, n descent steps.

Every text a learner reads (titles, axis labels, legends, annotations, control labels and tooltips, the
reasons a control is off) is written in the course's language of the moment (``rnnlib.teaching.i18n``): a
view's ``title``, ``legend`` and ``controls`` are made on first access in each language (``_worded``), its
figure text when it is built and drawn, with the Hangul font for Korean (``_style``).
"""

from __future__ import annotations

import io
from collections import deque
from typing import NamedTuple

import numpy as np

from . import curves as _curves
from . import i18n
from .i18n import tr, word
from .style import COLORS, RC, REGIME_COLORS

#: How many earlier settings stay on the plot as faint lines.
GHOSTS = 3
_DPI = 100
_FIGSIZE = (9.4, 3.6)          # 940 x 360 pixels: fits a 1280 x 800 screen beside JupyterLab's margins
IMAGE_WIDTH = int(_FIGSIZE[0] * _DPI)
_GHOST_ALPHA = (0.32, 0.2, 0.12)
_BACKGROUNDS = 8            # frames whose drawn background is kept (switching f or T back costs no redraw)
_LOG2 = float(np.log10(2.0))


class Control(NamedTuple):
    """One control of an explorer: kind 'float' | 'int' | 'choice', its label, tooltip and range.

    lo, hi, step: the slider's range (float and int); options: the choices; heavy: update on release only.
    """

    kind: str
    label: str
    tooltip: str
    lo: float = 0.0
    hi: float = 0.0
    step: float = 0.0
    options: tuple = ()
    heavy: bool = False


def _style():
    """The course style, and the font of the course's language (none added for English)."""
    import matplotlib as mpl

    return mpl.rc_context({**RC, **i18n.figure_rc()})


class _worded:  # noqa: N801 (used as a decorator, like property)
    """A class attribute made by a function of no arguments, once per language, on access: the texts a learner
    reads are ``tr`` calls on literal English keys (tests/test_i18n.py checks each is translated) and are read
    from the class (``ScalarView.controls``) or an instance alike, in the language of the moment."""

    def __init__(self, make) -> None:
        self.make = make
        self.made: dict[str, object] = {}
        self.__doc__ = make.__doc__

    def __get__(self, obj, owner=None):
        language = i18n.get_language()
        if language not in self.made:
            self.made[language] = self.make()
        return self.made[language]


#: What a learner reads for a regime id or one of ``curves.VERDICTS``, in the course's language.
regime_words, verdict_words = word, _curves._verdict_words


def option_words(option: str) -> str:
    """What a learner reads for one option of a choice control (the value itself stays the English one): the
    data word (``i18n.word``: gaussian, orthogonal, none, norm, ...), and the sheared matrix with its ρ."""
    return tr("sheared, ρ = {rho:g}", rho=_curves.SHEAR_RADIUS) if option == SHEARED else word(option)


def _settings(given: dict, defaults: dict) -> dict:
    unknown = set(given) - set(defaults)
    if unknown:
        raise ValueError(f"settings: expected names among {sorted(defaults)}, got {sorted(unknown)}")
    return {**defaults, **given}


def _finite(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isfinite(y)
    return x[keep], y[keep]


def _lag_range(T: int, low: float = _LOG2, high: float = _LOG2, least: float = 3.0) -> tuple[float, float]:
    """A y-range in decades fixed by T alone: T log10 2 either way (a factor 2 per step), at least ``least``."""
    lo, hi = -max(least, T * low), max(least, T * high)
    pad = 0.04 * (hi - lo)
    return lo - pad, hi + pad


def label_lag_axes(ax, ylabel: str) -> None:
    """The axes every Jacobian-product plot shares: the lag T - k along x, ``ylabel`` up, a line at 10^0."""
    ax.set_xlabel(tr("lag T − k (steps back from the last state)"))
    ax.set_ylabel(ylabel)
    ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)


def _edge_note(x: np.ndarray, y: np.ndarray, ylim: tuple[float, float], what: str = "10^{:+.1f}") -> tuple:
    """Where a line leaves the y-range and the value it reaches: (x, y at the edge, text, marker) or None."""
    xs, ys = _finite(x, y)
    lo, hi = ylim
    out = np.flatnonzero((ys < lo) | (ys > hi))
    if out.size == 0:
        return None
    i = out[0]
    j = int(np.argmin(ys)) if ys[i] < lo else int(np.argmax(ys))
    below = ys[i] < lo
    arrow, value = "↓" if below else "↑", what.format(ys[j])
    text = tr("{arrow} {value} at lag {lag:g}", arrow=arrow, value=value, lag=xs[j])
    if j != i and below:          # the arrow marks where the line leaves; the extreme it reaches lies further on
        text = tr("{arrow} off the plot from lag {leaves:g}; lowest {value} at lag {lag:g}", arrow=arrow,
                  leaves=xs[i], value=value, lag=xs[j])
    elif j != i:
        text = tr("{arrow} off the plot from lag {leaves:g}; highest {value} at lag {lag:g}", arrow=arrow,
                  leaves=xs[i], value=value, lag=xs[j])
    return float(xs[i]), lo if below else hi, text, "v" if below else "^"


class _View:
    """Base of the views: a subclass sets ``controls``, ``defaults``, ``legend`` and implements
    ``compute(values)``, ``frame(values)`` (the key of the fixed axes), ``build()`` (static artists,
    once), ``set_frame(values)`` (limits for a new key), ``draw(curves)`` (animated artists' data),
    ``main_line(curves)`` ((x, y) for the ghosts) and optionally ``disabled(values)``.
    """

    name = ""
    title = ""
    controls: dict[str, Control] = {}
    defaults: dict = {}
    legend: tuple = ()
    figsize = _FIGSIZE

    def __init__(self, seed: int = 0, **settings: object) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.seed = seed
        self.values = self._coerce(_settings(settings, self.defaults))
        with _style():
            self.figure = Figure(figsize=self.figsize, dpi=_DPI)
            FigureCanvasAgg(self.figure)
            self.artists: dict = {}
            self.build()
            self._ghosts = [self.ax.plot([], [], lw=1.5, color="0.45", alpha=a, animated=True, zorder=1)[0]
                            for a in _GHOST_ALPHA[:GHOSTS]]
        self._history: deque = deque(maxlen=GHOSTS)
        self._frame = None
        self._background = None
        self._backgrounds: dict = {}                       # frame key -> cached background, oldest first
        self.curves = None
        self.png = b""
        self.update()

    # -- values ---------------------------------------------------------------------------------------

    def _coerce(self, values: dict) -> dict:
        out = {}
        for name, value in values.items():
            c = self.controls[name]
            if c.kind == "choice":
                if value not in c.options:
                    raise ValueError(f"{name}: expected one of {list(c.options)}, got {value!r}")
                out[name] = value
            else:
                number = _curves.check_finite_scalar(name, value)
                if not c.lo - 1e-9 <= number <= c.hi + 1e-9:
                    raise ValueError(f"{name}: expected a value in [{c.lo:g}, {c.hi:g}], got {value!r}")
                out[name] = int(round(number)) if c.kind == "int" else number
        return out

    def disabled(self, values: dict) -> dict[str, str]:
        """Controls that cannot change the picture in this setting, each with the reason."""
        return {}

    def readout(self) -> tuple[str, str]:
        """(text, regime) for the current curves: lines for the learner, the first coloured by the regime."""
        return self.curves.readout, self.curves.regime

    # -- drawing --------------------------------------------------------------------------------------

    def update(self, **values: object) -> bytes:
        """Move some controls (by name), recompute, redraw what changed; returns the new PNG bytes."""
        _settings(values, self.defaults)                    # unknown names are refused
        new = {**self.values, **self._coerce(values)}
        if self.curves is not None and new == self.values:
            return self.png
        self.values = new
        curves = self.compute(new)
        key = self.frame(new)
        with _style():
            if key != self._frame:
                self._frame = key
                self._history.clear()
                self.set_frame(new)
                if key in self._backgrounds:                # a frame seen before: its background is kept
                    self._backgrounds[key] = self._backgrounds.pop(key)
                else:
                    for a in self._animated():
                        a.set_visible(False)
                    self.figure.canvas.draw()
                    for a in self._animated():
                        a.set_visible(True)
                    self._backgrounds[key] = self.figure.canvas.copy_from_bbox(self.figure.bbox)
                    while len(self._backgrounds) > _BACKGROUNDS:
                        self._backgrounds.pop(next(iter(self._backgrounds)))
                self._background = self._backgrounds[key]
            elif self.curves is not None:
                self._history.appendleft(self.main_line(self.curves))
            for ghost, data in zip(self._ghosts, [*self._history, *([None] * GHOSTS)]):
                if data is None:
                    ghost.set_data([], [])
                else:
                    ghost.set_data(*_finite(*data))
            self.curves = curves
            self.draw(curves)
            canvas = self.figure.canvas
            canvas.restore_region(self._background)
            for a in self._animated():
                if a.get_visible():
                    a.axes.draw_artist(a) if a.axes is not None else self.figure.draw_artist(a)
            self.png = self._encode()
        return self.png

    def _animated(self) -> list:
        return [*self._ghosts, *self.artists.values()]

    def _encode(self) -> bytes:
        from PIL import Image

        canvas = self.figure.canvas
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)   # fast; the PNG is sent, not stored
        return buf.getvalue()

    def _bars(self, ax, **kw):
        from matplotlib.collections import LineCollection

        bars = LineCollection([], animated=True, **kw)
        ax.add_collection(bars)
        return bars

    @staticmethod
    def _set_bars(bars, x: np.ndarray, bottom: float, top: np.ndarray) -> None:
        bars.set_segments([((xi, bottom), (xi, ti)) for xi, ti in zip(x, top)])

    def _line(self, ax, **kw):
        line = ax.plot([], [], animated=True, **kw)[0]
        return line

    def _text(self, ax, x, y, **kw):
        kw.setdefault("fontsize", 9)
        return ax.text(x, y, "", animated=True, transform=kw.pop("transform", ax.transAxes), **kw)

    def _mark_edge(self, key: str, x: np.ndarray, y: np.ndarray, ax, what: str = "10^{:+.1f}") -> None:
        note = _edge_note(x, y, ax.get_ylim(), what)
        marker, text = self.artists[key + "_edge"], self.artists[key + "_edge_text"]
        if note is None:
            marker.set_data([], [])
            text.set_text("")
            return
        ex, ey, words, symbol = note
        marker.set_data([ex], [ey])
        marker.set_marker(symbol)
        text.set_text(words)
        xl = ax.get_xlim()
        frac = (ex - xl[0]) / (xl[1] - xl[0])
        text.set_position((min(max(frac, 0.02), 0.98), 0.03 if symbol == "v" else 0.93))
        text.set_ha("right" if frac > 0.6 else "left")

    def _edge_artists(self, key: str, ax, color: str) -> None:
        self.artists[key + "_edge"] = self._line(ax, ls="none", ms=9, color=color, clip_on=False, zorder=6)
        self.artists[key + "_edge_text"] = self._text(ax, 0.5, 0.05, color=color,
                                                      bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1})


# ---------------------------------------------------------------------------------------------------
# Scalar unit: the product, the states and the per-step factors.

_NONLINEARITIES = ("linear", "tanh", "sigmoid")


class ScalarView(_View):
    """One unit h_t = f(w h_{t-1} + s x_t + b): log10 |dh_T/dh_k| against the lag, on a y-range fixed
    by T (T log10 2 decades either way), beside its forward states h_t (with the fixed points of
    h -> f(w h + b)) and its per-step factors |w f'(a_t)| against 1.
    """

    name = "scalar"
    defaults = {"w": 0.9, "T": 100, "nonlinearity": "linear", "input_scale": 0.2, "bias": 0.0}

    @_worded
    def title():
        return tr("Scalar explorer: w, T, f, input scale s, bias b")

    @_worded
    def controls():
        return {
            "w": Control("float", "w", tr("recurrent weight w: |w| < 1 shrinks, |w| > 1 stretches each step"),
                         -2.0, 2.0, 0.01),
            "T": Control("int", "T", tr("sequence length T (the plot's axes follow it; updates on release)"), 2, 300,
                         1, heavy=True),
            "nonlinearity": Control("choice", tr("nonlinearity f"),
                                    tr("the nonlinearity f of h_t = f(w h_{t-1} + s x_t + b)"),
                                    options=_NONLINEARITIES),
            "input_scale": Control("float", tr("input scale s"),
                                   tr("input scale s: how hard the inputs x_t drive the unit (moves the states, and "
                                      "with tanh or sigmoid their slopes f')"), 0.0, 3.0, 0.05),
            "bias": Control("float", tr("bias b"), tr("bias b: shifts every pre-activation a_t (with tanh or sigmoid, "
                                                      "towards the flat tails)"), -2.0, 2.0, 0.05),
        }

    @_worded
    def legend():
        return (("jacobian", "-", tr("|∂h_T/∂h_k| along the forward pass")),
                ("reference", "--", tr("linear prediction |w|^(T−k)")),
                ("ghost", "-", tr("earlier settings")))

    def compute(self, v: dict) -> _curves.ScalarCurves:
        return _curves.scalar_curves(v["w"], v["T"], v["nonlinearity"], v["input_scale"], v["bias"], self.seed)

    def disabled(self, v: dict) -> dict[str, str]:
        if v["nonlinearity"] == "linear":
            reason = tr("disabled for a linear unit: its Jacobian is w at every step, whatever the states "
                        "(pick tanh or sigmoid)")
            return {"input_scale": reason, "bias": reason}
        return {}

    def frame(self, v: dict) -> tuple:
        return (v["T"], v["nonlinearity"])

    def build(self) -> None:
        fig = self.figure
        self.ax = ax = fig.add_axes((0.075, 0.13, 0.5, 0.8))
        self.ax_states = fig.add_axes((0.67, 0.6, 0.31, 0.33))
        self.ax_factors = fig.add_axes((0.67, 0.13, 0.31, 0.33))
        label_lag_axes(ax, "log10 |∂h_T / ∂h_k|")
        self.ax_states.set_title(tr("states h_t · fixed points: – – stable, ··· unstable"), fontsize=8.5)
        self.ax_factors.set_title(tr("per-step factor |w f′(a_t)|: above 1 grows"), fontsize=9)
        self.ax_factors.set_xlabel(tr("step t"), fontsize=9)
        self.ax_factors.axhline(1.0, color=COLORS["explode"], lw=1.0, ls="--", zorder=0)
        self.ax_factors.set_ylim(0.0, 2.1)
        for a in (self.ax_states, self.ax_factors):
            a.tick_params(labelsize=8)
        self.artists = {
            "reference": self._line(ax, ls="--", lw=1.2, color=COLORS["bound"], zorder=2),
            "jacobian": self._line(ax, lw=2.2, zorder=3),
            "zero": self._line(ax, ls="none", marker="o", ms=9, color=COLORS["vanish"], zorder=5),
            "zero_text": self._text(ax, 0.04, 0.12, fontsize=11, color=COLORS["vanish"]),
            "states": self._line(self.ax_states, lw=1.2, color=COLORS["vanish"]),
            "fixed0": self._line(self.ax_states, lw=1.2, color=COLORS["accent"]),
            "fixed1": self._line(self.ax_states, lw=1.2, color=COLORS["accent"]),
            "fixed2": self._line(self.ax_states, lw=1.2, color=COLORS["accent"]),
            "states_text": self._text(self.ax_states, 0.02, 0.05, fontsize=8),
            "factors": self._line(self.ax_factors, lw=1.0, color=COLORS["vanish"]),
        }
        self._edge_artists("jacobian", ax, "0.2")

    def set_frame(self, v: dict) -> None:
        T = v["T"]
        self.ax.set_xlim(0, T)
        self.ax.set_ylim(*_lag_range(T))
        self.ax_states.set_xlim(0, T)
        self.ax_states.set_ylim(*{"linear": (-3.0, 3.0), "tanh": (-1.1, 1.1), "sigmoid": (-0.05, 1.05)}[
            v["nonlinearity"]])
        self.ax_factors.set_xlim(0, T)

    def main_line(self, c) -> tuple[np.ndarray, np.ndarray]:
        return c.lags, c.log10_jacobian

    def draw(self, c: _curves.ScalarCurves) -> None:
        a, v = self.artists, self.values
        color = REGIME_COLORS[c.regime]
        a["jacobian"].set_data(*_finite(c.lags, c.log10_jacobian))
        a["jacobian"].set_color(color)
        a["reference"].set_data(*_finite(c.lags, c.reference))
        zero = v["w"] == 0.0
        a["zero"].set_data([0.0], [0.0]) if zero else a["zero"].set_data([], [])
        a["zero_text"].set_text(tr("w = 0:  ∂h_T/∂h_k = 0 for every k < T\n(only lag 0, where it is 1, is drawn)")
                                if zero else "")
        self._mark_edge("jacobian", c.lags, c.log10_jacobian, self.ax)
        t = np.arange(len(c.states))
        a["states"].set_data(t, np.clip(c.states, -1e6, 1e6))
        fp = _curves.fixed_points(v["w"], v["nonlinearity"], v["bias"])
        for i in range(3):
            line = a[f"fixed{i}"]
            if i < len(fp.values):
                line.set_data([0, v["T"]], [fp.values[i]] * 2)
                line.set_linestyle("--" if fp.stable[i] else ":")
            else:
                line.set_data([], [])
        lo, hi = self.ax_states.get_ylim()
        off = np.flatnonzero(~((c.states >= lo) & (c.states <= hi)))
        a["states_text"].set_text(tr("h_t leaves the plot at t = {t}", t=off[0]) if off.size else "")
        factors = np.where(np.isfinite(c.log10_factors), 10.0 ** np.minimum(c.log10_factors, 3.0), 0.0)
        a["factors"].set_data(np.arange(1, len(factors) + 1), factors)


class ContributionView(ScalarView):
    """The scalar unit's BPTT contributions |C[T,k]| (notebook 02) against the lag, on the fixed y-range."""

    name = "contribution"

    @_worded
    def title():
        return tr("Contribution explorer: |C[T,k]| under w, T, f, input scale s, bias b")

    @_worded
    def legend():
        return (("contrib", "-", tr("|C[T,k]|: the part of ∂l_T/∂w through h_k")),
                ("jacobian", "--", tr("|∂h_T/∂h_k|, the factor it carries")),
                ("reach", ":", tr("last lag within {percent:g}% of the largest", percent=100 * _curves.REACH_SHARE)))

    def compute(self, v: dict) -> _curves.ContributionCurves:
        return _curves.contribution_curves(v["w"], v["T"], v["nonlinearity"], v["input_scale"], v["bias"], self.seed)

    def disabled(self, v: dict) -> dict[str, str]:
        return {}                  # the contributions carry f'(a_k) h_{k-1}: s and b matter even when linear

    def frame(self, v: dict) -> tuple:
        return (v["T"],)

    def build(self) -> None:
        fig = self.figure
        self.ax = ax = fig.add_axes((0.075, 0.13, 0.9, 0.8))
        label_lag_axes(ax, "log10 |C[T, k]|")
        self.artists = {
            "jacobian": self._line(ax, ls="--", lw=1.2, color=COLORS["bound"], zorder=2),
            "contrib": self._line(ax, lw=2.2, zorder=3),
            "reach": self._line(ax, ls=":", lw=1.5, color=COLORS["accent"]),
            "zero_text": self._text(ax, 0.04, 0.12, fontsize=11, color=COLORS["vanish"]),
        }
        self._edge_artists("contrib", ax, "0.2")

    def set_frame(self, v: dict) -> None:
        self.ax.set_xlim(0, max(v["T"] - 1, 1))
        self.ax.set_ylim(*_lag_range(v["T"]))

    def main_line(self, c) -> tuple[np.ndarray, np.ndarray]:
        return c.lags, c.log10_contrib

    def draw(self, c: _curves.ContributionCurves) -> None:
        a = self.artists
        a["contrib"].set_data(*_finite(c.lags, c.log10_contrib))
        a["contrib"].set_color(REGIME_COLORS[c.regime])
        a["jacobian"].set_data(*_finite(c.lags, c.log10_jacobian))
        lo, hi = self.ax.get_ylim()
        a["reach"].set_data([c.reach] * 2, [lo, hi]) if c.reach >= 0 else a["reach"].set_data([], [])
        empty = not np.any(np.isfinite(c.log10_contrib))
        a["zero_text"].set_text(tr("every C[T,k] is 0 here: the state never leaves h = 0, so each\n"
                                   "immediate partial f'(a_k) h_(k-1) is 0 (grey lines: earlier settings)")
                                if empty else "")
        self._mark_edge("contrib", c.lags, c.log10_contrib, self.ax)


# ---------------------------------------------------------------------------------------------------
# H units: the product, Pascanu's bound, and the spectrum.

#: The matrix explorer's extra choice: W_hh = 0.9 I + a shear (``curves.sheared_matrix``), rho fixed at 0.9.
SHEARED = f"sheared, ρ = {_curves.SHEAR_RADIUS:g}"
_EIG_LIMIT = 2.2
#: lags x H^2 of spectral norms per update; beyond it the norm is drawn through every n-th lag (and the last)
_NORM_BUDGET = 60_000
_SV_LIMIT = 5.4


class MatrixView(_View):
    """H units with W_hh = sigma_max x a fixed matrix (or the sheared matrix at fixed rho): the norm of the
    Jacobian product beside Pascanu's bound and rho^lag, and the spectrum beside them: eigenvalues in
    the complex plane with the unit circle, singular values as bars with a line at 1/gamma.
    """

    name = "matrix"
    defaults = {"sigma_max": 1.5, "kind": "gaussian", "H": 32, "T": 100, "nonlinearity": "tanh", "input_scale": 1.0,
                "shear": 1.0}

    @_worded
    def title():
        return tr("Matrix explorer: σ_max, kind of W_hh, shear, H, T, f, input scale")

    @_worded
    def controls():
        return {
            "sigma_max": Control("float", "σ_max", tr("σ_max: the largest singular value of W_hh (the matrix is "
                                                      "rescaled to it)"), 0.05, 5.0, 0.05),
            "H": Control("int", "H", tr("number of hidden units H (updates on release)"), 2, 48, 1, heavy=True),
            "T": Control("int", "T", tr("sequence length T (the plot's axes follow it; updates on release)"), 2, 300,
                         1, heavy=True),
            "kind": Control("choice", "W_hh", tr("the fixed matrix that σ_max scales; 'sheared' keeps ρ fixed and "
                                                 "lets the shear set σ_max"), options=(*_curves.MATRIX_KINDS, SHEARED)),
            "nonlinearity": Control("choice", tr("nonlinearity f"), tr("the nonlinearity f; γ = max |f′| is 1 for tanh "
                                                                       "and linear, 1/4 for sigmoid"),
                                    options=_NONLINEARITIES),
            "input_scale": Control("float", tr("input scale"), tr("input scale: how hard the fixed random inputs drive "
                                                                  "the units (with tanh or sigmoid it sets the slopes "
                                                                  "f′)"), 0.0, 3.0, 0.05),
            "shear": Control("float", tr("shear"), tr("non-normality: the size of the upper entries of the sheared "
                                                      "W_hh; its eigenvalues stay at ρ, its largest singular value "
                                                      "grows"), 0.0, 3.0, 0.05),
        }

    @_worded
    def legend():
        return (("norms", "-", tr("‖∂h_T/∂h_k‖₂ along the forward pass")),
                ("bound", "--", tr("Pascanu bound (γ σ_max)^(T−k)")),
                ("radius", ":", tr("ρ^(T−k): powers of W_hh (linear)")))

    def __init__(self, seed: int = 0, **settings: object) -> None:
        self.bases: dict[tuple, np.ndarray] = {}
        super().__init__(seed, **settings)

    def disabled(self, v: dict) -> dict[str, str]:
        out = {}
        if v["kind"] == SHEARED:
            out["sigma_max"] = tr("disabled for the sheared W_hh: its ρ is held at {rho:g} and the shear sets σ_max",
                                  rho=_curves.SHEAR_RADIUS)
        else:
            out["shear"] = tr("only for W_hh = '{sheared}' (pick it in the W_hh menu)", sheared=option_words(SHEARED))
        if v["nonlinearity"] == "linear":
            out["input_scale"] = tr("disabled for a linear unit: its Jacobian is W_hh at every step, whatever the "
                                    "inputs")
        return out

    def compute(self, v: dict) -> _curves.MatrixCurves:
        if v["kind"] == SHEARED:
            key = ("sheared", v["H"], v["shear"])
            if key not in self.bases:
                self.bases = {k: b for k, b in self.bases.items() if k[0] != "sheared"}
                self.bases[key] = _curves.sheared_matrix(v["H"], v["shear"], self.seed)
            kind, sigma = "non-normal", 1.0           # W_hh = the sheared matrix itself
        else:
            key = (v["kind"], v["H"])
            if key not in self.bases:
                self.bases[key] = _curves.recurrent_matrix(v["kind"], v["H"], seed=self.seed)
            kind, sigma = v["kind"], v["sigma_max"]
        every = -(-v["T"] * v["H"] ** 2 // _NORM_BUDGET)     # SVDs only at every `every`-th lag beyond the budget
        return _curves.matrix_curves(sigma, kind, v["H"], v["T"], v["nonlinearity"], v["input_scale"], self.seed,
                                     base=self.bases[key], every=every)

    def frame(self, v: dict) -> tuple:
        return (v["T"], v["H"])

    def build(self) -> None:
        import matplotlib.patches as mpatches

        fig = self.figure
        self.ax = ax = fig.add_axes((0.075, 0.13, 0.5, 0.8))
        self.ax_eig = fig.add_axes((0.625, 0.4, 0.17, 0.45))
        self.ax_sv = fig.add_axes((0.83, 0.13, 0.15, 0.8))
        label_lag_axes(ax, "log10 ‖∂h_T / ∂h_k‖₂")
        e = self.ax_eig
        e.add_patch(mpatches.Circle((0, 0), 1.0, fill=False, color="0.3", lw=1.0))
        e.set_xlim(-_EIG_LIMIT, _EIG_LIMIT)
        e.set_ylim(-_EIG_LIMIT, _EIG_LIMIT)
        e.set_aspect("equal", adjustable="box")                      # the unit circle drawn round
        e.set_title(tr("eigenvalues λ, unit circle"), fontsize=9)
        e.set_xlabel(tr("Re λ  (Im λ upwards)"), fontsize=8)
        e.tick_params(labelsize=8)
        s = self.ax_sv
        s.set_title(tr("singular values"), fontsize=9)
        s.set_ylim(0.0, _SV_LIMIT)
        s.set_xlabel(tr("index"), fontsize=9)
        s.tick_params(labelsize=8)
        s.axhline(1.0, color="0.3", lw=1.0, zorder=0)
        self.artists = {
            "bound": self._line(ax, ls=(0, (3, 2)), lw=3.2, alpha=0.55, zorder=2, color=COLORS["bound"]),
            "radius": self._line(ax, ls=":", lw=1.5, color=COLORS["accent"]),
            "norms": self._line(ax, lw=2.0, zorder=3),
            "eig": self._line(e, ls="none", marker="o", ms=4, color=COLORS["vanish"]),
            "eig_out": self._line(e, ls="none", marker="o", ms=5, mfc="none", color=COLORS["explode"], clip_on=False),
            "eig_text": self._text(e, 0.0, -0.32, va="top", fontsize=8),
            "sv": self._bars(s, lw=3.0, color=COLORS["accent"], capstyle="butt"),
            "sv_text": self._text(s, 0.97, 0.97, va="top", ha="right", fontsize=8),
            "gamma": self._line(s, ls="--", lw=1.2, color=COLORS["explode"]),
        }
        self._edge_artists("norms", ax, "0.2")

    def set_frame(self, v: dict) -> None:
        self.ax.set_xlim(0, v["T"])
        self.ax.set_ylim(*_lag_range(v["T"]))
        self.ax_sv.set_xlim(0.3, v["H"] + 0.7)

    def main_line(self, c) -> tuple[np.ndarray, np.ndarray]:
        return c.lags, c.log10_norms

    def draw(self, c: _curves.MatrixCurves) -> None:
        a = self.artists
        a["norms"].set_data(*_finite(c.lags, c.log10_norms))
        a["norms"].set_color(REGIME_COLORS[c.regime])
        a["bound"].set_data(*_finite(c.lags, c.bound))
        a["radius"].set_data(*_finite(c.lags, c.radius_line))
        a["radius"].set_visible(self.values["nonlinearity"] == "linear")     # rho sets the rate of W_hh^n only
        self._mark_edge("norms", c.lags, c.log10_norms, self.ax)
        lam = c.eigenvalues
        inside = np.abs(lam) <= _EIG_LIMIT
        a["eig"].set_data(lam.real[inside], lam.imag[inside])
        scale = _EIG_LIMIT / np.maximum(np.abs(lam[~inside]), 1e-300)
        a["eig_out"].set_data(lam.real[~inside] * scale, lam.imag[~inside] * scale)
        off = tr("  (○: off the plot,\nat the edge)") if (~inside).any() else ""
        a["eig_text"].set_text(f"ρ = {c.rho:.2f}" + off)
        sv = np.minimum(c.singular_values, _SV_LIMIT)
        x = np.arange(1, len(sv) + 1, dtype=float)
        self._set_bars(a["sv"], x, 0.0, sv)
        over = c.singular_values[0] > _SV_LIMIT
        a["sv_text"].set_text(f"σ_max = {c.sigma_max:.2f}" + (tr(" (cut)") if over else "") +
                              f"\n– – 1/γ = {1 / c.gamma:g}")
        a["gamma"].set_data([0.3, len(sv) + 0.7], [1.0 / c.gamma] * 2)


# ---------------------------------------------------------------------------------------------------
# 04: the cliff, with and without clipping.

#: The cliff explorer's map and path length.
CLIFF_W, CLIFF_B, CLIFF_STEPS = (3.0, 7.0), (-3.5, -1.0), 40
#: A path is 'flung' off the map when the step that leaves it is more than this many times the median step before.
FLUNG = 10.0


def flung_off_the_map(points: np.ndarray, steps: np.ndarray) -> tuple[bool, bool]:
    """(flung, off) for a descent path: off when it ends outside the map; flung when the step that first left
    the map is over FLUNG times the median of the steps before it (an exploding gradient). A path that leaves
    by steps of ordinary length (a start near the edge, a learning rate too large) drifted off instead."""
    pts = np.asarray(points, dtype=float)
    outside = ~((CLIFF_W[0] <= pts[:, 0]) & (pts[:, 0] <= CLIFF_W[1])
                & (CLIFF_B[0] <= pts[:, 1]) & (pts[:, 1] <= CLIFF_B[1]))
    if not outside[-1]:
        return False, False
    k = int(np.argmax(outside)) - 1                 # the step that first left the map
    before = np.asarray(steps[:k])
    return bool(before.size and steps[k] > FLUNG * np.median(before)), True


class CliffView(_View):
    """Gradient descent on Pascanu's cliff loss (``rnnlib.cliff``): the path on the loss surface, and
    beside it the length of every step (log10), with the cap lr x threshold that clipping by norm sets.
    """

    name = "cliff"
    defaults = {"w0": 5.0, "b0": -2.25, "lr": 1.0, "threshold": 0.5, "clip": "none"}

    @_worded
    def title():
        return tr("Cliff explorer: start (w, b), learning rate, clipping and its threshold")

    @_worded
    def controls():
        return {
            "w0": Control("float", tr("start w"), tr("the recurrent weight w where descent starts"), *CLIFF_W, 0.05),
            "b0": Control("float", tr("start b"), tr("the bias b where descent starts"), *CLIFF_B, 0.05),
            "lr": Control("float", tr("learning rate"), tr("the learning rate of plain gradient descent"), 0.05, 3.0,
                          0.05),
            "threshold": Control("float", tr("threshold"), tr("clipping threshold: the largest gradient norm (by "
                                                              "norm) or entry (element-wise) allowed"), 0.05, 3.0,
                                 0.05),
            "clip": Control("choice", tr("clipping"), tr("none: the raw gradient; norm: rescale it to norm ≤ "
                                                         "threshold, same direction; elementwise: clamp each entry to "
                                                         "±threshold"), options=("none", "norm", "elementwise")),
        }

    @_worded
    def legend():
        return (("path", "-", tr("{steps} descent steps from the start (★)", steps=CLIFF_STEPS)),
                ("cap", "--", tr("the longest clipped step: lr × threshold (× √2 element-wise)")))

    def disabled(self, v: dict) -> dict[str, str]:
        if v["clip"] == "none":
            return {"threshold": tr("disabled without clipping: pick {norm} or {elementwise} to use a threshold",
                                    norm=option_words("norm"), elementwise=option_words("elementwise"))}
        return {}

    def compute(self, v: dict):
        from .. import cliff

        return cliff.descent_path((v["w0"], v["b0"]), v["lr"], CLIFF_STEPS, clip=v["clip"], threshold=v["threshold"])

    def frame(self, v: dict) -> tuple:
        return ()

    def readout(self) -> tuple[str, str]:
        c, v = self.curves, self.values
        w, b = c.points[-1]
        flung, off = flung_off_the_map(c.points, c.step)
        head = tr("flung off the map") if flung else tr("drifted off the map") if off else tr("stays on the map")
        return (tr("{head}: largest gradient norm {norm:.3g}, longest step {step:.3g}", head=head,
                   norm=c.grad_norm.max(), step=c.step.max()) + "\n"
                + tr("clipping {clip}: after {steps} steps (w, b) = ({w:.3g}, {b:.3g}), loss {loss:.3f} "
                     "(start {start:.3f})", clip=option_words(v["clip"]), steps=CLIFF_STEPS, w=w, b=b,
                     loss=c.loss[-1], start=c.loss[0])), ("exploding" if flung else "stable")

    def build(self) -> None:
        from .. import cliff

        fig = self.figure
        self.ax = ax = fig.add_axes((0.085, 0.13, 0.49, 0.8))
        self.ax_steps = fig.add_axes((0.67, 0.13, 0.31, 0.8))
        ws, bs = np.linspace(*CLIFF_W, 121), np.linspace(*CLIFF_B, 76)
        ax.pcolormesh(ws, bs, cliff.cliff_surface(ws, bs), shading="auto", cmap="viridis")
        ax.set_xlim(*CLIFF_W)
        ax.set_ylim(*CLIFF_B)
        ax.set_xlabel(tr("recurrent weight w"))
        ax.set_ylabel(tr("bias b"))
        ax.grid(False)
        ax.set_title(tr("loss (σ(h_50) − 0.7)² (dark: low)"), fontsize=9)
        s = self.ax_steps
        s.set_xlim(0.3, CLIFF_STEPS + 0.7)
        s.set_ylim(-4.0, 3.5)
        s.set_xlabel(tr("descent step"), fontsize=9)
        s.set_ylabel(tr("log10 step length"), fontsize=9)
        s.tick_params(labelsize=8)
        self.artists = {
            "path": self._line(ax, lw=1.5, marker="o", ms=3, color="white"),
            "start": self._line(ax, ls="none", marker="*", ms=13, color="white", mec="black", zorder=5),
            "end": self._line(ax, ls="none", marker="X", ms=9, color=COLORS["explode"], mec="white", zorder=5,
                              clip_on=False),
            "map_text": self._text(ax, 0.02, 0.97, va="top", color="white"),
            "steps": self._bars(s, lw=3.0, color=COLORS["accent"], capstyle="butt"),
            "cap": self._line(s, ls="--", lw=1.2, color=COLORS["stable"]),
        }

    def set_frame(self, v: dict) -> None:
        pass

    def main_line(self, c) -> tuple[np.ndarray, np.ndarray]:
        return c.points[:, 0], c.points[:, 1]

    def draw(self, c) -> None:
        a, v = self.artists, self.values
        pts = c.points
        a["path"].set_data(pts[:, 0], pts[:, 1])
        a["start"].set_data([pts[0, 0]], [pts[0, 1]])
        (w_lo, w_hi), (b_lo, b_hi) = CLIFF_W, CLIFF_B
        off = np.flatnonzero((pts[:, 0] < w_lo) | (pts[:, 0] > w_hi) | (pts[:, 1] < b_lo) | (pts[:, 1] > b_hi))
        if off.size:
            w, b = pts[-1]
            a["end"].set_data([min(max(w, w_lo), w_hi)], [min(max(b, b_lo), b_hi)])
            a["map_text"].set_text(tr("off the map at step {step}: ends at (w, b) = ({w:.3g}, {b:.3g})", step=off[0],
                                      w=w, b=b))
        else:
            a["end"].set_data([], [])
            a["map_text"].set_text("")
        with np.errstate(divide="ignore"):
            lengths = np.log10(c.step)
        lengths = np.clip(np.where(np.isfinite(lengths), lengths, -4.0), -4.0, 3.5)
        x = np.arange(1, len(lengths) + 1, dtype=float)
        self._set_bars(a["steps"], x, -4.0, lengths)
        if v["clip"] == "none":
            a["cap"].set_data([], [])
        else:
            cap = v["lr"] * v["threshold"] * (np.sqrt(2.0) if v["clip"] == "elementwise" else 1.0)
            a["cap"].set_data([0.3, CLIFF_STEPS + 0.7], [np.log10(cap)] * 2)


# ---------------------------------------------------------------------------------------------------
# 04: the leak and the gate.


class LeakView(_View):
    """The gated unit of ``rnnlib.gated`` (``curves.leak_curves``): the identity path (1 - z)^j alone
    against the full Jacobian products of the leaky unit (fixed z) and the gated unit (learned gate
    started at z), on a y-range fixed by T.
    """

    name = "leak"
    defaults = {"z": 0.05, "T": 100}

    @_worded
    def title():
        return tr("Leak/gate explorer: z and T")

    @_worded
    def controls():
        return {
            "z": Control("float", "z", tr("the update gate z of h_t = (1 − z) h_{t-1} + z c_t: small z keeps most of "
                                          "the old state; z = 1 is the vanilla tanh RNN"), 0.01, 1.0, 0.01),
            "T": Control("int", "T", tr("sequence length T (the plot's axes follow it; updates on release)"), 10, 300,
                         1, heavy=True),
        }

    @_worded
    def legend():
        return (("leaky", "-", tr("leaky unit, fixed z: ‖∂h_T/∂h_k‖₂")),
                ("gated", "-", tr("gated unit, learned gate started at z")),
                ("pure", "--", tr("identity path alone, (1 − z)^(T−k)")))

    def compute(self, v: dict) -> _curves.LeakCurves:
        return _curves.leak_curves(v["z"], v["T"], self.seed)

    def frame(self, v: dict) -> tuple:
        return (v["T"],)

    def build(self) -> None:
        fig = self.figure
        self.ax = ax = fig.add_axes((0.075, 0.13, 0.9, 0.8))
        label_lag_axes(ax, "log10 ‖∂h_T / ∂h_k‖₂")
        self.artists = {
            "pure": self._line(ax, ls="--", lw=1.6, color=COLORS["accent"], zorder=2),
            # wide and translucent under the leaky line: where the two coincide, the gated one shows as a halo
            "gated": self._line(ax, lw=5.0, alpha=0.45, color=COLORS["gate"], zorder=3),
            "leaky": self._line(ax, lw=2.2, zorder=4),
        }
        self._edge_artists("leaky", ax, "0.2")

    def set_frame(self, v: dict) -> None:
        self.ax.set_xlim(0, v["T"])
        self.ax.set_ylim(*_lag_range(v["T"], high=0.25 * _LOG2))

    def main_line(self, c) -> tuple[np.ndarray, np.ndarray]:
        return c.lags, c.leaky

    def draw(self, c: _curves.LeakCurves) -> None:
        a = self.artists
        a["leaky"].set_data(*_finite(c.lags, c.leaky))
        a["leaky"].set_color(REGIME_COLORS[c.regime])
        a["gated"].set_data(*_finite(c.lags, c.gated))
        a["pure"].set_data(*_finite(c.lags, c.pure))
        self._mark_edge("leaky", c.lags, c.leaky, self.ax)


#: The views by the names ``render_frames`` takes.
VIEWS = {"scalar": ScalarView, "matrix": MatrixView, "cliff": CliffView, "leak": LeakView,
         "contribution": ContributionView}
