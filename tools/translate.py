"""Build the Korean edition, notebooks/ko/, from the English notebooks and the gettext catalogs.

Usage: python tools/translate.py            refresh every catalog, rebuild notebooks/ko/, list the stale entries
       python tools/translate.py --check    change nothing; exit 1 when a catalog, a Korean notebook or a
                                            translation is out of date (what the tests check)

One catalog per notebook, locale/ko/LC_MESSAGES/<notebook>.po. Every markdown cell of the English
notebook (except the badge row, written from rnnlib.teaching.course) is one entry: msgctxt is the cell's id,
msgid its full English source, msgstr the Korean. When an English cell changes, the refresh keeps the
old Korean as a *fuzzy* entry with the old English as its previous msgid (``#| msgid``), as gettext's
msgmerge does; a cell whose id changed but whose text did not keeps its translation. Fuzzy, empty and
missing entries are *stale*: the built notebook shows the English text there and the tests fail until
the entry is translated and its fuzzy flag removed. Entries no English cell uses any more are kept as
obsolete (``#~``) so their Korean can be reused.

Code cells and their outputs are copied unchanged; the badge row opens the Korean file.
"""

from __future__ import annotations

import copy
import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnlib.teaching.course import badges_markdown  # noqa: E402

ENGLISH = ROOT / "notebooks"
KOREAN = ENGLISH / "ko"
LOCALE = ROOT / "locale" / "ko" / "LC_MESSAGES"
LANGUAGE = "ko"
FUZZY_RATIO = 0.6           # an unmatched English cell inherits (as fuzzy) the closest old entry at least this similar
HEADER = {
    "Project-Id-Version": "rnnlib course",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def english_notebooks() -> list[Path]:
    return sorted(ENGLISH.glob("[0-9][0-9]_*.ipynb"))


def catalog_path(notebook: Path, locale: Path = LOCALE) -> Path:
    return locale / f"{notebook.stem}.po"


def korean_path(notebook: Path, korean: Path = KOREAN) -> Path:
    return korean / notebook.name


def is_translated_cell(cell) -> bool:
    """Markdown cells are translated; the badge row is written from rnnlib.teaching.course instead."""
    return cell.cell_type == "markdown" and "badges" not in cell.metadata.get("tags", [])


def translatable(nb) -> list:
    return [c for c in nb.cells if is_translated_cell(c)]


# --- the catalog ---------------------------------------------------------------------------------------------

def read_catalog(path: Path) -> polib.POFile:
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    po.header = f"Korean edition of notebooks/{path.stem}.ipynb, built by tools/translate.py."
    return po


def catalog_text(po: polib.POFile) -> str:
    text = str(po)
    return text if text.endswith("\n") else text + "\n"


def merge(nb, old: polib.POFile) -> polib.POFile:
    """The catalog for notebook ``nb``: one entry per translated cell, in cell order, old Korean kept."""
    entries = list(old)                        # polib iterates over the obsolete entries too
    by_key = {(e.msgctxt, e.msgid): e for e in entries}
    used: set[int] = set()
    new = polib.POFile(wrapwidth=0)
    new.header = old.header
    new.metadata = dict(HEADER) | {k: v for k, v in old.metadata.items() if k not in HEADER}
    for cell in translatable(nb):
        ctx, msgid = cell.id, cell.source
        entry = polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr="")
        match = by_key.get((ctx, msgid))
        if match is None:                       # the same text under another id: a cell re-created or moved
            match = next((e for e in entries if e.msgid == msgid and e.msgstr and id(e) not in used), None)
        if match is not None and id(match) not in used:
            used.add(id(match))
            entry.msgstr, entry.flags = match.msgstr, [f for f in match.flags if f == "fuzzy"]
            entry.tcomment = match.tcomment
            entry.previous_msgid = match.previous_msgid if "fuzzy" in match.flags else None
        else:                                   # changed text: the same cell's old entry, else the closest old text
            candidates = [e for e in entries if e.msgstr and id(e) not in used]
            same_cell = [e for e in candidates if e.msgctxt == ctx]
            best = same_cell[0] if same_cell else closest(msgid, candidates)
            if best is not None:
                used.add(id(best))
                entry.msgstr, entry.flags = best.msgstr, ["fuzzy"]
                entry.previous_msgid = best.previous_msgid if "fuzzy" in best.flags and best.previous_msgid \
                    else best.msgid
        new.append(entry)
    for e in entries:
        if id(e) not in used and e.msgstr:
            gone = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, flags=list(e.flags),
                                 previous_msgid=e.previous_msgid, obsolete=True)
            new.append(gone)
    return new


