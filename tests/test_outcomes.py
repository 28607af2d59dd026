"""The words a sweep is summarised in: bands of the median over seeds."""

import numpy as np
import pytest

from rnnlib import outcomes


@pytest.mark.parametrize("acc, word", [(1.0, "learned"), (0.9, "learned"), (0.8999, "partly"), (0.4, "partly"),
                                       (0.3999, "chance level"), (0.0, "chance level")])
def test_band_edges(acc, word):
    assert outcomes.band(acc) == word


def test_median_bands_read_the_typical_seed():
    acc = np.array([[1.0, 1.0, 0.3, 0.95, 1.0],       # one seed failed: still learned
                    [1.0, 0.5, 0.6, 0.24, 1.0],       # median 0.6
                    [0.25, 1.0, 0.23, 0.3, 0.26]])    # one seed learned: still chance level
    assert outcomes.median_bands(acc) == ["learned", "partly", "chance level"]
    assert outcomes.learned_by_all(acc).tolist() == [False, False, False]
    assert outcomes.learned_by_all(np.full((2, 3), 0.9)).tolist() == [True, True]


def test_band_table_has_a_row_per_label_and_a_column_per_lag():
    table = outcomes.band_table([2, 40], {"200 steps": np.array([[1.0, 1.0], [0.2, 0.3]]),
                                          "800 steps": np.array([[1.0, 1.0], [0.5, 0.7]])})
    lines = table.splitlines()
    assert len(lines) == 3 and "d = 2" in lines[0] and "d = 40" in lines[0]
    assert lines[1].split()[-2:] == ["chance", "level"] and lines[2].split()[-1] == "partly"


@pytest.mark.parametrize("call, name", [
    (lambda: outcomes.band(1.5), "accuracy"),
    (lambda: outcomes.band(float("nan")), "accuracy"),
    (lambda: outcomes.median_bands(np.ones(3)), "acc"),
    (lambda: outcomes.band_table([2], {}), "rows"),
    (lambda: outcomes.band_table([2, 4], {"a": np.ones((3, 2))}), "rows"),
])
def test_errors_name_the_argument(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


def test_band_table_text():
    table = outcomes.band_table([2, 40], {"a": np.array([[1.0, 0.9], [0.0, 0.5]])}, width=6)
    assert table == ("median over seeds" + "         d = 2        d = 40\n"
                     "a     " + "       learned  chance level")


@pytest.mark.parametrize("value, ok", [(0.0, True), (1.0, True), (-0.01, False), (1.01, False), (1.5, False),
                                       (2.5, False)])
def test_accuracies_outside_zero_one_are_refused(value, ok):
    acc = np.array([[value, 0.5]])
    calls = [lambda: outcomes.median_bands(acc), lambda: outcomes.learned_by_all(acc),
             lambda: outcomes.band_table([3], {"a": acc}), lambda: outcomes.band(value)]
    for call in calls:
        if ok:
            call()
        else:
            with pytest.raises(ValueError, match="expected a number in|expected accuracies in"):
                call()


def test_count_table_counts_seeds_at_the_level():
    acc = np.array([[1.0, 0.95, 0.3], [0.2, 0.5, 0.91]])
    lines = outcomes.count_table([5, 30], {"200 steps": acc}).splitlines()
    assert lines[1].split()[-2:] == ["2/3", "1/3"]
    lines = outcomes.count_table([5, 30], {"200 steps": acc}, level=outcomes.CHANCE_LEVEL).splitlines()
    assert lines[1].split()[-2:] == ["2/3", "2/3"]
    with pytest.raises(ValueError, match="^rows"):
        outcomes.count_table([5], {})


def test_count_table_text_and_edges():
    acc = np.array([[0.9, 0.95, 0.3], [0.2, 0.5, 0.91]])
    table = outcomes.count_table([5, 30], {"a": acc}, width=4)
    assert table == "seeds at accuracy >= 0.9    d = 5   d = 30\na         2/3      1/3"
    assert outcomes.count_table([5], {"a": acc[:1]}, level=0.0).splitlines()[1].split()[-1] == "3/3"
    assert outcomes.count_table([5], {"a": acc[:1]}, level=1.0).splitlines()[1].split()[-1] == "0/3"
    assert outcomes.count_table([5], {"a": acc[:1]}, level=0.3).splitlines()[0].startswith("seeds at accuracy >= 0.3")
    with pytest.raises(ValueError, match=r"^level: expected an accuracy in \[0, 1\]"):
        outcomes.count_table([5], {"a": acc[:1]}, level=1.5)


@pytest.mark.parametrize("table", [outcomes.band_table, outcomes.count_table])
def test_tables_refuse_rows_of_other_lags(table):
    with pytest.raises(ValueError, match=r"^rows\['a'\]: expected an array of shape \(L=2, S\), got shape \(3, 2\)"):
        table([2, 4], {"a": np.ones((3, 2))})
    with pytest.raises(ValueError, match=r"^acc: expected an array of shape \(L, S\), got shape \(3,\)"):
        outcomes.median_bands(np.ones(3))


def test_count_table_prints_its_level_short():
    acc = np.array([[0.5, 0.2]])
    assert outcomes.count_table([5], {"a": acc}, level=1 / 3).startswith("seeds at accuracy >= 0.333333 ")
    assert outcomes.count_table([5], {"a": acc}, level=1e-5).startswith("seeds at accuracy >= 1e-05 ")


def _columns(text: str) -> int:
    return sum(2 if "\uac00" <= c <= "\ud7a3" else 1 for c in text)


def test_tables_take_a_heading_and_align_hangul_labels_by_display_columns():
    """A Hangul character takes two columns of a fixed-width font: the Korean edition's labels line up."""
    acc = np.array([[1.0, 0.95], [0.2, 0.95]])
    lines = outcomes.count_table([5, 30], {"갱신 200번 뒤": acc, "after 500": acc}, width=24,
                                 heading="정확도 0.9 이상인 seed").splitlines()
    assert lines[0].startswith("정확도 0.9 이상인 seed")
    assert len({_columns(line) for line in lines}) == 1, lines           # every line as wide on screen
    for line in lines[1:]:
        assert _columns(line[: line.index("2/2")]) == 24 + 9 - 3, line   # label column, then "2/2" right-aligned
    band = outcomes.band_table([5], {"게이트": acc[:1]}, width=10, heading="seed의 중앙값").splitlines()
    assert band[0].startswith("seed의 중앙값")
    assert _columns(band[1][: band[1].index("learned")]) == 10 + 14 - len("learned")
    assert outcomes.count_table([5], {"a": acc[:1]}).splitlines()[0].startswith("seeds at accuracy >= 0.9")
