"""Training: clipping by norm and element-wise, SGD and Adam steps, the loop, accuracy, the lag sweep."""

from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import rnnlib
from rnnlib import train
from rnnlib.tasks import Batch, recall_task


class G(NamedTuple):
    a: np.ndarray
    b: np.ndarray


def grads(seed, scale=3.0):
    rng = np.random.default_rng(seed)
    return G(rng.normal(size=(3, 2)) * scale, rng.normal(size=4) * scale)


finite = st.floats(-1e3, 1e3, allow_nan=False)


@given(a=arrays(np.float64, (3,), elements=finite), b=arrays(np.float64, (2, 2), elements=finite),
       threshold=st.floats(1e-3, 1e3))
def test_norm_clipping_caps_the_norm_and_keeps_the_direction(a, b, threshold):
    g = G(a, b)
    clipped, norm = train.clip_by_norm(g, threshold)
    assert np.isclose(norm, train.global_norm(g))
    assert train.global_norm(clipped) <= threshold * (1 + 1e-12)
    if norm > threshold:
        assert np.isclose(train.global_norm(clipped), threshold)
        assert np.isclose(train.cosine(g, clipped), 1.0)
    else:
        assert clipped is g                    # below the threshold nothing changes


@given(a=arrays(np.float64, (4,), elements=finite), value=st.floats(1e-3, 1e3))
def test_elementwise_clipping_bounds_every_entry(a, value):
    clipped = train.clip_elementwise(G(a, a[:2]), value)
    assert all(np.all(np.abs(c) <= value) for c in clipped)
    assert np.array_equal(clipped.a, np.clip(a, -value, value))


def test_elementwise_clipping_changes_the_direction():
    g = G(np.array([3.0]), np.array([1.0]))
    clipped = train.clip_elementwise(g, 1.0)
    assert np.array_equal(clipped.a, [1.0]) and np.array_equal(clipped.b, [1.0])
    cos = train.cosine(g, clipped)
    assert np.isclose(cos, 4.0 / (np.sqrt(10.0) * np.sqrt(2.0)))
    assert cos < 0.9
    normed, _ = train.clip_by_norm(g, 1.0)
    assert np.isclose(train.cosine(g, normed), 1.0)


def test_clipped_fraction():
    assert train.clipped_fraction(np.array([0.1, 0.5, 2.0, 3.0]), 1.0) == 0.5
    assert train.clipped_fraction(np.array([1.0]), 1.0) == 0.0


def test_sgd_step():
    p, g = grads(0), grads(1)
    new = train.sgd_step(p, g, 0.1)
    assert isinstance(new, G)
    for n, old, d in zip(new, p, g, strict=True):
        assert np.allclose(n, old - 0.1 * d)


def test_adam_first_step_moves_each_entry_by_lr():
    p, g = grads(0), grads(1)
    state = train.adam_init(p)
    assert state.step == 0 and all(np.all(m == 0) for m in state.m)
    new, state = train.adam_step(p, g, state, lr=0.01)
    assert state.step == 1
    for n, old, d in zip(new, p, g, strict=True):     # bias-corrected: m/c1 = g, v/c2 = g^2
        assert np.allclose(old - n, 0.01 * np.sign(d), rtol=1e-6)


