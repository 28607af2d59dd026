"""Unit tests that notice a wrong formula: each pins a value the maths fixes, computed independently.

Written against the survivors of a mutation run (``make mutation``): a size read off the wrong axis,
a later buffer of the log-space chain written to the wrong place, an off-by-one peak, another input
stream, a scale divided instead of multiplied.
"""

from typing import NamedTuple

import numpy as np
import pytest

import rnnlib
from rnnlib import gated, init, jacobian, tasks, train
from rnnlib.activations import activate
from rnnlib.teaching import curves


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
    assert c.sigma_max == pytest.approx(panel["sigma_max"], rel=1e-10)      # the init rounds its factor to 11 digits
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
    np.testing.assert_array_equal(sc.lags, np.arange(T + 1))
    assert f"the last 10 steps carry {100 * cc.recent_share:.1f}% of" in cc.readout and cc.recent_share < 1


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


def test_regime_edges():
    assert [curves._regime(v) for v in (-1.0001, -1.0, 0.0, 1.0, 1.0001)] == [
        "vanishing", "stable", "stable", "stable", "exploding"]


def test_scalar_curves_at_w_zero_and_one():
    sc = curves.scalar_curves(0.0, 5, "tanh", 0.5, 0.1, seed=2)
    np.testing.assert_array_equal(sc.lags, np.arange(6))
    np.testing.assert_array_equal(sc.log10_jacobian, [0.0] + [-np.inf] * 5)
    np.testing.assert_array_equal(sc.reference, [0.0] + [-np.inf] * 5)
    assert (sc.final, sc.factor, sc.regime) == (-np.inf, 0.0, "vanishing") and "w = 0" in sc.readout
    one = curves.scalar_curves(1.0, 5)                       # the linear unit at w = 1: every lag at exactly 0
    np.testing.assert_array_equal(one.log10_jacobian, np.zeros(6))
    assert (one.final, one.factor, one.regime) == (0.0, 1.0, "stable")


def test_curves_defaults_are_the_documented_ones():
    for a, b in ((curves.scalar_curves(1.1, 8), curves.scalar_curves(1.1, 8, "linear", 0.2, 0.0, 0)),
                 (curves.contribution_curves(1.1, 8), curves.contribution_curves(1.1, 8, "linear", 0.2, 0.0, 0))):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(curves.matrix_inputs(5, 3), curves.matrix_inputs(5, 3, 0))
    np.testing.assert_array_equal(curves.recurrent_matrix("gaussian", 4), curves.recurrent_matrix("gaussian", 4, 0))


@pytest.mark.parametrize("kind", curves.MATRIX_KINDS)
def test_recurrent_matrix_by_kind(kind):
    rng = np.random.default_rng(5)
    W = {"gaussian": lambda: init.gaussian(6, rng), "orthogonal": lambda: init.orthogonal(6, rng),
         "non-normal": lambda: init.nonnormal(6, rng, radius=0.9, shear=1.0)}[kind]()
    np.testing.assert_allclose(curves.recurrent_matrix(kind, 6, 5), W / np.linalg.norm(W, 2), rtol=1e-10)


@pytest.mark.parametrize("seed", [0, 3])
def test_scalar_and_contribution_curves_follow_the_seed(seed):
    T, w, s, b = 10, 0.9, 0.5, 0.1
    x = curves.scalar_inputs(T, seed)
    hs, _ = _unit(w, s, b, x, "tanh")
    jac = np.concatenate([[1.0], np.cumprod((w * (1 - hs**2))[::-1])])
    sc = curves.scalar_curves(w, T, "tanh", s, b, seed)
    np.testing.assert_allclose(sc.log10_jacobian, np.log10(jac), atol=1e-10)
    assert sc.readout.startswith(f"{sc.regime}: |∂h_T/∂h_0| = 10^{sc.final:+.1f} after T = {T} steps")
    cc = curves.contribution_curves(w, T, "tanh", s, b, seed)
    np.testing.assert_array_equal(cc.lags, np.arange(T))
    np.testing.assert_array_equal(cc.log10_jacobian, sc.log10_jacobian[:T])
    h_prev = np.concatenate([[0.0], hs[:-1]])
    pieces = np.array([abs(jac[T - 1 - k] * (1 - hs[k] ** 2) * h_prev[k]) for k in range(T)])[::-1]
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(cc.log10_contrib, np.log10(pieces), atol=1e-9)
    assert f"carry {100 * cc.recent_share:.1f}% of" in cc.readout
    assert f"back to lag {cc.reach} (of {T - 1})" in cc.readout


