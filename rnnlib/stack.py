"""Many independent models trained at once: a stack of S models as one batched computation.

A *stack* is the usual parameter container, ``rnnlib.Params`` or ``rnnlib.gated.GatedParams``,
whose arrays carry a leading model axis: W_hh (S, H, H), b_h (S, H), and so on. Model s sees
its own batch, X[:, s] (T, B, D), drawn from its own rng, and gets the update it would get trained
alone, up to the order of a few sums: every product below is a batched matmul over the model axis
(one small matrix product per model), and nothing is summed across models. Stacking only removes the Python
loop over models, which dominates at the course's sizes (H = 16..32, B = 32).

The recurrences are those of ``rnnlib.rnn`` and ``rnnlib.gated``; the tests check that each
model of a stack ends 25 training steps with the parameters of its solo run (to 1e-12 relative).
Over hundreds of steps near the edge of learnability such rounding differences can grow, as they
do between two computers; the notebooks therefore report training results over seeds.

Shapes: S models, T steps, B batch, D input, H hidden, O output. Arrays are time-major as
everywhere in the package, with the model axis next: X (T, S, B, D), so X[t, s] is model s's x_t
and X[t] is step t of every model at once (contiguous, for the per-step products).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validate import (
    _describe,
    check_array,
    check_cache,
    check_callable,
    check_choice,
    check_finite_scalar,
    check_list,
    check_positive,
    check_positive_int,
    check_rng,
    real_array,
)
from .activations import NONLINEARITIES, _derivative_from_output, activate
from .gated import GatedParams, check_gate
from .rnn import Params
from .tasks import Batch, recall_task
from .train import ADAM_DEFAULTS, CLIP_MODES, _adam_update, adam_init, check_sweep

#: The models a stack can hold: the vanilla RNN and the gated (leaky) unit.
MODELS = ("vanilla", "gated")


def stack(models: Sequence[Any]) -> Any:
    """S parameter containers of one kind and size -> one container of (S, ...) arrays."""
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if isinstance(models, (str, bytes)) or not isinstance(models, Sequence) or len(models) == 0:
        raise ValueError(f"models: expected a non-empty list of Params or GatedParams, got {_describe(models)}")
    # pragma: no mutate end
    kind = type(models[0])
    if kind not in (Params, GatedParams) or any(type(m) is not kind for m in models):
        names = sorted({type(m).__name__ for m in models})
        raise ValueError(f"models: expected Params or GatedParams, all of one kind, got {', '.join(names)}")
    checked = [[real_array(f"models[{s}].{f}", a) for f, a in zip(kind._fields, m)] for s, m in enumerate(models)]
    for s, m in enumerate(checked[1:], start=1):
        for field, a, b in zip(kind._fields, checked[0], m):
            # pragma: no mutate start (an argument check: tests/test_api.py)
            if a.shape != b.shape:
                raise ValueError(f"models: expected models of one size, got {field} of shape {b.shape} "
                                 f"in model {s} and {a.shape} in model 0")
            # pragma: no mutate end
    return _check_stack(kind(*(np.stack(arrays) for arrays in zip(*checked))), "models")[0]


def unstack(params: Any) -> list[Any]:
    """The inverse of ``stack``: a list of S containers (copies)."""
    p, (S, _, _, _) = _check_stack(params)
    return [type(p)(*(a[s].copy() for a in p)) for s in range(S)]


# pragma: no mutate start (an argument check: tests/test_api.py)
def _kind(params: Any, name: str = "params") -> str:
    if isinstance(params, Params):
        return "vanilla"
    if isinstance(params, GatedParams):
        return "gated"
    raise ValueError(f"{name}: expected a stack of Params or GatedParams (see rnnlib.stack.stack), "
                     f"got {_describe(params)}")
# pragma: no mutate end


def _check_stack(params: Any, name: str = "params") -> tuple[Any, tuple[int, int, int, int]]:
    """A stack of params (or of their gradients) as float64 arrays of consistent sizes, and (S, D, H, O)."""
    kind = _kind(params, name)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    W_xh = check_array(f"{name}.W_xh", params.W_xh, (("S", None), ("H", None), ("D", None)))
    # pragma: no mutate end
    S, H, D = W_xh.shape
    # pragma: no mutate start (an argument check: tests/test_api.py)
    W_hy = check_array(f"{name}.W_hy", params.W_hy, (("S", S), ("O", None), ("H", H)))
    # pragma: no mutate end
    O = W_hy.shape[1]
    # pragma: no mutate start (an argument check: tests/test_api.py)
    dims = {"W_xh": (("S", S), ("H", H), ("D", D)), "W_hh": (("S", S), ("H", H), ("H", H)),
            "b_h": (("S", S), ("H", H)), "W_hy": (("S", S), ("O", O), ("H", H)), "b_y": (("S", S), ("O", O)),
            "W_xz": (("S", S), ("H", H), ("D", D)), "W_hz": (("S", S), ("H", H), ("H", H)),
            "b_z": (("S", S), ("H", H))}
    checked = type(params)(*(check_array(f"{name}.{f}", getattr(params, f), dims[f]) for f in type(params)._fields))
    # pragma: no mutate end
    assert kind in MODELS
    return checked, (S, D, H, O)


def _check_options(params: Any, nonlinearity: object, z: object) -> tuple[Any, tuple[int, int, int, int], Any]:
    """The stack, its sizes and the fixed gate (None: learned, or a vanilla stack), every option checked."""
    p, dims = _check_stack(params)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    return p, dims, check_gate(z, dims[2])


class StackCache(NamedTuple):
    """What ``backward`` needs from ``forward``: inputs X (T, S, B, D); states H (T, S, B, H);
    candidates C and gates Z (T, S, B, H) for the gated unit (None for the vanilla RNN);
    the params; the nonlinearity (vanilla) or the fixed gate z (gated; None when learned)."""

    X: np.ndarray
    H: np.ndarray
    C: np.ndarray | None
    Z: np.ndarray | None
    params: Any
    nonlinearity: str
    z: np.ndarray | None


def _mT(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _per_model_sum(dA: np.ndarray, X: np.ndarray) -> np.ndarray:
    """sum over t and b of dA[t, s, b]^T X[t, s, b], for every model s: (S, H, D)."""
    return (_mT(dA) @ X).sum(axis=0)           # one (H, B) @ (B, D) product per step and model, then the sum over t


def forward(
    X: np.ndarray, params: Any, *, nonlinearity: str = "tanh", z: float | np.ndarray | None = None
) -> tuple[np.ndarray, StackCache]:
    """Run every model of the stack over its own sequences; h_init = 0.

    Inputs: X (T, S, B, D); params, a stack of Params (vanilla RNN, with ``nonlinearity``) or of
    GatedParams (gated unit, with ``z``: None for the learned gate or a fixed gate in (0, 1]).
    Both options are checked whichever the kind; each model uses its own.
    Returns: H (T, S, B, H) with H[t, s] = model s's h_t, and the StackCache.
    """
    p, (S, D, _, _), fixed = _check_options(params, nonlinearity, z)
    X = check_array("X", X, (("T", None), ("S", S), ("B", None), ("D", D)))
    return _forward(X, p, nonlinearity, fixed)


def _forward(X: np.ndarray, p: Any, nonlinearity: str, fixed: np.ndarray | None) -> tuple[np.ndarray, StackCache]:
    """``forward`` on checked arguments."""
    T, S, B, _ = X.shape
    Hn = p.W_hh.shape[1]
    h = np.zeros((S, B, Hn))
    if isinstance(p, Params):
        Hs = X @ _mT(p.W_xh) + p.b_h[:, None]                   # every step's input part at once
        W_T = _mT(p.W_hh)
        recurrent = np.empty((S, B, Hn))                          # W_hh h_{t-1}, one buffer for every step
        for t in range(T):
            Hs[t] += np.matmul(h, W_T, out=recurrent)             # a_t = W_xh x_t + b_h + W_hh h_{t-1}
            h = activate(Hs[t], nonlinearity, out=Hs[t])          # h_t = f(a_t)
        return Hs, StackCache(X, Hs, None, None, p, nonlinearity, None)
    Hs, Cs, Zs = (np.empty((T, S, B, Hn)) for _ in range(3))
    if fixed is not None:
        A = X @ _mT(p.W_xh) + p.b_h[:, None]
        W_T = _mT(p.W_hh)
        Zs[:] = fixed
        for t in range(T):
            c = Cs[t] = np.tanh(A[t] + h @ W_T)
            h = Hs[t] = h + fixed * (c - h)                       # (1 - z) h_{t-1} + z c_t
    else:
        A = X @ _mT(p.W_xh) + p.b_h[:, None]                     # candidate and gate input parts, each
        G = X @ _mT(p.W_xz) + p.b_z[:, None]                     # contiguous: (T, S, B, H)
        Wh_T, Wz_T = _mT(p.W_hh), _mT(p.W_hz)
        buf, step = np.empty((S, B, Hn)), np.empty((S, B, Hn))   # reused every step
        for t in range(T):
            c = np.tanh(np.add(A[t], np.matmul(h, Wh_T, out=buf), out=Cs[t]), out=Cs[t])
            zt = activate(np.add(G[t], np.matmul(h, Wz_T, out=buf), out=Zs[t]), "sigmoid", out=Zs[t])
            np.multiply(zt, np.subtract(c, h, out=step), out=step)
            h = np.add(h, step, out=Hs[t])                        # (1 - z_t) h_{t-1} + z_t c_t
    return Hs, StackCache(X, Hs, Cs, Zs, p, "tanh", fixed)


def backward(dH: np.ndarray, cache: StackCache) -> Any:
    """Full BPTT for every model of the stack.

    Inputs: dH (T, S, B, H), the gradient arriving at each h_t from o_t; the cache of ``forward``.
    Returns: the gradients of the recurrent weights as a stack of the params' kind (the W_hy
    and b_y entries are zero: ``loss_and_grads`` fills them).
    """
    check_cache("cache", cache, StackCache, "rnnlib.stack.forward")
    dH = check_array("dH", dH, tuple(zip(("T", "S", "B", "H"), cache.H.shape)))
    return _backward(dH, cache)


def _backward(dH: np.ndarray, cache: StackCache) -> Any:
    """``backward`` on checked arguments."""
    T, S, B, Hn = cache.H.shape
    p, X = cache.params, cache.X
    H_prev = np.concatenate([np.zeros((1, S, B, Hn)), cache.H[:-1]])
    carry = np.zeros((S, B, Hn))                       # dLoss/dh_t through h_{t+1}, h_{t+2}, ...
    if isinstance(p, Params):
        dA = np.empty_like(dH)
        fprime = np.empty((S, B, Hn))                  # f'(a_t) of one step, refilled in place
        for t in range(T - 1, -1, -1):
            da = np.add(dH[t], carry, out=dA[t])       # the gradient carried from t+1 joins step t's own
            da *= _derivative_from_output(cache.H[t], cache.nonlinearity, out=fprime)
            carry = np.matmul(da, p.W_hh, out=carry)   # d h_t / d h_{t-1} = diag(f'(a_t)) W_hh
        return Params(_per_model_sum(dA, X), _per_model_sum(dA, H_prev), dA.sum(axis=(0, 2)),
                      np.zeros_like(p.W_hy), np.zeros_like(p.b_y))
    learned = cache.z is None
    Z, C = cache.Z, cache.C
    tanh_p = Z * (1.0 - C * C)                         # dh_t/da_t: z_t tanh'(a_t)
    sig_p = (C - H_prev) * Z * (1.0 - Z)               # dh_t/dg_t: (c_t - h_{t-1}) sigmoid'(g_t)
    dA = np.empty_like(dH)                             # dLoss/d(candidate, gate pre-activation) per step
    dG = np.empty_like(dH) if learned else np.zeros_like(dH)
    for t in range(T - 1, -1, -1):
        dh = dH[t] + carry                             # the gradient carried from t+1 joins step t's own
        np.multiply(dh, tanh_p[t], out=dA[t])
        carry = dh * (1.0 - Z[t]) + dA[t] @ p.W_hh     # the leak: identity scaled by 1 - z_t, plus the candidate
        if learned:
            np.multiply(dh, sig_p[t], out=dG[t])
            carry += dG[t] @ p.W_hz                    # ... plus the learned gate's path
    return GatedParams(_per_model_sum(dA, X), _per_model_sum(dA, H_prev), dA.sum(axis=(0, 2)),
                       _per_model_sum(dG, X), _per_model_sum(dG, H_prev), dG.sum(axis=(0, 2)),
                       np.zeros_like(p.W_hy), np.zeros_like(p.b_y))


def _logits(Hs: np.ndarray, params: Any, steps: np.ndarray) -> np.ndarray:
    return Hs[steps] @ _mT(params.W_hy) + params.b_y[:, None]    # (n, S, B, O)


def _check_data(X: object, Y: object, mask: object, S: int, D: int, O: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs X (T, S, B, D), integer classes Y (T, S, B) in [0, O) and step weights mask (T,) >= 0, checked."""
    X = check_array("X", X, (("T", None), ("S", S), ("B", None), ("D", D)))
    T, _, B, _ = X.shape
    m = check_array("mask", mask, (("T", T),))
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if np.any(m < 0):
        raise ValueError("mask: expected weights >= 0 (1 where a step has a target), got negative entries")
    # pragma: no mutate end
    Yf = check_array("Y", Y, (("T", T), ("S", S), ("B", B)))
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if np.any(Yf != np.round(Yf)) or np.any(Yf < 0) or np.any(Yf >= O):
        raise ValueError(f"Y: expected integer classes in [0, {O}), got values from {Yf.min():g} to {Yf.max():g}")
    # pragma: no mutate end
    return X, Yf.astype(np.intp), m


