"""Deprecated: ``rnnlib.exercises.ex03`` moved to ``rnnlib.teaching.exercises.ex03``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.exercises.ex03 moved to rnnlib.teaching.exercises.ex03; "
              "the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.exercises.ex03")
