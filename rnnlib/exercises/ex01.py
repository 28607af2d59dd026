"""Checkers for notebook 01 (short- vs long-term dependency).

1. ``check_dependency_kinds``: short- or long-term dependency, for three situations (conceptual).
2. ``check_lag_task``: what the lag task of section 5 measures (a choice, conceptual).
3. ``check_small_inputs``: predict, then check: the tanh RNN of section 4 (gain 1) with its inputs
   scaled by 0.1: is the influence of x_1 on h_30 larger, about the same or smaller than with the
   inputs as they were? The checker measures it with rnnlib (``small_input_influence``).

``solution(key)`` prints a reference solution; the keys are those of ``SOLUTIONS``.
"""

from __future__ import annotations

import numpy as np

from .. import init
from ..jacobian import forward_log_derivatives, influence_log10_norms
from ..rnn import init_params
from . import Verdict, check_choice, check_choices, print_solution

# --- 1. short or long ----------------------------------------------------------------------------------------

SITUATIONS = (
    "a: closing the bracket opened two tokens earlier in `f(x)`",
    "b: choosing 'were' or 'was' in 'The keys that the man who lives next door to my sister lost ... were'",
    "c: predicting the next letter of 'recurren_' from the letters just before it",
)
KINDS = ("short", "long", "short")
_WHY = (
    "the clue '(' is 2 steps back: a small time gap, a short-term dependency.",
    "the clue 'keys' (plural) is about a dozen words back, with distractors such as 'man' and 'sister' "
    "in between: a large time gap, a long-term dependency.",
    "the letters that decide it are the last one or two: a short-term dependency.",
)


def check_dependency_kinds(answers: object) -> Verdict | None:
    """Exercise 1: a list of three answers, 'short' or 'long', for ``SITUATIONS`` a, b, c."""
    return check_choices("Exercise 1 (short or long)", answers, KINDS, ("a", "b", "c"), ("short", "long"), _WHY)


# --- 2. what the lag task measures ---------------------------------------------------------------------------

LAG_TASK_OPTIONS = {
    "a": "how many symbols a network of H units can store at once",
    "b": "whether training with BPTT finds weights that carry the cue across d steps, in a stated budget",
    "c": "whether a vanilla RNN can represent a memory of d steps at all",
    "d": "how fast the forward pass is for a sequence of d steps",
}
_LAG_TASK_WHY = {
    "a": "The task stores one symbol, the cue, whatever d is; what changes with d is the gap it must be carried "
         "across, and what fails at long lags is learning, not the count of symbols.",
    "b": "",
    "c": "Representing is not the problem: a tanh unit with a self-weight above 1 has two stable states and "
         "keeps a bit for any number of steps (notebook 03 measures one). The question is whether gradient "
         "descent finds such weights: the gradient from the query step back to the cue is the influence "
         "d h_{d+1} / d x_1 of section 4 (the query sits at step d + 1), tiny at long lags.",
    "d": "Time is not measured: accuracy is. A slow run that learns counts as learned.",
}


def check_lag_task(answer: object) -> Verdict | None:
    """Exercise 2: 'a', 'b', 'c' or 'd' from ``LAG_TASK_OPTIONS``."""
    return check_choice("Exercise 2 (what the lag task measures)", answer, "b", _LAG_TASK_WHY)


# --- 3. predict, then check: smaller inputs ------------------------------------------------------------------

SMALL_INPUT = {"gain": 1.0, "scale": 0.1, "t": 30, "H": 32, "D": 4, "T": 60}
#: Within this many decades the two influences count as "about the same".
SAME_DECADES = 1.0


def small_input_influence(scale: float = SMALL_INPUT["scale"]) -> tuple[float, float]:
    """log10 ||d h_30 / d x_1|| for section 4's network with gain 1, inputs as they were and times ``scale``.

    The network and the input sequence are built as in notebook 01, section 4 (seeds 1 and 0).
    """
    s = SMALL_INPUT
    H, D, T = s["H"], s["D"], s["T"]
    X = np.random.default_rng(0).normal(size=(T, 1, D))
    rng = np.random.default_rng(1)
    W_hh = init.gaussian(H, rng, std=s["gain"] / np.sqrt(H))
    params = init_params(D, H, 1, rng, W_hh=W_hh)
    out = []
    for factor in (1.0, scale):
        U = factor * X[:, 0] @ params.W_xh.T + params.b_h
        log_fprime = forward_log_derivatives(params.W_hh, U)
        influence = influence_log10_norms(params.W_hh, log_fprime, W_xh=params.W_xh)   # entry t - 1 is step t
        out.append(float(influence[s["t"] - 1]))
    return out[0], out[1]


def _small_input_answer() -> str:
    before, after = small_input_influence()
    if abs(after - before) <= SAME_DECADES:
        return "same"
    return "larger" if after > before else "smaller"


def check_small_inputs(prediction: object) -> Verdict | None:
    """Exercise 3: your prediction, 'larger', 'same' or 'smaller'; then the measurement is revealed."""
    if prediction is None:
        return check_choice("Exercise 3 (predict, then check)", None, "", {"larger": "", "same": "", "smaller": ""})
    before, after = small_input_influence()
    expected = _small_input_answer()
    why = ("tanh's slope f'(a) = 1 - tanh(a)^2 is largest, 1, at a = 0. Smaller inputs keep the pre-activations "
           "near 0, so every Jacobian diag(f'(a_t)) W_hh is close to W_hh itself, whose spectral radius is "
           "about 1.02: the product no longer shrinks step after step.")
    ok = check_choice("Exercise 3 (predict, then check)", prediction, expected,
                      {"larger": "", "same": why, "smaller": why})
    if ok is not None:
        print(f"    measured with rnnlib: log10 ||d h_30 / d x_1|| = {before:+.1f} with the inputs as they were, "
              f"{after:+.1f} with them scaled by {SMALL_INPUT['scale']}")
    return ok


# --- reference solutions, printed only on request ------------------------------------------------------------

SOLUTIONS: dict[str, tuple[str, object]] = {
    "kinds": ("a: short, b: long, c: short. What decides is the time gap to the step that holds the needed "
              "information: " + " / ".join(_WHY), ["short", "long", "short"]),
    "lag_task": ("b. Every lag d asks for the same thing, carrying one symbol across d steps; a tanh RNN can "
                 "represent that at any d (a unit with a self-weight above 1 keeps a bit). What the sweep "
                 "measures is whether BPTT finds such weights within a stated budget, "
                 "and the gradient that would teach it is the influence of section 4, which "
                 "shrinks exponentially with d.", "b"),
    "small_inputs": ("larger. With inputs scaled by 0.1 the pre-activations stay near 0, where tanh' is close to "
                     "1, so each step multiplies by almost W_hh itself (spectral radius 1.02) instead of "
                     "diag(f') W_hh with f' well below 1: the influence at t = 30 stays near 10^0 instead of "
                     "falling to about 10^-4.7.", "larger"),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``, one of ``SOLUTIONS``."""
    print_solution(SOLUTIONS, key)