def test_adam_matches_the_formula_for_two_steps():
    p = G(np.array([1.0]), np.array([2.0]))
    g1, g2 = G(np.array([0.5]), np.array([-1.0])), G(np.array([2.0]), np.array([0.0]))
    s = train.adam_init(p)
    p1, s = train.adam_step(p, g1, s, lr=0.1)
    p2, s = train.adam_step(p1, g2, s, lr=0.1)
    m = 0.9 * 0.1 * 0.5 + 0.1 * 2.0
    v = 0.999 * 0.001 * 0.25 + 0.001 * 4.0
    expected = p1.a - 0.1 * (m / (1 - 0.81)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert np.allclose(p2.a, expected)


def constant_grad_fn(value):
    def grad_fn(params, X, Y, mask):
        return 0.0, G(np.full(2, value), np.full(3, value))
    return grad_fn


def dummy_batch(rng):
    return Batch(np.zeros((1, 1, 1)), np.zeros((1, 1), dtype=np.int64), np.ones(1))


@pytest.mark.parametrize("clip_mode", ["norm", "elementwise"])
def test_train_clips_with_either_mode(clip_mode):
    p0 = G(np.zeros(2), np.zeros(3))
    p1, hist = train.train(p0, dummy_batch, np.random.default_rng(0), steps=1, lr=1.0, optimizer="sgd",
                           clip=0.5, clip_mode=clip_mode, grad_fn=constant_grad_fn(10.0))
    assert np.isclose(hist.grad_norm[0], 10.0 * np.sqrt(5))       # recorded before clipping
    if clip_mode == "norm":
        assert np.isclose(train.global_norm(p1), 0.5)
        assert np.allclose(p1.a, -0.5 / np.sqrt(5))
    else:
        assert np.allclose(p1.a, -0.5) and np.allclose(p1.b, -0.5)


def test_train_without_clipping_records_the_norm():
    p0 = G(np.zeros(2), np.zeros(3))
    p1, hist = train.train(p0, dummy_batch, np.random.default_rng(0), steps=3, lr=0.1, optimizer="sgd",
                           grad_fn=constant_grad_fn(2.0))
    assert hist.loss.shape == hist.grad_norm.shape == (3,)
    assert np.allclose(hist.grad_norm, 2.0 * np.sqrt(5))
    assert np.allclose(p1.a, -0.6)


def test_train_vanilla_default_learns_a_short_lag():
    rng = np.random.default_rng(0)
    params = rnnlib.init_params(6, 16, 4, rng)
    params, hist = train.train(params, lambda r: recall_task(2, 32, r), rng, steps=150)
    assert hist.loss[-10:].mean() < 0.5 * hist.loss[:10].mean()
    assert train.accuracy(params, recall_task(2, 200, np.random.default_rng(1))) > 0.9


def test_lag_sweep_is_deterministic_and_passes_clip_mode():
    def init_fn(rng):
        return rnnlib.init_params(6, 4, 4, rng)

    kw = {"steps": 3, "batch": 4, "n_test": 10}
    a = train.lag_sweep(init_fn, [2, 3], [0, 1], **kw)
    b = train.lag_sweep(init_fn, [2, 3], [0, 1], **kw)
    assert a.shape == (2, 2) and np.array_equal(a, b)
    c = train.lag_sweep(init_fn, [2], [0], clip=1e-3, clip_mode="elementwise", **kw)
    assert c.shape == (1, 1)


def test_truncated_grad_fn_differs_from_full():
    rng = np.random.default_rng(0)
    params = rnnlib.init_params(6, 4, 4, rng)
    X, Y, mask = recall_task(6, 3, rng)
    _, full = train.vanilla_grad_fn()(params, X, Y, mask)
    _, cut = train.vanilla_grad_fn(truncate=2)(params, X, Y, mask)
    assert np.array_equal(full.W_hy, cut.W_hy) and not np.allclose(full.W_xh, cut.W_xh)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: train.clip_by_norm(grads(0), 0.0), "max_norm"),
        (lambda: train.clip_by_norm(grads(0), np.nan), "max_norm"),
        (lambda: train.clip_elementwise(grads(0), -1.0), "value"),
        (lambda: train.clip_elementwise(grads(0), "x"), "value"),
        (lambda: train.clipped_fraction(np.ones((2, 2)), 1.0), "grad_norms"),
        (lambda: train.clipped_fraction(np.ones(2), 0.0), "threshold"),
        (lambda: train.cosine(grads(0), G(np.zeros((3, 2)), np.zeros(4))), "b"),
        (lambda: train.train(grads(0), dummy_batch, np.random.default_rng(0), steps=0), "steps"),
        (lambda: train.train(grads(0), dummy_batch, np.random.default_rng(0), optimizer="rmsprop"), "optimizer"),
        (lambda: train.train(grads(0), dummy_batch, np.random.default_rng(0), clip=1.0, clip_mode="v"), "clip_mode"),
        (lambda: train.lag_sweep(lambda r: None, [2], [0], clip_mode="both"), "clip_mode"),
    ],
)
def test_bad_input_is_refused_by_name(call, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        call()


def test_adam_moments_are_separate_arrays():
    import rnnlib

    params = rnnlib.init_params(2, 3, 2, np.random.default_rng(0))
    state = train.adam_init(params)
    assert all(m is not v for m, v in zip(state.m, state.v))


# --- training under an exploding gradient: a clear error naming the gradient and the step, never NaN weights

def _cliff_fixed_point_grad_fn(T):
    """Pascanu's cliff unit held on its unstable fixed point h = 0 (b = -w/2, h_0 = 0): the loss stays
    (sigmoid(0) - 0.7)^2 = 0.04, while dh_T/dh_0 = (w/4)^T = 2^T for w = 8 overflows float64 for T > 1024."""
    from rnnlib.cliff import cliff_loss_and_grad

    def grad_fn(params, X, Y, mask):
        return cliff_loss_and_grad(params.w, params.b, T=T, h0=0.0)

    return grad_fn


def _no_data(rng):
    return Batch(np.zeros((1, 1, 1)), np.zeros((1, 1)), np.ones(1))


@pytest.mark.parametrize("optimizer, clip, clip_mode", [("sgd", None, "norm"), ("adam", None, "norm"),
                                                        ("sgd", 1.0, "norm"), ("adam", 1.0, "elementwise")])
def test_an_infinite_gradient_stops_training_with_its_name_and_step(optimizer, clip, clip_mode):
    from rnnlib.cliff import CliffParams

    start = CliffParams(8.0, -4.0)
    finite_loss, g = _cliff_fixed_point_grad_fn(1000)(start, None, None, None)
    assert np.isfinite(finite_loss) and np.isfinite(train.global_norm(g))   # 2^1000: huge, still finite
    with pytest.raises(ValueError) as info:
        train.train(start, _no_data, np.random.default_rng(0), steps=5, lr=0.1, optimizer=optimizer, clip=clip,
                    clip_mode=clip_mode, grad_fn=_cliff_fixed_point_grad_fn(1100))
    message = str(info.value)
    assert message.startswith("grads.w: expected finite values"), message   # which gradient
    assert "exploded" in message and "clipping acts on finite gradients only" in message
    assert message.endswith("(at training step 1 of 5)"), message          # and when
    assert start == CliffParams(8.0, -4.0)                                  # the caller's parameters untouched


def test_the_step_of_the_explosion_is_reported():
    calls = []

    def grad_fn(params, X, Y, mask):                 # finite for two steps, then an overflowed entry
        calls.append(1)
        return 1.0, G(np.full((3, 2), np.inf if len(calls) == 3 else 0.1), np.zeros(4))

    with pytest.raises(ValueError, match=r"^grads\.a: expected finite values.*\(at training step 3 of 10\)$"):
        train.train(grads(0), _no_data, np.random.default_rng(0), steps=10, grad_fn=grad_fn, clip=1.0)


def test_an_overflowing_forward_pass_is_named_not_warned():
    """A linear RNN with W_hh = 6 I: after 450 steps the states overflow float64 (6^450 > 1e308); the output
    layer refuses them by name, with no RuntimeWarning and no NaN loss."""
    params = rnnlib.init_params(6, 4, 4, np.random.default_rng(0), W_hh=6.0 * np.eye(4))
    with pytest.raises(ValueError, match=r"^Hs: expected finite values, got \d+ NaN or inf entries "
                                         r"\(at training step 1 of 3\)$"):          # the states, by name
        train.train(params, lambda r: recall_task(450, 8, r), np.random.default_rng(0), steps=3,
                    grad_fn=train.vanilla_grad_fn("linear"))


def test_adam_refuses_a_gradient_whose_square_overflows():
    p, g = G(np.zeros((3, 2)), np.zeros(4)), G(np.full((3, 2), 1e200), np.zeros(4))
    with pytest.raises(ValueError, match=r"^grads\.a: .*overflowed Adam's second moment v\.a"):
        train.adam_step(p, g, train.adam_init(p))


# ---------------------------------------------------------------- the optimizer's numbers, written out


def _cos_direct(a, b):
    """cos(a, b) of the flattened gradients, in plain numpy on moderate numbers."""
    x, y = np.concatenate([np.ravel(v) for v in a]), np.concatenate([np.ravel(v) for v in b])
    return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))


