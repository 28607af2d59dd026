"""Automatic checkers for the notebooks' exercises, one module per notebook (ex01, ex02, ...).

A checker takes the learner's answer, computes the right one with rnnlib, and prints a
verdict with a specific hint (what is off, which way, by how much): it never shows the
solution. ``None`` means "not attempted yet". Each module also holds the reference solutions,
printed only on request: ``ex03.solution("sigma_edge")``. The tests run every reference
solution through its checker.
"""

from __future__ import annotations

import copy
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

NOT_YET = "not attempted yet"
TODO = "replace None with your answer and run the cell again."


def not_attempted(name: str, todo: str = TODO) -> None:
    """Print that exercise ``name`` has no answer yet, and what to do."""
    print(f"{name}: {NOT_YET}: {todo}")


@dataclass(frozen=True)
class Verdict:
    """What a checker found: ``ok``, and for a wrong answer a language-neutral ``diagnosis`` id naming the
    mistake (``"transpose"``, ``"sign"``, ``"off_by_one"``, ...; ``"wrong"`` when no specific mistake is
    recognised). Truthy exactly when the answer is right, so ``if check(answer):`` reads as before; tests
    compare the diagnosis, never the wording (which a translation changes)."""

    ok: bool
    diagnosis: str = ""

    def __bool__(self) -> bool:
        return self.ok


def verdict(ok: bool, name: str, hint: str = "", diagnosis: str = "") -> Verdict:
    """Print one line for exercise ``name`` and return the Verdict (``diagnosis`` only for a wrong answer)."""
    print(f"{name}: correct." if ok else f"{name}: not yet. {hint}".rstrip())
    return Verdict(True) if ok else Verdict(False, diagnosis or "wrong")


def _factor_words(factor: float) -> str:
    """How far off, as a bound on the ratio that does not give the answer away: 23 -> 'ten or more'."""
    for bound, words in ((100, "a hundred"), (10, "ten"), (3, "three"), (2, "two")):
        if factor >= bound:
            return f"{words} or more"
    return ""


def _factor(value: float, expected: float) -> float:
    """max(value / expected, expected / value) for two numbers of one sign; 0 when no ratio makes sense."""
    if value == 0 or expected == 0 or (value > 0) != (expected > 0):
        return 0.0
    return max(value / expected, expected / value)


def direction(value: float, expected: float) -> str:
    """'too high' or 'too low', and, for an answer off by a factor of two or more, a bound on that factor:
    never the answer itself, nor a distance it could be worked back from."""
    way = "too high" if value > expected else "too low"
    words = _factor_words(_factor(value, expected))
    return f"{value:.10g} is {way}" + (f", by a factor of {words}." if words else ".")


def number_answer(name: str, answer: object, what: str = "a number") -> float | Verdict:
    """The answer as a finite float, or the 'invalid' Verdict (printed) for a bool, text, NaN, inf or a non-number."""
    if isinstance(answer, (bool, str, bytes)):
        return verdict(False, name, f"Expected {what}, got {type(answer).__name__} {answer!r}.", "invalid")
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return verdict(False, name, f"Expected {what}, got {type(answer).__name__}.", "invalid")
    if not math.isfinite(value):
        return verdict(False, name, f"Expected a finite number, got {value}.", "invalid")
    return value


def check_number(name: str, answer: object, expected: float | Callable[[], float], *, rtol: float = 1e-6,
                 atol: float = 0.0, hint: str | Callable[[float], str] = "") -> Verdict | None:
    """Compare a numeric answer with the expected value; a wrong one gets its direction and ``hint``.

    ``expected`` may be a function, called only once there is an answer (so a placeholder cell costs nothing);
    ``hint`` may be a function of the answer's value, for hints that depend on what went wrong.
    """
    if answer is None:
        not_attempted(name)
        return None
    value = number_answer(name, answer)
    if isinstance(value, Verdict):
        return value
    if callable(expected):
        expected = expected()
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return verdict(True, name)
    extra = hint(value) if callable(hint) else hint
    return verdict(False, name, f"{direction(value, expected)} {extra}".strip())


#: Other ways of writing a choice that mean it (English variants and the Korean edition's words).
ALIASES = {"short-term": "short", "long-term": "long", "단기": "short", "장기": "long",
           "clipping": "clip", "truncation": "truncate", "truncated": "truncate", "gating": "gate",
           "initialization": "init", "initialisation": "init", "클리핑": "clip", "절단": "truncate",
           "게이트": "gate", "초기화": "init", "더 크다": "larger", "더 작다": "smaller", "같다": "same",
           "bigger": "larger"}


def _choice_key(answer: object, options) -> object:
    """A choice as its option key: case, spaces, brackets and a final full stop ignored, ALIASES applied."""
    if not isinstance(answer, str):
        return answer
    key = answer.strip().lower().strip("().").strip()
    key = ALIASES.get(key, key)
    return key if key in options else answer.strip().lower()


def check_choice(name: str, answer: object, expected: str, explanations: dict[str, str]) -> Verdict | None:
    """A multiple-choice answer: one of the keys of ``explanations`` (case and spaces ignored).

    A wrong choice prints its own explanation (why it is not the answer).
    """
    if answer is None:
        not_attempted(name, f"replace None with one of {', '.join(repr(k) for k in explanations)}.")
        return None
    key = _choice_key(answer, explanations) if isinstance(answer, str) else None
    if key not in explanations:
        return verdict(False, name, f"Expected one of {', '.join(repr(k) for k in explanations)}, got {answer!r}.",
                       "invalid")
    return verdict(key == expected, name, explanations[key])


