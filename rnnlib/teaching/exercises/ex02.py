"""Checkers for the exercises of notebook 02 (BPTT as the unrolled chain rule).

1. ``check_step_backward``: write ``step_backward(dh, cache)``, one backward step, CS231n style:
   ``rnn_step_forward`` returns ``(h, cache)``, the backward step takes ``(dh, cache)``.
2. ``check_backward``: write ``backward(dH, cache)``, full BPTT over a sequence, from your step.
   Both are compared with rnnlib (``rnn_step_backward``, ``rnn_backward``) and with central finite
   differences of the forward pass; a wrong answer is told which gradient is off and by how much.
3. ``check_product_count``: predict, then check: how many products by W_hh ``truncated_bptt``
   makes for T = 20, K = 5; the count is measured while it runs.
4. ``check_truncated_from_contributions``: the truncated dLoss/dW_hh rebuilt from the pieces C[t, k].

``solution(key)`` prints a reference solution; the notebook lists the keys. Every checker returns a
``Verdict`` whose ``diagnosis`` names the mistake it recognised (``transpose``, ``sign``, ``off_by_one``, ...);
the reference answers live in a private module and no public name here holds one.
"""

from __future__ import annotations

import contextlib as _contextlib
import copy as _copy
import functools as _functools
import io as _io
import itertools as _itertools
from collections.abc import Callable

import numpy as np

from ...activations import derivative_from_output as _derivative_from_output
from ...bptt import contributions as _contributions
from ...bptt import rnn_backward as _rnn_backward
from ...bptt import truncated_bptt as _truncated_bptt
from ...costs import count_backward_products as _count_backward_products
from ...gradcheck import numerical_gradient as _numerical_gradient
from ...rnn import Params as _Params
from ...rnn import StepCache as _StepCache
from ...rnn import init_params as _init_params
from ...rnn import rnn_forward as _rnn_forward
from ...rnn import rnn_step_backward as _rnn_step_backward
from ...rnn import rnn_step_forward as _rnn_step_forward
from ..i18n import tr
from . import Verdict, _ex02_solutions, not_attempted, print_solution, relative_error, verdict
from . import direction as _direction
from . import number_answer as _number_answer
from . import ratio_words as _ratio_words

STEP_NAMES = ("dx", "dh_prev", "dW_xh", "dW_hh", "db_h")
SEQUENCE_NAMES = ("dX", "dh_init", "dW_xh", "dW_hh", "db_h")
#: Agreement with rnnlib (the same formulas: rounding only) and with central differences (eps = 1e-6).
RTOL_RNNLIB, RTOL_NUMERIC, EPS = 1e-9, 1e-7, 1e-6


def _step_cases(seed: int = 2) -> list[dict]:
    """Random single steps: several sizes, the three nonlinearities. Each holds b_h for the finite differences."""
    rng = np.random.default_rng(seed)
    cases = []
    for B, D, H, f in ((1, 1, 1, "tanh"), (3, 2, 4, "tanh"), (4, 3, 5, "sigmoid"), (2, 4, 3, "linear")):
        x, h_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H))
        W_xh, W_hh, b_h = rng.normal(size=(H, D)), rng.normal(size=(H, H)) / np.sqrt(H), rng.normal(size=H)
        _, cache = _rnn_step_forward(x, h_prev, W_xh, W_hh, b_h, f)
        cases.append({"args": (rng.normal(size=(B, H)), cache), "b_h": b_h,
                      "label": f"{f}, B={B}, D={D}, H={H}"})
    return cases


def _sequence_cases(seed: int = 5) -> list[dict]:
    """Random sequences: several lengths and sizes, the three nonlinearities, a non-zero h_init."""
    rng = np.random.default_rng(seed)
    cases = []
    for T, B, D, H, f in ((1, 1, 1, 1, "tanh"), (4, 2, 3, 4, "tanh"), (6, 3, 2, 3, "sigmoid"), (3, 2, 2, 2, "linear")):
        params = _init_params(D, H, 1, rng)
        params = params._replace(b_h=rng.normal(size=H) * 0.5)
        X, h_init = rng.normal(size=(T, B, D)), rng.normal(size=(B, H))
        Hs, cache = _rnn_forward(X, params, h_init, f)
        cases.append({"args": (rng.normal(size=Hs.shape), cache), "params": params,
                      "label": f"{f}, T={T}, B={B}, D={D}, H={H}"})
    return cases


