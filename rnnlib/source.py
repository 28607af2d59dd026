"""Deprecated: ``rnnlib.source`` moved to ``rnnlib.teaching.source``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.source moved to rnnlib.teaching.source; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.source")
