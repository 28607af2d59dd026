"""Deprecated: ``rnnlib.exercises`` moved to ``rnnlib.teaching.exercises``; this alias goes at the next tagged
release.

A package, not a ``sys.modules`` alias like the other old paths, so that ``rnnlib.exercises.ex01`` finds the
module beside this file (an alias of ``ex01``) instead of loading ``rnnlib/teaching/exercises/ex01.py`` a second
time under the old name. Every other name is read from ``rnnlib.teaching.exercises``.
"""

import importlib
import warnings

warnings.warn("rnnlib.exercises moved to rnnlib.teaching.exercises; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
_new = importlib.import_module("rnnlib.teaching.exercises")


def __getattr__(name: str):
    return getattr(_new, name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(dir(_new)))
