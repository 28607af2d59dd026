"""Tasks whose answer depends on an input a chosen number of steps back, and sentence examples.

Sentences: ``SENTENCE_EXAMPLES`` holds a short-gap and a long-gap example; ``word_gap``
counts the lag between a clue word and the word it decides (one step per word).

The recall task: a cue symbol is shown at step 1, then ``lag - 1`` distractor symbols,
then a query marker at step ``lag + 1``; the target at the query step is the cue. Only the
last step has a target, so the answer depends on the input exactly ``lag`` steps back,
and nothing in between helps. Chance accuracy is 1 / n_symbols.

Input channels (D = n_symbols + 2): the symbol one-hot, a cue flag, a query flag.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import check_array, check_positive_int

#: A short-gap and a long-gap sentence: (sentence, the clue word, the word the clue decides).
SENTENCE_EXAMPLES: dict[str, tuple[str, str, str]] = {
    "short-term": ("The clouds are in the sky.", "clouds", "sky"),
    "long-term": (
        "I grew up in France, went to school there until I was eighteen, then moved abroad for work, "
        "and to this day I speak fluent French.",
        "France",
        "French",
    ),
}


def words(sentence: str) -> list[str]:
    """The words of a sentence, punctuation stripped: one word is one time step."""
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError(f"sentence: expected a non-empty string, got {sentence!r}")
    return [w.strip(".,;:!?\"'()") for w in sentence.split()]


def word_gap(sentence: str, clue: str, target: str) -> int:
    """The lag d between a clue word and the later word it decides, counting one step per word.

    Inputs: a sentence; clue and target, words of it (first occurrences, target after clue).
    Returns: index(target) - index(clue), e.g. 4 for "clouds" -> "sky" in "The clouds are in the sky."
    """
    ws = words(sentence)
    for name, word in (("clue", clue), ("target", target)):
        if word not in ws:
            raise ValueError(f"{name}: expected a word of the sentence, got {word!r}")
    d = ws.index(target) - ws.index(clue)
    if d <= 0:
        raise ValueError(f"target: expected a word after the clue {clue!r}, got {target!r} (lag {d})")
    return d


class Batch(NamedTuple):
    """X (T, B, D) inputs; Y (T, B) integer targets; mask (T,) 1 where a step has a target."""

    X: np.ndarray
    Y: np.ndarray
    mask: np.ndarray


def recall_task(lag: int, batch: int, rng: np.random.Generator, n_symbols: int = 4) -> Batch:
    """A batch of the recall task: remember the cue for ``lag`` steps.

    The cue arrives at step 1 (position 0), the question at step lag + 1 (position lag), the
    last of T = lag + 1 steps. Inputs: lag >= 1; batch B >= 1; rng a seeded numpy Generator;
    n_symbols >= 2. Returns: Batch with X (T, B, n_symbols + 2), Y (T, B), mask (T,).
    """
    lag = check_positive_int("lag", lag)
    B = check_positive_int("batch", batch)
    n = check_positive_int("n_symbols", n_symbols)
    if n < 2:
        raise ValueError(f"n_symbols: expected at least 2 symbols, got {n}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    T = lag + 1
    X = np.zeros((T, B, n + 2))
    symbols = rng.integers(0, n, size=(T, B))           # position 0: the cue; 1..lag-1: distractors
    X[:lag] = np.eye(n + 2)[symbols[:lag]]              # one-hot: row s of the identity is symbol s
    X[0, :, n] = 1.0                                     # cue flag
    X[lag, :, n + 1] = 1.0                               # query flag: "answer now"
    Y = np.zeros((T, B), dtype=np.int64)
    Y[lag] = symbols[0]
    mask = np.zeros(T)
    mask[lag] = 1.0
    return Batch(X, Y, mask)


def recall_text(batch: Batch, b: int = 0) -> str:
    """One sequence of a recall batch as text: the cue, the distractors, the query and the answer.

    Symbols are shown as letters A, B, C, ... (numbers beyond 26 symbols); e.g. ``"cue C | B D A | ? -> C"`` for lag 4.
    Inputs: a Batch from ``recall_task`` (X (T, B, n_symbols + 2)); b, a batch index in [0, B).
    Returns: the text.
    """
    if not isinstance(batch, Batch):
        raise ValueError(f"batch: expected the Batch returned by recall_task, got {type(batch).__name__}")
    X = check_array("batch.X", batch.X, (("T", None), ("B", None), ("D", None)))
    T, B, D = X.shape
    n = D - 2
    if T < 2 or n < 1:
        raise ValueError(f"batch.X: expected shape (T, B, n_symbols + 2) with T >= 2 and n_symbols >= 1, "
                         f"got shape {X.shape}")
    Y = check_array("batch.Y", batch.Y, (("T", T), ("B", B)))
    if np.any(Y != np.round(Y)) or np.any(Y < 0) or np.any(Y >= n):
        raise ValueError(f"batch.Y: expected integer symbols in [0, {n}), got values from {Y.min():g} to {Y.max():g}")
    if isinstance(b, bool) or not isinstance(b, (int, np.integer)) or not 0 <= b < B:
        raise ValueError(f"b: expected a batch index in [0, {B}), got {b!r}")

    def name(s: int) -> str:
        return chr(ord("A") + s) if n <= 26 else str(s)

    letters = [name(int(s)) for s in X[: T - 1, b, :n].argmax(axis=1)]
    answer = name(int(Y[T - 1, b]))
    middle = " ".join(letters[1:]) if T > 2 else "(none)"
    return f"cue {letters[0]} | {middle} | ? -> {answer}"