def test_contribution_curves_without_any_input():
    cc = curves.contribution_curves(0.9, 6, "tanh", input_scale=0.0, bias=0.0)
    sc = curves.scalar_curves(0.9, 6, "tanh", 0.0, 0.0)
    np.testing.assert_array_equal(cc.lags, np.arange(6))
    np.testing.assert_array_equal(cc.log10_contrib, np.full(6, -np.inf))
    np.testing.assert_array_equal(cc.log10_jacobian, sc.log10_jacobian[:6])
    assert (cc.gradient, cc.recent_share, cc.reach, cc.regime) == (0.0, 0.0, -1, sc.regime)
    assert cc.readout.startswith("every contribution is 0")


def test_matrix_curves_of_a_nilpotent_matrix():
    """rho = 0: the radius line is -inf past lag 0, the norms reach -inf, the peak is read among the finite ones."""
    c = curves.matrix_curves(1.5, H=4, T=8, nonlinearity="linear", base=np.diag(np.ones(3), k=1))
    want = [0.0, *(np.arange(1, 4) * np.log10(1.5)), *[-np.inf] * 5]
    np.testing.assert_allclose(c.log10_norms, want, atol=1e-12)
    np.testing.assert_array_equal(c.radius_line, [0.0] + [-np.inf] * 8)
    assert c.rho == 0.0 and c.peak_lag == 3 and c.peak == pytest.approx(3 * np.log10(1.5)) and c.final == -np.inf
    assert c.regime == "vanishing" and "transient growth to 10^+0.5 at lag 3" in c.readout
    lines = c.readout.splitlines()
    assert lines[0] == f"σ_max = 1.50, spectral radius ρ = 0.00, γ = 1: γ σ_max = {1.5:.3f}"
    assert lines[2].startswith("measured: ‖∂h_T/∂h_0‖ = 10^-inf (vanishing); transient growth")
    np.testing.assert_array_equal(c.lags, np.arange(9))


def test_matrix_curves_readout_at_the_edges():
    jordan = curves.matrix_curves(1.0, H=2, T=10, nonlinearity="linear", base=np.array([[1.0, 5.0], [0.0, 1.0]]))
    assert jordan.rho == 1.0 and jordan.peak > 1.0 and "transient" not in jordan.readout    # growth, but rho = 1
    edge = curves.matrix_curves(1.0, H=4, T=10, nonlinearity="tanh", base=np.eye(4))
    assert edge.sigma_max == 1.0 and not edge.guaranteed and "not below 1" in edge.readout  # gamma sigma = 1
    exploding = curves.matrix_curves(2.0, "orthogonal", H=8, T=20, nonlinearity="linear")
    assert exploding.rho > 1 and exploding.peak > 1 and "transient" not in exploding.readout
    for c in (jordan, edge, exploding):
        lines = c.readout.splitlines()
        assert len(lines) == 3 and lines[2].startswith(f"measured: ‖∂h_T/∂h_0‖ = 10^{c.final:+.1f} ({c.regime})")


def test_matrix_curves_bound_uses_gamma():
    c = curves.matrix_curves(3.0, "gaussian", H=6, T=10, nonlinearity="sigmoid", seed=2)
    np.testing.assert_allclose(c.bound, np.arange(11) * np.log10(0.25 * c.sigma_max), atol=1e-9)
    assert c.gamma == 0.25 and c.guaranteed == (0.25 * c.sigma_max < 1)


def test_step_backward_matches_finite_differences():
    rng = np.random.default_rng(11)
    x, h_prev = rng.normal(size=(3, 4)), rng.normal(size=(3, 5))
    W_xh, W_hh, b_h = rng.normal(size=(5, 4)) * 0.5, rng.normal(size=(5, 5)) * 0.5, rng.normal(size=5)
    dh = rng.normal(size=(3, 5))

    def loss():
        return float(np.sum(dh * rnnlib.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)[0]))

    grads = rnnlib.rnn_step_backward(dh, rnnlib.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)[1])
    for arr, g in zip((x, h_prev, W_xh, W_hh, b_h), grads, strict=True):
        assert g.shape == arr.shape
        np.testing.assert_allclose(g, rnnlib.numerical_gradient(loss, arr, eps=1e-6), rtol=1e-6, atol=1e-8)


