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


def _models(init, n=3, seed=20):
    rng = np.random.default_rng(seed)
    return [init(rng) for _ in range(n)]


@pytest.mark.parametrize("kind, init, z, nonlinearity", CASES)
def test_public_forward_backward_and_predict_are_the_solo_ones(kind, init, z, nonlinearity):
    models = _models(init)
    p = stack.stack(models)
    rng = np.random.default_rng(21)
    X, dH = rng.normal(size=(4, 3, 2, D)), rng.normal(size=(4, 3, 2, H))
    Hs, cache = stack.forward(X, p, nonlinearity=nonlinearity, z=z)
    grads = stack.backward(dH, cache)
    O_all = stack.predict(p, X, nonlinearity=nonlinearity, z=z)
    for s, m in enumerate(models):
        if kind == "vanilla":
            Hm, cm = rnnlib.rnn_forward(X[:, s], m, nonlinearity=nonlinearity)
            _, _, *solo = rnnlib.rnn_backward(dH[:, s], cm)
            O = rnnlib.predict(m, X[:, s], nonlinearity=nonlinearity)
        else:
            Hm, cm = gated.gated_forward(X[:, s], m, z=z)
            solo = gated.gated_backward(dH[:, s], cm)[2]
            O = gated.gated_predict(m, X[:, s], z=z)
        assert rel(Hs[:, s], Hm) <= 1e-12 and rel(O_all[:, s], O) <= 1e-12
        for a, b in zip(solo, stack.unstack(grads)[s]):
            assert np.max(np.abs(a - b)) <= 1e-12 * max(np.max(np.abs(a)), 1e-300)
        assert not np.any(stack.unstack(grads)[s].W_hy) and not np.any(stack.unstack(grads)[s].b_y)


@pytest.mark.parametrize("clip", [None, 0.05, 1e-3])
def test_one_threshold_none_or_every_model_clipped(clip):
    """clip=None is inf for all; one number is that number for every model; all clipped at once is each solo run."""
    models = _models(vanilla_init, 2)
    rngs = lambda: [np.random.default_rng(s) for s in (0, 1)]  # noqa: E731
    make = lambda r: recall_task(3, 8, r)  # noqa: E731
    trained, hist, _ = stack.train(stack.stack(models), make, rngs(), steps=6, lr=0.05, clip=clip)
    limits = np.full(2, np.inf if clip is None else clip)
    same, _, _ = stack.train(stack.stack(models), make, rngs(), steps=6, lr=0.05, clip=limits)
    for a, b in zip(trained, same):
        np.testing.assert_array_equal(a, b)
    for s, m in enumerate(models):
        rng = np.random.default_rng(s)
        p, h = train.train(m, make, rng, steps=6, lr=0.05, clip=clip)
        assert all(rel(a, b) <= 1e-12 for a, b in zip(stack.unstack(trained)[s], p))
        assert rel(hist.grad_norm[s], h.grad_norm) <= 1e-12
    if clip == 1e-3:
        assert np.all(hist.grad_norm > clip)                     # every model clipped at every step


def test_train_defaults_to_300_steps():
    models = _models(vanilla_init, 2)
    _, hist, _ = stack.train(stack.stack(models), lambda r: recall_task(2, 4, r), [np.random.default_rng(s)
                                                                                   for s in (0, 1)])
    assert hist.loss.shape == (2, 300)


def test_accuracy_uses_the_fixed_gate():
    models = _models(gated_init, 2)
    batches = [recall_task(3, 30, np.random.default_rng(5 + s)) for s in (0, 1)]
    acc = stack.accuracy(stack.stack(models), batches, z=0.3)
    for s in (0, 1):
        assert acc[s] == train.accuracy(models[s], batches[s], gated.gated_predict_fn(0.3))


