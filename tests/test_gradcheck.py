"""The gradient checker itself: it must pass correct gradients and catch wrong ones."""

import numpy as np
import pytest
from helpers import problem

import rnnlib


def test_numerical_gradient_of_known_functions():
    x = np.array([0.3, -1.2, 2.0])
    g = rnnlib.numerical_gradient(lambda: float(np.sum(np.sin(x) * x**3)), x)
    np.testing.assert_allclose(g, np.cos(x) * x**3 + 3 * x**2 * np.sin(x), rtol=1e-10)
    np.testing.assert_array_equal(x, [0.3, -1.2, 2.0])   # restored


def test_rel_error_is_scale_free_and_symmetric():
    a = np.array([1.0, 1e-9])
    assert rnnlib.rel_error(a, a + [0.0, 1e-12]) == pytest.approx(1e-12)
    assert rnnlib.rel_error(a, a * 2) == rnnlib.rel_error(a * 2, a) == pytest.approx(0.5)
    assert rnnlib.rel_error(np.zeros(3), np.zeros(3)) == 0.0


@pytest.mark.parametrize("bug", ["no carry", "wrong transpose"])
def test_check_catches_a_wrong_backward(bug):
    params, X, Y, _, h_init = problem(0, T=5, B=2, D=3, H=4, O=3, loss="xent")
    arrays = {"W_hh": params.W_hh.copy()}

    def loss_fn():
        return rnnlib.loss_and_grads(params._replace(W_hh=arrays["W_hh"]), X, Y, h_init=h_init)[0]

    Hs, cache = rnnlib.rnn_forward(X, params, h_init)
    O, out_cache = rnnlib.output_forward(Hs, params.W_hy, params.b_y)
    _, dO = rnnlib.softmax_cross_entropy(O, Y)
    dH = rnnlib.output_backward(dO, out_cache)[0]
    if bug == "no carry":     # forget the gradient arriving from step t + 1
        wrong = rnnlib.truncated_bptt(dH, cache, 1)[3] - rnnlib.contributions(dH, cache, full=True)[
            np.arange(1, 5), np.arange(4)].sum(axis=0)
    else:
        wrong = rnnlib.rnn_backward(dH, cache)[3].T
    assert rnnlib.check_gradients(loss_fn, arrays, {"W_hh": wrong})["W_hh"] > 1e-3
    right = rnnlib.rnn_backward(dH, cache)[3]
    assert rnnlib.check_gradients(loss_fn, arrays, {"W_hh": right})["W_hh"] <= 1e-7
