"""Training: gradient clipping, SGD and Adam steps, a training loop, accuracy, and the lag sweep.

Every function is pure: optimizer state goes in and comes out explicitly. Parameters and
gradients may be any NamedTuple of arrays (``rnnlib.Params`` or another model's), so the
same loop trains every model of the course.

A non-finite gradient (an entry that overflowed to inf, or NaN) is never clipped, stepped on or
averaged away: every function here raises ``ValueError`` naming the entry (``grads.W_hh``), and
``train`` adds the training step at which it arrived. Clipping cannot rescue it (the direction of
a vector with an infinite entry is undefined), so this is PyTorch's ``clip_grad_norm_`` with
``error_if_nonfinite=True``; the learner sees where the explosion happened instead of NaN weights.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validate import (
    check_array,
    check_callable,
    check_choice,
    check_finite_scalar,
    check_list,
    check_positive,
    check_positive_int,
    check_rng,
    check_seed,
    check_tree,
    real_array,
)
from .activations import NONLINEARITIES
from .bptt import loss_and_grads
from .rnn import predict
from .tasks import Batch, recall_task

#: (params, X, Y, mask) -> (loss, grads): the gradient of a model with cross-entropy at masked steps.
GradFn = Callable[[Any, np.ndarray, np.ndarray, np.ndarray], tuple[float, Any]]
#: (params, X) -> O (T, B, O): a model's outputs.
PredictFn = Callable[[Any, np.ndarray], np.ndarray]
#: The clipping variants of ``train``: rescale the whole gradient, or clamp each entry.
CLIP_MODES = ("norm", "elementwise")


def _like(params: Any, arrays) -> Any:
    return type(params)(*arrays)


def vanilla_grad_fn(nonlinearity: str = "tanh", truncate: int | None = None) -> GradFn:
    """The vanilla RNN's GradFn: cross-entropy at masked steps, full or truncated BPTT."""
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if truncate is not None:
        truncate = check_positive_int("truncate", truncate)

    def grad_fn(params, X, Y, mask):
        value, grads, _ = loss_and_grads(params, X, Y, loss="xent", mask=mask, nonlinearity=nonlinearity,
                                         truncate=truncate)
        return value, grads

    return grad_fn


def _norm(grads: Any) -> float:
    """The global norm of finite gradients, scaled by the largest entry so that squares cannot overflow."""
    top = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
    if top == 0.0:
        return 0.0
    if 1e-150 < top < 1e150:                     # squares neither overflow nor underflow: the plain sum
        return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
    return top * float(np.sqrt(sum(float(np.sum(np.square(np.asarray(g) / top))) for g in grads)))


def global_norm(grads: Any) -> float:
    """sqrt of the sum of squares of every gradient entry (a NamedTuple of finite arrays)."""
    return _norm(check_tree("grads", grads))


def clip_by_norm(grads: Any, max_norm: float) -> tuple[Any, float]:
    """Rescale all gradients together so their global norm is at most max_norm (Pascanu et al.).

    The direction is kept. A gradient with a NaN or inf entry raises ValueError naming that entry:
    its direction is undefined, so no rescaling can clip it (see the module docstring).
    Returns: the clipped gradients and the norm before clipping.
    """
    max_norm = check_positive("max_norm", max_norm, "a positive threshold")
    norm = _norm(check_tree("grads", grads))
    if norm <= max_norm:
        return grads, norm
    return _like(grads, (np.asarray(g) * (max_norm / norm) for g in grads)), norm


def clip_elementwise(grads: Any, value: float) -> Any:
    """Clamp every gradient entry to [-value, value]; this can change the direction.

    A NaN or inf entry raises ValueError naming it, as ``clip_by_norm`` does.
    """
    value = check_positive("value", value, "a positive threshold")
    return _like(check_tree("grads", grads), (np.clip(g, -value, value) for g in grads))


def _check_update(new: Any, grads: Any, what: str = "params") -> Any:
    for field, p in zip(new._fields, new, strict=True):
        if not np.all(np.isfinite(p)):
            raise ValueError(f"grads.{field}: expected a gradient small enough for the update to stay finite, "
                             f"got entries up to {float(np.max(np.abs(getattr(grads, field)))):.3g}, "
                             f"which overflowed {what}.{field} (clip the gradient or lower lr)")
    return new