def _numeric_step(case: dict) -> tuple[np.ndarray, ...]:
    """Central differences of sum(dh * h) with respect to x, h_prev, W_xh, W_hh, b_h."""
    dh, c = case["args"]
    arrays = [np.array(a, dtype=np.float64) for a in (c.x, c.h_prev, c.W_xh, c.W_hh, case["b_h"])]

    def loss() -> float:
        return float(np.sum(dh * _rnn_step_forward(*arrays, c.nonlinearity)[0]))

    return tuple(_numerical_gradient(loss, a, EPS) for a in arrays)


def _numeric_sequence(case: dict) -> tuple[np.ndarray, ...]:
    """Central differences of sum(dH * H) with respect to X, h_init, W_xh, W_hh, b_h."""
    dH, c = case["args"]
    X, h_init = np.array(c.X), np.array(c.h_init)
    W_xh, W_hh, b_h = (np.array(a, dtype=np.float64) for a in (c.W_xh, c.W_hh, case["params"].b_h))

    def loss() -> float:
        params = _Params(W_xh, W_hh, b_h, case["params"].W_hy, case["params"].b_y)
        return float(np.sum(dH * _rnn_forward(X, params, h_init, c.nonlinearity)[0]))

    return tuple(_numerical_gradient(loss, a, EPS) for a in (X, h_init, W_xh, W_hh, b_h))


#: Two arrays "match" when they agree to rounding: how a recognised mistake is told from a right answer.
MATCH = 1e-9


def _close(got: object, want: np.ndarray) -> bool:
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return g.shape == np.shape(want) and bool(np.all(np.isfinite(g))) and relative_error(g, want) <= MATCH


def _close_all(got: tuple, want: tuple) -> bool:
    return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want))


def _swapped(got: tuple, want: tuple, names: tuple[str, ...]) -> str | None:
    """The names of two outputs returned in each other's place, if the answer is the right arrays reordered."""
    if len(got) != len(want):
        return None
    for perm in _itertools.permutations(range(len(want))):
        if perm != tuple(range(len(want))) and all(_close(got[i], want[j]) for i, j in enumerate(perm)):
            moved = [names[i] for i, j in enumerate(perm) if i != j]
            return _functools.reduce(lambda first, second: tr("{first} and {second}", first=first, second=second),
                                     moved)
    return None


def _recognise(answer: Callable, cases: list, variants: Callable) -> str | None:
    """The known mistake whose output the answer returns on every case (one case alone can be ambiguous)."""
    outputs = []
    for case in cases:
        args = case["args"] if isinstance(case, dict) else case
        try:
            got = answer(*_copy.deepcopy(args))
        except Exception:  # the learner's code
            return None
        outputs.append(got if isinstance(got, tuple) else (got,))
    found = [[d for d, wrong in variants(case) if _close_all(got, wrong if isinstance(wrong, tuple) else (wrong,))]
             for case, got in zip(cases, outputs)]
    common = [d for d in found[0] if all(d in f for f in found[1:])]
    return common[0] if common else None


def _one_output(label: str, got: np.ndarray, want: np.ndarray, extra: tuple = ()) -> tuple[str, str] | None:
    """A mistake recognised on one output alone: (diagnosis, hint), or None. ``extra`` holds more mistakes:
    (diagnosis, the factor the output is off by, a function of the output's name that writes the hint)."""
    if _close(got, -want):
        return "sign", tr("{label} has the right size but the wrong sign (relative error exactly 2): check the sign "
                          "of each factor.", label=label)
    if want.ndim == 2 and _close(got, want.T):
        return "transpose", tr("{label} is the transpose of what it should be: check the order of the product.",
                               label=label)
    for diagnosis, factor, hint in extra:
        if _close(got, want * factor):
            return diagnosis, hint(label)
    return None


def _calls_the_library(answer: Callable, reference: Callable) -> bool:
    """True when ``answer`` is rnnlib's ``reference`` itself, or a function whose code calls it: by a global
    name bound to it, or as an attribute of rnnlib (a function of the learner's own with that name is not it)."""
    if answer is reference:
        return True
    code, scope = getattr(answer, "__code__", None), getattr(answer, "__globals__", {})
    if code is None or reference.__name__ not in code.co_names:
        return False
    return scope.get(reference.__name__) is reference or "rnnlib" in code.co_names


