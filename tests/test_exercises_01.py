"""Notebook 01's exercises: a table of the wrong answers learners make, each with the diagnosis its checker must
give (``Verdict.diagnosis``, language-neutral), a word the hint must contain to name the mistake, and a check
that the hint does not state the solution. The wrong answers and the right step of Exercise 4 are computed here,
independently of the checkers."""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from rnnlib.teaching.exercises import ex01

# --- Exercise 4, worked out here: the first step t with 0.9^(t-1) < 0.01 ----------------------------------------

W, LEVEL = 0.9, 0.01
STEP = next(t for t in range(1, 1000) if W ** (t - 1) < LEVEL)
CROSSING = math.log(LEVEL) / math.log(W)                       # n with w^n = level, a fraction of a step
LN_OVER_LOG10 = math.log(LEVEL) / math.log10(W)                # the two mixed-base quotients
LOG10_OVER_LN = math.log10(LEVEL) / math.log(W)
TEN_PERCENT = math.log(10 * LEVEL) / math.log(W)               # 10 % taken for 1 %

KINDS_WRONG = [  # (answers for a, b, c; diagnosis; a word the hint must contain)
    (["long", "long", "short"], "item_a", "(a) is not long"),
    (["short", "short", "short"], "item_b", "(b) is not short"),
    (["short", "long", "long"], "item_c", "(c) is not long"),
    (["long", "long", "long"], "item_a+item_c", "2 of 3 wrong"),
    (["long", "short", "long"], "item_a+item_b+item_c", "3 of 3 wrong"),
    (["short", "long"], "invalid", "a list of 3"),
    (["s", "l", "s"], "invalid", "one of 'short', 'long'"),
    ([None, "long", "short"], "invalid", "one of 'short', 'long'"),
    ("short long short", "invalid", "a list of 3"),
]

LAG_TASK_WRONG = [
    ("a", "capacity", "one symbol"),
    ("c", "representation", "Representing is not the problem"),
    ("d", "speed", "accuracy is"),
    (" D ", "speed", "accuracy is"),
    ("e", "invalid", "Expected one of"),
    (True, "invalid", "Expected one of"),
    (2, "invalid", "Expected one of"),
]

SMALL_INPUTS_WRONG = [  # a valid wrong prediction: the reason, then the measurement
    ("smaller", "wrong", "largest, 1, at a = 0"),
    ("same", "wrong", "spectral radius"),
    (" Same", "wrong", "spectral radius"),
]

SMALL_INPUTS_INVALID = ["huge", True, False, 1, 0.1, ["larger"], "large", ""]

STEPS_WRONG = [
    (STEP - 1, "off_by_one", "not the number of factors"),            # counted the factors w, t - 1
    (STEP + 1, "off_by_one", "first step below"),
    (math.floor(CROSSING), "rounding", "Round up"),                   # the crossing rounded down
    (CROSSING, "rounding", "not a whole step"),                       # not rounded at all
    (round(CROSSING, 1), "rounding", "not a whole step"),
    (CROSSING + 1, "rounding", "not a whole step"),                   # t = n + 1, not rounded
    (LN_OVER_LOG10, "log_base", "ln 10"),
    (math.ceil(LN_OVER_LOG10), "log_base", "same base"),
    (math.ceil(LN_OVER_LOG10) + 1, "log_base", "same base"),
    (LOG10_OVER_LN, "log_base", "ln 10"),
    (math.ceil(LOG10_OVER_LN), "log_base", "same base"),
    (math.ceil(LOG10_OVER_LN) + 1, "log_base", "same base"),
    (math.ceil(TEN_PERCENT), "percent", "1 % is 0.01"),
    (math.ceil(TEN_PERCENT) + 1, "percent", "1 % is 0.01"),
    (2, "percent", "that is 0.01"),                                    # 1 % read as 1: 0.9 < 1 at step 2
    (-CROSSING, "sign", "positive"),
    (-STEP, "sign", "positive"),
    (2 * STEP, "wrong", "by a factor of two or more"),                    # errors by a factor are said as a ratio
    (STEP / 10, "wrong", "by a factor of ten or more"),
    (W ** STEP, "wrong", "too low, by a factor"),                            # the influence itself, not a step
    (STEP - 5, "wrong", "still above"),
    (STEP + 5, "wrong", "already below"),
    (0, "wrong", "count from 1"),
    ("45", "invalid", "Expected a number"),
    (True, "invalid", "Expected a number"),
    ([STEP], "invalid", "Expected a number"),
    (float("nan"), "invalid", "finite"),
    (float("inf"), "invalid", "finite"),
]

