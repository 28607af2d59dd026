"""What a training sweep shows, in words that do not depend on the last bit of a float.

A run at the edge of what is learnable in its budget can end at 1.00 on one CPU and 0.55 on
another: one rounding difference in the first steps grows over hundreds of updates. So the
course reads a sweep through the *typical* seed, the median over seeds, put in one of three
bands far apart from each other; the seeds themselves are drawn, point by point, in the figures.

    learned       median test accuracy >= 0.9
    partly        between 0.4 and 0.9
    chance level  below 0.4 (chance is 1 / n_symbols, 0.25 for the course's 4 symbols)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import MAX_WIDTH, _describe, check_array, check_finite_scalar, check_list, check_positive_int

#: A run has learned the task when at least this share of test sequences is right.
LEARNED = 0.9
#: Below this, a run is at chance level (the course's chance is 0.25).
CHANCE_LEVEL = 0.4
BANDS = ("learned", "partly", "chance level")


def band(accuracy: float) -> str:
    """'learned' (>= 0.9), 'partly' (0.4 to 0.9) or 'chance level' (< 0.4) for one accuracy."""
    a = check_finite_scalar("accuracy", accuracy)
    if not 0.0 <= a <= 1.0:
        raise ValueError(f"accuracy: expected a number in [0, 1], got {accuracy!r}")
    return _band(a)


def _band(a: float) -> str:
    return BANDS[0] if a >= LEARNED else BANDS[1] if a >= CHANCE_LEVEL else BANDS[2]


def _check_acc(name: str, acc: object, L: int | None = None) -> np.ndarray:
    """Test accuracies (L, S), each in [0, 1]."""
    acc = check_array(name, acc, (("L", L), ("S", None)))
    if np.any(acc < 0.0) or np.any(acc > 1.0):
        raise ValueError(f"{name}: expected accuracies in [0, 1], got values from {acc.min():g} to {acc.max():g}")
    return acc


def median_bands(acc: np.ndarray) -> list[str]:
    """The band of the median over seeds, per lag. Inputs: acc (L, S) test accuracies. Returns: L words."""
    return [_band(m) for m in np.median(_check_acc("acc", acc), axis=1)]


def learned_by_all(acc: np.ndarray) -> np.ndarray:
    """Per lag: did every seed learn (accuracy >= 0.9)? Inputs: acc (L, S). Returns: (L,) bool."""
    return np.all(_check_acc("acc", acc) >= LEARNED, axis=1)


def _check_table(lags: object, rows: object, width: object) -> tuple[list[int], int]:
    """The lags and the label width of a table, and its rows (label -> accuracies) checked to be a mapping."""
    lags = check_list("lags", lags, check_positive_int, "positive integers (the lags)")
    if not isinstance(rows, Mapping) or not rows or not all(isinstance(label, str) for label in rows):
        raise ValueError(f"rows: expected a non-empty mapping of label (a string) -> (L, S) accuracies, "
                         f"got {_describe(rows)}")
    return lags, check_positive_int("width", width, MAX_WIDTH)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of a fixed-width font, where a wide character (Hangul, CJK) takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)


def _check_heading(heading: object) -> str | None:
    if heading is not None and not isinstance(heading, str):
        raise ValueError(f"heading: expected a string (the label column's heading) or None, got {_describe(heading)}")
    return heading


def band_table(lags: Sequence[int], rows: Mapping[str, np.ndarray], *, width: int = 30,
               heading: str | None = None) -> str:
    """One line per row (a model, a budget): the median band at every lag.

    Inputs: lags (L,) positive integers; rows, label -> (L, S) accuracies; width of the label column (in columns
    of a fixed-width font: a Hangul character takes two); heading of that column, "median over seeds" by default.
    Returns: the table as text.
    """
    lags, width = _check_table(lags, rows, width)
    heading = _check_heading(heading) or "median over seeds"
    lines = [_pad(heading, width) + "".join(f"{f'd = {d}':>14}" for d in lags)]
    for label, acc in rows.items():
        acc = _check_acc(f"rows[{label!r}]", acc, len(lags))
        lines.append(_pad(label, width) + "".join(f"{_band(m):>14}" for m in np.median(acc, axis=1)))
    return "\n".join(lines)


def count_table(lags: Sequence[int], rows: Mapping[str, np.ndarray], *, level: float = LEARNED, width: int = 22,
                heading: str | None = None) -> str:
    """One line per row (a model, a budget): how many seeds reached ``level`` at every lag, as "k/S".

    Inputs: lags (L,) positive integers; rows, label -> (L, S) accuracies; level in [0, 1], 0.9 (learned)
    by default; width of the label column (in columns of a fixed-width font: a Hangul character takes two);
    heading of that column, "seeds at accuracy >= <level>" by default.
    Returns: the table as text.
    """
    lags, width = _check_table(lags, rows, width)
    heading = _check_heading(heading)
    level = check_finite_scalar("level", level)
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level: expected an accuracy in [0, 1], got {level!r}")
    heading = heading or "seeds at accuracy >= " + format(level, "g")
    lines = [_pad(heading, width) + "".join(f"{f'd = {d}':>9}" for d in lags)]
    for label, acc in rows.items():
        acc = _check_acc(f"rows[{label!r}]", acc, len(lags))
        counts = np.sum(acc >= level, axis=1)
        lines.append(_pad(label, width) + "".join(f"{f'{k}/{acc.shape[1]}':>9}" for k in counts))
    return "\n".join(lines)
