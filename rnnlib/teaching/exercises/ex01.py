"""Checkers for notebook 01 (short- vs long-term dependency).

1. ``check_dependency_kinds``: short- or long-term dependency, for three situations (conceptual).
2. ``check_lag_task``: what the lag task of section 5 measures (a choice, conceptual).
3. ``check_small_inputs``: predict, then check: the tanh RNN of section 4 (gain 1) with its inputs
   scaled by 0.1: is the influence of x_1 on h_30 larger, about the same or smaller than with the
   inputs as they were? The checker measures it with rnnlib; only a valid prediction reveals the measurement.
4. ``check_steps_to_one_percent``: compute, then check: in section 3's linear unit with w = 0.9, the first
   step t at which the influence w^(t-1) of x_1 on h_t falls below 1 %. The checker finds it with rnnlib.

``solution(key)`` prints a reference solution. Every checker returns a ``Verdict`` whose ``diagnosis`` names
the mistake it recognised (``item_b``, ``capacity``, ``off_by_one``, ``log_base``, ``rounding``, ...); no
public name here holds an answer.
"""

from __future__ import annotations

import math as _math

import numpy as np

from ... import init as _init
from ... import tasks as _tasks
from ...jacobian import forward_log_derivatives as _forward_log_derivatives
from ...jacobian import influence_log10_norms as _influence_log10_norms
from ...rnn import init_params as _init_params
from ..i18n import tr
from . import Verdict, _choice_key, check_choice, check_choices, not_attempted, print_solution, verdict
from . import number_answer as _number_answer
from . import ratio_words as _ratio_words

# --- 1. short or long ----------------------------------------------------------------------------------------

SITUATIONS = (
    "a: closing the bracket opened two tokens earlier in `f(x)`",
    "b: choosing 'she' or 'he' to start the last sentence of a 60-word story whose main character, Maria, "
    "is named only in its first sentence, about 50 words earlier",
    "c: predicting the next letter of 'recurren_' from the letters just before it",
)
_KINDS = ("short", "long", "short")
_LABELS = ("a", "b", "c")
#: The gap of section 1's long example (France ... French), in words.
_LONG_GAP = _tasks.word_gap(*_tasks.SENTENCE_EXAMPLES["long-term"])
_WHY_MESSAGES = (
    "the clue '(' is 2 steps back: a small time gap, a short-term dependency.",
    "the clue 'Maria' is about 50 words back, more than twice the {gap}-word gap of section 1's long example "
    "(France ... French), with other words and people in between: a large time gap, a long-term dependency.",
    "the letters that decide it are the last one or two: a short-term dependency.",
)


def _why() -> list[str]:
    """Why each situation is the kind it is, in the learner's language."""
    return [tr(text, gap=_LONG_GAP) for text in _WHY_MESSAGES]


def check_dependency_kinds(answers: object) -> Verdict | None:
    """Exercise 1: a list of three answers, 'short' or 'long', for ``SITUATIONS`` a, b, c.

    A wrong answer's diagnosis names the wrong items: ``item_b``, or ``item_a+item_c`` for several.
    """
    got = check_choices(tr("Exercise 1 (short or long)"), answers, _KINDS, _LABELS, ("short", "long"), _why())
    if got is None or got.ok or got.diagnosis != "wrong":
        return got
    given = [_choice_key(a, _KINDS) for a in answers]  # type: ignore[union-attr]   # valid: check_choices said so
    return Verdict(False, "+".join(f"item_{label}" for label, g, e in zip(_LABELS, given, _KINDS) if g != e))


# --- 2. what the lag task measures ---------------------------------------------------------------------------

LAG_TASK_OPTIONS = {
    "a": "how many symbols a network of H units can store at once",
    "b": "whether training with BPTT finds weights that carry the cue across d steps, in a stated budget",
    "c": "whether a vanilla RNN can represent a memory of d steps at all",
    "d": "how fast the forward pass is for a sequence of d steps",
}
_LAG_TASK_WHY_MESSAGES = {
    "a": "The task stores one symbol, the cue, whatever d is; what changes with d is the gap it must be carried "
         "across, and what fails at long lags is learning, not the count of symbols.",
    "b": "",
    "c": "Representing is not the problem: a tanh unit with a self-weight above 1 has two stable states and "
         "keeps a bit for any number of steps (notebook 03 measures one). So what fails at long lags? Think of "
         "the gradient from the query step back to the cue, the influence d h_{d+1} / d x_1 of section 4 (the "
         "query sits at step d + 1): how small is it at long lags?",
    "d": "Time is not measured: accuracy is. A slow run that learns counts as learned.",
}


