"""Automatic checkers for the notebooks' exercises, one module per notebook (ex01, ex02, ...).

A checker takes the learner's answer, computes the right one with rnnlib, and prints a
verdict with a specific hint (what is off, which way, by how much): it never shows the
solution. ``None`` means "not attempted yet". Each module also holds the reference solutions,
printed only on request: ``ex03.solution("sigma_edge")``. The tests run every reference
solution through its checker.

Everything a checker prints goes through ``i18n.tr`` and is written in the notebook's language (the
Korean in ``messages/ko/exercises.json`` and ``ex01.json`` ... ``ex04.json``). A sentence that differs by a
word (too high or too low, by which factor, which option) is a whole sentence of its own in a ``*_MESSAGES``
table, so that a translation orders its words its own way.
"""

from __future__ import annotations

import copy
import inspect
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import tr

#: What an empty exercise cell prints in English (the course site finds the exercise cells by it).
NOT_YET = "not attempted yet"


def not_attempted(name: str, todo: str | None = None) -> None:
    """Print that exercise ``name`` has no answer yet, and what to do (``todo``, already in the learner's
    language; by default: replace None with an answer)."""
    if todo is None:
        todo = tr("replace None with your answer and run the cell again.")
    print(tr("{name}: not attempted yet: {todo}", name=name, todo=todo))


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
    print(tr("{name}: correct.", name=name) if ok else tr("{name}: not yet. {hint}", name=name, hint=hint).rstrip())
    return Verdict(True) if ok else Verdict(False, diagnosis or "wrong")


def _factor_bound(factor: float) -> int:
    """How far off, as a bound on the ratio that does not give the answer away: 23 -> 10 ('ten or more');
    0 below a factor of two."""
    return next((bound for bound in (100, 10, 3, 2) if factor >= bound), 0)


def _factor(value: float, expected: float) -> float:
    """max(value / expected, expected / value) for two numbers of one sign; 0 when no ratio makes sense."""
    if value == 0 or expected == 0 or (value > 0) != (expected > 0):
        return 0.0
    return max(value / expected, expected / value)


#: direction(): (too "high" or "low", the bound on the factor from _factor_bound) -> the sentence.
DIRECTION_MESSAGES = {
    ("high", 0): "{value:.10g} is too high.",
    ("low", 0): "{value:.10g} is too low.",
    ("high", 2): "{value:.10g} is too high, by a factor of two or more.",
    ("low", 2): "{value:.10g} is too low, by a factor of two or more.",
    ("high", 3): "{value:.10g} is too high, by a factor of three or more.",
    ("low", 3): "{value:.10g} is too low, by a factor of three or more.",
    ("high", 10): "{value:.10g} is too high, by a factor of ten or more.",
    ("low", 10): "{value:.10g} is too low, by a factor of ten or more.",
    ("high", 100): "{value:.10g} is too high, by a factor of a hundred or more.",
    ("low", 100): "{value:.10g} is too low, by a factor of a hundred or more.",
}
#: ratio_words(): below a factor of two it still says a ratio (from two on, DIRECTION_MESSAGES' sentences).
RATIO_MESSAGES = {
    "high": "{value:.10g} is too high by a factor of less than two.",
    "low": "{value:.10g} is too low by a factor of less than two.",
}


def direction(value: float, expected: float) -> str:
    """'too high' or 'too low', and, for an answer off by a factor of two or more, a bound on that factor:
    never the answer itself, nor a distance it could be worked back from."""
    way = "high" if value > expected else "low"
    return tr(DIRECTION_MESSAGES[way, _factor_bound(_factor(value, expected))], value=value)


