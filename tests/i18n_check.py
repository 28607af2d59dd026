"""What counts as English left in a Korean text: shared by the tests of every part the Korean learner reads.

``english_left(text)`` returns the English words of ``text`` that the term policy does not keep: a run of
two or more English words outside code (backticks, quotes), maths ($...$) and identifiers. Words the Korean
prose keeps in English (the glossary's ``prose = en`` terms, names of functions, people and methods) are
allowed one by one in ``KEPT``; a single English word between Hangul is never flagged (a name or a term).
"""

from __future__ import annotations

import re

#: English words the Korean edition keeps (glossary prose=en, methods, people, libraries, option values).
KEPT = {
    "gradient", "gradients", "loss", "input", "inputs", "output", "outputs", "sequence", "tanh", "sigmoid",
    "relu", "linear", "bptt", "rnn", "rnns", "lstm", "gru", "adam", "sgd", "irnn", "numpy", "matplotlib",
    "ipywidgets", "rnnlib", "jupyterlab", "colab", "binder", "pascanu", "bengio", "hochreiter", "schmidhuber",
    "olah", "et", "al", "none", "true", "false", "nan", "inf", "float64", "float32", "max", "min", "norm",
    "lag", "step", "steps", "exp", "log", "log10", "ko", "en", "gaussian", "orthogonal", "identity",
    "sheared", "clip", "truncate", "gate", "init", "short", "long", "larger", "smaller", "same",
}
_MASKS = (
    re.compile(r"`[^`]*`"),                 # code
    re.compile(r"\$[^$]*\$"),               # maths
    re.compile(r"\"[^\"]*\"|'[^'\s][^']*'"),  # quoted answers and names
    re.compile(r"<[^>]+>"),                 # HTML tags of readouts
    re.compile(r"\b\w+(?:\.\w+)+\(?\)?"),   # dotted identifiers: rnnlib.bptt, ex01.check_...()
    re.compile(r"\b\w*_\w*\b"),             # snake_case identifiers
    re.compile(r"\b\w+\(\)"),               # calls
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_RUN = re.compile(r"(?:[A-Za-z][A-Za-z'-]*[ ,]+){1,}[A-Za-z][A-Za-z'-]*")


def english_left(text: str, also: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The runs of two or more English words in ``text`` that are not code, maths, quotes or KEPT words
    (nor ``also``: lower-case words one part of the course keeps, such as the names of its controls' values)."""
    for mask in _MASKS:
        text = mask.sub(" ", text)
    found = []
    for run in _RUN.finditer(text):
        words = [w for w in _WORD.findall(run.group()) if w.lower() not in KEPT | set(also) and len(w) > 1]
        if len(words) >= 2:
            found.append(run.group())
    return found
