"""Notebook 03's exercises done wrong: each common wrong answer gets the diagnosis that names its mistake.

One row per wrong answer: the answer, the expected diagnosis id (language-neutral; the wording is translated).
On a first wrong try the printed hint never states the solution, and an answer of the wrong kind reveals nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

from rnnlib.teaching.exercises import ex03

SOLUTION_EX1 = "b"


EX1_WRONG = [  # (answer, diagnosis)
    ("a", "wrong"),                    # rho < 1, so it decays: the eigenvalue mistake, explained
    ("c", "wrong"),
    ("d", "invalid"),
    ("bigger", "invalid"),
    (True, "invalid"),
    (2, "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX1_WRONG)
def test_ex1_wrong_answers(answer, diagnosis, capsys):
    verdict = ex03.check_nonnormal(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    if diagnosis == "invalid":
        assert "measured" not in out and "peak" not in out        # nothing of the answer in reply to an invalid one
    assert "+1.3" not in out or diagnosis != "invalid"


def test_ex1_right_answer_reveals_the_curve(capsys):
    assert ex03.check_nonnormal(SOLUTION_EX1)
    assert "measured with rnnlib" in capsys.readouterr().out


EX2_WRONG = [
    (1.0, "bound_edge"),               # Pascanu's edge 1 / gamma: where explosion becomes possible
    (1.5, "too_low"),
    (2.0, "too_high"),
    (5.0, "too_high"),
    (60.0, "off_slider"),
    ("1.8", "invalid"),
    (True, "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX2_WRONG)
def test_ex2_wrong_answers(answer, diagnosis, capsys):
    verdict = ex03.check_sigma_edge(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    assert "1.8 " not in out.replace(f"{answer!r}", "") and "= 1.8" not in out


EX3_WRONG = [
    (4.0, "sigmoid_edge"),             # the plain sigmoid's derivative, not twice it
    (1.0, "tanh_edge"),
    (0.5, "gamma_not_edge"),           # gamma itself instead of 1 / gamma
    (3.0, "wrong"),
    ("two", "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX3_WRONG)
def test_ex3_wrong_answers(answer, diagnosis, capsys):
    verdict = ex03.check_scaled_sigmoid_edge(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    assert "sigma_max < 2" not in out and "is 2" not in out


def _log10_norm(M):
    return float(np.log10(np.linalg.norm(M, 2)))


WRONG_POWER_NORMS = [
    (lambda W, n: _log10_norm(W ** n), "elementwise_power"),
    (lambda W, n: float(np.linalg.norm(np.linalg.matrix_power(W, n), 2)), "no_log10"),
    (lambda W, n: float(np.log10(np.linalg.norm(np.linalg.matrix_power(W, n), "fro"))), "frobenius"),
    (lambda W, n: n * _log10_norm(W), "norm_power"),
    (lambda W, n: _log10_norm(np.linalg.matrix_power(W, n - 1)), "off_by_one"),
    (lambda W, n: _log10_norm(np.linalg.matrix_power(W, n + 1)), "off_by_one"),
    (lambda W, n: n * float(np.log10(np.max(np.abs(np.linalg.eigvals(W))))), "spectral_radius"),
    (lambda W, n: float(np.log(np.linalg.norm(np.linalg.matrix_power(W, n), 2))), "natural_log"),
    (lambda W, n: float(np.log10(np.linalg.norm(np.linalg.matrix_power(W, n), 1))), "wrong_norm"),
    (lambda W, n: 1 / 0, "raises"),
    ("not a function", "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", WRONG_POWER_NORMS)
def test_ex4_wrong_answers(answer, diagnosis, capsys):
    verdict = ex03.check_power_norm(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    assert "matrix_power" not in out                       # the hint names the mistake, not the code that fixes it
    if diagnosis == "elementwise_power":
        assert "not a precision problem" in out.lower() and "each entry" in out


def test_ex4_right_answer():
    assert ex03.check_power_norm(lambda W, n: _log10_norm(np.linalg.matrix_power(W, n)))
