"""Build the Korean edition, notebooks/ko/, from the English notebooks and the gettext catalogs.

Usage: python tools/translate.py            refresh every catalog, rebuild notebooks/ko/, list the stale entries
       python tools/translate.py --check    change nothing; exit 1 when a catalog, a Korean notebook or a
                                            translation is out of date (what the tests check)

One catalog per notebook, locale/ko/LC_MESSAGES/<notebook>.po, with two kinds of entries.

* Markdown: every markdown cell of the English notebook (except the badge row, written from
  rnnlib.teaching.course) is one entry: msgctxt is the cell's id, msgid its full English source, msgstr the Korean.
* Code: what a learner reads in a code cell. msgctxt ``code``: a string literal, msgid the literal exactly as
  written (prefix and quotes included; an implicit concatenation over several lines is one entry, its tokens
  one per line), msgstr the Korean literal (same prefixes and quotes, the same ``{fields}`` and format specs;
  it may be cut into more or fewer tokens). msgctxt ``code comment``: a comment, msgid its text after ``# ``
  (consecutive full-line comments are one entry, one line each; the Korean may use more or fewer lines).
  The same text is one entry however often it occurs; ``#:`` names the cells.

Which literals are extracted (the rule): a string literal whose text, with its maths ($...$), identifiers
(words with ``_`` or a digit) and names of calls (``diag(``) removed, still holds an English word of two or
more letters; for an f-string, its literal parts and the strings nested in its fields count, its fields do
not. Not extracted: a bare name, one word such as ``tanh``, ``none``, ``W_hh``, ``non-normal`` or ``linear:``
(an f-string whose literal parts hold no word and whose nested strings are bare names is one too): option
values, dict keys and names the code passes on stay English. A bare name that is a branch of a conditional
expression whose other branch is extracted (``"none" if ... else "over half"``) is extracted there, and only
there. A comment is extracted when it holds such a word, unless it is a directive (``NBVAL_...``, ``noqa``).
The setup cell is not extracted: it is rnnlib.teaching.course's ``setup_cell_source("ko")``. A translation
equal to its msgid keeps the English on purpose (a name rnnlib or matplotlib reads, such as "spectral radius"
or "center right"); its translator comment says why (``# kept: ...``).

When an English cell or literal changes, the refresh keeps the old Korean as a *fuzzy* entry with the old
English as its previous msgid (``#| msgid``), as gettext's msgmerge does; a cell whose id changed but whose
text did not keeps its translation. Fuzzy, empty and missing entries are *stale*: the built notebook shows the
English there and the tests fail until the entry is translated and its fuzzy flag removed. Entries nothing
uses any more are kept as obsolete (``#~``) so their Korean can be reused.

The Korean notebook is the English one with its markdown and code so translated, the badge row opening the
Korean file and the Korean setup cell. Its outputs are its own: tools/regen.py executes it (after rebuilding
it here) and stores them; a rebuild keeps the stored outputs of each code cell whose source is unchanged and
drops the others (nbval then fails until tools/regen.py runs again).
"""

from __future__ import annotations

import ast
import copy
import difflib
import io
import re
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnlib.teaching.course import badges_markdown, setup_cell_source  # noqa: E402

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


def is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and "setup" in cell.metadata.get("tags", [])


# --- code cells: the string literals and comments a learner reads ---------------------------------------------

LITERAL = "code"                # msgctxt of a string literal
COMMENT = "code comment"        # msgctxt of a comment
CODE_CONTEXTS = (LITERAL, COMMENT)
DIRECTIVE = re.compile(r"\s*(?:NBVAL_|noqa\b|type:|fmt:|pragma\b)")
_DIRECTIVE_TAIL = re.compile(r"\s+#\s*(?:noqa\b|type:|fmt:|pragma\b).*$")    # a directive after a comment: kept
_MAGIC = re.compile(r"^([ \t]*)[%!]")
_IDENTIFIER = re.compile(r"\b\w*(?:_|\d)\w*\b|\b[A-Za-z]\w*'*\(")      # h_t, log10, ex01; diag(, sigma'(
_WORD = re.compile(r"[A-Za-z]{2,}")
_BARE = re.compile(r"\s*[\w.+-]+:?\s*")