#: What a hint must never print on a first wrong try: the pieces of each solution.
FORBIDDEN = {
    "kinds": ("'short', 'long', 'short'", "a: short, b: long"),
    "lag_task": ("the answer is", "(b)", "b."),
    "steps": (str(STEP), f"{CROSSING:.1f}", f"{CROSSING:.2f}"),
}


def _run(checker, answer, capsys):
    got = checker(answer)
    return got, capsys.readouterr().out


def _without_answer(out: str, answer: object) -> str:
    """The output with the learner's own answer removed (a hint may repeat what was typed)."""
    for shown in {repr(answer), str(answer)} | ({f"{answer:g}"} if isinstance(answer, (int, float)) else set()):
        out = out.replace(shown, "")
    return out


@pytest.mark.parametrize("answer, diagnosis, word", KINDS_WRONG, ids=[repr(r[0]) for r in KINDS_WRONG])
def test_exercise_1_names_the_wrong_items(answer, diagnosis, word, capsys):
    got, out = _run(ex01.check_dependency_kinds, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (answer, got, out)
    assert word in out and not any(f in out for f in FORBIDDEN["kinds"]), out


def test_exercise_1_b_rests_on_a_gap_the_course_calls_long(capsys):
    # (b)'s gap is stated in the exercise and is more than twice section 1's long example (France ... French)
    from rnnlib import tasks

    long_gap = tasks.word_gap(*tasks.SENTENCE_EXAMPLES["long-term"])
    situation = ex01.SITUATIONS[1]
    gap = int(re.search(r"about (\d+) words earlier", situation).group(1))
    assert gap > 2 * long_gap
    _, out = _run(ex01.check_dependency_kinds, ["short", "short", "short"], capsys)
    assert f"{long_gap}-word gap" in out and f"about {gap} words back" in out


@pytest.mark.parametrize("answer, diagnosis, word", LAG_TASK_WRONG, ids=[repr(r[0]) for r in LAG_TASK_WRONG])
def test_exercise_2_names_the_option_taken(answer, diagnosis, word, capsys):
    got, out = _run(ex01.check_lag_task, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (answer, got, out)
    assert word in out and not any(f in out for f in FORBIDDEN["lag_task"]), out


@pytest.mark.parametrize("answer, diagnosis, word", SMALL_INPUTS_WRONG, ids=[repr(r[0]) for r in SMALL_INPUTS_WRONG])
def test_exercise_3_gives_the_reason_then_the_measurement(answer, diagnosis, word, capsys):
    got, out = _run(ex01.check_small_inputs, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (answer, got, out)
    assert word in out and "measured with rnnlib" in out, out


@pytest.mark.parametrize("answer", SMALL_INPUTS_INVALID, ids=repr)
def test_exercise_3_keeps_the_measurement_from_an_invalid_answer(answer, capsys, monkeypatch):
    measured = []
    monkeypatch.setattr(ex01, "_small_input_influence", lambda *a, **k: measured.append(1) or (0.0, 0.0))
    got, out = _run(ex01.check_small_inputs, answer, capsys)
    assert not got and got.diagnosis == "invalid", (answer, got, out)
    assert "Expected one of 'larger', 'same', 'smaller'" in out
    assert "measured" not in out and "log10" not in out and not measured     # nothing is even computed


def test_exercise_3_shows_the_measurement_to_a_right_prediction(capsys):
    got, out = _run(ex01.check_small_inputs, "Larger ", capsys)
    assert got.ok is True and "correct." in out and "measured with rnnlib" in out


@pytest.mark.parametrize("answer, diagnosis, word", STEPS_WRONG, ids=[repr(r[0]) for r in STEPS_WRONG])
def test_exercise_4_names_the_mistake_and_keeps_the_step_hidden(answer, diagnosis, word, capsys):
    got, out = _run(ex01.check_steps_to_one_percent, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (answer, got, out)
    assert word in out, out
    assert not any(f in _without_answer(out, answer) for f in FORBIDDEN["steps"]), out


@pytest.mark.parametrize("answer", [STEP, float(STEP), np.int64(STEP), np.float64(STEP), np.array(float(STEP))],
                         ids=repr)
def test_exercise_4_accepts_the_step_in_any_numeric_type(answer, capsys):
    got, out = _run(ex01.check_steps_to_one_percent, answer, capsys)
    assert got.ok is True and "correct." in out


def test_exercise_4_starts_unattempted(capsys):
    assert ex01.check_steps_to_one_percent(None) is None
    assert "not attempted yet" in capsys.readouterr().out


def test_exercise_4_has_a_clean_edge():
    # the step is far from an edge that a last bit could move: the influence at t - 1 and at t is clear of 1 %
    # by more than 3 %, and rnnlib finds the same step (private: no public name holds it)
    assert W ** (STEP - 2) > 1.03 * LEVEL and W ** (STEP - 1) < LEVEL / 1.03
    assert ex01._first_step_below() == STEP
    assert ex01._first_step_below(0.5, 0.01) == next(t for t in range(1, 99) if 0.5 ** (t - 1) < 0.01)
    with pytest.raises(ValueError, match="^w: "):
        ex01._first_step_below(1.0, 0.01, T=50)


ANSWERS = (["short", "long", "short"], ("short", "long", "short"), "b", "larger", STEP, float(STEP))
ALLOWED = {"check_dependency_kinds", "check_lag_task", "check_small_inputs", "check_steps_to_one_percent",
           "solution", "Verdict", "verdict", "check_choice", "check_choices", "not_attempted", "print_solution",
           "tr"}


def test_no_public_name_of_ex01_holds_an_answer():
    for name in dir(ex01):
        if name.startswith("_") or name in ALLOWED:
            continue
        obj = getattr(ex01, name)
        assert not callable(obj) or isinstance(obj, type) or name == "np", f"ex01.{name} is a public function"
        if name in ("np", "annotations"):
            continue
        values = list(obj.values()) if isinstance(obj, dict) else [obj]
        assert not any(v in ANSWERS for v in values if not isinstance(v, np.ndarray)), f"ex01.{name} holds an answer"
    for banned in ("SOLUTIONS", "KINDS", "small_input_influence", "first_step_below"):
        assert not hasattr(ex01, banned), banned


NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01_short_vs_long_term_dependency.ipynb"
#: Exercise 3's answer, stated: weaker inputs keep tanh near its linear range, so the influence holds or grows.
#: Any of these above its check cell (or on the screen below it) gives the prediction away.
SMALL_INPUTS_ANSWER = (
    r"\b(weak|weaker|small|smaller|halved|reduced|scaled-down)\s+inputs?\b",   # "with weak inputs ..."
    r"\binputs?\s+(are\s+|were\s+)?(halved|scaled\s+down|shrunk|weaker|smaller)",  # "with the inputs halved"
    r"\binputs?\s*(x|×|times)\s*0?\.\d",                                       # a printed "inputs x 0.5"
    r"(?<![\w.])0?\.\d+\s*\*\s*X\b",                                            # code scaling X by 0.x
    r"\bscales?\s*=\s*\[[^\]]*(?<![\d.])0?\.\d",                                 # a list of input scales below 1
    r"\(\s*\d(\.\d+)?\s*,\s*0?\.\d+\s*\)\s*[,\]]",                               # (gain, scale < 1) pairs
    r"hold or grow",
)


def _in_sight(checker: str, notebook: Path = NOTEBOOK) -> list[tuple[str, str]]:
    """(source, outputs) of every cell above ``checker``'s check cell and of the screen below it (two cells)."""
    cells = nbformat.read(notebook, as_version=4).cells
    end = next(i for i, c in enumerate(cells) if checker in c.source)
    out = []
    for cell in cells[:end + 3]:
        text = "".join(o.get("text", "") for o in cell.get("outputs", []))
        text += "".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", []))
        out.append((cell.source, text))
    return out


def test_the_notebook_does_not_state_exercise_4s_step_above_its_check_cell():
    for source, outputs in _in_sight("check_steps_to_one_percent"):
        assert not re.search(rf"(?<![\d.]){STEP}(?![\d])|{CROSSING:.1f}", source + outputs), source[:80]


def small_inputs_answers_in_sight(notebook: Path = NOTEBOOK) -> list[str]:
    """The phrases above Exercise 3's check (and on the screen below it) that state its answer."""
    found = []
    for source, outputs in _in_sight("check_small_inputs", notebook):
        for pattern in SMALL_INPUTS_ANSWER:
            found += [m.group(0) for m in re.finditer(pattern, source + "\n" + outputs, re.I)]
    return found


def test_the_notebook_does_not_state_exercise_3s_answer_above_its_check_cell():
    assert not small_inputs_answers_in_sight(), small_inputs_answers_in_sight()


@pytest.mark.parametrize("stated", [
    "with the inputs halved, fewer units saturate and the same network grows",
    "With weak inputs tanh stays near its linear range and the influence can hold or grow",
    "print(f'g = 2.0, inputs x 0.5: log10 influence is +3.0')",
    "U = (0.1 * X[:, 0]) @ W_xh.T",
    "scales = [1, 0.5, 0.1]",
    "for g, scale in [(2.0, 0.5), (2.5, 1.0)]:",
])
def test_the_answer_detector_sees_a_stated_answer(stated, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(stated), nbformat.v4.new_code_cell("_ = ex01.check_small_inputs(None)")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert small_inputs_answers_in_sight(path)
