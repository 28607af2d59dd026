"""The nonlinearities f of h_t = f(a_t): values, derivatives and log-derivatives.

Derivatives are written in terms of the output h = f(a), which is what the
forward pass stores: tanh' = 1 - h^2, sigmoid' = h (1 - h), linear' = 1.
Log-derivatives are written in terms of the pre-activation a and stay finite for
any finite a, which is what the log-space Jacobian analysis needs.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_choice, real_array

NONLINEARITIES = ("tanh", "sigmoid", "linear")

#: Upper bound gamma of |f'|: Pascanu et al.'s bound is (gamma * sigma_max) ** lag.
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "linear": 1.0}

_LN4 = float(np.log(4.0))


def activate(a: np.ndarray, nonlinearity: str, out: np.ndarray | None = None) -> np.ndarray:
    """f(a), elementwise, for any shape; written into ``out`` when given.

    Inputs: a, finite real numbers of any shape; out, None or a writable float64 array shaped like a
    (the forward passes' in-place path: a and out are the package's own arrays, not checked again).
    """
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if out is None:
        a = real_array("a", a)
    elif not (isinstance(out, np.ndarray) and out.dtype == np.float64 and out.flags.writeable
              and isinstance(a, np.ndarray) and out.shape == a.shape):
        raise ValueError(f"out: expected None or a writable float64 array of the shape of a, "
                         f"got {type(out).__name__} {getattr(out, 'shape', '')}")
    if out is None:
        return _activate(a, nonlinearity)
    if nonlinearity == "tanh":
        return np.tanh(a, out=out)
    if nonlinearity == "sigmoid":  # the operations of _activate, in the same order: the same bits
        np.multiply(a, 0.5, out=out)
        np.tanh(out, out=out)
        out += 1.0
        out *= 0.5
        return out
    out[...] = a
    return out


def _activate(a: np.ndarray, nonlinearity: str) -> np.ndarray:
    """``activate`` without the checks, into a new array: for the forward passes, whose a_t are computed from
    checked float64 arrays."""
    if nonlinearity == "tanh":
        return np.tanh(a)
    if nonlinearity == "sigmoid":  # 1 / (1 + e^-a) = (1 + tanh(a/2)) / 2, with no overflow
        return 0.5 * (1.0 + np.tanh(0.5 * a))
    return np.array(a, dtype=np.float64, copy=True)


def derivative_from_output(h: np.ndarray, nonlinearity: str) -> np.ndarray:
    """f'(a) written through h = f(a), elementwise, for any shape (h: finite real numbers)."""
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    return _derivative_from_output(real_array("h", h), nonlinearity)


def _derivative_from_output(h: np.ndarray, nonlinearity: str, out: np.ndarray | None = None) -> np.ndarray:
    """``derivative_from_output`` without the checks: for BPTT's loops over the package's own float64 states.

    With ``out`` (a float64 array shaped like h) the result is written there and no array is allocated:
    the same operations in the same order, so the same bits.
    """
    if nonlinearity == "tanh":
        if out is None:
            return 1.0 - h * h
        np.multiply(h, h, out=out)
        return np.subtract(1.0, out, out=out)
    if nonlinearity == "sigmoid":
        if out is None:
            return h * (1.0 - h)
        np.subtract(1.0, h, out=out)
        return np.multiply(h, out, out=out)
    if out is None:
        return np.ones_like(h)
    out.fill(1.0)
    return out


def log_derivative(a: np.ndarray, nonlinearity: str) -> np.ndarray:
    """ln f'(a), elementwise; finite for every finite a (no underflow to log 0)."""
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    a = real_array("a", a)
    m = np.minimum(np.abs(a), 1e300)  # beyond this f'(a) is far below any float; 2|a| must not overflow
    if nonlinearity == "tanh":  # 1 - tanh(a)^2 = 4 e^{-2|a|} / (1 + e^{-2|a|})^2
        return _LN4 - 2.0 * m - 2.0 * np.log1p(np.exp(-2.0 * m))
    if nonlinearity == "sigmoid":  # s (1 - s) = e^{-|a|} / (1 + e^{-|a|})^2
        return -m - 2.0 * np.log1p(np.exp(-m))
    return np.zeros_like(a)