@dataclass(frozen=True)
class Piece:
    """One literal (an implicit concatenation included) or comment (a block of full-line comments) of a cell."""
    context: str                # LITERAL or COMMENT
    start: int                  # character offsets in the cell's source
    end: int
    msgid: str
    column: int                 # the column the piece starts at
    separators: tuple[str, ...] = field(default=())     # a literal: the source between its tokens
    prefixes: tuple[str, ...] = field(default=())       # a comment: each line's "#" and the spaces after it


def python_source(source: str) -> str | None:
    """``source`` as Python: each IPython line magic (``%pip``, ``!ls``) replaced by ``pass``, lines kept where
    they are; None for a cell magic (``%%time``), whose cell is not Python."""
    if source.lstrip().startswith("%%"):
        return None
    return "".join(_MAGIC.match(line).group(1) + "pass" + line[len(line.rstrip("\r\n")):] if _MAGIC.match(line)
                   else line for line in source.splitlines(keepends=True))


def literal_token_spans(tokens) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) of every string literal token, an f-string whole: one STRING token before Python 3.12,
    FSTRING_START ... FSTRING_END (with the nested literals of its fields inside) from 3.12 on."""
    spans, depth, start = [], 0, None
    for tok in tokens:
        name = tokenize.tok_name[tok.type]
        if name == "FSTRING_START":
            if depth == 0:
                start = tok.start
            depth += 1
        elif name == "FSTRING_END":
            depth -= 1
            if depth == 0:
                spans.append((start, tok.end))
        elif tok.type == tokenize.STRING and depth == 0:
            spans.append((tok.start, tok.end))
    return spans


def _offsets(text: str) -> list[int]:
    starts, total = [], 0
    for line in text.splitlines(keepends=True) or [""]:
        starts.append(total)
        total += len(line)
    return starts + [total]


def split_tokens(literal: str) -> tuple[list[str], list[str]]:
    """The string tokens of ``literal`` (one literal expression, perhaps an implicit concatenation) and the
    source between consecutive tokens."""
    text = f"({literal}\n)"
    starts = _offsets(text)
    spans = [(starts[a[0] - 1] + a[1], starts[b[0] - 1] + b[1])
             for a, b in literal_token_spans(tokenize.generate_tokens(io.StringIO(text).readline))]
    return [text[a:b] for a, b in spans], [text[spans[i][1]:spans[i + 1][0]] for i in range(len(spans) - 1)]


def _strings_in(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _reader_parts(node) -> tuple[list[str], list[str]]:
    """(literal parts, strings nested in the fields) of a literal's AST node."""
    if isinstance(node, ast.Constant):
        return [node.value], []
    literal, nested = [], []
    for value in node.values:
        if isinstance(value, ast.Constant):
            literal.append(value.value)
        else:
            nested += _strings_in(value.value)
    return literal, nested


def words(text: str) -> list[str]:
    """The English words of ``text`` once its maths, identifiers and the names of calls are removed."""
    return _WORD.findall(_IDENTIFIER.sub(" ", MATH.sub(" ", text)))


def _is_bare(text: str) -> bool:
    return bool(_BARE.fullmatch(text)) and bool(words(text))


def _literal_rule(node) -> tuple[bool, bool]:
    """(has words, is a bare name) for a literal's AST node."""
    literal, nested = _reader_parts(node)
    if isinstance(node, ast.Constant):
        return bool(words(node.value)), _is_bare(node.value)
    has = bool(words(" ".join(literal + nested)))
    bare = not words(" ".join(literal)) and all(_is_bare(n) or not words(n) for n in nested)
    return has, bare


class _Literals(ast.NodeVisitor):
    """The top-level string literals of a cell (not those nested in an f-string), and its conditional
    expressions whose branches are all literals."""

    def __init__(self):
        self.nodes, self.choices = [], []

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            self.nodes.append(node)

    def visit_JoinedStr(self, node):
        self.nodes.append(node)             # not descended into: its nested strings belong to it

    def visit_IfExp(self, node):
        leaves, stack = [], [node]
        while stack:
            n = stack.pop()
            if isinstance(n, ast.IfExp):
                stack += [n.orelse, n.body]
            else:
                leaves.append(n)
        if all(isinstance(n, ast.JoinedStr) or isinstance(n, ast.Constant) and isinstance(n.value, str)
               for n in leaves):
            self.choices.append(leaves)
        self.generic_visit(node)


