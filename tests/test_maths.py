"""Unit tests that notice a wrong formula: each pins a value the maths fixes, computed independently.

Written against the survivors of a mutation run (``make mutation``): a size read off the wrong axis,
a later buffer of the log-space chain written to the wrong place, an off-by-one peak, another input
stream, a scale divided instead of multiplied.
"""

import numpy as np
import pytest

import rnnlib
from rnnlib import curves, gated, init, jacobian, train
from rnnlib.activations import activate


def test_sizes_read_each_axis():
    p = rnnlib.init_params(3, 5, 2, np.random.default_rng(0))
    assert p.sizes == (3, 5, 2)
    assert gated.init_gated_params(3, 5, 2, np.random.default_rng(0)).sizes == (3, 5, 2)
    assert p.W_hy.shape == (2, 5) and p.W_xh.shape == (5, 3)


@pytest.mark.parametrize("T", [1, 255, 256, 257, 600])
def test_log_space_chain_is_exact_across_buffers(T):
    """||(g Q)^j||_2 = g^j for an orthogonal Q: every lag, in every 256-step buffer, on the exact line."""
    g = 0.99
    W = init.orthogonal(4, np.random.default_rng(1), gain=g)
    want = np.arange(T + 1) * np.log10(g)
    got = jacobian.jacobian_log10_norms(W, np.zeros((T, 4)))
    assert got.shape == (T + 1,)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    J = np.broadcast_to(W, (T, 4, 4))
    np.testing.assert_allclose(jacobian.product_log10_norms(J), want, rtol=0, atol=1e-9)
    infl = jacobian.influence_log10_norms(W, np.zeros((T, 4)))
    np.testing.assert_allclose(infl, want[1:], rtol=0, atol=1e-9)     # dh_t/dh_init = W^(t+1)
    fro = jacobian.jacobian_log10_norms(W, np.zeros((T, 4)), ord="fro")
    np.testing.assert_allclose(fro, want + np.log10(2.0), rtol=0, atol=1e-9)   # ||Q||_F = sqrt(4)