def _off(got: object, want: np.ndarray, numeric: np.ndarray) -> bool:
    """True when one output is off against rnnlib or against finite differences (or is not an array of numbers
    of the right shape)."""
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return True
    if g.shape != np.shape(want) or not np.all(np.isfinite(g)):
        return True
    return relative_error(g, want) > RTOL_RNNLIB or relative_error(g, numeric) > RTOL_NUMERIC


def _sentence(text: str) -> str:
    """A hint as a sentence: its first letter upper-case, unless it starts with a name (dh_prev, dW_hh, f')."""
    first = text.split(" ", 1)[0]
    if "_" in first or "'" in first or (len(first) > 1 and first[0] == "d" and first[1].isupper()):
        return text
    return text[0].upper() + text[1:]


def _check_gradients(name: str, answer: Callable | None, reference: Callable, cases: list[dict],
                     numeric: Callable[[dict], tuple], names: tuple[str, ...], hints: dict[str, str],
                     variants: Callable[[dict], list[tuple[str, tuple]]], variant_hints: dict[str, str],
                     per_output: Callable[[dict], tuple] = lambda case: (),
                     all_off: str = "") -> Verdict | None:
    """Compare every output with rnnlib and with finite differences. A wrong answer is first matched against
    the known mistakes (``variants``: what each mistake returns on the case); failing that, ``all_off`` when
    every output is off (a shared factor is wrong), else the first gradient that is off, with its relative
    error. The library's own function is not an answer."""
    if answer is None:
        not_attempted(name)
        return None
    if not callable(answer):
        return verdict(False, name, tr("Expected a function, got {kind}.", kind=type(answer).__name__), "invalid")
    if _calls_the_library(answer, reference):
        return verdict(False, name, tr("That is rnnlib's own {function} (or a call to it): the exercise is to write "
                                       "it yourself, from the equations above.", function=reference.__name__),
                       "library")
    listed = ", ".join(names)
    for case in cases:
        want = reference(*_copy.deepcopy(case["args"]))
        try:
            got = answer(*_copy.deepcopy(case["args"]))
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            if "matmul" in str(exc) or "shapes" in str(exc):
                return verdict(False, name, tr("On {case}: a matrix product has mismatched shapes ({error}: "
                                               "{message}). dLoss/da_t has shape (B, H): check from which side each "
                                               "weight multiplies it, and whether it is transposed.",
                                               case=case["label"], error=type(exc).__name__, message=exc),
                               "matmul_shapes")
            return verdict(False, name, tr("On {case}: calling it raised {error}: {message}", case=case["label"],
                                           error=type(exc).__name__, message=exc), "raises")
        if isinstance(got, list) and len(got) == len(names):
            return verdict(False, name, tr("It returns a list of {count}; return a tuple, as rnnlib does: "
                                           "`return {names}`.", count=len(got), names=listed), "wrong_container")
        if not isinstance(got, tuple):
            return verdict(False, name, tr("Expected a tuple of {count} outputs ({names}), got one {kind}.",
                                           count=len(names), names=listed, kind=type(got).__name__),
                           "wrong_container")
        if len(got) != len(names):
            return verdict(False, name, tr("Expected {count} outputs ({names}), got {got}.", count=len(names),
                                           names=listed, got=len(got)), "count")
        if any(getattr(g, "dtype", None) == np.float32 for g in got):
            return verdict(False, name, tr("The outputs are float32. Its rounding (about 1e-7) is larger than the "
                                           "checks' thresholds and hides the maths: compute in float64, numpy's "
                                           "default."), "float32")
        if _close_all(got, want):
            continue
        moved = _swapped(got, want, names)
        if moved:
            return verdict(False, name, tr("The gradients are right but {moved} are returned in each other's place: "
                                           "the order is ({names}).", moved=moved, names=listed), "swapped_outputs")
        recognised = _recognise(answer, cases, variants)
        if recognised:                        # "wrong_derivative/sigmoid": one diagnosis, a hint per form
            return verdict(False, name, _sentence(tr(variant_hints[recognised])), recognised.split("/")[0])
        fd = numeric(case)
        if all_off and all(_off(g, w, n) for g, w, n in zip(got, want, fd)):
            return verdict(False, name, tr("On {case}: {problem}", case=case["label"], problem=all_off),
                           "wrong_fprime")
        for label, g, w, n in zip(names, got, want, fd):
            try:
                g = np.asarray(g, dtype=np.float64)
            except (TypeError, ValueError):
                return verdict(False, name, tr("On {case}: {label} is not an array of numbers.", case=case["label"],
                                               label=label), "invalid")
            if g.shape != np.shape(w):
                axis = (" " + tr("It is summed over the units instead of over the batch.") if label.startswith("db")
                        and g.shape == np.shape(got[0])[:1] else "")
                return verdict(False, name, tr("On {case}: {label} has shape {shape}, expected {want}.{axis}",
                                               case=case["label"], label=label, shape=g.shape, want=np.shape(w),
                                               axis=axis), "shape")
            err_lib, err_fd = relative_error(g, w), relative_error(g, n)
            if not np.all(np.isfinite(g)) or err_lib > RTOL_RNNLIB or err_fd > RTOL_NUMERIC:
                found = _one_output(label, g, w, per_output(case))
                if found:
                    return verdict(False, name, tr("On {case}: {problem}", case=case["label"], problem=found[1]),
                                   found[0])
                hint = tr(hints[label]) if label in hints else ""
                return verdict(False, name, tr("On {case}: {label} is off: relative error {err_lib:.1e} against "
                                               "rnnlib (threshold {tol_lib:.0e}), {err_fd:.1e} against central finite "
                                               "differences (threshold {tol_fd:.0e}). {hint}", case=case["label"],
                                               label=label, err_lib=err_lib, tol_lib=RTOL_RNNLIB, err_fd=err_fd,
                                               tol_fd=RTOL_NUMERIC, hint=hint).rstrip(), "wrong")
    return verdict(True, name, "")


