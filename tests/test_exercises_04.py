"""Notebook 04's exercises done wrong: each common wrong answer gets the diagnosis that names its mistake.

One row per wrong answer: the answer and the expected diagnosis id (language-neutral; the wording is translated).
On a first wrong try the printed hint never states the solution, and an answer of the wrong kind reveals nothing.
"""

from __future__ import annotations

import re

import pytest

from rnnlib.teaching.exercises import ex04

EX1_WRONG = [  # (answer, diagnosis)
    (0.06, "too_high"),
    (0.04, "too_low"),
    (0.01, "too_low"),
    (0.056, "rounding_edge"),          # 1 - 0.1^(1/40) = 0.0559 rounded up: keeps 9.97 %, just under 10 %
    (0.055, "rounding_edge"),          # rounded down: keeps 10.4 %, but not a slider value
    (0.0559, "rounding_edge"),
    (0.944, "one_minus_z"),            # the share kept per step, 1 - z, instead of z
    (0.95, "one_minus_z"),
    (5, "percent"),                     # z in per cent
    (0.1, "keep_level"),                # the share to keep, not z
    (1.5, "not_a_gate"),
    ("0.05", "invalid"),
    (True, "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX1_WRONG)
def test_ex1_wrong_answers(answer, diagnosis, capsys):
    verdict = ex04.check_leak_z(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    assert not re.search(r"(?<![\d.])0\.05(?![\d])", out.replace(repr(answer), "")), out   # never the solution
    if diagnosis == "rounding_edge":                                    # the edge rounded: not a slider value
        assert "not a value of the slider" in out and "steps of 0.01" in out and "%, " not in out
        assert "too high" not in out and "too low" not in out            # with "steps of 0.01" it would give it


def test_ex1_a_share_below_one_per_cent_keeps_two_digits(capsys):
    ex04.check_leak_z(0.2)                                              # 0.8^40 = 0.013 %, not "0.0 %"
    assert "keeps 0.013 % after 40 steps" in capsys.readouterr().out
    assert ex04._percent(0.0) == "0.0 %" and ex04._percent(0.099) == "9.9 %" and ex04._percent(0.0996) == "9.96 %"


EX2_WRONG = [
    ("a", "wrong"),
    ("c", "wrong"),
    ("d", "invalid"),
    (True, "invalid"),
    ("bigger", "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX2_WRONG)
def test_ex2_wrong_answers(answer, diagnosis, capsys):
    verdict = ex04.check_elementwise_turn(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    if diagnosis == "invalid":
        assert "measured" not in out and "cos(" not in out              # nothing of the answer for an invalid one


EX3_WRONG = [
    (["clip", "truncate", "init", "gate"], "swapped"),
    (["truncate", "clip", "gate", "init"], "swapped"),
    (["clip", "clip", "gate", "init"], "wrong_remedy"),
    (["clip", "truncate", "gate", "truncation"], "wrong_remedy"),   # a word for a remedy is read as it
    (["clip", "truncate", "gate", "pruning"], "invalid"),
    ("clip", "invalid"),
    (["clip", "truncate"], "invalid"),
]


@pytest.mark.parametrize("answer, diagnosis", EX3_WRONG)
def test_ex3_wrong_answers(answer, diagnosis, capsys):
    verdict = ex04.check_remedies(answer)
    out = capsys.readouterr().out
    assert not verdict and verdict.diagnosis == diagnosis
    if diagnosis == "swapped":
        assert out.count(") is not") == 2                                 # both exchanged items named


#: The words that name each remedy, in both languages: a hint for a wrong item names none of them.
REMEDY_WORDS = {"clip": ("clip", "클리핑"), "truncate": ("truncat", "절단"), "gate": ("gate", "gating", "게이트"),
                "init": ("init", "orthogonal", "직교", "초기")}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_ex3_a_wrong_item_is_told_the_mechanism_not_the_remedy(language):
    from rnnlib.teaching import i18n

    for remedy, hint in zip(ex04.REMEDIES, ex04._REMEDY_HINT_MESSAGES):
        text = i18n.tr(hint, language=language).lower()
        assert not [w for words in REMEDY_WORDS.values() for w in words if w in text], (remedy, text)
    # the solution, printed on request, still names them
    solution = " ".join(i18n.tr(why, language=language) for why in ex04._REMEDY_WHY_MESSAGES).lower()
    assert all(any(w in solution for w in words) for words in REMEDY_WORDS.values())
