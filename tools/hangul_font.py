"""Cut the Korean figures' font, rnnlib/teaching/fonts/NotoSansCJKkr-{Regular,Bold}.subset.otf, from Noto Sans CJK.

Usage: python tools/hangul_font.py [SOURCE_DIR]      (default /usr/share/fonts/opentype/noto: Debian's
       fonts-noto-cjk, `apt-get install fonts-noto-cjk`; the dev extra's fonttools does the cutting)

Noto Sans CJK KR is under the SIL Open Font License 1.1 (rnnlib/teaching/fonts/OFL.txt), which allows a
subset to be shipped with software; its Reserved Font Name ("Source") is not used. The subset keeps the
2,350 Hangul syllables of KS X 1001 (every syllable of ordinary Korean text), the compatibility jamo, and of
ASCII, Latin-1, Greek, punctuation, arrows, super- and subscripts and mathematical operators the glyphs no
wider than matplotlib's DejaVu Sans draws them (the minus sign U+2212 among them, which matplotlib's log-axis
ticks draw in the text font; the one-em-wide ‖ ∂ √ ∑ are left to DejaVu). tests/test_i18n.py checks
that every character of the Korean catalogs and notebooks is in it. matplotlib falls back to its own font for
anything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rnnlib" / "teaching" / "fonts"
FAMILY = "Noto Sans CJK KR"


def ks_x_1001_syllables() -> list[int]:
    """The Hangul syllables that EUC-KR (KS X 1001) encodes: 2,350 of the 11,172."""
    return [c for c in range(0xAC00, 0xD7A4) if _encodes(chr(c))]


def _encodes(char: str) -> bool:
    try:
        return len(char.encode("euc-kr")) == 2      # the other syllables take an 8-byte make-up sequence
    except UnicodeEncodeError:
        return False


def codepoints(font=None) -> list[int]:
    """What the cut keeps: Hangul, and of the rest what the Noto font draws no wider than matplotlib's own
    DejaVu Sans (Noto CJK draws many symbols, such as ‖ ∂ √ ∑, one em wide; those are left to DejaVu, which
    matplotlib falls back to, so "‖∂h_T/∂h_k‖" is as tight in a Korean figure as in an English one)."""
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF), (0x2010, 0x205E), (0x2070, 0x209F),
              (0x2190, 0x21FF), (0x2200, 0x22FF), (0x3000, 0x303F)]
    others = {c for lo, hi in ranges for c in range(lo, hi + 1)}
    if font is not None:
        others = {c for c in others if _not_wider(font, c)}
    return sorted(others | set(range(0x3131, 0x318F)) | set(ks_x_1001_syllables()))


def _dejavu():
    import matplotlib
    from fontTools.ttLib import TTFont

    return TTFont(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"))


def _not_wider(font, codepoint: int, dejavu=None) -> bool:
    """Noto's glyph for ``codepoint`` is at most 30 % wider (per em) than DejaVu Sans's, or DejaVu lacks it
    and it is CJK punctuation."""
    dejavu = dejavu or _DEJAVU()
    noto_cmap, dejavu_cmap = font.getBestCmap(), dejavu.getBestCmap()
    if codepoint not in noto_cmap:
        return False
    if codepoint not in dejavu_cmap:
        return 0x3000 <= codepoint <= 0x303F
    noto = font["hmtx"][noto_cmap[codepoint]][0] / font["head"].unitsPerEm
    ref = dejavu["hmtx"][dejavu_cmap[codepoint]][0] / dejavu["head"].unitsPerEm
    return noto <= 1.3 * ref


_DEJAVU = __import__("functools").cache(_dejavu)


def cut(source: Path, weight: str) -> Path:
    collection = TTCollection(str(source / f"NotoSansCJK-{weight}.ttc"))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY)
    options = subset.Options()
    options.layout_features = []            # matplotlib shapes no text: glyphs by code point only
    options.drop_tables += ["GSUB", "GPOS", "vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints(font))
    subsetter.subset(font)
    path = OUT / f"NotoSansCJKkr-{weight}.subset.otf"
    font.save(str(path))
    return path


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else Path("/usr/share/fonts/opentype/noto")
    OUT.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        path = cut(source, weight)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
