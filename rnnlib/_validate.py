"""Input checks shared by every public function.

Each check raises ``ValueError`` naming the argument, what arrived and what was
expected, so a learner who passes the wrong array sees at once which one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Dim = tuple[str, "int | None"]


def _fmt(dims: Sequence[Dim]) -> str:
    return "(" + ", ".join(name if size is None else f"{name}={size}" for name, size in dims) + ")"


def check_array(name: str, value: object, dims: Sequence[Dim], *, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float64 array of the named shape, or raise ValueError.

    ``dims`` lists ``(name, size)`` pairs; ``size=None`` accepts any positive length.
    """
    expected = _fmt(dims)
    if np.iscomplexobj(value):
        raise ValueError(f"{name}: expected real numbers, got a complex array")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected an array of real numbers of shape {expected}, got {exc}") from None
    if arr.ndim != len(dims):
        raise ValueError(f"{name}: expected an array of shape {expected}, got shape {arr.shape}")
    for axis, (dim, size) in enumerate(dims):
        if arr.shape[axis] == 0 or (size is not None and arr.shape[axis] != size):
            raise ValueError(
                f"{name}: expected an array of shape {expected}, got shape {arr.shape} "
                f"(axis {axis}, {dim}, is {arr.shape[axis]})"
            )
    if finite and not np.all(np.isfinite(arr)):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name}: expected finite values, got {bad} NaN or inf entries")
    return arr


def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` as a positive int, or raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)


def check_square(name: str, value: object) -> np.ndarray:
    """Return ``value`` as a finite float64 (H, H) array, or raise ValueError."""
    arr = check_array(name, value, (("H", None), ("H", None)))
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name}: expected a square array of shape (H, H), got shape {arr.shape}")
    return arr


def check_rng(name: str, value: object) -> np.random.Generator:
    """Return ``value`` if it is a numpy Generator (seeded by the caller), or raise ValueError."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(f"{name}: expected a numpy.random.Generator (np.random.default_rng(seed)), "
                         f"got {type(value).__name__}")
    return value


def check_index(name: str, value: object, size: int) -> int:
    """Return ``value`` as an int in [0, size), or raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < size:
        raise ValueError(f"{name}: expected an integer index in [0, {size}), got {value!r}")
    return int(value)


def check_finite_scalar(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise ValueError."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a finite number, got {value!r}") from None
    if not np.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return out


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, or raise ValueError."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    return str(value)
