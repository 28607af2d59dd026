"""Initialisations of the recurrent matrix W_hh (H, H), each from an explicit seeded rng."""

from __future__ import annotations

import numpy as np

from ._validate import (
    MAX_WIDTH,
    check_choice,
    check_finite_scalar,
    check_positive,
    check_positive_int,
    check_rng,
    check_square,
)


def _rng(rng: object) -> np.random.Generator:
    return check_rng("rng", rng)


def _size(H: object) -> int:
    return check_positive_int("H", H, MAX_WIDTH)


def gaussian(H: int, rng: np.random.Generator, std: float | None = None) -> np.ndarray:
    """Entries ~ N(0, std^2), std = 1/sqrt(H) by default (spectral radius close to 1)."""
    H = _size(H)
    std = 1.0 / np.sqrt(H) if std is None else check_finite_scalar("std", std)
    if std < 0:
        raise ValueError(f"std: expected a standard deviation >= 0, got {std!r}")
    return _rng(rng).normal(0.0, std, (H, H))


def orthogonal(H: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """gain * Q with Q a uniformly random orthogonal matrix: every singular value equals |gain|.

    Q is the Q of a Gaussian matrix's QR decomposition with R's diagonal positive (which makes
    it uniform, Haar), computed by Gram-Schmidt with elementwise products and sums only, no
    BLAS or LAPACK: every machine gets the same bits from the same seed, so a training run that
    starts here starts from the same weights everywhere.
    """
    H = _size(H)
    gain = check_finite_scalar("gain", gain)
    return gain * _gram_schmidt(_rng(rng).normal(size=(H, H)))


def _gram_schmidt(A: np.ndarray) -> np.ndarray:
    """Orthonormal columns spanning A's leading columns, in order (classical Gram-Schmidt, two passes).

    Only elementwise products and numpy's sums (whose order does not depend on the CPU or BLAS).
    """
    Q = np.zeros_like(A)
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for _ in range(2):                                     # the second pass removes what rounding left
            c = np.sum(Q[:, :j] * v[:, None], axis=0)          # components along the columns so far
            v -= np.sum(Q[:, :j] * c, axis=1)
        Q[:, j] = v / np.sqrt(np.sum(v * v))
    return Q


def _portable(factor: float) -> float:
    """A scale factor rounded to 11 significant digits.

    Eigenvalues and singular values come from LAPACK, whose last bits differ between builds
    (another numpy, another CPU); rounding the factor makes the rescaled matrix the same bits
    everywhere, at a relative cost of at most 5e-12 in the target.
    """
    return float(f"{factor:.10e}")


def scaled_identity(H: int, scale: float = 1.0) -> np.ndarray:
    """scale * I, the identity start. Le et al. (2015) pair it with ReLU units (IRNN); with tanh it is not an IRNN."""
    return check_finite_scalar("scale", scale) * np.eye(_size(H))


def nonnormal(H: int, rng: np.random.Generator, radius: float = 0.9, shear: float = 1.0) -> np.ndarray:
    """A non-normal matrix: radius on the diagonal and a strictly upper shear.

    Its eigenvalues all equal ``radius`` (so W^n -> 0 when radius < 1), yet its largest
    singular value exceeds 1 for a large enough shear: products grow for a while first.
    """
    H = _size(H)
    radius = check_finite_scalar("radius", radius)
    shear = check_finite_scalar("shear", shear)
    if shear < 0:
        raise ValueError(f"shear: expected a shear >= 0 (the spread of the upper entries), got {shear!r}")
    upper = np.triu(_rng(rng).normal(0.0, shear / np.sqrt(H), (H, H)), k=1)
    return radius * np.eye(H) + upper


def with_spectral_radius(W: np.ndarray, radius: float) -> np.ndarray:
    """W rescaled so that max |eigenvalue| = radius (to 5e-12 relative: the factor is rounded, see ``_portable``)."""
    W = check_square("W", W)
    radius = check_positive("radius", radius, "a positive spectral radius")
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    if rho == 0.0:
        raise ValueError("W: expected a matrix with a non-zero eigenvalue, got spectral radius 0")
    return W * _portable(radius / rho)


def with_spectral_norm(W: np.ndarray, sigma_max: float) -> np.ndarray:
    """W rescaled so that its largest singular value = sigma_max (to 5e-12 relative, as ``with_spectral_radius``)."""
    W = check_square("W", W)
    sigma_max = check_positive("sigma_max", sigma_max, "a positive largest singular value")
    s = float(np.linalg.svd(W, compute_uv=False)[0])
    if s == 0.0:
        raise ValueError("W: expected a non-zero matrix, got all zeros")
    return W * _portable(sigma_max / s)


def gaussian_with_radius(H: int, rng: np.random.Generator, radius: float = 1.0) -> np.ndarray:
    """A Gaussian W_hh (H, H) rescaled to spectral radius ``radius``: the echo-state recipe.

    radius < 1 makes W^n shrink, radius > 1 grow; unlike ``orthogonal``, the singular values
    spread around it (sigma_max > radius), so the first few products can still grow.
    """
    radius = check_positive("radius", radius, "a positive spectral radius")
    return with_spectral_radius(gaussian(H, rng), radius)


#: Names of the recurrent-matrix initialisations compared in the course, for tables and legends.
INIT_NAMES = ("gaussian", "orthogonal", "identity (tanh)", "spectral radius")


def recurrent_init(name: str, H: int, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """W_hh (H, H) by name, one of ``INIT_NAMES``, with one scale knob each.

    'gaussian': N(0, scale^2 / H) entries; 'orthogonal': every singular value = scale;
    'identity (tanh)': scale * I, the identity start as the course uses it, with tanh units (not Le et al.'s
    IRNN, which pairs the identity with ReLU units so that a unit can copy itself; under tanh every step
    shrinks the state); 'spectral radius': Gaussian rescaled to radius = scale.
    """
    check_choice("name", name, INIT_NAMES)
    H = _size(H)
    _rng(rng)
    scale = check_finite_scalar("scale", scale)
    if scale < 0 or (scale == 0 and name == "spectral radius"):
        want = "a scale >= 0" if name != "spectral radius" else "a positive spectral radius"
        raise ValueError(f"scale: expected {want} for {name!r}, got {scale!r}")
    if name == "gaussian":
        return gaussian(H, rng, scale / np.sqrt(H))
    if name == "orthogonal":
        return orthogonal(H, rng, scale)
    if name == "identity (tanh)":
        return scaled_identity(H, scale)
    return gaussian_with_radius(H, rng, scale)