def sgd_step(params: Any, grads: Any, lr: float) -> Any:
    """W <- W - lr dLoss/dW, the lecture note's update, for every parameter.

    Inputs: params and grads, NamedTuples of finite arrays of the same shapes; lr > 0.
    """
    check_tree("params", params, empty=False)
    check_tree("grads", grads, like=params)
    lr = check_positive("lr", lr, "a positive learning rate")
    with np.errstate(over="ignore"):
        new = _like(params, (np.asarray(p) - lr * np.asarray(g) for p, g in zip(params, grads, strict=True)))
    return _check_update(new, grads)


def clipped_fraction(grad_norms: np.ndarray, threshold: float) -> float:
    """Fraction of steps whose gradient norm exceeded ``threshold`` (so norm clipping acted).

    Inputs: grad_norms (N,), e.g. ``History.grad_norm``; threshold > 0. Returns: a number in [0, 1].
    """
    norms = check_array("grad_norms", grad_norms, (("N", None),))
    threshold = check_positive("threshold", threshold, "a positive threshold")
    return float(np.mean(norms > threshold))


def cosine(a: Any, b: Any) -> float:
    """Cosine of the angle between two gradients (NamedTuples of arrays, flattened together).

    1 means the same direction; clipping by norm keeps it at 1, element-wise clipping need not.
    """
    check_tree("a", a, empty=False)
    check_tree("b", b, like=a, like_name="a")
    na, nb = _norm(a), _norm(b)
    for name, n in (("a", na), ("b", nb)):
        if n == 0.0:
            raise ValueError(f"{name}: expected a non-zero gradient, got a zero vector (its direction is undefined)")
    if max(na, nb) < 1e150 and min(na, nb) > 1e-150:     # the products cannot overflow or underflow
        return sum(float(np.sum(np.multiply(x, y))) for x, y in zip(a, b, strict=True)) / (na * nb)
    return sum(float(np.sum((np.asarray(x) / na) * (np.asarray(y) / nb))) for x, y in zip(a, b, strict=True))


class AdamState(NamedTuple):
    """First and second moment estimates (shaped like the params) and the step count."""

    m: Any
    v: Any
    step: int


def adam_init(params: Any) -> AdamState:
    """Zero moments for ``params`` (two separate sets of arrays)."""
    check_tree("params", params)
    return AdamState(_like(params, (np.zeros(np.shape(p)) for p in params)),
                     _like(params, (np.zeros(np.shape(p)) for p in params)), 0)


def _check_state(state: object, params: Any) -> AdamState:
    if not isinstance(state, AdamState):
        raise ValueError(f"state: expected the AdamState of adam_init or adam_step, got {type(state).__name__}")
    check_tree("state.m", state.m, like=params)
    check_tree("state.v", state.v, like=params)
    if any(np.any(np.asarray(v) < 0) for v in state.v):
        raise ValueError("state.v: expected second moments >= 0, got negative entries")
    step = state.step
    if not isinstance(step, (int, np.integer)) or isinstance(step, bool) or step < 0:
        raise ValueError(f"state.step: expected a step count >= 0, got {step!r}")
    return state


#: Adam's defaults (Kingma & Ba, 2015): the decay rates of the two moments, and eps.
ADAM_DEFAULTS = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def adam_step(
    params: Any, grads: Any, state: AdamState, lr: float = 1e-2,
    beta1: float = ADAM_DEFAULTS["beta1"], beta2: float = ADAM_DEFAULTS["beta2"], eps: float = ADAM_DEFAULTS["eps"],
) -> tuple[Any, AdamState]:
    """One Adam update (Kingma & Ba, 2015). Returns: new params and new state.

    Inputs: params and grads, NamedTuples of finite arrays of the same shapes; state from
    ``adam_init``; lr > 0; beta1, beta2 in [0, 1); eps > 0.
    """
    check_tree("params", params, empty=False)
    check_tree("grads", grads, like=params)
    _check_state(state, params)
    lr = check_positive("lr", lr, "a positive learning rate")
    eps = check_positive("eps", eps, "a positive number (it keeps the step finite where v = 0)")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= check_finite_scalar(name, beta) < 1.0:
            raise ValueError(f"{name}: expected a decay rate in [0, 1), got {beta!r}")
    with np.errstate(over="ignore"):                       # an overflow is refused just below, by name
        new, state = _adam_update(params, grads, state, lr, beta1, beta2, eps)
    _check_update(state.v, grads, "Adam's second moment v")     # g * g overflowed: too large a gradient for Adam
    return _check_update(new, grads), state


