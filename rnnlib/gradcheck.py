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

from ._validate import check_callable, check_positive, real_array


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-3) -> np.ndarray:
    """d f / d x by five-point central differences, entry by entry.

    Inputs: f, a function of no arguments that reads ``x`` (changed in place and restored);
    x, a float64 array of any shape; eps > 0. Returns: an array shaped like x.
    x is restored entry by entry whatever happens, also when f raises.
    """
    return _numerical_gradient("f", f, "x", x, eps)


def _check_writable(name: str, x: object) -> np.ndarray:
    if (not isinstance(x, np.ndarray) or x.dtype != np.float64 or not x.flags.c_contiguous
            or not x.flags.writeable or x.size == 0):
        what = f"a {x.dtype} array of shape {x.shape}" if isinstance(x, np.ndarray) else type(x).__name__
        raise ValueError(f"{name}: expected a non-empty, writable, contiguous float64 numpy array "
                         f"(changed in place), got {what}")
    real_array(name, x)                       # finite entries
    return x


def _numerical_gradient(f_name: str, f: Callable[[], float], x_name: str, x: np.ndarray, eps: float) -> np.ndarray:
    check_callable(f_name, f, "a function of no arguments returning a number")
    eps = check_positive("eps", eps, "a positive step")
    _check_writable(x_name, x)
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        values = []
        try:
            for step in (-2.0, -1.0, 1.0, 2.0):
                flat[i] = old + step * eps
                value = f()
                try:
                    value = float(real_array(f_name, value, finite=False))
                except (TypeError, ValueError):
                    raise ValueError(f"{f_name}: expected a function returning one real number, "
                                     f"got {value!r:.60}") from None
                if not np.isfinite(value):
                    raise ValueError(f"{f_name}: expected a finite value, got {value} with {x_name} entry {i} "
                                     f"moved by {step:+g} eps")
                values.append(value)
        finally:
            flat[i] = old                     # the caller's array comes back unchanged, also when f raises
        gflat[i] = (values[0] - 8.0 * values[1] + 8.0 * values[2] - values[3]) / (12.0 * eps)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(max |a|, max |b|): the largest error relative to the gradient's scale.

    Elementwise ratios blow up on entries near zero, where finite differences have only
    absolute accuracy; scaling by the largest entry does not. Two zero arrays give 0.
    """
    a = real_array("a", a)
    b = real_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape {a.shape} (the shape of a), got {b.shape}")
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
    check_callable("loss_fn", loss_fn, "a function of no arguments returning the loss")
    for dname, d in (("arrays", arrays), ("grads", grads)):
        if not isinstance(d, dict) or not d:
            raise ValueError(f"{dname}: expected a non-empty dict name -> array, got {type(d).__name__}")
    mismatch = sorted(set(arrays) ^ set(grads), key=repr)
    if mismatch:
        raise ValueError(f"grads: expected the same names as arrays, got a mismatch on {mismatch}")
    eps = check_positive("eps", eps, "a positive step")
    checked = {}
    for name in arrays:
        _check_writable(f"arrays[{name!r}]", arrays[name])
        g = real_array(f"grads[{name!r}]", grads[name])
        if g.shape != arrays[name].shape:
            raise ValueError(f"grads[{name!r}]: expected shape {arrays[name].shape} (the shape of "
                             f"arrays[{name!r}]), got {g.shape}")
        checked[name] = g
    return {name: rel_error(checked[name], _numerical_gradient("loss_fn", loss_fn, f"arrays[{name!r}]", arrays[name],
                                                               eps)) for name in arrays}