def pieces(source: str) -> list[Piece]:
    """The literals and comments of a code cell's ``source`` that a learner reads (the module's rule), in
    source order."""
    python = python_source(source)
    if python is None:
        return []
    lines = source.splitlines(keepends=True)
    starts = _offsets(source)

    def offset(row: int, byte_col: int) -> int:
        return starts[row - 1] + len(lines[row - 1].encode("utf-8")[:byte_col].decode("utf-8"))

    visitor = _Literals()
    visitor.visit(ast.parse(python))
    rule = {id(n): _literal_rule(n) for n in visitor.nodes}
    chosen = {id(n) for n in visitor.nodes if rule[id(n)][0] and not rule[id(n)][1]}
    for leaves in visitor.choices:
        if any(id(n) in chosen for n in leaves):
            chosen |= {id(n) for n in leaves if rule[id(n)][0]}
    out = []
    for node in visitor.nodes:
        if id(node) not in chosen:
            continue
        start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
        tokens, separators = split_tokens(source[start:end])
        out.append(Piece(LITERAL, start, end, "\n".join(tokens), start - starts[node.lineno - 1], tuple(separators)))

    block: list[tokenize.TokenInfo] = []

    def close():
        if block:
            first, last = block[0], block[-1]
            texts = [re.match(r"#[ \t]?", t.string) for t in block]
            msgid = "\n".join(t.string[m.end():] for t, m in zip(block, texts, strict=True))
            if words(msgid):
                out.append(Piece(COMMENT, offset(first.start[0], 0) + first.start[1],
                                 offset(last.start[0], 0) + last.start[1] + len(last.string), msgid,
                                 first.start[1], prefixes=tuple(m.group() for m in texts)))
            block.clear()

    previous_row = None
    for tok in tokenize.generate_tokens(io.StringIO(python).readline):
        if tok.type != tokenize.COMMENT:
            continue
        alone = not tok.line[:tok.start[1]].strip()
        directive = DIRECTIVE.match(tok.string[1:])
        tail = _DIRECTIVE_TAIL.search(tok.string)
        if tail:                                # the comment without its directive, which stays as written
            tok = tok._replace(string=tok.string[:tail.start()])
        if block and not (alone and previous_row == tok.start[0] - 1 and block[-1].start[1] == tok.start[1]
                          and not directive):
            close()
        if directive:
            continue
        block.append(tok)
        previous_row = tok.start[0]
        if not alone or tail:
            close()
    close()
    return sorted(out, key=lambda p: p.start)


def render(piece: Piece, korean: str) -> str:
    """The source that replaces ``piece`` when its translation is ``korean``."""
    indent = " " * piece.column
    if piece.context == COMMENT:
        prefix = piece.prefixes[0] if piece.prefixes else "# "
        return ("\n" + indent).join(prefix + line if line else prefix.rstrip() for line in korean.split("\n"))
    tokens, _ = split_tokens(korean)
    if not tokens:
        raise SyntaxError(f"not a string literal: {korean!r}")
    # more Korean tokens than English ones: each further token on a line of its own, as the English continues
    default = piece.separators[-1] if piece.separators and "\n" in piece.separators[-1] else "\n" + indent
    seps = [piece.separators[i] if i < len(piece.separators) else default for i in range(len(tokens) - 1)]
    return tokens[0] + "".join(sep + tok for sep, tok in zip(seps, tokens[1:], strict=True))


def code_units(nb) -> list[tuple[str, str, list[str]]]:
    """(msgctxt, msgid, cell ids) of every code piece of ``nb`` once, in order of first use."""
    units: dict[tuple[str, str], list[str]] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_setup_cell(cell):
            for piece in pieces(cell.source):
                cells = units.setdefault((piece.context, piece.msgid), [])
                if cell.id not in cells:
                    cells.append(cell.id)
    return [(ctx, msgid, cells) for (ctx, msgid), cells in units.items()]


