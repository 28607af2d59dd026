"""The course's words in the learner's language: message catalogs, the notebook's language, a Hangul font.

Everything the course writes for a learner to read (exercise verdicts, hints and solutions, explorer
readouts, tooltips and labels, printed verdict lines, figure text) goes through ``tr``::

    print(tr("{name}: correct.", name=name))

The English text is the key; ``messages/<language>/*.json`` map it to the translation (plain data, shipped in
the package, nothing to build). ``setup_notebook(language="ko")`` chooses the language for the notebook's
kernel. Code, identifiers and errors meant for programmers stay English. tests/test_i18n.py checks that every
key used in the package has a translation with the same ``{fields}``, and that no translation is unused.

Korean figure text needs a Hangul font: Noto Sans CJK KR (SIL Open Font License), cut to the characters of
Korean text and shipped in ``fonts/`` (tools/hangul_font.py), so it is there wherever the package is installed.
``figure_rc`` gives the settings that draw the chosen language: English figures keep matplotlib's fonts.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

#: The languages the course speaks; English is the source text.
LANGUAGES = ("en", "ko")
_MESSAGES = Path(__file__).resolve().parent / "messages"
_FONTS = Path(__file__).resolve().parent / "fonts"
_current = {"language": "en"}       # the notebook's language, set once by setup_notebook(language=...)

#: The font of Korean figure text (matplotlib >= 3.6 falls back glyph by glyph along font.family).
HANGUL_FONT = "Noto Sans CJK KR"


def check_language(language: object) -> str:
    """``language`` if the course speaks it, else ValueError naming the argument."""
    if not isinstance(language, str) or language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}; got {language!r}")
    return language


def set_language(language: str) -> None:
    """Make ``language`` the one every later message and figure of this kernel is written in."""
    _current["language"] = check_language(language)


def get_language() -> str:
    """The language messages are written in now ("en" unless the notebook's setup chose another)."""
    return _current["language"]


@cache
def catalog(language: str) -> dict[str, str]:
    """English text -> translation, from every ``messages/<language>/*.json`` (empty for English)."""
    check_language(language)
    merged: dict[str, str] = {}
    for path in sorted((_MESSAGES / language).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if merged.get(key, value) != value:
                raise ValueError(f"{path.name}: {key!r} is translated differently in another file")
            merged[key] = value
    return merged


def tr(message: str, /, language: str | None = None, **fields: object) -> str:
    """``message`` (English, the catalog's key) in ``language`` (default: the notebook's), with ``fields``
    put into its ``{placeholders}``. A message without a translation is shown in English."""
    language = get_language() if language is None else check_language(language)
    text = catalog(language).get(message, message) if language != "en" else message
    return text.format(**fields) if fields else text


#: Data words the code passes on and a learner reads (a regime, a band, a kind of matrix or start, a clipping
#: mode, a kind of dependency): ``word`` shows them in the notebook's language; the values stay English in code.
WORD_MESSAGES = (
    "vanishing", "stable", "exploding",                                   # rnnlib.curves regimes
    "learned", "partly", "chance level",                                  # rnnlib.outcomes.BANDS
    "gaussian", "orthogonal", "non-normal", "identity (tanh)", "spectral radius",   # matrices, rnnlib.init
    "none", "norm", "elementwise",                                        # clipping modes
    "short-term", "long-term",                                            # rnnlib.tasks.SENTENCE_EXAMPLES
)


def word(value: str) -> str:
    """A data word (one of ``WORD_MESSAGES``: "vanishing", "learned", "orthogonal", "norm", ...) as a learner
    reads it in the notebook's language; any other value is returned as it is."""
    if not isinstance(value, str):
        raise ValueError(f"value must be a string (a data word such as 'vanishing'); got {value!r}")
    return tr(value) if value in WORD_MESSAGES else value


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` aligned in ``width`` columns of a fixed-width font, where a wide character (Hangul) takes two, so
    that a table a notebook prints lines up in both editions. ``align``: "<" left, ">" right, "^" centred."""
    import unicodedata

    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {text!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 0:
        raise ValueError(f"width must be a non-negative integer (columns); got {width!r}")
    if align not in ("<", ">", "^"):
        raise ValueError(f"align must be '<', '>' or '^'; got {align!r}")
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return f"{text:{align}{max(width - wide, 0)}}"


def hangul_font_path(weight: str = "Regular") -> Path:
    """The course's Hangul font file: Noto Sans CJK KR cut to Korean text (package data, tools/hangul_font.py)."""
    if weight not in ("Regular", "Bold"):
        raise ValueError(f"weight must be 'Regular' or 'Bold'; got {weight!r}")
    return _FONTS / f"NotoSansCJKkr-{weight}.subset.otf"


@cache
def _register_hangul_font() -> str:
    from matplotlib import font_manager

    for weight in ("Regular", "Bold"):                 # fontweight="bold" finds the bold face of the family
        font_manager.fontManager.addfont(str(hangul_font_path(weight)))
    return font_manager.FontProperties(fname=str(hangul_font_path())).get_name()


def figure_rc(language: str | None = None) -> dict[str, object]:
    """matplotlib settings that draw ``language``'s text: nothing for English; for Korean, the Hangul font
    followed by matplotlib's default font (for any glyph the cut font lacks)."""
    language = get_language() if language is None else check_language(language)
    if language == "en":
        return {}
    import matplotlib as mpl

    # Hangul first: the plain parts of a string with $maths$ are drawn in the first font alone (no fallback);
    # the cut font has Latin, digits, Greek and the minus sign too. The maths keeps the English mathtext fonts.
    return {"font.family": [_register_hangul_font(), *mpl.rcParamsDefault["font.sans-serif"][:1]]}
