"""The claims register of notebook 02: every claim sentence of its teaching text, with the test that tries to
break it over many draws (random shapes, networks, inputs) or a grid over the knob it depends on."""

import numpy as np
import pytest
from claims import Claim

import rnnlib
from rnnlib import costs, init

pytestmark = pytest.mark.claims
DRAWS = range(100, 124)                       # 24 draws, none of them the notebook's seeds


def _shape(rng):
    return int(rng.integers(2, 9)), int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 6)), \
        int(rng.integers(1, 4))


def _net(seed, T=None, input_scale=1.0, gain=1.0, loss="xent"):
    rng = np.random.default_rng(seed)
    t, B, D, H, O = _shape(rng)
    T = T or t
    p = rnnlib.init_params(D, H, O, rng)
    p = p._replace(W_hh=gain * p.W_hh, b_h=0.3 * rng.normal(size=H))
    X = input_scale * rng.normal(size=(T, B, D))
    h0 = 0.5 * rng.normal(size=(B, H))
    Y = rng.integers(0, O, size=(T, B)) if loss == "xent" else rng.normal(size=(T, B, O))
    return p, X, Y, h0


def _dH(p, X, Y, h0):
    Hs, cache = rnnlib.rnn_forward(X, p, h0)
    O_, oc = rnnlib.output_forward(Hs, p.W_hy, p.b_y)
    return rnnlib.output_backward(rnnlib.softmax_cross_entropy(O_, Y)[1], oc)[0], cache


def test_unrolled_forward_shares_weights_and_loss_is_a_sum():
    for s in DRAWS:
        p, X, Y, h0 = _net(s, loss="mse")
        Hs, _ = rnnlib.rnn_forward(X, p, h0)
        h = h0
        for t in range(X.shape[0]):                   # step t + 1 sits at position t
            h, _ = rnnlib.rnn_step_forward(X[t], h, p.W_xh, p.W_hh, p.b_h)
            assert np.allclose(h, Hs[t], rtol=0, atol=1e-12)
        O_, _ = rnnlib.output_forward(Hs, p.W_hy, p.b_y)
        total = rnnlib.squared_error(O_, Y)[0]
        assert np.isclose(total, sum(rnnlib.squared_error(O_[t:t + 1], Y[t:t + 1])[0] for t in range(len(X))))
        loss, g, _ = rnnlib.loss_and_grads(p, X, Y, loss="mse", h_init=h0)
        after = rnnlib.loss_and_grads(p._replace(W_hh=p.W_hh - 1e-3 * g.W_hh), X, Y, loss="mse", h_init=h0)[0]
        assert after < loss or np.linalg.norm(g.W_hh) < 1e-12


