"""Slider-update latency of notebook 03's explorers, against rebuilding the figure on every move.

One update = recompute the curves + redraw + render to PNG (what a learner waits for after moving
a slider). The explorer updates its one figure in place; the baseline does what the usual
``interact`` callback does: a new figure per move, drawn from scratch and saved with a tight
bounding box. Both are timed in the same run, alternating between two neighbouring slider values,
and reported as medians and their ratio.

Bars (COURSE.md section 5): median <= 50 ms at default settings, <= 100 ms at the largest.
Run alone: python bench/bench_widgets.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import warnings

REPEATS = 25
BARS = {"default": 50.0, "largest": 100.0}


def _median_ms(fn, repeats: int = REPEATS) -> float:
    fn(0)  # warm up (first draw caches fonts and glyphs)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def _rebuild_png(draw, curves, legend: bool = True) -> bytes:
    """The naive update: a brand-new figure, drawn and saved as the inline backend saves it."""
    from rnnlib import widgets as W

    with W._style():
        fig = W._agg_figure()
        ax = fig.add_subplot()
        draw(ax, None, curves)
        if legend:
            ax.legend(loc="upper left")
            ax.set_title(curves.readout.split("\n")[0][:90])
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def cases():
    """(explorer name, settings label, explorer factory, slider name, two values, settings)."""
    from rnnlib import widgets as W

    largest_scalar = {**W.SCALAR_DEFAULTS, "T": W.SCALAR_RANGES["T"][1], "nonlinearity": "tanh"}
    largest_matrix = {**W.MATRIX_DEFAULTS, "H": W.MATRIX_RANGES["H"][1], "T": W.MATRIX_RANGES["T"][1]}
    return [
        ("scalar", "default", W.ScalarExplorer, "w", (0.90, 0.91), dict(W.SCALAR_DEFAULTS)),
        ("scalar", "largest", W.ScalarExplorer, "w", (1.98, 1.99), largest_scalar),
        ("matrix", "default", W.MatrixExplorer, "sigma_max", (1.50, 1.55), dict(W.MATRIX_DEFAULTS)),
        ("matrix", "largest", W.MatrixExplorer, "sigma_max", (4.90, 4.95), largest_matrix),
        ("contrib", "default", W.ContributionExplorer, "w", (0.90, 0.91), dict(W.SCALAR_DEFAULTS)),
        ("contrib", "largest", W.ContributionExplorer, "w", (1.98, 1.99), largest_scalar),
    ]


def measure(repeats: int = REPEATS) -> list[dict]:
    """Medians (ms) of the in-place update and of the rebuild-each-time update, per case."""
    from rnnlib import widgets as W

    rows = []
    for name, label, factory, slider, values, settings in cases():
        explorer = factory(**settings)
        control = explorer.controls[slider]
        draw = {"scalar": W._draw_scalar, "matrix": W._draw_matrix, "contrib": W._draw_contributions}[name]

        def in_place(i, control=control, values=values):
            control.value = values[i % 2]          # the observer recomputes, redraws, pushes the PNG

        def rebuild(i, explorer=explorer, slider=slider, values=values, draw=draw):
            curves = explorer.compute({**explorer.settings(), slider: values[i % 2]})
            _rebuild_png(draw, curves)

        fast = _median_ms(in_place, repeats)
        slow = _median_ms(rebuild, repeats)
        rows.append({"explorer": name, "settings": label, "in_place_ms": fast, "rebuild_ms": slow,
                     "bar_ms": BARS[label]})
    return rows


def main() -> int:
    warnings.simplefilter("error")
    print(f"slider update (recompute + redraw + PNG), median of {REPEATS} moves")
    rows = measure()
    for r in rows:
        ok = "within" if r["in_place_ms"] <= r["bar_ms"] else "OVER"
        print(f"  {r['explorer']:7s} {r['settings']:7s}: in place {r['in_place_ms']:6.1f} ms "
              f"({ok} the {r['bar_ms']:.0f} ms bar) | rebuilt each time {r['rebuild_ms']:6.1f} ms | "
              f"rebuild / in place = {r['rebuild_ms'] / r['in_place_ms']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