# --- 1. one backward step ------------------------------------------------------------------------------------

_STEP_HINT_MESSAGES = {
    "dx": "x_t enters through a_t = W_xh x_t + W_hh h_{t-1} + b_h: go through f to a_t first, then to x_t.",
    "dh_prev": "The step back multiplies dLoss/da_t (after f', not dh itself) by W_hh.",
    "dW_xh": "An immediate partial: x_t held fixed, summed over the batch by the product, shape (H, D).",
    "dW_hh": "The immediate partial holds h_{t-1} fixed, shape (H, H).",
    "db_h": "Sum dLoss/da_t over the batch (axis 0).",
}
_STEP_MISTAKE_MESSAGES = {
    "no_fprime": "every gradient is what it would be without f': the step must go through f first, "
                 "from dLoss/dh_t to dLoss/da_t.",
    "wrong_derivative": "f'(a_t) = 1 - h_t^2 holds for tanh only; this nonlinearity has another derivative "
                        "(rnnlib.derivative_from_output gives it from h_t).",
    "wrong_derivative/sigmoid": "f'(a_t) = h_t (1 - h_t) holds for the sigmoid only; this nonlinearity has "
                                "another derivative (rnnlib.derivative_from_output gives it from h_t).",
    "wrong_derivative/twice": "1 - tanh(h_t)^2 applies tanh a second time: h_t is already f(a_t), so f'(a_t) is "
                              "written from h_t itself (rnnlib.derivative_from_output gives it).",
    "transpose": "dh_prev multiplies by W_hh transposed once too often: in the row-vector form of the code (one "
                 "example per row), the column-vector product W_hh^T v already turns into a product with W_hh "
                 "from the other side.",
    "wrong_state": "dW_hh uses h_t; the immediate partial of a_t = ... + W_hh h_{t-1} reads the state that "
                   "went in, h_{t-1}.",
}


def _step_variants(case: dict) -> list[tuple[str, tuple]]:
    """What each common mistake returns on one case."""
    dh, (x, h_prev, h, W_xh, W_hh, f) = case["args"]

    def grads(da: np.ndarray, W_back: np.ndarray = W_hh, state: np.ndarray = h_prev) -> tuple:
        return da @ W_xh, da @ W_back, da.T @ x, da.T @ state, da.sum(axis=0)

    da = dh * _derivative_from_output(h, f)
    return [("no_fprime", grads(dh)), ("wrong_derivative", grads(dh * (1 - h**2))),
            ("wrong_derivative/sigmoid", grads(dh * h * (1 - h))),
            ("wrong_derivative/twice", grads(dh * (1 - np.tanh(h) ** 2))),
            ("transpose", grads(da, W_back=W_hh.T)), ("wrong_state", grads(da, state=h))]