def test_bracket_of_immediate_partials_is_the_total_derivative():
    """The closed form over 24 random networks (h_0 != 0), the pencil recursion on 24 scalar ones, the output
    factors (o - y)/B and (softmax - onehot)/B, and dO @ W_hy."""
    for s in DRAWS:
        rng = np.random.default_rng(s)
        T, H = int(rng.integers(2, 6)), int(rng.integers(2, 4))
        p = rnnlib.init_params(2, H, 1, rng)
        X, h0, u = rng.normal(size=(T, 1, 2)), rng.normal(size=(1, H)), rng.normal(size=H)
        Hs, cache = rnnlib.rnn_forward(X, p, h0)
        prev = np.concatenate([h0[None], Hs[:-1]])
        W = p.W_hh
        total = rnnlib.numerical_gradient(lambda u=u, X=X, p=p, h0=h0: u @ rnnlib.rnn_forward(X, p, h0)[0][-1, 0], W)
        terms, v = [], u.copy()
        for k in range(T, 0, -1):
            a = 1 - Hs[k - 1, 0] ** 2
            terms.append(np.outer(v * a, prev[k - 1, 0]))       # the immediate partial, analytically
            v = (v * a) @ W
        assert rnnlib.rel_error(sum(terms), total) < 1e-8
        assert rnnlib.rel_error(terms[0], total) > 1e-3           # the immediate partial alone is not the total
        # the scalar pencil example, h_0 != 0
        w, uu, y, x, hh0 = rng.normal(), rng.normal(), rng.normal(), rng.normal(size=3), rng.normal()
        h = [hh0]
        for t in range(3):
            h.append(np.tanh(uu * x[t] + w * h[-1]))
        delta, dw = h[3] - y, 0.0
        for t in (3, 2, 1):
            da = delta * (1 - h[t] ** 2)
            dw += da * h[t - 1]
            delta = da * w
        one = np.ones((1, 1))
        p1 = rnnlib.Params(uu * one, w * one, np.zeros(1), one, np.zeros(1))
        g1 = rnnlib.loss_and_grads(p1, x.reshape(3, 1, 1), np.full((3, 1, 1), y), loss="mse",
                                   mask=np.array([0.0, 0.0, 1.0]), h_init=np.full((1, 1), hh0))[1]
        assert abs(dw - g1.W_hh[0, 0]) < 1e-12 * max(1, abs(dw))
        d_plus = [None] + [(1 - h[t] ** 2) * h[t - 1] for t in (1, 2, 3)]     # the notebook's three terms
        J = [None, None] + [(1 - h[t] ** 2) * w for t in (2, 3)]
        terms = [d_plus[3], J[3] * d_plus[2], J[3] * J[2] * d_plus[1]]
        W1 = np.array([[w]])

        def h3(W1=W1, uu=uu, x=x, hh0=hh0):
            state = hh0
            for t in range(3):
                state = np.tanh(uu * x[t] + W1[0, 0] * state)
            return state

        fd = rnnlib.numerical_gradient(h3, W1)[0, 0]
        assert abs(sum(terms) - fd) < 1e-9 and abs((h[3] - y) * sum(terms) - dw) < 1e-12
        assert abs(terms[0] - fd) > 1e-3 * abs(fd) and abs(terms[2]) > 0   # term 1 alone is not it; term 3 != 0
        # the output factors
        pn, Xn, Yn, hn = _net(s, loss="mse")
        Hn, _ = rnnlib.rnn_forward(Xn, pn, hn)
        On, oc = rnnlib.output_forward(Hn, pn.W_hy, pn.b_y)
        dO = rnnlib.squared_error(On, Yn)[1]
        assert np.allclose(dO, (On - Yn) / Xn.shape[1], atol=1e-14)
        assert np.allclose(rnnlib.output_backward(dO, oc)[0], dO @ pn.W_hy, atol=1e-14)


def test_jacobian_products_shrink_or_grow_with_the_size_of_w_hh():
    grew = 0
    for s in DRAWS:
        p, X, _, h0 = _net(s, T=40)
        _, c = rnnlib.rnn_forward(X, p, h0)
        small = rnnlib.jacobian_log10_norms(p.W_hh, rnnlib.cache_log_derivatives(c, b=0))
        assert small[39] < small[1]
        rng = np.random.default_rng(s)                 # the notebook's size, W_hh scaled up, weak inputs
        q = rnnlib.init_params(4, 16, 3, rng)
        q = q._replace(W_hh=init.with_spectral_radius(q.W_hh, 3.0))
        _, c3 = rnnlib.rnn_forward(0.05 * rng.normal(size=(40, 1, 4)), q)
        grew += rnnlib.jacobian_log10_norms(q.W_hh, rnnlib.cache_log_derivatives(c3, b=0))[10] > 1
    assert grew >= 12          # a larger W_hh can make them grow


