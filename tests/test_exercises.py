"""Every exercise checker: "not attempted yet" for a missing answer, accepts every reference solution
and an independently written right answer, rejects wrong ones with a specific hint.

The right answers written here are independent of the checkers' own reference code.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import rnnlib
from rnnlib.teaching.exercises import check_function, ex01, ex02, ex03, ex04


def _step_backward(dh, cache):
    x, h_prev, h, W_xh, W_hh, f = cache
    slope = {"tanh": 1 - h**2, "sigmoid": h * (1 - h), "linear": np.ones_like(h)}[f]
    da = dh * slope
    return da @ W_xh, da @ W_hh, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def _backward(dH, cache):
    grads = [np.zeros_like(cache.X), None, np.zeros_like(cache.W_xh), np.zeros_like(cache.W_hh),
             np.zeros_like(cache.b_h)]
    carry = np.zeros_like(dH[0])
    for t in reversed(range(dH.shape[0])):
        prev = cache.h_init if t == 0 else cache.H[t - 1]
        dx, carry, gx, gh, gb = _step_backward(dH[t] + carry, (cache.X[t], prev, cache.H[t], cache.W_xh,
                                                                cache.W_hh, cache.nonlinearity))
        grads[0][t] = dx
        grads[2] += gx
        grads[3] += gh
        grads[4] += gb
    grads[1] = carry
    return tuple(grads)


def _off(fn, index, factor=1.5):
    """fn with output ``index`` scaled by ``factor``: one wrong gradient."""
    def wrong(*args):
        out = list(fn(*args))
        out[index] = out[index] * factor
        return tuple(out)
    return wrong


def _power_norm(W, n):
    return float(np.log10(np.linalg.norm(np.linalg.matrix_power(W, n), 2)))


def _truncated(dH, cache, K):
    C = rnnlib.contributions(dH, cache, full=True)
    T = C.shape[0]
    return sum(C[t, k] for t in range(T) for k in range(T) if 0 <= t - k <= K)


CHECKERS = [
    # (checker, right answers, [(wrong answer, words the hint must contain)])
    (ex01.check_dependency_kinds, [["short", "long", "short"], ("Short", "LONG ", "short")],
     [(["long", "long", "short"], "(a) is not long"), (["short", "short", "short"], "(b) is not short"),
      (["short", "long"], "a list of 3"), (["short", "long", "maybe"], "one of 'short', 'long'")]),
    (ex01.check_lag_task, ["b", "B"], [("c", "Representing is not the problem"), ("a", "one symbol"),
                                       ("d", "accuracy is"), ("e", "Expected one of")]),
    (ex01.check_small_inputs, ["larger"], [("smaller", "largest, 1, at a = 0"), ("same", "spectral radius")]),
    (ex01.check_steps_to_one_percent, [45, 45.0], [(44, "One step short"), (43.7, "round up")]),
    (ex02.check_step_backward, [_step_backward],
     [(_off(_step_backward, 3), "dW_hh is off: relative error 3.3e-01 against rnnlib"),
      (_off(_step_backward, 1), "dh_prev is off"), (_off(_step_backward, 0), "dx is off"),
      (lambda dh, c: _step_backward(dh, c)[:4], "Expected 5 outputs"),
      (lambda dh, c: 1 / 0, "ZeroDivisionError")]),
    (ex02.check_backward, [_backward],
     [(_off(_backward, 1), "dh_init is off"), (_off(_backward, 3, 1.0 + 1e-6), "dW_hh is off"),
      (lambda dH, c: _backward(dH * (np.arange(dH.shape[0]) == dH.shape[0] - 1)[:, None, None], c),
       "against central finite differences")]),
    (ex02.check_product_count, [sum(20 - j for j in range(5))],
     [(100, "too high"), (20, "full BPTT's count"), (85, "One lag too few")]),
    (ex02.check_truncated_from_contributions, [_truncated],
     [(lambda dH, c, K: _truncated(dH, c, K + 1), "one step too short or too long"),
      (lambda dH, c, K: 3 * _truncated(dH, c, K), "Which pieces C[t, k]")]),
    (ex03.check_nonnormal, ["b"], [("a", "long-run rate only"), ("c", "0.9^n wins")]),
    (ex03.check_sigma_edge, [1.8, 1.81], [(1.75, "still vanishing"), (1.85, "a smaller sigma_max"),
                                          (1.0, "too low"), (-1.0, "on the slider")]),
    (ex03.check_scaled_sigmoid_edge, [2.0, 2, 2.0000180], [(4.0, "the sigmoid's own edge"), (1.0, "tanh's edge"),
                                                           (0.5, "gamma itself"), (3.0, "too high"),
                                                           (2.01, "2.01 is too high")]),
    (ex03.check_power_norm, [_power_norm],
     [(lambda W, n: n * _power_norm(W, 1), "the power of the norm, ||W||^n"),
      (lambda W, n: float(n * np.log10(np.max(np.abs(np.linalg.eigvals(W))))), "log10 norm is off"),
      (lambda W, n: float(np.linalg.norm(np.linalg.matrix_power(W, n), 2)), "not its log10"),
      (lambda W, n: float(np.log10(np.linalg.norm(np.linalg.matrix_power(W, n), "fro"))), "Frobenius"),
      (lambda W, n: _power_norm(W, n - 1), "the power n - 1")]),
    (ex04.check_leak_z, [0.05, 0.052],
     [(0.06, "less than 10 %: move z down"), (0.04, "a larger z on the slider does too"), (0.0026, "move z up"),
      (2.0, "a gate in (0, 1]"), (1 - 0.1 ** (1 / 40), "moves in steps of 0.01")]),
    (ex04.check_elementwise_turn, ["b"], [("a", "proportions change"), ("c", "well above 0.1")]),
    (ex04.check_remedies, [["clip", "truncate", "gate", "init"]],
     [(["clip", "clip", "gate", "init"], "(b) is not clip"), (["clip", "truncate", "clip", "init"],
                                                              "cannot make a small gradient larger")]),
]
IDS = [c[0].__module__[-4:] + "." + c[0].__name__ for c in CHECKERS]


@pytest.mark.parametrize("checker, rights, wrongs", CHECKERS, ids=IDS)
def test_checker(checker, rights, wrongs, capsys):
    assert checker(None) is None
    out = capsys.readouterr().out
    assert "not attempted yet: " in out and ("replace None" in out or "fill the list" in out)
    for right in rights:
        assert checker(right).ok is True, right
        assert "correct." in capsys.readouterr().out
    for wrong, words in wrongs:
        assert checker(wrong).ok is False, wrong
        out = capsys.readouterr().out
        assert "not yet." in out and words in out, out


MODULES = {"ex01": ex01, "ex02": ex02, "ex03": ex03, "ex04": ex04}


def solutions_of(module) -> dict:
    """A module's reference solutions (private: no public name holds an answer)."""
    return module._SOLUTIONS if hasattr(module, "_SOLUTIONS") else module.SOLUTIONS

