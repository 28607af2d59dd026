"""Checkers for the exercises of notebook 04 (taming gradients).

1. ``check_leak_z``: with the leak explorer (``rnnlib.curves.leak_curves``), the largest z on its slider
   whose identity path keeps at least 10 % of the gradient over 40 steps; checked with ``leak_curves(z, T=40)``.
2. ``check_elementwise_turn``: predict, then check: how far element-wise clipping at 1 turns a
   100-dimensional gradient with one large entry (a choice; the cosine is then revealed, measured
   with ``rnnlib.train.clip_elementwise`` and ``rnnlib.train.cosine``).
3. ``check_remedies``: which remedy for which symptom (clipping, gating, initialization, truncation).

``solution(key)`` prints a reference solution; the notebook lists the keys.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ...train import clip_by_norm, clip_elementwise, cosine
from .. import curves
from ..i18n import tr
from . import Verdict, _choice_key, check_choice, check_choices, check_number, print_solution

# --- 1. the explorer: what a leak keeps ------------------------------------------------------------------------

LEAK_LAG, LEAK_KEEP = 40, 0.1
#: The leak explorer's z slider: start, stop, step (``rnnlib.widgets.LEAK_RANGES``).
Z_SLIDER = (0.01, 1.0, 0.01)


def _leak_kept(z: float) -> float:
    """The share of the gradient the identity path (1 - z)^40 keeps, read off ``curves.leak_curves``."""
    return float(10.0 ** curves.leak_curves(z, T=LEAK_LAG).pure[-1])


@functools.cache
def _largest_keeping_z() -> float:
    """The largest z on the slider whose identity path keeps at least ``LEAK_KEEP`` over ``LEAK_LAG`` steps."""
    start, stop, step = Z_SLIDER
    grid = np.round(np.arange(start, stop + step / 2, step), 2)
    return float(max(z for z in grid if _leak_kept(float(z)) >= LEAK_KEEP))


def _percent(share: float) -> str:
    """A share in per cent with as many decimals as it takes not to round across the 10 % line; below 1 %,
    two significant digits (0.013 %, not 0.0 %, which would read as nothing kept)."""
    if 0.0 < share < 0.01:
        return f"{100 * share:.2g} %"
    for digits in (1, 2, 3, 4):
        text = f"{100 * share:.{digits}f}"
        if (float(text) >= 100 * LEAK_KEEP) == (share >= LEAK_KEEP):
            return text + " %"
    return f"{100 * share:.6f} %"


def _leak_mistake(value: float) -> str:
    """The diagnosis of a wrong z: a language-neutral id."""
    if 1.0 < value <= 100.0 and _largest_keeping_z() * 100 - 0.5 <= value <= _largest_keeping_z() * 100 + 1.5:
        return "percent"                            # z written in per cent
    if not 0.0 < value <= 1.0:
        return "not_a_gate"
    if np.isclose(value, LEAK_KEEP):
        return "keep_level"                         # the share to keep over 40 steps, not z
    edge = 1.0 - LEAK_KEEP ** (1.0 / LEAK_LAG)      # the exact edge, between two slider values
    step = Z_SLIDER[2]
    if value > 0.5 and 1.0 - value <= edge + step:
        return "one_minus_z"                        # answered the share kept per step, 1 - z, instead of z
    on_slider = abs(value / step - round(value / step)) < 1e-6
    if abs(value - edge) < step / 2 and not on_slider:
        return "rounding_edge"                      # the exact edge, rounded: not a slider value
    return "too_high" if value > _largest_keeping_z() else "too_low"


def _leak_hint(value: float) -> str:
    mistake = _leak_mistake(value)
    if mistake == "percent":
        return tr("z is a fraction in (0, 1], as on the slider, not a per cent.")
    if not 0.0 < value <= 1.0:
        return tr("z is a gate in (0, 1].")
    if mistake == "keep_level":
        return tr("{keep:g} is the share the identity path must keep over {lag} steps; the question asks for z, the "
                  "share each step replaces.", keep=LEAK_KEEP, lag=LEAK_LAG)
    if mistake == "one_minus_z":
        return tr("{value:g} looks like 1 - z, the share each step keeps; the question asks for z, the share each "
                  "step replaces.", value=value)
    kept = _leak_kept(value)
    step = Z_SLIDER[2]
    if mistake == "rounding_edge":
        return tr("z = {value:g} is not a value of the slider, which moves in steps of {step:g}: the question asks "
                  "for the largest slider value that still keeps at least {keep:.0f} % after {lag} steps. Read it "
                  "off the slider.", value=value, step=step, keep=100 * LEAK_KEEP, lag=LEAK_LAG)
    if kept < LEAK_KEEP:
        return tr("With z = {value:g} the identity path keeps {kept} after {lag} steps, less than {keep:.0f} %: "
                  "move z down. Each step keeps a fraction 1 - z.", value=value, kept=_percent(kept), lag=LEAK_LAG,
                  keep=100 * LEAK_KEEP)
    return tr("With z = {value:.6g} it keeps {kept}, at least {keep:.0f} %, but a larger z on the slider does too: "
              "move z up one step at a time.", value=value, kept=_percent(kept), keep=100 * LEAK_KEEP)


def check_leak_z(answer: object) -> Verdict | None:
    """Exercise 1: the largest z on the leak explorer's slider that keeps >= 10 % of the gradient over 40 steps."""
    # the exact edge rounded is one slider step from the answer: "too high" beside "steps of 0.01" would give it
    ok = check_number(tr("Exercise 1 (explorer: what a leak keeps)"), answer, _largest_keeping_z, rtol=0.0,
                      atol=0.004, hint=_leak_hint, direction_shown=lambda v: _leak_mistake(v) != "rounding_edge")
    if ok is None or ok or ok.diagnosis != "wrong":
        return ok
    return Verdict(False, _leak_mistake(float(answer)))