def check_choices(name: str, answers: object, expected: Sequence[str], labels: Sequence[str],
                  options: Sequence[str], why: Sequence[str]) -> Verdict | None:
    """Several choices at once (one per item): each wrong item is named, with ``why`` it is the other way."""
    if answers is None or (isinstance(answers, (list, tuple)) and all(a is None for a in answers)):
        not_attempted(name, f"fill the list with one of {', '.join(repr(o) for o in options)} per item.")
        return None
    if not isinstance(answers, (list, tuple)) or len(answers) != len(expected):
        return verdict(False, name, f"Expected a list of {len(expected)} answers, got {answers!r}.", "invalid")
    given = [_choice_key(a, options) for a in answers]
    bad = [a for a in given if a not in options]
    if bad:
        return verdict(False, name, f"Each answer is one of {', '.join(repr(o) for o in options)}; got {bad[0]!r}.",
                       "invalid")
    wrong = [i for i, (g, e) in enumerate(zip(given, expected)) if g != e]
    hints = " ".join(f"({labels[i]}) is not {given[i]}: {why[i]}" for i in wrong)
    return verdict(not wrong, name, f"{len(wrong)} of {len(expected)} wrong. {hints}")


def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    """max |got - want| / max(max |got|, max |want|): 0 for two zero arrays (as ``rnnlib.rel_error``)."""
    scale = max(float(np.max(np.abs(got), initial=0.0)), float(np.max(np.abs(want), initial=0.0)))
    return 0.0 if scale == 0.0 else float(np.max(np.abs(got - want)) / scale)


def compare_outputs(got: object, want: object, names: Sequence[str] | None, rtol: float) -> str | None:
    """None if every output matches to ``rtol`` (relative error), else a sentence naming the first that does not."""
    got_t = got if isinstance(got, tuple) else (got,)
    want_t = want if isinstance(want, tuple) else (want,)
    if len(got_t) != len(want_t):
        what = f" ({', '.join(names)})" if names else ""
        return f"Expected {len(want_t)} outputs{what}, got {len(got_t)}."
    for i, (g, w) in enumerate(zip(got_t, want_t)):
        label = names[i] if names else f"output {i + 1}"
        try:
            g = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            return f"{label} is not an array of numbers (got {type(g).__name__})."
        if g.shape != np.shape(w):
            return f"{label} has shape {g.shape}, expected {np.shape(w)}."
        if not np.all(np.isfinite(g)):
            return f"{label} holds NaN or inf."
        err = relative_error(g, np.asarray(w, dtype=np.float64))
        if err > rtol:
            return f"{label} is off: relative error {err:.1e} (threshold {rtol:.0e})."
    return None


def check_function(name: str, answer: Callable | None, reference: Callable, cases: list[tuple], *,
                   names: Sequence[str] | None = None, rtol: float = 1e-9, hint: str = "",
                   describe: Callable[[tuple], str] | None = None) -> Verdict | None:
    """Call the learner's function and the reference on the same arguments and compare every output.

    A wrong answer is told which output is off and by how much (relative error), on which case.
    """
    if answer is None:
        not_attempted(name)
        return None
    if not callable(answer):
        return verdict(False, name, f"Expected a function, got {type(answer).__name__}.", "invalid")
    for k, args in enumerate(cases):
        want = reference(*copy.deepcopy(args))
        try:
            got = answer(*copy.deepcopy(args))   # a copy: an answer that works in place is still judged fairly
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            return verdict(False, name, f"Calling it raised {type(exc).__name__}: {exc}", "raises")
        if any(getattr(g, "dtype", None) == np.float32 for g in (got if isinstance(got, tuple) else (got,))):
            return verdict(False, name, "The result is float32. Its rounding (about 1e-7) is larger than the "
                                        "check's threshold and hides the maths: compute in float64, numpy's "
                                        "default.", "float32")
        problem = compare_outputs(got, want, names, rtol)
        if problem:
            where = describe(args) if describe else f"case {k + 1} of {len(cases)}"
            return verdict(False, name, f"On {where}: {problem} {hint}".strip())
    return verdict(True, name)


def print_solution(solutions: dict[str, tuple[str, object]], key: str) -> None:
    """Print the reference solution ``key``: its explanation, and the source of its code if it has any."""
    if key not in solutions:
        raise ValueError(f"key: expected one of {', '.join(repr(k) for k in solutions)}, got {key!r}")
    text, code = solutions[key]
    print(text)
    if callable(code):
        print()
        print(inspect.getsource(code).rstrip())
    elif code is not None:
        print(f"\nanswer = {code!r}")


def ratio_words(value: float, expected: float) -> str:
    """An answer off by a factor, said as a ratio (a bound on it, so the answer cannot be worked back from it):
    'too low by a factor of ten or more'."""
    words = _factor_words(_factor(value, expected)) or "less than two"
    return f"{value:.10g} is too {'high' if value > expected else 'low'} by a factor of {words}."
