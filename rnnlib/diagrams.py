"""Deprecated: ``rnnlib.diagrams`` moved to ``rnnlib.teaching.diagrams``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.diagrams moved to rnnlib.teaching.diagrams; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.diagrams")