def _adam_update(params: Any, grads: Any, state: AdamState, lr: float, beta1: float, beta2: float,
                 eps: float) -> tuple[Any, AdamState]:
    """``adam_step``'s arithmetic on checked arguments (also the stacked trainer's, with a model axis)."""
    t = int(state.step) + 1
    m = _like(params, (beta1 * m + (1 - beta1) * np.asarray(g) for m, g in zip(state.m, grads, strict=True)))
    v = _like(params, (beta2 * v + (1 - beta2) * np.square(g) for v, g in zip(state.v, grads, strict=True)))
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    new = _like(params, (p - lr * (mi / c1) / (np.sqrt(vi / c2) + eps) for p, mi, vi in zip(params, m, v, strict=True)))
    return new, AdamState(m, v, t)


class History(NamedTuple):
    """Per training step: the loss and the gradient's global norm before clipping."""

    loss: np.ndarray
    grad_norm: np.ndarray


def _training_step(make_batch, grad_fn, params, rng):
    batch = make_batch(rng)
    if not isinstance(batch, tuple) or len(batch) != 3:
        raise ValueError(f"make_batch: expected a function returning a Batch (X, Y, mask), "
                         f"got a {type(batch).__name__}")
    with np.errstate(all="ignore"):              # an overflow shows as inf or NaN, refused just below by name
        out = grad_fn(params, *batch)
    if not isinstance(out, tuple) or len(out) != 2:
        raise ValueError(f"grad_fn: expected a function returning (loss, grads), got a {type(out).__name__}")
    loss, grads = out
    loss = float(real_array("grad_fn's loss", loss, finite=False))
    if not np.isfinite(loss):
        raise ValueError(f"grad_fn: expected a finite loss, got {loss}: the forward pass overflowed (the states "
                         "exploded); lower lr, clip earlier or start from a smaller spectral radius")
    try:
        check_tree("grads", grads, like=params)
    except ValueError as exc:
        if "finite" not in str(exc):
            raise
        raise ValueError(f"{exc}: the gradient grad_fn returned has exploded past float64; clipping acts on "
                         "finite gradients only, so lower lr, clip earlier or start from a smaller spectral radius"
                         ) from None
    return loss, grads


def train(
    params: Any,
    make_batch: Callable[[np.random.Generator], Batch],
    rng: np.random.Generator,
    *,
    steps: int = 300,
    lr: float = 1e-2,
    optimizer: str = "adam",
    clip: float | None = None,
    grad_fn: GradFn | None = None,
    clip_mode: str = "norm",
) -> tuple[Any, History]:
    """Train on fresh batches from ``make_batch(rng)``.

    Inputs: initial params; make_batch, a function of an rng returning a Batch; rng;
    steps; lr; optimizer 'adam' | 'sgd'; clip, a threshold or None (no clipping);
    grad_fn, the model's gradient (default: the vanilla tanh RNN with full BPTT);
    clip_mode 'norm' (``clip_by_norm``: rescale, direction kept) or 'elementwise'
    (``clip_elementwise``: clamp each entry, direction may change).
    Returns: trained params and the History of every step.

    An exploding gradient that overflows (a NaN or inf entry, or an update too large to stay
    finite) stops training with a ValueError naming the entry and the step: the parameters never
    become NaN silently, and clipping cannot hide it (it acts on finite gradients only).
    """
    steps = check_positive_int("steps", steps)
    lr = check_positive("lr", lr, "a positive learning rate")
    check_choice("optimizer", optimizer, ("adam", "sgd"))
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    if clip is not None:
        clip = check_positive("clip", clip, "a positive clipping threshold or None")
    check_rng("rng", rng)
    check_callable("make_batch", make_batch, "a function of an rng returning a Batch")
    grad_fn = vanilla_grad_fn() if grad_fn is None else check_callable("grad_fn", grad_fn, "a GradFn or None")
    check_tree("params", params)
    state = adam_init(params)
    losses, norms = np.empty(steps), np.empty(steps)
    for i in range(steps):
        try:
            losses[i], grads = _training_step(make_batch, grad_fn, params, rng)
            if clip is None:
                norms[i] = _norm(grads)
            elif clip_mode == "norm":
                grads, norms[i] = clip_by_norm(grads, clip)
            else:
                norms[i] = _norm(grads)
                grads = clip_elementwise(grads, clip)
            if optimizer == "adam":
                params, state = adam_step(params, grads, state, lr)
            else:
                params = sgd_step(params, grads, lr)
        except ValueError as exc:
            raise ValueError(f"{exc} (at training step {i + 1} of {steps})") from None
    return params, History(losses, norms)