#: The diagnosis of each wrong option: what the learner took the plot to measure.
_LAG_TASK_DIAGNOSES = {"a": "capacity", "c": "representation", "d": "speed"}


def check_lag_task(answer: object) -> Verdict | None:
    """Exercise 2: 'a', 'b', 'c' or 'd' from ``LAG_TASK_OPTIONS``. A wrong option's diagnosis says what it
    mistakes the plot for: ``capacity`` (a), ``representation`` (c) or ``speed`` (d)."""
    why = {key: tr(text) for key, text in _LAG_TASK_WHY_MESSAGES.items()}
    got = check_choice(tr("Exercise 2 (what the lag task measures)"), answer, "b", why)
    if got is None or got.ok or got.diagnosis != "wrong":
        return got
    return Verdict(False, _LAG_TASK_DIAGNOSES[_choice_key(answer, why)])


# --- 3. predict, then check: smaller inputs ------------------------------------------------------------------

SMALL_INPUT = {"gain": 1.0, "scale": 0.1, "t": 30, "H": 32, "D": 4, "T": 60}
#: Within this many decades the two influences count as "about the same".
SAME_DECADES = 1.0
_PREDICTIONS = ("larger", "same", "smaller")


def _small_input_influence(scale: float = SMALL_INPUT["scale"]) -> tuple[float, float]:
    """log10 ||d h_30 / d x_1|| for section 4's network with gain 1, inputs as they were and times ``scale``.

    The network and the input sequence are built as in notebook 01, section 4 (seeds 1 and 0).
    """
    s = SMALL_INPUT
    H, D, T = s["H"], s["D"], s["T"]
    X = np.random.default_rng(0).normal(size=(T, 1, D))
    rng = np.random.default_rng(1)
    W_hh = _init.gaussian(H, rng, std=s["gain"] / np.sqrt(H))
    params = _init_params(D, H, 1, rng, W_hh=W_hh)
    out = []
    for factor in (1.0, scale):
        U = factor * X[:, 0] @ params.W_xh.T + params.b_h
        log_fprime = _forward_log_derivatives(params.W_hh, U)
        influence = _influence_log10_norms(params.W_hh, log_fprime, W_xh=params.W_xh)   # entry t - 1 is step t
        out.append(float(influence[s["t"] - 1]))
    return out[0], out[1]


def _small_input_answer() -> str:
    before, after = _small_input_influence()
    if abs(after - before) <= SAME_DECADES:
        return "same"
    return "larger" if after > before else "smaller"


def check_small_inputs(prediction: object) -> Verdict | None:
    """Exercise 3: your prediction, 'larger', 'same' or 'smaller'; then the measurement is revealed.

    Only a valid prediction (one of the three) reveals the measurement; anything else is told what to write.
    """
    name = tr("Exercise 3 (predict, then check)")
    if prediction is None or not isinstance(prediction, str) or _choice_key(prediction, _PREDICTIONS) \
            not in _PREDICTIONS:
        return check_choice(name, prediction, "", dict.fromkeys(_PREDICTIONS, ""))   # None or invalid: no measuring
    before, after = _small_input_influence()
    why = tr("tanh's slope f'(a) = 1 - tanh(a)^2 is largest, 1, at a = 0. Smaller inputs keep the pre-activations "
             "near 0, so every Jacobian diag(f'(a_t)) W_hh is close to W_hh itself, whose spectral radius is "
             "about 1.02: the product no longer shrinks step after step.")
    same = tr("The weights are the same, but the Jacobians are not: each factor is diag(f'(a_t)) W_hh, and f' "
              "depends on the inputs through a_t. {why}", why=why)
    got = check_choice(name, prediction, _small_input_answer(), dict(zip(_PREDICTIONS, ("", same, why))))
    print(tr("    measured with rnnlib: log10 ||d h_30 / d x_1|| = {before:+.1f} with the inputs as they were, "
             "{after:+.1f} with them scaled by {scale}", before=before, after=after, scale=SMALL_INPUT["scale"]))
    return got


