"""Stacked training against a loop of solo runs, measured in the same run (for `make bench`).

The notebooks' sweeps train many small models on one task length at once (``rnnlib.stack``).
Here: the five seeds of one lag, and then four starts x five seeds, trained for a few steps
both ways; the ratio is solo time / stacked time (> 1: the stack is faster). Medians.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import rnnlib
from rnnlib import stack, train
from rnnlib.tasks import recall_task

H, D, O, BATCH, STEPS, REPEATS = 16, 6, 4, 32, 20, 7


def _solo(init_fn, seeds, lag):
    def run():
        for s in seeds:
            rng = np.random.default_rng(s)
            train.train(init_fn(rng), lambda r: recall_task(lag, BATCH, r), rng, steps=STEPS)
    return run


def _stacked(init_fn, seeds, lag):
    def run():
        rngs = [np.random.default_rng(s) for s in seeds]
        stack.train(stack.stack([init_fn(r) for r in rngs]), lambda r: recall_task(lag, BATCH, r), rngs, steps=STEPS)
    return run


def _median_ms(fns):
    times = [[] for _ in fns]
    for f in fns:
        f()                                        # warm up
    for _ in range(REPEATS):
        for i, f in enumerate(fns):                # interleaved: the same machine state for both
            t = time.perf_counter()
            f()
            times[i].append(time.perf_counter() - t)
    return [1e3 * statistics.median(t) for t in times]


def main() -> None:
    print(f"stacked training vs a loop of solo runs: H={H} batch {BATCH}, {STEPS} Adam steps, median of {REPEATS}")

    def vanilla(rng):
        return rnnlib.init_params(D, H, O, rng)

    for n_models, lag in ((5, 5), (5, 30), (20, 30)):
        seeds = list(range(n_models))
        solo_ms, stacked_ms = _median_ms([_solo(vanilla, seeds, lag), _stacked(vanilla, seeds, lag)])
        print(f"  {n_models:2d} models, lag {lag:2d}: solo loop {solo_ms:7.1f} ms | stack {stacked_ms:7.1f} ms | "
              f"speed-up {solo_ms / stacked_ms:.1f}x")


if __name__ == "__main__":
    main()