def _step_per_output(case: dict) -> tuple:
    B = case["args"][0].shape[0]

    def mean(label: str) -> str:
        return tr("{label} is divided by the batch size {batch}: the loss is a sum over the batch, so its gradient "
                  "is too.", label=label, batch=B)

    return () if B == 1 else (("mean_not_sum", 1 / B, mean),)


def check_step_backward(answer: Callable | None) -> Verdict | None:
    """Exercise 1: ``answer(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h)``, like ``rnn_step_backward``."""
    return _check_gradients(tr("Exercise 1 (one backward step)"), answer, _rnn_step_backward, _step_cases(),
                            _numeric_step, STEP_NAMES, _STEP_HINT_MESSAGES, _step_variants, _STEP_MISTAKE_MESSAGES,
                            _step_per_output,
                            all_off=tr("every gradient is off, so the factor they all share is: dLoss/da_t = "
                                       "dLoss/dh_t times f'(a_t). Check f'(a_t), written from h_t."))


# --- 2. the loop over a sequence -----------------------------------------------------------------------------

_SEQUENCE_HINT_MESSAGES = {
    "dX": "Each step's dx comes from the gradient arriving at h_t along all paths.",
    "dh_init": "The last step back goes from h_1 to the initial state h_0 (h_init).",
    "dW_xh": "The weight is shared by all steps: each step has its share.",
    "dW_hh": "The weight is shared by all steps; step 1's h_prev is h_0, the initial state h_init.",
    "db_h": "The bias is shared by all steps: each step has its share.",
}
_SEQUENCE_MISTAKE_MESSAGES = {
    "no_carry": "each step receives only dH[t], the gradient from its own output: the gradient carried back "
                "from step t+1 (its dh_prev) is not added.",
    "off_by_one": "the loop is off by one step: check which state each step reads as h_prev, and that the loop "
                  "reaches array position 0.",
    "h_init": "the first step (array position 0) reads the wrong h_prev: there it is the initial state "
              "cache.h_init (H[t - 1] at t = 0 wraps around to the last state).",
    "no_dh_init": "dh_init is returned as zeros: the gradient carried back out of the first step is "
                  "dLoss/dh_init; return it.",
    "overwrite": "each weight gradient holds one step's share only: it is overwritten in the loop. The weights "
                 "are shared by all steps, so every step's share is added (+=).",
    "mean_not_sum": "the weight gradients are divided by T: the loss is a sum over the steps, so its gradient "
                    "is the sum of the steps' shares, not their mean.",
    "forward_loop": "the loop runs forward in time: the gradient at h_t needs what step t+1 sends back, so the "
                    "loop starts at the last step and walks back to the first.",
    "reversed_dX": "dX is in the loop's order, last step first: dX[t] belongs to x_t, so store each step's dx "
                   "at its own position t.",
    "carry_unjoined": "the gradient sent back to step t-1 is computed from dH[t] alone: the carried gradient "
                      "joins dH[t] before the step, and everything the step returns comes from that sum.",
}