# --- 4. compute, then check: steps to 1 % --------------------------------------------------------------------

STEPS_TO_ONE_PERCENT = {"w": 0.9, "level": 0.01}


def _ex4() -> str:
    return tr("Exercise 4 (compute, then check)")


def _first_step_below(w: float = STEPS_TO_ONE_PERCENT["w"], level: float = STEPS_TO_ONE_PERCENT["level"],
                      T: int = 1000) -> int:
    """The first step t at which rnnlib's influence |d h_t / d x_1| of section 3's linear unit is below ``level``."""
    one = np.ones((1, 1))
    log_fprime = _forward_log_derivatives(w * one, np.zeros((T, 1)), "linear")
    influence = _influence_log10_norms(w * one, log_fprime, W_xh=one)    # entry t - 1 is log10 |d h_t / d x_1|
    below = np.flatnonzero(influence < _math.log10(level))
    if below.size == 0:
        raise ValueError(f"w: the influence of w = {w} stays above {level} for {T} steps")
    return int(below[0]) + 1


def _mixed_log_counts() -> tuple[float, float]:
    """What log(level) / log(w) gives with the two logarithms in different bases (ln over log10, log10 over ln)."""
    w, level = STEPS_TO_ONE_PERCENT["w"], STEPS_TO_ONE_PERCENT["level"]
    return _math.log(level) / _math.log10(w), _math.log10(level) / _math.log(w)


def _diagnose_steps(value: float, step: int) -> tuple[str, str]:
    """(diagnosis, hint) for a wrong step count ``value``; ``step`` is the right one. No hint states ``step``."""
    w, level = STEPS_TO_ONE_PERCENT["w"], STEPS_TO_ONE_PERCENT["level"]
    exact = _math.log(level) / _math.log(w)          # the crossing, a fraction of a step: w^n = level
    convention = tr("the influence on h_t is w^(t-1): step t = 1 carries w^0 = 1, and step t carries t - 1 factors "
                    "of w. The exercise asks for the step t, not the number of factors.")
    if value < 0:
        return "sign", tr("A step is a positive number. log({level}) and log({w}) are both negative, so their ratio "
                          "is positive.", level=level, w=w)
    if value == 0:
        return "wrong", tr("Steps count from 1: x_1 enters at step t = 1, where its influence on h_1 is w^0 = 1.")
    whole = value == round(value)
    if not whole and step - 2 < value < step + 1:
        return "rounding", tr("{value:g} is not a whole step. The influence falls below {level:g} at the first whole "
                              "step past the crossing, so round up, never down. Then check the step convention: "
                              "{convention}", value=value, level=level, convention=convention)
    if whole and value == step - 1:
        return "off_by_one", tr("One step short: {convention}", convention=convention)
    if whole and value == step + 1:
        return "off_by_one", tr("One step too far: at the step before yours the influence w^(t-1) is already below "
                                "{level:g}. Step t carries t - 1 factors of w, and the exercise asks for the first "
                                "step below.", level=level)
    if whole and value == _math.floor(exact):
        return "rounding", tr("Rounded the wrong way: at the crossing w^n = {level:g}, n is not a whole number, and "
                              "rounded down, w^n is still above {level:g}. Round up. Then check the step "
                              "convention: {convention}", level=level, convention=convention)
    if any(abs(value - mixed) <= 1.5 for mixed in _mixed_log_counts()):
        return "log_base", tr("{ratio} A ratio of about {ln10:.1f} is ln 10, the ratio of natural to base-10 "
                              "logarithms: the numerator and the denominator must use the same base.",
                              ratio=_ratio_words(value, exact), ln10=_math.log(10))
    tenfold = _math.log(10 * level) / _math.log(w)        # a level ten times too big: 10 % for 1 %
    if abs(value - tenfold) <= 1.5:
        return "percent", tr("That is where the influence falls below {tenfold:g}, that is {percent:g} %. "
                             "1 % is {level:g}.", tenfold=10 * level, percent=1000 * level, level=level)
    if whole and w ** (value - 1) < 100 * level <= w ** (value - 2):     # below 1, read for 1 %
        return "percent", tr("At step t = {value:g} the influence w^(t-1) = {at:.3g} is below 1, but the level is "
                             "1 %, that is {level:g}.", value=value, at=w ** (value - 1), level=level)
    whole_note = "" if whole else " " + tr("A step is a whole number.")
    if value > 0 and max(value / step, step / value) >= 1.5:
        return "wrong", tr("{ratio} Write the influence on h_t as a power of w, then solve w^(t-1) < {level:g} for t "
                           "with logarithms.{whole_note}", ratio=_ratio_words(value, step), level=level,
                           whole_note=whole_note)
    at = w ** (value - 1)
    if at < level:
        return "wrong", tr("At step t = {value:g} the influence is w^(t-1) = {at:.3g}, already below {level:g}. "
                           "Find the first step where it is below.{whole_note}", value=value, at=at, level=level,
                           whole_note=whole_note)
    return "wrong", tr("At step t = {value:g} the influence is w^(t-1) = {at:.3g}, still above {level:g}. "
                       "Find the first step where it is below.{whole_note}", value=value, at=at, level=level,
                       whole_note=whole_note)


