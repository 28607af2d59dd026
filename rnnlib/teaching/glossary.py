"""The course's English–Korean glossary and its term policy: one data file, ``glossary.csv``, rendered by notebook 00.

Each row holds an English term, the Korean term, an optional note (the lecture note's own spelling, or how the
course uses the term), ``prose`` — which form the Korean edition writes after the term's first use in a
notebook: ``ko`` the Korean term, ``en`` the English word as the lecture note writes it (the Korean term glosses
it once) —, the forms a learner also meets in other Korean texts (``also_seen``, separated by ``;``; not wrong,
but this course keeps one form), the forms that are wrong (``wrong``) and the notebook that first uses the term.
Both editions of notebook 00 show ``GLOSSARY``; the tests of the Korean edition refuse an ``also_seen`` or
``wrong`` form in prose and check that each term keeps the form ``prose`` names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .i18n import tr

DATA = Path(__file__).with_name("glossary.csv")
COLUMNS = ("english", "korean", "note", "prose", "also_seen", "wrong", "first_met")
PROSE = ("ko", "en")


@dataclass(frozen=True)
class Term:
    """One row of the glossary."""

    english: str
    korean: str
    note: str
    prose: str
    also_seen: tuple[str, ...]
    wrong: tuple[str, ...]
    first_met: str

    @property
    def english_form(self) -> str:
        """The English words the prose would write: the term without its parenthesised parts."""
        return " ".join(re.sub(r"\([^)]*\)", " ", self.english).split())

    @property
    def prose_form(self) -> str:
        """The form the Korean prose writes after the first use: the Korean term or the English word."""
        return self.korean if self.prose == "ko" else self.english_form

    @property
    def other_form(self) -> str:
        """The form the Korean prose does not write after the first use (except as a gloss in parentheses)."""
        return self.english_form if self.prose == "ko" else self.korean


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split(";") if a.strip())


class Glossary:
    """The glossary's terms in file order; shown as a markdown table in a notebook."""

    def __init__(self, terms: tuple[Term, ...]):
        self.terms = terms

    @classmethod
    def read(cls, path: Path | str = DATA) -> Glossary:
        """Read a glossary file with the header ``english,korean,note,prose,also_seen,wrong,first_met``."""
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise ValueError(f"path: expected the columns {','.join(COLUMNS)}, got {reader.fieldnames}")
            terms = []
            for line, row in enumerate(reader, start=2):
                if not row["english"].strip() or not row["korean"].strip():
                    raise ValueError(f"path: line {line} needs an English and a Korean term, got {row}")
                if row["prose"].strip() not in PROSE:
                    raise ValueError(f"path: line {line} has prose {row['prose']!r}, expected one of {PROSE}")
                terms.append(Term(row["english"].strip(), row["korean"].strip(), row["note"].strip(),
                                  row["prose"].strip(), _split(row["also_seen"]), _split(row["wrong"]),
                                  row["first_met"].strip()))
        return cls(tuple(terms))

    def alternates(self) -> dict[str, str]:
        """Every form the course does not write (also seen elsewhere, or wrong) -> the glossary term to use."""
        return {alt: t.korean for t in self.terms for alt in t.also_seen + t.wrong}

    def misused(self, text: str) -> list[tuple[str, str]]:
        """(alternate, term) for every alternate form found in ``text`` outside a longer glossary term
        (기울기 클리핑 holds no misused 기울기)."""
        found = []
        for alt, term in self.alternates().items():
            covers = [t.korean for t in self.terms if len(t.korean) > len(alt) and alt in t.korean]
            spans = [(m.start(), m.end()) for k in covers for m in re.finditer(re.escape(k), text)]
            for m in re.finditer(re.escape(alt), text):
                if not any(s <= m.start() and m.end() <= e for s, e in spans):
                    found.append((alt, term))
                    break
        return found

    def markdown(self, language: str | None = None) -> str:
        """The glossary as a markdown table (English, 한국어 with its note, the form the Korean prose writes,
        forms also seen in other texts, first notebook), then the short list of wrong forms.

        The headers are in ``language`` (default: the notebook's; the English edition's are bilingual), and
        so is the remark of a notebook that first meets a term in passing, ``01 (derived in 02)``."""
        headers = (tr("English", language), "한국어", tr("prose · 본문의 표기", language),
                   tr("also seen · 다른 교재의 표기", language), tr("first met in · 처음 나오는 곳", language))
        lines = ["| " + " | ".join(headers) + " |", "|---|---|---|---|---|"]
        for t in self.terms:
            korean = f"{t.korean} ({t.note})" if t.note else t.korean
            lines.append(f"| {t.english} | {korean} | {t.prose_form} | {', '.join(t.also_seen)} "
                         f"| {_first_met(t.first_met, language)} |")
        wrong = [f"{w} (→ {t.korean})" for t in self.terms for w in t.wrong]
        if wrong:
            lines += ["", tr("**Wrong · 틀린 표기:**", language) + " " + ", ".join(wrong)]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __repr__(self) -> str:
        return tr("Glossary: {n} English–Korean terms (shown as a table in Jupyter)", n=len(self.terms))


#: The remarks a ``first_met`` cell may add to its notebook, ``01 (derived in 02)``, in English.
FIRST_MET_MESSAGES = ("derived in {notebook}", "as a remedy in {notebook}")


def _first_met(cell: str, language: str | None) -> str:
    """A ``first_met`` cell with its remark, if it is one of ``FIRST_MET_MESSAGES``, in ``language``."""
    for message in FIRST_MET_MESSAGES:
        remark = re.escape(message).replace(re.escape("{notebook}"), r"(\S+)")
        found = re.fullmatch(rf"(\S+) \({remark}\)", cell)
        if found:
            return f"{found.group(1)} ({tr(message, language, notebook=found.group(2))})"
    return cell


#: The course's glossary, read from ``glossary.csv`` beside this module.
GLOSSARY = Glossary.read()
