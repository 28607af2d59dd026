"""Truncated BPTT, chunked BPTT and the contribution matrix against their definitions."""

import numpy as np
import pytest
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


@pytest.mark.parametrize("nonlinearity", rnnlib.NONLINEARITIES)
@pytest.mark.parametrize("K", [1, 2, 6])
def test_truncated_bptt_by_brute_force(nonlinearity, K):
    T = 7
    dH, cache = _setup(5, T, nonlinearity=nonlinearity)
    truncated = rnnlib.truncated_bptt(dH, cache, K)
    # one loss term at a time: full BPTT of that term, cut after K steps back
    fprime = rnnlib.derivative_from_output(cache.H, nonlinearity)
    H_prev = np.concatenate([cache.h_init[None], cache.H[:-1]])
    want = [np.zeros_like(cache.X), np.zeros_like(cache.h_init), np.zeros_like(cache.W_xh),
            np.zeros_like(cache.W_hh), np.zeros_like(cache.b_h)]
    for t in range(T):
        g = dH[t]
        for k in range(t, max(t - K, 0) - 1, -1):
            da = g * fprime[k]
            want[0][k] += da @ cache.W_xh
            want[2] += da.T @ cache.X[k]
            want[3] += da.T @ H_prev[k]
            want[4] += da.sum(axis=0)
            g = da @ cache.W_hh
            if k == 0 and t - k < K:
                want[1] += g
    for got, expected in zip(truncated, want):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_truncation_one_step_short_of_T_drops_only_the_longest_path():
    T = 6
    dH, cache = _setup(9, T)
    full = rnnlib.rnn_backward(dH, cache)
    truncated = rnnlib.truncated_bptt(dH, cache, T - 1)       # runs the lag loop, not rnn_backward
    for i in (0, 2, 3, 4):                                     # dX and the weights: every path is within T - 1
        np.testing.assert_allclose(truncated[i], full[i], rtol=1e-12, atol=1e-14)
    g = dH[T - 1]                                              # the one path of T steps: l_{T-1} back to h_init
    for k in range(T - 1, -1, -1):
        g = (g * (1 - cache.H[k] ** 2)) @ cache.W_hh
    np.testing.assert_allclose(truncated[1], full[1] - g, rtol=1e-12, atol=1e-14)
    assert rnnlib.rel_error(truncated[1], full[1]) > 1e-6


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


@pytest.mark.parametrize("nonlinearity", rnnlib.NONLINEARITIES)
def test_chunked_bptt_matches_independent_blocks(nonlinearity):
    T, K = 8, 3
    dH, cache = _setup(13, T, nonlinearity=nonlinearity)
    chunked = rnnlib.chunked_bptt(dH, cache, K)
    dX, weights = [], [0.0, 0.0, 0.0]
    for start in range(0, T, K):
        stop = min(start + K, T)
        h_init = cache.h_init if start == 0 else cache.H[start - 1]
        block = cache._replace(X=cache.X[start:stop], H=cache.H[start:stop], h_init=h_init)
        out = rnnlib.rnn_backward(dH[start:stop], block)
        dX.append(out[0])
        weights = [w + o for w, o in zip(weights, out[2:])]
        if start == 0:
            dh_init = out[1]                                # only the first block reaches h_init
    np.testing.assert_allclose(chunked[0], np.concatenate(dX), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(chunked[1], dh_init, rtol=1e-12, atol=1e-14)
    for got, want in zip(chunked[2:], weights):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
