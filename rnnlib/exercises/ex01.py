"""Checkers for notebook 01 (short- vs long-term dependency).

Steps count from 0 as in rnnlib: x_0 is the first input, and in the scalar linear RNN
h_t = w h_{t-1} + x_t (h_init = 0) the influence of x_0 on h_t is d h_t / d x_0 = w^t.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..jacobian import influence_log10_norms
from ..rnn import Params, rnn_forward
from . import check_function, check_number


def scalar_linear_influence(w: float, T: int) -> np.ndarray:
    """d h_t / d x_0 for t = 0..T-1 in h_t = w h_{t-1} + x_t, measured with rnnlib's forward pass.

    The RNN is linear, so its response to a unit impulse at step 0 (and zeros after) is
    exactly d h_t / d x_0. Returns: (T,) array.
    """
    one = np.ones((1, 1))
    params = Params(W_xh=one, W_hh=float(w) * one, b_h=np.zeros(1), W_hy=one, b_y=np.zeros(1))
    X = np.zeros((int(T), 1, 1))
    X[0] = 1.0
    Hs, _ = rnn_forward(X, params, nonlinearity="linear")
    return Hs[:, 0, 0]


def first_step_below(w: float, level: float, T: int = 10_000) -> int:
    """The smallest t with |d h_t / d x_0| = |w|^t < level, from rnnlib's log-space influence."""
    logs = influence_log10_norms(np.array([[w]]), np.zeros((T, 1)), W_xh=np.ones((1, 1)))
    below = np.flatnonzero(logs < np.log10(level))
    if below.size == 0:
        raise ValueError(f"w: the influence of w={w!r} stays above {level!r} for {T} steps")
    return int(below[0])


def check_one_percent(answer: object) -> bool | None:
    """Exercise 1: the first step t at which the influence of x_0 on h_t falls below 1% for w = 0.9."""
    return check_number("Exercise 1", answer, first_step_below(0.9, 0.01), rtol=0.0,
                        hint="Solve 0.9**t < 0.01 for the smallest whole t.")


def check_keep_ten_percent(answer: object) -> bool | None:
    """Exercise 2: the positive w at which 10% of x_0's influence is left after 50 steps (w^50 = 0.1).

    -0.955 solves w^50 = 0.1 too (an even power); the exercise asks for the positive root.
    """
    expected = 10.0 ** (np.log10(0.1) / 50)
    return check_number("Exercise 2", answer, expected, rtol=1e-3,
                        hint="Take the positive 50th root of 0.1 (3 significant digits are enough).")


def check_influence(answer: Callable | None) -> bool | None:
    """Exercise 3: a function influence(w, T) -> (T,) array of d h_t / d x_0, t = 0..T-1."""
    cases = [(0.9, 30), (-0.7, 12), (1.1, 40), (1.0, 5), (0.0, 4)]
    return check_function("Exercise 3", answer, scalar_linear_influence, cases, rtol=1e-9, atol=1e-300,
                          hint="Compare with w**t for t = 0..T-1, and mind the sign when w < 0.")


def check_chance(answer: object) -> bool | None:
    """Exercise 4: the accuracy of guessing on the recall task with 6 symbols.

    rtol 5e-3 accepts 1/6 written to 3 digits (0.167, 0.2 % off) and rejects 0.16 or 0.17.
    """
    return check_number("Exercise 4", answer, 1.0 / 6.0, rtol=5e-3,
                        hint="A model that forgot the cue can only guess one of the symbols.")
