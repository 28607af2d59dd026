"""Speed measurements for `make bench`: ratios against a baseline measured in the same run.

1. rnnlib forward + full BPTT (rnn_forward and rnn_backward, the functions notebook 02 prints) against
   PyTorch's CPU nn.RNN forward + backward (float64, one thread, at every course size). PyTorch is
   required: without it this part fails (make bench installs it, the bench extra of pyproject.toml).
2. Stacked training (bench/bench_stack.py): many models trained as one stack against a loop of solo runs.
3. The sliders of notebook 03 (bench/bench_widgets.py): update latency against rebuilding the figure.

Medians of repeated runs; rnnlib and nn.RNN alternate run by run, so a busy machine slows both
alike. Speeds are reported here, never asserted in the tests. Bar (COURSE.md section 5):
rnnlib / nn.RNN <= 1 at every course size; the exit status is non-zero when a case is over it or
PyTorch is missing. Run alone: python bench/bench.py (add --bptt for part 1 only).
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
BAR = 1.0                                                    # rnnlib / nn.RNN, at every size
NO_TORCH = ("make bench compares rnnlib with PyTorch's nn.RNN, and PyTorch is not installed here: "
            "pip install -e '.[bench]' (make bench does), then run it again")


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


def bench_bptt() -> int:
    """Part 1: the table, and 0 when every case is within the bar (1 when one is over, 2 without PyTorch)."""
    import numpy as np

    try:
        import torch
    except ImportError:
        print(f"FAILED: {NO_TORCH}", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    print(f"forward + full BPTT, float64, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"numpy {np.__version__}, median of {REPEATS} runs")
    print(f"  PyTorch {torch.__version__}, {torch.get_num_threads()} thread, runs alternating with rnnlib's")
    over = []
    for T, B, D, H in SIZES:
        ours, params, X, dH = rnnlib_step(T, B, D, H)
        theirs = torch_step(params, X, dH)
        dX, _, _, dW_hh, _ = ours()                           # the same computation on both sides
        dX_t, dW_hh_t = (g.numpy() for g in theirs())
        np.testing.assert_allclose(dW_hh, dW_hh_t, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dX, dX_t, rtol=1e-9, atol=1e-12)
        ms = interleaved_medians_ms([ours, theirs])
        ratio = ms[0] / ms[1]
        ok = ratio <= BAR
        if not ok:
            over.append(f"T={T} B={B} D={D} H={H}: {ratio:.2f}x")
        print(f"  T={T:4d} B={B:2d} D={D:2d} H={H:3d}: rnnlib {ms[0]:8.2f} ms | nn.RNN {ms[1]:8.2f} ms | "
              f"rnnlib / nn.RNN = {ratio:.2f}x ({'within' if ok else 'OVER'} the {BAR:.2f}x bar)")
    if over:
        print(f"FAILED: rnnlib is slower than {BAR:.2f}x nn.RNN at {'; '.join(over)}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
        status = bench_bptt()
    else:  # OpenBLAS reads its thread count once, when numpy loads it: part 1 runs in a child process
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        status = subprocess.run([sys.executable, __file__, "--bptt"], env=env).returncode
    if "--bptt" in sys.argv[1:] or status == 2:
        return status
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_stack

    print()
    bench_stack.main()
    try:
        import bench_widgets
    except ImportError:
        return status
    print()
    bench_widgets.main()
    return status


if __name__ == "__main__":
    sys.exit(main())
