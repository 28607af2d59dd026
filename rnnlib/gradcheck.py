"""Gradient checking: finite differences and the relative error used to judge them.

The five-point central difference

    f'(x) ~ [f(x - 2e) - 8 f(x - e) + 8 f(x + e) - f(x + 2e)] / (12 e)

is off by about e^4 |f^(5)| / 30 (truncation) plus about 1e-16 |f| / e (rounding). With
e = 1e-3 in float64 both are near 1e-13, so a correct analytic gradient agrees with it to
about 1e-10, even when the gradient is much smaller than the loss.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import check_finite_scalar


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-3) -> np.ndarray:
    """d f / d x by five-point central differences, entry by entry.

    Inputs: f, a function of no arguments that reads ``x`` (changed in place and restored);
    x, a float64 array of any shape; eps > 0. Returns: an array shaped like x.
    """
    eps = check_finite_scalar("eps", eps)
    if eps <= 0:
        raise ValueError(f"eps: expected a positive step, got {eps!r}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64 or not x.flags.c_contiguous:
        raise ValueError(f"x: expected a contiguous float64 numpy array (changed in place), got {type(x).__name__}")
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        values = []
        for step in (-2.0, -1.0, 1.0, 2.0):
            flat[i] = old + step * eps
            values.append(f())
        flat[i] = old
        gflat[i] = (values[0] - 8.0 * values[1] + 8.0 * values[2] - values[3]) / (12.0 * eps)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(max |a|, max |b|): the largest error relative to the gradient's scale.

    Elementwise ratios blow up on entries near zero, where finite differences have only
    absolute accuracy; scaling by the largest entry does not. Two zero arrays give 0.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape {a.shape} (the shape of a), got {b.shape}")
    for name, arr in (("a", a), ("b", b)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: expected finite values, got NaN or inf entries")
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - b)) / scale)


def check_gradients(
    loss_fn: Callable[[], float], arrays: dict[str, np.ndarray], grads: dict[str, np.ndarray], eps: float = 1e-3
) -> dict[str, float]:
    """Relative error of each analytic gradient against finite differences.

    Inputs: loss_fn, a function of no arguments computing the loss from ``arrays``;
    arrays, name -> float64 array read by loss_fn; grads, name -> analytic gradient.
    Returns: name -> ``rel_error``.
    """
    mismatch = sorted(set(arrays) ^ set(grads))
    if mismatch:
        raise ValueError(f"grads: expected the same names as arrays, got a mismatch on {mismatch}")
    for name in arrays:
        if np.shape(grads[name]) != np.shape(arrays[name]):
            raise ValueError(f"grads[{name!r}]: expected shape {np.shape(arrays[name])} (the shape of "
                             f"arrays[{name!r}]), got {np.shape(grads[name])}")
    return {name: rel_error(grads[name], numerical_gradient(loss_fn, arrays[name], eps)) for name in arrays}
