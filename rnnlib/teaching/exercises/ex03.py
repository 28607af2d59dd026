"""Checkers for notebook 03 (vanishing and exploding gradients).

1. ``check_nonnormal``: predict, then check: what ||W_hh^n|| does over 60 steps for the non-normal
   W_hh = [[0.9, 5], [0, 0.9]], whose spectral radius is 0.9 (a choice; the curve is then revealed).
2. ``check_sigma_edge``: with the matrix explorer (orthogonal W_hh, tanh, H = 32, T = 100, input scale
   1), the smallest sigma_max on the slider at which the product stops vanishing; checked with
   ``rnnlib.curves.matrix_curves``. (With these settings the edge is clean: every larger slider value
   stays non-vanishing, and the readouts either side are more than 0.2 decades from the threshold.)
3. ``check_scaled_sigmoid_edge``: the sigma_max below which Pascanu's condition guarantees vanishing
   for an RNN with f(a) = 2 sigmoid(a) - 1 (a nonlinearity the notebook does not treat).
4. ``check_power_norm``: write power_norm(W_hh, n) -> log10 ||W_hh^n||_2.

Lags count steps back from the last state. ``solution(key)`` prints a reference solution.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ...activations import GAMMA, activate, derivative_from_output
from ...init import nonnormal
from ...jacobian import jacobian_log10_norms
from .. import curves
from ..i18n import tr
from . import Verdict, check_choice, check_function, check_number, print_solution

# --- 1. predict, then check: a non-normal matrix -------------------------------------------------------------

NONNORMAL = np.array([[0.9, 5.0], [0.0, 0.9]])
NONNORMAL_STEPS = 60
NONNORMAL_OPTIONS = {
    "a": "it decays from the first step on, like 0.9^n, since the spectral radius is 0.9 < 1",
    "b": "it first grows above 10, then decays",
    "c": "it grows without end",
}


def _power_log10_norm(W_hh: np.ndarray, n: int) -> float:
    """log10 ||W_hh^n||_2: the Jacobian product of a linear RNN over n steps (rnnlib's log-space chain)."""
    W_hh = np.asarray(W_hh, dtype=np.float64)
    return float(jacobian_log10_norms(W_hh, np.zeros((int(n), W_hh.shape[0])))[int(n)])


def _nonnormal_curve() -> np.ndarray:
    """log10 ||NONNORMAL^n||_2 for n = 0..NONNORMAL_STEPS: (NONNORMAL_STEPS + 1,)."""
    return jacobian_log10_norms(NONNORMAL, np.zeros((NONNORMAL_STEPS, 2)))


def _nonnormal_answer() -> str:
    c = _nonnormal_curve()
    if c[-1] >= c.max() - 1e-12:
        return "c"
    return "b" if c.max() > 1.0 else "a"


def check_nonnormal(prediction: object) -> Verdict | None:
    """Exercise 1: 'a', 'b' or 'c' from ``NONNORMAL_OPTIONS``; then the measured curve is revealed."""
    why = {
        "a": tr("The spectral radius sets the long-run rate only: W^n = [[0.9^n, 5 n 0.9^(n-1)], [0, 0.9^n]], and "
                "the corner grows like n before 0.9^n wins. The largest singular value, about 5.16, is what bounds "
                "a single step."),
        "b": "",
        "c": tr("0.9^n wins in the end: the corner 5 n 0.9^(n-1) peaks near n = 10 and then decays."),
    }
    ok = check_choice(tr("Exercise 1 (predict, then check)"), prediction, _nonnormal_answer(), why)
    if ok is not None and ok.diagnosis != "invalid":       # an answer of the wrong kind reveals nothing
        c = _nonnormal_curve()
        peak = int(np.argmax(c))
        print(tr("    measured with rnnlib: log10 ||W^n|| = {first:+.1f} at n = 1, peak {peak:+.1f} at n = {at}, "
                 "{last:+.1f} at n = {steps}", first=c[1], peak=c[peak], at=peak, last=c[-1], steps=NONNORMAL_STEPS))
    return ok


# --- 2. the explorer: where the product stops vanishing -----------------------------------------------------

#: The matrix explorer's settings for exercise 2 (its defaults), and its sigma_max slider: start, stop, step.
EDGE_SETTINGS = {"kind": "orthogonal", "nonlinearity": "tanh", "H": 32, "T": 100, "input_scale": 1.0}
SIGMA_SLIDER = (0.05, 5.0, 0.05)


def _slider_values() -> np.ndarray:
    start, stop, step = SIGMA_SLIDER
    return np.round(np.arange(start, stop + step / 2, step), 2)


@functools.cache
def _sigma_edge() -> float:
    """The smallest sigma_max on the slider at which ``matrix_curves`` no longer reports 'vanishing'."""
    base = curves.recurrent_matrix(EDGE_SETTINGS["kind"], EDGE_SETTINGS["H"])
    for s in _slider_values():
        if curves.matrix_curves(float(s), base=base, **EDGE_SETTINGS).regime != "vanishing":
            return float(s)
    raise ValueError("sigma_max: the product vanishes over the whole slider")


def _edge_hint(value: float) -> str:
    if not 0.0 < value <= SIGMA_SLIDER[1]:
        return tr("sigma_max is a value on the slider, from {low:g} to {high:g}: read it off the explorer.",
                  low=SIGMA_SLIDER[0], high=SIGMA_SLIDER[1])
    if np.isclose(value, 1.0 / GAMMA["sigmoid"]):
        return tr("4 is 1/gamma for the sigmoid, Pascanu's edge for another nonlinearity. This explorer uses tanh, "
                  "and the question asks where its readout stops saying vanishing: read it off the explorer.")
    step = SIGMA_SLIDER[2]
    if abs(value / step - round(value / step)) > 1e-6:
        return tr("{value:g} is not a value of the slider, which moves in steps of {step:g}: read the answer off "
                  "the explorer's slider.", value=value, step=step)
    c = curves.matrix_curves(value, **EDGE_SETTINGS)
    if c.regime == "vanishing":
        return tr("At sigma_max = {value:g} the explorer reads ||dh_T/dh_0|| = 10^{final:+.1f}: still vanishing "
                  "(below 10^-{decades:g}). Move sigma_max up. Pascanu's bound allows explosion from "
                  "sigma_max = 1 on, but tanh's slopes pull the product down far beyond that.", value=value,
                  final=c.final, decades=curves.DECADES)
    return tr("At sigma_max = {value:g} it reads 10^{final:+.1f}, no longer vanishing, but a smaller sigma_max "
              "already gets there: move down one slider step at a time until the readout says vanishing, "
              "then take the step above.", value=value, final=c.final)


def _edge_mistake(value: float) -> str:
    if not 0.0 < value <= SIGMA_SLIDER[1]:
        return "off_slider"
    if np.isclose(value, 1.0 / GAMMA["sigmoid"]):
        return "sigmoid_edge"                    # Pascanu's edge of the sigmoid, not this explorer's tanh
    if abs(value / SIGMA_SLIDER[2] - round(value / SIGMA_SLIDER[2])) > 1e-6:
        return "off_slider"                      # between two slider values
    if np.isclose(value, 1.0 / GAMMA["tanh"]):
        return "bound_edge"                      # Pascanu's edge: where explosion becomes possible
    return "too_low" if value < _sigma_edge() else "too_high"


def check_sigma_edge(answer: object) -> Verdict | None:
    """Exercise 2: the smallest sigma_max (to the slider's 0.05) at which the product stops vanishing."""
    ok = check_number(tr("Exercise 2 (explorer: the edge of vanishing)"), answer, _sigma_edge, rtol=0.0, atol=0.02,
                      hint=_edge_hint)
    return _diagnosed(ok, answer, _edge_mistake)


def _diagnosed(ok: Verdict | None, answer: object, mistake: Callable[[float], str]) -> Verdict | None:
    """A number checker's Verdict with the specific diagnosis of a wrong numeric answer."""
    if ok is None or ok or ok.diagnosis != "wrong":
        return ok
    return Verdict(False, mistake(float(answer)))


# --- 3. the edge for a scaled sigmoid -----------------------------------------------------------------------

def _scaled_sigmoid_gamma() -> float:
    """max |f'| for f(a) = 2 sigmoid(a) - 1, measured with rnnlib's sigmoid on a grid through a = 0."""
    a = np.linspace(-10.0, 10.0, 2001)                     # includes a = 0, where the slope is largest
    s = activate(a, "sigmoid")
    return float(np.max(2.0 * derivative_from_output(s, "sigmoid")))


def _scaled_hint(value: float) -> str:
    if np.isclose(value, 1.0 / GAMMA["sigmoid"]):
        return tr("That is the sigmoid's own edge, 1 / gamma for sigma itself. f(a) = 2 sigmoid(a) - 1 has another "
                  "slope: find its gamma = max |f'| first.")
    if np.isclose(value, 1.0 / GAMMA["tanh"]):
        return tr("That is tanh's edge. f(a) = 2 sigmoid(a) - 1 is not tanh(a): find its gamma = max |f'| first.")
    if np.isclose(value, GAMMA["sigmoid"]):
        return tr("That is gamma of the sigmoid itself, and the question asks for an edge of sigma_max, not a "
                  "gamma. Find the gamma of f(a) = 2 sigmoid(a) - 1, then the sigma_max where gamma * sigma_max "
                  "reaches 1.")
    if np.isclose(value, _scaled_sigmoid_gamma()):
        return tr("That is gamma itself; the question asks for the sigma_max at which gamma * sigma_max reaches 1.")
    if np.isclose(value, 2.0 / GAMMA["sigmoid"]):
        return tr("The factor 2 is applied the wrong way round: f(a) = 2 sigmoid(a) - 1 is steeper than the "
                  "sigmoid, so its edge lies below the sigmoid's.")
    return tr("The condition is gamma * sigma_max < 1 with gamma = max |f'|; differentiate 2 sigmoid(a) - 1.")


def _scaled_mistake(value: float) -> str:
    if np.isclose(value, 1.0 / GAMMA["sigmoid"]):
        return "sigmoid_edge"                    # the unscaled sigmoid's derivative
    if np.isclose(value, 1.0 / GAMMA["tanh"]):
        return "tanh_edge"
    if np.isclose(value, GAMMA["sigmoid"]):
        return "gamma_not_edge"                  # the sigmoid's gamma, not an edge
    if np.isclose(value, 2.0 / GAMMA["sigmoid"]):
        return "factor"                          # the factor 2 applied the wrong way round
    if np.isclose(value, _scaled_sigmoid_gamma()):
        return "gamma_not_edge"                  # gamma itself, not 1 / gamma
    return "wrong"


def check_scaled_sigmoid_edge(answer: object) -> Verdict | None:
    """Exercise 3: below which sigma_max Pascanu's condition guarantees vanishing for f(a) = 2 sigmoid(a) - 1."""
    ok = check_number(tr("Exercise 3 (the edge for another nonlinearity)"), answer, 1.0 / _scaled_sigmoid_gamma(),
                      rtol=1e-3, hint=_scaled_hint)
    return _diagnosed(ok, answer, _scaled_mistake)


# --- 4. write the power norm ----------------------------------------------------------------------------------

def _power_norm_mistake(got: Callable, cases: list[tuple]) -> tuple[str, str]:
    """(diagnosis id, hint) for a wrong power_norm, told from its value on the first case it gets wrong."""
    for W, n in cases:
        try:
            value = float(np.asarray(got(W, n), dtype=np.float64).reshape(-1)[0])
        except Exception:                                                # the checker reports the error itself
            return "", ""
        want = _power_log10_norm(W, n)
        if not np.isclose(value, want, rtol=1e-9):
            break
    else:
        return "", ""
    P = np.linalg.matrix_power(W, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        guesses = {
            "elementwise_power": (tr("W_hh**n raises each entry to the n-th power; the Jacobian product of n steps "
                                     "is the matrix product of n copies of W_hh."),
                                  np.log10(np.linalg.norm(W ** n, 2))),
            "no_log10": (tr("That is the norm itself, not its log10."), np.linalg.norm(P, 2)),
            "frobenius": (tr("That is the Frobenius norm; the spectral norm is the largest singular value."),
                          np.log10(np.linalg.norm(P, "fro"))),
            "norm_power": (tr("That is the power of the norm, ||W||^n (Pascanu's bound), not the norm of the power "
                              "||W^n||."), n * np.log10(np.linalg.norm(W, 2))),
            "spectral_radius": (tr("That is n log10 rho, the eigenvalues' long-run rate; for a non-normal W_hh the "
                                   "norm of the power is larger."),
                                n * np.log10(np.max(np.abs(np.linalg.eigvals(W))))),
            "off_by_one": (tr("That is the power n - 1 or n + 1; a product of n Jacobians holds n factors."),
                           np.log10(np.linalg.norm(np.linalg.matrix_power(W, n - 1), 2))),
            "off_by_one_up": ("", np.log10(np.linalg.norm(np.linalg.matrix_power(W, n + 1), 2))),
            "natural_log": (tr("That is the natural log; the explorer's scale is log10."),
                            np.log(np.linalg.norm(P, 2))),
            "wrong_norm": (tr("That is another matrix norm (the 1- or inf-norm); the spectral norm is the largest "
                              "singular value."), np.log10(np.linalg.norm(P, 1))),
            "wrong_norm_inf": ("", np.log10(np.linalg.norm(P, np.inf))),
        }
    for diagnosis, (text, guess) in guesses.items():
        if np.isfinite(guess) and np.isclose(value, guess, rtol=1e-9) and not np.isclose(value, want, rtol=1e-9):
            diagnosis = {"off_by_one_up": "off_by_one", "wrong_norm_inf": "wrong_norm"}.get(diagnosis, diagnosis)
            return diagnosis, text or guesses[diagnosis][0]
    return "wrong", tr("log10 of the spectral norm (the largest singular value) of the matrix power W_hh^n.")


def check_power_norm(answer: Callable | None) -> Verdict | None:
    """Exercise 4: a function power_norm(W_hh, n) -> log10 of the spectral norm of W_hh^n."""
    rng = np.random.default_rng(3)
    cases = [(nonnormal(6, rng, radius=0.8, shear=2.0), n) for n in (1, 5, 20)]
    cases += [(rng.normal(0.0, 0.4, (5, 5)), 7), (np.diag([0.5, -2.0, 1.0]), 9)]
    diagnosis, hint = _power_norm_mistake(answer, cases) if callable(answer) else ("", "")
    if diagnosis and diagnosis != "wrong":
        hint = tr("Not a precision problem: {hint}", hint=hint)
    ok = check_function(tr("Exercise 4 (the power norm)"), answer, _power_log10_norm, cases,
                        names=(tr("log10 norm"),), rtol=1e-9, hint=hint,
                        describe=lambda a: tr("an ({size}, {size}) W_hh, n = {n}", size=a[0].shape[0], n=a[1]))
    if ok is not None and not ok and ok.diagnosis == "wrong" and diagnosis:
        return Verdict(False, diagnosis)
    return ok


# --- reference solutions, printed only on request ------------------------------------------------------------

def _power_norm(W_hh, n):
    return float(np.log10(np.linalg.norm(np.linalg.matrix_power(W_hh, n), 2)))


_SOLUTION_MESSAGES = {
    "nonnormal": "b. W^n = [[0.9^n, 5 n 0.9^(n-1)], [0, 0.9^n]]: the corner grows like n until 0.9^n wins, "
                 "peaking near n = 10 at about 19 (10^+1.3), and decays after: rho sets the long-run rate, "
                 "not the first steps.",
    "sigma_edge": "Set the explorer to orthogonal, tanh, H = 32, T = 100, input scale 1, and move sigma_max up "
                  "until the readout stops saying 'vanishing': the first setting is 1.8. Pascanu's bound allows "
                  "explosion from sigma_max = 1 on: a necessary condition, not a sufficient one, since tanh's "
                  "slopes along the forward pass pull the product down.",
    "scaled_sigmoid_edge": "f(a) = 2 sigmoid(a) - 1 = tanh(a / 2): f'(a) = 2 sigmoid'(a), largest at a = 0, "
                           "where it is 2 x 1/4 = 1/2 = gamma. gamma sigma_max < 1 gives sigma_max < 2: between "
                           "tanh's 1 and the sigmoid's 4.",
    "power_norm": "The norm of the power, not the power of the norm (which would be Pascanu's bound).",
}

_SOLUTIONS: dict[str, tuple[str, object]] = {
    "nonnormal": (_SOLUTION_MESSAGES["nonnormal"], "b"),
    "sigma_edge": (_SOLUTION_MESSAGES["sigma_edge"], 1.8),
    "scaled_sigmoid_edge": (_SOLUTION_MESSAGES["scaled_sigmoid_edge"], 2.0),
    "power_norm": (_SOLUTION_MESSAGES["power_norm"], _power_norm),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``, one of the keys listed in the notebook."""
    print_solution(_SOLUTIONS, key)
