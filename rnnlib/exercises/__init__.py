"""Automatic checkers for the notebooks' exercises, one module per notebook (ex01, ex02, ...).

A checker takes the learner's answer, computes the right one with rnnlib, and prints a
verdict: it never shows the solution. ``None`` means "not answered yet".
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

NOT_YET = "Not answered yet: replace None with your answer and run the cell again."


def verdict(ok: bool, name: str, hint: str = "") -> bool:
    """Print one line for exercise ``name`` and return ``ok``."""
    print(f"{name}: correct." if ok else f"{name}: not yet. {hint}".rstrip())
    return ok


def check_number(name: str, answer: object, expected: float, *, rtol: float = 1e-6, atol: float = 0.0,
                 hint: str = "") -> bool | None:
    """Compare a numeric answer with the expected value."""
    if answer is None:
        print(f"{name}: {NOT_YET}")
        return None
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return verdict(False, name, f"Expected a number, got {type(answer).__name__}.")
    return verdict(bool(np.isclose(value, expected, rtol=rtol, atol=atol)), name, hint)


def check_function(name: str, answer: Callable | None, reference: Callable, cases: list[tuple], *,
                   rtol: float = 1e-9, atol: float = 1e-12, hint: str = "") -> bool | None:
    """Call the learner's function and the reference on the same arguments and compare every output."""
    if answer is None:
        print(f"{name}: {NOT_YET}")
        return None
    for args in cases:
        want = reference(*copy.deepcopy(args))
        try:
            got = answer(*copy.deepcopy(args))   # a copy: an answer that works in place is still judged fairly
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            return verdict(False, name, f"Calling it raised {type(exc).__name__}: {exc}")
        got_t = got if isinstance(got, tuple) else (got,)
        want_t = want if isinstance(want, tuple) else (want,)
        if len(got_t) != len(want_t):
            return verdict(False, name, f"Expected {len(want_t)} outputs, got {len(got_t)}.")
        for g, w in zip(got_t, want_t):
            g = np.asarray(g, dtype=np.float64)
            if g.shape != np.shape(w) or not np.allclose(g, w, rtol=rtol, atol=atol):
                return verdict(False, name, hint or "An output differs from rnnlib's on random inputs.")
    return verdict(True, name)
