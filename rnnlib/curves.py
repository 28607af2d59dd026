"""Deprecated: ``rnnlib.curves`` moved to ``rnnlib.teaching.curves``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.curves moved to rnnlib.teaching.curves; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.curves")
