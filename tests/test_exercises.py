"""Every exercise checker: silent about a missing answer, accepts the right one, rejects wrong ones.

The right answers here are written independently of the checkers' own reference code.
"""

import math

import numpy as np
import pytest

from rnnlib.exercises import check_function, ex01, ex03, ex04


def _influence(w, T):
    return float(w) ** np.arange(T)


def _clip(g, threshold):
    norm = np.linalg.norm(g)
    return g if norm <= threshold else g * (threshold / norm)


def _power_norm(W, n):
    return float(np.log10(np.linalg.norm(np.linalg.matrix_power(W, n), 2)))


CHECKERS = [
    # (checker, a right answer, wrong answers)
    (ex01.check_one_percent, math.ceil(math.log(0.01) / math.log(0.9)), [43, 45, 0.01]),
    (ex01.check_keep_ten_percent, 0.1 ** (1 / 50), [-(0.1 ** (1 / 50)), 0.9, 0.1]),
    (ex01.check_influence, _influence, [lambda w, T: float(w) ** np.arange(1, T + 1),
                                        lambda w, T: abs(float(w)) ** np.arange(T)]),
    (ex01.check_chance, 1 / 6, [0.16, 0.17, 0.25]),
    (ex03.check_steps_to_vanish, math.floor(3 / -math.log10(0.8)) + 1, [30, 32]),
    (ex03.check_sigmoid_edge, 4.0, [1.0, 0.25]),
    (ex03.check_power_norm, _power_norm, [lambda W, n: n * _power_norm(W, 1),
                                         lambda W, n: float(n * np.log10(np.max(np.abs(np.linalg.eigvals(W)))))]),
    (ex04.check_clip_norm, _clip, [lambda g, t: np.clip(g, -t, t), lambda g, t: g * (t / np.linalg.norm(g))]),
    (ex04.check_leak_survival, 40 * math.log10(0.95), [math.log10(0.95), 0.95 ** 40]),
    (ex04.check_elementwise_cosine, 4 / (math.sqrt(10) * math.sqrt(2)), [1.0, 0.0]),
]


@pytest.mark.parametrize("checker, right, wrongs", CHECKERS, ids=[c[0].__module__[-4:] + "." + c[0].__name__
                                                                   for c in CHECKERS])
def test_checker(checker, right, wrongs, capsys):
    assert checker(None) is None
    assert "Not answered yet" in capsys.readouterr().out
    assert checker(right) is True
    assert "correct." in capsys.readouterr().out
    for wrong in wrongs:
        assert checker(wrong) is False, wrong
        assert "not yet" in capsys.readouterr().out


def test_a_crashing_answer_is_reported_not_raised(capsys):
    def broken(x):
        raise ZeroDivisionError("oops")

    assert check_function("E", broken, lambda x: x, [(1.0,)]) is False
    assert "ZeroDivisionError: oops" in capsys.readouterr().out


def test_an_answer_that_works_in_place_is_judged_fairly(capsys):
    def double_in_place(a):
        a *= 2
        return a

    assert check_function("E", double_in_place, lambda a: 2 * a, [(np.ones(3),)]) is True