def test_swapped_sums_give_bptt_with_fewer_products():
    for s in DRAWS:
        p, X, Y, h0 = _net(s)
        dH, cache = _dH(p, X, Y, h0)
        T = X.shape[0]
        prev = np.concatenate([h0[None], cache.H[:-1]])
        fp = rnnlib.derivative_from_output(cache.H, "tanh")
        dW, n = np.zeros_like(p.W_hh), 0
        for t in range(1, T + 1):
            g = dH[t - 1]
            for k in range(t, 0, -1):
                da = g * fp[k - 1]
                dW += da.T @ prev[k - 1]
                if k > 1:
                    g, n = da @ p.W_hh, n + 1
        assert n == T * (T - 1) // 2
        assert rnnlib.rel_error(dW, rnnlib.rnn_backward(dH, cache)[3]) < 1e-12
        assert costs.count_backward_products(rnnlib.rnn_backward, dH, cache) == T
        Cf = rnnlib.contributions(dH, cache, full=True)
        carry = np.zeros_like(h0)                     # each step's dW_hh is its column of the triangle
        for k in range(T - 1, -1, -1):
            c = rnnlib.rnn.StepCache(X[k], prev[k], cache.H[k], p.W_xh, p.W_hh, "tanh")
            _, carry, _, dW_k, _ = rnnlib.rnn_step_backward(dH[k] + carry, c)
            assert rnnlib.rel_error(dW_k, Cf[:, k].sum(axis=0)) < 1e-12
        rng = np.random.default_rng(s)                # the one-unit triangle, T = 4, h_0 != 0
        p1 = rnnlib.init_params(1, 1, 1, rng)
        X1, Y1 = rng.normal(size=(4, 1, 1)), rng.normal(size=(4, 1, 1))
        H1, c1 = rnnlib.rnn_forward(X1, p1, rng.normal(size=(1, 1)))
        O1, oc1 = rnnlib.output_forward(H1, p1.W_hy, p1.b_y)
        dH1 = rnnlib.output_backward(rnnlib.squared_error(O1, Y1)[1], oc1)[0]
        C1 = rnnlib.contributions(dH1, c1, full=True)[:, :, 0, 0]
        g1 = rnnlib.rnn_backward(dH1, c1)[3][0, 0]
        assert abs(C1.sum(axis=1).sum() - g1) < 1e-12 * max(1, abs(g1))
        assert abs(C1.sum(axis=0).sum() - g1) < 1e-12 * max(1, abs(g1))


def test_backward_step_and_loop_match_finite_differences():
    import functools  # a partial: the checker's comparisons, not its "write it" rule

    from rnnlib.teaching.exercises import ex02
    assert ex02.check_step_backward(functools.partial(rnnlib.rnn_step_backward)) and \
        ex02.check_backward(functools.partial(rnnlib.rnn_backward))
    for s in DRAWS:
        rng = np.random.default_rng(s)
        B, D, H = (int(v) for v in rng.integers(1, 5, size=3))
        f = ("tanh", "sigmoid", "linear")[s % 3]
        x, hp, Wx, Wh, b = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(H, D)), \
            rng.normal(size=(H, H)), rng.normal(size=H)
        dh = rng.normal(size=(B, H))
        _, c = rnnlib.rnn_step_forward(x, hp, Wx, Wh, b, f)
        got = rnnlib.rnn_step_backward(dh, c)
        for arr, g in zip((x, hp, Wx, Wh, b), got, strict=True):
            def loss(dh=dh, x=x, hp=hp, Wx=Wx, Wh=Wh, b=b, f=f):
                return float(np.sum(dh * rnnlib.rnn_step_forward(x, hp, Wx, Wh, b, f)[0]))

            num = rnnlib.numerical_gradient(loss, arr)
            assert rnnlib.rel_error(g, num) < 1e-7


def _gradient_check(loss, seed, truncate=None):
    rng = np.random.default_rng(seed)
    T, B, D, H, O = 6, 3, 3, 5, 4
    params = rnnlib.init_params(D, H, O, rng)
    params = rnnlib.Params(*(w + 0.1 * rng.normal(size=w.shape) for w in params))
    X = rng.normal(size=(T, B, D))
    Y = rng.normal(size=(T, B, O)) if loss == "mse" else rng.integers(0, O, size=(T, B))
    arrays = dict(params._asdict(), h_init=0.5 * rng.normal(size=(B, H)))

    def loss_fn():
        p = rnnlib.Params(*(arrays[name] for name in rnnlib.Params._fields))
        return rnnlib.loss_and_grads(p, X, Y, loss=loss, h_init=arrays["h_init"])[0]

    _, grads, dh_init = rnnlib.loss_and_grads(params, X, Y, loss=loss, h_init=arrays["h_init"], truncate=truncate)
    return rnnlib.check_gradients(loss_fn, arrays, dict(grads._asdict(), h_init=dh_init))


def test_gradient_check_passes_bptt_and_rejects_truncation():
    for s in DRAWS:
        for loss in ("mse", "xent"):
            assert max(_gradient_check(loss, s).values()) < 5e-8     # far inside the threshold 1e-7
        assert _gradient_check("xent", s, truncate=1)["W_hh"] > 1e-3


