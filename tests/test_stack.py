"""Stacked training: each model of a stack gets exactly what it would get trained alone."""

import numpy as np
import pytest

import rnnlib
from rnnlib import gated, stack, train
from rnnlib.tasks import recall_task

D, H, O = 6, 5, 4


def vanilla_init(rng):
    return rnnlib.init_params(D, H, O, rng)


def gated_init(rng):
    return gated.init_gated_params(D, H, O, rng, gate_bias=-1.0)


def rel(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def solo(init, seed, lag, *, steps, clip=None, clip_mode="norm", z=None, kind="vanilla", nonlinearity="tanh"):
    rng = np.random.default_rng(seed)
    if kind == "vanilla":
        grad_fn = train.vanilla_grad_fn(nonlinearity)
    else:
        grad_fn = gated.gated_grad_fn(z)
    return train.train(init(rng), lambda r: recall_task(lag, 8, r), rng, steps=steps, clip=clip,
                       clip_mode=clip_mode, grad_fn=grad_fn)


CASES = [
    ("vanilla", vanilla_init, None, "tanh"),
    ("vanilla", vanilla_init, None, "sigmoid"),
    ("gated", gated_init, None, "tanh"),          # learned gate
    ("gated", gated_init, 0.3, "tanh"),           # fixed gate
]


@pytest.mark.parametrize("kind, init, z, nonlinearity", CASES)
@pytest.mark.parametrize("clip_mode", ["norm", "elementwise"])
def test_each_model_of_a_stack_ends_where_its_solo_run_ends(kind, init, z, nonlinearity, clip_mode):
    seeds, clips, lag, steps = [0, 1, 2, 1], [None, 0.05, 0.5, 0.02], 4, 25
    rngs = [np.random.default_rng(s) for s in seeds]
    start = stack.stack([init(r) for r in rngs])
    limits = np.array([np.inf if c is None else c for c in clips])
    trained, history, kept = stack.train(start, lambda r: recall_task(lag, 8, r), rngs, steps=steps,
                                         clip=limits, clip_mode=clip_mode, z=z, nonlinearity=nonlinearity,
                                         keep=[10, steps])
    for s, (seed, c) in enumerate(zip(seeds, clips)):
        p, hist = solo(init, seed, lag, steps=steps, clip=c, clip_mode=clip_mode, z=z, kind=kind,
                       nonlinearity=nonlinearity)
        for name, a, b in zip(p._fields, stack.unstack(trained)[s], p):
            assert rel(a, b) <= 1e-12, (s, name, rel(a, b))
        assert rel(history.loss[s], hist.loss) <= 1e-12
        assert rel(history.grad_norm[s], hist.grad_norm) <= 1e-12
        p10, _ = solo(init, seed, lag, steps=10, clip=c, clip_mode=clip_mode, z=z, kind=kind,
                      nonlinearity=nonlinearity)
        for a, b in zip(stack.unstack(kept[10])[s], p10):       # a kept budget is the shorter run
            assert rel(a, b) <= 1e-12
    # the clipped models really were clipped, so the comparison covered clipping
    assert np.sum(history.grad_norm[1] > 0.05) > 0 and np.sum(history.grad_norm[3] > 0.02) > 0


@pytest.mark.parametrize("kind, init, z, nonlinearity", CASES)
def test_stacked_gradient_matches_finite_differences(kind, init, z, nonlinearity):
    rng = np.random.default_rng(7)
    models = [init(rng) for _ in range(3)]
    models = [type(m)(*(a + 0.1 * rng.normal(size=a.shape) for a in m)) for m in models]
    p = stack.stack(models)
    T, B = 5, 3
    X = rng.normal(size=(T, 3, B, D))
    Y = rng.integers(0, O, size=(T, 3, B))
    mask = np.array([0.0, 1.0, 0.0, 0.5, 1.0])
    arrays = {n: np.array(a) for n, a in p._asdict().items()}
    everything = dict(arrays)

    def loss_fn():
        q = type(p)(*(arrays.get(n, everything[n]) for n in p._fields))
        return float(stack.loss_and_grads(q, X, Y, mask, z=z, nonlinearity=nonlinearity)[0].sum())

    losses, grads = stack.loss_and_grads(p, X, Y, mask, z=z, nonlinearity=nonlinearity)
    if kind == "gated" and z is not None:                       # a fixed gate: the gate weights are unused
        arrays = {n: a for n, a in arrays.items() if n not in ("W_xz", "W_hz", "b_z")}
        assert all(np.all(getattr(grads, n) == 0) for n in ("W_xz", "W_hz", "b_z"))
    errors = rnnlib.check_gradients(loss_fn, arrays, {n: getattr(grads, n) for n in arrays})
    assert max(errors.values()) <= 1e-7, errors
    # and each model's loss and gradient is its solo one
    for s, m in enumerate(models):
        if kind == "vanilla":
            value, g, _ = rnnlib.loss_and_grads(m, X[:, s], Y[:, s], mask=mask, nonlinearity=nonlinearity)
        else:
            value, g, _ = gated.gated_loss_and_grads(m, X[:, s], Y[:, s], mask=mask, z=z)
        assert abs(losses[s] - value) <= 1e-12 * abs(value)
        for a, b in zip(g, stack.unstack(grads)[s]):
            assert np.max(np.abs(a - b)) <= 1e-12 * max(np.max(np.abs(a)), 1e-300)


def test_lag_sweep_equals_the_solo_sweep_and_reads_budgets_off_one_run():
    kw = {"batch": 8, "n_test": 50}
    inits = {"gaussian": vanilla_init, "clipped": vanilla_init}
    out = stack.lag_sweep(inits, [2, 3], [0, 1], steps=[5, 12], clip={"clipped": 0.01}, **kw)
    assert set(out) == set(inits) and out["gaussian"].shape == (2, 2, 2)
    for b, steps in enumerate([5, 12]):
        np.testing.assert_array_equal(out["gaussian"][b], train.lag_sweep(vanilla_init, [2, 3], [0, 1],
                                                                          steps=steps, **kw))
        np.testing.assert_array_equal(out["clipped"][b], train.lag_sweep(vanilla_init, [2, 3], [0, 1], steps=steps,
                                                                         clip=0.01, **kw))
    one = stack.lag_sweep({"g": gated_init}, [3], [4], steps=6, **kw)["g"]
    assert one.shape == (1, 1)
    assert one[0, 0] == train.lag_sweep(gated_init, [3], [4], steps=6, grad_fn=gated.gated_grad_fn(),
                                        predict_fn=gated.gated_predict_fn(), **kw)[0, 0]


def test_accuracy_and_predict_match_solo():
    rngs = [np.random.default_rng(s) for s in (0, 1)]
    models = [vanilla_init(r) for r in rngs]
    batches = [recall_task(3, 20, np.random.default_rng(5 + s)) for s in (0, 1)]
    acc = stack.accuracy(stack.stack(models), batches)
    for s in (0, 1):
        assert acc[s] == train.accuracy(models[s], batches[s])
    O_all = stack.predict(stack.stack(models), np.stack([b.X for b in batches], axis=1))
    assert rel(O_all[:, 1], rnnlib.predict(models[1], batches[1].X)) <= 1e-12


def test_stack_round_trip_and_errors():
    models = [vanilla_init(np.random.default_rng(s)) for s in range(3)]
    back = stack.unstack(stack.stack(models))
    for m, b in zip(models, back):
        for x, y in zip(m, b):
            np.testing.assert_array_equal(x, y)
    p = stack.stack(models)
    rngs = [np.random.default_rng(s) for s in range(3)]
    make = lambda r: recall_task(2, 4, r)  # noqa: E731
    bad = [
        (lambda: stack.stack([]), "models"),
        (lambda: stack.stack([models[0], gated_init(np.random.default_rng(0))]), "models"),
        (lambda: stack.stack([models[0], rnnlib.init_params(D, H + 1, O, np.random.default_rng(0))]), "models"),
        (lambda: stack.train(p, make, rngs[:2], steps=2), "rngs"),
        (lambda: stack.train(p, make, rngs, steps=0), "steps"),
        (lambda: stack.train(p, make, rngs, steps=2, lr=-1.0), "lr"),
        (lambda: stack.train(p, make, rngs, steps=2, clip=np.array([1.0, 0.0, 1.0])), "clip"),
        (lambda: stack.train(p, make, rngs, steps=2, clip=[1.0, 1.0]), "clip"),
        (lambda: stack.train(p, make, rngs, steps=2, clip_mode="both"), "clip_mode"),
        (lambda: stack.train(p, make, rngs, steps=2, keep=[3]), "keep"),
        (lambda: stack.train(p, "batch", rngs, steps=2), "make_batch"),
        (lambda: stack.train(models[0], make, rngs, steps=2), "W_xh"),
        (lambda: stack.forward(np.zeros((2, 2, 1, D)), p), "X"),
        (lambda: stack.backward(np.zeros((2, 3, 1, H)), None), "cache"),
        (lambda: stack.accuracy(p, [recall_task(2, 4, r) for r in rngs[:2]]), "batches"),
        (lambda: stack.lag_sweep({}, [2], [0]), "init_fns"),
        (lambda: stack.lag_sweep({"v": vanilla_init}, [2], [-1]), "seeds"),
        (lambda: stack.lag_sweep({"v": vanilla_init}, [0], [0]), "lags"),
        (lambda: stack.lag_sweep({"v": vanilla_init}, [2], [0], steps=[]), "steps"),
    ]
    for call, name in bad:
        with pytest.raises(ValueError, match=name):
            call()


def test_a_blown_up_model_is_named_with_its_step():
    rngs = [np.random.default_rng(s) for s in range(2)]
    models = [vanilla_init(r) for r in rngs]
    models[1] = models[1]._replace(W_hy=models[1].W_hy * 1e308)     # its logits overflow at once
    with pytest.raises(ValueError, match="model 1 .* step 1"):
        stack.train(stack.stack(models), lambda r: recall_task(2, 4, r), rngs, steps=3)
