"""Deprecated: ``rnnlib.exercises.ex02`` moved to ``rnnlib.teaching.exercises.ex02``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.exercises.ex02 moved to rnnlib.teaching.exercises.ex02; "
              "the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.exercises.ex02")
