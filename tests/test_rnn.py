"""The forward pass, the losses and full BPTT against finite differences."""

import numpy as np
import pytest
from helpers import numeric_vs_analytic, problem
from hypothesis import given
from hypothesis import strategies as st

import rnnlib

sizes = st.tuples(
    st.integers(0, 2**31 - 1),  # seed
    st.integers(1, 7),          # T
    st.integers(1, 3),          # B
    st.integers(1, 4),          # D
    st.integers(1, 5),          # H
    st.integers(2, 4),          # O
)


@given(sizes, st.sampled_from(["mse", "xent"]), st.sampled_from(rnnlib.NONLINEARITIES), st.booleans())
def test_full_bptt_matches_finite_differences(shape, loss, nonlinearity, masked):
    params, X, Y, mask, h_init = problem(*shape, loss=loss, masked=masked)
    errors = numeric_vs_analytic(params, X, Y, mask, h_init, loss=loss, nonlinearity=nonlinearity)
    assert max(errors.values()) <= 1e-7, errors


def test_forward_matches_step_by_step_definition():
    params, X, _, _, h_init = problem(0, T=5, B=3, D=2, H=4, O=2, loss="mse")
    Hs, cache = rnnlib.rnn_forward(X, params, h_init)
    h = h_init
    for t in range(5):
        h = np.tanh(X[t] @ params.W_xh.T + h @ params.W_hh.T + params.b_h)
        np.testing.assert_allclose(Hs[t], h, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(rnnlib.preactivations(cache), np.arctanh(Hs), rtol=1e-9, atol=1e-12)


def test_backward_is_pure_and_matches_step_backward():
    params, X, _, _, h_init = problem(1, T=6, B=2, D=3, H=4, O=2, loss="mse")
    Hs, cache = rnnlib.rnn_forward(X, params, h_init)
    dH = np.random.default_rng(2).normal(size=Hs.shape)
    first = rnnlib.rnn_backward(dH, cache)
    second = rnnlib.rnn_backward(dH, cache)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    # the same gradients from the one-step functions, looped by hand
    dW_hh = np.zeros_like(params.W_hh)
    carry = np.zeros_like(h_init)
    for t in reversed(range(6)):
        h_prev = h_init if t == 0 else Hs[t - 1]
        _, step_cache = rnnlib.rnn_step_forward(X[t], h_prev, params.W_xh, params.W_hh, params.b_h)
        _, carry, _, dW, _ = rnnlib.rnn_step_backward(dH[t] + carry, step_cache)
        dW_hh += dW
    np.testing.assert_allclose(first[3], dW_hh, rtol=1e-12)
    np.testing.assert_allclose(first[1], carry, rtol=1e-12)


def test_losses_have_known_values():
    O = np.zeros((2, 1, 4))
    Y = np.array([[1], [3]])
    value, dO = rnnlib.softmax_cross_entropy(O, Y)
    assert value == pytest.approx(2 * np.log(4))
    np.testing.assert_allclose(dO[0, 0], [0.25, -0.75, 0.25, 0.25])
    value, dO = rnnlib.squared_error(np.ones((1, 2, 1)), np.zeros((1, 2, 1)))
    assert value == pytest.approx(0.5)  # (1/2 + 1/2) averaged over the batch of 2
    np.testing.assert_allclose(dO, 0.5)


def test_mask_selects_the_steps_with_a_target():
    params, X, Y, _, _ = problem(3, T=4, B=2, D=2, H=3, O=3, loss="xent")
    only_last = np.array([0, 0, 0, 1.0])
    full, _, _ = rnnlib.loss_and_grads(params, X, Y, mask=only_last)
    O = rnnlib.predict(params, X)
    last, _ = rnnlib.softmax_cross_entropy(O[-1:], Y[-1:])
    assert full == pytest.approx(last, rel=1e-12)


def test_softmax_is_stable_for_huge_logits():
    value, dO = rnnlib.softmax_cross_entropy(np.array([[[1e4, 0.0]]]), np.array([[1]]))
    assert value == pytest.approx(1e4)
    assert np.all(np.isfinite(dO))


def test_output_loss_is_output_layer_then_loss_then_back():
    params, X, Y, mask, h_init = problem(4, T=5, B=2, D=3, H=4, O=3, loss="xent", masked=True)
    Hs, _ = rnnlib.rnn_forward(X, params, h_init)
    value, dH, dW_hy, db_y = rnnlib.output_loss(Hs, params.W_hy, params.b_y, Y, "xent", mask)
    O, cache = rnnlib.output_forward(Hs, params.W_hy, params.b_y)
    want_value, dO = rnnlib.softmax_cross_entropy(O, Y, mask)
    assert value == want_value
    for got, want in zip((dH, dW_hy, db_y), rnnlib.output_backward(dO, cache)):
        np.testing.assert_array_equal(got, want)