# --- 2. predict, then check: element-wise clipping turns the gradient -------------------------------------------

class _Grad(NamedTuple):
    g: np.ndarray


TURN_N, TURN_BIG, TURN_SMALL, TURN_THRESHOLD = 100, 10.0, 0.5, 1.0
TURN_OPTIONS = {
    "a": "1: clipping each entry keeps the direction",
    "b": "about 0.6",
    "c": "about 0.1",
}


def _turn_gradient() -> np.ndarray:
    """g = (10, 0.5, ..., 0.5): one large entry and 99 small ones, shape (100,)."""
    g = np.full(TURN_N, TURN_SMALL)
    g[0] = TURN_BIG
    return g


def _turn_cosines() -> tuple[float, float]:
    """cos(g, element-wise clip of g at 1) and cos(g, norm clip of g at 1), measured with rnnlib.train."""
    g = _Grad(_turn_gradient())
    return (cosine(g, clip_elementwise(g, TURN_THRESHOLD)), cosine(g, clip_by_norm(g, TURN_THRESHOLD)[0]))


def _turn_answer() -> str:
    c = _turn_cosines()[0]
    return "a" if c > 0.999 else "b" if 0.4 < c < 0.8 else "c"


def check_elementwise_turn(prediction: object) -> Verdict | None:
    """Exercise 2: 'a', 'b' or 'c' from ``TURN_OPTIONS``; then both cosines are revealed."""
    why = {
        "a": tr("Clipping each entry at 1 cuts the large entry from 10 to 1 and leaves the 0.5s alone: the "
                "proportions change, so the direction does. Only norm clipping rescales all entries alike."),
        "b": "",
        "c": tr("The small entries are untouched and still carry most of the clipped vector, and they point along "
                "g's small entries too: the cosine is (10 + 99 x 0.25) / (|g| |c|), well above 0.1."),
    }
    ok = check_choice(tr("Exercise 2 (predict, then check)"), prediction, _turn_answer(), why)
    if ok is not None and ok.diagnosis != "invalid":       # an answer of the wrong kind reveals nothing
        elementwise, norm = _turn_cosines()
        print(tr("    measured with rnnlib.train: cos(g, element-wise clip) = {elementwise:.2f}, "
                 "cos(g, norm clip) = {norm:.2f}", elementwise=elementwise, norm=norm))
    return ok


# --- 3. which remedy for which symptom ---------------------------------------------------------------------------