def _small_cache(nonlinearity="tanh", T=5, B=3):
    rng = np.random.default_rng(12)
    p = rnnlib.init_params(2, 4, 2, rng)._replace(b_h=rng.normal(size=4))
    X, h_init = rng.normal(size=(T, B, 2)), rng.normal(size=(B, 4)) * 0.5
    return p, X, h_init, rnnlib.rnn_forward(X, p, h_init, nonlinearity)


def test_chunks_of_one_state_cut_every_path_back():
    p, X, h_init, (Hs, cache) = _small_cache()
    dH = np.random.default_rng(13).normal(size=Hs.shape)
    dA = dH * (1 - Hs**2)                                      # K = 1: each loss reaches its own state only
    dX, dh_init, dW_xh, dW_hh, db_h = rnnlib.chunked_bptt(dH, cache, 1)
    H_prev = np.concatenate([h_init[None], Hs[:-1]])
    np.testing.assert_allclose(db_h, dA.sum(axis=(0, 1)), rtol=1e-12)
    np.testing.assert_allclose(dW_hh, np.einsum("tbi,tbj->ij", dA, H_prev), rtol=1e-12)
    np.testing.assert_allclose(dh_init, dA[0] @ p.W_hh, rtol=1e-12)
    np.testing.assert_allclose(dX, dA @ p.W_xh, rtol=1e-12)


def test_cache_log_derivatives_of_another_batch_element():
    p, X, h_init, (Hs, cache) = _small_cache("sigmoid")
    for b in (1, 2):
        want = jacobian.forward_log_derivatives(p.W_hh, X[:, b] @ p.W_xh.T + p.b_h, "sigmoid", h_init[b])
        np.testing.assert_allclose(jacobian.cache_log_derivatives(cache, b), want, rtol=1e-12)


def test_gated_jacobian_norms_of_another_batch_element():
    rng = np.random.default_rng(14)
    gp = gated.init_gated_params(2, 3, 2, rng)
    _, cache = gated.gated_forward(rng.normal(size=(6, 2, 2)), gp)
    for b in (0, 1):
        np.testing.assert_array_equal(gated.gated_jacobian_log10_norms(cache, b),
                                      gated.chain_log10_norms(gated.gated_jacobians(cache, b)))
    assert not np.array_equal(gated.gated_jacobian_log10_norms(cache, 1), gated.gated_jacobian_log10_norms(cache, 0))


def test_cliff_surface_refuses_exactly_beyond_its_work_limit(monkeypatch):
    from rnnlib import cliff

    monkeypatch.setattr(cliff, "MAX_SURFACE_WORK", 100)
    ws, bs = np.linspace(1, 2, 5), np.linspace(-1, 0, 4)
    assert cliff.cliff_surface(ws, bs, T=5).shape == (4, 5)               # 5 x 5 x 4 = 100: at the limit
    with pytest.raises(ValueError, match=r"\(5 steps on a 4 x 5 grid\), got T = 6"):
        cliff.cliff_surface(ws, bs, T=6)
    with pytest.raises(ValueError, match=r"\(1 steps on a 10 x 10 grid\), got T = 2"):
        cliff.cliff_surface(np.linspace(1, 2, 10), np.linspace(-1, 0, 10), T=2)


def test_descent_path_uses_its_setting_and_threshold():
    from rnnlib import cliff

    path = cliff.descent_path([5.0, -2.5], 0.1, 4, clip="norm", T=10, h0=0.2, target=0.3)
    np.testing.assert_array_equal(path.points, cliff.descent_path([5.0, -2.5], 0.1, 4, clip="norm", threshold=1.0,
                                                                  T=10, h0=0.2, target=0.3).points)
    w, b, losses = 5.0, -2.5, []
    for _ in range(4):
        loss, g = cliff.cliff_loss_and_grad(w, b, 10, 0.2, 0.3)
        losses.append(loss)
        g = np.array([g.w, g.b])
        g = g * min(1.0, 1.0 / np.linalg.norm(g))
        w, b = w - 0.1 * g[0], b - 0.1 * g[1]
    losses.append(cliff.cliff_forward(w, b, 10, 0.2, 0.3)[0])
    np.testing.assert_allclose(path.points[-1], [w, b], rtol=1e-12)
    np.testing.assert_allclose(path.loss, losses, rtol=1e-12)


