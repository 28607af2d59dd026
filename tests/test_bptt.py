"""Truncated BPTT, chunked BPTT and the contribution matrix against their definitions."""

import numpy as np
from helpers import problem
from hypothesis import given
from hypothesis import strategies as st

import rnnlib


def _setup(seed, T, B=2, D=3, H=4, nonlinearity="tanh"):
    params, X, _, _, h_init = problem(seed, T, B, D, H, 2, loss="mse")
    Hs, cache = rnnlib.rnn_forward(X, params, h_init, nonlinearity)
    dH = np.random.default_rng(seed + 1).normal(size=Hs.shape)
    return dH, cache


@given(st.integers(0, 2**31 - 1), st.integers(1, 8), st.sampled_from(rnnlib.NONLINEARITIES))
def test_contributions_sum_to_the_full_gradient(seed, T, nonlinearity):
    dH, cache = _setup(seed, T, nonlinearity=nonlinearity)
    C = rnnlib.contributions(dH, cache, full=True)
    full = rnnlib.rnn_backward(dH, cache)[3]
    assert rnnlib.rel_error(C.sum(axis=(0, 1)), full) <= 1e-10
    t, k = np.indices((T, T))
    assert np.all(C[k > t] == 0)                              # no path from a loss to a later state
    norms = rnnlib.contributions(dH, cache)
    np.testing.assert_allclose(norms, np.sqrt((C**2).sum(axis=(2, 3))), rtol=1e-12, atol=1e-300)


@given(st.integers(0, 2**31 - 1), st.integers(2, 8), st.integers(1, 9))
def test_truncated_bptt_is_the_sum_of_paths_at_most_K_back(seed, T, K):
    dH, cache = _setup(seed, T)
    C = rnnlib.contributions(dH, cache, full=True)
    t, k = np.indices((T, T))
    window = ((t - k <= K) & (k <= t))[:, :, None, None]
    truncated = rnnlib.truncated_bptt(dH, cache, K)
    assert rnnlib.rel_error(truncated[3], (C * window).sum(axis=(0, 1))) <= 1e-10


def test_truncated_input_and_state_gradients_by_brute_force():
    T, K = 7, 2
    dH, cache = _setup(5, T)
    truncated = rnnlib.truncated_bptt(dH, cache, K)
    # one loss term at a time: full BPTT of that term, cut after K steps back
    fprime = 1 - cache.H**2
    dX = np.zeros_like(cache.X)
    dh_init = np.zeros_like(cache.h_init)
    for t in range(T):
        g = dH[t]
        for k in range(t, max(t - K, 0) - 1, -1):
            da = g * fprime[k]
            dX[k] += da @ cache.W_xh
            g = da @ cache.W_hh
            if k == 0 and t - k < K:
                dh_init += g
    np.testing.assert_allclose(truncated[0], dX, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(truncated[1], dh_init, rtol=1e-12, atol=1e-14)


def test_truncation_K_at_least_T_equals_full_bptt_exactly():
    for T in (1, 4, 9):
        dH, cache = _setup(7, T)
        full = rnnlib.rnn_backward(dH, cache)
        for K in (T, T + 3):
            for truncated in (rnnlib.truncated_bptt(dH, cache, K), rnnlib.chunked_bptt(dH, cache, K)):
                for a, b in zip(truncated, full):
                    np.testing.assert_array_equal(a, b)


def test_truncation_bias_shrinks_to_zero_as_K_grows():
    dH, cache = _setup(11, 12, H=6)
    full = rnnlib.rnn_backward(dH, cache)[3]
    errors = [rnnlib.rel_error(rnnlib.truncated_bptt(dH, cache, K)[3], full) for K in range(1, 13)]
    assert errors[0] > 1e-3
    assert errors[-2] <= 1e-12   # K = T - 1 already holds every path of a weight gradient
    assert errors[-1] == 0.0


def test_chunked_bptt_matches_independent_blocks():
    T, K = 8, 3
    dH, cache = _setup(13, T)
    chunked = rnnlib.chunked_bptt(dH, cache, K)
    dW_hh = np.zeros_like(cache.W_hh)
    for start in range(0, T, K):
        stop = min(start + K, T)
        h_init = cache.h_init if start == 0 else cache.H[start - 1]
        block = cache._replace(X=cache.X[start:stop], H=cache.H[start:stop], h_init=h_init)
        dW_hh += rnnlib.rnn_backward(dH[start:stop], block)[3]
    np.testing.assert_allclose(chunked[3], dW_hh, rtol=1e-12)
