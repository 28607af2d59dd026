"""Figures shared by several notebooks. matplotlib is imported inside each function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import check_array


def success_vs_lag(
    lags: Sequence[int], accuracies: Mapping[str, np.ndarray], chance: float, *, ax=None, title: str | None = None
):
    """Test accuracy against the lag d, one line per model, with the seeds' spread.

    Inputs: lags (L,); accuracies, label -> (L, S) array (S seeds) as from ``train.lag_sweep``;
    chance, the accuracy of guessing. Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    lags = np.asarray(lags)
    if ax is None:
        _, ax = plt.subplots()
    for label, acc in accuracies.items():
        acc = check_array(f"accuracies[{label!r}]", acc, (("L", len(lags)), ("S", None)))
        line, = ax.plot(lags, acc.mean(axis=1), marker="o", label=label)
        ax.fill_between(lags, acc.min(axis=1), acc.max(axis=1), color=line.get_color(), alpha=0.15, lw=0)
    ax.axhline(chance, color="0.5", ls="--", lw=1, label=f"chance ({chance:.2f})")
    ax.set_xscale("log", base=2)
    ax.set_xticks(lags, [str(d) for d in lags])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("lag d: steps between the cue and the question")
    ax.set_ylabel("test accuracy (mean, band: min-max over seeds)")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower left")
    return ax


def influence_vs_step(
    curves: Mapping[str, np.ndarray],
    *,
    measured: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    colors: Mapping[str, str] | None = None,
    threshold: float | None = None,
    ylabel: str = r"influence of $x_0$ on $h_t$",
    ax=None,
    title: str | None = None,
):
    """How strongly the first input still acts on h_t, against t, on a log axis: one line per curve.

    Inputs: curves, label -> (T,) log10 influences for t = 0..T-1 (as from
    ``jacobian.influence_log10_norms``); measured, label -> (steps (M,), log10 values (M,))
    drawn as open circles on the line of the same label (e.g. from a perturbed forward pass);
    colors, label -> colour; threshold, an influence level drawn as a dotted line (e.g. 0.01).
    Returns: the matplotlib Axes.
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
        line, = ax.plot(np.arange(values.size), 10.0**values, color=colors.get(label), label=label)
        if label in measured:
            steps, logs = measured[label]
            steps = check_array(f"measured[{label!r}][0]", steps, (("M", None),))
            logs = check_array(f"measured[{label!r}][1]", logs, (("M", steps.size),))
            ax.plot(steps, 10.0**logs, "o", mfc="none", color=line.get_color(), ms=5)
    if measured:
        ax.plot([], [], "o", mfc="none", color="0.3", label="measured (perturbed forward pass)")
    if threshold is not None:
        ax.axhline(threshold, color="0.5", ls=":", lw=1, label=f"level {threshold:g}")
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return ax