def test_contributions_sum_to_the_gradient_and_decay_with_the_lag():
    slopes = []
    for s in DRAWS:
        p, X, Y, h0 = _net(s)
        dH, cache = _dH(p, X, Y, h0)
        Cf = rnnlib.contributions(dH, cache, full=True)
        t, k = np.indices(Cf.shape[:2])
        assert np.all(Cf[k > t] == 0)
        assert rnnlib.rel_error(Cf.sum(axis=(0, 1)), rnnlib.rnn_backward(dH, cache)[3]) < 1e-12
    for s in DRAWS:                                   # the notebook's size, unit inputs: a straight line down
        rng = np.random.default_rng(s)
        p = rnnlib.init_params(4, 16, 3, rng)
        X, Y = rng.normal(size=(40, 8, 4)), rng.integers(0, 3, size=(40, 8))
        dH, cache = _dH(p, X, Y, 0.5 * rng.normal(size=(8, 16)))
        C = rnnlib.contributions(dH, cache)
        med = np.log10([np.median(np.diagonal(C, -lag)) for lag in range(35)])
        fit = np.polyfit(np.arange(35), med, 1)
        slopes.append(fit[0])
        assert np.max(np.abs(med - np.polyval(fit, np.arange(35)))) < 1.5   # close to a line on the log axis
    assert max(slopes) < -0.1


def _lag30(seed, scale, gain):
    r_ = np.random.default_rng(seed)
    p_ = rnnlib.init_params(4, 16, 3, r_)
    p_ = p_._replace(W_hh=gain * p_.W_hh)
    X_, Y_ = scale * r_.normal(size=(40, 8, 4)), r_.integers(0, 3, size=(40, 8))
    dH, c = _dH(p_, X_, Y_, 0.5 * r_.normal(size=(8, 16)))
    C = rnnlib.contributions(dH, c)
    return np.log10(np.median(np.diagonal(C, -30)) / np.median(np.diagonal(C, 0)))


def test_far_paths_are_small_only_at_unit_input_scale():
    unit = [_lag30(s, 1.0, 1.0) for s in range(200, 240)]
    assert max(unit) < -2.2                            # "less than 10^-2 of the immediate ones", with margin
    weak = [_lag30(s, 0.1, 1.0) for s in range(200, 220)]
    big = [_lag30(s, 1.0, 2.0) for s in range(200, 220)]
    assert max(weak) > -1 and max(big) > 0            # "as much as an immediate one", at initialization


def test_window_is_less_biased_where_far_paths_decay():
    for seed in range(200, 220):                       # section 5's networks: unit inputs, W_hh as drawn
        r_ = np.random.default_rng(seed)
        p_ = rnnlib.init_params(4, 16, 3, r_)
        X_, Y_ = r_.normal(size=(40, 8, 4)), r_.integers(0, 3, size=(40, 8))
        dH, c = _dH(p_, X_, Y_, 0.5 * r_.normal(size=(8, 16)))
        full = rnnlib.rnn_backward(dH, c)[3]
        for K in (1, 2, 4, 8, 16, 32):
            window = rnnlib.rel_error(rnnlib.truncated_bptt(dH, c, K)[3], full)
            chunked = rnnlib.rel_error(rnnlib.chunked_bptt(dH, c, K)[3], full)
            assert window < chunked


