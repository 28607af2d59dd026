"""The exercises in Korean: every table of answers of tests/test_exercises*.py run again with the notebook's
language set to Korean. The diagnosis is the same as in English, every printed line is Korean (no English left
but code, maths, names and the exercise's own option keys), and no Korean line holds a number its English line
does not (a translation never leaks an answer). The Korean words a learner types for a choice are accepted.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest
import test_exercises as t0
import test_exercises_01 as t1
import test_exercises_02 as t2
import test_exercises_03 as t3
import test_exercises_04 as t4
from i18n_check import english_left

from rnnlib.teaching import i18n
from rnnlib.teaching.exercises import ex01, ex02, ex03, ex04

MODULES = {"ex01": ex01, "ex02": ex02, "ex03": ex03, "ex04": ex04}


def _cases() -> list[tuple[str, object, object, str | None]]:
    """(id, checker, answer, expected diagnosis or None) for every answer of the checker tables, the right
    answers and the empty cell included."""
    cases: list[tuple[str, object, object, str | None]] = []

    def add(checker, rows):
        for answer, expected in rows:
            cases.append((f"{checker.__module__[-4:]}.{checker.__name__}[{len(cases)}]", checker, answer, expected))

    for checker, rights, wrongs in t0.CHECKERS:
        add(checker, [(None, "none")] + [(r, "") for r in rights] + [(w, None) for w, _ in wrongs])
    add(ex01.check_dependency_kinds, [(a, d) for a, d, _ in t1.KINDS_WRONG])
    add(ex01.check_lag_task, [(a, d) for a, d, _ in t1.LAG_TASK_WRONG])
    add(ex01.check_small_inputs, [(a, d) for a, d, _ in t1.SMALL_INPUTS_WRONG])
    add(ex01.check_small_inputs, [(a, "invalid") for a in t1.SMALL_INPUTS_INVALID])
    add(ex01.check_steps_to_one_percent, [(a, d) for a, d, _ in t1.STEPS_WRONG])
    add(ex02.check_step_backward, [(a, d) for _, a, d, _ in t2.STEP_WRONG])
    add(ex02.check_backward, [(a, d) for _, a, d, _ in t2.SEQUENCE_WRONG])
    add(ex02.check_product_count, [(a, d) for a, d, _ in t2.COUNT_WRONG])
    add(ex02.check_truncated_from_contributions, [(a, d) for _, a, d, _ in t2.WINDOW_WRONG])
    add(ex03.check_nonnormal, t3.EX1_WRONG)
    add(ex03.check_sigma_edge, t3.EX2_WRONG)
    add(ex03.check_scaled_sigmoid_edge, t3.EX3_WRONG)
    add(ex03.check_power_norm, t3.WRONG_POWER_NORMS)
    add(ex04.check_leak_z, t4.EX1_WRONG)
    add(ex04.check_elementwise_turn, t4.EX2_WRONG)
    add(ex04.check_remedies, t4.EX3_WRONG)
    return cases


CASES = _cases()


def run(checker, answer, language: str) -> tuple[str, str]:
    """(diagnosis, printed text) of ``checker(answer)`` in ``language``: "" for a right answer, "none" for
    an empty cell."""
    previous = i18n.get_language()
    i18n.set_language(language)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            got = checker(answer)
    finally:
        i18n.set_language(previous)
    return ("none" if got is None else got.diagnosis), out.getvalue()


@pytest.fixture
def korean():
    """The notebook's language set to Korean for one test, English again after it."""
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


#: Words a Korean line may keep: the option keys the learner types (the checkers' answers are these words), and
#: forward/backward pass, which the Korean notebooks write in English too.
OPTION_KEYS = frozenset({"short", "long", "larger", "same", "smaller", "clip", "truncate", "gate", "init"})
KEPT_HERE = OPTION_KEYS | {"forward", "backward", "pass"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?")
_EXCEPTION = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning): ")


def _without_exception(english: str, korean: str) -> tuple[str, str]:
    """Both lines without the Python exception a learner's code raised (its message is Python's English,
    shown as it is in both languages)."""
    found = _EXCEPTION.search(english)
    if not found:
        return english, korean
    start_en, start_ko = found.start(), korean.find(found.group(0))
    assert start_ko >= 0, (english, korean)
    n = 0
    while start_en + n < len(english) and start_ko + n < len(korean) and english[start_en + n] == korean[start_ko + n]:
        n += 1
    return english[:start_en] + english[start_en + n:], korean[:start_ko] + korean[start_ko + n:]