SYMPTOMS = (
    "a: training is smooth for hundreds of steps, then one step's gradient norm is 10^4 and the loss jumps up",
    "b: backpropagating through a stream of 10^6 steps runs out of memory",
    "c: a dependency 50 steps back is never learned, and at initialization ||dh_T/dh_{T-50}|| is 10^-20; you "
    "want a unit that can keep its state when it needs to",
    "d: the untrained network's Jacobian product falls by a decade every two steps because every singular value "
    "of W_hh is about 0.3",
)
REMEDIES = ("clip", "truncate", "gate", "init")
#: What a wrong item is told: the mechanism to look for, never the remedy's name (with four options, naming the
#: right one would be the answer). The solution prints ``_REMEDY_WHY_MESSAGES``, which name them.
_REMEDY_HINT_MESSAGES = (
    "a single spike in the gradient's norm is an explosion at a cliff: which remedy limits the size of that one "
    "update and leaves its direction alone?",
    "memory grows with the number of states BPTT keeps: which remedy holds that number to a fixed count (and "
    "what does it give up in return)?",
    "the gradient is 10^-20 before any training, and you want a unit that keeps its state when it needs to. A "
    "remedy that caps sizes cannot make a small gradient larger: think of a structure that adds a path close to "
    "1 to the Jacobian, whatever W_hh is.",
    "every singular value of W_hh is about 0.3 before training starts: the trouble lies in the W_hh that training "
    "starts from.",
)
_REMEDY_WHY_MESSAGES = (
    "a spike in the gradient's norm is an explosion (a cliff): clipping the norm caps the step and keeps its "
    "direction.",
    "memory grows with the steps BPTT keeps: truncation keeps K + 1 states (at the price of every dependency "
    "longer than K).",
    "a gate adds diag(1 - z_t) to the Jacobian: with z_t near 0 the gradient is carried back almost whole, "
    "whatever W_hh does. Clipping cannot fix vanishing, and truncation cuts the long paths altogether.",
    "the decay comes from W_hh's start: an orthogonal start or a spectral radius near 1 puts the singular values "
    "near 1.",
)


def check_remedies(answers: object) -> Verdict | None:
    """Exercise 3: a list of four remedies, one of ``REMEDIES`` per symptom a-d."""
    ok = check_choices(tr("Exercise 3 (which remedy)"), answers, REMEDIES, ("a", "b", "c", "d"), REMEDIES,
                       [tr(hint) for hint in _REMEDY_HINT_MESSAGES])
    if ok is None or ok or ok.diagnosis != "wrong":
        return ok
    given = [_choice_key(a, REMEDIES) for a in answers]
    wrong = [i for i, (g, e) in enumerate(zip(given, REMEDIES)) if g != e]
    if len(wrong) == 2 and given[wrong[0]] == REMEDIES[wrong[1]] and given[wrong[1]] == REMEDIES[wrong[0]]:
        return Verdict(False, "swapped")            # two remedies exchanged
    return Verdict(False, "wrong_remedy")


# --- reference solutions, printed only on request ------------------------------------------------------------

_SOLUTION_MESSAGES = {
    "leak_z": "Each step along the identity path keeps 1 - z, so 40 steps keep (1 - z)^40: at least 10 % while "
              "z <= 1 - 0.1^(1/40) = 0.056, so 0.05 on the slider (0.95^40 = 12.9 %; 0.94^40 = 8.4 %). In the "
              "explorer: T = 40, then move z until the identity path reads 10^-1. Keeping 90 % over 40 steps would "
              "take z = 1 - 0.9^(1/40), about 0.0026: a gate has to sit very close to 0 to keep a gradient whole "
              "over tens of steps.",
    "elementwise_turn": "b. The clipped vector is (1, 0.5, ..., 0.5): cos = (10 + 99 x 0.25) / (|g| |c|) = "
                        "34.75 / (11.2 x 5.07), about 0.61, an angle of about 52 degrees; norm clipping keeps "
                        "cos = 1.",
    "remedies": "a: clip, b: truncate, c: gate, d: init. {why}",
}


def _remedies_solution() -> str:
    return tr(_SOLUTION_MESSAGES["remedies"], why=" / ".join(tr(why) for why in _REMEDY_WHY_MESSAGES))


_SOLUTIONS: dict[str, tuple[object, object]] = {
    "leak_z": (_SOLUTION_MESSAGES["leak_z"], 0.05),
    "elementwise_turn": (_SOLUTION_MESSAGES["elementwise_turn"], "b"),
    "remedies": (_remedies_solution, list(REMEDIES)),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``, one of the keys listed in the notebook."""
    print_solution(_SOLUTIONS, key)