def test_an_update_that_overflows_is_named_without_a_warning():
    import warnings

    p = rnnlib.Params(*(np.full((1, 1), 1e308) for _ in range(5)))
    g = rnnlib.Params(*(np.full((1, 1), -1e308) for _ in range(5)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^grads\.W_xh: .* up to 1e\+308, which overflowed params\.W_xh"):
            train.sgd_step(p, g, 10.0)


def test_cosine_names_the_zero_gradient_and_survives_huge_norms():
    p = rnnlib.Params(*(np.full((1, 1), 1.0) for _ in range(5)))
    zero = rnnlib.Params(*(np.zeros((1, 1)) for _ in range(5)))
    with pytest.raises(ValueError, match="^a: expected a non-zero gradient"):
        train.cosine(zero, p)
    with pytest.raises(ValueError, match="^b: expected a non-zero gradient"):
        train.cosine(p, zero)
    huge = rnnlib.Params(*(np.full((1, 1), 1e200) for _ in range(5)))
    tiny = rnnlib.Params(*(np.full((1, 1), 1e-200) for _ in range(5)))
    assert train.cosine(huge, huge) == pytest.approx(1.0) and train.cosine(tiny, tiny) == pytest.approx(1.0)
    assert train.cosine(huge, tiny) == pytest.approx(1.0)


def _tiny(seed=0):
    return rnnlib.Params(*(np.full(s, v) for s, v in [((1, 1), 1.0), ((1, 1), 0.5), ((1,), 0.1), ((1, 1), 2.0),
                                                        ((1,), 0.0)]))


def test_adam_defaults_and_edges_by_hand():
    p, g = _tiny(), _tiny()
    new, _ = train.adam_step(p, g, train.adam_init(p))                       # lr = 1e-2: the first step is lr sign(g)
    np.testing.assert_allclose(new.W_xh, 1.0 - 1e-2 / (1 + 1e-8 / 1.0), rtol=1e-12)
    new0, st0 = train.adam_step(p, g, train.adam_init(p), lr=0.1, beta1=0.0)   # beta1 = 0 is allowed: m = g
    np.testing.assert_array_equal(st0.m.W_hh, g.W_hh)
    for name, kw in (("beta1", dict(beta1=1.0)), ("beta2", dict(beta2=1.0)), ("beta1", dict(beta1=-0.1))):
        with pytest.raises(ValueError, match=f"^{name}: expected a decay rate"):
            train.adam_step(p, g, train.adam_init(p), **kw)
    for name in ("beta1", "beta2"):
        with pytest.raises(ValueError, match=f"^{name}: expected a finite number"):
            train.adam_step(p, g, train.adam_init(p), **{name: "0.9"})
    st = train.adam_init(p)
    with pytest.raises(ValueError, match="^state.m"):
        train.adam_step(p, g, train.adam_init(rnnlib.init_params(2, 3, 2, np.random.default_rng(0))))
    with pytest.raises(ValueError, match="^state.v: expected second moments >= 0"):
        train.adam_step(p, g, st._replace(v=st.v._replace(b_h=-np.ones(1))))
    for step in (-1, True, 1.0):
        with pytest.raises(ValueError, match="^state.step"):
            train.adam_step(p, g, st._replace(step=step))
    huge = rnnlib.Params(*(np.full(np.shape(a), 1e308) for a in p))
    with pytest.raises(ValueError, match=r"^grads\.W_xh: .*overflowed params\.W_xh"):
        train.adam_step(huge, rnnlib.Params(*(-np.ones(np.shape(a)) for a in p)), train.adam_init(p), lr=1e308)


def test_training_step_refuses_other_containers():
    p = rnnlib.init_params(4, 3, 2, np.random.default_rng(0))

    def make(r):
        return tasks.recall_task(2, 4, r, 2)

    with pytest.raises(ValueError, match="^make_batch: expected a function returning a Batch"):
        train.train(p, lambda r: list(make(r)), np.random.default_rng(0), steps=1)
    with pytest.raises(ValueError, match=r"^grad_fn: expected a function returning \(loss, grads\)"):
        train.train(p, make, np.random.default_rng(0), steps=1, grad_fn=lambda *a: list(train.vanilla_grad_fn()(*a)))
    with pytest.raises(ValueError, match="^grad_fn: expected a finite loss, got nan"):
        train.train(p, make, np.random.default_rng(0), steps=1, grad_fn=lambda *a: (np.nan, a[0]))
    with pytest.raises(ValueError, match="^grad_fn's loss: expected an array of real numbers"):
        train.train(p, make, np.random.default_rng(0), steps=1, grad_fn=lambda *a: ("x", a[0]))


def test_accuracy_refuses_labels_that_are_not_classes():
    p = rnnlib.init_params(4, 3, 2, np.random.default_rng(0))
    batch = tasks.recall_task(2, 5, np.random.default_rng(1), 2)
    last = batch.mask > 0
    for bad in (2, -1, 0.5):                                   # O = 2 classes: 2 is out of range, as are -1 and 0.5
        Y = batch.Y.astype(float)
        Y[last, 0] = bad
        with pytest.raises(ValueError, match=r"^batch.Y: expected integer classes in \[0, 2\)"):
            train.accuracy(p, batch._replace(Y=Y))
    with pytest.raises(ValueError, match="^batch.mask"):
        train.accuracy(p, batch._replace(mask=batch.mask + 1j))
    O = rnnlib.predict(p, batch.X)
    assert train.accuracy(p, batch) == np.mean(O[last].argmax(axis=-1) == batch.Y[last])


def test_check_sweep_names_each_size():
    args = dict(init_fn=lambda r: None, lags=[1], seeds=[0], steps=1, batch=1, n_symbols=2, n_test=1)
    assert train.check_sweep(**args)[3] == (1, 1, 2, 1)                         # 2 symbols and 1 test sequence: fine
    for name in ("steps", "batch", "n_symbols", "n_test"):
        with pytest.raises(ValueError, match=f"^{name}: expected a positive integer"):
            train.check_sweep(**{**args, name: 0})
    with pytest.raises(ValueError, match="^n_symbols: expected at least 2 symbols"):
        train.check_sweep(**{**args, "n_symbols": 1})
    for name, fn in (("grad_fn", 3), ("predict_fn", "f")):
        with pytest.raises(ValueError, match=f"^{name}: expected a {'GradFn' if name == 'grad_fn' else 'PredictFn'}"):
            train.lag_sweep(args["init_fn"], [1], [0], **{name: fn})


def test_lag_sweep_passes_every_setting_on():
    def init(r):
        return rnnlib.init_params(5, 4, 3, r)

    kw = dict(steps=8, batch=8, lr=0.1, clip=0.02, clip_mode="elementwise", n_symbols=3, n_test=200)
    got = train.lag_sweep(init, [4], [0, 1], **kw)
    for j, seed in enumerate([0, 1]):
        rng = np.random.default_rng(seed)
        p, _ = train.train(init(rng), lambda r: tasks.recall_task(4, 8, r, 3), rng, steps=8, lr=0.1, clip=0.02,
                           clip_mode="elementwise")
        test = tasks.recall_task(4, 200, np.random.default_rng(10_000 + seed), 3)
        assert got[0, j] == train.accuracy(p, test)
    assert not np.array_equal(got, train.lag_sweep(init, [4], [0, 1], **{**kw, "clip_mode": "norm"}))


def test_lag_sweep_defaults():
    """300 steps on batches of 64, tested on 1000 sequences of 4 symbols: the trained params are recorded."""
    def init(r):
        return rnnlib.init_params(6, 3, 4, r)

    seen = []

    def predict_fn(params, X):
        seen.append((params, X.shape))
        return rnnlib.predict(params, X)

    train.lag_sweep(init, [3], [0], predict_fn=predict_fn)
    (params, shape), = seen
    assert shape == (4, 1000, 6)
    rng = np.random.default_rng(0)
    p, _ = train.train(init(rng), lambda r: tasks.recall_task(3, 64, r, 4), rng, steps=300)
    for a, b in zip(params, p, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fixed_gates_are_checked_when_the_functions_are_made():
    for make in (gated.gated_grad_fn, gated.gated_predict_fn):
        for z in (0.5, np.full(3, 0.5), np.array([0.5])):
            make(z)
        for z in (1.5, np.array([0.5, 0.0]), "a"):
            with pytest.raises(ValueError, match="^z: expected"):
                make(z)


def test_predictions_use_h_init_z_and_the_nonlinearity():
    rng = np.random.default_rng(15)
    gp = gated.init_gated_params(2, 3, 2, rng)
    X, h0, z = rng.normal(size=(4, 2, 2)), rng.normal(size=(2, 3)), np.array([0.2, 0.5, 0.9])
    Hs, cache = gated.gated_forward(X, gp, h0, z)
    want = Hs @ gp.W_hy.T + gp.b_y
    np.testing.assert_allclose(gated.gated_predict(gp, X, h0, z), want, rtol=1e-12)
    np.testing.assert_allclose(gated.gated_predict_fn(z)(gp, X), gated.gated_predict(gp, X, z=z), rtol=1e-12)
    p = rnnlib.init_params(2, 3, 2, rng)
    Hv, _ = rnnlib.rnn_forward(X, p, h0, "sigmoid")
    np.testing.assert_allclose(rnnlib.predict(p, X, h0, "sigmoid"), Hv @ p.W_hy.T + p.b_y, rtol=1e-12)


def test_norms_of_empty_tiny_and_huge_gradients():
    class G2(NamedTuple):
        a: np.ndarray
        b: np.ndarray

    assert train.global_norm(G2(np.zeros(0), np.full(2, 3.0))) == pytest.approx(np.sqrt(18.0), rel=1e-15)
    assert train.global_norm(G2(np.full(2, 1e-200), np.full(2, 1e-200))) == pytest.approx(2e-200, rel=1e-12)
    assert train.global_norm(G2(np.zeros(2), np.zeros(3))) == 0.0


def test_log_space_chain_rescales_across_buffers():
    """0.5 I over 600 steps: 10^-180 at the end, so later buffers carry a non-zero scale."""
    got = jacobian.jacobian_log10_norms(0.5 * np.eye(3), np.zeros((600, 3)))
    np.testing.assert_allclose(got, np.arange(601) * np.log10(0.5), rtol=0, atol=1e-9)
    got = jacobian.influence_log10_norms(0.5 * np.eye(3), np.zeros((600, 3)))
    np.testing.assert_allclose(got, np.arange(1, 601) * np.log10(0.5), rtol=0, atol=1e-9)


def test_influence_of_the_inputs_with_derivatives_far_apart():
    lf = np.zeros((3, 2))
    lf[1] = -800.0                                  # f' = e^-800 at the second step: a huge rescaling in between
    W, W_xh = 0.5 * np.eye(2), np.eye(2)
    got = jacobian.influence_log10_norms(W, lf, W_xh)
    want = [0.0, (np.log(0.5) - 800) / np.log(10), (2 * np.log(0.5) - 800) / np.log(10)]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_array_arguments_are_named():
    for call, name in ((lambda: rnnlib.log_derivative("x", "tanh"), "a"),
                       (lambda: rnnlib.derivative_from_output("x", "tanh"), "h"),
                       (lambda: rnnlib.activate("x", "tanh"), "a"),
                       (lambda: jacobian.scalar_log10_jacobian(0.5, "x"), "log_fprime"),
                       (lambda: jacobian.pascanu_log10_bound(np.eye(2), "x"), "lags")):
        with pytest.raises(ValueError, match=f"^{name}: expected"):
            call()


def test_train_defaults_and_lr():
    p = rnnlib.init_params(4, 3, 2, np.random.default_rng(0))

    def make(r):
        return tasks.recall_task(2, 4, r, 2)

    _, hist = train.train(p, make, np.random.default_rng(1))
    assert hist.loss.shape == (300,)
    got, _ = train.train(p, make, np.random.default_rng(2), steps=2, lr=0.1)
    rng, q, state, grad_fn = np.random.default_rng(2), p, train.adam_init(p), train.vanilla_grad_fn()
    for _ in range(2):
        _, g = grad_fn(q, *make(rng))
        q, state = train.adam_step(q, g, state, 0.1)
    for a, b in zip(got, q):
        np.testing.assert_array_equal(a, b)


def test_lags_are_refused_as_lags():
    for lags in ([np.inf], [-1.0], [np.nan]):
        with pytest.raises(ValueError, match="^lags: expected finite non-negative numbers t - k, got 1 other"):
            jacobian.pascanu_log10_bound(np.eye(2), lags)


def test_squared_error_by_hand():
    O = np.array([[[1.0, 2.0]], [[0.5, -1.0]]])                 # T = 2, B = 1, O = 2
    Y = np.array([[[0.0, 3.0]], [[0.5, 1.0]]])
    value, dO = rnnlib.squared_error(O, Y, mask=np.array([1.0, 0.5]))
    assert value == pytest.approx(0.5 * (1 + 1) + 0.5 * 0.5 * 4)
    np.testing.assert_allclose(dO, [[[1.0, -1.0]], [[0.0, -1.0]]])


def test_init_sizes_are_named_and_bounded():
    from rnnlib._validate import MAX_WIDTH

    rng = np.random.default_rng(0)
    for i, name in enumerate("DHO"):
        for bad in (0, MAX_WIDTH + 1):
            sizes = [1, 1, 1]
            sizes[i] = bad
            for init_fn in (rnnlib.init_params, gated.init_gated_params):
                with pytest.raises(ValueError, match=f"^{name}: expected a positive integer"):
                    init_fn(*sizes, rng)


def test_init_params_draws_the_documented_gaussians():
    D, H, O = 3, 4, 2
    rng = np.random.default_rng(3)
    W_hh = rng.normal(0.0, 1.0 / np.sqrt(H), (H, H))
    W_xh = rng.normal(0.0, 1.0 / np.sqrt(D), (H, D))
    W_hy = rng.normal(0.0, 1.0 / np.sqrt(H), (O, H))
    p = rnnlib.init_params(D, H, O, np.random.default_rng(3))
    for got, want in zip(p, (W_xh, W_hh, np.zeros(H), W_hy, np.zeros(O)), strict=True):
        np.testing.assert_array_equal(got, want)
    checked = rnnlib.rnn.check_params(p)
    for got, want in zip(checked, p, strict=True):
        np.testing.assert_array_equal(got, want)


def test_forward_states_are_read_only():
    p, X, h_init, (Hs, cache) = _small_cache()
    assert not Hs.flags.writeable and not cache.H.flags.writeable


@pytest.mark.parametrize("z", [None, 0.3])
def test_gated_backward_input_gradient_and_zero_output_entries(z):
    rng = np.random.default_rng(16)
    gp = gated.init_gated_params(2, 3, 2, rng, gate_bias=0.0)
    X, h0, dH = rng.normal(size=(4, 2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(4, 2, 3))

    def loss():
        return float(np.sum(dH * gated.gated_forward(X, gp, h0, z)[0]))

    dX, dh0, grads = gated.gated_backward(dH, gated.gated_forward(X, gp, h0, z)[1])
    np.testing.assert_allclose(dX, rnnlib.numerical_gradient(loss, X, eps=1e-6), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(dh0, rnnlib.numerical_gradient(loss, h0, eps=1e-6), rtol=1e-6, atol=1e-9)
    for name in ("W_hy", "b_y"):
        got = getattr(grads, name)
        assert isinstance(got, np.ndarray) and got.shape == getattr(gp, name).shape and not np.any(got)


def test_stacked_global_norms_are_the_solo_ones():
    from rnnlib import stack

    rng = np.random.default_rng(17)
    models = [rnnlib.init_params(3, 4, 2, rng) for _ in range(3)]
    norms = stack.global_norms(stack.stack(models))
    np.testing.assert_allclose(norms, [train.global_norm(m) for m in models], rtol=1e-14)


def test_log_space_chain_of_a_nilpotent_matrix_with_wider_norms():
    W = np.array([[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])      # W^3 = 0, ||W||_2 > its largest entry
    got = jacobian.jacobian_log10_norms(W, np.zeros((5, 3)))
    want = [0.0, np.log10(np.linalg.norm(W, 2)), np.log10(np.linalg.norm(W @ W, 2)), -np.inf, -np.inf, -np.inf]
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_init_gated_params_draws_the_documented_gaussians():
    D, H, O = 3, 4, 2
    rng = np.random.default_rng(4)
    s_d, s_h = 1.0 / np.sqrt(D), 1.0 / np.sqrt(H)
    W_hh = rng.normal(0.0, s_h, (H, H))
    W_xh, W_xz, W_hz, W_hy = (rng.normal(0.0, s_d, (H, D)), rng.normal(0.0, s_d, (H, D)), rng.normal(0.0, s_h, (H, H)),
                              rng.normal(0.0, s_h, (O, H)))
    p = gated.init_gated_params(D, H, O, np.random.default_rng(4), gate_bias=-1.5)
    want = (W_xh, W_hh, np.zeros(H), W_xz, W_hz, np.full(H, -1.5), W_hy, np.zeros(O))
    for got, w in zip(p, want, strict=True):
        np.testing.assert_array_equal(got, w)
    with pytest.raises(ValueError, match="^z: expected an array of real numbers"):
        gated.check_gate("a", 3)


def test_a_non_finite_scalar_gate_is_named_as_a_number():
    for call in (lambda: gated.check_gate(np.nan, 3), lambda: gated.gated_grad_fn(np.inf),
                 lambda: gated.gated_predict_fn(np.nan)):
        with pytest.raises(ValueError, match="^z: expected a finite number"):
            call()


def test_fractional_labels_and_non_finite_thresholds_are_named():
    from rnnlib import stack

    O = np.zeros((2, 1, 3))
    with pytest.raises(ValueError, match="^Y: expected integer classes"):
        rnnlib.softmax_cross_entropy(O, np.array([[0.5], [1.0]]))
    models = [rnnlib.init_params(4, 3, 2, np.random.default_rng(s)) for s in (0, 1)]
    with pytest.raises(ValueError, match="^clip: expected a finite number"):
        stack.train(stack.stack(models), lambda r: tasks.recall_task(2, 4, r, 2),
                    [np.random.default_rng(s) for s in (0, 1)], steps=1, clip=np.nan)


def test_output_layer_checks_and_defaults():
    with pytest.raises(ValueError, match="^out: expected None or a writable float64 array of the shape of a"):
        rnnlib.activate(np.zeros(3), "tanh", out=np.zeros((2, 3)))
    O, Y = np.zeros((2, 1, 3)), np.zeros((2, 1, 3))
    with pytest.raises(ValueError, match="^mask: expected"):
        rnnlib.squared_error(O, Y, mask="ab")
    for bad in (-1.0, 3.0):
        with pytest.raises(ValueError, match="^Y: expected integer classes"):
            rnnlib.softmax_cross_entropy(O, np.array([[bad], [0.0]]))
    rng = np.random.default_rng(25)
    Hs, W_hy, b_y = rng.normal(size=(2, 1, 4)), rng.normal(size=(3, 4)), rng.normal(size=3)
    labels = np.array([[1], [2]])
    a, b = rnnlib.rnn.output_loss(Hs, W_hy, b_y, labels), rnnlib.rnn.output_loss(Hs, W_hy, b_y, labels, loss="xent")
    assert a[0] == b[0]


def test_activate_into_out_only_when_it_fits_and_copies_otherwise():
    a = np.array([0.5, -1.0, 2.0])
    for out in (np.zeros(3, dtype=np.float32), np.zeros(3)[::-1].copy().reshape(1, 3), [0.0, 0.0, 0.0]):
        with pytest.raises(ValueError, match="^out: expected None or a writable float64 array"):
            rnnlib.activate(a, "tanh", out=out)
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="^out: expected None or a writable float64 array"):
        rnnlib.activate(a, "tanh", out=ro)
    y = rnnlib.activate(a, "linear")
    y[0] = 9.0
    assert a[0] == 0.5                                   # the linear unit returns a copy, never the caller's array
