"""Input checks shared by every public function: one check per kind of argument.

    arrays      ``real_array`` (any shape), ``check_array`` (a named shape), ``check_square``
    sizes       ``check_positive_int`` (steps, lengths, windows, widths: bounded, so absurd sizes fail fast)
    indices     ``check_index``
    seeds       ``check_seed``
    numbers     ``check_finite_scalar``, ``check_positive`` (rates, thresholds, scales)
    options     ``check_choice``
    rngs        ``check_rng``
    containers  ``check_tree`` (parameters and gradients: NamedTuples of arrays)
    callables   ``check_callable``
    caches      ``check_cache``

Each check raises ``ValueError`` naming the argument, what arrived and what was
expected, so a learner who passes the wrong array sees at once which one. Every check
looks at the value *before* converting it: a complex number, a string or a bool is
refused, never cast.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

Dim = tuple[str, "int | None"]

#: The largest size any length, window, width or count may have: beyond it an allocation or a loop
#: would take minutes or fail with MemoryError, so it is refused at once.
MAX_SIZE = 10**7
#: The largest width (H, D, O): an (H, H) matrix of this size already takes 800 MB.
MAX_WIDTH = 10**4
#: Seeds are non-negative integers below this (numpy's SeedSequence takes any, the course's arrays of seeds int64).
MAX_SEED = 2**63


def _fmt(dims: Sequence[Dim]) -> str:
    return "(" + ", ".join(name if size is None else f"{name}={size}" for name, size in dims) + ")"


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def real_array(name: str, value: object, *, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float64 array of any shape, or raise ValueError.

    Checked before converting: complex, string, object and date entries are refused, never cast.
    Booleans count as 0 and 1. The caller's array is never written to (a float64 array comes back as is).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name}: expected an array of real numbers, got {_describe(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected an array of real numbers, got {type(value).__name__} ({exc})") from None
    if raw.dtype.kind == "c":
        raise ValueError(f"{name}: expected real numbers, got a complex array")
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"{name}: expected an array of real numbers, got {_describe(value)} "
                         f"(could not convert {raw.dtype} entries)")
    arr = raw.astype(np.float64, copy=False)
    if not arr.flags.c_contiguous:            # a strided view gives the same numbers, and the same rounding, as a copy
        arr = arr.copy(order="C")
    if finite and not np.all(np.isfinite(arr)):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name}: expected finite values, got {bad} NaN or inf entries")
    return arr


def check_array(name: str, value: object, dims: Sequence[Dim], *, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float64 array of the named shape, or raise ValueError.

    ``dims`` lists ``(name, size)`` pairs; ``size=None`` accepts any positive length.
    """
    expected = _fmt(dims)
    arr = real_array(name, value, finite=False)
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


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_positive_int(name: str, value: object, maximum: int = MAX_SIZE) -> int:
    """Return ``value`` as an int in [1, maximum], or raise ValueError."""
    if not _is_int(value) or not 1 <= value <= maximum:
        raise ValueError(f"{name}: expected a positive integer (at most {maximum:,}), got {_describe(value)}")
    return int(value)


def check_seed(name: str, value: object) -> int:
    """Return ``value`` as a seed, an int in [0, 2**63), or raise ValueError."""
    if not _is_int(value) or not 0 <= value < MAX_SEED:
        raise ValueError(f"{name}: expected a seed, an integer in [0, 2**63), got {_describe(value)}")
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
    if not _is_int(value) or not 0 <= value < size:
        raise ValueError(f"{name}: expected an integer index in [0, {size}), got {value!r}")
    return int(value)


def check_finite_scalar(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise ValueError.

    A real number (int, float, numpy scalar or 0-d array) is accepted; a bool, a string or a
    complex number is refused before any conversion.
    """
    v = value.item() if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf" else value
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise ValueError(f"{name}: expected a finite number, got {_describe(value)}")
    try:
        out = float(v)
    except OverflowError:
        raise ValueError(f"{name}: expected a finite number, got {_describe(value)}") from None
    if not np.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return out


def check_positive(name: str, value: object, what: str = "a positive number") -> float:
    """Return ``value`` as a finite float > 0 (a rate, a step, a threshold), or raise ValueError."""
    out = check_finite_scalar(name, value)
    if out <= 0:
        raise ValueError(f"{name}: expected {what}, got {value!r}")
    return out


def check_choice(name: str, value: object, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices`` (strings match strings, integers integers: 2.0 is not 2)."""
    if not ((isinstance(value, str) or _is_int(value)) and value in choices):
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {_describe(value)}")
    return value


def check_list(name: str, value: object, check: Any, what: str) -> list:
    """Return ``value`` as a non-empty list, each entry passed through ``check(name, entry)``, or raise ValueError.

    ``what`` names one entry in the message, e.g. "lags: expected a non-empty list of positive integers".
    """
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple, range, np.ndarray)) \
            or len(value) == 0 or np.ndim(value) != 1:
        raise ValueError(f"{name}: expected a non-empty list of {what}, got {_describe(value)}")
    try:
        return [check(name, v) for v in value]
    except ValueError:
        raise ValueError(f"{name}: expected a non-empty list of {what}, got {_describe(value)}") from None


def check_callable(name: str, value: object, what: str = "a function") -> Any:
    """Return ``value`` if it can be called, or raise ValueError."""
    if not callable(value):
        raise ValueError(f"{name}: expected {what}, got {_describe(value)}")
    return value


def check_cache(name: str, value: object, cls: type, producer: str) -> Any:
    """Return ``value`` if it is the ``cls`` cache that ``producer`` returns, or raise ValueError."""
    if not isinstance(value, cls):
        raise ValueError(f"{name}: expected the {cls.__name__} returned by {producer}, got {type(value).__name__}")
    return value


def check_tree(name: str, value: object, like: object = None, like_name: str = "params", *,
               empty: bool = True) -> Any:
    """Return ``value`` if it is a parameter container: a NamedTuple of finite real arrays (or numbers).

    With ``like``, it must also have the type and every array's shape of ``like`` (a gradient must
    match its parameters). With ``empty=False`` no array may be empty (parameters to update or compare).
    Errors name the entry, e.g. ``grads.W_hh``. Returns ``value`` unchanged.
    """
    if not isinstance(value, tuple) or not hasattr(value, "_fields"):
        raise ValueError(f"{name}: expected a NamedTuple of arrays (rnnlib.Params, GatedParams, ...), "
                         f"got {_describe(value)}")
    if like is not None and type(value) is not type(like):
        raise ValueError(f"{name}: expected a {type(like).__name__} like {like_name}, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name}: expected at least one array, got an empty {type(value).__name__}")
    for field, leaf in zip(value._fields, value, strict=True):
        arr = real_array(f"{name}.{field}", leaf)
        if arr.size == 0 and not empty:
            raise ValueError(f"{name}.{field}: expected a non-empty array, got shape {arr.shape}")
        if like is not None:
            want = np.shape(getattr(like, field))
            if arr.shape != want:
                raise ValueError(f"{name}.{field}: expected shape {want} (that of {like_name}.{field}), "
                                 f"got shape {arr.shape}")
    return value