def test_messages_name_the_entry():
    models = _models(vanilla_init, 3)
    p = stack.stack(models)
    rngs = [np.random.default_rng(s) for s in range(3)]
    make = lambda r: recall_task(2, 4, r)  # noqa: E731
    batches = [recall_task(2, 4, r) for r in rngs]
    bad = [
        (lambda: stack.train(p, make, rngs, steps=2, clip=[1.0, 1.0]), r"^clip: expected an array of shape \(S=3\)"),
        (lambda: stack.train(p, make, [rngs[0], 1, rngs[2]], steps=2), r"^rngs\[1\]: expected a numpy.random"),
        (lambda: stack.train(p, lambda r: recall_task(2, 4, r, 3), rngs, steps=2),
         r"^X: expected an array of shape \(T, S=3, B, D=6\)"),
        (lambda: stack.accuracy(p, batches[:2] + [batches[2]._replace(X=np.zeros((3, 4, 5)))]),
         r"^batches\[2\]\.X: expected an array of shape \(T=3, B=4, D=6\)"),
        (lambda: stack.accuracy(p, batches[:2] + [batches[2]._replace(Y=np.zeros((3, 5)))]),
         r"^batches\[2\]\.Y: expected an array of shape \(T=3, B=4\)"),
        (lambda: stack.lag_sweep({"v": 3}, [2], [0]), r"^init_fns\['v'\]: expected a function of an rng returning"),
        (lambda: stack.lag_sweep({"v": vanilla_init}, [2], [0], clip={"v": -1.0}),
         r"^clip\['v'\]: expected a positive clipping threshold"),
        (lambda: stack.lag_sweep({"v": vanilla_init}, [2], [0], clip=-1.0), r"^clip: expected a positive clipping"),
    ]
    for call, pattern in bad:
        with pytest.raises(ValueError, match=pattern):
            call()


def test_lag_sweep_passes_every_setting_on():
    init = lambda r: gated.init_gated_params(5, 4, 3, r, gate_bias=-1.0)  # noqa: E731
    kw = dict(batch=8, lr=0.1, clip=0.02, clip_mode="elementwise", n_symbols=3, n_test=200)
    got = stack.lag_sweep({"g": init}, [2], [0, 1], steps=[10, 40], z=0.3, **kw)["g"]
    for b, steps in enumerate([10, 40]):
        np.testing.assert_array_equal(got[b], train.lag_sweep(init, [2], [0, 1], steps=steps,
                                                              grad_fn=gated.gated_grad_fn(0.3),
                                                              predict_fn=gated.gated_predict_fn(0.3), **kw))


def test_lag_sweep_defaults(monkeypatch):
    """300 steps on batches of 64, tested on 1000 sequences of 4 symbols: what the learner reads off is recorded."""
    seen = []

    def record(params, batches, **kw):
        seen.append((params, batches))
        return np.zeros(len(batches))

    monkeypatch.setattr(stack, "accuracy", record)
    init = lambda r: rnnlib.init_params(6, 3, 4, r)  # noqa: E731
    stack.lag_sweep({"v": init}, [2], [0])
    (params, batches), = seen
    assert batches[0].X.shape == (3, 1000, 6)
    rng = np.random.default_rng(0)
    p, _ = train.train(init(rng), lambda r: recall_task(2, 64, r), rng, steps=300)
    assert all(rel(a, b) <= 1e-12 for a, b in zip(stack.unstack(params)[0], p))


def test_lag_sweep_trains_as_long_as_its_longest_budget():
    out = stack.lag_sweep({"v": lambda r: rnnlib.init_params(4, 2, 2, r)}, [1], [0], steps=[301], batch=2,
                          n_symbols=2, n_test=5)["v"]
    assert out.shape == (1, 1, 1)


