"""numpy's SIMD dispatch variants this CPU can run: the NPY_DISABLE_CPU_FEATURES value of each.

Usage: python tools/dispatch_variants.py NAME     prints the feature names to switch off for variant NAME
       (no-avx512: numpy's AVX-512 dispatch groups off, as on an AVX2 machine; no-avx2: AVX2 groups off as
       well, as on an older machine), or nothing when this CPU or this numpy has no such group.
       python tools/dispatch_variants.py          lists every variant with a line on each.

The names are read from the running numpy's dispatch list (numpy._core._multiarray_umath.__cpu_dispatch__):
they differ between numpy versions, and a name not in the list makes numpy emit an ImportWarning.
"""

from __future__ import annotations

import sys

AVX512 = ("AVX512", "X86_V4")          # name prefixes of the AVX-512 groups (numpy 2.0: AVX512F, AVX512_SKX, ...)
AVX2 = ("X86_V3", "AVX2", "FMA3", "F16C", "AVX")    # AVX and AVX2 groups (numpy >= 2.4: X86_V3)


def dispatch_variants() -> list[tuple[str, list[str], str]]:
    """(name, features to disable, why skipped) for no-avx512 and no-avx2; empty features: skip."""
    try:
        from numpy._core import _multiarray_umath as m
    except ImportError:  # numpy < 2
        from numpy.core import _multiarray_umath as m
    dispatch, features = list(m.__cpu_dispatch__), m.__cpu_features__
    variants = []
    for name, prefixes in (("no-avx512", AVX512), ("no-avx2", AVX512 + AVX2)):
        groups = [f for f in dispatch if f.startswith(prefixes)]
        usable = [f for f in groups if features.get(f)]
        if not groups:
            variants.append((name, [], f"numpy's dispatch list {dispatch} has no such group"))
        elif not usable:
            variants.append((name, [], f"this CPU has none of {groups}"))
        elif name == "no-avx2" and not any(f.startswith(AVX2) for f in usable):
            variants.append((name, [], f"this CPU has none of the AVX2 groups in {dispatch}"))
        else:
            variants.append((name, usable, ""))
    return variants


def main(argv: list[str]) -> int:
    variants = dispatch_variants()
    if argv:
        for name, features, _ in variants:
            if name == argv[0]:
                print(" ".join(features))
                return 0
        raise SystemExit(f"unknown variant {argv[0]!r}: expected one of {[v[0] for v in variants]}")
    for name, features, why in variants:
        print(f"{name}: NPY_DISABLE_CPU_FEATURES={' '.join(features)!r}" if features else f"{name}: skipped, {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
