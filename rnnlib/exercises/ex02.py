"""Checkers for the exercises of notebook 02 (BPTT as the unrolled chain rule).

1. ``check_step_backward``: write ``step_backward(dh, cache)``, one backward step, CS231n style:
   ``rnn_step_forward`` returns ``(h, cache)``, the backward step takes ``(dh, cache)``.
2. ``check_backward``: write ``backward(dH, cache)``, full BPTT over a sequence, from your step.
   Both are compared with rnnlib (``rnn_step_backward``, ``rnn_backward``) and with central finite
   differences of the forward pass; a wrong answer is told which gradient is off and by how much.
3. ``check_product_count``: predict, then check: how many products by W_hh ``truncated_bptt``
   makes for T = 20, K = 5; the count is measured while it runs.
4. ``check_truncated_from_contributions``: the truncated dLoss/dW_hh rebuilt from the pieces C[t, k].

``solution(key)`` prints a reference solution; the keys are those of ``SOLUTIONS``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

import rnnlib

from ..bptt import rnn_backward, truncated_bptt
from ..costs import count_backward_products
from ..gradcheck import numerical_gradient
from ..rnn import Params, init_params, rnn_forward, rnn_step_backward, rnn_step_forward
from . import Verdict, check_function, check_number, not_attempted, print_solution, relative_error, verdict

STEP_NAMES = ("dx", "dh_prev", "dW_xh", "dW_hh", "db_h")
SEQUENCE_NAMES = ("dX", "dh_init", "dW_xh", "dW_hh", "db_h")
#: Agreement with rnnlib (the same formulas: rounding only) and with central differences (eps = 1e-6).
RTOL_RNNLIB, RTOL_NUMERIC, EPS = 1e-9, 1e-7, 1e-6


def _step_cases(seed: int = 2) -> list[dict]:
    """Random single steps: several sizes, the three nonlinearities. Each holds b_h for the finite differences."""
    rng = np.random.default_rng(seed)
    cases = []
    for B, D, H, f in ((1, 1, 1, "tanh"), (3, 2, 4, "tanh"), (4, 3, 5, "sigmoid"), (2, 4, 3, "linear")):
        x, h_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H))
        W_xh, W_hh, b_h = rng.normal(size=(H, D)), rng.normal(size=(H, H)) / np.sqrt(H), rng.normal(size=H)
        _, cache = rnn_step_forward(x, h_prev, W_xh, W_hh, b_h, f)
        cases.append({"args": (rng.normal(size=(B, H)), cache), "b_h": b_h,
                      "label": f"{f}, B={B}, D={D}, H={H}"})
    return cases


def _sequence_cases(seed: int = 5) -> list[dict]:
    """Random sequences: several lengths and sizes, the three nonlinearities, a non-zero h_init."""
    rng = np.random.default_rng(seed)
    cases = []
    for T, B, D, H, f in ((1, 1, 1, 1, "tanh"), (4, 2, 3, 4, "tanh"), (6, 3, 2, 3, "sigmoid"), (3, 2, 2, 2, "linear")):
        params = init_params(D, H, 1, rng)
        params = params._replace(b_h=rng.normal(size=H) * 0.5)
        X, h_init = rng.normal(size=(T, B, D)), rng.normal(size=(B, H))
        Hs, cache = rnn_forward(X, params, h_init, f)
        cases.append({"args": (rng.normal(size=Hs.shape), cache), "params": params,
                      "label": f"{f}, T={T}, B={B}, D={D}, H={H}"})
    return cases


def _numeric_step(case: dict) -> tuple[np.ndarray, ...]:
    """Central differences of sum(dh * h) with respect to x, h_prev, W_xh, W_hh, b_h."""
    dh, c = case["args"]
    arrays = [np.array(a, dtype=np.float64) for a in (c.x, c.h_prev, c.W_xh, c.W_hh, case["b_h"])]

    def loss() -> float:
        return float(np.sum(dh * rnn_step_forward(*arrays, c.nonlinearity)[0]))

    return tuple(numerical_gradient(loss, a, EPS) for a in arrays)


def _numeric_sequence(case: dict) -> tuple[np.ndarray, ...]:
    """Central differences of sum(dH * H) with respect to X, h_init, W_xh, W_hh, b_h."""
    dH, c = case["args"]
    X, h_init = np.array(c.X), np.array(c.h_init)
    W_xh, W_hh, b_h = (np.array(a, dtype=np.float64) for a in (c.W_xh, c.W_hh, case["params"].b_h))

    def loss() -> float:
        params = Params(W_xh, W_hh, b_h, case["params"].W_hy, case["params"].b_y)
        return float(np.sum(dH * rnn_forward(X, params, h_init, c.nonlinearity)[0]))

    return tuple(numerical_gradient(loss, a, EPS) for a in (X, h_init, W_xh, W_hh, b_h))


def _check_gradients(name: str, answer: Callable | None, reference: Callable, cases: list[dict],
                     numeric: Callable[[dict], tuple], names: tuple[str, ...], hints: dict[str, str]) -> Verdict | None:
    """Compare every output with rnnlib and with finite differences; name the first gradient that is off."""
    if answer is None:
        not_attempted(name)
        return None
    if not callable(answer):
        return verdict(False, name, f"Expected a function, got {type(answer).__name__}.")
    for case in cases:
        want = reference(*copy.deepcopy(case["args"]))
        try:
            got = answer(*copy.deepcopy(case["args"]))
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            return verdict(False, name, f"On {case['label']}: calling it raised {type(exc).__name__}: {exc}")
        got = got if isinstance(got, tuple) else (got,)
        if len(got) != len(names):
            return verdict(False, name, f"Expected {len(names)} outputs ({', '.join(names)}), got {len(got)}.")
        fd = numeric(case)
        for label, g, w, n in zip(names, got, want, fd):
            try:
                g = np.asarray(g, dtype=np.float64)
            except (TypeError, ValueError):
                return verdict(False, name, f"On {case['label']}: {label} is not an array of numbers.")
            if g.shape != np.shape(w):
                return verdict(False, name, f"On {case['label']}: {label} has shape {g.shape}, expected "
                                            f"{np.shape(w)}.")
            err_lib, err_fd = relative_error(g, w), relative_error(g, n)
            if not np.all(np.isfinite(g)) or err_lib > RTOL_RNNLIB or err_fd > RTOL_NUMERIC:
                return verdict(False, name, f"On {case['label']}: {label} is off: relative error {err_lib:.1e} "
                                            f"against rnnlib (threshold {RTOL_RNNLIB:.0e}), {err_fd:.1e} against "
                                            f"central finite differences (threshold {RTOL_NUMERIC:.0e}). "
                                            f"{hints.get(label, '')}".rstrip())
    return verdict(True, name, "")


_STEP_HINTS = {
    "dx": "dx = (dLoss/da_t) W_xh, with dLoss/da_t = dh * f'(a_t): did you go through f first?",
    "dh_prev": "The step back multiplies dLoss/da_t (after f', not dh itself) by W_hh, in the order "
               "(B, H) @ (H, H).",
    "dW_xh": "An immediate partial: (dLoss/da_t)^T x_t, summed over the batch by the product, shape (H, D).",
    "dW_hh": "The immediate partial holds h_{t-1} fixed: (dLoss/da_t)^T h_{t-1}, shape (H, H), not h_t.",
    "db_h": "Sum dLoss/da_t over the batch (axis 0).",
}
_SEQUENCE_HINTS = {
    "dX": "Each step's dx comes from the gradient arriving at h_t along all paths: dH[t] plus what came back "
          "from step t+1.",
    "dh_init": "The last step back, from h_1 to the initial state h_0 (h_init), is the dh_prev of step 1 "
               "(array position 0).",
    "dW_xh": "Add the steps' dW_xh: the weight is shared by all steps.",
    "dW_hh": "Add the steps' dW_hh, and feed each step dH[t] + the dh_prev of step t+1 (loop from the last step "
             "back to the first); step 1's h_prev is h_0, the initial state h_init.",
    "db_h": "Add the steps' db_h over all steps.",
}


def check_step_backward(answer: Callable | None) -> Verdict | None:
    """Exercise 1: ``answer(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h)``, like ``rnn_step_backward``."""
    return _check_gradients("Exercise 1 (one backward step)", answer, rnn_step_backward, _step_cases(),
                            _numeric_step, STEP_NAMES, _STEP_HINTS)


def check_backward(answer: Callable | None) -> Verdict | None:
    """Exercise 2: ``answer(dH, cache) -> (dX, dh_init, dW_xh, dW_hh, db_h)``, like ``rnn_backward``."""
    return _check_gradients("Exercise 2 (BPTT over a sequence)", answer, rnn_backward, _sequence_cases(),
                            _numeric_sequence, SEQUENCE_NAMES, _SEQUENCE_HINTS)


# --- 3. predict, then check: the work of truncation ----------------------------------------------------------

PRODUCT_COUNT_T, PRODUCT_COUNT_K = 20, 5


def product_count() -> int:
    """The measured number of products by W_hh in ``truncated_bptt`` for T=20, K=5."""
    rng = np.random.default_rng(0)
    params = init_params(2, 3, 1, rng)
    Hs, cache = rnn_forward(rng.normal(size=(PRODUCT_COUNT_T, 2, 2)), params)
    return count_backward_products(truncated_bptt, rng.normal(size=Hs.shape), cache, PRODUCT_COUNT_K)


def _count_hint(value: float) -> str:
    if value == PRODUCT_COUNT_T:
        return "T products is full BPTT's count: the window cannot share one gradient among the loss terms."
    if value == PRODUCT_COUNT_T * PRODUCT_COUNT_K:
        return "Close: at lag j only the loss terms l_t with t > j (steps t = 1..T) still have a step to go back."
    return "At lag j = 0, 1, ..., K-1 the loop steps back the T - j loss terms still alive; lag K makes none."


def check_product_count(prediction: object) -> Verdict | None:
    """Exercise 3: your prediction of the products by W_hh for T=20, K=5; then the count is revealed."""
    ok = check_number("Exercise 3 (predict the work)", prediction, product_count, rtol=0.0, hint=_count_hint)
    if ok is not None:
        print(f"    measured while truncated_bptt ran: {product_count()} products; full BPTT makes "
              f"{PRODUCT_COUNT_T}")
    return ok


# --- 4. truncation from contributions ------------------------------------------------------------------------

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


def check_truncated_from_contributions(answer: Callable | None) -> Verdict | None:
    """Exercise 4: ``answer(dH, cache, K) -> dW_hh`` (H, H) of ``truncated_bptt``, built from C[t, k]."""
    return check_function(
        "Exercise 4 (truncation from contributions)", answer, _truncated_dW_hh, _truncation_cases(),
        names=("dW_hh",), describe=lambda a: f"T = {a[0].shape[0]}, K = {a[2]}",
        hint="Keep the pieces C[t, k] with lag t - k <= K (and k <= t), and sum them.",
    )


# --- reference solutions, printed only on request ------------------------------------------------------------

# Written as a learner writes them in notebook 02, whose namespace has np and rnnlib: printed by ``solution``,
# they run there as they are (a test executes the printed source in such a namespace).

def step_backward(dh, cache):
    x, h_prev, h, W_xh, W_hh, nonlinearity = cache
    da = dh * rnnlib.derivative_from_output(h, nonlinearity)   # dLoss/da_t: through f, diag(f'(a_t))
    dx = da @ W_xh                                       # a_t = W_xh x_t + W_hh h_{t-1} + b_h
    dh_prev = da @ W_hh                                  # the step back: W_hh^T diag(f'(a_t)) dh
    dW_xh = da.T @ x                                     # immediate partials, summed over the batch
    dW_hh = da.T @ h_prev                                # h_{t-1} held fixed
    db_h = da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def backward(dH, cache):
    T = dH.shape[0]
    dX = np.zeros_like(cache.X)
    dW_xh, dW_hh, db_h = np.zeros_like(cache.W_xh), np.zeros_like(cache.W_hh), np.zeros_like(cache.b_h)
    carry = np.zeros_like(dH[0])                         # dLoss/dh_t through h_{t+1}, h_{t+2}, ...
    for t in range(T - 1, -1, -1):                       # array positions: position t holds step t + 1
        h_prev = cache.h_init if t == 0 else cache.H[t - 1]
        step = (cache.X[t], h_prev, cache.H[t], cache.W_xh, cache.W_hh, cache.nonlinearity)
        dX[t], carry, gx, gh, gb = step_backward(dH[t] + carry, step)    # all paths into h_t, then one step
        dW_xh += gx                                      # shared weights: add every step's share
        dW_hh += gh
        db_h += gb
    return dX, carry, dW_xh, dW_hh, db_h


def truncated_dW_hh(dH, cache, K):
    C_full = rnnlib.contributions(dH, cache, full=True)  # (T, T, H, H): entry [t-1, k-1] is C[t, k]
    t, k = np.indices(C_full.shape[:2])
    return C_full[(k <= t) & (t - k <= K)].sum(axis=0)   # the paths of at most K steps back


SOLUTIONS: dict[str, tuple[str, object]] = {
    "step_backward": ("Go through f first (da = dh * f'(a_t)), then every use of a_t = W_xh x_t + W_hh h_{t-1} + "
                      "b_h gives one gradient; the weights' are immediate partials, x_t and h_{t-1} held fixed.",
                      step_backward),
    "backward": ("Loop from the last step back to the first. The gradient into h_t is dH[t] (from o_t) plus the "
                 "dh_prev of step t+1; one backward step sends it to h_{t-1}. The weights are shared, so their "
                 "gradients are the sums over steps.", backward),
    "product_count": ("At lag j = 0..K-1 the loop steps the T - j loss terms still alive one step back, and lag "
                      "K makes no product: 20 + 19 + 18 + 17 + 16 = 90, that is T K - K (K - 1) / 2, where full "
                      "BPTT makes T = 20.",
                      90),
    "truncated": ("The window keeps the paths of lag t - k <= K: sum those pieces C[t, k].",
                  truncated_dW_hh),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``, one of ``SOLUTIONS``."""
    print_solution(SOLUTIONS, key)
