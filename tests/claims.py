"""The claims register: every general sentence of the teaching text names the test that tries to break it.

A *claim sentence* (``prose.is_claim``) carries a number, a comparison, a rate or a cause. Each one is
either registered here, by a ``Claim`` in one of the ``tests/test_claims_NN*.py`` modules (its ``CLAIMS``
list), with a test that checks it over a distribution (at least 20 seeds, input draws or matrices, or a
grid over the knob it depends on, wide enough to reach the edge of its scope), or it sits in a cell that
says it is about the run shown (``SHOWN_RUN``: "in this run", "for this draw"). ``make claims`` runs the
register's tests (they train and sweep, so they are not part of ``make test``); ``tests/test_claims.py``
checks in ``make test`` that the register covers the text and that every entry still points at its sentence.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import prose

HERE = Path(__file__).resolve().parent
#: Phrases that mark a cell as being about the run shown (its numbers are this run's, said once at its start).
SHOWN_RUN = ("in this run", "for this draw", "this run's")


@dataclass(frozen=True)
class Claim:
    notebook: str        # "01"
    cell: str            # the nbformat id of the markdown cell
    words: tuple[str, ...]   # words of the sentence, enough to find it in its cell (case-insensitive)
    scope: str           # the scope the test covers, in words: "20 seeds x lags 2-40, 200 and 500 steps"
    test: str            # the name of the test function in the same module that tries to break it

    def matches(self, sentence: prose.Sentence) -> bool:
        text = sentence.text.lower()
        return sentence.cell == self.cell and all(w.lower() in text for w in self.words)


@functools.cache
def modules() -> dict[str, object]:
    """The register's modules by name: tests/test_claims_NN.py, or test_claims_NN_part.py for a part of one
    (imported once per run: ``owner`` asks for them for every claim)."""
    out = {}
    for path in sorted(HERE.glob("test_claims_[0-9][0-9]*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out[path.stem] = module
    return out


def register() -> list[Claim]:
    return [c for m in modules().values() for c in getattr(m, "CLAIMS", [])]


def owner(claim: Claim) -> object:
    """The module whose CLAIMS list holds ``claim``."""
    return next(m for m in modules().values() if claim in getattr(m, "CLAIMS", []))


def marked(notebook: str) -> set[str]:
    """The cells of a notebook that say they are about the run shown."""
    return {c["id"] for c in prose.cells(notebook)
            if any(re.search(re.escape(p), "".join(c["source"]), re.I) for p in SHOWN_RUN)}


def uncovered(notebook: str, claims: list[Claim] | None = None) -> list[prose.Sentence]:
    """Claim sentences of a notebook that no registered claim matches and no shown-run mark covers."""
    claims = register() if claims is None else claims
    shown = marked(notebook)
    return [s for s in prose.sentences(notebook) if prose.is_claim(s.text) and s.cell not in shown
            and not any(c.matches(s) for c in claims if c.notebook == notebook)]
