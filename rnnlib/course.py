"""Deprecated: ``rnnlib.course`` moved to ``rnnlib.teaching.course``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.course moved to rnnlib.teaching.course; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.course")
