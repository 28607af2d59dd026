"""Training: gradient clipping, SGD and Adam steps, a training loop, accuracy.

Every function is pure: optimizer state goes in and comes out explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import check_choice, check_finite_scalar, check_positive_int
from .rnn import Params, loss_and_grads, predict
from .tasks import Batch


def global_norm(grads: Params) -> float:
    """sqrt of the sum of squares of every gradient entry."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def clip_by_norm(grads: Params, max_norm: float) -> tuple[Params, float]:
    """Rescale all gradients together so their global norm is at most max_norm (Pascanu et al.).

    The direction is kept. Returns: the clipped gradients and the norm before clipping.
    """
    max_norm = check_finite_scalar("max_norm", max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm: expected a positive threshold, got {max_norm!r}")
    norm = global_norm(grads)
    if norm <= max_norm:
        return grads, norm
    return Params(*(g * (max_norm / norm) for g in grads)), norm


def clip_elementwise(grads: Params, value: float) -> Params:
    """Clamp every gradient entry to [-value, value]; this can change the direction."""
    value = check_finite_scalar("value", value)
    if value <= 0:
        raise ValueError(f"value: expected a positive threshold, got {value!r}")
    return Params(*(np.clip(g, -value, value) for g in grads))


def sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """W <- W - lr dLoss/dW, the seed's update, for every parameter."""
    return Params(*(p - lr * g for p, g in zip(params, grads)))


class AdamState(NamedTuple):
    """First and second moment estimates (shaped like Params) and the step count."""

    m: Params
    v: Params
    step: int


def adam_init(params: Params) -> AdamState:
    """Zero moments for ``params``."""
    zeros = Params(*(np.zeros_like(p) for p in params))
    return AdamState(zeros, zeros, 0)


def adam_step(
    params: Params, grads: Params, state: AdamState, lr: float = 1e-2,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[Params, AdamState]:
    """One Adam update (Kingma & Ba, 2015). Returns: new params and new state."""
    t = state.step + 1
    m = Params(*(beta1 * m + (1 - beta1) * g for m, g in zip(state.m, grads)))
    v = Params(*(beta2 * v + (1 - beta2) * g * g for v, g in zip(state.v, grads)))
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    new = Params(*(p - lr * (mi / c1) / (np.sqrt(vi / c2) + eps) for p, mi, vi in zip(params, m, v)))
    return new, AdamState(m, v, t)


class History(NamedTuple):
    """Per training step: the loss and the gradient's global norm before clipping."""

    loss: np.ndarray
    grad_norm: np.ndarray


def train(
    params: Params,
    make_batch: Callable[[np.random.Generator], Batch],
    rng: np.random.Generator,
    *,
    steps: int = 300,
    lr: float = 1e-2,
    optimizer: str = "adam",
    clip: float | None = None,
    truncate: int | None = None,
    nonlinearity: str = "tanh",
) -> tuple[Params, History]:
    """Train with cross-entropy on fresh batches from ``make_batch(rng)``.

    Inputs: initial params; make_batch, a function of an rng returning a Batch; rng;
    steps; lr; optimizer 'adam' | 'sgd'; clip, a global-norm threshold or None;
    truncate, a BPTT window or None for full BPTT.
    Returns: trained params and the History of every step.
    """
    steps = check_positive_int("steps", steps)
    check_choice("optimizer", optimizer, ("adam", "sgd"))
    state = adam_init(params)
    losses, norms = np.empty(steps), np.empty(steps)
    for i in range(steps):
        X, Y, mask = make_batch(rng)
        losses[i], grads, _ = loss_and_grads(
            params, X, Y, loss="xent", mask=mask, nonlinearity=nonlinearity, truncate=truncate
        )
        if clip is None:
            norms[i] = global_norm(grads)
        else:
            grads, norms[i] = clip_by_norm(grads, clip)
        if optimizer == "adam":
            params, state = adam_step(params, grads, state, lr)
        else:
            params = sgd_step(params, grads, lr)
    return params, History(losses, norms)


def accuracy(params: Params, batch: Batch, nonlinearity: str = "tanh") -> float:
    """Fraction of targets (steps with mask > 0) predicted right by argmax of o_t."""
    O = predict(params, batch.X, nonlinearity=nonlinearity)
    steps = np.asarray(batch.mask) > 0
    return float(np.mean(O[steps].argmax(axis=-1) == batch.Y[steps]))
