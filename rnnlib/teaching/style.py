"""The course's one plotting style: every figure in every notebook goes through ``use_style``."""

from __future__ import annotations

#: Colours for recurring meanings, used by every figure of the course: the Okabe-Ito palette, which stays
#: distinguishable under the common colour-vision deficiencies (tests/test_style.py simulates deuteranopia and
#: protanopia). A regime is never told by colour alone: the readouts and legends name it in words.
COLORS = {
    "vanish": "#0072b2",    # |w| < 1, decay (Okabe-Ito blue)
    "stable": "#009e73",    # |w| = 1 (bluish green)
    "explode": "#d55e00",   # |w| > 1, growth (vermillion)
    "bound": "#7f7f7f",     # Pascanu's bound, reference lines (grey)
    "accent": "#e69f00",    # (orange)
    "gate": "#cc79a7",      # the gated unit, beside the leaky one (reddish purple)
}

RC = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 10,      # no text below 10 pt: 11 CSS px or more on the website's desktop column
    "legend.frameon": False,
    "font.size": 10,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the course style to matplotlib's global settings."""
    import matplotlib as mpl

    mpl.rcParams.update(RC)


def regime_color(rate: float) -> str:
    """Colour for a per-step log10 growth rate: decay, neutral or growth."""
    if rate < -1e-12:
        return COLORS["vanish"]
    if rate > 1e-12:
        return COLORS["explode"]
    return COLORS["stable"]


#: Colour of each regime word that ``rnnlib.curves`` measures (its curves' ``regime`` field).
REGIME_COLORS = {"vanishing": COLORS["vanish"], "stable": COLORS["stable"], "exploding": COLORS["explode"]}
