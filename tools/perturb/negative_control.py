"""The perturbation check can fail: a small notebook whose printed numbers sit on the last bits must fail it.

Usage: python tools/perturb/negative_control.py [SEED ...]     (default: seeds 1 2)

In a temporary folder (never in notebooks/), a notebook trains three small recall-task networks (solo vanilla
from an orthogonal start, solo gated, a stack of two vanilla ones) and prints a digest of each one's trained
weights (any last bit changes it) and its final loss with all 17 digits, then 01's count at the edge of
learnability (lag 10 after 200 steps), which the perturbation may or may not move. The notebook is executed
without the hook to store its outputs; nbval must then pass it without the hook (the outputs are reproducible
here), and fail on every training cell under each perturbation seed, under the starting-parameter move alone
(RNNLIB_PERTURB_PARTS=rng) and under the elementwise move alone (ufuncs). Each perturbed kernel must have
logged the hook (RNNLIB_PERTURB_MARKER). Exit status 0 when all of that holds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
HOOK = Path(__file__).resolve().parent

CELLS = [
    "import hashlib\nimport numpy as np\nimport rnnlib\nfrom rnnlib import gated, init, outcomes, stack, tasks, train\n"
    "def digest(params):\n"
    "    return hashlib.sha256(b''.join(np.ascontiguousarray(a).tobytes() for a in params)).hexdigest()[:16]",
    # solo vanilla, orthogonal start (rnnlib.init)
    "rng = np.random.default_rng(3)\n"
    "p = rnnlib.init_params(6, 16, 4, rng, W_hh=init.orthogonal(16, rng))\n"
    "p, hist = train.train(p, lambda r: tasks.recall_task(10, 16, r), rng, steps=30)\n"
    "print('solo vanilla: weights', digest(p), 'final loss', repr(float(hist.loss[-1])))",
    # solo gated
    "rng = np.random.default_rng(4)\n"
    "p = gated.init_gated_params(6, 16, 4, rng)\n"
    "p, hist = train.train(p, lambda r: tasks.recall_task(10, 16, r), rng, steps=30, grad_fn=gated.gated_grad_fn())\n"
    "print('solo gated: weights', digest(p), 'final loss', repr(float(hist.loss[-1])))",
    # stacked vanilla
    "rngs = [np.random.default_rng(s) for s in (5, 6)]\n"
    "p = stack.stack([rnnlib.init_params(6, 16, 4, r) for r in rngs])\n"
    "p, hist, _ = stack.train(p, lambda r: tasks.recall_task(10, 16, r), rngs, steps=30)\n"
    "print('stack: weights', digest(p), 'final losses', [repr(float(v)) for v in hist.loss[:, -1]])",
    # 01's edge count at d = 10 after 200 steps, printed again (it may or may not cross its threshold)
    "acc = stack.lag_sweep({'vanilla': lambda rng: rnnlib.init_params(6, 16, 4, rng)}, [10], list(range(10)),\n"
    "                      steps=200, batch=32, n_test=1000)['vanilla']\n"
    "print(f'learned lag 10 after 200 steps: {int(np.sum(acc >= outcomes.LEARNED))}/10')",
]
TRAINING_CELLS = {1, 2, 3}    # nbval's numbering of code cells


def nbval(path: Path, env: dict[str, str]) -> tuple[int, set[int], str]:
    """Run nbval on one notebook; its exit code, the failed cells, and its output."""
    cmd = [sys.executable, "-m", "pytest", str(path), "--nbval", "--nbval-current-env", "-q", "-rf",
           "-p", "no:cacheprovider", "--rootdir", str(path.parent)]
    proc = subprocess.run(cmd, env=env, cwd=path.parent, capture_output=True, text=True)
    failed = {int(n) for n in re.findall(r"^FAILED .*::Cell (\d+)", proc.stdout, re.M)}
    return proc.returncode, failed, proc.stdout + proc.stderr


def main(argv: list[str]) -> int:
    seeds = [int(s) for s in argv] or [1, 2]
    base = {k: v for k, v in os.environ.items() if not k.startswith("RNNLIB_PERTURB_")}
    base["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH", "")]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "negative_control.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
        NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                       extra_arguments=["--IPKernelApp.log_level=ERROR"],
                       resources={"metadata": {"path": tmp}}).execute()
        nbformat.write(nb, path)
        for cell in nb.cells[1:]:
            print("  stored:", "".join(o.get("text", "") for o in cell.outputs).strip())

        code, failed, out = nbval(path, base)
        if code != 0:
            print(out)
            raise SystemExit("negative control: nbval fails without the hook: the control proves nothing")
        print("  without the hook: nbval passes")

        runs = [(f"seed {s}", {"RNNLIB_PERTURB_SEED": str(s)}) for s in seeds]
        runs += [(f"seed {seeds[0]}, {part} only", {"RNNLIB_PERTURB_SEED": str(seeds[0]), "RNNLIB_PERTURB_PARTS": part})
                 for part in ("rng", "ufuncs")]
        problems, edge_moved = [], []
        for label, extra in runs:
            marker = Path(tmp) / "marker"
            marker.unlink(missing_ok=True)
            env = {**base, **extra, "RNNLIB_PERTURB_MARKER": str(marker),
                   "PYTHONPATH": os.pathsep.join([str(HOOK), base["PYTHONPATH"]])}
            code, failed, out = nbval(path, env)
            logged = marker.read_text().splitlines() if marker.exists() else []
            kernels = [line for line in logged if "ipykernel" in line]
            print(f"  {label}: nbval exit {code}, failed cells {sorted(failed)}, "
                  f"hook logged by {len(kernels)} kernel(s)")
            if not kernels:
                problems.append(f"{label}: the kernel did not install the hook")
            if 4 in failed:
                edge_moved.append(label)
            if code == 0 or not TRAINING_CELLS <= failed:
                problems.append(f"{label}: expected cells {sorted(TRAINING_CELLS)} to fail, got {sorted(failed)}")
    print(f"  01's edge count moved under {len(edge_moved)}/{len(runs)} runs: {edge_moved}")
    if problems:
        print("\n".join(problems))
        return 1
    print("negative control: the perturbation check fails where the last bits matter, as it must")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
