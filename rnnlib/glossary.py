"""Deprecated: ``rnnlib.glossary`` moved to ``rnnlib.teaching.glossary``.

This alias goes at the next tagged release.
"""

import importlib
import sys
import warnings

warnings.warn("rnnlib.glossary moved to rnnlib.teaching.glossary; the old path goes at the next tagged release",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("rnnlib.teaching.glossary")
