"""The course machinery: what runs the notebooks, built on the maths of ``rnnlib``.

Explorers (``widgets``, their pictures in ``_views``, their settings -> curves in ``curves``), figures
(``plots``, ``diagrams``, ``style``), the exercises' checkers (``exercises``), the glossary, source listings
(``source``) and the notebooks' setup (``course``). These modules import ``rnnlib``'s maths; the maths never
imports them (tests/test_layout.py). matplotlib and ipywidgets are imported inside the functions that use them,
so importing this package loads numpy only.
"""

from .course import setup_notebook

__all__ = ["setup_notebook"]