#: Which checker judges each reference solution.
JUDGES = {
    ("ex01", "kinds"): ex01.check_dependency_kinds, ("ex01", "lag_task"): ex01.check_lag_task,
    ("ex01", "small_inputs"): ex01.check_small_inputs,
    ("ex01", "steps_to_one_percent"): ex01.check_steps_to_one_percent,
    ("ex02", "step_backward"): ex02.check_step_backward, ("ex02", "backward"): ex02.check_backward,
    ("ex02", "product_count"): ex02.check_product_count, ("ex02", "truncated"): ex02.check_truncated_from_contributions,
    ("ex03", "nonnormal"): ex03.check_nonnormal, ("ex03", "sigma_edge"): ex03.check_sigma_edge,
    ("ex03", "scaled_sigmoid_edge"): ex03.check_scaled_sigmoid_edge, ("ex03", "power_norm"): ex03.check_power_norm,
    ("ex04", "leak_z"): ex04.check_leak_z, ("ex04", "elementwise_turn"): ex04.check_elementwise_turn,
    ("ex04", "remedies"): ex04.check_remedies,
}


def test_every_solution_has_a_judge():
    assert set(JUDGES) == {(m, k) for m, mod in MODULES.items() for k in solutions_of(mod)}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_printed_solutions_run_as_pasted_into_their_notebook(module, capsys):
    # a learner pastes the printed code into the notebook, whose namespace has np and rnnlib (and the functions
    # of earlier exercises, defined the same way): it must pass the checker there, not only in the library
    namespace = {"np": np, "rnnlib": rnnlib}
    for key, (_, code) in solutions_of(MODULES[module]).items():
        if not callable(code):
            continue
        MODULES[module].solution(key)
        printed = capsys.readouterr().out
        exec(printed[printed.index("def "):], namespace)          # the code as printed, nothing else
        assert JUDGES[module, key](namespace[code.__name__]).ok is True, (module, key)
        assert "correct." in capsys.readouterr().out


@pytest.mark.parametrize("module, key", sorted(JUDGES), ids=[f"{m}.{k}" for m, k in sorted(JUDGES)])
def test_every_reference_solution_passes_its_checker_and_prints_on_request(module, key, capsys):
    text, code = solutions_of(MODULES[module])[key]
    text = text() if callable(text) else text          # an explanation built from other texts is written by a function
    assert JUDGES[module, key](code).ok is True
    assert "correct." in capsys.readouterr().out
    MODULES[module].solution(key)
    shown = capsys.readouterr().out
    assert shown.startswith(text)
    if callable(code):
        assert f"def {code.__name__}(" in shown
    else:
        assert f"answer = {code!r}" in shown
    with pytest.raises(ValueError, match="^key: expected one of"):
        MODULES[module].solution("no such exercise")


