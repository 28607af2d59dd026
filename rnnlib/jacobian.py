"""Jacobian-chain analysis: how strongly h_k still acts on h_t, along a real forward pass.

    d h_t / d h_k = J_t J_{t-1} ... J_{k+1},    J_j = d h_j / d h_{j-1} = diag(f'(a_j)) W_hh

(BPTT multiplies by the transposes, W_hh^T diag(f'(a_j)), which have the same norms.)
The products are accumulated with a running scale kept in log space, so |w| up to 10
and T up to 10,000 give finite log-norms with no overflow or underflow. All results
are log10 of a norm: -3 means 10^-3.

Shapes: T steps, H hidden; one sequence at a time.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    check_array,
    check_cache,
    check_choice,
    check_finite_scalar,
    check_index,
    check_positive_int,
    check_square,
    real_array,
)
from .activations import GAMMA, NONLINEARITIES, activate, log_derivative
from .rnn import RNNCache, preactivations

_LN10 = float(np.log(10.0))
_CHUNK = 256


def forward_log_derivatives(
    W_hh: np.ndarray, U: np.ndarray, nonlinearity: str = "tanh", h_init: np.ndarray | None = None
) -> np.ndarray:
    """Run h_t = f(u_t + W_hh h_{t-1}) and return ln f'(a_t) for every step.

    Inputs: W_hh (H, H); U (T, H), the input drive u_t = W_xh x_t + b_h; h_init (H,) or None.
    Returns: (T, H) log-derivatives. For 'linear' they are all 0 and no states are computed:
    a linear RNN's Jacobian does not depend on its states (which may overflow).
    """
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    W_hh = check_square("W_hh", W_hh)
    H = W_hh.shape[0]
    U = check_array("U", U, (("T", None), ("H", H)))
    h = np.zeros(H) if h_init is None else check_array("h_init", h_init, (("H", H),))
    if nonlinearity == "linear":
        return np.zeros_like(U)
    A = np.empty_like(U)
    for t in range(U.shape[0]):
        A[t] = U[t] + W_hh @ h
        h = activate(A[t], nonlinearity)
    return log_derivative(A, nonlinearity)


def cache_log_derivatives(cache: RNNCache, b: int = 0) -> np.ndarray:
    """ln f'(a_t) of batch element ``b`` of a forward pass: (T, H)."""
    check_cache("cache", cache, RNNCache, "rnn_forward")
    b = check_index("b", b, cache.H.shape[1])
    one = cache._replace(X=cache.X[:, b : b + 1], H=cache.H[:, b : b + 1], h_init=cache.h_init[b : b + 1])
    return log_derivative(preactivations(one)[:, 0], cache.nonlinearity)