def _loop(dH: np.ndarray, cache, *, carry: bool = True, shift: bool = False, stop: int = 0,
          first_prev: str = "h_init", zero_dh_init: bool = False, forward: bool = False, add: bool = True,
          mean: bool = False, reverse_dX: bool = False, join_carry: bool = True) -> tuple:
    """rnnlib's step run over the sequence, with one of the loop mistakes switched on."""
    T = dH.shape[0]
    dX = np.zeros_like(cache.X)
    dW_xh, dW_hh, db_h = np.zeros_like(cache.W_xh), np.zeros_like(cache.W_hh), np.zeros_like(cache.b_h)
    back = np.zeros_like(dH[0])
    for i, t in enumerate(range(T) if forward else range(T - 1, stop - 1, -1)):
        if shift:
            h_prev = cache.H[t]
        elif t > 0:
            h_prev = cache.H[t - 1]
        else:
            h_prev = {"h_init": cache.h_init, "zero": np.zeros_like(cache.h_init), "last": cache.H[-1]}[first_prev]
        step = _StepCache(cache.X[t], h_prev, cache.H[t], cache.W_xh, cache.W_hh, cache.nonlinearity)
        dx, dh_prev, gx, gh, gb = _rnn_step_backward(dH[t] + (back if carry else 0), step)
        dX[i if reverse_dX else t] = dx
        back = dh_prev if join_carry else _rnn_step_backward(dH[t], step)[1]
        dW_xh, dW_hh, db_h = (dW_xh + gx, dW_hh + gh, db_h + gb) if add else (gx, gh, gb)
    if mean:
        dW_xh, dW_hh, db_h = dW_xh / T, dW_hh / T, db_h / T
    return dX, (np.zeros_like(back) if zero_dh_init else back), dW_xh, dW_hh, db_h


def _sequence_variants(case: dict) -> list[tuple[str, tuple]]:
    dH, cache = case["args"]
    return [("no_carry", _loop(dH, cache, carry=False)), ("h_init", _loop(dH, cache, first_prev="last")),
            ("off_by_one", _loop(dH, cache, shift=True)), ("off_by_one", _loop(dH, cache, stop=1)),
            ("h_init", _loop(dH, cache, first_prev="zero")), ("no_dh_init", _loop(dH, cache, zero_dh_init=True)),
            ("overwrite", _loop(dH, cache, add=False)), ("mean_not_sum", _loop(dH, cache, mean=True)),
            ("forward_loop", _loop(dH, cache, forward=True)), ("reversed_dX", _loop(dH, cache, reverse_dX=True)),
            ("carry_unjoined", _loop(dH, cache, join_carry=False))]


def _uses_a_wrong_step(answer: Callable) -> bool:
    """True when ``answer`` calls a ``step_backward`` of its notebook that Exercise 1's check does not pass."""
    code, scope = getattr(answer, "__code__", None), getattr(answer, "__globals__", {})
    step = scope.get("step_backward")
    if code is None or "step_backward" not in code.co_names or not callable(step) or step is answer:
        return False
    with _contextlib.redirect_stdout(_io.StringIO()):
        return not check_step_backward(step)


def check_backward(answer: Callable | None) -> Verdict | None:
    """Exercise 2: ``answer(dH, cache) -> (dX, dh_init, dW_xh, dW_hh, db_h)``, like ``rnn_backward``."""
    name = tr("Exercise 2 (BPTT over a sequence)")
    with _contextlib.redirect_stdout(_io.StringIO()) as quiet:
        found = _check_gradients(name, answer, _rnn_backward, _sequence_cases(), _numeric_sequence,
                                 SEQUENCE_NAMES, _SEQUENCE_HINT_MESSAGES, _sequence_variants,
                                 _SEQUENCE_MISTAKE_MESSAGES)
    if found is not None and not found and found.diagnosis not in ("invalid", "wrong_container", "count") \
            and _uses_a_wrong_step(answer):
        return verdict(False, name, tr("Your loop calls step_backward, which does not pass Exercise 1's check yet: "
                                       "fix the step first (run its cell again), then this loop."), "wrong_step")
    print(quiet.getvalue(), end="")
    return found


# --- 3. predict, then check: the work of truncation ----------------------------------------------------------

PRODUCT_COUNT_T, PRODUCT_COUNT_K = 20, 5


def _product_count() -> int:
    """The measured number of products by W_hh in ``truncated_bptt`` for T=20, K=5."""
    rng = np.random.default_rng(0)
    params = _init_params(2, 3, 1, rng)
    Hs, cache = _rnn_forward(rng.normal(size=(PRODUCT_COUNT_T, 2, 2)), params)
    return _count_backward_products(_truncated_bptt, rng.normal(size=Hs.shape), cache, PRODUCT_COUNT_K)


