"""Reference solutions of notebook 02's exercises, printed only by ``ex02.solution(key)``.

Written as a learner writes them in notebook 02, whose namespace has np and rnnlib: printed, they run there as
they are (a test executes the printed source in such a namespace). Kept in this private module so that no
public name of ``ex02`` holds an answer.
"""

import numpy as np

import rnnlib


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