def loss_and_grads(
    params: Any, X: np.ndarray, Y: np.ndarray, mask: np.ndarray, *,
    nonlinearity: str = "tanh", z: float | np.ndarray | None = None,
) -> tuple[np.ndarray, Any]:
    """Forward, softmax cross-entropy at the steps with a target, and full BPTT, for every model.

    Inputs: a stack of params; X (T, S, B, D); Y (T, S, B) integer classes; mask (T,) weights,
    1 where a step has a target (one task length for the whole stack); nonlinearity or z as in
    ``forward``. Returns: the losses (S,), each averaged over its batch as ``rnnlib.loss_and_grads``
    does, and their gradients as a stack.
    """
    p, (S, D, _, O), fixed = _check_options(params, nonlinearity, z)
    X, Yi, m = _check_data(X, Y, mask, S, D, O)
    return _loss_and_grads(p, X, Yi, m, nonlinearity, fixed)


def _loss_and_grads(p: Any, X: np.ndarray, Yi: np.ndarray, m: np.ndarray, nonlinearity: str,
                    fixed: np.ndarray | None) -> tuple[np.ndarray, Any]:
    """``loss_and_grads`` on checked arguments."""
    Hs, cache = _forward(X, p, nonlinearity, fixed)
    T, S, B, Hn = Hs.shape
    steps = np.flatnonzero(m)                                      # only these steps reach the loss
    w = (m[steps] / B)[:, None, None]                              # (n, 1, 1): step weight, batch mean
    O = _logits(Hs, p, steps)                                      # (n, S, B, O)
    shifted = O - O.max(axis=-1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    target = Yi[steps][..., None]
    losses = 0.0 - np.sum(w * np.take_along_axis(logp, target, axis=-1)[..., 0], axis=(0, 2))
    dO = np.exp(logp)                                              # softmax - onehot(y)
    np.put_along_axis(dO, target, np.take_along_axis(dO, target, axis=-1) - 1.0, axis=-1)
    dO *= w[..., None]
    dH = np.zeros_like(Hs)
    dH[steps] = dO @ p.W_hy                                        # d o_t / d h_t = W_hy
    grads = _backward(dH, cache)
    return losses, grads._replace(W_hy=_per_model_sum(dO, Hs[steps]), b_y=dO.sum(axis=(0, 2)))


def predict(params: Any, X: np.ndarray, *, nonlinearity: str = "tanh", z: float | np.ndarray | None = None
            ) -> np.ndarray:
    """Outputs O (T, S, B, O) of every model of the stack for its inputs X (T, S, B, D)."""
    p, (S, D, _, _), fixed = _check_options(params, nonlinearity, z)
    X = check_array("X", X, (("T", None), ("S", S), ("B", None), ("D", D)))
    Hs, cache = _forward(X, p, nonlinearity, fixed)
    return _logits(Hs, cache.params, np.arange(Hs.shape[0]))


def global_norms(grads: Any) -> np.ndarray:
    """The global gradient norm of every model of the stack: (S,). Inputs: a stack of finite gradients."""
    return _global_norms(_check_stack(grads, "grads")[0])


def _global_norms(grads: Any) -> np.ndarray:
    return np.sqrt(sum(np.sum(g * g, axis=tuple(range(1, g.ndim))) for g in grads))


def _per_model(name: str, value: object, S: int) -> np.ndarray:
    """A threshold for every model: None (never clip) -> inf; a number or an (S,) array of numbers > 0."""
    if value is None:
        return np.full(S, np.inf)
    if np.ndim(value) == 0:
        value = np.full(S, check_finite_scalar(name, value))
    arr = check_array(name, value, (("S", S),), finite=False)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if np.any(np.isnan(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name}: expected thresholds > 0 (inf: no clipping), got values from "
                         f"{np.nanmin(arr):g} to {np.nanmax(arr):g}")
    # pragma: no mutate end
    return arr


class StackHistory(NamedTuple):
    """Per model and training step: the loss (S, steps) and the gradient's norm before clipping (S, steps)."""

    loss: np.ndarray
    grad_norm: np.ndarray


def train(
    params: Any,
    make_batch: Callable[[np.random.Generator], Batch],
    rngs: Sequence[np.random.Generator],
    *,
    steps: int = 300,
    lr: float = 1e-2,
    clip: float | np.ndarray | None = None,
    clip_mode: str = "norm",
    nonlinearity: str = "tanh",
    z: float | np.ndarray | None = None,
    keep: Sequence[int] = (),
) -> tuple[Any, StackHistory, dict[int, Any]]:
    """Train every model of the stack with Adam, model s on batches ``make_batch(rngs[s])``.

    Model s gets exactly what ``rnnlib.train.train(unstack(params)[s], make_batch, rngs[s], ...)``
    gives it. Inputs: a stack of params (S models); make_batch, a function of one rng returning a
    Batch (one task length for all); rngs, S seeded Generators; steps; lr; clip: None, one
    threshold, or one per model (S,) (inf: that model is not clipped); clip_mode 'norm' |
    'elementwise'; nonlinearity or z as in ``forward``; keep: step counts after which to keep a copy
    of the params (budgets read off one run). Returns: the trained stack, the StackHistory, and
    {step: params after that many steps} for every step in ``keep``.
    """
    p, (S, D, _, O), fixed = _check_options(params, nonlinearity, z)
    steps = check_positive_int("steps", steps)
    lr = check_finite_scalar("lr", lr)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if lr <= 0:
        raise ValueError(f"lr: expected a positive number, got {lr!r}")
    # pragma: no mutate end
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    limit = _per_model("clip", clip, S)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if isinstance(rngs, (np.random.Generator, str, bytes)) or not isinstance(rngs, Sequence) or len(rngs) != S:
        raise ValueError(f"rngs: expected a list of {S} numpy Generators, one per model, got {_describe(rngs)}")
    # pragma: no mutate end
    rngs = [check_rng(f"rngs[{s}]", r) for s, r in enumerate(rngs)]
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if isinstance(keep, (str, bytes)) or not isinstance(keep, (list, tuple, range, np.ndarray)) or np.ndim(keep) != 1:
        raise ValueError(f"keep: expected a list of step counts in [1, steps={steps}], got {_describe(keep)}")
    # pragma: no mutate end
    keep = sorted({check_positive_int("keep", k) for k in keep})
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if keep and keep[-1] > steps:
        raise ValueError(f"keep: expected step counts in [1, steps={steps}], got {keep[-1]}")
    # pragma: no mutate end
    check_callable("make_batch", make_batch, "a function of an rng returning a Batch")
    state = adam_init(p)
    losses, norms, kept = np.empty((S, steps)), np.empty((S, steps)), {}
    for i in range(steps):
        batches = [make_batch(r) for r in rngs]
        # pragma: no mutate start (an argument check: tests/test_api.py)
        if not all(isinstance(b, Batch) for b in batches):
            raise ValueError(f"make_batch: expected a function returning a Batch (rnnlib.tasks.recall_task), "
                             f"got {_describe(next(b for b in batches if not isinstance(b, Batch)))}")
        # pragma: no mutate end
        X, Y, mask = _check_data(np.stack([b.X for b in batches], axis=1), np.stack([b.Y for b in batches], axis=1),
                                 batches[0].mask, S, D, O)
        with np.errstate(over="ignore", invalid="ignore"):   # a blown-up model is reported below, by name
            losses[:, i], grads = _loss_and_grads(p, X, Y, mask, nonlinearity, fixed)
            norms[:, i] = _global_norms(grads)
        if not np.all(np.isfinite(norms[:, i]) & np.isfinite(losses[:, i])):
            bad = np.flatnonzero(~(np.isfinite(norms[:, i]) & np.isfinite(losses[:, i])))
            raise ValueError(f"the gradient of model {int(bad[0])} is not finite at training step {i + 1}: "
                             f"the weights have blown up; lower lr or clip")
        if clip_mode == "norm":     # rescale a model's whole gradient when its norm exceeds its threshold
            scale = np.where(norms[:, i] > limit, limit / norms[:, i], 1.0)
            grads = type(grads)(*(g if np.all(scale == 1.0) else g * scale.reshape((S,) + (1,) * (g.ndim - 1))
                                  for g in grads))
        elif np.any(np.isfinite(limit)):   # clamp each entry to [-threshold, threshold]
            grads = type(grads)(*(np.clip(g, -c, c) for g, c in
                                  ((g, limit.reshape((S,) + (1,) * (g.ndim - 1))) for g in grads)))
        with np.errstate(over="ignore", invalid="ignore"):
            p, state = _adam_update(p, grads, state, lr, **ADAM_DEFAULTS)   # adam_step's arithmetic
        if not all(np.isfinite(a).all() for a in p):
            raise ValueError(f"the Adam update at training step {i + 1} overflowed the weights: lower lr or clip")
        if i + 1 in keep:
            kept[i + 1] = type(p)(*(a.copy() for a in p))
    return p, StackHistory(losses, norms), kept


def accuracy(params: Any, batches: Sequence[Batch], *, nonlinearity: str = "tanh",
             z: float | np.ndarray | None = None) -> np.ndarray:
    """Fraction of targets each model predicts right: model s on ``batches[s]``. Returns: (S,).

    Inputs: a stack of params; batches, S Batches of one task (X (T, B, D), Y (T, B) classes, and
    one mask (T,) for all); nonlinearity or z as in ``forward``.
    """
    p, (S, D, _, O), fixed = _check_options(params, nonlinearity, z)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if isinstance(batches, (str, bytes, Batch)) or not isinstance(batches, Sequence) or len(batches) != S:
        raise ValueError(f"batches: expected a list of {S} Batch, one per model, got {_describe(batches)}")
    # pragma: no mutate end
    for s, b in enumerate(batches):
        # pragma: no mutate start (an argument check: tests/test_api.py)
        if not isinstance(b, Batch):
            raise ValueError(f"batches[{s}]: expected the Batch returned by recall_task, got {_describe(b)}")
        # pragma: no mutate end
    T, B, _ = check_array("batches[0].X", batches[0].X, (("T", None), ("B", None), ("D", D))).shape
    mask = check_array("batches[0].mask", batches[0].mask, (("T", T),))
    steps = np.flatnonzero(mask > 0)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if steps.size == 0:
        raise ValueError("batches[0].mask: expected at least one step with a target (mask > 0), got none")
    # pragma: no mutate end
    Xs, Ys = [], []
    for s, b in enumerate(batches):
        Xs.append(check_array(f"batches[{s}].X", b.X, (("T", T), ("B", B), ("D", D))))
        y = check_array(f"batches[{s}].Y", b.Y, (("T", T), ("B", B)))[steps]
        # pragma: no mutate start (an argument check: tests/test_api.py)
        if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= O):
            raise ValueError(f"batches[{s}].Y: expected integer classes in [0, {O}) at the steps with a target, "
                             f"got values from {y.min():g} to {y.max():g}")
        # pragma: no mutate end
        Ys.append(y)
        # pragma: no mutate start (an argument check: tests/test_api.py)
        if not np.array_equal(check_array(f"batches[{s}].mask", b.mask, (("T", T),)), mask):
            raise ValueError(f"batches[{s}].mask: expected the mask of batches[0] (one task for the whole stack), "
                             f"got another")
        # pragma: no mutate end
    Hs, cache = _forward(np.stack(Xs, axis=1), p, nonlinearity, fixed)
    guess = _logits(Hs, cache.params, steps).argmax(axis=-1)                # (n, S, B)
    return np.mean(guess == np.stack(Ys, axis=1), axis=(0, 2))