def test_the_reference_answers_are_what_rnnlib_measures():
    assert ex02._product_count() == 90
    assert ex03._sigma_edge() == 1.8
    # a clean edge: every larger slider value stays non-vanishing, and the readouts either side are clear of the
    # threshold (at 10^-1) by more than 0.2 decades, so no rounding or BLAS kernel can move the answer
    from rnnlib.teaching import curves

    finals = {s: curves.matrix_curves(s, **ex03.EDGE_SETTINGS).final for s in (1.75, 1.8, 1.85, 2.5, 3.5, 5.0)}
    assert finals[1.75] < -1.2 and finals[1.8] > -0.8 and all(finals[s] > -1 for s in (1.85, 2.5, 3.5, 5.0))
    before, after = ex01._small_input_influence()
    assert after - before > 3                                # far beyond "about the same"
    assert ex04._leak_kept(1 - 0.9 ** (1 / 40)) == pytest.approx(0.9, rel=1e-12)
    from rnnlib.teaching import widgets

    assert ex03.SIGMA_SLIDER == widgets.MATRIX_RANGES["sigma_max"] and ex04.Z_SLIDER == widgets.LEAK_RANGES["z"]
    edge = dict(ex03.EDGE_SETTINGS)
    assert edge.pop("kind") in curves.MATRIX_KINDS and edge.items() <= widgets.MATRIX_DEFAULTS.items()
    assert ex04._largest_keeping_z() == 0.05 and ex04._leak_kept(0.05) == pytest.approx(0.95 ** 40, rel=1e-12)
    assert ex04._turn_cosines()[0] == pytest.approx(34.75 / (math.sqrt(124.75) * math.sqrt(25.75)))


def test_a_crashing_answer_is_reported_not_raised(capsys):
    def broken(x):
        raise ZeroDivisionError("oops")

    assert check_function("E", broken, lambda x: x, [(1.0,)]).ok is False
    assert "ZeroDivisionError: oops" in capsys.readouterr().out


def test_an_answer_that_works_in_place_is_judged_fairly(capsys):
    def double_in_place(a):
        a *= 2
        return a

    assert check_function("E", double_in_place, lambda a: 2 * a, [(np.ones(3),)]).ok is True


def test_a_wrong_number_is_told_its_direction_without_the_answer(capsys):
    assert ex03.check_scaled_sigmoid_edge(2.5).ok is False
    out = capsys.readouterr().out
    assert "2.5 is too high." in out and "< 2" not in out and "= 2" not in out
    assert ex03.check_scaled_sigmoid_edge("2").ok is False and "Expected a number" in capsys.readouterr().out
    assert ex03.check_scaled_sigmoid_edge(float("nan")).ok is False and "finite" in capsys.readouterr().out


NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("0[1-4]_*.ipynb"))
CHECK_CALL = re.compile(r"_ = ex0(\d)\.(check_\w+)\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_notebooks_hold_three_exercises_and_no_solution(path):
    cells = nbformat.read(path, as_version=4).cells
    checked = []
    for cell in cells:
        text = cell.source
        assert "## Solutions" not in text and ".solution(" not in (text if cell.cell_type == "code" else "")
        if cell.cell_type != "code":
            continue
        out = "".join(o.get("text", "") for o in cell.get("outputs", []))
        assert "correct." not in out, f"{path.name}: a stored output shows a solved exercise"
        for number, name in CHECK_CALL.findall(text):
            assert number == path.name[1], f"{path.name} calls ex0{number}"
            assert re.search(r"^(answer|prediction) = (None|\[None(, None)*\])  #", text, re.M), text
            assert "not attempted yet: " in out
            checked.append(name)
    module = MODULES[f"ex0{path.name[1]}"]
    assert len(checked) >= 3 and len(set(checked)) == len(checked)
    own = {n for n, f in vars(module).items() if n.startswith("check_") and f.__module__ == module.__name__}
    assert set(checked) == own                                                     # every checker is used


def test_a_verdict_is_truthy_exactly_when_right_and_names_the_mistake(capsys):
    from rnnlib.teaching.exercises import Verdict, check_choice, check_number
    right, wrong = check_number("E", 2.0, 2.0), check_number("E", 3.0, 2.0)
    assert right and right == Verdict(True) and right.diagnosis == ""
    assert not wrong and wrong.diagnosis == "wrong"
    assert check_number("E", "2", 2.0).diagnosis == "invalid"            # a string is not a number
    assert check_choice("E", "z", "a", {"a": "", "b": ""}).diagnosis == "invalid"
    assert "correct" in capsys.readouterr().out


def test_choices_written_other_ways_are_read_as_their_option(capsys):
    """'Short-term', '(b)', 'clipping' or the Korean edition's words are the options they name."""
    assert ex01.check_dependency_kinds(["Short-term", "long-term", "단기"]).ok
    assert ex04.check_remedies(["clipping", "Truncation", "게이트", "initialisation"]).ok
    assert ex03.check_nonnormal("(b)").ok
    capsys.readouterr()


@pytest.mark.parametrize("module", [ex01, ex02, ex03, ex04], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_no_public_name_of_an_exercise_module_holds_an_answer(module):
    """One Tab away from a learner: a module's own public functions are its checkers and ``solution`` only (the
    functions that compute an answer are private), and no public name holds the reference solutions."""
    own = [n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))
           and getattr(getattr(module, n), "__module__", None) == module.__name__]
    assert all(n.startswith("check_") or n == "solution" for n in own), own
    assert not [n for n in dir(module) if "SOLUTIONS" in n.upper() and not n.startswith("_")]
