"""Checkers for the exercises of notebook 02 (BPTT as the unrolled chain rule).

1. ``check_step_backward``: write one backward step; compared with ``rnnlib.rnn_step_backward``
   on random inputs (several sizes, all three nonlinearities).
2. ``check_product_count``: how many products by W_hh ``truncated_bptt`` makes for T=20, K=5;
   compared with the count measured while it runs.
3. ``check_truncated_from_contributions``: the truncated dLoss/dW_hh rebuilt from the pieces
   C[t, k]; compared with ``rnnlib.truncated_bptt`` on random inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..bptt import truncated_bptt
from ..costs import count_backward_products
from ..rnn import init_params, rnn_forward, rnn_step_backward, rnn_step_forward
from . import check_function, check_number

PRODUCT_COUNT_T, PRODUCT_COUNT_K = 20, 5


def _step_cases(seed: int = 2) -> list[tuple]:
    rng = np.random.default_rng(seed)
    cases = []
    for B, D, H, nonlinearity in ((1, 1, 1, "tanh"), (3, 2, 4, "tanh"), (4, 3, 5, "sigmoid"), (2, 4, 3, "linear")):
        x, h_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H))
        W_xh, W_hh, b_h = rng.normal(size=(H, D)), rng.normal(size=(H, H)) / np.sqrt(H), rng.normal(size=H)
        _, cache = rnn_step_forward(x, h_prev, W_xh, W_hh, b_h, nonlinearity)
        cases.append((rng.normal(size=(B, H)), cache))
    return cases


def check_step_backward(answer: Callable | None) -> bool | None:
    """Exercise 1: ``answer(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h)``, like ``rnn_step_backward``."""
    return check_function(
        "Exercise 1 (one backward step)", answer, rnn_step_backward, _step_cases(),
        hint="Compare with the equations: da = dh * f'(a), then dx, dh_prev, dW_xh, dW_hh, db_h from da.",
    )


def product_count() -> int:
    """The measured number of products by W_hh in ``truncated_bptt`` for T=20, K=5."""
    rng = np.random.default_rng(0)
    params = init_params(2, 3, 1, rng)
    Hs, cache = rnn_forward(rng.normal(size=(PRODUCT_COUNT_T, 2, 2)), params)
    return count_backward_products(truncated_bptt, rng.normal(size=Hs.shape), cache, PRODUCT_COUNT_K)


def check_product_count(answer: object) -> bool | None:
    """Exercise 2: products by W_hh that ``truncated_bptt`` performs for T=20, K=5 (an integer)."""
    return check_number(
        "Exercise 2 (products for T=20, K=5)", answer, product_count(), rtol=0.0, atol=0.0,
        hint="At lag j the loop steps back the T - j loss terms still alive; which lags j make a product?",
    )


def _truncation_cases(seed: int = 3) -> list[tuple]:
    rng = np.random.default_rng(seed)
    cases = []
    for T, B, D, H, K in ((5, 2, 2, 3, 1), (7, 3, 2, 4, 3), (6, 1, 3, 2, 6), (4, 2, 1, 3, 9)):
        params = init_params(D, H, 2, rng)
        h_init = rng.normal(size=(B, H))
        Hs, cache = rnn_forward(rng.normal(size=(T, B, D)), params, h_init)
        cases.append((rng.normal(size=Hs.shape), cache, K))
    return cases


def _truncated_dW_hh(dH: np.ndarray, cache, K: int) -> np.ndarray:
    return truncated_bptt(dH, cache, K)[3]


def check_truncated_from_contributions(answer: Callable | None) -> bool | None:
    """Exercise 3: ``answer(dH, cache, K) -> dW_hh`` (H, H) of ``truncated_bptt``, built from C[t, k]."""
    return check_function(
        "Exercise 3 (truncation from contributions)", answer, _truncated_dW_hh, _truncation_cases(),
        hint="Keep the pieces C[t, k] with lag t - k <= K (and k <= t), and sum them.",
    )
