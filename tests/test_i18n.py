"""The message catalogs (rnnlib/teaching/messages): every text the package passes to ``tr`` has a Korean
translation with the same placeholders, no translation is left over, and the language and font switches
work without touching English figures."""

from __future__ import annotations

import ast
import logging
import string
from pathlib import Path

import pytest

from rnnlib.teaching import i18n

PACKAGE = Path(i18n.__file__).resolve().parent


def _keys_used() -> dict[str, str]:
    """Every literal first argument of a ``tr(...)`` call in rnnlib.teaching -> where it is."""
    used: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr":
                if not node.args:
                    continue
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    used.setdefault(first.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
                elif path.name != "i18n.py":
                    # a computed key cannot be checked here: it must be one of the module's *_MESSAGES tables
                    assert isinstance(first, (ast.Name, ast.Subscript, ast.Attribute, ast.Call)), (
                        f"{path.name}:{node.lineno}: tr() takes a literal or a name, not {ast.dump(first)[:60]}"
                    )
    return used


def _keys_listed() -> set[str]:
    """Texts a module lists for ``tr`` in a table (``NAME_MESSAGES = {...}`` or ``(...)``: values or items)."""
    listed: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "id", "").endswith("_MESSAGES") for t in targets) and node.value is not None:
                    for sub in ast.walk(node.value):
                        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                            listed.add(sub.value)
    return listed


def _fields(text: str) -> set[str]:
    return {f"{{{name}{':' + spec if spec else ''}}}" for _, name, spec, _ in string.Formatter().parse(text)
            if name is not None}


def test_every_text_passed_to_tr_is_translated_with_its_placeholders():
    korean = i18n.catalog("ko")
    used = _keys_used()
    assert used, "no tr() call found"
    missing = {k: where for k, where in used.items() if k not in korean}
    assert not missing, f"untranslated: {missing}"
    for key in used:
        assert _fields(korean[key]) == _fields(key), f"placeholders differ: {key!r} -> {korean[key]!r}"


def test_no_translation_is_left_over():
    used = set(_keys_used()) | _keys_listed()
    unused = sorted(set(i18n.catalog("ko")) - used)
    assert not unused, f"translations no code uses: {unused}"


def test_every_translation_is_korean():
    for key, value in i18n.catalog("ko").items():
        assert value.strip(), key
        assert any("\uac00" <= c <= "\ud7a3" for c in value) or value == key, f"not Korean: {key!r} -> {value!r}"


def test_tr_formats_and_falls_back_and_refuses_unknown_languages():
    assert i18n.tr("{a} and {b:.1f}", a=1, b=2.25) == "1 and 2.2"
    assert i18n.tr("rnnlib is ready: numpy, matplotlib and ipywidgets are recent enough.", language="ko") \
        .startswith("rnnlib 준비")
    with pytest.raises(ValueError, match="language must be one of 'en', 'ko'; got 'fr'"):
        i18n.set_language("fr")
    with pytest.raises(ValueError, match="language"):
        i18n.tr("x", language=3)


def test_setup_notebook_sets_the_language_and_korean_fonts_only_for_korean(capsys):
    import matplotlib as mpl

    from rnnlib.teaching.course import setup_notebook

    before = mpl.rcParams["font.family"]
    try:
        setup_notebook(language="ko")
        assert i18n.get_language() == "ko"
        assert mpl.rcParams["font.family"][0] == i18n.HANGUL_FONT
        assert "준비" in capsys.readouterr().out
        setup_notebook()
        assert i18n.get_language() == "en"
        assert mpl.rcParams["font.family"] == before
        assert "ready" in capsys.readouterr().out
        with pytest.raises(ValueError, match="language"):
            setup_notebook(language="Korean")
    finally:
        i18n.set_language("en")
        mpl.rcParams["font.family"] = before


class _Glyphs(logging.Handler):
    def __init__(self):
        super().__init__()
        self.missing: list[str] = []

    def emit(self, record):
        if "glyph" in record.getMessage().lower():
            self.missing.append(record.getMessage())


