"""Synthetic tasks whose answer depends on an input a chosen number of steps back.

The recall task: a cue symbol is shown at step 0, then ``lag - 1`` distractor symbols,
then a query marker at step ``lag``; the target at the query step is the cue. Only the
last step has a target, so the answer depends on the input exactly ``lag`` steps back,
and nothing in between helps. Chance accuracy is 1 / n_symbols.

Input channels (D = n_symbols + 2): the symbol one-hot, a cue flag, a query flag.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import check_positive_int


class Batch(NamedTuple):
    """X (T, B, D) inputs; Y (T, B) integer targets; mask (T,) 1 where a step has a target."""

    X: np.ndarray
    Y: np.ndarray
    mask: np.ndarray


def recall_task(lag: int, batch: int, rng: np.random.Generator, n_symbols: int = 4) -> Batch:
    """A batch of the recall task: remember the cue for ``lag`` steps.

    Inputs: lag >= 1 (T = lag + 1); batch B >= 1; rng a seeded numpy Generator;
    n_symbols >= 2. Returns: Batch with X (T, B, n_symbols + 2), Y (T, B), mask (T,).
    """
    lag = check_positive_int("lag", lag)
    B = check_positive_int("batch", batch)
    n = check_positive_int("n_symbols", n_symbols)
    if n < 2:
        raise ValueError(f"n_symbols: expected at least 2 symbols, got {n}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    T = lag + 1
    X = np.zeros((T, B, n + 2))
    symbols = rng.integers(0, n, size=(T, B))           # step 0: the cue; 1..lag-1: distractors
    steps, rows = np.meshgrid(np.arange(lag), np.arange(B), indexing="ij")
    X[steps, rows, symbols[:lag]] = 1.0
    X[0, :, n] = 1.0                                     # cue flag
    X[lag, :, n + 1] = 1.0                               # query flag: "answer now"
    Y = np.zeros((T, B), dtype=np.int64)
    Y[lag] = symbols[0]
    mask = np.zeros(T)
    mask[lag] = 1.0
    return Batch(X, Y, mask)
