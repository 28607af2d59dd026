"""The equivalent mutants of tests/mutation_equivalents.txt that a test can run: each is rebuilt from the function's
source with the one edit mutmut made, and gives the same results as the original on random inputs.

``make mutation`` leaves equivalent mutants out of the kill rate; this file shows that those listed with a test name
here change no result (an entry without one gives its reason in prose: a literal written another way, a zip that
cannot differ in length).
"""

from __future__ import annotations

import inspect
import textwrap
import warnings

import numpy as np
import pytest

import rnnlib
from rnnlib import jacobian, stack
from rnnlib.teaching import curves


def mutant(module, name: str, old: str, new: str):
    """``module.name`` with the one text edit old -> new (which must occur exactly once), compiled beside it."""
    source = textwrap.dedent(inspect.getsource(getattr(module, name)))
    assert source.count(old) == 1, f"{name}: {old!r} occurs {source.count(old)} times"
    namespace = dict(vars(module))
    exec(compile(source.replace(old, new), module.__file__, "exec"), namespace)
    return namespace[name]


def same(a, b) -> bool:
    """Equal results: the same bits in every array (NaN where NaN), equal everything else."""
    if isinstance(a, tuple):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b, equal_nan=True) and np.asarray(a).dtype == np.asarray(b).dtype
    return a == b or (a != a and b != b)


def _scalar_settings(rng):
    return (float(rng.choice([-1.0, 1.0]) * rng.uniform(0.0, 3.0)), int(rng.integers(1, 100)),
            str(rng.choice(["linear", "tanh", "sigmoid"])), float(rng.uniform(0.0, 2.0)), float(rng.uniform(-1, 1)),
            int(rng.integers(0, 5)))


def _matrix_kind(rng):
    return "non-normal", int(rng.integers(1, 40)), int(rng.integers(0, 100))


def _leak_settings(rng):
    return float(rng.choice([rng.uniform(0.01, 1.0), 1.0])), int(rng.integers(1, 60)), int(rng.integers(0, 5))


def _matrix_settings(rng):
    return (float(rng.uniform(0.1, 3.0)), str(rng.choice(curves.MATRIX_KINDS)), int(rng.integers(1, 12)),
            int(rng.integers(1, 40)), str(rng.choice(["linear", "tanh", "sigmoid"])), float(rng.uniform(0.0, 2.0)),
            int(rng.integers(0, 5)))


def _chain_settings(rng):
    H, T = int(rng.integers(1, 8)), int(rng.integers(1, 30))
    return rng.normal(size=(H, H)), rng.normal(size=(T, H)) - 1.0, 2 if rng.random() < 0.5 else "fro"


def _stack_settings(rng):
    S, T, B, D, H = (int(rng.integers(1, 5)) for _ in range(5))
    p = stack.stack([rnnlib.init_params(D, H, 2, rng) for _ in range(S)])
    return rng.normal(size=(T, S, B, D)), p, str(rng.choice(["linear", "tanh", "sigmoid"])), None


# (module, function, the edit, a draw of random arguments): the mutant named in tests/mutation_equivalents.txt
EDITS = {
    "scalar_states: errstate without invalid": (
        curves, "scalar_states", 'np.errstate(over="ignore", invalid="ignore")', 'np.errstate(over="ignore", )',
        _scalar_settings),
    "scalar_states: errstate invalid=None": (
        curves, "scalar_states", 'np.errstate(over="ignore", invalid="ignore")',
        'np.errstate(over="ignore", invalid=None)', _scalar_settings),
    "contribution_curves: input_scale / one": (
        curves, "contribution_curves", "W_xh=input_scale * one", "W_xh=input_scale / one", _scalar_settings),
    "contribution_curves: w / one": (
        curves, "contribution_curves", "W_hh=w * one", "W_hh=w / one", _scalar_settings),
    "contribution_curves: reach with >": (
        curves, "contribution_curves", "contrib >= REACH_SHARE", "contrib > REACH_SHARE", _scalar_settings),
    "contribution_curves: flat below or at 2 decades": (
        curves, "contribution_curves", "finite.min() < 2.0", "finite.min() <= 2.0", _scalar_settings),
    "recurrent_matrix: nonnormal's default radius": (
        curves, "recurrent_matrix", "radius=0.9, shear=1.0", "shear=1.0", _matrix_kind),
    "recurrent_matrix: nonnormal's default shear": (
        curves, "recurrent_matrix", "radius=0.9, shear=1.0", "radius=0.9, ", _matrix_kind),
    "leak_curves: two outputs": (
        curves, "leak_curves", "init_gated_params(D, H, 1, rng, gate_bias=gate_bias)",
        "init_gated_params(D, H, 2, rng, gate_bias=gate_bias)", _leak_settings),
    "matrix_curves: transient growth from log10(2) on": (
        curves, "matrix_curves", "peak > TRANSIENT", "peak >= TRANSIENT", _matrix_settings),
    "matrix_curves: the edge without its boundary": (
        curves, "matrix_curves", "abs(gamma * sigma - 1.0) <= EDGE", "abs(gamma * sigma - 1.0) < EDGE",
        _matrix_settings),
    "matrix_curves: guaranteed at exactly 1": (
        curves, "matrix_curves", "gamma * sigma < 1.0 and not edge", "gamma * sigma <= 1.0 and not edge",
        _matrix_settings),
    "matrix_curves: compute_uv=None": (
        curves, "matrix_curves", "compute_uv=False", "compute_uv=None", _matrix_settings),
    "jacobian_log10_norms: shape[1]": (
        jacobian, "jacobian_log10_norms", "np.eye(W_hh.shape[0])", "np.eye(W_hh.shape[1])", _chain_settings),
    "stack._forward: no reused buffer": (
        stack, "_forward", "recurrent = np.empty((S, B, Hn))", "recurrent = None", _stack_settings),
}


@pytest.mark.parametrize("key", sorted(EDITS))
def test_equivalent_mutant_gives_the_same_results(key):
    module, name, old, new, draw = EDITS[key]
    original, changed = getattr(module, name), mutant(module, name, old, new)
    rng = np.random.default_rng(sorted(EDITS).index(key))
    for _ in range(12):
        args = draw(rng)
        with warnings.catch_warnings():
            warnings.simplefilter("error")          # a mutant that warns where the original is quiet differs too
            assert same(changed(*args), original(*args)), (key, args)


def test_the_comparison_tells_a_real_mutant_apart():
    # the same machinery on an edit that does change the numbers: the reach measured at 10 % instead of 1 %
    changed = mutant(curves, "contribution_curves", "contrib >= REACH_SHARE", "contrib >= 10 * REACH_SHARE")
    args = (1.05, 60, "tanh", 0.05, 0.0, 0)
    assert not same(changed(*args), curves.contribution_curves(*args))