def test_defaults_and_data_messages():
    models = _models(vanilla_init, 3)
    p = stack.stack(models)
    rng = np.random.default_rng(22)
    X, Y, mask = rng.normal(size=(3, 3, 2, D)), rng.integers(0, O, size=(3, 3, 2)), np.ones(3)
    np.testing.assert_array_equal(stack.forward(X, p)[0], stack.forward(X, p, nonlinearity="tanh")[0])
    np.testing.assert_array_equal(stack.predict(p, X), stack.predict(p, X, nonlinearity="tanh"))
    np.testing.assert_array_equal(stack.loss_and_grads(p, X, Y, mask)[0],
                                  stack.loss_and_grads(p, X, Y, mask, nonlinearity="tanh")[0])
    with pytest.raises(ValueError, match=r"^X: expected an array of shape \(T, S=3, B, D=6\)"):
        stack.loss_and_grads(p, X[..., :5], Y, mask)
    with pytest.raises(ValueError, match=r"^X: expected an array of shape \(T, S=3, B, D=6\)"):
        stack.loss_and_grads(p, X[:, :2], Y[:, :2], mask)


def test_stack_messages_name_the_model_and_entry():
    models = _models(vanilla_init, 2)
    other = rnnlib.init_params(D + 1, H, O, np.random.default_rng(0))
    bad = [
        ([models[0], gated_init(np.random.default_rng(0))],
         r"^models: expected Params or GatedParams, all of one kind, got GatedParams, Params$"),
        ([models[0], models[1]._replace(W_hh=np.full((H, H), np.nan))], r"^models\[1\]\.W_hh: expected finite values"),
        ([models[0], other], r"^models: expected models of one size, got W_xh of shape \(5, 7\) in model 1 and"),
        ([m._replace(b_h=np.zeros(H + 1)) for m in models], r"^models\.b_h: expected an array of shape \(S=2, H=5\)"),
    ]
    for value, pattern in bad:
        with pytest.raises(ValueError, match=pattern):
            stack.stack(value)
    with pytest.raises(ValueError, match="^grads: expected a stack of Params or GatedParams"):
        stack.global_norms(models[0]._asdict())
    with pytest.raises(ValueError, match=r"^params\.W_xh: expected an array of shape \(S, H, D\), got shape \(5, 6\)"):
        stack.unstack(models[0])


def test_large_logits_give_the_solo_loss():
    models = [m._replace(W_hy=m.W_hy * 400.0) for m in _models(vanilla_init, 2)]   # logits in the hundreds
    rng = np.random.default_rng(23)
    X, Y, mask = rng.normal(size=(3, 2, 4, D)), rng.integers(0, O, size=(3, 2, 4)), np.array([0.0, 1.0, 1.0])
    losses, grads = stack.loss_and_grads(stack.stack(models), X, Y, mask)
    for s, m in enumerate(models):
        value, g, _ = rnnlib.loss_and_grads(m, X[:, s], Y[:, s], mask=mask)
        assert np.isfinite(losses[s]) and abs(losses[s] - value) <= 1e-12 * abs(value)


def test_logits_that_overflow_are_named_without_a_warning():
    """inf - inf in the softmax (an invalid operation) is reported by name, like an overflow."""
    import warnings

    rngs = [np.random.default_rng(s) for s in range(2)]
    models = [vanilla_init(r) for r in rngs]
    models[1] = models[1]._replace(W_hy=np.full((O, H), 1e308), b_y=np.full(O, 1e308))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="model 1 .* step 1"):
            stack.train(stack.stack(models), lambda r: recall_task(2, 4, r), rngs, steps=2)


def test_table_and_jacobian_defaults():
    from rnnlib import outcomes

    acc = np.array([[1.0, 0.9]])
    assert [len(line) for line in outcomes.band_table([3], {"a": acc}).splitlines()] == [30 + 14, 30 + 14]
    assert [len(line) for line in outcomes.count_table([3], {"a": acc}).splitlines()] == [24 + 9, 22 + 9]
    rng = np.random.default_rng(24)
    _, cache = gated.gated_forward(rng.normal(size=(3, 2, D)), gated_init(rng))
    np.testing.assert_array_equal(gated.gated_jacobians(cache), gated.gated_jacobians(cache, 0))
    assert not np.array_equal(gated.gated_jacobians(cache), gated.gated_jacobians(cache, 1))