def test_truncation_variants_keep_the_paths_they_say():
    for s in DRAWS:
        p, X, Y, h0 = _net(s, T=int(np.random.default_rng(s).integers(3, 9)))
        dH, cache = _dH(p, X, Y, h0)
        T = X.shape[0]
        Cf = rnnlib.contributions(dH, cache, full=True)
        t, k = np.indices(Cf.shape[:2])
        full = rnnlib.rnn_backward(dH, cache)
        for K in range(1, T + 2):
            w = rnnlib.truncated_bptt(dH, cache, K)
            assert rnnlib.rel_error(w[3], Cf[(k <= t) & (t - k <= K)].sum(axis=0)) < 1e-12
            c = rnnlib.chunked_bptt(dH, cache, K)
            same_block = (k <= t) & (t // K == k // K)        # positions: blocks [0, K), [K, 2K), ...
            assert rnnlib.rel_error(c[3], Cf[same_block].sum(axis=0)) < 1e-12
            assert np.all(t[same_block] - k[same_block] <= K - 1)   # TBPTT(K, K) reaches lag K - 1
            if K == T - 1:
                assert all(rnnlib.rel_error(w[i], full[i]) < 1e-12 for i in (0, 2, 3, 4))
            if K >= T:
                assert all(np.array_equal(a, b) for a, b in zip(w, full)) and \
                    all(np.array_equal(a, b) for a, b in zip(c, full))
        W = init.with_spectral_radius(init.gaussian(16, np.random.default_rng(s)), 1.3)
        chain = rnnlib.jacobian_log10_norms(W, np.zeros((40, 16)))
        assert chain[39] > chain[4] + 3                 # truncation caps the explosion


def test_costs_of_the_backward_variants():
    for T in (2, 3, 5, 8, 13, 21, 40):
        rng = np.random.default_rng(T)
        p = rnnlib.init_params(2, 3, 1, rng)
        Hs, cache = rnnlib.rnn_forward(rng.normal(size=(T, 2, 2)), p)
        dH = rng.normal(size=Hs.shape)
        assert costs.count_backward_products(rnnlib.rnn_backward, dH, cache) == T
        window = [costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, K) for K in range(1, T)]
        assert window[-1] == T * (T + 1) // 2 - 1 and (T < 3 or np.all(np.diff(window) > 0))
        for K in range(1, T + 3):
            assert costs.count_backward_products(rnnlib.chunked_bptt, dH, cache, K) == T
            assert costs.stored_states(T, K, "window") <= min(K + 2, T + 1)
            assert costs.stored_states(T, K, "chunked") == min(K + 1, T + 1)
        assert costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, T) == T
        assert costs.stored_states(T, None, "full") == T + 1