def _count_diagnosis(value: float, expected: int) -> tuple[str, str]:
    T, K = PRODUCT_COUNT_T, PRODUCT_COUNT_K
    shifted = {sum(T - j + s for j in range(K)) for s in (-1, 1)} | {sum(T - j for j in range(K + s))
                                                                     for s in (-1, 1)}
    if value == T:
        return "full_count", tr("T products is full BPTT's count: the window cannot share one gradient among the "
                                "loss terms.")
    if value == T * K:
        return "no_shrink", tr("Close: at each lag, not every loss term still has a step to go back.")
    if value == T * (T + 1) // 2:
        return "no_window", tr("That counts every path back, as the literal double sum of section 2 does with "
                               "the step into h_0: the window stops each path after K steps.")
    if (value in shifted or abs(value - expected) == 1) and value > expected:
        return "off_by_one", tr("One lag too many somewhere: check the first and the last lag that makes a "
                                "product (a loss term with no step left to go back makes none).")
    if value in shifted or abs(value - expected) == 1:
        return "off_by_one", tr("One lag too few somewhere: check the first and the last lag that makes a product, "
                                "and count the step into h_0 (it gives dh_init) like any other.")
    if value > 0 and max(value / expected, expected / value) >= 2:
        return "factor", tr("Count products by W_hh over the whole backward pass, not per step or per loss term.")
    return "wrong", tr("Count lag by lag: how many loss terms still have a step to go back? Section 6's table "
                       "(T = 40) lets you try your rule at K = 1 and K = 2.")


def check_product_count(prediction: object) -> Verdict | None:
    """Exercise 3: your prediction of the products by W_hh for T=20, K=5; the count is shown once you have it."""
    name = tr("Exercise 3 (predict the work)")
    if prediction is None:
        not_attempted(name)
        return None
    value = _number_answer(name, prediction)
    if isinstance(value, Verdict):
        return value
    expected = _product_count()
    if value == expected:
        ok = verdict(True, name)
        print(tr("    measured while truncated_bptt ran: {count} products; full BPTT makes {full}", count=expected,
                 full=PRODUCT_COUNT_T))
        return ok
    diagnosis, hint = _count_diagnosis(value, expected)
    if diagnosis == "off_by_one":             # "too high" beside "one lag too many" would pin the count
        return verdict(False, name, hint, diagnosis)
    size = _ratio_words(value, expected) if diagnosis == "factor" else _direction(value, expected)
    return verdict(False, name, f"{size} {hint}", diagnosis)


# --- 4. truncation from _contributions ------------------------------------------------------------------------

def _truncation_cases(seed: int = 3) -> list[tuple]:
    rng = np.random.default_rng(seed)
    cases = []
    for T, B, D, H, K in ((5, 2, 2, 3, 1), (7, 3, 2, 4, 3), (6, 1, 3, 2, 6), (4, 2, 1, 3, 9)):
        params = _init_params(D, H, 2, rng)
        h_init = rng.normal(size=(B, H))
        Hs, cache = _rnn_forward(rng.normal(size=(T, B, D)), params, h_init)
        cases.append((rng.normal(size=Hs.shape), cache, K))
    return cases


_WINDOW_MISTAKE_MESSAGES = {
    "off_by_one": "your window is one step too short or too long. Try K = 1 by hand: which states h_k does the "
                  "loss at step t reach?",
    "untruncated": "this is the full gradient: every piece C[t, k] is in your sum, and the window drops some.",
    "immediate_only": "your sum keeps only the immediate pieces C[t, t]. The pieces with k > t are zero (a loss "
                      "cannot flow back to a later state): check which index is the loss step.",
    "transpose": "your result is the transpose of the window's gradient: keep the (H, H) orientation of the "
                 "pieces C[t, k].",
    "sign": "the right size with the wrong sign.",
    "one_lag_only": "your sum keeps only the pieces at lag t - k = K exactly: the window keeps every path of at "
                    "most K steps, the short ones too.",
    "mean_not_sum": "your result is the mean of the kept pieces: the gradient is their sum.",
    "wrong": "not the window's gradient. Which pieces C[t, k] does a window of K steps keep? Work it out for "
             "one loss step t first.",
}


def _window_variants(dH: np.ndarray, cache, K: int) -> list[tuple[str, np.ndarray]]:
    C = _contributions(dH, cache, full=True)
    t, k = np.indices(C.shape[:2])
    lower = k <= t
    window = lower & (t - k <= K)
    return [("off_by_one", C[lower & (t - k < K)].sum(axis=0)), ("off_by_one", C[lower & (t - k <= K + 1)].sum(axis=0)),
            ("untruncated", C[lower].sum(axis=0)), ("immediate_only", C[t == k].sum(axis=0)),
            ("one_lag_only", C[lower & (t - k == K)].sum(axis=0)), ("mean_not_sum", C[window].mean(axis=0)),
            ("mean_not_sum", C[t - k <= K].mean(axis=0))]          # the mean with the zero pieces k > t too


