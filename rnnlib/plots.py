"""Deprecated: ``rnnlib.plots`` moved to ``rnnlib.teaching.plots``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.plots moved to rnnlib.teaching.plots; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.plots")