def assert_korean_line(english: str, korean: str) -> None:
    """``korean`` (one printed line) is Korean, keeps no English but code, maths, names and option keys, and
    holds no number that its English line does not (so no translation states an answer)."""
    english, korean = _without_exception(english, korean)
    assert any("\uac00" <= c <= "\ud7a3" for c in korean), korean
    assert not english_left(korean, also=KEPT_HERE), (english_left(korean, also=KEPT_HERE), korean)
    assert ";" not in korean, korean
    extra = set(_NUMBER.findall(korean)) - set(_NUMBER.findall(english))
    assert not extra, (extra, english, korean)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_table_answer_gets_the_same_diagnosis_in_korean_in_korean_words(case):
    _, checker, answer, expected = case
    diagnosis_en, english = run(checker, answer, "en")
    diagnosis_ko, korean = run(checker, answer, "ko")
    assert diagnosis_ko == diagnosis_en, (diagnosis_en, diagnosis_ko)
    if expected is not None:
        assert diagnosis_ko == expected
    assert english and english.isascii(), english
    lines_en, lines_ko = english.splitlines(), korean.splitlines()
    assert len(lines_ko) == len(lines_en), (english, korean)
    for line_en, line_ko in zip(lines_en, lines_ko):
        assert_korean_line(line_en, line_ko)


def _solution_keys() -> list[tuple[str, str]]:
    return [(name, key) for name, module in MODULES.items() for key in module._SOLUTIONS]


@pytest.mark.parametrize("name, key", _solution_keys(), ids=[f"{n}.{k}" for n, k in _solution_keys()])
def test_every_solution_is_explained_in_korean_and_its_code_unchanged(name, key):
    printed = {}
    for language in ("en", "ko"):
        i18n.set_language(language)
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out:
                MODULES[name].solution(key)
        finally:
            i18n.set_language("en")
        printed[language] = out.getvalue()
    text_en, _, code_en = printed["en"].partition("\n\n")
    text_ko, _, code_ko = printed["ko"].partition("\n\n")
    assert code_ko == code_en and code_en                         # the code (or the answer) as it is
    assert "\n" not in text_ko
    assert_korean_line(text_en, text_ko)


def test_every_message_table_of_the_exercises_is_translated_with_its_placeholders():
    """tests/test_i18n.py checks the literal texts given to tr(); these are the texts chosen at run time."""
    import string

    def fields(text: str) -> set[str]:
        return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}

    from rnnlib.teaching import exercises

    korean = i18n.catalog("ko")
    tables = [(f"{m.__name__}.{n}", v) for m in (exercises, *MODULES.values()) for n, v in vars(m).items()
              if n.endswith("_MESSAGES")]
    assert len(tables) >= 10
    for name, table in tables:
        texts = table.values() if isinstance(table, dict) else table
        for text in filter(None, texts):           # "" is the right option's (empty) explanation
            assert text in korean, (name, text)
            assert fields(korean[text]) == fields(text), (name, text, korean[text])


def test_the_language_is_the_kernels_and_english_comes_back(capsys):
    """The checkers write in the language setup_notebook chose for the kernel, at the moment they run."""
    i18n.set_language("ko")
    try:
        ex01.check_lag_task("c")
        korean = capsys.readouterr().out
    finally:
        i18n.set_language("en")
    ex01.check_lag_task("c")
    english = capsys.readouterr().out
    assert korean.startswith("연습 문제 2 (lag task가 측정하는 것): 아직 정답이 아니다. 표현하는 것은")
    assert english.startswith("Exercise 2 (what the lag task measures): not yet. Representing is not the problem")


# --- the Korean words a learner types --------------------------------------------------------------------------

@pytest.mark.parametrize("answers", [
    ["단기", "장기", "단기"], ["단기 의존성", "장기 의존성", "단기의존성"], ["단기적", "장기적", "단기"],
    ["Short-term", "long term", "short_term"], ("short", "long-term dependency", "단기 의존"),
])
def test_exercise_1_of_01_reads_the_korean_words_for_short_and_long(answers, korean, capsys):
    assert ex01.check_dependency_kinds(answers).ok
    assert "정답이다." in capsys.readouterr().out


