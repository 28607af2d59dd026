"""Mutation testing scoped to what changed: CI's check that the tests have not silently weakened.

The full run (``make mutation``, about an hour here) ends with ``baseline``: it writes
tests/mutation_baseline.json, the sha256 of every mutated module's source, of every test file
that runs its code (read from mutmut's own test-to-function map) and of its lines in
tests/mutation_equivalents.txt. ``check`` (``make mutation-changed``,
called by .ci/run) compares today's files with that baseline. A module whose source or whose tests
changed gets a fixed-seed sample of its mutants (at most ``--per-module``, all when it has fewer;
the equivalents of tests/mutation_equivalents.txt left out), run by mutmut in a scratch copy of the
project narrowed to those modules; the check fails when a module kills fewer than ``--bar`` of its
sample. The cap bounds the run whatever changed: 10 modules x 50 mutants at most.

Usage: python tools/mutation_scope.py baseline | changed | check [--per-module 50] [--seed 0] [--bar 0.95]
``changed`` prints the modules to check, or one line saying there are none and exits 3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_report import EQUIVALENTS, KILLED, SURVIVED, equivalents  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "mutation_baseline.json"
COPIED = ("pyproject.toml", "rnnlib", "tests", "tools")      # what a scratch copy needs to build and test rnnlib


_ONLY_MUTATE = re.compile(r"only_mutate = (\[[^\]]*\])")


def _only_mutate() -> list[str]:
    """[tool.mutmut] only_mutate of pyproject.toml (a list of quoted paths; tomllib needs Python 3.11)."""
    found = _ONLY_MUTATE.search((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert found, "pyproject.toml: [tool.mutmut] only_mutate not found"
    return json.loads(found.group(1))


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _equivalents_sha(path: str) -> str:
    """sha256 of the module's lines in tests/mutation_equivalents.txt: a new equivalent is a change to its tests."""
    prefix = _module(path) + ".x"
    lines = sorted(line.strip() for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines()
                   if line.strip().startswith(prefix))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _module(path: str) -> str:
    """rnnlib/teaching/curves.py -> rnnlib.teaching.curves (the prefix of its mutants' names)."""
    return path.removesuffix(".py").replace("/", ".")