def accuracy(params: Any, batch: Batch, predict_fn: PredictFn | None = None) -> float:
    """Fraction of targets (steps with mask > 0) predicted right by the argmax of o_t.

    Inputs: params; batch, a Batch with X (T, B, D), Y (T, B) classes in [0, O) and mask (T,) or
    (T, B) with at least one target; predict_fn (None: the vanilla RNN's ``predict``).
    """
    if not isinstance(batch, Batch):
        raise ValueError(f"batch: expected the Batch returned by recall_task, got {type(batch).__name__}")
    check_tree("params", params)
    if predict_fn is not None:
        check_callable("predict_fn", predict_fn, "a PredictFn or None")
    X = check_array("batch.X", batch.X, (("T", None), ("B", None), ("D", None)))
    T, B, _ = X.shape
    Yf = check_array("batch.Y", batch.Y, (("T", T), ("B", B)))
    m = real_array("batch.mask", batch.mask)
    if m.shape == (T,):
        m = np.broadcast_to(m[:, None], (T, B))
    m = check_array("batch.mask", m, (("T", T), ("B", B)))
    steps = m > 0
    if not np.any(steps):
        raise ValueError("batch.mask: expected at least one step with a target (mask > 0), got none")
    O = predict(params, X) if predict_fn is None else predict_fn(params, X)
    O = check_array("predict_fn's output", O, (("T", T), ("B", B), ("O", None)))
    n = O.shape[2]
    y = Yf[steps]
    if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= n):
        raise ValueError(f"batch.Y: expected integer classes in [0, {n}) at the steps with a target, "
                         f"got values from {y.min():g} to {y.max():g}")
    return float(np.mean(O[steps].argmax(axis=-1) == y))


def check_sweep(
    init_fn: object, lags: object, seeds: object, steps: object, batch: object, n_symbols: object, n_test: object
) -> tuple[Any, list[int], list[int], tuple[int, int, int, int]]:
    """The arguments every lag sweep shares, checked by name.

    Returns: init_fn, lags, seeds and the sizes (steps, batch, n_symbols, n_test).
    """
    check_callable("init_fn", init_fn, "a function of an rng returning initial params")
    lags = check_list("lags", lags, check_positive_int, "positive integers")
    seeds = check_list("seeds", seeds, check_seed, "seeds (integers >= 0)")
    sizes = tuple(check_positive_int(n, v) for n, v in (("steps", steps), ("batch", batch), ("n_symbols", n_symbols),
                                                         ("n_test", n_test)))
    if sizes[2] < 2:
        raise ValueError(f"n_symbols: expected at least 2 symbols, got {n_symbols!r}")
    return init_fn, lags, seeds, sizes


def lag_sweep(
    init_fn: Callable[[np.random.Generator], Any], lags: Sequence[int], seeds: Sequence[int], *,
    steps: int = 300, batch: int = 64, lr: float = 1e-2, clip: float | None = None, grad_fn: GradFn | None = None,
    predict_fn: PredictFn | None = None, n_symbols: int = 4, n_test: int = 1000, clip_mode: str = "norm",
) -> np.ndarray:
    """Train one model per (lag, seed) on the recall task and measure its test accuracy.

    Inputs: init_fn(rng) -> initial params; lags; seeds (each seeds its own rng for the
    initial weights, the batches and the test set); the training settings of ``train``.
    Returns: accuracies, shape (len(lags), len(seeds)); chance is 1 / n_symbols.
    ``rnnlib.stack.lag_sweep`` gives the same accuracies, all seeds of a lag trained at once.
    """
    init_fn, lags, seeds, sizes = check_sweep(init_fn, lags, seeds, steps, batch, n_symbols, n_test)
    steps, batch, n_symbols, n_test = sizes  # [check]
    lr = check_positive("lr", lr, "a positive learning rate")
    if clip is not None:
        clip = check_positive("clip", clip, "a positive clipping threshold or None")
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    for name, fn in (("grad_fn", grad_fn), ("predict_fn", predict_fn)):
        if fn is not None:
            check_callable(name, fn, f"a {'GradFn' if name == 'grad_fn' else 'PredictFn'} or None")
    out = np.empty((len(lags), len(seeds)))
    for i, lag in enumerate(lags):
        for j, seed in enumerate(seeds):
            rng = np.random.default_rng(seed)
            params = init_fn(rng)
            params, _ = train(
                params, lambda r, lag=lag: recall_task(lag, batch, r, n_symbols), rng,
                steps=steps, lr=lr, clip=clip, grad_fn=grad_fn, clip_mode=clip_mode,
            )
            test = recall_task(lag, n_test, np.random.default_rng(10_000 + seed), n_symbols)
            out[i, j] = accuracy(params, test, predict_fn)
    return out
