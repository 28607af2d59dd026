"""Deprecated: ``rnnlib._views`` moved to ``rnnlib.teaching._views``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib._views moved to rnnlib.teaching._views; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching._views")
