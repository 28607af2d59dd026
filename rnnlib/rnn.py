"""The vanilla RNN forward pass, its output layer and its losses, in the lecture note's notation.

    a_t = W_xh x_t + W_hh h_{t-1} + b_h          (pre-activation)
    h_t = f(a_t)                                  (f = tanh unless chosen otherwise)
    o_t = W_hy h_t + b_y
    Loss = sum_t l(y_t, o_t)                      (averaged over the batch)

Shapes, used in every docstring of the package:
    T steps, B batch, D input, H hidden, O output.
Steps count from 1, as in the lecture note: h_0 is the initial state ``h_init`` (all zeros
unless given) and the steps are t = 1..T. Arrays are time-major and Python counts from 0,
so ``X[t-1]`` is x_t with shape (B, D) and ``H[t-1]`` is h_t.

Every forward function returns ``(out, cache)``; the matching backward function
takes ``(dout, cache)`` and is pure: calling it twice gives the same answer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import MAX_WIDTH, check_array, check_cache, check_choice, check_positive_int, check_rng, real_array
from .activations import NONLINEARITIES, derivative_from_output
from .activations import _activate as activate  # unchecked: a_t is computed from checked arrays

LOSSES = ("mse", "xent")


class Params(NamedTuple):
    """The weights of a vanilla RNN; gradients come back in the same container.

    W_xh: (H, D)  input to hidden      W_hh: (H, H)  hidden to hidden
    b_h:  (H,)    hidden bias          W_hy: (O, H)  hidden to output
    b_y:  (O,)    output bias
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(D, H, O)."""
        return self.W_xh.shape[1], self.W_hh.shape[0], self.W_hy.shape[0]


class RNNCache(NamedTuple):
    """What ``rnn_backward`` needs from ``rnn_forward``.

    X: (T, B, D) inputs   H: (T, B, H) states   h_init: (B, H)
    W_xh, W_hh, b_h: the weights used   nonlinearity: 'tanh' | 'sigmoid' | 'linear'
    (f' is read off the states; ``preactivations`` recomputes the a_t when needed.)
    """

    X: np.ndarray
    H: np.ndarray
    h_init: np.ndarray
    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    nonlinearity: str


class StepCache(NamedTuple):
    """What ``rnn_step_backward`` needs from ``rnn_step_forward``: x (B, D), h_prev (B, H), h (B, H),
    W_xh (H, D), W_hh (H, H) and the nonlinearity."""

    x: np.ndarray
    h_prev: np.ndarray
    h: np.ndarray
    W_xh: np.ndarray
    W_hh: np.ndarray
    nonlinearity: str


class OutputCache(NamedTuple):
    """What ``output_backward`` needs from ``output_forward``: H (T, B, H) and W_hy (O, H)."""

    H: np.ndarray
    W_hy: np.ndarray


def check_params(params: Params) -> Params:
    """Return ``params`` as float64 arrays with consistent sizes, or raise ValueError."""
    if not isinstance(params, Params):
        raise ValueError(f"params: expected an rnnlib.Params, got {type(params).__name__}")
    W_xh = check_array("params.W_xh", params.W_xh, (("H", None), ("D", None)))
    H, D = W_xh.shape
    W_hh = check_array("params.W_hh", params.W_hh, (("H", H), ("H", H)))
    b_h = check_array("params.b_h", params.b_h, (("H", H),))
    W_hy = check_array("params.W_hy", params.W_hy, (("O", None), ("H", H)))
    b_y = check_array("params.b_y", params.b_y, (("O", W_hy.shape[0]),))
    return Params(W_xh, W_hh, b_h, W_hy, b_y)


def init_params(
    D: int, H: int, O: int, rng: np.random.Generator, *, W_hh: np.ndarray | None = None
) -> Params:
    """Small random weights: entries ~ N(0, 1/fan_in), zero biases.

    Inputs: sizes D, H, O; ``rng`` a seeded ``numpy.random.Generator``;
    optionally a ready ``W_hh`` (H, H), e.g. from ``rnnlib.init``.
    Returns: Params.
    """
    D, H, O = (check_positive_int(n, v, MAX_WIDTH) for n, v in (("D", D), ("H", H), ("O", O)))
    rng = check_rng("rng", rng)
    if W_hh is None:
        W_hh = rng.normal(0.0, 1.0 / np.sqrt(H), (H, H))
    W_hh = check_array("W_hh", W_hh, (("H", H), ("H", H)))
    return Params(
        W_xh=rng.normal(0.0, 1.0 / np.sqrt(D), (H, D)),
        W_hh=W_hh.copy(),
        b_h=np.zeros(H),
        W_hy=rng.normal(0.0, 1.0 / np.sqrt(H), (O, H)),
        b_y=np.zeros(O),
    )


def rnn_step_forward(
    x: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray, b_h: np.ndarray,
    nonlinearity: str = "tanh",
) -> tuple[np.ndarray, tuple]:
    """One step, h_t = f(W_xh x_t + W_hh h_{t-1} + b_h).

    Inputs: x (B, D), h_prev (B, H), W_xh (H, D), W_hh (H, H), b_h (H,).
    Returns: h (B, H) and the step's cache.
    """
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    W_xh = check_array("W_xh", W_xh, (("H", None), ("D", None)))
    H, D = W_xh.shape  # [check]
    W_hh = check_array("W_hh", W_hh, (("H", H), ("H", H)))
    b_h = check_array("b_h", b_h, (("H", H),))
    x = check_array("x", x, (("B", None), ("D", D)))
    h_prev = check_array("h_prev", h_prev, (("B", x.shape[0]), ("H", H)))
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h   # local derivatives: da/dx = W_xh, da/dh_prev = W_hh, da/db_h = 1
    h = activate(a, nonlinearity)            # local derivative: dh/da = diag(f'(a)), for tanh 1 - h^2
    return h, StepCache(x, h_prev, h, W_xh, W_hh, nonlinearity)


def rnn_step_backward(dh: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Backward through one step, given dLoss/dh_t (all paths into h_t).

    Inputs: dh (B, H) and the cache of ``rnn_step_forward``.
    Returns: dx (B, D), dh_prev (B, H), dW_xh (H, D), dW_hh (H, H), db_h (H,).
    """
    x, h_prev, h, W_xh, W_hh, nonlinearity = check_cache("cache", cache, StepCache, "rnn_step_forward")
    dh = check_array("dh", dh, (("B", h.shape[0]), ("H", h.shape[1])))
    da = dh * derivative_from_output(h, nonlinearity)  # through f: diag(f'(a_t))
    dx = da @ W_xh                                      # a_t = W_xh x_t + ...
    dh_prev = da @ W_hh                                 # ... + W_hh h_{t-1} + ...
    dW_xh = da.T @ x                                    # immediate partials: h_{t-1}, x_t held fixed
    dW_hh = da.T @ h_prev
    db_h = da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def rnn_forward(
    X: np.ndarray, params: Params, h_init: np.ndarray | None = None, nonlinearity: str = "tanh"
) -> tuple[np.ndarray, RNNCache]:
    """Run the recurrence over a whole sequence: h_t = f(W_xh x_t + W_hh h_{t-1} + b_h), t = 1..T.

    Inputs: X (T, B, D) with X[t-1] = x_t; params (only W_xh (H, D), W_hh (H, H), b_h (H,) are used);
    h_init (B, H), the state h_0, or None for zeros; nonlinearity 'tanh' | 'sigmoid' | 'linear'.
    Returns: H (T, B, H) with H[t-1] = h_t, read-only (the cache holds it), and an RNNCache for
    ``rnn_backward``.
    """
    params = check_params(params)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    D, Hn, _ = params.sizes
    X = check_array("X", X, (("T", None), ("B", None), ("D", D)))
    T, B, _ = X.shape
    h_init = np.zeros((B, Hn)) if h_init is None else check_array("h_init", h_init, (("B", B), ("H", Hn)))
    W_xh, W_hh, b_h = params.W_xh, params.W_hh, params.b_h
    A_x = X @ W_xh.T + b_h                    # W_xh x_t + b_h for every step t in one product: (T, B, H)
    Hs = np.empty((T, B, Hn))                 # Hs[t-1] will hold h_t
    h = h_init                                # h_0
    for t in range(T):
        a = A_x[t] + h @ W_hh.T               # a_t = W_xh x_t + W_hh h_{t-1} + b_h
        h = activate(a, nonlinearity)         # h_t = f(a_t)
        Hs[t] = h
    return _read_only(Hs), RNNCache(X, Hs, h_init, W_xh, W_hh, b_h, nonlinearity)


def _read_only(a: np.ndarray) -> np.ndarray:
    """``a``, made read-only: a cache's states must reach the backward pass unchanged."""
    a.setflags(write=False)
    return a


def preactivations(cache: RNNCache) -> np.ndarray:
    """a_t = W_xh x_t + W_hh h_{t-1} + b_h of every step, recomputed from a forward cache: (T, B, H)."""
    check_cache("cache", cache, RNNCache, "rnn_forward")
    H_prev = np.concatenate([cache.h_init[None], cache.H[:-1]])
    return cache.X @ cache.W_xh.T + H_prev @ cache.W_hh.T + cache.b_h


def output_forward(Hs: np.ndarray, W_hy: np.ndarray, b_y: np.ndarray) -> tuple[np.ndarray, tuple]:
    """o_t = W_hy h_t + b_y for every step. Inputs: Hs (T, B, H), W_hy (O, H), b_y (O,).

    Returns: O (T, B, O) and the cache for ``output_backward``.
    """
    Hs = check_array("Hs", Hs, (("T", None), ("B", None), ("H", None)))
    W_hy = check_array("W_hy", W_hy, (("O", None), ("H", Hs.shape[2])))
    b_y = check_array("b_y", b_y, (("O", W_hy.shape[0]),))
    return Hs @ W_hy.T + b_y, OutputCache(Hs, W_hy)


def output_backward(dO: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs: dO (T, B, O) and the output cache. Returns: dH (T, B, H), dW_hy (O, H), db_y (O,)."""
    Hs, W_hy = check_cache("cache", cache, OutputCache, "output_forward")
    T, B, Hn = Hs.shape
    dO = check_array("dO", dO, (("T", T), ("B", B), ("O", W_hy.shape[0])))
    dH = dO @ W_hy                                     # the lecture's d g(h_t, W_hy) / d h_t
    dW_hy = dO.reshape(T * B, -1).T @ Hs.reshape(T * B, Hn)
    return dH, dW_hy, dO.sum(axis=(0, 1))


def _step_weights(mask: np.ndarray | None, T: int, B: int) -> np.ndarray:
    if mask is None:
        return np.full((T, B), 1.0 / B)
    m = real_array("mask", mask)                      # checked before any cast: no complex or string weights
    if m.shape == (T,):
        m = np.broadcast_to(m[:, None], (T, B))
    m = check_array("mask", m, (("T", T), ("B", B)))
    if np.any(m < 0):
        raise ValueError("mask: expected weights >= 0 (True/1 where a step has a target), got negative entries")
    return m / B


def squared_error(O: np.ndarray, Y: np.ndarray, mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """l(y_t, o_t) = 1/2 ||o_t - y_t||^2, summed over steps with a target, averaged over the batch.

    Inputs: O (T, B, O), Y (T, B, O) real targets, mask (T,) or (T, B) of 0/1 (None: every step).
    Returns: the loss and dLoss/dO (T, B, O).
    """
    O = check_array("O", O, (("T", None), ("B", None), ("O", None)))
    T, B, n = O.shape
    Y = check_array("Y", Y, (("T", T), ("B", B), ("O", n)))
    w = _step_weights(mask, T, B)[..., None]
    diff = O - Y
    return float(0.5 * np.sum(w * diff * diff)) + 0.0, w * diff


def softmax_cross_entropy(O: np.ndarray, Y: np.ndarray, mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """l(y_t, o_t) = -log softmax(o_t)[y_t], summed over steps with a target, averaged over the batch.

    Inputs: O (T, B, O) logits, Y (T, B) integer classes in [0, O), mask (T,) or (T, B)
    of 0/1 (None: every step). Returns: the loss and dLoss/dO (T, B, O).
    """
    O = check_array("O", O, (("T", None), ("B", None), ("O", None)))
    T, B, n = O.shape
    Yf = check_array("Y", Y, (("T", T), ("B", B)))
    if np.any(Yf != np.round(Yf)) or np.any(Yf < 0) or np.any(Yf >= n):
        raise ValueError(f"Y: expected integer classes in [0, {n}), got values from {Yf.min():g} to {Yf.max():g}")
    w = _step_weights(mask, T, B)
    Yi = Yf.astype(np.intp)
    shifted = O - O.max(axis=2, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(logp, Yi[..., None], axis=2)[..., 0]
    dO = np.exp(logp)                                   # softmax - onehot(y): the local derivative
    np.put_along_axis(dO, Yi[..., None], np.take_along_axis(dO, Yi[..., None], axis=2) - 1.0, axis=2)
    return 0.0 - float(np.sum(w * picked)), w[..., None] * dO   # 0.0 - x: no -0.0 when no step has a target


def output_loss(
    Hs: np.ndarray, W_hy: np.ndarray, b_y: np.ndarray, Y: np.ndarray, loss: str = "xent",
    mask: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """The top of every model in the course: o_t = W_hy h_t + b_y, the loss, and its way back to the states.

    Inputs: Hs (T, B, H); W_hy (O, H); b_y (O,); Y (T, B, O) for loss='mse' or (T, B) classes for
    'xent'; mask (T,) or (T, B). Returns: Loss, dH (T, B, H) (from o_t only), dW_hy (O, H), db_y (O,).
    """
    check_choice("loss", loss, LOSSES)
    O, out_cache = output_forward(Hs, W_hy, b_y)
    value, dO = (squared_error if loss == "mse" else softmax_cross_entropy)(O, Y, mask)
    return (value, *output_backward(dO, out_cache))


def predict(params: Params, X: np.ndarray, h_init: np.ndarray | None = None, nonlinearity: str = "tanh") -> np.ndarray:
    """Outputs O (T, B, O) for inputs X (T, B, D)."""
    Hs, _ = rnn_forward(X, params, h_init, nonlinearity)
    return output_forward(Hs, params.W_hy, params.b_y)[0]
