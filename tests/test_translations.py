"""The Korean edition, notebooks/ko/, cannot drift from the English notebooks.

* drift: every English markdown cell has a current Korean translation in its catalog (not new, changed
  or fuzzy), and each catalog is what `make translations` would write;
* twins: a Korean notebook has the English notebook's cells, code, outputs and metadata; only the
  markdown differs, and the badge row opens the Korean file;
* build: notebooks/ko/ is exactly what tools/translate.py builds from the English notebooks and catalogs;
* glossary: no Korean cell uses an alternate form where the glossary (rnnlib/teaching/glossary.csv) has a term;
* each translation keeps the English maths, inline code and numbers, and its links resolve.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import io
import re
import shutil
import sys
import tokenize
from collections import Counter
from pathlib import Path

import nbformat
import polib
import pytest
from i18n_check import english_left

from rnnlib.teaching import course
from rnnlib.teaching.course import badges_markdown, setup_cell_source
from rnnlib.teaching.glossary import GLOSSARY, Glossary

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("translate", ROOT / "tools" / "translate.py")
translate = sys.modules.setdefault("translate", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(translate)

ENGLISH = translate.english_notebooks()
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def read(path: Path):
    return nbformat.read(path, as_version=4)


def catalog(path: Path) -> polib.POFile:
    return translate.read_catalog(translate.catalog_path(path))


def korean(path: Path):
    return read(translate.korean_path(path))


def test_every_english_notebook_has_a_catalog_and_a_korean_edition():
    assert len(ENGLISH) >= 5
    for path in ENGLISH:
        assert translate.catalog_path(path).exists(), f"no catalog for {path.name}: run make translations"
        assert translate.korean_path(path).exists(), f"no Korean {path.name}: run make translations"
    built = sorted(p.name for p in translate.KOREAN.glob("[!.]*.ipynb"))
    assert built == [p.name for p in ENGLISH], "notebooks/ko/ holds a notebook with no English original"


# --- drift ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_every_english_cell_and_code_piece_has_a_current_translation(path):
    stale = translate.stale(read(path), catalog(path), translate.catalog_path(path).name)
    assert not stale, "Korean translations missing or out of date (make translations lists them):\n" + "\n".join(
        map(str, stale))


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_catalog_is_what_the_tool_writes(path):
    po_path = translate.catalog_path(path)
    expected = translate.catalog_text(translate.merge(read(path), catalog(path)))
    assert po_path.read_text(encoding="utf-8") == expected, f"{po_path.name} is not up to date: make translations"


# --- twins and build -----------------------------------------------------------------------------------------

def code_shape(source: str) -> list[tuple[str, str]]:
    """The tokens of a code cell with every string literal masked (an f-string whole, fields included) and its
    comments and non-logical line breaks left out: what two editions of a cell must share. IPython magics are
    kept as they are written (tools/translate.python_source)."""
    python = translate.python_source(source)
    if python is None:                      # a cell magic: compared as written
        return [("CELL", source)]
    magics = [line.strip() for line in source.splitlines() if translate._MAGIC.match(line)]
    tokens = list(tokenize.generate_tokens(io.StringIO(python).readline))
    spans = translate.literal_token_spans(tokens)
    shape, inside = [("MAGIC", m) for m in magics], None
    for tok in tokens:
        span = next((s for s in spans if s[0] <= tok.start and tok.end <= s[1]), None)
        if span is not None:
            if span != inside and shape[-1:] != [("STRING", "…")]:     # an implicit concatenation is one
                shape.append(("STRING", "…"))
            inside = span
            continue
        inside = None
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            shape.append((tokenize.tok_name[tok.type], tok.string))
    return shape


def output_kinds(cell) -> list[tuple[str, ...]]:
    return [(o.output_type, o.get("name", "")) + tuple(sorted(o.get("data", {}))) for o in cell.outputs]


def text_outputs(cell) -> list[str]:
    """The text a learner reads in a code cell's outputs: printed streams, plain-text and markdown results."""
    out = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append(o.text)
        for mime in ("text/plain", "text/markdown"):
            if mime in o.get("data", {}):
                out.append(o.data[mime])
    return out


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_notebook_is_the_english_twin(path):
    """The same cells (types, ids, metadata), the same code once literals and comments are masked, outputs of the
    same kinds, and in every text output the same numbers (as a multiset: Korean word order differs)."""
    en, ko = read(path), korean(path)
    assert ko.metadata == en.metadata
    assert [(c.cell_type, c.id) for c in ko.cells] == [(c.cell_type, c.id) for c in en.cells]
    for e, k in zip(en.cells, ko.cells):
        if e.cell_type == "code":
            if translate.is_setup_cell(e):
                assert e.source == setup_cell_source() and k.source == setup_cell_source("ko"), e.id
            else:
                assert code_shape(k.source) == code_shape(e.source), f"code cell {e.id}: the code differs"
            assert k.metadata == e.metadata
            assert output_kinds(k) == output_kinds(e), (
                f"code cell {e.id}: outputs of other kinds than {path.name}'s (make regen runs both editions)")
            for i, (a, b) in enumerate(zip(text_outputs(e), text_outputs(k))):
                en_numbers, ko_numbers = translate.printed_numbers(a), translate.printed_numbers(b)
                assert en_numbers == ko_numbers, (
                    f"code cell {e.id}, output {i}: numbers only in English {sorted(en_numbers - ko_numbers)}, "
                    f"only in Korean {sorted(ko_numbers - en_numbers)}")
        elif "badges" in e.metadata.get("tags", []):
            assert k.source == badges_markdown(f"ko/{path.name}")
            assert f"notebooks/ko/{path.name}" in k.source
    setup = [c for c in ko.cells if "setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1 and setup[0].source == setup_cell_source("ko")


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_notebook_is_what_the_tool_builds(path):
    """Its markdown and code are what tools/translate.py writes from the English notebook and the catalog; its
    stored outputs are its own (make regen)."""
    stored = korean(path)
    expected = translate.notebook_text(translate.build(read(path), catalog(path), path.name, stored))
    actual = translate.korean_path(path).read_text(encoding="utf-8")
    assert actual == expected, f"notebooks/ko/{path.name} differs from what the tool builds: make translations"
    unrun = [c.id for c in stored.cells if c.cell_type == "code" and c.execution_count is None and c.source.strip()]
    assert not unrun, f"notebooks/ko/{path.name}: code cells never executed {unrun}: make regen"


def test_the_tool_check_passes():
    assert translate.run(check=True) == 0, "python tools/translate.py --check fails: make translations"


# nbval collects the lessons of both editions and nothing else: tests/test_first_hour.py's
# test_nbval_collects_the_lessons_only, with make test's own arguments among its cases.


def test_code_shape_masks_literals_and_comments_only():
    en = 'x = f"a {b:>3} c"  # note\nprint("one "\n      "two")\n'
    ko = 'x = f"가 {b:>3} 나"  # 메모\n# 한 줄 더\nprint("하나 둘")\n'
    assert code_shape(ko) == code_shape(en)
    assert code_shape('x = f"{a:>3}"') != code_shape('x = f"{a:>3}" + y')
    assert code_shape('print("a", "b")') != code_shape('print("a" "b")')
    assert code_shape('y = 1\nx = "a"') != code_shape('y = 2\nx = "a"')
    assert code_shape("%matplotlib inline\nx = 1") != code_shape("%matplotlib widget\nx = 1")


# --- the code pieces: what is extracted, what a translation keeps --------------------------------------------

def test_the_extraction_rule():
    source = (
        'fig = plt.figure()  # a comment a learner reads\n'
        '# NBVAL_IGNORE_OUTPUT\n'
        '# two lines of one\n# comment block\n'
        'x = {"tanh": 1, "W_hh": 2, "non-normal": 3, "spectral radius": 4}   # h_t = tanh(a_t)\n'
        'share = "none" if a else "over half" if b else "some"\n'
        'mode = "none"\n'
        'print(f"{name:<6} {\'loss\':>4} {\'grows\' if g else \'decays\'} per step", f"{\'loss\':<6}")\n'
        'ax.set_title(r"$h_t = w h_{t-1}$")\n'
        'print("largest error: "\n      "below 1e-12")\n'
        'y = 1  # a long comment  # noqa: E501\n'
        '%matplotlib inline\n'
    )
    found = [(p.context, p.msgid) for p in translate.pieces(source)]
    assert found == [
        ("code comment", "a comment a learner reads"),
        ("code comment", "two lines of one\ncomment block"),
        ("code", '"spectral radius"'),
        ("code", '"none"'), ("code", '"over half"'), ("code", '"some"'),     # the branches, not mode = "none"
        ("code", "f\"{name:<6} {'loss':>4} {'grows' if g else 'decays'} per step\""),
        ("code", '"largest error: "\n"below 1e-12"'),
        ("code comment", "a long comment"),
    ]
    table = {("code", '"largest error: "\n"below 1e-12"'): '"가장 큰 오차: 1e-12 미만"',
             ("code comment", "two lines of one\ncomment block"): "한 줄짜리 주석",
             ("code comment", "a long comment"): "긴 주석"}
    built = translate.translate_code(source, table)
    assert 'print("가장 큰 오차: 1e-12 미만")' in built and "# 한 줄짜리 주석\nx = " in built
    assert "# NBVAL_IGNORE_OUTPUT" in built and code_shape(built) == code_shape(source)
    assert "y = 1  # 긴 주석  # noqa: E501\n" in built
    with pytest.raises(ValueError, match="does not parse"):
        translate.translate_code('print("one two")', {("code", '"one two"'): '"하나 둘'})


def test_code_kept_names_what_a_literal_translation_lost():
    assert translate.code_kept("code", 'f"{x:.2f} steps"', 'f"{x:.2f} step"') == []
    assert translate.code_kept("code", '"a"\n"b c"', '"가 나 다"') == []
    assert translate.code_kept("code", 'f"{x:.2f} steps"', 'f"{x:.3f} step"')[0].startswith("the replacement")
    assert translate.code_kept("code", 'f"{x} of {y}"', 'f"{y} 중 {x}"') == []
    assert translate.code_kept("code", 'f"{a[\'key\']} at 3"', 'f"{a[\'키\']} 3에서"') == []   # nested strings masked
    assert translate.code_kept("code", '"two of ten"', '"10개 중 2개"')[0].startswith("numbers differ")
    assert translate.code_kept("code", '"300x larger"', '"300배 크다"') == []
    assert translate.code_kept("code", 'r"$h_t$ of x"', 'r"x의 $h_{t}$"')[0].startswith("maths differs")
    assert translate.code_kept("code", '"a b"', "'가 나'")[0].startswith("prefixes or quotes")
    assert translate.code_kept("code", '"a b"', '"가 나')[0].startswith("not a string literal")
    assert translate.code_kept("code comment", "copy i of 3", "사본 i, 3개 중") == []
    assert translate.printed_numbers("x1.5 and 300x, log10 1e-12 at h_2, 1,100 steps, 2D") == \
        Counter({"300": 1, "1e-12": 1, "1,100": 1})


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_code_translations_keep_fields_numbers_and_maths(path):
    problems = [(e.msgctxt, e.msgid, p) for e in catalog(path) if translate.is_code_entry(e)
                and translate._is_current(e) for p in translate.code_kept(e.msgctxt, e.msgid, e.msgstr)]
    assert not problems, "\n".join(f"{c} {m!r}: {p}" for c, m, p in problems)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_code_kept_in_english_says_why(path):
    unexplained = [e.msgid for e in catalog(path) if translate.is_code_entry(e) and not e.obsolete
                   and e.msgstr == e.msgid and not (e.tcomment or "").startswith("kept: ")]
    assert not unexplained, f"kept in English without a '# kept: <why>' translator comment: {unexplained}"


#: Words the Korean prose keeps in English (CONTRIBUTING.md: code and experiment names), and the names of the
#: arrays' axes the code prints.
COURSE_WORDS = frozenset({"seed", "seeds", "lag", "lags", "task", "recall", "explorer", "parameter", "parameters",
                          "forward", "backward", "pass", "budgets", "scale", "bias", "cue", "batch"})
#: Code inside a comment or a printed line: a call with its arguments, derivative notation (dLoss, dH), Greek
#: letters written out.
_CODE_IN_TEXT = re.compile(r"\b[\w.]+\([^()]*\)|\bd[A-Z]\w*|\b(?:alpha|gamma|sigma|rho|eps)\b")


@functools.cache
def bare_names(path: Path) -> frozenset[str]:
    """The bare names in the code of a notebook (tools/translate.py does not extract them: option values and
    dict keys such as "chunked" or "none", which a printed table may show)."""
    names = set()
    for cell in read(path).cells:
        python = translate.python_source(cell.source) if cell.cell_type == "code" else None
        if python:
            names |= {n.value for n in ast.walk(ast.parse(python)) if isinstance(n, ast.Constant)
                      and isinstance(n.value, str) and translate._is_bare(n.value)}
    return frozenset(names)


@functools.cache
def kept_words(path: Path) -> frozenset[str]:
    """The words a Korean text may keep: the course's own English words, the bare names of the notebook's code,
    and the words of the literals the Korean keeps in English on purpose (names the code passes on)."""
    kept = [e.msgstr for e in catalog(path) if translate.is_code_entry(e) and e.msgstr == e.msgid and e.msgstr]
    return COURSE_WORDS | {w.lower() for text in [*kept, *bare_names(path)] for w in re.findall(r"[A-Za-z]+", text)}


def english_in(text: str, path: Path) -> list[str]:
    return english_left(_CODE_IN_TEXT.sub(" ", text), also=kept_words(path))


def reader_text(entry: polib.POEntry) -> str:
    return translate.reader_text(entry.msgstr) if entry.msgctxt == translate.LITERAL else entry.msgstr


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_code_literals_and_comments_have_no_english_left(path):
    left = [(e.msgid, found) for e in catalog(path) if translate.is_code_entry(e) and translate._is_current(e)
            and e.msgstr != e.msgid for found in english_in(reader_text(e), path)]
    assert not left, "English left in Korean code literals or comments: " + repr(left)


#: Outputs that are not prose: rnnlib's own source listed by source.show (code stays English) and the glossary,
#: whose table has an English column by design.
NOT_PROSE = ("source.show(", "GLOSSARY")
#: Lines that are data, not prose: 01's example sentences are English on purpose, since the lag is counted in
#: their words (the Korean prose around them says what they mean).
EXAMPLE_SENTENCES = {sentence for sentence, _, _ in __import__("rnnlib.tasks").tasks.SENTENCE_EXAMPLES.values()}


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_outputs_have_no_english_left(path):
    """Every line a Korean notebook prints or shows as text is Korean (names kept on purpose aside). Lines that
    rnnlib writes (exercise verdicts, explorer readouts, regime words) count too: the package's own catalogs
    (rnnlib/teaching/messages/ko) translate them."""
    left = [(c.id, line.strip()[:90]) for c in korean(path).cells if c.cell_type == "code"
            and not any(mark in c.source for mark in NOT_PROSE)
            for text in text_outputs(c) for line in text.splitlines()
            if line.strip() not in EXAMPLE_SENTENCES and english_in(line, path)]
    assert not left, f"English left in the outputs of notebooks/ko/{path.name}:\n" + "\n".join(map(str, left))


# --- glossary and translations -------------------------------------------------------------------------------

def korean_markdown(path: Path) -> list:
    return [c for c in korean(path).cells if translate.is_translated_cell(c)]


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_uses_the_glossary_terms(path):
    found = [(c.id, alt, term) for c in korean_markdown(path) for alt, term in GLOSSARY.misused(c.source)]
    assert not found, "alternate forms where the glossary has a term (cell, used, required): " + repr(found)


def prose(text: str) -> str:
    """The prose of a markdown cell: maths, code, link targets, quotations and reference entries blanked."""
    text = re.sub(r"^- .*\((?:19|20)\d\d\)\..*$", " ", text, flags=re.M)     # a reference list entry
    text = translate.LINK.sub("]", translate.CODE.sub(" ", translate.MATH.sub(" ", text)))
    return re.sub(r'"[^"\n]*"|“[^”\n]*”|https?://\S+', " ", text)


def _pattern(form: str) -> re.Pattern:
    if re.search(r"[A-Za-z]", form):
        return re.compile(rf"(?<![A-Za-z]){re.escape(form)}(?:s|es)?(?![A-Za-z])", re.I)
    return re.compile(re.escape(form))


def off_policy(text: str, glossary: Glossary = GLOSSARY) -> list[tuple[str, str, str]]:
    """(term, form used, form required) for each use of a term in the form the policy does not write, after the
    term's first use in ``text``. A gloss in parentheses right after the policy form, 가중치(weight), is allowed,
    and so is a form inside a longer glossary term (기울기 in 기울기 소실)."""
    found = []
    for t in glossary.terms:
        form = re.escape(t.prose_form)
        gloss = re.compile(rf"{form}\**\([^()]*\)|\((?=[^()]*{form})[^()]*\)", re.I)
        plain = gloss.sub(lambda m: re.sub(r"\([^()]*\)", lambda p: " " * len(p.group()), m.group()), text)
        longer = [u for u in glossary.terms if u is not t for f in (u.korean, u.english_form)
                  if len(f) > len(t.other_form) and t.other_form.lower() in f.lower()]
        covered = [(m.start(), m.end()) for u in longer for f in (u.korean, u.english_form)
                   if t.other_form.lower() in f.lower() for m in _pattern(f).finditer(plain)]
        uses = sorted([(m.start(), m.end(), True) for m in _pattern(t.prose_form).finditer(plain)]
                      + [(m.start(), m.end(), False) for m in _pattern(t.other_form).finditer(plain)
                         if not any(s <= m.start() and m.end() <= e for s, e in covered)])
        found += [(t.english, plain[s:e], t.prose_form) for i, (s, e, ok) in enumerate(uses) if not ok and i > 0]
    return found


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_prose_keeps_the_term_policy(path):
    cells = korean_markdown(path)
    text = "\n\n".join(prose(c.source) for c in cells)
    found = off_policy(text)
    assert not found, ("terms not in the form the glossary's policy writes (term, used, write instead): "
                       + repr(found))


def test_the_term_policy_check_finds_a_term_in_the_wrong_form():
    assert off_policy("가중치(weight)를 키우면 가중치 공유가 남는다.") == []
    assert off_policy("가중치(weight)를 키우면 weight가 커진다.") == [("weight", "weight", "가중치")]
    assert off_policy("gradient(기울기)는 작다. 기울기 소실에서 기울기가 작다.") == [("gradient", "기울기", "gradient")]
    assert off_policy("학습률을 낮추고 learning rate를 다시") == [("learning rate", "learning rate", "학습률")]
    assert off_policy("곡선(분기, bifurcation)을 지나면 분기가 또 온다.") == []
    assert off_policy(prose("시점 하나. `weight` 와 $weight$, [링크](weight.ipynb), \"weight sharing\"")) == []


def test_each_glossary_term_is_used_where_the_glossary_says_it_is_first_met():
    text = {path.name[:2]: "\n".join(c.source for c in korean_markdown(path)) for path in ENGLISH}
    missing = [(t.korean, t.first_met[:2]) for t in GLOSSARY.terms if t.korean not in text.get(t.first_met[:2], "")]
    assert not missing, f"glossary terms not used in the Korean notebook that first meets them: {missing}"


def test_glossary_finds_an_alternate_but_not_the_term_itself():
    assert ("그래디언트 클리핑", "기울기 클리핑") in GLOSSARY.misused("그래디언트 클리핑으로 자른다")
    assert GLOSSARY.misused("비정상 행렬") == [("비정상 행렬", "비정규 행렬")]
    assert GLOSSARY.misused("경사 소실") == [("경사 소실", "기울기 소실")]       # 경사 (slope) does not hide it
    assert GLOSSARY.misused("기울기 클리핑과 기울기 소실, 장기 의존성") == []
    terms = {t.korean for t in GLOSSARY.terms}
    for required in ("장기 의존성", "기울기 소실", "기울기 폭발", "은닉 상태", "절단 BPTT", "기울기 클리핑",
                     "노름 클리핑", "원소별 클리핑", "업데이트 게이트", "충분조건", "필요조건", "스펙트럼 노름",
                     "비정규 행렬", "일시적 증폭", "직교 초기화", "절벽", "고정점", "분기", "누설 유닛",
                     "가중치", "학습률", "역전파", "망각 게이트", "상한", "갱신", "경사"):
        assert required in terms, required
    for alt, term in GLOSSARY.alternates().items():
        assert alt not in terms, f"{alt} is both a term and an alternate of {term}"


def test_glossary_file_is_checked(tmp_path):
    bad = tmp_path / "glossary.csv"
    bad.write_text("english,korean\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="^path: expected the columns"):
        Glossary.read(bad)
    bad.write_text("english,korean,note,prose,also_seen,wrong,first_met\nx,,,ko,,,01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="^path: line 2 needs"):
        Glossary.read(bad)
    bad.write_text("english,korean,note,prose,also_seen,wrong,first_met\nx,y,,korean,,,01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="^path: line 2 has prose 'korean', expected one of"):
        Glossary.read(bad)


def test_both_editions_of_00_render_the_glossary_file():
    for nb, language in ((read(ENGLISH[0]), "en"), (korean(ENGLISH[0]), "ko")):
        cells = [c for c in nb.cells if c.cell_type == "code" and "GLOSSARY" in c.source]
        assert len(cells) == 1, "00 shows the glossary with one code cell"
        shown = [o.data["text/markdown"] for o in cells[0].outputs if "text/markdown" in o.get("data", {})]
        assert shown == [GLOSSARY.markdown(language=language)], language


def test_each_edition_of_00_links_the_other():
    en = "\n".join(c.source for c in read(ENGLISH[0]).cells if c.cell_type == "markdown")
    ko = "\n".join(c.source for c in korean(ENGLISH[0]).cells if c.cell_type == "markdown")
    assert "](ko/00_index.ipynb)" in en
    assert "](../00_index.ipynb)" in ko


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_translations_keep_maths_code_and_numbers(path):
    problems = [(e.msgctxt, p) for e in catalog(path) if e.msgstr and "fuzzy" not in e.flags and not e.obsolete
                and not translate.is_code_entry(e) for p in translate.kept(e.msgid, e.msgstr)]
    assert not problems, "\n".join(f"cell {c}: {p}" for c, p in problems)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_translations_are_korean_and_their_links_resolve(path):
    for cell in korean_markdown(path):
        if re.search(r"[A-Za-z]{3,}", translate.MATH.sub("", translate.CODE.sub("", cell.source))):
            assert HANGUL.search(cell.source), f"cell {cell.id} has no Korean: {cell.source[:80]!r}"
        for target in re.findall(r"\]\(([^)#:\s]+)", cell.source):
            assert (translate.KOREAN / target).exists(), f"cell {cell.id} links a missing {target}"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_emphasis_renders(path):
    shown = [(e.msgctxt, t) for e in catalog(path) if e.msgstr and not e.obsolete and not translate.is_code_entry(e)
             and not translate.literal_asterisks(e.msgid) for t in translate.literal_asterisks(e.msgstr)]
    assert not shown, ("asterisks shown as text in JupyterLab (write **용어**(term)이 and **lag** $d$는, "
                       "not **용어(term)**이 or **lag $d$**는): " + repr(shown))


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_prose_has_no_italics_on_hangul(path):
    found = [(c.id, t) for c in korean_markdown(path)
             for t in translate.hangul_italics(c.source)]
    assert not found, "italics on Hangul (Korean fonts slant it badly or drop it; use bold): " + repr(found)


def test_the_korean_readme_renders():
    text = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert not translate.literal_asterisks(text), translate.literal_asterisks(text)
    assert not translate.hangul_italics(text), translate.hangul_italics(text)


def test_literal_asterisks_are_found():
    assert translate.literal_asterisks("**용어(term)**이 있다") != []
    assert translate.literal_asterisks("**lag $d$**는 둘 사이") != []       # maths masked as punctuation
    assert translate.literal_asterisks("**lag $d$** is the gap") == []
    assert translate.literal_asterisks("**용어**(term)이, *단서*(clue)는, $h^*$의, `a**b`, **게이트**가") == []
    assert translate.literal_asterisks("**lag** $d$는 둘 사이") == []
    assert translate.masked_like_jupyterlab("$a$와 $$b$$") == "@@0@@와 @@1@@"
    assert translate.hangul_italics("*단서*(clue)와 *France*, **굵게**") == ["단서"]


def test_kept_names_what_a_translation_lost():
    assert translate.kept("a $x_t$ and `f` at 0.5", "`f`와 $x_t$, 0.5") == []
    assert translate.kept("$x_t$ at 0.5", "$x_{t}$, 0.5")[0].startswith("maths differs")
    assert translate.kept("at 0.5 and 3", "0.5")[0].startswith("numbers differ")
    assert translate.kept("call `f`", "f 호출")[0].startswith("code differs")
    assert translate.kept("[01 · x](01_a.ipynb) 1", "[01 · 가](01_a.ipynb) 1") == []
    assert translate.kept("ten seeds at 0.9", "seed 10개, 0.9") == []          # a spelled-out number in digits
    assert translate.kept("seeds at 0.9", "seed 10개, 0.9")[0].startswith("numbers differ")
    assert translate.kept("$d$ and $d$", "$d$")[0].startswith("maths differs")


# --- a changed English sentence, on a temporary copy ---------------------------------------------------------

def copy_course(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    """A temporary English notebook ``name`` with its catalog and its Korean edition."""
    english, locale, ko = tmp_path / "notebooks", tmp_path / "locale", tmp_path / "ko"
    for d in (english, locale, ko):
        d.mkdir()
    source = ROOT / "notebooks" / name
    shutil.copy(source, english / name)
    shutil.copy(translate.catalog_path(source), translate.catalog_path(english / name, locale))
    shutil.copy(translate.korean_path(source), translate.korean_path(english / name, ko))
    return english / name, locale, ko


def test_changing_one_english_sentence_makes_the_drift_test_fail(tmp_path, capsys):
    path, locale, ko = copy_course(tmp_path, "01_short_vs_long_term_dependency.ipynb")
    po_path = translate.catalog_path(path, locale)
    run = lambda check: translate.run(check, english=[path], locale=locale, korean=ko)  # noqa: E731
    before = {s.cell for s in translate.stale(read(path), translate.read_catalog(po_path), po_path.name)}

    nb = read(path)
    cell = next(c for c in translate.translatable(nb) if c.id not in before and ". " in c.source)
    old_english, korean_text = cell.source, translate.current(translate.read_catalog(po_path), cell)
    cell.source = cell.source.replace(". ", ". One more sentence. ", 1)
    nbformat.write(nb, path)

    # the drift test fails on exactly that cell
    after = translate.stale(nb, translate.read_catalog(po_path), po_path.name)
    assert {s.cell for s in after} - before == {cell.id}
    assert run(check=True) == 1
    # make translations: the old Korean is kept as fuzzy, with the old English beside it; still stale
    assert run(check=False) == 0
    po = translate.read_catalog(po_path)
    entry = next(e for e in po if e.msgctxt == cell.id)
    assert entry.msgid == cell.source and "fuzzy" in entry.flags
    assert entry.previous_msgid == old_english and entry.msgstr == korean_text
    assert cell.id in {s.cell for s in translate.stale(nb, po, po_path.name)}
    built = read(translate.korean_path(path, ko))
    assert next(c for c in built.cells if c.id == cell.id).source == cell.source, "a fuzzy entry shows the English"
    printed = capsys.readouterr().out
    assert f"stale: {po_path.name}: cell {cell.id} fuzzy" in printed
    assert any(line.startswith("    + ") and "One more sentence." in line for line in printed.splitlines()), printed
    # the translator updates the Korean and removes the flag: the cell is current again
    entry.msgstr, entry.flags, entry.previous_msgid = korean_text + " 한 문장 더.", [], None
    po.save(str(po_path))
    assert cell.id not in {s.cell for s in translate.stale(nb, translate.read_catalog(po_path), po_path.name)}
    run(check=False)
    built = read(translate.korean_path(path, ko))
    assert next(c for c in built.cells if c.id == cell.id).source == korean_text + " 한 문장 더."
    if not before:
        assert run(check=True) == 0


def test_merge_keeps_translations_through_new_ids_and_deleted_cells(tmp_path):
    path, locale, _ = copy_course(tmp_path, "00_index.ipynb")
    po = translate.read_catalog(translate.catalog_path(path, locale))
    nb = read(path)
    cells = translate.translatable(nb)
    first, second = cells[0], cells[1]
    translated = translate.current(po, first)
    first.id = "renamed1"                              # the same text under a new id keeps its translation
    nb.cells.remove(second)                            # a deleted cell's Korean is kept as obsolete
    nb.cells.append(nbformat.v4.new_markdown_cell("A brand-new cell.", id="brandnew"))
    merged = translate.merge(nb, po)
    assert translate.catalog_text(translate.merge(nb, merged)) == translate.catalog_text(merged), "not idempotent"
    assert translate.current(merged, first) == translated
    assert [e.msgid for e in merged.obsolete_entries()] == ([second.source] if translate.current(po, second) else [])
    stale = translate.stale(nb, merged, "x.po")
    assert ("brandnew", "untranslated") in {(s.cell, s.why) for s in stale}


def test_the_korean_readme_has_the_two_commands_and_the_course_map():
    text = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert "make lab-ko" in text and "make test" in text and "make translations" in text
    assert course.site_url() in text, "README.ko.md: the course website's link"
    lab_ko = re.search(r"^lab-ko:.*\n\t(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert lab_ko and lab_ko.group(1).endswith(" notebooks/ko/00_index.ipynb"), "make lab-ko opens the Korean map"
    for path in ENGLISH:
        assert f"(notebooks/ko/{path.name})" in text, f"README.ko.md does not link notebooks/ko/{path.name}"
    for target in re.findall(r"\]\(([^)#:\s]+)\)", text):
        assert (ROOT / target).exists(), f"README.ko.md links a missing {target}"
    assert not GLOSSARY.misused(text)


def test_changing_one_english_literal_makes_its_entry_stale_and_drops_that_cells_outputs(tmp_path, capsys):
    path, locale, ko = copy_course(tmp_path, "00_index.ipynb")
    po_path, ko_path = translate.catalog_path(path, locale), translate.korean_path(path, ko)
    run = lambda check: translate.run(check, english=[path], locale=locale, korean=ko)  # noqa: E731
    assert run(check=True) == 0
    nb = read(path)
    cell = next(c for c in nb.cells if c.cell_type == "code" and '"Params fields:"' in c.source)
    cell.source = cell.source.replace('"Params fields:"', '"Parameter fields:"')
    nbformat.write(nb, path)
    assert run(check=True) == 1
    assert run(check=False) == 0
    entry = next(e for e in translate.read_catalog(po_path) if e.msgid == '"Parameter fields:"')
    assert entry.msgctxt == "code" and "fuzzy" in entry.flags and entry.previous_msgid == '"Params fields:"'
    assert "stale: 00_index.po: code in cell 506867ea fuzzy" in capsys.readouterr().out
    built = read(ko_path)
    code = next(c for c in built.cells if c.id == cell.id)
    assert '"Parameter fields:"' in code.source and code.outputs == [] and code.execution_count is None
    assert all(c.outputs for c in built.cells if c.cell_type == "code" and c.id != cell.id), "other outputs kept"
    po = translate.read_catalog(po_path)
    entry = next(e for e in po if e.msgid == '"Parameter fields:"')
    entry.msgstr, entry.flags, entry.previous_msgid = '"parameter 필드:"', [], None
    po.save(str(po_path))
    assert run(check=False) == 0
    assert '"parameter 필드:"' in next(c for c in read(ko_path).cells if c.id == cell.id).source
