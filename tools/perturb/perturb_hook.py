"""A last-bit perturbation of numpy, standing in for another machine (test-only; rnnlib knows nothing of it).

Two moves, each a deterministic function of (perturbation seed, the bits of the value moved), never of call
order, as another CPU's loops or another libm are a deterministic function of their input:

- numpy's elementwise transcendental functions (``UFUNCS``): on a pseudo-random half of the float64 results,
  the result moves by one ulp up or down (``np.nextafter``). Results that are exact integers (0, 1, 2, ...),
  inf and nan are left alone: a faithful libm returns them exactly on every machine. ``sqrt`` is correctly
  rounded by IEEE 754 on every CPU and is not moved unless named in RNNLIB_PERTURB_UFUNCS.
- every float draw of a ``np.random.default_rng(...)`` Generator (``normal``, ``standard_normal``, ``uniform``,
  ``random``): moved by 1 to 4 ulps, so that each training run starts a few ulps away (the solo and stacked
  trainers, vanilla and gated parameters and every recipe of ``rnnlib.init`` draw from such a Generator).
  Integer draws (the tasks' symbols) are untouched, and the bit stream is consumed exactly as before.

Environment: RNNLIB_PERTURB_SEED=<int> switches it on (``sitecustomize.py`` in this folder installs it at
interpreter start-up when the folder is first on PYTHONPATH); RNNLIB_PERTURB_PARTS=ufuncs,rng (default both);
RNNLIB_PERTURB_UFUNCS=exp,log,... (default ``UFUNCS``); RNNLIB_PERTURB_MARKER=<file>: each process that
installs the hook appends a line with its pid and command, so a check can see that a kernel really had it.
"""

from __future__ import annotations

import os
import sys

import numpy as np

UFUNCS = ("exp", "log", "log1p", "expm1", "tanh", "log10", "log2")
ALL_PARTS = ("ufuncs", "rng")

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_ONE, _TWO, _THREE, _S62 = np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(62)
_STEPS = np.array([0, 0, -1, 1], dtype=np.int64)

# The originals, used inside the hook whatever is patched.
_isfinite, _rint, _nextafter, _where = np.isfinite, np.rint, np.nextafter, np.where
_INF = float("inf")


def _key(seed: int, salt: int) -> np.uint64:
    """A 64-bit key for (seed, salt), itself mixed so that neighbouring seeds give unrelated patterns."""
    return _mix(np.array([(seed * 1_000_003 + salt) % 2**64], dtype=np.uint64), np.uint64(0x9E3779B97F4A7C15))[0]


def _mix(bits: np.ndarray, key: np.uint64) -> np.ndarray:
    """splitmix64's finaliser of bits ^ key (1-d uint64 arrays: wrap-around without warnings)."""
    z = bits ^ key
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _hash(x: np.ndarray, key: np.uint64) -> np.ndarray:
    return _mix(np.ascontiguousarray(x, dtype=np.float64).reshape(-1).view(np.uint64), key).reshape(x.shape)


def _ulp_steps(x: np.ndarray, key: np.uint64) -> np.ndarray:
    """Per entry of contiguous float64 x: 0 (half of them), +1 (one ulp away from zero) or -1 (toward zero).

    Two top bits of a multiplicative hash of (bits ^ key) choose; exact integers (0, 1, ...) and inf get 0.
    """
    bits = x.reshape(-1).view(np.uint64)
    choice = ((bits ^ key) * _M1) >> _S62
    steps = _STEPS.take(choice.astype(np.intp))          # numpy 2.0 takes no uint64 indices
    steps[x.reshape(-1) == _rint(x.reshape(-1))] = 0
    return steps.reshape(x.shape)


def ulp_moved(x: np.ndarray, key: np.uint64) -> np.ndarray:
    """A copy of float64 x with a seeded half of its non-integer finite entries one ulp up or down."""
    x = np.array(x, dtype=np.float64, order="C")
    moved = (x.reshape(-1).view(np.int64) + _ulp_steps(x, key).reshape(-1)).view(np.float64)
    return moved.reshape(x.shape)


def ulps_moved(x: np.ndarray, key: np.uint64) -> np.ndarray:
    """A copy of float64 x with every finite non-zero entry 1 to 4 ulps up or down (seeded by its bits)."""
    x = np.array(x, dtype=np.float64)
    h = _hash(x, key)
    steps = ((h >> _TWO) & _THREE).astype(np.int64) + 1
    sign = _where((h & _ONE) == _ONE, 1, -1) * _where(x > 0, 1, -1)   # +1: away from zero
    ok = _isfinite(x) & (x != 0)
    flat = x.reshape(-1).view(np.int64)
    moved = (flat + _where(ok.reshape(-1), steps.reshape(-1) * sign.reshape(-1), 0)).view(np.float64)
    return moved.reshape(x.shape)


