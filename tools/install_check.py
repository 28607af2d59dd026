"""The learner's install and the path without make, checked in a throwaway virtual environment.

Usage: python tools/install_check.py [--tests] [--max-mib 450] [--max-seconds 60]

Runs the README's commands without make, on any OS with Python >= 3.10 (CI runs it on Linux and Windows):

1. ``python -m venv``, then ``pip install -e ".[learner]"`` from the package index: prints the size of the
   environment (MiB, every file counted) and the wall time of both steps; fails above the bars
   (450 MiB, 60 s). The learner's environment must hold no test or site tool.
2. ``jupyter lab --version`` starts, the widgets' front end is installed (``jupyter labextension list``),
   and ``import rnnlib; rnnlib.setup_notebook()`` prints its ready line.
3. With ``--tests``: ``pip install -e ".[test]"`` in the same environment, then ``python -m pytest`` on a fast
   subset (the packaging tests and the first-hour test).

The environment lives in a temporary directory and is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: tools of the maintainer's install that a learner's must not pull in
NOT_FOR_LEARNERS = {"pytest", "hypothesis", "nbval", "playwright", "sphinx", "ruff", "mutmut", "myst-nb"}
FAST_TESTS = ["tests/test_package.py", "tests/test_first_hour.py"]


def _bin(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(str(a) for a in args), flush=True)
    run = subprocess.run([str(a) for a in args], cwd=ROOT, text=True, capture_output=True, **kwargs)
    if run.returncode != 0:
        sys.exit(f"failed ({run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}")
    return run


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", action="store_true", help="also install the test extra and run a fast subset")
    parser.add_argument("--max-mib", type=float, default=450.0)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rnnlib-learner-") as tmp:
        venv = Path(tmp) / ".venv"
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        start = time.monotonic()
        _run(sys.executable, "-m", "venv", venv)
        python = _bin(venv, "python")
        _run(python, "-m", "pip", "install", "--quiet", "-e", ".[learner]", env=env)
        seconds = time.monotonic() - start
        mib = size_mib(venv)
        listed = _run(python, "-m", "pip", "list", "--format=freeze", env=env).stdout.splitlines()
        names = {line.split("==")[0].lower().replace("_", "-") for line in listed if "==" in line}
        print(f"learner install: {mib:.0f} MiB, {len(names)} packages, {seconds:.0f} s "
              f"(bars: {options.max_mib:.0f} MiB, {options.max_seconds:.0f} s)")
        problems = []
        if mib > options.max_mib:
            problems.append(f"the learner install is {mib:.0f} MiB, above {options.max_mib:.0f} MiB")
        if seconds > options.max_seconds:
            problems.append(f"the learner install took {seconds:.0f} s, above {options.max_seconds:.0f} s")
        if names & NOT_FOR_LEARNERS:
            problems.append(f"the learner install pulls in maintainer tools: {sorted(names & NOT_FOR_LEARNERS)}")

        jupyter = _bin(venv, "jupyter")
        print("jupyter lab", _run(jupyter, "lab", "--version").stdout.strip())
        extensions = _run(jupyter, "labextension", "list")
        if "@jupyter-widgets/jupyterlab-manager" not in extensions.stdout + extensions.stderr:
            problems.append("JupyterLab has no widgets front end (@jupyter-widgets/jupyterlab-manager)")
        ready = _run(python, "-c", "import rnnlib; rnnlib.setup_notebook()").stdout.strip()
        print(ready)
        if not ready.startswith("rnnlib is ready"):
            problems.append(f"rnnlib.setup_notebook() printed {ready!r}")

        if options.tests:
            start = time.monotonic()
            _run(python, "-m", "pip", "install", "--quiet", "-e", ".[test]", env=env)
            print(f"test extra installed in {time.monotonic() - start:.0f} s")
            out = _run(python, "-m", "pytest", *FAST_TESTS, "-q", "-p", "no:cacheprovider", env=env).stdout
            print(out.strip().splitlines()[-1])
        shutil.rmtree(venv, ignore_errors=True)

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