def draw_without_missing_glyphs(draw, language: str = "ko"):
    """Run ``draw`` (which makes figures) in ``language`` with missing-glyph warnings and logs as errors,
    save every figure it left open, close them, and return the figures' texts."""
    import warnings

    import matplotlib as mpl
    import matplotlib.pyplot as plt

    handler = _Glyphs()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    texts: list[str] = []
    previous = i18n.get_language()
    try:
        i18n.set_language(language)
        with warnings.catch_warnings(), mpl.rc_context(i18n.figure_rc(language)):
            warnings.filterwarnings("error", message=".*[Gg]lyph.*")
            draw()
            for number in plt.get_fignums():
                fig = plt.figure(number)
                fig.savefig(__import__("io").BytesIO(), format="png")
                texts += [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text()]
    finally:
        plt.close("all")
        i18n.set_language(previous)
        logger.removeHandler(handler)
    assert not handler.missing, handler.missing
    return texts


def test_the_hangul_font_draws_hangul_beside_maths_and_english_figures_are_untouched():
    import matplotlib.pyplot as plt

    def draw():
        fig, ax = plt.subplots()
        ax.set_title("기울기 노름, $\\sigma_{\\max} = 1.2$, ρ ≤ 1")
        ax.plot([0, 1], [-1, 1], label="지연 $d$")
        ax.legend()

    texts = draw_without_missing_glyphs(draw)
    assert any("기울기" in t for t in texts)
    assert i18n.figure_rc("en") == {}
    with pytest.raises(ValueError, match="weight must be 'Regular' or 'Bold'; got 'Light'"):
        i18n.hangul_font_path("Light")


def _korean_texts() -> str:
    """Every character the Korean edition writes: its catalogs and its notebooks (prose, code, outputs)."""
    import json

    root = PACKAGE.parent.parent
    parts = list(i18n.catalog("ko").values())
    for path in sorted((root / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb")):
        parts.append(path.read_text(encoding="utf-8"))
    for path in sorted((root / "locale" / "ko" / "LC_MESSAGES").glob("*.po")):
        parts.append(path.read_text(encoding="utf-8"))
    return json.dumps(parts, ensure_ascii=False)


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_the_cut_font_has_every_hangul_syllable_the_korean_edition_writes(weight):
    """tools/hangul_font.py keeps the 2,350 syllables of KS X 1001; a rarer one in a catalog or notebook would
    be drawn by no font (matplotlib's own has no Hangul)."""
    from matplotlib.ft2font import FT2Font

    cmap = FT2Font(str(i18n.hangul_font_path(weight))).get_charmap()
    hangul = {c for c in _korean_texts() if "\uac00" <= c <= "\ud7a3" or "\u3131" <= c <= "\u318e"}
    assert len(hangul) > 500
    assert not sorted(c for c in hangul if ord(c) not in cmap)
    for needed in "\u2212ρσλγ":                            # the minus of log ticks, Greek
        assert ord(needed) in cmap, needed
    for wide in "‖∂√∑":                                     # one em wide in Noto CJK: left to DejaVu Sans
        assert ord(wide) not in cmap, wide


def test_data_words_read_in_the_notebooks_language_and_stay_english_in_english():
    for value in i18n.WORD_MESSAGES:
        assert i18n.word(value) == value
        korean = i18n.tr(value, language="ko")
        assert korean != value and any("\uac00" <= c <= "\ud7a3" for c in korean), value
    assert i18n.word("tanh") == "tanh"                       # not a data word of the table: as it is
    previous = i18n.get_language()
    try:
        i18n.set_language("ko")
        assert i18n.word("vanishing") == "소실" and i18n.word("learned") == "학습함"
    finally:
        i18n.set_language(previous)
    with pytest.raises(ValueError, match="value must be a string"):
        i18n.word(3)


def test_pad_counts_a_hangul_character_as_two_columns():
    def columns(text):
        return sum(2 if "\uac00" <= c <= "\ud7a3" else 1 for c in text)

    assert i18n.pad("abc", 6) == "abc   " and i18n.pad("abc", 6, ">") == "   abc"
    assert i18n.pad("갱신", 6) == "갱신  " and columns(i18n.pad("갱신 200번", 12)) == 12
    assert columns(i18n.pad("기울기", 9, "^")) == 9 and i18n.pad("기울기", 9, "^").strip() == "기울기"
    assert i18n.pad("긴 이름이다", 4) == "긴 이름이다"             # longer than the width: as it is
    for bad, match in (((3, 4), "text"), (("a", -1), "width"), (("a", 2.0), "width"), (("a", 2, "="), "align")):
        with pytest.raises(ValueError, match=match):
            i18n.pad(*bad)
