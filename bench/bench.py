"""Speed measurements for `make bench`: ratios against a baseline measured in the same run.

1. rnnlib forward + full BPTT against PyTorch's CPU nn.RNN forward + backward (float64, one BLAS
   thread, at every course size), when PyTorch is installed; rnnlib's own times otherwise.
2. Stacked training (bench/bench_stack.py): many models trained as one stack against a loop of solo runs.
3. The sliders of notebook 03 (bench/bench_widgets.py): update latency against rebuilding the figure.

Medians of repeated runs; rnnlib and nn.RNN alternate run by run, so a busy machine slows both
alike. Speeds are reported here, never asserted in the tests. Bar (COURSE.md section 5):
rnnlib / nn.RNN <= 0.5 at (100, 32, 8, 128) and <= 1 at every course size.
Run alone: python bench/bench.py (add --bptt for part 1 only).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: the course sizes (T steps, B batch, D input, H hidden) of the BPTT comparison
SIZES = ((100, 32, 8, 32), (100, 32, 8, 64), (100, 32, 8, 128), (200, 64, 16, 256), (1000, 1, 1, 16))
REPEATS = 31
BAR = {(100, 32, 8, 128): 0.5}                               # rnnlib / nn.RNN; 1 at the other sizes


def rnnlib_step(T: int, B: int, D: int, H: int):
    """rnnlib's forward + full BPTT on one random problem, and its weights for the baseline."""
    import numpy as np

    import rnnlib

    rng = np.random.default_rng(0)
    params = rnnlib.init_params(D, H, 1, rng)
    X = rng.normal(size=(T, B, D))
    dH = rng.normal(size=(T, B, H))

    def run():
        _, cache = rnnlib.rnn_forward(X, params)
        return rnnlib.rnn_backward(dH, cache)

    return run, params, X, dH


def torch_step(params, X, dH):
    """nn.RNN forward + backward on the same weights and inputs (its second bias is zero)."""
    import torch

    H, D = params.W_xh.shape
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        for name, value in (("weight_ih_l0", params.W_xh), ("weight_hh_l0", params.W_hh),
                            ("bias_ih_l0", params.b_h), ("bias_hh_l0", 0.0 * params.b_h)):
            getattr(rnn, name).copy_(torch.from_numpy(value))
    X = torch.tensor(X, requires_grad=True)                 # nn.RNN computes dX too, as rnnlib does
    dH = torch.tensor(dH)

    def run():
        rnn.zero_grad(set_to_none=True)
        X.grad = None
        out, _ = rnn(X)
        out.backward(dH)
        return X.grad, rnn.weight_hh_l0.grad

    return run


def interleaved_medians_ms(fns, repeats: int = REPEATS) -> list[float]:
    """Median wall time of each function, the functions taking turns run by run."""
    for fn in fns:
        fn()  # warm up
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            start = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - start)
    return [1e3 * statistics.median(ts) for ts in times]


def bench_bptt() -> None:
    import numpy as np

    try:
        import torch
    except ImportError:
        torch = None
    print(f"forward + full BPTT, float64, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"numpy {np.__version__}, median of {REPEATS} runs")
    if torch is None:
        print("  (PyTorch is not installed: rnnlib's times only; `pip install torch` to compare)")
    else:
        torch.set_num_threads(1)
        print(f"  PyTorch {torch.__version__}, {torch.get_num_threads()} thread, runs alternating with rnnlib's")
    for T, B, D, H in SIZES:
        ours, params, X, dH = rnnlib_step(T, B, D, H)
        line = f"  T={T:4d} B={B:2d} D={D:2d} H={H:3d}: rnnlib {{:8.2f}} ms"
        if torch is None:
            print(line.format(*interleaved_medians_ms([ours])))
            continue
        theirs = torch_step(params, X, dH)
        dX, _, _, dW_hh, _ = ours()                           # the same computation on both sides
        dX_t, dW_hh_t = (g.numpy() for g in theirs())
        np.testing.assert_allclose(dW_hh, dW_hh_t, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dX, dX_t, rtol=1e-9, atol=1e-12)
        ms = interleaved_medians_ms([ours, theirs])
        bar = BAR.get((T, B, D, H), 1.0)
        ok = "within" if ms[0] / ms[1] <= bar else "OVER"
        print(line.format(ms[0]) + f" | nn.RNN {ms[1]:8.2f} ms | rnnlib / nn.RNN = {ms[0] / ms[1]:.2f}x"
              f" ({ok} the {bar:.2f}x bar)")


def main() -> int:
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
        bench_bptt()
    else:  # OpenBLAS reads its thread count once, when numpy loads it: part 1 runs in a child process
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        subprocess.run([sys.executable, __file__, "--bptt"], env=env, check=True)
    if "--bptt" in sys.argv[1:]:
        return 0
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_stack

    print()
    bench_stack.main()
    try:
        import bench_widgets
    except ImportError:
        return 0
    print()
    bench_widgets.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