def lag_sweep(
    init_fns: dict[str, Callable[[np.random.Generator], Any]],
    lags: Sequence[int],
    seeds: Sequence[int],
    *,
    steps: int | Sequence[int] = 300,
    batch: int = 64,
    lr: float = 1e-2,
    clip: dict[str, float] | float | None = None,
    clip_mode: str = "norm",
    z: float | np.ndarray | None = None,
    n_symbols: int = 4,
    n_test: int = 1000,
) -> dict[str, np.ndarray]:
    """Train one model per (variant, lag, seed) on the recall task; every lag's models as one stack.

    Inputs: init_fns, variant name -> init_fn(rng) giving its initial params (all of one kind);
    lags; seeds (seed s seeds one rng for the initial weights and the training batches, and
    10_000 + s the test set, as ``rnnlib.train.lag_sweep`` does); steps, one budget or several
    (the accuracy is read after each, from one run); clip: None, one threshold, or variant name ->
    threshold; the other settings as in ``train``. Returns: variant name -> test accuracies of shape
    (budgets, lags, seeds) when ``steps`` is a list, else (lags, seeds). Chance is 1 / n_symbols.
    """
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if not isinstance(init_fns, dict) or not init_fns or not all(isinstance(n, str) for n in init_fns):
        raise ValueError(f"init_fns: expected a non-empty dict of variant name -> init_fn(rng), "
                         f"got {_describe(init_fns)}")
    # pragma: no mutate end
    budgets = (check_list("steps", steps, check_positive_int, "positive step counts")
               if isinstance(steps, (list, tuple)) else [check_positive_int("steps", steps)])
    for n, f in init_fns.items():
        check_callable(f"init_fns[{n!r}]", f, "a function of an rng returning initial params")
    _, lags, seeds, (_, batch, n_symbols, n_test) = check_sweep(next(iter(init_fns.values())), lags, seeds,
                                                                budgets[0], batch, n_symbols, n_test)
    names = list(init_fns)
    lr = check_positive("lr", lr, "a positive learning rate")
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    # pragma: no mutate start (an argument check: tests/test_api.py)
    if isinstance(clip, dict) and not set(clip) <= set(names):
        raise ValueError(f"clip: expected thresholds for variants among {names}, got {sorted(map(str, clip))}")
    # pragma: no mutate end
    thresholds = {n: clip.get(n) if isinstance(clip, dict) else clip for n in names}
    for n, c in thresholds.items():
        if c is not None:
            thresholds[n] = check_positive(f"clip[{n!r}]" if isinstance(clip, dict) else "clip", c,
                                           "a positive clipping threshold or None")
    limits = [np.inf if thresholds[n] is None else thresholds[n] for n in names for _ in seeds]
    out = {n: np.empty((len(budgets), len(lags), len(seeds))) for n in names}
    for i, lag in enumerate(lags):
        rngs = [np.random.default_rng(s) for _ in names for s in seeds]
        models = [init_fns[n](r) for n, r in zip([n for n in names for _ in seeds], rngs)]
        for n, m in zip([n for n in names for _ in seeds], models):
            # pragma: no mutate start (an argument check: tests/test_api.py)
            if not isinstance(m, (Params, GatedParams)):
                raise ValueError(f"init_fns[{n!r}]: expected a function returning Params or GatedParams, "
                                 f"got {_describe(m)}")
            # pragma: no mutate end
        start = stack(models)
        _, _, kept = train(start, lambda r, lag=lag: recall_task(lag, batch, r, n_symbols), rngs,
                           steps=max(budgets), lr=lr, clip=np.array(limits), clip_mode=clip_mode, z=z, keep=budgets)
        tests = [recall_task(lag, n_test, np.random.default_rng(10_000 + s), n_symbols) for _ in names for s in seeds]
        for b, budget in enumerate(budgets):
            acc = accuracy(kept[budget], tests, z=z).reshape(len(names), len(seeds))
            for v, n in enumerate(names):
                out[n][b, i] = acc[v]
    return {n: a if isinstance(steps, (list, tuple)) else a[0] for n, a in out.items()}