def baseline(stats_path: Path, modules: list[str] | None = None) -> int:
    """Write the baseline from a finished run: each module's source hash and its tests' hashes.

    modules: only these (a run narrowed to them passed), kept beside the entries already there; default: every
    module of only_mutate (the full run), replacing the file.
    """
    stats = json.loads(stats_path.read_text(encoding="utf-8"))["tests_by_mangled_function_name"]
    out = json.loads(BASELINE.read_text(encoding="utf-8"))["modules"] if modules and BASELINE.is_file() else {}
    for path in modules or _only_mutate():
        assert path in _only_mutate(), f"{path}: not in [tool.mutmut] only_mutate"
        prefix = _module(path) + ".x"
        files = sorted({t.split("::")[0] for name, tests in stats.items() if name.startswith(prefix) for t in tests})
        assert files, f"{path}: no test runs it in {stats_path} (was it mutated in that run?)"
        out[path] = {"source": _sha(ROOT / path), "tests": {f: _sha(ROOT / f) for f in files},
                     "equivalents": _equivalents_sha(path)}
    BASELINE.write_text(json.dumps({"modules": out}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"mutation baseline: {len(modules or out)} modules written to {BASELINE.relative_to(ROOT)}")
    return 0


def changed_modules() -> list[str]:
    """The modules of only_mutate whose source or any test file that runs them differs from the baseline."""
    known = json.loads(BASELINE.read_text(encoding="utf-8"))["modules"] if BASELINE.is_file() else {}
    out = []
    for path in _only_mutate():
        entry = known.get(path)
        if (entry is None or entry["source"] != _sha(ROOT / path)
                or any(_sha(ROOT / f) != h for f, h in entry["tests"].items())
                or entry.get("equivalents") != _equivalents_sha(path)):
            out.append(path)
    return out


def _mutmut(scratch: Path, *names: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "mutmut"), "run", "--max-children", "1", *names],
                   cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def check(per_module: int, seed: int, bar: float, keep: Path | None, only: list[str] | None = None) -> int:
    modules = [m for m in changed_modules() if not only or m in only]
    if not modules:
        print(f"mutation-changed: nothing to run: no mutated module nor its tests changed since "
              f"{BASELINE.relative_to(ROOT)}")
        return 0
    start = time.monotonic()
    print(f"mutation-changed: {', '.join(modules)} changed since {BASELINE.relative_to(ROOT)}; "
          f"up to {per_module} mutants each (seed {seed})", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="mutation-scope-"))
    try:
        for name in COPIED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, scratch / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
            else:
                shutil.copy2(src, scratch / name)
        # the scratch copy mutates only the changed modules (the project's pyproject.toml is left alone)
        text = (scratch / "pyproject.toml").read_text(encoding="utf-8")
        narrowed = _ONLY_MUTATE.sub("only_mutate = " + json.dumps(modules), text, count=1)
        (scratch / "pyproject.toml").write_text(narrowed, encoding="utf-8")
        # 1. generate the mutants and mutmut's map of tests (a pattern that matches no mutant runs none)
        _mutmut(scratch, "rnnlib.no_such_module.*")
        equiv = equivalents()
        rng = random.Random(seed)
        sample: dict[str, list[str]] = {}
        for path in modules:
            meta = scratch / "mutants" / (path + ".meta")
            names = sorted(k for k in json.loads(meta.read_text())["exit_code_by_key"] if k not in equiv)
            sample[path] = sorted(rng.sample(names, min(per_module, len(names))))
        # 2. run the sample
        _mutmut(scratch, *(n for names in sample.values() for n in names))
        failing = []
        for path, names in sample.items():
            codes = json.loads((scratch / "mutants" / (path + ".meta")).read_text())["exit_code_by_key"]
            killed = [n for n in names if codes.get(n) in KILLED]
            survived = [n for n in names if codes.get(n) in SURVIVED]
            other = [n for n in names if n not in killed and n not in survived]
            rate = len(killed) / max(len(killed) + len(survived), 1)
            print(f"  {path:<22} {len(names):>3} of its mutants: {len(killed)} killed, {len(survived)} survived"
                  f"{f', {len(other)} not run' if other else ''}: {rate:.1%}")
            for n in survived:
                print(f"    survived: {n}")
            if rate < bar or other:
                failing.append(path)
        print(f"mutation-changed: {time.monotonic() - start:.0f} s")
        if failing:
            print(f"below {bar:.0%} (or not run): {', '.join(failing)}; `mutmut show <name>` in a full run prints a "
                  "mutant's diff")
            return 1
        return 0
    finally:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(scratch, keep)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("baseline", "changed", "check"))
    parser.add_argument("--per-module", type=int, default=50, help="mutants drawn per changed module (a cap)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bar", type=float, default=0.95)
    parser.add_argument("--stats", type=Path, default=ROOT / "mutants" / "mutmut-stats.json",
                        help="baseline: mutmut's stats of the full run")
    parser.add_argument("--modules", nargs="*", help="baseline, check: only these modules (paths as in only_mutate)")
    parser.add_argument("--keep", type=Path, help="check: keep the scratch copy here (to inspect survivors)")
    args = parser.parse_args()
    if args.command == "baseline":
        return baseline(args.stats, args.modules)
    if args.command == "changed":
        modules = changed_modules()
        print(" ".join(modules) if modules else f"mutation-changed: nothing to run: no mutated module nor its tests "
              f"changed since {BASELINE.relative_to(ROOT)}")
        return 0 if modules else 3
    return check(args.per_module, args.seed, args.bar, args.keep, args.modules)


if __name__ == "__main__":
    sys.exit(main())
