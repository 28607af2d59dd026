"""Backpropagation through time: full, truncated, and split into its contributions.

The lecture note writes the gradient of one loss term as

    d l_t / d W_hh = d l_t/d o_t  *  d o_t/d h_t  *  { d+h_t/dW_hh + d h_t/d h_{t-1} d+h_{t-1}/dW_hh + ... }

where d+ is the *immediate* partial (h_{t-1} held fixed). Term k of the bracket is the
path from the loss at step t back to h_k; ``contributions`` returns each of those
pieces C[t, k], ``rnn_backward`` their sum over all t and k <= t, and
``truncated_bptt`` the sum over the paths of at most K steps back (t - k <= K).
``chunked_bptt`` is the streaming variant used in practice: the sequence is cut into
blocks of K steps and no gradient crosses a block boundary. ``loss_and_grads`` runs the
whole model, forward, loss and BPTT, for training.

Shapes: T steps, B batch, D input, H hidden, O output.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_array, check_choice, check_positive_int
from .activations import _derivative_from_output as derivative_from_output  # unchecked: the cache's own states
from .rnn import (
    LOSSES,
    Params,
    RNNCache,
    output_loss,
    rnn_forward,
)


def _check(dH: np.ndarray, cache: RNNCache) -> np.ndarray:
    if not isinstance(cache, RNNCache):
        raise ValueError(f"cache: expected the RNNCache returned by rnn_forward, got {type(cache).__name__}")
    T, B, H = cache.H.shape
    return check_array("dH", dH, (("T", T), ("B", B), ("H", H)))


def _weight_grads(dA: np.ndarray, cache: RNNCache) -> tuple[np.ndarray, ...]:
    """Immediate partials of every step, summed: a_t = W_xh x_t + W_hh h_{t-1} + b_h."""
    T, B, H = dA.shape
    flat = dA.reshape(T * B, H)
    dW_xh = flat.T @ cache.X.reshape(T * B, -1)
    dW_hh = dA[0].T @ cache.h_init                # step 1 reads h_0 = h_init; step t > 1 reads h_{t-1}
    if T > 1:
        dW_hh += flat[B:].T @ cache.H[:-1].reshape((T - 1) * B, H)
    dX = (flat @ cache.W_xh).reshape(T, B, -1)
    return dX, dW_xh, dW_hh, flat.sum(axis=0)


def rnn_backward(dH: np.ndarray, cache: RNNCache) -> tuple[np.ndarray, ...]:
    """Full BPTT: the steps of ``rnn_step_backward`` from t = T down to 1, each handing dLoss/dh_{t-1} back.

    Inputs: dH (T, B, H), the gradient of the loss arriving at each h_t directly from
    o_t (not through later states); cache from ``rnn_forward``.
    Returns: dX (T, B, D), dh_init (B, H), dW_xh (H, D), dW_hh (H, H), db_h (H,).
    """
    dH = _check(dH, cache)
    W_hh, Hs, nonlinearity = cache.W_hh, cache.H, cache.nonlinearity
    dA = np.empty_like(dH)                    # dA[t-1] will hold dLoss/da_t
    dh_prev = np.zeros_like(dH[0])            # dLoss/dh_T through later states: none
    for t in range(dH.shape[0] - 1, -1, -1):
        dh = dH[t] + dh_prev                  # the gradient carried back from step t+1 joins step t's own
        da = dh * derivative_from_output(Hs[t], nonlinearity)   # through f: diag(f'(a_t))
        dA[t] = da
        dh_prev = da @ W_hh                   # a_t = ... + W_hh h_{t-1} + ...: dLoss/dh_{t-1}
    # the immediate partials of every step, summed over t: dW_xh = sum_t da_t^T x_t,
    # dW_hh = sum_t da_t^T h_{t-1}, db_h = sum_t da_t; and dx_t = da_t W_xh
    dX, dW_xh, dW_hh, db_h = _weight_grads(dA, cache)
    return dX, dh_prev, dW_xh, dW_hh, db_h    # dh_prev is now dLoss/dh_0


def truncated_bptt(dH: np.ndarray, cache: RNNCache, K: int) -> tuple[np.ndarray, ...]:
    """BPTT in which each loss term's gradient is carried back at most K steps.

    The loss at step t reaches h_t, h_{t-1}, ..., h_{t-K} (and h_0 = h_init when t <= K);
    longer paths are dropped. K >= T drops nothing, so it returns ``rnn_backward``
    itself. The loop runs over the lag j = 0..K, handling every loss term at once.

    Inputs: dH (T, B, H); cache from ``rnn_forward``; K >= 1.
    Returns: dX (T, B, D), dh_init (B, H), dW_xh (H, D), dW_hh (H, H), db_h (H,).
    """
    dH = _check(dH, cache)
    K = check_positive_int("K", K)
    T = dH.shape[0]
    if K >= T:
        return rnn_backward(dH, cache)
    fprime = derivative_from_output(cache.H, cache.nonlinearity)
    dA = np.zeros_like(dH)
    dh_init = np.zeros_like(dH[0])
    G = dH                                        # G[k] = d l_{k+j} / d h_k at lag j (k = 0..T-1-j)
    for j in range(K + 1):
        da = G * fprime[: T - j]
        dA[: T - j] += da
        if j == K:
            break
        back = da @ cache.W_hh                    # one more step back: to h_{k-1}
        dh_init += back[0]                        # l_j reaches h_init after j + 1 steps
        G = back[1:]
    dX, dW_xh, dW_hh, db_h = _weight_grads(dA, cache)
    return dX, dh_init, dW_xh, dW_hh, db_h


def chunked_bptt(dH: np.ndarray, cache: RNNCache, K: int) -> tuple[np.ndarray, ...]:
    """BPTT on blocks of K steps, [0, K), [K, 2K), ...: no gradient crosses a block boundary.

    This is how truncated BPTT is run on long streams: after each block the weights can be
    updated and only the block's K states need to be kept. The loss at step t reaches the
    states of its own block only, so at most K - 1 steps back (``truncated_bptt``'s K counts
    steps back, this K counts states in a block). K >= T is full BPTT.

    Inputs: dH (T, B, H); cache from ``rnn_forward``; K >= 1.
    Returns: dX (T, B, D), dh_init (B, H), dW_xh (H, D), dW_hh (H, H), db_h (H,).
    """
    dH = _check(dH, cache)
    K = check_positive_int("K", K)
    dA = np.empty_like(dH)                    # dA[t-1] will hold dLoss/da_t
    dh_prev = np.zeros_like(dH[0])
    for t in range(dH.shape[0] - 1, -1, -1):
        dh = dH[t] + dh_prev                  # the gradient carried back from step t+1 joins step t's own
        da = dh * derivative_from_output(cache.H[t], cache.nonlinearity)
        dA[t] = da
        dh_prev = da @ cache.W_hh
        if t % K == 0 and t > 0:
            dh_prev = np.zeros_like(dh_prev)  # a block boundary: the path back is cut here
    dX, dW_xh, dW_hh, db_h = _weight_grads(dA, cache)
    return dX, dh_prev, dW_xh, dW_hh, db_h


def contributions(dH: np.ndarray, cache: RNNCache, *, full: bool = False) -> np.ndarray:
    """The contribution matrix C[t, k]: the part of dLoss/dW_hh that flows from the
    loss at step t through h_k, i.e. (d l_t/d h_k) times the immediate partial d+h_k/dW_hh.

    Summed over all k <= t, the pieces give ``rnn_backward``'s dW_hh exactly
    (up to float rounding); entries with k > t are zero.

    Inputs: dH (T, B, H); cache from ``rnn_forward``; full: return the matrices.
    Returns: (T, T) Frobenius norms ||C[t, k]||, or with full=True the (T, T, H, H) pieces;
    steps count from 1 as in the lecture, so entry [t - 1, k - 1] is C[t, k].
    """
    dH = _check(dH, cache)
    T, B, H = dH.shape
    fprime = derivative_from_output(cache.H, cache.nonlinearity)
    H_prev = np.concatenate([cache.h_init[None], cache.H[:-1]])
    out = np.zeros((T, T, H, H) if full else (T, T))
    steps = np.arange(T)
    G = dH
    for j in range(T):
        da = G * fprime[: T - j]
        piece = np.einsum("kbi,kbj->kij", da, H_prev[: T - j])   # C[k + j, k] for k = 0..T-1-j
        if full:
            out[steps[j:], steps[: T - j]] = piece
        else:
            out[steps[j:], steps[: T - j]] = np.sqrt(np.einsum("kij,kij->k", piece, piece))
        G = (da @ cache.W_hh)[1:]
    return out


def loss_and_grads(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    loss: str = "xent",
    mask: np.ndarray | None = None,
    h_init: np.ndarray | None = None,
    nonlinearity: str = "tanh",
    truncate: int | None = None,
) -> tuple[float, Params, np.ndarray]:
    """Forward, loss and BPTT in one call: what a training step needs.

    Inputs: params; X (T, B, D); Y (T, B, O) for loss='mse' or (T, B) classes for 'xent';
    mask (T,) or (T, B) marking steps with a target; h_init (B, H) or None;
    truncate: None for full BPTT, or the window K >= 1 of ``rnnlib.bptt.truncated_bptt``.
    Returns: Loss, its gradient as Params, and dLoss/dh_init (B, H).
    """
    check_choice("loss", loss, LOSSES)
    if truncate is not None:
        truncate = check_positive_int("truncate", truncate)
    Hs, cache = rnn_forward(X, params, h_init, nonlinearity)
    value, dH, dW_hy, db_y = output_loss(Hs, params.W_hy, params.b_y, Y, loss, mask)
    if truncate is None:
        _, dh_init, dW_xh, dW_hh, db_h = rnn_backward(dH, cache)
    else:
        _, dh_init, dW_xh, dW_hh, db_h = truncated_bptt(dH, cache, truncate)
    return value, Params(dW_xh, dW_hh, db_h, dW_hy, db_y), dh_init