@pytest.mark.parametrize("sa", [1e-200, 1e-160, 1e-120, 1.0, 1e120, 1e160, 1e200])
@pytest.mark.parametrize("sb", [1e-200, 1e-120, 1.0, 1e120, 1e200])
def test_cosine_is_the_angle_whatever_the_scale(sa, sb):
    # the cosine does not depend on the lengths: cos(sa a, sb b) = cos(a, b) for sa, sb > 0, even where the
    # plain products sa sb a.b or the squared norms would overflow (beyond 1e308) or underflow (below 1e-308)
    a, b = grads(7, 1.0), grads(8, 1.0)
    want = _cos_direct(a, b)
    got = train.cosine(G(*(sa * v for v in a)), G(*(sb * v for v in b)))
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
    assert train.cosine(G(*(sa * v for v in a)), G(*(-sb * v for v in a))) == pytest.approx(-1.0, rel=1e-13)


def test_adam_update_is_kingma_and_bas_formula_at_steps_one_two_and_later():
    # m_t = b1 m + (1 - b1) g, v_t = b2 v + (1 - b2) g^2, p - lr (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps),
    # with settings away from the defaults (so that each constant matters) and gradients near eps in size
    rng = np.random.default_rng(11)
    lr, b1, b2, eps = 0.03, 0.7, 0.9, 1e-6
    p = G(rng.normal(size=(3, 2)), rng.normal(size=4))
    state = train.AdamState(G(np.zeros((3, 2)), np.zeros(4)), G(np.zeros((3, 2)), np.zeros(4)), 0)
    m = [np.zeros((3, 2)), np.zeros(4)]
    v = [np.zeros((3, 2)), np.zeros(4)]
    for t in (1, 2, 3):
        g = G(rng.normal(size=(3, 2)) * 10.0 ** rng.uniform(-7, 0, (3, 2)),
              rng.normal(size=4) * 10.0 ** rng.uniform(-7, 0, 4))
        new, state = train._adam_update(p, g, state, lr, b1, b2, eps)
        assert state.step == t
        for i in range(2):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
            mhat, vhat = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
            np.testing.assert_allclose(state.m[i], m[i], rtol=1e-13, atol=0)
            np.testing.assert_allclose(state.v[i], v[i], rtol=1e-13, atol=0)
            np.testing.assert_allclose(new[i], p[i] - lr * mhat / (np.sqrt(vhat) + eps), rtol=1e-13, atol=1e-15)
        if t == 1:   # the bias corrections undo the zero start exactly: mhat = g, vhat = g^2
            np.testing.assert_allclose(new.a, p.a - lr * g.a / (np.abs(g.a) + eps), rtol=1e-12)
        p = new
    # a state that did not start at zero: the step count t = step + 1 sets both corrections
    state = train.AdamState(state.m, state.v, 9)
    g = G(np.full((3, 2), 1e-3), np.full(4, -2e-3))
    new, out = train._adam_update(p, g, state, lr, b1, b2, eps)
    assert out.step == 10
    for i in range(2):
        mt = b1 * state.m[i] + (1 - b1) * g[i]
        vt = b2 * state.v[i] + (1 - b2) * g[i] ** 2
        np.testing.assert_allclose(new[i], p[i] - lr * (mt / (1 - b1**10)) / (np.sqrt(vt / (1 - b2**10)) + eps),
                                   rtol=1e-13, atol=1e-15)
    # adam_step's defaults are Kingma and Ba's: beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    start = train.adam_init(p)
    tiny = G(np.full((3, 2), 1e-9), np.full(4, 1e-9))
    got, _ = train.adam_step(p, tiny, start, lr=0.01)
    for i in range(2):   # at step 1: p - lr g / (|g| + eps), with |g| = 1e-9 so eps weighs 10x more
        np.testing.assert_allclose(got[i], p[i] - 0.01 * 1e-9 / (1e-9 + 1e-8), rtol=1e-12)