# every option the stack accepts: each nonlinearity, the learned gate, a fixed gate (one number, per unit, fully open)
ALL_OPTIONS = [("vanilla", vanilla_init, None, f) for f in rnnlib.NONLINEARITIES] + [
    ("gated", gated_init, None, "tanh"), ("gated", gated_init, 0.3, "tanh"), ("gated", gated_init, 1.0, "tanh"),
    ("gated", gated_init, np.linspace(0.1, 0.9, H), "tanh")]


def _solo_forward_backward(kind, m, X, dH, nonlinearity, z):
    if kind == "vanilla":
        Hm, cm = rnnlib.rnn_forward(X, m, nonlinearity=nonlinearity)
        return Hm, rnnlib.rnn_backward(dH, cm)[2:]
    Hm, cm = gated.gated_forward(X, m, z=z)
    return Hm, gated.gated_backward(dH, cm)[2]


@pytest.mark.parametrize(("kind", "init", "z", "nonlinearity"), ALL_OPTIONS)
def test_stacked_forward_and_backward_are_s_solo_runs_for_every_option(kind, init, z, nonlinearity):
    # S = 3 models with their own weights and inputs, T = 7 steps from h_0 = 0: the stacked states and gradients are
    # each model's own, computed alone by rnnlib.rnn / rnnlib.gated (independent code without a model axis)
    models = _models(init)
    rng = np.random.default_rng(5)
    X, dH = rng.normal(size=(7, 3, 2, D)), rng.normal(size=(7, 3, 2, H))
    p = stack.stack(models)
    Hs, cache = stack._forward(X, p, nonlinearity, gated.check_gate(z, H))
    grads = stack._backward(dH, cache)
    for s, m in enumerate(models):
        Hm, solo_grads = _solo_forward_backward(kind, m, X[:, s], dH[:, s], nonlinearity, z)
        np.testing.assert_allclose(Hs[:, s], Hm, rtol=1e-12, atol=1e-14)
        for name, a, b in zip(type(m)._fields, solo_grads, stack.unstack(grads)[s]):
            np.testing.assert_allclose(b, a, rtol=1e-11, atol=1e-13, err_msg=name)
    if kind == "gated" and z is not None:          # a fixed gate: the gate's weights get no gradient
        assert not np.any(grads.W_xz) and not np.any(grads.W_hz) and not np.any(grads.b_z)


@pytest.mark.parametrize(("kind", "init", "z", "nonlinearity"),
                         [o for o in ALL_OPTIONS if o[3] == "linear" or not np.isscalar(o[2]) and o[2] is not None])
@pytest.mark.parametrize("clip_mode", ["norm", "elementwise"])
def test_stacked_training_is_s_solo_runs_for_the_other_options(kind, init, z, nonlinearity, clip_mode):
    seeds, clips, steps = [3, 4], [None, 0.05], 8
    rngs = [np.random.default_rng(s) for s in seeds]
    start = stack.stack([init(r) for r in rngs])
    trained, history, _ = stack.train(start, lambda r: recall_task(3, 8, r), rngs, steps=steps,
                                      clip=np.array([np.inf, 0.05]), clip_mode=clip_mode, z=z,
                                      nonlinearity=nonlinearity)
    for s, (seed, c) in enumerate(zip(seeds, clips)):
        p, hist = solo(init, seed, 3, steps=steps, clip=c, clip_mode=clip_mode, z=z, kind=kind,
                       nonlinearity=nonlinearity)
        for a, b in zip(stack.unstack(trained)[s], p):
            assert rel(a, b) <= 1e-12
        assert rel(history.loss[s], hist.loss) <= 1e-12 and rel(history.grad_norm[s], hist.grad_norm) <= 1e-12
    assert np.any(history.grad_norm[1] > 0.05)     # the clipped model was clipped