def check_truncated_from_contributions(answer: Callable | None) -> Verdict | None:
    """Exercise 4: ``answer(dH, cache, K) -> dW_hh`` (H, H) of ``truncated_bptt``, built from C[t, k]."""
    name = tr("Exercise 4 (truncation from contributions)")
    if answer is None:
        not_attempted(name)
        return None
    if not callable(answer):
        return verdict(False, name, tr("Expected a function, got {kind}.", kind=type(answer).__name__), "invalid")
    if _calls_the_library(answer, _truncated_bptt):
        return verdict(False, name, tr("That calls rnnlib's own truncated_bptt: the exercise is to write it "
                                       "yourself, from the pieces C[t, k]."), "library")
    cases = _truncation_cases()
    for args in cases:
        where = tr("On T = {T}, K = {K}", T=args[0].shape[0], K=args[2])
        want = _truncated_bptt(*_copy.deepcopy(args))[3]
        try:
            got = answer(*_copy.deepcopy(args))
        except Exception as exc:  # the learner's code: report, do not crash the notebook
            return verdict(False, name, tr("Calling it raised {error}: {message}", error=type(exc).__name__,
                                           message=exc), "raises")
        if getattr(got, "dtype", None) == np.float32:
            return verdict(False, name, tr("The result is float32. Its rounding (about 1e-7) is larger than the "
                                           "check's threshold and hides the maths: compute in float64, numpy's "
                                           "default."), "float32")
        if _close(got, want):
            continue
        try:
            g = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return verdict(False, name, tr("{where}: expected an array of numbers, got {kind}.", where=where,
                                           kind=type(got).__name__), "invalid")
        if g.shape != want.shape:
            return verdict(False, name, tr("{where}: the result has shape {shape}, expected {want} (one H x H "
                                           "matrix).", where=where, shape=g.shape, want=want.shape), "shape")
        diagnosis = _recognise(answer, cases, lambda case: _window_variants(*_copy.deepcopy(case))) or "wrong"
        if diagnosis == "wrong":
            if _close(g, -want):
                diagnosis = "sign"
            elif _close(g, want.T):
                diagnosis = "transpose"
        return verdict(False, name, f"{where}: {tr(_WINDOW_MISTAKE_MESSAGES[diagnosis])}", diagnosis)
    return verdict(True, name)


# --- reference solutions, printed only on request ------------------------------------------------------------

_SOLUTION_MESSAGES = {
    "step_backward": "Go through f first (da = dh * f'(a_t)), then every use of a_t = W_xh x_t + W_hh h_{t-1} + "
                     "b_h gives one gradient; the weights' are immediate partials, x_t and h_{t-1} held fixed.",
    "backward": "Loop from the last step back to the first. The gradient into h_t is dH[t] (from o_t) plus the "
                "dh_prev of step t+1; one backward step sends it to h_{t-1}. The weights are shared, so their "
                "gradients are the sums over steps.",
    "product_count": "At lag j = 0..K-1 the loop steps the T - j loss terms still alive one step back, and lag "
                     "K makes no product: 20 + 19 + 18 + 17 + 16 = 90, that is T K - K (K - 1) / 2, where full "
                     "BPTT makes T = 20.",
    "truncated": "The window keeps the paths of lag t - k <= K: sum those pieces C[t, k].",
}

_SOLUTIONS: dict[str, tuple[str, object]] = {
    "step_backward": (_SOLUTION_MESSAGES["step_backward"], _ex02_solutions.step_backward),
    "backward": (_SOLUTION_MESSAGES["backward"], _ex02_solutions.backward),
    "product_count": (_SOLUTION_MESSAGES["product_count"], 90),
    "truncated": (_SOLUTION_MESSAGES["truncated"], _ex02_solutions.truncated_dW_hh),
}


def solution(key: str) -> None:
    """Print the reference solution of exercise ``key``, one of the keys listed in the notebook."""
    print_solution(_SOLUTIONS, key)
