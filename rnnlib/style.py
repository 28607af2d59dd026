"""The course's one plotting style: every figure in every notebook goes through ``use_style``."""

from __future__ import annotations

#: Colours for recurring meanings, used by every figure of the course.
COLORS = {
    "vanish": "#1f77b4",    # |w| < 1, decay
    "stable": "#2ca02c",    # |w| = 1
    "explode": "#d62728",   # |w| > 1, growth
    "bound": "#7f7f7f",     # Pascanu's bound, reference lines
    "accent": "#ff7f0e",
    "gate": "#9467bd",      # the gated unit, beside the leaky one
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
    "legend.fontsize": 9,
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