class PerturbedUfunc:
    """Calls the ufunc, then moves its float64 results (also into ``out=``, only where ``where=`` is true)."""

    def __init__(self, ufunc: np.ufunc, key: np.uint64) -> None:
        self.__wrapped__ = ufunc
        self._key = key
        self.__name__ = ufunc.__name__
        self.__doc__ = ufunc.__doc__

    def __getattr__(self, name: str):
        return getattr(self.__wrapped__, name)

    def __repr__(self) -> str:
        return repr(self.__wrapped__)

    def __call__(self, *args, **kwargs):
        result = self.__wrapped__(*args, **kwargs)
        out = kwargs.get("out")
        target = (out[0] if isinstance(out, tuple) else out) if out is not None else result
        if isinstance(target, np.ndarray):
            if target.dtype == np.float64 and target.size:
                if "where" not in kwargs and target.flags.c_contiguous:
                    flat = target.reshape(-1)
                    flat.view(np.int64)[...] += _ulp_steps(flat, self._key)
                else:
                    np.copyto(target, ulp_moved(target, self._key), where=kwargs.get("where", True))
            return result
        if isinstance(result, np.float64):
            return np.float64(ulp_moved(np.array([result]), self._key)[0])
        return result


_FLOAT_DRAWS = ("normal", "standard_normal", "uniform", "random")


def _generator_class(key: np.uint64) -> type:
    class PerturbedGenerator(np.random.Generator):
        """A Generator whose float draws are moved by 1 to 4 ulps; integer draws unchanged."""

    def draw(name: str):
        original = getattr(np.random.Generator, name)

        def method(self, *args, **kwargs):
            value = original(self, *args, **kwargs)
            out = kwargs.get("out")
            target = out if out is not None else value
            if isinstance(target, np.ndarray):
                if target.dtype == np.float64:
                    target[...] = ulps_moved(target, key)
                return value
            if isinstance(value, float):
                return float(ulps_moved(np.array([value]), key)[0])
            return value

        method.__name__ = name
        method.__doc__ = original.__doc__
        return method

    for name in _FLOAT_DRAWS:
        setattr(PerturbedGenerator, name, draw(name))
    return PerturbedGenerator


def install(seed: int, parts: tuple[str, ...] = ALL_PARTS, ufuncs: tuple[str, ...] = UFUNCS) -> None:
    """Patch numpy in this process (numpy.<name>, numpy._core.umath.<name>, numpy.random.default_rng)."""
    import numpy._core.umath as umath

    installed = getattr(np, "_last_bit_perturbation", None)
    if installed is not None:
        raise RuntimeError(f"the perturbation is already installed ({installed})")
    if "ufuncs" in parts:
        for i, name in enumerate(ufuncs):
            original = getattr(np, name)
            if not isinstance(original, np.ufunc):
                raise ValueError(f"RNNLIB_PERTURB_UFUNCS: {name!r} is not a numpy ufunc")
            wrapped = PerturbedUfunc(original, _key(seed, 1 + i))
            setattr(np, name, wrapped)
            if getattr(umath, name, None) is original:
                setattr(umath, name, wrapped)
    if "rng" in parts:
        generator = _generator_class(_key(seed, 0))
        original_default_rng = np.random.default_rng

        def default_rng(seed=None):
            if isinstance(seed, np.random.Generator):
                return seed
            return generator(original_default_rng(seed).bit_generator)

        default_rng.__doc__ = original_default_rng.__doc__
        np.random.default_rng = default_rng
    np._last_bit_perturbation = {"seed": seed, "parts": tuple(parts), "ufuncs": tuple(ufuncs)}


def install_from_environment() -> None:
    text = os.environ.get("RNNLIB_PERTURB_SEED", "").strip()
    if not text:
        return
    parts = tuple(p for p in os.environ.get("RNNLIB_PERTURB_PARTS", ",".join(ALL_PARTS)).split(",") if p)
    unknown = set(parts) - set(ALL_PARTS)
    if unknown:
        raise ValueError(f"RNNLIB_PERTURB_PARTS: unknown {sorted(unknown)}, expected some of {ALL_PARTS}")
    ufuncs = tuple(u for u in os.environ.get("RNNLIB_PERTURB_UFUNCS", ",".join(UFUNCS)).split(",") if u)
    install(int(text), parts, ufuncs)
    marker = os.environ.get("RNNLIB_PERTURB_MARKER")
    if marker:
        command = " ".join(getattr(sys, "orig_argv", sys.argv))
        with open(marker, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} seed={text} parts={','.join(parts)} argv={command}\n")