def closest(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_RATIO
    for e in candidates:
        matcher = difflib.SequenceMatcher(None, msgid, e.msgid, autojunk=False)
        if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = e, ratio
    return best


def current(po: polib.POFile, cell) -> str | None:
    """The Korean for ``cell`` when the catalog holds a current (not fuzzy, not empty) translation."""
    for e in po:
        if e.msgctxt == cell.id and e.msgid == cell.source and e.msgstr and "fuzzy" not in e.flags and not e.obsolete:
            return e.msgstr
    return None


@dataclass(frozen=True)
class Stale:
    catalog: str
    cell: str
    why: str            # "untranslated", "fuzzy" or "missing"
    text: str
    previous: str | None = None     # a fuzzy entry's old English: the change is what to translate

    def __str__(self) -> str:
        first = self.text.strip().splitlines()[0][:70] if self.text.strip() else ""
        lines = [f"{self.catalog}: cell {self.cell} {self.why}: {first}"]
        if self.previous is not None:
            lines += [f"    {line}" for line in changes(self.previous, self.text)]
        return "\n".join(lines)


def changes(old: str, new: str, context: int = 4) -> list[str]:
    """The words that changed from ``old`` to ``new``, as '- old words' / '+ new words' with a little context."""
    a, b = old.split(" "), new.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append("- " + " ".join(a[max(i1 - context, 0):i2]).replace("\n", "⏎"))
            out.append("+ " + " ".join(b[max(j1 - context, 0):j2]).replace("\n", "⏎"))
    return out


def stale(nb, po: polib.POFile, name: str) -> list[Stale]:
    """Every translated cell of ``nb`` without a current Korean translation in ``po``."""
    out = []
    for cell in translatable(nb):
        entry = next((e for e in po if e.msgctxt == cell.id and e.msgid == cell.source and not e.obsolete), None)
        if entry is None:
            out.append(Stale(name, cell.id, "missing", cell.source))
        elif "fuzzy" in entry.flags:
            out.append(Stale(name, cell.id, "fuzzy", cell.source, entry.previous_msgid))
        elif not entry.msgstr:
            out.append(Stale(name, cell.id, "untranslated", cell.source))
    return out


# --- the Korean notebook ---------------------------------------------------------------------------------------

def build(nb, po: polib.POFile, name: str):
    """The Korean notebook: ``nb`` with each markdown cell's current Korean (else its English) and the badges
    of ``notebooks/ko/<name>``; code cells, outputs and metadata unchanged."""
    ko = copy.deepcopy(nb)
    for cell in ko.cells:
        if cell.cell_type != "markdown":
            continue
        if "badges" in cell.metadata.get("tags", []):
            cell.source = badges_markdown(f"{LANGUAGE}/{name}")
        else:
            cell.source = current(po, cell) or cell.source
    return ko


def notebook_text(nb) -> str:
    return nbformat.writes(nb) + "\n"


# --- checks on each translation ------------------------------------------------------------------------------

MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


#: Korean writes digits where English prose spells small numbers out; such a digit is allowed when its word is there.
NUMBER_WORDS = {
    "1": "one", "2": "two|twice|pair", "3": "three|third", "4": "four", "5": "five", "6": "six", "7": "seven",
    "8": "eight", "9": "nine", "10": "ten", "11": "eleven", "12": "twelve", "20": "twenty", "30": "thirty",
    "40": "forty", "50": "fifty", "100": "hundred", "1000": "thousand", "2.5": "two and a half", "0": "zero",
}


def numbers(text: str) -> list[str]:
    """The numbers written in ``text`` outside maths, inline code and link targets."""
    return sorted(NUMBER.findall(LINK.sub("]", CODE.sub(" ", MATH.sub(" ", text)))))


def kept(english: str, korean: str) -> list[str]:
    """What a translation must keep from the English: its maths and inline code (as multisets) and its numbers
    (every number of the English; a number the English spells out as a word may be written in digits).
    Returns the differences, empty when everything is kept."""
    problems = []
    for label, pattern in (("maths", MATH), ("code", CODE)):
        en, ko = Counter(pattern.findall(english)), Counter(pattern.findall(korean))
        if en != ko:
            problems.append(f"{label} differs: English only {sorted((en - ko).elements())}, "
                            f"Korean only {sorted((ko - en).elements())}")
    en, ko = Counter(numbers(english)), Counter(numbers(korean))
    missing = sorted((en - ko).elements())
    extra = [n for n in sorted((ko - en).elements())
             if not re.search(rf"\b({NUMBER_WORDS.get(n, '^$')})", english, re.I)]
    if missing or extra:
        problems.append(f"numbers differ: English only {missing}, Korean only {extra}")
    return problems


def masked_like_jupyterlab(text: str) -> str:
    """``text`` as JupyterLab's markdown renderer parses it: each maths span replaced by a punctuation placeholder
    ``@@N@@`` (its removeMath step), inline code left to the parser. A letter placeholder would hide the bug this
    check exists for: emphasis that closes after ``$`` (or ``@``) cannot close before a Korean particle."""
    spans = iter(range(10**6))
    return MATH.sub(lambda m: f"@@{next(spans)}@@", text)


def _rendered(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(masked_like_jupyterlab(text))


def literal_asterisks(text: str) -> list[str]:
    """The asterisks CommonMark shows as text in ``text`` (maths masked as JupyterLab masks it), with some context.

    Emphasis closes after punctuation only before a space or punctuation, so "**용어(term)**이" and
    "**lag $d$**는" show their asterisks where English "**term (용어)** is" does not: Korean particles follow the
    word directly."""
    rendered = re.sub(r"<code>.*?</code>", "C", _rendered(text), flags=re.S)
    rendered = re.sub(r"<[^>]+>", "", rendered)
    return [rendered[max(m.start() - 20, 0):m.end() + 10] for m in re.finditer(r"\*+", rendered)]


def hangul_italics(text: str) -> list[str]:
    """The italic spans of ``text`` that hold Hangul (most Korean fonts slant it badly or not at all)."""
    return [m for m in re.findall(r"<em>(.*?)</em>", _rendered(text), flags=re.S) if re.search(r"[\uac00-\ud7a3]", m)]


# --- the command -----------------------------------------------------------------------------------------------

def run(check: bool, english: list[Path] | None = None, locale: Path = LOCALE, korean: Path = KOREAN) -> int:
    """Refresh (or with ``check`` only compare) every catalog and Korean notebook; print what is stale."""
    problems, stale_entries = [], []
    for path in english if english is not None else english_notebooks():
        nb = nbformat.read(path, as_version=4)
        po_path, ko_path = catalog_path(path, locale), korean_path(path, korean)
        old = read_catalog(po_path)
        po = merge(nb, old)
        text = notebook_text(build(nb, po, path.name))
        stale_entries += stale(nb, po, po_path.name)
        if check:
            if not po_path.exists() or po_path.read_text(encoding="utf-8") != catalog_text(po):
                problems.append(f"{po_path.name}: the catalog is not up to date with {path.name}")
            if not ko_path.exists() or ko_path.read_text(encoding="utf-8") != text:
                problems.append(f"{ko_path.name}: notebooks/ko/ differs from what the tool builds")
            continue
        po_path.parent.mkdir(parents=True, exist_ok=True)
        ko_path.parent.mkdir(parents=True, exist_ok=True)
        if not po_path.exists() or po_path.read_text(encoding="utf-8") != catalog_text(po):
            po_path.write_text(catalog_text(po), encoding="utf-8")
            print(f"updated {po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path}")
        if not ko_path.exists() or ko_path.read_text(encoding="utf-8") != text:
            ko_path.write_text(text, encoding="utf-8")
            print(f"built {ko_path.relative_to(ROOT) if ko_path.is_relative_to(ROOT) else ko_path}")
    for s in stale_entries:
        print(f"stale: {s}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(stale_entries)} stale entr{'y' if len(stale_entries) == 1 else 'ies'}"
          + (" (translate them, remove the fuzzy flag, run make translations)" if stale_entries else ""))
    return 1 if problems or (check and stale_entries) else 0


if __name__ == "__main__":
    sys.exit(run("--check" in sys.argv[1:]))
