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
