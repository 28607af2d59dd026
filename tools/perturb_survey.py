"""Which stored outputs survive another machine's last bits: execute notebooks under the perturbation hook.

Usage: python tools/perturb_survey.py NOTEBOOK... [--seeds 30] [--first-seed 1] [--dispatch] [--no-baseline] [-j 2]

Each notebook runs in a fresh kernel (nbclient, from its own folder, as tools/regen.py does) once without the
hook (the baseline: this machine as it is), once per perturbation seed (tools/perturb/perturb_hook.py: ±1 ulp
in numpy's transcendental functions, a few ulps in every training run's starting parameters) and, with
--dispatch, once per numpy SIMD dispatch variant this CPU can switch off (NPY_DISABLE_CPU_FEATURES). Every
output nbval would compare is compared with the stored one (tests/nbval_sanitize.cfg applied to both); the
report gives, per cell that differed in some run, the runs it differed in and each distinct changed line with
its frequency. Nothing is written to the notebooks. Exit status 1 when some compared output differed.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import difflib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbval.plugin import find_comment_markers, find_metadata_tags

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "tools" / "perturb"
sys.path.insert(0, str(HOOK))
sys.path.insert(0, str(ROOT / "tools"))
from dispatch_variants import dispatch_variants  # noqa: E402
from regen import stable_outputs  # noqa: E402

SKIP_KEYS = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}


def sanitize_patterns() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of tests/nbval_sanitize.cfg, as nbval reads them."""
    text = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    regexes = re.findall(r"^regex:\s*(.*)$", text, re.M)
    replaces = re.findall(r"^replace:\s*(.*)$", text, re.M)
    return [(re.compile(r), s) for r, s in zip(regexes, replaces, strict=True)]


PATTERNS = sanitize_patterns()


def sanitize(text: str) -> str:
    for regex, replace in PATTERNS:
        text = regex.sub(replace, text)
    return text


def compared(cell) -> bool:
    options = dict(find_metadata_tags(cell.metadata) or {})
    options.update(dict(find_comment_markers(cell.source)))
    return not options.get("skip") and options.get("check", True)


def output_lines(outputs) -> list[str]:
    """The text nbval compares, one line per list entry, each tagged with where it comes from."""
    lines: list[str] = []
    for output in outputs:
        if output.output_type == "stream":
            lines += [f"{output.name}: {line}" for line in sanitize(output.text).splitlines()]
        elif output.output_type == "error":
            lines.append(f"error: {output.ename}: {sanitize(output.evalue)}")
        else:
            for key, value in sorted(output.get("data", {}).items()):
                if key in SKIP_KEYS:
                    continue
                text = value if isinstance(value, str) else "".join(value) if isinstance(value, list) else repr(value)
                lines += [f"{key}: {line}" for line in sanitize(text).splitlines()]
    return lines


def run(path: str, label: str, env: dict[str, str]) -> tuple[str, str, float, dict[int, list[str]], str]:
    """Execute the notebook once in a fresh kernel with env; outputs of every compared code cell."""
    os.environ.update(env)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        marker = Path(tmp) / "marker"
        if "RNNLIB_PERTURB_SEED" in env:
            os.environ["RNNLIB_PERTURB_MARKER"] = str(marker)
        client = NotebookClient(
            nb, timeout=900, kernel_name="python3", allow_errors=True, record_timing=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            resources={"metadata": {"path": str(Path(path).parent)}},
        )
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        kernel_marker = marker.read_text() if marker.exists() else ""
    if "RNNLIB_PERTURB_SEED" in env and "ipykernel" not in kernel_marker:
        raise RuntimeError(f"{path} [{label}]: the perturbation hook was not active in the kernel")
    outs = {}
    for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        outs[index] = output_lines(stable_outputs(cell.outputs))
    return path, label, seconds, outs, kernel_marker


def job(args: tuple[str, str, dict[str, str]]):
    path, label, env = args
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("RNNLIB_PERTURB_") and k != "NPY_DISABLE_CPU_FEATURES"}
    os.environ.clear()
    os.environ.update(base)
    return run(path, label, env)


def changed_lines(stored: list[str], got: list[str]) -> list[str]:
    """Each changed line as 'stored -> got' (a line only on one side shows '' on the other)."""
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=stored, b=got, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = stored[i1:i2], got[j1:j2]
        for k in range(max(len(a), len(b))):
            changes.append(f"{a[k] if k < len(a) else '(none)'!r} -> {b[k] if k < len(b) else '(none)'!r}")
    return changes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--seeds", type=int, default=8, help="number of perturbation seeds (default 8)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--parts", default="ufuncs,rng", help="what the hook moves: ufuncs, rng or both")
    parser.add_argument("--dispatch", action="store_true", help="also run numpy's SIMD dispatch variants")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without any perturbation")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="notebooks executed at once (default 1)")
    args = parser.parse_args(argv)

    hook_env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(HOOK), os.environ.get("PYTHONPATH", "")]))}
    runs: list[tuple[str, dict[str, str]]] = []
    if not args.no_baseline:
        runs.append(("baseline", {}))
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        env = {**hook_env, "RNNLIB_PERTURB_SEED": str(seed), "RNNLIB_PERTURB_PARTS": args.parts}
        runs.append((f"seed {seed}", env))
    if args.dispatch:
        for name, features, why in dispatch_variants():
            if features:
                runs.append((name, {"NPY_DISABLE_CPU_FEATURES": " ".join(features)}))
            else:
                print(f"dispatch variant {name} skipped: {why}")
    jobs = [(str(Path(p).resolve()), label, env) for p in args.notebooks for label, env in runs]
    labels = ", ".join(label for label, _ in runs)
    print(f"{len(args.notebooks)} notebook(s) x {len(runs)} run(s): {labels}", flush=True)

    results: dict[str, dict[str, tuple[float, dict[int, list[str]]]]] = collections.defaultdict(dict)
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for path, label, seconds, outs, _ in pool.map(job, jobs):
            results[path][label] = (seconds, outs)
            print(f"  {Path(path).name} [{label}]: {seconds:.1f} s", flush=True)

    any_diff = False
    for path in dict.fromkeys(j[0] for j in jobs):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        per_run = results[path]
        times = collections.defaultdict(list)
        for label, (seconds, _) in per_run.items():
            times["perturbed" if label.startswith("seed") else label].append(seconds)
        print(f"\n== {Path(path).name}: " + ", ".join(
            f"{k} {sum(v) / len(v):.1f} s" + (f" (mean of {len(v)})" if len(v) > 1 else "") for k, v in times.items()))
        n_seeds = sum(1 for label in per_run if label.startswith("seed"))
        differed = False
        for index, cell in enumerate(code):
            if not compared(cell):
                continue
            stored = output_lines(cell.outputs)
            differing = {label: outs[index] for label, (_, outs) in per_run.items() if outs[index] != stored}
            if not differing:
                continue
            differed = any_diff = True
            seeds = [label for label in differing if label.startswith("seed")]
            others = [label for label in differing if not label.startswith("seed")]
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            print(f"cell {index} (id {cell.get('id', '?')}) {first[:70]!r}")
            also = f" and in: {', '.join(others)}" if others else ""
            print(f"    differs under {len(seeds)}/{n_seeds} seeds{also}")
            counts = collections.Counter(
                line for got in differing.values() for line in dict.fromkeys(changed_lines(stored, got)))
            for line, count in counts.most_common():
                print(f"    {count:3d}x {line[:220]}")
        if not differed:
            print("every compared output identical in every run")
    return 1 if any_diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
