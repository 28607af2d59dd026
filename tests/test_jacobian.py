"""Log-space Jacobian products against direct products, and at the extremes."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnnlib
from rnnlib import init


def _direct(W_hh, log_fprime):
    """||d h_{T-1} / d h_{T-1-j}||_2 for j = 0..T by plain matrix products (small cases only)."""
    T, H = log_fprime.shape
    M = np.eye(H)
    out = [np.linalg.norm(M, 2)]
    for k in range(T - 1, -1, -1):
        M = M @ (np.exp(log_fprime[k])[:, None] * W_hh)
        out.append(np.linalg.norm(M, 2))
    return np.log10(out)


@given(st.integers(0, 2**31 - 1), st.integers(1, 30), st.integers(1, 6), st.sampled_from(rnnlib.NONLINEARITIES),
       st.floats(0.2, 3.0))
def test_log_space_products_match_direct_products(seed, T, H, nonlinearity, sigma):
    rng = np.random.default_rng(seed)
    W = init.with_spectral_norm(rng.normal(size=(H, H)), sigma)
    lf = rnnlib.forward_log_derivatives(W, rng.normal(size=(T, H)), nonlinearity)
    got = rnnlib.jacobian_log10_norms(W, lf)
    np.testing.assert_allclose(got, _direct(W, lf), rtol=1e-9, atol=1e-9)


def test_forward_and_cache_log_derivatives_agree():
    rng = np.random.default_rng(3)
    params = rnnlib.init_params(2, 5, 2, rng)
    X = rng.normal(size=(9, 1, 2))
    _, cache = rnnlib.rnn_forward(X, params)
    U = X[:, 0] @ params.W_xh.T + params.b_h
    np.testing.assert_allclose(rnnlib.cache_log_derivatives(cache), rnnlib.forward_log_derivatives(params.W_hh, U),
                               rtol=1e-12, atol=1e-12)


def test_influence_matches_direct_products():
    rng = np.random.default_rng(4)
    W = rng.normal(size=(4, 4)) / 2
    W_xh = rng.normal(size=(4, 3))
    lf = rnnlib.forward_log_derivatives(W, rng.normal(size=(12, 4)))
    J = [np.exp(lf[t])[:, None] * W for t in range(12)]
    N = np.exp(lf[0])[:, None] * W_xh
    want = [np.linalg.norm(N, 2)]
    for t in range(1, 12):
        N = J[t] @ N
        want.append(np.linalg.norm(N, 2))
    np.testing.assert_allclose(rnnlib.influence_log10_norms(W, lf, W_xh), np.log10(want), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("nonlinearity", rnnlib.NONLINEARITIES)
@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0])
def test_extremes_are_finite_without_warnings(nonlinearity, scale):
    rng = np.random.default_rng(5)
    T = 10_000
    W = init.orthogonal(3, rng, gain=scale)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lf = rnnlib.forward_log_derivatives(W, 3.0 * rng.normal(size=(T, 3)), nonlinearity)
        back = rnnlib.jacobian_log10_norms(W, lf)
        forward = rnnlib.influence_log10_norms(W, lf)
        scalar = rnnlib.scalar_log10_jacobian(scale, lf[:, 0])
    for values in (back, forward, scalar):
        assert np.all(np.isfinite(values))
    if nonlinearity == "linear":  # an orthogonal matrix times a gain: exactly gain ** lag
        np.testing.assert_allclose(back, np.arange(T + 1) * np.log10(scale), rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(scalar, np.arange(T + 1) * np.log10(scale), rtol=1e-12, atol=1e-9)


def test_scalar_closed_form_and_zero_weight():
    lf = rnnlib.log_derivative(np.array([0.3, -1.0, 2.0]), "tanh")
    got = rnnlib.scalar_log10_jacobian(0.8, lf)
    want = [0.0, np.log10(0.8 * np.exp(lf[2])), np.log10(0.8**2 * np.exp(lf[2] + lf[1])),
            np.log10(0.8**3 * np.exp(lf.sum()))]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zero = rnnlib.scalar_log10_jacobian(0.0, lf)
    assert zero[0] == 0.0 and np.all(zero[1:] == -np.inf)


def test_nilpotent_matrix_gives_minus_infinity_without_warnings():
    W = np.array([[0.0, 1.0], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = rnnlib.jacobian_log10_norms(W, np.zeros((4, 2)))
    assert out[0] == 0.0 and out[1] == 0.0 and np.all(out[2:] == -np.inf)


def test_log_derivative_matches_the_derivative_where_representable():
    a = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(np.exp(rnnlib.log_derivative(a, "tanh")), 1 / np.cosh(a) ** 2, rtol=1e-9)
    sigmoid_prime = np.exp(-np.abs(a)) / (1 + np.exp(-np.abs(a))) ** 2
    np.testing.assert_allclose(np.exp(rnnlib.log_derivative(a, "sigmoid")), sigmoid_prime, rtol=1e-9)
    assert np.all(np.isfinite(rnnlib.log_derivative(np.array([-1e6, 1e6]), "tanh")))


def test_spectral_helpers_and_pascanu_bound_hold():
    rng = np.random.default_rng(6)
    W = init.nonnormal(6, rng, radius=0.9, shear=3.0)
    assert rnnlib.spectral_radius(W) == pytest.approx(0.9)
    assert rnnlib.spectral_norm(W) > 1.0 > rnnlib.spectral_radius(W)
    np.testing.assert_allclose(rnnlib.spectral_norm(W), np.linalg.norm(W, 2), rtol=1e-12)
    np.testing.assert_allclose(rnnlib.singular_values(W), np.linalg.svd(W, compute_uv=False), rtol=1e-12)
    for nonlinearity in rnnlib.NONLINEARITIES:
        lf = rnnlib.forward_log_derivatives(W, rng.normal(size=(40, 6)), nonlinearity)
        norms = rnnlib.jacobian_log10_norms(W, lf)
        bound = rnnlib.pascanu_log10_bound(W, np.arange(41), nonlinearity)
        assert np.all(norms <= bound + 1e-9)
    sigmoid_rate = np.log10(rnnlib.spectral_norm(W) / 4)
    assert rnnlib.pascanu_log10_bound(W, [0, 2], "sigmoid")[1] == pytest.approx(2 * sigmoid_rate)


def test_pascanu_bound_of_a_zero_matrix_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bound = rnnlib.pascanu_log10_bound(np.zeros((3, 3)), np.arange(4))
    assert bound[0] == 0.0 and np.all(bound[1:] == -np.inf)


def test_a_zero_first_factor_gives_minus_infinity_without_warnings():
    lf = np.zeros((5, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_input = rnnlib.influence_log10_norms(np.eye(3), lf, W_xh=np.zeros((3, 2)))
        from_state = rnnlib.influence_log10_norms(np.zeros((3, 3)), lf)
        one_step = rnnlib.influence_log10_norms(np.zeros((3, 3)), lf[:1])
    assert np.all(from_input == -np.inf) and np.all(from_state == -np.inf) and one_step.shape == (1,)


def test_frobenius_norms_and_influence_from_the_initial_state_match_direct_products():
    rng = np.random.default_rng(8)
    W = rng.normal(size=(4, 4)) / 2
    lf = rnnlib.forward_log_derivatives(W, rng.normal(size=(9, 4)))
    J = [np.exp(lf[t])[:, None] * W for t in range(9)]
    M, back = np.eye(4), [np.linalg.norm(np.eye(4))]
    for t in range(8, -1, -1):
        M = M @ J[t]
        back.append(np.linalg.norm(M))
    np.testing.assert_allclose(rnnlib.jacobian_log10_norms(W, lf, ord="fro"), np.log10(back), rtol=1e-10)
    N, forward = J[0], [np.linalg.norm(J[0], 2)]
    for t in range(1, 9):
        N = J[t] @ N
        forward.append(np.linalg.norm(N, 2))
    np.testing.assert_allclose(rnnlib.influence_log10_norms(W, lf), np.log10(forward), rtol=1e-10)


def test_log_derivative_of_huge_preactivations_is_finite():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in rnnlib.NONLINEARITIES:
            assert np.all(np.isfinite(rnnlib.log_derivative(np.array([-1.7e308, 1.7e308]), name)))


def test_product_of_given_jacobians_matches_the_rnn_chain():
    rng = np.random.default_rng(9)
    W = rng.normal(size=(5, 5)) / 2
    lf = rnnlib.forward_log_derivatives(W, rng.normal(size=(30, 5)))
    J = np.exp(lf)[:, :, None] * W                      # J[t] = diag(f'(a_t)) W_hh
    from rnnlib.jacobian import product_log10_norms
    for ord in (2, "fro"):
        np.testing.assert_allclose(product_log10_norms(J, ord), rnnlib.jacobian_log10_norms(W, lf, ord),
                                   rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("ord", [2, "fro"])
def test_every_nth_norm_is_the_full_norm_at_its_lags(ord):
    # the matrix explorer's shortcut: the same products, the norm taken at every 7th lag and the last only
    rng = np.random.default_rng(5)
    W, lf = 1.7 * rng.normal(size=(6, 6)) / np.sqrt(6), -np.abs(rng.normal(size=(50, 6)))
    full = rnnlib.jacobian_log10_norms(W, lf, ord)
    part = rnnlib.jacobian_log10_norms(W, lf, ord, every=7)
    shown = ~np.isnan(part)
    assert np.flatnonzero(shown).tolist() == [*range(0, 51, 7), 50]
    np.testing.assert_array_equal(part[shown], full[shown])
    nil = np.diag([1.0, 1.0], 1)                                 # nilpotent: -inf from the third product on
    np.testing.assert_array_equal(rnnlib.jacobian_log10_norms(nil, np.zeros((6, 3)), every=4),
                                  [0.0, np.nan, np.nan, -np.inf, -np.inf, -np.inf, -np.inf])


@pytest.mark.parametrize("with_input", [False, True])
def test_influence_renormalises_log_entries_spread_past_the_exponent_range(with_input):
    # one step's ln f' entries 800 apart (beyond float64's range: e^709 overflows, e^-745 is 0): only dividing
    # each step by its largest entry keeps the product finite. The exact answer is known: with lf[t] = (L_t, L_t - 800)
    # every factor is e^{L_t} diag(1, e^-800) W = e^{L_t} diag(1, 0) W to float64, so the log-norm is
    # sum of L_t / ln 10 plus the log-norm of a product of diag(1, 0) W, which stays of order one
    rng = np.random.default_rng(5)
    W = rng.normal(size=(2, 2))
    W_xh = rng.normal(size=(2, 3))
    T = 8
    L = rng.uniform(-300.0, 900.0, T)
    lf = np.stack([L, L - 800.0], axis=1)
    for flip in (False, True):                     # the largest entry first or second
        lf_t = lf[:, ::-1] if flip else lf
        P = np.diag([0.0, 1.0] if flip else [1.0, 0.0])
        N = P @ (W_xh if with_input else W)
        want = [np.log10(np.linalg.norm(N, 2)) + L[0] / np.log(10.0)]
        for t in range(1, T):
            N = P @ W @ N
            want.append(np.log10(np.linalg.norm(N, 2)) + L[: t + 1].sum() / np.log(10.0))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = rnnlib.influence_log10_norms(W, lf_t, W_xh if with_input else None)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
        # and the same renormalisation in the backward chain, d h_T / d h_{T-j}
        M, back = np.eye(2), [0.0]
        for k in range(T - 1, -1, -1):
            M = M @ P @ W
            back.append(np.log10(np.linalg.norm(M, 2)) + L[k:].sum() / np.log(10.0))
        np.testing.assert_allclose(rnnlib.jacobian_log10_norms(W, lf_t), back, rtol=1e-12, atol=1e-9)