def check_steps_to_one_percent(answer: object) -> Verdict | None:
    """Exercise 4: the first step t at which the influence w^(t-1) of x_1 on h_t, w = 0.9, falls below 1 %.

    The checker finds that step with rnnlib's influence of section 3's linear unit. A wrong answer's diagnosis
    is ``off_by_one`` (the factor count t - 1 or t + 1), ``rounding``, ``log_base`` (ln over log10 or the other
    way), ``percent`` (10 % for 1 %), ``sign``, ``invalid`` or ``wrong``.
    """
    name = _ex4()
    if answer is None:
        not_attempted(name)
        return None
    value = _number_answer(name, answer, tr("a number (a step t)"))
    if isinstance(value, Verdict):
        return value
    step = _first_step_below()
    if value == step:
        return verdict(True, name)
    diagnosis, hint = _diagnose_steps(value, step)
    return verdict(False, name, hint, diagnosis)


# --- reference solutions, printed only on request ------------------------------------------------------------

_SOLUTION_MESSAGES = {
    "kinds": "a: short, b: long, c: short. What decides is the time gap to the step that holds the needed "
             "information: {why}",
    "lag_task": "b. Every lag d asks for the same thing, carrying one symbol across d steps; a tanh RNN can "
                "represent that at any d (a unit with a self-weight above 1 keeps a bit). What the sweep "
                "measures is whether BPTT finds such weights within a stated budget, "
                "and the gradient that would teach it is the influence of section 4, which "
                "shrinks exponentially with d.",
    "small_inputs": "larger. With inputs scaled by 0.1 the pre-activations stay near 0, where tanh' is close to "
                    "1, so each step multiplies by almost W_hh itself (spectral radius 1.02) instead of "
                    "diag(f') W_hh with f' well below 1: the influence at t = 30 stays near 10^0 instead of "
                    "falling to about 10^-4.7.",
    "steps_to_one_percent": "45. The influence of x_1 on h_t is 0.9^(t-1). It is below 0.01 when "
                            "t - 1 > ln(0.01) / ln(0.9) = 43.7 (both logarithms in the same base), so the "
                            "first whole step is t - 1 = 44, that is t = 45: 0.9^43 = 0.0108 at t = 44 is "
                            "still above 1 %, 0.9^44 = 0.0097 is below.",
}


def _kinds_solution() -> str:
    return tr(_SOLUTION_MESSAGES["kinds"], why=" / ".join(_why()))


_SOLUTIONS: dict[str, tuple[object, object]] = {
    "kinds": (_kinds_solution, ["short", "long", "short"]),
    "lag_task": (_SOLUTION_MESSAGES["lag_task"], "b"),
    "small_inputs": (_SOLUTION_MESSAGES["small_inputs"], "larger"),
    "steps_to_one_percent": (_SOLUTION_MESSAGES["steps_to_one_percent"], 45),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``: 'kinds', 'lag_task', 'small_inputs' or
    'steps_to_one_percent'."""
    print_solution(_SOLUTIONS, key)