def number_answer(name: str, answer: object, what: str | None = None) -> float | Verdict:
    """The answer as a finite float, or the 'invalid' Verdict (printed) for a bool, text, NaN, inf or a non-number.
    ``what`` names the number expected, in the learner's language (default: a number)."""
    if what is None:
        what = tr("a number")
    if isinstance(answer, (bool, str, bytes)):
        return verdict(False, name, tr("Expected {what}, got {kind} {answer}.", what=what,
                                       kind=type(answer).__name__, answer=repr(answer)), "invalid")
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return verdict(False, name, tr("Expected {what}, got {kind}.", what=what, kind=type(answer).__name__),
                       "invalid")
    if not math.isfinite(value):
        return verdict(False, name, tr("Expected a finite number, got {value}.", value=value), "invalid")
    return value


def check_number(name: str, answer: object, expected: float | Callable[[], float], *, rtol: float = 1e-6,
                 atol: float = 0.0, hint: str | Callable[[float], str] = "",
                 direction_shown: Callable[[float], bool] | None = None) -> Verdict | None:
    """Compare a numeric answer with the expected value; a wrong one gets its direction and ``hint``.

    ``expected`` may be a function, called only once there is an answer (so a placeholder cell costs nothing);
    ``hint`` may be a function of the answer's value, for hints that depend on what went wrong.
    ``direction_shown(value)`` False leaves the direction out: where "too high" and the hint together would
    pin the answer (an answer one slider step away, say), the hint stands alone.
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
    if direction_shown is not None and not direction_shown(value):
        return verdict(False, name, extra)
    return verdict(False, name, f"{direction(value, expected)} {extra}".strip())


#: Other ways of writing a choice that mean it: English variants and the words a Korean learner types for each
#: option (the Korean notebooks name them: 단기/장기, 더 큼/거의 같음/더 작음, 클리핑/절단/게이트/초기화).
#: Spaces, hyphens and underscores inside a word do not matter ("short term", "단기의존성").
ALIASES = {
    # short or long (01, Exercise 1)
    "short-term": "short", "short-term dependency": "short", "단기": "short", "단기 의존성": "short",
    "단기적": "short", "단기 의존": "short",
    "long-term": "long", "long-term dependency": "long", "장기": "long", "장기 의존성": "long",
    "장기적": "long", "장기 의존": "long",
    # larger, about the same or smaller (01, Exercise 3)
    "bigger": "larger", "greater": "larger", "더 크다": "larger", "더 큼": "larger", "큼": "larger",
    "크다": "larger", "더 커진다": "larger", "커진다": "larger", "커짐": "larger", "더 커짐": "larger",
    "about the same": "same", "similar": "same", "같다": "same", "같음": "same", "거의 같다": "same",
    "거의 같음": "same", "비슷하다": "same", "비슷함": "same", "비슷": "same",
    "커지다": "larger", "더 커지다": "larger", "증가": "larger", "증가한다": "larger", "증가하다": "larger",
    "늘어난다": "larger", "늘어나다": "larger",
    "더 작다": "smaller", "더 작음": "smaller", "작음": "smaller", "작다": "smaller", "더 작아진다": "smaller",
    "작아진다": "smaller", "작아짐": "smaller", "더 작아짐": "smaller", "작아지다": "smaller", "더 작아지다": "smaller",
    "감소": "smaller", "감소한다": "smaller", "감소하다": "smaller", "줄어든다": "smaller", "줄어들다": "smaller",
    # which remedy (04, Exercise 3)
    "clipping": "clip", "gradient clipping": "clip", "norm clipping": "clip", "클리핑": "clip",
    "기울기 클리핑": "clip", "노름 클리핑": "clip",
    "truncation": "truncate", "truncated": "truncate", "truncated bptt": "truncate", "절단": "truncate",
    "절단 bptt": "truncate",
    "gating": "gate", "gated": "gate", "gated unit": "gate", "게이트": "gate", "게이팅": "gate",
    "게이트 유닛": "gate", "게이트가 있는 유닛": "gate",
    "initialization": "init", "initialisation": "init", "initialize": "init", "초기화": "init",
    "직교 초기화": "init",
}


def _squeeze(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text)


_ALIAS_KEYS = {_squeeze(k): v for k, v in ALIASES.items()}


def _choice_key(answer: object, options) -> object:
    """A choice as its option key: case, spaces, quotes, brackets, a final full stop and a Korean "번" after an
    option letter ("b번") ignored, full-width letters read as letters, ALIASES applied."""
    if not isinstance(answer, str):
        return answer
    key = unicodedata.normalize("NFKC", answer).strip().lower().strip("().'\"").strip()
    squeezed = _squeeze(key)
    if squeezed.endswith("번") and squeezed[:-1].strip("()") in options:
        return squeezed[:-1].strip("()")
    key = _ALIAS_KEYS.get(squeezed, squeezed if squeezed in options else key)
    return key if key in options else answer.strip().lower()


#: check_choices: the sentence for one wrong item, per option the learner gave (a translation words each its
#: own way); an option not listed here gets the general sentence.
WRONG_ITEM_MESSAGES = {
    "short": "({label}) is not short: {why}",
    "long": "({label}) is not long: {why}",
    "clip": "({label}) is not clip: {why}",
    "truncate": "({label}) is not truncate: {why}",
    "gate": "({label}) is not gate: {why}",
    "init": "({label}) is not init: {why}",
}


#: check_choices: a word (one of ALIASES) a learner may type for an option, named beside the options when an
#: answer is none of them; a translation gives the word of its own language (단기, 절단, ...).
OPTION_WORD_MESSAGES = {
    "short": "short-term", "long": "long-term",
    "clip": "clipping", "truncate": "truncation", "gate": "gated unit", "init": "initialization",
}


def _options(options) -> str:
    return ", ".join(repr(k) for k in options)


def check_choice(name: str, answer: object, expected: str, explanations: dict[str, str]) -> Verdict | None:
    """A multiple-choice answer: one of the keys of ``explanations`` (case and spaces ignored).

    A wrong choice prints its own explanation (why it is not the answer), already in the learner's language.
    """
    if answer is None:
        not_attempted(name, tr("replace None with one of {options}.", options=_options(explanations)))
        return None
    key = _choice_key(answer, explanations) if isinstance(answer, str) else None
    if key not in explanations:
        return verdict(False, name, tr("Expected one of {options}, got {answer}.", options=_options(explanations),
                                       answer=repr(answer)), "invalid")
    return verdict(key == expected, name, explanations[key])


def check_choices(name: str, answers: object, expected: Sequence[str], labels: Sequence[str],
                  options: Sequence[str], why: Sequence[str]) -> Verdict | None:
    """Several choices at once (one per item): each wrong item is named, with ``why`` it is the other way
    (already in the learner's language)."""
    if answers is None or (isinstance(answers, (list, tuple)) and all(a is None for a in answers)):
        not_attempted(name, tr("fill the list with one of {options} per item.", options=_options(options)))
        return None
    if not isinstance(answers, (list, tuple)) or len(answers) != len(expected):
        return verdict(False, name, tr("Expected a list of {count} answers, got {answers}.", count=len(expected),
                                       answers=repr(answers)), "invalid")
    given = [_choice_key(a, options) for a in answers]
    bad = [a for a in given if a not in options]
    if bad:
        words = ", ".join(repr(tr(OPTION_WORD_MESSAGES[k])) for k in options if k in OPTION_WORD_MESSAGES)
        if words:
            return verdict(False, name, tr("Each answer is one of {options} ({words} work too); got {answer}.",
                                           options=_options(options), words=words, answer=repr(bad[0])), "invalid")
        return verdict(False, name, tr("Each answer is one of {options}; got {answer}.", options=_options(options),
                                       answer=repr(bad[0])), "invalid")
    wrong = [i for i, (g, e) in enumerate(zip(given, expected)) if g != e]
    hints = " ".join(tr(WRONG_ITEM_MESSAGES[given[i]], label=labels[i], why=why[i]) if given[i] in WRONG_ITEM_MESSAGES
                     else tr("({label}) is not {given}: {why}", label=labels[i], given=given[i], why=why[i])
                     for i in wrong)
    return verdict(not wrong, name, tr("{wrong} of {total} wrong. {hints}", wrong=len(wrong), total=len(expected),
                                       hints=hints))


def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    """max |got - want| / max(max |got|, max |want|): 0 for two zero arrays (as ``rnnlib.rel_error``)."""
    scale = max(float(np.max(np.abs(got), initial=0.0)), float(np.max(np.abs(want), initial=0.0)))
    return 0.0 if scale == 0.0 else float(np.max(np.abs(got - want)) / scale)


def compare_outputs(got: object, want: object, names: Sequence[str] | None, rtol: float) -> str | None:
    """None if every output matches to ``rtol`` (relative error), else a sentence naming the first that does not."""
    got_t = got if isinstance(got, tuple) else (got,)
    want_t = want if isinstance(want, tuple) else (want,)
    if len(got_t) != len(want_t):
        if names:
            return tr("Expected {count} outputs ({names}), got {got}.", count=len(want_t), names=", ".join(names),
                      got=len(got_t))
        return tr("Expected {count} outputs, got {got}.", count=len(want_t), got=len(got_t))
    for i, (g, w) in enumerate(zip(got_t, want_t)):
        label = names[i] if names else tr("output {number}", number=i + 1)
        try:
            g = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            return tr("{label} is not an array of numbers (got {kind}).", label=label, kind=type(g).__name__)
        if g.shape != np.shape(w):
            return tr("{label} has shape {shape}, expected {want}.", label=label, shape=g.shape, want=np.shape(w))
        if not np.all(np.isfinite(g)):
            return tr("{label} holds NaN or inf.", label=label)
        err = relative_error(g, np.asarray(w, dtype=np.float64))
        if err > rtol:
            return tr("{label} is off: relative error {err:.1e} (threshold {rtol:.0e}).", label=label, err=err,
                      rtol=rtol)
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
        return verdict(False, name, tr("Expected a function, got {kind}.", kind=type(answer).__name__), "invalid")
    for k, args in enumerate(cases):
        want = reference(*copy.deepcopy(args))
        try:
            got = answer(*copy.deepcopy(args))   # a copy: an answer that works in place is still judged fairly
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            return verdict(False, name, tr("Calling it raised {error}: {message}", error=type(exc).__name__,
                                           message=exc), "raises")
        if any(getattr(g, "dtype", None) == np.float32 for g in (got if isinstance(got, tuple) else (got,))):
            return verdict(False, name, tr("The result is float32. Its rounding (about 1e-7) is larger than the "
                                           "check's threshold and hides the maths: compute in float64, numpy's "
                                           "default."), "float32")
        problem = compare_outputs(got, want, names, rtol)
        if problem:
            where = describe(args) if describe else tr("case {number} of {count}", number=k + 1, count=len(cases))
            return verdict(False, name, tr("On {where}: {problem} {hint}", where=where, problem=problem,
                                           hint=hint).strip())
    return verdict(True, name)


def print_solution(solutions: dict[str, tuple[str | Callable[[], str], object]], key: str) -> None:
    """Print the reference solution ``key``: its explanation, and the source of its code if it has any.

    The explanation is an English text of the module's ``_SOLUTION_MESSAGES`` (printed in the learner's
    language), or a function that writes it (for one built from other texts)."""
    if key not in solutions:
        raise ValueError(f"key: expected one of {', '.join(repr(k) for k in solutions)}, got {key!r}")
    text, code = solutions[key]
    print(text() if callable(text) else tr(text))
    if callable(code):
        print()
        print(inspect.getsource(code).rstrip())
    elif code is not None:
        print(f"\nanswer = {code!r}")


def ratio_words(value: float, expected: float) -> str:
    """An answer off by a factor, said as a ratio (a bound on it, so the answer cannot be worked back from it):
    'too low by a factor of ten or more'."""
    way, bound = "high" if value > expected else "low", _factor_bound(_factor(value, expected))
    message = DIRECTION_MESSAGES[way, bound] if bound else RATIO_MESSAGES[way]
    return tr(message, value=value)
