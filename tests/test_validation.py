"""Every bad input raises ValueError naming the argument, what arrived and what was expected."""

import numpy as np
import pytest

import rnnlib
from rnnlib import init, jacobian, tasks, train

rng = np.random.default_rng(0)
P = rnnlib.init_params(3, 4, 2, np.random.default_rng(1))
X = np.zeros((5, 2, 3))
_, CACHE = rnnlib.rnn_forward(X, P)
W = np.eye(3)

CASES = [
    # (call, the words the message must contain)
    (lambda: rnnlib.rnn_forward(np.zeros((5, 2, 4)), P), ["X", "(T, B, D=3)", "(5, 2, 4)"]),
    (lambda: rnnlib.rnn_forward(np.zeros((5, 3)), P), ["X", "(T, B, D=3)", "(5, 3)"]),
    (lambda: rnnlib.rnn_forward(np.zeros((0, 2, 3)), P), ["X", "axis 0", "T"]),
    (lambda: rnnlib.rnn_forward(np.full((5, 2, 3), np.nan), P), ["X", "finite", "30 NaN or inf"]),
    (lambda: rnnlib.rnn_forward(X, P, h_init=np.zeros((2, 5))), ["h_init", "(B=2, H=4)", "(2, 5)"]),
    (lambda: rnnlib.rnn_forward(X, P, nonlinearity="relu"), ["nonlinearity", "'tanh'", "'relu'"]),
    (lambda: rnnlib.rnn_forward(X, P._replace(W_hh=np.eye(3))), ["params.W_hh", "(H=4, H=4)", "(3, 3)"]),
    (lambda: rnnlib.rnn_forward(X, P._replace(b_y=np.zeros(3))), ["params.b_y", "(O=2)", "(3,)"]),
    (lambda: rnnlib.rnn_forward(X, tuple(P)), ["params", "rnnlib.Params", "tuple"]),
    (lambda: rnnlib.init_params(3, 0, 2, rng), ["H", "positive integer", "0"]),
    (lambda: rnnlib.init_params(3, 4, 2, 42), ["rng", "Generator", "int"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.zeros((5, 2)), loss="l1"), ["loss", "'mse'", "'l1'"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.full((5, 2), 7)), ["Y", "[0, 2)", "7"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.zeros((5, 2, 3)), loss="mse"), ["Y", "(T=5, B=2, O=2)", "(5, 2, 3)"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.zeros((5, 2)), mask=np.ones(4)), ["mask", "(T=5, B=2)", "(4,)"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.zeros((5, 2)), mask=-np.ones(5)), ["mask", ">= 0", "negative"]),
    (lambda: rnnlib.loss_and_grads(P, X, np.zeros((5, 2)), truncate=0), ["truncate", "positive integer", "0"]),
    (lambda: rnnlib.rnn_forward(np.zeros((5, 2, 3), dtype=complex), P), ["X", "real numbers", "complex"]),
    (lambda: rnnlib.rnn_forward([["a", "b", "c"]], P), ["X", "real numbers", "could not convert"]),
    (lambda: rnnlib.rnn_step_forward(np.zeros((2, 4)), np.zeros((2, 4)), P.W_xh, P.W_hh, P.b_h),
     ["x", "(B, D=3)", "(2, 4)"]),
    (lambda: rnnlib.rnn_step_forward(np.zeros((2, 3)), np.zeros((3, 4)), P.W_xh, P.W_hh, P.b_h),
     ["h_prev", "(B=2, H=4)", "(3, 4)"]),
    (lambda: rnnlib.rnn_step_backward(np.zeros((2, 5)), rnnlib.rnn_step_forward(
        np.zeros((2, 3)), np.zeros((2, 4)), P.W_xh, P.W_hh, P.b_h)[1]), ["dh", "(B=2, H=4)", "(2, 5)"]),
    (lambda: rnnlib.output_forward(np.zeros((5, 2, 4)), np.zeros((2, 3)), np.zeros(2)), ["W_hy", "(O, H=4)", "(2, 3)"]),
    (lambda: rnnlib.output_backward(np.zeros((5, 2, 3)), rnnlib.output_forward(
        np.zeros((5, 2, 4)), P.W_hy, P.b_y)[1]), ["dO", "(T=5, B=2, O=2)", "(5, 2, 3)"]),
    (lambda: rnnlib.rnn_backward(np.zeros((5, 2, 3)), CACHE), ["dH", "(T=5, B=2, H=4)", "(5, 2, 3)"]),
    (lambda: rnnlib.rnn_backward(np.zeros((5, 2, 4)), None), ["cache", "RNNCache", "NoneType"]),
    (lambda: rnnlib.truncated_bptt(np.zeros((5, 2, 4)), CACHE, -2), ["K", "positive integer", "-2"]),
    (lambda: rnnlib.chunked_bptt(np.zeros((5, 2, 4)), CACHE, 1.5), ["K", "positive integer", "1.5"]),
    (lambda: rnnlib.contributions(np.zeros((4, 2, 4)), CACHE), ["dH", "(T=5, B=2, H=4)", "(4, 2, 4)"]),
    (lambda: rnnlib.jacobian_log10_norms(np.zeros((3, 2)), np.zeros((4, 3))), ["W_hh", "(H, H)", "(3, 2)"]),
    (lambda: rnnlib.jacobian_log10_norms(W, np.zeros((4, 2))), ["log_fprime", "(T, H=3)", "(4, 2)"]),
    (lambda: rnnlib.jacobian_log10_norms(W, np.zeros((4, 3)), ord=1), ["ord", "2", "1"]),
    (lambda: rnnlib.influence_log10_norms(W, np.zeros((4, 3)), W_xh=np.zeros((2, 2))), ["W_xh", "(H=3, D)", "(2, 2)"]),
    (lambda: rnnlib.forward_log_derivatives(W, np.zeros((4, 2))), ["U", "(T, H=3)", "(4, 2)"]),
    (lambda: rnnlib.forward_log_derivatives(W, np.zeros((4, 3)), "softplus"), ["nonlinearity", "'softplus'"]),
    (lambda: rnnlib.cache_log_derivatives(CACHE, b=2), ["b", "[0, 2)", "2"]),
    (lambda: rnnlib.cache_log_derivatives(CACHE, b=0.5), ["b", "[0, 2)", "0.5"]),
    (lambda: rnnlib.cache_log_derivatives(CACHE, b=True), ["b", "[0, 2)", "True"]),
    (lambda: rnnlib.scalar_log10_jacobian(0.5, np.zeros((4, 3))), ["log_fprime", "(T)", "(4, 3)"]),
    (lambda: rnnlib.singular_values(np.zeros((2, 3))), ["W", "square", "(2, 3)"]),
    (lambda: rnnlib.pascanu_log10_bound(np.zeros((2, 3)), [1]), ["W_hh", "square", "(2, 3)"]),
    (lambda: rnnlib.pascanu_log10_bound(np.full((2, 2), np.nan), [1]), ["W_hh", "finite"]),
    (lambda: rnnlib.scalar_log10_jacobian(np.inf, np.zeros(3)), ["w", "finite number", "inf"]),
    (lambda: rnnlib.pascanu_log10_bound(W, [-1, 2]), ["lags", "non-negative"]),
    (lambda: rnnlib.spectral_radius(np.zeros((2, 3))), ["W", "square", "(2, 3)"]),
    (lambda: rnnlib.numerical_gradient(lambda: 0.0, np.zeros(2), eps=0.0), ["eps", "positive", "0.0"]),
    (lambda: rnnlib.numerical_gradient(lambda: 0.0, [1.0, 2.0]), ["x", "float64 numpy array", "list"]),
    (lambda: rnnlib.rel_error(np.zeros(2), np.zeros(3)), ["b", "(2,)", "(3,)"]),
    (lambda: rnnlib.rel_error(np.zeros(2), np.array([0.0, np.inf])), ["b", "finite"]),
    (lambda: rnnlib.check_gradients(lambda: 0.0, {"a": np.zeros(2)}, {"a": np.zeros(3)}),
     ["grads['a']", "(2,)", "(3,)"]),
    (lambda: rnnlib.check_gradients(lambda: 0.0, {"a": np.zeros(1)}, {"b": np.zeros(1)}), ["grads", "'a'", "'b'"]),
    (lambda: init.orthogonal(3, None), ["rng", "Generator", "NoneType"]),
    (lambda: init.with_spectral_radius(np.zeros((2, 2)), 1.0), ["W", "spectral radius 0"]),
    (lambda: init.with_spectral_norm(np.eye(2), np.nan), ["sigma_max", "finite number", "nan"]),
    (lambda: init.with_spectral_radius(np.zeros((2, 3)), 1.0), ["W", "square", "(2, 3)"]),
    (lambda: init.gaussian(3, rng, std=-1.0), ["std", ">= 0", "-1.0"]),
    (lambda: tasks.recall_task(0, 4, rng), ["lag", "positive integer", "0"]),
    (lambda: tasks.recall_task(3, 4, rng, n_symbols=1), ["n_symbols", "at least 2", "1"]),
    (lambda: tasks.recall_task(3, 4, 7), ["rng", "Generator", "int"]),
    (lambda: train.clip_by_norm(P, 0.0), ["max_norm", "positive", "0.0"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), rng, lr=-1.0), ["lr", "positive", "-1.0"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), rng, lr=np.nan), ["lr", "finite", "nan"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), rng, clip=0.0), ["clip", "positive", "0.0"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), 3), ["rng", "Generator", "int"]),
    (lambda: train.adam_step(P, P, train.adam_init(P), beta1=1.0), ["beta1", "[0, 1)", "1.0"]),
    (lambda: jacobian.product_log10_norms(np.ones((3, 2, 4))), ["J", "(T, H, H)", "(3, 2, 4)"]),
    (lambda: train.clip_elementwise(P, -1.0), ["value", "positive", "-1.0"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), rng, steps=0), ["steps", "positive integer", "0"]),
    (lambda: train.train(P, lambda r: tasks.recall_task(2, 4, r), rng, optimizer="rmsprop"),
     ["optimizer", "'rmsprop'"]),
]


