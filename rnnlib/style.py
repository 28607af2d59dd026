"""Deprecated: ``rnnlib.style`` moved to ``rnnlib.teaching.style``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.style moved to rnnlib.teaching.style; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.style")
