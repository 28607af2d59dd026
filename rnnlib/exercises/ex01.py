"""Deprecated: ``rnnlib.exercises.ex01`` moved to ``rnnlib.teaching.exercises.ex01``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.exercises.ex01 moved to rnnlib.teaching.exercises.ex01; "
              "the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.exercises.ex01")
