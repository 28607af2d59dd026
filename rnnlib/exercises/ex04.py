"""Deprecated: ``rnnlib.exercises.ex04`` moved to ``rnnlib.teaching.exercises.ex04``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.exercises.ex04 moved to rnnlib.teaching.exercises.ex04; "
              "the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.exercises.ex04")
