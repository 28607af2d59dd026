"""Figures shared by several notebooks. matplotlib is imported inside each function.

The figures' own words (axis labels, legends) are in the notebook's language (``i18n.tr``, catalog
``messages/ko/plots.json``); the labels and titles a caller passes are drawn as given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .._validate import check_array, check_finite_scalar
from .i18n import tr

#: What each regime's colour (a key of ``rnnlib.style.COLORS``) means for an influence curve, in English.
REGIME_MESSAGES = {"vanish": "decays", "stable": "neither decays nor grows", "explode": "grows"}


class _Translated(Mapping):
    """A read-only table whose values are English messages, read in the notebook's language (``tr``)."""

    def __init__(self, messages: Mapping[str, str]):
        self._messages = messages

    def __getitem__(self, key: str) -> str:
        return tr(self._messages[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def __repr__(self) -> str:
        return repr(dict(self))


#: ``REGIME_MESSAGES`` in the notebook's language: ``REGIME_WORDS["vanish"]`` is "decays" in English.
REGIME_WORDS = _Translated(REGIME_MESSAGES)


def influence_regime(log10_values: np.ndarray, tol: float = 1.0) -> str:
    """The regime a curve of log10 influences shows: ``"vanish"``, ``"stable"`` or ``"explode"``.

    Measured, not assumed from a weight: the change from the first to the last value decides.
    Inputs: log10_values (T,), T >= 2; tol > 0, in decades: a curve that ends within ``tol``
    of where it started is ``"stable"``. Returns: a key of ``rnnlib.style.COLORS``.
    """
    values = check_array("log10_values", log10_values, (("T", None),))
    if values.size < 2:
        raise ValueError(f"log10_values: expected at least 2 values (T >= 2), got shape {values.shape}")
    tol = check_finite_scalar("tol", tol)
    if tol <= 0:
        raise ValueError(f"tol: expected a positive number of decades, got {tol!r}")
    change = float(values[-1] - values[0])
    if change < -tol:
        return "vanish"
    if change > tol:
        return "explode"
    return "stable"


def _lighter(color: str, amount: float) -> str:
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mixed = np.rint(rgb + amount * (255.0 - rgb)).astype(int)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def regime_colors(curves: Mapping[str, np.ndarray], tol: float = 1.0) -> dict[str, str]:
    """A colour per curve from its measured regime: blue decays, green neither, red grows.

    Curves in the same regime get shades of its colour: the one that changes most gets the full
    colour, the others lighter ones. Inputs: curves, label -> (T,) log10 influences; tol as in
    ``influence_regime``. Returns: label -> hex colour.
    """
    from .style import COLORS

    if not curves:
        raise ValueError("curves: expected at least one label -> (T,) array, got an empty mapping")
    groups: dict[str, list[tuple[float, str]]] = {}
    for label, values in curves.items():
        values = check_array(f"curves[{label!r}]", values, (("T", None),))
        if values.size < 2:
            raise ValueError(f"curves[{label!r}]: expected at least 2 values (T >= 2), got shape {values.shape}")
        regime = influence_regime(values, tol)
        groups.setdefault(regime, []).append((abs(float(values[-1] - values[0])), label))
    out = {}
    for regime, members in groups.items():
        members.sort(key=lambda m: -m[0])                     # strongest change first: the full colour
        for rank, (_, label) in enumerate(members):
            out[label] = _lighter(COLORS[regime], 0.55 * rank / max(len(members) - 1, 1))
    return {label: out[label] for label in curves}


def success_vs_lag(
    lags: Sequence[int], accuracies: Mapping[str, np.ndarray], chance: float, *, ax=None, title: str | None = None,
    colors: Mapping[str, str] | None = None, legend: Mapping[str, Any] | None = None,
):
    """Test accuracy against the lag d: every seed a point, and above each lag how many seeds learned.

    Outcomes at the edge of learnability are bimodal (a seed learns or stays near chance), so no
    median or mean is drawn: it would sit where no seed is. Inputs: lags (L,); accuracies, label ->
    (L, S) array (S seeds) as from ``stack.lag_sweep``, NaN rows for lags a model was not trained on;
    chance, the accuracy of guessing; colors, label -> colour. Models sit side by side at each lag,
    each with its count "k/S" of seeds at accuracy >= ``outcomes.LEARNED`` above its points; legend,
    keywords for ``Axes.legend`` (default: lower left, on a white frame). Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from ..outcomes import LEARNED

    lags = np.asarray(lags)
    if not accuracies:
        raise ValueError("accuracies: expected at least one label -> (L, S) array, got an empty mapping")
    colors = {} if colors is None else colors
    if ax is None:
        _, ax = plt.subplots()
    n = len(accuracies)
    for i, (label, acc) in enumerate(accuracies.items()):
        acc = check_array(f"accuracies[{label!r}]", acc, (("L", len(lags)), ("S", None)), finite=False)
        measured = ~np.isnan(acc).any(axis=1)                          # lags this model was trained on
        if np.isinf(acc).any() or not measured.any():
            raise ValueError(f"accuracies[{label!r}]: expected accuracies in [0, 1] (NaN rows: lags not measured), "
                             f"got {'inf entries' if np.isinf(acc).any() else 'no measured lag'}")
        x = lags * 2.0 ** (min(0.22, 0.9 / n) * (i - (n - 1) / 2))   # side by side on the log axis
        S = acc.shape[1]
        jitter = 2.0 ** (0.05 * (np.arange(S) - (S - 1) / 2) / max(n, 1))
        pts = ax.scatter((x[measured, None] * jitter).ravel(), acc[measured].ravel(), s=16, alpha=0.7,
                         color=colors.get(label), label=tr("{label} (each seed)", label=label), zorder=3)
        # with many models side by side, every other model's counts sit one line higher, so neighbours never touch
        y = 1.02 + (0.05 if n > 3 and i % 2 else 0.0)
        for xi, row in zip(x[measured], acc[measured]):
            ax.annotate(f"{int(np.sum(row >= LEARNED))}/{S}", (xi, y), ha="center", va="bottom",
                        fontsize=7 if n > 3 else 8, color=pts.get_facecolor()[0][:3])
    ax.axhline(chance, color="0.5", ls="--", lw=1, label=tr("chance ({chance:.2f})", chance=chance))
    ax.axhline(LEARNED, color="0.5", ls=":", lw=1, label=tr("learned ({learned:g})", learned=LEARNED))
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="none"))
    labels.append(tr("k/S above a lag: seeds that learned (>= {learned:g})", learned=LEARNED))
    ax.set_xscale("log", base=2)
    ax.set_xticks(lags, [str(d) for d in lags])
    ax.minorticks_off()
    ax.set_ylim(0, 1.17 if n > 3 else 1.12)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlabel(tr("lag d: steps between the cue and the question"))
    ax.set_ylabel(tr("test accuracy"))
    if title:
        ax.set_title(title)
    # a framed legend: the chance line runs behind it instead of through its entries
    ax.legend(handles, labels, **({"loc": "lower left", "fontsize": 8, "frameon": True, "framealpha": 0.9,
                                   "edgecolor": "none"} | dict(legend or {})))
    return ax


def influence_vs_step(
    curves: Mapping[str, np.ndarray],
    *,
    measured: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    colors: Mapping[str, str] | None = None,
    threshold: float | None = None,
    ylabel: str | None = None,
    ax=None,
    title: str | None = None,
):
    """How strongly the first input still acts on h_t, against t, on a log axis: one line per curve.

    Inputs: curves, label -> (T,) log10 influences, entry t - 1 for the step t = 1..T (as from
    ``jacobian.influence_log10_norms``), drawn at x = t; measured, label -> (steps t (M,), log10 values (M,))
    drawn as open circles on the line of the same label (e.g. from a perturbed forward pass);
    colors, label -> colour; threshold, an influence level drawn as a dotted line (e.g. 0.01); ylabel
    (None: "influence of $x_1$ on $h_t$", in the notebook's language). Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if not curves:
        raise ValueError("curves: expected at least one label -> (T,) array, got an empty mapping")
    measured = {} if measured is None else measured
    colors = {} if colors is None else colors
    for label in measured:
        if label not in curves:
            raise ValueError(f"measured: expected labels among those of curves, got {label!r}")
    if threshold is not None and not (np.isfinite(threshold) and threshold > 0):
        raise ValueError(f"threshold: expected a positive finite influence level, got {threshold!r}")
    if ax is None:
        _, ax = plt.subplots()
    for label, values in curves.items():
        values = check_array(f"curves[{label!r}]", values, (("T", None),))
        if np.max(np.abs(values)) > 300:
            raise ValueError(f"curves[{label!r}]: expected log10 values within +-300 (plottable), "
                             f"got up to {np.max(np.abs(values)):.0f}")
        line, = ax.plot(np.arange(1, values.size + 1), 10.0**values, color=colors.get(label), label=label)
        if label in measured:
            steps, logs = measured[label]
            steps = check_array(f"measured[{label!r}][0]", steps, (("M", None),))
            logs = check_array(f"measured[{label!r}][1]", logs, (("M", steps.size),))
            ax.plot(steps, 10.0**logs, "o", mfc="none", color=line.get_color(), ms=5)
    if measured:
        ax.plot([], [], "o", mfc="none", color="0.3", label=tr("measured (perturbed forward pass)"))
    if threshold is not None:
        ax.axhline(threshold, color="0.5", ls=":", lw=1, label=tr("level {threshold:g}", threshold=threshold))
    ax.set_yscale("log")
    ax.set_xlabel(tr("step t (the first input is $x_1$)"))
    ax.set_ylabel(tr(r"influence of $x_1$ on $h_t$") if ylabel is None else ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_cliff(
    ws: np.ndarray,
    bs: np.ndarray,
    loss: np.ndarray,
    paths: Mapping[str, Any] | None = None,
    *,
    ax=None,
    colors: Mapping[str, str] | None = None,
):
    """Pascanu's cliff (``rnnlib.cliff``): the loss surface as a heat map over (w, b), with descent paths drawn on it.

    Inputs: ws (Nw,), bs (Nb,), loss (Nb, Nw) from ``cliff_surface``; paths, label -> ``rnnlib.cliff.CliffPath``;
    colors, label -> colour. Points outside the grid are drawn where they fall, and the axes
    keep the grid's limits, so a path flung off the map visibly leaves it.
    Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    ws = check_array("ws", ws, (("Nw", None),))
    bs = check_array("bs", bs, (("Nb", None),))
    loss = check_array("loss", loss, (("Nb", len(bs)), ("Nw", len(ws))))
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.6))
    mesh = ax.pcolormesh(ws, bs, loss, shading="auto", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label=r"Loss $(\sigma(h_{50}) - 0.7)^2$")
    for label, path in (paths or {}).items():
        color = None if colors is None else colors.get(label)
        pts = path.points
        ax.plot(pts[:, 0], pts[:, 1], "-", marker="o", ms=3, lw=1.5, color=color, label=label, clip_on=True)
        ax.plot(pts[0, 0], pts[0, 1], marker="*", ms=12, color="white", mec="black", zorder=5)
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(bs[0], bs[-1])
    ax.set_xlabel(tr("recurrent weight $w$"))
    ax.set_ylabel(tr("bias $b$"))
    ax.grid(False)
    if paths:
        ax.legend(loc="lower left", frameon=True)
    return ax