def _check_chain(W_hh: np.ndarray, log_fprime: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    W_hh = check_square("W_hh", W_hh)
    log_fprime = check_array("log_fprime", log_fprime, (("T", None), ("H", W_hh.shape[0])))
    return W_hh, log_fprime


def _norms(stack: list[np.ndarray], ord: int | str) -> np.ndarray:
    return np.linalg.norm(np.asarray(stack), ord=2 if ord == 2 else "fro", axis=(1, 2))


def _scaled_chain(step, M: np.ndarray, n: int, ord: int | str, every: int = 1) -> np.ndarray:
    """log10 norms of M, step(M), step(step(M)), ... (n + 1 values), keeping M rescaled.

    With every > 1 the norms (an SVD each for ord=2, the costly part) are taken only at 0, every,
    2 every, ... and n; NaN between. Every product is still formed, so the values are the same bits.
    """
    out = np.empty(n + 1) if every == 1 else np.full(n + 1, np.nan)
    if not np.any(M):                     # the first factor is already zero: so is every product
        out[:] = -np.inf
        return out
    log_scale = 0.0                       # natural log of the factor divided out of M so far
    at: list[int] = [0]                   # which products the buffer holds
    buf: list[np.ndarray] = [M.copy()]
    scales = [log_scale]
    for i in range(n):
        M, log_step = step(M, i)
        log_scale += log_step
        s = float(np.max(np.abs(M)))
        if s == 0.0:                      # an exact zero product (e.g. nilpotent W_hh): -inf from here on
            if buf:
                out[at] = np.log(_norms(buf, ord)) / _LN10 + np.asarray(scales) / _LN10
            out[i + 1 :] = -np.inf
            return out
        M = M / s
        log_scale += np.log(s)
        if (i + 1) % every == 0 or i + 1 == n:
            at.append(i + 1)
            buf.append(M)
            scales.append(log_scale)
        if len(buf) == _CHUNK:
            out[at] = (np.log(_norms(buf, ord)) + np.asarray(scales)) / _LN10
            at, buf, scales = [], [], []
    if buf:
        out[at] = (np.log(_norms(buf, ord)) + np.asarray(scales)) / _LN10
    return out


def jacobian_log10_norms(W_hh: np.ndarray, log_fprime: np.ndarray, ord: int | str = 2, every: int = 1) -> np.ndarray:
    """log10 || d h_T / d h_{T-j} || for every lag j = 0..T (j = T is h_0, the initial state).

    Steps count from 1 as in the lecture: log_fprime[t-1] holds ln f'(a_t).

    This is what BPTT multiplies the last step's gradient by on its way back j steps.
    Inputs: W_hh (H, H); log_fprime (T, H) from ``forward_log_derivatives`` or
    ``cache_log_derivatives``; ord 2 (spectral norm) or 'fro'.
    every: take the norm at every ``every``-th lag only, and at the last (NaN between; the values taken
    are bit for bit those of every=1): the matrix explorer's shortcut at large T and H.
    Returns: (T + 1,) array; entry 0 is the norm of the identity (0 for ord=2).
    """
    W_hh, log_fprime = _check_chain(W_hh, log_fprime)
    check_choice("ord", ord, (2, "fro"))
    every = check_positive_int("every", every)
    T = log_fprime.shape[0]

    def step(M: np.ndarray, i: int) -> tuple[np.ndarray, float]:
        lf = log_fprime[T - 1 - i]        # M (d h_T/d h_k) times J_k = diag(f'(a_k)) W_hh, k = T - i
        top = float(lf.max())
        return (M * np.exp(lf - top)) @ W_hh, top

    return _scaled_chain(step, np.eye(W_hh.shape[0]), T, ord, every)


def product_log10_norms(J: np.ndarray, ord: int | str = 2) -> np.ndarray:
    """log10 || J[T-1] J[T-2] ... J[T-j] || for j = 0..T, for any per-step Jacobians.

    ``jacobian_log10_norms`` is this with J[t] = diag(f'(a_t)) W_hh; other cells (a gated
    unit, say) build their own J. Inputs: J (T, H, H); ord 2 or 'fro'. Returns: (T + 1,).
    """
    J = check_array("J", J, (("T", None), ("H", None), ("H", None)))
    T, H, H2 = J.shape
    if H != H2:
        raise ValueError(f"J: expected square Jacobians of shape (T, H, H), got shape {J.shape}")
    check_choice("ord", ord, (2, "fro"))
    return _scaled_chain(lambda M, i: (M @ J[T - 1 - i], 0.0), np.eye(H), T, ord)


def influence_log10_norms(
    W_hh: np.ndarray, log_fprime: np.ndarray, W_xh: np.ndarray | None = None, ord: int | str = 2
) -> np.ndarray:
    """How strongly the start of the sequence still acts on h_t, for the steps t = 1..T.

    Without W_xh: log10 || d h_t / d h_0 || (h_0 the initial state). With W_xh (H, D):
    log10 || d h_t / d x_1 ||, the influence of the first input. Inputs: W_hh (H, H),
    log_fprime (T, H). Returns: (T,) array; entry t - 1 is step t.
    """
    W_hh, log_fprime = _check_chain(W_hh, log_fprime)
    check_choice("ord", ord, (2, "fro"))
    H = W_hh.shape[0]
    T = log_fprime.shape[0]

    def step(M: np.ndarray, i: int) -> tuple[np.ndarray, float]:
        lf = log_fprime[i + 1]            # J_t M: rows scaled by f'(a_t)
        top = float(lf.max())
        return np.exp(lf - top)[:, None] * (W_hh @ M), top

    if W_xh is None:
        lf0 = log_fprime[0]
        top = float(lf0.max())
        first = np.exp(lf0 - top)[:, None] * W_hh        # d h_1 / d h_0
    else:
        W_xh = check_array("W_xh", W_xh, (("H", H), ("D", None)))
        top = float(log_fprime[0].max())
        first = np.exp(log_fprime[0] - top)[:, None] * W_xh  # d h_1 / d x_1
    return _scaled_chain(step, first, T - 1, ord) + top / _LN10


def scalar_log10_jacobian(w: float, log_fprime: np.ndarray) -> np.ndarray:
    """Closed form for one unit: log10 |d h_T/d h_{T-j}| = sum of log10 |w f'(a)| over the last j steps.

    Inputs: w, the recurrent weight; log_fprime (T,) or (T, 1). Returns: (T + 1,) for j = 0..T.
    A zero w gives -inf for every j >= 1.
    """
    w = check_finite_scalar("w", w)
    lf = real_array("log_fprime", log_fprime, finite=False)
    if lf.ndim == 2 and lf.shape[1] == 1:
        lf = lf[:, 0]
    lf = check_array("log_fprime", lf, (("T", None),))    # (T,) or (T, 1): one unit only
    with np.errstate(divide="ignore"):
        log_w = np.log(abs(w))
    out = np.zeros(lf.size + 1)
    out[1:] = np.cumsum(log_w + lf[::-1]) / _LN10
    return out


def singular_values(W: np.ndarray) -> np.ndarray:
    """Singular values of a square W (H, H), largest first."""
    W = check_square("W", W)
    return np.linalg.svd(W, compute_uv=False)


def spectral_norm(W: np.ndarray) -> float:
    """sigma_max(W), the largest singular value: the most any vector can be stretched by W."""
    return float(singular_values(W)[0])


def spectral_radius(W: np.ndarray) -> float:
    """rho(W) = max |eigenvalue|: the growth rate of W^n as n grows (rho <= sigma_max)."""
    W = check_square("W", W)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def pascanu_log10_bound(W_hh: np.ndarray, lags: np.ndarray, nonlinearity: str = "tanh") -> np.ndarray:
    """log10 of Pascanu et al.'s bound || d h_t / d h_k || <= (gamma sigma_max(W_hh)) ** (t - k).

    gamma bounds |f'|: 1 for tanh and linear, 1/4 for sigmoid. When gamma sigma_max < 1 the
    gradient must vanish (sufficient condition); above 1 it may explode (necessary, not sufficient).
    Inputs: W_hh (H, H); lags, non-negative t - k values. Returns: array shaped like lags.
    """
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    lags = real_array("lags", lags, finite=False)
    bad = lags[~(np.isfinite(lags) & (lags >= 0))]
    if bad.size:
        raise ValueError(f"lags: expected finite non-negative numbers t - k, got {bad.size} other entries "
                         f"(the first is {bad[0]:g})")
    with np.errstate(divide="ignore"):
        rate = np.log10(GAMMA[nonlinearity] * spectral_norm(check_square("W_hh", W_hh)))  # -inf for W_hh = 0
    out = np.zeros_like(lags)
    out[lags > 0] = lags[lags > 0] * rate                            # lag 0 is the identity: 10^0
    return out
