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

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
import polib
import pytest

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
def test_every_english_markdown_cell_has_a_current_translation(path):
    stale = translate.stale(read(path), catalog(path), translate.catalog_path(path).name)
    assert not stale, "Korean translations missing or out of date (make translations lists them):\n" + "\n".join(
        map(str, stale))


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_catalog_is_what_the_tool_writes(path):
    po_path = translate.catalog_path(path)
    expected = translate.catalog_text(translate.merge(read(path), catalog(path)))
    assert po_path.read_text(encoding="utf-8") == expected, f"{po_path.name} is not up to date: make translations"


# --- twins and build -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_notebook_is_the_english_twin(path):
    en, ko = read(path), korean(path)
    assert ko.metadata == en.metadata
    assert [(c.cell_type, c.id) for c in ko.cells] == [(c.cell_type, c.id) for c in en.cells]
    for e, k in zip(en.cells, ko.cells):
        if e.cell_type == "code":
            assert k.source == e.source, f"code cell {e.id}: the source differs from {path.name}"
            assert k.outputs == e.outputs, f"code cell {e.id}: the outputs differ from {path.name}"
            assert k.execution_count == e.execution_count
            assert k.metadata == e.metadata
        elif "badges" in e.metadata.get("tags", []):
            assert k.source == badges_markdown(f"ko/{path.name}")
            assert f"notebooks/ko/{path.name}" in k.source
    setup = [c for c in ko.cells if "setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1 and setup[0].source == setup_cell_source()


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_korean_notebook_is_what_the_tool_builds(path):
    expected = translate.notebook_text(translate.build(read(path), catalog(path), path.name))
    actual = translate.korean_path(path).read_text(encoding="utf-8")
    assert actual == expected, f"notebooks/ko/{path.name} differs from what the tool builds: make translations"


def test_the_tool_check_passes():
    assert translate.run(check=True) == 0, "python tools/translate.py --check fails: make translations"


# nbval collects the English lessons only, never notebooks/ko/: tests/test_first_hour.py's
# test_nbval_collects_the_english_lessons_only, with make test's own arguments among its cases.


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
    for nb in (read(ENGLISH[0]), korean(ENGLISH[0])):
        cells = [c for c in nb.cells if c.cell_type == "code" and "GLOSSARY" in c.source]
        assert len(cells) == 1, "00 shows the glossary with one code cell"
        shown = [o.data["text/markdown"] for o in cells[0].outputs if "text/markdown" in o.get("data", {})]
        assert shown == [GLOSSARY.markdown()]


def test_each_edition_of_00_links_the_other():
    en = "\n".join(c.source for c in read(ENGLISH[0]).cells if c.cell_type == "markdown")
    ko = "\n".join(c.source for c in korean(ENGLISH[0]).cells if c.cell_type == "markdown")
    assert "](ko/00_index.ipynb)" in en
    assert "](../00_index.ipynb)" in ko


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_translations_keep_maths_code_and_numbers(path):
    problems = [(e.msgctxt, p) for e in catalog(path) if e.msgstr and "fuzzy" not in e.flags and not e.obsolete
                for p in translate.kept(e.msgid, e.msgstr)]
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
    shown = [(e.msgctxt, t) for e in catalog(path) if e.msgstr and not e.obsolete
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