def translate_code(source: str, table: dict[tuple[str, str], str], where: str = "") -> str:
    """``source`` with each piece that ``table`` ((msgctxt, msgid) -> Korean) translates replaced."""
    out = source
    try:
        for piece in reversed(pieces(source)):
            korean = table.get((piece.context, piece.msgid))
            if korean is not None:
                out = out[:piece.start] + render(piece, korean) + out[piece.end:]
        ast.parse(python_source(out) or "")
    except (SyntaxError, tokenize.TokenError) as error:
        raise ValueError(f"{where}: the Korean code does not parse ({error}):\n{out}") \
            from None
    return out


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


def units(nb) -> list[tuple[str, str, list[str]]]:
    """(msgctxt, msgid, cell ids) of every catalog entry ``nb`` needs, in notebook order: each translated
    markdown cell, and each code piece at its first use."""
    code = {cells[0]: [] for _, _, cells in code_units(nb)}
    for ctx, msgid, cells in code_units(nb):
        code[cells[0]].append((ctx, msgid, cells))
    out = []
    for cell in nb.cells:
        if is_translated_cell(cell):
            out.append((cell.id, cell.source, [cell.id]))
        out += code.get(cell.id, [])
    return out


def is_code_entry(entry: polib.POEntry) -> bool:
    return entry.msgctxt in CODE_CONTEXTS


def merge(nb, old: polib.POFile) -> polib.POFile:
    """The catalog for notebook ``nb``: one entry per translated cell and code piece, in notebook order, old
    Korean kept."""
    entries = list(old)                        # polib iterates over the obsolete entries too
    by_key = {(e.msgctxt, e.msgid): e for e in entries}
    used: set[int] = set()
    new = polib.POFile(wrapwidth=0)
    new.header = old.header
    new.metadata = dict(HEADER) | {k: v for k, v in old.metadata.items() if k not in HEADER}
    for ctx, msgid, cells in units(nb):
        code = ctx in CODE_CONTEXTS
        entry = polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr="",
                              occurrences=[(c, "") for c in cells] if code else [])
        match = by_key.get((ctx, msgid))
        if match is None and not code:          # the same text under another id: a cell re-created or moved
            match = next((e for e in entries if not is_code_entry(e) and e.msgid == msgid and e.msgstr
                          and id(e) not in used), None)
        if match is not None and id(match) not in used:
            used.add(id(match))
            entry.msgstr, entry.flags = match.msgstr, [f for f in match.flags if f == "fuzzy"]
            entry.tcomment = match.tcomment
            entry.previous_msgid = match.previous_msgid if "fuzzy" in match.flags else None
        else:                                   # changed text: the same cell's old entry, else the closest old text
            candidates = [e for e in entries if e.msgstr and id(e) not in used
                          and (e.msgctxt == ctx if code else not is_code_entry(e))]
            same_cell = [e for e in candidates if e.msgctxt == ctx] if not code else []
            best = same_cell[0] if same_cell else closest(msgid, candidates)
            if best is not None:
                used.add(id(best))
                entry.msgstr, entry.flags = best.msgstr, ["fuzzy"]
                entry.tcomment = best.tcomment
                entry.previous_msgid = best.previous_msgid if "fuzzy" in best.flags and best.previous_msgid \
                    else best.msgid
        new.append(entry)
    for e in entries:
        if id(e) not in used and e.msgstr:
            gone = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, flags=list(e.flags),
                                 previous_msgid=e.previous_msgid, tcomment=e.tcomment, obsolete=True)
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


def _is_current(e: polib.POEntry) -> bool:
    return bool(e.msgstr) and "fuzzy" not in e.flags and not e.obsolete


def current(po: polib.POFile, cell) -> str | None:
    """The Korean for markdown ``cell`` when the catalog holds a current (not fuzzy, not empty) translation."""
    for e in po:
        if e.msgctxt == cell.id and e.msgid == cell.source and _is_current(e):
            return e.msgstr
    return None