def _notebook_size(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    p = rnnlib.init_params(4, 16, 3, rng)
    X, Y = scale * rng.normal(size=(40, 8, 4)), rng.integers(0, 3, size=(40, 8))
    return _dH(p, X, Y, 0.5 * rng.normal(size=(8, 16)))


def test_unit_inputs_leave_most_units_unsaturated_yet_paths_shrink():
    """Median f' between 0.4 and 0.8 (held to 0.45-0.75), fewer than 3 in 10 values of f' below 0.1, and
    still a negative slope of the log median contribution against the lag, on 30 networks."""
    for s in range(300, 330):
        dH, cache = _notebook_size(s)
        fp = rnnlib.derivative_from_output(cache.H, "tanh")
        assert 0.45 < np.median(fp) < 0.75
        assert np.mean(fp < 0.1) < 0.3
        C = rnnlib.contributions(dH, cache)
        med = np.log10([np.median(np.diagonal(C, -lag)) for lag in range(35)])
        assert np.polyfit(np.arange(35), med, 1)[0] < -0.1


def test_short_paths_give_most_of_the_gradient():
    """The notebook prints, for 20 networks: paths of fewer than 10 steps (the window K = 9) give dLoss/dW_hh
    to a median relative error below 0.03, the largest below 0.5. Held to 0.02 and 0.35 on four other sets
    of 20 networks each."""
    for first in (400, 420, 440, 460):
        errors = []
        for s in range(first, first + 20):
            dH, cache = _notebook_size(s)
            errors.append(rnnlib.rel_error(rnnlib.truncated_bptt(dH, cache, 9)[3], rnnlib.rnn_backward(dH, cache)[3]))
        assert np.median(errors) < 0.02 and max(errors) < 0.35


SCOPE = {
    "test_unrolled_forward_shares_weights_and_loss_is_a_sum": "24 random shapes (T 2-8, B, D, H, O 1-5): forward "
    "= loop of the step, loss = sum of per-step losses, a small step lowers it",
    "test_bracket_of_immediate_partials_is_the_total_derivative": "24 random networks with h_0 != 0 (T 2-5, H 2-3), "
    "24 scalar pencil networks with h_0 != 0, output factors on 24 shapes",
    "test_jacobian_products_shrink_or_grow_with_the_size_of_w_hh": "24 networks at init gain (40 steps) and at "
    "spectral radius 3 with inputs x 0.05",
    "test_swapped_sums_give_bptt_with_fewer_products": "24 random shapes: literal double sum = BPTT, T(T-1)/2 vs T "
    "products",
    "test_backward_step_and_loop_match_finite_differences": "24 random steps over tanh, sigmoid, linear; the "
    "exercise checkers' cases",
    "test_gradient_check_passes_bptt_and_rejects_truncation": "24 seeds x both losses; truncation K = 1 rejected "
    "on all 24",
    "test_contributions_sum_to_the_gradient_and_decay_with_the_lag": "24 random shapes; 24 networks of the "
    "notebook's size (40 steps, H = 16), unit inputs",
    "test_window_is_less_biased_where_far_paths_decay": "20 networks of section 5 (unit inputs, T 40, H 16) x K "
    "1-32: the window's and the chunked variant's error in dLoss/dW_hh",
    "test_far_paths_are_small_only_at_unit_input_scale": "grid: inputs x {1, 0.1} x W_hh x {1, 2}; 40 networks at "
    "unit scale, 20 at each other point",
    "test_truncation_variants_keep_the_paths_they_say": "24 networks, T 3-8, every K from 1 to T + 1; 24 linear "
    "matrices with spectral radius 1.3",
    "test_unit_inputs_leave_most_units_unsaturated_yet_paths_shrink": "30 networks of the notebook's size (40 "
    "steps, H = 16, B = 8) at unit input scale",
    "test_short_paths_give_most_of_the_gradient": "4 sets of 20 networks of the notebook's size at unit input "
    "scale",
    "test_costs_of_the_backward_variants": "T in {2, 3, 5, 8, 13, 21, 40} x every K from 1 to T + 2",
}

def _claim(cell: str, words: str, test: str) -> Claim:
    return Claim("02", cell, (words,), SCOPE[test], test)


T_BRACKET = 'test_bracket_of_immediate_partials_is_the_total_derivative'

CLAIMS = [
    _claim('6ee0b067', 'how a recurrent network is *un', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('6ee0b067', 'how backpropagation through ti', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('3ef5d7f2', '*Counting steps.** As in the l', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('3ef5d7f2', 'Python counts from 0, so step ', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('3ef5d7f2', 'Unrolling draws every step as ', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('3ef5d7f2', '**every layer uses the same $W', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('a282f4c9', 'Weight sharing is a fact of th', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('82941909', 'and the total loss is the sum ', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('82941909', '$o_t$: the prediction (예측값) at', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('6c170804', '$h_t = f(x_t, h_{t-1}, W_{hh})', T_BRACKET),
    _claim('6c170804', 'the latent vector $h_t$ is a f', T_BRACKET),
    _claim('6c170804', 'For the squared error $\\tfrac1', T_BRACKET),
    _claim('5e1c0a7d', 'Then the bracket, term by term', T_BRACKET),
    _claim('7e066b00', 'This is the **gradient vanishi', 'test_jacobian_products_shrink_or_grow_with_the_size_of_w_hh'),
    _claim('4555383f', "Taken literally, the lecture's", 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('cb7d8f20', 'The output layer $o_t = g(h_t,', T_BRACKET),
    _claim('9ea19bb7', "Before reading `rnnlib`'s back", 'test_backward_step_and_loop_match_finite_differences'),
    _claim('9ea19bb7', "Section 2's derivation is all ", 'test_backward_step_and_loop_match_finite_differences'),
    _claim('9ea19bb7', 'The checker compares every gra', 'test_backward_step_and_loop_match_finite_differences'),
    _claim('38814329', '`rnn_step_backward` receives `', 'test_backward_step_and_loop_match_finite_differences'),
    _claim('894d9081', 'For every entry of every param', 'test_gradient_check_passes_bptt_and_rejects_truncation'),
    _claim('fbd589fc', 'Every gradient agrees with fin', 'test_gradient_check_passes_bptt_and_rejects_truncation'),
    _claim('fbd589fc', 'The check can fail: a gradient', 'test_gradient_check_passes_bptt_and_rejects_truncation'),
    _claim('0daa3a65', '`rnnlib.contributions` compute',
           'test_contributions_sum_to_the_gradient_and_decay_with_the_lag'),
    _claim('17903fe7', 'Against the lag $t-k$ the deca',
           'test_contributions_sum_to_the_gradient_and_decay_with_the_lag'),
    _claim('1367faac', 'The loss at step $t$ does depe', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('1367faac', 'With inputs ten times weaker, ', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('1367faac', '**Truncated BPTT** (절단 BPTT) k', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('1367faac', 'One forward and backward pass ', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('1367faac', '`truncated_bptt(dH, cache, K)`', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('1367faac', 'How different, as $K$ grows, f', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('4d83e006', "A block's $K$ counts the state", 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', '*The forward pass is not trunc', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', 'With $K$, `chunked_bptt` is TB', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', 'The window that reaches lag $K', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', '*A cosine near 1 is not a lice', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', '*Truncation also caps explosio', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('4d83e006', 'With a linear RNN whose $\\rho(', 'test_truncation_variants_keep_the_paths_they_say'),
    _claim('0ad62847', 'Below, the products are **coun', 'test_costs_of_the_backward_variants'),
    _claim('0ad62847', 'The states are those a streami', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', '**Memory** is what truncation ', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', '**Work**: full BPTT needs only', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', 'The per-term window cannot sha', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', 'At $K = T - 1$ it is exact for', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', '`rnn_step_backward` is one ste', 'test_gradient_check_passes_bptt_and_rejects_truncation'),
    _claim('c1ddd39c', 'Each step back multiplies a pa', 'test_far_paths_are_small_only_at_unit_input_scale'),
    _claim('c1ddd39c', 'The chunked variant costs $T$ ', 'test_costs_of_the_backward_variants'),
    _claim('c1ddd39c', 'The per-term window costs more', 'test_window_is_less_biased_where_far_paths_decay'),
    _claim('a282f4c9', 'The forward pass over the whole', 'test_unrolled_forward_shares_weights_and_loss_is_a_sum'),
    _claim('6c170804', 'The lecture writes the latent', T_BRACKET),
    _claim('6c170804', 'Averaged over a batch', T_BRACKET),
    _claim('6c170804', 'But $g$ depends on', T_BRACKET),
    _claim('6c170804', 'The last factor is where', T_BRACKET),
    _claim('d793bc34', 'Take one unit', T_BRACKET),
    _claim('d793bc34', 'The loss sits at the end only', T_BRACKET),
    _claim('d793bc34', 'The weight $w$ is used once per step', T_BRACKET),
    _claim('d793bc34', 'is the *immediate* partial: step', T_BRACKET),
    _claim('d793bc34', 'Term 3 reads $h_0$', T_BRACKET),
    _claim('4b8e2f1a', 'Term 1 alone', T_BRACKET),
    _claim('4b8e2f1a', 'Total and immediate.** On the left', T_BRACKET),
    _claim('4b8e2f1a', 'The first term in the braces', T_BRACKET),
    _claim('4b8e2f1a', 'If the first term were the total', T_BRACKET),
    _claim('4b8e2f1a', 'The closed form.** Apply', T_BRACKET),
    _claim('4b8e2f1a', 'is the pre-activation, and', T_BRACKET),
    _claim('5e1c0a7d', 'The same check with matrices', T_BRACKET),
    _claim('e2a64f0b', 'comes from $\\delta_{k+1}$ with', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('e2a64f0b', 'One sweep from the last step', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('e2a64f0b', 'The literal sum, walked', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('e2a64f0b', 'of the 40-step network above both ways', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('580cc41e', 'arrives at `H[t]` from that step', 'test_backward_step_and_loop_match_finite_differences'),
    _claim('38814329', 'of a derivative with a matrix', 'test_backward_step_and_loop_match_finite_differences'),
    _claim('2acd54bf', 'weights its immediate partial by', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('2acd54bf', 'is column $t$ of section 2', 'test_swapped_sums_give_bptt_with_fewer_products'),
    _claim('2acd54bf', 'It also passes the gradient one step back',
           'test_backward_step_and_loop_match_finite_differences'),
    _claim('2acd54bf', 'does this for all steps', 'test_backward_step_and_loop_match_finite_differences'),
    _claim('1367faac', 'Unit inputs leave most units',
           'test_unit_inputs_leave_most_units_unsaturated_yet_paths_shrink'),
    _claim('1367faac', 'The path shrinks because', 'test_unit_inputs_leave_most_units_unsaturated_yet_paths_shrink'),
    _claim('1367faac', 'But that path carries less than', 'test_far_paths_are_small_only_at_unit_input_scale'),
]
