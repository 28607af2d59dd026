"""Training: gradient clipping, SGD and Adam steps, a training loop, accuracy, and the lag sweep.

Every function is pure: optimizer state goes in and comes out explicitly. Parameters and
gradients may be any NamedTuple of arrays (``rnnlib.Params`` or another model's), so the
same loop trains every model of the course.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validate import check_array, check_choice, check_finite_scalar, check_positive_int, check_rng
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

    def grad_fn(params, X, Y, mask):
        value, grads, _ = loss_and_grads(params, X, Y, loss="xent", mask=mask, nonlinearity=nonlinearity,
                                         truncate=truncate)
        return value, grads

    return grad_fn


def global_norm(grads: Any) -> float:
    """sqrt of the sum of squares of every gradient entry."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def clip_by_norm(grads: Any, max_norm: float) -> tuple[Any, float]:
    """Rescale all gradients together so their global norm is at most max_norm (Pascanu et al.).

    The direction is kept. Returns: the clipped gradients and the norm before clipping.
    """
    max_norm = check_finite_scalar("max_norm", max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm: expected a positive threshold, got {max_norm!r}")
    norm = global_norm(grads)
    if norm <= max_norm:
        return grads, norm
    return _like(grads, (g * (max_norm / norm) for g in grads)), norm


def clip_elementwise(grads: Any, value: float) -> Any:
    """Clamp every gradient entry to [-value, value]; this can change the direction."""
    value = check_finite_scalar("value", value)
    if value <= 0:
        raise ValueError(f"value: expected a positive threshold, got {value!r}")
    return _like(grads, (np.clip(g, -value, value) for g in grads))


def sgd_step(params: Any, grads: Any, lr: float) -> Any:
    """W <- W - lr dLoss/dW, the lecture note's update, for every parameter."""
    return _like(params, (p - lr * g for p, g in zip(params, grads, strict=True)))


def clipped_fraction(grad_norms: np.ndarray, threshold: float) -> float:
    """Fraction of steps whose gradient norm exceeded ``threshold`` (so norm clipping acted).

    Inputs: grad_norms (N,), e.g. ``History.grad_norm``; threshold > 0. Returns: a number in [0, 1].
    """
    norms = check_array("grad_norms", grad_norms, (("N", None),))
    threshold = check_finite_scalar("threshold", threshold)
    if threshold <= 0:
        raise ValueError(f"threshold: expected a positive threshold, got {threshold!r}")
    return float(np.mean(norms > threshold))


def cosine(a: Any, b: Any) -> float:
    """Cosine of the angle between two gradients (NamedTuples of arrays, flattened together).

    1 means the same direction; clipping by norm keeps it at 1, element-wise clipping need not.
    """
    dot = sum(float(np.sum(x * y)) for x, y in zip(a, b, strict=True))
    na, nb = global_norm(a), global_norm(b)
    if na == 0.0 or nb == 0.0:
        raise ValueError("a: expected two non-zero gradients, got a zero vector")
    return dot / (na * nb)


class AdamState(NamedTuple):
    """First and second moment estimates (shaped like the params) and the step count."""

    m: Any
    v: Any
    step: int


def adam_init(params: Any) -> AdamState:
    """Zero moments for ``params`` (two separate sets of arrays)."""
    return AdamState(_like(params, (np.zeros_like(p) for p in params)),
                     _like(params, (np.zeros_like(p) for p in params)), 0)


def _check_rate(name: str, value: object) -> float:
    value = check_finite_scalar(name, value)
    if value <= 0:
        raise ValueError(f"{name}: expected a positive number, got {value!r}")
    return value


def adam_step(
    params: Any, grads: Any, state: AdamState, lr: float = 1e-2,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[Any, AdamState]:
    """One Adam update (Kingma & Ba, 2015). Returns: new params and new state."""
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= check_finite_scalar(name, beta) < 1.0:
            raise ValueError(f"{name}: expected a decay rate in [0, 1), got {beta!r}")
    t = state.step + 1
    m = _like(params, (beta1 * m + (1 - beta1) * g for m, g in zip(state.m, grads, strict=True)))
    v = _like(params, (beta2 * v + (1 - beta2) * g * g for v, g in zip(state.v, grads, strict=True)))
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    new = _like(params, (p - lr * (mi / c1) / (np.sqrt(vi / c2) + eps) for p, mi, vi in zip(params, m, v, strict=True)))
    return new, AdamState(m, v, t)


class History(NamedTuple):
    """Per training step: the loss and the gradient's global norm before clipping."""

    loss: np.ndarray
    grad_norm: np.ndarray


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
    """
    steps = check_positive_int("steps", steps)
    lr = _check_rate("lr", lr)
    check_choice("optimizer", optimizer, ("adam", "sgd"))
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    if clip is not None:
        clip = _check_rate("clip", clip)
    check_rng("rng", rng)
    grad_fn = vanilla_grad_fn() if grad_fn is None else grad_fn
    state = adam_init(params)
    losses, norms = np.empty(steps), np.empty(steps)
    for i in range(steps):
        X, Y, mask = make_batch(rng)
        losses[i], grads = grad_fn(params, X, Y, mask)
        if clip is None:
            norms[i] = global_norm(grads)
        elif clip_mode == "norm":
            grads, norms[i] = clip_by_norm(grads, clip)
        else:
            norms[i] = global_norm(grads)
            grads = clip_elementwise(grads, clip)
        if optimizer == "adam":
            params, state = adam_step(params, grads, state, lr)
        else:
            params = sgd_step(params, grads, lr)
    return params, History(losses, norms)


def accuracy(params: Any, batch: Batch, predict_fn: PredictFn | None = None) -> float:
    """Fraction of targets (steps with mask > 0) predicted right by the argmax of o_t."""
    O = predict(params, batch.X) if predict_fn is None else predict_fn(params, batch.X)
    steps = np.asarray(batch.mask) > 0
    return float(np.mean(O[steps].argmax(axis=-1) == batch.Y[steps]))


def lag_sweep(
    init_fn: Callable[[np.random.Generator], Any],
    lags: Sequence[int],
    seeds: Sequence[int],
    *,
    steps: int = 300,
    batch: int = 64,
    lr: float = 1e-2,
    clip: float | None = None,
    grad_fn: GradFn | None = None,
    predict_fn: PredictFn | None = None,
    n_symbols: int = 4,
    n_test: int = 1000,
    clip_mode: str = "norm",
) -> np.ndarray:
    """Train one model per (lag, seed) on the recall task and measure its test accuracy.

    Inputs: init_fn(rng) -> initial params; lags; seeds (each seeds its own rng for the
    initial weights, the batches and the test set); the training settings of ``train``.
    Returns: accuracies, shape (len(lags), len(seeds)); chance is 1 / n_symbols.
    """
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
