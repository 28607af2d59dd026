"""The teaching text of the notebooks as sentences and paragraphs: what the prose and claims tests read.

Teaching text is the markdown of 01-04 outside tables, maths, code, headings, HTML comments and
``<details>`` notes (the collapsed caveats), and outside the badge row, the exercises and the
references (prompts and citations, not claims). Maths is kept as a placeholder word, so that a sentence
keeps its length and its numbers can still be found by ``NUMBER`` below.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {p.name[:2]: p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}

#: Words and phrases that narrow the scope of a statement (a hedge). At most two per paragraph.
QUALIFIERS = ("on this computer", "for these seeds", "with these seeds", "these ten", "for this draw", "this draw",
              "in this run", "this run", "at most", "at least", "typical", "typically", "usually", "often",
              "mostly", "roughly", "almost", "nearly", "about", "up to", "other draws", "other seeds",
              "depends on", "within the budget", "in this budget", "a few", "here")
#: The longest sentence the teaching text may have, in words.
MAX_WORDS = 35
#: At most this many qualifiers in one paragraph.
MAX_QUALIFIERS = 2

#: Words that make a sentence a claim (a comparison, a rate, a cause), besides a number.
COMPARISON = ("more", "less", "fewer", "faster", "slower", "dominates", "dominated", "most", "least", "only",
              "every", "never", "always", "cannot", "exactly", "none", "all")
RATE = ("converges", "decays", "decay", "grows", "grow", "vanishes", "explodes", "fast", "slow")
CAUSE = ("because", "so", "decides", "guarantees", "therefore", "hence", "since")
NUMBER = re.compile(r"(?<![A-Za-z_])\d")
CLAIM_WORDS = re.compile(r"\b(" + "|".join(COMPARISON + RATE + CAUSE) + r")\b", re.I)

_MATH_BLOCK = re.compile(r"\$\$.*?\$\$", re.S)
_MATH = re.compile(r"\$[^$\n]+\$")
_CODE = re.compile(r"`[^`\n]*`")
_DETAILS = re.compile(r"<details>.*?</details>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z(\"*])")
_REFERENCE = re.compile(r"\b(notebooks?|sections?|part|Exercise)\s+\d+(\s*(and|,|-|–)\s*\d+)*|\[\d\d\s*·", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True)
class Sentence:
    notebook: str       # "01"
    cell: str           # the nbformat cell id
    paragraph: int      # index of the paragraph within the cell
    text: str           # the sentence, maths kept as written
    words: int          # its length in words, a maths span counting as one word


def cells(notebook: str) -> list[dict]:
    """The teaching markdown cells of a notebook, in order (badges, exercises and references left out)."""
    nb = json.loads(NOTEBOOKS[notebook].read_text(encoding="utf-8"))
    out, in_exercises = [], False
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or "badges" in cell.get("metadata", {}).get("tags", []):
            continue
        text = "".join(cell["source"])
        if re.match(r"#+ (\d+ · )?References", text):
            break
        if re.match(r"#+ ", text):              # a heading: the exercises run until the next one (the summary)
            in_exercises = bool(re.match(r"#+ (\d+ · )?Exercises", text))
        if not in_exercises:
            out.append(cell)
    return out


def _strip(text: str) -> str:
    text = _DETAILS.sub(" ", _COMMENT.sub(" ", text))
    text = _MATH_BLOCK.sub(" ", text)
    text = _LINK.sub("]", text)
    return text


def paragraphs(text: str) -> list[str]:
    """The prose paragraphs of one markdown cell: no headings, tables, quotes of code or details notes."""
    out = []
    for block in re.split(r"\n\s*\n", _strip(text)):
        items: list[list[str]] = []
        for ln in block.splitlines():
            if not ln.strip() or ln.lstrip().startswith(("#", "|", "<")):
                continue
            if re.match(r"\s*([-*]|\d+\.)\s", ln) or not items:      # a list item is a paragraph of its own
                items.append([])
            items[-1].append(re.sub(r"^\s*([-*>]|\d+\.)?\s*", "", ln).strip())
        out += [" ".join(item) for item in items if any(item)]
    return out


def sentences(notebook: str) -> list[Sentence]:
    """Every sentence of the teaching text of a notebook."""
    out = []
    for cell in cells(notebook):
        for k, para in enumerate(paragraphs("".join(cell["source"]))):
            for s in _SENTENCE_END.split(para):
                s = s.strip()
                if s:
                    plain = _CODE.sub(" code ", _MATH.sub(" maths ", s))
                    out.append(Sentence(notebook, cell["id"], k, s, len(_WORD.findall(plain))))
    return out


def qualifiers(paragraph: str) -> list[str]:
    """The qualifiers a paragraph uses, one entry per occurrence (a longer phrase is not counted twice)."""
    text = _CODE.sub(" ", _MATH.sub(" ", paragraph)).lower()
    found = []
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        pattern = re.compile(r"\b" + re.escape(q) + r"\b")
        found += [q] * len(pattern.findall(text))
        text = pattern.sub(" ", text)
    return found


def is_claim(sentence: str) -> bool:
    """A sentence that carries a number, a comparison, a rate or a cause: it needs a test over many draws."""
    plain = _REFERENCE.sub(" ", _CODE.sub(" ", sentence))
    return bool(NUMBER.search(plain) or CLAIM_WORDS.search(_MATH.sub(" ", plain)))
