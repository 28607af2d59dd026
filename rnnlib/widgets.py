"""Deprecated: ``rnnlib.widgets`` moved to ``rnnlib.teaching.widgets``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.widgets moved to rnnlib.teaching.widgets; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.widgets")
