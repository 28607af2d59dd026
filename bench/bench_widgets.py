"""Slider-update latency of every explorer (notebooks 03 and 04), against rebuilding the figure.

One update = what the kernel does after a control moves: recompute the curves, redraw what changed
(the explorer restores its cached background and draws its animated artists), encode the PNG and
push it, the readout and the controls' states into the widgets. Each explorer is driven over its
whole range: every control swept from its minimum to its maximum and back, at the default settings
and at the largest frame (H = 48 and T = 300 where it has them). The baseline, timed in the same run,
rebuilds the figure for each setting (a new figure, drawn from scratch and encoded), as an
``interact`` callback does.

Bars (COURSE.md section 5): median <= 50 ms and max <= 100 ms per explorer, over its whole range. Moves
that change the axes (T, H, the nonlinearity: the background is drawn again, once per frame, then kept)
are reported on their own line.
Run alone: python bench/bench_widgets.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import warnings

BARS = {"median": 50.0, "max": 100.0}
SWEEP = 13          # values per live control, each way
HEAVY_SWEEP = 4     # values per heavy control (H, T: they update on release)
REBUILDS = 9        # rebuilt figures per explorer for the baseline


def _values(c, n: int) -> list:
    if c.kind == "choice":
        return list(c.options)
    steps = round((c.hi - c.lo) / c.step)
    picks = sorted({round(i * steps / (n - 1)) for i in range(n)})
    out = [c.lo + k * c.step for k in picks]
    return [int(round(v)) if c.kind == "int" else round(v, 10) for v in out]


def cases():
    """(explorer name, widget class, {label: settings}) with the default and the largest frame."""
    from rnnlib.teaching import _views as V
    from rnnlib.teaching import widgets as W

    largest = {"scalar": {"T": 300, "nonlinearity": "tanh"}, "contribution": {"T": 300, "nonlinearity": "tanh"},
               "matrix": {"H": 48, "T": 300}, "leak": {"T": 300}, "cliff": {"clip": "norm"}}
    classes = {"scalar": W.ScalarExplorer, "matrix": W.MatrixExplorer, "contribution": W.ContributionExplorer,
               "cliff": W.CliffExplorer, "leak": W.LeakExplorer}
    return [(name, classes[name], {"default": {}, "largest": largest[name]}) for name in V.VIEWS]


def _sweep(explorer) -> list[tuple[float, bool]]:
    """(seconds, whether the axes changed) per update while every control of ``explorer`` moves over its range
    and back."""
    times = []
    start_values = explorer.settings()
    for name, c in explorer.view.controls.items():
        values = _values(c, HEAVY_SWEEP if c.heavy else SWEEP)
        for value in [*values, *values[-2::-1], start_values[name]]:
            if explorer.controls[name].disabled:
                continue                       # a disabled control cannot be moved by the learner
            if explorer.controls[name].value == value:
                continue
            frame = explorer.view._frame
            t = time.perf_counter()
            explorer.controls[name].value = value
            times.append((time.perf_counter() - t, explorer.view._frame != frame))
    return times


def measure() -> list[dict]:
    """Per explorer: median and max in-place update (ms) over its range, median rebuild (ms), and the count."""
    rows = []
    for name, cls, frames in cases():
        times, rebuilt = [], []
        for settings in frames.values():
            explorer = cls(**settings)
            explorer.set(**explorer.settings())          # warm caches (fonts, glyphs)
            if name == "matrix":                         # the shear only moves with the sheared W_hh
                times += _sweep(explorer)
                explorer.set(kind=explorer.view.controls["kind"].options[-1])
            times += _sweep(explorer)
            view_class = type(explorer.view)
            values = _values(next(iter(view_class.controls.values())), REBUILDS)
            first = next(iter(view_class.controls))
            for value in values:
                t = time.perf_counter()
                view_class(**{**settings, first: value})       # new figure, full draw, PNG
                rebuilt.append(time.perf_counter() - t)
            gc.collect()
        live = [t for t, framed in times if not framed]
        framed = [t for t, f in times if f]
        rows.append({"explorer": name, "median_ms": 1e3 * statistics.median(live), "max_ms": 1e3 * max(live),
                     "rebuild_ms": 1e3 * statistics.median(rebuilt), "moves": len(live),
                     "frame_median_ms": 1e3 * statistics.median(framed) if framed else 0.0,
                     "frame_max_ms": 1e3 * max(framed, default=0.0),
                     "frame_moves": len(framed)})
    return rows


def main() -> int:
    warnings.simplefilter("error")
    print("slider update (recompute + redraw what changed + PNG + widgets), every control over its whole range,")
    print("at the default settings and the largest frame; against rebuilding the figure, in the same run")
    rows = measure()
    for r in rows:
        ok = "within" if r["median_ms"] <= BARS["median"] and r["max_ms"] <= BARS["max"] else "OVER"
        print(f"  {r['explorer']:12s} median {r['median_ms']:5.1f} ms, max {r['max_ms']:5.1f} ms over {r['moves']:3d} "
              f"moves ({ok} the {BARS['median']:.0f} / {BARS['max']:.0f} ms bars) | rebuilt each time "
              f"{r['rebuild_ms']:6.1f} ms | rebuild / in place = {r['rebuild_ms'] / r['median_ms']:.1f}x")
        if r["frame_moves"]:
            print(f"  {'':12s} moves that change the axes (T, H; f in the scalar explorers), drawn once then kept: "
                  f"median {r['frame_median_ms']:5.1f} ms, max {r['frame_max_ms']:5.1f} ms "
                  f"over {r['frame_moves']} moves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
