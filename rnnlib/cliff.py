"""Pascanu, Mikolov and Bengio's (2013) "cliff": one recurrent unit whose loss surface has a wall.

    h_t = w sigma(h_{t-1}) + b,   t = 1..T  (T = 50),   h_0 = 0.5
    Loss(w, b) = (sigma(h_T) - y)^2,   y = 0.7

(Pascanu et al. write x_t for this state; the course keeps x_t for the input.)
For w large enough the map h -> w sigma(h) + b has two stable fixed points, and which one
h_T settles on flips abruptly along a curve in the (w, b) plane: the loss jumps there, and
the gradient, a product of T Jacobians w sigma'(h_{t-1}), is enormous on the wall and tiny
on the plateaus. Gradient descent with and without clipping is run on it with the clipping
functions of ``rnnlib.train``, so the figure and the training loop share one implementation.

Shapes: the parameters are two scalars; ``cliff_surface`` takes grids Nw (w values) and
Nb (b values) and returns (Nb, Nw).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ._validate import check_array, check_cache, check_choice, check_finite_scalar, check_positive, check_positive_int
from .activations import activate
from .train import CLIP_MODES as TRAIN_CLIP_MODES
from .train import clip_by_norm, clip_elementwise, global_norm

#: The setting of Pascanu et al.'s figure.
T_CLIFF = 50
H0 = 0.5
TARGET = 0.7
CLIP_MODES = ("none", *TRAIN_CLIP_MODES)
#: The longest unit ``cliff_forward`` runs (a Python loop over steps), and the most unit-steps
#: ``cliff_surface`` computes (T times the grid's points): beyond either the call would take minutes.
MAX_STEPS = 100_000
MAX_SURFACE_WORK = 10**9


class CliffParams(NamedTuple):
    """The two parameters of the unit (and, in the same container, their gradients)."""

    w: float
    b: float


class CliffCache(NamedTuple):
    """What ``cliff_backward`` needs: hs (T + 1,) with hs[0] = h_0, the weights and the target."""

    hs: np.ndarray
    w: float
    b: float
    target: float


class CliffPath(NamedTuple):
    """A descent path of n steps.

    points (n + 1, 2) the (w, b) visited; loss (n + 1,); grad_norm (n,) the gradient's norm
    before clipping; step (n,) the length of each update actually taken.
    """

    points: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    step: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return activate(x, "sigmoid")


def _check_setting(T: int, h0: float, target: float) -> tuple[int, float, float]:
    return check_positive_int("T", T, MAX_STEPS), check_finite_scalar("h0", h0), check_finite_scalar("target", target)


def cliff_forward(
    w: float, b: float, T: int = T_CLIFF, h0: float = H0, target: float = TARGET
) -> tuple[float, CliffCache]:
    """Run the unit for T steps and return (Loss, cache).

    Inputs: scalars w, b; T >= 1 steps; the start h0 and the target y of sigma(h_T).
    Returns: the loss (sigma(h_T) - y)^2 and a CliffCache with every state h_0..h_T.
    """
    w, b = check_finite_scalar("w", w), check_finite_scalar("b", b)
    T, h0, target = _check_setting(T, h0, target)
    hs = np.empty(T + 1)
    hs[0] = h0
    for t in range(1, T + 1):   # activate()'s sigmoid, written out for a scalar (same bits, no per-step checks)
        hs[t] = w * (0.5 * (1.0 + np.tanh(0.5 * hs[t - 1]))) + b
    loss = float((_sigmoid(hs[T]) - target) ** 2)
    return loss, CliffCache(hs, w, b, target)


def cliff_backward(cache: CliffCache) -> CliffParams:
    """BPTT over the T steps: dLoss/dw and dLoss/db.

    Going back from h_T, g_t = dLoss/dh_t; then g_{t-1} = g_t w sigma'(h_{t-1}), and each
    step adds its immediate partials d+h_t/dw = sigma(h_{t-1}) and d+h_t/db = 1.
    Input: the cache of ``cliff_forward``. Returns: CliffParams(dw, db).
    """
    check_cache("cache", cache, CliffCache, "cliff_forward")
    hs, w = cache.hs, cache.w
    s = _sigmoid(hs)
    g = 2.0 * (s[-1] - cache.target) * s[-1] * (1.0 - s[-1])   # dLoss/dh_T
    dw = db = 0.0
    for t in range(len(hs) - 1, 0, -1):
        dw += g * s[t - 1]                         # h_t = w sigma(h_{t-1}) + b, h_{t-1} held fixed
        db += g
        g = g * w * s[t - 1] * (1.0 - s[t - 1])    # dh_t/dh_{t-1} = w sigma'(h_{t-1})
    return CliffParams(float(dw), float(db))


def cliff_loss_and_grad(
    w: float, b: float, T: int = T_CLIFF, h0: float = H0, target: float = TARGET
) -> tuple[float, CliffParams]:
    """Forward and BPTT in one call. Returns: Loss and CliffParams(dLoss/dw, dLoss/db)."""
    loss, cache = cliff_forward(w, b, T, h0, target)
    return loss, cliff_backward(cache)


def cliff_surface(
    ws: np.ndarray, bs: np.ndarray, T: int = T_CLIFF, h0: float = H0, target: float = TARGET
) -> np.ndarray:
    """The loss on every grid point at once (vectorised over the grid, a loop over the T steps).

    Inputs: ws (Nw,) values of w; bs (Nb,) values of b; T, h0, target as in ``cliff_forward``.
    Returns: (Nb, Nw) array, entry [i, j] = Loss(ws[j], bs[i]) (rows are b, as imshow draws them).
    """
    ws = check_array("ws", ws, (("Nw", None),))
    bs = check_array("bs", bs, (("Nb", None),))
    T, h0, target = _check_setting(T, h0, target)
    if T * ws.size * bs.size > MAX_SURFACE_WORK:
        most = MAX_SURFACE_WORK // (ws.size * bs.size)
        raise ValueError(f"T: expected at most {MAX_SURFACE_WORK:.0e} steps x grid points "
                         f"({most:,} steps on a {bs.size} x {ws.size} grid), got T = {T}")
    W, B = np.meshgrid(ws, bs)
    h = np.full(W.shape, h0)
    for _ in range(T):
        h = W * _sigmoid(h) + B
    return (_sigmoid(h) - target) ** 2


def descent_path(
    start: Sequence[float],
    lr: float,
    steps: int,
    *,
    clip: str = "none",
    threshold: float = 1.0,
    T: int = T_CLIFF,
    h0: float = H0,
    target: float = TARGET,
) -> CliffPath:
    """Plain gradient descent on the cliff loss, optionally with clipping.

    Inputs: start (w, b); lr > 0; steps >= 1; clip 'none' | 'norm' (rescale the gradient to
    norm <= threshold, keeping its direction: ``train.clip_by_norm``) | 'elementwise' (clamp
    each entry to [-threshold, threshold]: ``train.clip_elementwise``); threshold > 0.
    Returns: CliffPath with the n + 1 points visited.
    """

    start_arr = check_array("start", start, (("2", 2),))
    lr = check_positive("lr", lr, "a positive learning rate")
    steps = check_positive_int("steps", steps, MAX_STEPS)
    check_choice("clip", clip, CLIP_MODES)
    threshold = check_positive("threshold", threshold, "a positive clipping threshold")
    _check_setting(T, h0, target)
    p = CliffParams(float(start_arr[0]), float(start_arr[1]))
    points, losses = [tuple(p)], []
    norms, lengths = np.empty(steps), np.empty(steps)
    for i in range(steps):
        loss, g = cliff_loss_and_grad(p.w, p.b, T, h0, target)
        losses.append(loss)
        norms[i] = global_norm(g)
        if clip == "norm":
            g, _ = clip_by_norm(g, threshold)
        elif clip == "elementwise":
            g = clip_elementwise(g, threshold)
        p = CliffParams(p.w - lr * float(g.w), p.b - lr * float(g.b))
        lengths[i] = lr * global_norm(g)
        points.append(tuple(p))
    losses.append(cliff_forward(p.w, p.b, T, h0, target)[0])
    return CliffPath(np.array(points), np.array(losses), norms, lengths)


def __getattr__(name: str):
    """``rnnlib.cliff.plot_cliff`` moved to ``rnnlib.teaching.plots.plot_cliff`` (a figure belongs to the course
    layer): the old name still works, with a DeprecationWarning, until the next tagged release. One of the lazy
    hooks tests/test_layout.py allows: nothing of the course layer is imported unless the old name is asked for."""
    # pragma: no mutate start (a deprecated name's forwarding: tests/test_layout.py)
    if name == "plot_cliff":
        import importlib
        import warnings

        warnings.warn("rnnlib.cliff.plot_cliff moved to rnnlib.teaching.plots.plot_cliff; the old name goes at the "
                      "next tagged release", DeprecationWarning, stacklevel=2)
        return importlib.import_module("rnnlib.teaching.plots").plot_cliff
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # pragma: no mutate end