@pytest.mark.parametrize("call, words", CASES, ids=[f"case{i:02d}-{c[1][0]}" for i, c in enumerate(CASES)])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert message.startswith(words[0] + ":"), message
    for word in words[1:]:
        assert word in message, (word, message)


@pytest.mark.parametrize(
    ("batch", "name"),
    [
        (tasks.Batch(np.full((3, 1, 6), np.nan), np.zeros((3, 1)), np.zeros(3)), r"batch\.X"),
        (tasks.Batch(np.zeros((3, 1, 6)) + 1j, np.zeros((3, 1)), np.zeros(3)), r"batch\.X"),
        (tasks.Batch(np.zeros((3, 6)), np.zeros((3, 1)), np.zeros(3)), r"batch\.X"),
        (tasks.Batch([[[0.0] * 6]] * 3, np.zeros((2, 1)), np.zeros(3)), r"batch\.Y"),
        (tasks.Batch(np.zeros((3, 1, 6)), np.full((3, 1), np.inf), np.zeros(3)), r"batch\.Y"),
        (tasks.Batch(np.zeros((3, 1, 6)), np.full((3, 1), 7.0), np.zeros(3)), r"batch\.Y"),
        (tasks.Batch(np.zeros((1, 1, 6)), np.zeros((1, 1)), np.zeros(1)), r"batch\.X"),
    ],
)
def test_recall_text_refuses_a_broken_batch_by_name(batch, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        tasks.recall_text(batch)


def test_linear_log_derivatives_still_check_h_init():
    W = np.eye(3)
    for bad in (np.zeros(2), np.full(3, np.nan)):
        with pytest.raises(ValueError, match=r"^h_init: expected"):
            jacobian.forward_log_derivatives(W, np.zeros((4, 3)), "linear", h_init=bad)


@pytest.mark.parametrize("call", [
    lambda p, g: train.sgd_step(p, g, 0.1),
    lambda p, g: train.adam_step(p, g, train.adam_init(g), 0.1),
    lambda p, g: train.cosine(p, g),
])
def test_an_empty_parameter_array_is_named_in_its_own_argument(call):
    empty = rnnlib.Params(np.zeros((0, 2)), np.eye(2), np.zeros(2), np.ones((1, 2)), np.zeros(1))
    with pytest.raises(ValueError, match=r"^(params|a|grads)\.W_xh: expected a non-empty array, got shape \(0, 2\)"):
        call(empty, empty)
