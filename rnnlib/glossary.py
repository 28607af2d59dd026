"""The course's English–Korean glossary: one data file, ``glossary.csv``, rendered by notebook 00.

Each row holds an English term, the Korean term the course uses for it, an optional note (the
lecture note's gloss, or the English word Korean lectures keep), the alternate Korean forms that
must not be used in its place (separated by ``;``) and the notebook that first uses the term.
Both editions of notebook 00 show ``GLOSSARY``; the tests of the Korean edition refuse an
alternate form wherever the glossary's term is required.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("glossary.csv")
COLUMNS = ("english", "korean", "note", "alternates", "first_met")


@dataclass(frozen=True)
class Term:
    """One row of the glossary."""

    english: str
    korean: str
    note: str
    alternates: tuple[str, ...]
    first_met: str


class Glossary:
    """The glossary's terms in file order; shown as a markdown table in a notebook."""

    def __init__(self, terms: tuple[Term, ...]):
        self.terms = terms

    @classmethod
    def read(cls, path: Path | str = DATA) -> Glossary:
        """Read a glossary file with the header ``english,korean,note,alternates,first_met``."""
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise ValueError(f"path: expected the columns {','.join(COLUMNS)}, got {reader.fieldnames}")
            terms = []
            for line, row in enumerate(reader, start=2):
                if not row["english"].strip() or not row["korean"].strip():
                    raise ValueError(f"path: line {line} needs an English and a Korean term, got {row}")
                alternates = tuple(a.strip() for a in row["alternates"].split(";") if a.strip())
                terms.append(Term(row["english"].strip(), row["korean"].strip(), row["note"].strip(),
                                  alternates, row["first_met"].strip()))
        return cls(tuple(terms))

    def alternates(self) -> dict[str, str]:
        """alternate form -> the glossary term to use instead."""
        return {alt: t.korean for t in self.terms for alt in t.alternates}

    def misused(self, text: str) -> list[tuple[str, str]]:
        """(alternate, term) for every alternate form found in ``text`` outside the glossary's own terms."""
        masked = text
        for term in sorted({t.korean for t in self.terms}, key=len, reverse=True):
            masked = masked.replace(term, "\0")
        return [(alt, term) for alt, term in self.alternates().items() if alt in masked]

    def markdown(self) -> str:
        """The glossary as a markdown table: English, 한국어 (with its note), forms to avoid, first notebook."""
        lines = ["| English | 한국어 | not | first met in |", "|---|---|---|---|"]
        for t in self.terms:
            korean = f"{t.korean} ({t.note})" if t.note else t.korean
            lines.append(f"| {t.english} | {korean} | {', '.join(t.alternates)} | {t.first_met} |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __repr__(self) -> str:
        return f"Glossary: {len(self.terms)} English–Korean terms (shown as a table in Jupyter)"


#: The course's glossary, read from ``glossary.csv`` beside this module.
GLOSSARY = Glossary.read()
