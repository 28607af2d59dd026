"""Kill rate per maths module from a finished ``mutmut run`` (``make mutation``).

Reads mutants/rnnlib/<module>.py.meta, drops the mutants listed as equivalent in
tests/mutation_equivalents.txt (each with its reason), and prints per module: mutants,
equivalent, killed (killed, timeout or caught), survived, and the kill rate of the
non-equivalent ones. Exits 1 when a module is below the bar (95 %), listing its survivors.
Usage: python tools/mutation_report.py [--bar 0.95] [--survivors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.txt"
KILLED = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}     # mutmut's exit codes for killed, timeout, crash
SURVIVED = {0, 5, 33}                                   # survived, or no test ran it


def equivalents() -> dict[str, str]:
    out = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            assert reason.strip(), f"{name}: an equivalent mutant needs its reason"
            out[name] = reason.strip()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bar", type=float, default=0.95)
    parser.add_argument("--survivors", action="store_true", help="list every surviving mutant")
    args = parser.parse_args()
    equiv = equivalents()
    failing = []
    print(f"{'module':<14}{'mutants':>8}{'equiv':>7}{'killed':>8}{'survived':>9}{'not run':>8}{'kill rate':>11}")
    for meta in sorted((ROOT / "mutants" / "rnnlib").glob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = meta.name.removesuffix(".py.meta")
        eq = [k for k in codes if k in equiv]
        rest = {k: c for k, c in codes.items() if k not in equiv}
        killed = [k for k, c in rest.items() if c in KILLED]
        survived = sorted(k for k, c in rest.items() if c in SURVIVED)
        pending = len(rest) - len(killed) - len(survived)
        rate = len(killed) / max(len(killed) + len(survived), 1)
        print(f"{module:<14}{len(codes):>8}{len(eq):>7}{len(killed):>8}{len(survived):>9}{pending:>8}{rate:>10.1%}")
        if rate < args.bar:
            failing.append(module)
        if args.survivors:
            for name in survived:
                print(f"    survived: {name}")
    if failing:
        print(f"below {args.bar:.0%}: {', '.join(failing)} (mutmut show <name> prints a mutant's diff)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
