"""Speed measurements for `make bench`: ratios against a baseline measured in the same run.

1. rnnlib forward + full BPTT against PyTorch's CPU nn.RNN forward + backward (float64, course
   sizes), when PyTorch is installed; rnnlib's own times otherwise.
2. The sliders of notebook 03 (bench/bench_widgets.py): update latency against rebuilding the figure.

Medians of repeated runs. Speeds are reported here, never asserted in the tests.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

import rnnlib

T, B, D = 100, 32, 8
HIDDEN = (32, 64, 128)
REPEATS = 30


def median_ms(fn, repeats: int = REPEATS) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def rnnlib_step(H: int):
    rng = np.random.default_rng(0)
    params = rnnlib.init_params(D, H, 1, rng)
    X = rng.normal(size=(T, B, D))
    dH = rng.normal(size=(T, B, H))

    def run():
        _, cache = rnnlib.rnn_forward(X, params)
        rnnlib.rnn_backward(dH, cache)

    return run


def torch_step(H: int):
    import torch

    rng = np.random.default_rng(0)
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh", dtype=torch.float64)
    X = torch.tensor(rng.normal(size=(T, B, D)), requires_grad=True)
    dH = torch.tensor(rng.normal(size=(T, B, H)))

    def run():
        rnn.zero_grad(set_to_none=True)
        out, _ = rnn(X)
        out.backward(dH)

    return run


def bench_bptt() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    print(f"forward + full BPTT, T={T} B={B} D={D} float64, median of {REPEATS} runs")
    if torch is None:
        print("  (PyTorch is not installed: rnnlib's times only; `pip install torch` to compare)")
    else:
        print(f"  PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for H in HIDDEN:
        ours = median_ms(rnnlib_step(H))
        line = f"  H={H:4d}: rnnlib {ours:7.2f} ms"
        if torch is not None:
            theirs = median_ms(torch_step(H))
            line += f" | nn.RNN {theirs:7.2f} ms | rnnlib / nn.RNN = {ours / theirs:.2f}x"
        print(line)


def main() -> int:
    bench_bptt()
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        import bench_widgets
    except ImportError:
        return 0
    print()
    bench_widgets.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
