"""The gated (leaky) unit: BPTT against finite differences with a learned and a fixed gate,
its Jacobians against a perturbed forward pass, the link to the vanilla RNN, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnnlib
from rnnlib import gated, train
from rnnlib.tasks import recall_task

GATE_FIELDS = ("W_xz", "W_hz", "b_z")


def problem(seed, T=5, B=3, D=4, H=5, O=3, loss="xent", masked=False):
    rng = np.random.default_rng(seed)
    p = gated.init_gated_params(D, H, O, rng, gate_bias=0.0)
    p = gated.GatedParams(*(a + 0.1 * rng.normal(size=a.shape) for a in p))   # non-zero biases too
    X = rng.normal(size=(T, B, D))
    Y = rng.normal(size=(T, B, O)) if loss == "mse" else rng.integers(0, O, size=(T, B))
    mask = None
    if masked:
        mask = (rng.random(T) < 0.5).astype(float)
        mask[-1] = 1.0
    return p, X, Y, mask, 0.5 * rng.normal(size=(B, H))


def gradcheck(p, X, Y, mask, h0, z, loss="xent"):
    names = [n for n in gated.GatedParams._fields if z is None or n not in GATE_FIELDS]
    arrays = {n: np.array(getattr(p, n)) for n in names} | {"h_init": np.array(h0)}

    def loss_fn():
        q = p._replace(**{n: arrays[n] for n in names})
        return gated.gated_loss_and_grads(q, X, Y, loss=loss, mask=mask, h_init=arrays["h_init"], z=z)[0]

    _, g, dh0 = gated.gated_loss_and_grads(p, X, Y, loss=loss, mask=mask, h_init=h0, z=z)
    errors = rnnlib.check_gradients(loss_fn, arrays, {n: getattr(g, n) for n in names} | {"h_init": dh0})
    return errors, g


@given(
    seed=st.integers(0, 10_000),
    T=st.integers(1, 6),
    B=st.integers(1, 3),
    D=st.integers(1, 4),
    H=st.integers(1, 5),
    O=st.integers(2, 4),
    loss=st.sampled_from(["xent", "mse"]),
    masked=st.booleans(),
)
def test_learned_gate_bptt_matches_finite_differences(seed, T, B, D, H, O, loss, masked):
    errors, _ = gradcheck(*problem(seed, T, B, D, H, O, loss, masked), z=None, loss=loss)
    assert max(errors.values()) <= 1e-7, errors


@pytest.mark.parametrize("z", [0.3, 1.0, "vector"])
@pytest.mark.parametrize("loss", ["xent", "mse"])
def test_fixed_gate_bptt_matches_finite_differences(z, loss):
    p, X, Y, mask, h0 = problem(7, T=6, loss=loss, masked=True)
    if z == "vector":
        z = np.random.default_rng(1).uniform(0.05, 1.0, size=p.b_h.shape)
    errors, g = gradcheck(p, X, Y, mask, h0, z=z, loss=loss)
    assert max(errors.values()) <= 1e-7, errors
    for n in GATE_FIELDS:                      # a fixed gate does not use the gate weights
        assert np.all(getattr(g, n) == 0.0)


def test_gate_one_is_the_vanilla_rnn():
    p, X, Y, _, h0 = problem(3, T=7)
    Hg, _ = gated.gated_forward(X, p, h0, z=1.0)
    vp = rnnlib.Params(p.W_xh, p.W_hh, p.b_h, p.W_hy, p.b_y)
    Hv, _ = rnnlib.rnn_forward(X, vp, h0)
    assert np.allclose(Hg, Hv, rtol=1e-12, atol=1e-14)
    _, gg, _ = gated.gated_loss_and_grads(p, X, Y, h_init=h0, z=1.0)
    _, gv, _ = rnnlib.loss_and_grads(vp, X, Y, h_init=h0)
    for n in rnnlib.Params._fields:
        assert np.allclose(getattr(gg, n), getattr(gv, n), rtol=1e-10, atol=1e-14)


def test_backward_is_pure():
    p, X, _, _, h0 = problem(4)
    Hs, cache = gated.gated_forward(X, p, h0)
    dH = np.random.default_rng(0).normal(size=Hs.shape)
    a, b = gated.gated_backward(dH, cache), gated.gated_backward(dH, cache)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert all(np.array_equal(x, y) for x, y in zip(a[2], b[2], strict=True))


@pytest.mark.parametrize("z", [None, 0.2])
def test_jacobians_match_a_perturbed_forward_pass(z):
    p, X, _, _, h0 = problem(5, T=6, B=2)
    _, cache = gated.gated_forward(X, p, h0, z=z)
    J = gated.gated_jacobians(cache, b=1)
    product = np.eye(J.shape[1])
    for t in range(J.shape[0]):
        product = J[t] @ product                 # d h_t / d h_init
    eps, numeric = 1e-6, np.empty_like(product)
    for k in range(product.shape[1]):
        hp, hm = h0.copy(), h0.copy()
        hp[1, k] += eps
        hm[1, k] -= eps
        up, down = gated.gated_forward(X, p, hp, z=z)[0], gated.gated_forward(X, p, hm, z=z)[0]
        numeric[:, k] = (up[-1, 1] - down[-1, 1]) / (2 * eps)
    assert rnnlib.rel_error(product, numeric) <= 1e-7


def test_chain_log10_norms_is_the_log_of_the_product_norm():
    rng = np.random.default_rng(2)
    J = rng.normal(size=(8, 4, 4))
    out = gated.chain_log10_norms(J)
    M = np.eye(4)
    assert out[0] == 0.0
    for j in range(1, 9):
        M = M @ J[8 - j]
        assert np.isclose(out[j], np.log10(np.linalg.norm(M, 2)), atol=1e-10)


def test_chain_log10_norms_long_chains_stay_finite():
    big = np.broadcast_to(10.0 * np.eye(3), (5000, 3, 3)).copy()
    small = np.broadcast_to(0.1 * np.eye(3), (5000, 3, 3)).copy()
    with np.errstate(all="raise"):
        up, down = gated.chain_log10_norms(big), gated.chain_log10_norms(small)
    assert np.isclose(up[-1], 5000.0) and np.isclose(down[-1], -5000.0)
    assert np.all(gated.chain_log10_norms(np.zeros((3, 2, 2)))[1:] == -np.inf)


def test_a_remembering_gate_keeps_the_jacobian_near_one():
    rng = np.random.default_rng(0)
    p = gated.init_gated_params(6, 16, 4, rng, gate_bias=-3.0)
    X = recall_task(60, 1, np.random.default_rng(1)).X
    _, gcache = gated.gated_forward(X, p)
    _, vcache = rnnlib.rnn_forward(X, rnnlib.Params(p.W_xh, p.W_hh, p.b_h, p.W_hy, p.b_y))
    leaky = gated.gated_jacobian_log10_norms(gcache)
    vanilla = rnnlib.jacobian_log10_norms(p.W_hh, rnnlib.cache_log_derivatives(vcache))
    assert abs(leaky[-1]) < 1.0 and vanilla[-1] < -4.0
    assert 0.03 < gcache.Z.mean() < 0.08         # sigmoid(-3) = 0.047


def test_adapters_train_on_the_lag_task():
    acc = train.lag_sweep(lambda rng: gated.init_gated_params(6, 8, 4, rng, gate_bias=-2.0), [3], [0],
                          steps=5, batch=8, n_test=20,
                          grad_fn=gated.gated_grad_fn(), predict_fn=gated.gated_predict_fn())
    assert acc.shape == (1, 1) and 0.0 <= acc[0, 0] <= 1.0
    rng = np.random.default_rng(0)
    p0 = gated.init_gated_params(6, 8, 4, rng)
    p1, hist = train.train(p0, lambda r: recall_task(3, 8, r), rng, steps=3, grad_fn=gated.gated_grad_fn(0.5))
    assert isinstance(p1, gated.GatedParams) and np.all(np.isfinite(hist.loss))
    assert np.array_equal(p1.b_z, p0.b_z)       # a fixed gate leaves the gate weights alone
    assert not np.array_equal(p1.W_hh, p0.W_hh)
    O = gated.gated_predict_fn(0.5)(p1, recall_task(3, 2, rng).X)
    assert O.shape == (4, 2, 4)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda p, X: gated.gated_forward(X, p._asdict()), "params"),
        (lambda p, X: gated.gated_forward(X, p._replace(W_hz=np.ones((2, 2)))), "params.W_hz"),
        (lambda p, X: gated.gated_forward(X, p._replace(b_z=np.full(5, np.nan))), "params.b_z"),
        (lambda p, X: gated.gated_forward(X[..., :2], p), "X"),
        (lambda p, X: gated.gated_forward(X, p, h_init=np.ones((1, 5))), "h_init"),
        (lambda p, X: gated.gated_forward(X, p, z=0.0), "z"),
        (lambda p, X: gated.gated_forward(X, p, z=1.5), "z"),
        (lambda p, X: gated.gated_forward(X, p, z=np.ones(3)), "z"),
        (lambda p, X: gated.gated_forward(X, p, z=np.nan), "z"),
        (lambda p, X: gated.gated_backward(np.ones((5, 3, 5)), (1, 2)), "cache"),
        (lambda p, X: gated.gated_backward(np.ones((2, 3, 5)), gated.gated_forward(X, p)[1]), "dH"),
        (lambda p, X: gated.gated_loss_and_grads(p, X, np.zeros((5, 3)), loss="hinge"), "loss"),
        (lambda p, X: gated.gated_jacobians((1,)), "cache"),
        (lambda p, X: gated.gated_jacobians(gated.gated_forward(X, p)[1], b=3), "b"),
        (lambda p, X: gated.chain_log10_norms(np.ones((3, 2, 4))), "J"),
        (lambda p, X: gated.init_gated_params(0, 2, 2, np.random.default_rng(0)), "D"),
        (lambda p, X: gated.init_gated_params(2, 2, 2, 0), "rng"),
        (lambda p, X: gated.init_gated_params(2, 2, 2, np.random.default_rng(0), gate_bias=np.inf), "gate_bias"),
        (lambda p, X: gated.init_gated_params(2, 2, 2, np.random.default_rng(0), W_hh=np.eye(3)), "W_hh"),
    ],
)
def test_bad_input_is_refused_by_name(call, name):
    p, X, _, _, _ = problem(0)
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        call(p, X)