def current_code(po: polib.POFile) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> Korean for every current code entry."""
    return {(e.msgctxt, e.msgid): e.msgstr for e in po if is_code_entry(e) and _is_current(e)}


@dataclass(frozen=True)
class Stale:
    catalog: str
    cell: str           # the markdown cell, or the first cell that uses a code piece
    why: str            # "untranslated", "fuzzy" or "missing"
    text: str
    previous: str | None = None     # a fuzzy entry's old English: the change is what to translate
    context: str | None = None      # LITERAL or COMMENT for a code piece

    def __str__(self) -> str:
        first = self.text.strip().splitlines()[0][:70] if self.text.strip() else ""
        what = f"cell {self.cell}" if self.context is None else f"{self.context} in cell {self.cell}"
        lines = [f"{self.catalog}: {what} {self.why}: {first}"]
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
    """Every translated cell and code piece of ``nb`` without a current Korean translation in ``po``."""
    out = []
    for ctx, msgid, cells in units(nb):
        code = ctx if ctx in CODE_CONTEXTS else None
        entry = next((e for e in po if e.msgctxt == ctx and e.msgid == msgid and not e.obsolete), None)
        if entry is None:
            out.append(Stale(name, cells[0], "missing", msgid, context=code))
        elif "fuzzy" in entry.flags:
            out.append(Stale(name, cells[0], "fuzzy", msgid, entry.previous_msgid, context=code))
        elif not entry.msgstr:
            out.append(Stale(name, cells[0], "untranslated", msgid, context=code))
    return out


# --- the Korean notebook ---------------------------------------------------------------------------------------

def build(nb, po: polib.POFile, name: str, previous=None):
    """The Korean notebook: ``nb`` with each markdown cell's and code piece's current Korean (else its English),
    the badges of ``notebooks/ko/<name>`` and the Korean setup cell. Code cells keep the outputs and execution
    count of ``previous`` (the stored Korean notebook) where their source is unchanged, and have none elsewhere."""
    ko = copy.deepcopy(nb)
    table = current_code(po)
    stored = {c.id: c for c in previous.cells if c.cell_type == "code"} if previous is not None else {}
    for cell in ko.cells:
        if cell.cell_type == "markdown":
            if "badges" in cell.metadata.get("tags", []):
                cell.source = badges_markdown(f"{LANGUAGE}/{name}")
            else:
                cell.source = current(po, cell) or cell.source
        elif cell.cell_type == "code":
            if is_setup_cell(cell):
                cell.source = setup_cell_source(LANGUAGE)
            else:
                cell.source = translate_code(cell.source, table, f"{name}, cell {cell.id}")
            old = stored.get(cell.id)
            same = old is not None and old.source == cell.source
            cell.outputs = copy.deepcopy(old.outputs) if same else []
            cell.execution_count = old.execution_count if same else None
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


#: A number as a learner reads it in printed text: not one inside a word (log10, h_t, ex01, 2D, x1.5), the
#: groups of 1,100 together, an exponent with its mantissa (1e-12), without its sign; 300x counts (300배).
PRINTED_NUMBER = re.compile(r"(?<![A-Za-z_\d.])\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?(?![\d.]*(?!x\b)[A-Za-z_])")


def printed_numbers(text: str) -> Counter:
    return Counter(PRINTED_NUMBER.findall(text))


class _MaskStrings(ast.NodeTransformer):
    def visit_Constant(self, node):
        return ast.Constant("…") if isinstance(node.value, str) else node


def _literal_node(literal: str):
    node = ast.parse(f"({literal}\n)", mode="eval").body
    if not (isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str)):
        raise SyntaxError("not a string literal")
    return node


def fields(literal: str) -> Counter:
    """The replacement fields of an f-string literal: expression (its strings masked), conversion, format spec."""
    node = _literal_node(literal)
    if isinstance(node, ast.Constant):
        return Counter()
    return Counter((ast.dump(_MaskStrings().visit(copy.deepcopy(v.value))), v.conversion,
                    ast.dump(v.format_spec) if v.format_spec is not None else None)
                   for v in node.values if isinstance(v, ast.FormattedValue))


def reader_text(literal: str) -> str:
    """What a learner reads of a literal: its literal parts and the strings nested in its fields."""
    literal_parts, nested = _reader_parts(_literal_node(literal))
    return "\n".join(literal_parts + nested)


def _prefix(token: str) -> tuple[str, str]:
    m = re.match(r"([A-Za-z]*)('''|\"\"\"|'|\")", token)
    return m.group(1).lower(), m.group(2)


def code_kept(context: str, english: str, korean: str) -> list[str]:
    """What the Korean of a code piece must keep. A comment: its numbers, maths and inline code, as ``kept``.
    A literal: a literal it still is, with the English's prefixes and quotes, the same replacement fields and
    format specs, the same maths and exactly the same printed numbers (a printed number is compared with the
    English edition's output). Returns the differences, empty when everything is kept."""
    if context == COMMENT:
        return kept(english, korean)
    try:
        tokens = split_tokens(korean)[0]
        reader = reader_text(korean)
    except (SyntaxError, tokenize.TokenError) as error:
        return [f"not a string literal: {error}"]
    problems = []
    allowed = {_prefix(t) for t in split_tokens(english)[0]}
    if any(_prefix(t) not in allowed for t in tokens):
        problems.append(f"prefixes or quotes differ: English {sorted(allowed)}, Korean "
                        f"{sorted({_prefix(t) for t in tokens})}")
    if fields(english) != fields(korean):
        problems.append("the replacement fields or their format specs differ")
    en_reader = reader_text(english)
    if Counter(MATH.findall(en_reader)) != Counter(MATH.findall(reader)):
        problems.append(f"maths differs: {MATH.findall(en_reader)} vs {MATH.findall(reader)}")
    en, ko = printed_numbers(en_reader), printed_numbers(reader)
    if en != ko:
        problems.append(f"numbers differ: English only {sorted((en - ko).elements())}, "
                        f"Korean only {sorted((ko - en).elements())}")
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

def english_of(korean_notebook: Path) -> Path:
    """The English notebook a Korean one (notebooks/ko/NN_x.ipynb) is built from."""
    return korean_notebook.resolve().parent.parent / korean_notebook.name


def refresh(path: Path, check: bool = False, locale: Path = LOCALE, korean: Path = KOREAN,
            ) -> tuple[list[Stale], list[str]]:
    """Refresh (or with ``check`` only compare) the catalog and the Korean notebook of English notebook ``path``.
    Returns its stale entries and its problems (with ``check``: what is out of date; always: the code
    translations that do not keep what they must)."""
    nb = nbformat.read(path, as_version=4)
    po_path, ko_path = catalog_path(path, locale), korean_path(path, korean)
    po = merge(nb, read_catalog(po_path))
    previous = nbformat.read(ko_path, as_version=4) if ko_path.exists() else None
    text = notebook_text(build(nb, po, path.name, previous))
    problems = [f"{po_path.name}: {e.msgctxt} {e.msgid.splitlines()[0][:60]!r}: {p}" for e in po
                if is_code_entry(e) and _is_current(e) for p in code_kept(e.msgctxt, e.msgid, e.msgstr)]
    if check:
        if not po_path.exists() or po_path.read_text(encoding="utf-8") != catalog_text(po):
            problems.append(f"{po_path.name}: the catalog is not up to date with {path.name}")
        if not ko_path.exists() or ko_path.read_text(encoding="utf-8") != text:
            problems.append(f"{ko_path.name}: notebooks/ko/ differs from what the tool builds")
        return stale(nb, po, po_path.name), problems
    po_path.parent.mkdir(parents=True, exist_ok=True)
    ko_path.parent.mkdir(parents=True, exist_ok=True)
    if not po_path.exists() or po_path.read_text(encoding="utf-8") != catalog_text(po):
        po_path.write_text(catalog_text(po), encoding="utf-8")
        print(f"updated {po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path}")
    if not ko_path.exists() or ko_path.read_text(encoding="utf-8") != text:
        ko_path.write_text(text, encoding="utf-8")
        print(f"built {ko_path.relative_to(ROOT) if ko_path.is_relative_to(ROOT) else ko_path}")
    return stale(nb, po, po_path.name), problems


def run(check: bool, english: list[Path] | None = None, locale: Path = LOCALE, korean: Path = KOREAN) -> int:
    """Refresh (or with ``check`` only compare) every catalog and Korean notebook; print what is stale."""
    problems, stale_entries = [], []
    for path in english if english is not None else english_notebooks():
        found, wrong = refresh(path, check, locale, korean)
        stale_entries += found
        problems += wrong
    for s in stale_entries:
        print(f"stale: {s}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(stale_entries)} stale entr{'y' if len(stale_entries) == 1 else 'ies'}"
          + (" (translate them, remove the fuzzy flag, run make translations)" if stale_entries else ""))
    return 1 if (check and (problems or stale_entries)) else 0


if __name__ == "__main__":
    sys.exit(run("--check" in sys.argv[1:]))
