"""The perturbation hook of `make test-perturb` (tools/perturb), checked in this process without installing it."""

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" / "perturb"))
import perturb_hook as hook  # noqa: E402

KEY = hook._key(7, 1)


def ulps(a, b):
    """Signed distance from b to a in ulps (same sign, finite)."""
    return (np.asarray(a, dtype=np.float64).view(np.int64) - np.asarray(b, dtype=np.float64).view(np.int64))


def test_half_of_the_results_move_by_one_ulp():
    x = np.random.default_rng(0).normal(size=20_000)
    exp = hook.PerturbedUfunc(np.exp, KEY)
    d = ulps(exp(x), np.exp(x))
    assert set(np.unique(d)) == {-1, 0, 1}
    assert 0.45 < np.mean(d != 0) < 0.55
    assert 0.45 < np.mean(d[d != 0] > 0) < 0.55


def test_the_move_is_a_function_of_the_value_and_the_seed():
    x = np.random.default_rng(1).normal(size=1000)
    tanh = hook.PerturbedUfunc(np.tanh, KEY)
    a = tanh(x)
    np.testing.assert_array_equal(tanh(x[::-1])[::-1], a)             # not of call order or position
    assert np.all([tanh(v) == a[i] for i, v in enumerate(x[:50])])   # a scalar moves as in an array
    other = hook.PerturbedUfunc(np.tanh, hook._key(8, 1))(x)
    assert np.any(other != a)


def test_exact_results_and_special_values_stay():
    log = hook.PerturbedUfunc(np.log, KEY)
    tanh = hook.PerturbedUfunc(np.tanh, KEY)
    np.testing.assert_array_equal(log(np.array([1.0, np.inf])), [0.0, np.inf])
    np.testing.assert_array_equal(tanh(np.array([0.0, -0.0, 40.0, np.nan])), [0.0, -0.0, 1.0, np.nan])
    assert np.signbit(tanh(np.array([-0.0]))[0])


def test_behaves_like_the_ufunc():
    exp = hook.PerturbedUfunc(np.exp, KEY)
    x = np.linspace(-2, 2, 41)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = np.zeros_like(x)
        assert exp(x, out=out) is out and np.all(np.abs(ulps(out, np.exp(x))) <= 1)
        out = np.zeros_like(x)
        exp(x, out=out, where=x > 0)
        assert np.all(out[x <= 0] == 0) and np.all(np.abs(ulps(out[x > 0], np.exp(x[x > 0]))) <= 1)
        view = np.full((4, 6), 0.7)[:, ::2]
        exp(view, out=view)
        assert np.all(np.abs(ulps(view, np.exp(0.7))) <= 1)
        assert exp(np.float32(0.5)).dtype == np.float32 and exp(np.float32(0.5)) == np.exp(np.float32(0.5))
        assert isinstance(exp(0.5), np.float64) and isinstance(exp(np.array(0.5)), np.float64)
        assert exp(np.asfortranarray(np.ones((3, 2)) * 0.3)).shape == (3, 2)
        assert exp(np.array([])).shape == (0,)
    assert exp.nin == 1 and exp.reduce == np.exp.reduce and exp.__name__ == "exp" and repr(exp) == repr(np.exp)


def test_generator_moves_float_draws_only():
    cls = hook._generator_class(KEY)
    g, plain = cls(np.random.PCG64(3)), np.random.Generator(np.random.PCG64(3))
    assert isinstance(g, np.random.Generator)
    a, b = g.normal(0, 0.25, (64, 64)), plain.normal(0, 0.25, (64, 64))
    d = np.abs(ulps(a, b))
    assert d.min() >= 1 and d.max() <= 4
    np.testing.assert_array_equal(g.integers(0, 4, 100), plain.integers(0, 4, 100))   # the stream goes on alike
    assert 1 <= abs(ulps(g.standard_normal(), plain.standard_normal())) <= 4
    assert 1 <= np.abs(ulps(g.uniform(size=5), plain.uniform(size=5))).min()
    out = np.empty(5)
    g.random(out=out)
    assert np.all(np.abs(ulps(out, plain.random(5))) >= 1)
    assert g.standard_normal(3, dtype=np.float32).dtype == np.float32


def test_unknown_parts_are_refused(monkeypatch):
    monkeypatch.setenv("RNNLIB_PERTURB_SEED", "1")
    monkeypatch.setenv("RNNLIB_PERTURB_PARTS", "bogus")
    with pytest.raises(ValueError, match="RNNLIB_PERTURB_PARTS"):
        hook.install_from_environment()