def test_log_space_chain_reads_each_steps_derivative_in_order():
    """A diagonal chain: ||prod_j diag(f'_j) w||_2 = max_i prod_j w f'_{j,i}, summed from the last step back."""
    rng = np.random.default_rng(2)
    T, H, w = 300, 3, 1.3
    lf = -np.abs(rng.normal(size=(T, H)))
    got = jacobian.jacobian_log10_norms(w * np.eye(H), lf)
    back = np.cumsum(lf[::-1], axis=0)                         # sum over the last j steps, per unit
    want = np.concatenate([[0.0], (np.max(back, axis=1) + np.arange(1, T + 1) * np.log(w)) / np.log(10)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    forward = np.cumsum(lf[1:], axis=0)
    want_infl = (np.max(np.vstack([lf[:1], lf[:1] + forward]), axis=1) + np.arange(1, T + 1) * np.log(w)) / np.log(10)
    np.testing.assert_allclose(jacobian.influence_log10_norms(w * np.eye(H), lf), want_infl, rtol=0, atol=1e-9)


def test_log_space_chain_of_a_nilpotent_matrix():
    W = np.diag(np.ones(3), k=1)                     # 4 x 4 shift: W^4 = 0
    got = jacobian.jacobian_log10_norms(W, np.zeros((6, 4)))
    np.testing.assert_array_equal(got, [0, 0, 0, 0, -np.inf, -np.inf, -np.inf])


def test_forward_log_derivatives_follow_the_recurrence():
    rng = np.random.default_rng(3)
    W, U, h0 = 0.8 * rng.normal(size=(3, 3)), rng.normal(size=(5, 3)), rng.normal(size=3)
    h, want = h0, []
    for u in U:
        a = u + W @ h
        h = np.tanh(a)
        want.append(np.log(1 - np.tanh(a) ** 2))
    np.testing.assert_allclose(jacobian.forward_log_derivatives(W, U, "tanh", h0), want, rtol=1e-12)
    s = 1 / (1 + np.exp(-U[0]))
    np.testing.assert_allclose(jacobian.forward_log_derivatives(W, U, "sigmoid")[0], np.log(s * (1 - s)), rtol=1e-12)


def test_scalar_jacobian_and_bound_by_hand():
    lf = np.log([0.5, 0.25, 0.8])
    got = jacobian.scalar_log10_jacobian(-2.0, lf)
    want = [1, 2 * 0.8, 2 * 0.8 * 2 * 0.25, 2 * 0.8 * 2 * 0.25 * 2 * 0.5]     # |w f'| over the last j steps
    np.testing.assert_allclose(got, np.log10(want), atol=1e-12)
    W = np.diag([3.0, -0.5])
    np.testing.assert_allclose(jacobian.pascanu_log10_bound(W, [0, 1, 4], "sigmoid"),
                               [0, np.log10(0.75), 4 * np.log10(0.75)], atol=1e-12)
    assert jacobian.spectral_radius(np.array([[0.0, 4.0], [1.0, 0.0]])) == pytest.approx(2.0)
    assert jacobian.spectral_norm(np.array([[0.0, 4.0], [1.0, 0.0]])) == pytest.approx(4.0)


def test_matrix_inputs_stream_and_prefix():
    block = np.random.default_rng(7 + 1).standard_normal((300, 64))
    np.testing.assert_array_equal(curves.matrix_inputs(5, 3, seed=7), block[:5, :3])
    np.testing.assert_array_equal(curves.matrix_inputs(300, 64, seed=7), block)
    np.testing.assert_array_equal(curves.matrix_inputs(400, 70, seed=7),
                                  np.random.default_rng(8).standard_normal((400, 70)))
    np.testing.assert_array_equal(curves.scalar_inputs(4, seed=7), np.random.default_rng(7).standard_normal(300)[:4])


@pytest.mark.parametrize("panel", curves.STATIC_MATRIX_PANELS)
def test_matrix_curves_by_hand(panel):
    c = curves.matrix_curves(**panel)
    T, H, s = panel.get("T", 100), 32, 1.0
    W = panel["sigma_max"] * curves.recurrent_matrix(panel["kind"], H, 0)
    lf = jacobian.forward_log_derivatives(W, s * curves.matrix_inputs(T, H, 0), panel["nonlinearity"])
    norms = jacobian.jacobian_log10_norms(W, lf)
    np.testing.assert_array_equal(c.log10_norms, norms)
    j = int(np.argmax(norms[1:])) + 1
    assert (c.peak_lag, c.peak, c.final) == (j, norms[j], norms[-1])
    assert c.sigma_max == pytest.approx(panel["sigma_max"], rel=1e-12)
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    assert c.rho == pytest.approx(rho, rel=1e-12)
    gamma = {"tanh": 1.0, "sigmoid": 0.25, "linear": 1.0}[panel["nonlinearity"]]
    np.testing.assert_allclose(c.bound, np.arange(T + 1) * np.log10(gamma * panel["sigma_max"]), atol=1e-9)
    np.testing.assert_allclose(c.radius_line, np.arange(T + 1) * np.log10(rho), atol=1e-9)
    assert c.guaranteed == (gamma * panel["sigma_max"] < 1)
    assert c.regime == ("vanishing" if c.final < -1 else "exploding" if c.final > 1 else "stable")
    assert f"lag {j}" in c.readout or not (rho < 1 and c.peak > np.log10(2))


def test_matrix_curves_reuse_a_base_and_scale_inputs():
    base = curves.recurrent_matrix("orthogonal", 8, 3)
    a = curves.matrix_curves(1.2, "orthogonal", H=8, T=20, seed=3, input_scale=0.5)
    b = curves.matrix_curves(1.2, "orthogonal", H=8, T=20, seed=3, input_scale=0.5, base=base)
    np.testing.assert_array_equal(a.log10_norms, b.log10_norms)
    lf = jacobian.forward_log_derivatives(1.2 * base, 0.5 * curves.matrix_inputs(20, 8, 3), "tanh")
    np.testing.assert_array_equal(a.log10_norms, jacobian.jacobian_log10_norms(1.2 * base, lf))
    assert np.linalg.svd(base, compute_uv=False)[0] == pytest.approx(1.0)


def _unit(w, s, b, x, nonlinearity):
    h, hs, a_s = 0.0, [], []
    for xt in x:
        a = w * h + s * xt + b
        h = float(activate(np.array(a), nonlinearity))
        a_s.append(a)
        hs.append(h)
    return np.array(hs), np.array(a_s)


@pytest.mark.parametrize("nonlinearity, w, s, b", [("tanh", 0.9, 0.5, 0.1), ("linear", 1.1, 2.0, -0.3),
                                                   ("sigmoid", 1.5, 0.2, 0.0)])
def test_scalar_and_contribution_curves_by_hand(nonlinearity, w, s, b):
    T = 12
    x = curves.scalar_inputs(T, 0)
    hs, a_s = _unit(w, s, b, x, nonlinearity)
    fp = {"tanh": 1 - hs**2, "sigmoid": hs * (1 - hs), "linear": np.ones(T)}[nonlinearity]
    sc = curves.scalar_curves(w, T, nonlinearity, s, b)
    jac = np.concatenate([[1.0], np.cumprod((w * fp)[::-1])])          # dh_T/dh_{T-j}
    np.testing.assert_allclose(sc.log10_jacobian, np.log10(np.abs(jac)), atol=1e-10)
    np.testing.assert_allclose(sc.reference, np.arange(T + 1) * np.log10(abs(w)), atol=1e-12)
    assert sc.final == pytest.approx(np.log10(abs(jac[-1])), abs=1e-10)
    assert sc.factor == pytest.approx(abs(jac[-1]) ** (1 / T), rel=1e-9)
    cc = curves.contribution_curves(w, T, nonlinearity, s, b)
    eps = 1e-6
    fd = (_unit(w + eps, s, b, x, nonlinearity)[0][-1] - _unit(w - eps, s, b, x, nonlinearity)[0][-1]) / (2 * eps)
    assert cc.gradient == pytest.approx(fd, rel=1e-6)                  # dl_T/dw with l_T = h_T
    h_prev = np.concatenate([[0.0], hs[:-1]])
    pieces = np.array([abs(np.prod((w * fp)[k + 1:]) * fp[k] * h_prev[k]) for k in range(T)])[::-1]   # by lag
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(cc.log10_contrib, np.log10(pieces), atol=1e-9)
    assert cc.recent_share == pytest.approx(pieces[:10].sum() / pieces.sum(), rel=1e-9)
    assert cc.reach == int(np.flatnonzero(pieces >= 0.01 * pieces.max())[-1])


def test_clipping_and_steps_by_hand():
    g = train.clip_by_norm(rnnlib.Params(*(np.full(s, 2.0) for s in [(1, 1)] * 5)), 1.0)
    assert g[1] == pytest.approx(np.sqrt(5 * 4.0))
    assert all(np.allclose(a, 2.0 / np.sqrt(20.0)) for a in g[0])
    p = rnnlib.Params(*(np.full((1, 1), 1.0) for _ in range(5)))
    assert all(np.allclose(a, 0.8) for a in train.sgd_step(p, p, 0.2))
    new, state = train.adam_step(p, p, train.adam_init(p), lr=0.1)
    assert all(np.allclose(a, 1.0 - 0.1 / (1 + 1e-8)) for a in new)    # first Adam step: lr * sign(g)
    assert state.step == 1 and all(np.allclose(m, 0.1) for m in state.m) and all(np.allclose(v, 0.001) for v in state.v)
    new2, state2 = train.adam_step(new, p, state, lr=0.1, beta1=0.5, beta2=0.5)
    m, v = 0.5 * 0.1 + 0.5, 0.5 * 0.001 + 0.5
    want = new[0][0, 0] - 0.1 * (m / (1 - 0.25)) / (np.sqrt(v / (1 - 0.25)) + 1e-8)
    assert new2[0][0, 0] == pytest.approx(want, rel=1e-12) and state2.step == 2
    assert train.clipped_fraction(np.array([0.5, 1.0, 1.5, 3.0]), 1.0) == 0.5
    assert train.global_norm(p) == pytest.approx(np.sqrt(5.0))
    huge = rnnlib.Params(*(np.full((1, 1), 1e200) for _ in range(5)))
    assert train.global_norm(huge) == pytest.approx(np.sqrt(5.0) * 1e200)
    assert train.cosine(huge, p) == pytest.approx(1.0)
