"""Initialisations of W_hh: the spectral property each one promises, determinism, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnlib import init, jacobian

rngs = st.integers(0, 10_000).map(np.random.default_rng)


@given(H=st.integers(1, 40), gain=st.floats(0.1, 3.0), rng=rngs)
def test_orthogonal_singular_values_all_equal_the_gain(H, gain, rng):
    W = init.orthogonal(H, rng, gain)
    assert np.allclose(jacobian.singular_values(W), gain, rtol=1e-10)
    assert np.allclose(W.T @ W, gain**2 * np.eye(H), atol=1e-10 * max(1.0, gain**2))


@given(H=st.integers(2, 40), radius=st.floats(0.1, 3.0), rng=rngs)
def test_with_spectral_radius_hits_the_radius(H, radius, rng):
    W = init.with_spectral_radius(init.gaussian(H, rng), radius)
    assert np.isclose(jacobian.spectral_radius(W), radius, rtol=1e-9)


@given(H=st.integers(2, 30), sigma=st.floats(0.1, 3.0), rng=rngs)
def test_with_spectral_norm_hits_sigma_max(H, sigma, rng):
    W = init.with_spectral_norm(init.gaussian(H, rng), sigma)
    assert np.isclose(jacobian.spectral_norm(W), sigma, rtol=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_nonnormal_eigenvalues_equal_the_radius_yet_sigma_max_exceeds_one(seed):
    W = init.nonnormal(16, np.random.default_rng(seed), radius=0.9, shear=1.0)
    assert np.allclose(np.diag(W), 0.9) and np.all(np.tril(W, -1) == 0)   # triangular: eigenvalues = diagonal
    assert np.isclose(jacobian.spectral_radius(W), 0.9, rtol=1e-6)
    assert jacobian.spectral_norm(W) > 1.0
    # transient growth: some power exceeds 1 in norm although W^n -> 0
    norms = [np.linalg.norm(np.linalg.matrix_power(W, n), 2) for n in (2, 4, 8, 1000)]
    assert max(norms[:3]) > 1.0 and norms[-1] < 1e-6


def test_gaussian_scale_and_determinism():
    W = init.gaussian(200, np.random.default_rng(0))
    assert np.isclose(W.std(), 1 / np.sqrt(200), rtol=0.02)
    assert np.array_equal(W, init.gaussian(200, np.random.default_rng(0)))
    assert np.isclose(init.gaussian(100, np.random.default_rng(1), std=2.0).std(), 2.0, rtol=0.03)


def test_scaled_identity():
    assert np.array_equal(init.scaled_identity(3, 0.5), 0.5 * np.eye(3))


@given(H=st.integers(2, 30), radius=st.floats(0.1, 3.0), rng=rngs)
def test_gaussian_with_radius(H, radius, rng):
    assert np.isclose(jacobian.spectral_radius(init.gaussian_with_radius(H, rng, radius)), radius, rtol=1e-9)


@pytest.mark.parametrize("name", init.INIT_NAMES)
def test_recurrent_init_by_name(name):
    W = init.recurrent_init(name, 12, np.random.default_rng(0), 1.1)
    assert W.shape == (12, 12) and np.all(np.isfinite(W))
    assert np.array_equal(W, init.recurrent_init(name, 12, np.random.default_rng(0), 1.1))
    if name == "orthogonal":
        assert np.allclose(jacobian.singular_values(W), 1.1)
    if name == "identity (tanh)":
        assert np.array_equal(W, 1.1 * np.eye(12))
    if name == "spectral radius":
        assert np.isclose(jacobian.spectral_radius(W), 1.1)
    if name == "gaussian":
        assert np.allclose(W, init.gaussian(12, np.random.default_rng(0), 1.1 / np.sqrt(12)))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: init.gaussian(0, np.random.default_rng(0)), "H"),
        (lambda: init.gaussian(3, 0), "rng"),
        (lambda: init.gaussian(3, np.random.default_rng(0), std=np.nan), "std"),
        (lambda: init.orthogonal(2.5, np.random.default_rng(0)), "H"),
        (lambda: init.orthogonal(3, np.random.default_rng(0), gain="big"), "gain"),
        (lambda: init.orthogonal(3, None), "rng"),
        (lambda: init.scaled_identity(3, np.inf), "scale"),
        (lambda: init.scaled_identity(-1), "H"),
        (lambda: init.nonnormal(3, np.random.default_rng(0), radius=np.nan), "radius"),
        (lambda: init.nonnormal(3, np.random.default_rng(0), shear=None), "shear"),
        (lambda: init.with_spectral_radius(np.zeros((3, 3)), 1.0), "W"),
        (lambda: init.with_spectral_radius(np.ones(3), 1.0), "W"),
        (lambda: init.with_spectral_radius(np.eye(3), np.nan), "radius"),
        (lambda: init.with_spectral_norm(np.zeros((2, 2)), 1.0), "W"),
        (lambda: init.with_spectral_norm(np.eye(2), "x"), "sigma_max"),
        (lambda: init.gaussian_with_radius(3, np.random.default_rng(0), 0.0), "radius"),
        (lambda: init.recurrent_init("xavier", 3, np.random.default_rng(0)), "name"),
        (lambda: init.recurrent_init("identity (tanh)", 3, "seed"), "rng"),
        (lambda: init.recurrent_init("orthogonal", 3, np.random.default_rng(0), np.nan), "scale"),
    ],
)
def test_bad_input_is_refused_by_name(call, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        call()