@pytest.mark.parametrize("answers, diagnosis", [
    (["장기", "장기", "단기"], "item_a"), (["단기", "단기 의존성", "단기"], "item_b"),
    (["장기", "단기", "장기 의존성"], "item_a+item_b+item_c"), (["단기", "중기", "단기"], "invalid"),
])
def test_a_wrong_korean_word_is_diagnosed_as_its_option(answers, diagnosis, korean, capsys):
    assert ex01.check_dependency_kinds(answers).diagnosis == diagnosis
    out = capsys.readouterr().out
    assert "아직 정답이 아니다." in out
    if diagnosis != "invalid":
        assert "의존성(" in out                      # each wrong item is named as the option it was read as
    else:                                         # and an unknown word is told the Korean words that work
        assert "'short', 'long' 중 하나여야 한다('단기', '장기'도 된다)" in out, out


@pytest.mark.parametrize("prediction, diagnosis", [
    ("더 큼", ""), ("더큼", ""), ("큼", ""), ("커진다", ""), ("더 커진다", ""), ("Bigger", ""),
    ("거의 같음", "wrong"), ("같음", "wrong"), ("비슷하다", "wrong"), ("about the same", "wrong"),
    ("더 작음", "wrong"), ("작아진다", "wrong"), ("작음", "wrong"),
    ("커지다", ""), ("증가", ""), ("증가한다", ""), ("늘어난다", ""),           # the dictionary form and the noun
    ("작아지다", "wrong"), ("감소", "wrong"), ("감소한다", "wrong"), ("줄어든다", "wrong"),
    ("모르겠다", "invalid"), ("크게", "invalid"),
])
def test_exercise_3_of_01_reads_the_korean_words_of_its_prompt(prediction, diagnosis, korean, capsys):
    # notebooks/ko/01 names the three answers "larger"(더 큼), "same"(10배 이내로 거의 같음), "smaller"(더 작음)
    got = ex01.check_small_inputs(prediction)
    assert got.diagnosis == diagnosis, (prediction, got)
    out = capsys.readouterr().out
    assert ("rnnlib으로 측정한" in out) == (diagnosis != "invalid")      # only a valid prediction is measured


@pytest.mark.parametrize("answers, diagnosis", [
    (["클리핑", "절단", "게이트", "초기화"], ""),
    (["기울기 클리핑", "절단 BPTT", "게이팅", "직교 초기화"], ""),
    (["노름 클리핑", "Truncation", "게이트가 있는 유닛", "initialisation"], ""),
    (["클리핑", "절단", "초기화", "게이트"], "swapped"),              # two remedies exchanged, written in Korean
    (["절단", "클리핑", "게이트", "초기화"], "swapped"),
    (["클리핑", "클리핑", "게이트", "초기화"], "wrong_remedy"),
    (["클리핑", "가지치기", "게이트", "초기화"], "invalid"),
])
def test_exercise_3_of_04_reads_the_korean_names_of_the_remedies(answers, diagnosis, korean, capsys):
    assert ex04.check_remedies(answers).diagnosis == diagnosis
    out = capsys.readouterr().out
    if diagnosis == "swapped":
        assert out.count("의 처방은 ") == 2


@pytest.mark.parametrize("answer, diagnosis", [
    ("b", ""), ("(b)", ""), ("b번", ""), ("(b)번", ""), ("ｂ", ""), ("B.", ""), ("'b'", ""),
    ("(c)", "representation"), ("c번", "representation"), ("Ａ", "capacity"), ("e번", "invalid"), ("나", "invalid"),
])
def test_a_letter_choice_is_read_as_a_korean_learner_writes_it(answer, diagnosis, korean, capsys):
    assert ex01.check_lag_task(answer).diagnosis == diagnosis
    assert ("정답이다." in capsys.readouterr().out) == (diagnosis == "")


def test_korean_output_for_every_checker_uses_the_korean_exercise_names(korean, capsys):
    for checker in {c for _, c, _, _ in CASES}:
        assert checker(None) is None
        out = capsys.readouterr().out
        assert out.startswith("연습 문제 ") and "아직 답이 없다. " in out, out
        assert all(ord(c) < 0x3000 or "\uac00" <= c <= "\ud7a3" for c in out), out     # Hangul, no other script
