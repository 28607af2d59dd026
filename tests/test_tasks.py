"""The recall task: shapes, the answer is exactly the input lag steps back, clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlib.tasks import SENTENCE_EXAMPLES, Batch, recall_task, recall_text, word_gap, words


@settings(max_examples=40, deadline=None)
@given(lag=st.integers(1, 40), batch=st.integers(1, 16), n=st.integers(2, 9), seed=st.integers(0, 2**32 - 1))
def test_shapes_and_answer_is_the_input_lag_steps_back(lag, batch, n, seed):
    X, Y, mask = recall_task(lag, batch, np.random.default_rng(seed), n)
    T = lag + 1
    assert X.shape == (T, batch, n + 2) and Y.shape == (T, batch) and mask.shape == (T,)
    assert np.array_equal(mask, np.eye(T)[lag])                       # one target, at the last step
    query = lag                                                        # the step with the target
    assert np.array_equal(Y[query], X[query - lag, :, :n].argmax(axis=1))  # the symbol exactly lag steps back
    assert np.all(X[:lag, :, :n].sum(axis=2) == 1)                     # one symbol per step before the query
    assert np.all(X[lag, :, :n] == 0)                                  # the query step shows no symbol
    assert np.array_equal(X[:, :, n], np.eye(T)[0][:, None] * np.ones(batch))    # cue flag at step 0 only
    assert np.array_equal(X[:, :, n + 1], np.eye(T)[lag][:, None] * np.ones(batch))  # query flag at lag


def test_same_seed_same_batch_and_symbols_are_balanced():
    a = recall_task(5, 4000, np.random.default_rng(3))
    b = recall_task(5, 4000, np.random.default_rng(3))
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x, y)
    freq = np.bincount(a.Y[5], minlength=4) / 4000
    assert np.all(np.abs(freq - 0.25) < 0.03)                          # chance is 1 / n_symbols


def test_distractors_carry_no_information_about_the_answer():
    X, Y, _ = recall_task(3, 20000, np.random.default_rng(0))
    same = X[1, :, :4].argmax(axis=1) == Y[3]
    assert abs(same.mean() - 0.25) < 0.02


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"lag": 0}, "lag"),
        ({"lag": -3}, "lag"),
        ({"lag": 2.5}, "lag"),
        ({"lag": True}, "lag"),
        ({"batch": 0}, "batch"),
        ({"batch": "8"}, "batch"),
        ({"n_symbols": 1}, "n_symbols"),
        ({"n_symbols": 0}, "n_symbols"),
        ({"rng": 0}, "rng"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, name):
    args = {"lag": 3, "batch": 2, "rng": np.random.default_rng(0), "n_symbols": 4} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        recall_task(**args)


def test_recall_text_reads_the_sequence():
    batch = recall_task(4, 3, np.random.default_rng(0))
    for b in range(3):
        text = recall_text(batch, b)
        letters = "ABCD"
        cue = letters[batch.Y[4, b]]
        assert text.startswith(f"cue {cue} | ") and text.endswith(f"| ? -> {cue}")
        assert len(text.split("|")[1].split()) == 3                    # lag - 1 distractors
    assert recall_text(recall_task(1, 1, np.random.default_rng(0))).count("(none)") == 1
    with pytest.raises(ValueError, match="^b: expected"):
        recall_text(batch, 3)
    with pytest.raises(ValueError, match="^batch: expected"):
        recall_text(tuple(batch), 0)


def test_word_gap_counts_steps_between_clue_and_target():
    assert word_gap("The clouds are in the sky.", "clouds", "sky") == 4
    assert words("Hi, there!") == ["Hi", "there"]
    short, long = (word_gap(*SENTENCE_EXAMPLES[k]) for k in ("short-term", "long-term"))
    assert short < 5 < 15 < long
    with pytest.raises(ValueError, match="^clue: expected"):
        word_gap("The sky.", "cloud", "sky")
    with pytest.raises(ValueError, match="^target: expected a word after"):
        word_gap("The clouds are in the sky.", "sky", "clouds")
    with pytest.raises(ValueError, match="^sentence: expected"):
        words("  ")


def test_batch_is_a_named_tuple():
    batch = recall_task(2, 1, np.random.default_rng(0))
    assert isinstance(batch, Batch) and batch._fields == ("X", "Y", "mask")
