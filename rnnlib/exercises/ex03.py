"""Checkers for notebook 03 (vanishing and exploding gradients).

Lags count steps back from the last state: |dh_T/dh_{T-n}| is the factor BPTT multiplies a
gradient by on its way back n steps. Each checker computes the right answer with rnnlib.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..activations import GAMMA
from ..init import nonnormal
from ..jacobian import jacobian_log10_norms, scalar_log10_jacobian
from . import check_function, check_number


def steps_below(w: float, decades: float, T: int = 10_000) -> int:
    """The smallest lag n at which a linear unit's |dh_T/dh_{T-n}| = |w|^n falls below 10^-decades."""
    logs = scalar_log10_jacobian(w, np.zeros(T))
    below = np.flatnonzero(logs < -decades)
    if below.size == 0:
        raise ValueError(f"w: |w|^n with w={w!r} stays above 10^-{decades} for {T} steps")
    return int(below[0])


def power_log10_norm(W_hh: np.ndarray, n: int) -> float:
    """log10 ||W_hh^n||_2: the Jacobian product of a linear RNN over n steps (rnnlib's log-space chain)."""
    W_hh = np.asarray(W_hh, dtype=np.float64)
    return float(jacobian_log10_norms(W_hh, np.zeros((int(n), W_hh.shape[0])))[int(n)])


def check_steps_to_vanish(answer: object) -> bool | None:
    """Exercise 1: for a linear unit with w = 0.8, the first lag n with |dh_T/dh_{T-n}| < 10^-3."""
    return check_number("Exercise 1", answer, steps_below(0.8, 3.0), rtol=0.0,
                        hint="Solve 0.8**n < 1e-3 for the smallest whole n (take log10 of both sides).")


def check_sigmoid_edge(answer: object) -> bool | None:
    """Exercise 2: the sigma_max below which Pascanu's condition guarantees vanishing for a sigmoid RNN."""
    return check_number("Exercise 2", answer, 1.0 / GAMMA["sigmoid"], rtol=1e-9,
                        hint="The condition is gamma * sigma_max < 1; what is the largest |sigmoid'|?")


def check_power_norm(answer: Callable | None) -> bool | None:
    """Exercise 3: a function power_norm(W_hh, n) -> log10 of the spectral norm of W_hh^n."""
    rng = np.random.default_rng(3)
    cases = [(nonnormal(6, rng, radius=0.8, shear=2.0), n) for n in (1, 5, 20)]
    cases += [(rng.normal(0.0, 0.4, (5, 5)), 7), (np.diag([0.5, -2.0, 1.0]), 9)]
    return check_function("Exercise 3", answer, power_log10_norm, cases, rtol=1e-9, atol=1e-9,
                          hint="np.linalg.matrix_power, then np.linalg.norm(..., 2), then np.log10.")
