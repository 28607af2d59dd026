"""Checkers for the exercises of notebook 04 (taming gradients).

1. ``check_clip_norm``: write norm clipping for a plain gradient array; compared with
   ``rnnlib.train.clip_by_norm`` on random gradients, some above and some below the threshold.
2. ``check_leak_survival``: log10 of what survives of a gradient carried back 40 steps through
   a pure leak h_t = (1 - z) h_{t-1} + z c_t with z = 0.05 and the candidate's path removed;
   compared with ``rnnlib.gated.chain_log10_norms`` on those Jacobians.
3. ``check_elementwise_cosine``: the cosine between the gradient g = (3, 1) and its
   element-wise clipped version at threshold 1; compared with ``rnnlib.train.cosine``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..gated import chain_log10_norms
from ..train import clip_by_norm, clip_elementwise, cosine
from . import check_function, check_number

LEAK_Z, LEAK_LAG = 0.05, 40
COSINE_GRAD, COSINE_THRESHOLD = (3.0, 1.0), 1.0


class _Grad(NamedTuple):
    g: np.ndarray


def reference_clip_norm(g: np.ndarray, threshold: float) -> np.ndarray:
    """Norm clipping of one array through ``rnnlib.train.clip_by_norm``."""
    return clip_by_norm(_Grad(np.asarray(g, dtype=np.float64)), threshold)[0].g


def _clip_cases(seed: int = 4) -> list[tuple]:
    rng = np.random.default_rng(seed)
    cases = []
    for shape, threshold in (((2,), 1.0), ((5,), 100.0), ((3, 4), 0.5), ((6,), 2.0)):
        cases.append((rng.normal(size=shape) * 3.0, threshold))
    return cases


def check_clip_norm(answer: Callable | None) -> bool | None:
    """Exercise 1: ``answer(g, threshold) -> g`` rescaled to norm <= threshold, direction kept."""
    return check_function(
        "Exercise 1 (norm clipping)", answer, reference_clip_norm, _clip_cases(),
        hint="Leave g alone when its norm is at most the threshold; otherwise multiply it by threshold / norm.",
    )


def leak_survival() -> float:
    """log10 of the norm of 40 pure-leak Jacobians diag(1 - z), z = 0.05, multiplied together."""
    H = 3
    J = np.broadcast_to((1.0 - LEAK_Z) * np.eye(H), (LEAK_LAG, H, H)).copy()
    return float(chain_log10_norms(J)[-1])


def check_leak_survival(answer: object) -> bool | None:
    """Exercise 2: log10 || d h_40 / d h_0 || for the pure leak with z = 0.05 (a number)."""
    return check_number(
        "Exercise 2 (what a leak keeps)", answer, leak_survival(), rtol=1e-3,
        hint="Each step multiplies the gradient by 1 - z; take log10 of the product of 40 such factors.",
    )


def elementwise_cosine() -> float:
    """cos(angle) between g = (3, 1) and its element-wise clipping at 1."""
    g = _Grad(np.array(COSINE_GRAD))
    return cosine(g, clip_elementwise(g, COSINE_THRESHOLD))


def check_elementwise_cosine(answer: object) -> bool | None:
    """Exercise 3: the cosine between (3, 1) and its element-wise clipping at 1 (a number)."""
    return check_number(
        "Exercise 3 (element-wise clipping turns the gradient)", answer, elementwise_cosine(), rtol=1e-3,
        hint="Clip each entry to [-1, 1] first, then cos = g . c / (|g| |c|).",
    )
