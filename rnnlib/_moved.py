"""The old import paths of the course layer, which moved to ``rnnlib.teaching`` in 0.3.0.

``import rnnlib.widgets`` (and the others in ``MOVED``) still works until the next tagged release: it gives the
module at its new path, the same object, with a DeprecationWarning that names the new path. No file is left at
an old path, so the folder tree shows only the two layers; this finder, installed when ``rnnlib`` is imported,
answers for them. It imports the course layer only when an old path is asked for (tests/test_layout.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: old path -> new path
MOVED = {
    **{f"rnnlib.{m}": f"rnnlib.teaching.{m}"
       for m in ("widgets", "_views", "curves", "diagrams", "plots", "style", "course", "glossary", "source",
                 "exercises")},
    **{f"rnnlib.exercises.ex0{i}": f"rnnlib.teaching.exercises.ex0{i}" for i in range(1, 5)},
}


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old path and loads it as the module at its new path (warning once per import)."""

    def __init__(self) -> None:
        self._own_specs: dict[str, object] = {}     # old path -> the new module's spec, between create and exec

    def find_spec(self, name, path=None, target=None):
        if name not in MOVED:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=name == "rnnlib.exercises")

    def create_module(self, spec):
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}; the old path goes at the next tagged release",
                      DeprecationWarning, stacklevel=2)       # importlib's own frames are skipped: the learner's line
        module = importlib.import_module(new)
        self._own_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # the import system set the old path's spec on the module; give it back its own
        module.__spec__ = self._own_specs.pop(module.__spec__.name)


_FINDER = _OldPaths()


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
